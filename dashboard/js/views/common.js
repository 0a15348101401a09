// Pieces several views share: pager, error box, finding rows.

import {h, href} from '../dom.js';
import {t, label, fmtTime, currentLang} from '../i18n.js';
import {zoneOf, nameOf} from '../api.js';
import {detailsText} from '../explain.js';

export function pager(total, limit, offset, go) {
  const from = total === 0 ? 0 : offset + 1;
  const to = Math.min(total, offset + limit);
  return h('div', {class: 'pager'},
    h('button', {type: 'button', class: 'prev', disabled: offset <= 0, onclick: () => go(Math.max(0, offset - limit))}, t('prev')),
    h('span', {class: 'range'}, t('page', from, to, total)),
    h('button', {type: 'button', class: 'next', disabled: offset + limit >= total, onclick: () => go(offset + limit)}, t('next')));
}

export function errorBox(err, retry) {
  return h('div', {class: 'error', role: 'alert', title: err && err.detail || null}, t('failed'), String(err && err.message || err),
    retry ? h('button', {type: 'button', onclick: retry}, t('retry')) : null);
}

/**
 * A view has drawn its data: the first time in this document it leaves a performance mark
 * (pm:VIEW-ready, milliseconds from navigation start) for load-time measurements.
 */
export function ready(view) {
  if (!performance.getEntriesByName('pm:' + view + '-ready').length) performance.mark('pm:' + view + '-ready');
  document.body.dataset[view + 'Ready'] = String(Number(document.body.dataset[view + 'Ready'] || 0) + 1);
}

export function loading() {
  return h('p', {class: 'muted loading'}, t('loading'));
}

/** A finding's details in words (explain.js): who answers for it, KPI against target, facts, the deadline. */
export {detailsText};

export function kindBadge(kind) {
  return h('span', {class: 'badge kind-' + kind}, label('kind', kind));
}

export function communityCell(code) {
  const name = nameOf(code);
  return h('span', {class: 'community', title: code}, code, name ? h('span', {class: 'muted'}, ' ' + name) : null);
}

export function findingsHeader() {
  return [t('at'), t('community'), t('rule'), t('kind'), t('subject'), t('role'), t('clause'), t('details'), t('rulesVersion')];
}

/** One finding as a table row; times in its community's zone. */
export function findingRow(f, fresh) {
  const zone = zoneOf(f.community);
  const ticket = f.details && typeof f.details.ticket === 'string' ? f.details.ticket : null;
  return h('tr', {class: 'finding' + (fresh ? ' fresh' : ''), dataset: {id: f.id, rule: f.rule, community: f.community}},
    h('td', {class: 'nowrap', title: f.at}, fresh ? h('span', {class: 'badge new'}, t('newBadge')) : null, ' ', fmtTime(f.at, zone)),
    h('td', null, communityCell(f.community)),
    h('td', null, h('span', {title: f.rule}, label('rule', f.rule)), h('div', {class: 'muted small'}, f.rule)),
    h('td', null, kindBadge(f.kind)),
    h('td', null, ticket ? h('a', {href: href('ticket', {community: f.community, ticket})}, f.subject) : f.subject),
    h('td', null, label('role', f.notify)),
    h('td', {class: 'small'}, f.clause || ''),
    h('td', {class: 'small details'}, detailsText(f.details, zone, f)),
    h('td', {class: 'small mono'}, f.rulesVersion || ''));
}

/**
 * The headings of a drawn table, one per column: a heading spanning several columns is
 * repeated, and the rows of a multi-row head joined with " / ".
 */
function columnsOf(table) {
  const cols = [];
  const taken = [];
  table.querySelectorAll('thead tr').forEach((tr, r) => {
    let c = 0;
    for (const th of tr.children) {
      while (taken[r] && taken[r][c]) c++;
      const span = Number(th.getAttribute('colspan')) || 1;
      const down = Number(th.getAttribute('rowspan')) || 1;
      for (let i = 0; i < span; i++) {
        const text = th.innerText.trim().replace(/\s+/g, ' ');
        if (text && !(cols[c + i] || []).includes(text)) (cols[c + i] = cols[c + i] || []).push(text);
        for (let k = 1; k < down; k++) (taken[r + k] = taken[r + k] || [])[c + i] = true;
      }
      c += span;
    }
  });
  return cols.map(x => (x || []).join(' / '));
}

/**
 * CSV and XLSX buttons for a table as drawn: its headings, its rows (body and footer) and the
 * filters it was drawn with ([label, value] pairs) go to the server, which writes the file.
 */
export function exportButtons(tableOf, title, filters) {
  const send = async format => {
    const table = tableOf();
    if (!table) return;
    const rows = [...table.querySelectorAll('tbody tr, tfoot tr')].map(tr =>
      [...tr.children].map(td => td.innerText.trim())); // a cell of several lines keeps them
    const body = JSON.stringify({title, filters, headers: columnsOf(table), rows});
    const r = await fetch('/api/dashboard/export?' + new URLSearchParams({format, lang: currentLang()}),
      {method: 'POST', headers: {'Content-Type': 'application/json'}, body});
    if (!r.ok) throw new Error(r.status + ' ' + r.statusText);
    const url = URL.createObjectURL(await r.blob());
    const a = h('a', {href: url, download: title + '.' + format});
    document.body.append(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(url), 10000);
  };
  return h('span', {class: 'export'},
    h('button', {type: 'button', class: 'export-csv', onclick: () => send('csv')}, t('download'), ' CSV'),
    ' ',
    h('button', {type: 'button', class: 'export-xlsx', onclick: () => send('xlsx')}, t('download'), ' XLSX'));
}
