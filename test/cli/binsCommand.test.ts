import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, describe, test } from 'node:test';
import { binningFingerprint } from '../../shared/monitors/binning.js';
import { summarizeBaseline } from '../../shared/stats/drift/baselineSummary.js';
import { liftwatch, messageFolder } from '../support/cli.js';
import { readGolden } from '../support/golden.js';
import { baseline, predictionBatch } from '../support/messages.js';

const folder = messageFolder();
after(() => folder.cleanup());
const file = (contents: unknown) => folder.file(JSON.stringify(contents));

interface BinningCase {
  name: string;
  reference: number[];
  current: number[];
  expected: { fineEdges: number[]; fineCounts: number[] };
}
const golden = readGolden<{ cases: BinningCase[] }>('binning.json');
const shifted = golden.cases.find((c) => c.name === 'shifted beta')!;
const baselineFile = file(baseline({ predictionsF32: undefined, predictions: shifted.reference }));

async function bins(): Promise<{ binning: string; edges: number[] }> {
  const result = await liftwatch('bins', '--baseline', baselineFile);
  assert.equal(result.code, 0, result.stderr);
  return JSON.parse(result.stdout);
}

/** The golden case's window as a binned PredictionBatch, counted in the bins `liftwatch bins` printed. */
const binnedBatch = (binning: string, counts: number[] = shifted.expected.fineCounts) =>
  predictionBatch({ predictions: undefined, binCounts: { binning, counts } });

describe('liftwatch bins', () => {
  test("prints the baseline's binning: numpy's fine quantile edges and their fingerprint", async () => {
    const printed = await bins();
    assert.deepEqual(Object.keys(printed), ['binning', 'edges']);
    assert.deepEqual(
      printed.edges,
      shifted.expected.fineEdges,
      'the edges of numpy.quantile(k/1000), unique',
    );
    assert.equal(printed.binning, binningFingerprint('promo-lift', 'v3.1', Float64Array.from(printed.edges)));
    const summary = summarizeBaseline(shifted.reference);
    assert.ok(
      Array.from(summary.edges).every((edge) => printed.edges.includes(edge)),
      'the PSI edges are among them',
    );
  });

  test('a usage error without --baseline', async () => {
    const result = await liftwatch('bins');
    assert.equal(result.code, 64);
    assert.match(result.stderr, /bins needs --baseline FILE/);
  });
});

describe('liftwatch drift on a binned window', () => {
  test('prints the raw statistics where they are exact, and names the approximate ones with their bounds', async () => {
    const { binning } = await bins();
    const raw = await liftwatch(
      'drift',
      '--baseline',
      baselineFile,
      '--batch',
      file(predictionBatch({ predictions: shifted.current })),
    );
    const binned = await liftwatch(
      'drift',
      '--baseline',
      baselineFile,
      '--batch',
      file(binnedBatch(binning)),
    );
    assert.equal(binned.code, 0, binned.stderr);
    const exact = JSON.parse(raw.stdout);
    const printed = JSON.parse(binned.stdout);
    for (const key of ['n', 'nReference', 'bins', 'psi', 'psiNull99', 'psiPValue', 'jsDistance'])
      assert.equal(printed[key], exact[key], key);
    assert.deepEqual(printed.approximate, ['ksStatistic', 'ksPValue', 'wasserstein', 'wassersteinNormed']);
    assert.ok(printed.ksStatistic <= exact.ksStatistic && exact.ksStatistic <= printed.ksStatisticUpperBound);
    assert.ok(printed.wasserstein <= exact.wasserstein);
    assert.ok(printed.wassersteinNormed <= exact.wassersteinNormed);
    assert.ok(printed.wassersteinNormedUpperBound >= printed.wassersteinNormed);
    assert.ok(printed.ksPValue >= exact.ksPValue);
  });

  const refusals = [
    {
      name: 'a binning that is not the baseline',
      binning: () => '0123456789abcdef',
      field: 'binCounts.binning',
    },
    {
      name: "another version's binning",
      binning: (edges: number[]) => binningFingerprint('promo-lift', 'v3.0', Float64Array.from(edges)),
      field: 'binCounts.binning',
    },
  ];
  for (const { name, binning, field } of refusals) {
    test(`refuses ${name} with exit 65, naming ${field}, as the function does`, async () => {
      const { edges } = await bins();
      const batchFile = file(binnedBatch(binning(edges)));
      const result = await liftwatch('drift', '--baseline', baselineFile, '--batch', batchFile);
      assert.equal(result.code, 65);
      assert.equal(result.stdout, '');
      assert.ok(result.stderr.startsWith(`liftwatch drift: ${batchFile}: ${field}: `), result.stderr);
      assert.match(result.stderr, /not the baseline's binning/);
    });
  }

  test('refuses counts that are not one per bin, naming binCounts.counts', async () => {
    const { binning } = await bins();
    const batchFile = file(binnedBatch(binning, shifted.expected.fineCounts.slice(1)));
    const result = await liftwatch('drift', '--baseline', baselineFile, '--batch', batchFile);
    assert.equal(result.code, 65);
    assert.match(result.stderr, /binCounts\.counts: has \d+ counts; the baseline's binning has \d+ bins/);
  });

  test("refuses a batch of another model version than the baseline's, whatever its binning", async () => {
    const { binning } = await bins();
    const batchFile = file({ ...binnedBatch(binning), modelVersion: 'v3.2' });
    const result = await liftwatch('drift', '--baseline', baselineFile, '--batch', batchFile);
    assert.equal(result.code, 65);
    assert.match(result.stderr, /binCounts\.binning: the batch is of promo-lift v3\.2/);
  });
});

interface FeatureGoldenCase {
  name: string;
  reference: Record<string, unknown>;
  batch: Record<string, unknown>;
  binned: { fineEdges?: number[]; counts: number[] | Record<string, number>; missing: number };
  summary: { categories?: string[] };
}
const featureGolden = readGolden<{ cases: FeatureGoldenCase[] }>('features.json');
const FEATURE_CASES = [
  'normal, mild shift, a few missing',
  'integer counts with many ties',
  'out-of-range values on both sides, and values at the reference min and max',
  'every reference value missing',
  'five categories, shifted',
  'unseen categories in the batch',
  '1,500 genres, 1,000 kept, tie in counts at the cut',
];

/** A one-feature FeatureBaseline and its raw and counted FeatureBatch from a golden case (numpy's counts). */
function featureFiles({ reference, batch, binned }: FeatureGoldenCase, binning = '') {
  const message = { schemaVersion: 1, model: 'promo-lift', modelVersion: 'v3.1' };
  const window = { ...message, segment: { market: 'se' }, windowEnd: '2026-11-26T15:00:00Z' };
  const counted =
    binned.fineEdges !== undefined
      ? { kind: 'numeric', binCounts: { binning, counts: binned.counts }, missing: binned.missing }
      : { kind: 'categorical', counts: binned.counts, missing: binned.missing };
  return {
    baseline: file({ ...message, features: { x: reference } }),
    raw: file({ ...window, features: { x: batch } }),
    counted: (fingerprint: string) =>
      file({
        ...window,
        features: {
          x: {
            ...counted,
            ...('binCounts' in counted ? { binCounts: { ...counted.binCounts, binning: fingerprint } } : {}),
          },
        },
      }),
  };
}

describe('liftwatch bins and features on a FeatureBaseline', () => {
  for (const name of FEATURE_CASES) {
    const golden = featureGolden.cases.find((c) => c.name === name)!;
    test(`bins prints the feature's binning and features the raw statistics from counts: ${name}`, async () => {
      const files = featureFiles(golden);
      const result = await liftwatch('bins', '--baseline', files.baseline);
      assert.equal(result.code, 0, result.stderr);
      const printed = JSON.parse(result.stdout) as {
        features: Record<string, { binning: string; edges?: number[]; categories?: string[] }>;
      };
      assert.deepEqual(Object.keys(printed.features), ['x']);
      const x = printed.features.x!;
      if (golden.binned.fineEdges !== undefined) {
        assert.deepEqual(Object.keys(x), ['binning', 'edges']);
        assert.deepEqual(
          x.edges,
          golden.binned.fineEdges,
          "numpy's edges: min, quantiles at k/1000, nextafter(max)",
        );
        assert.equal(x.binning, binningFingerprint('promo-lift', 'v3.1', Float64Array.from(x.edges!), 'x'));
      } else {
        assert.deepEqual(Object.keys(x), ['binning', 'categories']);
        assert.deepEqual(x.categories, golden.summary.categories, 'the kept categories, most frequent first');
        assert.equal(x.binning, binningFingerprint('promo-lift', 'v3.1', x.categories!, 'x'));
      }
      const raw = await liftwatch('features', '--baseline', files.baseline, '--batch', files.raw);
      const counted = await liftwatch(
        'features',
        '--baseline',
        files.baseline,
        '--batch',
        files.counted(x.binning),
      );
      assert.equal(counted.code, 0, counted.stderr);
      const exact = (JSON.parse(raw.stdout).features as Record<string, unknown>[])[0]!;
      const fromCounts = (JSON.parse(counted.stdout).features as Record<string, unknown>[])[0]!;
      const bounded = ['ksStatistic', 'ksPValue', 'wassersteinNormed'];
      for (const [key, value] of Object.entries(exact)) {
        if (bounded.includes(key)) continue;
        if (typeof value === 'number')
          assert.ok(
            Math.abs((fromCounts[key] as number) - value) <= 1e-12 * Math.max(1, Math.abs(value)),
            key,
          );
        else assert.deepEqual(fromCounts[key], value, key);
      }
      if (exact.ksStatistic !== undefined) {
        assert.deepEqual(fromCounts.approximate, bounded);
        assert.ok((fromCounts.ksStatistic as number) <= (exact.ksStatistic as number) + 1e-12);
        assert.ok((exact.ksStatistic as number) <= (fromCounts.ksStatisticUpperBound as number) + 1e-12);
        assert.ok((fromCounts.ksPValue as number) >= (exact.ksPValue as number) - 1e-12);
      }
    });
  }

  test("features refuses counts in a binning that is not the feature's, exit 65 naming the field", async () => {
    const files = featureFiles(featureGolden.cases.find((c) => c.name === FEATURE_CASES[0])!);
    const result = await liftwatch(
      'features',
      '--baseline',
      files.baseline,
      '--batch',
      files.counted('0123456789abcdef'),
    );
    assert.equal(result.code, 65);
    assert.equal(result.stdout, '');
    assert.match(
      result.stderr,
      /features\.x\.binCounts\.binning: 0123456789abcdef is not the baseline's binning/,
    );
  });

  test('features refuses counts of another model version than the baseline, as the function would', async () => {
    const golden = featureGolden.cases.find((c) => c.name === FEATURE_CASES[0])!;
    const files = featureFiles(golden);
    const { features } = JSON.parse((await liftwatch('bins', '--baseline', files.baseline)).stdout);
    const counted = JSON.parse(readFileSync(files.counted(features.x.binning), 'utf8'));
    const result = await liftwatch(
      'features',
      '--baseline',
      files.baseline,
      '--batch',
      file({ ...counted, modelVersion: 'v3.2' }),
    );
    assert.equal(result.code, 65);
    assert.match(
      result.stderr,
      /features\.x\.binCounts\.binning: the batch is of promo-lift v3\.2, the baseline of promo-lift v3\.1/,
    );
  });
});
