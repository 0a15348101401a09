// The dashboard: a hash router over the views, the language switch and the live connection
// indicator. Each view draws into <main> and returns a function that stops it.

import {h, clear, href} from './dom.js';
import {t, tt, setLang, currentLang, loadLabels} from './i18n.js';
import {loadDirectory, loadMe, who} from './api.js';
import * as live from './live.js';
import overview from './views/overview.js';
import trends from './views/trends.js';
import feed from './views/feed.js';
import rules from './views/rules.js';
import report from './views/report.js';
import drill from './views/drill.js';
import ticket from './views/ticket.js';
import people, {person} from './views/people.js';
import times from './views/times.js';
import alerts from './views/alerts.js';
import alert from './views/alert.js';
import silences from './views/silences.js';
import roster from './views/roster.js';
import review from './views/review.js';
import settings from './views/settings.js';

const VIEWS = {overview, trends, live: feed, rules, report, drill, ticket, people, person, times, alerts, alert, silences,
  roster, review, settings};
const NAV = ['alerts', 'overview', 'trends', 'times', 'people', 'live', 'rules', 'report', 'silences'];
// Only administrators may read the roster (the API says 403 to the others); late events under
// review and the alert settings are administrators' work too.
const ADMIN_NAV = ['roster', 'review', 'settings'];
// The drill-down and the timeline belong under the overview, a person under people, an alert under the inbox.
const PARENT = {drill: 'overview', ticket: 'overview', person: 'people', alert: 'alerts'};

let stop = null;

function parse() {
  // A message's link (alerts.html#<id>, forwarded here as #<id>) opens the alert.
  const id = location.hash.match(/^#(a[0-9a-f]{20})$/);
  if (id) return {view: 'alert', params: {id: id[1]}};
  const m = location.hash.match(/^#\/([a-z]+)(?:\?(.*))?$/);
  if (!m || !VIEWS[m[1]]) {
    // a manager lands in the inbox, the others on the overview
    const me = who();
    return {view: me && me.role === 'manager' ? 'alerts' : 'overview', params: {}};
  }
  return {view: m[1], params: Object.fromEntries(new URLSearchParams(m[2] || ''))};
}

const app = {
  go(view, params) {
    const target = href(view, params);
    if (location.hash === target) route();
    else location.hash = target;
  },
};

function chrome(view) {
  document.title = t('title');
  document.getElementById('title').textContent = t('title');
  const lang = document.getElementById('lang');
  lang.textContent = t('switchTo');
  lang.setAttribute('aria-label', currentLang() === 'zh' ? 'Switch to English' : '切换到中文');
  const nav = clear(document.getElementById('nav'));
  const active = PARENT[view] || view;
  const me = who();
  const admin = !me || me.role === 'admin';
  // who is logged in, and the way out (a session; while the API is open there is nobody)
  const right = document.querySelector('.top-right');
  let out = document.getElementById('logout');
  if (me && me.kind !== 'open' && me.name !== 'open') {
    let whoami = document.getElementById('whoami');
    if (!whoami) {
      whoami = h('span', {id: 'whoami', class: 'whoami'});
      out = h('button', {type: 'button', id: 'logout', class: 'lang', onclick: async () => {
        await fetch('/api/logout', {method: 'POST'});
        location.reload();
      }});
      right.append(whoami, out);
    }
    const role = tt('accessRole', me.role);
    whoami.textContent = (me.displayName || me.name) + ' · ' + role;
    whoami.title = t('whoami') + ' ' + me.name;
    out.textContent = t('logout');
    out.title = me.name;
  }
  for (const v of NAV.concat(admin ? ADMIN_NAV : [])) {
    nav.append(h('a', {href: href(v, {}), id: 'nav-' + v, class: v === active ? 'active' : '',
      'aria-current': v === active ? 'page' : null}, t('nav_' + v)));
  }
  status(live.liveStatus());
}

function status(s) {
  const el = document.getElementById('live-status');
  el.className = 'live-status ' + s;
  el.dataset.state = s;
  el.textContent = '● ' + t(s === 'open' ? 'live_open' : s === 'down' ? 'live_down' : 'live_connecting');
}

function route() {
  if (stop) {
    stop();
    stop = null;
  }
  const {view, params} = parse();
  chrome(view);
  const main = clear(document.getElementById('view'));
  main.dataset.view = view;
  stop = VIEWS[view](main, params, app) || null;
  window.scrollTo(0, 0);
}

async function start() {
  setLang(currentLang());
  document.getElementById('lang').addEventListener('click', async () => {
    setLang(currentLang() === 'zh' ? 'en' : 'zh');
    await loadLabels();
    route();
  });
  live.on('status', status);
  live.connect();
  await Promise.all([loadLabels(), loadDirectory().catch(() => null), loadMe()]);
  // A community registered after the page opened gets its name and zone on the next visit to a view.
  setInterval(() => loadDirectory().catch(() => null), 60000);
  window.addEventListener('hashchange', route);
  route();
}

start();
