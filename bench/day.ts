/**
 * The day benchmark: a bounded fraction of one simulated day of hourly windows for 10,000 segments (240,000
 * messages), per message kind, through the Functions Framework's HTTP server on loopback (Pub/Sub push bodies,
 * one in flight) with the in-process Monitoring rules (bench/dayRun.ts), every run in a fresh process so its
 * peak RSS is one instance's. Figures: messages/s per process, CPU-ms per message (process.cpuUsage, user +
 * system, total over a run / its messages, median of the runs), peak RSS (median of the runs), the extrapolation
 * to 240,000 messages a day,
 * and the same kinds handed straight to the registered handler with a Monitoring client that accepts every write
 * (the function's own work, no HTTP, no write rules). Then the cost table (bench/dayCost.ts).
 *
 *   npm run bench -- day [KIND...]        only this benchmark (all kinds, or those named)
 *   LIFTWATCH_DAY_REPETITIONS=N           measured runs per kind (default 3)
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type MeasuredKind, printDayCost, WINDOWS_PER_DAY } from './dayCost.js';
import { DAY_KINDS } from './dayKinds.js';
import type { DayRun, MonitoringMode, Transport } from './dayRun.js';
import { printTable } from './support.js';

const DAY_RUN = fileURLToPath(new URL('dayRun.ts', import.meta.url));
const SAVED = fileURLToPath(new URL('../build/bench/day.json', import.meta.url));

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
};

/** `repetitions` runs of the kind, each in a fresh process (a warm-up hour, then one measured day's share). */
function runKind(kind: string, repetitions: number, transport: Transport, monitoring: MonitoringMode) {
  const runs = Array.from({ length: repetitions }, () => {
    const output = execFileSync(
      process.execPath,
      [...process.execArgv, DAY_RUN, kind, '1', transport, monitoring],
      { encoding: 'utf8', maxBuffer: 16 * 2 ** 20, stdio: ['ignore', 'pipe', 'inherit'] },
    );
    return JSON.parse(output.trim().split('\n').at(-1)!) as DayRun;
  });
  return {
    ...runs[0]!,
    repetitions: runs.flatMap((run) => run.repetitions),
    peakRssMiB: median(runs.map((run) => run.peakRssMiB)),
    registeredRssMiB: median(runs.map((run) => run.registeredRssMiB)),
  };
}

const perMessage = (run: Pick<DayRun, 'repetitions'>, field: 'cpuMs' | 'wallMs') =>
  run.repetitions.map((repetition) => repetition[field] / repetition.messages);

export function benchDay(names: string[] = []): void {
  const repetitions = Number(process.env.LIFTWATCH_DAY_REPETITIONS ?? 3);
  const kinds = names.length === 0 ? DAY_KINDS : DAY_KINDS.filter((kind) => names.includes(kind.name));
  if (kinds.length < Math.max(1, names.length)) {
    throw new Error(
      `unknown day kind among ${names.join(', ')}; kinds: ${DAY_KINDS.map((k) => k.name).join(', ')}`,
    );
  }
  const rows: (string | number)[][] = [];
  const measured: Record<string, MeasuredKind & { ownCpuMsPerMessage: number; peakRssMiB: number }> = {};
  for (const kind of kinds) {
    const run = runKind(kind.name, repetitions, 'http', 'rules');
    const own = runKind(kind.name, repetitions, 'handler', 'accept-all');
    const cpu = perMessage(run, 'cpuMs');
    const wall = perMessage(run, 'wallMs');
    const messages = run.repetitions[0]!.messages;
    const cpuMs = median(cpu);
    const ownCpuMs = median(perMessage(own, 'cpuMs'));
    measured[kind.name] = {
      cpuMsPerMessage: cpuMs,
      wallMsPerMessage: median(wall),
      messageBytes: run.messageBytes,
      ownCpuMsPerMessage: ownCpuMs,
      peakRssMiB: run.peakRssMiB,
    };
    rows.push([
      kind.name,
      `${messages.toLocaleString('en')} (${((100 * messages) / WINDOWS_PER_DAY).toFixed(2)}%)`,
      median(run.repetitions.map((r) => r.wallMs / 1000)),
      1000 / median(wall),
      `${cpuMs.toFixed(2)} (${Math.min(...cpu).toFixed(2)}-${Math.max(...cpu).toFixed(2)})`,
      ownCpuMs,
      `${run.peakRssMiB.toFixed(0)} (${run.registeredRssMiB.toFixed(0)})`,
      (run.messageBytes / 1000).toFixed(1),
      run.repetitions[0]!.points / messages,
      (WINDOWS_PER_DAY * cpuMs) / 1000,
    ]);
  }
  printTable(
    `A day of hourly windows, 10,000 segments (${WINDOWS_PER_DAY.toLocaleString('en')} messages a day): a bounded fraction per kind (segments x 24 hours), Functions Framework HTTP server on loopback, one push in flight, in-process Monitoring rules; ${repetitions} runs per kind, each in a fresh process after a warm-up hour; CPU-ms/message = median over runs of total CPU / messages (min-max); shared noisy 2-core machine`,
    [
      'kind',
      'messages/run (share of day)',
      'wall s',
      'messages/s',
      'CPU-ms/message',
      'CPU-ms/message, handler only, no write rules',
      'peak RSS MiB (before the first window)',
      'message KB',
      'points/message',
      'CPU-s/day at 240,000',
    ],
    rows,
  );
  for (const kind of kinds) console.log(`- ${kind.name}: ${kind.description}`);
  mkdirSync(dirname(SAVED), { recursive: true });
  writeFileSync(
    SAVED,
    `${JSON.stringify({ date: new Date().toISOString(), repetitions, measured }, null, 2)}\n`,
  );
  const raw = measured['drift-4167'];
  const binned = measured['drift-binned'];
  if (raw && binned) printDayCost(raw, binned, 'binned = the drift-binned kind as measured');
}
