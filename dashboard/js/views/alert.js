// One alert's page, where the link in every message leads (alerts.html#<id> → #/alert?id=<id>):
// what it is about in words, its findings with their tickets linked to the timelines, what
// happened to it (sent, escalated, held, acknowledged, with times in the community's zone),
// its deliveries per receiver, and acknowledge (as myself) / silence from here.

import {h, clear, href} from '../dom.js';
import {t, tt, label, fmtTime, pct} from '../i18n.js';
import {get, nameOf, who} from '../api.js';
import {errorBox, loading, communityCell, kindBadge, ready} from './common.js';
import {statusBadge, ackButton} from './alerts.js';
import {valueText} from '../explain.js';

export default function alert(root, params, app) {
  let alive = true;
  const body = h('div', null, loading());
  root.append(h('p', null, h('a', {href: href('alerts', {}), id: 'back-to-inbox'}, '← ' + t('alerts_title'))), body);

  function load() {
    get('/api/alerts/' + encodeURIComponent(params.id || '')).then(a => {
      if (!alive) return;
      clear(body).append(draw(a));
      ready('alert');
    }).catch(err => {
      if (!alive) return;
      clear(body).append(errorBox(err, load));
    });
  }

  function draw(a) {
    const zone = a.zone;
    const me = who();
    const admin = !me || me.role === 'admin';
    const facts = [
      [t('status'), statusBadge(a)],
      [t('community'), communityCell(a.community)],
      [t('kind'), kindBadge(a.kind)],
      [t('routedRole'), label('role', a.role)],
      [t('currentRole'), label('role', a.currentRole) + (a.escalation ? ' ↑' + a.escalation : '')],
      [t('openedAt'), fmtTime(a.openedAt, zone)],
      [t('sentAt'), fmtTime(a.sentAt, zone)],
      [t('ackDue'), a.status === 'resolved' ? '' : fmtTime(a.ackDue, zone)],
      [t('resolvedAt'), a.resolvedAt ? h('span', {id: 'alert-resolved-at'}, fmtTime(a.resolvedAt, zone)) : ''],
      [t('firing'), a.fires > 1 ? t('fires', a.fires) : ''],
      [t('ackedBy'), a.ackedBy ? t('ackDone', a.ackedBy) + ' · ' + fmtTime(a.ackedAt, zone) : ''],
    ].filter(([, v]) => v !== '' && v != null);
    const actions = h('div', {class: 'actions'},
      ackButton(a, load),
      !a.yours && !a.ackedAt && a.status === 'sent' ? h('p', {class: 'muted small', id: 'not-yours'}, t('notYours')) : null,
      h('a', {class: 'button', id: 'silence-this', href: href('silences', {community: a.community, rule: a.rule})}, t('silenceThis')));
    return h('article', {class: 'alert-page', id: 'alert-page', dataset: {id: a.id}},
      h('h2', null, a.emergency ? h('span', {class: 'badge emergency'}, t('emergency')) : null, ' ',
        label('rule', a.rule), h('span', {class: 'muted small'}, ' ' + (nameOf(a.community) || a.community))),
      h('dl', {class: 'facts'}, facts.map(([k, v]) => [h('dt', null, k), h('dd', null, v)])),
      actions,
      h('h3', null, t('findings'), ' (', String(a.findings.length), ')'),
      h('ul', {class: 'finding-list', id: 'alert-findings'}, a.findings.map(f => findingItem(f, zone))),
      a.folded && a.folded.length ? [h('h3', null, t('foldedAway', a.folded.length)),
        h('ul', {class: 'finding-list'}, a.folded.map(f => findingItem(f, zone)))] : null,
      h('h3', null, t('escalationPath')),
      h('ol', {class: 'log', id: 'alert-log'}, a.log.map(e => h('li', null,
        h('span', {class: 'nowrap'}, fmtTime(e.at, zone)), ' ', h('strong', null, tt('act', e.action)), ' · ',
        label('role', e.role), e.escalation ? ' ↑' + e.escalation : ''))),
      a.deliveries && a.deliveries.length ? [h('h3', null, t('deliveries')),
        h('ul', {class: 'delivery-list', id: 'alert-deliveries'}, a.deliveries.map(d => h('li', {class: 'delivery-' + d.status},
          h('strong', null, tt('dl', d.status)), ' · ', label('role', d.role), ' · ', label('channel', d.channel),
          /\+(\d+\/)?resolved$/.test(d.key || '') ? ' · ' + t('resolvedNotice') : null,
          // a receiver's address (a robot's URL holds its token) and the raw error are the administrators'
          admin && d.channel !== 'dashboard' ? [' ', h('span', {class: 'mono small'}, d.address)] : null,
          ' · ', t('attempts'), ' ', String(d.attempts),
          d.lastError ? h('div', {class: 'small error', title: admin ? d.lastError : null}, t('sendFailed')) : null)))] : null);
  }

  function findingItem(f, zone) {
    const ticket = f.details && typeof f.details.ticket === 'string' ? f.details.ticket : null;
    const tickets = f.details && Array.isArray(f.details.tickets) ? f.details.tickets : [];
    return h('li', {class: 'finding', dataset: {id: f.id}},
      h('div', null, kindBadge(f.kind), ' ', h('strong', null, label('rule', f.rule)), ' · ', fmtTime(f.at, zone)),
      h('div', {class: 'small'}, t('subject'), '：', ticket ? h('a', {href: href('ticket', {community: f.community, ticket})}, f.subject) : f.subject,
        tickets.length ? [' · ', t('ticket'), '：', tickets.map((x, i) => [i ? '、' : '',
          h('a', {href: href('ticket', {community: f.community, ticket: x})}, x)])] : null),
      f.dueAt && f.dueAt !== f.at ? h('div', {class: 'small'}, t('due'), '：', fmtTime(f.dueAt, zone)) : null,
      kpiLine(f.details),
      f.clause ? h('div', {class: 'small muted'}, t('clause'), '：', f.clause) : null,
      h('div', {class: 'small muted details'}, fieldsText(f.details, zone)));
  }

  // A KPI's value against its target with the count behind it.
  function kpiLine(d) {
    if (!d || d.kpi == null || d.value == null) return null;
    return h('div', {class: 'kpi-line'}, label('kpi', d.kpi), ' ', d.period || '', '：', pct(d.value),
      d.denominator != null ? '（' + d.numerator + '/' + d.denominator + '）' : '', ' · ', t('target'), ' ', pct(d.target));
  }

  // The other details a person reads, by their names; the computed explanations and ids stay out.
  function fieldsText(d, zone) {
    if (!d || typeof d !== 'object') return '';
    const names = t('fields');
    return Object.entries(d).filter(([k, v]) => names[k] && v != null && typeof v !== 'object')
      .map(([k, v]) => names[k] + '：' + valueText(k, v, zone))
      .join(' · ');
  }

  load();
  return () => { alive = false; };
}
