/** Assertions that a message was refused the way liftwatch promises: named field, clear reason, nothing written. */
import assert from 'node:assert/strict';
import { InvalidMessageError } from '../../shared/errors.js';
import type { InvalidCase } from './invalidPredictionMessages.js';

/** `decode` throws an InvalidMessageError with an issue on the case's field whose message matches its reason. */
export function assertRefused(
  decode: () => unknown,
  { field, reason }: Pick<InvalidCase, 'field' | 'reason'>,
): void {
  try {
    decode();
    assert.fail('the message was accepted');
  } catch (error) {
    assert.ok(error instanceof InvalidMessageError, `threw ${String(error)}`);
    const issue = error.issues.find((candidate) => candidate.path === field);
    assert.ok(issue, `no issue names ${field}: ${JSON.stringify(error.issues)}`);
    assert.match(issue.message, reason);
  }
}

/** The last log line is an acknowledged invalid_message refusal naming the field, and nothing was sent to Monitoring. */
export function assertAcknowledgedRefusal(
  logs: Record<string, unknown>[],
  monitoringRequests: number,
  field: string,
): void {
  assert.equal(monitoringRequests, 0, 'nothing written');
  const line = logs.at(-1)!;
  assert.equal(line.reason, 'invalid_message');
  assert.equal(line.acknowledged, true);
  assert.ok(
    (line.issues as { path: string }[]).some((issue) => issue.path === field),
    JSON.stringify(line.issues),
  );
}
