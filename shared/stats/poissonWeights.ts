/**
 * Seeded Poisson(1) bootstrap weights: a xoshiro128** stream (Blackman & Vigna 2018) and Poisson(1) draws by
 * inversion of 16-bit halves of its words, for resampling statistics that must be deterministic for a given input.
 */

/** Poisson(1) weights are drawn from 16-bit uniforms: two per 32-bit word, since the draws dominate the cost. */
const HALF_BITS = 16;
/** The Poisson(1) quantile at the midpoint of each of the 2^16 cells: (h + 1/2) / 2^16 for h = 0 .. 2^16 - 1. */
const QUANTILES: Uint8Array = (() => {
  const cells = 2 ** HALF_BITS;
  const table = new Uint8Array(cells);
  let k = 0;
  let term = Math.exp(-1);
  let cumulative = term;
  for (let h = 0; h < cells; h++) {
    while ((h + 0.5) / cells >= cumulative) {
      k++;
      term /= k;
      cumulative += term;
    }
    table[h] = k;
  }
  return table;
})();

/** A xoshiro128** stream: 128 bits of state, period 2^128 - 1. */
export class Xoshiro128 {
  readonly state: Uint32Array;

  /** Seeds the four state words from one 32-bit seed by splitmix32, so nearby seeds give unrelated streams. */
  constructor(seed: number) {
    this.state = new Uint32Array(4);
    let z = seed >>> 0;
    for (let i = 0; i < 4; i++) {
      z = (z + 0x9e3779b9) >>> 0;
      let x = z;
      x = Math.imul(x ^ (x >>> 16), 0x21f0aaad);
      x = Math.imul(x ^ (x >>> 15), 0x735a2d97);
      this.state[i] = (x ^ (x >>> 15)) >>> 0;
    }
    if (this.state.every((word) => word === 0)) this.state[0] = 1;
  }

  /** The next uniform 32-bit word, as an unsigned integer (hot loops inline this step, state in locals). */
  nextUint32(): number {
    const s = this.state;
    const s1 = s[1]!;
    const result = Math.imul(rotl(Math.imul(s1, 5), 7), 9) >>> 0;
    const t = s1 << 9;
    s[2]! ^= s[0]!;
    s[3]! ^= s1;
    s[1]! ^= s[2]!;
    s[0]! ^= s[3]!;
    s[2]! ^= t;
    s[3] = rotl(s[3]!, 11);
    return result;
  }
}

/**
 * A Poisson(1) draw from a uniform 16-bit integer h, by inversion at the cell's midpoint: the least k with
 * (h + 1/2) / 2^16 < P(X <= k). Each probability P(w = k) is within 2^-16 of Poisson(1)'s; the largest weight is
 * 8 (P(X > 8) is 1.1e-6); over the 2^16 cells the mean is 1 and the variance 0.99997.
 *
 * Reference: Hanley & MacGibbon (2006), "Creating non-parametric bootstrap samples using Poisson frequencies".
 *
 * @example [0, 24108, 24109, 48218, 48219, 65535].map(poisson1) // => [0, 0, 1, 1, 2, 8]
 */
export function poisson1(half: number): number {
  return QUANTILES[half & 0xffff]!;
}

function rotl(x: number, k: number): number {
  return (x << k) | (x >>> (32 - k));
}
