/**
 * Writes time series to Cloud Monitoring within the API's rules: at most 200 series per request, one point
 * per series per request; transient failures retried with backoff, re-sending only the series not yet
 * accepted (a partially applied request settles series by series from the indices its error names). What
 * cannot be written even so is returned, never thrown away silently: the caller logs it.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { RetryableError } from '../errors.js';
import { seriesName, type TimeSeries } from './series.js';
import {
  failureCode,
  GrpcCode,
  grpcErrorParts,
  parsePartialFailure,
  type SeriesFailure,
  TRANSIENT_CODES,
  type WriteSummary,
  writeSummary,
} from './writeErrors.js';

/** The CreateTimeSeries limit on series per request. */
export const MAX_SERIES_PER_REQUEST = 200;

/** The part of MetricServiceClient the writer needs (so tests and the CLI can pass any implementation). */
export interface TimeSeriesClient {
  createTimeSeries(request: { name: string; timeSeries: TimeSeries[] }): Promise<unknown>;
}

export interface WriteOptions {
  /** Attempts per request before giving up and throwing RetryableError (Pub/Sub then redelivers). */
  attempts?: number;
  /** Delay before the first retry; doubled each retry, with full jitter. */
  initialBackoffMs?: number;
}

export interface WriteOutcome {
  /** Series whose point this call wrote. */
  written: number;
  /** Series that already held this point or a newer one (a redelivered message, or a late window). */
  superseded: { series: string; reason: string }[];
  /** Series whose point the API refused as invalid: permanent. */
  rejected: { series: string; reason: string }[];
}

export async function writeTimeSeries(
  client: TimeSeriesClient,
  projectId: string,
  series: readonly TimeSeries[],
  options: WriteOptions = {},
): Promise<WriteOutcome> {
  const outcome: WriteOutcome = { written: 0, superseded: [], rejected: [] };
  for (let start = 0; start < series.length; start += MAX_SERIES_PER_REQUEST) {
    await writeRequest(
      client,
      projectId,
      series.slice(start, start + MAX_SERIES_PER_REQUEST),
      options,
      outcome,
    );
  }
  return outcome;
}

async function writeRequest(
  client: TimeSeriesClient,
  projectId: string,
  batch: TimeSeries[],
  { attempts = 4, initialBackoffMs = 250 }: WriteOptions,
  outcome: WriteOutcome,
): Promise<void> {
  let pending = batch;
  for (let attempt = 1; ; attempt++) {
    try {
      await client.createTimeSeries({ name: `projects/${projectId}`, timeSeries: pending });
      outcome.written += pending.length;
      return;
    } catch (error) {
      const { code, message } = grpcErrorParts(error);
      const retryable = code === undefined || TRANSIENT_CODES.has(code);
      const failures = parsePartialFailure(message, pending.length);
      if (failures !== undefined) {
        // Applied series by series: only the named series failed; retry those whose failure may pass.
        pending = settleFailures(pending, failures, code, writeSummary(error), outcome);
        if (pending.length === 0) return;
      } else if (code === GrpcCode.INVALID_ARGUMENT) {
        for (const item of pending) outcome.rejected.push({ series: seriesName(item), reason: message });
        return;
      }
      if (attempt >= attempts || (failures === undefined && !retryable)) {
        throw new RetryableError(
          `Cloud Monitoring CreateTimeSeries failed after ${attempt} attempt(s) with code ${code ?? 'unknown'}: ${message}`,
          { cause: error },
        );
      }
      // When the error names no series, nothing is known to be written: re-send the same series. If an earlier
      // attempt was applied after all (a deadline that fired after the commit), they come back as superseded.
      await sleep(Math.random() * initialBackoffMs * 2 ** (attempt - 1));
    }
  }
}

/**
 * Settles a request the API applied in part: every series the error does not name was written; a named series
 * is superseded (the API holds this point or a newer one), rejected (refused as invalid), or, when its code is
 * transient (the summary's code for its reason, e.g. INTERNAL inside an INVALID_ARGUMENT, else the request's),
 * returned to be re-sent alone.
 *
 * When the summary's success_point_count disagrees with the indices (a text the parser misread, say a label
 * value containing `; timeSeries[`), which unnamed series were written is unknown: they are re-sent rather than
 * trusted. That is safe because a point the API already holds comes back as superseded, so a wrong guess costs
 * one request, while trusting the indices could count a refused point as written and lose it silently.
 */
function settleFailures(
  batch: TimeSeries[],
  failures: SeriesFailure[],
  requestCode: number | undefined,
  summary: WriteSummary | undefined,
  outcome: WriteOutcome,
): TimeSeries[] {
  const named = new Set(failures.map((failure) => failure.index));
  const unnamed = batch.filter((_, index) => !named.has(index));
  const confirmed = summary === undefined || summary.successPointCount === unnamed.length;
  const retry: TimeSeries[] = confirmed ? [] : unnamed;
  if (confirmed) outcome.written += unnamed.length;
  for (const failure of failures) {
    const item = batch[failure.index]!;
    const entry = { series: seriesName(item), reason: failure.reason };
    const code = failureCode(failure.reason, summary, requestCode);
    if (failure.superseded) outcome.superseded.push(entry);
    else if (code === undefined || TRANSIENT_CODES.has(code)) retry.push(item);
    else outcome.rejected.push(entry);
  }
  return retry;
}
