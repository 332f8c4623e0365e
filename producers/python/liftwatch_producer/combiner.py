"""Bin counts as a mergeable combiner, in the shape Apache Beam's CombineFn wants (create_accumulator, add_input,
merge_accumulators, extract_output), so that a distributed engine can count a window's values in parallel.

Bins are left-closed with open outer bins, as liftwatch bins predictions: for edges e_0 < ... < e_{B-1}, bin 0 is
x < e_0, bin i is e_{i-1} <= x < e_i, bin B is x >= e_{B-1}: ``numpy.searchsorted(edges, x, side="right")``, the
same as BigQuery's ``RANGE_BUCKET(x, edges)``. Counts of disjoint parts of a window add up to the window's.

A FeatureBatch's columns are counted with FeatureBinCounts (a numeric feature, in the edges ``liftwatch bins``
prints for it, missing values counted apart) and CategoryCounts (a categorical feature, by category name); their
outputs ``{"counts", "missing"}`` are what binned_numeric_column and counted_categorical_column take.
"""
import numbers
from collections import Counter

import numpy as np


class BinCounts:
    """Counts values into the bins of `edges` (finite, strictly increasing); output is B + 1 Python ints.

    In a Beam pipeline derive from both (``class BinCountsFn(BinCounts, beam.CombineFn): pass``) and use
    ``beam.CombinePerKey(BinCountsFn(edges))``; no Beam import is needed here.
    """

    def __init__(self, edges):
        self.edges = checked_edges(edges, type(self).__name__, allow_empty=False)

    @property
    def bins(self):
        return self.edges.size + 1

    def create_accumulator(self):
        return np.zeros(self.bins, dtype=np.int64)

    def add_input(self, accumulator, element):
        """Adds one value, or an array of values (a chunk), to the accumulator (which it may modify)."""
        values = np.asarray(element, dtype=np.float64).ravel()
        if values.size and not np.all(np.isfinite(values)):
            raise ValueError("BinCounts counts finite values only (NaN and infinity have no bin)")
        accumulator += np.bincount(np.searchsorted(self.edges, values, side="right"), minlength=self.bins)
        return accumulator

    def merge_accumulators(self, accumulators):
        merged = self.create_accumulator()
        for accumulator in accumulators:
            merged += accumulator
        return merged

    def extract_output(self, accumulator):
        return [int(count) for count in accumulator]


def checked_edges(edges, owner, *, allow_empty):
    edges = np.asarray(edges, dtype=np.float64)
    if edges.ndim != 1 or (edges.size == 0 and not allow_empty):
        raise ValueError(f"{owner} requires a {'' if allow_empty else 'non-empty '}one-dimensional array of edges")
    if not np.all(np.isfinite(edges)):
        raise ValueError(f"{owner} requires finite edges")
    if not np.all(np.diff(edges) > 0):
        raise ValueError(f"{owner} requires strictly increasing edges")
    return edges


def numbers_or_missing(element):
    """One value or an array of them as float64, None and NaN as NaN (missing); strings and booleans refused."""
    given = np.asarray(element)
    if given.dtype.kind == "b" or given.dtype.kind not in "iufO":
        raise ValueError("a numeric feature counts numbers, None or NaN (missing), not strings or booleans")
    if given.dtype.kind == "O":
        items = given.ravel().tolist()
        if any(isinstance(item, (bool, np.bool_)) or not (item is None or isinstance(item, numbers.Real))
               for item in items):
            raise ValueError("a numeric feature counts numbers, None or NaN (missing), not strings or booleans")
        return np.array([np.nan if item is None else float(item) for item in items], dtype=np.float64)
    return given.astype(np.float64).ravel()


class FeatureBinCounts(BinCounts):
    """Counts a numeric feature's values into its fine bins (the edges ``liftwatch bins --baseline
    FEATURE_BASELINE.json`` prints for it; none when its reference was all missing, one bin), None and NaN counted
    as missing; output ``{"counts": [B + 1 ints], "missing": int}``, binned_numeric_column's arguments.

    In Beam: ``class FeatureBinCountsFn(FeatureBinCounts, beam.CombineFn): pass``.
    """

    def __init__(self, edges):
        self.edges = checked_edges(edges, type(self).__name__, allow_empty=True)

    def create_accumulator(self):
        """The bins' counts, then the missing count in the last slot."""
        return np.zeros(self.bins + 1, dtype=np.int64)

    def add_input(self, accumulator, element):
        """Adds one value (None or NaN: missing), or an array or list of them, to the accumulator."""
        values = numbers_or_missing(element)
        missing = np.isnan(values)
        present = values[~missing]
        if not np.all(np.isfinite(present)):
            raise ValueError("FeatureBinCounts counts finite values and missing ones (infinity has no bin)")
        accumulator[: self.bins] += np.bincount(np.searchsorted(self.edges, present, side="right"), minlength=self.bins)
        accumulator[self.bins] += int(missing.sum())
        return accumulator

    def extract_output(self, accumulator):
        return {"counts": [int(count) for count in accumulator[: self.bins]], "missing": int(accumulator[self.bins])}


class CategoryCounts:
    """Counts a categorical feature's values by name, None counted as missing; output ``{"counts": {name: int}
    (names sorted), "missing": int}``, counted_categorical_column's arguments. Counts of disjoint parts of a window
    add up to the window's, as BinCounts' do.

    In Beam: ``class CategoryCountsFn(CategoryCounts, beam.CombineFn): pass``; the accumulator is a Counter (the
    missing values under the key None), which pickles.
    """

    def create_accumulator(self):
        return Counter()

    def add_input(self, accumulator, element):
        """Adds one value (a string, or None: missing), or an iterable of them, to the accumulator."""
        values = [element] if element is None or isinstance(element, str) else np.asarray(element, dtype=object).ravel()
        for value in values:
            if value is not None and not isinstance(value, str):
                raise ValueError(f"CategoryCounts counts strings and None (missing), not {type(value).__name__}")
        accumulator.update(None if value is None else str(value) for value in values)
        return accumulator

    def merge_accumulators(self, accumulators):
        merged = self.create_accumulator()
        for accumulator in accumulators:
            merged.update(accumulator)
        return merged

    def extract_output(self, accumulator):
        names = sorted(name for name in accumulator if name is not None)
        return {"counts": {name: int(accumulator[name]) for name in names}, "missing": int(accumulator[None])}
