/**
 * Population stability index between reference and current bin counts:
 * p_i = reference share, q_i = current share, each floored at 1e-4 (no renormalisation),
 * PSI = sum_i (q_i - p_i) ln(q_i / p_i).
 * Symmetric in the two samples; 0 when the shares agree. Rule of thumb: < 0.1 stable, 0.1-0.25 moderate,
 * > 0.25 major shift, but see psiNullQuantile for what PSI sampling noise alone produces.
 *
 * Reference: Yurdakul, B. (2018), "Statistical properties of population stability index", Western Michigan
 * University; flooring as Evidently's `psi.py` (1e-4, no renormalisation).
 *
 * @example populationStabilityIndex([50, 50], [60, 40]) // => 0.040546510810816...
 */
export const PSI_SHARE_FLOOR = 1e-4;

export function populationStabilityIndex(
  referenceCounts: ArrayLike<number>,
  currentCounts: ArrayLike<number>,
): number {
  const bins = referenceCounts.length;
  if (bins === 0 || bins !== currentCounts.length) {
    throw new RangeError(
      'populationStabilityIndex requires the same non-zero number of bins in both samples',
    );
  }
  const m = total(referenceCounts);
  const n = total(currentCounts);
  if (m === 0 || n === 0) throw new RangeError('populationStabilityIndex requires non-empty samples');
  let psi = 0;
  for (let i = 0; i < bins; i++) {
    const p = Math.max(referenceCounts[i]! / m, PSI_SHARE_FLOOR);
    const q = Math.max(currentCounts[i]! / n, PSI_SHARE_FLOOR);
    psi += (q - p) * Math.log(q / p);
  }
  return psi;
}

function total(counts: ArrayLike<number>): number {
  let sum = 0;
  for (let i = 0; i < counts.length; i++) sum += counts[i]!;
  return sum;
}
