// Queues now (waiting jobs, oldest wait, agents) and the recent window from GET /metrics:
// queue wait and job duration p50/p95 as line charts, passed/failed per period as bars.
// Charts are plain SVG drawn here: no chart library, nothing fetched from elsewhere.

import { api, query } from '../api.js';
import { duration, h, svg } from '../dom.js';

// About the width a chart card gets on a laptop screen, so the SVG is drawn near 1:1 and its
// labels keep their size; it scales uniformly (never stretched) to the card's width.
const WIDTH = 400;
const HEIGHT = 180;
const PAD = { left: 56, right: 10, top: 10, bottom: 24 };

export function queuesPage() {
  let hours = 6;
  const figures = h('div', { class: 'grid', id: 'totals' });
  const body = h('tbody', { id: 'queues-body' });
  const charts = h('div', { class: 'grid', id: 'charts' });
  const note = h('p', { class: 'small muted', id: 'metrics-note' });
  const error = h('p', { class: 'error', hidden: true });
  const windowSelect = h('select', { id: 'window', onchange: (event) => { hours = Number(event.target.value); refresh(); } },
    [1, 3, 6, 12, 24, 48].map((value) => h('option', { value, selected: value === hours }, `last ${value} h`)));
  const element = h('section', {},
    h('h1', {}, 'Queues & metrics'), error,
    h('table', { id: 'queues' },
      h('thead', {}, h('tr', {}, ['Queue', 'Waiting', 'Oldest wait', 'Running', 'Connected agents', 'Busy', 'Paused / draining'].map((t) => h('th', {}, t)))),
      body),
    h('h2', {}, 'Recent ', windowSelect), figures, charts, note);

  async function refresh() {
    const metrics = await api(`/metrics${query({ hours })}`);
    error.hidden = true;
    body.replaceChildren(...(metrics.queues.length ? metrics.queues.map((queue) => h('tr', { dataset: { queue: queue.queue } },
      h('td', {}, h('strong', {}, queue.queue)),
      h('td', { class: 'waiting' }, queue.waiting),
      h('td', {}, duration(queue.oldestWaitMillis)),
      h('td', {}, queue.running),
      h('td', { class: queue.connectedAgents === 0 && queue.waiting > 0 ? 'error' : '' }, queue.connectedAgents),
      h('td', {}, queue.busyAgents),
      h('td', {}, queue.unavailableAgents)))
      : [h('tr', {}, h('td', { colspan: 7, class: 'muted' }, 'No queue has work or agents right now.'))]));
    const totals = metrics.totals;
    const figure = (label, value, id) => h('div', { class: 'figure', id }, h('div', { class: 'value' }, value), h('div', { class: 'label' }, label));
    figures.replaceChildren(
      figure('passed', totals.passed, 'figure-passed'),
      figure('failed', totals.failed, 'figure-failed'),
      figure('queue wait p50 / p95', `${duration(totals.queueWaitP50Millis)} / ${duration(totals.queueWaitP95Millis)}`, 'figure-wait'),
      figure('job duration p50 / p95', `${duration(totals.durationP50Millis)} / ${duration(totals.durationP95Millis)}`, 'figure-duration'));
    charts.replaceChildren(
      lineChart('Queue wait', metrics.series, ['queueWaitP50Millis', 'queueWaitP95Millis'], ['#0969da', '#bf8700']),
      lineChart('Job duration', metrics.series, ['durationP50Millis', 'durationP95Millis'], ['#0969da', '#bf8700']),
      barChart('Results', metrics.series));
    note.textContent = `Figures from ${new Date(metrics.since).toLocaleString()} to ${new Date(metrics.generatedAt).toLocaleString()}, `
      + `${Math.round(metrics.bucketSeconds / 60)} min per point.`
      + (metrics.truncated ? ' Only the newest builds of the window were read (the window holds more).' : '');
  }

  return {
    element,
    refresh,
    showError(failure) { error.hidden = false; error.textContent = `Could not refresh: ${failure.message}`; },
  };
}

function frame(title, legend, maxValue, formatter, series, draw) {
  const innerWidth = WIDTH - PAD.left - PAD.right;
  const innerHeight = HEIGHT - PAD.top - PAD.bottom;
  const x = (i) => PAD.left + (series.length <= 1 ? 0 : (i / (series.length - 1)) * innerWidth);
  const y = (value) => PAD.top + innerHeight - (maxValue === 0 ? 0 : (value / maxValue) * innerHeight);
  const grid = [0, 0.5, 1].map((fraction) => [
    svg('line', { x1: PAD.left, x2: WIDTH - PAD.right, y1: y(maxValue * fraction), y2: y(maxValue * fraction), stroke: '#dde2e8' }),
    svg('text', { x: PAD.left - 6, y: y(maxValue * fraction) + 4, 'text-anchor': 'end', 'font-size': 11, fill: '#5f6b7a' },
      formatter(maxValue * fraction)),
  ]);
  const firstLabel = series.length ? new Date(series[0].start).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' }) : '';
  const lastLabel = series.length ? new Date(series[series.length - 1].start).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' }) : '';
  const axis = [
    svg('text', { x: PAD.left, y: HEIGHT - 6, 'font-size': 11, fill: '#5f6b7a' }, firstLabel),
    svg('text', { x: WIDTH - PAD.right, y: HEIGHT - 6, 'font-size': 11, fill: '#5f6b7a', 'text-anchor': 'end' }, lastLabel),
  ];
  return h('div', { class: 'chart', dataset: { chart: title } },
    h('strong', {}, title),
    h('div', { class: 'legend' }, legend.map(([label, color]) => h('span', {}, h('span', { class: 'swatch', dataset: { color } }), label))),
    svg('svg', { viewBox: `0 0 ${WIDTH} ${HEIGHT}`, role: 'img', 'aria-label': title },
      grid, axis, draw(x, y)));
}

function lineChart(title, series, fields, colors) {
  const values = series.flatMap((bucket) => fields.map((field) => bucket[field])).filter((value) => value !== null);
  const max = Math.max(1000, ...values);
  const chart = frame(title, fields.map((field, i) => [field.includes('P95') ? 'p95' : 'p50', colors[i]]), max,
    (value) => duration(value), series, (x, y) => fields.map((field, i) => {
      const points = series.map((bucket, index) => (bucket[field] === null ? null : `${x(index)},${y(bucket[field])}`)).filter(Boolean);
      return [
        points.length > 1 ? svg('polyline', { points: points.join(' '), fill: 'none', stroke: colors[i], 'stroke-width': 2 }) : null,
        series.map((bucket, index) => (bucket[field] === null ? null
          : svg('circle', { cx: x(index), cy: y(bucket[field]), r: 3, fill: colors[i] }))),
      ];
    }));
  paintSwatches(chart);
  return chart;
}

function barChart(title, series) {
  const max = Math.max(1, ...series.map((bucket) => bucket.passed + bucket.failed));
  const step = (WIDTH - PAD.left - PAD.right) / Math.max(1, series.length);
  const chart = frame(title, [['passed', '#1f883d'], ['failed', '#cf222e']], max, (value) => Math.round(value), series,
    (x, y) => series.map((bucket, index) => {
      const left = PAD.left + index * step + step * 0.15;
      const width = step * 0.7;
      return [
        svg('rect', { x: left, y: y(bucket.passed), width, height: y(0) - y(bucket.passed), fill: '#1f883d' }),
        svg('rect', { x: left, y: y(bucket.passed + bucket.failed), width, height: y(0) - y(bucket.failed), fill: '#cf222e' }),
      ];
    }));
  paintSwatches(chart);
  return chart;
}

function paintSwatches(chart) {
  chart.querySelectorAll('.swatch').forEach((swatch) => { swatch.style.backgroundColor = swatch.dataset.color; });
}
