/**
 * The feature monitor: one window of one segment's input features compared with the model version's feature
 * baseline. Per feature its drift and data-quality statistics (label `feature`), per window the counts of
 * drifting and broken features, and one `feature_drift` log line ranking the features for on-call.
 */
import { decodeFeatureColumns, FeatureBatch, MAX_BATCH_CELLS } from '../contracts/features.js';
import { decodeMessage } from '../contracts/index.js';
import type { Delivery } from '../delivery.js';
import { UnknownBaselineError } from '../errors.js';
import { metricsToWrite } from '../monitoring/catalog.js';
import { buildSeries, type SeriesIdentity, type TimeSeries } from '../monitoring/series.js';
import { assertWritableWindow } from '../monitoring/writableWindow.js';
import { writeTimeSeries } from '../monitoring/writer.js';
import type { Runtime } from '../runtime.js';
import { FEATURE_BASELINE_REGISTRATION } from './featureBaseline.js';
import { featureRules } from './featureRules.js';
import { compareFeatureWindow, type FeatureWindow, featureReport } from './featureWindow.js';
import { reportNonFinite, reportWrite } from './report.js';
import { windowIdentity } from './window.js';

export const FEATURE_FUNCTION = 'featureMonitor';

/** featureMonitor: compare a window's features with the feature baseline, write and log the result. */
export async function monitorFeatures(delivery: Delivery, runtime: Runtime): Promise<void> {
  const batch = decodeMessage(FeatureBatch, delivery.data);
  const identity = windowIdentity(delivery, batch, runtime);
  const columns = decodeFeatureColumns(batch, MAX_BATCH_CELLS);
  assertWritableWindow(identity.endTime, runtime.now());
  const baseline = await runtime.featureBaselines.get(batch.model, batch.modelVersion);
  if (!baseline) {
    throw new UnknownBaselineError(batch.model, batch.modelVersion, FEATURE_BASELINE_REGISTRATION);
  }
  const window = compareFeatureWindow(baseline.features, columns, runtime.driftMinSample, batch);
  const withheld = window.features.filter((feature) => feature.withheld);
  if (withheld.length > 0) {
    delivery.log(
      'NOTICE',
      `insufficient data: ${withheld.map((feature) => `${feature.name} (${feature.statistics?.n})`).join(', ')} non-missing values, feature statistics need ${runtime.driftMinSample}; their distribution statistics are withheld`,
      {
        event: 'insufficient_data',
        features: withheld.map((feature) => ({ name: feature.name, n: feature.statistics?.n })),
        minimum: runtime.driftMinSample,
      },
    );
  }
  logFeatureDrift(delivery, window);
  reportNonFinite(delivery, statisticsByFeature(window));
  const outcome = await writeTimeSeries(runtime.monitoring, runtime.projectId, featureSeries(identity, window));
  reportWrite(delivery, outcome, {
    features: window.features.length,
    drifted: window.drifted,
    qualityBroken: window.qualityBroken,
    withheld: withheld.map((feature) => feature.name),
  });
}

/** Every series of a window: the per-feature metrics (label `feature`), then the per-window ones. */
export function featureSeries(identity: SeriesIdentity, window: FeatureWindow): TimeSeries[] {
  const series: TimeSeries[] = [];
  for (const feature of window.features) {
    if (!feature.statistics) continue; // absent: no statistics, counted in features/quality_broken
    const entries = metricsToWrite(FEATURE_FUNCTION, !feature.withheld).filter((entry) => entry.extraLabels);
    series.push(
      ...buildSeries({ ...identity, extraLabels: { feature: feature.name } }, entries, feature.statistics),
    );
  }
  const perWindow = metricsToWrite(FEATURE_FUNCTION, true).filter((entry) => !entry.extraLabels);
  series.push(...buildSeries(identity, perWindow, window));
  return series;
}

/**
 * The line on-call reads first: the window's counts and the features ranked (drifting and broken first, then by
 * importance-weighted PSI), at most featureRules.rankedInLog of them, each with its statistics, importance,
 * flags and the reasons the rules fired. NOTICE when a feature drifts or is broken, INFO otherwise.
 */
function logFeatureDrift(delivery: Delivery, window: FeatureWindow): void {
  const byName = new Map(window.features.map((feature) => [feature.name, feature]));
  const ranked = window.ranking.slice(0, featureRules.rankedInLog).map((name) => byName.get(name)!);
  const flagged = ranked.filter((feature) => feature.drifting || feature.qualityBroken);
  const summary = `${window.drifted} of ${window.features.length} features drifting, ${window.qualityBroken} with broken data quality`;
  const anyFlagged = flagged.length > 0;
  delivery.log(
    anyFlagged ? 'NOTICE' : 'INFO',
    anyFlagged
      ? `${summary}: ${flagged
          .slice(0, 3)
          .map((feature) => `${feature.name} (${feature.reasons.join('; ')})`)
          .join(', ')}${flagged.length > 3 ? ', ...' : ''}`
      : summary,
    {
      event: 'feature_drift',
      drifted: window.drifted,
      qualityBroken: window.qualityBroken,
      topDrifted: window.topDrifted,
      topQualityBroken: window.topQualityBroken,
      maxPsi: window.maxPsi,
      importanceWeightedDrift: window.importanceWeightedDrift,
      featureCount: window.features.length,
      ranked: ranked.map((feature) => ({
        ...featureReport(feature),
        ...(feature.importance !== undefined ? { importance: feature.importance } : {}),
        reasons: feature.reasons,
      })),
      unlisted: window.features.length - ranked.length,
    },
  );
}

/** The statistics of every feature as `feature.statistic`, so a non-finite one is reported with its feature. */
function statisticsByFeature(window: FeatureWindow): Record<string, unknown> {
  const flattened: Record<string, unknown> = {};
  for (const feature of window.features) {
    for (const [key, value] of Object.entries(feature.statistics ?? {})) {
      flattened[`${feature.name}.${key}`] = value;
    }
  }
  return { ...flattened, maxPsi: window.maxPsi, importanceWeightedDrift: window.importanceWeightedDrift };
}
