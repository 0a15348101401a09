// Time metrics: how long things take, not only how often they are late. The median and 90th
// percentile of the time to contact, reply, arrival, resolution and follow-up of the tickets
// received in a period, per community, complaint category or channel; under each step, the
// handbook limits of the rules that measure it (@measures in rules/).

import {h, clear} from '../dom.js';
import {t, label, localDate} from '../i18n.js';
import {get, dir, nameOf, companyLabel} from '../api.js';
import {errorBox, loading, ready, exportButtons} from './common.js';

/** Minutes as a person reads them: 42 分钟 / 2 小时 05 分 / 3 天 4 小时. */
export function fmtMinutes(m) {
  if (m == null) return '—';
  const total = Math.round(m);
  const d = Math.floor(total / 1440);
  const hr = Math.floor((total % 1440) / 60);
  const min = total % 60;
  if (d > 0) return t('dur_dh', d, hr);
  if (hr > 0) return t('dur_hm', hr, min);
  return t('dur_m', min);
}

function limitText(l) {
  if (l.kind === 'same-day') return t('limit_sameDay');
  if (l.kind === 'working-days') return t('limit_wd', l.workingDays);
  return fmtMinutes(l.minutes);
}

export default function times(root, params, app) {
  let alive = true;
  const period = params.period || localDate(dir().asOf || new Date().toISOString(), dir().companyZone).slice(0, 7);
  const by = ['community', 'category', 'channel'].includes(params.by) ? params.by : 'community';
  const community = params.community || '';
  const state = {period, by, community};
  const go = changes => app.go('times', Object.assign({}, state, changes));
  root.append(h('div', {class: 'view-head'}, h('h2', null, t('times_title')), h('p', {class: 'muted'}, t('timesNote')),
    h('div', {class: 'filters'},
      h('label', null, t('period'), ' ', h('input', {id: 'times-period', value: period, size: 10, title: t('periodHint'),
        onchange: e => e.target.value && go({period: e.target.value})})),
      h('label', null, t('grain'), ' ', h('select', {id: 'times-by', onchange: e => go({by: e.target.value})},
        ['community', 'category', 'channel'].map(g => h('option', {value: g, selected: g === by}, t('group_' + g))))),
      h('label', null, t('communities'), ' ', h('input', {type: 'search', id: 'times-communities', value: community, size: 30,
        placeholder: companyLabel(t), onchange: e => go({community: e.target.value.trim()})})))));
  const body = h('div', null, loading());
  root.append(body);

  async function load() {
    let d;
    try {
      const q = {period, by};
      if (community) q.community = community;
      d = await get('/api/dashboard/times', q);
    } catch (e) {
      if (alive) clear(body).append(errorBox(e, load));
      return;
    }
    if (!alive) return;
    if (d.empty) {
      clear(body).append(h('p', {class: 'empty', id: 'times-empty'}, t('noData', d.period)));
      ready('times');
      return;
    }
    const keyName = k => k == null ? t('none') : by === 'community' ? `${k} ${nameOf(k)}`.trim()
      : label(by === 'category' ? 'category' : 'channel', k);
    const cells = m => d.metrics.flatMap(x => {
      const f = m[x];
      return [h('td', {class: 'num', dataset: {metric: x, q: 'median'}, title: `n=${f.n}`}, fmtMinutes(f.median)),
        h('td', {class: 'num', dataset: {metric: x, q: 'p90'}, title: `n=${f.n}`}, fmtMinutes(f.p90)),
        h('td', {class: 'num muted small', dataset: {metric: x, q: 'n'}}, String(f.n))];
    });
    // A rule with one limit per urgency (repair.arrival.emergency ...) names each.
    const named = (r, l) => {
      const part = l.parameter.slice(r.rule.length + 1);
      const name = label('urgency', part);
      return (name && name !== part ? name + ' ' : '') + limitText(l);
    };
    const limits = x => (d.limits[x] || []).map(r => h('div', {class: 'small limit', dataset: {rule: r.rule}},
      label('rule', r.rule), '：', r.limits.map(l => named(r, l)).join(' / ')));
    const shown = [[t('period'), d.period], [t('grain'), t('group_' + by)], [t('communities'), community || companyLabel(t)]];
    clear(body).append(h('p', null, exportButtons(() => document.getElementById('times-table'),
      `${t('nav_times')}-${d.period}-${t('group_' + by)}`, shown)), h('div', {class: 'scroll'}, h('table', {class: 'grid', id: 'times-table'},
      h('thead', null,
        h('tr', null, h('th', {rowspan: 3}, t('group_' + by)), h('th', {rowspan: 3}, t('ticketsTaken')),
          d.metrics.map(x => h('th', {colspan: 3, dataset: {metric: x}}, t('metric_' + x)))),
        h('tr', {class: 'limits'}, d.metrics.map(x => h('th', {colspan: 3, class: 'limits', dataset: {metric: x}},
          h('span', {class: 'muted small'}, t('handbookLimit')), limits(x)))),
        h('tr', null, d.metrics.flatMap(() => [h('th', null, t('median')), h('th', null, t('p90')), h('th', null, 'n')]))),
      h('tbody', null, d.rows.map(r => h('tr', {dataset: {key: r.key || ''}},
        h('th', {scope: 'row'}, keyName(r.key)), h('td', {class: 'num'}, String(r.tickets)), ...cells(r.metrics)))),
      h('tfoot', null, h('tr', {class: 'total', id: 'times-total'},
        h('th', {scope: 'row'}, d.totalScope === 'company' ? companyLabel(t) : t('selectedTotal')),
        h('td', {class: 'num'}, String(d.total.tickets)), ...cells(d.total.metrics))))));
    ready('times');
  }

  load();
  return () => { alive = false; };
}
