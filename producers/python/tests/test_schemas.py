"""Every message kind in every encoding validates against the committed JSON Schemas (skipped without jsonschema,
and for the feature messages until their schemas exist)."""
import datetime as dt
import importlib.util
import json
import unittest

import numpy as np

import liftwatch_producer as lp
from liftwatch_producer import schema

WINDOW_END = dt.datetime(2026, 11, 26, 15, 0, tzinfo=dt.timezone.utc)


def every_message():
    rng = np.random.default_rng(5)
    predictions = rng.beta(2, 30, 300)
    outcomes = (rng.random(300) < predictions).astype(int)
    treatment = (np.arange(300) % 10 != 0).astype(int)
    segment = {"market": "se", "platform": "ios"}
    for encoding in ["json", "compact"]:
        yield lp.baseline("m", "v1", predictions, encoding=encoding)
        yield lp.prediction_batch("m", "v1", WINDOW_END, predictions, segment=segment, encoding=encoding)
        yield lp.outcome_batch("m", "v1", WINDOW_END, predictions, outcomes, segment=segment, encoding=encoding)
        yield lp.uplift_batch(
            "m",
            "v1",
            WINDOW_END,
            predictions - 0.05,
            treatment,
            outcomes,
            planned_treatment_share=0.9,
            encoding=encoding,
        )
    edges = np.quantile(predictions, np.arange(1, 1000) / 1000)
    counts = lp.BinCounts(np.unique(edges))
    accumulator = counts.add_input(counts.create_accumulator(), predictions)
    yield lp.binned_prediction_batch(
        "m", "v1", WINDOW_END, "0123456789abcdef", counts.extract_output(accumulator), segment=segment
    )
    yield lp.campaign_results(
        "m",
        "v1",
        WINDOW_END,
        [
            {
                "campaignId": "cmp-1",
                "segment": {"tier": "gold"},
                "predictedLift": 0.01,
                "predictedLiftInterval": {"lower": 0.0, "upper": 0.02},
                "treatment": {"units": 900, "conversions": 90},
                "control": {"units": 100, "conversions": 8},
                "plannedTreatmentShare": 0.9,
            }
        ],
        segment=segment,
    )
    for encoding, categorical in [("json", "json"), ("compact", "codes"), ("compact", "compact")]:
        features = {
            "followers": lp.numeric_column([1.0, None, 3.5], encoding=encoding),
            "device": lp.categorical_column(["ios", None, "web"], encoding=categorical),
        }
        yield lp.feature_baseline("m", "v1", {**features, "reach": lp.numeric_column([0.1, 0.2, 0.3], importance=0.5)})
        yield lp.feature_batch("m", "v1", WINDOW_END, features, segment=segment)
    reference = {
        "followers": lp.numeric_column(np.round(rng.lognormal(3, 1, 300))),
        "legacy": lp.numeric_column([None] * 300),
        "device": lp.categorical_column(rng.choice(["ios", "web"], 300).astype(object)),
    }
    bins = lp.feature_binning("m", "v1", lp.feature_baseline("m", "v1", reference))
    window = {"followers": [1.0, None, 50.0], "legacy": [None, None, None], "device": ["ios", None, "tv"]}
    yield lp.binned_feature_batch("m", "v1", WINDOW_END, bins, window, segment=segment)


@unittest.skipIf(importlib.util.find_spec("jsonschema") is None, "jsonschema is not installed")
class SchemaTest(unittest.TestCase):
    def test_every_message_kind_and_encoding_validates_against_its_json_schema(self):
        checked = set()
        for message in every_message():
            if not (schema.DEFAULT_SCHEMA_DIR / schema.SCHEMA_FILES[message.kind]).exists():
                continue
            with self.subTest(kind=message.kind, fields=sorted(message.body)):
                self.assertEqual(schema.schema_errors(message), [])
                checked.add(message.kind)
        self.assertTrue({"Baseline", "PredictionBatch", "OutcomeBatch", "CampaignResults", "UpliftBatch"} <= checked)
        self.assertIn("FeatureBatch", checked)

    def test_a_binned_feature_batch_validates_and_a_bad_one_does_not(self):
        message = list(every_message())[-1]
        self.assertIn("binCounts", message.body["features"]["followers"])
        self.assertEqual(message.body["features"]["legacy"]["binCounts"]["counts"], [0])
        self.assertEqual(schema.schema_errors(message), [])
        body = json.loads(message.data)
        del body["features"]["device"]["missing"]  # missing is required with counts
        bad = lp.Message(message.kind, message.topic, body, json.dumps(body).encode(), message.ordering_key)
        self.assertNotEqual(schema.schema_errors(bad), [])


if __name__ == "__main__":
    unittest.main()
