/** Numeric assertions with a stated tolerance, reporting both values and the error. */
import assert from 'node:assert/strict';

export interface Tolerance {
  relative?: number;
  absolute?: number;
}

/** Passes when |actual - expected| <= max(absolute, relative * |expected|). */
export function assertClose(actual: number, expected: number, tolerance: Tolerance, label = 'value'): void {
  const { relative = 0, absolute = 0 } = tolerance;
  const error = Math.abs(actual - expected);
  const allowed = Math.max(absolute, relative * Math.abs(expected));
  assert.ok(
    Number.isFinite(actual) && error <= allowed,
    `${label}: got ${actual}, expected ${expected} (error ${error.toExponential(3)} > allowed ${allowed.toExponential(3)})`,
  );
}
