/**
 * The hostile corpus through the handlers in process (getFunction, in-memory Monitoring and baseline store):
 * every case is refused with its reason, acknowledged (the handler returns normally) and writes nothing. Also the
 * hostile inputs that once broke the functions: a flood of bad values (one huge refusal) and finite values so
 * extreme that the statistics overflowed (retried until dead-lettered).
 */
import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, test } from 'node:test';
import type { CloudEvent } from '@google-cloud/functions-framework';
import { getFunction } from '@google-cloud/functions-framework/testing';
import '../../functions/index.js';
import type { MessagePublishedData } from '../../shared/delivery.js';
import { setLogSink } from '../../shared/log.js';
import { setRuntime } from '../../shared/runtime.js';
import { pubsubEvent } from '../support/cloudEvents.js';
import { baseline, campaignResults, json, predictionBatch, upliftBatch } from '../support/messages.js';
import { testRuntime } from '../support/runtime.js';
import { FUNCTION_OF, hostileCases, hostileData, hostileWindowEnd } from './support/corpus.js';
import { assertRefusal, LOG_ENTRY_LIMIT_BYTES } from './support/refusal.js';

type Handler = (event: CloudEvent<MessagePublishedData>) => Promise<void>;

let runtime: ReturnType<typeof testRuntime>;
let lines: string[];
let restore: () => void;

beforeEach(async () => {
  runtime = testRuntime();
  const restoreRuntime = setRuntime(runtime);
  lines = [];
  const previousSink = setLogSink((line) => lines.push(line));
  restore = () => {
    setLogSink(previousSink);
    restoreRuntime();
  };
  await (getFunction('registerBaseline') as Handler)(
    pubsubEvent(json(baseline({ model: 'hostile', modelVersion: 'v1' }))),
  );
  lines.length = 0;
});
afterEach(() => restore());

const handle = (name: string, data: Buffer) => (getFunction(name) as Handler)(pubsubEvent(data));

describe('the hostile corpus, handled in process', () => {
  test('the corpus holds at least 40 cases over all six batch and baseline contracts', () => {
    assert.ok(hostileCases.length >= 40, `${hostileCases.length} cases`);
    const contracts = new Set(hostileCases.map((entry) => entry.contract));
    assert.deepEqual([...contracts].sort(), [
      'Baseline',
      'CampaignResults',
      'FeatureBatch',
      'OutcomeBatch',
      'PredictionBatch',
      'UpliftBatch',
    ]);
  });

  for (const entry of hostileCases) {
    test(`${entry.name}: ${entry.description}`, async () => {
      const storedBefore = runtime.baselines.baselines.size;
      const featuresStoredBefore = runtime.featureBaselines.baselines.size;
      await handle(FUNCTION_OF[entry.contract], hostileData(entry));

      assert.equal(lines.length, 1, 'exactly one log line: the refusal');
      assertRefusal(entry, JSON.parse(lines[0]!), lines[0]);
      assert.equal(runtime.monitoring.requests(), 0, 'nothing sent to Cloud Monitoring');
      assert.equal(runtime.baselines.baselines.size, storedBefore, 'no baseline stored');
      assert.equal(
        runtime.featureBaselines.baselines.size,
        featuresStoredBefore,
        'no feature baseline stored',
      );
    });
  }
});

describe('hostile inputs that once broke the functions', () => {
  test('a batch of 100,000 nulls (0.5 MB) is refused with a log line Cloud Logging can take', async () => {
    const data = Buffer.from(
      JSON.stringify(predictionBatch({ model: 'hostile', modelVersion: 'v1', predictions: [0] })).replace(
        '"predictions":[0]',
        `"predictions":[${'null,'.repeat(99_999)}null]`,
      ),
    );
    await handle('driftMonitor', data);
    assert.equal(lines.length, 1);
    assert.equal(JSON.parse(lines[0]!).reason, 'invalid_message');
    assert.ok(
      Buffer.byteLength(lines[0]!) < LOG_ENTRY_LIMIT_BYTES,
      `the refusal is ${Buffer.byteLength(lines[0]!)} bytes`,
    );
  });

  const overflowing: { name: string; function: string; message: Record<string, unknown> }[] = [
    {
      name: 'a window of predictions of 1.7e308 (finite, but beyond the contract bound of ±1e9)',
      function: 'driftMonitor',
      message: predictionBatch({
        model: 'hostile',
        modelVersion: 'v1',
        windowEnd: hostileWindowEnd().toISOString(),
        predictions: new Array(120).fill(1.7e308),
      }),
    },
    {
      name: 'a campaign predicting a lift of 1e308',
      function: 'liftMonitor',
      message: campaignResults({
        model: 'hostile',
        modelVersion: 'v1',
        windowEnd: hostileWindowEnd().toISOString(),
        campaigns: (campaignResults().campaigns as Record<string, unknown>[]).map((campaign, i) =>
          i === 0 ? { ...campaign, predictedLift: 1e308, predictedLiftInterval: undefined } : campaign,
        ),
      }),
    },
    {
      name: 'uplift scores near 1e308',
      function: 'upliftMonitor',
      message: upliftBatch({
        model: 'hostile',
        modelVersion: 'v1',
        windowEnd: hostileWindowEnd().toISOString(),
        uplift: (upliftBatch().uplift as number[]).map((score, i) => (i < 2 ? 1.7e308 : score)),
      }),
    },
  ];
  for (const { name, function: target, message } of overflowing) {
    test(`${name} is refused, never retried forever`, async () => {
      await handle(target, json(message));
      const last = JSON.parse(lines.at(-1)!) as Record<string, unknown>;
      assert.equal(last.reason, 'invalid_message', String(last.message));
      assert.equal(last.acknowledged, true);
    });
  }
});

describe('a counted category named __proto__', () => {
  const windowEnd = () => hostileWindowEnd().toISOString();
  const head = { schemaVersion: 1, model: 'hostile', modelVersion: 'v1', segment: { case: 'hostile' } };
  const referenceValues = ['__proto__', 'ios', '__proto__', 'web', null, 'ios', '__proto__', 'constructor'];

  /** The points written for the message, as `metric{feature}` => value. */
  async function pointsOf(text: string): Promise<Map<string, number>> {
    runtime.monitoring.reset();
    lines.length = 0;
    await handle('featureMonitor', Buffer.from(text));
    const last = JSON.parse(lines.at(-1)!) as Record<string, unknown>;
    assert.equal(last.event, 'points_written', String(last.message));
    return new Map(
      runtime.monitoring
        .points()
        .map((point) => [
          `${point.metricType.replace(/^custom\.googleapis\.com\/liftwatch\//, '')}{${point.metricLabels.feature ?? ''}}`,
          Number(point.value),
        ]),
    );
  }

  test('is accepted and counted as the category, writing what the raw values write', async () => {
    await handle(
      'registerFeatureBaseline',
      json({
        ...head,
        segment: undefined,
        features: { device: { kind: 'categorical', values: referenceValues } },
      }),
    );
    // Written as a producer's JSON text: `__proto__` is an ordinary key there (an object literal would set the prototype).
    const counted = JSON.stringify({
      ...head,
      windowEnd: windowEnd(),
      features: { device: { kind: 'categorical', counts: { PROTO: 3, ios: 1, zz: 2 }, missing: 1 } },
    }).replace('"PROTO":', '"__proto__":');
    const raw = JSON.stringify({
      ...head,
      windowEnd: new Date(hostileWindowEnd().getTime() - 60_000).toISOString(),
      features: {
        device: {
          kind: 'categorical',
          values: ['__proto__', 'zz', '__proto__', null, 'ios', 'zz', '__proto__'],
        },
      },
    });
    const fromCounts = await pointsOf(counted);
    const fromValues = await pointsOf(raw);
    assert.equal(fromCounts.get('feature/n{device}'), 6);
    assert.equal(fromCounts.get('feature/missing_share{device}'), 1 / 7);
    assert.deepEqual(fromCounts, fromValues);
    assert.ok(fromCounts.size > 3, `${fromCounts.size} points`);
  });
});
