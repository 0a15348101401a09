// Rules: hits per rule over a period (and per community for the rule clicked), and the loaded
// rules that never fired in it: a rule that never fires is either never broken or wrong.

import {h, clear, href} from '../dom.js';
import {t, label, localDate} from '../i18n.js';
import {get, dir} from '../api.js';
import {chart} from '../charts.js';
import {pager, errorBox, loading, communityCell, ready} from './common.js';

function monthStart(date) {
  return date.slice(0, 8) + '01';
}

function monthEnd(date) {
  const [y, m] = date.split('-').map(Number);
  const last = new Date(Date.UTC(y, m, 0)).getUTCDate();
  return `${date.slice(0, 8)}${String(last).padStart(2, '0')}`;
}

function previousMonth(date) {
  const [y, m] = date.split('-').map(Number);
  const py = m === 1 ? y - 1 : y;
  const pm = m === 1 ? 12 : m - 1;
  return `${py}-${String(pm).padStart(2, '0')}-01`;
}

export default function rules(root, params, app) {
  let alive = true;
  const disposers = [];
  const keep = dispose => (alive ? disposers.push(dispose) : dispose());
  const today = localDate(dir().asOf || new Date().toISOString(), dir().companyZone);
  const from = params.all === '1' ? '' : (params.from || monthStart(today));
  const to = params.all === '1' ? '' : (params.to || today);
  const community = params.community || '';
  const rule = params.rule || '';
  const limit = Math.min(Number(params.limit) || 50, 500);
  const offset = Number(params.offset) || 0;
  const state = {from, to, community, rule, all: params.all};
  const go = changes => app.go('rules', Object.assign({}, state, {offset: 0}, changes));

  root.append(h('div', {class: 'view-head'}, h('h2', null, t('rules_title')),
    h('div', {class: 'filters'},
      h('label', null, t('from'), ' ', h('input', {type: 'date', id: 'r-from', value: from, onchange: e => go({from: e.target.value, all: ''})})),
      h('label', null, t('to'), ' ', h('input', {type: 'date', id: 'r-to', value: to, onchange: e => go({to: e.target.value, all: ''})})),
      h('button', {type: 'button', onclick: () => go({from: monthStart(today), to: today, all: ''})}, t('thisMonth')),
      h('button', {type: 'button', onclick: () => { const p = previousMonth(today); go({from: p, to: monthEnd(p), all: ''}); }}, t('lastMonth')),
      h('button', {type: 'button', id: 'r-all', onclick: () => go({from: '', to: '', all: '1'})}, t('allTime')),
      h('input', {type: 'search', id: 'r-community', placeholder: t('community'), value: community,
        onchange: e => go({community: e.target.value.trim()})}))));
  const chartBox = h('div', {class: 'chart', id: 'rules-chart'});
  const body = h('div', null, loading());
  root.append(chartBox, body);

  async function load() {
    let d;
    try {
      d = await get('/api/dashboard/rules', {from, to, community, rule, limit, offset});
    } catch (e) {
      if (alive) clear(body).append(errorBox(e, load));
      return;
    }
    if (!alive) return;
    const rows = d.rules.map(r => h('tr', {class: (r.hits === 0 ? 'never' : '') + (r.id === rule ? ' selected' : ''), dataset: {rule: r.id}},
      h('td', null, h('a', {href: href('rules', Object.assign({}, state, {rule: r.id}))}, label('rule', r.id)),
        h('div', {class: 'muted small'}, r.id)),
      h('td', {class: 'small'}, r.clause || ''),
      h('td', null, label('role', r.notify)),
      h('td', {class: 'num hits'}, String(r.hits)),
      h('td', {class: 'num'}, String(r.violation)),
      h('td', {class: 'num'}, String(r.alert)),
      h('td', {class: 'num'}, String(r.warning)),
      h('td', {class: 'num'}, String(r.communities)),
      h('td', {class: 'small mono'}, r.file || '')));
    const never = d.neverFired.length
      ? h('ul', {id: 'never-fired'}, d.neverFired.map(id => h('li', {dataset: {rule: id}}, label('rule', id), ' ',
        h('span', {class: 'muted small'}, id), d.neverFiredEver.includes(id) ? h('span', {class: 'muted small'}, t('neverEver')) : null)))
      : h('p', {class: 'muted', id: 'never-fired'}, t('noneNever'));
    const parts = [
      h('p', {class: 'muted small'}, `${t('rulesVersion')} ${d.version} · ${d.from || '…'} – ${d.to || '…'} (${d.zone})`),
      h('div', {class: 'scroll'}, h('table', {class: 'grid', id: 'rules-table'},
        h('thead', null, h('tr', null, [t('rule'), t('clause'), t('role'), t('hits'), t('violation'), t('alert'), t('warning'),
          t('communitiesHit'), t('file')].map(x => h('th', null, x)))),
        h('tbody', null, rows))),
      h('h3', null, t('neverFired')), never,
    ];
    if (d.breakdown) {
      const b = d.breakdown;
      parts.push(h('h3', {id: 'breakdown-title'}, t('perCommunity', label('rule', b.rule) + ' (' + b.rule + ')')),
        h('table', {class: 'grid', id: 'rule-breakdown'},
          h('thead', null, h('tr', null, [t('community'), t('hits'), t('violation'), t('alert'), t('warning')].map(x => h('th', null, x)))),
          h('tbody', null, b.items.map(x => h('tr', {dataset: {community: x.community}},
            h('td', null, h('a', {href: href('live', {community: x.community, rule: b.rule})}, communityCell(x.community))),
            h('td', {class: 'num'}, String(x.hits)), h('td', {class: 'num'}, String(x.violation)),
            h('td', {class: 'num'}, String(x.alert)), h('td', {class: 'num'}, String(x.warning)))))),
        pager(b.total, limit, offset, o => app.go('rules', Object.assign({}, state, {offset: o}))));
    }
    clear(body).append(...parts);
    ready('rules');
    const shown = d.rules.filter(r => r.hits > 0).slice(0, 30).reverse();
    keep(await chart(chartBox, {
      legend: {top: 0},
      grid: {left: 220, right: 30, top: 30, bottom: 20},
      tooltip: {trigger: 'axis', axisPointer: {type: 'shadow'}},
      yAxis: {type: 'category', data: shown.map(r => label('rule', r.id))},
      xAxis: {type: 'value'},
      series: ['violation', 'alert', 'warning'].map(k => ({name: label('kind', k), type: 'bar', stack: 'all',
        data: shown.map(r => r[k])})),
    }));
  }

  load();
  return () => {
    alive = false;
    disposers.forEach(f => f());
  };
}
