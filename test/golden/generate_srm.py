#!/usr/bin/python3
"""Golden values for the sample ratio mismatch p-value, from scipy.

Run from the repository root with Debian's python (numpy, scipy):
    /usr/bin/python3 test/golden/generate_srm.py
Writes test/golden/srm.json, read by test/shared/stats/lift/sampleRatioMismatch.test.ts.

For treatment units nt, control units nc and planned treatment share s, N = nt + nc:
  pValue = scipy.stats.chisquare([nt, nc], [N * s, N * (1 - s)]).pvalue
(Pearson's chi-squared goodness of fit, 1 degree of freedom). liftwatch reports 0 below the smallest normal
double, where scipy may still return a subnormal: `expected` is then 0 and `scipy` keeps scipy's value.
`exact` is the same p-value in 50-digit mpmath, erfc(sqrt(X^2 / 2)) with X^2 = (nt - N s)^2 / (N s (1 - s))
for the double s exactly (scipy rounds N s, which moves p by up to ~3e-12 relative near 1e-300).
Cases: tiny arms (1 and 2 units), very unequal planned shares (0.999, 0.001), exact matches (p = 1), a sweep of
imbalances down to p ~ 1e-300 and below the normal range, and random campaigns of realistic sizes.
"""
import json
import pathlib
import sys

import mpmath
import numpy as np
import scipy
from scipy.stats import chisquare

OUT = pathlib.Path(__file__).with_name("srm.json")
SMALLEST_NORMAL = sys.float_info.min


def case(name, nt, nc, share):
    total = nt + nc
    p = float(chisquare([nt, nc], [total * share, total * (1 - share)]).pvalue)
    s = mpmath.mpf(share)
    statistic = (mpmath.mpf(nt) - total * s) ** 2 / (total * s * (1 - s))
    exact = float(mpmath.erfc(mpmath.sqrt(statistic / 2)))
    return {
        "name": name,
        "treatmentUnits": int(nt),
        "controlUnits": int(nc),
        "plannedTreatmentShare": share,
        "scipy": p,
        "expected": p if p >= SMALLEST_NORMAL else 0.0,
        "exact": exact if exact >= SMALLEST_NORMAL else 0.0,
    }


def cases():
    out = []
    for nt, nc, share in [(1, 1, 0.5), (1, 2, 0.5), (2, 1, 0.5), (1, 0, 0.5), (0, 1, 0.5), (2, 0, 0.9),
                          (1, 1, 0.999), (1, 1, 0.001), (2, 1, 0.999), (1, 2, 0.001), (1, 0, 0.999),
                          (0, 1, 0.001), (1, 0, 0.001)]:
        out.append(case(f"tiny arms {nt}/{nc} at s = {share}", nt, nc, share))
    for nt, nc, share in [(500, 500, 0.5), (750, 250, 0.75), (9, 3, 0.75), (1, 3, 0.25),
                          (90, 10, 0.9), (900, 100, 0.9), (999, 1, 0.999), (1, 999, 0.001),
                          (999000, 1000, 0.999), (45000, 5000, 0.9)]:
        out.append(case(f"exact match {nt}/{nc} at s = {share}", nt, nc, share))
    for share in (0.999, 0.001, 0.9, 0.1, 0.5):
        total = 1_000_000
        expected = total * share
        sd = (total * share * (1 - share)) ** 0.5
        for z in (0.5, 1, 2, 3, 5, 10, 20, 30, 36, 37, 37.5, 38, 40):
            nt = int(round(expected + z * sd))
            if 0 <= nt <= total:
                out.append(case(f"N = 1e6, s = {share}, treatment {z} sd high", nt, total - nt, share))
            nt = int(round(expected - z * sd))
            if 0 <= nt <= total:
                out.append(case(f"N = 1e6, s = {share}, treatment {z} sd low", nt, total - nt, share))
    # p around 1e-300: chi2 = 1375.8 at N = 1e7, s = 0.5.
    for excess in range(58_600, 59_800, 100):
        out.append(case(f"N = 1e7, s = 0.5, treatment {excess} high", 5_000_000 + excess, 5_000_000 - excess, 0.5))
    rng = np.random.default_rng(20261201)
    for i in range(200):
        share = float(rng.choice([0.5, 0.9, 0.8, 0.95, 0.99, 0.999, 0.1, 0.01, 0.001, rng.uniform(0.01, 0.99)]))
        total = int(rng.choice([10, 100, 1000, 30_000, 1_000_000]))
        # Mostly correct randomization, some with a broken arm.
        bias = float(rng.choice([1.0, 1.0, 1.0, 0.98, 0.95, 0.8]))
        nt = int(rng.binomial(total, share * bias / (share * bias + 1 - share)))
        out.append(case(f"random {i}", nt, total - nt, share))
    return out


mpmath.mp.dps = 50


def main():
    out = {
        "generator": "test/golden/generate_srm.py",
        "numpy": np.__version__,
        "scipy": scipy.__version__,
        "mpmath": mpmath.__version__,
        "cases": cases(),
    }
    OUT.write_text(json.dumps(out, separators=(",", ":")) + "\n")
    print(f"wrote {OUT} ({len(out['cases'])} cases)")


if __name__ == "__main__":
    main()
