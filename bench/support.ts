/** Benchmark helpers: medians of repeated timings, deterministic data, a table printer. */
import { performance } from 'node:perf_hooks';

/** Median wall time in ms of `runs` runs of `work` (after one warm-up run); `setup` runs untimed before each. */
export function medianMs<T>(runs: number, setup: () => T, work: (input: T) => unknown): number {
  const times: number[] = [];
  for (let i = 0; i <= runs; i++) {
    const input = setup();
    const start = performance.now();
    work(input);
    if (i > 0) times.push(performance.now() - start);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)]!;
}

/** Deterministic pseudo-random numbers in [0, 1) (a 32-bit xorshift), so every run measures the same data. */
export function uniforms(count: number, seed: number): Float64Array {
  let state = seed >>> 0 || 1;
  const values = new Float64Array(count);
  for (let i = 0; i < count; i++) {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    values[i] = (state >>> 0) / 4294967296;
  }
  return values;
}

export function printTable(title: string, header: string[], rows: (string | number)[][]): void {
  const cells = [
    header,
    ...rows.map((row) => row.map((cell) => (typeof cell === 'number' ? format(cell) : cell))),
  ];
  const widths = header.map((_, column) => Math.max(...cells.map((row) => String(row[column] ?? '').length)));
  console.log(`\n${title}`);
  for (const [index, row] of cells.entries()) {
    console.log(`| ${row.map((cell, column) => String(cell).padEnd(widths[column]!)).join(' | ')} |`);
    if (index === 0) console.log(`|${widths.map((width) => '-'.repeat(width + 2)).join('|')}|`);
  }
}

function format(value: number): string {
  if (value >= 100) return value.toFixed(0);
  if (value >= 10) return value.toFixed(1);
  return value.toFixed(2);
}
