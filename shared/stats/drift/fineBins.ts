/**
 * The fine bins producers pre-aggregate on, and their coarsening to the PSI bins.
 *
 * Fine edges are quantileEdges(reference, 1000): the unique reference quantiles at k/1000, k = 1..999, computed by
 * the same code as the PSI edges. For a PSI bin count B dividing 1000, the PSI edge at k/B is the fine edge at
 * (1000 k/B)/1000, the same double (k/B and (1000 k/B)/1000 are the same real number, and IEEE division rounds it
 * once), so every PSI edge is a fine edge and no PSI edge lies strictly between two fine edges: each fine bin lies
 * inside exactly one PSI bin, and summing fine counts gives the PSI counts of the same values exactly.
 *
 * @example coarseCounts(Float64Array.of(1, 2, 3), [1, 1, 1, 1], Float64Array.of(2)) // => [2, 2]
 */
export const FINE_BIN_COUNT = 1000;

/** Counts in the bins of `coarseEdges` (each one of `fineEdges`) from counts in the bins of `fineEdges`. */
export function coarseCounts(
  fineEdges: Float64Array,
  fineCounts: ArrayLike<number>,
  coarseEdges: Float64Array,
): number[] {
  if (fineCounts.length !== fineEdges.length + 1)
    throw new RangeError('coarseCounts requires one count per fine bin');
  const counts = new Array<number>(coarseEdges.length + 1).fill(0);
  let coarse = 0; // the coarse bin of fine bin f: the number of coarse edges <= fineEdges[f - 1]
  for (let f = 0; f < fineCounts.length; f++) {
    if (f > 0) {
      while (coarse < coarseEdges.length && coarseEdges[coarse]! <= fineEdges[f - 1]!) coarse++;
    }
    counts[coarse]! += fineCounts[f]!;
  }
  return counts;
}

/** Whether every coarse edge is a fine edge (the condition under which coarseCounts is exact). */
export function isRefinement(fineEdges: Float64Array, coarseEdges: Float64Array): boolean {
  const fine = new Set(fineEdges);
  return coarseEdges.every((edge) => fine.has(edge));
}
