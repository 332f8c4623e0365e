"""binning() and feature_binning(): the fine edges, kept categories and fingerprints liftwatch derives from a
baseline."""
import hashlib
import json
import math
import struct
import unittest

import numpy as np

import liftwatch_producer as lp
from liftwatch_producer.binning import (
    categorical_feature_binning,
    feature_fine_edges,
    fine_edges,
    fingerprint,
    kept_categories,
    numeric_feature_binning,
)


class BinningTest(unittest.TestCase):
    def test_edges_are_the_unique_quantiles_at_k_over_1000_and_contain_the_deciles(self):
        reference = np.round(np.random.default_rng(3).beta(2, 20, 5000), 3)
        edges = fine_edges(reference)
        self.assertTrue(np.all(np.diff(edges) > 0))
        self.assertLessEqual(edges.size, 999)
        deciles = np.unique(np.quantile(reference, np.arange(1, 10) / 10))
        self.assertTrue(set(deciles.tolist()) <= set(edges.tolist()))

    def test_the_fingerprint_hashes_model_version_and_little_endian_edges(self):
        edges = [0.25, 0.5]
        expected = hashlib.sha256(
            b"liftwatch-binning-v1\0m\0v1\0" + struct.pack("<2d", *edges)
        ).hexdigest()[:16]
        self.assertEqual(fingerprint("m", "v1", edges), expected)
        self.assertNotEqual(fingerprint("m", "v2", edges), expected)
        self.assertNotEqual(fingerprint("m", "v1", [0.25, np.nextafter(0.5, 1)]), expected)

    def test_a_constant_reference_has_one_edge_and_two_bins(self):
        self.assertEqual(lp.binning("m", "v1", [0.3] * 10)["edges"], [0.3])


class FeatureBinningTest(unittest.TestCase):
    """The binning of a FeatureBaseline's features, against independent computations of the rules in
    shared/stats/features (rangeFineBins.ts, featureSummary.ts) and shared/monitors/binning.ts."""

    def test_numeric_edges_add_the_reference_range_to_the_fine_edges(self):
        reference = np.round(np.random.default_rng(5).lognormal(2, 1, 3000))
        reference[::7] = np.nan
        present = reference[~np.isnan(reference)]
        quantiles = np.quantile(present, np.arange(1, 1000) / 1000)
        expected = np.unique(np.concatenate([[present.min()], quantiles, [np.nextafter(present.max(), np.inf)]]))
        edges = feature_fine_edges(reference)
        self.assertEqual(edges.tolist(), expected.tolist())
        # Whole numbers tie at the minimum: the first quantile is the minimum, which is not added twice.
        self.assertEqual(edges[0], present.min())
        self.assertEqual(edges[-1], np.nextafter(present.max(), np.inf))

    def test_the_minimum_is_prepended_when_below_the_first_quantile(self):
        edges = feature_fine_edges(np.arange(1.0, 2001.0))
        self.assertEqual(edges[0], 1.0)
        self.assertEqual(edges[1], np.quantile(np.arange(1.0, 2001.0), 0.001))
        self.assertEqual(edges.size, 999 + 2)

    def test_a_reference_all_missing_has_no_edges_and_hashes_nothing_after_the_name(self):
        binned = lp.binning  # the prediction binning is untouched by the feature binning
        self.assertEqual(binned("m", "v1", [0.5])["edges"], [0.5])
        result = numeric_feature_binning("m", "v1", "legacy", [np.nan, None, np.nan])
        expected = hashlib.sha256(b"liftwatch-binning-v1\0m\0v1\0legacy\0").hexdigest()[:16]
        self.assertEqual(result, {"binning": expected, "edges": []})

    def test_the_numeric_fingerprint_hashes_the_feature_name_before_the_edges(self):
        result = numeric_feature_binning("m", "v1", "plays", [1.0, 2.0])
        edges = result["edges"]
        self.assertEqual(edges[0], 1.0)
        self.assertEqual(edges[-1], np.nextafter(2.0, 3.0))
        expected = hashlib.sha256(
            b"liftwatch-binning-v1\0m\0v1\0plays\0" + struct.pack(f"<{len(edges)}d", *edges)
        ).hexdigest()[:16]
        self.assertEqual(result["binning"], expected)
        self.assertNotEqual(numeric_feature_binning("m", "v1", "plays2", [1.0, 2.0])["binning"], expected)

    def test_a_negative_zero_minimum_is_kept_in_the_fingerprint_and_printed_as_zero(self):
        # JavaScript sorts -0 before 0, so liftwatch's minimum of {0, -0, 1, ..., 2000} is -0 and its fingerprint
        # hashes -0's bytes; JSON.stringify prints it as 0.
        reference = [0.0, -0.0, *range(1, 2001)]
        positive = np.arange(1.0, 2001.0)
        quantiles = np.quantile(np.concatenate([[0.0, 0.0], positive]), np.arange(1, 1000) / 1000)
        self.assertTrue(np.all(quantiles > 0))
        edges = [-0.0, *quantiles.tolist(), np.nextafter(2000.0, np.inf)]
        expected = hashlib.sha256(
            b"liftwatch-binning-v1\0m\0v1\0delta\0" + struct.pack(f"<{len(edges)}d", *edges)
        ).hexdigest()[:16]
        result = numeric_feature_binning("m", "v1", "delta", reference)
        self.assertEqual(result["binning"], expected)
        self.assertEqual(result["edges"], [0.0, *edges[1:]])
        self.assertEqual(math.copysign(1, result["edges"][0]), 1.0)
        self.assertTrue(np.signbit(feature_fine_edges(reference[::-1])[0]))

    def test_kept_categories_are_the_1000_most_frequent_with_ties_by_name(self):
        rng = np.random.default_rng(8)
        names = [f"c{code:04d}" for code in rng.permutation(1200)]
        # 600 names twice, 600 once: the cut at 1,000 falls among the names seen once, taken by name.
        values = [name for index, name in enumerate(names) for _ in range(2 if index < 600 else 1)]
        values = list(np.array(values + [None] * 50, dtype=object)[rng.permutation(len(values) + 50)])
        kept = kept_categories(values)
        twice, once = sorted(names[:600]), sorted(names[600:])
        self.assertEqual(kept, twice + once[:400])
        result = categorical_feature_binning("m", "v1", "artist", values)
        expected = hashlib.sha256(
            b"liftwatch-binning-v1\0m\0v1\0artist\0" + "\0".join(twice + once[:400]).encode()
        ).hexdigest()[:16]
        self.assertEqual(result, {"binning": expected, "categories": twice + once[:400]})

    def test_feature_binning_reads_every_column_encoding_of_a_baseline_message(self):
        rng = np.random.default_rng(9)
        numbers = np.float32(rng.normal(size=400)).astype(np.float64)
        numbers[::9] = np.nan
        devices = rng.choice(["ios", "web", "tv"], 400).astype(object)
        devices[::11] = None
        expected = {
            "plays": numeric_feature_binning("m", "v1", "plays", numbers),
            "device": categorical_feature_binning("m", "v1", "device", list(devices)),
        }
        for numeric, categorical in [("json", "json"), ("compact", "codes"), ("compact", "compact")]:
            with self.subTest(numeric=numeric, categorical=categorical):
                message = lp.feature_baseline(
                    "m",
                    "v1",
                    {
                        "plays": lp.numeric_column(numbers, encoding=numeric),
                        "device": lp.categorical_column(devices, encoding=categorical),
                    },
                )
                self.assertEqual(lp.feature_binning("m", "v1", message), {"features": expected})
                self.assertEqual(lp.feature_binning("m", "v1", json.loads(message.data)), {"features": expected})
        with self.assertRaises(ValueError):
            lp.feature_binning("m", "v2", message)
