/**
 * Writes time series to Cloud Monitoring within the API's rules: at most 200 series per request, one point
 * per series per request; transient failures retried with backoff, re-sending only the series not yet accepted;
 * a partially applied request settles series by series. What cannot be written even so is returned, never thrown
 * away silently: the caller logs it.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { TransientError } from '../errors.js';
import { seriesKey, type TimeSeries } from './series.js';
import { GrpcCode, grpcErrorParts, parsePartialFailure, TRANSIENT_CODES } from './writeErrors.js';

/** The CreateTimeSeries limit on series per request. */
export const MAX_SERIES_PER_REQUEST = 200;

/** The part of MetricServiceClient the writer needs (so tests and the CLI can pass any implementation). */
export interface TimeSeriesClient {
  createTimeSeries(request: { name: string; timeSeries: TimeSeries[] }): Promise<unknown>;
}

export interface WriteOptions {
  /** Attempts per request before giving up and throwing TransientError (Pub/Sub then redelivers). */
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
  for (let attempt = 1; ; attempt++) {
    try {
      await client.createTimeSeries({ name: `projects/${projectId}`, timeSeries: batch });
      outcome.written += batch.length;
      return;
    } catch (error) {
      const { code, message } = grpcErrorParts(error);
      if (code === GrpcCode.INVALID_ARGUMENT) return settleInvalidArgument(batch, message, outcome);
      if (attempt >= attempts || (code !== undefined && !TRANSIENT_CODES.has(code))) {
        throw new TransientError(
          `Cloud Monitoring CreateTimeSeries failed after ${attempt} attempt(s) with code ${code ?? 'unknown'}: ${message}`,
          { cause: error },
        );
      }
      // Nothing is known to be written: re-send the same request. If an earlier attempt was applied after all
      // (a deadline that fired after the commit), its series come back as superseded, not written twice.
      await sleep(Math.random() * initialBackoffMs * 2 ** (attempt - 1));
    }
  }
}

/**
 * Settles a request the API refused in part or whole: the series it names failed (superseded or rejected),
 * every other series was written. An error that names no series refuses the whole request.
 */
function settleInvalidArgument(batch: TimeSeries[], message: string, outcome: WriteOutcome): void {
  const failures = parsePartialFailure(message, batch.length);
  if (failures === undefined) {
    for (const item of batch) outcome.rejected.push({ series: seriesKey(item), reason: message });
    return;
  }
  outcome.written += batch.length - failures.length;
  for (const failure of failures) {
    const entry = { series: seriesKey(batch[failure.index]!), reason: failure.reason };
    (failure.superseded ? outcome.superseded : outcome.rejected).push(entry);
  }
}
