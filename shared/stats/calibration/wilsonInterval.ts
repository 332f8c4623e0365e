/**
 * Wilson score interval for a binomial proportion k/n:
 * center = (q + z^2/(2n)) / (1 + z^2/n), half-width = z sqrt(q(1 - q)/n + z^2/(4n^2)) / (1 + z^2/n), q = k/n.
 * Unlike the Wald interval it stays inside [0, 1] and is sensible at k = 0 and k = n (lower 0, upper 1 up to
 * rounding; the bounds are clamped to [0, 1] against that rounding).
 *
 * Reference: Wilson, E. B. (1927), "Probable inference, the law of succession, and statistical inference", JASA
 * 22(158); computed as statsmodels.stats.proportion.proportion_confint(k, n, method='wilson').
 *
 * @example wilsonInterval(81, 263) // => { lower: 0.25534..., upper: 0.36619... }
 */
import { NORMAL_QUANTILE_975 } from './normalTail.js';

export interface Interval {
  lower: number;
  upper: number;
}

export function wilsonInterval(successes: number, trials: number, z = NORMAL_QUANTILE_975): Interval {
  if (!(trials > 0)) throw new RangeError('wilsonInterval requires at least one trial');
  if (!(successes >= 0 && successes <= trials))
    throw new RangeError('wilsonInterval requires successes between 0 and trials');
  const q = successes / trials;
  const z2 = z * z;
  const denominator = 1 + z2 / trials;
  const center = (q + z2 / (2 * trials)) / denominator;
  const halfWidth = (z * Math.sqrt((q * (1 - q)) / trials + z2 / (4 * trials * trials))) / denominator;
  return { lower: Math.max(center - halfWidth, 0), upper: Math.min(center + halfWidth, 1) };
}
