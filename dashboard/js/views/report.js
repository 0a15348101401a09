// The monthly report to the quality department (CODE 4.12.1): a page of it to look at, and the
// whole of it as CSV or XLSX, in the page's language.

import {h, clear} from '../dom.js';
import {t, pct, currentLang, localDate, fmtTime} from '../i18n.js';
import {get, dir} from '../api.js';
import {pager, errorBox, loading, ready} from './common.js';

function cell(col, v, under) {
  if (v == null || v === '') return h('td', null, '');
  if (col.type === 'percent') {
    const bad = under.includes(col.key);
    return h('td', {class: 'num' + (bad ? ' under' : ''), dataset: {key: col.key}}, bad ? '▼ ' : '', pct(v));
  }
  return h('td', {class: col.type === 'int' ? 'num' : '', dataset: {key: col.key}}, String(v));
}

// What the schedule's mailer wrote (ReportMail) in the page's language; its words stay in the tooltip.
function sentText(sent) {
  if (!sent) return '';
  const to = sent.match(/^sent to (.+)$/);
  if (to) return t('sentOk', to[1]);
  if (sent.startsWith('no recipients')) return t('noRecipients');
  if (sent.startsWith('e-mail is not set up')) return t('noSmtp');
  return t('notSent');
}

export default function report(root, params, app) {
  let alive = true;
  const month = params.month || localDate(dir().asOf || new Date().toISOString(), dir().companyZone).slice(0, 7);
  const limit = Math.min(Number(params.limit) || 50, 500);
  const offset = Number(params.offset) || 0;
  const lang = currentLang();
  const link = format => '/api/dashboard/report?' + new URLSearchParams({month, format, lang}).toString();

  root.append(h('div', {class: 'view-head'}, h('h2', null, t('report_title')),
    h('p', {class: 'muted'}, t('reportNote')),
    h('div', {class: 'filters'},
      h('label', null, t('month'), ' ', h('input', {type: 'month', id: 'report-month', value: month,
        onchange: e => e.target.value && app.go('report', {month: e.target.value})})),
      h('a', {class: 'button', id: 'download-csv', href: link('csv'), download: `monthly-report-${month}-${lang}.csv`}, t('download'), ' CSV'),
      h('a', {class: 'button', id: 'download-xlsx', href: link('xlsx'), download: `monthly-report-${month}-${lang}.xlsx`}, t('download'), ' XLSX'))));
  const body = h('div', null, loading());
  root.append(body);
  // The reports the schedule made and e-mailed (company-wide: a limited token is refused, and sees none).
  const made = h('div', {id: 'scheduled-reports'});
  async function loadMade() {
    let d;
    try {
      d = await get('/api/dashboard/reports');
    } catch (e) {
      return;
    }
    if (!alive || !d.items.length) return;
    clear(made).append(h('h3', null, t('scheduled_title')),
      h('table', {class: 'grid', id: 'scheduled-table'},
        h('thead', null, h('tr', null, [t('period'), t('kind'), t('generatedAt'), t('partialCol'), t('sentTo')].map(x => h('th', null, x)))),
        h('tbody', null, d.items.map(r => h('tr', {dataset: {period: r.period, kind: r.kind}},
          h('td', null, h('a', {href: r.href, download: `${r.kind}-report-${r.period}.xlsx`}, r.period, ' XLSX')),
          h('td', null, t('report_' + r.kind)),
          h('td', {class: 'nowrap', title: r.generatedAt}, fmtTime(r.generatedAt, dir().companyZone)),
          h('td', {class: r.partial ? 'under' : ''}, r.partial ? t('partialFrom', r.dataFrom) : t('no')),
          h('td', {class: 'small', title: r.sent || null}, sentText(r.sent)))))));
  }

  async function load() {
    let d;
    try {
      d = await get('/api/dashboard/report', {month, lang, limit, offset});
    } catch (e) {
      if (alive) clear(body).append(errorBox(e, load));
      return;
    }
    if (!alive) return;
    const row = (r, cls) => h('tr', {class: cls || '', dataset: {community: r.community}},
      d.columns.map(c => cell(c, r[c.key], r.underKpis || [])));
    clear(body).append(
      h('h3', null, t('preview'), ' · ', d.month, h('span', {class: 'muted small'}, ` · ${t('rulesVersion')} ${d.rulesVersion}`)),
      h('div', {class: 'scroll'}, h('table', {class: 'grid report', id: 'report-table'},
        h('thead', null, h('tr', null, d.columns.map(c => h('th', null, c.header)))),
        h('tbody', null, row(d.company, 'total'), d.items.map(r => row(r))))),
      pager(d.total, limit, offset, o => app.go('report', {month, offset: o})),
      made);
    ready('report');
    loadMade();
  }

  load();
  return () => { alive = false; };
}
