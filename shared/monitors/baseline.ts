/** registerBaseline's job, as a plain function of a delivery and the runtime: summarise a baseline once, store it. */
import { Baseline, decodeMessage, MAX_BASELINE_VALUES, predictionValues } from '../contracts/index.js';
import type { Delivery } from '../delivery.js';
import type { Runtime } from '../runtime.js';
import { summarizeBaseline } from '../stats/drift/baselineSummary.js';
import { predictionBinning } from './binning.js';

/** registerBaseline: validate, summarise, store (replacing an older registration of the same version). */
export async function registerBaseline(delivery: Delivery, runtime: Runtime): Promise<void> {
  const message = decodeMessage(Baseline, delivery.data);
  delivery.annotate({ model: message.model, modelVersion: message.modelVersion });
  const summary = summarizeBaseline(predictionValues(message, MAX_BASELINE_VALUES));
  const { binning } = predictionBinning(message.model, message.modelVersion, summary);
  const stored = await runtime.baselines.put({
    model: message.model,
    modelVersion: message.modelVersion,
    summary,
    binning,
    publishedAt: delivery.publishTime ?? runtime.now(),
    messageId: delivery.messageId,
  });
  delivery.log(
    stored ? 'INFO' : 'WARNING',
    stored
      ? `baseline registered for ${message.model} ${message.modelVersion} (${summary.referenceSize} values)`
      : `baseline for ${message.model} ${message.modelVersion} not replaced: a registration published later is already stored`,
    {
      event: stored ? 'baseline_registered' : 'baseline_stale',
      referenceSize: summary.referenceSize,
      bins: summary.edges.length + 1,
      binning,
      fineBins: (summary.fine?.edges.length ?? 0) + 1,
      subsampled: summary.subsampled,
    },
  );
}
