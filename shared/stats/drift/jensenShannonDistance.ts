/**
 * Jensen-Shannon distance, base 2, between two histograms over the same bins (unfloored shares):
 * P and Q normalised to sum 1, M = (P + Q)/2,
 * JS = sqrt( (sum P_i ln(P_i/M_i) + sum Q_i ln(Q_i/M_i)) / (2 ln 2) ), with 0 ln 0 = 0.
 * In [0, 1]: 0 for identical histograms, 1 for disjoint ones.
 *
 * Reference: Lin, J. (1991), "Divergence measures based on the Shannon entropy", IEEE Trans. Inf. Theory 37(1);
 * equals scipy.spatial.distance.jensenshannon(p, q, base=2) (same normalisation and summation order).
 *
 * @example jensenShannonDistance([1, 0, 0], [0, 1, 0]) // => 1
 */
export function jensenShannonDistance(
  referenceCounts: ArrayLike<number>,
  currentCounts: ArrayLike<number>,
): number {
  const bins = referenceCounts.length;
  if (bins === 0 || bins !== currentCounts.length) {
    throw new RangeError('jensenShannonDistance requires the same non-zero number of bins in both samples');
  }
  const p = shares(referenceCounts);
  const q = shares(currentCounts);
  let left = 0;
  let right = 0;
  for (let i = 0; i < bins; i++) {
    const m = (p[i]! + q[i]!) / 2;
    left += relativeEntropy(p[i]!, m);
    right += relativeEntropy(q[i]!, m);
  }
  const divergence = (left + right) / Math.LN2;
  return Math.sqrt(Math.max(divergence / 2, 0));
}

function shares(counts: ArrayLike<number>): Float64Array {
  let sum = 0;
  for (let i = 0; i < counts.length; i++) sum += counts[i]!;
  if (!(sum > 0)) throw new RangeError('jensenShannonDistance requires histograms with positive mass');
  const result = new Float64Array(counts.length);
  for (let i = 0; i < counts.length; i++) result[i] = counts[i]! / sum;
  return result;
}

/** scipy.special.rel_entr for x >= 0, y > 0: x ln(x/y), 0 when x = 0. */
function relativeEntropy(x: number, y: number): number {
  return x === 0 ? 0 : x * Math.log(x / y);
}
