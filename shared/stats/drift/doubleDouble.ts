/**
 * Minimal double-double arithmetic (an unevaluated sum `hi + lo` of two doubles, ~106-bit
 * significand), ported from the subset of the QD package used by scipy's Smirnov distribution:
 * `xsf/cephes/dd_real.h` (Hida, Li & Bailey, "Library for double-double and quad-double
 * arithmetic", 2007). Only the operations needed by `smirnovDistribution.ts` are provided.
 */

/** A double-double value `hi + lo` with `|lo| <= ulp(hi) / 2`. */
export interface DoubleDouble {
  readonly hi: number;
  readonly lo: number;
}

/** Dekker's splitting constant 2^27 + 1. */
const SPLITTER = 134217729.0;

const scratch = new Float64Array(1);
const scratchWords = new Uint32Array(scratch.buffer);
/** Index of the 32-bit word holding sign and exponent (1 on little-endian platforms). */
const HIGH_WORD = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1 ? 1 : 0;
const TWO_POW_64 = 2 ** 64;

/**
 * Wraps a double as a double-double with zero low part.
 *
 * @example dd(0.5) // { hi: 0.5, lo: 0 }
 */
export function dd(hi: number, lo = 0): DoubleDouble {
  return { hi, lo };
}

/** Sum and exact rounding error of `a + b` assuming `|a| >= |b|` (Dekker's Fast2Sum). */
function quickTwoSum(a: number, b: number): DoubleDouble {
  const s = a + b;
  return { hi: s, lo: b - (s - a) };
}

/** Sum and exact rounding error of `a + b` (Knuth's TwoSum). */
function twoSum(a: number, b: number): DoubleDouble {
  const s = a + b;
  const c = s - a;
  return { hi: s, lo: a - (s - c) + (b - c) };
}

/** Product and exact rounding error of `a * b` (Dekker's TwoProduct; equals the FMA variant). */
function twoProd(a: number, b: number): DoubleDouble {
  const p = a * b;
  let t = SPLITTER * a;
  const ah = t - (t - a);
  const al = a - ah;
  t = SPLITTER * b;
  const bh = t - (t - b);
  const bl = b - bh;
  return { hi: p, lo: ah * bh - p + ah * bl + al * bh + al * bl };
}

/**
 * Double-double sum `a + b` (IEEE-style bound due to Briggs and Kahan).
 *
 * @example ddAdd(dd(1), dd(2 ** -60)) // { hi: 1, lo: 8.673617379884035e-19 }
 */
export function ddAdd(a: DoubleDouble, b: DoubleDouble): DoubleDouble {
  const s = twoSum(a.hi, b.hi);
  const t = twoSum(a.lo, b.lo);
  const u = quickTwoSum(s.hi, s.lo + t.hi);
  return quickTwoSum(u.hi, u.lo + t.lo);
}

/**
 * Sum of a double-double and a double.
 *
 * @example ddAddNumber(dd(1), 2 ** -60) // { hi: 1, lo: 8.673617379884035e-19 }
 */
export function ddAddNumber(a: DoubleDouble, b: number): DoubleDouble {
  const s = twoSum(a.hi, b);
  return quickTwoSum(s.hi, s.lo + a.lo);
}

/**
 * Double-double product `a * b`.
 *
 * @example ddMul(dd(3), dd(1 / 3)).hi // 1
 */
export function ddMul(a: DoubleDouble, b: DoubleDouble): DoubleDouble {
  const p = twoProd(a.hi, b.hi);
  return quickTwoSum(p.hi, p.lo + (a.hi * b.lo + a.lo * b.hi));
}

/**
 * Product of a double-double and a double.
 *
 * @example ddMulNumber(dd(0.1), 10) // { hi: 1, lo: 5.551115123125783e-17 }
 */
export function ddMulNumber(a: DoubleDouble, b: number): DoubleDouble {
  const p1 = twoProd(a.hi, b);
  const p2 = twoProd(a.lo, b);
  return quickTwoSum(p1.hi, p2.lo + p2.hi + p1.lo);
}

/**
 * Double-double quotient `a / b` (three-step long division as in QD).
 *
 * @example ddDiv(dd(1), dd(3)) // { hi: 0.3333333333333333, lo: 1.850371707708594e-17 }
 */
export function ddDiv(a: DoubleDouble, b: DoubleDouble): DoubleDouble {
  const q1 = a.hi / b.hi;
  let r = ddAdd(a, ddNeg(ddMulNumber(b, q1)));
  const q2 = r.hi / b.hi;
  r = ddAdd(r, ddNeg(ddMulNumber(b, q2)));
  const q3 = r.hi / b.hi;
  return ddAddNumber(quickTwoSum(q1, q2), q3);
}

/**
 * Negation `-a`.
 *
 * @example ddNeg(dd(2)) // { hi: -2, lo: -0 }
 */
export function ddNeg(a: DoubleDouble): DoubleDouble {
  return { hi: -a.hi, lo: -a.lo };
}

/**
 * Largest integer not exceeding `a` (QD `floor`).
 *
 * @example ddFloor(dd(2.5)) // { hi: 2, lo: 0 }
 */
export function ddFloor(a: DoubleDouble): DoubleDouble {
  const hi = Math.floor(a.hi);
  if (hi !== a.hi) return { hi, lo: 0 };
  return quickTwoSum(hi, Math.floor(a.lo));
}

/**
 * Multiplies a double by `2^exponent` with a single rounding for normal results (C `ldexp`).
 *
 * @example ldexp(0.75, 4) // 12
 */
export function ldexp(x: number, exponent: number): number {
  let e = exponent;
  let y = x;
  while (e > 1023) {
    y *= 2 ** 1023;
    e -= 1023;
  }
  while (e < -1022) {
    if (e >= -1022 - 52) return y * 2 ** (e + 52) * 2 ** -52;
    y *= 2 ** -1022;
    e += 1022;
  }
  return y * 2 ** e;
}

/** Exponent of the last `frexp` call (avoids allocating a tuple). */
let frexpExponent = 0;

/**
 * Splits `x` into `m * 2^e` with `0.5 <= |m| < 1` (C `frexp`); returns `m`, and `e` via
 * {@link lastFrexpExponent}. Zero, infinities and NaN are returned unchanged with exponent 0.
 *
 * @example frexp(12) // 0.75 (and lastFrexpExponent() === 4)
 */
export function frexp(x: number): number {
  if (x === 0 || !Number.isFinite(x)) {
    frexpExponent = 0;
    return x;
  }
  scratch[0] = x;
  let biased = (scratchWords[HIGH_WORD]! >>> 20) & 0x7ff;
  let offset = 0;
  if (biased === 0) {
    scratch[0] = x * TWO_POW_64;
    biased = (scratchWords[HIGH_WORD]! >>> 20) & 0x7ff;
    offset = 64;
  }
  frexpExponent = biased - 1022 - offset;
  scratchWords[HIGH_WORD] = (scratchWords[HIGH_WORD]! & 0x800fffff) | (1022 << 20);
  return scratch[0]!;
}

/**
 * Exponent produced by the most recent {@link frexp} or {@link ddFrexp} call.
 *
 * @example frexp(12); lastFrexpExponent() // 4
 */
export function lastFrexpExponent(): number {
  return frexpExponent;
}

/**
 * Double-double `frexp`: returns `b` with `0.5 <= |b.hi| < 1` (or `|b.hi| == 1` with `b.hi*b.lo < 0`)
 * and `a = b * 2^e`; `e` is read with {@link lastFrexpExponent}.
 *
 * @example ddFrexp(dd(12)) // { hi: 0.75, lo: 0 } (exponent 4)
 */
export function ddFrexp(a: DoubleDouble): DoubleDouble {
  let man = frexp(a.hi);
  let exponent = frexpExponent;
  let b1 = ldexp(a.lo, -exponent);
  if (Math.abs(man) === 0.5 && man * b1 < 0) {
    man *= 2;
    b1 *= 2;
    exponent -= 1;
  }
  frexpExponent = exponent;
  return { hi: man, lo: b1 };
}

/**
 * Double-double `ldexp`: `a * 2^exponent` applied to both parts.
 *
 * @example ddLdexp(dd(0.75), 4) // { hi: 12, lo: 0 }
 */
export function ddLdexp(a: DoubleDouble, exponent: number): DoubleDouble {
  return { hi: ldexp(a.hi, exponent), lo: ldexp(a.lo, exponent) };
}
