/**
 * Ranks 1..n of the values, tied values sharing the mean of the ranks they span (the "average" method of
 * scipy.stats.rankdata, also R's rank default). Sorts once: O(n log n). Values must not be NaN.
 *
 * Reference: scipy.stats.rankdata(method='average').
 *
 * @example averageRanks([10, 20, 10, 30]) // => Float64Array [1.5, 3, 1.5, 4]
 */
export function averageRanks(values: ArrayLike<number>): Float64Array {
  const n = values.length;
  const order = Uint32Array.from({ length: n }, (_, i) => i).sort((a, b) => {
    const va = values[a]!;
    const vb = values[b]!;
    return va < vb ? -1 : va > vb ? 1 : 0;
  });
  const ranks = new Float64Array(n);
  let start = 0;
  while (start < n) {
    const value = values[order[start]!]!;
    let end = start + 1;
    while (end < n && values[order[end]!]! === value) end++;
    const rank = (start + 1 + end) / 2;
    for (let k = start; k < end; k++) ranks[order[k]!] = rank;
    start = end;
  }
  return ranks;
}
