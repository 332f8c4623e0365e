/**
 * One scenario run, end to end, as `npm start` and the end-to-end test do it: start the local stack, replay the
 * scenario through Pub/Sub into the functions (each window at its publication time, which the local
 * MetricService records as its write time), read back what the local MetricService recorded and when each point
 * became readable, evaluate alerts.json over it, and write the report and the summary.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { MetricSample } from '../../alerting/evaluation.js';
import type { CampaignLift } from '../../shared/stats/lift/campaignSuite.js';
import { computeUplift } from '../../shared/stats/uplift/suite.js';
import { type LocalStack, startLocalStack } from '../stack.js';
import type { ScenarioConfig } from './config.js';
import { evaluateScenario, evaluationEnd } from './evaluate.js';
import { buildScenario, DAY_MS, publicationEnd, type Scenario } from './generate.js';
import type { FeatureWindowLog } from './render/features.js';
import { renderReport } from './render/page.js';
import { type ReplayProgress, type ReplayResult, replayScenario } from './replay.js';
import { samplesOfPoints } from './samples.js';
import { publishingDelays, type ScenarioSummary, summarize, summaryJson } from './summary.js';
import { compressedTimeMap, type TimeMap } from './timeMapping.js';

export interface RunOptions {
  config: ScenarioConfig;
  seed: number;
  /** Where the report goes (default report/index.html). */
  reportFile?: string;
  summaryJsonFile?: string;
  /** Leave the stack running and return it (the caller stops it). */
  keepRunning?: boolean;
  maxInFlight?: number;
  /** Lines for people (where things run, phases). */
  say?: (line: string) => void;
  onProgress?: (progress: ReplayProgress, scenario: Scenario) => void;
  /** Called as soon as the stack is up, so a signal handler can stop it. */
  onStack?: (stack: LocalStack) => void;
}

export interface CampaignBatch {
  market: string;
  simTimeMs: number;
  perCampaign: CampaignLift[];
}

export interface QiniBatch {
  market: string;
  label: string;
  simTimeMs: number;
  qiniAuc: number | null;
  curve: { units: number; value: number }[];
}

/** Everything the report draws. */
export interface ReportData {
  scenario: Scenario;
  samples: MetricSample[];
  summary: ScenarioSummary;
  campaigns: CampaignBatch[];
  qini: QiniBatch[];
  featureWindows: FeatureWindowLog[];
  run: { generatedAt: string; timeFactor: number; wallSeconds: number; counts: ReplayResult['counts'] };
}

export interface RunResult {
  scenario: Scenario;
  summary: ScenarioSummary;
  replay: ReplayResult;
  samples: MetricSample[];
  reportFile: string;
  timeMap: TimeMap;
  /** Present with keepRunning. */
  stack?: LocalStack;
}

export const PROJECT_ID = 'liftwatch-local';

/** Qini curves of the last stable day's and the last day's uplift batch per market, recomputed from their data. */
export function qiniBatches(scenario: Scenario): QiniBatch[] {
  const days = [
    ...(scenario.config.stableDays > 0
      ? [{ day: scenario.config.stableDays, label: `day ${scenario.config.stableDays} (stable)` }]
      : []),
    { day: scenario.config.days, label: `day ${scenario.config.days} (last)` },
  ].filter((entry, index, all) => all.findIndex((other) => other.day === entry.day) === index);
  return scenario.config.markets.flatMap((market) =>
    days.map(({ day, label }) => {
      const simTimeMs = scenario.startMs + day * DAY_MS;
      const units = scenario.world.upliftUnits(market, simTimeMs);
      const statistics = computeUplift(units.uplift, units.treatment, units.outcomes);
      return { market, label, simTimeMs, qiniAuc: statistics.qiniAuc, curve: statistics.qiniCurve };
    }),
  );
}

export async function runScenario(options: RunOptions): Promise<RunResult> {
  const began = Date.now();
  const say = options.say ?? (() => undefined);
  const scenario = buildScenario(options.config, options.seed);
  // The whole span up to the last publication is laid before now: the MetricService's clock, set to each
  // publication time, never runs ahead of the real one.
  const timeMap = compressedTimeMap(scenario.startMs, publicationEnd(scenario).lastPublishMs, Date.now());
  // The local MetricService's clock: the publication time the replay set, else real time.
  let clockMs: number | undefined;
  const stack = await startLocalStack({
    projectId: PROJECT_ID,
    monitoring: {
      now: () => clockMs ?? Date.now(),
      ingestionDelayMs: (scenario.config.ingestionDelayMinutes * 60_000) / timeMap.factor,
    },
  });
  options.onStack?.(stack);
  try {
    say(`Pub/Sub emulator   ${stack.endpoints.pubsub}`);
    say(`Firestore emulator ${stack.endpoints.firestore}`);
    say(`Cloud Monitoring   ${stack.endpoints.monitoring} (local MetricService)`);
    for (const [name, running] of Object.entries(stack.functions)) {
      say(`${name.padEnd(18)} http://127.0.0.1:${running.port} (Functions Framework)`);
    }
    say(
      `Replaying ${scenario.events.length + 2} messages (the prediction and feature baselines first): ${scenario.config.days} simulated days, ${scenario.config.markets.length} markets, seed ${scenario.seed}; ` +
        `1 simulated hour = ${60 / timeMap.factor} real minutes of window time`,
    );
    say(`Publication: ${publishingDelays(scenario)}`);
    const replay = await replayScenario(stack, scenario, timeMap, {
      ...(options.maxInFlight !== undefined ? { maxInFlight: options.maxInFlight } : {}),
      onProgress: (progress) => options.onProgress?.(progress, scenario),
      setClock: (realMs) => {
        clockMs = realMs;
      },
    });
    // Read what is visible when the evaluation ends (every point by then), then give the clock back.
    clockMs = timeMap.toReal(evaluationEnd(scenario));
    const points = stack.monitoring.points({ project: PROJECT_ID });
    clockMs = undefined;
    const samples = samplesOfPoints(points, timeMap.toSim);
    const summary = summarize(scenario, evaluateScenario(scenario, samples));
    const reportFile = path.resolve(options.reportFile ?? 'report/index.html');
    const data: ReportData = {
      scenario,
      samples,
      summary,
      campaigns: campaignBatches(replay, timeMap),
      featureWindows: featureWindows(replay, timeMap),
      qini: qiniBatches(scenario),
      run: {
        generatedAt: new Date().toISOString(),
        timeFactor: timeMap.factor,
        wallSeconds: Math.round((Date.now() - began) / 1000),
        counts: replay.counts,
      },
    };
    writeFile(reportFile, renderReport(data));
    if (options.summaryJsonFile) {
      writeFile(options.summaryJsonFile, `${JSON.stringify(summaryJson(scenario, summary), null, 2)}\n`);
    }
    return {
      scenario,
      summary,
      replay,
      samples,
      reportFile,
      timeMap,
      ...(options.keepRunning ? { stack } : {}),
    };
  } finally {
    if (!options.keepRunning) await stack.stop();
  }
}

function writeFile(file: string, content: string): void {
  mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
  writeFileSync(file, content);
}

/** The per-campaign detail of liftMonitor's log lines, at simulated time. */
function campaignBatches(replay: ReplayResult, timeMap: TimeMap): CampaignBatch[] {
  return replay.campaignLift.map((line) => ({
    market: String(line.campaignSegment ?? '').replace(/^market=/, ''),
    simTimeMs: timeMap.toSim(Date.parse(String(line.windowEnd))),
    perCampaign: line.perCampaign as CampaignLift[],
  }));
}

/** featureMonitor's feature_drift log lines, at simulated time. */
function featureWindows(replay: ReplayResult, timeMap: TimeMap): FeatureWindowLog[] {
  return replay.featureDrift.map((line) => ({
    market: String(line.segment ?? '').replace(/^market=/, ''),
    simTimeMs: timeMap.toSim(Date.parse(String(line.windowEnd))),
    drifted: Number(line.drifted),
    qualityBroken: Number(line.qualityBroken),
    ranked: line.ranked as FeatureWindowLog['ranked'],
  }));
}
