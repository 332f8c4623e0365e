import assert from 'node:assert/strict';
import { test } from 'node:test';
import { LISTED_SERIES, reportWrite } from '../../../shared/monitors/report.js';

test('a write report names at most 20 series and counts all of them', () => {
  const lines: Record<string, unknown>[] = [];
  const delivery = {
    data: Buffer.alloc(0),
    messageId: '1',
    publishTime: undefined,
    annotate: () => {},
    log: (_severity: string, _message: string, fields: Record<string, unknown> = {}) =>
      void lines.push(fields),
  };
  const entries = Array.from({ length: 12_000 }, (_, i) => ({
    series: `custom.googleapis.com/liftwatch/lift/ratio{segment=s${i}}`,
    reason: 'older end time',
  }));
  reportWrite(delivery, { written: 0, superseded: entries, rejected: [] });
  reportWrite(delivery, { written: 0, superseded: [], rejected: entries });
  assert.equal((lines[0]!.supersededSeries as unknown[]).length, LISTED_SERIES);
  assert.equal(lines[0]!.superseded, 12_000);
  assert.equal((lines[1]!.rejectedSeries as unknown[]).length, LISTED_SERIES);
  assert.equal(lines[1]!.rejected, 12_000);
  assert.ok(JSON.stringify(lines).length < 20_000);
});
