// Silences: the active ones (and the ended ones on request), and a form to add one for my
// communities. The form's community and rule come from lists (no misspelt rule that silences
// nothing), and before saving it says how many alerts the silence would cover now.

import {h, clear} from '../dom.js';
import {t, label, fmtTime} from '../i18n.js';
import {get, send, dir, zoneOf, who} from '../api.js';
import {errorBox, loading, communityCell, ready} from './common.js';

const DURATIONS = ['1h', '2h', '4h', '1d', '3d', '7d'];

export default function silences(root, params, app) {
  let alive = true;
  const me = who();
  const canEdit = !me || me.role === 'manager' || me.role === 'admin';
  const communities = [...dir().byCode.keys()].sort();
  const all = !me || me.communities == null;
  const community = h('select', {name: 'community', id: 's-community'},
    all ? h('option', {value: '*'}, t('anyCommunity')) : null,
    communities.map(c => h('option', {value: c, selected: c === params.community}, c + ' ' + (dir().byCode.get(c).name || ''))));
  const rule = h('select', {name: 'rule', id: 's-rule'}, h('option', {value: '*'}, t('anyRule')));
  const reason = h('input', {name: 'reason', id: 's-reason', required: true, placeholder: t('reason')});
  const duration = h('select', {name: 'for', id: 's-for'}, DURATIONS.map(d => h('option', {value: d, selected: d === '2h'}, t('dur')[d] || d)));
  const preview = h('p', {class: 'muted', id: 's-preview', role: 'status'});
  const message = h('div', {id: 's-message'});
  const form = h('form', {class: 'filters', id: 's-form', onsubmit: async e => {
    e.preventDefault();
    clear(message);
    try {
      await send('POST', '/api/silences', {community: community.value, rule: rule.value, reason: reason.value.trim(), for: duration.value});
      reason.value = '';
      load();
    } catch (err) {
      message.append(h('div', {class: 'error'}, err.message));
    }
  }}, h('label', null, t('community'), ' ', community), h('label', null, t('rule'), ' ', rule),
    h('label', null, t('reason'), ' ', reason), h('label', null, t('duration'), ' ', duration),
    h('button', {type: 'submit', id: 's-save'}, t('createSilence')));
  const showExpired = h('input', {type: 'checkbox', id: 's-expired', checked: params.all === 'true',
    onchange: e => app.go('silences', {all: e.target.checked ? 'true' : ''})});
  const list = h('div', null, loading());
  root.append(h('div', {class: 'view-head'}, h('h2', null, t('silences_title')),
    canEdit ? [form, preview, message] : null,
    h('label', {class: 'small'}, showExpired, ' ', t('showExpired'))), list);

  // What the silence would cover now: the alerts still waiting or awaiting acknowledgement.
  async function updatePreview() {
    try {
      const q = {status: 'sent,held,collecting', limit: 1};
      if (community.value !== '*') q.community = community.value;
      if (rule.value !== '*') q.rule = rule.value;
      const a = await get('/api/alerts', q);
      if (alive) preview.textContent = t('silenceMatches', a.total);
    } catch (e) {
      if (alive) preview.textContent = '';
    }
  }
  community.addEventListener('change', updatePreview);
  rule.addEventListener('change', updatePreview);

  get('/api/rules').then(r => {
    if (!alive) return;
    const ids = [...new Set(r.rules.map(x => x.id).filter(Boolean))].sort();
    rule.append(...ids.map(id => h('option', {value: id, selected: id === params.rule}, label('rule', id))));
    updatePreview();
  }).catch(() => null);

  function load() {
    get('/api/silences', {all: params.all === 'true' ? 'true' : null}).then(s => {
      if (!alive) return;
      clear(list).append(h('ul', {class: 'silence-list', id: 'silence-list'}, s.items.map(x => {
        const zone = zoneOf(x.community);
        return h('li', {class: x.active ? 'active' : 'expired', dataset: {id: String(x.id)}},
          h('div', null, h('strong', null, x.rule === '*' ? t('anyRule') : label('rule', x.rule)), ' · ',
            x.community === '*' ? t('anyCommunity') : communityCell(x.community), ' · ', x.active ? t('active') : t('expired')),
          h('div', {class: 'small'}, t('reason'), '：', x.reason, ' · ', t('author'), '：', x.author),
          h('div', {class: 'small muted'}, fmtTime(x.startsAt, zone), ' → ', fmtTime(x.expiresAt, zone)),
          canEdit ? h('div', {class: 'actions'},
            h('button', {type: 'button', class: 'extend', onclick: async () => {
              await send('PUT', '/api/silences/' + x.id, {for: duration.value});
              load();
            }}, t(x.active ? 'extendSilence' : 'renewSilence', t('dur')[duration.value] || duration.value)),
            x.active ? h('button', {type: 'button', onclick: async () => {
              await send('DELETE', '/api/silences/' + x.id);
              load();
            }}, t('endSilence')) : null) : null);
      })));
      if (!s.items.length) list.append(h('p', {class: 'muted'}, t('none')));
      ready('silences');
    }).catch(err => {
      if (alive) clear(list).append(errorBox(err, load));
    });
  }
  load();
  return () => { alive = false; };
}
