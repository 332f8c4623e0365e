/** Free loopback ports, HTTP polling and readiness of the local components started by processGroups.ts. */
import http from 'node:http';
import net from 'node:net';
import { type ManagedGroup, sleep } from './processGroups.js';

export const LOOPBACK = '127.0.0.1';
const PORT_ATTEMPTS = 3;

const recentlyHandedOut = new Set<number>();

/** A currently free TCP port on 127.0.0.1 (listen on port 0, read it, close). */
export async function findFreePort(host = LOOPBACK): Promise<number> {
  for (let attempt = 0; attempt < 20; attempt++) {
    const port = await new Promise<number>((resolve, reject) => {
      const server = net.createServer();
      server.unref();
      server.once('error', reject);
      server.listen(0, host, () => {
        const address = server.address();
        const p = typeof address === 'object' && address !== null ? address.port : 0;
        server.close(() => resolve(p));
      });
    });
    // Avoid handing the same port to two concurrent starts in this process.
    if (port > 0 && !recentlyHandedOut.has(port)) {
      recentlyHandedOut.add(port);
      setTimeout(() => recentlyHandedOut.delete(port), 60_000).unref();
      return port;
    }
  }
  throw new Error('could not find a free TCP port');
}

export interface HttpResult {
  status: number;
  body: string;
}

/** One GET without connection pooling (nothing is kept alive after the call). */
export function httpGet(url: string, timeoutMs = 2_000): Promise<HttpResult> {
  return new Promise((resolve, reject) => {
    const req = http.get(
      url,
      { agent: false, timeout: timeoutMs, headers: { connection: 'close' } },
      (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => {
          body += chunk;
        });
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
        res.on('error', reject);
      },
    );
    req.on('timeout', () => req.destroy(new Error(`GET ${url} timed out after ${timeoutMs} ms`)));
    req.on('error', reject);
  });
}

export function tail(lines: readonly string[], n = 25): string {
  const last = lines.slice(-n);
  return last.length === 0 ? '(no output)' : last.map((l) => `  | ${l}`).join('\n');
}

export type ReadinessOutcome = 'ready' | 'bind-failed';

export interface WaitReadyOptions {
  group: ManagedGroup;
  label: string;
  timeoutMs: number;
  /** Returns true once the process answers as expected. */
  probe: () => Promise<boolean>;
  /** Output lines that mean "port already taken" (retry on another port). */
  bindFailure?: RegExp;
  /** Turns a fatal output/exit into a more specific error (e.g. MissingToolError). */
  diagnose?: (lines: readonly string[]) => Error | undefined;
}

/**
 * Poll until `probe()` succeeds. Fails fast when the process exits, reports a bind failure, and
 * otherwise throws a timeout error that includes the last output lines.
 */
export async function waitReady(options: WaitReadyOptions): Promise<ReadinessOutcome> {
  const { group, label, timeoutMs } = options;
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const lines = group.lines();
    if (options.bindFailure && lines.some((l) => options.bindFailure?.test(l))) return 'bind-failed';
    const exit = group.exitInfo();
    if (exit !== undefined) {
      await Promise.race([sleep(300), group.stop()]); // let the remaining output arrive
      const finalLines = group.lines();
      if (options.bindFailure && finalLines.some((l) => options.bindFailure?.test(l))) return 'bind-failed';
      const diagnosed = options.diagnose?.(finalLines);
      if (diagnosed) throw diagnosed;
      throw new Error(
        `${label} exited before it became ready (code ${exit.code}, signal ${exit.signal}). Last output:\n${tail(finalLines)}`,
      );
    }
    if (await options.probe().catch(() => false)) return 'ready';
    if (Date.now() >= deadline) {
      const diagnosed = options.diagnose?.(lines);
      if (diagnosed) throw diagnosed;
      throw new Error(
        `${label} did not become ready within ${timeoutMs} ms. Last output:\n${tail(group.lines())}`,
      );
    }
    await sleep(150);
  }
}

/**
 * Start something on a port, retrying on a fresh free port if the chosen one was taken in the meantime
 * (only when the caller did not fix the port).
 */
export async function startOnFreePort<T>(
  fixedPort: number | undefined,
  attempt: (port: number) => Promise<T | 'bind-failed'>,
  label: string,
): Promise<T> {
  const attempts = fixedPort === undefined ? PORT_ATTEMPTS : 1;
  for (let i = 0; i < attempts; i++) {
    const port = fixedPort ?? (await findFreePort());
    const result = await attempt(port);
    if (result !== 'bind-failed') return result;
    if (fixedPort !== undefined) throw new Error(`${label}: port ${port} is already in use`);
  }
  throw new Error(`${label}: could not bind a free port after ${attempts} attempts`);
}
