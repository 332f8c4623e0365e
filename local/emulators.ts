/**
 * Start and stop real local components for tests and the local demo:
 * the Google Cloud CLI's Pub/Sub and Firestore emulators.
 *
 * Each emulator runs as `gcloud ... start` in its own process group (`detached: true`), because killing
 * the `gcloud` Python wrapper alone leaves its Java child running. `stop()` signals the whole group
 * (SIGTERM, then SIGKILL after a grace period) and waits until no live process of the group is left.
 * Groups still running when the parent exits (or gets SIGINT/SIGTERM/SIGHUP) are SIGKILLed.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import http from 'node:http';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import type { Readable } from 'node:stream';

export interface RunningProcess {
  host: string;
  port: number;
  /** `127.0.0.1:PORT` */
  endpoint: string;
  stop(): Promise<void>;
}

/** A required tool (gcloud, java, or an emulator component) is not installed. */
export class MissingToolError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'MissingToolError';
  }
}

export const LOOPBACK = '127.0.0.1';
const DEFAULT_EMULATOR_START_TIMEOUT_MS = 60_000;
const STOP_GRACE_MS = 5_000;
const PORT_ATTEMPTS = 3;

// ---------------------------------------------------------------------------------------------------
// Process groups: spawn, capture output, stop, and cleanup on parent exit.
// ---------------------------------------------------------------------------------------------------

export interface ExitInfo {
  code: number | null;
  signal: NodeJS.Signals | null;
}

/** A child process started as the leader of its own process group. */
export interface ManagedGroup {
  /** Pid of the direct child, which is also the process-group id. */
  readonly pid: number;
  /** Captured stdout+stderr lines, oldest first (bounded by `maxLines`). */
  lines(): string[];
  /** Set once the direct child has exited. */
  exitInfo(): ExitInfo | undefined;
  /** Resolves when the direct child exits. */
  readonly exited: Promise<ExitInfo>;
  /** SIGTERM the whole group, SIGKILL after `graceMs`, wait until no live member is left. Idempotent. */
  stop(graceMs?: number): Promise<void>;
}

export interface SpawnGroupOptions {
  command: string;
  args: readonly string[];
  env: NodeJS.ProcessEnv;
  cwd?: string;
  /** Keep at most this many output lines (oldest dropped). */
  maxLines: number;
  onLine?: (line: string) => void;
}

const runningGroups = new Set<number>();
let handlersInstalled = false;
const CLEANUP_SIGNALS: NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];

/** Temp dirs of running emulators, removed synchronously if the parent exits without stop(). */
const tempDirs = new Set<string>();

function killAllGroupsSync(): void {
  for (const pgid of runningGroups) {
    try {
      process.kill(-pgid, 'SIGKILL');
    } catch {
      // already gone
    }
  }
  runningGroups.clear();
  for (const dir of tempDirs) {
    try {
      fs.rmSync(dir, { recursive: true, force: true });
    } catch {
      // best effort
    }
  }
  tempDirs.clear();
}

function onExit(): void {
  killAllGroupsSync();
}

function onSignal(signal: NodeJS.Signals): void {
  killAllGroupsSync();
  // Adding a listener disables Node's default "terminate on signal" behaviour. If nobody else listens
  // for this signal, restore the default and re-raise it so the caller sees the usual termination.
  const othersListening = process.listenerCount(signal) > 1;
  uninstallHandlers();
  if (!othersListening) process.kill(process.pid, signal);
}

function installHandlers(): void {
  if (handlersInstalled) return;
  handlersInstalled = true;
  process.on('exit', onExit);
  for (const sig of CLEANUP_SIGNALS) process.on(sig, onSignal);
}

function uninstallHandlers(): void {
  if (!handlersInstalled) return;
  handlersInstalled = false;
  process.removeListener('exit', onExit);
  for (const sig of CLEANUP_SIGNALS) process.removeListener(sig, onSignal);
}

function register(pgid: number): void {
  runningGroups.add(pgid);
  installHandlers();
}

function unregister(pgid: number): void {
  runningGroups.delete(pgid);
  if (runningGroups.size === 0) uninstallHandlers();
}

function signalGroup(pgid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pgid, signal);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ESRCH') throw err;
  }
}

interface GroupMember {
  pid: number;
  ppid: number;
  zombie: boolean;
}

/**
 * Processes in the group, including zombies (exited, not yet reaped by their parent). Orphaned members
 * are re-parented to PID 1, which may reap them lazily (or never, in a container whose PID 1 is not an
 * init), so zombies must not count as running.
 */
function groupMembers(pgid: number): GroupMember[] {
  if (process.platform !== 'linux') {
    try {
      process.kill(-pgid, 0);
      return [{ pid: pgid, ppid: process.pid, zombie: false }];
    } catch {
      return [];
    }
  }
  const members: GroupMember[] = [];
  let entries: string[];
  try {
    entries = fs.readdirSync('/proc');
  } catch {
    return [];
  }
  for (const entry of entries) {
    if (!/^\d+$/.test(entry)) continue;
    let stat: string;
    try {
      stat = fs.readFileSync(`/proc/${entry}/stat`, 'utf8');
    } catch {
      continue;
    }
    // "pid (comm) state ppid pgrp ..." - comm may contain spaces/parens, so split after the last ')'.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const state = fields[0];
    if (Number(fields[2]) === pgid && state !== 'X') {
      members.push({ pid: Number(entry), ppid: Number(fields[1]), zombie: state === 'Z' });
    }
  }
  return members;
}

/** Pids of live (non-zombie) processes in the process group `pgid`. */
export function liveGroupMembers(pgid: number): number[] {
  return groupMembers(pgid)
    .filter((m) => !m.zombie)
    .map((m) => m.pid);
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

async function waitUntil(condition: () => boolean, timeoutMs: number, intervalMs = 50): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (condition()) return true;
    if (Date.now() >= deadline) return false;
    await sleep(intervalMs);
  }
}

function captureLines(stream: Readable | null, onLine: (line: string) => void): void {
  if (!stream) return;
  let pending = '';
  stream.setEncoding('utf8');
  stream.on('data', (chunk: string) => {
    pending += chunk;
    let nl = pending.indexOf('\n');
    while (nl >= 0) {
      onLine(pending.slice(0, nl).replace(/\r$/, ''));
      pending = pending.slice(nl + 1);
      nl = pending.indexOf('\n');
    }
  });
  stream.on('end', () => {
    if (pending !== '') onLine(pending);
    pending = '';
  });
}

/** Spawn `command` as the leader of a new process group and register it for cleanup. */
export async function spawnGroup(options: SpawnGroupOptions): Promise<ManagedGroup> {
  const child: ChildProcess = spawn(options.command, [...options.args], {
    detached: true,
    env: options.env,
    stdio: ['ignore', 'pipe', 'pipe'],
    ...(options.cwd !== undefined ? { cwd: options.cwd } : {}),
  });
  await new Promise<void>((resolve, reject) => {
    child.once('spawn', resolve);
    child.once('error', reject);
  });
  const pid = child.pid;
  if (pid === undefined) throw new Error(`failed to spawn ${options.command}`);
  register(pid);

  const buffer: string[] = [];
  const onLine = (line: string) => {
    buffer.push(line);
    if (buffer.length > options.maxLines) buffer.splice(0, buffer.length - options.maxLines);
    options.onLine?.(line);
  };
  captureLines(child.stdout, onLine);
  captureLines(child.stderr, onLine);

  let exit: ExitInfo | undefined;
  const exited = new Promise<ExitInfo>((resolve) => {
    child.once('exit', (code, signal) => {
      exit = { code, signal };
      resolve(exit);
    });
  });
  // A group whose leader exited on its own may still have members (e.g. an orphaned java).
  void exited.then(() => {
    if (liveGroupMembers(pid).length === 0) unregister(pid);
  });

  let stopping: Promise<void> | undefined;
  const stop = (graceMs = STOP_GRACE_MS): Promise<void> => {
    stopping ??= (async () => {
      const gone = () => exit !== undefined && liveGroupMembers(pid).length === 0;
      if (!gone()) {
        // Leaf-first: SIGTERM the deepest processes (the java emulator) and wait until their parents (the
        // emulator's shell script, the gcloud wrapper) have reaped them. Killing the whole group at once
        // would orphan java to PID 1, leaving a zombie `[java] <defunct>` until PID 1 reaps it.
        const signalled = new Set<number>();
        await waitUntil(
          () => {
            const members = groupMembers(pid);
            const livePids = new Set(members.filter((m) => !m.zombie).map((m) => m.pid));
            // Non-leader members that are alive, or zombies whose parent is still alive to reap them.
            const pending = members.filter((m) => m.pid !== pid && (!m.zombie || livePids.has(m.ppid)));
            if (pending.length === 0) return true;
            const parents = new Set(members.map((m) => m.ppid));
            for (const m of pending) {
              if (!m.zombie && !parents.has(m.pid) && !signalled.has(m.pid)) {
                signalled.add(m.pid);
                try {
                  process.kill(m.pid, 'SIGTERM');
                } catch {
                  // already gone
                }
              }
            }
            return false;
          },
          Math.min(graceMs, 3_000),
        );
        signalGroup(pid, 'SIGTERM');
        if (!(await waitUntil(gone, graceMs))) {
          signalGroup(pid, 'SIGKILL');
          if (!(await waitUntil(gone, 5_000))) {
            throw new Error(
              `process group ${pid} (${options.command}) still has live members after SIGKILL: ${liveGroupMembers(pid).join(', ')}`,
            );
          }
        }
      }
      unregister(pid);
      child.stdout?.destroy();
      child.stderr?.destroy();
    })();
    return stopping;
  };

  return {
    pid,
    lines: () => [...buffer],
    exitInfo: () => exit,
    exited,
    stop,
  };
}

// ---------------------------------------------------------------------------------------------------
// Ports and HTTP polling
// ---------------------------------------------------------------------------------------------------

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

// ---------------------------------------------------------------------------------------------------
// Tool discovery
// ---------------------------------------------------------------------------------------------------

function which(command: string): string | undefined {
  const dirs = (process.env.PATH ?? '').split(path.delimiter).filter((d) => d !== '');
  for (const dir of dirs) {
    const candidate = path.join(dir, command);
    try {
      fs.accessSync(candidate, fs.constants.X_OK);
      if (fs.statSync(candidate).isFile()) return candidate;
    } catch {
      // not here
    }
  }
  return undefined;
}

const APT_REPO_HINT =
  "Google's apt repository (deb [signed-by=/usr/share/keyrings/cloud.google.gpg] https://packages.cloud.google.com/apt cloud-sdk main, key https://packages.cloud.google.com/apt/doc/apt-key.gpg)";
const JAVA_HINT =
  'Install a Java JRE (the Firestore emulator needs 11+, gcloud > 528 will want 21+): on Debian 12 `apt-get install openjdk-17-jre-headless` (or `default-jre-headless`).';

interface EmulatorSpec {
  label: string;
  /** gcloud component id, also the directory under <sdk root>/platform. */
  component: string;
  /** Debian package providing the component. */
  debianPackage: string;
}

const PUBSUB: EmulatorSpec = {
  label: 'Pub/Sub emulator',
  component: 'pubsub-emulator',
  debianPackage: 'google-cloud-cli-pubsub-emulator',
};
const FIRESTORE: EmulatorSpec = {
  label: 'Firestore emulator',
  component: 'cloud-firestore-emulator',
  debianPackage: 'google-cloud-cli-firestore-emulator',
};

function installHint(spec: EmulatorSpec): string {
  return `On Debian/Ubuntu add ${APT_REPO_HINT} and run \`apt-get install google-cloud-cli ${spec.debianPackage}\`; with a non-apt SDK install run \`gcloud components install ${spec.component} beta\`.`;
}

/** Locate gcloud and java and check that the emulator component is present; throw MissingToolError if not. */
function requireTools(spec: EmulatorSpec): string {
  const gcloud = which('gcloud');
  if (gcloud === undefined) {
    throw new MissingToolError(
      `gcloud (Google Cloud CLI) was not found on PATH; the ${spec.label} needs it. ${installHint(spec)}`,
    );
  }
  if (which('java') === undefined) {
    throw new MissingToolError(`java was not found on PATH; the ${spec.label} runs on Java. ${JAVA_HINT}`);
  }
  // Standard layout: <sdk root>/bin/gcloud and <sdk root>/platform/<component>. Only check when the
  // layout is recognisable; otherwise rely on diagnosing gcloud's own error output.
  try {
    const root = path.dirname(path.dirname(fs.realpathSync(gcloud)));
    const platform = path.join(root, 'platform');
    if (fs.existsSync(platform) && !fs.existsSync(path.join(platform, spec.component))) {
      throw new MissingToolError(
        `The gcloud component "${spec.component}" (${spec.label}) is not installed (no ${path.join(platform, spec.component)}). ${installHint(spec)}`,
      );
    }
  } catch (err) {
    if (err instanceof MissingToolError) throw err;
  }
  return gcloud;
}

function diagnoseGcloudOutput(spec: EmulatorSpec): (lines: readonly string[]) => Error | undefined {
  return (lines) => {
    const text = lines.join('\n');
    if (/JRE must be installed|is not a Java \d+\+ JRE|Unable to execute the java/i.test(text)) {
      return new MissingToolError(
        `gcloud could not use Java for the ${spec.label}. ${JAVA_HINT}\n${tail(lines, 10)}`,
      );
    }
    if (
      /You need the \[[\w-]+\] component|managed by an external package manager|components install|Invalid choice: 'beta'/i.test(
        text,
      )
    ) {
      return new MissingToolError(
        `gcloud is missing a component for the ${spec.label}. ${installHint(spec)}\n${tail(lines, 10)}`,
      );
    }
    return undefined;
  };
}

function gcloudEnv(): NodeJS.ProcessEnv {
  return {
    ...process.env,
    CLOUDSDK_CORE_DISABLE_PROMPTS: '1',
    CLOUDSDK_COMPONENT_MANAGER_DISABLE_UPDATE_CHECK: 'true',
    CLOUDSDK_CORE_DISABLE_USAGE_REPORTING: 'true',
  };
}

const BIND_FAILURE = /BindException|Address already in use|EADDRINUSE/;

interface EmulatorLaunch {
  spec: EmulatorSpec;
  projectId: string;
  port: number | undefined;
  startTimeoutMs: number | undefined;
  /** gcloud arguments for a given port (and temp dir, if any). */
  args: (port: number, tempDir: string | undefined) => string[];
  needsTempDir: boolean;
  probe: (port: number) => Promise<boolean>;
}

async function startEmulator(launch: EmulatorLaunch): Promise<RunningProcess> {
  const { spec } = launch;
  const gcloud = requireTools(spec);
  const timeoutMs = launch.startTimeoutMs ?? DEFAULT_EMULATOR_START_TIMEOUT_MS;

  return startOnFreePort(
    launch.port,
    async (port) => {
      const tempDir = launch.needsTempDir
        ? await mkdtemp(path.join(os.tmpdir(), `liftwatch-${spec.component}-`))
        : undefined;
      if (tempDir !== undefined) tempDirs.add(tempDir);
      const removeTempDir = async () => {
        if (tempDir === undefined) return;
        await rm(tempDir, { recursive: true, force: true });
        tempDirs.delete(tempDir);
      };
      let group: ManagedGroup;
      try {
        group = await spawnGroup({
          command: gcloud,
          args: launch.args(port, tempDir),
          env: gcloudEnv(),
          maxLines: 500,
        });
      } catch (err) {
        await removeTempDir();
        if ((err as NodeJS.ErrnoException).code === 'ENOENT') {
          throw new MissingToolError(`could not execute ${gcloud}. ${installHint(spec)}`);
        }
        throw err;
      }
      let outcome: ReadinessOutcome;
      try {
        outcome = await waitReady({
          group,
          label: `${spec.label} (gcloud, port ${port})`,
          timeoutMs,
          probe: () => launch.probe(port),
          bindFailure: BIND_FAILURE,
          diagnose: diagnoseGcloudOutput(spec),
        });
      } catch (err) {
        await group.stop().catch(() => undefined);
        await removeTempDir();
        throw err;
      }
      if (outcome === 'bind-failed') {
        await group.stop();
        await removeTempDir();
        return 'bind-failed' as const;
      }
      let stopped: Promise<void> | undefined;
      return {
        host: LOOPBACK,
        port,
        endpoint: `${LOOPBACK}:${port}`,
        stop: () => {
          stopped ??= group.stop().finally(removeTempDir);
          return stopped;
        },
      } satisfies RunningProcess;
    },
    spec.label,
  );
}

/**
 * Start `gcloud beta emulators pubsub start` on a free loopback port (gRPC and REST on the same port),
 * with a temporary `--data-dir` that is removed on stop. Ready when
 * `GET /v1/projects/<projectId>/topics` returns 200.
 */
export async function startPubSubEmulator(options: {
  projectId: string;
  port?: number;
  startTimeoutMs?: number;
}): Promise<RunningProcess> {
  return startEmulator({
    spec: PUBSUB,
    projectId: options.projectId,
    port: options.port,
    startTimeoutMs: options.startTimeoutMs,
    needsTempDir: true,
    args: (port, tempDir) => [
      'beta',
      'emulators',
      'pubsub',
      'start',
      `--project=${options.projectId}`,
      `--host-port=${LOOPBACK}:${port}`,
      ...(tempDir !== undefined ? [`--data-dir=${tempDir}`] : []),
      '--quiet',
    ],
    probe: async (port) => {
      const res = await httpGet(
        `http://${LOOPBACK}:${port}/v1/projects/${encodeURIComponent(options.projectId)}/topics`,
        1_000,
      );
      return res.status === 200;
    },
  });
}

/**
 * Start `gcloud emulators firestore start` (Native mode) on a free loopback port. The emulator keeps
 * its data in memory (it has no data-dir option), so every start is a fresh database.
 * Ready when `GET /` answers `Ok`.
 */
export async function startFirestoreEmulator(options: {
  projectId: string;
  port?: number;
  startTimeoutMs?: number;
}): Promise<RunningProcess> {
  return startEmulator({
    spec: FIRESTORE,
    projectId: options.projectId,
    port: options.port,
    startTimeoutMs: options.startTimeoutMs,
    needsTempDir: false,
    args: (port) => [
      'emulators',
      'firestore',
      'start',
      `--project=${options.projectId}`,
      `--host-port=${LOOPBACK}:${port}`,
      '--database-mode=firestore-native',
      '--quiet',
    ],
    probe: async (port) => {
      const res = await httpGet(`http://${LOOPBACK}:${port}/`, 1_000);
      return res.status === 200 && res.body.trim() === 'Ok';
    },
  });
}

/**
 * Settings for `new Firestore(...)` from `@google-cloud/firestore` that target the emulator without
 * touching `process.env`: `host` + `ssl: false` (the client then uses an insecure channel and sends
 * `Authorization: Bearer owner`). `universeDomain` stops google-gax from probing Application Default
 * Credentials / the GCE metadata server on first use (MetadataLookupWarning).
 * Note: if FIRESTORE_EMULATOR_HOST is set in the environment, the client lets it win over `host`.
 */
export function firestoreEmulatorSettings(
  endpoint: string,
  projectId: string,
): { projectId: string; host: string; ssl: false; universeDomain: string } {
  return { projectId, host: endpoint, ssl: false, universeDomain: 'googleapis.com' };
}
