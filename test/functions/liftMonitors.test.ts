import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { CloudEvent } from '@google-cloud/functions-framework';
import { getFunction } from '@google-cloud/functions-framework/testing';
import '../../functions/index.js';
import type { MessagePublishedData } from '../../shared/delivery.js';
import { metricsWrittenBy } from '../../shared/monitoring/catalog.js';
import { pubsubEvent } from '../support/cloudEvents.js';
import { invalidCampaignMessages, invalidUpliftMessages } from '../support/invalidLiftMessages.js';
import { campaignResults, json, upliftBatch } from '../support/messages.js';
import { assertAcknowledgedRefusal } from '../support/refusals.js';
import { useTestRuntime } from '../support/runtime.js';

type Handler = (event: CloudEvent<MessagePublishedData>) => Promise<void>;
const liftMonitor = getFunction('liftMonitor') as Handler;
const upliftMonitor = getFunction('upliftMonitor') as Handler;
const harness = useTestRuntime();

const written = (suffix: string) =>
  harness.runtime.monitoring.accepted.filter((series) => series.metric?.type?.endsWith(suffix));

describe('liftMonitor', () => {
  test('writes the aggregate lift metrics, with intervals, and logs every campaign without making IDs labels', async () => {
    await liftMonitor(pubsubEvent(json(campaignResults())));
    for (const entry of metricsWrittenBy('liftMonitor')) {
      assert.equal(written(entry.name).length, 1, `${entry.name} written once`);
    }
    for (const series of harness.runtime.monitoring.accepted)
      assert.deepEqual(Object.keys(series.metric!.labels!).sort(), ['model', 'model_version', 'segment']);
    const detail = harness.logs.filter((line) => line.event === 'campaign_lift');
    assert.equal((detail[0]!.perCampaign as unknown[]).length, 8);
  });

  test('aggregates campaigns that carry their own segment separately', async () => {
    const message = campaignResults();
    const campaigns = (message.campaigns as Record<string, unknown>[]).map((campaign, i) => ({
      ...campaign,
      segment: { tier: i % 2 ? 'gold' : 'free' },
    }));
    await liftMonitor(pubsubEvent(json({ ...message, campaigns })));
    const segments = written('lift/campaigns')
      .map((series) => series.metric!.labels!.segment)
      .sort();
    assert.deepEqual(segments, ['market=se,tier=free', 'market=se,tier=gold']);
  });

  test('withholds the aggregates below 5 campaigns but writes the campaign count', async () => {
    const message = campaignResults();
    await liftMonitor(
      pubsubEvent(json({ ...message, campaigns: (message.campaigns as unknown[]).slice(0, 3) })),
    );
    assert.equal(written('lift/campaigns').length, 1);
    assert.equal(harness.runtime.monitoring.accepted.length, 1);
    assert.ok(harness.logs.some((line) => line.event === 'insufficient_data' && line.campaigns === 3));
  });

  test('splits the per-campaign detail of many campaigns over several log lines', async () => {
    const campaigns = Array.from({ length: 1200 }, (_, i) => ({
      campaignId: `c${i}`,
      predictedLift: 0.01,
      treatment: { units: 1000, conversions: 100 },
      control: { units: 1000, conversions: 90 },
    }));
    await liftMonitor(pubsubEvent(json(campaignResults({ campaigns }))));
    const detail = harness.logs.filter((line) => line.event === 'campaign_lift');
    assert.deepEqual(
      detail.map((line) => (line.perCampaign as unknown[]).length),
      [500, 500, 200],
    );
  });

  for (const { name, data, field } of invalidCampaignMessages) {
    test(`acknowledges and logs ${name}, naming ${field}, writing nothing`, async () => {
      await liftMonitor(pubsubEvent(data));
      assertAcknowledgedRefusal(harness.logs, harness.runtime.monitoring.requests.length, field);
    });
  }
});

describe('upliftMonitor', () => {
  test('writes Qini with its interval, uplift AUC, uplift at 30% and one point per decile', async () => {
    await upliftMonitor(pubsubEvent(json(upliftBatch())));
    for (const name of [
      'uplift/sample_size',
      'uplift/treated',
      'uplift/control',
      'uplift/qini_auc',
      'uplift/qini_auc_lower',
      'uplift/qini_auc_upper',
      'uplift/uplift_auc',
      'uplift/uplift_at_30',
    ]) {
      assert.equal(written(name).length, 1, name);
    }
    assert.deepEqual(
      written('uplift/decile_predicted').map((series) => series.metric!.labels!.decile),
      ['1', '2', '3', '4', '5', '6', '7', '8', '9', '10'],
    );
    assert.deepEqual(written('uplift/treated')[0]!.points![0]!.value, { int64Value: 1600 });
    const value = (name: string) => written(name)[0]!.points![0]!.value!.doubleValue!;
    assert.ok(value('uplift/qini_auc_lower') < value('uplift/qini_auc'));
    assert.ok(value('uplift/qini_auc') < value('uplift/qini_auc_upper'));
  });

  test('withholds the uplift metrics when an arm has fewer than 500 units', async () => {
    const message = upliftBatch();
    const cut = (key: string) => (message[key] as number[]).slice(0, 900);
    await upliftMonitor(
      pubsubEvent(
        json({ ...message, uplift: cut('uplift'), treatment: cut('treatment'), outcomes: cut('outcomes') }),
      ),
    );
    assert.deepEqual(
      harness.runtime.monitoring.accepted.map((series) => series.metric!.type!.split('/').at(-1)).sort(),
      ['control', 'sample_size', 'treated'],
    );
    assert.ok(harness.logs.some((line) => line.event === 'insufficient_data' && line.control === 300));
  });

  for (const { name, data, field } of invalidUpliftMessages) {
    test(`acknowledges and logs ${name}, naming ${field}, writing nothing`, async () => {
      await upliftMonitor(pubsubEvent(data));
      assertAcknowledgedRefusal(harness.logs, harness.runtime.monitoring.requests.length, field);
    });
  }
});
