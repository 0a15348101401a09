// Every element of the page is built here, and text always goes in as text (text nodes,
// textContent, attributes): free text from events (summaries, notes, names) can never become
// markup. Nothing in this dashboard uses innerHTML.

/** h('td', {class: 'x', onclick: f, dataset: {kpi: 'a'}}, 'text', child, [more]) */
export function h(tag, attrs, ...children) {
  const el = document.createElement(tag);
  if (attrs) {
    for (const [k, v] of Object.entries(attrs)) {
      if (v == null || v === false) continue;
      if (k === 'class') el.className = v;
      else if (k === 'dataset') Object.assign(el.dataset, v);
      else if (k.startsWith('on') && typeof v === 'function') el.addEventListener(k.slice(2), v);
      else if (k === 'value') el.value = v;
      else if (k === 'checked') el.checked = !!v;
      else el.setAttribute(k, v === true ? '' : String(v));
    }
  }
  add(el, children);
  return el;
}

export function add(el, children) {
  for (const c of [children].flat(Infinity)) {
    if (c == null || c === false) continue;
    el.append(c instanceof Node ? c : String(c));
  }
  return el;
}

export function clear(el) {
  while (el.firstChild) el.removeChild(el.firstChild);
  return el;
}

/** A link inside the page: #/view?k=v, values encoded. */
export function href(view, params) {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params || {})) {
    if (v != null && v !== '' && v !== false) q.set(k, String(v));
  }
  const s = q.toString();
  return '#/' + view + (s ? '?' + s : '');
}

/** A table from a header row and body rows (arrays of cells or prepared <tr>s). */
export function table(headers, rows, attrs) {
  return h('table', attrs || {class: 'grid'},
    h('thead', null, h('tr', null, headers.map(x => x instanceof Node ? x : h('th', null, x)))),
    h('tbody', null, rows.map(r => r instanceof Node ? r : h('tr', null, r.map(c => c instanceof Node && c.tagName === 'TD' ? c : h('td', null, c))))));
}
