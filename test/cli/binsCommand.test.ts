import assert from 'node:assert/strict';
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
