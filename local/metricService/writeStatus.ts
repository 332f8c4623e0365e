/** What CreateTimeSeries answers for a write result: OK, a whole-request error, or a partial failure with its summary. */
import { groupFailures, partialFailureCode, partialFailureMessage } from './messages.js';
import { partialFailureMetadata } from './proto.js';
import { type Outcome, rpcError } from './rpc.js';
import type { PartialFailureFormat } from './types.js';
import type { WriteResult } from './write.js';

export function writeStatus(result: WriteResult, format: PartialFailureFormat): Outcome {
  if ('requestError' in result) return { error: rpcError(result.code, result.requestError) };
  if (result.failures.length === 0) return { response: {} };
  const groups = groupFailures(result.failures);
  const code = partialFailureCode(groups);
  const message = partialFailureMessage(result.failures, format);
  const metadata = partialFailureMetadata(code, message, {
    totalPointCount: result.totalPoints,
    successPointCount: result.accepted,
    errors: groups.map((g) => ({ code: g.code, message: g.reason, pointCount: g.indices.length })),
  });
  return { error: rpcError(code, message, metadata) };
}
