import { averageRanks } from './averageRanks.js';

/**
 * Spearman rank correlation: the Pearson correlation of the average ranks of x and y,
 * rho = sum (Rx_i - mean)(Ry_i - mean) / sqrt(sum (Rx_i - mean)^2 sum (Ry_i - mean)^2), clipped to [-1, 1].
 * Ties get average ranks, so this equals scipy.stats.spearmanr(x, y).statistic. Null for fewer than two pairs
 * or when either vector is constant (scipy returns nan there). Values must not be NaN.
 *
 * Reference: Spearman, C. (1904), "The proof and measurement of association between two things",
 * American Journal of Psychology 15(1), 72-101; scipy.stats.spearmanr.
 *
 * @example spearmanCorrelation([1, 2, 3], [1, 3, 2]) // => 0.5
 */
export function spearmanCorrelation(x: ArrayLike<number>, y: ArrayLike<number>): number | null {
  const n = x.length;
  if (n !== y.length) throw new RangeError('spearmanCorrelation requires x and y of the same length');
  if (n < 2) return null;
  const rx = averageRanks(x);
  const ry = averageRanks(y);
  const mean = (n + 1) / 2;
  let sxy = 0;
  let sxx = 0;
  let syy = 0;
  for (let i = 0; i < n; i++) {
    const dx = rx[i]! - mean;
    const dy = ry[i]! - mean;
    sxy += dx * dy;
    sxx += dx * dx;
    syy += dy * dy;
  }
  if (sxx === 0 || syy === 0) return null;
  return Math.min(1, Math.max(-1, sxy / Math.sqrt(sxx * syy)));
}
