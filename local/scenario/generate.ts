/**
 * The scenario's messages, in simulated time: a prediction baseline and a feature baseline, then per market
 * hourly PredictionBatches with the FeatureBatch of the same listeners, daily
 * OutcomeBatches after the attribution delay, and daily CampaignResults and UpliftBatches, each published its
 * monitor's publish delay after its window end. Pure and seeded:
 * each message is built from its own random stream, on demand, so the same (config, seed) always gives the same
 * messages and nothing needs to be held in memory.
 */

import type { Monitor } from '../../alerting/alerts.js';
import { encodeFloat32 } from '../../shared/contracts/float32.js';
import { decodeMessage, FeatureBaseline } from '../../shared/contracts/index.js';
import {
  type FeatureBinning,
  featureBinning,
  type PredictionBinning,
  predictionBinning,
} from '../../shared/monitors/binning.js';
import { summarizeFeatureBaseline } from '../../shared/monitors/featureBaseline.js';
import { summarizeBaseline } from '../../shared/stats/drift/baselineSummary.js';
import { binCountsSorted } from '../../shared/stats/drift/quantileBins.js';
import { MONITOR_OF_PROBLEM, type Problem, publishDelayMs, type ScenarioConfig } from './config.js';
import {
  countedFeatureColumns,
  drawListeners,
  featureColumns,
  ListenerModel,
  type ListenerRows,
  type PipelineBreak,
  serve,
} from './features.js';
import { logistic, RandomStream } from './random.js';

export const HOUR_MS = 3_600_000;
export const DAY_MS = 24 * HOUR_MS;

export type MessageKind = 'predictions' | 'features' | 'outcomes' | 'campaigns' | 'uplift';

/** The function each kind of message goes to, and so its topic. */
export const FUNCTION_OF_KIND = {
  predictions: 'driftMonitor',
  features: 'featureMonitor',
  outcomes: 'calibrationMonitor',
  campaigns: 'liftMonitor',
  uplift: 'upliftMonitor',
} as const;

/**
 * The monitor whose metrics each kind of message produces, and so its publish delay (a FeatureBatch goes out with
 * the PredictionBatch of the same listeners: the default scenario gives both the same delay).
 */
export const MONITOR_OF_KIND: Record<MessageKind, Monitor> = {
  predictions: 'drift',
  features: 'features',
  outcomes: 'calibration',
  campaigns: 'lift',
  uplift: 'uplift',
};

export interface ScenarioEvent {
  kind: MessageKind;
  market: string;
  /** Simulated windowEnd. */
  simTimeMs: number;
  /** Simulated time the producer publishes it: the window end plus its monitor's publish delay. */
  publishSimMs: number;
  /** Builds the message with its windowEnd at `windowEnd` (the replay maps simulated onto writable times). */
  message(windowEnd: Date): Record<string, unknown>;
}

/** An injected problem with its simulated start. */
export interface InjectedProblem {
  problem: Problem;
  monitor: Monitor;
  startMs: number;
}

export interface Scenario {
  config: ScenarioConfig;
  seed: number;
  startMs: number;
  /** End of the last simulated day. */
  endMs: number;
  problems: InjectedProblem[];
  /** The data-generating process (to recompute a batch's data for the report). */
  world: World;
  baseline: Record<string, unknown>;
  /** The FeatureBaseline: the same listeners as the prediction baseline, with each feature's importance. */
  featureBaseline: Record<string, unknown>;
  /** Every windowed message, in order of publication (then of window end). */
  events: ScenarioEvent[];
}

export function buildScenario(config: ScenarioConfig, seed: number): Scenario {
  const startMs = Date.parse(config.start);
  const endMs = startMs + config.days * DAY_MS;
  const problems = config.problems.map((problem) => ({
    problem,
    monitor: MONITOR_OF_PROBLEM[problem.kind],
    startMs: startMs + (problem.startDay - 1) * DAY_MS,
  }));
  const world = new World(config, seed, problems);
  const events: ScenarioEvent[] = [];
  const event = (
    kind: MessageKind,
    market: string,
    simTimeMs: number,
    message: ScenarioEvent['message'],
  ): ScenarioEvent => ({
    kind,
    market,
    simTimeMs,
    publishSimMs: simTimeMs + publishDelayMs(config, MONITOR_OF_KIND[kind]),
    message,
  });
  for (const market of config.markets) {
    for (let hour = 1; hour <= config.days * 24; hour++) {
      const simTimeMs = startMs + hour * HOUR_MS;
      events.push(
        event('predictions', market, simTimeMs, (end) => world.predictionBatch(market, simTimeMs, end)),
        event('features', market, simTimeMs, (end) => world.featureBatch(market, simTimeMs, end)),
      );
    }
    for (let day = 1; day <= config.days; day++) {
      const dayEnd = startMs + day * DAY_MS;
      const finalised = dayEnd + config.outcomes.attributionDelayDays * DAY_MS;
      if (finalised <= endMs) {
        events.push(event('outcomes', market, finalised, (end) => world.outcomeBatch(market, dayEnd, end)));
      }
      events.push(event('campaigns', market, dayEnd, (end) => world.campaignResults(market, dayEnd, end)));
      events.push(event('uplift', market, dayEnd, (end) => world.upliftBatch(market, dayEnd, end)));
    }
  }
  const order: MessageKind[] = ['predictions', 'features', 'outcomes', 'campaigns', 'uplift'];
  events.sort(
    (a, b) =>
      a.publishSimMs - b.publishSimMs ||
      a.simTimeMs - b.simTimeMs ||
      order.indexOf(a.kind) - order.indexOf(b.kind) ||
      config.markets.indexOf(a.market) - config.markets.indexOf(b.market),
  );
  const { baseline, featureBaseline } = world.baselines();
  return { config, seed, startMs, endMs, problems, world, baseline, featureBaseline, events };
}

/** The simulated span the replay covers: the last publication, and when its points become readable. */
export function publicationEnd(scenario: Scenario): { lastPublishMs: number; lastVisibleMs: number } {
  const lastPublishMs = Math.max(scenario.endMs, ...scenario.events.map((event) => event.publishSimMs));
  return { lastPublishMs, lastVisibleMs: lastPublishMs + scenario.config.ingestionDelayMinutes * 60_000 };
}

/** Listeners as the model was fed them, its predictions, and the truth of each. */
export interface ScoredListeners {
  /** The features as served (and as the FeatureBatch carries them). */
  served: ListenerRows;
  /** The model's predicted conversion probabilities of the served features. */
  predictions: Float64Array;
  /** True conversion probabilities: the model's on the listeners' real features, moved by any problem. */
  truths: Float64Array;
}

/**
 * The data-generating process: the listeners and their features, the model's predictions of what it is served,
 * and what really happens. The model is right about the listeners' real features: a problem in the served
 * features (a pipeline break) makes it wrong, a calibration decay moves the truth, a prediction drift moves
 * the scored population (the model stays calibrated on it).
 */
export class World {
  readonly model: ListenerModel;
  /** The last hours scored: a PredictionBatch and the FeatureBatch of its listeners are built one after the other. */
  private readonly recentHours = new Map<string, ScoredListeners>();

  constructor(
    private readonly config: ScenarioConfig,
    private readonly seed: number,
    private readonly problems: InjectedProblem[],
  ) {
    this.model = new ListenerModel(config.population);
  }

  private header(market: string, windowEnd: Date) {
    return {
      schemaVersion: 1,
      model: this.config.model,
      modelVersion: this.config.modelVersion,
      segment: { market },
      windowEnd: windowEnd.toISOString(),
    };
  }

  /** How far a problem of `kind` in `market` has grown at simulated time t, 0 to 1. */
  severity(kind: Problem['kind'], market: string, t: number): { share: number; problem?: Problem } {
    for (const { problem, startMs } of this.problems) {
      if (problem.kind !== kind || problem.market !== market || t < startMs) continue;
      const rampMs = problem.rampHours * HOUR_MS;
      return { share: rampMs === 0 ? 1 : Math.min(1, (t - startMs) / rampMs), problem };
    }
    return { share: 0 };
  }

  /** The shift of the prediction logits (population drift) at t. */
  private driftShift(market: string, t: number): number {
    const { share, problem } = this.severity('prediction_drift', market, t);
    return problem?.kind === 'prediction_drift' ? share * problem.logitShift : 0;
  }

  /** The shift of the true conversion logits (calibration decay) at t. */
  private truthShift(market: string, t: number): number {
    const { share, problem } = this.severity('calibration_decay', market, t);
    return problem?.kind === 'calibration_decay' ? share * problem.logitShift : 0;
  }

  /** Realized lift as a share of the predicted one, for results finalised at t. */
  private liftShare(market: string, t: number): number {
    const { share, problem } = this.severity('lift_overprediction', market, t);
    return problem?.kind === 'lift_overprediction' ? 1 - share * (1 - problem.realizedShare) : 1;
  }

  /** The pipeline break of `market`, if any, and what the serving path imputes for a null. */
  private pipelineBreak(market: string): { broken: PipelineBreak; imputed: number } {
    const { problem } = this.severity('feature_pipeline_break', market, Number.POSITIVE_INFINITY);
    if (problem?.kind !== 'feature_pipeline_break') return { broken: {}, imputed: 0 };
    return {
      broken: {
        ...(problem.nulls ? { nulls: problem.nulls } : {}),
        ...(problem.unseenCategory ? { unseenCategory: problem.unseenCategory } : {}),
      },
      imputed: problem.imputedAs,
    };
  }

  /**
   * `count` listeners of `market` scored at the times `timeOf(i)`: drawn from the stream `name`, served
   * through the market's pipeline (from the stream `serving/<name>`, so a break leaves the listeners alone).
   */
  private scored(
    name: string,
    market: string,
    count: number,
    timeOf: (i: number) => number,
  ): ScoredListeners {
    const listeners = drawListeners(new RandomStream(this.seed, name), count);
    const { broken, imputed } = this.pipelineBreak(market);
    const served = serve(
      new RandomStream(this.seed, `serving/${name}`),
      listeners,
      broken,
      (i) => this.severity('feature_pipeline_break', market, timeOf(i)).share,
    );
    const predictions = new Float64Array(count);
    const truths = new Float64Array(count);
    for (let i = 0; i < count; i++) {
      const t = timeOf(i);
      const drift = this.driftShift(market, t);
      predictions[i] = logistic(this.model.logit(served, i, imputed) + drift);
      truths[i] = logistic(this.model.logit(listeners, i, imputed) + drift + this.truthShift(market, t));
    }
    return { served, predictions, truths };
  }

  private baselineListeners(): ListenerRows {
    return drawListeners(new RandomStream(this.seed, 'baseline'), this.config.baseline.size);
  }

  /** The baseline listeners' predictions (deterministic in the seed). */
  private baselineValues(listeners = this.baselineListeners()): Float64Array {
    return Float64Array.from({ length: listeners.count }, (_, i) =>
      logistic(this.model.logit(listeners, i, 0)),
    );
  }

  /** The prediction baseline and the FeatureBaseline: the same listeners, scored without any problem. */
  baselines(): { baseline: Record<string, unknown>; featureBaseline: Record<string, unknown> } {
    const listeners = this.baselineListeners();
    const values = this.baselineValues(listeners);
    const head = { schemaVersion: 1, model: this.config.model, modelVersion: this.config.modelVersion };
    return {
      baseline: { ...head, predictionsF32: encodeFloat32(values) },
      featureBaseline: {
        ...head,
        features: featureColumns(listeners, {
          importance: this.model.importances(listeners),
          jsonCodes: true,
        }),
      },
    };
  }

  /** The listeners scored in the hour ending at simEnd; more in the evening than at night. */
  hourListeners(market: string, simEndMs: number): ScoredListeners {
    const key = `${market}/${simEndMs}`;
    const recent = this.recentHours.get(key);
    if (recent) return recent;
    const random = new RandomStream(this.seed, `hour/${market}/${simEndMs}`);
    const [low, high] = this.config.predictions.perHour;
    const hourOfDay = new Date(simEndMs - HOUR_MS / 2).getUTCHours() + 0.5;
    const busy = 0.5 - 0.5 * Math.cos((2 * Math.PI * (hourOfDay - 8)) / 24);
    const count = Math.round(low + (high - low) * busy * random.between(0.9, 1));
    const middle = simEndMs - HOUR_MS / 2;
    const scored = this.scored(`predictions/${market}/${simEndMs}`, market, count, () => middle);
    this.recentHours.set(key, scored);
    if (this.recentHours.size > 64) this.recentHours.delete(this.recentHours.keys().next().value!);
    return scored;
  }

  /** Predictions in the hour ending at simEnd. */
  predictionValues(market: string, simEndMs: number): Float64Array {
    return this.hourListeners(market, simEndMs).predictions;
  }

  predictionBatch(market: string, simEndMs: number, windowEnd: Date): Record<string, unknown> {
    const values = this.predictionValues(market, simEndMs);
    if (this.config.predictions.encoding === 'binCounts') {
      // The float32 values the raw encoding would carry, counted in the registered baseline's fine bins.
      const { binning, edges } = this.binning();
      const sorted = Float64Array.from(Float32Array.from(values)).sort();
      return {
        ...this.header(market, windowEnd),
        binCounts: { binning, counts: binCountsSorted(sorted, Float64Array.from(edges)) },
      };
    }
    return { ...this.header(market, windowEnd), predictionsF32: encodeFloat32(values) };
  }

  private baselineBinning: PredictionBinning | undefined;

  /** The binning `liftwatch bins` prints for the prediction baseline, as registerBaseline decodes it (float32). */
  private binning(): PredictionBinning {
    if (!this.baselineBinning) {
      const registered = Float64Array.from(Float32Array.from(this.baselineValues()));
      this.baselineBinning = predictionBinning(
        this.config.model,
        this.config.modelVersion,
        summarizeBaseline(registered),
      );
    }
    return this.baselineBinning;
  }

  /**
   * The features of the hour's scored listeners, as served: the rows of the hour's PredictionBatch, as values or,
   * with featureWindows.encoding `counts`, counted in the bins `liftwatch bins` prints for the FeatureBaseline.
   */
  featureBatch(market: string, simEndMs: number, windowEnd: Date): Record<string, unknown> {
    const rows = this.hourListeners(market, simEndMs).served;
    return {
      ...this.header(market, windowEnd),
      features:
        this.config.featureWindows.encoding === 'counts'
          ? countedFeatureColumns(rows, this.featureBinnings())
          : featureColumns(rows),
    };
  }

  private baselineFeatureBinnings: Record<string, FeatureBinning> | undefined;

  /** Every feature's binning as registerFeatureBaseline summarises the FeatureBaseline (`liftwatch bins`). */
  private featureBinnings(): Record<string, FeatureBinning> {
    if (!this.baselineFeatureBinnings) {
      const { featureBaseline } = this.baselines();
      const message = decodeMessage(FeatureBaseline, Buffer.from(JSON.stringify(featureBaseline)));
      this.baselineFeatureBinnings = Object.fromEntries(
        summarizeFeatureBaseline(message).map(({ name, summary }) => [
          name,
          featureBinning(this.config.model, this.config.modelVersion, name, summary),
        ]),
      );
    }
    return this.baselineFeatureBinnings;
  }

  /** The predictions of the day ending at dayEnd joined to their outcomes. */
  outcomePairs(market: string, dayEndMs: number): { predictions: Float64Array; outcomes: Uint8Array } {
    const random = new RandomStream(this.seed, `outcomes/${market}/${dayEndMs}`);
    const count = this.config.outcomes.perDay;
    const times = Float64Array.from({ length: count }, () => dayEndMs - DAY_MS * random.uniform());
    const scored = this.scored(`outcome-listeners/${market}/${dayEndMs}`, market, count, (i) => times[i]!);
    // Rounded as the message carries it (float32), so outcomes are drawn for the probability the monitor reads.
    const predictions = scored.predictions.map(Math.fround);
    const outcomes = Uint8Array.from(scored.truths, (truth) => random.bernoulli(truth));
    return { predictions, outcomes };
  }

  outcomeBatch(market: string, dayEndMs: number, windowEnd: Date): Record<string, unknown> {
    const { predictions, outcomes } = this.outcomePairs(market, dayEndMs);
    return {
      ...this.header(market, windowEnd),
      predictionsF32: encodeFloat32(predictions),
      outcomesU8: Buffer.from(outcomes).toString('base64'),
    };
  }

  campaigns(market: string, dayEndMs: number) {
    const random = new RandomStream(this.seed, `campaigns/${market}/${dayEndMs}`);
    // Each unit's arm is drawn from its own stream: a correct randomization makes the arms binomial.
    const assignment = new RandomStream(this.seed, `assignment/${market}/${dayEndMs}`);
    const c = this.config.campaigns;
    const plannedTreatmentShare = 1 / (1 + c.controlShare);
    // Results describe the day they close: a problem starting that day shows in them.
    const middle = dayEndMs - DAY_MS / 2;
    const share = this.liftShare(market, middle);
    const holdout = this.severity('holdout_imbalance', market, middle);
    const broken = holdout.problem?.kind === 'holdout_imbalance' ? holdout.problem : undefined;
    const day = Math.round((dayEndMs - Date.parse(this.config.start)) / DAY_MS);
    return Array.from({ length: c.perDay }, (_, i) => {
      const affected = broken !== undefined && i < broken.campaigns;
      const predictedLift = random.between(...c.predictedLift);
      const controlRate = random.between(...c.controlRate);
      const usualTreatment = Math.round(random.between(...c.treatmentUnits));
      const plannedTreatment = (affected && broken.treatmentUnits) || usualTreatment;
      const units = plannedTreatment + Math.max(1, Math.round(plannedTreatment * c.controlShare));
      const treatmentUnits = Math.min(
        units - 1,
        Math.max(1, assignment.binomial(units, plannedTreatmentShare)),
      );
      const assignedControl = units - treatmentUnits;
      const trueLift = Math.max(-controlRate, predictedLift * share + c.trueLiftNoise * random.normal());
      const treatmentRate = Math.min(1, controlRate + trueLift);
      const treatmentConversions = random.binomial(treatmentUnits, treatmentRate);
      const controlConversions = random.binomial(assignedControl, controlRate);
      // A broken holdout loses part of its control units, non-converters only (a filter applied to one arm):
      // the arms no longer split as planned, and the control rate, so the realized lift, is biased.
      const lost = affected
        ? Math.min(
            assignedControl - Math.max(1, controlConversions),
            Math.round(holdout.share * broken.controlLoss * assignedControl),
          )
        : 0;
      return {
        campaignId: `${market}-d${day}-${String(i + 1).padStart(3, '0')}`,
        predictedLift,
        predictedLiftInterval: {
          lower: predictedLift - c.predictedIntervalHalfWidth,
          upper: predictedLift + c.predictedIntervalHalfWidth,
        },
        treatment: { units: treatmentUnits, conversions: treatmentConversions },
        control: { units: assignedControl - Math.max(0, lost), conversions: controlConversions },
        plannedTreatmentShare,
      };
    });
  }

  campaignResults(market: string, dayEndMs: number, windowEnd: Date): Record<string, unknown> {
    return { ...this.header(market, windowEnd), campaigns: this.campaigns(market, dayEndMs) };
  }

  upliftUnits(
    market: string,
    dayEndMs: number,
  ): { uplift: Float64Array; treatment: Uint8Array; outcomes: Uint8Array } {
    const random = new RandomStream(this.seed, `uplift/${market}/${dayEndMs}`);
    const u = this.config.uplift;
    const share = this.liftShare(market, dayEndMs - DAY_MS / 2);
    const uplift = new Float64Array(u.unitsPerDay);
    const treatment = new Uint8Array(u.unitsPerDay);
    const outcomes = new Uint8Array(u.unitsPerDay);
    const [low, high] = u.predictedUplift;
    const loss = this.severity('uplift_ranking_loss', market, dayEndMs - DAY_MS / 2);
    const ranking = loss.problem?.kind === 'uplift_ranking_loss' ? loss.problem.ranking : undefined;
    for (let i = 0; i < u.unitsPerDay; i++) {
      uplift[i] = Math.fround(random.between(low, high));
      treatment[i] = random.bernoulli(u.treatedShare);
      // Drawn only while a ranking loss lasts, so every other batch keeps its data.
      const lost =
        ranking === 'random'
          ? random.between(low, high)
          : ranking === 'inverted'
            ? low + high - uplift[i]!
            : 0;
      const realized = ranking === undefined ? uplift[i]! : (1 - loss.share) * uplift[i]! + loss.share * lost;
      const rate = random.between(...u.controlRate) + (treatment[i] ? share * realized : 0);
      outcomes[i] = random.bernoulli(rate);
    }
    return { uplift, treatment, outcomes };
  }

  upliftBatch(market: string, dayEndMs: number, windowEnd: Date): Record<string, unknown> {
    const { uplift, treatment, outcomes } = this.upliftUnits(market, dayEndMs);
    return {
      ...this.header(market, windowEnd),
      upliftF32: encodeFloat32(uplift),
      treatmentU8: Buffer.from(treatment).toString('base64'),
      outcomesU8: Buffer.from(outcomes).toString('base64'),
      plannedTreatmentShare: this.config.uplift.treatedShare,
    };
  }
}
