/** What the fault tests read back from the local stack: a message's final log line and the points of a series. */
import assert from 'node:assert/strict';
import type { FunctionName, LocalStack } from '../../../local/stack.js';
import { metricsWrittenBy, metricType } from '../../../shared/monitoring/catalog.js';

export type LogLine = Record<string, unknown>;

/** The window end every fault test writes at: a whole minute, a few minutes ago (inside the 25 h range). */
export function recentWindowEnd(minutesAgo = 10): Date {
  return new Date(Math.floor(Date.now() / 60_000) * 60_000 - minutesAgo * 60_000);
}

/** Waits for the line that settles a delivery of `messageId` (points written or refused) in any instance. */
export function settled(
  stack: LocalStack,
  name: FunctionName,
  messageId: string,
  timeoutMs = 30_000,
): Promise<LogLine> {
  return stack.waitFor(
    `${name} to settle message ${messageId}`,
    () =>
      stack.logsOfAllInstances(
        name,
        (line) =>
          line.messageId === messageId &&
          (line.event === 'points_written' || line.event === 'points_rejected' || line.acknowledged === true),
      )[0],
    timeoutMs,
  );
}

/** Every log line of `messageId`, in any instance. */
export function linesOf(stack: LocalStack, name: FunctionName, messageId: string): LogLine[] {
  return stack.logsOfAllInstances(name, (line) => line.messageId === messageId);
}

/**
 * Asserts that every drift metric of the series (model, version, segment) holds exactly one point at each of
 * `windowEnds`, and nothing else.
 */
export function assertDriftPointsOnce(
  stack: LocalStack,
  labels: { model: string; model_version: string; segment: string },
  windowEnds: readonly Date[],
): void {
  const entries = metricsWrittenBy('driftMonitor');
  for (const entry of entries) {
    const points = stack.monitoring.points({ metricType: metricType(entry), labels });
    assert.deepEqual(
      points.map((point) => point.endTimeMs).sort((a, b) => a - b),
      windowEnds.map((end) => end.getTime()).sort((a, b) => a - b),
      `${entry.name} ${labels.segment}: one point per window`,
    );
  }
  assert.equal(
    stack.monitoring.points({ labels }).length,
    entries.length * windowEnds.length,
    `${labels.segment}: no other point`,
  );
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
