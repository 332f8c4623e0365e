"""The builders: what each message carries, its encodings decoded back, and what liftwatch would refuse."""
import base64
import datetime as dt
import json
import unittest

import numpy as np

import liftwatch_producer as lp

WINDOW_END = dt.datetime(2026, 11, 26, 15, 0, tzinfo=dt.timezone.utc)


def decoded_float32(text):
    return np.frombuffer(base64.b64decode(text, validate=True), dtype="<f4").astype(np.float64)


class PredictionBatchTest(unittest.TestCase):
    def test_json_encoding_round_trips_every_double_exactly(self):
        values = np.random.default_rng(1).beta(2, 30, 500)
        message = lp.prediction_batch("promo-lift", "v7", WINDOW_END, values, segment={"market": "se"})
        body = json.loads(message.data)
        self.assertEqual(body["predictions"], values.tolist())
        self.assertEqual(
            list(body), ["schemaVersion", "model", "modelVersion", "segment", "windowEnd", "predictions"]
        )
        self.assertEqual(message.topic, "predictions")
        self.assertEqual(message.ordering_key, "promo-lift/v7/market=se")

    def test_compact_encoding_is_little_endian_float32(self):
        values = [0.5, -2.0, 0.1]
        body = json.loads(lp.prediction_batch("promo-lift", "v7", WINDOW_END, values, encoding="compact").data)
        self.assertNotIn("predictions", body)
        raw = base64.b64decode(body["predictionsF32"], validate=True)
        self.assertEqual(raw[:8], bytes([0, 0, 0, 0x3F, 0, 0, 0, 0xC0]))
        np.testing.assert_array_equal(decoded_float32(body["predictionsF32"]), np.float32(values).astype(float))

    def test_the_ordering_key_uses_the_canonical_segment_label(self):
        for segment, key in [
            (None, "m/v1/all"),
            ({}, "m/v1/all"),
            ({"platform": "ios", "market": "se"}, "m/v1/market=se,platform=ios"),
        ]:
            with self.subTest(segment=segment):
                self.assertEqual(lp.prediction_batch("m", "v1", WINDOW_END, [0.1], segment=segment).ordering_key, key)
        # registerBaseline's subscription is unordered: a baseline needs no key.
        self.assertEqual(lp.baseline("m", "v1", [0.1]).ordering_key, "")

    def test_window_ends_are_rfc_3339_in_utc(self):
        cet = dt.timezone(dt.timedelta(hours=1))
        cases = [
            (WINDOW_END, "2026-11-26T15:00:00Z"),
            (dt.datetime(2026, 11, 26, 16, 0, tzinfo=cet), "2026-11-26T15:00:00Z"),
            (dt.datetime(2026, 11, 26, 15, 0, 0, 123999, tzinfo=dt.timezone.utc), "2026-11-26T15:00:00.123Z"),
            ("2026-11-26T16:00:00+01:00", "2026-11-26T16:00:00+01:00"),
        ]
        for given, written in cases:
            with self.subTest(given=given):
                body = json.loads(lp.prediction_batch("m", "v1", given, [0.1]).data)
                self.assertEqual(body["windowEnd"], written)

    def test_refuses_what_liftwatch_refuses_naming_the_field(self):
        cases = [
            (dict(predictions=[0.1, float("nan")]), "predictions[1]"),
            (dict(predictions=[0.1, None]), "predictions[1]"),
            (dict(predictions=[float("inf")]), "predictions[0]"),
            (dict(predictions=[2e9]), "predictions[0]"),
            (dict(predictions=[]), "predictions"),
            (dict(predictions=["0.1"]), "predictions[0]"),
            (dict(predictions=[[0.1]]), "predictions"),
            (dict(model="Promo"), "model"),
            (dict(model_version="v7\n"), "modelVersion"),
            (dict(segment={"Market": "se"}), "segment.Market"),
            (dict(segment={"market": "s e"}), "segment.market"),
            (dict(segment={f"k{i}": "x" for i in range(5)}), "segment"),
            (dict(window_end=dt.datetime(2026, 11, 26, 15)), "windowEnd"),
            (dict(window_end="2026-11-26T15:00:00"), "windowEnd"),
            (dict(window_end="2026-11-26t15:00:00z"), "windowEnd"),
            (dict(window_end="２０２６-11-26T15:00:00Z"), "windowEnd"),
            (dict(window_end="2026-02-30T15:00:00Z"), "windowEnd"),
        ]
        for overrides, path in cases:
            arguments = dict(model="m", model_version="v1", window_end=WINDOW_END, predictions=[0.1])
            arguments.update(overrides)
            with self.subTest(overrides=overrides), self.assertRaises(lp.InvalidMessageError) as refused:
                lp.prediction_batch(**arguments)
            self.assertEqual(refused.exception.issues[0].path, path)

    def test_names_the_first_ten_bad_elements_and_counts_the_rest(self):
        with self.assertRaises(lp.InvalidMessageError) as refused:
            lp.prediction_batch("m", "v1", WINDOW_END, [float("nan")] * 25)
        paths = [issue.path for issue in refused.exception.issues]
        self.assertEqual(paths[:10], [f"predictions[{i}]" for i in range(10)])
        self.assertEqual(refused.exception.issues[10].message[:25], "has 25 invalid values (ea")

    def test_refuses_a_batch_over_the_value_limit_and_data_over_ten_megabytes(self):
        with self.assertRaises(lp.InvalidMessageError) as refused:
            lp.prediction_batch("m", "v1", WINDOW_END, np.zeros(1_000_001), encoding="compact")
        self.assertEqual(refused.exception.issues[0].message, "carries more than 1000000 values")
        # 600,000 doubles of 17 significant digits are ~12 MB of JSON, within the value limit but over the byte limit.
        values = np.random.default_rng(2).random(600_000) / 3
        with self.assertRaises(lp.InvalidMessageError) as refused:
            lp.prediction_batch("m", "v1", WINDOW_END, values)
        self.assertEqual(refused.exception.issues[0].path, "data")
        self.assertIn("over the 10000000-byte limit", refused.exception.issues[0].message)
        compact = lp.prediction_batch("m", "v1", WINDOW_END, values, encoding="compact")
        self.assertEqual(json.loads(compact.data)["model"], "m")

    def test_a_baseline_may_carry_more_values_than_a_batch(self):
        message = lp.baseline("m", "v1", np.linspace(0, 1, 1_500_000), encoding="compact")
        self.assertEqual(len(base64.b64decode(json.loads(message.data)["predictionsF32"])), 6_000_000)
        self.assertEqual(message.topic, "baselines")
        with self.assertRaises(lp.InvalidMessageError):
            lp.baseline("m", "v1", np.zeros(1_750_001), encoding="compact")


class OutcomeAndUpliftTest(unittest.TestCase):
    def test_an_outcome_batch_encodes_outcomes_one_byte_each(self):
        message = lp.outcome_batch("m", "v1", WINDOW_END, [0.25, 0.5, 1.0], [1, 0, True], encoding="compact")
        body = json.loads(message.data)
        self.assertEqual(base64.b64decode(body["outcomesU8"]), bytes([1, 0, 1]))
        np.testing.assert_array_equal(decoded_float32(body["predictionsF32"]), [0.25, 0.5, 1.0])
        self.assertEqual(message.topic, "outcomes")

    def test_encodings_can_be_chosen_per_field(self):
        body = json.loads(
            lp.outcome_batch("m", "v1", WINDOW_END, [0.25, 0.5], [1, 0], encoding={"outcomes": "compact"}).data
        )
        self.assertEqual((body["predictions"], body["outcomesU8"]), ([0.25, 0.5], "AQA="))

    def test_outcome_batches_refuse_non_probabilities_non_bits_and_unequal_lengths(self):
        cases = [
            (dict(predictions=[1.5, 0.1]), "predictions[0]"),
            (dict(predictions=[-0.1, 0.1]), "predictions[0]"),
            (dict(outcomes=[1, 2]), "outcomes[1]"),
            (dict(outcomes=[1, 0, 1]), "outcomes"),
        ]
        for overrides, path in cases:
            arguments = dict(predictions=[0.2, 0.1], outcomes=[1, 0])
            arguments.update(overrides)
            with self.subTest(overrides=overrides), self.assertRaises(lp.InvalidMessageError) as refused:
                lp.outcome_batch("m", "v1", WINDOW_END, arguments["predictions"], arguments["outcomes"])
            self.assertEqual(refused.exception.issues[0].path, path)

    def test_an_uplift_batch_needs_both_arms_and_a_planned_share_strictly_between_0_and_1(self):
        message = lp.uplift_batch(
            "m", "v1", WINDOW_END, [0.1, -0.2], [1, 0], [0, 1], planned_treatment_share=0.9, encoding="compact"
        )
        body = json.loads(message.data)
        self.assertEqual(
            list(body),
            [
                "schemaVersion",
                "model",
                "modelVersion",
                "windowEnd",
                "upliftF32",
                "treatmentU8",
                "outcomesU8",
                "plannedTreatmentShare",
            ],
        )
        self.assertEqual(message.topic, "uplift-outcomes")
        for treatment, share, path in [
            ([1, 1], None, "treatment"),
            ([0, 0], None, "treatment"),
            ([1, 0, 1], None, "treatment"),
            ([1, 0], 1, "plannedTreatmentShare"),
            ([1, 0], 0.0, "plannedTreatmentShare"),
        ]:
            with self.subTest(treatment=treatment, share=share), self.assertRaises(lp.InvalidMessageError) as refused:
                lp.uplift_batch("m", "v1", WINDOW_END, [0.1, 0.2], treatment, [0, 1], planned_treatment_share=share)
            self.assertEqual(refused.exception.issues[0].path, path)


def campaign(index, **overrides):
    base = {
        "campaignId": f"cmp-{index}",
        "predictedLift": 0.01,
        "treatment": {"units": 900, "conversions": 90},
        "control": {"units": 100, "conversions": 8},
    }
    base.update(overrides)
    return base


class CampaignResultsTest(unittest.TestCase):
    def test_campaigns_are_written_as_given_with_numpy_counts_as_json_integers(self):
        campaigns = [campaign(0, treatment={"units": np.int64(900), "conversions": np.int32(90)}), campaign(1)]
        body = json.loads(lp.campaign_results("m", "v1", WINDOW_END, campaigns).data)
        self.assertEqual(body["campaigns"][0]["treatment"], {"units": 900, "conversions": 90})
        self.assertEqual(body["campaigns"][1], campaign(1))

    def test_refuses_bad_campaigns_naming_the_field(self):
        cases = [
            ([campaign(0), campaign(0)], "campaigns[1].campaignId"),
            ([campaign(0, predictedLift=1.5)], "campaigns[0].predictedLift"),
            ([campaign(0, predictedLift=True)], "campaigns[0].predictedLift"),
            (
                [campaign(0, predictedLiftInterval={"lower": 0.2, "upper": 0.1})],
                "campaigns[0].predictedLiftInterval.lower",
            ),
            ([campaign(0, treatment={"units": 0, "conversions": 0})], "campaigns[0].treatment.units"),
            ([campaign(0, control={"units": 10, "conversions": 11})], "campaigns[0].control.conversions"),
            ([campaign(0, control={"units": 10.5, "conversions": 1})], "campaigns[0].control.units"),
            ([campaign(0, plannedTreatmentShare=1)], "campaigns[0].plannedTreatmentShare"),
            ([campaign(0, segment={"a": "1", "b": "2", "c": "3"})], "campaigns[0].segment"),
            ([campaign(0, extra=1)], "campaigns[0].extra"),
            ([], "campaigns"),
        ]
        for campaigns, path in cases:
            with self.subTest(path=path), self.assertRaises(lp.InvalidMessageError) as refused:
                lp.campaign_results("m", "v1", WINDOW_END, campaigns, segment={"market": "se", "tier": "1"})
            self.assertEqual(refused.exception.issues[0].path, path)


class SerialisationTest(unittest.TestCase):
    def test_data_is_compact_utf8_json_without_nan_tokens(self):
        message = lp.prediction_batch("m", "v1", WINDOW_END, [0.1, 1e-300, 1e9])
        self.assertEqual(
            message.data,
            b'{"schemaVersion":1,"model":"m","modelVersion":"v1","windowEnd":"2026-11-26T15:00:00Z",'
            b'"predictions":[0.1,1e-300,1000000000.0]}',
        )

    def test_attributes_are_strings(self):
        message = lp.prediction_batch("m", "v1", WINDOW_END, [0.1], attributes={"producer": "scoring-job"})
        self.assertEqual(message.attributes, {"producer": "scoring-job"})
        with self.assertRaises(TypeError):
            lp.prediction_batch("m", "v1", WINDOW_END, [0.1], attributes={"attempt": 1})


if __name__ == "__main__":
    unittest.main()


class BinnedPredictionBatchTest(unittest.TestCase):
    BINS = {"binning": "9018ce3549adff3f", "edges": [0.1, 0.2, 0.3]}

    def test_builds_the_bin_counts_of_a_window_from_the_combiner(self):
        counter = lp.BinCounts(self.BINS["edges"])
        accumulator = counter.add_input(counter.create_accumulator(), [0.05, 0.1, 0.25, 0.25, 0.9])
        message = lp.binned_prediction_batch(
            "promo-lift", "v7", WINDOW_END, self.BINS, counter.extract_output(accumulator), segment={"market": "se"}
        )
        body = json.loads(message.data)
        self.assertEqual(body["binCounts"], {"binning": "9018ce3549adff3f", "counts": [1, 1, 2, 1]})
        self.assertNotIn("predictions", body)
        self.assertEqual(message.topic, "predictions")
        self.assertEqual(message.ordering_key, "promo-lift/v7/market=se")

    def test_refuses_what_liftwatch_refuses_naming_the_field(self):
        cases = [
            ("9018CE3549ADFF3F", [1, 2, 3, 4], "binCounts.binning"),
            ("9018ce3549adff3f", [1, -1, 3, 4], "binCounts.counts[1]"),
            ("9018ce3549adff3f", [1, 1.5, 3, 4], "binCounts.counts[1]"),
            ("9018ce3549adff3f", [True, 1, 3, 4], "binCounts.counts[0]"),
            ("9018ce3549adff3f", [0, 0, 0, 0], "binCounts.counts"),
            ("9018ce3549adff3f", [2**53 - 1, 1, 0, 0], "binCounts.counts"),
            ("9018ce3549adff3f", [], "binCounts.counts"),
        ]
        for binning, counts, field in cases:
            with self.subTest(counts=counts, binning=binning):
                with self.assertRaises(lp.InvalidMessageError) as raised:
                    lp.binned_prediction_batch("m", "v1", WINDOW_END, binning, counts)
                self.assertEqual(raised.exception.issues[0].path, field)

    def test_refuses_counts_that_are_not_one_per_bin_of_the_printed_edges(self):
        with self.assertRaises(lp.InvalidMessageError) as raised:
            lp.binned_prediction_batch("m", "v1", WINDOW_END, self.BINS, [1, 2, 3])
        self.assertEqual(raised.exception.issues[0].path, "binCounts.counts")
        self.assertIn("4 bins", str(raised.exception))
