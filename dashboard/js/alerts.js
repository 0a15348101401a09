// The alert inbox page (alerts.html): its script is a file of its own, so the page runs under
// the same content security policy as the dashboard (script-src 'self', no inline script).
// Values from the server go into the markup escaped (esc), numbers and ids included.
const $ = id => document.getElementById(id);
const esc = s => String(s ?? '').replace(/[&<>"]/g, c => ({'&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;'}[c]));
async function api(method, path, body) {
  const r = await fetch(path, {method, headers: {'Content-Type': 'application/json'}, body: body && JSON.stringify(body)});
  if (r.status === 401) {
    // a token exists on the server: trade one for a session cookie, then start again
    const token = prompt('访问令牌 · API token');
    if (token) {
      const l = await fetch('/api/login', {method: 'POST', headers: {'Content-Type': 'application/json'},
        body: JSON.stringify({token: token.trim()})});
      if (l.ok) { location.reload(); }
    }
  }
  const j = await r.json();
  if (!r.ok) { $('err').textContent = j.error || r.status; throw new Error(j.error); }
  $('err').textContent = '';
  return j;
}
function query() {
  const q = new URLSearchParams();
  if ($('role').value) q.set('role', $('role').value);
  if ($('community').value) q.set('community', $('community').value);
  return q.toString();
}
async function load() {
  const a = await api('GET', '/api/alerts?' + query());
  $('inbox').innerHTML = a.items.map(x => `<tr><td class="${esc(x.status)}">${esc(x.status)}${x.emergency ? ' 紧急' : ''}</td>
    <td>${esc(x.community)}</td><td><a href="/api/alerts/${esc(x.id)}">${esc(x.rule)}</a></td><td>${esc(x.kind)}</td>
    <td>${esc(x.currentRole)}${x.escalation ? ' ↑' + esc(x.escalation) : ''}</td><td>${esc(x.findings)}${x.foldedAway ? ' (' + esc(x.foldedAway) + ' folded)' : ''}</td>
    <td>${esc(x.sentAt)}</td><td>${esc(x.ackDue)}</td>
    <td>${x.ackedAt ? '✔ ' + esc(x.ackedBy) : `<button data-ack="${esc(x.id)}">确认 ack</button>`}</td></tr>`).join('');
  const s = await api('GET', '/api/silences');
  $('silences').innerHTML = s.items.map(x => `<tr><td>${esc(x.community)}</td><td>${esc(x.rule)}</td><td>${esc(x.reason)}</td>
    <td>${esc(x.author)}</td><td>→ ${esc(x.expiresAt)}</td><td><button data-unsilence="${esc(x.id)}">结束 end</button></td></tr>`).join('');
  const r = await api('GET', '/api/roster');
  $('rosterRows').innerHTML = r.items.map(x => `<tr><td>${esc(x.community)}</td><td>${esc(x.roleName)} (${esc(x.role)})</td>
    <td>${esc(x.name)}</td><td>${esc(x.channel)}</td><td>${esc(x.address)}</td><td><button data-unroster="${esc(x.id)}">删除 delete</button></td></tr>`).join('');
  const d = await api('GET', '/api/deliveries?limit=50');
  $('deliveries').innerHTML = d.items.map(x => `<tr><td>${esc(x.status)}</td><td>${esc(x.channel)}</td><td>${esc(x.address)}</td>
    <td>${esc(x.key)}</td><td>${esc(x.attempts)} 次</td><td>${esc(x.lastError)}</td></tr>`).join('');
}
document.addEventListener('click', async e => {
  const t = e.target.dataset;
  if (t.ack) await api('POST', `/api/alerts/${t.ack}/ack`, {by: $('me').value || 'dashboard'});
  else if (t.unsilence) await api('DELETE', `/api/silences/${t.unsilence}`);
  else if (t.unroster) await api('DELETE', `/api/roster/${t.unroster}`);
  else return;
  load();
});
const formBody = f => Object.fromEntries([...new FormData(f)].filter(([k, v]) => v !== ''));
$('silence').onsubmit = async e => { e.preventDefault(); await api('POST', '/api/silences', formBody(e.target)); load(); };
$('roster').onsubmit = async e => { e.preventDefault(); await api('POST', '/api/roster', formBody(e.target)); load(); };
let stream;
$('filter').onsubmit = e => { e.preventDefault(); live(); load(); };
function live() {
  if (stream) stream.close();
  stream = new EventSource('/api/alerts/stream?' + query());
  ['notice', 'escalation', 'addendum', 'ack'].forEach(t => stream.addEventListener(t, load));
}
api('GET', '/api/roster').then(r => {
  const opts = Object.entries(r.roles).map(([k, v]) => `<option value="${esc(k)}">${esc(v)} ${esc(k)}</option>`).join('');
  $('role').innerHTML = '<option value="">所有角色 all roles</option>' + opts;
  $('rosterRole').innerHTML = opts;
  live(); load();
});
