/**
 * Reading Cloud Monitoring's CreateTimeSeries errors. A request is applied series by series: when some
 * series fail, the others are written and the call fails with INVALID_ARGUMENT whose message names the failed
 * series by index, `One or more TimeSeries could not be written: <reason>: timeSeries[6-10]; <reason>: timeSeries[2]`
 * (see ../shared/reference/gcp-facts.md 1.2). Retrying the whole request would re-send the accepted points.
 */

import { status } from '@grpc/grpc-js';

/** gRPC status codes (google.rpc.Code), from grpc-js: the client the writer's errors come from. */
export const GrpcCode = status;

/** Codes after which the same request may succeed: retried here, then by Pub/Sub redelivery. */
export const TRANSIENT_CODES: ReadonlySet<number> = new Set([
  status.DEADLINE_EXCEEDED,
  status.RESOURCE_EXHAUSTED,
  status.ABORTED,
  status.INTERNAL,
  status.UNAVAILABLE,
]);

/**
 * A series the API holds a point at or after ours for: the same point from an earlier delivery of the same
 * message (or an earlier attempt whose reply was lost), or a later window already written.
 */
const SUPERSEDED =
  /written in order|older (start|end) time|more frequently than the maximum sampling period/i;

export interface SeriesFailure {
  index: number;
  /** true when the API already holds this point or a newer one; false when the point itself was refused. */
  superseded: boolean;
  reason: string;
}

/**
 * The failed series of a partially applied request, or undefined when the message names no series (then the
 * caller cannot know which series were written).
 */
export function parsePartialFailure(message: string, seriesCount: number): SeriesFailure[] | undefined {
  const body = message.replace(/^.*?One or more TimeSeries could not be written:\s*/s, '');
  const failures = new Map<number, SeriesFailure>();
  for (const part of body.split(/;\s+(?=\S)/)) {
    const reason = part.replace(/:?\s*timeSeries\[[\d,\s-]+\]/g, '').trim();
    for (const match of part.matchAll(/timeSeries\[([\d,\s-]+)\]/g)) {
      for (const range of match[1]!.split(',')) {
        const [first, last = first] = range.trim().split('-').map(Number);
        if (first === undefined || last === undefined || !Number.isInteger(first) || !Number.isInteger(last))
          continue;
        for (let index = first; index <= last && index < seriesCount; index++) {
          failures.set(index, { index, superseded: SUPERSEDED.test(part), reason });
        }
      }
    }
  }
  return failures.size > 0 ? [...failures.values()].sort((a, b) => a.index - b.index) : undefined;
}

/**
 * The gRPC code and text of an error thrown by a google-gax client. The text is `details` (the status message)
 * when there is one: gax's `message` repeats it behind "3 INVALID_ARGUMENT: ", and reading both would list every
 * failed series twice and blur which reason belongs to which series.
 */
export function grpcErrorParts(error: unknown): { code: number | undefined; message: string } {
  const candidate = error as { code?: unknown; details?: unknown; message?: unknown };
  const code = typeof candidate?.code === 'number' ? candidate.code : undefined;
  const text = [candidate?.details, candidate?.message].find(
    (part) => typeof part === 'string' && part !== '',
  );
  return { code, message: typeof text === 'string' ? text : String(error) };
}
