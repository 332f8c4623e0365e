#!/usr/bin/env python3
"""Golden values for binned windows (issue 14): statistics of raw values against the same values pre-aggregated.

For each case the reference defines the fine edges (np.unique(np.quantile(reference, k/1000)), k = 1..999, numpy
'linear') and the PSI edges (k/10); the current values are counted in the fine bins with np.searchsorted(edges, x,
side="right") (BigQuery's RANGE_BUCKET). The expected PSI, psiNull99, psiPValue and JS are computed from the raw
values and the PSI edges, exactly as generate_drift.py does; the binned suite must reproduce them from the fine
counts. The raw KS statistic and Wasserstein distance are recorded so the tests can check that the binned bounds
contain them.

Run from the repository root: python3 test/golden/generate_binning.py
Writes test/golden/binning.json, read by test/shared/stats/drift/binnedSuite.test.ts.
"""
import json
import pathlib

import numpy as np
import scipy
from scipy.spatial.distance import jensenshannon
from scipy.stats import chi2, ks_2samp, wasserstein_distance

BINS = 10
FINE_BINS = 1000
FLOOR = 1e-4


def counts(edges, values):
    return np.bincount(np.searchsorted(edges, values, side="right"), minlength=edges.size + 1)


def psi_suite(reference_counts, current_counts, m, n):
    used = reference_counts.size
    p = np.maximum(reference_counts / m, FLOOR)
    q = np.maximum(current_counts / n, FLOOR)
    psi = float(np.sum((q - p) * np.log(q / p)))
    return {
        "n": int(n),
        "nReference": int(m),
        "bins": int(used),
        "psi": psi,
        "psiNull99": float(chi2.ppf(0.99, used - 1) * (1 / n + 1 / m)),
        "psiPValue": float(chi2.sf(psi * n * m / (n + m), used - 1)),
        "jsDistance": float(jensenshannon(reference_counts, current_counts, base=2)),
    }


def expected(reference, current, scale=1):
    """Raw statistics; with scale > 1 every current value stands for `scale` values (the counts are multiplied)."""
    reference = np.asarray(reference, dtype=np.float64)
    current = np.asarray(current, dtype=np.float64)
    m = reference.size
    edges = np.unique(np.quantile(reference, np.arange(1, BINS) / BINS))
    fine_edges = np.unique(np.quantile(reference, np.arange(1, FINE_BINS) / FINE_BINS))
    fine_counts = counts(fine_edges, current) * scale
    result = psi_suite(counts(edges, reference), counts(edges, current) * scale, m, current.size * scale)
    result.update(
        {
            "edges": edges.tolist(),
            "fineEdges": fine_edges.tolist(),
            "fineCounts": [int(c) for c in fine_counts],
            "ksStatistic": float(ks_2samp(reference, current).statistic),
            "wasserstein": float(wasserstein_distance(reference, current)),
            "referenceStd": float(np.std(reference)),
        }
    )
    return result


def cases():
    rng = np.random.default_rng(20261202)
    beta = lambda a, b, size: rng.beta(a, b, size)
    yield "stable beta", beta(2, 20, 5000), beta(2, 20, 3000), 1
    yield "shifted beta", beta(2, 20, 5000), beta(3, 20, 3000), 1
    yield "scale change of lift scores", rng.normal(0.01, 0.02, 4000), rng.normal(0.01, 0.03, 2500), 1
    yield "small window against a large reference", beta(2, 20, 20000), beta(2, 20, 80), 1
    yield "current partly outside the reference range", rng.uniform(0, 0.5, 3000), rng.uniform(0.3, 0.8, 2000), 1
    yield "discrete predictions with ties (duplicate fine edges)", np.round(beta(2, 8, 3000), 2), np.round(beta(2, 7, 2000), 2), 1
    yield "few distinct values", rng.choice([0.1, 0.2, 0.9], 500, p=[0.6, 0.3, 0.1]), rng.choice([0.1, 0.2, 0.9], 400), 1
    yield "values on the edges", np.arange(1, 2001, dtype=float), np.arange(1, 2001, dtype=float)[::3], 1
    yield "reference smaller than the fine bin count", beta(2, 20, 300), beta(2.5, 20, 500), 1
    yield "a billion predictions (each value counted 1,000,000 times)", beta(2, 20, 5000), beta(2.1, 20, 1000), 1_000_000


def main():
    out = {
        "generator": "test/golden/generate_binning.py",
        "numpy": np.__version__,
        "scipy": scipy.__version__,
        "cases": [
            {
                "name": name,
                "reference": np.asarray(r, dtype=float).tolist(),
                "current": np.asarray(c, dtype=float).tolist(),
                "scale": scale,
                "expected": expected(r, c, scale),
            }
            for name, r, c, scale in cases()
        ],
    }
    path = pathlib.Path(__file__).with_name("binning.json")
    path.write_text(json.dumps(out, separators=(",", ":")) + "\n")
    print(f"wrote {path} ({len(out['cases'])} cases)")


if __name__ == "__main__":
    main()
