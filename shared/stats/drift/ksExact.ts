// Exact null distribution of the two-sided two-sample Kolmogorov-Smirnov statistic, ported from
// scipy/stats/_stats_py.py (`_compute_prob_outside_square`) and scipy/stats/_stats_pythran.py
// (`_compute_outer_prob_inside_method`). Both follow Hodges (1958).

/**
 * Exact `P(D_{n,n} >= h/n)` for two samples of equal size n: the proportion of monotone lattice
 * paths from (0,0) to (n,n) that touch or cross one of the diagonals `x - y = +-h`.
 *
 * Algorithm: reflection principle,
 * `P = 2 * sum_{k>=1} (-1)^(k-1) C(2n, n - k h) / C(2n, n)`, evaluated without subtractive
 * cancellation as the nested product `2 A_1 (1 - A_2 (1 - A_3 (1 - ...)))` where each ratio
 * `A_k = prod_{j<h} (n - k h - j) / (n + k h + j + 1)` (Horner-like, innermost first) — exactly the
 * floating-point operation order of scipy, so results are bit-identical.
 *
 * References: scipy/stats/_stats_py.py `_compute_prob_outside_square`; Hodges, J. L. (1958),
 * "The significance probability of the Smirnov two-sample test", Arkiv för Matematik 3(43), 469-486.
 *
 * Edge behaviour: requires integers n > 0 and 1 <= h <= n (h = 0 is handled by the caller as P = 1).
 * Rounding may put the result a few ulp outside [0, 1]; callers must check (scipy then falls back
 * to the asymptotic distribution).
 *
 * @example probOutsideSquare(3, 2) // 0.6, i.e. P(D_{3,3} >= 2/3)
 */
export function probOutsideSquare(n: number, h: number): number {
  let P = 0.0;
  for (let k = Math.floor(n / h); k >= 0; k -= 1) {
    let p1 = 1.0;
    for (let j = 0; j < h; j += 1) p1 = ((n - k * h - j) * p1) / (n + k * h + j + 1);
    P = p1 * (1.0 - P);
  }
  return 2 * P;
}

/**
 * Exact `P(D_{m,n} >= h / lcm(m, n))` for two samples of sizes m and n: one minus the proportion of
 * monotone lattice paths from (0,0) to (m,n) that stay strictly inside `|n x - m y| < h g`
 * (g = gcd(m, n)).
 *
 * Algorithm: Hodges' "inside method", column by column over x = 1..m (with m >= n after swapping),
 * keeping only the sliding window of admissible y, in Viehmann's normalised form that propagates
 * `1 - p` directly: `A(x, y) = (x A(x-1, y) + y A(x, y-1)) / (x + y)`, with cells outside the band
 * fixed at 1. O(m * window) time, O(min(n, window)) memory; identical operation order to scipy.
 *
 * References: scipy/stats/_stats_pythran.py `_compute_outer_prob_inside_method`; Hodges (1958),
 * Arkiv för Matematik 3(43); Viehmann, T. (2021), "Numerically more stable computation of the
 * p-values for the two-sample Kolmogorov-Smirnov test", arXiv:2102.08037.
 *
 * Edge behaviour: requires integers m, n > 0, g = gcd(m, n) and 1 <= h <= lcm(m, n); returns 1 when
 * the band becomes empty (every path leaves it).
 *
 * @example probOutsideInside(2, 3, 1, 4) // 0.6, i.e. P(D_{2,3} >= 4/6), the p-value of ks_2samp([0.99, 1.99], [1, 2, 3])
 */
export function probOutsideInside(m0: number, n0: number, g: number, h: number): number {
  const m = Math.max(m0, n0);
  const n = Math.min(m0, n0);
  const mg = Math.floor(m / g);
  const ng = Math.floor(n / g);
  let minj = 0;
  let maxj = Math.min(Math.ceil(h / mg), n + 1);
  let curlen = maxj - minj;
  const lenA = Math.min(2 * maxj + 2, n + 1);
  const A = new Float64Array(lenA).fill(1.0);
  A.fill(0.0, minj, maxj);
  for (let i = 1; i <= m; i += 1) {
    const lastminj = minj;
    const lastlen = curlen;
    minj = Math.min(Math.max(Math.floor((ng * i - h) / mg) + 1, 0), n);
    maxj = Math.min(Math.ceil((ng * i + h) / mg), n + 1);
    if (maxj <= minj) return 1.0;
    let val = minj === 0 ? 0.0 : 1.0;
    const shift = minj - lastminj;
    for (let jj = 0; jj < maxj - minj; jj += 1) {
      const j = jj + minj;
      val = (A[jj + shift]! * i + val * j) / (i + j);
      A[jj] = val;
    }
    curlen = maxj - minj;
    if (lastlen > curlen) A.fill(1, curlen, Math.min(curlen + (lastlen - curlen), lenA));
  }
  return A[maxj - minj - 1]!;
}
