// Live findings: the stored findings matching the filters, a page at a time from the server,
// and new ones pushed by the server put on top as they come (when the first page is shown).
// After a reconnection the page is fetched again, so nothing missed while the server was
// away stays missing.

import {h, clear} from '../dom.js';
import {t, label} from '../i18n.js';
import {get, noteCommunity} from '../api.js';
import * as live from '../live.js';
import {pager, errorBox, loading, findingRow, findingsHeader, ready} from './common.js';

const KINDS = ['violation', 'alert', 'warning'];
const ROLES = ['assistant', 'building_manager', 'supervisor', 'centre_manager', 'project_manager', 'general_manager',
  'quality', 'developer_cs', 'engineering'];
const MAX_LIVE_ROWS = 200;

function matches(f, filter) {
  if (filter.community) {
    const list = filter.community.split(',').map(s => s.trim()).filter(Boolean);
    if (list.length && !list.includes(f.community)) return false;
  }
  if (filter.rule) {
    if (filter.rule.endsWith('*') ? !f.rule.startsWith(filter.rule.slice(0, -1)) : f.rule !== filter.rule) return false;
  }
  if (filter.kind && f.kind !== filter.kind) return false;
  if (filter.role && f.notify !== filter.role) return false;
  return true;
}

export default function feed(root, params, app) {
  let alive = true;
  const limit = Math.min(Number(params.limit) || 50, 200);
  const offset = Number(params.offset) || 0;
  const filter = {community: params.community || '', rule: params.rule || '', kind: params.kind || '', role: params.role || ''};
  const go = changes => app.go('live', Object.assign({}, filter, {offset: 0}, changes));
  const seen = new Set();
  let tbody = null;
  let total = 0;
  let totalEl = null;
  let pending = [];
  let flushTimer = null;

  const ruleSelect = h('select', {id: 'f-rule', onchange: e => go({rule: e.target.value})},
    h('option', {value: ''}, t('all')));
  const form = h('div', {class: 'filters'},
    h('input', {type: 'search', id: 'f-community', placeholder: t('community'), value: filter.community,
      onchange: e => go({community: e.target.value.trim()})}),
    h('label', null, t('rule'), ' ', ruleSelect),
    h('label', null, t('kind'), ' ', h('select', {id: 'f-kind', onchange: e => go({kind: e.target.value})},
      h('option', {value: ''}, t('all')), KINDS.map(k => h('option', {value: k, selected: k === filter.kind}, label('kind', k))))),
    h('label', null, t('role'), ' ', h('select', {id: 'f-role', onchange: e => go({role: e.target.value})},
      h('option', {value: ''}, t('all')), ROLES.map(r => h('option', {value: r, selected: r === filter.role}, label('role', r))))));
  const body = h('div', null, loading());
  root.append(h('div', {class: 'view-head'}, h('h2', null, t('live_title')), h('p', {class: 'muted'}, t('liveHint')), form), body);

  get('/api/rules').then(r => {
    if (!alive) return;
    const ids = [...new Set(r.rules.map(x => x.id).filter(Boolean))].sort();
    if (filter.rule && !ids.includes(filter.rule)) ids.push(filter.rule);
    ruleSelect.append(...ids.map(id => h('option', {value: id, selected: id === filter.rule}, label('rule', id) + ' (' + id + ')')));
  }).catch(() => null);

  async function load() {
    let data;
    try {
      data = await get('/api/findings', Object.assign({}, filter, {limit, offset}));
    } catch (e) {
      if (alive) clear(body).append(errorBox(e, load));
      return;
    }
    if (!alive) return;
    seen.clear();
    data.items.forEach(f => { seen.add(f.id); noteCommunity(f.community); });
    total = data.total;
    tbody = h('tbody', null, data.items.map(f => findingRow(f, false)));
    totalEl = h('span', {id: 'feed-total'}, String(total));
    clear(body).append(
      h('p', {class: 'muted small'}, t('findings'), ': ', totalEl),
      h('div', {class: 'scroll'}, h('table', {class: 'grid findings', id: 'feed'},
        h('thead', null, h('tr', null, findingsHeader().map(x => h('th', null, x)))), tbody)),
      pager(total, limit, offset, o => app.go('live', Object.assign({}, filter, {offset: o}))));
    ready('live');
    document.body.dataset.feedLoads = String(Number(document.body.dataset.feedLoads || 0) + 1);
    // Pushed while the page was being fetched: keep those the page does not hold.
    pending = pending.filter(f => !seen.has(f.id));
    pending.forEach(f => seen.add(f.id));
    total += pending.length;
    if (pending.length) flush();
  }

  // Findings come in bursts (a deadline sweep, a batch of events): draw them together.
  function flush() {
    flushTimer = null;
    if (!alive || !tbody) return;
    const batch = pending;
    pending = [];
    for (const f of batch) {
      tbody.insertBefore(findingRow(f, true), tbody.firstChild);
    }
    while (tbody.children.length > MAX_LIVE_ROWS) tbody.removeChild(tbody.lastChild);
    totalEl.textContent = String(total);
  }

  const offFinding = live.on('finding', f => {
    if (!alive || offset !== 0 || !matches(f, filter) || seen.has(f.id)) return;
    noteCommunity(f.community);
    pending.push(f);
    if (!tbody) return;
    seen.add(f.id);
    total++;
    if (!flushTimer) flushTimer = setTimeout(flush, 50);
  });
  let connectedOnce = live.liveStatus() === 'open';
  const offOpen = live.on('open', () => {
    if (connectedOnce) load();
    connectedOnce = true;
  });
  load();
  return () => {
    alive = false;
    offFinding();
    offOpen();
    if (flushTimer) clearTimeout(flushTimer);
  };
}
