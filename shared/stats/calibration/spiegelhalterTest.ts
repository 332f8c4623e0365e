/**
 * Spiegelhalter's z-test of calibration: Z = sum (y - p)(1 - 2p) / sqrt(sum (1 - 2p)^2 p (1 - p)), standard
 * normal when the predictions are the true probabilities; two-sided p-value 2 (1 - Phi(|Z|)). p is not
 * clipped. Pairs with p in {0, 0.5, 1} add nothing to the denominator; when all pairs are such, Z and the
 * p-value are null. Not to be confused with the calibration-in-the-large test
 * sum (y - p) / sqrt(sum p (1 - p)).
 *
 * Reference: Spiegelhalter, D. J. (1986), "Probabilistic prediction in patient management and clinical
 * trials", Statistics in Medicine 5(5); as rms::val.prob "S:z"/"S:p" and pycaleva z_test.
 *
 * @example const p = Float64Array.of(0.01, 0.01, 0.24, 0.22, 0.02, 0.1, 0.03, 0.12, 0.04, 0.01);
 * spiegelhalterTest(sumCalibrationTerms(p, Uint8Array.of(0, 1, 1, 0, 0, 0, 0, 0, 0, 0)))
 * // => { z: 1.692598891348089, pValue: 0.09053184225400646 }
 */
import type { CalibrationSums } from './calibrationSums.js';
import { twoSidedNormalPValue } from './normalTail.js';

export interface SpiegelhalterTest {
  z: number | null;
  pValue: number | null;
}

export function spiegelhalterTest(
  sums: Pick<CalibrationSums, 'spiegelhalterNumerator' | 'spiegelhalterVariance'>,
): SpiegelhalterTest {
  if (!(sums.spiegelhalterVariance > 0)) return { z: null, pValue: null };
  const z = sums.spiegelhalterNumerator / Math.sqrt(sums.spiegelhalterVariance);
  return { z, pValue: twoSidedNormalPValue(z) };
}
