/** One structured log line per processed message, saying what reached Cloud Monitoring and what did not. */
import type { Delivery } from '../delivery.js';
import type { LogFields } from '../log.js';
import { nonFiniteStatistics } from '../monitoring/series.js';
import type { WriteOutcome } from '../monitoring/writer.js';

/**
 * Series named in a log line; the counts cover the rest. A redelivered CampaignResults with thousands of campaign
 * segments must not become one multi-megabyte line (Cloud Logging drops entries over 256 KB).
 */
export const LISTED_SERIES = 20;

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
        rejectedSeries: outcome.rejected.slice(0, LISTED_SERIES),
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
      ...(outcome.superseded.length > 0
        ? { supersededSeries: outcome.superseded.slice(0, LISTED_SERIES) }
        : {}),
      ...fields,
    },
  );
}

/** Logs the statistics that came out NaN or infinite (extreme but valid input): they are not written. */
export function reportNonFinite(delivery: Delivery, values: object): void {
  const nonFinite = nonFiniteStatistics(values);
  if (nonFinite.length === 0) return;
  delivery.log('WARNING', `statistics not written because they are not finite: ${nonFinite.join(', ')}`, {
    event: 'statistics_not_finite',
    statistics: nonFinite,
  });
}
