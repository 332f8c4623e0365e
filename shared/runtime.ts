/**
 * What a function instance needs from its environment, created once per instance on first use: the project,
 * the Cloud Monitoring client, the baseline store and the tunable minimums. Tests and the local stack point
 * them at local components with the environment variables below, or replace them with setRuntime.
 *
 * - GOOGLE_CLOUD_PROJECT: the project the metrics are written to (required outside GCP).
 * - LIFTWATCH_MONITORING_ENDPOINT: host:port of a local MetricService (plaintext gRPC); unset in production.
 * - FIRESTORE_EMULATOR_HOST: read by the Firestore client itself.
 * - LIFTWATCH_DRIFT_MIN_SAMPLE: predictions a window needs before drift statistics are written (default 100).
 * - LIFTWATCH_DRIFT_MIN_SAMPLE also sets the non-missing values a feature needs before its distribution statistics
 *   are written (featureMonitor).
 * - LIFTWATCH_BASELINE_CACHE_SECONDS: how long an instance trusts a cached baseline, prediction or feature
 *   (default 300).
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
import * as z from 'zod';
import type { TimeSeriesClient } from './monitoring/writer.js';
import { type BaselineStore, CachedBaselineStore, FirestoreBaselineStore } from './store/baselineStore.js';
import {
  type FeatureBaselineStore,
  FirestoreFeatureBaselineStore,
  type StoredFeatureBaseline,
} from './store/featureBaselineStore.js';

export interface CalibrationMinimums {
  /** Pairs a batch needs before alert-bearing calibration metrics are written. */
  pairs: number;
  /**
   * Expected conversions E = sum p and expected non-conversions N - E a batch needs. Expected, not observed:
   * what noise can do to the statistics is set by the predictions, so a batch that was expected to convert 1,820
   * times and converted 5 is judged (and pages), not withheld for having few conversions.
   */
  expectedPerClass: number;
}

export interface LiftMinimums {
  /** Campaigns an aggregate needs before alert-bearing lift metrics are written. */
  campaigns: number;
  /** Treated and control units an uplift batch needs, each. */
  unitsPerArm: number;
}

export interface Runtime {
  projectId: string;
  monitoring: TimeSeriesClient;
  baselines: BaselineStore;
  featureBaselines: FeatureBaselineStore;
  /** Predictions a window needs before drift statistics are written; non-missing values a feature needs. */
  driftMinSample: number;
  calibrationMinimums: CalibrationMinimums;
  liftMinimums: LiftMinimums;
  now: () => Date;
}

/**
 * Feature baselines an instance caches: the largest the contracts accept (1,750,000 cells, all numeric) holds
 * 14 MB of sorted float64 values, so few are held (4 add at most ~56 MB to an instance sized for 4 concurrent
 * 10 MB batches, terraform/functions.tf); a feature monitor instance usually serves one or two model versions.
 */
export const FEATURE_BASELINE_CACHE_ENTRIES = 4;

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

/** A positive number setting; unset or empty keeps the code's default. */
const positiveSetting = (fallback: number) =>
  z
    .string()
    .optional()
    .transform((raw, context) => {
      if (raw === undefined || raw === '') return fallback;
      const value = Number(raw);
      if (value > 0 && Number.isFinite(value)) return value;
      context.addIssue({ code: 'custom', message: `must be a positive number, not ${JSON.stringify(raw)}` });
      return z.NEVER;
    });

/** The environment a function instance reads, parsed at the boundary like a message (other variables pass). */
const Environment = z
  .object({
    GOOGLE_CLOUD_PROJECT: z.string().optional(),
    GCLOUD_PROJECT: z.string().optional(),
    LIFTWATCH_MONITORING_ENDPOINT: z
      .string()
      .regex(/^[^\s:]+:\d{1,5}$/, 'must be host:port of a local MetricService')
      .optional(),
    LIFTWATCH_BASELINE_CACHE_SECONDS: positiveSetting(300),
    LIFTWATCH_DRIFT_MIN_SAMPLE: positiveSetting(DEFAULT_MINIMUMS.driftMinSample),
    LIFTWATCH_CALIBRATION_MIN_SAMPLE: positiveSetting(DEFAULT_MINIMUMS.calibrationMinimums.pairs),
    LIFTWATCH_CALIBRATION_MIN_EXPECTED: positiveSetting(
      DEFAULT_MINIMUMS.calibrationMinimums.expectedPerClass,
    ),
    LIFTWATCH_LIFT_MIN_CAMPAIGNS: positiveSetting(DEFAULT_MINIMUMS.liftMinimums.campaigns),
    LIFTWATCH_UPLIFT_MIN_PER_ARM: positiveSetting(DEFAULT_MINIMUMS.liftMinimums.unitsPerArm),
  })
  .transform((env, context) => {
    const projectId = env.GOOGLE_CLOUD_PROJECT || env.GCLOUD_PROJECT;
    if (!projectId) {
      context.addIssue({
        code: 'custom',
        path: ['GOOGLE_CLOUD_PROJECT'],
        message: 'must name the project that metrics are written to',
      });
      return z.NEVER;
    }
    return { ...env, projectId };
  });

/** Parses the environment; throws naming every variable that is wrong. */
export function parseEnvironment(env: NodeJS.ProcessEnv): z.output<typeof Environment> {
  const parsed = Environment.safeParse(env);
  if (parsed.success) return parsed.data;
  throw new Error(
    `liftwatch's environment is invalid: ${parsed.error.issues.map((issue) => `${issue.path.join('.')} ${issue.message}`).join('; ')}`,
  );
}

function fromEnvironment(variables: NodeJS.ProcessEnv): Runtime {
  const env = parseEnvironment(variables);
  const { projectId } = env;
  // One client for both stores, created on first use (see FirestoreBaselineStore).
  let firestore: Promise<import('@google-cloud/firestore').Firestore> | undefined;
  const connect = () => {
    firestore ??= import('@google-cloud/firestore').then((module) => new module.Firestore({ projectId }));
    return firestore;
  };
  return {
    projectId,
    monitoring: monitoringClient(projectId, env.LIFTWATCH_MONITORING_ENDPOINT),
    baselines: new CachedBaselineStore(
      new FirestoreBaselineStore(connect),
      env.LIFTWATCH_BASELINE_CACHE_SECONDS * 1000,
    ),
    featureBaselines: new CachedBaselineStore<StoredFeatureBaseline>(
      new FirestoreFeatureBaselineStore(connect),
      env.LIFTWATCH_BASELINE_CACHE_SECONDS * 1000,
      FEATURE_BASELINE_CACHE_ENTRIES,
    ),
    driftMinSample: env.LIFTWATCH_DRIFT_MIN_SAMPLE,
    calibrationMinimums: {
      pairs: env.LIFTWATCH_CALIBRATION_MIN_SAMPLE,
      expectedPerClass: env.LIFTWATCH_CALIBRATION_MIN_EXPECTED,
    },
    liftMinimums: {
      campaigns: env.LIFTWATCH_LIFT_MIN_CAMPAIGNS,
      unitsPerArm: env.LIFTWATCH_UPLIFT_MIN_PER_ARM,
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
