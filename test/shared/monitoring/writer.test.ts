import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { MetricServiceClient } from '@google-cloud/monitoring';
import type { LocalMetricService } from '../../../local/metricService.js';
import { RetryableError } from '../../../shared/errors.js';
import { catalog } from '../../../shared/monitoring/catalog.js';
import { buildSeries } from '../../../shared/monitoring/series.js';
import { parsePartialFailure, writeSummary } from '../../../shared/monitoring/writeErrors.js';
import { type TimeSeriesClient, writeTimeSeries } from '../../../shared/monitoring/writer.js';
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
      'the newest format, with an example series whose labels hold "; " and "failed with: "',
      'One or more TimeSeries could not be written: timeSeries[0-2] (example metric.type="custom.googleapis.com/liftwatch/drift/psi", metric.labels={model: "m", segment: "a; b failed with: c"}): write for resource=global{project_id:demo} failed with: One or more points were written more frequently than the maximum sampling period configured for the metric.; timeSeries[4] (example metric.type="custom.googleapis.com/liftwatch/drift/psi", metric.labels={model: "m", segment: "written in order"}): write for resource=global{project_id:demo} failed with: Field timeSeries[4].metric.labels[1] had an invalid value of "x": Unrecognized metric label.',
      [0, 1, 2, 4],
      [true, true, true, false],
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

  test('returns undefined for a whole-request error, even one that names a series', () => {
    const message =
      'Field timeSeries[2].resource.labels.project_id had an invalid value of "other": if present, must be the project number or ID in the request name.';
    assert.equal(parsePartialFailure(message, 10), undefined);
  });

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

/** A local MetricService of its own (options), with the catalog's descriptors and a real client. */
async function withService(
  options: Parameters<typeof startMonitoring>[0],
  run: (service: LocalMetricService, client: MetricServiceClient) => Promise<void>,
) {
  const own = await startMonitoring(options);
  try {
    await run(own.service, own.client);
  } finally {
    await own.client.close();
    await own.service.close();
  }
}

/** A client that passes calls to `inner` and keeps the errors it raises. */
function keepingErrors(inner: TimeSeriesClient): { spy: TimeSeriesClient; seen: unknown[] } {
  const seen: unknown[] = [];
  const spy: TimeSeriesClient = {
    createTimeSeries: (request) =>
      inner.createTimeSeries(request).catch((error: unknown) => {
        seen.push(error);
        throw error;
      }),
  };
  return { spy, seen };
}

describe('writeTimeSeries against the gaps found in review', () => {
  test('reads the newest format, with an example series, over the wire', async () => {
    await withService({ partialFailureFormat: 'with-example' }, async (newest, newestClient) => {
      const batch = series(4);
      await writeTimeSeries(newestClient, PROJECT, [batch[1]!, batch[3]!]);
      const outcome = await writeTimeSeries(newestClient, PROJECT, batch);
      assert.equal(outcome.written, 2);
      assert.deepEqual(
        outcome.superseded.map((entry) => entry.series.match(/shard=(\d)/)?.[1]),
        ['1', '3'],
      );
      assert.match(outcome.superseded[0]!.reason, /^Points must be written in order/);
      assert.equal(newest.requests(), 2, 'nothing re-sent');
    });
  });

  test('re-sends only the series whose summary error is INTERNAL, inside a request answered INTERNAL', async () => {
    service.injectFault({ code: 13, series: [1, 2] });
    const batch = series(4);
    const before = service.requests();
    const outcome = await writeTimeSeries(client, PROJECT, batch, { initialBackoffMs: 1 });
    assert.equal(service.requests() - before, 2, 'the request, then series 1 and 2 alone');
    assert.deepEqual(outcome, { written: 4, superseded: [], rejected: [] });
    assert.equal(
      service.points({ labels: { model: batch[0]!.metric!.labels!.model! } }).length,
      4,
      'each point once',
    );
  });

  test('retries the INTERNAL series of a request answered INVALID_ARGUMENT, by their summary code', async () => {
    service.injectFault({ code: 13, series: [1] });
    const batch = series(3);
    batch[0]!.metric!.labels!.model = 'x'.repeat(2000); // INVALID_ARGUMENT: label value too long
    const { spy, seen } = keepingErrors(client);
    const outcome = await writeTimeSeries(spy, PROJECT, batch, { initialBackoffMs: 1 });
    assert.equal((seen[0] as { code: number }).code, 3, 'the request answers INVALID_ARGUMENT');
    assert.deepEqual(
      writeSummary(seen[0])?.errors.map((e) => [e.code, e.pointCount]),
      [
        [3, 1],
        [13, 1],
      ],
    );
    assert.equal(outcome.written, 2, 'series 2 at once, series 1 on the retry');
    assert.deepEqual(
      outcome.rejected.map((entry) => entry.series.match(/shard=(\d)/)?.[1]),
      ['0'],
    );
  });

  test('rejects every series of a whole-request error that names one series, and writes none', async () => {
    const batch = series(3);
    batch[2]!.resource = { type: 'global', labels: { project_id: 'someone-else' } };
    const before = service.requests();
    const outcome = await writeTimeSeries(client, PROJECT, batch, { initialBackoffMs: 1 });
    assert.equal(service.requests() - before, 1, 'not retried');
    assert.equal(outcome.written, 0);
    assert.equal(outcome.rejected.length, 3);
    assert.match(
      outcome.rejected[0]!.reason,
      /^Field timeSeries\[2\]\.resource\.labels\.project_id had an invalid value of "someone-else": if present, must be the project number or ID in the request name\.$/,
    );
    assert.equal(service.points({ labels: { model: batch[0]!.metric!.labels!.model! } }).length, 0);
  });

  test('reads success_point_count from the real client error, and trusts indices that agree with it', async () => {
    const batch = series(5);
    await writeTimeSeries(client, PROJECT, [batch[4]!]);
    const { spy, seen } = keepingErrors(client);
    const outcome = await writeTimeSeries(spy, PROJECT, batch);
    assert.deepEqual(writeSummary(seen[0]), {
      successPointCount: 4,
      totalPointCount: 5,
      errors: [{ code: 3, message: writeSummary(seen[0])!.errors[0]!.message, pointCount: 1 }],
    });
    assert.equal(seen.length, 1, 'nothing re-sent');
    assert.equal(outcome.written, 4);
  });

  test('re-sends the unnamed series when success_point_count disagrees with the indices', async () => {
    const sent: number[] = [];
    const mismatching: TimeSeriesClient = {
      async createTimeSeries(request) {
        sent.push(request.timeSeries.length);
        if (sent.length > 1) return [{}];
        throw Object.assign(new Error('3 INVALID_ARGUMENT'), {
          code: 3,
          details: 'One or more TimeSeries could not be written: Unrecognized metric label.: timeSeries[0]',
          // The API says only 1 of the 3 points was written, but the text names only one failure.
          statusDetails: [
            { totalPointCount: 3, successPointCount: 1, errors: [{ status: { code: 3 }, pointCount: 2 }] },
          ],
        });
      },
    };
    const outcome = await writeTimeSeries(mismatching, PROJECT, series(3), { initialBackoffMs: 1 });
    assert.deepEqual(sent, [3, 2], 'series 1 and 2 re-sent, series 0 settled as named');
    assert.equal(outcome.written, 2);
    assert.equal(outcome.rejected.length, 1);
  });

  test('retries RESOURCE_EXHAUSTED from the ingestion quota until the quota minute has passed', async () => {
    let clockMs = Date.now();
    await withService(
      { now: () => clockMs, ingestionRequestsPerMinute: 1 },
      async (limited, limitedClient) => {
        const codes: number[] = [];
        // Time passes while the writer backs off: each refusal moves the service's clock past the quota minute.
        const waiting: TimeSeriesClient = {
          createTimeSeries: (request) =>
            limitedClient.createTimeSeries(request).catch((error: { code: number; details: string }) => {
              codes.push(error.code);
              assert.match(
                error.details,
                /^Quota exceeded for quota metric 'Time series ingestion requests'/,
              );
              clockMs += 61_000;
              throw error;
            }),
        };
        const before = limited.requests();
        const first = await writeTimeSeries(waiting, PROJECT, series(2));
        const second = await writeTimeSeries(waiting, PROJECT, series(2), { initialBackoffMs: 1 });
        assert.deepEqual(codes, [8], 'one RESOURCE_EXHAUSTED, then written');
        assert.equal(limited.requests() - before, 3);
        assert.equal(first.written + second.written, 4);
      },
    );
  });
});
