// One ticket's timeline: its events and its findings in time order, its deadlines with how
// each was computed, and the rules version behind every finding. Summaries, notes and reasons
// are the front desk's own words: shown as text, exactly as sent.

import {h, clear, href} from '../dom.js';
import {t, label, fmtTime} from '../i18n.js';
import {get} from '../api.js';
import {errorBox, loading, detailsText, kindBadge, ready} from './common.js';
import {deadlineText, noteText} from '../explain.js';

// Event fields worth a line of their own; the rest are in the event's tooltip.
const SHOWN = ['summary', 'note', 'reason', 'by', 'to', 'method', 'satisfied', 'score', 'onSpot', 'replyBy', 'arriveBy',
  'flag', 'special', 'validity', 'category', 'urgency', 'incident', 'channel', 'household', 'persons'];

function eventText(e, zone) {
  const parts = [];
  for (const k of SHOWN) {
    if (e[k] == null || e[k] === '') continue;
    let v = e[k];
    if (k === 'replyBy' || k === 'arriveBy') v = fmtTime(v, zone);
    else if (k === 'category' || k === 'channel' || k === 'validity' || k === 'urgency' || k === 'method') v = label(k, v);
    else if (typeof v === 'boolean') v = v ? t('yes') : t('no');
    else if (typeof v === 'object') v = JSON.stringify(v);
    parts.push(h('span', {class: 'field'}, h('span', {class: 'muted'}, (t('fields')[k] || k) + ': '), h('span', {class: 'val f-' + k}, String(v))));
  }
  return parts;
}

export default function ticket(root, params) {
  let alive = true;
  const body = h('div', null, loading());
  root.append(body);

  async function load() {
    let d;
    try {
      d = await get('/api/dashboard/tickets/' + encodeURIComponent(params.community) + '/' + encodeURIComponent(params.ticket));
    } catch (e) {
      if (alive) clear(body).append(errorBox(e, load));
      return;
    }
    if (!alive) return;
    const zone = d.zone;
    const tk = d.ticket || {};
    const entries = [];
    for (const e of d.events) entries.push({at: e.at, sort: Date.parse(e.at), event: e});
    for (const f of d.findings) entries.push({at: f.at, sort: Date.parse(f.at), finding: f});
    entries.sort((a, b) => a.sort - b.sort || (a.event ? -1 : 1));

    const items = entries.map(x => x.event
      ? h('li', {class: 'tl event', dataset: {type: x.event.type}, title: JSON.stringify(x.event)},
        h('span', {class: 'tl-time mono'}, fmtTime(x.at, zone, true)),
        h('span', {class: 'badge event'}, t('event')),
        h('strong', null, label('event', x.event.type)), ' ',
        h('span', {class: 'muted small'}, x.event.type), ' ',
        eventText(x.event, zone))
      : h('li', {class: 'tl finding kind-' + x.finding.kind, dataset: {rule: x.finding.rule}},
        h('span', {class: 'tl-time mono'}, fmtTime(x.at, zone, true)),
        kindBadge(x.finding.kind), ' ',
        h('strong', null, label('rule', x.finding.rule)), ' ',
        h('span', {class: 'muted small'}, `${x.finding.rule} · ${x.finding.clause || ''} · ${t('rulesVersion')} ${x.finding.rulesVersion}`),
        ' ', h('span', {class: 'small'}, detailsText(x.finding.details, zone, x.finding))));

    const deadlines = (d.deadlines || []).map(x => h('tr', {class: 'state-' + x.state, dataset: {rule: x.rule}},
      h('td', null, label('rule', x.rule), h('div', {class: 'muted small'}, x.rule)),
      h('td', {class: 'small'}, x.clause || ''),
      h('td', null, h('span', {class: 'badge state-' + x.state}, label('state', x.state))),
      h('td', {class: 'owner', dataset: {owner: x.owner || ''}}, x.ownerRole ? label('role', x.ownerRole) : '',
        x.owner ? h('div', null, h('a', {class: 'person-link mono', href: href('person', {community: d.community, staff: x.owner, period: (x.dueAt || '').slice(0, 7)})}, x.owner)) : null),
      h('td', {class: 'nowrap'}, fmtTime(x.startsAt, zone)),
      h('td', {class: 'nowrap'}, fmtTime(x.dueAt, zone)),
      h('td', {class: 'nowrap'}, fmtTime(x.settledAt, zone)),
      h('td', {class: 'explain small'}, x.deadline ? deadlineText(x.deadline, zone) : ''),
      h('td', {class: 'small note'}, noteText(x.note))));

    const findings = d.findings.map(f => h('tr', {dataset: {id: f.id}},
      h('td', {class: 'nowrap'}, fmtTime(f.at, zone)),
      h('td', null, label('rule', f.rule), h('div', {class: 'muted small'}, f.rule)),
      h('td', null, kindBadge(f.kind)),
      h('td', {class: 'nowrap'}, fmtTime(f.dueAt, zone)),
      h('td', null, label('role', f.notify)),
      h('td', {class: 'small'}, f.clause || ''),
      h('td', {class: 'mono small rules-version'}, f.rulesVersion),
      h('td', {class: 'small details'}, detailsText(f.details, zone, f))));

    const facts = [
      [t('ticketKind'), label('ticketKind', tk.kind)], [t('channel'), label('channel', tk.channel)],
      [t('category'), label('category', tk.category)], [t('validity'), label('validity', tk.validity)],
      [t('urgency'), label('urgency', tk.urgency)], [t('household'), tk.household], [t('incident'), tk.incident],
      [t('received'), fmtTime(tk.receivedAt, zone)], [t('state'), tk.open == null ? '' : tk.open ? t('open') : t('closed')],
    ].filter(([, v]) => v);
    clear(body).append(
      h('div', {class: 'view-head'},
        h('p', null, h('a', {href: href('overview', {}), onclick: e => {
          if (history.length > 1) {
            e.preventDefault();
            history.back();
          }
        }}, '← ' + t('back'))),
        h('h2', null, t('ticket_title'), ' ', h('span', {class: 'mono', id: 'ticket-id'}, d.id)),
        h('p', null, h('a', {href: href('overview', {q: d.community})}, d.community), d.name ? ' ' + d.name : '', ` · ${zone}`),
        h('dl', {class: 'facts'}, facts.map(([k, v]) => [h('dt', null, k), h('dd', null, v)])),
        tk.summary != null ? h('p', {class: 'ticket-summary'}, h('span', {class: 'muted'}, t('summary') + '：'),
          h('span', {id: 'ticket-summary'}, tk.summary)) : null,
        h('p', {class: 'small'}, t('currentRules'), ' ', h('span', {class: 'mono', id: 'rules-version'}, d.rulesVersion || ''))),
      h('h3', null, t('timeline')),
      h('ol', {class: 'timeline', id: 'timeline'}, items),
      h('h3', null, t('deadlines')),
      deadlines.length ? h('div', {class: 'scroll'}, h('table', {class: 'grid', id: 'deadlines'},
        h('thead', null, h('tr', null, [t('rule'), t('clause'), t('state'), t('owner'), t('startsAt'), t('due'), t('settledAt'),
          t('explain'), t('note')].map(x => h('th', null, x)))),
        h('tbody', null, deadlines))) : h('p', {class: 'muted'}, t('none')),
      h('h3', null, t('findings')),
      findings.length ? h('div', {class: 'scroll'}, h('table', {class: 'grid', id: 'ticket-findings'},
        h('thead', null, h('tr', null, [t('at'), t('rule'), t('kind'), t('due'), t('role'), t('clause'),
          t('producedBy'), t('details')].map(x => h('th', null, x)))),
        h('tbody', null, findings))) : h('p', {class: 'muted'}, t('none')));
    document.body.dataset.ticketReady = d.id;
    ready('timeline');
  }

  load();
  return () => { alive = false; delete document.body.dataset.ticketReady; };
}
