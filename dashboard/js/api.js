// JSON from the server. Errors carry the server's reason in the page's language (failure()).

import {h} from './dom.js';
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
 * The API needs a login (a user or a token exists on the server): a form for the user name and
 * password, or, under "访问令牌", a pasted token, exchanged for an HttpOnly session cookie (POST
 * /api/login). The page keeps nothing: no localStorage, and the secret leaves the page with the
 * form. After login the page reloads at the same address, so a message's link (#/alert?id=…)
 * opens the alert it named.
 */
function askLogin() {
  if (asking) {
    return;
  }
  asking = true;
  const zh = document.documentElement.lang !== 'en';
  const field = (key, input) => h('label', {class: 'login-field'}, h('span', null, t(key)), input);
  const user = h('input', {name: 'user', autocomplete: 'username', autocapitalize: 'none', spellcheck: 'false', required: true});
  const password = h('input', {name: 'password', type: 'password', autocomplete: 'current-password', required: true});
  const token = h('input', {name: 'token', type: 'password', autocomplete: 'off'});
  const byPassword = h('div', {class: 'login-password'}, field('login_user', user), field('login_password', password));
  const byToken = h('div', {class: 'login-token', hidden: true}, field('login_token', token));
  const msg = h('div', {class: 'login-error', role: 'alert'});
  let tokenMode = false;
  const toggle = h('button', {type: 'button', id: 'login-use-token', class: 'link-button'}, t('login_useToken'));
  toggle.addEventListener('click', () => {
    tokenMode = !tokenMode;
    byPassword.hidden = tokenMode;
    byToken.hidden = !tokenMode;
    user.required = password.required = !tokenMode;
    token.required = tokenMode;
    toggle.textContent = t(tokenMode ? 'login_usePassword' : 'login_useToken');
    (tokenMode ? token : user).focus();
  });
  const form = h('form', {id: 'login', class: 'login-box', 'aria-labelledby': 'login-title'},
    h('h2', {id: 'login-title'}, t('login_title')), byPassword, byToken, msg,
    h('div', {class: 'login-actions'}, h('button', {type: 'submit'}, t('login_submit')), toggle));
  form.addEventListener('submit', async e => {
    e.preventDefault();
    const body = tokenMode ? {token: token.value.trim()} : {user: user.value.trim(), password: password.value};
    msg.textContent = '';
    let r;
    try {
      r = await fetch('/api/login', {method: 'POST', headers: {'Content-Type': 'application/json', Accept: 'application/json'},
        body: JSON.stringify(body)});
    } catch (x) {
      msg.textContent = t('login_unreachable');
      return;
    }
    password.value = '';
    token.value = '';
    if (r.ok) {
      location.reload();
      return;
    }
    let b = null;
    try { b = await r.json(); } catch (x) { b = null; }
    msg.textContent = r.status === 429 ? t('login_tooMany', r.headers.get('Retry-After') || '?')
      : (b && (zh ? b.zh : b.en)) || (b && b.error) || t('login_failed', r.status);
    (tokenMode ? token : password).focus();
  });
  const shade = h('div', {class: 'login-shade'}, form);
  document.body.appendChild(shade);
  user.focus();
}
