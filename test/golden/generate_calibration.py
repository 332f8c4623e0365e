#!/usr/bin/python3
"""Golden values for the calibration statistics, computed with scikit-learn, statsmodels and scipy.

Run from the repository root: /usr/bin/python3 test/golden/generate_calibration.py
Writes test/golden/calibration.json, read by test/shared/stats/calibration/calibration.test.ts.
Needs Debian's python3-sklearn, python3-statsmodels, python3-scipy and python3-mpmath: the system python, not the
pyenv python3 on PATH (PyPI is not reachable).

Definitions follow shared/stats/calibration: p clipped to [1e-15, 1 - 1e-15] wherever a logarithm or logit is taken
(log loss is sklearn's log_loss with eps=1e-15, still a parameter in 1.2.1, checked against numpy), 10 equal-width
bins as calibration_curve(strategy='uniform'), slope from GLM(y, [1, logit p]), intercept from GLM(y, 1,
offset=logit p), Wilson intervals from proportion_confint, Spiegelhalter's z with norm.sf. Where the maximum
likelihood estimate does not exist (one outcome class, constant or separating logits) the expected slope or
intercept is null, as the TypeScript returns; statsmodels is not asked.

The O/E interval is exact (Garwood) below O = 100 conversions and the log-scale approximation from 100 on, as in
shared/stats/calibration/observedExpectedRatio.ts. The exact bounds are solved in 50-digit arithmetic (mpmath) and
checked against scipy.stats.chi2.ppf(0.025, 2 O) / 2 and chi2.ppf(0.975, 2 O + 2) / 2; the oeRatio section lists
them for a range of (O, E), with the exact bounds also where the approximation is used, so the test can bound the
approximation's error.
"""
import functools
import json
import math
import pathlib
import warnings

import mpmath
import numpy as np
import scipy
import sklearn
import statsmodels
import statsmodels.api as sm
from scipy.optimize import brentq
from scipy.special import expit
from scipy.stats import chi2, norm
from sklearn.calibration import calibration_curve
from sklearn.metrics import brier_score_loss, log_loss
from statsmodels.stats.proportion import proportion_confint

BINS = 10
CLIP = 1e-15
Z = 1.959963984540054  # norm.isf(0.025)
OE_EXACT_BELOW = 100


@functools.lru_cache(maxsize=None)
def garwood(observed):
    """The exact 95% interval of a Poisson mean from an observed count: the roots of P(O, x) = 0.025 and
    P(O + 1, x) = 0.975 (P the regularized lower incomplete gamma), in 50 digits, each within 1e-13 of scipy's
    chi2.ppf(0.025, 2 O) / 2 and chi2.ppf(0.975, 2 O + 2) / 2."""
    scipy_lower = float(chi2.ppf(0.025, 2 * observed) / 2) if observed > 0 else 0.0
    scipy_upper = float(chi2.ppf(0.975, 2 * observed + 2) / 2)
    with mpmath.workdps(50):
        def root(shape, probability, start):
            x = mpmath.findroot(lambda t: mpmath.gammainc(shape, 0, t, regularized=True) - probability, mpmath.mpf(start))
            assert abs(mpmath.gammainc(shape, 0, x, regularized=True) - probability) < mpmath.mpf(10) ** -40
            return float(x)

        lower = root(observed, mpmath.mpf(1) / 40, scipy_lower) if observed > 0 else 0.0
        upper = root(observed + 1, mpmath.mpf(39) / 40, scipy_upper)
    if observed == 0:
        assert upper == float(-mpmath.log(mpmath.mpf(1) / 40)), upper
    for exact, approximate in ((lower, scipy_lower), (upper, scipy_upper)):
        assert abs(exact - approximate) <= 1e-13 * exact, (observed, exact, approximate)
    return lower, upper


def oe_ratio(observed, predicted):
    """O/E with its 95% interval: exact (Garwood) below OE_EXACT_BELOW, exp(ln(O/E) -+ Z / sqrt(O)) from it on."""
    if predicted == 0:
        return None, None, None
    with np.errstate(over="ignore"):
        ratio = np.float64(observed) / predicted
        if observed < OE_EXACT_BELOW:
            lower, upper = garwood(observed)
            bounds = (np.float64(lower) / predicted, np.float64(upper) / predicted)
        else:
            half_width = Z / np.sqrt(observed)
            bounds = (np.exp(np.log(ratio) - half_width), np.exp(np.log(ratio) + half_width))
    return tuple(finite_or_none(v) for v in (ratio, *bounds))


def finite_or_none(value):
    """The value, or None where it overflows (as the TypeScript returns null)."""
    return float(value) if math.isfinite(value) else None


def logit_of(p):
    clipped = np.clip(p, CLIP, 1 - CLIP)
    return np.log(clipped / (1 - clipped))


def mle_failure(x, y):
    """Why the joint logistic fit of y on x has no maximum likelihood estimate, or None."""
    if y.sum() == 0:
        return "all outcomes are 0"
    if y.sum() == y.size:
        return "all outcomes are 1"
    if x.min() == x.max():
        return "predictions are constant"
    if x[y == 0].max() <= x[y == 1].min() or x[y == 1].max() <= x[y == 0].min():
        return "outcomes are separated by the predictions"
    return None


def joint_fit(x, y):
    """Slope of the GLM Binomial of y on [1, x] by statsmodels IRLS (deviance change 1e-13), checked against a Newton
    Logit fit. Its standard error is the inverse Fisher information at the estimate, from the Newton Logit fit (GLM's
    bse uses the weights of the iteration before the last, ~1e-5 off when IRLS stops early)."""
    exog = np.column_stack([np.ones(x.size), x])
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        result = sm.GLM(y, exog, family=sm.families.Binomial()).fit(tol=1e-13, maxiter=200)
        newton = sm.Logit(y, exog).fit(method="newton", tol=1e-14, maxiter=200, disp=0)
    assert np.allclose(result.params, newton.params, rtol=1e-10, atol=1e-12), (result.params, newton.params)
    return float(result.params[1]), float(newton.bse[1])


def offset_score(a, x, y):
    """sum(y - expit(a + x)), each residual split into y - round(mu) and round(mu) - mu so that residuals within 1e-15
    of 0 (confident predictions, right or wrong) are not lost to the rounding of 1 - 1e-15."""
    eta = a + x
    up = eta > 0
    return float(np.sum(y - up) + np.sum(np.where(up, expit(-eta), -expit(eta))))


def offset_fit(x, y):
    """Intercept of y with x as offset: statsmodels GLM, checked against the root of the score.

    statsmodels' IRLS overflows when offsets reach +-34.5 (p clipped at 0 or 1) and returns nonsense (9426.875 on the
    CC-4 data) or loses digits to the rounding of residuals 1 - 1e-15; where it is more than 1e-12 off the root of
    the score by brentq, the root is the expected value instead. Up to 300 pairs the root is also checked in 50-digit
    arithmetic. The standard error is 1 / sqrt(sum mu (1 - mu)) at the estimate, the inverse Fisher information.
    """
    root = brentq(offset_score, -100, 100, args=(x, y), xtol=1e-15, rtol=4 * np.finfo(float).eps)
    if x.size <= 300:
        with mpmath.workdps(50):
            xs = [mpmath.mpf(float(v)) for v in x]
            score = lambda a: sum(yi - 1 / (1 + mpmath.exp(-(a + xi))) for xi, yi in zip(xs, y))
            information = lambda a: sum(1 / (1 + mpmath.exp(-(a + xi))) / (1 + mpmath.exp(a + xi)) for xi in xs)
            exact = mpmath.mpf(root)
            for _ in range(5):
                exact += score(exact) / information(exact)
            assert abs(float(exact) - root) <= 1e-13 * (1 + abs(root)), (float(exact), root)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        result = sm.GLM(y, np.ones((x.size, 1)), family=sm.families.Binomial(), offset=x).fit(tol=1e-13, maxiter=200)
    agrees = abs(result.params[0] - root) <= 1e-12 * (1 + abs(root))
    intercept = float(result.params[0]) if agrees else root
    mu = expit(intercept + x)
    source = "statsmodels GLM" if agrees else "root of the score (statsmodels IRLS more than 1e-12 off)"
    return intercept, float(1 / np.sqrt(np.sum(mu * (1 - mu)))), source


def expected(p, y):
    p = np.asarray(p, dtype=np.float64)
    y = np.asarray(y, dtype=np.float64)
    n = p.size
    observed, predicted = y.sum(), p.sum()

    oe = oe_ratio(int(observed), float(predicted))

    clipped = np.clip(p, CLIP, 1 - CLIP)
    numpy_log_loss = float(-np.mean(y * np.log(clipped) + (1 - y) * np.log(1 - clipped)))
    sklearn_log_loss = float(log_loss(y, p, eps=CLIP, labels=[0, 1]))
    assert abs(numpy_log_loss - sklearn_log_loss) <= 1e-13 * max(1.0, numpy_log_loss), (numpy_log_loss, sklearn_log_loss)

    edges = np.linspace(0, 1, BINS + 1)
    ids = np.searchsorted(edges[1:-1], p)
    counts = np.bincount(ids, minlength=BINS)
    positives = np.bincount(ids, weights=y, minlength=BINS)
    prob_true, prob_pred = calibration_curve(y, p, n_bins=BINS, strategy="uniform")
    occupied = np.flatnonzero(counts)
    lower, upper = proportion_confint(positives[occupied], counts[occupied], alpha=0.05, method="wilson")
    bins = [
        {
            "lower": float(edges[b]),
            "upper": float(edges[b + 1]),
            "count": int(counts[b]),
            "meanPrediction": float(prob_pred[k]),
            "observedRate": float(prob_true[k]),
            "observedRateLower": float(lower[k]),
            "observedRateUpper": float(upper[k]),
        }
        for k, b in enumerate(occupied)
    ]
    ece = float(np.sum(counts[occupied] / n * np.abs(prob_true - prob_pred)))

    x = logit_of(p)
    slope_failure = mle_failure(x, y)
    slope, slope_se = joint_fit(x, y) if slope_failure is None else (None, None)
    intercept_failure = slope_failure if y.min() == y.max() else None
    intercept, intercept_se, intercept_source = offset_fit(x, y) if intercept_failure is None else (None, None, None)

    spread = 1 - 2 * p
    variance = float(np.sum(spread**2 * p * (1 - p)))
    z = float(np.sum((y - p) * spread) / np.sqrt(variance)) if variance > 0 else None

    return {
        "n": int(n),
        "positives": int(observed),
        "meanPrediction": float(predicted / n),
        "observedRate": float(observed / n),
        "oeRatio": oe[0],
        "oeRatioLower": oe[1],
        "oeRatioUpper": oe[2],
        "brier": float(brier_score_loss(y, p, pos_label=1)),
        "logLoss": sklearn_log_loss,
        "ece": ece,
        "bins": bins,
        "calibrationSlope": slope,
        "calibrationSlopeStandardError": slope_se,
        "calibrationIntercept": intercept,
        "calibrationInterceptStandardError": intercept_se,
        "spiegelhalterZ": z,
        "spiegelhalterPValue": float(2 * norm.sf(abs(z))) if z is not None else None,
        "fitReason": intercept_failure or slope_failure,
        "interceptSource": intercept_source,
    }


def bernoulli(rng, probability):
    return (rng.uniform(size=probability.size) < probability).astype(np.float64)


def cases():
    rng = np.random.default_rng(20261127)
    p = rng.beta(2, 5, 2000)
    yield "well calibrated, beta(2, 5), N = 2000", p, bernoulli(rng, p)
    p = rng.beta(2, 3, 3000)
    yield "over-confident: true log-odds 0.6 logit(p), slope < 1", p, bernoulli(rng, expit(0.6 * logit_of(p)))
    p = rng.beta(2, 8, 3000)
    yield "under-predicting: true log-odds 0.8 + logit(p), intercept > 0", p, bernoulli(rng, expit(0.8 + logit_of(p)))
    p = rng.uniform(0.05, 0.95, 30)
    yield "small N = 30", p, bernoulli(rng, p)
    p = np.tile(np.linspace(0, 1, 11), 20)
    yield "predictions exactly on the bin edges 0.0, 0.1, ..., 1.0", p, bernoulli(rng, np.clip(p, 0.1, 0.9))
    p = np.concatenate([np.zeros(40), np.ones(40), rng.uniform(0, 1, 120), [1e-16, 1 - 1e-16, 5e-16, 1 - 5e-16]])
    y = bernoulli(rng, np.clip(p, 0.05, 0.95))
    y[:3] = 1  # confident misses: p = 0 with y = 1 and p = 1 with y = 0 cost ln(1e15) each after clipping
    y[40:43] = 0
    yield "predictions exactly 0 and 1, and within 1e-15 of them (clipping)", p, y
    p = np.round(rng.beta(2, 6, 1500), 2)
    yield "ties: predictions rounded to 2 decimals", p, bernoulli(rng, p)
    p = rng.beta(1.5, 6, 20000)
    yield "N = 20000, slightly miscalibrated", p, bernoulli(rng, expit(0.1 + 0.9 * logit_of(p)))
    p = rng.beta(1, 30, 400)
    y = np.zeros(400)
    y[rng.choice(400, 3, replace=False)] = 1
    yield "rare positives, O = 3", p, y
    p = rng.uniform(0.01, 0.5, 50)
    yield "all outcomes 0: no fit, O/E 0 with the exact Poisson upper bound", p, np.zeros(50)
    p = rng.uniform(0.5, 0.99, 50)
    yield "all outcomes 1: no fit", p, np.ones(50)
    p = np.array([0.1, 0.2, 0.3, 0.6, 0.7, 0.9])
    yield "outcomes separated by the predictions: no slope", p, np.array([0, 0, 0, 1, 1, 1])
    p = np.array([0.1, 0.2, 0.3, 0.3, 0.7, 0.9])
    yield "outcomes quasi-separated at a tie: no slope", p, np.array([0, 0, 0, 1, 1, 1])
    p = rng.uniform(0, 1, 2000)
    y = (p > 0.5).astype(float)
    y[np.argmin(np.abs(p - 0.6))] = 0
    yield "nearly separated by one misplaced outcome: slope ~ 50", p, y
    yield "constant predictions: no slope", np.full(40, 0.3), bernoulli(rng, np.full(40, 0.3))
    yield "every prediction 0.5: no Spiegelhalter z", np.full(12, 0.5), np.array([1, 0] * 6)
    yield "every prediction 0: O/E undefined", np.zeros(10), np.array([0, 1] * 5)
    cs = [0.01, 0.01, 0.24, 0.22, 0.02, 0.1, 0.03, 0.12, 0.04, 0.01]
    yield "stats-references CS-1 / SZ-1 data", cs, [0, 1, 1, 0, 0, 0, 0, 0, 0, 0]
    cs2 = [0.1, 0.2, 0.3, 0.35, 0.5, 0.55, 0.6, 0.7, 0.8, 0.9]
    yield "stats-references CS-2 / SZ-2 / ECE-9 data", cs2, [0, 0, 1, 0, 1, 1, 0, 1, 1, 1]
    yield "stats-references CC-4 / SZ-3 data", [0.1, 0.2, 0.3, 0.4, 0.65, 0.7, 0.8, 0.9, 1.0], [0, 0, 0, 1, 1, 1, 1, 1, 1]
    yield "stats-references B-1 data", [0.1, 0.8, 0.9, 0.3, 1.0, 0.95], [0, 1, 1, 0, 1, 1]
    p = rng.beta(1.5, 15, 20000)
    y = np.zeros(20000)
    y[rng.choice(20000, 5, replace=False)] = 1
    yield "broken outcome join: N = 20000, mean prediction ~0.09, O = 5", p, y


def oe_cases():
    """(O, E) pairs for the O/E interval: every count 0..120 at E = 1 (the Poisson bounds themselves), then counts
    either side of the switch and of stdlib's large-shape trouble (O = 938) over expected counts from tiny to large."""
    yield from ((observed, 1.0) for observed in range(121))
    for observed in (0, 1, 2, 5, 9, 10, 11, 50, 99, 100, 101, 500, 937, 938, 1000, 10000, 100000):
        for predicted in (0.37, 3.0, 10.0, 1820.0, 123456.789):
            yield observed, predicted
    yield 5, 0.091 * 20000
    yield 3, 0.0
    yield 0, 0.0
    yield 7, 1e-310


def oe_case(observed, predicted):
    ratio, lower, upper = oe_ratio(observed, predicted)
    exact_lower, exact_upper = garwood(observed)
    with np.errstate(over="ignore"):
        exact = (np.float64(exact_lower) / predicted, np.float64(exact_upper) / predicted) if predicted > 0 else None
    return {
        "observed": observed,
        "expected": predicted,
        "ratio": ratio,
        "lower": lower,
        "upper": upper,
        "method": "exact" if observed < OE_EXACT_BELOW else "log-normal",
        "exactLower": finite_or_none(exact[0]) if exact else None,
        "exactUpper": finite_or_none(exact[1]) if exact else None,
    }


def main():
    out = {
        "generator": "test/golden/generate_calibration.py",
        "numpy": np.__version__,
        "scipy": scipy.__version__,
        "sklearn": sklearn.__version__,
        "statsmodels": statsmodels.__version__,
        "mpmath": mpmath.__version__,
        "binEdges": np.linspace(0, 1, BINS + 1).tolist(),
        "oeExactBelow": OE_EXACT_BELOW,
        "oeRatio": [oe_case(observed, predicted) for observed, predicted in oe_cases()],
        "cases": [
            {
                "name": name,
                "predictions": np.asarray(p, dtype=float).tolist(),
                "outcomes": np.asarray(y, dtype=int).tolist(),
                "expected": expected(p, y),
            }
            for name, p, y in cases()
        ],
    }
    path = pathlib.Path(__file__).with_name("calibration.json")
    path.write_text(json.dumps(out, separators=(",", ":")) + "\n")
    print(f"wrote {path} ({len(out['cases'])} cases, {len(out['oeRatio'])} O/E intervals)")


if __name__ == "__main__":
    main()
