"""How often a numeric feature "drifts" by chance (PSI > 0.1 and PSI > psiNull99, decile bins of a 20,000-value
reference, shares floored at 1e-4, as the feature rules judge it) when its batch comes from the reference
distribution, and so how often at least N of K independent features do in one window (binomial). Backs the
choice of 3 features in alerting/alerts.json (feature_drift_warning) and its README figures:
    /usr/bin/python3 scripts/feature_drift_null_rate.py
Monte Carlo: 20,000 batches per size, seed 1 (a few minutes)."""
import numpy as np
from scipy.stats import binom, chi2

rng = np.random.default_rng(1)
REFERENCE = 20_000
TRIALS = 20_000


def drifts(reference: np.ndarray, batch: np.ndarray) -> bool:
    edges = np.unique(np.quantile(reference, np.arange(1, 10) / 10))
    bins = len(edges) + 1
    p = np.bincount(np.searchsorted(edges, reference, side="right"), minlength=bins) / len(reference)
    q = np.bincount(np.searchsorted(edges, batch, side="right"), minlength=bins) / len(batch)
    p, q = np.maximum(p, 1e-4), np.maximum(q, 1e-4)
    psi = np.sum((q - p) * np.log(q / p))
    null99 = chi2.ppf(0.99, bins - 1) * (1 / len(batch) + 1 / len(reference))
    return psi > 0.1 and psi > null99


reference = rng.normal(size=REFERENCE)
print("n  per-feature rate  P(>=N of K drift in one window) for K = 20, 50, 100 and N = 1, 2, 3")
for n in [100, 200, 300, 500, 1000]:
    rate = sum(drifts(reference, rng.normal(size=n)) for _ in range(TRIALS)) / TRIALS
    table = {k: [f"{binom.sf(at_least - 1, k, rate):.2g}" for at_least in (1, 2, 3)] for k in (20, 50, 100)}
    print(n, f"{rate:.4g}", table)
