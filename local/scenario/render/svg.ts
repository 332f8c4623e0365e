/**
 * Small SVG charts rendered to strings, so the report is one static HTML file: no script, no network, opens
 * from disk. Each chart is an <svg> with a viewBox (it scales with its box) and <title> tooltips.
 */

export const escapeXml = (text: string): string =>
  text.replace(/[&<>"']/g, (c) => `&${{ '&': 'amp', '<': 'lt', '>': 'gt', '"': 'quot', "'": 'apos' }[c]};`);

export type Scale = (value: number) => number;

export function linearScale([d0, d1]: [number, number], [r0, r1]: [number, number]): Scale {
  const span = d1 - d0 || 1;
  return (value) => r0 + ((value - d0) / span) * (r1 - r0);
}

/** About `count` round tick values covering [min, max]. */
export function niceTicks(min: number, max: number, count = 4): number[] {
  if (!(max > min)) return [min];
  const raw = (max - min) / count;
  const magnitude = 10 ** Math.floor(Math.log10(raw));
  const step = ([1, 2, 2.5, 5, 10].find((m) => m * magnitude >= raw) ?? 10) * magnitude;
  const ticks: number[] = [];
  for (let tick = Math.ceil(min / step) * step; tick <= max + step * 1e-9; tick += step) {
    ticks.push(Number(tick.toPrecision(12)));
  }
  return ticks;
}

export function formatNumber(value: number): string {
  if (value === 0) return '0';
  const abs = Math.abs(value);
  if (abs >= 1000) return value.toLocaleString('en-US', { maximumFractionDigits: 0 });
  if (abs < 0.001) return value.toExponential(0);
  return String(Number(value.toPrecision(3)));
}

const round = (value: number) => Math.round(value * 10) / 10;

/** `M x y L x y ...` through the points; a gap wider than `maxGap` in x starts a new segment. */
export function pathThrough(
  points: readonly [number, number][],
  x: Scale,
  y: Scale,
  maxGap = Infinity,
): string {
  let d = '';
  let previous: number | undefined;
  for (const [px, py] of points) {
    const command = previous === undefined || px - previous > maxGap ? 'M' : 'L';
    d += `${command}${round(x(px))} ${round(y(py))}`;
    previous = px;
  }
  return d;
}

/** A filled band between lower and upper values, e.g. a 95% interval over time. */
export function bandPath(points: readonly [number, number, number][], x: Scale, y: Scale): string {
  if (points.length === 0) return '';
  const upper = points.map(([px, , hi]) => `${round(x(px))} ${round(y(hi))}`);
  const lower = [...points].reverse().map(([px, lo]) => `${round(x(px))} ${round(y(lo))}`);
  return `M${upper.join('L')}L${lower.join('L')}Z`;
}

export interface Frame {
  width: number;
  height: number;
  margin: { top: number; right: number; bottom: number; left: number };
}

export interface Axis {
  scale: Scale;
  ticks: { value: number; label: string }[];
}

/** The plot area, its grid, tick labels and a clip path; the chart's marks go between open and close. */
export function frame(
  id: string,
  f: Frame,
  x: Axis,
  y: Axis,
  title: string,
): { open: string; close: string } {
  const { width, height, margin } = f;
  const left = margin.left;
  const right = width - margin.right;
  const top = margin.top;
  const bottom = height - margin.bottom;
  const grid = y.ticks
    .map(
      ({ value, label }) =>
        `<line class="grid" x1="${left}" x2="${right}" y1="${round(y.scale(value))}" y2="${round(y.scale(value))}"/>` +
        `<text class="tick" x="${left - 4}" y="${round(y.scale(value)) + 3}" text-anchor="end">${escapeXml(label)}</text>`,
    )
    .join('');
  const xTicks = x.ticks
    .map(
      ({ value, label }) =>
        `<line class="xtick" x1="${round(x.scale(value))}" x2="${round(x.scale(value))}" y1="${bottom}" y2="${bottom + 3}"/>` +
        `<text class="tick" x="${round(x.scale(value))}" y="${bottom + 13}" text-anchor="middle">${escapeXml(label)}</text>`,
    )
    .join('');
  const open =
    `<svg class="chart" viewBox="0 0 ${width} ${height}" role="img" aria-label="${escapeXml(title)}">` +
    `<title>${escapeXml(title)}</title>` +
    `<defs><clipPath id="${id}"><rect x="${left}" y="${top}" width="${right - left}" height="${bottom - top}"/></clipPath></defs>` +
    `<rect class="plot" x="${left}" y="${top}" width="${right - left}" height="${bottom - top}"/>` +
    grid +
    xTicks +
    `<g clip-path="url(#${id})">`;
  return { open, close: '</g></svg>' };
}

let nextId = 0;
/** A document-unique id for clip paths. */
export const chartId = (): string => `c${++nextId}`;
