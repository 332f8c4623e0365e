"""The binning registerBaseline derives from a Baseline, computed here from the same reference values, so that a
producer holding the reference can count windows without asking liftwatch first (``liftwatch bins`` prints the
same dict; tests/test_binning.py and test/producers check that they agree bit for bit).

Edges: the unique reference quantiles at k/1000, k = 1..999 (numpy 'linear'). Fingerprint: the first 16 hex digits of
SHA-256 over ``"liftwatch-binning-v1" NUL model NUL modelVersion NUL`` followed by the edges as little-endian float64.

A FeatureBaseline's features are binned as registerFeatureBaseline bins them (shared/monitors/binning.ts
featureBinning): a numeric feature in its fine edges with the reference range added (feature_fine_edges), a
categorical feature by its kept categories (kept_categories); both fingerprints hash the feature name after the
version (``... NUL modelVersion NUL featureName NUL``), then the edges, or the kept category names joined by NUL.
"""
import hashlib
from collections import Counter

import numpy as np

FINE_BIN_COUNT = 1000
DOMAIN = b"liftwatch-binning-v1"
#: Most categories a categorical feature's binning keeps by count (shared/stats/features/featureSummary.ts).
MAX_KEPT_CATEGORIES = 1000


def sorted_as_liftwatch(values):
    """Values ascending with -0.0 before 0.0, as a JavaScript Float64Array sorts them (numpy's sort leaves the order
    of equal values open, and a quantile between two zeros keeps the sign of the one it is read from)."""
    values = np.asarray(values, dtype=np.float64).ravel()
    return values[np.lexsort((~np.signbit(values), values))]


def quantiles_sorted(values, q):
    """numpy's 'linear' quantiles of ascending `values` (Hyndman & Fan type 7), evaluated as numpy's ``_lerp`` does
    and as shared/stats/quantileSorted.ts does: h = (n - 1) q, j = floor(h), g = h - j, from the upper point when
    g >= 0.5: x[j+1] - (x[j+1] - x[j]) (1 - g), else x[j] + (x[j+1] - x[j]) g. Equal to ``np.quantile(values, q)``
    but for the sign of a zero, which this takes from the given order rather than from np.partition's."""
    h = (values.size - 1) * np.asarray(q, dtype=np.float64)
    below = np.floor(h).astype(np.int64)
    above = np.minimum(below + 1, values.size - 1)
    gamma = h - below
    a, b = values[below], values[above]
    difference = b - a
    return np.where(gamma >= 0.5, b - difference * (1 - gamma), a + difference * gamma)


def unique_sorted(edges):
    """Ascending edges without repeats, the first of equal ones kept (quantileEdges: a stable sort, then a filter)."""
    edges = np.sort(edges, kind="stable")
    return edges[np.concatenate([[True], edges[1:] != edges[:-1]])] if edges.size else edges


def fine_edges(reference):
    """The fine edges of a reference (any order), as liftwatch computes them: the unique quantiles at k/1000."""
    values = sorted_as_liftwatch(reference)
    if values.size == 0:
        raise ValueError("fine_edges requires at least one reference value")
    return unique_sorted(quantiles_sorted(values, np.arange(1, FINE_BIN_COUNT) / FINE_BIN_COUNT))


def fingerprint(model, model_version, bins, feature_name=None):
    """The binning fingerprint of (model, modelVersion, edges), or of a feature's edges or kept category names when
    `feature_name` is given (`bins` a sequence of str for a categorical feature)."""
    digest = hashlib.sha256()
    digest.update(DOMAIN + b"\0" + model.encode("utf-8") + b"\0" + model_version.encode("utf-8") + b"\0")
    if feature_name is not None:
        digest.update(feature_name.encode("utf-8") + b"\0")
    if len(bins) and all(isinstance(name, str) for name in bins):
        digest.update("\0".join(bins).encode("utf-8"))
    else:  # no edges and no categories hash the same: nothing
        digest.update(np.asarray(bins, dtype="<f8").tobytes())
    return digest.hexdigest()[:16]


def binning(model, model_version, reference):
    """``{"binning": fingerprint, "edges": [...]}`` for a Baseline of these reference values, as liftwatch bins prints."""
    edges = fine_edges(reference)
    return {"binning": fingerprint(model, model_version, edges), "edges": printed(edges)}


def printed(edges):
    """Edges as ``liftwatch bins`` prints them: JSON numbers as JavaScript writes them, -0 as 0 (x + 0.0 is +0.0
    for either zero). The fingerprint is of the edges themselves; a zero's sign changes no bin."""
    return [float(edge) + 0.0 for edge in edges]


def feature_fine_edges(reference):
    """A numeric feature's fine edges (shared/stats/features/rangeFineBins.ts): the fine edges of its non-missing
    reference values (NaN = missing) with its minimum before them, unless already the first, and the next double
    above its maximum after them, so that bin 0 is x < min and the last bin x > max. None when every reference value
    is missing: no edges, one bin.

    Equal to ``np.unique(concat([min], quantiles, [np.nextafter(max, inf)]))``.
    """
    values = np.asarray(reference, dtype=np.float64).ravel()
    values = sorted_as_liftwatch(values[~np.isnan(values)])
    if values.size == 0:
        return np.array([], dtype=np.float64)
    edges = fine_edges(values)
    low, high = values[0], values[-1]  # -0.0 when the smallest value is a zero and one of them is negative
    below = [low] if edges[0] > low else []
    return np.concatenate([below, edges, [np.nextafter(high, np.inf)]])


def kept_categories(values):
    """A categorical feature's kept categories: its non-missing reference values (None = missing) by count, most
    frequent first, ties by name ascending, at most MAX_KEPT_CATEGORIES (summarizeCategorical)."""
    counts = Counter(value for value in values if value is not None)
    ranked = sorted(counts.items(), key=lambda item: (-item[1], item[0]))
    return [name for name, _ in ranked[:MAX_KEPT_CATEGORIES]]


def numeric_feature_binning(model, model_version, name, reference):
    """``{"binning", "edges"}`` of a numeric feature of these reference values, as liftwatch bins prints it."""
    edges = feature_fine_edges(reference)
    return {"binning": fingerprint(model, model_version, edges, name), "edges": printed(edges)}


def categorical_feature_binning(model, model_version, name, reference):
    """``{"binning", "categories"}`` of a categorical feature of these reference values, as liftwatch bins prints
    it."""
    categories = kept_categories(reference)
    return {"binning": fingerprint(model, model_version, categories, name), "categories": categories}
