#!/usr/bin/env python3
"""Golden values for the drift statistics, computed with numpy/scipy as the issue defines them.
Python: the machine's `python3` (3.11 with numpy 2.4 and scipy 1.17, as the image ships them), for scipy 1.17's
ks_2samp; the calibration, lift and uplift generators need Debian's /usr/bin/python3 (scikit-learn, statsmodels).

Run from the repository root: python3 test/golden/generate_drift.py
Writes test/golden/drift.json, read by test/shared/stats/drift/*.test.ts and the CLI tests.
Needs Debian's python3-numpy and python3-scipy (PyPI is not reachable here).
"""
import json
import pathlib

import numpy as np
import scipy
from scipy.spatial.distance import jensenshannon
from scipy.stats import chi2, ks_2samp, wasserstein_distance

BINS = 10
FLOOR = 1e-4


def expected(reference, current, bins=BINS):
    reference = np.asarray(reference, dtype=np.float64)
    current = np.asarray(current, dtype=np.float64)
    m, n = reference.size, current.size
    edges = np.unique(np.quantile(reference, np.arange(1, bins) / bins))
    used = edges.size + 1
    reference_counts = np.bincount(np.searchsorted(edges, reference, side="right"), minlength=used)
    current_counts = np.bincount(np.searchsorted(edges, current, side="right"), minlength=used)
    p = np.maximum(reference_counts / m, FLOOR)
    q = np.maximum(current_counts / n, FLOOR)
    psi = float(np.sum((q - p) * np.log(q / p)))
    ks = ks_2samp(reference, current)
    wasserstein = float(wasserstein_distance(reference, current))
    return {
        "edges": edges.tolist(),
        "referenceCounts": reference_counts.tolist(),
        "currentCounts": current_counts.tolist(),
        "referenceStd": float(np.std(reference)),
        "n": int(n),
        "nReference": int(m),
        "bins": int(used),
        "psi": psi,
        "psiNull99": float(chi2.ppf(0.99, used - 1) * (1 / n + 1 / m)),
        "psiPValue": float(chi2.sf(psi * n * m / (n + m), used - 1)),
        "jsDistance": float(jensenshannon(reference_counts, current_counts, base=2)),
        "ksStatistic": float(ks.statistic),
        "ksPValue": float(ks.pvalue),
        "wasserstein": wasserstein,
        "wassersteinNormed": wasserstein / max(float(np.std(reference)), 0.001),
    }


def cases():
    rng = np.random.default_rng(20261126)
    beta = lambda a, b, size: rng.beta(a, b, size)
    yield "identical samples", [0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1.0], [0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1.0]
    yield "single value each", [0.5], [0.7]
    yield "constant reference, varied current", [0.3] * 50, rng.uniform(0, 1, 40)
    yield "current entirely above the reference range", rng.uniform(0, 0.5, 300), rng.uniform(0.6, 1, 200)
    yield "discrete predictions with ties", np.round(beta(2, 8, 1000), 2), np.round(beta(2, 7, 800), 2)
    yield "few distinct values (duplicate edges)", rng.choice([0.1, 0.2, 0.9], 500, p=[0.6, 0.3, 0.1]), rng.choice([0.1, 0.2, 0.9], 400)
    yield "stable beta, equal sizes", beta(2, 20, 2000), beta(2, 20, 2000)
    yield "stable beta, unequal sizes", beta(2, 20, 5000), beta(2, 20, 700)
    yield "shifted beta", beta(2, 20, 5000), beta(3, 20, 3000)
    yield "small batch against large reference", beta(2, 20, 20000), beta(2, 20, 80)
    yield "scale change", rng.normal(0, 1, 3000), rng.normal(0, 1.5, 3000)
    yield "values on the edges", np.arange(1, 101, dtype=float), np.arange(1, 101, dtype=float)[::3]
    yield "tiny std reference", 0.5 + rng.normal(0, 1e-5, 500), 0.5 + rng.normal(0, 1e-5, 500)
    yield "large asymptotic KS branch", beta(2, 20, 12000), beta(2.2, 20, 11000)
    yield "negative and positive lift scores", rng.normal(0.01, 0.02, 4000), rng.normal(0.012, 0.02, 3500)


def main():
    out = {
        "generator": "test/golden/generate_drift.py",
        "numpy": np.__version__,
        "scipy": scipy.__version__,
        "cases": [
            {"name": name, "reference": np.asarray(r, dtype=float).tolist(), "current": np.asarray(c, dtype=float).tolist(), "expected": expected(r, c)}
            for name, r, c in cases()
        ],
    }
    path = pathlib.Path(__file__).with_name("drift.json")
    path.write_text(json.dumps(out, separators=(",", ":")) + "\n")
    print(f"wrote {path} ({len(out['cases'])} cases)")


if __name__ == "__main__":
    main()
