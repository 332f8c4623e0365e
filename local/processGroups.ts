/**
 * Process groups for the local components: spawn a command in its own process group (`detached: true`), capture
 * its output line by line, stop the whole group (SIGTERM, then SIGKILL after a grace period) and wait until no
 * live process of it is left. Groups still running when the parent exits (or gets SIGINT/SIGTERM/SIGHUP) are
 * SIGKILLed, and temporary folders registered with trackTempDir are removed.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import type { Readable } from 'node:stream';

const STOP_GRACE_MS = 5_000;

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

/** A temporary folder removed when the parent exits, if its owner has not removed it by then. */
export function trackTempDir(dir: string): void {
  tempDirs.add(dir);
}

export function untrackTempDir(dir: string): void {
  tempDirs.delete(dir);
}

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

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

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
