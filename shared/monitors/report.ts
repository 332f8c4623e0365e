/** One structured log line per processed message, saying what reached Cloud Monitoring and what did not. */
import type { Delivery } from '../delivery.js';
import type { LogFields } from '../log.js';
import { nonFiniteStatistics } from '../monitoring/series.js';
import type { WriteOutcome } from '../monitoring/writer.js';

export function reportWrite(delivery: Delivery, outcome: WriteOutcome, fields: LogFields = {}): void {
  const summary = {
    written: outcome.written,
    superseded: outcome.superseded.length,
    rejected: outcome.rejected.length,
  };
  if (outcome.rejected.length > 0) {
    delivery.log(
      'ERROR',
      `Cloud Monitoring refused ${outcome.rejected.length} point(s); they cannot be written`,
      {
        event: 'points_rejected',
        ...summary,
        rejectedSeries: outcome.rejected,
        ...fields,
      },
    );
    return;
  }
  delivery.log(
    outcome.superseded.length > 0 ? 'NOTICE' : 'INFO',
    outcome.superseded.length > 0
      ? `${outcome.written} point(s) written; ${outcome.superseded.length} already held by Cloud Monitoring (redelivered message or a later window already written)`
      : `${outcome.written} point(s) written`,
    {
      event: 'points_written',
      ...summary,
      ...(outcome.superseded.length > 0 ? { supersededSeries: outcome.superseded } : {}),
      ...fields,
    },
  );
}

/** Logs the statistics that came out NaN or infinite (extreme but valid input): they are not written. */
export function reportNonFinite(delivery: Delivery, values: Readonly<Record<string, unknown>>): void {
  const nonFinite = nonFiniteStatistics(values);
  if (nonFinite.length === 0) return;
  delivery.log('WARNING', `statistics not written because they are not finite: ${nonFinite.join(', ')}`, {
    event: 'statistics_not_finite',
    statistics: nonFinite,
  });
}
