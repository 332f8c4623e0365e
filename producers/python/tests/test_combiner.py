"""BinCounts, the count-vector combiner, checked against an independent bisect-based count and for the laws a
distributed engine relies on: any split of the input, merged in any order, gives the counts of the whole."""
import bisect
import unittest

import numpy as np

from liftwatch_producer import BinCounts


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


if __name__ == "__main__":
    unittest.main()
