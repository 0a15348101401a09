// Apache ECharts (vendor/echarts, Apache-2.0) is 1.1 MB: it is loaded only when a view with a
// chart opens, so the overview does not wait for it. Tooltips are drawn on the canvas
// (renderMode 'richText'), never as HTML, because series names are community names: free text.

let loading = null;

export function echarts() {
  if (window.echarts) return Promise.resolve(window.echarts);
  if (!loading) {
    loading = new Promise((resolve, reject) => {
      const s = document.createElement('script');
      s.src = 'vendor/echarts/echarts.min.js';
      s.onload = () => resolve(window.echarts);
      s.onerror = () => { loading = null; reject(new Error('echarts did not load')); };
      document.head.append(s);
    });
  }
  return loading;
}

/** A chart in `el`; returns a disposer. */
export async function chart(el, option) {
  const e = await echarts();
  const c = e.init(el, null, {renderer: 'canvas'});
  c.setOption(Object.assign({animation: false}, option, {
    tooltip: Object.assign({renderMode: 'richText', trigger: 'axis'}, option.tooltip || {}),
  }));
  const resize = () => c.resize();
  window.addEventListener('resize', resize);
  return () => {
    window.removeEventListener('resize', resize);
    c.dispose();
  };
}
