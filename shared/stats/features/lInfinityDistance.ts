/**
 * L-infinity distance between two histograms over the same buckets: the largest absolute difference of shares,
 * L_inf = max_k |q_k - p_k|, p_k = reference count / reference total, q_k = current count / current total
 * (unfloored). In [0, 1]: 0 for identical shares, 1 only when one histogram is a single bucket the other never
 * reaches. Symmetric. Vertex AI Model Monitoring's distance for categorical features (NannyML's too).
 *
 * Reference: Google Cloud, "Vertex AI Model Monitoring: monitor feature skew and drift" (L-infinity distance
 * for categorical features); NannyML `LInfinityDistance` (value_counts(normalize=True), max |difference|).
 *
 * @example lInfinityDistance([2, 2, 2, 0], [2, 2, 2, 1]) // => 0.14285714285714285 (1/7)
 */
export function lInfinityDistance(
  referenceCounts: ArrayLike<number>,
  currentCounts: ArrayLike<number>,
): number {
  const buckets = referenceCounts.length;
  if (buckets === 0 || buckets !== currentCounts.length) {
    throw new RangeError('lInfinityDistance requires the same non-zero number of buckets in both samples');
  }
  const m = total(referenceCounts);
  const n = total(currentCounts);
  if (!(m > 0 && n > 0)) throw new RangeError('lInfinityDistance requires non-empty samples');
  let distance = 0;
  for (let k = 0; k < buckets; k++) {
    const difference = Math.abs(currentCounts[k]! / n - referenceCounts[k]! / m);
    if (difference > distance) distance = difference;
  }
  return distance;
}

function total(counts: ArrayLike<number>): number {
  let sum = 0;
  for (let k = 0; k < counts.length; k++) sum += counts[k]!;
  return sum;
}
