// Trends: one KPI per community by month, ISO week or day (the last N, or any range from–to) with
// its target line (90% for timeliness), the company (or a limited token's own total) beside the
// communities compared; and complaints per handbook category per month, each chart with its
// numbers in a table beside it.

import {h, clear} from '../dom.js';
import {t, label, pct} from '../i18n.js';
import {get, companyLabel} from '../api.js';
import {chart} from '../charts.js';
import {errorBox, loading, ready, exportButtons} from './common.js';

const KPIS = ['kpi.timeliness', 'kpi.response', 'kpi.follow-up', 'kpi.satisfaction', 'kpi.repair-timeliness',
  'kpi.patrol-coverage', 'kpi.repair-completion', 'kpi.rework', 'kpi.calls'];

export default function trends(root, params, app) {
  let alive = true;
  const disposers = [];
  const kpi = params.kpi || 'kpi.timeliness';
  const months = Number(params.months) || 6;
  const community = params.community || '';
  const scope = params.scope || '*';
  const by = ['day', 'week', 'month'].includes(params.by) ? params.by : 'month';
  const from = params.from || '';
  const to = params.to || '';
  const state = {kpi, months, community, scope, by, from, to};
  // A chart finished after the view was left is disposed at once.
  const keep = dispose => (alive ? disposers.push(dispose) : dispose());
  const go = changes => app.go('trends', Object.assign({}, state, changes));

  const communities = h('input', {type: 'search', id: 't-communities', value: community, placeholder: t('worstDefault'),
    size: 40, onchange: e => go({community: e.target.value.trim()})});
  root.append(h('div', {class: 'view-head'}, h('h2', null, t('trends_title')),
    h('div', {class: 'filters'},
      h('label', null, t('kpi'), ' ', h('select', {id: 't-kpi', onchange: e => go({kpi: e.target.value})},
        KPIS.map(k => h('option', {value: k, selected: k === kpi}, label('kpi', k))))),
      h('label', null, t('grain'), ' ', h('select', {id: 't-by', onchange: e => go({by: e.target.value})},
        ['month', 'week', 'day'].map(g => h('option', {value: g, selected: g === by}, t('by_' + g))))),
      by === 'month' && !from && !to ? h('label', null, t('months'), ' ', h('select', {id: 't-months', onchange: e => go({months: e.target.value})},
        [3, 6, 12, 24].map(n => h('option', {value: n, selected: n === months}, String(n))))) : null,
      h('label', null, t('from'), ' ', h('input', {type: 'date', id: 't-from', value: from, onchange: e => go({from: e.target.value})})),
      h('label', null, t('to'), ' ', h('input', {type: 'date', id: 't-to', value: to, onchange: e => go({to: e.target.value})})),
      h('label', null, t('communities'), ' ', communities))));
  const lineBox = h('div', {class: 'chart', id: 'trend-chart'});
  const lineTable = h('div', {class: 'scroll'}, loading());
  const catHead = h('div', {class: 'filters'});
  const barBox = h('div', {class: 'chart', id: 'category-chart'});
  const catTable = h('div', {class: 'scroll'}, loading());
  root.append(lineBox, lineTable, h('h2', null, t('categories_title')), catHead, barBox, catTable);

  async function loadTrend() {
    let d;
    try {
      const q = {kpi, community, by};
      if (from) q.from = from;
      if (to) q.to = to;
      if (by === 'month' && !from && !to) q.months = months;
      d = await get('/api/dashboard/trends', q);
    } catch (e) {
      if (alive) clear(lineTable).append(errorBox(e, loadTrend));
      return;
    }
    if (!alive) return;
    const name = s => s.community === '*' ? companyLabel(t) : s.community + (s.name ? ' ' + s.name : '');
    const shown = [[t('kpi'), label('kpi', kpi)], [t('grain'), t('by_' + by)],
      [t('from'), d.periods[0] || ''], [t('to'), d.periods[d.periods.length - 1] || ''],
      [t('communities'), d.series.map(name).join('、')], [t('target'), d.target != null ? pct(d.target) : '']];
    clear(lineTable).append(exportButtons(() => document.getElementById('trend-table'),
      `${t('trends_title')}-${label('kpi', kpi)}-${t('by_' + by)}`, shown), h('table', {class: 'grid', id: 'trend-table'},
      h('thead', null, h('tr', null, h('th', null, t('community')), d.periods.map(m => h('th', null, m)))),
      h('tbody', null, d.series.map(s => h('tr', {dataset: {community: s.community}}, h('th', {scope: 'row'}, name(s)),
        s.points.map(p => h('td', {class: p && p.met === false ? 'under' : '', title: p ? `${p.numerator} / ${p.denominator}` : ''},
          p && p.met === false ? '▼ ' : '', p ? pct(p.value) : '—')))))));
    const markLine = d.target != null ? {silent: true, symbol: 'none', lineStyle: {type: 'dashed', color: '#c62828'},
      label: {formatter: t('line90', pct(d.target))}, data: [{yAxis: Math.round(d.target * 1000) / 10}]} : undefined;
    keep(await chart(lineBox, {
      legend: {type: 'scroll', top: 0},
      grid: {left: 50, right: 90, top: 40, bottom: 30},
      xAxis: {type: 'category', data: d.periods},
      yAxis: {type: 'value', min: v => Math.max(0, Math.floor(v.min / 10) * 10 - 10), max: 100, axisLabel: {formatter: '{value}%'}},
      series: d.series.map((s, i) => ({
        name: name(s), type: 'line', connectNulls: false, symbolSize: 6,
        lineStyle: {width: s.community === '*' ? 4 : 1.5},
        data: s.points.map(p => p ? Math.round(p.value * 1000) / 10 : null),
        markLine: i === 0 ? markLine : undefined,
      })),
    }));
    ready('trends');
  }

  async function loadCategories() {
    let d;
    try {
      d = await get('/api/dashboard/categories', {community: scope, months});
    } catch (e) {
      if (alive) clear(catTable).append(errorBox(e, loadCategories));
      return;
    }
    if (!alive) return;
    clear(catHead).append(h('label', null, t('categoryScope'), ' ',
      h('input', {type: 'search', id: 'c-scope', value: scope === '*' ? '' : scope, placeholder: companyLabel(t),
        onchange: e => go({scope: e.target.value.trim() || '*'})})));
    const buckets = d.categories.concat(['collective', 'major', 'repeat']);
    clear(catTable).append(h('table', {class: 'grid', id: 'category-table'},
      h('thead', null, h('tr', null, h('th', null, t('category')), d.months.map(m => h('th', null, m)))),
      h('tbody', null,
        buckets.map(b => h('tr', {dataset: {category: b}, class: d.categories.includes(b) ? '' : 'extra'},
          h('th', {scope: 'row'}, label('category', b)), d.counts[b].map(n => h('td', {class: 'num'}, String(n))))),
        h('tr', {class: 'total'}, h('th', {scope: 'row'}, t('total')), d.totals.map(n => h('td', {class: 'num'}, String(n)))))));
    keep(await chart(barBox, {
      legend: {type: 'scroll', top: 0},
      grid: {left: 50, right: 20, top: 40, bottom: 30},
      xAxis: {type: 'category', data: d.months},
      yAxis: {type: 'value'},
      series: d.categories.map(c => ({name: label('category', c), type: 'bar', stack: 'all', data: d.counts[c]})),
    }));
  }

  loadTrend();
  loadCategories();
  return () => {
    alive = false;
    disposers.forEach(f => f());
  };
}
