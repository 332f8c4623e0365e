import { NORMAL_QUANTILE_975 } from '../normalQuantile.js';
import { wilsonInterval } from '../wilsonInterval.js';
import type { ArmOutcome } from './campaign.js';

export interface DifferenceInterval {
  difference: number;
  lower: number;
  upper: number;
}

/**
 * Newcombe's hybrid score interval for a difference of two independent proportions d = p1 - p2
 * (method 10 of Newcombe 1998): with Wilson bounds (l_i, u_i) of each proportion,
 * L = d - sqrt((p1 - l1)^2 + (u2 - p2)^2) and U = d + sqrt((u1 - p1)^2 + (p2 - l2)^2).
 * Equals statsmodels' `confint_proportions_2indep(x1, n1, x2, n2, method='newcomb', compare='diff')`
 * (whose default for 'diff' is Wald, not this). Stays inside [-1, 1], is defined at 0 and at n
 * conversions, and is never degenerate; requires units > 0 in both arms.
 *
 * Reference: Newcombe, R. G. (1998), "Interval estimation for the difference between independent
 * proportions: comparison of eleven methods", Statistics in Medicine 17, 873-890.
 *
 * @example newcombeInterval({ units: 70, conversions: 56 }, { units: 80, conversions: 48 })
 * // => { difference: 0.20000000000000007, lower: 0.05243147240236498, upper: 0.33387265403690614 }
 */
export function newcombeInterval(
  treatment: ArmOutcome,
  control: ArmOutcome,
  z = NORMAL_QUANTILE_975,
): DifferenceInterval {
  const p1 = treatment.conversions / treatment.units;
  const p2 = control.conversions / control.units;
  const first = wilsonInterval(treatment.conversions, treatment.units, z);
  const second = wilsonInterval(control.conversions, control.units, z);
  const difference = p1 - p2;
  const below = Math.sqrt(square(p1 - first.lower) + square(second.upper - p2));
  const above = Math.sqrt(square(p2 - second.lower) + square(first.upper - p1));
  return { difference, lower: difference - below, upper: difference + above };
}

/** x * x, which numpy's `** 2` computes; `Math.pow` is not guaranteed to round the same way. */
function square(x: number): number {
  return x * x;
}
