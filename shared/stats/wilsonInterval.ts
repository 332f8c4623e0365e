import { NORMAL_QUANTILE_975 } from './normalQuantile.js';

export interface ProportionInterval {
  lower: number;
  upper: number;
}

/**
 * Wilson score interval for a binomial proportion p = x / n, without continuity correction:
 * centre = (p + z^2 / 2n) / (1 + z^2 / n), half-width = z sqrt(p(1 - p) / n + z^2 / 4n^2) / (1 + z^2 / n).
 * The operations follow statsmodels' `proportion_confint(method='wilson')` so results agree to the last bit
 * or two. Always inside [0, 1] up to rounding (at x = 0 the lower bound is 0 within about 1e-17; no
 * clipping, as statsmodels: callers that need [0, 1] exactly clamp). Requires n > 0 and 0 <= x <= n.
 *
 * Reference: Wilson, E. B. (1927), "Probable inference, the law of succession, and statistical inference",
 * JASA 22(158); Newcombe, R. G. (1998), Statistics in Medicine 17, 857-872, method 3.
 *
 * @example wilsonInterval(81, 263) // => { lower: 0.2552885198782742, upper: 0.36620957698280004 }
 */
export function wilsonInterval(
  successes: number,
  trials: number,
  z = NORMAL_QUANTILE_975,
): ProportionInterval {
  if (!(trials > 0)) throw new RangeError('wilsonInterval requires at least one trial');
  if (!(successes >= 0 && successes <= trials)) {
    throw new RangeError('wilsonInterval requires successes between 0 and trials');
  }
  const p = successes / trials;
  const z2 = z * z;
  const denominator = 1 + z2 / trials;
  const centre = (p + z2 / (2 * trials)) / denominator;
  const halfWidth = (z * Math.sqrt((p * (1 - p)) / trials + z2 / (4 * (trials * trials)))) / denominator;
  return { lower: centre - halfWidth, upper: centre + halfWidth };
}
