/**
 * Reading Cloud Monitoring's CreateTimeSeries errors. A request is applied series by series: when some
 * series fail, the others are written and the call fails (INVALID_ARGUMENT, or the code of its only errors,
 * e.g. INTERNAL) with a message that names the failed series by index, in one of three formats by server age:
 *   `One or more TimeSeries could not be written: <reason>: timeSeries[6-10]; <reason>: timeSeries[2]`
 *   `One or more TimeSeries could not be written: timeSeries[6-10]: <reason>; timeSeries[2]: <reason>`
 *   `One or more TimeSeries could not be written: timeSeries[0-2] (example metric.type="...", metric.labels={...}):
 *    write for resource=global{...} failed with: <reason>`
 * and a CreateTimeSeriesSummary in the status details (success_point_count, one error per reason with its own
 * code). See ../shared/reference/gcp-facts.md 1.2. Retrying the whole request would re-send the accepted points.
 * An error without the `One or more TimeSeries` prefix refused the whole request, even when its text names a
 * series (`Field timeSeries[3].resource.labels.project_id had an invalid value ...`): nothing was written.
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

const PARTIAL_FAILURE = /^.*?One or more TimeSeries could not be written:\s*/s;
const INDEX_LIST = /timeSeries\[([\d,\s-]+)\]/g;
/** `timeSeries[0-2]: <reason>` or `timeSeries[0-2] (example ...): write for resource=... failed with: <reason>` */
const INDEX_FIRST = /^timeSeries\[([\d,\s-]+)\](?::\s*| \(example )/;
const FAILED_WITH = ' failed with: ';

/**
 * The failed series of a partially applied request, or undefined when the message is not a partial failure
 * (then the caller cannot know which series were written, and a named index says nothing about the others).
 */
export function parsePartialFailure(message: string, seriesCount: number): SeriesFailure[] | undefined {
  if (!PARTIAL_FAILURE.test(message)) return undefined;
  const body = message.replace(PARTIAL_FAILURE, '');
  const failures = new Map<number, SeriesFailure>();
  const add = (list: string, reason: string) => {
    for (const index of expandIndexList(list, seriesCount)) {
      failures.set(index, { index, superseded: SUPERSEDED.test(reason), reason });
    }
  };
  if (INDEX_FIRST.test(body)) {
    // Index-first parts start with their list; the reason (and an example's labels) may contain `; `.
    for (const part of body.split(/;\s+(?=timeSeries\[)/)) {
      const list = INDEX_FIRST.exec(part)?.[1];
      if (list === undefined) continue;
      const example = part.lastIndexOf(FAILED_WITH);
      const reason =
        example >= 0 && part.includes(' (example ')
          ? part.slice(example + FAILED_WITH.length)
          : part.replace(INDEX_FIRST, '');
      add(list, reason.trim());
    }
  } else {
    for (const part of body.split(/;\s+(?=\S)/)) {
      const reason = part.replace(/:?\s*timeSeries\[[\d,\s-]+\]/g, '').trim();
      for (const match of part.matchAll(INDEX_LIST)) add(match[1]!, reason);
    }
  }
  return failures.size > 0 ? [...failures.values()].sort((a, b) => a.index - b.index) : undefined;
}

/** `0-2,5` → 0, 1, 2, 5 (indices at or past `seriesCount` dropped). */
function expandIndexList(list: string, seriesCount: number): number[] {
  const indices: number[] = [];
  for (const range of list.split(',')) {
    const [first, last = first] = range.trim().split('-').map(Number);
    if (first === undefined || last === undefined || !Number.isInteger(first) || !Number.isInteger(last))
      continue;
    for (let index = first; index <= last && index < seriesCount; index++) indices.push(index);
  }
  return indices;
}

/** google.monitoring.v3.CreateTimeSeriesSummary as MetricServiceClient decodes it into `error.statusDetails`. */
export interface WriteSummary {
  successPointCount: number;
  totalPointCount: number;
  /** one per distinct reason: its gRPC code, its text and how many points failed with it */
  errors: { code: number; message: string; pointCount: number }[];
}

/** The CreateTimeSeriesSummary of a partial failure, when the client decoded one (promise-style calls). */
export function writeSummary(error: unknown): WriteSummary | undefined {
  const details = (error as { statusDetails?: unknown })?.statusDetails;
  if (!Array.isArray(details)) return undefined;
  const summary = details.find((d) => d && typeof d === 'object' && 'successPointCount' in d) as
    | { successPointCount?: unknown; totalPointCount?: unknown; errors?: unknown }
    | undefined;
  if (!summary) return undefined;
  const errors = Array.isArray(summary.errors) ? summary.errors : [];
  return {
    successPointCount: Number(summary.successPointCount ?? 0),
    totalPointCount: Number(summary.totalPointCount ?? 0),
    errors: errors.map((e: { status?: { code?: unknown; message?: unknown }; pointCount?: unknown }) => ({
      code: Number(e?.status?.code ?? status.INVALID_ARGUMENT),
      message: String(e?.status?.message ?? ''),
      pointCount: Number(e?.pointCount ?? 0),
    })),
  };
}

/**
 * The code of one failed series: the code of the summary error with its reason, else the request's code.
 * A request answered INVALID_ARGUMENT can hold internal errors that a retry may pass.
 */
export function failureCode(
  reason: string,
  summary: WriteSummary | undefined,
  requestCode: number | undefined,
) {
  const match = summary?.errors.find(
    (e) => e.message !== '' && (e.message === reason || reason.includes(e.message)),
  );
  return match?.code ?? requestCode;
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
