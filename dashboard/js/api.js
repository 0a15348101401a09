// JSON from the server. Errors carry the server's reason in the page's language (failure()).

import {t, currentLang} from './i18n.js';

export async function get(path, params) {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params || {})) {
    if (v != null && v !== '' && v !== false) q.set(k, String(v));
  }
  const s = q.toString();
  const r = await fetch(path + (s ? '?' + s : ''), {headers: {Accept: 'application/json'}});
  let body = null;
  try {
    body = await r.json();
  } catch (e) {
    body = null;
  }
  if (r.status === 401) {
    askLogin();
  }
  if (!r.ok) {
    throw failure(r.status, body);
  }
  return body;
}

/**
 * A change (POST, PUT, DELETE) with a JSON body. The server's error comes back in the page's
 * language when it has one ({"zh": ..., "en": ...}).
 */
export async function send(method, path, body) {
  const r = await fetch(path, {method, headers: {'Content-Type': 'application/json', Accept: 'application/json'},
    body: body == null ? undefined : JSON.stringify(body)});
  let b = null;
  try {
    b = await r.json();
  } catch (e) {
    b = null;
  }
  if (r.status === 401) {
    askLogin();
  }
  if (!r.ok) {
    throw failure(r.status, b);
  }
  return b;
}

const CJK = /[\u3400-\u9fff]/;

/**
 * An error answer as the page says it: the server's {zh, en} when the route gives both, the
 * page's half of a "中文 · English" reason, else (a reason in English only) what the status
 * means, in the page's language. The server's own words stay in err.detail (the box's tooltip).
 */
export function failure(status, body) {
  const en = currentLang() === 'en';
  const raw = body && body.error != null ? String(body.error) : '';
  let msg = body && (en ? body.en : body.zh);
  if (!msg && raw) {
    const halves = [' · ', ' / '].map(sep => raw.split(sep)).find(x => x.length === 2 && CJK.test(x[0]) && !CJK.test(x[1]));
    msg = halves ? halves[en ? 1 : 0] : en ? raw : null;
  }
  const err = new Error(msg || t('httpStatus')[status] || t('httpOther', status));
  err.status = status;
  err.detail = raw;
  return err;
}

let me = null;

/** Who is logged in ({name, role, communities, duties}); null before login or when the API is open and unreachable. */
export async function loadMe() {
  try {
    me = await get('/api/me');
  } catch (e) {
    me = null;
  }
  return me;
}

export function who() {
  return me;
}

/** The community directory (code → {name, zone}), refreshed when a community is unknown. */
const directory = {byCode: new Map(), asOf: null, companyZone: 'Asia/Shanghai', rulesVersion: null, loaded: null};

export async function loadDirectory() {
  const d = await get('/api/dashboard/communities');
  directory.byCode = new Map(d.items.map(c => [c.community, c]));
  directory.asOf = d.asOf;
  directory.companyZone = d.companyZone;
  directory.scoped = !!d.scoped;
  directory.rulesVersion = d.rulesVersion;
  directory.loaded = Date.now();
  return directory;
}

export function dir() {
  return directory;
}

/** The name of "*": the whole company, or for a token limited to some communities, their total. */
export function companyLabel(t) {
  return directory.scoped ? t('ownTotal') : t('company');
}

export function zoneOf(code) {
  const c = directory.byCode.get(code);
  return c ? c.zone : directory.companyZone;
}

export function nameOf(code) {
  const c = directory.byCode.get(code);
  return c && c.name ? c.name : '';
}

let refreshing = null;

/** A finding of a community the page has not seen yet: reload the directory (at most one at a time). */
export function noteCommunity(code) {
  if (!directory.byCode.has(code) && !refreshing && Date.now() - (directory.loaded || 0) > 2000) {
    refreshing = loadDirectory().catch(() => null).finally(() => { refreshing = null; });
  }
}

let asking = false;

/**
 * The API needs a token (one exists on the server): a small form that exchanges it for an
 * HttpOnly session cookie (POST /api/login). The page keeps nothing: no localStorage, and the
 * token leaves the page with the form.
 */
function askLogin() {
  if (asking) {
    return;
  }
  asking = true;
  const form = document.createElement('form');
  form.id = 'login';
  form.style.cssText = 'position:fixed;top:1em;right:1em;z-index:1000;background:#fff;border:1px solid #888;'
      + 'padding:1em;box-shadow:0 2px 8px rgba(0,0,0,.3)';
  const label = document.createElement('label');
  label.textContent = t('tokenLabel') + ' ';
  const input = document.createElement('input');
  input.type = 'password';
  input.name = 'token';
  input.autocomplete = 'off';
  label.appendChild(input);
  const button = document.createElement('button');
  button.type = 'submit';
  button.textContent = t('login');
  const msg = document.createElement('div');
  msg.className = 'login-error';
  form.append(label, ' ', button, msg);
  form.addEventListener('submit', async e => {
    e.preventDefault();
    const r = await fetch('/api/login', {method: 'POST', headers: {'Content-Type': 'application/json'},
      body: JSON.stringify({token: input.value.trim()})});
    input.value = '';
    if (r.ok) {
      location.reload();
    } else {
      let b = null;
      try { b = await r.json(); } catch (x) { b = null; }
      msg.textContent = r.status === 401 && !(b && b.zh) ? t('badToken') : failure(r.status, b).message;
    }
  });
  document.body.appendChild(form);
  input.focus();
}
