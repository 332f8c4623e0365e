/**
 * The scenario file: which model, markets, volumes and injected problems `npm start` replays. Validated with
 * zod at load; local/scenario/default.json is the committed default.
 */
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { Monitor } from '../../alerting/alerts.js';
import { ModelName, ModelVersion } from '../../shared/contracts/common.js';
import { CATEGORY } from '../../shared/contracts/featureColumns.js';
import { CATEGORICAL, CATEGORICAL_FEATURES, NUMERIC_FEATURES } from './features.js';

export const ProblemKind = [
  'prediction_drift',
  'feature_pipeline_break',
  'calibration_decay',
  'lift_overprediction',
  'uplift_ranking_loss',
  'holdout_imbalance',
] as const;
export type ProblemKind = (typeof ProblemKind)[number];

/** Which monitor should page for each kind of injected problem. */
export const MONITOR_OF_PROBLEM: Record<ProblemKind, Monitor> = {
  prediction_drift: 'drift',
  feature_pipeline_break: 'drift',
  calibration_decay: 'calibration',
  lift_overprediction: 'lift',
  uplift_ranking_loss: 'uplift',
  holdout_imbalance: 'lift',
};

/**
 * The alerts that detect each kind of problem: a broken holdout must page through the sample ratio mismatch
 * alerts, and its biased lift must not page the lift alerts (its campaigns are excluded from them). A feature
 * pipeline break pages through the feature alerts and the prediction drift it causes; once the outcomes of the
 * badly scored days mature, the calibration alerts of its market are its doing too (the model scored listeners
 * on features they do not have).
 */
export const ALERTS_OF_PROBLEM: Record<ProblemKind, RegExp> = {
  prediction_drift: /^drift_/,
  feature_pipeline_break: /^(features?_|drift_|calibration_)/,
  calibration_decay: /^calibration_/,
  lift_overprediction: /^lift_(?!srm_)/,
  holdout_imbalance: /^lift_srm_/,
  uplift_ranking_loss: /^uplift_/,
};

/**
 * The alerts each kind of problem must fire, every group within the problem's documented delay: a pipeline break
 * must page through the feature alerts (the cause, what on-call can act on) and through the prediction drift it
 * causes; every other problem through its own alerts.
 */
export const REQUIRED_ALERTS_OF_PROBLEM: Record<ProblemKind, { name: string; alerts: RegExp }[]> = {
  prediction_drift: [{ name: 'prediction drift', alerts: ALERTS_OF_PROBLEM.prediction_drift }],
  feature_pipeline_break: [
    { name: 'feature alerts', alerts: /^features?_/ },
    { name: 'prediction drift', alerts: /^drift_/ },
  ],
  calibration_decay: [{ name: 'calibration', alerts: ALERTS_OF_PROBLEM.calibration_decay }],
  lift_overprediction: [{ name: 'lift', alerts: ALERTS_OF_PROBLEM.lift_overprediction }],
  uplift_ranking_loss: [{ name: 'uplift ranking', alerts: ALERTS_OF_PROBLEM.uplift_ranking_loss }],
  holdout_imbalance: [{ name: 'sample ratio mismatch', alerts: ALERTS_OF_PROBLEM.holdout_imbalance }],
};

const Market = z.string().regex(/^[a-z]{2,8}$/, 'markets are lower-case codes such as se');
const positiveRange = z
  .tuple([z.number().positive(), z.number().positive()])
  .refine(([low, high]) => low <= high, 'a range is [low, high] with low <= high');
const probabilityRange = z
  .tuple([z.number().min(0).max(1), z.number().min(0).max(1)])
  .refine(([low, high]) => low <= high, 'a range is [low, high] with low <= high');

const problemTiming = {
  market: Market,
  /** 1-based simulated day on whose 00:00 the problem starts. */
  startDay: z.number().int().min(1),
  /** Hours over which the problem grows from nothing to full size (0: a step). */
  rampHours: z.number().min(0).default(0),
  /**
   * The documented detection delay: `npm start` fails when the first alert of each group the problem must fire
   * (REQUIRED_ALERTS_OF_PROBLEM) comes later than this. At most the first affected window's end + its publish
   * delay + the slowest group's alert duration + one evaluation interval after the start (a ramp adds the hours
   * until a window is affected enough).
   */
  maxDetectionHours: z.number().positive().optional(),
};

/**
 * Minutes after its window end a producer publishes a window, whole minutes (the scenario's grain), at most a
 * day: Cloud Monitoring refuses a point more than 25 h older than its write.
 */
const DelayMinutes = z
  .number()
  .int()
  .min(0)
  .max(24 * 60);

/** The publish delay of each monitor's windows (0 for a monitor left out). */
export const PublishDelayMinutes = z.strictObject({
  drift: DelayMinutes.default(0),
  calibration: DelayMinutes.default(0),
  lift: DelayMinutes.default(0),
  uplift: DelayMinutes.default(0),
  features: DelayMinutes.default(0),
}) satisfies z.ZodType<Record<Monitor, number>>;
export type PublishDelayMinutes = z.infer<typeof PublishDelayMinutes>;

export const NO_PUBLISH_DELAY: PublishDelayMinutes = {
  drift: 0,
  calibration: 0,
  lift: 0,
  uplift: 0,
  features: 0,
};

export const Problem = z.discriminatedUnion('kind', [
  z.strictObject({
    kind: z.literal('prediction_drift'),
    ...problemTiming,
    /** Added to every prediction's logit: the scored population moved (the model stays calibrated on it). */
    logitShift: z.number(),
  }),
  z.strictObject({
    kind: z.literal('feature_pipeline_break'),
    ...problemTiming,
    /**
     * A numeric feature the pipeline starts sending as null for this share of the rows (at full size). The
     * FeatureBatch carries the nulls; the model is fed `imputedAs` instead.
     */
    nulls: z.strictObject({ feature: z.enum(NUMERIC_FEATURES), share: z.number().gt(0).max(1) }).optional(),
    /** What the serving path fills a null number with before scoring (0: the classic fill-with-zero bug). */
    imputedAs: z.number().min(0).default(0),
    /**
     * A categorical feature arriving as a category the model was never trained on, for this share of the rows:
     * the model scores it as the reference level (a one-hot encoder's all zeros).
     */
    unseenCategory: z
      .strictObject({
        feature: z.enum(CATEGORICAL_FEATURES),
        category: z.string().regex(CATEGORY, 'categories match ^[A-Za-z0-9_.:/+-]{1,128}$'),
        share: z.number().gt(0).max(1),
      })
      .optional(),
  }),
  z.strictObject({
    kind: z.literal('calibration_decay'),
    ...problemTiming,
    /** Added to the logit of the true conversion probability: negative means the predictions are too high. */
    logitShift: z.number(),
  }),
  z.strictObject({
    kind: z.literal('lift_overprediction'),
    ...problemTiming,
    /** Realized lift as a share of the predicted lift (0.5: campaigns deliver half the promise). */
    realizedShare: z.number().min(0),
  }),
  z.strictObject({
    kind: z.literal('uplift_ranking_loss'),
    ...problemTiming,
    /**
     * What listeners realize instead of their predicted uplift: `random`, an independent draw from the predicted
     * range (the scores carry no information), or `inverted`, the predicted range mirrored (highest scores
     * realize least).
     */
    ranking: z.enum(['random', 'inverted']),
  }),
  z.strictObject({
    kind: z.literal('holdout_imbalance'),
    ...problemTiming,
    /** Share of the control arm's units lost (not logged), all of them non-converters: 0.05 loses 5%. */
    controlLoss: z.number().gt(0).lt(1),
    /** How many of each day's campaigns (the first ones) go through the broken path. */
    campaigns: z.number().int().min(1),
    /** Treatment units of the affected campaigns, when they are larger than the usual ones. */
    treatmentUnits: z.number().int().min(1).optional(),
  }),
]);
export type Problem = z.infer<typeof Problem>;

export const ScenarioConfig = z
  .strictObject({
    description: z.string().optional(),
    model: ModelName,
    modelVersion: ModelVersion,
    /** Simulated start (00:00 of day 1); only names the simulated times in the report. */
    start: z.iso.datetime({ offset: true }).default('2026-03-02T00:00:00Z'),
    days: z.number().int().min(1).max(60),
    /** Days before the first problem: the week that must page nothing. */
    stableDays: z.number().int().min(0),
    markets: z.array(Market).min(1).max(20),
    /**
     * Conversion probabilities the model predicts: its logit has mean logitMean and standard deviation logitStd
     * over the listeners (the fixed model of local/scenario/features.ts is scaled to it).
     */
    population: z.strictObject({ logitMean: z.number(), logitStd: z.number().positive() }),
    baseline: z.strictObject({ size: z.number().int().min(100).max(1_000_000) }),
    predictions: z.strictObject({
      /** Predictions per hourly batch: the quietest hour gets the low end, the busiest the high end. */
      perHour: positiveRange,
      /**
       * How the PredictionBatches carry them: `predictionsF32` (raw values), or `binCounts` (counted in the
       * baseline's fine bins with its fingerprint, as a Beam or BigQuery producer sends a window).
       */
      encoding: z.enum(['predictionsF32', 'binCounts']).default('predictionsF32'),
    }),
    /**
     * How the FeatureBatches carry their columns: `compact` (valuesF32 and codesU16), or `counts` (numeric
     * binCounts in each feature's fine bins, categorical counts by name, with the missing counts).
     */
    featureWindows: z
      .strictObject({ encoding: z.enum(['compact', 'counts']).default('compact') })
      .default({ encoding: 'compact' }),
    outcomes: z.strictObject({
      /** Days between a day's predictions and the outcome batch that joins them to conversions. */
      attributionDelayDays: z.number().int().min(0),
      /** Matured (prediction, outcome) pairs per market and day. */
      perDay: z.number().int().min(1).max(1_000_000),
    }),
    campaigns: z.strictObject({
      /** Campaigns maturing per market and day (the lift miss-rate alert reads batches of 20 or more). */
      perDay: z.number().int().min(1).max(10_000),
      treatmentUnits: positiveRange,
      /**
       * Planned control (holdout) units as a share of treatment units: each unit is assigned to treatment with
       * probability 1 / (1 + controlShare), the plannedTreatmentShare the campaigns declare.
       */
      controlShare: z.number().positive().max(10),
      controlRate: probabilityRange,
      predictedLift: probabilityRange,
      /** Half width of the interval the model gives around each predicted lift. */
      predictedIntervalHalfWidth: z.number().min(0),
      /** Standard deviation of a campaign's true lift around the model's prediction (an honest model is not exact). */
      trueLiftNoise: z.number().min(0),
    }),
    uplift: z.strictObject({
      /** Listeners per market and day in the randomised uplift batch. */
      unitsPerDay: z.number().int().min(2).max(1_000_000),
      treatedShare: z.number().gt(0).lt(1),
      controlRate: probabilityRange,
      /** Predicted per-listener uplift is uniform on this range; an accurate model realizes it. */
      predictedUplift: probabilityRange,
    }),
    /** How late each monitor's windows are published (simulated minutes after the window end). */
    publishDelayMinutes: PublishDelayMinutes.default(NO_PUBLISH_DELAY),
    /** How long after its write the local Cloud Monitoring makes a point readable (simulated minutes). */
    ingestionDelayMinutes: z.number().int().min(0).max(60).default(0),
    problems: z.array(Problem),
  })
  .superRefine((config, context) => {
    config.problems.forEach((problem, index) => {
      if (!config.markets.includes(problem.market)) {
        context.addIssue({
          code: 'custom',
          path: ['problems', index, 'market'],
          message: `${problem.market} is not one of the markets`,
        });
      }
      if (problem.kind === 'feature_pipeline_break') {
        if (!problem.nulls && !problem.unseenCategory) {
          context.addIssue({
            code: 'custom',
            path: ['problems', index],
            message: 'a feature pipeline break needs nulls, unseenCategory or both',
          });
        }
        const unseen = problem.unseenCategory;
        if (unseen && unseen.category in CATEGORICAL[unseen.feature].shares) {
          context.addIssue({
            code: 'custom',
            path: ['problems', index, 'unseenCategory', 'category'],
            message: `${unseen.category} is a category ${unseen.feature} was trained on, not an unseen one`,
          });
        }
      }
      if (problem.startDay <= config.stableDays) {
        context.addIssue({
          code: 'custom',
          path: ['problems', index, 'startDay'],
          message: `starts on day ${problem.startDay}, inside the ${config.stableDays} stable days`,
        });
      }
    });
  });
export type ScenarioConfig = z.infer<typeof ScenarioConfig>;

export const DEFAULT_SCENARIO_FILE = new URL('./default.json', import.meta.url);

/** Reads and validates a scenario file; the error lists every problem, path first. */
export function loadScenario(file: string | URL = DEFAULT_SCENARIO_FILE): ScenarioConfig {
  const raw: unknown = JSON.parse(readFileSync(file, 'utf8'));
  return parseScenario(raw, String(file));
}

export function parseScenario(raw: unknown, source = 'scenario'): ScenarioConfig {
  const parsed = ScenarioConfig.safeParse(raw);
  if (!parsed.success)
    throw new Error(`${source} is not a valid scenario:\n${z.prettifyError(parsed.error)}`);
  return parsed.data;
}

/** The scenario cut to `days` (problems starting later are dropped, and the stable days shrink to fit). */
export function withDays(config: ScenarioConfig, days: number): ScenarioConfig {
  return {
    ...config,
    days,
    stableDays: Math.min(config.stableDays, days),
    problems: config.problems.filter((problem) => problem.startDay <= days),
  };
}

/** The publish delay of a monitor's windows, in ms. */
export const publishDelayMs = (config: ScenarioConfig, monitor: Monitor): number =>
  config.publishDelayMinutes[monitor] * 60_000;

/**
 * `--publish-delay`: comma-separated `monitor=duration` (a bare duration sets every monitor), a duration being
 * minutes (`20`, `20m`) or hours (`3h`, `1.5h`): `drift=20m,calibration=3h` or `0`. Whole minutes only.
 */
export function parsePublishDelay(text: string): Partial<PublishDelayMinutes> {
  const delays: Partial<PublishDelayMinutes> = {};
  for (const part of text.split(',')) {
    const [name, duration] = part.includes('=') ? part.split('=', 2) : [undefined, part];
    const match = /^(\d+(?:\.\d+)?)(m|h)?$/.exec((duration ?? '').trim());
    const minutes = match ? Number(match[1]) * (match[2] === 'h' ? 60 : 1) : Number.NaN;
    if (!Number.isInteger(minutes)) {
      throw new RangeError(`--publish-delay: ${part} is not monitor=minutes (20, 20m) or hours (3h)`);
    }
    const monitors = name === undefined ? Monitor : Monitor.filter((monitor) => monitor === name.trim());
    if (monitors.length === 0) {
      throw new RangeError(`--publish-delay: ${name} is not a monitor (${Monitor.join(', ')})`);
    }
    for (const monitor of monitors) delays[monitor] = minutes;
  }
  return delays;
}

/** The scenario with some monitors' publish delays replaced, validated like the file. */
export function withPublishDelays(
  config: ScenarioConfig,
  delays: Partial<PublishDelayMinutes>,
): ScenarioConfig {
  return parseScenario(
    { ...config, publishDelayMinutes: { ...config.publishDelayMinutes, ...delays } },
    '--publish-delay',
  );
}
