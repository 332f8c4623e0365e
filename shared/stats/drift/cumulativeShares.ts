/**
 * Cumulative shares of bin counts: S_i = (c_0 + ... + c_i) / n for each bin i, the last exactly 1. With left-closed
 * bins, S_i is the share of values below the edge that closes bin i (the left limit of the empirical CDF there),
 * which is all the binned KS and Wasserstein bounds read.
 *
 * @example cumulativeShares([1, 1, 2]) // => Float64Array [0.25, 0.5, 1]
 */
export function cumulativeShares(counts: ArrayLike<number>, name = 'cumulativeShares'): Float64Array {
  let n = 0;
  for (let i = 0; i < counts.length; i++) n += counts[i]!;
  if (!(n > 0)) throw new RangeError(`${name} requires non-empty samples`);
  const shares = new Float64Array(counts.length);
  let cumulative = 0;
  for (let i = 0; i < counts.length; i++) {
    cumulative += counts[i]!;
    shares[i] = i === counts.length - 1 ? 1 : cumulative / n;
  }
  return shares;
}
