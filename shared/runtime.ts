/**
 * What a function instance needs from its environment, created once per instance on first use: the project,
 * the Cloud Monitoring client, the baseline store and the tunable minimums. Tests and the local stack point
 * them at local components with the environment variables below, or replace them with setRuntime.
 *
 * - GOOGLE_CLOUD_PROJECT: the project the metrics are written to (required outside GCP).
 * - LIFTWATCH_MONITORING_ENDPOINT: host:port of a local MetricService (plaintext gRPC); unset in production.
 * - FIRESTORE_EMULATOR_HOST: read by the Firestore client itself.
 * - LIFTWATCH_DRIFT_MIN_SAMPLE: predictions a window needs before drift statistics are written (default 100).
 * - LIFTWATCH_BASELINE_CACHE_SECONDS: how long an instance trusts a cached baseline (default 300).
 * - LIFTWATCH_CALIBRATION_MIN_SAMPLE: outcomes a batch needs before calibration statistics are written (default
 *   200).
 * - LIFTWATCH_CALIBRATION_MIN_EXPECTED: expected conversions E = sum p and expected non-conversions N - E a batch
 *   needs, each (default 10). Expected, not observed: a batch expected to convert 1,820 times that converted 5 is
 *   judged, and pages.
 * - LIFTWATCH_LIFT_MIN_CAMPAIGNS: campaigns a CampaignResults aggregate needs (default 5).
 * - LIFTWATCH_UPLIFT_MIN_PER_ARM: treated and control units an UpliftBatch needs (default 500 each).
 */

import { MetricServiceClient } from '@google-cloud/monitoring';
import * as grpc from '@grpc/grpc-js';
import type { TimeSeriesClient } from './monitoring/writer.js';
import type { CalibrationMinimums } from './monitors/calibration.js';
import type { LiftMinimums } from './monitors/lift.js';
import { type BaselineStore, CachedBaselineStore, FirestoreBaselineStore } from './store/baselineStore.js';

export interface Runtime {
  projectId: string;
  monitoring: TimeSeriesClient;
  baselines: BaselineStore;
  driftMinSample: number;
  calibrationMinimums: CalibrationMinimums;
  liftMinimums: LiftMinimums;
  now: () => Date;
}

/** The minimum sample sizes when the environment sets none: the one place these defaults are written. */
export const DEFAULT_MINIMUMS: Pick<Runtime, 'driftMinSample' | 'calibrationMinimums' | 'liftMinimums'> = {
  driftMinSample: 100,
  calibrationMinimums: { pairs: 200, expectedPerClass: 10 },
  liftMinimums: { campaigns: 5, unitsPerArm: 500 },
};

let current: Runtime | undefined;

export function runtime(): Runtime {
  current ??= fromEnvironment(process.env);
  return current;
}

/** Replaces the runtime (tests); returns a function that restores the previous one. */
export function setRuntime(replacement: Runtime): () => void {
  const previous = current;
  current = replacement;
  return () => {
    current = previous;
  };
}

function fromEnvironment(env: NodeJS.ProcessEnv): Runtime {
  const projectId = env.GOOGLE_CLOUD_PROJECT ?? env.GCLOUD_PROJECT;
  if (!projectId) throw new Error('GOOGLE_CLOUD_PROJECT must name the project that metrics are written to');
  return {
    projectId,
    monitoring: monitoringClient(projectId, env.LIFTWATCH_MONITORING_ENDPOINT),
    baselines: new CachedBaselineStore(
      new FirestoreBaselineStore(
        async () => new (await import('@google-cloud/firestore')).Firestore({ projectId }),
      ),
      positiveNumber(env, 'LIFTWATCH_BASELINE_CACHE_SECONDS', 300) * 1000,
    ),
    driftMinSample: positiveNumber(env, 'LIFTWATCH_DRIFT_MIN_SAMPLE', DEFAULT_MINIMUMS.driftMinSample),
    calibrationMinimums: {
      pairs: positiveNumber(
        env,
        'LIFTWATCH_CALIBRATION_MIN_SAMPLE',
        DEFAULT_MINIMUMS.calibrationMinimums.pairs,
      ),
      expectedPerClass: positiveNumber(
        env,
        'LIFTWATCH_CALIBRATION_MIN_EXPECTED',
        DEFAULT_MINIMUMS.calibrationMinimums.expectedPerClass,
      ),
    },
    liftMinimums: {
      campaigns: positiveNumber(env, 'LIFTWATCH_LIFT_MIN_CAMPAIGNS', DEFAULT_MINIMUMS.liftMinimums.campaigns),
      unitsPerArm: positiveNumber(
        env,
        'LIFTWATCH_UPLIFT_MIN_PER_ARM',
        DEFAULT_MINIMUMS.liftMinimums.unitsPerArm,
      ),
    },
    now: () => new Date(),
  };
}

/** The real client; against a local MetricService it speaks plaintext gRPC and sends no credentials. */
export function monitoringClient(projectId: string, localEndpoint?: string): MetricServiceClient {
  if (!localEndpoint) return new MetricServiceClient({ projectId });
  const separator = localEndpoint.lastIndexOf(':');
  return new MetricServiceClient({
    projectId,
    apiEndpoint: localEndpoint.slice(0, separator),
    port: Number(localEndpoint.slice(separator + 1)),
    sslCreds: grpc.credentials.createInsecure(),
    // Without it google-gax probes the GCE metadata server for the universe domain on every cold start.
    universeDomain: 'googleapis.com',
  });
}

function positiveNumber(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!(value > 0)) throw new Error(`${name} must be a positive number, not ${JSON.stringify(raw)}`);
  return value;
}
