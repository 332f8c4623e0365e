import {
  type DoubleDouble,
  dd,
  ddAdd,
  ddAddNumber,
  ddDiv,
  ddFloor,
  ddFrexp,
  ddLdexp,
  ddMul,
  ddMulNumber,
  ddNeg,
  lastFrexpExponent,
  ldexp,
} from './doubleDouble.js';
import { FAST_MIN_N, FAST_MIN_NXX, smirnovLowerSumFast } from './smirnovFastSum.js';

// Port of scipy.special.smirnov (xsf/cephes/kolmogorov.h: _smirnov, pow_D, pow2Scaled_D, computeAv),
// survival function only. Identifiers follow the C++ source to ease side-by-side review.

const SMIRNOV_MAX_COMPUTE_N = 1000000;
const SM_UPPER_MAX_TERMS = 3;
const SM_UPPERSUM_MIN_N = 10;
const SM_MAX_EXPONENT = 960;
/** log(2^-1075), cephes MINLOG. */
const MINLOG = -745.1332191019412;
const EPSILON = 2 ** -52;
const ONE = dd(1);

function isZero(a: DoubleDouble): boolean {
  return a.hi === 0 && a.lo === 0;
}

/** a^m for a double-double base and integer m, trading accuracy for speed as in xsf `pow_D`. */
function powD(a: DoubleDouble, m: number): DoubleDouble {
  if (m <= 0) return m === 0 ? ONE : ddDiv(ONE, powD(a, -m));
  if (isZero(a)) return dd(0);
  const ans = a.hi ** m;
  const r = a.lo / a.hi;
  let adj = m * r;
  if (Math.abs(adj) > 1e-8) {
    adj = Math.abs(adj) < 1e-4 ? adj + m * r * (((m - 1) / 2.0) * r) : Math.expm1(m * Math.log1p(r));
  }
  return ddAddNumber(dd(ans), ans * adj);
}

/** (a + b)^m rounded to double (xsf `pow2`). */
function pow2(a: number, b: number, m: number): number {
  return powD(ddAddNumber(dd(a), b), m).hi;
}

/** xsf `nextPowerOf2` (despite its name it returns |x| nudged up by one ulp-ish step). */
function nextPowerOf2(x: number): number {
  const q = ldexp(x, -52);
  const L = Math.abs(q + x);
  return L === 0 ? Math.abs(x) : L;
}

let scaledExponent = 0;

/** a^m as significand * 2^scaledExponent, splitting the power to avoid underflow (xsf `pow2Scaled_D`). */
function pow2ScaledD(a: DoubleDouble, m: number): DoubleDouble {
  if (m <= 0) {
    if (m === 0) {
      scaledExponent = 0;
      return ONE;
    }
    const inv = pow2ScaledD(a, -m);
    const aE1 = scaledExponent;
    const ans = ddFrexp(ddDiv(ONE, inv));
    scaledExponent = -aE1 + lastFrexpExponent();
    return ans;
  }
  const y = ddFrexp(a);
  const yE = lastFrexpExponent();
  if (m === 1) {
    scaledExponent = yE;
    return y;
  }
  let maxExpt = SM_MAX_EXPONENT;
  if ((m * (y.hi - 1)) / y.hi < -SM_MAX_EXPONENT * Math.LN2) {
    const lg2y = Math.log(y.hi) / Math.LN2;
    if (m * lg2y <= -SM_MAX_EXPONENT) {
      maxExpt = Math.trunc(nextPowerOf2(-SM_MAX_EXPONENT / lg2y + 1) / 2);
    }
  }
  if (m <= maxExpt) {
    const ans = ddFrexp(powD(y, m));
    scaledExponent = lastFrexpExponent() + m * yE;
    return ans;
  }
  const q = Math.trunc(m / maxExpt);
  const r = m % maxExpt;
  const y2r = pow2ScaledD(y, r);
  const y2rE = scaledExponent;
  const y2m = pow2ScaledD(y, maxExpt);
  const y2mE = scaledExponent;
  const y2mq = pow2ScaledD(y2m, q);
  const y2mqE = scaledExponent + y2mE * q;
  const ans = ddFrexp(ddMul(y2r, y2mq));
  scaledExponent = lastFrexpExponent() + y2mqE + y2rE + m * yE;
  return ans;
}

/** Binomial(n, v) * (1 - x - v/n)^(n - v) * (x + v/n)^(v - 1), given C(n, v) = Cman * 2^Cexpt. */
function computeAv(n: number, x: number, v: number, Cman: DoubleDouble, Cexpt: number): DoubleDouble {
  const t2x = ddAddNumber(ddDiv(dd(n - v), dd(n)), -x);
  const t2 = pow2ScaledD(t2x, n - v);
  const t2E = scaledExponent;
  const t1x = ddAddNumber(ddDiv(dd(v), dd(n)), x);
  const t1 = pow2ScaledD(t1x, v - 1);
  const t1E = scaledExponent;
  return ddLdexp(ddMul(ddMul(t1, t2), Cman), Cexpt + t1E + t2E);
}

/**
 * Survival function of the one-sided one-sample Kolmogorov-Smirnov statistic D_n^+ (the exact
 * Smirnov distribution), `P(D_n^+ >= x)`; equals `scipy.special.smirnov(n, x)`.
 *
 * Algorithm: the Smirnov (1944) / Birnbaum-Tingey (1951) sum
 * `P(D_n^+ >= x) = x * sum_{v=0}^{floor(n(1-x))} C(n,v) (x + v/n)^(v-1) (1 - x - v/n)^(n-v)`,
 * evaluated in double-double arithmetic with separately tracked binary exponents, summing the
 * lower terms (or the few upper terms of the complementary sum when that is more accurate) and
 * stopping once the remaining terms cannot change the result. For n > 1000 and n*x^2 >= 2 the
 * smooth terms are instead subsampled in log space ({@link smirnovLowerSumFast}; ~1e-14 relative,
 * O(1) cost instead of O(n); not in scipy). Closed forms are used for
 * `x <= 1/n` and `x >= 1 - 1/n`; for `n > 1e6` the approximation `exp(-(6nx + 1)^2 / (18n))`.
 * Reference: scipy `xsf/cephes/kolmogorov.h` (`_smirnov`); van Mulbregt (2018), "Computing the
 * cumulative distribution function and quantiles of the one-sided Kolmogorov-Smirnov statistic",
 * arXiv:1802.06966.
 *
 * Edge behaviour: NaN for NaN `x`, `x` outside [0, 1] or `n < 1`; 1 at `x = 0`; 0 at `x = 1`;
 * `1 - x` for `n = 1`. Cost is O(number of terms), up to O(n) for mid-range `x`.
 *
 * @example smirnovSurvival(10, 0.3) // 0.1354635556 (scipy.special.smirnov(10, 0.3): 0.1354635556)
 */
export function smirnovSurvival(n: number, x: number): number {
  if (!(n > 0 && x >= 0.0 && x <= 1.0)) return Number.NaN;
  if (n === 1) return 1 - x;
  if (x === 0.0) return 1.0;
  if (x === 1.0) return 0.0;

  // modNX: floor(n*x) and its fractional part, computed exactly in double-double.
  const nxD = ddMulNumber(dd(x), n);
  const nxfloorD = ddFloor(nxD);
  let alpha = ddAdd(nxD, ddNeg(nxfloorD)).hi;
  let nxfl = Math.trunc(nxfloorD.hi);
  if (alpha === 1) {
    nxfl += 1;
    alpha = 0;
  }
  let n1mxfl = n - nxfl - (alpha === 0 ? 0 : 1);
  let n1mxceil = n - nxfl;
  if (alpha === 0) {
    n1mxfl -= 1;
    n1mxceil += 1;
  }

  if (nxfl === 0 || (nxfl === 1 && alpha === 0)) return 1 - x * pow2(1, x, n - 1);
  if (-2 * n * x * x < MINLOG) return 0;
  if (nxfl >= n - 1) return pow2(1, -x, n);
  if (n > SMIRNOV_MAX_COMPUTE_N) {
    const logp = -((6.0 * n * x + 1) ** 2) / 18.0 / n;
    return logp < -Math.LN2 ? Math.exp(logp) : 1 - -Math.expm1(logp);
  }

  const nUpperTerms = n - n1mxceil + 1;
  const useUpperSum =
    (nUpperTerms <= 1 && x < 0.5) ||
    (n >= SM_UPPERSUM_MIN_N && nUpperTerms <= SM_UPPER_MAX_TERMS && x <= 0.5 / Math.sqrt(n));
  if (!useUpperSum && n > FAST_MIN_N && n * x * x >= FAST_MIN_NXX) {
    return Math.min(Math.max(smirnovLowerSumFast(n, x, n1mxfl), 0), 1);
  }

  let start = 0;
  let step = 1;
  let nTerms = n1mxfl + 1;
  const vmid = Math.trunc(n / 2);
  let Aj: DoubleDouble;
  if (useUpperSum) {
    start = n;
    step = -1;
    nTerms = n - n1mxceil + 1;
    Aj = powD(ddAddNumber(ONE, x), n - 1); // xsf pow4_D(1, x, 1, 0, n - 1): division by 1 is exact
  } else {
    Aj = ddDiv(powD(ddAddNumber(ONE, -x), n), dd(x));
  }
  let AjSum = ddAdd(dd(0), Aj);
  // Binomial coefficient C(n, j) kept as significand Cman in [0.5, 1) and exponent Cexpt.
  let Cman = ddFrexp(ddMul(ONE, ddDiv(dd(n), dd(1))));
  let Cexpt = lastFrexpExponent();

  for (let j = 1; j < nTerms; j += 1) {
    const v = start + j * step;
    Aj = computeAv(n, x, v, Cman, Cexpt);
    const isNonZero = !isZero(Aj);
    if (Number.isFinite(Aj.hi) && isNonZero) AjSum = ddAdd(AjSum, Aj);
    if (isNonZero) {
      if (4 * (nTerms - j) * Math.abs(Aj.hi) < EPSILON * AjSum.hi && j !== nTerms - 1) break;
    } else if (j > vmid) {
      break;
    }
    Cman = ddFrexp(ddMul(Cman, ddDiv(dd(n - j), dd(j + 1.0))));
    Cexpt += lastFrexpExponent();
  }
  const prob = ddMulNumber(AjSum, x).hi;
  const sf = step < 0 ? 1 - prob : prob;
  return Math.min(Math.max(sf, 0), 1);
}
