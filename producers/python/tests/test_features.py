"""FeatureBaseline and FeatureBatch columns in each encoding (counted ones included), decoded back, and their
refusals."""
import base64
import datetime as dt
import json
import math
import unittest

import numpy as np

import liftwatch_producer as lp

WINDOW_END = dt.datetime(2026, 11, 26, 15, 0, tzinfo=dt.timezone.utc)


class FeatureColumnsTest(unittest.TestCase):
    def test_numeric_columns_write_missing_as_null_or_nan(self):
        values = [1.5, None, float("nan"), -3.0]
        for encoding in ["json", "compact"]:
            with self.subTest(encoding=encoding):
                features = {"followers": lp.numeric_column(values, encoding=encoding)}
                message = lp.feature_batch("m", "v1", WINDOW_END, features)
                column = json.loads(message.data)["features"]["followers"]
                if encoding == "json":
                    self.assertEqual(column, {"kind": "numeric", "values": [1.5, None, None, -3.0]})
                else:
                    decoded = np.frombuffer(base64.b64decode(column["valuesF32"]), dtype="<f4")
                    self.assertEqual([None if math.isnan(x) else float(x) for x in decoded], [1.5, None, None, -3.0])
                self.assertEqual(message.topic, "features")
                self.assertEqual(message.ordering_key, "m/v1/all")

    def test_categorical_columns_as_values_codes_and_uint16_codes(self):
        values = ["ios", None, "web", "ios"]
        written = {
            encoding: json.loads(
                lp.feature_baseline("m", "v1", {"device": lp.categorical_column(values, encoding=encoding)}).data
            )["features"]["device"]
            for encoding in ["json", "codes", "compact"]
        }
        self.assertEqual(written["json"], {"kind": "categorical", "values": values})
        self.assertEqual(
            written["codes"], {"kind": "categorical", "categories": ["ios", "web"], "codes": [0, -1, 1, 0]}
        )
        self.assertEqual(written["compact"]["categories"], ["ios", "web"])
        self.assertEqual(
            np.frombuffer(base64.b64decode(written["compact"]["codesU16"]), dtype="<u2").tolist(), [0, 65535, 1, 0]
        )

    def test_a_baseline_carries_importances_and_a_batch_does_not(self):
        features = {"reach": lp.numeric_column([1.0, 2.0], importance=0.25)}
        message = lp.feature_baseline("m", "v1", features)
        self.assertEqual(json.loads(message.data)["features"]["reach"]["importance"], 0.25)
        self.assertEqual((message.topic, message.ordering_key), ("feature-baselines", ""))
        with self.assertRaises(lp.InvalidMessageError) as refused:
            lp.feature_batch("m", "v1", WINDOW_END, features)
        self.assertEqual(refused.exception.issues[0].path, "features.reach.importance")

    def test_refuses_bad_features_naming_the_field(self):
        cases = [
            ({"Followers": lp.numeric_column([1.0])}, "features.Followers"),
            ({f"f{i}": lp.numeric_column([1.0]) for i in range(101)}, "features"),
            ({}, "features"),
            ({"followers": lp.numeric_column([1.0, float("inf")])}, "features.followers.values[1]"),
            ({"followers": lp.numeric_column([2e9])}, "features.followers.values[0]"),
            ({"followers": lp.numeric_column([])}, "features.followers.values"),
            ({"followers": lp.numeric_column([1.0, 2.0]), "device": lp.categorical_column(["ios"])}, "features.device"),
            ({f"f{i}": lp.numeric_column(np.zeros(20_000)) for i in range(90)}, "features"),
            ({"device": lp.categorical_column(["ios", "a b"])}, "features.device.values[1]"),
            ({"device": lp.categorical_column(["ios", 3])}, "features.device.values[1]"),
            ({"reach": lp.numeric_column([1.0], importance=-1)}, "features.reach.importance"),
        ]
        for features, path in cases:
            with self.subTest(path=path), self.assertRaises(lp.InvalidMessageError) as refused:
                lp.feature_baseline("m", "v1", features)
            self.assertEqual(refused.exception.issues[0].path, path)


BINS = {
    "features": {
        "plays": {"binning": "0123456789abcdef", "edges": [1.0, 2.0, 3.0]},
        "legacy": {"binning": "fedcba9876543210", "edges": []},
        "device": {"binning": "00112233445566ff", "categories": ["ios", "web"]},
    }
}


class CountedColumnsTest(unittest.TestCase):
    def test_a_binned_batch_counts_each_feature_in_its_binning(self):
        plays = [0.5, 1.0, 2.5, None, 3.0, float("nan"), 9.0]
        legacy = [None, 4.0, 5.0, None, None, 1.0, 2.0]
        device = ["ios", "tv", None, "ios", "web", "ios", None]
        message = lp.binned_feature_batch(
            "m", "v1", WINDOW_END, BINS, {"plays": plays, "legacy": legacy, "device": device}, segment={"market": "se"}
        )
        body = json.loads(message.data)
        self.assertEqual(
            body["features"],
            {
                # bins: x < 1, [1, 2), [2, 3), x >= 3 (np.searchsorted side="right")
                "plays": {"kind": "numeric", "binCounts": {"binning": "0123456789abcdef", "counts": [1, 1, 1, 2]},
                          "missing": 2},
                "legacy": {"kind": "numeric", "binCounts": {"binning": "fedcba9876543210", "counts": [4]},
                           "missing": 3},
                "device": {"kind": "categorical", "counts": {"ios": 3, "tv": 1, "web": 1}, "missing": 2},
            },
        )
        self.assertEqual((message.topic, message.ordering_key), ("features", "m/v1/market=se"))

    def test_counts_from_the_combiners_and_raw_columns_mix_in_one_batch(self):
        numeric = lp.FeatureBinCounts(BINS["features"]["plays"]["edges"])
        categorical = lp.CategoryCounts()
        counted = numeric.extract_output(numeric.add_input(numeric.create_accumulator(), [0.1, 2.0, None]))
        named = categorical.extract_output(categorical.add_input(categorical.create_accumulator(), ["a", "a", None]))
        message = lp.feature_batch(
            "m",
            "v1",
            WINDOW_END,
            {
                "plays": lp.binned_numeric_column(BINS["features"]["plays"], **counted),
                "genre": lp.counted_categorical_column(**named),
                "reach": lp.numeric_column([1.0, None, 2.0], encoding="compact"),
            },
        )
        features = json.loads(message.data)["features"]
        self.assertEqual(features["plays"]["binCounts"]["counts"], [1, 0, 1, 0])
        self.assertEqual(features["genre"], {"kind": "categorical", "counts": {"a": 2}, "missing": 1})
        self.assertIn("valuesF32", features["reach"])

    def test_counted_columns_carry_any_number_of_rows(self):
        # 100 features of a billion rows each: counts, not values, so no cell limit applies.
        features = {f"f{i}": lp.counted_categorical_column({"a": 10**9 - 1}, 1) for i in range(100)}
        message = lp.feature_batch("m", "v1", WINDOW_END, features)
        self.assertEqual(json.loads(message.data)["features"]["f99"]["counts"], {"a": 999_999_999})

    def test_refuses_what_liftwatch_refuses_naming_the_field(self):
        plays = BINS["features"]["plays"]
        cases = [
            (
                {"plays": lp.binned_numeric_column("0123456789ABCDEF", [1, 1, 1, 1], 0)},
                "features.plays.binCounts.binning",
            ),
            ({"plays": lp.binned_numeric_column(plays, [1, 1, 1], 0)}, "features.plays.binCounts.counts"),
            ({"plays": lp.binned_numeric_column(plays, [1, -1, 1, 1], 0)}, "features.plays.binCounts.counts[1]"),
            ({"plays": lp.binned_numeric_column(plays, [1, 1.5, 1, 1], 0)}, "features.plays.binCounts.counts[1]"),
            ({"plays": lp.binned_numeric_column(plays, [1, 1, 1, 1], -1)}, "features.plays.missing"),
            ({"plays": lp.binned_numeric_column(plays, [1, 1, 1, 1], None)}, "features.plays.missing"),
            ({"plays": lp.binned_numeric_column(plays, [0, 0, 0, 0], 0)}, "features.plays.missing"),
            ({"plays": lp.binned_numeric_column("0123456789abcdef", [1] * 1003, 0)}, "features.plays.binCounts.counts"),
            ({"plays": lp.binned_numeric_column(plays, [2**53 - 1, 0, 0, 0], 1)}, "features.plays.binCounts"),
            ({"device": lp.counted_categorical_column({"a b": 1}, 0)}, "features.device.counts.a b"),
            ({"device": lp.counted_categorical_column({"ios": -1}, 0)}, "features.device.counts.ios"),
            ({"device": lp.counted_categorical_column({"ios": True}, 0)}, "features.device.counts.ios"),
            ({"device": lp.counted_categorical_column({}, 0)}, "features.device.missing"),
            ({"device": lp.counted_categorical_column(["ios"], 0)}, "features.device.counts"),
            (
                {"device": lp.counted_categorical_column({"ios": 2}, 1), "reach": lp.numeric_column([1.0, 2.0])},
                "features.reach",
            ),
            (
                {"reach": lp.numeric_column([1.0, 2.0]), "device": lp.counted_categorical_column({"ios": 2}, 1)},
                "features.device",
            ),
        ]
        for features, path in cases:
            with self.subTest(path=path), self.assertRaises(lp.InvalidMessageError) as refused:
                lp.feature_batch("m", "v1", WINDOW_END, features)
            self.assertEqual(refused.exception.issues[0].path, path)

    def test_a_baseline_refuses_counted_columns_and_a_batch_an_unknown_feature(self):
        with self.assertRaises(lp.InvalidMessageError) as refused:
            lp.feature_baseline("m", "v1", {"device": lp.counted_categorical_column({"ios": 1}, 0)})
        self.assertEqual(refused.exception.issues[0].path, "features.device.counts")
        with self.assertRaises(lp.InvalidMessageError) as refused:
            lp.binned_feature_batch("m", "v1", WINDOW_END, BINS, {"genre": ["a"]})
        self.assertEqual(refused.exception.issues[0].path, "features.genre")
        with self.assertRaises(ValueError):  # values or counts, not both
            lp.feature_batch("m", "v1", WINDOW_END, {"d": lp.counted_categorical_column({"a": 1}, 0, values=["a"])})
        with self.assertRaises(ValueError):  # counting values needs the edges
            lp.feature_batch("m", "v1", WINDOW_END, {"p": lp.binned_numeric_column("0123456789abcdef", values=[1.0])})


if __name__ == "__main__":
    unittest.main()
