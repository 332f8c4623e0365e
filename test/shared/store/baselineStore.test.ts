/**
 * The baseline store against the Firestore emulator (what README promises of it), and the per-instance cache.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { Firestore } from '@google-cloud/firestore';
import {
  firestoreEmulatorSettings,
  type RunningProcess,
  startFirestoreEmulator,
} from '../../../local/emulators.js';
import { predictionBinning } from '../../../shared/monitors/binning.js';
import { summarizeBaseline } from '../../../shared/stats/drift/baselineSummary.js';
import {
  BASELINE_COLLECTION,
  type BaselineStore,
  CachedBaselineStore,
  FirestoreBaselineStore,
  type StoredBaseline,
} from '../../../shared/store/baselineStore.js';
import { lcgValues } from '../../support/messages.js';

const stored = (values: number[], publishedAt: Date, messageId = 'm'): StoredBaseline => ({
  model: 'store-test',
  modelVersion: 'v1',
  summary: summarizeBaseline(values),
  publishedAt,
  messageId,
});

describe('FirestoreBaselineStore on the Firestore emulator', () => {
  let emulator: RunningProcess;
  let firestore: Firestore;
  let store: FirestoreBaselineStore;
  before(async () => {
    emulator = await startFirestoreEmulator({ projectId: 'store-test' });
    firestore = new Firestore(firestoreEmulatorSettings(emulator.endpoint, 'store-test'));
    store = new FirestoreBaselineStore(async () => firestore);
  });
  after(async () => {
    await firestore?.terminate();
    await emulator?.stop();
  });

  test('a subsampled 150,000-value baseline comes back bit for bit', async () => {
    const baseline = stored(
      lcgValues(150_000, 3, (u) => u * u),
      new Date('2026-11-26T10:00:00Z'),
    );
    assert.equal(await store.put(baseline), true);
    const loaded = (await store.get('store-test', 'v1'))!;
    assert.equal(loaded.summary.referenceSize, 150_000);
    assert.equal(loaded.summary.subsampled, true);
    assert.deepEqual(loaded.summary.sortedReference, baseline.summary.sortedReference);
    assert.deepEqual(loaded.summary.edges, baseline.summary.edges);
    assert.deepEqual(loaded.summary.referenceCounts, baseline.summary.referenceCounts);
    assert.equal(loaded.summary.referenceStd, baseline.summary.referenceStd);
    assert.equal(loaded.publishedAt.getTime(), baseline.publishedAt.getTime());
  });

  test('the binning is stored beside the summary, readable by a pipeline, and comes back bit for bit', async () => {
    const summary = summarizeBaseline(lcgValues(150_000, 5, (u) => u ** 3));
    const { binning } = predictionBinning('store-test', 'v2', summary);
    const baseline = {
      ...stored([1], new Date('2026-11-26T10:00:00Z')),
      modelVersion: 'v2',
      summary,
      binning,
    };
    assert.equal(await store.put(baseline), true);
    const loaded = (await store.get('store-test', 'v2'))!;
    assert.equal(loaded.binning, binning);
    assert.deepEqual(loaded.summary.fine, summary.fine);
    assert.equal(
      loaded.summary.fine!.referenceCounts.reduce((a, b) => a + b),
      150_000,
      'from the full reference',
    );
    const document = (await firestore.collection(BASELINE_COLLECTION).doc('store-test@v2').get()).data()!;
    assert.equal(document.binning, binning);
    assert.deepEqual(document.fineEdges, Array.from(summary.fine!.edges));
  });

  test('a document stored before binned windows loads without a binning', async () => {
    const { fine: _, ...summary } = summarizeBaseline([1, 2, 3]);
    assert.equal(await store.put({ ...stored([1], new Date()), modelVersion: 'v3', summary }), true);
    const loaded = (await store.get('store-test', 'v3'))!;
    assert.equal(loaded.binning, undefined);
    assert.equal(loaded.summary.fine, undefined);
  });

  test('a registration published later replaces the baseline; one published earlier does not', async () => {
    assert.equal(await store.put(stored([1, 2, 3], new Date('2026-11-26T11:00:00Z'), 'newer')), true);
    assert.equal((await store.get('store-test', 'v1'))!.messageId, 'newer');
    assert.equal(await store.put(stored([4, 5], new Date('2026-11-26T10:30:00Z'), 'late')), false);
    const kept = (await store.get('store-test', 'v1'))!;
    assert.equal(kept.messageId, 'newer');
    assert.equal(kept.summary.referenceSize, 3);
  });

  test('an unknown version is absent, not an error', async () => {
    assert.equal(await store.get('store-test', 'v404'), undefined);
  });
});

describe('CachedBaselineStore', () => {
  /** A store that counts its loads. */
  function countingStore(): BaselineStore & { loads: number } {
    const inner = {
      loads: 0,
      async get(model: string, modelVersion: string) {
        inner.loads++;
        return { ...stored([1, 2, 3], new Date(0)), model, modelVersion };
      },
      async put() {
        return true;
      },
    };
    return inner;
  }

  test('serves a baseline from memory until its lifetime ends, then loads it again', async () => {
    let now = 0;
    const inner = countingStore();
    const cache = new CachedBaselineStore(inner, 1000, 32, () => now);
    await cache.get('m', 'v1');
    now = 999;
    await cache.get('m', 'v1');
    assert.equal(inner.loads, 1);
    now = 1000;
    await cache.get('m', 'v1');
    assert.equal(inner.loads, 2);
  });

  test('keeps at most maxEntries baselines, evicting the least recently used', async () => {
    const inner = countingStore();
    const cache = new CachedBaselineStore(inner, 60_000, 2, () => 0);
    await cache.get('m', 'a');
    await cache.get('m', 'b');
    await cache.get('m', 'a'); // a is now the most recent
    await cache.get('m', 'c'); // evicts b
    assert.equal(inner.loads, 3);
    await cache.get('m', 'a');
    assert.equal(inner.loads, 3);
    await cache.get('m', 'b');
    assert.equal(inner.loads, 4);
  });

  test('a put drops the cached copy, so this instance sees the new baseline at once', async () => {
    const inner = countingStore();
    const cache = new CachedBaselineStore(inner, 60_000, 32, () => 0);
    await cache.get('m', 'v1');
    await cache.put({ ...stored([9], new Date(1)), model: 'm', modelVersion: 'v1' });
    await cache.get('m', 'v1');
    assert.equal(inner.loads, 2);
  });
});
