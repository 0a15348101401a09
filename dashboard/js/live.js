// The server's push stream (GET /api/stream, server-sent events): new findings and KPI changes.
// EventSource retries by itself after a dropped connection; when it gives up (the server
// answered with an error while restarting) we open a new one, backing off to 15 s. Listeners
// get 'open' on every (re)connection so that views can fetch what they missed.

const listeners = {finding: new Set(), kpi: new Set(), status: new Set(), open: new Set()};
let source = null;
let delay = 1000;
let status = 'connecting';
let timer = null;

function emit(kind, value) {
  for (const f of listeners[kind]) {
    try {
      f(value);
    } catch (e) {
      console.error(e);
    }
  }
}

function setStatus(s) {
  if (s !== status) {
    status = s;
    emit('status', s);
  }
}

export function connect() {
  if (timer) {
    clearTimeout(timer);
    timer = null;
  }
  const es = new EventSource('/api/stream');
  source = es;
  es.onopen = () => {
    delay = 1000;
    setStatus('open');
    emit('open');
  };
  es.addEventListener('finding', e => emit('finding', JSON.parse(e.data)));
  es.addEventListener('kpi', e => emit('kpi', JSON.parse(e.data)));
  es.onerror = () => {
    setStatus('down');
    if (es.readyState === EventSource.CLOSED && source === es) {
      es.close();
      timer = setTimeout(connect, delay);
      delay = Math.min(delay * 2, 15000);
    }
  };
}

// A page left for another (or kept in the back/forward cache) must give its stream back: the
// browser allows six connections to one server, and streams that outlive their page would
// leave the next page's requests waiting.
window.addEventListener('pagehide', () => {
  if (source) {
    source.close();
    source = null;
  }
  if (timer) {
    clearTimeout(timer);
    timer = null;
  }
});
window.addEventListener('pageshow', e => {
  if (e.persisted && !source) {
    setStatus('connecting');
    connect();
  }
});

export function on(kind, f) {
  listeners[kind].add(f);
  return () => listeners[kind].delete(f);
}

export function liveStatus() {
  return status;
}
