/** Reading a local function process from /proc: which pid serves a port, and its peak resident memory. */
import { readdirSync, readFileSync } from 'node:fs';

/** The pid of the Functions Framework process started with `--port=<port>`, or undefined (not Linux, gone). */
export function functionsFrameworkPid(port: number): number | undefined {
  let entries: string[];
  try {
    entries = readdirSync('/proc');
  } catch {
    return undefined;
  }
  for (const entry of entries) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const args = readFileSync(`/proc/${entry}/cmdline`, 'utf8').split('\0');
      if (args.includes(`--port=${port}`) && args.some((arg) => arg.includes('functions-framework'))) {
        return Number(entry);
      }
    } catch {
      // gone or not ours to read
    }
  }
  return undefined;
}

/** Peak resident set size (VmHWM) of a process in MiB, or undefined. */
export function peakRssMiB(pid: number): number | undefined {
  try {
    const match = /^VmHWM:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Number(match[1]) / 1024 : undefined;
  } catch {
    return undefined;
  }
}

/** The value at quantile q (0..1) of sorted numbers (nearest rank). */
export function quantile(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))]!;
}
