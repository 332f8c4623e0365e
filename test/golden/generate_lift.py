#!/usr/bin/python3
"""Golden values for the campaign-level lift statistics, from statsmodels, scipy and numpy.

Run from the repository root with Debian's python (numpy, scipy, statsmodels):
    /usr/bin/python3 test/golden/generate_lift.py
Writes test/golden/lift.json, read by test/shared/stats/lift/lift.test.ts.

Per campaign: realized lift r = x_t/n_t - x_c/n_c and its 95% Newcombe hybrid score interval,
statsmodels.stats.proportion.confint_proportions_2indep(x_t, n_t, x_c, n_c, method='newcomb',
compare='diff', alpha=0.05). Across campaigns, with n_i the treatment units and p_i the predicted lift:
  liftRatio = sum n_i r_i / sum n_i p_i, interval [sum n_i r_i -+ z sqrt(V)] / sum n_i p_i with
      V = sum n_i^2 (pt(1-pt)/nt + pc(1-pc)/nc) and z = scipy.stats.norm.isf(0.025); null if sum n_i p_i <= 0
  liftBias = sum n_i (r_i - p_i) / sum n_i
  meanAbsoluteMiss = sum n_i |r_i - p_i| / sum n_i
  intervalCoverage = share of campaigns with a predicted interval [lower, upper] (closed) containing r_i
  rankCorrelation = scipy.stats.spearmanr(p, r).statistic (null when nan: one campaign, a constant vector)
  significantMissRate = share of campaigns with p_i outside r_i's Newcombe interval
Before writing, the script checks statsmodels against the published Newcombe (1998) and Wilson values
(stats-references.md section 3.3, N-1..N-3, N-6, N-7).
"""
import json
import math
import pathlib

import numpy as np
import scipy
import statsmodels
from scipy.stats import norm, spearmanr
from statsmodels.stats.proportion import confint_proportions_2indep, proportion_confint

OUT = pathlib.Path(__file__).with_name("lift.json")
Z = float(norm.isf(0.025))

# (x1, n1, x2, n2, published lower, published upper, tolerance), stats-references.md 3.3.
NEWCOMBE_PUBLISHED = [
    (56, 70, 48, 80, 0.0524, 0.3339, 1e-4),  # N-1, propint, "results reported in Newcombe1998"
    (9, 10, 3, 10, 0.1705, 0.8090, 1e-4),  # N-2
    (7, 34, 1, 34, 0.019, 0.340, 0.005),  # N-3, statsmodels test_confint_2indep (Fagerland et al. 2015)
    (56, 70, 48, 80, 0.052431, 0.333873, 1e-6),  # N-7 [DER]
    (9, 10, 3, 10, 0.170523, 0.809018, 1e-6),
    (7, 34, 1, 34, 0.018921, 0.340369, 1e-6),
    (5, 56, 0, 29, -0.038137, 0.192560, 1e-6),
    (6, 7, 2, 7, 0.058228, 0.806250, 1e-6),
    (0, 10, 0, 20, -0.161125, 0.277533, 1e-6),
    (10, 10, 0, 20, 0.679086, 1.000000, 1e-6),
]
WILSON_PUBLISHED = [(81, 263, 0.2553, 0.3662), (15, 148, 0.0624, 0.1605)]  # N-6, propint, +-1e-4


def assert_published_values():
    for x1, n1, x2, n2, lower, upper, tol in NEWCOMBE_PUBLISHED:
        low, upp = confint_proportions_2indep(x1, n1, x2, n2, method="newcomb", compare="diff", alpha=0.05)
        assert abs(low - lower) <= tol and abs(upp - upper) <= tol, (x1, n1, x2, n2, low, upp)
    for x, n, lower, upper in WILSON_PUBLISHED:
        low, upp = proportion_confint(x, n, alpha=0.05, method="wilson")
        assert abs(low - lower) <= 1e-4 and abs(upp - upper) <= 1e-4, (x, n, low, upp)


def campaign(campaign_id, predicted, t, c, interval=None):
    out = {
        "campaignId": campaign_id,
        "predictedLift": float(predicted),
        "treatment": {"units": int(t[1]), "conversions": int(t[0])},
        "control": {"units": int(c[1]), "conversions": int(c[0])},
    }
    if interval is not None:
        out["predictedLiftInterval"] = {"lower": float(interval[0]), "upper": float(interval[1])}
    return out


def none_if_nan(value):
    value = float(value)
    return None if math.isnan(value) else value


def expected(campaigns):
    xt = np.array([c["treatment"]["conversions"] for c in campaigns], dtype=np.float64)
    nt = np.array([c["treatment"]["units"] for c in campaigns], dtype=np.float64)
    xc = np.array([c["control"]["conversions"] for c in campaigns], dtype=np.float64)
    nc = np.array([c["control"]["units"] for c in campaigns], dtype=np.float64)
    p = np.array([c["predictedLift"] for c in campaigns], dtype=np.float64)
    pt, pc = xt / nt, xc / nc
    r = pt - pc
    bounds = [confint_proportions_2indep(a, b, d, e, method="newcomb", compare="diff", alpha=0.05)
              for a, b, d, e in zip(xt, nt, xc, nc)]
    lower = np.array([float(b[0]) for b in bounds])
    upper = np.array([float(b[1]) for b in bounds])

    realized_total = float(np.sum(nt * r))
    predicted_total = float(np.sum(nt * p))
    sd = math.sqrt(float(np.sum(nt ** 2 * (pt * (1 - pt) / nt + pc * (1 - pc) / nc))))
    if predicted_total > 0:
        ratio = (realized_total / predicted_total,
                 (realized_total - Z * sd) / predicted_total,
                 (realized_total + Z * sd) / predicted_total)
    else:
        ratio = (None, None, None)

    with_interval = [(c["predictedLiftInterval"], ri) for c, ri in zip(campaigns, r) if "predictedLiftInterval" in c]
    coverage = (sum(1 for i, ri in with_interval if i["lower"] <= ri <= i["upper"]) / len(with_interval)
                if with_interval else None)
    if len(campaigns) >= 2:
        import warnings
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # scipy warns on a constant input, then returns nan
            rank = none_if_nan(spearmanr(p, r).statistic)
    else:
        rank = None
    return {
        "campaigns": len(campaigns),
        "liftRatio": ratio[0],
        "liftRatioLower": ratio[1],
        "liftRatioUpper": ratio[2],
        "realizedIncrementalConversions": realized_total,
        "predictedIncrementalConversions": predicted_total,
        "liftBias": float(np.sum(nt * (r - p)) / np.sum(nt)),
        "meanAbsoluteMiss": float(np.sum(nt * np.abs(r - p)) / np.sum(nt)),
        "intervalCoverage": coverage,
        "rankCorrelation": rank,
        "significantMissRate": float(np.mean((p < lower) | (p > upper))),
        "perCampaign": [
            {
                "campaignId": c["campaignId"],
                "treatmentUnits": int(c["treatment"]["units"]),
                "controlUnits": int(c["control"]["units"]),
                "predictedLift": c["predictedLift"],
                "realizedLift": float(ri),
                "realizedLiftLower": float(lo),
                "realizedLiftUpper": float(up),
            }
            for c, ri, lo, up in zip(campaigns, r, lower, upper)
        ],
    }


def realistic(rng, count, with_intervals=0.7, bias=0.0, noise=0.01):
    out = []
    for i in range(count):
        units = int(rng.integers(200, 20000))
        control_share = float(rng.uniform(0.1, 0.5))
        nc = max(1, int(units * control_share))
        nt = max(1, units - nc)
        base = float(rng.uniform(0.01, 0.2))
        true_lift = float(rng.normal(0.02, 0.015))
        predicted = true_lift + bias + float(rng.normal(0, noise))
        xt = int(rng.binomial(nt, min(max(base + true_lift, 0.0), 1.0)))
        xc = int(rng.binomial(nc, base))
        interval = None
        if rng.uniform() < with_intervals:
            half = float(rng.uniform(0.005, 0.04))
            interval = (predicted - half, predicted + half)
        out.append(campaign(f"c{i:05d}", predicted, (xt, nt), (xc, nc), interval))
    return out


def cases():
    rng = np.random.default_rng(20261126)
    published = [campaign(f"N-{k}", 0.1 * k, (x1, n1), (x2, n2))
                 for k, (x1, n1, x2, n2, *_rest) in enumerate(NEWCOMBE_PUBLISHED[3:], start=1)]
    yield "the published Newcombe cases as campaigns", published
    for c in published:
        yield f"single campaign {c['treatment']['conversions']}/{c['treatment']['units']} vs {c['control']['conversions']}/{c['control']['units']}", [c]
    yield "zero conversions in an arm", [
        campaign("a", 0.02, (0, 500), (12, 480), (0.0, 0.05)),
        campaign("b", 0.03, (25, 1000), (0, 900), (0.01, 0.04)),
        campaign("c", 0.01, (0, 300), (0, 310), (-0.01, 0.02)),
    ]
    yield "all converted in an arm", [
        campaign("a", 0.1, (200, 200), (150, 180), (0.05, 0.2)),
        campaign("b", -0.05, (40, 50), (60, 60)),
        campaign("c", 0.0, (70, 70), (70, 70), (-0.01, 0.01)),
    ]
    yield "ties in predicted lift", [
        campaign(f"t{i}", [0.02, 0.02, 0.05, 0.02, 0.05, 0.01][i], (30 + 7 * i, 1000), (20 + 3 * i, 900)) for i in range(6)
    ]
    yield "ties in realized and predicted lift", [
        campaign("a", 0.1, (20, 100), (10, 100)), campaign("b", 0.1, (20, 100), (10, 100)),
        campaign("c", 0.2, (30, 100), (10, 100)), campaign("d", 0.0, (20, 100), (10, 100)),
    ]
    yield "constant predicted lift", [campaign(f"k{i}", 0.03, (50 + i, 1000), (40, 1000), (0.0, 0.06)) for i in range(5)]
    yield "negative predicted lift overall (ratio undefined)", [
        campaign("a", -0.02, (40, 1000), (55, 1000), (-0.04, 0.0)),
        campaign("b", -0.01, (60, 2000), (70, 2000)),
        campaign("c", 0.005, (30, 500), (28, 500), (-0.01, 0.02)),
    ]
    yield "predicted lift summing to zero", [
        campaign("a", 0.02, (40, 1000), (20, 1000)),
        campaign("b", -0.02, (20, 1000), (40, 1000)),
    ]
    yield "campaigns without predicted intervals", [
        campaign(f"n{i}", 0.01 * (i + 1), (40 + 9 * i, 1200), (35, 1100)) for i in range(8)
    ]
    # Predicted lift set to the realized lift as float64 computes it (30/100 - 20/100 is 0.09999999999999998).
    yield "realized equals predicted", [
        campaign("a", 30 / 100 - 20 / 100, (30, 100), (20, 100), (30 / 100 - 20 / 100,) * 2),
        campaign("b", 150 / 1000 - 100 / 1000, (150, 1000), (100, 1000), (0.04, 0.06)),
        campaign("c", 60 / 80 - 40 / 80, (60, 80), (40, 80), (0.2, 0.3)),
    ]
    yield "realistic, 300 campaigns, unbiased", realistic(rng, 300)
    yield "realistic, 300 campaigns, over-predicting by one point", realistic(rng, 300, bias=0.01)
    yield "realistic, 1000 campaigns, noisy predictions", realistic(rng, 1000, noise=0.03, with_intervals=0.4)
    # Realized lift 0.01 and 0.05 against predictions of 0.03: the bias is 0, the mean absolute miss 0.02.
    yield "misses in both directions cancel in the bias", [
        campaign("under", 0.03, (600, 10000), (500, 10000)),
        campaign("over", 0.03, (1000, 10000), (500, 10000)),
    ]


def main():
    assert_published_values()
    out = {
        "generator": "test/golden/generate_lift.py",
        "numpy": np.__version__,
        "scipy": scipy.__version__,
        "statsmodels": statsmodels.__version__,
        "z": Z,
        "cases": [{"name": name, "campaigns": cs, "expected": expected(cs)} for name, cs in cases()],
    }
    OUT.write_text(json.dumps(out, separators=(",", ":")) + "\n")
    print(f"wrote {OUT} ({len(out['cases'])} cases)")


if __name__ == "__main__":
    main()
