/**
 * Bounds of the two-sample Kolmogorov-Smirnov statistic D = sup_x |F_R(x) - F_C(x)| from bin counts alone.
 *
 * With left-closed bins, the cumulative shares at edge e_i are exact left limits: R_i = #{r < e_i}/m and
 * C_i = #{c < e_i}/n (R_{-1} = C_{-1} = 0, R_B = C_B = 1 for B edges). On bin i, [e_{i-1}, e_i), the right-continuous
 * CDFs are monotone with F_R in [R_{i-1}, R_i] and F_C in [C_{i-1}, C_i]. Hence
 *   lower = max_i |R_i - C_i|                                   (D at the edges; every term is attained)
 *   upper = max_i max(R_i - C_{i-1}, C_i - R_{i-1})             (one CDF at the top of its bin, the other at the bottom)
 * and lower <= D <= upper <= lower + max_i max(r_i/m, c_i/n), the largest single-bin share of either sample.
 * Both bounds are sharp: some pair of samples with these counts attains each.
 *
 * Reference: the two-sample KS statistic of scipy.stats.ks_2samp; for grouped data, Conover, W. J. (1972),
 * "A Kolmogorov goodness-of-fit test for discontinuous distributions", JASA 67(339).
 *
 * @example binnedKolmogorovSmirnov([1, 1], [2, 0]) // => { lower: 0.5, upper: 1 }
 */
import { cumulativeShares } from './cumulativeShares.js';

export interface KolmogorovSmirnovBounds {
  lower: number;
  upper: number;
}

export function binnedKolmogorovSmirnov(
  referenceCounts: ArrayLike<number>,
  currentCounts: ArrayLike<number>,
): KolmogorovSmirnovBounds {
  const bins = referenceCounts.length;
  if (bins === 0 || bins !== currentCounts.length)
    throw new RangeError('binnedKolmogorovSmirnov requires the same non-zero number of bins in both samples');
  const r = cumulativeShares(referenceCounts, 'binnedKolmogorovSmirnov');
  const c = cumulativeShares(currentCounts, 'binnedKolmogorovSmirnov');
  let lower = 0;
  let upper = 0;
  for (let i = 0; i < bins; i++) {
    lower = Math.max(lower, Math.abs(r[i]! - c[i]!));
    upper = Math.max(upper, r[i]! - (c[i - 1] ?? 0), c[i]! - (r[i - 1] ?? 0));
  }
  return { lower, upper };
}
