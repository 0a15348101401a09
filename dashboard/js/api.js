// JSON from the server. Errors carry the server's own message ({"error": ...}).

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
  if (!r.ok) {
    const err = new Error((body && body.error) || r.status + ' ' + r.statusText);
    err.status = r.status;
    throw err;
  }
  return body;
}

/** The community directory (code → {name, zone}), refreshed when a community is unknown. */
const directory = {byCode: new Map(), asOf: null, companyZone: 'Asia/Shanghai', rulesVersion: null, loaded: null};

export async function loadDirectory() {
  const d = await get('/api/dashboard/communities');
  directory.byCode = new Map(d.items.map(c => [c.community, c]));
  directory.asOf = d.asOf;
  directory.companyZone = d.companyZone;
  directory.rulesVersion = d.rulesVersion;
  directory.loaded = Date.now();
  return directory;
}

export function dir() {
  return directory;
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
