// Overview: every community's KPIs for its today, this week and this month against target,
// the company total on top. Filtering, sorting and paging happen on the server; KPI changes
// pushed by the server refresh the page in place every few seconds.

import {h, clear, href} from '../dom.js';
import {t, label, pct, fmtTime} from '../i18n.js';
import {get, dir, companyLabel} from '../api.js';
import * as live from '../live.js';
import {pager, errorBox, loading, ready} from './common.js';

const SCOPES = ['day', 'week', 'month'];

function cls(c) {
  if (!c) return 'v none';
  if (c.met === false) return 'v under';
  if (c.met === true) return 'v met';
  return 'v reported';
}

function value(c, attrs) {
  const text = c ? pct(c.value) : '—';
  const title = c ? `${c.numerator} / ${c.denominator}` + (c.target != null ? ` · ${t('target')} ${pct(c.target)}` : '') : '';
  return h(attrs.href ? 'a' : 'span', Object.assign({class: cls(c), title}, attrs),
    h('span', {class: 's'}, t('scope_' + attrs.dataset.scope)),
    c && c.met === false ? h('span', {class: 'mark', 'aria-label': t('under')}, '▼') : null,
    h('span', {class: 'num'}, text));
}

export default function overview(root, params, app) {
  let alive = true;
  let dirty = false;
  const limit = Math.min(Number(params.limit) || 50, 200);
  const offset = Number(params.offset) || 0;
  const basis = params.basis || 'month';
  const sort = params.sort || 'code';
  const query = {date: params.date, q: params.q, under: params.under, basis, sort, limit, offset};
  const set = (changes) => app.go('overview', Object.assign({}, query, {offset: 0}, changes));

  const head = h('div', {class: 'view-head'});
  const cards = h('div', {class: 'cards'});
  const body = h('div', null, loading());
  root.append(head, cards, body);

  async function load() {
    let data;
    try {
      data = await get('/api/dashboard/overview', query);
    } catch (e) {
      if (alive) clear(body).append(errorBox(e, load));
      return;
    }
    if (!alive) return;
    draw(data);
    ready('overview');
  }

  function draw(data) {
    const zone = dir().companyZone;
    clear(head).append(
      h('h2', null, t('nav_overview')),
      h('p', {class: 'muted'},
        t('asOf'), ' ', h('span', {id: 'as-of'}, fmtTime(data.asOf, zone)), ` (${zone}) · `,
        t('today'), ' ', data.periods.day, ' · ', t('week'), ' ', data.periods.week, ' · ', t('month'), ' ', data.periods.month,
        ' · ', t('zoneNote')),
      h('div', {class: 'filters'},
        h('label', null, t('date'), ' ', h('input', {type: 'date', value: params.date || '', onchange: e => set({date: e.target.value})})),
        params.date ? h('button', {type: 'button', onclick: () => set({date: ''})}, t('latest')) : null,
        h('input', {type: 'search', id: 'q', placeholder: t('search'), value: params.q || '',
          onchange: e => set({q: e.target.value.trim()})}),
        h('label', null, h('input', {type: 'checkbox', id: 'only-under', checked: params.under === '1',
          onchange: e => set({under: e.target.checked ? '1' : ''})}), ' ', t('onlyUnder')),
        h('label', null, t('basis'), ' ', h('select', {id: 'basis', onchange: e => set({basis: e.target.value})},
          SCOPES.map(s => h('option', {value: s, selected: s === basis}, t(s === 'day' ? 'today' : s))))),
        h('label', null, t('sort'), ' ', h('select', {id: 'sort', onchange: e => set({sort: e.target.value})},
          h('option', {value: 'code', selected: sort === 'code'}, t('sort_code')),
          h('option', {value: 'under', selected: sort === 'under'}, t('sort_under')),
          data.kpis.map(k => h('option', {value: k, selected: sort === k}, t('sort_kpi', label('kpi', k))))))));

    clear(cards).append(
      h('div', {class: 'card company', id: 'company'},
        h('h3', null, companyLabel(t), h('span', {class: 'muted small'}, ' · ', t('clickCompany'))),
        h('div', {class: 'card-grid'}, data.kpis.map(k => {
          const c = data.company[k];
          return h('div', {class: 'kpi-card', dataset: {kpi: k}},
            h('div', {class: 'kpi-name'}, label('kpi', k)),
            h('div', {class: 'muted small'}, data.targets[k] != null ? `${t('target')} ≥ ${pct(data.targets[k])}` : t('reportedOnly')),
            SCOPES.map(s => h('div', {class: 'line'},
              value(c[s], {href: href('overview', Object.assign({}, query, {offset: 0, sort: k, basis: s})),
                dataset: {community: '*', kpi: k, scope: s, period: data.periods[s]}}))));
        }))),
      h('p', {class: 'summary', id: 'under-summary'},
        t('underSummary', data.underCommunities, data.communities, t(basis === 'day' ? 'today' : basis))));

    const rows = data.items.map(r => h('tr', {dataset: {community: r.community}},
      h('th', {scope: 'row', class: 'community-cell'},
        h('div', {class: 'code'}, r.community), r.name ? h('div', {class: 'muted small'}, r.name) : null,
        r.under > 0 ? h('div', {class: 'under-count'}, '▼ ' + r.under) : null),
      data.kpis.map(k => h('td', {class: 'stack'}, SCOPES.map(s => value(r.kpis[k][s], {
        href: r.kpis[k][s] ? href('drill', {community: r.community, kpi: k, period: r.periods[s]}) : null,
        dataset: {community: r.community, kpi: k, scope: s, period: r.periods[s]}}))))));
    clear(body).append(
      h('p', {class: 'muted small legend'}, t('legend')),
      h('div', {class: 'scroll'}, h('table', {class: 'grid overview', id: 'overview-table'},
        h('thead', null, h('tr', null, h('th', null, t('community')),
          data.kpis.map(k => h('th', {dataset: {kpi: k}}, label('kpi', k),
            h('div', {class: 'muted small'}, data.targets[k] != null ? '≥ ' + pct(data.targets[k]) : t('reportedOnly')))))),
        h('tbody', null, rows))),
      pager(data.total, data.limit, data.offset, o => app.go('overview', Object.assign({}, query, {offset: o}))));
  }

  const offKpi = live.on('kpi', () => { dirty = true; });
  // The first connection is not a reconnection: the load below already has everything; a
  // redraw then would only replace the table under the user's pointer.
  let connectedOnce = live.liveStatus() === 'open';
  const offOpen = live.on('open', () => {
    if (connectedOnce) dirty = true;
    connectedOnce = true;
  });
  const timer = setInterval(() => {
    if (dirty && alive) {
      dirty = false;
      load();
    }
  }, 3000);
  load();
  return () => {
    alive = false;
    offKpi();
    offOpen();
    clearInterval(timer);
  };
}
