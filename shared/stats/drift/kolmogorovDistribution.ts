import { kolmogorovCdfDurbin, kolmogorovCdfPomeranz } from './kolmogorovExact.js';
import { smirnovSurvival } from './smirnovDistribution.js';

// Port of scipy.stats.kstwo.sf = scipy/stats/_ksstats.py `_kolmogn(n, x, cdf=False)` plus the support
// handling of rv_continuous.sf. Region choice follows Simard & L'Ecuyer (2011).

const PI_SQUARED = Math.PI ** 2;
const PI_FOUR = Math.PI ** 4;
const PI_SIX = Math.PI ** 6;
const SQRT2PI = Math.sqrt(2 * Math.PI);
const LOG_2PI = Math.log(2 * Math.PI);
const SQRT3 = Math.sqrt(3);
const MIN_LOG = -708;
/** Stirling series coefficients B_{2j}/(2j)/(2j-1), j = 8..1 (highest power first, for Horner). */
const STIRLING_COEFFS = [
  -0.029550653594771242, 0.00641025641025641, -0.0019175269175269176, 0.0008417508417508417,
  -0.0005952380952380953, 0.0007936507936507937, -0.002777777777777778, 0.08333333333333333,
];

const clip01 = (p: number): number => Math.min(Math.max(p, 0), 1);

/** log(n! / n^n) by Stirling's series with n*log(n) removed up front (scipy `_log_nfactorial_div_n_pow_n`). */
function logNFactorialDivNPowN(n: number): number {
  const rn = 1.0 / n;
  let poly = 0;
  for (const c of STIRLING_COEFFS) poly = poly * (rn / n) + c;
  return Math.log(n) / 2 - n + LOG_2PI / 2 + rn * poly;
}

/**
 * Pelz-Good asymptotic approximation of the Kolmogorov CDF `P(D_n <= x)`.
 *
 * Starts from the Li-Chien/Korolyuk expansion `K0(z) + K1(z)/sqrt(n) + K2(z)/n + K3(z)/n^1.5` with
 * `z = x sqrt(n)` and evaluates each `K_i` through its Jacobi-theta transformed series (sums over odd
 * `m = 2k-1` of `q^(m^2)`, `q = exp(-pi^2/(8 z^2))`, by Horner in `q^8`), which converges fast for
 * small and moderate z.
 *
 * References: scipy/stats/_ksstats.py `_kolmogn_PelzGood`; Pelz & Good (1976), "Approximating the
 * lower tail-areas of the Kolmogorov-Smirnov one-sample statistic", JRSS B 38(2), 152-156.
 *
 * Edge behaviour: 0 for `x <= 0` or `z` below ~0.0417 (where `q` underflows), 1 for `x >= 1`;
 * otherwise unclipped (callers clip).
 *
 * @example kolmogorovCdfPelzGood(200000, 0.002) // 0.600049146309619 (scipy kstwo.cdf(0.002, 200000): same)
 */
export function kolmogorovCdfPelzGood(n: number, x: number): number {
  if (x <= 0.0) return 0.0;
  if (x >= 1.0) return 1.0;
  const z = Math.sqrt(n) * x;
  const zsquared = z * z;
  const zthree = z ** 3;
  const zfour = z ** 4;
  const zsix = z ** 6;
  const qlog = -PI_SQUARED / 8 / zsquared;
  if (qlog < MIN_LOG) return 0.0;
  let q = Math.exp(qlog);

  const k1a = -zsquared;
  const k1b = PI_SQUARED / 4;
  const k2a = 6 * zsix + 2 * zfour;
  const k2b = ((2 * zfour - 5 * zsquared) * PI_SQUARED) / 4;
  const k2c = (PI_FOUR * (1 - 2 * zsquared)) / 16;
  const k3d = (PI_SIX * (5 - 30 * zsquared)) / 64;
  const k3c = (PI_FOUR * (-60 * zsquared + 212 * zfour)) / 16;
  const k3b = (PI_SQUARED * (135 * zfour - 96 * zsix)) / 4;
  const k3a = -30 * zsix - 90 * z ** 8;

  let K0 = 0;
  let K1 = 0;
  let K2 = 0;
  let K3 = 0;
  const maxk = Math.ceil((16 * z) / Math.PI);
  for (let k = maxk; k > 0; k -= 1) {
    const m = 2 * k - 1;
    const msquared = m ** 2;
    const mfour = m ** 4;
    const msix = m ** 6;
    const qpower = q ** (8 * k);
    K0 = K0 * qpower + 1.0;
    K1 = K1 * qpower + (k1a + k1b * msquared);
    K2 = K2 * qpower + (k2a + k2b * msquared + k2c * mfour);
    K3 = K3 * qpower + (k3a + k3b * msquared + k3c * mfour + k3d * msix);
  }
  K0 = (K0 * q * SQRT2PI) / z;
  K1 = (K1 * q * SQRT2PI) / (6 * zfour);
  K2 = (K2 * q * SQRT2PI) / (72 * z ** 7);
  K3 = (K3 * q * SQRT2PI) / (6480 * z ** 10);

  // Remaining sums over all integers k for K2 and K3.
  q = Math.exp(-PI_SQUARED / 2 / zsquared);
  const sqrt3z = SQRT3 * z;
  let k2extra = 0;
  let k3extra = 0;
  for (let k = maxk; k > 0; k -= 1) {
    const ksquared = k * k;
    const qpwer = q ** ksquared;
    const kspi = Math.PI * k;
    k2extra += ksquared * qpwer;
    k3extra += (sqrt3z + kspi) * (sqrt3z - kspi) * ksquared * qpwer;
  }
  K2 += k2extra * ((PI_SQUARED * SQRT2PI) / (-36 * zthree));
  K3 += k3extra * ((PI_SQUARED * SQRT2PI) / (216 * zsix));
  const nf = n * 1.0;
  return 0 + K0 + K1 / nf ** 0.5 + K2 / nf + K3 / nf ** 1.5;
}

/** scipy `_kolmogn(n, x, cdf=False)` for integer n >= 1 and 0 < x < 1. */
function kolmognSurvival(n: number, x: number): number {
  if (x >= 1.0) return 0.0;
  if (x <= 0.0) return 1.0;
  const t = n * x;
  if (t <= 1.0) {
    // Ruben-Gambino: P(D_n <= x) = n!/n^n (2t - 1)^n for 1/(2n) <= x <= 1/n.
    if (t <= 0.5) return 1.0;
    let prob: number;
    if (n <= 140) {
      prob = 1;
      for (let i = 1; i <= n; i += 1) prob *= i * (1.0 / n) * (2 * t - 1);
    } else {
      prob = Math.exp(logNFactorialDivNPowN(n) + n * Math.log(2 * t - 1));
    }
    return clip01(1.0 - prob);
  }
  if (t >= n - 1) return clip01(2 * (1.0 - x) ** n); // Ruben-Gambino upper tail
  if (x >= 0.5) return clip01(2 * smirnovSurvival(n, x)); // D_n^+ and D_n^- cannot both exceed 1/2

  const nxsquared = t * x;
  if (n <= 140) {
    if (nxsquared <= 0.754693) return clip01(1.0 - clip01(kolmogorovCdfDurbin(n, x)));
    if (nxsquared <= 4) return clip01(1.0 - clip01(kolmogorovCdfPomeranz(n, x)));
    return clip01(2 * smirnovSurvival(n, x)); // Miller approximation
  }
  if (nxsquared >= 370.0) return 0.0;
  if (nxsquared >= 2.2) return clip01(2 * smirnovSurvival(n, x));
  const cdf =
    n <= 100000 && n * x ** 1.5 <= 1.4 ? clip01(kolmogorovCdfDurbin(n, x)) : kolmogorovCdfPelzGood(n, x);
  return clip01(1.0 - cdf);
}

/**
 * Survival function of the two-sided one-sample Kolmogorov-Smirnov statistic for a finite sample,
 * `P(D_n >= d)` with `D_n = sup_x |F_n(x) - F(x)|`; equals `scipy.stats.kstwo.sf(d, n)`.
 *
 * Algorithm (Simard & L'Ecuyer's region map, as in scipy `_kolmogn`): with t = n d,
 * - t <= 1 or t >= n - 1: Ruben-Gambino closed forms;
 * - d >= 1/2: `2 * smirnov(n, d)` (exact, the one-sided events are disjoint);
 * - n <= 140: Durbin matrix (Marsaglia-Tsang-Wang) for n d^2 <= 0.754693, Pomeranz recursion for
 *   n d^2 <= 4, else `2 * smirnov(n, d)`;
 * - n > 140: 0 for n d^2 >= 370, `2 * smirnov(n, d)` for n d^2 >= 2.2, else 1 - CDF with the CDF
 *   from Durbin/MTW when n <= 100000 and n d^1.5 <= 1.4, otherwise from Pelz-Good.
 * All branches are ported operation for operation (bit-identical to scipy in most cases) except
 * `smirnov` for n > 1000, n d^2 >= 2, whose O(n) exact sum is replaced by an O(1) subsampled
 * log-space sum (smirnovFastSum.ts; ~1e-15 relative typical, <= ~2e-13 near underflow).
 *
 * References: scipy/stats/_ksstats.py (`_kolmogn`), scipy/stats/_continuous_distns.py (`kstwo_gen`);
 * Simard & L'Ecuyer (2011), "Computing the two-sided Kolmogorov-Smirnov distribution", J. Stat.
 * Softw. 39(11); Durbin (1973); Marsaglia, Tsang & Wang (2003); Pomeranz (1974); Pelz & Good (1976).
 *
 * Edge behaviour: 1 for `d <= 0.5/n` (the support's lower end), 0 for `d >= 1`, NaN when `d` or `n`
 * is NaN or `n` is not an integer >= 1 (scipy's bad-argument value). Result clipped to [0, 1].
 *
 * @example kolmogorovSurvival(0.2, 50) // 0.03143877776953241 (scipy kstwo.sf(0.2, 50): same)
 */
export function kolmogorovSurvival(d: number, n: number): number {
  if (Number.isNaN(d) || !(n >= 1 && Number.isInteger(n))) return Number.NaN;
  if (d <= 0.5 / n) return 1.0;
  if (d >= 1.0) return 0.0;
  return kolmognSurvival(n, d);
}
