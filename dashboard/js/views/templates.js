// The message templates (administrators), under the alert settings: per receiver kind, each part's
// template in a text box, the variables it may use, a live preview on the sample notices (PUT with
// ?dryRun=true: the server checks and renders; nothing is checked here twice), save and restore.

import {h, clear} from '../dom.js';
import {t, tt, currentLang, fmtTime} from '../i18n.js';
import {get, send} from '../api.js';
import {errorBox, loading, ready} from './common.js';

export default function templates(root) {
  let alive = true;
  const body = h('div', null, loading());
  root.append(h('section', {id: 'templates', class: 'templates'},
    h('h3', null, t('tpl_title')), h('p', {class: 'muted small'}, t('tpl_hint')), body));

  function variables(r, en) {
    const item = v => h('li', null, h('code', null, '{{' + v.name + '}}'), ' ', en ? v.en : v.zh);
    return h('details', {class: 'tpl-vars'}, h('summary', null, t('tpl_vars')),
      h('p', {class: 'small muted'}, t('tpl_varsHint')),
      h('ul', null, r.variables.map(item)),
      h('p', {class: 'small'}, t('tpl_varsFinding')),
      h('ul', null, r.findingVariables.map(item)));
  }

  function editor(c, en, flash) {
    const areas = new Map();
    const preview = h('div', {class: 'tpl-preview', 'aria-live': 'polite'}, h('p', {class: 'muted small'}, t('tpl_previewing')));
    const message = h('div', {class: 'tpl-message', role: 'status'});
    let timer = null;
    let seq = 0;
    const parts = c.parts.map(p => {
      const area = h('textarea', {name: p.key, rows: p.oneLine ? 2 : 7, spellcheck: 'false', 'aria-label': en ? p.en : p.zh,
        oninput: () => {
          clearTimeout(timer);
          timer = setTimeout(render, 300);
        }});
      area.value = p.template;
      areas.set(p.key, {area, original: p.template});
      return h('div', {class: 'tpl-part', dataset: {key: p.key}},
        h('label', null, h('strong', null, en ? p.en : p.zh), ' ',
          h('span', {class: 'small muted'}, p.stored ? t('tpl_stored', p.updatedBy, fmtTime(p.updatedAt)) : t('tpl_default'))),
        area);
    });
    const changed = () => {
      const out = {};
      for (const [k, {area, original}] of areas) if (area.value !== original) out[k] = area.value;
      return out;
    };
    const current = () => Object.fromEntries([...areas].map(([k, {area}]) => [k, area.value]));

    async function render() {
      const mine = ++seq;
      try {
        const r = await send('PUT', `/api/message-templates/${c.channel}?dryRun=true`, current());
        if (!alive || mine !== seq) return;
        clear(preview).append(...r.samples.map(s => h('div', {class: 'tpl-sample', dataset: {type: s.type}},
          h('div', {class: 'small muted'}, tt('tpl_sample', s.type)),
          c.parts.map(p => [h('div', {class: 'small muted tpl-part-name'}, en ? p.en : p.zh),
            h('pre', {class: 'tpl-text', dataset: {key: p.key}}, s.parts[p.key])]))));
        preview.dataset.state = 'ok';
      } catch (err) {
        if (!alive || mine !== seq) return;
        clear(preview).append(h('div', {class: 'error', role: 'alert', title: err.detail || null}, err.message));
        preview.dataset.state = 'error';
      }
    }

    async function save() {
      clear(message);
      const changes = changed();
      if (!Object.keys(changes).length) {
        message.append(h('p', {class: 'muted'}, t('tpl_nothing')));
        return;
      }
      try {
        const r = await send('PUT', `/api/message-templates/${c.channel}`, changes);
        if (alive) draw(r, {channel: c.channel, text: t('tpl_saved')});
      } catch (err) {
        if (alive) message.append(h('div', {class: 'error', role: 'alert', title: err.detail || null}, err.message));
      }
    }

    async function restore() {
      clear(message);
      try {
        const r = await send('DELETE', `/api/message-templates/${c.channel}`);
        if (alive) draw(r, {channel: c.channel, text: t('tpl_restored')});
      } catch (err) {
        if (alive) message.append(h('div', {class: 'error', role: 'alert', title: err.detail || null}, err.message));
      }
    }

    if (flash && flash.channel === c.channel) message.append(h('p', {class: 'saved'}, flash.text));
    render();
    return h('div', {class: 'tpl-channel', dataset: {channel: c.channel}},
      h('h4', null, tt('tpl_channel', c.channel)),
      h('div', {class: 'tpl-grid'},
        h('div', {class: 'tpl-parts'}, parts,
          h('div', {class: 'tpl-actions'},
            h('button', {type: 'button', class: 'tpl-save', onclick: save}, t('tpl_save')),
            c.parts.some(p => p.stored) ? h('button', {type: 'button', class: 'tpl-restore', onclick: restore}, t('tpl_restore')) : null,
            message)),
        h('div', null, h('div', {class: 'small muted'}, t('tpl_preview')), preview)));
  }

  function draw(r, flash) {
    const en = currentLang() === 'en';
    clear(body).append(variables(r, en), ...r.channels.map(c => editor(c, en, flash)),
      h('p', {class: 'muted small'}, en ? r.webhook.en : r.webhook.zh));
    ready('templates');
  }

  function load() {
    get('/api/message-templates').then(r => {
      if (alive) draw(r);
    }).catch(err => {
      if (alive) clear(body).append(errorBox(err, load));
    });
  }
  load();
  return () => { alive = false; };
}
