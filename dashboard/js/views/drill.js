// Drill-down: one community's KPI in one period → the tickets behind its numerator and
// denominator (from the community's engine) → a ticket's timeline. KPIs counted per call,
// building-day or follow-up show the findings of their rule in the period instead.

import {h, clear, href} from '../dom.js';
import {t, label, pct, fmtTime} from '../i18n.js';
import {get} from '../api.js';
import {pager, errorBox, loading, findingRow, findingsHeader, ready, exportButtons} from './common.js';

export default function drill(root, params, app) {
  let alive = true;
  const limit = Math.min(Number(params.limit) || 50, 500);
  const offset = Number(params.offset) || 0;
  // What pulls a rate down is what is not in its numerator; for the rework rate it is the numerator.
  const inDefault = params.kpi === 'kpi.rework' ? 'numerator' : 'other';
  const base = {community: params.community, kpi: params.kpi, period: params.period};
  const which = params.in || inDefault;
  const body = h('div', null, loading());
  root.append(body);

  async function load() {
    let d;
    try {
      d = await get('/api/dashboard/tickets', Object.assign({}, base, {in: which, limit, offset}));
      if (d.mode === 'findings') {
        d.findings = await get('/api/findings', {community: d.community, rule: d.rule, kind: d.kind, from: d.from,
          to: d.to, limit, offset});
      }
    } catch (e) {
      if (alive) clear(body).append(errorBox(e, load));
      return;
    }
    if (!alive) return;
    const v = d.value;
    const head = h('div', {class: 'view-head'},
      h('p', null, h('a', {href: href('overview', {})}, '← ' + t('nav_overview'))),
      h('h2', null, t('drill_title')),
      h('p', {class: 'drill-head'},
        h('strong', null, d.community), d.name ? ' ' + d.name : '', ' · ', h('strong', {id: 'drill-kpi'}, label('kpi', d.kpi)),
        ' · ', d.period, ' · ',
        v ? h('span', {class: v.met === false ? 'under' : ''}, v.met === false ? '▼ ' : '', pct(v.value),
          ` (${t('numerator')} ${v.numerator} / ${t('denominator')} ${v.denominator})`,
          v.target != null ? ` · ${t('target')} ${pct(v.target)}` : '') : '—'));
    if (d.mode === 'findings') {
      const f = d.findings;
      clear(body).append(head, h('p', {class: 'muted'}, t('findingsMode'), ' ', label('rule', d.rule), ` (${d.rule})`),
        h('div', {class: 'scroll'}, h('table', {class: 'grid findings'},
          h('thead', null, h('tr', null, findingsHeader().map(x => h('th', null, x)))),
          h('tbody', null, f.items.map(x => findingRow(x, false))))),
        pager(f.total, limit, offset, o => app.go('drill', Object.assign({}, base, {in: which, offset: o}))));
      ready('drill');
      return;
    }
    const tabs = h('div', {class: 'tabs', role: 'tablist'}, [
      ['all', t('in_all', d.denominator)],
      ['numerator', t('in_numerator', d.numerator)],
      ['other', t('in_other', d.denominator - d.numerator)],
    ].map(([k, text]) => h('a', {href: href('drill', Object.assign({}, base, {in: k})), role: 'tab',
      class: 'tab' + (k === which ? ' active' : ''), 'aria-selected': k === which ? 'true' : 'false', dataset: {in: k}}, text)));
    const rows = d.items.map(x => h('tr', {dataset: {ticket: x.ticket}},
      h('td', null, h('a', {class: 'ticket-link', href: href('ticket', {community: d.community, ticket: x.ticket})}, x.ticket)),
      h('td', null, label('ticketKind', x.kind)),
      h('td', null, x.category ? label('category', x.category) : ''),
      h('td', {class: 'nowrap'}, fmtTime(x.receivedAt, d.zone)),
      h('td', {class: 'summary'}, x.summary || ''),
      h('td', null, (x.breached || []).map(r => h('div', {class: 'small', title: r}, label('rule', r)))),
      h('td', null, x.inNumerator ? t('yes') : t('no'))));
    const shown = [[t('community'), `${d.community} ${d.name || ''}`.trim()], [t('kpi'), label('kpi', d.kpi)], [t('period'), d.period],
      [t('inNumerator'), {all: t('in_all', d.denominator), numerator: t('in_numerator', d.numerator),
        other: t('in_other', d.denominator - d.numerator)}[which]],
      [t('total'), t('page', d.total === 0 ? 0 : offset + 1, offset + d.items.length, d.total)]];
    clear(body).append(head, tabs, exportButtons(() => document.getElementById('drill-tickets'),
      `${t('drill_title')}-${d.community}-${d.kpi}-${d.period}`, shown),
      h('div', {class: 'scroll'}, h('table', {class: 'grid', id: 'drill-tickets'},
        h('thead', null, h('tr', null, [t('ticket'), t('ticketKind'), t('category'), t('received'), t('summary'),
          t('breached'), t('inNumerator')].map(x => h('th', null, x)))),
        h('tbody', null, rows))),
      pager(d.total, limit, offset, o => app.go('drill', Object.assign({}, base, {in: which, offset: o}))));
    ready('drill');
  }

  load();
  return () => { alive = false; };
}
