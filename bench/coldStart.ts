/**
 * Cold start of a function instance, as whole-process wall times of fresh Node processes: the built entry point
 * imported and a first prediction batch handled end to end (in-process fake Monitoring, in-memory baseline),
 * against the floor of a process that only imports `@google-cloud/monitoring`. The dependencies the entry point
 * loads are timed the same way, to show what dominates. Scenarios are interleaved run by run so that machine
 * noise hits them alike. Needs `npm run build`.
 */
import { spawnSync } from 'node:child_process';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { printTable } from './support.js';

/** Cold start may take at most this multiple of the floor (issue 7). */
export const COLD_START_TARGET = 1.3;

const fixture = (name: string) => fileURLToPath(new URL(`fixtures/${name}`, import.meta.url));
const entryPoint = fileURLToPath(new URL('../build/functions/index.js', import.meta.url));

interface Scenario {
  label: string;
  args: string[];
}

const FLOOR: Scenario = {
  label: "floor: import '@google-cloud/monitoring'",
  args: [fixture('importMonitoring.mjs')],
};
const COLD_START: Scenario = {
  label: 'cold start: import build/functions/index.js + first message handled',
  args: [fixture('coldStart.mjs')],
};
const SCENARIOS: Scenario[] = [
  { label: 'node, empty process', args: ['-e', ''] },
  FLOOR,
  { label: 'import build/functions/index.js (no message)', args: [fixture('importModule.mjs'), entryPoint] },
  COLD_START,
  ...[
    ['@google-cloud/monitoring', '@google-cloud/firestore'],
    ['@google-cloud/firestore'],
    ['@google-cloud/functions-framework'],
    ['@grpc/grpc-js'],
    ['zod'],
    ['@stdlib/stats-base-dists-chisquare-quantile'],
  ].map((modules) => ({
    label: `  import ${modules.map((module) => `'${module}'`).join(' + ')}`,
    args: [fixture('importModule.mjs'), ...modules],
  })),
];

function runOnce({ label, args }: Scenario): number {
  const start = performance.now();
  const result = spawnSync(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'], encoding: 'utf8' });
  const elapsedMs = performance.now() - start;
  if (result.status !== 0) throw new Error(`${label} failed (${result.status}): ${result.stderr}`);
  return elapsedMs;
}

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
};

/** Median whole-process wall times (ms) of each scenario over `runs` interleaved runs, after one warm-up each. */
export function measureColdStart(runs = 15): Map<string, number[]> {
  const times = new Map<string, number[]>(SCENARIOS.map((scenario) => [scenario.label, []]));
  for (const scenario of SCENARIOS) runOnce(scenario); // warm the file system cache
  for (let run = 0; run < runs; run++) {
    for (const scenario of SCENARIOS) times.get(scenario.label)!.push(runOnce(scenario));
  }
  return times;
}

export function benchColdStart(runs = 15): void {
  const times = measureColdStart(runs);
  const floor = median(times.get(FLOOR.label)!);
  const coldStart = median(times.get(COLD_START.label)!);
  printTable(
    `Cold start: whole-process wall time of a fresh Node process (median of ${runs} interleaved runs; floor = a bare import of @google-cloud/monitoring)`,
    ['process', 'median ms', 'min ms', 'vs floor'],
    SCENARIOS.map(({ label }) => {
      const samples = times.get(label)!;
      return [label, median(samples), Math.min(...samples), `${(median(samples) / floor).toFixed(2)}x`];
    }),
  );
  const ratio = coldStart / floor;
  console.log(
    `Cold start target (within ${COLD_START_TARGET}x of the floor): ${ratio <= COLD_START_TARGET ? 'met' : 'MISSED'} (${ratio.toFixed(2)}x)`,
  );
}
