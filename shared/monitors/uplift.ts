/** The uplift monitor: unit-level uplift batches (does the model still rank listeners by uplift). */
import { decodeMessage, UpliftBatch, upliftUnits } from '../contracts/index.js';
import type { Delivery } from '../delivery.js';
import { metricsToWrite } from '../monitoring/catalog.js';
import { buildSeries } from '../monitoring/series.js';
import { assertWritableWindow } from '../monitoring/writableWindow.js';
import { writeTimeSeries } from '../monitoring/writer.js';
import type { Runtime } from '../runtime.js';
import { srmPValue } from '../stats/lift/sampleRatioMismatch.js';
import { computeUplift } from '../stats/uplift/suite.js';
import { reportNonFinite, reportWrite } from './report.js';
import { windowIdentity } from './window.js';

export const UPLIFT_FUNCTION = 'upliftMonitor';

/** The sample ratio mismatch p-value of an uplift batch's arms; null without a planned treatment share. */
export function upliftSrmPValue(
  treated: number,
  control: number,
  plannedTreatmentShare: number | undefined,
): number | null {
  return plannedTreatmentShare === undefined ? null : srmPValue(treated, control, plannedTreatmentShare);
}

/**
 * upliftMonitor: Qini with its bootstrap interval, uplift AUC, uplift at 30% and per-decile realized uplift of a
 * unit-level batch.
 */
export async function monitorUplift(delivery: Delivery, runtime: Runtime): Promise<void> {
  const message = decodeMessage(UpliftBatch, delivery.data);
  const identity = windowIdentity(delivery, message, runtime);
  const { uplift, treatment, outcomes } = upliftUnits(message);
  assertWritableWindow(identity.endTime, runtime.now());
  const suite = computeUplift(uplift, treatment, outcomes);
  const statistics = {
    ...suite,
    srmPValue: upliftSrmPValue(suite.treated, suite.control, message.plannedTreatmentShare),
  };
  const smallestArm = Math.min(statistics.treated, statistics.control);
  const enoughData = smallestArm >= runtime.liftMinimums.unitsPerArm;
  if (!enoughData) {
    delivery.log(
      'NOTICE',
      `insufficient data: ${statistics.treated} treated and ${statistics.control} control units, uplift needs ${runtime.liftMinimums.unitsPerArm} in each`,
      {
        event: 'insufficient_data',
        treated: statistics.treated,
        control: statistics.control,
        minimum: runtime.liftMinimums.unitsPerArm,
      },
    );
  }
  const entries = metricsToWrite(UPLIFT_FUNCTION, enoughData);
  const series = buildSeries(
    identity,
    entries.filter((entry) => !entry.extraLabels),
    statistics,
  );
  if (enoughData) {
    const perDecile = entries.filter((entry) => entry.extraLabels);
    statistics.deciles.forEach((decile, index) => {
      series.push(
        ...buildSeries({ ...identity, extraLabels: { decile: String(index + 1) } }, perDecile, {
          decilePredicted: decile.meanPredicted,
          decileRealized: decile.realizedUplift,
        }),
      );
    });
  }
  reportNonFinite(delivery, statistics);
  reportWrite(delivery, await writeTimeSeries(runtime.monitoring, runtime.projectId, series), {
    statistics: { ...statistics, deciles: undefined, qiniCurve: undefined },
    withheld: !enoughData,
  });
}
