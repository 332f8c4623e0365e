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
  const m = total(referenceCounts);
  const n = total(currentCounts);
  if (m === 0 || n === 0) throw new RangeError('binnedKolmogorovSmirnov requires non-empty samples');
  let below = { r: 0, c: 0 }; // R_{i-1}, C_{i-1}
  let cumulativeR = 0;
  let cumulativeC = 0;
  let lower = 0;
  let upper = 0;
  for (let i = 0; i < bins; i++) {
    cumulativeR += referenceCounts[i]!;
    cumulativeC += currentCounts[i]!;
    const r = i === bins - 1 ? 1 : cumulativeR / m;
    const c = i === bins - 1 ? 1 : cumulativeC / n;
    lower = Math.max(lower, Math.abs(r - c));
    upper = Math.max(upper, r - below.c, c - below.r);
    below = { r, c };
  }
  return { lower, upper };
}

function total(counts: ArrayLike<number>): number {
  let sum = 0;
  for (let i = 0; i < counts.length; i++) sum += counts[i]!;
  return sum;
}
