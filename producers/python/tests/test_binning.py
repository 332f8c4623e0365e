"""binning(): the fine edges and the fingerprint liftwatch derives from a baseline."""
import hashlib
import struct
import unittest

import numpy as np

import liftwatch_producer as lp
from liftwatch_producer.binning import fine_edges, fingerprint


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
