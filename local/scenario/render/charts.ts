/** The report's charts: a metric over simulated time, reliability diagram, lift per campaign, Qini curve. */
import {
  type Axis,
  bandPath,
  chartId,
  escapeXml,
  type Frame,
  formatNumber,
  frame,
  linearScale,
  niceTicks,
  pathThrough,
} from './svg.js';

const DAY_MS = 86_400_000;

export interface Shade {
  fromMs: number;
  toMs: number;
  severity: string;
  title: string;
}

export interface TimeSeriesChart {
  title: string;
  startMs: number;
  endMs: number;
  stableEndMs: number;
  line: [number, number][];
  /** A second metric drawn dashed on the same axis (e.g. the PSI null quantile). */
  companion?: { name: string; points: [number, number][] };
  band?: [number, number, number][];
  thresholds: { value: number; color: 'YELLOW' | 'RED'; label: string }[];
  shades: Shade[];
  injection?: { atMs: number; label: string };
  /** Plot -log10 p: p-values spread over many decades. */
  logScale?: boolean;
}

const SMALL: Frame = { width: 330, height: 150, margin: { top: 8, right: 8, bottom: 18, left: 40 } };
const LOG_FLOOR = 1e-16;

function dayAxis(startMs: number, endMs: number, f: Frame): Axis {
  const days = Math.round((endMs - startMs) / DAY_MS);
  const every = days > 20 ? 7 : days > 8 ? 2 : 1;
  const scale = linearScale([startMs, endMs], [f.margin.left, f.width - f.margin.right]);
  const ticks = Array.from({ length: Math.floor(days / every) + 1 }, (_, i) => i * every)
    .filter((day) => day < days || days <= 1)
    .map((day) => ({ value: startMs + day * DAY_MS, label: `d${day + 1}` }));
  return { scale, ticks };
}

export function timeSeriesChart(chart: TimeSeriesChart): string {
  const f = SMALL;
  const transform = chart.logScale ? (v: number) => Math.log10(Math.max(v, LOG_FLOOR)) : (v: number) => v;
  const values = [
    ...chart.line.map(([, v]) => v),
    ...(chart.companion?.points.map(([, v]) => v) ?? []),
    ...(chart.band?.flatMap(([, lo, hi]) => [lo, hi]) ?? []),
    ...chart.thresholds.map((t) => t.value),
  ].map(transform);
  let low = Math.min(...values);
  let high = Math.max(...values);
  if (!Number.isFinite(low)) [low, high] = [0, 1];
  const pad = (high - low || Math.abs(high) || 1) * 0.08;
  const domain: [number, number] = [low - pad, high + pad];
  const x = dayAxis(chart.startMs, chart.endMs, f);
  const yScale = linearScale(domain, [f.height - f.margin.bottom, f.margin.top]);
  const ticks = niceTicks(domain[0], domain[1], 4)
    .filter((tick) => !chart.logScale || Number.isInteger(tick))
    .map((value) => ({
      value,
      label: chart.logScale ? (value === 0 ? '1' : `1e${value}`) : formatNumber(value),
    }));
  // Ticks are in plotted (possibly log) units; data goes through the transform first.
  const { open, close } = frame(chartId(), f, x, { scale: yScale, ticks }, chart.title);
  const y = { scale: (v: number) => yScale(transform(v)) };
  const top = f.margin.top;
  const height = f.height - f.margin.top - f.margin.bottom;
  const rect = (from: number, to: number, cls: string, title: string) =>
    `<rect class="${cls}" x="${x.scale(from).toFixed(1)}" y="${top}" width="${Math.max(1, x.scale(to) - x.scale(from)).toFixed(1)}" height="${height}"><title>${escapeXml(title)}</title></rect>`;
  const parts = [open];
  if (chart.stableEndMs > chart.startMs)
    parts.push(rect(chart.startMs, chart.stableEndMs, 'stable', 'stable days'));
  for (const shade of chart.shades) {
    parts.push(rect(shade.fromMs, shade.toMs, `alert ${shade.severity.toLowerCase()}`, shade.title));
  }
  if (chart.band?.length) parts.push(`<path class="band" d="${bandPath(chart.band, x.scale, y.scale)}"/>`);
  for (const threshold of chart.thresholds) {
    const ty = y.scale(threshold.value).toFixed(1);
    parts.push(
      `<line class="threshold ${threshold.color.toLowerCase()}" x1="${f.margin.left}" x2="${f.width - f.margin.right}" y1="${ty}" y2="${ty}"><title>${escapeXml(threshold.label)}</title></line>`,
    );
  }
  const gap = 3 * medianStep(chart.line);
  if (chart.companion?.points.length) {
    parts.push(
      `<path class="line companion" d="${pathThrough(chart.companion.points, x.scale, y.scale, gap)}"><title>${escapeXml(chart.companion.name)}</title></path>`,
    );
  }
  parts.push(`<path class="line" d="${pathThrough(chart.line, x.scale, y.scale, gap)}"/>`);
  if (chart.line.length <= 60) {
    for (const [t, v] of chart.line) {
      parts.push(`<circle class="dot" cx="${x.scale(t).toFixed(1)}" cy="${y.scale(v).toFixed(1)}" r="2"/>`);
    }
  }
  if (chart.injection) {
    const ix = x.scale(chart.injection.atMs).toFixed(1);
    parts.push(
      `<line class="injection" x1="${ix}" x2="${ix}" y1="${top}" y2="${top + height}"><title>${escapeXml(chart.injection.label)}</title></line>`,
      `<path class="injectionmark" d="M${Number(ix) - 4} ${top}h8l-4 6z"><title>${escapeXml(chart.injection.label)}</title></path>`,
    );
  }
  parts.push(close);
  return parts.join('');
}

function medianStep(points: readonly [number, number][]): number {
  const steps = points
    .slice(1)
    .map(([t], i) => t - points[i]![0])
    .sort((a, b) => a - b);
  return steps[Math.floor(steps.length / 2)] ?? DAY_MS;
}

export interface XYSeries {
  name: string;
  className: string;
  points: { x: number; y: number; r?: number; low?: number; high?: number; title: string }[];
  /** Join the points with a line (in x order). */
  joined?: boolean;
}

export interface XYChart {
  title: string;
  xLabel: string;
  yLabel: string;
  xDomain: [number, number];
  yDomain: [number, number];
  series: XYSeries[];
  /** Reference lines y = slope x (+ a legend name), e.g. the diagonal of perfect calibration. */
  references?: { slope: number; name: string; from?: [number, number]; to?: [number, number] }[];
}

const SQUARE: Frame = { width: 300, height: 250, margin: { top: 10, right: 10, bottom: 32, left: 46 } };

export function xyChart(chart: XYChart): string {
  const f = SQUARE;
  const xScale = linearScale(chart.xDomain, [f.margin.left, f.width - f.margin.right]);
  const yScale = linearScale(chart.yDomain, [f.height - f.margin.bottom, f.margin.top]);
  const axis = (scale: typeof xScale, [a, b]: [number, number]): Axis => ({
    scale,
    ticks: niceTicks(a, b, 4).map((value) => ({ value, label: formatNumber(value) })),
  });
  const { open } = frame(chartId(), f, axis(xScale, chart.xDomain), axis(yScale, chart.yDomain), chart.title);
  const parts = [open];
  for (const reference of chart.references ?? []) {
    const [x0, y0] = reference.from ?? [chart.xDomain[0], chart.xDomain[0] * reference.slope];
    const [x1, y1] = reference.to ?? [chart.xDomain[1], chart.xDomain[1] * reference.slope];
    parts.push(
      `<line class="reference" x1="${xScale(x0).toFixed(1)}" y1="${yScale(y0).toFixed(1)}" x2="${xScale(x1).toFixed(1)}" y2="${yScale(y1).toFixed(1)}"><title>${escapeXml(reference.name)}</title></line>`,
    );
  }
  for (const series of chart.series) {
    const points = [...series.points].sort((a, b) => a.x - b.x);
    if (series.joined && points.length > 1) {
      parts.push(
        `<path class="xyline ${series.className}" d="${pathThrough(
          points.map((p) => [p.x, p.y]),
          xScale,
          yScale,
        )}"/>`,
      );
    }
    for (const point of points) {
      const cx = xScale(point.x).toFixed(1);
      if (point.low !== undefined && point.high !== undefined) {
        parts.push(
          `<line class="errorbar ${series.className}" x1="${cx}" x2="${cx}" y1="${yScale(point.low).toFixed(1)}" y2="${yScale(point.high).toFixed(1)}"/>`,
        );
      }
      parts.push(
        `<circle class="point ${series.className}" cx="${cx}" cy="${yScale(point.y).toFixed(1)}" r="${(point.r ?? 2.5).toFixed(1)}"><title>${escapeXml(point.title)}</title></circle>`,
      );
    }
  }
  parts.push(
    '</g>',
    `<text class="axislabel" x="${(f.margin.left + f.width - f.margin.right) / 2}" y="${f.height - 4}" text-anchor="middle">${escapeXml(chart.xLabel)}</text>`,
    `<text class="axislabel" transform="translate(11 ${(f.margin.top + f.height - f.margin.bottom) / 2}) rotate(-90)" text-anchor="middle">${escapeXml(chart.yLabel)}</text>`,
  );
  parts.push('</svg>');
  return parts.join('');
}
