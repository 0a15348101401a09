// The alert settings (administrators): GET /api/alerts/settings gives each setting's value in
// force and the ones changed from the default; PUT sends the changed ones (an empty value restores
// the default). The server checks each value and says why it refuses one; nothing is checked here
// twice. Settings per handbook role (quiet hours, digest, acknowledge timeout, escalation) are named
// with the role's Chinese name. The message templates follow (templates.js).

import {h, clear} from '../dom.js';
import {t, tt, label} from '../i18n.js';
import {get, send} from '../api.js';
import {errorBox, loading, ready} from './common.js';
import templates from './templates.js';

const PER_ROLE = ['ack.timeout.', 'escalation.next.', 'quiet.', 'digest.'];

function group(key) {
  if (/^(group|emergency|route|escalate|repeat|inhibit)\./.test(key)) return 'send';
  if (key.startsWith('ack.') || key.startsWith('escalation.')) return 'ack';
  if (key.startsWith('quiet.') || key.startsWith('digest.')) return 'quiet';
  if (/^(retry|http|smtp)\./.test(key)) return 'delivery';
  return 'other';
}

/** 免打扰时段 · 主管, or the setting's own words, or its key when it has none. */
function title(key) {
  for (const p of PER_ROLE) {
    if (key.startsWith(p) && key.length > p.length) return tt('setting', p) + ' · ' + label('role', key.slice(p.length));
  }
  const s = tt('setting', key);
  return s === key ? key : s;
}

export default function settings(root, params, app) {
  let alive = true;
  const message = h('div', {class: 'settings-message', role: 'status'});
  const body = h('div', null, loading());
  // the list is long (very long on a phone): a way down to the message templates below it
  const jump = h('button', {type: 'button', id: 'to-templates', class: 'link-button',
    onclick: () => document.getElementById('templates').scrollIntoView()}, t('tpl_jump'));
  root.append(h('div', {class: 'view-head'}, h('h2', null, t('settings_title')), h('p', {class: 'muted'}, t('settings_hint'), ' ', jump)),
    body);
  // each receiver kind's wording, below the settings
  const closeTemplates = templates(root);

  function draw(r, defaults) {
    const inputs = new Map();
    const groups = new Map();
    for (const [key, value] of Object.entries(r.effective)) {
      const changed = Object.prototype.hasOwnProperty.call(r.overrides, key);
      const input = h('input', {name: key, value: value == null ? '' : String(value), 'aria-label': title(key),
        placeholder: defaults[key] || ''});
      inputs.set(key, {input, original: input.value});
      const item = h('li', {class: 'setting-item' + (changed ? ' changed' : ''), dataset: {key}},
        h('span', {class: 'setting-name'}, h('strong', null, title(key)), ' ', h('span', {class: 'mono small muted'}, key),
          h('br'), h('span', {class: 'small muted'}, t('settings_default', defaults[key] ?? ''),
            changed ? ' · ' + t('settings_changed') : '')),
        input,
        changed ? h('button', {type: 'button', class: 'reset', onclick: () => save({[key]: ''})}, t('settings_reset')) : null);
      const g = group(key);
      if (!groups.has(g)) groups.set(g, []);
      groups.get(g).push(item);
    }
    const form = h('form', {id: 'settings-form', onsubmit: e => {
      e.preventDefault();
      const changes = {};
      for (const [key, {input, original}] of inputs) {
        if (input.value.trim() !== original.trim()) changes[key] = input.value.trim();
      }
      if (!Object.keys(changes).length) {
        clear(message).append(h('p', {class: 'muted'}, t('settings_nothing')));
        return;
      }
      save(changes);
    }}, ['send', 'ack', 'quiet', 'delivery', 'other'].filter(g => groups.has(g)).map(g => h('section', null,
      h('h3', null, tt('settingsGroup', g)), h('ul', {class: 'settings-list'}, groups.get(g)))),
    // the save button stays in sight at the foot of the screen: the list is long, on a phone very long
    h('div', {class: 'settings-bar'}, h('button', {type: 'submit', id: 'settings-save'}, t('settings_save')), message));
    clear(body).append(form);
  }

  let defaults = null;

  async function save(changes) {
    clear(message);
    try {
      const r = await send('PUT', '/api/alerts/settings', changes);
      if (!alive) return;
      draw(r, defaults);
      message.append(h('p', {class: 'saved'}, t('settings_saved', Object.keys(changes).length)));
    } catch (err) {
      message.append(h('div', {class: 'error', role: 'alert'}, err.message));
    }
  }

  function load() {
    get('/api/alerts/settings').then(r => {
      if (!alive) return;
      defaults = r.defaults || {};
      draw(r, defaults);
      ready('settings');
    }).catch(err => {
      if (alive) clear(body).append(errorBox(err, load));
    });
  }
  load();
  return () => {
    alive = false;
    closeTemplates();
  };
}
