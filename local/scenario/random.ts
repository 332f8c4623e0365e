/**
 * Seeded pseudo-random numbers for the scenario: xoshiro128** streams keyed by the seed and a name, so that
 * every batch draws from its own stream and a change to one part of a scenario leaves the others' data as it was.
 */

/** cyrb53-style string hash to 4 x 32-bit words; seeds a stream from (seed, name). */
function seedWords(seed: number, name: string): [number, number, number, number] {
  let h1 = 0xdeadbeef ^ seed;
  let h2 = 0x41c6ce57 ^ seed;
  for (let i = 0; i < name.length; i++) {
    const code = name.charCodeAt(i);
    h1 = Math.imul(h1 ^ code, 2654435761);
    h2 = Math.imul(h2 ^ code, 1597334677);
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507) ^ Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507) ^ Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  const words: [number, number, number, number] = [
    h1 >>> 0,
    h2 >>> 0,
    (h1 ^ 0x9e3779b9) >>> 0,
    (h2 ^ 0x7f4a7c15) >>> 0,
  ];
  if (words.every((word) => word === 0)) words[0] = 1;
  return words;
}

/** A stream of pseudo-random numbers (xoshiro128**, Blackman and Vigna 2018). */
export class RandomStream {
  private readonly state: Uint32Array;
  private spareNormal: number | undefined;

  constructor(seed: number, name: string) {
    this.state = Uint32Array.from(seedWords(seed, name));
  }

  /** Uniform in [0, 1), 32 bits. */
  uniform(): number {
    const s = this.state;
    const result = Math.imul(rotl(Math.imul(s[1]!, 5), 7), 9) >>> 0;
    const t = s[1]! << 9;
    s[2]! ^= s[0]!;
    s[3]! ^= s[1]!;
    s[1]! ^= s[2]!;
    s[0]! ^= s[3]!;
    s[2]! ^= t;
    s[3] = rotl(s[3]!, 11);
    return result / 4294967296;
  }

  /** Uniform in [low, high). */
  between(low: number, high: number): number {
    return low + (high - low) * this.uniform();
  }

  /** Integer uniform in [low, high]. */
  integer(low: number, high: number): number {
    return low + Math.floor(this.uniform() * (high - low + 1));
  }

  /** Standard normal (Marsaglia's polar method). */
  normal(): number {
    if (this.spareNormal !== undefined) {
      const spare = this.spareNormal;
      this.spareNormal = undefined;
      return spare;
    }
    for (;;) {
      const u = 2 * this.uniform() - 1;
      const v = 2 * this.uniform() - 1;
      const s = u * u + v * v;
      if (s > 0 && s < 1) {
        const factor = Math.sqrt((-2 * Math.log(s)) / s);
        this.spareNormal = v * factor;
        return u * factor;
      }
    }
  }

  bernoulli(p: number): 0 | 1 {
    return this.uniform() < p ? 1 : 0;
  }

  /**
   * Binomial(n, p), exactly, by geometric waiting times between successes (Devroye 1986, X.4): O(n min(p, 1-p)).
   */
  binomial(n: number, p: number): number {
    if (p <= 0) return 0;
    if (p >= 1) return n;
    if (p > 0.5) return n - this.binomial(n, 1 - p);
    const logQ = Math.log1p(-p);
    let successes = 0;
    let position = 0;
    for (;;) {
      position += Math.floor(Math.log(1 - this.uniform()) / logQ) + 1;
      if (position > n) return successes;
      successes++;
    }
  }
}

function rotl(x: number, k: number): number {
  return ((x << k) | (x >>> (32 - k))) >>> 0;
}

export const logistic = (x: number): number => 1 / (1 + Math.exp(-x));
