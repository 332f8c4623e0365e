import assert from 'node:assert/strict';
import { after, describe, test } from 'node:test';
import { assertClose } from '../support/assertClose.js';
import { liftwatch, messageFolder } from '../support/cli.js';
import { readGolden } from '../support/golden.js';
import { invalidCampaignMessages, invalidUpliftMessages } from '../support/invalidLiftMessages.js';
import { invalidOutcomeMessages } from '../support/invalidOutcomeMessages.js';
import type { InvalidCase } from '../support/invalidPredictionMessages.js';
import { campaignResults, outcomeBatch, upliftBatch } from '../support/messages.js';

const folder = messageFolder();
after(() => folder.cleanup());
const RELATIVE = { relative: 1e-9, absolute: 1e-12 };

async function printed(command: string, message: object): Promise<Record<string, unknown>> {
  const result = await liftwatch(command, '--batch', folder.file(message));
  assert.equal(result.code, 0, result.stderr);
  return JSON.parse(result.stdout);
}

function refusals(command: string, cases: InvalidCase[]) {
  for (const { name, data, field } of cases.filter((item) => item.data.length < 1_000_000)) {
    test(`liftwatch ${command} refuses ${name} on one stderr line naming ${field}, exit 65`, async () => {
      const file = folder.file(data);
      const result = await liftwatch(command, '--batch', file);
      assert.equal(result.code, 65);
      const lines = result.stderr.trimEnd().split('\n');
      assert.equal(lines.length, 1, result.stderr);
      assert.ok(
        lines[0]!.startsWith(`liftwatch ${command}: ${file}: `) && lines[0]!.includes(`${field}: `),
        lines[0],
      );
    });
  }
}

describe('liftwatch lift', () => {
  const golden = readGolden<{
    cases: { name: string; campaigns: object[]; expected: Record<string, unknown> }[];
  }>('lift.json');
  for (const { name, campaigns, expected } of golden.cases
    .filter((item) => item.campaigns.length > 0)
    .slice(0, 8)) {
    test(`prints statsmodels' values for: ${name}`, async () => {
      const result = await printed('lift', campaignResults({ campaigns }));
      assert.equal(result.campaigns, campaigns.length);
      for (const key of [
        'liftRatio',
        'liftRatioLower',
        'liftRatioUpper',
        'liftBias',
        'meanAbsoluteMiss',
        'intervalCoverage',
        'rankCorrelation',
        'significantMissRate',
      ]) {
        if (expected[key] === null || expected[key] === undefined)
          assert.equal(result[key] ?? null, expected[key] ?? null, key);
        else assertClose(result[key] as number, expected[key] as number, RELATIVE, key);
      }
      const perCampaign = result.perCampaign as { realizedLiftLower: number }[];
      assert.equal(perCampaign.length, campaigns.length);
    });
  }
  refusals('lift', invalidCampaignMessages);
});

describe('liftwatch uplift', () => {
  const golden = readGolden<{
    cases: {
      name: string;
      uplift: { values?: number[] };
      treatment: string;
      outcomes: string;
      expected: Record<string, unknown>;
    }[];
  }>('uplift.json');
  const usable = golden.cases.filter(
    (item) => item.uplift.values && item.treatment.includes('0') && item.treatment.includes('1'),
  );
  for (const { name, uplift, treatment, outcomes, expected } of usable.slice(0, 6)) {
    test(`prints scikit-uplift's values for: ${name}`, async () => {
      const bits = (text: string) => Array.from(text, Number);
      const result = await printed(
        'uplift',
        upliftBatch({ uplift: uplift.values, treatment: bits(treatment), outcomes: bits(outcomes) }),
      );
      assert.equal(result.n, expected.n);
      for (const key of ['qiniAuc', 'upliftAuc', 'upliftAt30']) {
        if (expected[key] === null) assert.equal(result[key], null, key);
        else assertClose(result[key] as number, expected[key] as number, RELATIVE, key);
      }
      assert.deepEqual(result.deciles, expected.deciles);
    });
  }
  test('prints the deciles and the Qini curve for a realistic batch', async () => {
    const result = await printed('uplift', upliftBatch());
    assert.equal((result.deciles as unknown[]).length, 10);
    assert.ok((result.qiniCurve as unknown[]).length > 10);
  });
  refusals('uplift', invalidUpliftMessages);
});

describe('liftwatch calibration', () => {
  test('prints every calibration statistic the issue lists', async () => {
    const result = await printed('calibration', outcomeBatch());
    for (const key of [
      'n',
      'meanPrediction',
      'observedRate',
      'oeRatio',
      'oeRatioLower',
      'oeRatioUpper',
      'brier',
      'logLoss',
      'ece',
      'bins',
      'calibrationSlope',
      'calibrationIntercept',
      'spiegelhalterZ',
      'spiegelhalterPValue',
    ]) {
      assert.ok(key in result, `${key} printed`);
    }
    for (const bin of result.bins as Record<string, unknown>[])
      assert.deepEqual(
        Object.keys(bin)
          .filter((key) => ['count', 'meanPrediction', 'observedRate'].includes(key))
          .sort(),
        ['count', 'meanPrediction', 'observedRate'],
      );
  });
  refusals('calibration', invalidOutcomeMessages);
});

test('liftwatch lift also prints one aggregate per campaign segment, as liftMonitor writes them', async () => {
  const message = campaignResults();
  const campaigns = (message.campaigns as Record<string, unknown>[]).map((campaign, i) => ({
    ...campaign,
    segment: { tier: i < 5 ? 'free' : 'gold' },
  }));
  const result = await printed('lift', { ...message, campaigns });
  const bySegment = result.bySegment as Record<string, { campaigns: number }>;
  assert.deepEqual(Object.keys(bySegment).sort(), ['market=se,tier=free', 'market=se,tier=gold']);
  assert.equal(bySegment['market=se,tier=free']!.campaigns, 5);
});

test('liftwatch lift prints the mean absolute miss over all campaigns and per campaign segment', async () => {
  // Every campaign realizes 25/100 - 10/100 = 0.15: free misses by 0.1 each way, gold by 0.05 and 0.15 above.
  const realized = (campaignId: string, predictedLift: number, tier: string) => ({
    campaignId,
    predictedLift,
    segment: { tier },
    treatment: { units: 100, conversions: 25 },
    control: { units: 100, conversions: 10 },
  });
  const campaigns = [
    realized('free-under', 0.25, 'free'),
    realized('free-over', 0.05, 'free'),
    realized('gold-a', 0.2, 'gold'),
    realized('gold-b', 0.3, 'gold'),
  ];
  const result = await printed('lift', campaignResults({ campaigns }));
  const near = { absolute: 1e-15 };
  assertClose(result.meanAbsoluteMiss as number, 0.1, near, 'all campaigns');
  const bySegment = result.bySegment as Record<string, { meanAbsoluteMiss: number; liftBias: number }>;
  const free = bySegment['market=se,tier=free']!;
  const gold = bySegment['market=se,tier=gold']!;
  assertClose(free.meanAbsoluteMiss, 0.1, near, 'free');
  assertClose(free.liftBias, 0, near, 'free bias: the misses cancel');
  assertClose(gold.meanAbsoluteMiss, 0.1, near, 'gold');
  assertClose(gold.liftBias, -0.1, near, 'gold bias: both over-promise');
});
