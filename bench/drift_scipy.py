#!/usr/bin/env python3
"""The drift suite in numpy/scipy on the benchmark's own data: prints the median milliseconds.

Usage: drift_scipy.py FOLDER SIZE (reads FOLDER/reference-SIZE.f64 and FOLDER/current-SIZE.f64).
"""
import sys
import time

import numpy as np
from scipy.spatial.distance import jensenshannon
from scipy.stats import chi2, ks_2samp, wasserstein_distance


def suite(reference, current):
    m, n = reference.size, current.size
    edges = np.unique(np.quantile(reference, np.arange(1, 10) / 10))
    bins = edges.size + 1
    rc = np.bincount(np.searchsorted(edges, reference, side="right"), minlength=bins)
    cc = np.bincount(np.searchsorted(edges, current, side="right"), minlength=bins)
    p, q = np.maximum(rc / m, 1e-4), np.maximum(cc / n, 1e-4)
    psi = np.sum((q - p) * np.log(q / p))
    chi2.ppf(0.99, bins - 1)
    chi2.sf(psi * n * m / (n + m), bins - 1)
    jensenshannon(rc, cc, base=2)
    ks_2samp(reference, current)
    wasserstein_distance(reference, current) / max(np.std(reference), 0.001)


folder, size = sys.argv[1], sys.argv[2]
reference = np.fromfile(f"{folder}/reference-{size}.f64")
current = np.fromfile(f"{folder}/current-{size}.f64")
runs = 5 if reference.size >= 1_000_000 else 11
times = []
for _ in range(runs + 1):
    start = time.perf_counter()
    suite(reference, current)
    times.append((time.perf_counter() - start) * 1000)
print(sorted(times[1:])[runs // 2])
