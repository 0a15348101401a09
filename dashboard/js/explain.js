// Deadlines, duty notes and finding details in the page's language, from the structured facts
// the server gives (details.deadline, a deadline's note, KPI numbers). The findings keep their
// English `explain` text, byte for byte, for replay and the API (CONTRACT.md); a person reads
// this instead. Times are in the community's zone.

import {t, tt, label, fmtTime, pct, currentLang} from './i18n.js';

const WEEKDAYS = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'];

function weekday(en) {
  const i = WEEKDAYS.indexOf(en);
  return i < 0 ? en : t('wd')[i];
}

/** "2 h", "15 min", "1 day", "2 working days", "same day", "end of day", … in words. */
export function limitText(limit) {
  if (limit == null) return '';
  const l = t('lim');
  const m = String(limit).match(/^(\d+) (min|h|days?|working days?)$/);
  if (m) {
    const n = Number(m[1]);
    return m[2] === 'min' ? l.min(n) : m[2] === 'h' ? l.h(n) : m[2].startsWith('working') ? l.wd(n) : l.day(n);
  }
  return {'same day': l.sameDay, 'end of day': l.endOfDay, 'end of the next day': l.endOfNextDay, 'agreed time': l.agreed}[limit] || limit;
}

/** What started a deadline's clock ("received", "patrol day of building B2", …). */
export function startedByText(by) {
  if (by == null) return '';
  let m = String(by).match(/^patrol day of building (.+)$/);
  if (m) return t('sb').building(m[1]);
  m = String(by).match(/^patrol day (\d{4}-\d{2}-\d{2}) ended$/);
  if (m) return t('sb').patrolDay(m[1]);
  return tt('sb', by);
}

/** "Mon 03-16 (holiday)" (a day of a working-days count) → "03-16 周一（节假日）". */
function dayText(d) {
  const m = String(d).match(/^(\w{3}) (\d{2}-\d{2})(?: \((.+)\))?$/);
  if (!m) return d;
  return `${m[2]} ${weekday(m[1])}` + (m[3] ? `（${tt('dayKind', m[3])}）` : '');
}

/** "Tue 2026-03-17 18:37" (a time the rules wrote, already local) → "2026-03-17 18:37 周二". */
export function localWhen(s) {
  const m = String(s).match(/^(\w{3}) (\d{4}-\d{2}-\d{2} \d{2}:\d{2})$/);
  return m ? `${m[2]} ${weekday(m[1])}` : s;
}

/**
 * How a deadline was computed, from its facts (clockStartedBy, clockStartedAt, limit, calendar,
 * days counted and skipped, provisional note, dueAt). For a warning, how much of the time was
 * used when it was raised: the share of the span from the clock's start to the deadline.
 */
export function deadlineText(facts, zone, warnedAt) {
  if (!facts || typeof facts !== 'object') return '';
  const parts = [];
  if (warnedAt && facts.clockStartedAt && facts.dueAt) {
    const start = Date.parse(facts.clockStartedAt);
    const span = Date.parse(facts.dueAt) - start;
    if (span > 0) parts.push(t('warnedAt', Math.round((Date.parse(warnedAt) - start) / span * 100)));
  }
  parts.push(t('clockFrom', startedByText(facts.clockStartedBy), fmtTime(facts.clockStartedAt, zone)));
  if (facts.limit) parts.push(t('limitIs', limitText(facts.limit)));
  if (facts.calendar) parts.push(t('calendarNote', facts.calendar));
  if (facts.daysSkipped && facts.daysSkipped.length) parts.push(t('skipped', facts.daysSkipped.map(dayText).join(t('listSep'))));
  if (facts.workingDaysCounted && facts.workingDaysCounted.length) {
    parts.push(t('counted', facts.workingDaysCounted.map(dayText).join(t('listSep'))));
  }
  if (facts.provisionalNote) parts.push(facts.provisionalNote[currentLang()]);
  parts.push(t('dueIs', fmtTime(facts.dueAt, zone)));
  return parts.join(t('partSep'));
}

/** A deadline's note: met late, or why it was waived (the rules' words). */
export function noteText(note) {
  if (note == null) return '';
  const notes = t('notes');
  if (typeof notes[note] === 'string') return notes[note];
  let m = String(note).match(/^classified (\w+)$/);
  if (m) return notes.classified(label('validity', m[1]) !== m[1] ? label('validity', m[1]) : label('urgency', m[1]));
  m = String(note).match(/^reply time agreed with the owner: (.+)$/);
  if (m) return notes.replyAgreed(localWhen(m[1]));
  return note;
}

/** A KPI finding's value against its target, with the count behind it. */
export function kpiText(d) {
  return t('kpiLine', label('kpi', d.kpi), d.period || '', pct(d.value), d.numerator, d.denominator, pct(d.target));
}

const KPI_KEYS = new Set(['kpi', 'value', 'target', 'numerator', 'denominator', 'period']);
// the ticket is the row's subject; the cycle and the explanation's English text are for the API
const SKIP = new Set(['deadline', 'explain', 'cycle', 'ticket', 'owner', 'ownerRole']);

/** One detail's value in words: names for ids, yes/no, local times, lists. */
export function valueText(k, v, zone) {
  if (Array.isArray(v)) return v.map(x => k === 'alsoNotify' ? label('role', x) : String(x)).join(t('listSep'));
  if (typeof v === 'boolean') return v ? t('yes') : t('no');
  if (k === 'category' || k === 'channel' || k === 'validity' || k === 'urgency' || k === 'method') return label(k, v);
  if (k === 'reason') return tt('reasons', v);
  if (k === 'observedAt' || k === 'receivedAt') return localWhen(v);
  if (k === 'replyBy' || k === 'arriveBy') return fmtTime(v, zone);
  if (v != null && typeof v === 'object') return JSON.stringify(v);
  if (typeof v === 'number' && !Number.isInteger(v)) return String(Math.round(v * 10000) / 10000);
  return String(v);
}

/**
 * A finding's details as text a person reads: who answers for it (负责人), the KPI against its
 * target, each fact by its name, and how the deadline was computed.
 */
export function detailsText(details, zone, finding) {
  if (!details || typeof details !== 'object') return '';
  const parts = [];
  if (details.ownerRole) {
    const who = details.owner && details.owner !== details.ownerRole ? ' ' + details.owner : '';
    parts.push(`${t('owner')}：${label('role', details.ownerRole)}${who}`);
  }
  if (details.kpi != null && details.value != null) parts.push(kpiText(details));
  const names = t('fields');
  for (const [k, v] of Object.entries(details)) {
    if (SKIP.has(k) || (KPI_KEYS.has(k) && details.value != null) || v == null) continue;
    parts.push(`${names[k] || k}：${valueText(k, v, zone)}`);
  }
  if (details.deadline) {
    const warning = finding && finding.kind === 'warning' ? finding.at : null;
    parts.push(`${t('explain')}：${deadlineText(details.deadline, zone, warning)}`);
  }
  return parts.join(' · ');
}
