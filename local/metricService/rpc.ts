/** What every RPC handler shares: its context, its outcome type and error construction. */
import { type ServerErrorResponse, status } from '@grpc/grpc-js';
import { type Clause, parseFilter } from './filter.js';
import { requestMessages, rpcMessages } from './messages.js';
import { projectOf } from './names.js';
import type { Store } from './store.js';
import type { PartialFailureFormat } from './types.js';

export interface HandlerContext {
  store: Store;
  now: () => number;
  /** how long after its write a point becomes readable */
  ingestionDelayMs: number;
  samplingPeriodMs: number;
  requireDescriptors: boolean;
  partialFailureFormat: PartialFailureFormat;
  ingestionRequestsPerMinute: number | undefined;
  /** aborted by close(): pending fault delays end early */
  signal: AbortSignal;
}

export type Outcome = { response: object } | { error: ServerErrorResponse };

export function rpcError(
  code: status,
  details: string,
  metadata?: ServerErrorResponse['metadata'],
): ServerErrorResponse {
  return Object.assign(new Error(details), { code, details, ...(metadata ? { metadata } : {}) });
}

export const invalid = (details: string): Outcome => ({ error: rpcError(status.INVALID_ARGUMENT, details) });

export const failWith = (code: status, details: string): Outcome => ({ error: rpcError(code, details) });

/** Project id of a `projects/{id}` request name, or the INVALID_ARGUMENT outcome. */
export function requestProject(name: string | undefined): { project: string } | Outcome {
  const project = projectOf(name);
  return project === undefined ? invalid(requestMessages.badName(name ?? '')) : { project };
}

/** Filter clauses limited to `allowed` fields, or the INVALID_ARGUMENT outcome. */
export function listFilter(
  filter: string | undefined,
  allowed: readonly Clause['field'][],
): Clause[] | Outcome {
  const clauses = parseFilter(filter ?? '');
  if ('error' in clauses) return invalid(clauses.error);
  const bad = clauses.find((c) => !allowed.includes(c.field));
  return bad ? invalid(rpcMessages.filterField(filter ?? '', bad.field, allowed)) : clauses;
}

export interface ListRequest {
  name?: string;
  filter?: string;
  pageSize?: number;
  pageToken?: string;
}
