/**
 * The feature baseline store against the Firestore emulator: one document per feature under an immutable
 * registration, a head flipped only by a newer registration, summaries (fine bins and binning included) that come
 * back bit for bit, documents stored before binned windows read without them, and document sizes within
 * featureDocumentBytes.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { type DocumentData, FieldValue, Firestore, Timestamp } from '@google-cloud/firestore';
import {
  firestoreEmulatorSettings,
  type RunningProcess,
  startFirestoreEmulator,
} from '../../../local/emulators.js';
import type { DecodedColumn } from '../../../shared/contracts/featureColumns.js';
import { RetryableError } from '../../../shared/errors.js';
import { featureBinning } from '../../../shared/monitors/binning.js';
import { type FeatureSummary, summarizeFeature } from '../../../shared/stats/features/featureSummary.js';
import {
  batches,
  FEATURE_BASELINE_COLLECTION,
  FirestoreFeatureBaselineStore,
  featureDocumentBytes,
  MAX_BATCH_BYTES,
  type StoredFeature,
  type StoredFeatureBaseline,
} from '../../../shared/store/featureBaselineStore.js';
import { lcgValues } from '../../support/messages.js';

const numeric = (values: number[]): DecodedColumn => ({ kind: 'numeric', values: Float64Array.from(values) });
const categorical = (categories: string[], codes: number[]): DecodedColumn => ({
  kind: 'categorical',
  categories,
  codes: Int32Array.from(codes),
});

/** Features of every shape a summary takes: subsampled, all missing, categories pooled as __other__, -0. */
function features(seed: number) {
  const many = Array.from({ length: 1200 }, (_, i) => `c${i}`);
  return [
    { name: 'followers', summary: summarizeFeature(numeric(lcgValues(150_000, seed, (u) => u * 1e6)), 0.4) },
    { name: 'track_age', summary: summarizeFeature(numeric([Number.NaN, Number.NaN, Number.NaN])) },
    { name: 'signed_zero', summary: summarizeFeature(numeric([-0, 0, 1, Number.NaN]), 0) },
    {
      name: 'device',
      summary: summarizeFeature(categorical(['ios', 'android', 'web'], [0, 1, 1, 2, -1, 1]), 0.25),
    },
    {
      name: 'market_tier',
      summary: summarizeFeature(
        categorical(
          many,
          lcgValues(5000, seed + 1, (u) => Math.floor(u * u * many.length)),
        ),
      ),
    },
  ];
}

const registration = (
  publishedAt: Date,
  messageId: string,
  modelVersion = 'v1',
  seed = 3,
): StoredFeatureBaseline => ({
  model: 'feature-store-test',
  modelVersion,
  features: features(seed),
  publishedAt,
  messageId,
});

describe('FirestoreFeatureBaselineStore on the Firestore emulator', () => {
  let emulator: RunningProcess;
  let firestore: Firestore;
  let store: FirestoreFeatureBaselineStore;
  before(async () => {
    emulator = await startFirestoreEmulator({ projectId: 'feature-store-test' });
    firestore = new Firestore(firestoreEmulatorSettings(emulator.endpoint, 'feature-store-test'));
    store = new FirestoreFeatureBaselineStore(async () => firestore);
  });
  after(async () => {
    await firestore?.terminate();
    await emulator?.stop();
  });

  /** The registrations whose feature documents exist for a version, by messageId. */
  async function storedRegistrations(modelVersion: string): Promise<string[]> {
    const head = firestore.collection(FEATURE_BASELINE_COLLECTION).doc(`feature-store-test@${modelVersion}`);
    const registrations = await head.collection('registrations').listDocuments();
    const withDocuments: string[] = [];
    for (const reference of registrations) {
      const documents = await reference.collection('features').listDocuments();
      if (documents.length > 0) withDocuments.push(reference.id);
    }
    return withDocuments.sort();
  }

  test('every kind of feature summary comes back bit for bit, importances and names in order', async () => {
    const stored = registration(new Date('2026-11-26T10:00:00Z'), 'first', 'round-trip');
    assert.equal(await store.put(stored), true);
    const loaded = await store.get('feature-store-test', 'round-trip');
    assert.deepStrictEqual(loaded, stored);
    const zero = loaded!.features[2]!.summary;
    assert.ok(zero.kind === 'numeric' && Object.is(zero.min, -0), 'a -0 minimum stays -0');
    assert.equal(loaded!.features[4]!.summary.kind, 'categorical');
  });

  test('a redelivered registration rewrites the same content and stays stored', async () => {
    const stored = registration(new Date('2026-11-26T10:00:00Z'), 'again', 'redelivered');
    assert.equal(await store.put(stored), true);
    assert.equal(await store.put(stored), true);
    assert.deepStrictEqual(await store.get('feature-store-test', 'redelivered'), stored);
    assert.deepEqual(await storedRegistrations('redelivered'), ['again']);
  });

  test('a registration published later replaces the head; one published earlier does not, and neither leaves documents behind', async () => {
    const version = 'ordering';
    assert.equal(await store.put(registration(new Date('2026-11-26T10:00:00Z'), 'old', version, 5)), true);
    const newer = registration(new Date('2026-11-26T11:00:00Z'), 'newer', version, 7);
    assert.equal(await store.put(newer), true);
    assert.equal(await store.put(registration(new Date('2026-11-26T10:30:00Z'), 'late', version, 9)), false);
    assert.deepStrictEqual(await store.get('feature-store-test', version), newer);
    assert.deepEqual(await storedRegistrations(version), ['newer']);
  });

  test('concurrent registrations of one version settle on the one published last', async () => {
    const version = 'concurrent';
    const candidates = [4, 1, 3, 0, 2].map((hour) =>
      registration(new Date(Date.UTC(2026, 10, 26, 10 + hour)), `m${hour}`, version, 11 + hour),
    );
    const stored = await Promise.all(candidates.map((candidate) => store.put(candidate)));
    assert.equal(stored[0], true, 'the newest is always stored');
    const loaded = await store.get('feature-store-test', version);
    assert.equal(loaded?.messageId, 'm4');
    assert.deepStrictEqual(loaded, candidates[0]);
    assert.deepEqual(await storedRegistrations(version), ['m4']);
  });

  test('a baseline of 20 features x 100,000 values (16 MB, past a request limit) is stored in batches and read back whole', async () => {
    const wide: StoredFeatureBaseline = {
      model: 'feature-store-test',
      modelVersion: 'wide',
      features: Array.from({ length: 20 }, (_, i) => ({
        name: `feature_${i}`,
        summary: summarizeFeature(numeric(lcgValues(100_000, 100 + i, (u) => u + i)), 20 - i),
      })),
      publishedAt: new Date('2026-11-26T12:00:00Z'),
      messageId: 'wide',
    };
    const sizes = wide.features.map((feature) => featureDocumentBytes(feature.summary));
    assert.ok(
      sizes.every((size) => size > 800_000 && size < 1_048_576),
      'each feature document is under 1 MiB',
    );
    assert.ok(batches(sizes).length > 1, 'more than one batched write');
    assert.equal(await store.put(wide), true);
    assert.deepStrictEqual(await store.get('feature-store-test', 'wide'), wide);
  });

  test('a head whose feature documents are gone is a RetryableError (a newer registration replaced it mid-read)', async () => {
    const stored = registration(new Date('2026-11-26T10:00:00Z'), 'vanishing', 'vanishing');
    await store.put(stored);
    await firestore
      .collection(FEATURE_BASELINE_COLLECTION)
      .doc('feature-store-test@vanishing')
      .collection('registrations')
      .doc('vanishing')
      .collection('features')
      .doc('device')
      .delete();
    await assert.rejects(
      store.get('feature-store-test', 'vanishing'),
      (error: Error) =>
        error instanceof RetryableError && /lacks the documents of device/.test(error.message),
    );
  });

  /** Every feature of features(seed) with its binning, as registerFeatureBaseline stores them. */
  const binned = (modelVersion: string, seed = 3): StoredFeatureBaseline => ({
    ...registration(new Date('2026-11-26T10:00:00Z'), `binned-${modelVersion}`, modelVersion, seed),
    features: [
      ...features(seed),
      // The minimum -0 below the first quantile edge: -0 becomes the first fine edge.
      { name: 'zero_edge', summary: summarizeFeature(numeric([-0, 1, 2, 3, 4])) },
    ].map(({ name, summary }) => ({
      name,
      summary,
      binning: featureBinning('feature-store-test', modelVersion, name, summary).binning,
    })),
  });

  const featureDocument = (modelVersion: string, messageId: string, name: string) =>
    firestore
      .collection(FEATURE_BASELINE_COLLECTION)
      .doc(`feature-store-test@${modelVersion}`)
      .collection('registrations')
      .doc(messageId)
      .collection('features')
      .doc(name);

  test('fine bins and binning of numeric and categorical features come back bit for bit, as the documented fields', async () => {
    const stored = binned('binned');
    assert.equal(await store.put(stored), true);
    const loaded = await store.get('feature-store-test', 'binned');
    assert.deepStrictEqual(loaded, stored);
    for (const [index, feature] of stored.features.entries()) {
      const back: StoredFeature = loaded!.features[index]!;
      assert.match(back.binning!, /^[0-9a-f]{16}$/);
      assert.equal(back.binning, feature.binning);
      const document = (await featureDocument('binned', stored.messageId, feature.name).get()).data()!;
      assert.equal(document.binning, feature.binning, `${feature.name}: binning field`);
      const { summary } = feature;
      if (summary.kind !== 'numeric' || summary.values === undefined) {
        assert.equal(document.values?.fineEdges, undefined);
        continue;
      }
      const fine = summary.values.fine!;
      const loadedFine = (back.summary as typeof summary).values!.fine!;
      // Bit for bit, -0 included: the edges are what the fingerprint hashes.
      assert.deepEqual(bits(loadedFine.edges), bits(fine.edges), `${feature.name}: fine edges`);
      assert.deepEqual(loadedFine.referenceCounts, fine.referenceCounts);
      assert.deepEqual(bits(Float64Array.from(document.values.fineEdges as number[])), bits(fine.edges));
      assert.deepEqual(document.values.fineReferenceCounts, fine.referenceCounts);
      assert.ok(document.values.fineEdges[0] === summary.min, 'the first fine edge is the minimum');
      assert.ok(document.values.fineEdges.at(-1) > summary.max, 'the last is just above the maximum');
    }
    const followers = loaded!.features[0]!.summary;
    assert.ok(followers.kind === 'numeric' && followers.values!.fine!.edges.length > 900);
    const zero = loaded!.features.find((feature) => feature.name === 'zero_edge')!.summary;
    assert.ok(zero.kind === 'numeric' && Object.is(zero.values!.fine!.edges[0], -0), 'a -0 edge stays -0');
  });

  test('a feature document stored before binned windows reads back without fine bins or binning', async () => {
    const version = 'before-binning';
    const stored = binned(version);
    assert.equal(await store.put(stored), true);
    // The documents as the store wrote them before binned windows: no binning, no values.fine*.
    for (const { name, summary } of stored.features) {
      const numeric = summary.kind === 'numeric' && summary.values !== undefined;
      await featureDocument(version, stored.messageId, name).update({
        binning: FieldValue.delete(),
        ...(numeric
          ? { 'values.fineEdges': FieldValue.delete(), 'values.fineReferenceCounts': FieldValue.delete() }
          : {}),
      });
    }
    const loaded = await store.get('feature-store-test', version);
    assert.ok(loaded);
    for (const [index, feature] of loaded.features.entries()) {
      assert.ok(!('binning' in feature), `${feature.name} has no binning`);
      const { summary } = feature;
      if (summary.kind === 'numeric' && summary.values !== undefined)
        assert.ok(!('fine' in summary.values), `${feature.name} has no fine bins`);
      assert.deepStrictEqual(summary, withoutFine(stored.features[index]!.summary), feature.name);
    }
  });

  test('a feature stored without fine bins or binning writes neither field and reads back alike', async () => {
    const version = 'unbinned';
    const stored: StoredFeatureBaseline = {
      ...registration(new Date('2026-11-26T10:00:00Z'), 'unbinned', version),
      features: features(3).map(({ name, summary }) => ({ name, summary: withoutFine(summary) })),
    };
    assert.equal(await store.put(stored), true);
    for (const { name } of stored.features) {
      const document = (await featureDocument(version, 'unbinned', name).get()).data()!;
      assert.equal(document.binning, undefined);
      assert.equal(document.values?.fineEdges, undefined);
      assert.equal(document.values?.fineReferenceCounts, undefined);
    }
    assert.deepStrictEqual(await store.get('feature-store-test', version), stored);
  });

  test('featureDocumentBytes bounds the size Firestore counts for every stored feature document, binned ones too', async () => {
    const longNames = Array.from({ length: 1100 }, (_, i) => `${'c'.repeat(120)}${i}`);
    const wide: StoredFeatureBaseline = {
      ...binned('sizes', 21),
      features: [
        ...binned('sizes', 21).features,
        ...[
          summarizeFeature(numeric(lcgValues(120_000, 23, (u) => u * 1e9)), 1),
          summarizeFeature(numeric(lcgValues(5_000, 29, (u) => Math.floor(u * 4)))),
          summarizeFeature(
            categorical(
              longNames,
              lcgValues(3000, 31, (u) => Math.floor(u * 1100)),
            ),
          ),
        ].map((summary, i) => ({
          name: `extra_${'x'.repeat(50)}_${i}`,
          summary,
          binning: featureBinning('feature-store-test', 'sizes', `extra_${i}`, summary).binning,
        })),
      ],
    };
    wide.messageId = 'm'.repeat(100);
    assert.equal(await store.put(wide), true);
    for (const feature of wide.features) {
      const reference = featureDocument('sizes', wide.messageId, feature.name);
      const data = (await reference.get()).data()!;
      const actual = firestoreDocumentSize(reference.path, data);
      const estimate = featureDocumentBytes(feature.summary);
      assert.ok(actual <= estimate, `${feature.name}: ${actual} bytes > estimate ${estimate}`);
      assert.ok(
        estimate - actual < 64 * 1024 + estimate / 8,
        `${feature.name}: estimate ${estimate} far above ${actual}`,
      );
    }
  });

  test('an unknown version is absent, not an error', async () => {
    assert.equal(await store.get('feature-store-test', 'v404'), undefined);
  });
});

/** The bit patterns of doubles, so -0 and 0 differ. */
function bits(values: Float64Array): bigint[] {
  return Array.from(new BigUint64Array(Float64Array.from(values).buffer));
}

/** The summary as stored before binned windows: no fine bins. */
function withoutFine(summary: FeatureSummary): FeatureSummary {
  if (summary.kind !== 'numeric' || summary.values === undefined) return summary;
  const { fine: _, ...values } = summary.values;
  return { ...summary, values };
}

/**
 * A document's size as Firestore counts it (https://firebase.google.com/docs/firestore/storage-size): its name
 * (each collection and document ID's UTF-8 length + 1, plus 16), each field's name (UTF-8 + 1) and value (string
 * UTF-8 + 1, number and timestamp 8, boolean and null 1, bytes their length, an array the sum of its values, a
 * map the sum of its keys and values), plus 32.
 */
function firestoreDocumentSize(path: string, data: DocumentData): number {
  const stringSize = (text: string) => Buffer.byteLength(text, 'utf8') + 1;
  const valueSize = (value: unknown): number => {
    if (value === null || typeof value === 'boolean') return 1;
    if (typeof value === 'number' || value instanceof Timestamp) return 8;
    if (typeof value === 'string') return stringSize(value);
    if (value instanceof Uint8Array) return value.byteLength;
    if (Array.isArray(value)) return value.reduce((sum: number, item) => sum + valueSize(item), 0);
    if (typeof value === 'object')
      return Object.entries(value).reduce((sum, [key, item]) => sum + stringSize(key) + valueSize(item), 0);
    throw new TypeError(`no Firestore size for ${typeof value}`);
  };
  const name = path.split('/').reduce((sum, segment) => sum + stringSize(segment), 16);
  return name + valueSize(data) + 32;
}

describe('batches', () => {
  test('groups consecutive documents within the byte budget, a document alone when it is larger', () => {
    const third = Math.floor(MAX_BATCH_BYTES / 3);
    assert.deepEqual(batches([third, third, third, third, MAX_BATCH_BYTES + 1, 1]), [
      [0, 1, 2],
      [3],
      [4],
      [5],
    ]);
    assert.deepEqual(batches([]), []);
  });

  test('never puts more than 500 writes in one batch', () => {
    const groups = batches(new Array(1001).fill(10));
    assert.deepEqual(
      groups.map((group) => group.length),
      [500, 500, 1],
    );
  });
});
