#!/usr/bin/python3
"""Golden values for the feature statistics (issue 11), computed with numpy/scipy/statsmodels as the issue defines
them, independently of the TypeScript code (categorical buckets are built from the strings themselves).

Run from the repository root with Debian's python (numpy, scipy, statsmodels):
    /usr/bin/python3 test/golden/generate_features.py
Writes test/golden/features.json, read by test/shared/stats/features/features.test.ts.

Per case, a reference column and a batch column (numeric: values with null = missing; categorical: categories and
codes with -1 = missing). Both kinds:
  missingShare = missing / rows over all rows of each column, and the Newcombe hybrid score interval of
  missingShare - missingShareReference: statsmodels confint_proportions_2indep(missing_b, rows_b, missing_r, rows_r,
  method='newcomb', compare='diff', alpha=0.05).
Numeric, on the non-missing values: the prediction drift statistics exactly as generate_drift.py computes them
(imported from it), plus outOfRangeShare = mean((x < min(reference)) | (x > max(reference))).
Categorical: counts per category, the 1,000 most frequent kept (ties by name), the rest pooled; buckets = kept
categories + '__other__' (the reference pooled some) or '__unseen__' (it pooled none), buckets empty in both
dropped, K their number; psi with shares floored at 1e-4; psiNull99 = chi2.ppf(0.99, K - 1) (1/n + 1/m), 0 when
K = 1; jsDistance = jensenshannon(r, c, base=2); lInfinity = max |c/n - r/m|; chiSquarePValue =
chi2_contingency([r, c], correction=False).pvalue; unseenShare = count in '__unseen__' / n.
Distribution statistics are null when the batch or the reference has no non-missing value.

Binned (issue 14): each case also carries its batch pre-aggregated as a pipeline would send it, with the same
expected statistics. Numeric: the feature's fine edges, np.unique of the reference minimum, the reference quantiles
at k/1000 (k = 1..999, numpy 'linear') and np.nextafter(max, inf), and the batch's non-missing values counted in
them with np.searchsorted(edges, x, side="right") (BigQuery's RANGE_BUCKET), plus the missing count. Categorical:
the batch's non-missing values counted by category name (unseen names included), plus the missing count.
"""
import json
import math
import pathlib
from collections import Counter

import numpy as np
import scipy
import statsmodels
from generate_drift import expected as drift_expected
from scipy.spatial.distance import jensenshannon
from scipy.stats import chi2, chi2_contingency
from statsmodels.stats.proportion import confint_proportions_2indep

MAX_KEPT = 1000
FLOOR = 1e-4
MAX_STORED_REFERENCE = 100_000


def common(reference_missing, reference_rows, batch_missing, batch_rows, n, m):
    lower, upper = confint_proportions_2indep(
        batch_missing, batch_rows, reference_missing, reference_rows, method="newcomb", compare="diff", alpha=0.05
    )
    return {
        "n": int(n),
        "nReference": int(m),
        "missingShare": batch_missing / batch_rows,
        "missingShareReference": reference_missing / reference_rows,
        "missingShareDiffLower": float(lower),
        "missingShareDiffUpper": float(upper),
    }


def numeric_case(reference, batch):
    reference = np.asarray(reference, dtype=np.float64)
    batch = np.asarray(batch, dtype=np.float64)
    r = reference[~np.isnan(reference)]
    c = batch[~np.isnan(batch)]
    summary = {"rows": int(reference.size), "missing": int(reference.size - r.size)}
    stats = common(reference.size - r.size, reference.size, batch.size - c.size, batch.size, c.size, r.size)
    names = ["psi", "psiNull99", "jsDistance", "ksStatistic", "ksPValue", "wassersteinNormed", "outOfRangeShare"]
    stats.update({name: None for name in names})
    if r.size == 0:
        summary.update({"min": None, "max": None, "values": None})
        return summary, stats
    drift = drift_expected(r, c if c.size else r)  # the summary part does not depend on the batch
    summary.update({
        "min": float(r.min()),
        "max": float(r.max()),
        "values": {
            "referenceSize": int(r.size),
            "edges": drift["edges"],
            "referenceCounts": drift["referenceCounts"],
            "referenceStd": drift["referenceStd"],
            "subsampled": bool(r.size > MAX_STORED_REFERENCE),
        },
    })
    if c.size:
        stats.update({name: drift[name] for name in names[:-1]})
        stats["outOfRangeShare"] = float(np.mean((c < r.min()) | (c > r.max())))
    return summary, stats


def categorical_case(reference, batch):
    """reference and batch: lists of category strings, None = missing."""
    counts = Counter(v for v in reference if v is not None)
    ranked = sorted(counts.items(), key=lambda item: (-item[1], item[0]))
    kept, pooled = ranked[:MAX_KEPT], ranked[MAX_KEPT:]
    other = sum(count for _, count in pooled)
    summary = {
        "rows": len(reference),
        "missing": sum(1 for v in reference if v is None),
        "categories": [name for name, _ in kept],
        "counts": [count for _, count in kept],
        "otherCount": other,
    }
    extra = "__other__" if other > 0 else "__unseen__"
    kept_names = {name for name, _ in kept}
    batch_counts = Counter((v if v in kept_names else extra) for v in batch if v is not None)
    names = [name for name, _ in kept] + [extra]
    reference_counts = [count for _, count in kept] + [other]
    current_counts = [batch_counts.get(name, 0) for name in names]
    used = [i for i in range(len(names)) if reference_counts[i] > 0 or current_counts[i] > 0]
    names = [names[i] for i in used]
    rc = np.array([reference_counts[i] for i in used], dtype=np.float64)
    cc = np.array([current_counts[i] for i in used], dtype=np.float64)
    m, n = int(rc.sum()), int(cc.sum())
    stats = common(summary["missing"], len(reference), sum(1 for v in batch if v is None), len(batch), n, m)
    for name in ["psi", "psiNull99", "jsDistance", "lInfinity", "chiSquarePValue", "unseenShare", "buckets"]:
        stats[name] = None
    buckets = {"names": names, "referenceCounts": rc.tolist(), "batchCounts": cc.tolist()}
    if n == 0 or m == 0:
        return summary, stats, buckets
    k = len(names)
    p, q = np.maximum(rc / m, FLOOR), np.maximum(cc / n, FLOOR)
    test = chi2_contingency(np.array([rc, cc]), correction=False)
    stats.update({
        "psi": float(np.sum((q - p) * np.log(q / p))),
        "psiNull99": float(chi2.ppf(0.99, k - 1) * (1 / n + 1 / m)) if k > 1 else 0.0,
        "jsDistance": float(jensenshannon(rc, cc, base=2)),
        "lInfinity": float(np.max(np.abs(cc / n - rc / m))),
        "chiSquarePValue": float(test.pvalue),
        "unseenShare": (batch_counts.get("__unseen__", 0) / n) if extra == "__unseen__" else 0.0,
        "buckets": k,
    })
    buckets.update({"chiSquareStatistic": float(test.statistic), "degreesOfFreedom": int(test.dof)})
    return summary, stats, buckets


FINE_BINS = 1000


def binned_numeric(reference, batch):
    """The fine edges of a numeric feature and the batch's counts in them (the raw batch, NaN = missing)."""
    reference = np.asarray(reference, dtype=np.float64)
    batch = np.asarray(batch, dtype=np.float64)
    r = reference[~np.isnan(reference)]
    c = batch[~np.isnan(batch)]
    if r.size == 0:
        edges = np.array([], dtype=np.float64)
    else:
        quantiles = np.quantile(r, np.arange(1, FINE_BINS) / FINE_BINS)
        edges = np.unique(np.concatenate([[r.min()], quantiles, [np.nextafter(r.max(), np.inf)]]))
    counts = np.bincount(np.searchsorted(edges, c, side="right"), minlength=edges.size + 1)
    return {"fineEdges": edges.tolist(), "counts": [int(n) for n in counts], "missing": int(batch.size - c.size)}


def binned_categorical(batch):
    counts = Counter(v for v in batch if v is not None)
    return {"counts": dict(sorted(counts.items())), "missing": sum(1 for v in batch if v is None)}


def encode_categorical(values, rng, shuffle=True):
    """Categories in a shuffled order (codes into them), so no test depends on first-appearance order."""
    categories = sorted({v for v in values if v is not None})
    if shuffle:
        rng.shuffle(categories)
    index = {name: i for i, name in enumerate(categories)}
    return {"categories": categories, "codes": [-1 if v is None else index[v] for v in values]}


def with_missing(rng, values, share):
    values = np.asarray(values, dtype=np.float64).copy()
    values[rng.uniform(size=values.size) < share] = np.nan
    return values


def draw(rng, names, probabilities, size, missing_share=0.0):
    picked = rng.choice(len(names), size=size, p=np.asarray(probabilities) / np.sum(probabilities))
    missing = rng.uniform(size=size) < missing_share
    return [None if gone else names[i] for i, gone in zip(picked, missing)]


def numeric_cases(rng):
    yield "normal, mild shift, a few missing", with_missing(rng, rng.normal(0, 1, 3000), 0.02), with_missing(rng, rng.normal(0.1, 1, 2000), 0.05)
    yield "integer counts with many ties", with_missing(rng, rng.poisson(3, 5000), 0.01), with_missing(rng, rng.poisson(3.4, 4000), 0.01)
    yield "track age in whole days, heavy ties", rng.integers(0, 30, 2000).astype(float), rng.integers(0, 40, 1500).astype(float)
    reference = rng.uniform(0, 100, 1000)
    batch = np.concatenate([rng.uniform(-10, 120, 800), [reference.min(), reference.max()]])
    yield "out-of-range values on both sides, and values at the reference min and max", reference, batch
    yield "batch inside the reference range", rng.uniform(0, 100, 1000), rng.uniform(10, 90, 500)
    yield "every batch value missing", rng.normal(0, 1, 500), np.full(300, np.nan)
    yield "every reference value missing", np.full(400, np.nan), rng.normal(0, 1, 300)
    yield "every value missing in both", np.full(50, np.nan), np.full(70, np.nan)
    yield "missing share rises from 1% to 40% (a pipeline break)", with_missing(rng, rng.lognormal(8, 2, 5000), 0.01), with_missing(rng, rng.lognormal(8, 2, 3000), 0.4)
    yield "constant reference", np.full(100, 5.0), rng.choice([5.0, 6.0], 80)
    yield "follower counts, large reference (asymptotic KS)", rng.lognormal(9, 2.5, 20000).round(), with_missing(rng, rng.lognormal(9.3, 2.5, 8000).round(), 0.03)
    yield "one non-missing value each", [np.nan, 2.0, np.nan], [7.0, np.nan]
    yield "no missing values in either", rng.normal(5, 2, 1200), rng.normal(5, 2, 1100)


def categorical_cases(rng):
    devices = ["android", "ios", "web", "desktop", "tv"]
    yield "five categories, stable, a few missing", draw(rng, devices, [5, 4, 2, 1, 0.5], 3000, 0.02), draw(rng, devices, [5, 4, 2, 1, 0.5], 2000, 0.03)
    yield "five categories, shifted", draw(rng, devices, [5, 4, 2, 1, 0.5], 3000), draw(rng, devices, [3, 5, 2, 1, 2], 2500)
    yield "a single category in both (K = 1)", draw(rng, ["ios"], [1], 200, 0.1), draw(rng, ["ios"], [1], 150)
    yield "two categories (K = 2)", draw(rng, ["free", "premium"], [7, 3], 1000), draw(rng, ["free", "premium"], [6, 4], 800)
    yield "unseen categories in the batch", draw(rng, devices[:4], [5, 4, 2, 1], 2000), draw(rng, devices[:4] + ["car", "watch"], [5, 4, 2, 1, 1, 0.5], 1500)
    yield "a reference category absent from the batch", draw(rng, devices, [5, 4, 2, 1, 1], 1000), draw(rng, devices[:3], [5, 4, 2], 900)
    yield "every batch value missing", draw(rng, devices, [1, 1, 1, 1, 1], 300), [None] * 120
    yield "every reference value missing", [None] * 80, draw(rng, devices, [1, 1, 1, 1, 1], 100)
    yield "a single batch value, unseen", draw(rng, devices, [1, 1, 1, 1, 1], 300), ["moon"]
    names = [f"m{i:02d}" for i in range(50)]
    weights = rng.uniform(0.5, 2, 50)
    yield "fifty markets (49 degrees of freedom)", draw(rng, names, weights, 20000), draw(rng, names, weights * rng.uniform(0.9, 1.1, 50), 15000, 0.01)
    yield "identical columns", (same := draw(rng, devices, [3, 2, 2, 1, 1], 600, 0.05)), list(same)
    yield "category names that differ by case and punctuation", draw(rng, ["A", "a", "_a", "a-b", "a.b", "a:b", "a/b", "a+b", "0"], [1] * 9, 900), draw(rng, ["A", "a", "_a", "a-b", "a.b", "a:b", "a/b", "a+b", "0"], [1] * 9, 900)

    # More than 1,000 distinct categories, with a tie in counts across the cut: counts 16 (50 genres), then 100
    # genres of each count 15, ..., 2, then 50 of count 1; the 100 genres of count 6 straddle ranks 950-1049,
    # named at random so that the tie break by name decides which 50 of them are kept.
    letters = np.array(list("abcdefghijklmnopqrstuvwxyz0123456789_"))
    genres = sorted({"g" + "".join(rng.choice(letters, 8)) for _ in range(1600)})[:1500]
    rng.shuffle(genres)
    reference = [genre for i, genre in enumerate(genres) for _ in range(16 - (i + 50) // 100)]
    reference += [None] * 40
    reference = [reference[i] for i in rng.permutation(len(reference))]
    pooled_batch = [genres[i] for i in rng.integers(0, 1500, 5000)] + ["gnewgenre"] * 30 + [None] * 10
    yield "1,500 genres, 1,000 kept, tie in counts at the cut", reference, pooled_batch


def main():
    rng = np.random.default_rng(20261201)
    cases = []
    for name, reference, batch in numeric_cases(rng):
        summary, stats = numeric_case(reference, batch)
        null = lambda values: [None if math.isnan(v) else float(v) for v in np.asarray(values, dtype=np.float64)]
        cases.append({
            "name": name,
            "reference": {"kind": "numeric", "values": null(reference)},
            "batch": {"kind": "numeric", "values": null(batch)},
            "binned": binned_numeric(reference, batch),
            "summary": {"kind": "numeric", **summary},
            "expected": {"kind": "numeric", **stats},
        })
    for name, reference, batch in categorical_cases(rng):
        summary, stats, buckets = categorical_case(reference, batch)
        cases.append({
            "name": name,
            "reference": {"kind": "categorical", **encode_categorical(reference, rng)},
            "batch": {"kind": "categorical", **encode_categorical(batch, rng)},
            "binned": binned_categorical(batch),
            "summary": {"kind": "categorical", **summary},
            "buckets": buckets,
            "expected": {"kind": "categorical", **stats},
        })
    # Missing-share intervals at the edges: no missing, all missing, one row.
    newcombe = []
    for batch_missing, batch_rows, reference_missing, reference_rows in [
        (0, 1, 0, 1), (1, 1, 0, 1), (0, 1000, 0, 1000), (1000, 1000, 0, 1000), (0, 10, 10, 10),
        (400, 1000, 10, 1000), (3, 7, 500, 100000), (56, 70, 48, 80),
    ]:
        lower, upper = confint_proportions_2indep(
            batch_missing, batch_rows, reference_missing, reference_rows, method="newcomb", compare="diff", alpha=0.05
        )
        newcombe.append({
            "batch": {"rows": batch_rows, "missing": batch_missing},
            "reference": {"rows": reference_rows, "missing": reference_missing},
            "lower": float(lower),
            "upper": float(upper),
        })
    out = {
        "generator": "test/golden/generate_features.py",
        "numpy": np.__version__,
        "scipy": scipy.__version__,
        "statsmodels": statsmodels.__version__,
        "cases": cases,
        "newcombe": newcombe,
    }
    path = pathlib.Path(__file__).with_name("features.json")
    path.write_text(json.dumps(out, separators=(",", ":"), allow_nan=False) + "\n")
    print(f"wrote {path} ({len(cases)} cases, {len(newcombe)} interval cases)")


if __name__ == "__main__":
    main()
