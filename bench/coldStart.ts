/**
 * Cold start of a function instance, as whole-process wall times of fresh Node processes: an entry point
 * imported and a first prediction batch handled end to end (in-process fake Monitoring, in-memory baseline),
 * against the floor of a process that only imports `@google-cloud/monitoring`. Both entry points are measured:
 * the unbundled build (build/functions/index.js, what the functions loaded before) and the esbuild bundle the
 * deployment loads (package.json `main`, build/bundle/functions.js); the bundle also with Node's module compile
 * cache, empty (a new Cloud Run instance) and warm (a cache shipped with the image). The dependencies the entry
 * point loads are timed the same way, to show what dominates. Scenarios are interleaved run by run so that
 * machine noise hits them alike. Needs `npm run build`.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { summarizeBaseline } from '../shared/stats/drift/baselineSummary.js';
import { printTable } from './support.js';

/** Cold start may take at most this multiple of the floor (issue 7). */
export const COLD_START_TARGET = 1.3;

const fixture = (name: string) => fileURLToPath(new URL(`fixtures/${name}`, import.meta.url));
const built = (path: string) => fileURLToPath(new URL(`../build/${path}`, import.meta.url));
const UNBUNDLED = built('functions/index.js');
const BUNDLED = built('bundle/functions.js');

interface Scenario {
  label: string;
  args: string[];
  /** Environment for the process, computed per run (e.g. a fresh compile cache directory). */
  env?: (workDir: string, run: number) => Record<string, string>;
}

/** Deterministic values in [0.02, 0.12): the same generator as fixtures/benchRuntime.mjs. */
function lcgValues(count: number, seed: number): number[] {
  let state = seed;
  return Array.from({ length: count }, () => {
    state = (state * 1103515245 + 12345) % 2147483648;
    return 0.02 + 0.1 * (state / 2147483648);
  });
}

const coldStart = (entry: string, workDir: string) => [
  fixture('coldStart.mjs'),
  entry,
  join(workDir, 'baselineSummary.json'),
];

function scenarios(workDir: string): {
  floor: Scenario;
  unbundled: Scenario;
  bundled: Scenario;
  all: Scenario[];
} {
  const floor: Scenario = {
    label: "floor: import '@google-cloud/monitoring'",
    args: [fixture('importMonitoring.mjs')],
  };
  const unbundled: Scenario = {
    label: 'cold start, unbundled: import build/functions/index.js + first message handled',
    args: coldStart(UNBUNDLED, workDir),
  };
  const bundled: Scenario = {
    label: 'cold start, bundled: import build/bundle/functions.js + first message handled',
    args: coldStart(BUNDLED, workDir),
  };
  const warmCache = join(workDir, 'warm-compile-cache');
  return {
    floor,
    unbundled,
    bundled,
    all: [
      { label: 'node, empty process', args: ['-e', ''] },
      floor,
      {
        label: 'import build/functions/index.js (no message)',
        args: [fixture('importModule.mjs'), UNBUNDLED],
      },
      unbundled,
      {
        label: 'import build/bundle/functions.js (no message)',
        args: [fixture('importModule.mjs'), BUNDLED],
      },
      bundled,
      {
        label: '  the same, compile cache enabled but empty (a new instance)',
        args: coldStart(BUNDLED, workDir),
        env: (dir, run) => ({ NODE_COMPILE_CACHE: join(dir, `empty-compile-cache-${run}`) }),
      },
      {
        label: '  the same, compile cache warm (shipped with the image)',
        args: coldStart(BUNDLED, workDir),
        env: () => ({ NODE_COMPILE_CACHE: warmCache }),
      },
      {
        label: '  floor with the compile cache warm',
        args: [fixture('importMonitoring.mjs')],
        env: () => ({ NODE_COMPILE_CACHE: warmCache }),
      },
      ...[
        ['@google-cloud/monitoring', '@google-cloud/firestore'],
        ['@google-cloud/firestore'],
        ['@google-cloud/functions-framework'],
        ['@google-cloud/functions-framework/testing'],
        ['@grpc/grpc-js'],
        ['zod'],
        ['@stdlib/stats-base-dists-chisquare-quantile'],
      ].map((modules) => ({
        label: `  import ${modules.map((module) => `'${module}'`).join(' + ')}`,
        args: [fixture('importModule.mjs'), ...modules],
      })),
    ],
  };
}

function runOnce({ label, args, env }: Scenario, workDir: string, run: number): number {
  const start = performance.now();
  const result = spawnSync(process.execPath, args, {
    stdio: ['ignore', 'pipe', 'pipe'],
    encoding: 'utf8',
    env: { ...process.env, ...env?.(workDir, run) },
  });
  const elapsedMs = performance.now() - start;
  if (result.status !== 0) throw new Error(`${label} failed (${result.status}): ${result.stderr}`);
  return elapsedMs;
}

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
};

/** Whole-process wall times (ms) of each scenario over `runs` interleaved runs, after one warm-up each. */
export function measureColdStart(runs = 15): {
  times: Map<string, number[]>;
  labels: ReturnType<typeof scenarios>;
} {
  const workDir = mkdtempSync(join(tmpdir(), 'liftwatch-cold-start-'));
  try {
    const summary = summarizeBaseline(lcgValues(1000, 1));
    writeFileSync(
      join(workDir, 'baselineSummary.json'),
      JSON.stringify({
        ...summary,
        edges: [...summary.edges],
        sortedReference: [...summary.sortedReference],
      }),
    );
    const labels = scenarios(workDir);
    const times = new Map<string, number[]>(labels.all.map((scenario) => [scenario.label, []]));
    // Warms the file system cache, and the warm compile cache.
    for (const scenario of labels.all) runOnce(scenario, workDir, -1);
    for (let run = 0; run < runs; run++) {
      for (const scenario of labels.all) times.get(scenario.label)!.push(runOnce(scenario, workDir, run));
    }
    return { times, labels };
  } finally {
    rmSync(workDir, { recursive: true, force: true });
  }
}

export function benchColdStart(runs = 15): void {
  const { times, labels } = measureColdStart(runs);
  const floor = median(times.get(labels.floor.label)!);
  printTable(
    `Cold start: whole-process wall time of a fresh Node process (median of ${runs} interleaved runs; floor = a bare import of @google-cloud/monitoring)`,
    ['process', 'median ms', 'min ms', 'vs floor'],
    labels.all.map(({ label }) => {
      const samples = times.get(label)!;
      return [label, median(samples), Math.min(...samples), `${(median(samples) / floor).toFixed(2)}x`];
    }),
  );
  const before = median(times.get(labels.unbundled.label)!) / floor;
  const ratio = median(times.get(labels.bundled.label)!) / floor;
  console.log(
    `Cold start target (the bundle within ${COLD_START_TARGET}x of the floor): ${ratio <= COLD_START_TARGET ? 'met' : 'MISSED'} (${ratio.toFixed(2)}x; unbundled ${before.toFixed(2)}x)`,
  );
}
