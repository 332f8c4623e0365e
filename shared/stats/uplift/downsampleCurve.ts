import type { UpliftCurve } from './upliftCurve.js';

/** A point of a curve kept for charts. */
export interface CurvePoint {
  units: number;
  value: number;
}

/**
 * At most `maxPoints` points of a curve whose x counts units from 0 to n, for charts: every point when the curve
 * has no more, else for j = 0 .. maxPoints - 1 the last point with x <= j n / (maxPoints - 1) (compared in
 * integers as x (maxPoints - 1) <= j n), duplicates dropped. Kept points are points of the curve (no
 * interpolation), the first and last included, roughly evenly spaced in units even where ties make the curve's
 * own points uneven.
 *
 * @example downsampleCurve({ units: Float64Array.of(0, 1, 2, 3, 4), values: Float64Array.of(0, 1, 0, 1, 2) }, 3)
 * // => [{ units: 0, value: 0 }, { units: 2, value: 0 }, { units: 4, value: 2 }]
 */
export function downsampleCurve(curve: UpliftCurve, maxPoints: number): CurvePoint[] {
  if (!(Number.isInteger(maxPoints) && maxPoints >= 2))
    throw new RangeError('downsampleCurve requires maxPoints >= 2');
  const { units, values } = curve;
  const points = units.length;
  if (points <= maxPoints) return Array.from(units, (x, k) => ({ units: x, value: values[k]! }));
  const n = units[points - 1]!;
  const steps = maxPoints - 1;
  const kept: CurvePoint[] = [];
  let k = 0;
  let lastKept = -1;
  for (let j = 0; j <= steps; j++) {
    while (k + 1 < points && units[k + 1]! * steps <= j * n) k++;
    if (k !== lastKept) {
      kept.push({ units: units[k]!, value: values[k]! });
      lastKept = k;
    }
  }
  return kept;
}
