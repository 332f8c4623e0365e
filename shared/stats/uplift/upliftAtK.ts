import { countRange, type RankedUnits } from './rankByUplift.js';

/**
 * Uplift at k, sklift's `uplift_at_k(strategy='overall')`: take the top floor(n k) units of the ranking (both
 * arms together; ties cut in sklift's order) and return their treated conversion rate minus their control
 * conversion rate. Null when the top holds no treated or no control unit (sklift returns nan), including when
 * floor(n k) is 0. Throws unless 0 < k < 1.
 *
 * Reference: maks-sh/scikit-uplift v0.5.1, sklift/metrics/metrics.py, `uplift_at_k`.
 *
 * @example upliftAtK(rankByUplift(Float64Array.of(0.9, 0.8, 0.7, 0.6), Uint8Array.of(1, 0, 1, 0), Uint8Array.of(1, 0, 0, 1)), 0.5) // => 1
 */
export function upliftAtK(ranked: RankedUnits, k: number): number | null {
  if (!(k > 0 && k < 1)) throw new RangeError('upliftAtK requires 0 < k < 1');
  const top = Math.trunc(ranked.scores.length * k);
  const { treated, treatedConversions, controlConversions } = countRange(ranked, 0, top);
  const control = top - treated;
  if (treated === 0 || control === 0) return null;
  return treatedConversions / treated - controlConversions / control;
}
