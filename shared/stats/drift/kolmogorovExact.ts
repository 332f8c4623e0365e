import { ldexp } from './doubleDouble.js';

// Exact finite-n algorithms for the two-sided one-sample Kolmogorov distribution, ported from
// scipy/stats/_ksstats.py (`_kolmogn_DMTW`, `_kolmogn_Pomeranz`). Both return the CDF P(D_n <= d).

const EP128 = 2 ** 128;
const EM128 = 2 ** -128;

/** C = A * B for square m x m row-major matrices. */
function matmul(a: Float64Array, b: Float64Array, m: number): Float64Array {
  const c = new Float64Array(m * m);
  for (let i = 0; i < m; i += 1) {
    const row = i * m;
    for (let k = 0; k < m; k += 1) {
      const aik = a[row + k]!;
      if (aik === 0) continue;
      const bRow = k * m;
      for (let j = 0; j < m; j += 1) c[row + j]! += aik * b[bRow + j]!;
    }
  }
  return c;
}

/** r = r * B for a row vector r of length m. */
function vecmat(r: Float64Array, b: Float64Array, m: number): Float64Array {
  const out = new Float64Array(m);
  for (let k = 0; k < m; k += 1) {
    const rk = r[k]!;
    if (rk === 0) continue;
    const bRow = k * m;
    for (let j = 0; j < m; j += 1) out[j]! += rk * b[bRow + j]!;
  }
  return out;
}

/**
 * Kolmogorov CDF `P(D_n <= d)` by Durbin's matrix algorithm as organised by Marsaglia, Tsang and
 * Wang: with `d = (k - h)/n` (k integer, 0 <= h < 1) build the (2k-1) x (2k-1) matrix H and return
 * `n!/n^n * (H^n)[k-1][k-1]`, squaring H with binary-exponent rescaling to avoid overflow.
 * Only row k-1 of the running product is kept (a vector-matrix product), which gives the same entry
 * as scipy's full matrix product. Cost O(k^3 log n), memory O(k^2).
 *
 * References: scipy/stats/_ksstats.py `_kolmogn_DMTW`; Durbin (1973), "Distribution Theory for
 * Tests Based on the Sample Distribution Function", SIAM; Marsaglia, Tsang & Wang (2003),
 * "Evaluating Kolmogorov's Distribution", J. Stat. Softw. 8(18).
 *
 * Edge behaviour: returns 1 for `d >= 1` and 0 for `n*d <= 0.5`. Result is not clipped.
 *
 * @example kolmogorovCdfDurbin(10, 0.274) // 0.6284796154565043 (scipy kstwo.cdf(0.274, 10): same)
 */
export function kolmogorovCdfDurbin(n: number, d: number): number {
  if (d >= 1.0) return 1.0;
  const nd = n * d;
  if (nd <= 0.5) return 0.0;
  const k = Math.ceil(nd);
  const h = k - nd;
  const m = 2 * k - 1;

  const v = new Float64Array(m);
  const w = new Float64Array(m);
  let fac = 1.0;
  for (let j = 1; j <= m; j += 1) {
    w[j - 1] = fac;
    fac /= j;
    v[j - 1] = (1.0 - h ** j) * fac;
  }
  const tt = Math.max(2 * h - 1.0, 0) ** m - 2 * h ** m;
  v[m - 1] = (1.0 + tt) * fac;

  let H: Float64Array = new Float64Array(m * m);
  for (let i = 1; i < m; i += 1) {
    for (let r = i - 1; r < m; r += 1) H[r * m + i] = w[r - i + 1]!;
  }
  for (let r = 0; r < m; r += 1) H[r * m] = v[r]!;
  for (let c = 0; c < m; c += 1) H[(m - 1) * m + c] = v[m - 1 - c]!;

  // Row k-1 of the running power (scipy keeps the whole matrix; only this row is ever read).
  let row: Float64Array = new Float64Array(m);
  row[k - 1] = 1;
  let nn = n;
  let expnt = 0;
  let Hexpnt = 0;
  const center = (k - 1) * m + (k - 1);
  while (nn > 0) {
    if (nn % 2 === 1) {
      row = vecmat(row, H, m);
      expnt += Hexpnt;
    }
    nn = Math.floor(nn / 2);
    if (nn === 0) break;
    H = matmul(H, H, m);
    Hexpnt *= 2;
    if (Math.abs(H[center]!) > EP128) {
      for (let i = 0; i < H.length; i += 1) H[i]! /= EP128;
      Hexpnt += 128;
    }
  }
  let p = row[k - 1]!;
  for (let i = 1; i <= n; i += 1) {
    p = (i * p) / n;
    if (Math.abs(p) < EM128) {
      p *= EP128;
      expnt -= 128;
    }
  }
  return expnt === 0 ? p : ldexp(p, expnt);
}

/** Endpoints [j1, j2] of the non-zero window of Pomeranz row i (scipy `_pomeranz_compute_j1j2`). */
function pomeranzWindow(i: number, n: number, ll: number, ceilf: number, roundf: number): [number, number] {
  let j1: number;
  let j2: number;
  if (i === 0) {
    j1 = -ll - ceilf - 1;
    j2 = ll + ceilf - 1;
  } else {
    const ip1div2 = Math.floor((i + 1) / 2);
    if ((i + 1) % 2 === 0) {
      if (ip1div2 === n + 1) {
        j1 = n - ll - ceilf - 1;
        j2 = n + ll + ceilf - 1;
      } else {
        j1 = ip1div2 - 1 - ll - roundf - 1;
        j2 = ip1div2 + ll - 1 + ceilf - 1;
      }
    } else {
      j1 = ip1div2 - 1 - ll - 1;
      j2 = ip1div2 + ll + roundf - 1;
    }
  }
  return [Math.max(j1 + 2, 0), Math.min(j2, n)];
}

/**
 * Kolmogorov CDF `P(D_n <= d)` by Pomeranz's recursion: 2n+1 rows, each a truncated convolution of
 * the previous row with one of three scaled Poisson weight vectors ((g/n)^m/m!, (2g/n)^m/m!,
 * ((1-2g)/n)^m/m! with g = min(f, 1-f), f = frac(n d)), keeping only the non-zero window and
 * rescaling by 2^128 against underflow; the answer is n! times the final entry.
 *
 * References: scipy/stats/_ksstats.py `_kolmogn_Pomeranz`; Pomeranz (1974), "Exact cumulative
 * distribution of the Kolmogorov-Smirnov statistic for small samples (Algorithm 487)", CACM 17(12);
 * Simard & L'Ecuyer (2011), J. Stat. Softw. 39(11).
 *
 * Edge behaviour: intended for 1/n < d < 1 and moderate n (scipy uses it for n <= 140,
 * 0.754693 < n d^2 <= 4). Result is not clipped.
 *
 * @example kolmogorovCdfPomeranz(10, 0.4) // 0.9410107548000007 (scipy kstwo.cdf(0.4, 10): same)
 */
export function kolmogorovCdfPomeranz(n: number, x: number): number {
  const t = n * x;
  const ll = Math.floor(t);
  const f = 1.0 * (t - ll);
  const g = Math.min(f, 1.0 - f);
  const ceilf = f > 0 ? 1 : 0;
  const roundf = f > 0.5 ? 1 : 0;
  const npwrs = 2 * (ll + 1);
  const gpower = new Float64Array(npwrs);
  const twogpower = new Float64Array(npwrs);
  const onem2gpower = new Float64Array(npwrs);
  gpower[0] = 1.0;
  twogpower[0] = 1.0;
  onem2gpower[0] = 1.0;
  let expnt = 0;
  const gOverN = g / n;
  const twoGOverN = (2 * g) / n;
  const oneMinusTwoGOverN = (1 - 2 * g) / n;
  for (let m = 1; m < npwrs; m += 1) {
    gpower[m] = (gpower[m - 1]! * gOverN) / m;
    twogpower[m] = (twogpower[m - 1]! * twoGOverN) / m;
    onem2gpower[m] = (onem2gpower[m - 1]! * oneMinusTwoGOverN) / m;
  }

  let V0 = new Float64Array(npwrs);
  let V1 = new Float64Array(npwrs);
  V1[0] = 1;
  let V0s = 0;
  let V1s = 0;
  let [j1, j2] = pomeranzWindow(0, n, ll, ceilf, roundf);
  for (let i = 1; i < 2 * n + 2; i += 1) {
    const k1 = j1;
    [V0, V1] = [V1, V0];
    [V0s, V1s] = [V1s, V0s];
    V1.fill(0.0);
    [j1, j2] = pomeranzWindow(i, n, ll, ceilf, roundf);
    const pwrs = i === 1 || i === 2 * n + 1 ? gpower : i % 2 === 1 ? twogpower : onem2gpower;
    const ln2 = j2 - k1 + 1;
    if (ln2 > 0) {
      // conv = np.convolve(V0[k1 - V0s : k1 - V0s + ln2], pwrs[:ln2]); keep conv[j1-k1 : j2-k1+1].
      const base = k1 - V0s;
      const convStart = j1 - k1;
      const convLen = j2 - j1 + 1;
      let vmax = 0;
      for (let c = 0; c < convLen; c += 1) {
        const idx = convStart + c;
        let acc = 0;
        for (let a = Math.max(0, idx - ln2 + 1); a <= Math.min(idx, ln2 - 1); a += 1) {
          acc += V0[base + a]! * pwrs[idx - a]!;
        }
        V1[c] = acc;
        if (acc > vmax) vmax = acc;
      }
      if (vmax > 0 && vmax < EM128) {
        for (let c = 0; c < convLen; c += 1) V1[c]! *= EP128;
        expnt -= 128;
      }
      V1s = V0s + j1 - k1;
    }
  }
  let ans = V1[n - V1s]!;
  for (let m = 1; m <= n; m += 1) {
    if (Math.abs(ans) > EP128) {
      ans *= EM128;
      expnt += 128;
    }
    ans *= m;
  }
  return expnt === 0 ? ans : ldexp(ans, expnt);
}
