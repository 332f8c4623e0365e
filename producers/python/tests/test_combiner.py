"""BinCounts, the count-vector combiner, and the feature combiners FeatureBinCounts and CategoryCounts, checked
against independent counts (bisect, collections.Counter) and for the laws a distributed engine relies on: any split
of the input, merged in any order, gives the counts of the whole."""
import bisect
import math
import pickle
import unittest
from collections import Counter

import numpy as np

from liftwatch_producer import BinCounts, CategoryCounts, FeatureBinCounts


def counted_by_bisect(edges, values):
    """The left-closed bins with open outer bins, counted one value at a time with the standard library."""
    counts = [0] * (len(edges) + 1)
    for value in values:
        counts[bisect.bisect_right(list(edges), value)] += 1
    return counts


def combine(fn, parts):
    """What a runner does: one accumulator per worker, each fed its part in chunks, merged, extracted."""
    accumulators = []
    for part in parts:
        accumulator = fn.create_accumulator()
        for chunk in np.array_split(part, 3):
            accumulator = fn.add_input(accumulator, chunk)
        accumulators.append(accumulator)
    return fn.extract_output(fn.merge_accumulators(accumulators))


class BinCountsTest(unittest.TestCase):
    def test_values_on_an_edge_fall_in_the_bin_the_edge_opens(self):
        fn = BinCounts([0.1, 0.2, 0.3])
        accumulator = fn.create_accumulator()
        for value in [0.05, 0.1, 0.15, 0.2, 0.3, 0.99, -5.0]:
            accumulator = fn.add_input(accumulator, value)
        self.assertEqual(fn.extract_output(accumulator), [2, 2, 1, 2])

    def test_matches_an_independent_count_on_random_data_with_ties(self):
        rng = np.random.default_rng(3)
        for trial in range(20):
            with self.subTest(trial=trial):
                edges = np.unique(np.round(rng.normal(size=rng.integers(1, 40)), 2))
                # Values rounded to the same grid as the edges, so many fall exactly on an edge.
                values = np.round(rng.normal(size=rng.integers(1, 2000)), 2)
                self.assertEqual(combine(BinCounts(edges), [values]), counted_by_bisect(edges, values))

    def test_any_split_merged_in_any_order_gives_the_counts_of_the_whole(self):
        rng = np.random.default_rng(4)
        edges = np.quantile(rng.beta(2, 30, 5000), np.arange(1, 1000) / 1000)
        edges = np.unique(edges)
        values = rng.beta(2, 28, 20_000)
        whole = counted_by_bisect(edges, values)
        fn = BinCounts(edges)
        for trial in range(5):
            with self.subTest(trial=trial):
                cuts = np.sort(rng.integers(0, values.size, size=rng.integers(1, 8)))
                parts = np.split(rng.permutation(values), cuts)
                self.assertEqual(combine(fn, parts), whole)
                self.assertEqual(combine(fn, parts[::-1]), whole)
        self.assertEqual(sum(whole), values.size)

    def test_merging_is_associative_and_the_empty_accumulator_is_neutral(self):
        fn = BinCounts([0.0, 1.0])
        a, b, c = (fn.add_input(fn.create_accumulator(), part) for part in ([-1.0, 0.5], [1.0], [0.0, 0.0, 7.0]))
        left = fn.merge_accumulators([fn.merge_accumulators([a.copy(), b.copy()]), c.copy()])
        right = fn.merge_accumulators([a.copy(), fn.merge_accumulators([b.copy(), c.copy()])])
        self.assertEqual(fn.extract_output(left), fn.extract_output(right))
        self.assertEqual(fn.extract_output(left), [1, 3, 2])
        self.assertEqual(fn.extract_output(fn.merge_accumulators([fn.create_accumulator(), a.copy()])), [1, 1, 0])
        self.assertEqual(fn.extract_output(fn.merge_accumulators([])), [0, 0, 0])

    def test_outputs_python_integers(self):
        fn = BinCounts([0.5])
        output = fn.extract_output(fn.add_input(fn.create_accumulator(), [0.1, 0.9, 0.9]))
        self.assertEqual([type(count) for count in output], [int, int])

    def test_refuses_values_without_a_bin_and_edges_that_are_not_increasing(self):
        fn = BinCounts([0.5])
        for value in [float("nan"), float("inf")]:
            with self.subTest(value=value), self.assertRaises(ValueError):
                fn.add_input(fn.create_accumulator(), [0.1, value])
        for edges in [[], [0.2, 0.1], [0.1, 0.1], [0.1, float("nan")], [[0.1]]]:
            with self.subTest(edges=edges), self.assertRaises(ValueError):
                BinCounts(edges)


def split(values, rng):
    """`values` shuffled and cut into 1 to 8 workers' shares (some may be empty)."""
    order = rng.permutation(len(values))
    shuffled = [values[i] for i in order]
    cuts = sorted(rng.integers(0, len(values) + 1, size=rng.integers(0, 8)).tolist())
    return [shuffled[a:b] for a, b in zip([0, *cuts], [*cuts, len(values)])]


def merged(fn, parts):
    """What a runner does with feature values: one accumulator per worker, fed value by value or as one list."""
    accumulators = []
    for index, part in enumerate(parts):
        accumulator = fn.create_accumulator()
        if index % 2:
            for value in part:
                accumulator = fn.add_input(accumulator, value)
        else:
            accumulator = fn.add_input(accumulator, part)
        accumulators.append(pickle.loads(pickle.dumps(accumulator)))  # as a runner ships them between workers
    return fn.extract_output(fn.merge_accumulators(accumulators))


class FeatureBinCountsTest(unittest.TestCase):
    def test_counts_present_values_in_the_bins_and_none_and_nan_as_missing(self):
        fn = FeatureBinCounts([1.0, 2.0, np.nextafter(3.0, 4.0)])
        output = fn.extract_output(fn.add_input(fn.create_accumulator(), [0.5, 1.0, None, 3.0, float("nan"), 3.5]))
        self.assertEqual(output, {"counts": [1, 1, 1, 1], "missing": 2})
        self.assertEqual([type(count) for count in output["counts"]] + [type(output["missing"])], [int] * 5)

    def test_no_edges_is_one_bin(self):
        fn = FeatureBinCounts([])
        output = fn.extract_output(fn.add_input(fn.create_accumulator(), np.array([1.0, -7.0, np.nan])))
        self.assertEqual(output, {"counts": [2], "missing": 1})

    def test_any_split_merged_gives_an_independent_count_of_the_whole(self):
        rng = np.random.default_rng(6)
        edges = np.unique(np.round(rng.normal(size=200), 2))
        values = np.round(rng.normal(size=5000), 2).tolist()
        values = [None if i % 17 == 0 else float("nan") if i % 23 == 0 else v for i, v in enumerate(values)]
        present = [v for v in values if v is not None and not math.isnan(v)]
        whole = {"counts": counted_by_bisect(edges, present), "missing": len(values) - len(present)}
        fn = FeatureBinCounts(edges)
        for trial in range(6):
            with self.subTest(trial=trial):
                self.assertEqual(merged(fn, split(values, rng)), whole)
        self.assertEqual(fn.extract_output(fn.merge_accumulators([])), {"counts": [0] * (edges.size + 1), "missing": 0})

    def test_refuses_infinity_strings_and_booleans(self):
        fn = FeatureBinCounts([0.5])
        for element in [[0.1, float("inf")], ["0.1"], [True], "0.1", np.array(["a"])]:
            with self.subTest(element=element), self.assertRaises(ValueError):
                fn.add_input(fn.create_accumulator(), element)
        for edges in [[0.2, 0.1], [[0.1]], [float("nan")]]:
            with self.subTest(edges=edges), self.assertRaises(ValueError):
                FeatureBinCounts(edges)


class CategoryCountsTest(unittest.TestCase):
    def test_any_split_merged_gives_an_independent_count_of_the_whole(self):
        rng = np.random.default_rng(7)
        values = [None if i % 13 == 0 else f"c{int(rng.integers(0, 300))}" for i in range(4000)]
        counter = Counter(v for v in values if v is not None)
        whole = {"counts": dict(sorted(counter.items())), "missing": values.count(None)}
        fn = CategoryCounts()
        for trial in range(6):
            with self.subTest(trial=trial):
                output = merged(fn, split(values, rng))
                self.assertEqual(output, whole)
                self.assertEqual(list(output["counts"]), sorted(counter))
        self.assertEqual(fn.extract_output(fn.merge_accumulators([])), {"counts": {}, "missing": 0})

    def test_merging_is_associative_and_takes_numpy_arrays(self):
        fn = CategoryCounts()
        a, b, c = (
            fn.add_input(fn.create_accumulator(), part)
            for part in (np.array(["ios", None, "web"], dtype=object), "ios", ["tv", None])
        )
        left = fn.merge_accumulators([fn.merge_accumulators([a, b]), c])
        right = fn.merge_accumulators([a, fn.merge_accumulators([b, c])])
        self.assertEqual(fn.extract_output(left), fn.extract_output(right))
        self.assertEqual(fn.extract_output(left), {"counts": {"ios": 2, "tv": 1, "web": 1}, "missing": 2})

    def test_refuses_what_is_not_a_category_string(self):
        fn = CategoryCounts()
        for element in [3, ["ios", 3], [b"ios"]]:
            with self.subTest(element=element), self.assertRaises(ValueError):
                fn.add_input(fn.create_accumulator(), element)


if __name__ == "__main__":
    unittest.main()
