/**
 * Run a function with the installed Functions Framework CLI
 * (`node_modules/@google-cloud/functions-framework/build/src/main.js`, started with `process.execPath`)
 * in its own process group, and capture its stdout/stderr lines (structured JSON logs end up there).
 */
import { createRequire } from 'node:module';
import path from 'node:path';
import type { RunningProcess } from './emulators.js';
import { httpGet, LOOPBACK, type ReadinessOutcome, startOnFreePort, tail, waitReady } from './ports.js';
import { spawnGroup } from './processGroups.js';

const DEFAULT_START_TIMEOUT_MS = 20_000;
const MAX_LOG_LINES = 100_000;

export interface FunctionsFrameworkOptions {
  /** Registered function name (`functions.cloudEvent('name', ...)`) or exported function name. */
  target: string;
  /** Path to the built JS module, e.g. `build/functions/index.js` (resolved against the cwd). */
  source: string;
  signatureType?: 'cloudevent' | 'http' | 'event';
  /** Merged over `process.env` for the child. */
  env?: Record<string, string>;
  port?: number;
  startTimeoutMs?: number;
}

export type RunningFunction = RunningProcess & {
  /** Lines of stdout+stderr so far, in arrival order. */
  logs(): string[];
};

function functionsFrameworkMain(): string {
  const require = createRequire(import.meta.url);
  // The package's main is build/src/index.js; the CLI entry point sits next to it.
  return path.join(path.dirname(require.resolve('@google-cloud/functions-framework')), 'main.js');
}

export async function startFunctionsFramework(options: FunctionsFrameworkOptions): Promise<RunningFunction> {
  const mainJs = functionsFrameworkMain();
  const source = path.resolve(options.source);
  const signatureType = options.signatureType ?? 'cloudevent';
  const timeoutMs = options.startTimeoutMs ?? DEFAULT_START_TIMEOUT_MS;
  const label = `Functions Framework (target ${options.target}, source ${options.source})`;

  return startOnFreePort(
    options.port,
    async (port) => {
      const env: NodeJS.ProcessEnv = { ...process.env, ...options.env, PORT: String(port) };
      // Set by `node --test` for its file subprocesses; a function process is not a test file.
      delete env.NODE_TEST_CONTEXT;
      const group = await spawnGroup({
        command: process.execPath,
        args: [
          mainJs,
          `--target=${options.target}`,
          `--source=${source}`,
          `--signature-type=${signatureType}`,
          `--port=${port}`,
        ],
        env,
        maxLines: MAX_LOG_LINES,
      });
      let outcome: ReadinessOutcome;
      try {
        outcome = await waitReady({
          group,
          label: `${label} on port ${port}`,
          timeoutMs,
          // Any HTTP answer means the server is listening.
          probe: async () => (await httpGet(`http://${LOOPBACK}:${port}/`, 1_000)).status > 0,
          bindFailure: /EADDRINUSE/,
        });
      } catch (err) {
        await group.stop().catch(() => undefined);
        throw err;
      }
      if (outcome === 'bind-failed') {
        await group.stop();
        return 'bind-failed' as const;
      }
      return {
        host: LOOPBACK,
        port,
        endpoint: `${LOOPBACK}:${port}`,
        stop: () => group.stop(),
        logs: () => group.lines(),
      } satisfies RunningFunction;
    },
    label,
  );
}

/**
 * Wait until a log line satisfies `predicate` (checking lines already captured first) and return it.
 * Throws after `timeoutMs` with the last captured lines.
 */
export async function waitForLog(
  proc: { logs(): string[] },
  predicate: (line: string) => boolean,
  timeoutMs = 10_000,
): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const lines = proc.logs();
    const hit = lines.find(predicate);
    if (hit !== undefined) return hit;
    if (Date.now() >= deadline) {
      throw new Error(`no matching log line within ${timeoutMs} ms. Last lines:\n${tail(lines)}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** Parse the JSON objects among the log lines (structured logs), skipping anything else. */
export function jsonLogs(lines: readonly string[]): Record<string, unknown>[] {
  const out: Record<string, unknown>[] = [];
  for (const line of lines) {
    const trimmed = line.trim();
    if (!trimmed.startsWith('{')) continue;
    try {
      const parsed: unknown = JSON.parse(trimmed);
      if (parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed)) {
        out.push(parsed as Record<string, unknown>);
      }
    } catch {
      // not JSON
    }
  }
  return out;
}
