// Late events under review (administrators): the events that came behind their community's clock
// (GET /api/review), each with how late, whether a rebuild applied it or it was flagged and left
// out, and the findings it changed or would change (README "Late and out-of-order events"). The
// API offers no action: taking a flagged event is resending it with a new id, a person's call.

import {h, clear} from '../dom.js';
import {t, tt, label, fmtTime, currentLang} from '../i18n.js';
import {get, dir, zoneOf} from '../api.js';
import {errorBox, loading, communityCell, kindBadge, pager, ready} from './common.js';

const LIMIT = 50;
const colon = () => (currentLang() === 'zh' ? '：' : ': ');

/** PT25M, PT1H30M, PT49H12M3.5S (java.time.Duration) → milliseconds. */
export function isoMillis(iso) {
  const m = /^PT(?:(\d+)H)?(?:(\d+)M)?(?:([\d.]+)S)?$/.exec(iso || '');
  if (!m) return null;
  return ((Number(m[1] || 0) * 60 + Number(m[2] || 0)) * 60 + Number(m[3] || 0)) * 1000;
}

/** How late, in words: 25 分钟, 1 小时 30 分, 2 天 1 小时. */
export function lateText(iso) {
  const ms = isoMillis(iso);
  if (ms == null) return iso || '';
  const min = Math.max(0, Math.round(ms / 60000));
  if (min < 60) return ms < 60000 ? t('dur_m', (ms / 60000).toFixed(1)) : t('dur_m', min);
  const hr = Math.floor(min / 60);
  if (hr < 24) return t('dur_hm', hr, min % 60);
  return t('dur_dh', Math.floor(hr / 24), hr % 24);
}

export default function review(root, params, app) {
  let alive = true;
  const offset = Math.max(0, Number(params.offset) || 0);
  const community = h('select', {name: 'community', onchange: () => app.go('review', {community: community.value})},
    h('option', {value: ''}, t('all')),
    [...dir().byCode.keys()].sort().map(c => h('option', {value: c, selected: c === params.community},
      c + ' ' + (dir().byCode.get(c).name || ''))));
  const list = h('div', null, loading());
  root.append(h('div', {class: 'view-head'}, h('h2', null, t('review_title')),
    h('p', {class: 'muted'}, t('review_hint')), h('p', {class: 'muted small'}, t('zoneNote')),
    h('div', {class: 'filters'}, h('label', null, t('community'), ' ', community))), list);

  function change(c) {
    const f = c.finding || {};
    return h('li', {dataset: {change: c.change}}, h('strong', null, tt('reviewChange', c.change)), ' ',
      f.kind ? kindBadge(f.kind) : null, ' ', label('rule', f.rule), f.subject ? h('span', {class: 'muted'}, ' · ' + f.subject) : null,
      f.at ? h('span', {class: 'muted small'}, ' · ' + fmtTime(f.at, zoneOf(f.community))) : null);
  }

  function load() {
    get('/api/review', {community: params.community, limit: LIMIT, offset}).then(r => {
      if (!alive) return;
      clear(list);
      if (!r.items.length) {
        list.append(h('p', {class: 'muted', id: 'review-none'}, t('review_none')));
      } else {
        list.append(h('ul', {class: 'review-list', id: 'review-list'}, r.items.map(x => {
          const zone = zoneOf(x.community);
          return h('li', {class: 'review-item ' + x.status, dataset: {id: x.id, status: x.status}},
            h('div', {class: 'review-meta'}, communityCell(x.community),
              h('span', null, t('review_event'), colon(), label('event', x.type), h('span', {class: 'mono small muted'}, ' ' + x.id)),
              h('strong', {class: 'review-late'}, t('review_late'), ' ', lateText(x.lateBy)),
              h('span', {class: 'review-status'}, tt('reviewStatus', x.status))),
            h('div', {class: 'review-meta small'}, h('span', null, t('review_at'), ' ', fmtTime(x.at, zone, true)),
              h('span', null, t('review_stored'), ' ', fmtTime(x.storedAt, zone, true))),
            h('div', {class: 'small'}, t('review_changes'), colon(), x.changes.length ? null : t('review_noChange')),
            x.changes.length ? h('ul', null, x.changes.map(change)) : null);
        })));
      }
      list.append(pager(r.total, LIMIT, offset, o => app.go('review', {community: params.community, offset: o})));
      ready('review');
    }).catch(err => {
      if (alive) clear(list).append(errorBox(err, load));
    });
  }
  load();
  return () => { alive = false; };
}
