/**
 * Feature baselines in Firestore. One feature's summary can approach a document's 1 MiB (100,000 sorted float64
 * are 800,000 bytes) and the largest baseline the contracts accept (1,750,000 cells, all numeric) keeps 14 MB of
 * sorted values, past a request's 10 MiB: so every registration is stored immutably, one document per feature,
 * and a head document names the registration in force.
 *
 *   liftwatchFeatureBaselines/{model}@{modelVersion}                                   head: publishedAt, messageId,
 *                                                                                     features [{name, kind, importance}]
 *   liftwatchFeatureBaselines/{model}@{modelVersion}/registrations/{messageId}/features/{name}   one summary
 *
 * put() writes the feature documents first, in batches of at most MAX_BATCH_BYTES (3 MiB), then flips the head in a
 * transaction only when no registration published later holds it; a redelivered registration rewrites the same
 * content under the same messageId. Readers take the head, then fetch its feature documents in one getAll. The
 * registration the flip superseded (or the one refused as older) is deleted afterwards; a reader that read the
 * old head just before finds a document missing and retries (RetryableError), reading the new head.
 *
 * A feature document also holds the feature's binning, readable by a pipeline with Firestore access: `binning` (the
 * fingerprint) and, for a numeric feature, `values.fineEdges` (up to 1,001 doubles) and `values.fineReferenceCounts`;
 * a document stored before binned windows existed has none of them.
 */
import type { DocumentData, DocumentReference, Firestore, Timestamp } from '@google-cloud/firestore';
import { RetryableError } from '../errors.js';
import type { FeatureSummary } from '../stats/features/featureSummary.js';
import { baselineDocumentId, retryable, type VersionedStore } from './baselineStore.js';

export const FEATURE_BASELINE_COLLECTION = 'liftwatchFeatureBaselines';

/**
 * Most estimated bytes of feature documents one batched write carries (the estimate, featureDocumentBytes, is an
 * upper bound). Firestore takes requests up to 10 MiB, but the emulator's gRPC server takes 4 MiB and leaves a
 * larger commit unanswered (4.5 MB hung, 3.9 MB passed): 3 MiB passes both, at the price of a few more commits.
 */
export const MAX_BATCH_BYTES = 3 * 1024 * 1024;

/** Most writes in one batch (Firestore's limit per commit). */
const MAX_BATCH_WRITES = 500;

export interface StoredFeature {
  name: string;
  summary: FeatureSummary;
  /**
   * The fingerprint of the feature's binning (shared/monitors/binning.ts featureBinning); absent from a feature
   * stored before binned windows existed, whose binned windows are refused until it is registered again.
   */
  binning?: string;
}

export interface StoredFeatureBaseline {
  model: string;
  modelVersion: string;
  /** Every feature of the registration, in the message's order. */
  features: StoredFeature[];
  /** Publish time of the message that registered it: an older message never replaces a newer registration. */
  publishedAt: Date;
  messageId: string;
}

export type FeatureBaselineStore = VersionedStore<StoredFeatureBaseline>;

interface HeadFeature {
  name: string;
  kind: FeatureSummary['kind'];
  importance?: number;
}

export class FirestoreFeatureBaselineStore implements FeatureBaselineStore {
  private firestore: Promise<Firestore> | undefined;

  /** `connect` creates the client on first use (see FirestoreBaselineStore). */
  constructor(private readonly connect: () => Promise<Firestore>) {}

  async get(model: string, modelVersion: string): Promise<StoredFeatureBaseline | undefined> {
    const head = await this.head(model, modelVersion);
    const snapshot = await retryable('load a feature baseline', () => head.get());
    if (!snapshot.exists) return undefined;
    const data = snapshot.data()!;
    const names = (data.features as HeadFeature[]).map((feature) => feature.name);
    const references = await this.featureReferences(head, data.messageId, names);
    const firestore = await this.client();
    const documents = await retryable('load a feature baseline', () => firestore.getAll(...references));
    const missing = documents.filter((document) => !document.exists).map((document) => document.id);
    if (missing.length > 0) {
      // The head moved on and its old registration was deleted between the two reads: read the new head.
      throw new RetryableError(
        `feature baseline ${baselineDocumentId(model, modelVersion)} registration ${data.messageId} lacks the documents of ${missing.join(', ')}; a newer registration replaced it while it was read`,
      );
    }
    return {
      model,
      modelVersion,
      messageId: data.messageId,
      publishedAt: (data.publishedAt as Timestamp).toDate(),
      features: documents.map((document, index) => {
        const stored = document.data()!;
        return {
          name: names[index]!,
          summary: fromDocument(stored),
          ...(typeof stored.binning === 'string' ? { binning: stored.binning } : {}),
        };
      }),
    };
  }

  async put(baseline: StoredFeatureBaseline): Promise<boolean> {
    const head = await this.head(baseline.model, baseline.modelVersion);
    const firestore = await this.client();
    const names = baseline.features.map((feature) => feature.name);
    const references = await this.featureReferences(head, baseline.messageId, names);
    for (const batch of batches(baseline.features.map((feature) => featureDocumentBytes(feature.summary)))) {
      const write = firestore.batch();
      for (const index of batch) write.set(references[index]!, toDocument(baseline.features[index]!));
      await retryable('store a feature baseline', () => write.commit());
    }
    const { stored, superseded } = await retryable('store a feature baseline', () =>
      firestore.runTransaction(async (transaction) => {
        const existing = await transaction.get(head);
        const current = existing.exists ? existing.data()! : undefined;
        const storedAt = current?.publishedAt as Timestamp | undefined;
        if (storedAt && storedAt.toMillis() > baseline.publishedAt.getTime()) {
          return { stored: false, superseded: { messageId: baseline.messageId, names } };
        }
        transaction.set(head, headDocument(baseline));
        const previous =
          current && current.messageId !== baseline.messageId
            ? {
                messageId: String(current.messageId),
                names: (current.features as HeadFeature[]).map((feature) => feature.name),
              }
            : undefined;
        return { stored: true, superseded: previous };
      }),
    );
    if (superseded) await this.remove(head, superseded.messageId, superseded.names);
    return stored;
  }

  /** Deletes a registration no head names any more (best effort: a leftover costs storage, not correctness). */
  private async remove(head: DocumentReference, messageId: string, names: string[]): Promise<void> {
    const firestore = await this.client();
    const references = await this.featureReferences(head, messageId, names);
    for (let start = 0; start < references.length; start += MAX_BATCH_WRITES) {
      const write = firestore.batch();
      for (const reference of references.slice(start, start + MAX_BATCH_WRITES)) write.delete(reference);
      await retryable('delete a superseded feature baseline', () => write.commit());
    }
  }

  private client(): Promise<Firestore> {
    this.firestore ??= this.connect();
    return this.firestore;
  }

  private async head(model: string, modelVersion: string): Promise<DocumentReference> {
    return (await this.client())
      .collection(FEATURE_BASELINE_COLLECTION)
      .doc(baselineDocumentId(model, modelVersion));
  }

  private async featureReferences(
    head: DocumentReference,
    messageId: string,
    names: string[],
  ): Promise<DocumentReference[]> {
    const features = head.collection('registrations').doc(messageId).collection('features');
    return names.map((name) => features.doc(name));
  }
}

/** Indices of consecutive features grouped so each group stays within MAX_BATCH_BYTES and MAX_BATCH_WRITES. */
export function batches(sizes: readonly number[]): number[][] {
  const groups: number[][] = [];
  let group: number[] = [];
  let bytes = 0;
  sizes.forEach((size, index) => {
    if (group.length > 0 && (bytes + size > MAX_BATCH_BYTES || group.length >= MAX_BATCH_WRITES)) {
      groups.push(group);
      group = [];
      bytes = 0;
    }
    group.push(index);
    bytes += size;
  });
  if (group.length > 0) groups.push(group);
  return groups;
}

/**
 * An upper bound of a feature document's size as Firestore counts it (a double 8 bytes, a string its UTF-8
 * length + 1, bytes their length, plus field names and the document name): 9 bytes per number, the category
 * strings (ASCII by contract) + 1, and 1 KiB for names and scalars.
 */
export function featureDocumentBytes(summary: FeatureSummary): number {
  const fixed = 1024;
  if (summary.kind === 'numeric') {
    const values = summary.values;
    if (!values) return fixed;
    const fine = values.fine ? values.fine.edges.length + values.fine.referenceCounts.length : 0;
    return (
      fixed +
      values.sortedReference.byteLength +
      9 * (values.edges.length + values.referenceCounts.length + fine)
    );
  }
  return (
    fixed +
    summary.categories.reduce((sum, category) => sum + category.length + 1, 0) +
    9 * summary.counts.length
  );
}

function headDocument({ model, modelVersion, messageId, publishedAt, features }: StoredFeatureBaseline) {
  return {
    model,
    modelVersion,
    messageId,
    publishedAt, // the client stores a Date as a Firestore timestamp
    features: features.map(({ name, summary }) => ({
      name,
      kind: summary.kind,
      ...(summary.importance !== undefined ? { importance: summary.importance } : {}),
    })),
  };
}

function toDocument({ name, summary, binning }: StoredFeature): DocumentData {
  const importance = summary.importance !== undefined ? { importance: summary.importance } : {};
  const counts = {
    name,
    kind: summary.kind,
    rows: summary.rows,
    missing: summary.missing,
    ...importance,
    ...(binning !== undefined ? { binning } : {}),
  };
  if (summary.kind === 'categorical') {
    return {
      ...counts,
      categories: summary.categories,
      counts: summary.counts,
      otherCount: summary.otherCount,
    };
  }
  const values = summary.values;
  return {
    ...counts,
    min: summary.min,
    max: summary.max,
    ...(values
      ? {
          values: {
            referenceSize: values.referenceSize,
            binCount: values.binCount,
            edges: Array.from(values.edges),
            referenceCounts: values.referenceCounts,
            referenceStd: values.referenceStd,
            subsampled: values.subsampled,
            sortedReference: Buffer.from(
              values.sortedReference.buffer,
              values.sortedReference.byteOffset,
              values.sortedReference.byteLength,
            ),
            ...(values.fine
              ? {
                  fineEdges: Array.from(values.fine.edges),
                  fineReferenceCounts: values.fine.referenceCounts,
                }
              : {}),
          },
        }
      : {}),
  };
}

function fromDocument(data: DocumentData): FeatureSummary {
  const importance = typeof data.importance === 'number' ? { importance: data.importance } : {};
  if (data.kind === 'categorical') {
    return {
      kind: 'categorical',
      rows: data.rows,
      missing: data.missing,
      categories: data.categories as string[],
      counts: data.counts as number[],
      otherCount: data.otherCount,
      ...importance,
    };
  }
  const values = data.values as DocumentData | undefined;
  return {
    kind: 'numeric',
    rows: data.rows,
    missing: data.missing,
    min: data.min,
    max: data.max,
    ...importance,
    ...(values
      ? {
          values: {
            referenceSize: values.referenceSize,
            binCount: values.binCount,
            edges: Float64Array.from(values.edges as number[]),
            referenceCounts: values.referenceCounts as number[],
            referenceStd: values.referenceStd,
            subsampled: values.subsampled,
            sortedReference: float64FromBytes(values.sortedReference as Uint8Array),
            ...(Array.isArray(values.fineEdges)
              ? {
                  fine: {
                    edges: Float64Array.from(values.fineEdges as number[]),
                    referenceCounts: values.fineReferenceCounts as number[],
                  },
                }
              : {}),
          },
        }
      : {}),
  };
}

/** Copies into an aligned buffer: the bytes Firestore returns may start at any offset of a shared buffer. */
function float64FromBytes(bytes: Uint8Array): Float64Array {
  const values = new Float64Array(bytes.byteLength / 8);
  new Uint8Array(values.buffer).set(bytes);
  return values;
}
