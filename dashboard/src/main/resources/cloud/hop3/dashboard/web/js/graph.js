// Line charts of an app's metrics, as SVG drawn from the REST API's series of {t, value} points,
// each with a text summary for those who do not see the chart.

import { h } from './dom.js';

const SVG = 'http://www.w3.org/2000/svg';

function s(tag, attrs, ...children) {
  const el = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attrs || {})) el.setAttribute(k, String(v));
  for (const c of children) el.append(c);
  return el;
}

// What the charts of one process type show, from each minute of GET /api/v1/apps/{app}/metrics
const MEASURES = [
  ['requests per second', m => m.requestsPerSecond],
  ['5xx answers per minute', m => m.requests && m.requests['5xx']],
  ['latency p50 (ms)', m => m.latencyMs && m.latencyMs.p50],
  ['latency p95 (ms)', m => m.latencyMs && m.latencyMs.p95],
  ['latency p99 (ms)', m => m.latencyMs && m.latencyMs.p99],
  ['CPU (cores)', m => m.cpuCores],
  ['memory (bytes)', m => m.rssBytes],
  ['restarts per minute', m => m.restarts],
];

/**
 * The charts of an app's metrics answer ({processTypes: {web: [minute, ...]}}), as [name, points]
 * with points {t, value}; a minute without a value (no request, so no latency) is no point.
 */
export function seriesOf(answer) {
  const types = answer && typeof answer.processTypes === 'object' ? answer.processTypes : {};
  const series = [];
  for (const [type, minutes] of Object.entries(types)) {
    if (!Array.isArray(minutes) || !minutes.length) continue;
    for (const [name, read] of MEASURES) {
      const points = minutes.map(m => ({ t: m.minute, value: read(m) }))
        .filter(p => p.value !== null && p.value !== undefined);
      series.push([`${type}: ${name}`, points]);
    }
  }
  return series;
}

function format(v) {
  if (!Number.isFinite(v)) return '—';
  if (Math.abs(v) >= 1e9) return (v / 1e9).toFixed(1) + ' G';
  if (Math.abs(v) >= 1e6) return (v / 1e6).toFixed(1) + ' M';
  if (Math.abs(v) >= 1e3) return (v / 1e3).toFixed(1) + ' k';
  return Math.round(v * 100) / 100 + '';
}

export function chart(name, points) {
  const pts = points.map(p => [new Date(typeof p.t === 'number' && p.t < 1e12 ? p.t * 1000 : p.t).getTime(), Number(p.value)])
    .filter(([t, v]) => Number.isFinite(t) && Number.isFinite(v));
  const w = 300, ht = 100, pad = 4;
  const svg = s('svg', { class: 'chart', viewBox: `0 0 ${w} ${ht + 14}`, role: 'img', 'aria-hidden': 'true', focusable: 'false' });
  let summary = 'No points yet.';
  if (pts.length) {
    const t0 = pts[0][0], t1 = pts[pts.length - 1][0];
    const vs = pts.map(p => p[1]);
    const lo = Math.min(0, ...vs), hi = Math.max(...vs, lo + 1e-9);
    const x = t => pad + (t1 === t0 ? 0 : (t - t0) / (t1 - t0)) * (w - 2 * pad);
    const y = v => ht - pad - ((v - lo) / (hi - lo)) * (ht - 2 * pad);
    svg.append(s('polyline', { points: pts.map(([t, v]) => `${x(t).toFixed(1)},${y(v).toFixed(1)}`).join(' ') }));
    svg.append(s('text', { x: pad, y: 10 }, format(hi)));
    svg.append(s('text', { x: pad, y: ht + 12 }, new Date(t0).toLocaleTimeString()));
    svg.append(s('text', { x: w - pad, y: ht + 12, 'text-anchor': 'end' }, new Date(t1).toLocaleTimeString()));
    summary = `${pts.length} points from ${new Date(t0).toLocaleTimeString()} to ${new Date(t1).toLocaleTimeString()}:`
      + ` last ${format(vs[vs.length - 1])}, lowest ${format(Math.min(...vs))}, highest ${format(Math.max(...vs))}.`;
  }
  return h('figure', {}, h('figcaption', {}, name), svg, h('p', { class: 'muted' }, summary));
}
