import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { CloudEvent } from '@google-cloud/functions-framework';
import { getFunction } from '@google-cloud/functions-framework/testing';
import '../../functions/index.js';
import type { MessagePublishedData } from '../../shared/delivery.js';
import { metricsWrittenBy } from '../../shared/monitoring/catalog.js';
import { srmPValue } from '../../shared/stats/lift/sampleRatioMismatch.js';
import { pubsubEvent } from '../support/cloudEvents.js';
import { invalidCampaignMessages, invalidUpliftMessages } from '../support/invalidLiftMessages.js';
import { campaignResults, json, upliftBatch } from '../support/messages.js';
import { typedValue } from '../support/points.js';
import { assertAcknowledgedRefusal } from '../support/refusals.js';
import { useTestRuntime } from '../support/runtime.js';

type Handler = (event: CloudEvent<MessagePublishedData>) => Promise<void>;
const liftMonitor = getFunction('liftMonitor') as Handler;
const upliftMonitor = getFunction('upliftMonitor') as Handler;
const harness = useTestRuntime();

/** The message with each campaign's planned treatment share set to its observed split (a correct holdout). */
function withPlannedShares(message: Record<string, unknown>): Record<string, unknown> {
  const campaigns = (message.campaigns as { treatment: { units: number }; control: { units: number } }[]).map(
    (campaign) => ({
      ...campaign,
      plannedTreatmentShare: campaign.treatment.units / (campaign.treatment.units + campaign.control.units),
    }),
  );
  return { ...message, campaigns };
}

const written = (suffix: string) =>
  harness.runtime.monitoring.points().filter((series) => series.metricType.endsWith(suffix));

describe('liftMonitor', () => {
  test('writes the aggregate lift metrics, with intervals, and logs every campaign without making IDs labels', async () => {
    await liftMonitor(pubsubEvent(json(withPlannedShares(campaignResults()))));
    for (const entry of metricsWrittenBy('liftMonitor')) {
      assert.equal(written(entry.name).length, 1, `${entry.name} written once`);
    }
    for (const series of harness.runtime.monitoring.points())
      assert.deepEqual(Object.keys(series.metricLabels).sort(), ['model', 'model_version', 'segment']);
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
      .map((series) => series.metricLabels.segment)
      .sort();
    assert.deepEqual(segments, ['market=se,tier=free', 'market=se,tier=gold']);
  });

  test('withholds the aggregates below 5 campaigns but writes the campaign count', async () => {
    const message = campaignResults();
    await liftMonitor(
      pubsubEvent(json({ ...message, campaigns: (message.campaigns as unknown[]).slice(0, 3) })),
    );
    assert.equal(written('lift/campaigns').length, 1);
    assert.deepEqual(
      harness.runtime.monitoring
        .points()
        .map((series) => series.metricType.split('/').at(-1))
        .sort(),
      ['campaigns', 'srm_campaigns', 'srm_checked'],
    );
    assert.ok(harness.logs.some((line) => line.event === 'insufficient_data' && line.campaigns === 3));
  });

  test('excludes campaigns with a sample ratio mismatch, and counts only the rest towards the minimum', async () => {
    const message = withPlannedShares(campaignResults());
    const campaigns = (message.campaigns as Record<string, unknown>[]).slice(0, 6);
    // Two holdouts that lost 40% of their units: p ~ 1e-40 each.
    for (const broken of campaigns.slice(0, 2)) broken.control = { units: 600, conversions: 40 };
    await liftMonitor(pubsubEvent(json({ ...message, campaigns })));
    const value = (name: string) => typedValue(written(name)[0]);
    assert.deepEqual(value('lift/campaigns'), { int64Value: 4 });
    assert.deepEqual(value('lift/srm_checked'), { int64Value: 6 });
    assert.deepEqual(value('lift/srm_campaigns'), { int64Value: 2 });
    assert.deepEqual(value('lift/srm_excluded_share'), { doubleValue: 1 / 3 });
    assert.equal(written('lift/ratio').length, 0, '4 campaigns remain: the aggregates are withheld');
    assert.ok(harness.logs.some((line) => line.event === 'insufficient_data' && line.campaigns === 4));
    const rows = harness.logs.find((line) => line.event === 'campaign_lift')!.perCampaign as {
      campaignId: string;
      srmPValue: number;
      excluded?: string;
    }[];
    assert.deepEqual(
      rows.filter((row) => row.excluded === 'sample_ratio_mismatch').map((row) => row.campaignId),
      ['cmp-0', 'cmp-1'],
    );
    assert.ok(rows.every((row) => row.srmPValue >= 0 && row.srmPValue <= 1));
  });

  test('writes no SRM share when no campaign declares a planned share', async () => {
    await liftMonitor(pubsubEvent(json(campaignResults())));
    assert.deepEqual(typedValue(written('lift/srm_checked')[0]), { int64Value: 0 });
    assert.equal(written('lift/srm_excluded_share').length, 0);
    assert.equal(written('lift/ratio').length, 1);
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
      assertAcknowledgedRefusal(harness.logs, harness.runtime.monitoring.requests(), field);
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
      written('uplift/decile_predicted').map((series) => series.metricLabels.decile),
      ['1', '2', '3', '4', '5', '6', '7', '8', '9', '10'],
    );
    assert.deepEqual(typedValue(written('uplift/treated')[0]), { int64Value: 1600 });
    const value = (name: string) => written(name)[0]!.value as number;
    assert.ok(value('uplift/qini_auc_lower') < value('uplift/qini_auc'));
    assert.ok(value('uplift/qini_auc') < value('uplift/qini_auc_upper'));
  });

  test('writes no SRM p-value for a batch without a planned treatment share', async () => {
    await upliftMonitor(pubsubEvent(json(upliftBatch())));
    assert.equal(written('uplift/srm_p_value').length, 0);
  });

  test('writes the SRM p-value of a batch with a planned treatment share', async () => {
    // 1600 treated and 800 control units against a planned 1:1 split: chi-squared 266.7.
    await upliftMonitor(pubsubEvent(json(upliftBatch({ plannedTreatmentShare: 0.5 }))));
    const p = written('uplift/srm_p_value')[0]?.value as number | undefined;
    assert.equal(p, srmPValue(1600, 800, 0.5));
    assert.ok(p! < 1e-50);
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
      harness.runtime.monitoring
        .points()
        .map((series) => series.metricType.split('/').at(-1))
        .sort(),
      ['control', 'sample_size', 'treated'],
    );
    assert.ok(harness.logs.some((line) => line.event === 'insufficient_data' && line.control === 300));
  });

  for (const { name, data, field } of invalidUpliftMessages) {
    test(`acknowledges and logs ${name}, naming ${field}, writing nothing`, async () => {
      await upliftMonitor(pubsubEvent(data));
      assertAcknowledgedRefusal(harness.logs, harness.runtime.monitoring.requests(), field);
    });
  }
});
