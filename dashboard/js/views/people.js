// Per person and per role (SYS 奖惩细则 holds people to account for these breaches): for one
// community and period, each staff id's tickets taken and the time limits they owned, met and
// breached by rule; the same per role; and the community's own total, which the rows add up to.
// A person's name leads to their time limits (breached first), each to its ticket's timeline.

import {h, clear, href} from '../dom.js';
import {t, label, pct, fmtTime, localDate} from '../i18n.js';
import {get, dir} from '../api.js';
import {errorBox, loading, ready, exportButtons} from './common.js';
import {nameOf} from '../api.js';

function defaults(params) {
  const communities = [...dir().byCode.keys()];
  const community = params.community || communities[0] || '';
  const period = params.period || localDate(dir().asOf || new Date().toISOString(), dir().companyZone).slice(0, 7);
  return {community, period};
}

function breaches(m) {
  return Object.entries(m || {}).map(([r, n]) => h('div', {class: 'small', title: r, dataset: {rule: r}}, `${label('rule', r)} ×${n}`));
}

function counts(x) {
  return [
    h('td', {class: 'num', dataset: {key: 'owned'}}, String(x.owned)),
    h('td', {class: 'num', dataset: {key: 'met'}}, String(x.met)),
    h('td', {class: 'num' + (x.breached ? ' under' : ''), dataset: {key: 'breached'}}, String(x.breached)),
    h('td', {class: 'num', dataset: {key: 'open'}}, String(x.open)),
    h('td', {class: 'num', dataset: {key: 'timeliness'}}, x.timeliness == null ? '—' : pct(x.timeliness)),
    h('td', null, breaches(x.breaches))];
}

const COUNT_HEADS = () => [t('owned'), t('metCount'), t('breachedCount'), t('openCount'), t('timeliness'), t('breachesByRule')];

function filters(app, view, p) {
  const communities = [...dir().byCode.values()];
  return h('div', {class: 'filters'},
    h('label', null, t('community'), ' ', h('select', {id: 'people-community',
      onchange: e => app.go(view, Object.assign({}, p, {community: e.target.value}))},
      communities.map(c => h('option', {value: c.community, selected: c.community === p.community ? 'selected' : null},
        `${c.community} ${c.name || ''}`)))),
    h('label', null, t('period'), ' ', h('input', {id: 'people-period', value: p.period, size: 10,
      title: t('periodHint'), onchange: e => e.target.value && app.go(view, Object.assign({}, p, {period: e.target.value}))})));
}

export default function people(root, params, app) {
  let alive = true;
  const p = defaults(params);
  root.append(h('div', {class: 'view-head'}, h('h2', null, t('people_title')), h('p', {class: 'muted'}, t('peopleNote')),
    filters(app, 'people', p)));
  const body = h('div', null, loading());
  root.append(body);

  async function load() {
    let d;
    try {
      d = await get('/api/dashboard/people', p);
    } catch (e) {
      if (alive) clear(body).append(errorBox(e, load));
      return;
    }
    if (!alive) return;
    if (d.empty) {
      clear(body).append(h('p', {class: 'empty', id: 'people-empty'}, t('noData', d.period)));
      ready('people');
      return;
    }
    const personRows = d.people.map(x => h('tr', {dataset: {staff: x.staff}},
      h('td', null, h('a', {class: 'person-link', href: href('person', {community: d.community, staff: x.staff, period: d.period})}, x.staff)),
      h('td', null, x.roles.map(r => label('role', r)).join('、')),
      h('td', {class: 'num', dataset: {key: 'tickets'}}, String(x.tickets)),
      ...counts(x)));
    const roleRows = d.roles.map(x => h('tr', {dataset: {role: x.role || ''}},
      h('td', null, x.role ? label('role', x.role) : t('none')), ...counts(x)));
    const total = d.total;
    const shown = [[t('community'), `${d.community} ${d.name || nameOf(d.community) || ''}`.trim()], [t('period'), d.period]];
    clear(body).append(
      h('h3', null, t('byPerson'), ' ', exportButtons(() => document.getElementById('people-table'),
        `${t('people_title')}-${t('byPerson')}-${d.community}-${d.period}`, shown)),
      h('div', {class: 'scroll'}, h('table', {class: 'grid', id: 'people-table'},
        h('thead', null, h('tr', null, [t('staff'), t('roles'), t('ticketsTaken'), ...COUNT_HEADS()].map(x => h('th', null, x)))),
        h('tbody', null, personRows,
          h('tr', {class: 'unnamed', id: 'people-unnamed'}, h('td', null, t('unnamed')), h('td', null, ''), h('td', null, ''), ...counts(d.unnamed))),
        h('tfoot', null, h('tr', {class: 'total', id: 'people-total'},
          h('td', null, h('strong', null, total.label)), h('td', null, t('communityTotal')),
          h('td', {class: 'num', dataset: {key: 'tickets'}}, String(total.tickets)), ...counts(total))))),
      h('h3', null, t('byRole'), ' ', exportButtons(() => document.getElementById('roles-table'),
        `${t('people_title')}-${t('byRole')}-${d.community}-${d.period}`, shown)),
      h('div', {class: 'scroll'}, h('table', {class: 'grid', id: 'roles-table'},
        h('thead', null, h('tr', null, [t('role'), ...COUNT_HEADS()].map(x => h('th', null, x)))),
        h('tbody', null, roleRows))));
    ready('people');
  }

  load();
  return () => { alive = false; };
}

/** One person's time limits in the period, breached first, each linked to its ticket. */
export function person(root, params, app) {
  let alive = true;
  const p = defaults(params);
  const body = h('div', null, loading());
  root.append(body);

  async function load() {
    let d;
    try {
      d = await get('/api/dashboard/people/' + encodeURIComponent(p.community) + '/' + encodeURIComponent(params.staff),
        {period: p.period});
    } catch (e) {
      if (alive) clear(body).append(errorBox(e, load));
      return;
    }
    if (!alive) return;
    const zone = d.zone;
    const rows = d.limits.map(x => h('tr', {class: 'state-' + x.state, dataset: {rule: x.rule, state: x.state}},
      h('td', null, x.ticket
        ? h('a', {class: 'ticket-link', href: href('ticket', {community: d.community, ticket: x.ticket})}, x.ticket)
        : h('span', {class: 'mono'}, x.subject)),
      h('td', null, label('rule', x.rule), h('div', {class: 'muted small'}, x.rule)),
      h('td', null, label('role', x.ownerRole)),
      h('td', {class: 'nowrap'}, fmtTime(x.dueAt, zone)),
      h('td', null, h('span', {class: 'badge state-' + x.state}, label('state', x.state))),
      h('td', {class: 'nowrap'}, fmtTime(x.settledAt, zone))));
    clear(body).append(
      h('div', {class: 'view-head'},
        h('p', null, h('a', {href: href('people', {community: d.community, period: d.period})}, '← ' + t('people_title'))),
        h('h2', null, t('person_title'), ' ', h('span', {class: 'mono', id: 'person-staff'}, d.staff)),
        h('p', null, `${d.community} ${d.name || ''} · ${d.period} · `, d.roles.map(r => label('role', r)).join('、'))),
      h('table', {class: 'grid', id: 'person-summary'},
        h('thead', null, h('tr', null, [t('ticketsTaken'), ...COUNT_HEADS()].map(x => h('th', null, x)))),
        h('tbody', null, h('tr', null, h('td', {class: 'num'}, String(d.tickets)), ...counts(d)))),
      h('h3', null, t('limits')),
      rows.length ? h('div', {class: 'scroll'}, h('table', {class: 'grid', id: 'person-limits'},
        h('thead', null, h('tr', null, [t('ticket'), t('rule'), t('role'), t('due'), t('state'), t('settledAt')].map(x => h('th', null, x)))),
        h('tbody', null, rows))) : h('p', {class: 'muted'}, t('none')),
      h('h3', null, t('ticketsTaken')),
      h('p', {id: 'person-tickets'}, d.ticketsTaken.length ? d.ticketsTaken.map((x, i) => [i ? ' · ' : '',
        h('a', {class: 'ticket-link', href: href('ticket', {community: d.community, ticket: x})}, x)]) : t('none')));
    ready('person');
  }

  load();
  return () => { alive = false; };
}
