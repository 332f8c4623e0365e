#!/usr/bin/env python3
"""The feature suite in numpy/scipy on the benchmark's own data: prints the median milliseconds per batch.

Usage: features_scipy.py FOLDER (reads FOLDER/manifest.json, FOLDER/reference-F.bin and FOLDER/batch-F.bin:
float64 values with NaN = missing for numeric features, int32 codes with -1 = missing for categorical ones).
The reference summaries are computed once, untimed, as at registration; each timed run computes every feature's
statistics for the batch, as bench/features.ts times computeFeatureStatistics.
"""
import json
import sys
import time

import numpy as np
from scipy.spatial.distance import jensenshannon
from scipy.stats import chi2, chi2_contingency, ks_2samp, norm, wasserstein_distance

Z = norm.isf(0.025)


def wilson(x, n):
    p = x / n
    denominator = 1 + Z * Z / n
    centre = (p + Z * Z / (2 * n)) / denominator
    half = Z * np.sqrt(p * (1 - p) / n + Z * Z / (4 * n * n)) / denominator
    return p, centre - half, centre + half


def missing_statistics(batch_missing, batch_rows, summary):
    p1, l1, u1 = wilson(batch_missing, batch_rows)
    p2, l2, u2 = wilson(summary["missing"], summary["rows"])
    d = p1 - p2
    return p1, p2, d - np.sqrt((p1 - l1) ** 2 + (u2 - p2) ** 2), d + np.sqrt((u1 - p1) ** 2 + (p2 - l2) ** 2)


def summarize_numeric(values):
    r = np.sort(values[~np.isnan(values)])
    edges = np.unique(np.quantile(r, np.arange(1, 10) / 10))
    counts = np.bincount(np.searchsorted(edges, r, side="right"), minlength=edges.size + 1)
    return {"rows": values.size, "missing": values.size - r.size, "sorted": r, "edges": edges, "counts": counts,
            "std": np.std(r), "min": r[0], "max": r[-1]}


def numeric(summary, values):
    c = values[~np.isnan(values)]
    missing_statistics(values.size - c.size, values.size, summary)
    r, edges, rc = summary["sorted"], summary["edges"], summary["counts"]
    m, n, bins = r.size, c.size, edges.size + 1
    cc = np.bincount(np.searchsorted(edges, c, side="right"), minlength=bins)
    p, q = np.maximum(rc / m, 1e-4), np.maximum(cc / n, 1e-4)
    np.sum((q - p) * np.log(q / p))
    chi2.ppf(0.99, bins - 1) * (1 / n + 1 / m)
    jensenshannon(rc, cc, base=2)
    ks_2samp(r, c)
    wasserstein_distance(r, c) / max(summary["std"], 0.001)
    np.mean((c < summary["min"]) | (c > summary["max"]))


def summarize_categorical(codes, categories):
    counts = np.bincount(codes[codes >= 0], minlength=len(categories))
    ranked = sorted(((int(k), name) for name, k in zip(categories, counts) if k > 0), key=lambda t: (-t[0], t[1]))
    kept = ranked[:1000]
    return {"rows": codes.size, "missing": int(np.sum(codes < 0)), "names": [name for _, name in kept],
            "counts": np.array([k for k, _ in kept] + [sum(k for k, _ in ranked[1000:])], dtype=np.float64)}


def categorical(summary, codes, categories):
    present = codes[codes >= 0]
    missing_statistics(codes.size - present.size, codes.size, summary)
    kept = len(summary["names"])
    index = {name: i for i, name in enumerate(summary["names"])}
    bucket_of = np.array([index.get(name, kept) for name in categories])
    cc = np.bincount(bucket_of, weights=np.bincount(present, minlength=len(categories)), minlength=kept + 1)
    rc = summary["counts"]
    used = (rc > 0) | (cc > 0)
    rc, cc = rc[used], cc[used]
    m, n, k = rc.sum(), cc.sum(), int(used.sum())
    p, q = np.maximum(rc / m, 1e-4), np.maximum(cc / n, 1e-4)
    np.sum((q - p) * np.log(q / p))
    chi2.ppf(0.99, k - 1) * (1 / n + 1 / m)
    jensenshannon(rc, cc, base=2)
    np.max(np.abs(cc / n - rc / m))
    chi2_contingency(np.array([rc, cc]), correction=False)
    (cc[-1] / n) if summary["counts"][-1] == 0 else 0.0


folder = sys.argv[1]
with open(f"{folder}/manifest.json") as handle:
    manifest = json.load(handle)
features = []
for f, feature in enumerate(manifest):
    dtype = np.float64 if feature["kind"] == "numeric" else np.int32
    reference = np.fromfile(f"{folder}/reference-{f}.bin", dtype=dtype)
    batch = np.fromfile(f"{folder}/batch-{f}.bin", dtype=dtype)
    if feature["kind"] == "numeric":
        features.append((numeric, summarize_numeric(reference), (batch,)))
    else:
        features.append((categorical, summarize_categorical(reference, feature["reference"]), (batch, feature["batch"])))
runs = 11
times = []
for _ in range(runs + 1):
    start = time.perf_counter()
    for compute, summary, arguments in features:
        compute(summary, *arguments)
    times.append((time.perf_counter() - start) * 1000)
print(sorted(times[1:])[runs // 2])
