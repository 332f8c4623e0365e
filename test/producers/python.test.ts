/**
 * The Python producer (producers/python) against liftwatch: its unit tests pass; every message kind it builds, in
 * every encoding, validates against the committed JSON Schemas with Python's jsonschema (Draft 2020-12 with a
 * FormatChecker) and is accepted by the liftwatch CLI, with the same statistics whichever encoding carried the
 * dataset; and its combiner counts values into the bins exactly as liftwatch counts them.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { after, describe, test } from 'node:test';
import {
  Baseline,
  CampaignResults,
  decodeFeatureColumns,
  decodeMessage,
  FeatureBaseline,
  FeatureBatch,
  MAX_BASELINE_VALUES,
  MAX_BATCH_VALUES,
  OutcomeBatch,
  outcomePairs,
  PredictionBatch,
  predictionValues,
  UpliftBatch,
  upliftUnits,
} from '../../shared/contracts/index.js';
import { type FieldIssue, InvalidMessageError } from '../../shared/errors.js';
import { binCountsSorted, quantileEdges } from '../../shared/stats/drift/quantileBins.js';
import { liftwatch, messageFolder } from '../support/cli.js';
import { lcgValues } from '../support/messages.js';
import {
  type ProducedMessage,
  PYTHON,
  producedMessages,
  producedValue,
  producedValues,
  pythonMissing,
} from './support/python.js';

const PRODUCER = new URL('../../producers/python/', import.meta.url).pathname;
const missing = pythonMissing();
const folder = messageFolder();
after(() => folder.cleanup());

const corpus = missing ? [] : producedMessages(['corpus']);
const of = (dataset: string) => corpus.filter((message) => message.dataset === dataset);
const featureSchemasExist = existsSync(new URL('../../schemas/feature-batch.schema.json', import.meta.url));

/** What each function does with a message's data before it computes anything: the checks of its contract. */
const DECODING: Record<string, (data: Buffer) => unknown> = {
  Baseline: (data) => predictionValues(decodeMessage(Baseline, data), MAX_BASELINE_VALUES),
  PredictionBatch: (data) => predictionValues(decodeMessage(PredictionBatch, data), MAX_BATCH_VALUES),
  OutcomeBatch: (data) => outcomePairs(decodeMessage(OutcomeBatch, data)),
  CampaignResults: (data) => decodeMessage(CampaignResults, data),
  UpliftBatch: (data) => upliftUnits(decodeMessage(UpliftBatch, data)),
  FeatureBaseline: (data) => decodeFeatureColumns(decodeMessage(FeatureBaseline, data), MAX_BASELINE_VALUES),
  FeatureBatch: (data) => decodeFeatureColumns(decodeMessage(FeatureBatch, data), MAX_BATCH_VALUES),
};

function liftwatchIssues(kind: string, data: string): FieldIssue[] | undefined {
  try {
    DECODING[kind]!(Buffer.from(data, 'utf8'));
    return undefined;
  } catch (error) {
    if (error instanceof InvalidMessageError) return error.issues;
    throw error;
  }
}

/** The CLI's statistics for one command over files of the messages; every run must be accepted. */
async function statistics(command: string, files: Record<string, string>): Promise<Record<string, unknown>> {
  const args = [command, ...Object.entries(files).flatMap(([option, file]) => [`--${option}`, file])];
  const result = await liftwatch(...args);
  assert.equal(result.code, 0, `liftwatch ${args.join(' ')}: ${result.stderr}`);
  return JSON.parse(result.stdout) as Record<string, unknown>;
}

/** Asserts that every encoding of a dataset gives the statistics of the first; returns them. */
function sameAcrossEncodings(results: { encoding: string; statistics: Record<string, unknown> }[]) {
  const [first, ...rest] = results;
  assert.ok(first && rest.length > 0, 'at least two encodings');
  for (const other of rest)
    assert.deepEqual(other.statistics, first.statistics, `${other.encoding} vs ${first.encoding}`);
  return first.statistics;
}

describe('the Python producer', { skip: missing }, () => {
  test('its unit tests pass', () => {
    const run = spawnSync(PYTHON, ['-m', 'unittest', 'discover', '-s', 'tests', '-t', '.', '-v'], {
      cwd: PRODUCER,
      encoding: 'utf8',
    });
    assert.equal(run.status, 0, run.stderr);
    const ran = Number(/^Ran (\d+) tests?/m.exec(run.stderr)?.[1]);
    const skipped = run.stderr.split('\n').filter((line) => / \.\.\. skipped/.test(line));
    assert.ok(ran >= 55, `ran ${ran} tests`);
    assert.deepEqual(skipped, [], 'no Python test is skipped (jsonschema is installed)');
    assert.match(run.stderr, /\nOK\n?$/);
  });

  test('builds every message kind in every encoding, each valid against its JSON Schema', () => {
    const kinds = new Set(corpus.map((message) => message.kind));
    for (const kind of ['Baseline', 'PredictionBatch', 'OutcomeBatch', 'CampaignResults', 'UpliftBatch'])
      assert.ok(kinds.has(kind), kind);
    for (const message of corpus) {
      const name = `${message.dataset} (${message.encoding})`;
      if (message.schemaErrors === null) {
        assert.ok(!featureSchemasExist && message.kind.startsWith('Feature'), `${name} has a schema`);
        continue;
      }
      assert.deepEqual(message.schemaErrors, [], name);
    }
    const encodings = (dataset: string) =>
      of(dataset).map((message) => Object.keys(JSON.parse(message.data)).sort());
    assert.ok(encodings('predictions').some((fields) => fields.includes('predictionsF32')));
    assert.ok(encodings('outcomes').some((fields) => fields.includes('outcomesU8')));
    assert.ok(
      encodings('uplift').some((fields) => fields.includes('treatmentU8') && fields.includes('upliftF32')),
    );
  });

  test('orders each series by model/modelVersion/segment with the canonical segment label', () => {
    for (const message of corpus) {
      const body = JSON.parse(message.data) as { model: string; modelVersion: string; segment?: object };
      const segment = body.segment
        ? Object.entries(body.segment)
            .sort(([a], [b]) => (a < b ? -1 : 1))
            .map(([key, value]) => `${key}=${value}`)
            .join(',')
        : 'all';
      // registerBaseline's subscription is not ordered: baselines carry no key.
      const expected = message.kind.endsWith('Baseline')
        ? ''
        : `${body.model}/${body.modelVersion}/${segment}`;
      assert.equal(message.orderingKey, expected, message.dataset);
    }
  });

  test('the CLI accepts the drift messages with identical statistics from the JSON and float32 encodings', async () => {
    const runs = of('baseline').flatMap((baseline) =>
      of('predictions').map(async (batch) => ({
        encoding: `baseline ${baseline.encoding}, batch ${batch.encoding}`,
        statistics: await statistics('drift', {
          baseline: folder.file(baseline.data),
          batch: folder.file(batch.data),
        }),
      })),
    );
    const drift = sameAcrossEncodings(await Promise.all(runs));
    assert.equal(drift.n, 1500);
    assert.equal(drift.nReference, 5000);
    assert.ok((drift.psi as number) > (drift.psiNull99 as number), 'the drifted batch drifts');
  });

  test("a binned window built from liftwatch bins has the raw window's exact statistics in the CLI", async () => {
    const baseline = folder.file(of('baseline').find((m) => m.encoding === 'json')!.data);
    const raw = of('predictions').find((m) => m.encoding === 'json')!;
    const bins = await statistics('bins', { baseline });
    const computed = producedValue(['binning'], of('baseline').find((m) => m.encoding === 'json')!.data);
    assert.deepEqual(computed, bins, "the Python producer's binning is liftwatch bins', bit for bit");
    const message = producedValue(['binned'], JSON.stringify({ bins, batch: JSON.parse(raw.data) })) as {
      binCounts: { binning: string; counts: number[] };
    };
    assert.equal(message.binCounts.binning, bins.binning);
    const binned = await statistics('drift', { baseline, batch: folder.file(JSON.stringify(message)) });
    const exact = await statistics('drift', { baseline, batch: folder.file(raw.data) });
    for (const key of ['n', 'nReference', 'bins', 'psi', 'psiNull99', 'psiPValue', 'jsDistance'])
      assert.equal(binned[key], exact[key], key);
    assert.ok((binned.ksStatistic as number) <= (exact.ksStatistic as number));
    assert.ok((exact.ksStatistic as number) <= (binned.ksStatisticUpperBound as number));
    assert.deepEqual(binned.approximate, ['ksStatistic', 'ksPValue', 'wasserstein', 'wassersteinNormed']);
  });

  test("the producer's feature binning is liftwatch bins', and a binned FeatureBatch has the raw batch's exact statistics", async () => {
    const [baseline, raw] = producedMessages(['feature-bins-corpus']);
    assert.deepEqual([baseline!.dataset, raw!.dataset], ['feature-bins-baseline', 'feature-bins-batch']);
    const baselineFile = folder.file(baseline!.data);
    const bins = (await statistics('bins', { baseline: baselineFile })) as {
      features: Record<string, { binning: string; edges?: number[]; categories?: string[] }>;
    };
    const computed = producedValue(['feature-binning'], baseline!.data);
    assert.deepEqual(computed, bins, "the Python producer's feature binning is liftwatch bins', bit for bit");
    // The cases the dataset is built to hold: an all-missing reference has no edges; 1,300 categories keep 1,000.
    const { features } = bins;
    assert.deepEqual(features.legacy_score!.edges, []);
    assert.equal(features.artist!.categories!.length, 1000);
    const referenceArtists = JSON.parse(baseline!.data).features.artist.categories as string[];
    assert.equal(new Set(referenceArtists).size, 1300);
    for (const name of ['plays', 'skip_rate', 'zero_heavy'])
      assert.ok(features[name]!.edges!.length > 100, `${name} has fine edges`);

    const { merged, whole } = producedValue(
      ['binned-features'],
      JSON.stringify({ bins, batch: JSON.parse(raw!.data) }),
    ) as { merged: ProducedMessage; whole: ProducedMessage };
    assert.deepEqual(merged.schemaErrors, []);
    assert.equal(merged.data, whole.data, "five workers' merged counts are the counts of the whole window");
    assert.equal(merged.orderingKey, raw!.orderingKey);
    const columns = JSON.parse(merged.data).features as Record<string, Record<string, unknown>>;
    assert.deepEqual(
      Object.entries(columns).map(([name, column]) => [name, Object.keys(column).sort()]),
      Object.entries(features).map(([name, binning]) => [
        name,
        binning.edges ? ['binCounts', 'kind', 'missing'] : ['counts', 'kind', 'missing'],
      ]),
    );

    type Report = { features: ({ name: string; kind: string } & Record<string, unknown>)[] } & Record<
      string,
      unknown
    >;
    const exact = (await statistics('features', {
      baseline: baselineFile,
      batch: folder.file(raw!.data),
    })) as Report;
    const binned = (await statistics('features', {
      baseline: baselineFile,
      batch: folder.file(merged.data),
    })) as Report;
    const bounded = new Set(['ksStatistic', 'ksPValue', 'wassersteinNormed', 'drifting']);
    const bounds = ['approximate', 'ksStatisticUpperBound', 'wassersteinNormedUpperBound'];
    assert.deepEqual(
      binned.features.map((feature) => feature.name),
      exact.features.map((feature) => feature.name),
    );
    let compared = 0;
    for (const [index, raw] of exact.features.entries()) {
      const counted = binned.features[index]!;
      const name = raw.name;
      const withValues = raw.kind === 'numeric' && raw.psi !== undefined;
      assert.deepEqual(
        Object.keys(counted).sort(),
        [...Object.keys(raw), ...(withValues ? bounds : [])].sort(),
        name,
      );
      for (const key of Object.keys(raw).filter((key) => !bounded.has(key))) {
        assert.equal(counted[key], raw[key], `${name}.${key}`);
        compared++;
      }
      if (raw.kind === 'categorical') {
        for (const key of ['lInfinity', 'chiSquarePValue', 'unseenShare'])
          assert.equal(typeof raw[key], 'number');
        assert.equal(counted.drifting, raw.drifting, `${name}.drifting`);
      }
      if (!withValues) continue;
      assert.equal(typeof raw.outOfRangeShare, 'number', name);
      assert.deepEqual(counted.approximate, ['ksStatistic', 'ksPValue', 'wassersteinNormed'], name);
      assert.ok((counted.ksPValue as number) >= (raw.ksPValue as number), `${name}.ksPValue`);
      assert.ok((counted.ksStatistic as number) <= (raw.ksStatistic as number), `${name}.ksStatistic`);
      assert.ok((raw.ksStatistic as number) <= (counted.ksStatisticUpperBound as number), name);
      assert.ok((raw.wassersteinNormed as number) <= (counted.wassersteinNormedUpperBound as number), name);
    }
    for (const key of Object.keys(exact).filter((key) => key !== 'features')) {
      if (key !== 'ranking' && key !== 'drifted') assert.deepEqual(binned[key], exact[key], key);
    }
    assert.ok(
      exact.features.some((feature) => (feature.outOfRangeShare as number) > 0) &&
        exact.features.some((feature) => (feature.unseenShare as number) > 0),
      'the batch has values outside the range and unseen categories',
    );
    assert.ok(compared >= 60, `${compared} exact statistics compared`);
  });

  for (const [dataset, command] of [
    ['outcomes', 'calibration'],
    ['uplift', 'uplift'],
  ] as const) {
    test(`the CLI accepts the ${dataset} messages with identical ${command} statistics from every encoding`, async () => {
      const results = await Promise.all(
        of(dataset).map(async (message) => ({
          encoding: message.encoding,
          statistics: await statistics(command, { batch: folder.file(message.data) }),
        })),
      );
      assert.ok(results.length >= 2);
      const computed = sameAcrossEncodings(results);
      assert.equal(computed.n, dataset === 'outcomes' ? 4000 : 3000);
    });
  }

  test('the CLI accepts the campaign results', async () => {
    const [message] = of('campaigns');
    const lift = await statistics('lift', { batch: folder.file(message!.data) });
    assert.equal(lift.campaigns, 12);
    assert.ok(Number.isFinite(lift.liftRatio), 'a lift ratio');
  });

  test('refuses what liftwatch refuses, naming the same field for the same reason', (t) => {
    const cases = producedValues(['refusals']) as {
      kind: string;
      case: string;
      data: string;
      pythonIssues: [path: string, message: string][] | null;
    }[];
    assert.ok(cases.length >= 69);
    const disagreements: string[] = [];
    for (const { kind, case: name, data, pythonIssues } of cases) {
      const issues = liftwatchIssues(kind, data);
      const said = (issues ?? []).map((issue) => `${issue.path}: ${issue.message}`).join('; ');
      if (!issues || !pythonIssues) {
        disagreements.push(
          `${kind} ${name}: liftwatch ${issues ? 'refuses' : 'accepts'}, the builder ${pythonIssues ? 'refuses' : 'accepts'}`,
        );
        continue;
      }
      const [path, message] = pythonIssues[0]!;
      // JSON cannot carry NaN or Infinity: the data a producer without allow_nan=False writes is not JSON at all.
      const agrees = /NaN|Infinity/.test(name)
        ? issues.length === 1 && issues[0]!.path === 'data'
        : issues.some((issue) => issue.path === path && issue.message === message);
      if (!agrees)
        disagreements.push(`${kind} ${name}: the builder says ${path}: ${message}; liftwatch says ${said}`);
    }
    assert.deepEqual(disagreements, []);
    t.diagnostic(`${cases.length} bad messages, each refused by both with the same first field and reason`);
  });

  test('the feature messages decode to the same columns from every column encoding', () => {
    for (const [dataset, decode] of [
      ['feature-baseline', DECODING.FeatureBaseline!],
      ['feature-batch', DECODING.FeatureBatch!],
    ] as const) {
      const decoded = of(dataset).map((message) => ({
        encoding: message.encoding,
        columns: decode(Buffer.from(message.data)) as { column: { kind: string } }[],
      }));
      assert.equal(decoded.length, 3, dataset);
      const [first, ...rest] = decoded;
      assert.deepEqual(
        first!.columns.map(({ column }) => column.kind),
        ['numeric', 'categorical'],
      );
      // deepStrictEqual compares NaN (a missing value) equal to NaN.
      for (const other of rest)
        assert.deepEqual(other.columns, first!.columns, `${dataset}: ${other.encoding}`);
    }
  });

  test('the CLI accepts the feature messages with identical statistics from every column encoding', async () => {
    const runs = of('feature-baseline').flatMap((baseline) =>
      of('feature-batch').map(async (batch) => ({
        encoding: `baseline ${baseline.encoding}, batch ${batch.encoding}`,
        statistics: await statistics('features', {
          baseline: folder.file(baseline.data),
          batch: folder.file(batch.data),
        }),
      })),
    );
    const results = await Promise.all(runs);
    assert.equal(results.length, 9);
    const report = sameAcrossEncodings(results) as {
      features: { name: string; n: number }[];
      qualityBroken: number;
    };
    assert.deepEqual(report.features.map((feature) => feature.name).sort(), [
      'artist_followers',
      'market_tier',
    ]);
    assert.equal(report.qualityBroken, 2, '20% missing in the batch breaks both features');
  });

  test('the combiner counts values into the bins exactly as liftwatch counts them, ties on the edges included', () => {
    // Values on a grid of 1/1000, so many fall exactly on a quantile edge: left-closed bins decide where they go.
    const reference = Float64Array.from(lcgValues(20_000, 3, (u) => Math.round(1000 * u * u) / 1000)).sort();
    const current = Float64Array.from(lcgValues(7_000, 5, (u) => Math.round(1200 * u) / 1000)).sort();
    for (const binCount of [10, 1000]) {
      const edges = quantileEdges(reference, binCount);
      for (const values of [reference, current]) {
        const counts = producedValue(
          ['bincounts'],
          JSON.stringify({ edges: [...edges], values: [...values] }),
        );
        assert.deepEqual(counts, binCountsSorted(values, edges), `${binCount} bins`);
      }
    }
  });
});
