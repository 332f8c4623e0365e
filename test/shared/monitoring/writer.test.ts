import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { MetricServiceClient } from '@google-cloud/monitoring';
import type { LocalMetricService } from '../../../local/metricService.js';
import { RetryableError } from '../../../shared/errors.js';
import { catalog } from '../../../shared/monitoring/catalog.js';
import { buildSeries } from '../../../shared/monitoring/series.js';
import { parsePartialFailure } from '../../../shared/monitoring/writeErrors.js';
import { writeTimeSeries } from '../../../shared/monitoring/writer.js';
import { PROJECT, startMonitoring } from '../../support/localMonitoring.js';

let service: LocalMetricService;
let client: MetricServiceClient;
before(async () => {
  ({ service, client } = await startMonitoring());
});
after(async () => {
  await client.close();
  await service.close();
});

const psi = catalog.metrics.filter((entry) => entry.name === 'drift/psi');
let call = 0;
/** `count` series of drift/psi (one per segment) of a model no other call uses, all at one window end. */
function series(count: number, endTime = new Date(Date.now() - 60 * 60_000)) {
  const model = `writer${++call}`;
  return Array.from({ length: count }, (_, i) =>
    buildSeries(
      { projectId: PROJECT, model, modelVersion: 'v1', segment: { shard: String(i) }, endTime },
      psi,
      { psi: i / 1000 },
    ),
  ).flat();
}

describe('writeTimeSeries against the local MetricService', () => {
  test('splits 450 series into requests of at most 200 and writes each point once', async () => {
    const before = service.requests();
    const outcome = await writeTimeSeries(client, PROJECT, series(450));
    assert.deepEqual(outcome, { written: 450, superseded: [], rejected: [] });
    assert.equal(service.requests() - before, 3);
  });

  test('settles a partially applied request series by series without re-sending the accepted ones', async () => {
    const end = new Date(Date.now() - 30 * 60_000);
    const later = new Date(end.getTime() + 60_000);
    const batch = series(6, end);
    // Series 2 and 5 already hold a newer point: the API refuses ours for them and writes the rest.
    await writeTimeSeries(
      client,
      PROJECT,
      [batch[2]!, batch[5]!].map((item) => ({
        ...item,
        points: [{ ...item.points![0]!, interval: { endTime: { seconds: later.getTime() / 1000 } } }],
      })),
    );
    const before = service.requests();
    const outcome = await writeTimeSeries(client, PROJECT, batch);
    assert.equal(service.requests() - before, 1, 'one request: nothing re-sent');
    assert.equal(outcome.written, 4);
    assert.equal(outcome.rejected.length, 0);
    assert.deepEqual(
      outcome.superseded.map((entry) => entry.series.match(/shard=(\d)/)?.[1]),
      ['2', '5'],
    );
  });

  test('reports a point the API refuses as invalid, and writes the others', async () => {
    const batch = series(3);
    batch[1]!.metric!.labels!.model = 'x'.repeat(2000);
    const outcome = await writeTimeSeries(client, PROJECT, batch);
    assert.equal(outcome.written, 2);
    assert.equal(outcome.rejected.length, 1);
    assert.match(outcome.rejected[0]!.reason, /label/i);
  });

  test('retries UNAVAILABLE and DEADLINE_EXCEEDED and writes every point exactly once', async () => {
    service.injectFault({ code: 14, times: 2 });
    service.injectFault({ code: 4, times: 1, writeBeforeFailing: true });
    const batch = series(5);
    const type = batch[0]!.metric!.type!;
    const countBefore = service.points({ metricType: type }).length;
    const outcome = await writeTimeSeries(client, PROJECT, batch, { initialBackoffMs: 1 });
    assert.equal(service.points({ metricType: type }).length - countBefore, 5);
    // The deadline fired after the server committed: the retry finds the points already held.
    assert.equal(outcome.written + outcome.superseded.length, 5);
    assert.equal(outcome.rejected.length, 0);
  });

  test('gives up with a RetryableError when Cloud Monitoring stays unavailable, so Pub/Sub redelivers', async () => {
    service.injectFault({ code: 14, times: 4 });
    await assert.rejects(
      writeTimeSeries(client, PROJECT, series(2), { initialBackoffMs: 1 }),
      RetryableError,
    );
  });

  test('reads the newer index-first error format too', async () => {
    const { service: newer, client: newerClient } = await startMonitoring({
      partialFailureFormat: 'index-first',
    });
    try {
      const batch = series(4);
      await writeTimeSeries(newerClient, PROJECT, [batch[3]!]);
      const outcome = await writeTimeSeries(newerClient, PROJECT, batch);
      assert.equal(outcome.written, 3);
      assert.equal(outcome.superseded.length, 1);
    } finally {
      await newerClient.close();
      await newer.close();
    }
  });
});

describe('parsePartialFailure', () => {
  const cases: [string, string, number[], boolean[]][] = [
    [
      'reason first, ranges and lists',
      'One or more TimeSeries could not be written: Points must be written in order. One or more of the points specified had an older end time than the most recent point.: timeSeries[0-2,5]; Unrecognized metric label.: timeSeries[7]',
      [0, 1, 2, 5, 7],
      [true, true, true, true, false],
    ],
    [
      'an index inside the reason',
      'One or more TimeSeries could not be written: Field timeSeries[8] had an invalid value: Duplicate TimeSeries encountered. Only one point can be written per TimeSeries per request.: timeSeries[8]',
      [8],
      [false],
    ],
    [
      'index first',
      'One or more TimeSeries could not be written: timeSeries[0-1]: write for resource=global failed with: One or more points were written more frequently than the maximum sampling period configured for the metric.',
      [0, 1],
      [true, true],
    ],
  ];
  for (const [name, message, indices, superseded] of cases) {
    test(`reads ${name}`, () => {
      const failures = parsePartialFailure(message, 10)!;
      assert.deepEqual(
        failures.map((failure) => failure.index),
        indices,
      );
      assert.deepEqual(
        failures.map((failure) => failure.superseded),
        superseded,
      );
    });
  }

  test('returns undefined when the message names no series', () => {
    assert.equal(
      parsePartialFailure(
        '3 INVALID_ARGUMENT: Field timeSeries had an invalid value: A maximum of 200 TimeSeries can be written in a single request.',
        10,
      ),
      undefined,
    );
  });
});

describe('writeTimeSeries with a transient partial failure', () => {
  test('re-sends only the series the error names, and counts every point written', async () => {
    const sent: number[] = [];
    let calls = 0;
    const client = {
      async createTimeSeries(request: { timeSeries: unknown[] }) {
        sent.push(request.timeSeries.length);
        if (++calls === 1) {
          throw Object.assign(new Error('13 INTERNAL'), {
            code: 13,
            details:
              'One or more TimeSeries could not be written: An internal error occurred.: timeSeries[7-9]',
          });
        }
        return [{}];
      },
    };
    const outcome = await writeTimeSeries(client, PROJECT, series(10), { initialBackoffMs: 1 });
    assert.deepEqual(sent, [10, 3]);
    assert.deepEqual(outcome, { written: 10, superseded: [], rejected: [] });
  });
});

describe('writeTimeSeries reading the real client error', () => {
  test('tells a refused point from a superseded one when one error lists both reasons', async () => {
    const batch = series(2);
    batch[0]!.metric!.labels!.model = 'x'.repeat(2000); // refused: label value too long
    const newer = new Date(Date.now() - 30 * 60_000);
    const later = {
      ...batch[1]!,
      points: [{ ...batch[1]!.points![0]!, interval: { endTime: { seconds: newer.getTime() / 1000 } } }],
    };
    await writeTimeSeries(client, PROJECT, [later]); // series 1 already holds a newer point
    const outcome = await writeTimeSeries(client, PROJECT, batch);
    assert.equal(outcome.written, 0);
    assert.equal(outcome.rejected.length, 1);
    assert.match(outcome.rejected[0]!.series, /shard=0/);
    assert.doesNotMatch(outcome.rejected[0]!.reason, /INVALID_ARGUMENT|written in order/);
    assert.equal(outcome.superseded.length, 1);
    assert.match(outcome.superseded[0]!.series, /shard=1/);
  });
});
