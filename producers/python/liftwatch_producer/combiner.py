"""Bin counts as a mergeable combiner, in the shape Apache Beam's CombineFn wants (create_accumulator, add_input,
merge_accumulators, extract_output), so that a distributed engine can count a window's values in parallel.

Bins are left-closed with open outer bins, as liftwatch bins predictions: for edges e_0 < ... < e_{B-1}, bin 0 is
x < e_0, bin i is e_{i-1} <= x < e_i, bin B is x >= e_{B-1}: ``numpy.searchsorted(edges, x, side="right")``, the
same as BigQuery's ``RANGE_BUCKET(x, edges)``. Counts of disjoint parts of a window add up to the window's.
"""
import numpy as np


class BinCounts:
    """Counts values into the bins of `edges` (finite, strictly increasing); output is B + 1 Python ints.

    In a Beam pipeline derive from both (``class BinCountsFn(BinCounts, beam.CombineFn): pass``) and use
    ``beam.CombinePerKey(BinCountsFn(edges))``; no Beam import is needed here.
    """

    def __init__(self, edges):
        edges = np.asarray(edges, dtype=np.float64)
        if edges.ndim != 1 or edges.size == 0:
            raise ValueError("BinCounts requires a non-empty one-dimensional array of edges")
        if not np.all(np.isfinite(edges)):
            raise ValueError("BinCounts requires finite edges")
        if not np.all(np.diff(edges) > 0):
            raise ValueError("BinCounts requires strictly increasing edges")
        self.edges = edges

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
