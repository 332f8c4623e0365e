/** registerFeatureBaseline's job: summarise every feature of a FeatureBaseline once, store the summaries. */
import {
  decodeFeatureColumns,
  decodeMessage,
  FeatureBaseline,
  MAX_BASELINE_VALUES,
} from '../contracts/index.js';
import type { Delivery } from '../delivery.js';
import type { BaselineRegistration } from '../errors.js';
import type { Runtime } from '../runtime.js';
import { summarizeFeature } from '../stats/features/featureSummary.js';
import type { StoredFeature } from '../store/featureBaselineStore.js';
import { featureBinning } from './binning.js';

export const REGISTER_FEATURE_BASELINE_FUNCTION = 'registerFeatureBaseline';

/** How a feature monitor's refusal of an unregistered version says to register one. */
export const FEATURE_BASELINE_REGISTRATION: BaselineRegistration = {
  noun: 'feature baseline',
  message: 'FeatureBaseline',
  topic: 'feature-baselines',
};

/**
 * Every feature's summary and binning, in the message's order: what the store keeps and the CLI compares against.
 */
export function summarizeFeatureBaseline(message: FeatureBaseline): StoredFeature[] {
  return decodeFeatureColumns(message, MAX_BASELINE_VALUES).map(({ name, column, importance }) => {
    const summary = summarizeFeature(column, importance);
    return {
      name,
      summary,
      binning: featureBinning(message.model, message.modelVersion, name, summary).binning,
    };
  });
}

/** registerFeatureBaseline: validate, summarise, store (replacing an older registration of the same version). */
export async function registerFeatureBaseline(delivery: Delivery, runtime: Runtime): Promise<void> {
  const message = decodeMessage(FeatureBaseline, delivery.data);
  delivery.annotate({ model: message.model, modelVersion: message.modelVersion });
  const features = summarizeFeatureBaseline(message);
  const stored = await runtime.featureBaselines.put({
    model: message.model,
    modelVersion: message.modelVersion,
    features,
    publishedAt: delivery.publishTime ?? runtime.now(),
    messageId: delivery.messageId,
  });
  const rows = features[0]?.summary.rows ?? 0;
  delivery.log(
    stored ? 'INFO' : 'WARNING',
    stored
      ? `feature baseline registered for ${message.model} ${message.modelVersion} (${features.length} features, ${rows} rows)`
      : `feature baseline for ${message.model} ${message.modelVersion} not replaced: a registration published later is already stored`,
    {
      event: stored ? 'feature_baseline_registered' : 'feature_baseline_stale',
      features: features.length,
      rows,
      numeric: features.filter((feature) => feature.summary.kind === 'numeric').length,
      categorical: features.filter((feature) => feature.summary.kind === 'categorical').length,
      withImportance: features.filter((feature) => feature.summary.importance !== undefined).length,
    },
  );
}
