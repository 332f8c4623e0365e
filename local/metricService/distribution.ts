/**
 * DISTRIBUTION value rules (google/api/distribution.proto; gcp-facts §1.5): bucket options, bucket count
 * limits, count == sum(bucketCounts), and count 0 ⇒ mean = sumOfSquaredDeviation = 0 and no range.
 */
import { MAX_BUCKETS, distributionMessages as m } from './messages.js';
import type { WireDistribution } from './wire.js';

/** The problem with a distribution (without the `Field ... had an invalid value: ` prefix), or undefined. */
export function distributionProblem(d: WireDistribution): string | undefined {
  const count = Number(d.count ?? 0);
  const counts = (d.bucketCounts ?? []).map(Number);
  const bucketCount = numberOfBuckets(d);
  if (typeof bucketCount === 'string') return bucketCount;
  if (bucketCount === undefined && counts.length > 0) return m.countsWithoutOptions;
  if (bucketCount !== undefined && bucketCount > MAX_BUCKETS) return m.tooManyBuckets(bucketCount);
  if (bucketCount !== undefined && counts.length > bucketCount) {
    return m.tooManyCounts(counts.length, bucketCount);
  }
  const negative = counts.findIndex((c) => c < 0);
  if (negative >= 0) return m.negativeBucket(negative);
  if (count < 0) return m.negativeCount(count);
  if (counts.length > 0) {
    const sum = counts.reduce((a, b) => a + b, 0);
    if (sum !== count) return m.sumMismatch(sum, count);
  }
  if ((d.sumOfSquaredDeviation ?? 0) < 0) return m.negativeSsd;
  if (count === 0) {
    if ((d.mean ?? 0) !== 0 || (d.sumOfSquaredDeviation ?? 0) !== 0) return m.zeroCountStats;
    if (d.range) return m.zeroCountRange;
  }
  return undefined;
}

/** N (underflow + finite + overflow buckets), undefined without bucket options, or a problem text. */
function numberOfBuckets(d: WireDistribution): number | string | undefined {
  const b = d.bucketOptions;
  switch (b?.options) {
    case 'explicitBuckets': {
      const bounds = b.explicitBuckets?.bounds ?? [];
      if (bounds.length === 0) return m.noBounds;
      for (let j = 1; j < bounds.length; j++) {
        if (!((bounds[j] ?? 0) > (bounds[j - 1] ?? 0))) return m.boundsNotIncreasing(j);
      }
      return bounds.length + 1;
    }
    case 'linearBuckets': {
      const { numFiniteBuckets = 0, width = 0 } = b.linearBuckets ?? {};
      if (numFiniteBuckets <= 0) {
        return m.badBucketOption('|linear_buckets.num_finite_buckets| must be positive');
      }
      if (!(width > 0)) return m.badBucketOption('|linear_buckets.width| must be positive');
      return numFiniteBuckets + 2;
    }
    case 'exponentialBuckets': {
      const { numFiniteBuckets = 0, growthFactor = 0, scale = 0 } = b.exponentialBuckets ?? {};
      if (numFiniteBuckets <= 0) {
        return m.badBucketOption('|exponential_buckets.num_finite_buckets| must be positive');
      }
      if (!(growthFactor > 1)) {
        return m.badBucketOption('|exponential_buckets.growth_factor| must be greater than 1');
      }
      if (!(scale > 0)) return m.badBucketOption('|exponential_buckets.scale| must be positive');
      return numFiniteBuckets + 2;
    }
    default:
      return undefined;
  }
}
