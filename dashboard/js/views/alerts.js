// The alert inbox (issue 19): what is routed to my roles and communities ("mine", the default
// for a manager), or every alert I may see; newest first, a page at a time, filtered by status,
// rule, community and time. A row opens the alert's page; "acknowledge" is offered only on the
// alerts the server says are mine to acknowledge, and acknowledges as the logged-in token.

import {h, clear, href} from '../dom.js';
import {t, tt, label, fmtTime} from '../i18n.js';
import {get, send, zoneOf, who, dir} from '../api.js';
import {pager, errorBox, loading, communityCell, kindBadge, ready} from './common.js';

const STATUSES = ['sent', 'acked', 'resolved', 'held', 'collecting', 'silenced', 'folded', 'withdrawn'];

export function statusBadge(a) {
  return h('span', {class: 'badge status-' + a.status}, tt('st', a.status));
}

/** Acknowledge as myself; then redraw. */
export function ackButton(a, after) {
  if (!a.yours || a.ackedAt || !['sent', 'held', 'collecting'].includes(a.status)) return null;
  const b = h('button', {type: 'button', class: 'ack', dataset: {ack: a.id}, onclick: async e => {
    e.preventDefault();
    e.stopPropagation();
    b.disabled = true;
    try {
      await send('POST', '/api/alerts/' + encodeURIComponent(a.id) + '/ack', {});
      after();
    } catch (err) {
      b.disabled = false;
      b.after(h('div', {class: 'error small'}, err.message));
    }
  }}, t('ack'));
  return b;
}

export default function alerts(root, params, app) {
  let alive = true;
  const me = who();
  const managerLike = me && (me.role === 'manager' || (me.duties && me.duties.length));
  const filter = {
    mine: params.mine != null ? params.mine : managerLike ? 'true' : '',
    status: params.status || '', rule: params.rule || '', community: params.community || '',
    from: params.from || '', to: params.to || '',
  };
  const limit = 20;
  const offset = Number(params.offset) || 0;
  const go = changes => app.go('alerts', Object.assign({}, filter, {offset: 0}, changes));

  const ruleSelect = h('select', {id: 'f-rule', onchange: e => go({rule: e.target.value})}, h('option', {value: ''}, t('all')));
  const form = h('div', {class: 'filters'},
    h('select', {id: 'f-mine', onchange: e => go({mine: e.target.value})},
      h('option', {value: 'true', selected: filter.mine === 'true'}, t('mine')),
      h('option', {value: 'false', selected: filter.mine !== 'true'}, t('allVisible'))),
    h('label', null, t('status'), ' ', h('select', {id: 'f-status', onchange: e => go({status: e.target.value})},
      h('option', {value: ''}, t('all')),
      STATUSES.map(s => h('option', {value: s, selected: s === filter.status}, tt('st', s))))),
    h('label', null, t('rule'), ' ', ruleSelect),
    h('input', {type: 'search', id: 'f-community', placeholder: t('community'), value: filter.community,
      onchange: e => go({community: e.target.value.trim()})}),
    h('label', null, t('from'), ' ', h('input', {type: 'date', id: 'f-from', value: filter.from,
      onchange: e => go({from: e.target.value})})),
    h('label', null, t('to'), ' ', h('input', {type: 'date', id: 'f-to', value: filter.to,
      onchange: e => go({to: e.target.value})})));
  const body = h('div', null, loading());
  root.append(h('div', {class: 'view-head'}, h('h2', null, t('alerts_title')), h('p', {class: 'muted'}, t('alertsHint')), form), body);

  get('/api/rules').then(r => {
    if (!alive) return;
    const ids = [...new Set(r.rules.map(x => x.id).filter(Boolean))].sort();
    ruleSelect.append(...ids.map(id => h('option', {value: id, selected: id === filter.rule}, label('rule', id))));
  }).catch(() => null);

  // A date filter is a local day: from its midnight in the company's zone to the next.
  const day = (d, next) => {
    if (!d) return null;
    const zone = dir().companyZone || 'Asia/Shanghai';
    const utc = new Date(d + 'T00:00:00Z');
    const shown = new Date(utc.toLocaleString('en-US', {timeZone: zone}));
    const plain = new Date(utc.toLocaleString('en-US', {timeZone: 'UTC'}));
    const x = new Date(utc.getTime() - (shown - plain));
    if (next) x.setUTCDate(x.getUTCDate() + 1);
    return x.toISOString();
  };

  function load() {
    get('/api/alerts', {mine: filter.mine === 'true' ? 'true' : null, status: filter.status, rule: filter.rule,
      community: filter.community, from: day(filter.from), to: day(filter.to, true), limit, offset}).then(a => {
      if (!alive) return;
      clear(body);
      if (!a.items.length) {
        body.append(h('p', {class: 'muted', id: 'alerts-empty'}, t('none')));
      }
      body.append(h('ul', {class: 'alert-list', id: 'alert-list'}, a.items.map(x => row(x))));
      body.append(pager(a.total, limit, offset, o => app.go('alerts', Object.assign({}, filter, {offset: o}))));
      ready('alerts');
    }).catch(err => {
      if (!alive) return;
      clear(body).append(errorBox(err, load));
    });
  }

  function row(a) {
    const zone = a.zone || zoneOf(a.community);
    const when = a.sentAt || a.openedAt;
    return h('li', {class: 'alert-item status-' + a.status, dataset: {id: a.id, community: a.community, rule: a.rule}},
      h('a', {class: 'alert-link', href: href('alert', {id: a.id})},
        h('div', {class: 'alert-line1'}, statusBadge(a), ' ', a.emergency ? h('span', {class: 'badge emergency'}, t('emergency')) : null,
          ' ', kindBadge(a.kind), ' ', h('strong', {class: 'rule-name'}, label('rule', a.rule)),
          a.findings > 1 ? h('span', {class: 'muted'}, ' ×' + a.findings) : null),
        h('div', {class: 'alert-line2 small'}, communityCell(a.community), ' · ',
          label('role', a.currentRole), a.escalation ? ' ↑' + a.escalation : '', ' · ', fmtTime(when, zone),
          a.ackedBy ? h('span', {class: 'acked-by'}, ' · ' + t('ackDone', a.ackedBy)) : null,
          a.resolvedAt ? h('span', {class: 'resolved-at'}, ' · ' + t('resolvedAt') + ' ' + fmtTime(a.resolvedAt, zone)) : null,
          !a.ackedAt && a.ackDue && a.status !== 'resolved' ? h('span', {class: 'muted'}, ' · ' + t('ackDue') + ' ' + fmtTime(a.ackDue, zone)) : null)),
      ackButton(a, load));
  }

  load();
  // New messages, escalations, addenda and acknowledgements redraw the page (at most once a second).
  const stream = new EventSource('/api/alerts/stream');
  let pending = null;
  const refresh = () => {
    if (!pending) pending = setTimeout(() => { pending = null; if (alive) load(); }, 1000);
  };
  ['notice', 'escalation', 'addendum', 'ack'].forEach(type => stream.addEventListener(type, refresh));
  return () => {
    alive = false;
    stream.close();
    clearTimeout(pending);
  };
}
