/**
 * The day benchmark's harness (bench/dayRun.ts) on a tiny share of the day: every kind's messages are accepted
 * through both transports and write exactly the points their metrics promise, and a message that is not written
 * in full fails the run instead of being timed. No timings are asserted.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { binnedWindow, DAY_KINDS, type DayKind, FEATURES, FINE_BINS } from '../../bench/dayKinds.js';
import { runDayOnce } from '../../bench/dayRun.js';
import { metricsToWrite } from '../../shared/monitoring/catalog.js';

const SEGMENTS = 2;
const HOURS = 2;

/**
 * Points one window writes: the drift metrics; or, for the feature batch, 6 per numeric feature (n, missing and
 * out-of-range shares, PSI, JS, KS p-value), 7 per categorical one (n, missing and unseen shares, PSI, JS,
 * L-infinity, chi-squared p-value) and the 5 batch summaries written without importances.
 */
function pointsPerWindow(kind: DayKind): number {
  if (kind.function === 'driftMonitor') return metricsToWrite('driftMonitor', true).length;
  const numeric = 16;
  return numeric * 6 + (FEATURES - numeric) * 7 + 5;
}

describe('the day harness', () => {
  for (const kind of DAY_KINDS) {
    for (const transport of ['http', 'handler'] as const) {
      test(`${kind.name} over ${transport}: every window is accepted and writes its points`, async () => {
        const run = await runDayOnce(kind, { segments: SEGMENTS, hours: HOURS, transport });
        assert.equal(run.messages, SEGMENTS * HOURS);
        assert.equal(run.points, SEGMENTS * HOURS * pointsPerWindow(kind));
        assert.ok(run.messageBytes > 0);
        assert.equal(run.pushBytes > run.messageBytes, transport === 'http');
      });
    }
  }

  test('with a Monitoring client that accepts every write, the logs still account for every point', async () => {
    const kind = DAY_KINDS[0]!;
    const run = await runDayOnce(kind, { segments: SEGMENTS, hours: HOURS, monitoring: 'accept-all' });
    assert.equal(run.points, SEGMENTS * HOURS * pointsPerWindow(kind));
  });

  test('a window that is refused fails the run', async () => {
    const kind = DAY_KINDS[0]!;
    const refused: DayKind = {
      ...kind,
      // A window for a version without a baseline is refused (unknown_baseline) and acknowledged.
      window: (model, _modelVersion, segment, hour, windowEnd) =>
        kind.window(model, 'unregistered', segment, hour, windowEnd),
    };
    await assert.rejects(
      runDayOnce(refused, { segments: SEGMENTS, hours: 1 }),
      /0 of 2 messages written in full/,
    );
  });

  test('a binned window counts every prediction once, in edges.length + 1 bins', () => {
    const end = new Date('2026-11-30T01:00:00Z');
    const counts = (message: Record<string, unknown>) => (message.binCounts as { counts: number[] }).counts;
    const fine = counts(binnedWindow('m', 'v', 3, 0, end, { predictions: 4_167 }));
    assert.equal(fine.length, FINE_BINS);
    assert.equal(
      fine.reduce((a, b) => a + b, 0),
      4_167,
    );
    // Scores lie in (0.01, 0.21): below the first edge, between, and at or above the last.
    const onEdges = counts(binnedWindow('m', 'v', 3, 0, end, { predictions: 500, edges: [0.05, 0.1, 0.3] }));
    assert.equal(onEdges.length, 4);
    assert.equal(
      onEdges.reduce((a, b) => a + b, 0),
      500,
    );
    assert.equal(onEdges[3], 0);
    assert.ok(onEdges[0]! > 0 && onEdges[1]! > 0 && onEdges[2]! > 0);
  });
});
