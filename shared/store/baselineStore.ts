/**
 * Baselines in Firestore, one document per (model, modelVersion) in the `liftwatchBaselines` collection,
 * holding the summary drift needs (not the raw message): edges and counts as arrays of doubles, and the sorted
 * reference as little-endian float64 bytes, which round-trip without loss (100,000 values = 800,000 bytes,
 * under Firestore's 1 MiB document limit). The binning binned windows are counted in is stored beside it, readable by
 * a pipeline that has Firestore access: `binning` (the fingerprint), `fineEdges` (up to 999 doubles) and
 * `fineReferenceCounts`; a document stored before binned windows existed has none of them.
 */
import type { DocumentData, Firestore, Timestamp } from '@google-cloud/firestore';
import { RetryableError } from '../errors.js';
import type { BaselineSummary } from '../stats/drift/baselineSummary.js';

export const BASELINE_COLLECTION = 'liftwatchBaselines';

export interface StoredBaseline {
  model: string;
  modelVersion: string;
  summary: BaselineSummary;
  /** The fingerprint of the summary's fine bins (see shared/monitors/binning.ts); absent on older documents. */
  binning?: string;
  /** Publish time of the message that registered it: an older message never replaces a newer baseline. */
  publishedAt: Date;
  messageId: string;
}

/** A store of one registration per (model, modelVersion), the newest by publish time. */
export interface VersionedStore<T extends { model: string; modelVersion: string }> {
  get(model: string, modelVersion: string): Promise<T | undefined>;
  /** Stores the registration unless a newer one is already stored; returns whether it was stored. */
  put(registration: T): Promise<boolean>;
}

export type BaselineStore = VersionedStore<StoredBaseline>;

export function baselineDocumentId(model: string, modelVersion: string): string {
  return `${model}@${modelVersion}`;
}

export class FirestoreBaselineStore implements BaselineStore {
  private firestore: Promise<Firestore> | undefined;

  /**
   * `connect` creates the client on first use: the functions that never touch baselines (calibration, lift,
   * uplift) then never load the Firestore library, which is a good part of a cold start.
   */
  constructor(private readonly connect: () => Promise<Firestore>) {}

  async get(model: string, modelVersion: string): Promise<StoredBaseline | undefined> {
    const document = await this.document(model, modelVersion);
    const snapshot = await retryable('load a baseline', () => document.get());
    return snapshot.exists ? fromDocument(snapshot.data()!) : undefined;
  }

  async put(baseline: StoredBaseline): Promise<boolean> {
    const reference = await this.document(baseline.model, baseline.modelVersion);
    const firestore = await this.client();
    return retryable('store a baseline', () =>
      firestore.runTransaction(async (transaction) => {
        const existing = await transaction.get(reference);
        const storedAt = existing.exists ? (existing.get('publishedAt') as Timestamp | undefined) : undefined;
        if (storedAt && storedAt.toMillis() > baseline.publishedAt.getTime()) return false;
        transaction.set(reference, toDocument(baseline));
        return true;
      }),
    );
  }

  private client(): Promise<Firestore> {
    this.firestore ??= this.connect();
    return this.firestore;
  }

  private async document(model: string, modelVersion: string) {
    return (await this.client()).collection(BASELINE_COLLECTION).doc(baselineDocumentId(model, modelVersion));
  }
}

function toDocument({
  model,
  modelVersion,
  summary,
  binning,
  publishedAt,
  messageId,
}: StoredBaseline): DocumentData {
  const sorted = summary.sortedReference;
  const fine =
    summary.fine && binning !== undefined
      ? {
          binning,
          fineEdges: Array.from(summary.fine.edges),
          fineReferenceCounts: summary.fine.referenceCounts,
        }
      : {};
  return {
    model,
    modelVersion,
    messageId,
    publishedAt, // the client stores a Date as a Firestore timestamp
    referenceSize: summary.referenceSize,
    binCount: summary.binCount,
    edges: Array.from(summary.edges),
    referenceCounts: summary.referenceCounts,
    referenceStd: summary.referenceStd,
    subsampled: summary.subsampled,
    sortedReference: Buffer.from(sorted.buffer, sorted.byteOffset, sorted.byteLength),
    ...fine,
  };
}

function fromDocument(data: DocumentData): StoredBaseline {
  const bytes = data.sortedReference as Uint8Array;
  // Copy into an aligned buffer: the bytes Firestore returns may start at any offset of a shared buffer.
  const sortedReference = new Float64Array(bytes.byteLength / 8);
  new Uint8Array(sortedReference.buffer).set(bytes);
  const binned = typeof data.binning === 'string' && Array.isArray(data.fineEdges);
  return {
    ...(binned ? { binning: data.binning as string } : {}),
    model: data.model,
    modelVersion: data.modelVersion,
    messageId: data.messageId,
    publishedAt: (data.publishedAt as Timestamp).toDate(),
    summary: {
      referenceSize: data.referenceSize,
      binCount: data.binCount,
      edges: Float64Array.from(data.edges as number[]),
      referenceCounts: data.referenceCounts as number[],
      referenceStd: data.referenceStd,
      subsampled: data.subsampled,
      sortedReference,
      ...(binned
        ? {
            fine: {
              edges: Float64Array.from(data.fineEdges as number[]),
              referenceCounts: data.fineReferenceCounts as number[],
            },
          }
        : {}),
    },
  };
}

/** Every Firestore failure may pass (unavailable, contention, permissions being fixed): Pub/Sub redelivers. */
export async function retryable<T>(action: string, operation: () => Promise<T>): Promise<T> {
  try {
    return await operation();
  } catch (error) {
    if (error instanceof RetryableError) throw error;
    throw new RetryableError(`Firestore failed to ${action}: ${(error as Error).message}`, {
      cause: error,
    });
  }
}

/**
 * Caches baselines per instance for a bounded time, so a re-registered baseline takes effect within
 * `ttlMs` on every warm instance; at most `maxEntries` baselines are held (least recently used evicted).
 * Prediction and feature baselines alike (a feature baseline can be tens of megabytes: hold fewer).
 */
export class CachedBaselineStore<T extends { model: string; modelVersion: string } = StoredBaseline>
  implements VersionedStore<T>
{
  private readonly entries = new Map<string, { baseline: T; expiresAt: number }>();

  constructor(
    private readonly inner: VersionedStore<T>,
    private readonly ttlMs = 5 * 60_000,
    private readonly maxEntries = 32,
    private readonly now: () => number = Date.now,
  ) {}

  async get(model: string, modelVersion: string): Promise<T | undefined> {
    const key = baselineDocumentId(model, modelVersion);
    const cached = this.entries.get(key);
    this.entries.delete(key);
    if (cached && cached.expiresAt > this.now()) {
      this.entries.set(key, cached);
      return cached.baseline;
    }
    const baseline = await this.inner.get(model, modelVersion);
    if (baseline) {
      this.entries.set(key, { baseline, expiresAt: this.now() + this.ttlMs });
      if (this.entries.size > this.maxEntries) this.entries.delete(this.entries.keys().next().value!);
    }
    return baseline;
  }

  async put(baseline: T): Promise<boolean> {
    this.entries.delete(baselineDocumentId(baseline.model, baseline.modelVersion));
    return this.inner.put(baseline);
  }
}
