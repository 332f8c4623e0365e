/**
 * The Google Cloud CLI's Pub/Sub and Firestore emulators, for tests and the local demo: find the tools (or say
 * how to install them), start each on a free loopback port (ports.ts) and wait until it answers.
 *
 * Each emulator runs as `gcloud ... start` in its own process group (processGroups.ts), because killing the
 * `gcloud` Python wrapper alone leaves its Java child running; stopping signals the whole group.
 */

import fs from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { httpGet, LOOPBACK, type ReadinessOutcome, startOnFreePort, tail, waitReady } from './ports.js';
import { type ManagedGroup, spawnGroup, trackTempDir, untrackTempDir } from './processGroups.js';

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

const DEFAULT_EMULATOR_START_TIMEOUT_MS = 60_000;

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
      if (tempDir !== undefined) trackTempDir(tempDir);
      const removeTempDir = async () => {
        if (tempDir === undefined) return;
        await rm(tempDir, { recursive: true, force: true });
        untrackTempDir(tempDir);
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
