/**
 * The feature baseline store against the Firestore emulator: one document per feature under an immutable
 * registration, a head flipped only by a newer registration, summaries that come back bit for bit.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { Firestore } from '@google-cloud/firestore';
import {
  firestoreEmulatorSettings,
  type RunningProcess,
  startFirestoreEmulator,
} from '../../../local/emulators.js';
import type { DecodedColumn } from '../../../shared/contracts/featureColumns.js';
import { RetryableError } from '../../../shared/errors.js';
import { summarizeFeature } from '../../../shared/stats/features/featureSummary.js';
import {
  batches,
  FEATURE_BASELINE_COLLECTION,
  FirestoreFeatureBaselineStore,
  featureDocumentBytes,
  MAX_BATCH_BYTES,
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

  test('an unknown version is absent, not an error', async () => {
    assert.equal(await store.get('feature-store-test', 'v404'), undefined);
  });
});

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
