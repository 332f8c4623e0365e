/**
 * Seeded Poisson(1) bootstrap weights: a xoshiro128** stream (Blackman & Vigna 2018) and Poisson(1) draws by
 * inversion of its 32-bit words, for resampling statistics that must be deterministic for a given input.
 */

/** P(X <= k) for X ~ Poisson(1), scaled to 2^32: a draw is the number of these a uniform 32-bit word reaches. */
const CUMULATIVE: Float64Array = (() => {
  const cumulative: number[] = [];
  let term = Math.exp(-1);
  let sum = 0;
  for (let k = 0; k < 16; k++) {
    sum += term;
    term /= k + 1;
    cumulative.push(Math.min(Math.floor(sum * 2 ** 32), 2 ** 32));
  }
  return Float64Array.from(cumulative);
})();
/** Weights are capped here: P(X > 15) is about 1e-13, below the 2^-32 resolution of a draw. */
const MAX_WEIGHT = CUMULATIVE.length - 1;
const TABLE_BITS = 11;
const AMBIGUOUS = 255;
/** The draw for each of the 2^11 cells of the top bits, or AMBIGUOUS where a cumulative boundary cuts the cell. */
const TABLE: Uint8Array = (() => {
  const table = new Uint8Array(1 << TABLE_BITS);
  const width = 2 ** (32 - TABLE_BITS);
  for (let cell = 0; cell < table.length; cell++) {
    const first = inverse(cell * width);
    table[cell] = first === inverse((cell + 1) * width - 1) ? first : AMBIGUOUS;
  }
  return table;
})();

function inverse(word: number): number {
  let k = 0;
  while (k < MAX_WEIGHT && word >= CUMULATIVE[k]!) k++;
  return k;
}

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
 * A Poisson(1) draw from one uniform 32-bit word, by inversion: w = #{k : word >= 2^32 P(X <= k)}, read from a
 * 2^11-cell table of the word's top bits and searched only where a boundary cuts the cell (about 0.5% of
 * words). Exact to the 2^-32 resolution of the word; capped at 15.
 *
 * Reference: Hanley & MacGibbon (2006), "Creating non-parametric bootstrap samples using Poisson frequencies".
 *
 * @example [0, 0x5e2d58d8, 0x5e2d58d9, 0xbc5ab1b1, 0xffffffff].map(poisson1) // => [0, 0, 1, 2, 15]
 */
export function poisson1(word: number): number {
  const cell = TABLE[word >>> (32 - TABLE_BITS)]!;
  return cell === AMBIGUOUS ? inverse(word) : cell;
}

function rotl(x: number, k: number): number {
  return (x << k) | (x >>> (32 - k));
}
