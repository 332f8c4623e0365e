"""FeatureBaseline and FeatureBatch columns in each encoding, decoded back, and their refusals."""
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


if __name__ == "__main__":
    unittest.main()
