import { h } from './dom';
import { formatDateTime, formatNumber } from './fhir';
import { axisWindows, splitByHolder, trendData, type TrendSpec } from './trends';
import type { Observation } from './fhir';

const COLORS = ['#1f5fa8', '#a8431f', '#2f7d4f'];
/** Other institutions' results: a distinct colour (and hollow, unjoined points). */
const OTHER = '#7a3e9d';

/** 120 px of plot and value axis as before, plus the 16 px the time axis grew by for its year line. */
const PLOT_HEIGHT = 136;

/**
 * A small trend chart (uPlot, loaded on demand so it never delays the first paint) with the reference range shaded,
 * plus a values table for screen readers and keyboard users.
 */
export function trendChart(spec: TrendSpec, observations: Observation[], width = 300, own?: string,
                           holderName: (tenant: string | undefined) => string | undefined = t => t): HTMLElement {
  const data = trendData(spec, observations);
  const split = splitByHolder(data, own);
  const last = data.times.length - 1;
  const lastText = last < 0 ? 'no results'
    : spec.series.map((_s, i) => data.values[i][last] === null ? null : formatNumber(data.values[i][last]!))
      .filter(v => v !== null).join('/') + ` ${spec.unit}`;
  const rangeText = data.ranges.filter(Boolean).map(r => `${fmtBound(r![0])}–${fmtBound(r![1])}`).join(' / ');
  const plot = h('div', { class: 'plot', 'aria-hidden': 'true' });
  const figure = h('figure', { class: 'trend', 'data-trend': spec.key,
    'aria-label': `${spec.title}: ${data.times.length} results, latest ${lastText}` },
    h('figcaption', null, h('span', { class: 'trend-title' }, spec.title),
      h('span', { class: 'trend-last' }, lastText)),
    data.times.length ? plot : h('p', { class: 'muted' }, 'No results recorded.'),
    split.anyOther ? h('p', { class: 'other-note' }, h('span', { class: 'other-mark', 'aria-hidden': 'true' }, '◆'),
      ' Results held by other institutions') : null,
    rangeText ? h('p', { class: 'range-note' },
      `Shaded: reference range ${rangeText} ${spec.unit}${data.rangeSource === 'default' ? ' (typical adult)' : ''}`)
      : null,
    data.times.length ? valuesTable(spec, data.recorded, data.values,
      data.holders.map((t, i) => (split.own[0][i] === null && split.other[0][i] !== null ? holderName(t) ?? t : undefined)))
      : null);
  if (data.times.length) void draw(plot, spec, data, width, split);
  return figure;
}

function fmtBound(v: number): string {
  return Number.isFinite(v) ? formatNumber(v) : '';
}

function valuesTable(spec: TrendSpec, recorded: string[], values: (number | null)[][],
                     otherHolder: (string | undefined)[]): HTMLElement {
  const anyOther = otherHolder.some(Boolean);
  return h('details', { class: 'values' }, h('summary', null, 'Values'),
    h('table', { class: 'grid compact' },
      h('thead', null, h('tr', null, h('th', { scope: 'col' }, 'Date'),
        spec.series.map(s => h('th', { scope: 'col' }, `${s.label} (${spec.unit})`)),
        anyOther ? h('th', { scope: 'col' }, 'Held by') : null)),
      h('tbody', null, recorded.map((t, i) => h('tr', { class: otherHolder[i] ? 'other' : '' },
        h('td', null, formatDateTime(t)),
        values.map(v => h('td', null, v[i] === null ? '' : formatNumber(v[i]!))),
        anyOther ? h('td', null, otherHolder[i] ? `◆ ${otherHolder[i]}` : '') : null)).reverse())));
}

async function draw(target: HTMLElement, spec: TrendSpec, data: ReturnType<typeof trendData>,
                    width: number, split: ReturnType<typeof splitByHolder>): Promise<void> {
  try {
    const { default: uPlot } = await import('uplot');
    const windows = axisWindows(data);
    const [yLo, yHi] = windows.y;
    const shade = (u: InstanceType<typeof uPlot>) => {
      const ctx = u.ctx;
      data.ranges.forEach((r, i) => {
        if (!r) return;
        const top = u.valToPos(Math.min(r[1], yHi), 'y', true);
        const bottom = u.valToPos(Math.max(r[0], yLo), 'y', true);
        ctx.save();
        ctx.fillStyle = i === 0 ? 'rgba(47,125,79,0.12)' : 'rgba(47,125,79,0.07)';
        ctx.fillRect(u.bbox.left, top, u.bbox.width, bottom - top);
        ctx.restore();
      });
    };
    const plot = new uPlot({
      width: target.clientWidth || width, height: PLOT_HEIGHT,
      // Hover: the legend line under the chart shows the date and the values under the cursor.
      legend: { show: true, live: true },
      cursor: { show: true, drag: { x: false, y: false } },
      // A fixed window for a single result (a range function is not enough: uPlot first calls it without data).
      scales: { x: { time: true, ...(windows.x ? { range: windows.x } : {}) }, y: { range: windows.y } },
      // The time axis tall enough for uPlot's second label line, the year (at the first tick and wherever the year
      // changes): at 28 px it was cut off and "Apr Aug Dec Apr" did not say which April (issue #20 walk).
      axes: [{ size: 44, font: '11px system-ui', stroke: '#555' },
        { size: 36, font: '11px system-ui', stroke: '#555' }],
      series: [{ label: 'Date', value: (_u: unknown, t: number | null) => (t == null ? '–'
        : formatDateTime(data.recorded[data.times.indexOf(t)] ?? '')) },
      ...spec.series.map((s, i) => ({ label: s.label, stroke: COLORS[i], width: 1.5, spanGaps: true,
        points: { show: true, size: 5 } })),
      // Other institutions' results: points only, hollow diamonds' colour, no line (issue #20)
      ...(split.anyOther ? spec.series.map(s => ({ label: `${s.label} (other institution)`,
        stroke: OTHER, width: 0, paths: () => null,
        points: { show: true, size: 8, stroke: OTHER, fill: '#fff', width: 2 } })) : [])],
      // What the time axis spans once drawn, in days (the browser tests check a single result's window).
      hooks: { drawClear: [shade], draw: [(u: InstanceType<typeof uPlot>) => {
        target.dataset.xDays = String(Math.round(((u.scales.x.max ?? 0) - (u.scales.x.min ?? 0)) / 86400));
      }] },
    }, [data.times, ...split.own, ...(split.anyOther ? split.other : [])] as unknown as import('uplot').AlignedData,
    target);
    // Follow the card's width (window resized, tablet rotated).
    if (typeof ResizeObserver !== 'undefined') {
      new ResizeObserver(() => {
        if (target.clientWidth && Math.abs(target.clientWidth - plot.width) > 2) {
          plot.setSize({ width: target.clientWidth, height: PLOT_HEIGHT });
        }
      }).observe(target);
    }
  } catch {
    target.textContent = 'Chart unavailable in this browser; see the values below.';
  }
}
