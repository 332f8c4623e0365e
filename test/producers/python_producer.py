"""The Python producer (producers/python) as the node tests drive it: builds messages with liftwatch_producer and
writes them as JSON lines, counts values with its combiner, or publishes windows to the Pub/Sub emulator.

    python3 python_producer.py corpus                      every message kind in every encoding, with its schema errors
    python3 python_producer.py refusals                    bad messages with the builders' refusals of the same fields
    python3 python_producer.py bincounts < {"edges", "values"}   BinCounts over the values, split as workers would
    python3 python_producer.py binned < {"bins", "batch"}   the batch's predictions as a binned PredictionBatch
    python3 python_producer.py binning < BASELINE         lp.binning of a JSON Baseline's predictions
    python3 python_producer.py feature-bins-corpus         a FeatureBaseline built to test feature binning, and a batch
    python3 python_producer.py feature-binning < FEATURE_BASELINE   lp.feature_binning of a FeatureBaseline
    python3 python_producer.py binned-features < {"bins", "batch"}   the raw FeatureBatch counted: {"merged", "whole"}
    python3 python_producer.py e2e WINDOW_END PHASE [features]
        PHASE baselines or windows: publish to $PUBSUB_EMULATOR_HOST (project $PUBSUB_PROJECT_ID), print what was
        published; with `features`, the feature messages too (a counted FeatureBatch among them)
"""
import datetime as dt
import json
import os
import pathlib
import sys

import numpy as np

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[2] / "producers" / "python"))

import liftwatch_producer as lp  # noqa: E402
from liftwatch_producer.features import baseline_columns  # noqa: E402

try:
    from liftwatch_producer import schema
except ImportError:  # pragma: no cover
    schema = None

MODEL = "promo-lift"


def float32_exact(values):
    """Values every float32 holds exactly, so the raw and float32 encodings of a dataset carry the same numbers."""
    return np.asarray(values, dtype=np.float32).astype(np.float64)


def encoding_label(encoding):
    return encoding if isinstance(encoding, str) else "mixed"


def same_segment(market, encoding):
    return {"market": market}


def segment_per_encoding(market, encoding):
    """A series per encoding, so that every window published end to end is a point of its own."""
    return {"market": market, "encoding": encoding_label(encoding)}


def datasets(seed, window_end, version="v7", segment=same_segment):
    """One dataset per message kind, each yielded in every encoding: (dataset, encoding, Message)."""
    rng = np.random.default_rng(seed)
    reference = float32_exact(0.02 + 0.1 * rng.beta(2, 5, 5000))
    drifted = float32_exact(0.03 + 0.1 * rng.beta(2, 4, 1500))
    for encoding in ["json", "compact"]:
        yield "baseline", encoding, lp.baseline(MODEL, version, reference, encoding=encoding)
    for encoding in ["json", "compact"]:
        yield "predictions", encoding, lp.prediction_batch(
            MODEL, version, window_end, drifted, segment=segment("se", encoding), encoding=encoding
        )

    probabilities = float32_exact(rng.beta(2, 8, 4000))
    outcomes = (rng.random(4000) < probabilities * 1.2).astype(int)
    for encoding in ["json", "compact", {"outcomes": "compact"}]:
        yield "outcomes", encoding, lp.outcome_batch(
            MODEL, version, window_end, probabilities, outcomes, segment=segment("de", encoding), encoding=encoding
        )

    uplift = float32_exact(rng.normal(0.01, 0.02, 3000))
    treatment = (rng.random(3000) < 0.7).astype(int)
    converted = (rng.random(3000) < 0.05 + treatment * np.clip(uplift, 0, None) * 3).astype(int)
    for encoding in ["json", "compact"]:
        yield "uplift", encoding, lp.uplift_batch(
            MODEL,
            version,
            window_end,
            uplift,
            treatment,
            converted,
            segment=segment("fr", encoding),
            planned_treatment_share=0.7,
            encoding=encoding,
        )

    campaigns = []
    for index in range(12):
        predicted = 0.005 + 0.002 * index
        treated_units, control_units = 9000 + 37 * index, 1000 + 5 * index
        campaigns.append(
            {
                "campaignId": f"cmp-{index}",
                "predictedLift": predicted,
                "predictedLiftInterval": {"lower": predicted - 0.004, "upper": predicted + 0.004},
                "treatment": {"units": treated_units, "conversions": int(treated_units * (0.05 + predicted * 0.8))},
                "control": {"units": control_units, "conversions": int(control_units * 0.05)},
                "plannedTreatmentShare": 0.9,
            }
        )
    yield "campaigns", "json", lp.campaign_results(MODEL, version, window_end, campaigns, segment=segment("it", "json"))


def feature_datasets(seed, window_end, version="v7", segment=same_segment):
    """A FeatureBaseline and a FeatureBatch in each column encoding (issue 11)."""
    rng = np.random.default_rng(seed)

    def columns(rows, shift, null_share, encodings):
        followers = float32_exact(np.round(rng.lognormal(8 + shift, 1, rows)))
        followers[rng.random(rows) < null_share] = np.nan
        tiers = rng.choice(["tier1", "tier2", "tier3"], rows, p=[0.5 - shift, 0.3, 0.2 + shift]).astype(object)
        tiers[rng.random(rows) < null_share] = None
        numeric, categorical = encodings
        return {
            "artist_followers": lp.numeric_column(followers, encoding=numeric),
            "market_tier": lp.categorical_column(tiers, encoding=categorical),
        }

    state = rng.bit_generator.state
    for encodings in [("json", "json"), ("compact", "codes"), ("compact", "compact")]:
        rng.bit_generator.state = state  # the same data in every encoding
        features = columns(4000, 0.0, 0.01, encodings)
        yield "feature-baseline", "/".join(encodings), lp.feature_baseline(MODEL, version, features)
    state = rng.bit_generator.state
    for encodings in [("json", "json"), ("compact", "codes"), ("compact", "compact")]:
        rng.bit_generator.state = state
        yield "feature-batch", "/".join(encodings), lp.feature_batch(
            MODEL, version, window_end, columns(2000, 0.1, 0.2, encodings), segment=segment("se", "-".join(encodings))
        )


def feature_binning_datasets(seed, window_end, version="v7", segment=same_segment):
    """A FeatureBaseline whose binning has every case (numeric ties, missing values, an all-missing reference,
    zeros of both signs, 1,300 categories tied across the cut at 1,000) and a raw FeatureBatch of the same features
    with values beyond the reference range, unseen and pooled categories and missing values."""
    rng = np.random.default_rng(seed)
    rows = 6000
    plays = np.round(rng.lognormal(3, 1, rows))  # whole numbers: many ties, among the quantiles too
    skip_rate = float32_exact(rng.beta(2, 5, rows))
    skip_rate[rng.random(rows) < 0.15] = np.nan
    zero_heavy = np.where(rng.random(rows) < 0.4, 0.0, np.round(rng.normal(0, 1, rows), 2))
    zero_heavy[rng.random(rows) < 0.1] = -0.0
    # 700 names 5 times, 500 names 4 times (the cut at 1,000 falls among them: ties by name decide), 100 names 3
    # times, 200 missing; names in random order, so neither their order of appearance nor their index decides.
    names = [f"artist-{code:05x}" for code in rng.permutation(1300) * 37 + 11]
    artist = [name for index, name in enumerate(names) for _ in range(5 if index < 700 else 4 if index < 1200 else 3)]
    artist = np.array(artist + [None] * (rows - len(artist)), dtype=object)[rng.permutation(rows)]
    device = rng.choice(["ios", "android", "web"], rows, p=[0.5, 0.3, 0.2]).astype(object)
    device[rng.random(rows) < 0.05] = None
    baseline = lp.feature_baseline(
        MODEL,
        version,
        {
            "plays": lp.numeric_column(plays),
            "skip_rate": lp.numeric_column(skip_rate, encoding="compact"),
            "legacy_score": lp.numeric_column([None] * rows),
            "zero_heavy": lp.numeric_column(zero_heavy),
            "artist": lp.categorical_column(artist, encoding="codes"),
            "device": lp.categorical_column(device, encoding="compact"),
        },
    )
    yield "feature-bins-baseline", "mixed", baseline

    rows = 3000
    plays = np.round(rng.lognormal(3.2, 1.1, rows)) - 2  # some below the reference minimum, some above its maximum
    skip_rate = rng.beta(2, 4, rows)
    skip_rate[rng.random(rows) < 0.05] = np.nan
    zero_heavy = np.where(rng.random(rows) < 0.3, -0.0, np.round(rng.normal(0.1, 1, rows), 2))
    seen = rng.choice(names, rows)
    unseen = np.array([f"new-{i % 40}" for i in range(rows)], dtype=object)
    artist = np.where(rng.random(rows) < 0.1, unseen, seen).astype(object)
    artist[rng.random(rows) < 0.08] = None
    device = rng.choice(["ios", "android", "web", "tv"], rows, p=[0.4, 0.3, 0.2, 0.1]).astype(object)
    device[rng.random(rows) < 0.02] = None
    batch = lp.feature_batch(
        MODEL,
        version,
        window_end,
        {
            "plays": lp.numeric_column(plays),
            "skip_rate": lp.numeric_column(skip_rate),
            "legacy_score": lp.numeric_column(rng.normal(0, 1, rows)),
            "zero_heavy": lp.numeric_column(zero_heavy),
            "artist": lp.categorical_column(artist),
            "device": lp.categorical_column(device, encoding="codes"),
        },
        segment=segment("se", "raw"),
    )
    yield "feature-bins-batch", "json", batch


def binned_features(bins, batch, workers=5):
    """A raw FeatureBatch body counted as a Beam pipeline would: each feature's values split into `workers` shares,
    each share counted by FeatureBinCounts or CategoryCounts, the accumulators merged; and the same batch counted
    whole by binned_feature_batch."""
    columns = baseline_columns(batch)
    features = {}
    for name, (kind, values) in columns.items():
        entry = bins["features"][name]
        fn = lp.FeatureBinCounts(entry["edges"]) if kind == "numeric" else lp.CategoryCounts()
        shares = np.array_split(np.asarray(values, dtype=object if kind == "categorical" else np.float64), workers)
        accumulators = [fn.add_input(fn.create_accumulator(), share) for share in shares]
        output = fn.extract_output(fn.merge_accumulators(accumulators))
        features[name] = (
            lp.binned_numeric_column(entry, **output) if kind == "numeric" else lp.counted_categorical_column(**output)
        )
    common = (batch["model"], batch["modelVersion"], batch["windowEnd"])
    segment = batch.get("segment")
    merged = lp.feature_batch(*common, features, segment=segment)
    raw = {name: values for name, (_, values) in columns.items()}
    whole = lp.binned_feature_batch(*common, bins, raw, segment=segment)
    return merged, whole


def rebuilt(kind, body):
    """The message the builder of `kind` makes from the fields of a raw body: how a producer would pass them."""
    windowed = dict(segment=body.get("segment"))
    if kind == "Baseline":
        return lp.baseline(body["model"], body["modelVersion"], body["predictions"])
    if kind == "PredictionBatch":
        return lp.prediction_batch(
            body["model"], body["modelVersion"], body["windowEnd"], body["predictions"], **windowed
        )
    if kind == "OutcomeBatch":
        return lp.outcome_batch(
            body["model"], body["modelVersion"], body["windowEnd"], body["predictions"], body["outcomes"], **windowed
        )
    if kind == "UpliftBatch":
        return lp.uplift_batch(
            body["model"],
            body["modelVersion"],
            body["windowEnd"],
            body["uplift"],
            body["treatment"],
            body["outcomes"],
            planned_treatment_share=body.get("plannedTreatmentShare"),
            **windowed,
        )
    if kind == "CampaignResults":
        return lp.campaign_results(
            body["model"], body["modelVersion"], body["windowEnd"], body["campaigns"], **windowed
        )
    columns = {name: rebuilt_column(column) for name, column in body["features"].items()}
    if kind == "FeatureBaseline":
        return lp.feature_baseline(body["model"], body["modelVersion"], columns)
    if kind in ("FeatureBatch", "CountedFeatureBatch"):
        return lp.feature_batch(body["model"], body["modelVersion"], body["windowEnd"], columns, **windowed)
    raise ValueError(kind)


def rebuilt_column(column):
    """A column spec from a raw column's fields: counted columns by their binning (no edges: the contract alone
    cannot know them) or counts, with their missing count."""
    if "binCounts" in column:
        counted = column["binCounts"]
        return lp.binned_numeric_column(counted.get("binning"), counted.get("counts"), column.get("missing"))
    if "counts" in column:
        return lp.counted_categorical_column(column["counts"], column.get("missing"))
    return {
        "kind": column["kind"],
        "values": column["values"],
        "encoding": "json",
        "importance": column.get("importance"),
    }


def set_path(body, path, value):
    """Sets body[a][b][i] for the path ("a", "b", i); a value of DELETE removes the key."""
    *parents, last = path
    for key in parents:
        body = body[key]
    if value is DELETE:
        del body[last]
    else:
        body[last] = value


DELETE = object()

#: (kind, path in the message, the bad value): each a message liftwatch must refuse, as must the builder.
BAD_FIELDS = [
    ("PredictionBatch", ("predictions", 1), None),
    ("PredictionBatch", ("predictions", 1), float("nan")),
    ("PredictionBatch", ("predictions", 2), float("inf")),
    ("PredictionBatch", ("predictions", 0), 2e9),
    ("PredictionBatch", ("predictions", 0), -1e9 - 1),
    ("PredictionBatch", ("predictions", 1), "0.1"),
    ("PredictionBatch", ("predictions",), []),
    ("PredictionBatch", ("model",), "Promo"),
    ("PredictionBatch", ("model",), "promo\n"),
    ("PredictionBatch", ("modelVersion",), "v7\n"),
    ("PredictionBatch", ("modelVersion",), "v 7"),
    ("PredictionBatch", ("segment", "Market"), "se"),
    ("PredictionBatch", ("segment", "market"), "s e"),
    ("PredictionBatch", ("segment",), {f"k{i}": "x" for i in range(5)}),
    ("PredictionBatch", ("windowEnd",), "2026-11-26T15:00:00"),
    ("PredictionBatch", ("windowEnd",), "2026-11-26t15:00:00z"),
    ("PredictionBatch", ("windowEnd",), "２０２６-11-26T15:00:00Z"),
    ("PredictionBatch", ("windowEnd",), "2026-02-30T15:00:00Z"),
    ("PredictionBatch", ("windowEnd",), "2026-11-26T15:00:00Z\n"),
    ("Baseline", ("predictions", 3), None),
    ("OutcomeBatch", ("predictions", 0), 1.5),
    ("OutcomeBatch", ("predictions", 0), -0.25),
    ("OutcomeBatch", ("outcomes", 1), 2),
    ("OutcomeBatch", ("outcomes", 1), 0.5),
    ("OutcomeBatch", ("outcomes",), [1, 0, 1, 0, 1]),
    ("UpliftBatch", ("treatment",), [1, 1, 1, 1]),
    ("UpliftBatch", ("treatment",), [0, 0, 0, 0]),
    ("UpliftBatch", ("outcomes",), [0, 1]),
    ("UpliftBatch", ("plannedTreatmentShare",), 1),
    ("UpliftBatch", ("plannedTreatmentShare",), 0),
    ("CampaignResults", ("campaigns", 1, "campaignId"), "cmp-0"),
    ("CampaignResults", ("campaigns", 0, "campaignId"), "cmp 0"),
    ("CampaignResults", ("campaigns", 0, "predictedLift"), 1.5),
    ("CampaignResults", ("campaigns", 0, "predictedLiftInterval"), {"lower": 0.2, "upper": 0.1}),
    ("CampaignResults", ("campaigns", 0, "treatment", "units"), 0),
    ("CampaignResults", ("campaigns", 0, "control", "conversions"), 101),
    ("CampaignResults", ("campaigns", 0, "control", "units"), 10.5),
    ("CampaignResults", ("campaigns", 0, "plannedTreatmentShare"), 1),
    ("CampaignResults", ("campaigns", 0, "segment"), {"a": "1", "b": "2", "c": "3", "d": "4"}),
    ("CampaignResults", ("campaigns", 0, "extra"), 1),
    ("CampaignResults", ("campaigns",), []),
    ("FeatureBatch", ("features", "followers", "values", 1), float("inf")),
    ("FeatureBatch", ("features", "followers", "values", 1), 2e9),
    ("FeatureBatch", ("features", "followers", "values", 1), "12"),
    ("FeatureBatch", ("features", "followers", "values"), []),
    ("FeatureBatch", ("features", "device", "values", 0), "a b"),
    ("FeatureBatch", ("features", "device", "values", 0), 3),
    ("FeatureBatch", ("features", "device", "values"), ["ios", None]),
    ("FeatureBatch", ("features", "Followers"), {"kind": "numeric", "values": [1.0, 2.0, 3.0]}),
    ("FeatureBatch", ("features", "followers", "kind"), "text"),
    ("FeatureBatch", ("features", "followers", "importance"), 0.5),
    ("FeatureBatch", ("features",), {}),
    ("FeatureBatch", ("features",), {f"f{i}": {"kind": "numeric", "values": [1.0, 2.0, 3.0]} for i in range(101)}),
    ("FeatureBaseline", ("features", "followers", "importance"), -1),
    ("FeatureBaseline", ("features", "followers", "importance"), 2e9),
    ("FeatureBaseline", ("features", "device", "values", 2), "x" * 129),
    ("CountedFeatureBatch", ("features", "plays", "binCounts", "binning"), "0123456789ABCDEF"),
    ("CountedFeatureBatch", ("features", "plays", "binCounts", "counts", 1), -1),
    ("CountedFeatureBatch", ("features", "plays", "binCounts", "counts", 1), 1.5),
    ("CountedFeatureBatch", ("features", "plays", "binCounts", "counts"), []),
    ("CountedFeatureBatch", ("features", "plays", "binCounts", "counts"), [0] * 1002 + [3]),
    ("CountedFeatureBatch", ("features", "plays", "missing"), -1),
    ("CountedFeatureBatch", ("features", "plays", "missing"), DELETE),
    ("CountedFeatureBatch", ("features", "plays", "missing"), 2),
    ("CountedFeatureBatch", ("features", "genre", "counts", "a b"), 1),
    ("CountedFeatureBatch", ("features", "genre", "counts", "pop"), -2),
    ("CountedFeatureBatch", ("features", "genre", "counts"), ["pop"]),
    ("CountedFeatureBatch", ("features", "genre", "missing"), DELETE),
    ("CountedFeatureBatch", ("features", "genre"), {"kind": "categorical", "counts": {}, "missing": 0}),
]


def refusals():
    """Bad messages, each with the builder's refusal of the same fields (null when the builder accepted them)."""
    window_end = "2026-11-26T15:00:00Z"
    valid = {
        "Baseline": lp.baseline(MODEL, "v7", [0.1, 0.2, 0.3, 0.4]),
        "PredictionBatch": lp.prediction_batch(MODEL, "v7", window_end, [0.1, 0.2, 0.3], segment={"market": "se"}),
        "OutcomeBatch": lp.outcome_batch(MODEL, "v7", window_end, [0.1, 0.2, 0.3, 0.4], [1, 0, 0, 1]),
        "UpliftBatch": lp.uplift_batch(MODEL, "v7", window_end, [0.1, 0.2, 0.3, 0.4], [1, 0, 1, 0], [0, 1, 1, 0]),
        "CampaignResults": lp.campaign_results(
            MODEL,
            "v7",
            window_end,
            [
                {
                    "campaignId": f"cmp-{index}",
                    "predictedLift": 0.01,
                    "treatment": {"units": 900, "conversions": 90},
                    "control": {"units": 100, "conversions": 8},
                }
                for index in range(2)
            ],
            segment={"market": "se"},
        ),
        "FeatureBaseline": lp.feature_baseline(
            MODEL,
            "v7",
            {
                "followers": lp.numeric_column([10.0, None, 30.0], importance=0.4),
                "device": lp.categorical_column(["ios", None, "web"]),
            },
        ),
        "FeatureBatch": lp.feature_batch(
            MODEL,
            "v7",
            window_end,
            {"followers": lp.numeric_column([10.0, None, 30.0]), "device": lp.categorical_column(["ios", None, "web"])},
            segment={"market": "se"},
        ),
        # Three rows in each column: counted ones (plays 2 + 1 missing, genre 2 + 1) with a raw one.
        "CountedFeatureBatch": lp.feature_batch(
            MODEL,
            "v7",
            window_end,
            {
                "plays": lp.binned_numeric_column("0123456789abcdef", [0, 2, 0], 1),
                "genre": lp.counted_categorical_column({"pop": 1, "rock": 1}, 1),
                "followers": lp.numeric_column([10.0, None, 30.0]),
            },
            segment={"market": "se"},
        ),
    }
    for kind, path, value in BAD_FIELDS:
        label = "(deleted)" if value is DELETE else json.dumps(value, ensure_ascii=False)[:60]
        body = json.loads(valid[kind].data)
        set_path(body, path, value)
        try:
            rebuilt(kind, json.loads(json.dumps(body)))
            issues = None
        except lp.InvalidMessageError as error:
            issues = [list(issue) for issue in error.issues]
        print(
            json.dumps(
                {
                    "kind": "FeatureBatch" if kind == "CountedFeatureBatch" else kind,
                    "case": f"{'.'.join(map(str, path))} = {label}",
                    # As a producer without allow_nan=False would write it: NaN and Infinity as bare tokens.
                    "data": json.dumps(body, ensure_ascii=False),
                    "pythonIssues": issues,
                }
            )
        )


def line(dataset, encoding, message, **extra):
    errors = None
    if schema is not None and (schema.DEFAULT_SCHEMA_DIR / schema.SCHEMA_FILES[message.kind]).exists():
        errors = schema.schema_errors(message)
    return json.dumps(
        {
            "dataset": dataset,
            "encoding": encoding_label(encoding),
            "kind": message.kind,
            "topic": message.topic,
            "orderingKey": message.ordering_key,
            "schemaErrors": errors,
            "data": message.data.decode("utf-8"),
            **extra,
        }
    )


def corpus():
    window_end = dt.datetime(2026, 11, 26, 15, 0, tzinfo=dt.timezone.utc)
    for item in [*datasets(11, window_end), *feature_datasets(12, window_end)]:
        print(line(*item))


def bincounts():
    request = json.load(sys.stdin)
    fn = lp.BinCounts(request["edges"])
    values = np.asarray(request["values"], dtype=np.float64)
    accumulators = [fn.add_input(fn.create_accumulator(), part) for part in np.array_split(values, 7)]
    print(json.dumps(fn.extract_output(fn.merge_accumulators(accumulators))))


def binned():
    """A binned PredictionBatch of a raw one: its predictions counted in the bins `liftwatch bins` printed."""
    request = json.load(sys.stdin)
    batch = request["batch"]
    fn = lp.BinCounts(request["bins"]["edges"])
    values = np.asarray(batch["predictions"], dtype=np.float64)
    accumulators = [fn.add_input(fn.create_accumulator(), part) for part in np.array_split(values, 5)]
    message = lp.binned_prediction_batch(
        batch["model"],
        batch["modelVersion"],
        batch["windowEnd"],
        request["bins"],
        fn.extract_output(fn.merge_accumulators(accumulators)),
        segment=batch.get("segment"),
    )
    print(message.data.decode("utf-8"))


def binning():
    """lp.binning of a Baseline message's predictions, as a producer holding the reference computes it."""
    body = json.load(sys.stdin)
    print(json.dumps(lp.binning(body["model"], body["modelVersion"], body["predictions"])))


def feature_bins_corpus():
    window_end = dt.datetime(2026, 11, 26, 15, 0, tzinfo=dt.timezone.utc)
    for item in feature_binning_datasets(13, window_end):
        print(line(*item))


def feature_binning():
    """lp.feature_binning of a FeatureBaseline message, as a producer holding the reference computes it."""
    body = json.load(sys.stdin)
    print(json.dumps(lp.feature_binning(body["model"], body["modelVersion"], body)))


def binned_features_command():
    request = json.load(sys.stdin)
    merged, whole = binned_features(request["bins"], request["batch"])
    print(json.dumps({"merged": json.loads(line("binned-features", "merged", merged)),
                      "whole": json.loads(line("binned-features", "whole", whole))}))


def binned_window(items, window_end, version):
    """The raw prediction window counted as a Beam pipeline would: the baseline's binning computed from its reference
    (lp.binning, as liftwatch bins prints it), BinCounts over five workers' shares, merged."""
    baseline = next(message for dataset, encoding, message in items if dataset == "baseline" and encoding == "json")
    batch = next(message for dataset, encoding, message in items if dataset == "predictions" and encoding == "json")
    reference = json.loads(baseline.data)["predictions"]
    values = np.asarray(json.loads(batch.data)["predictions"], dtype=np.float64)
    bins = lp.binning(MODEL, version, reference)
    fn = lp.BinCounts(bins["edges"])
    accumulators = [fn.add_input(fn.create_accumulator(), part) for part in np.array_split(values, 5)]
    counts = fn.extract_output(fn.merge_accumulators(accumulators))
    return "predictions", "binned", lp.binned_prediction_batch(
        MODEL, version, window_end, bins, counts, segment=segment_per_encoding("se", "binned")
    )


def binned_feature_window(items, window_end, version):
    """The raw feature window counted as a Beam pipeline would: each feature's binning computed from the registered
    baseline (lp.feature_binning, as liftwatch bins prints it), FeatureBinCounts and CategoryCounts over five
    workers' shares, merged (binned_features)."""
    baseline = next(m for dataset, encoding, m in items if dataset == "feature-baseline" and encoding == "json/json")
    batch = next(m for dataset, encoding, m in items if dataset == "feature-batch" and encoding == "json/json")
    bins = lp.feature_binning(MODEL, version, baseline)
    body = json.loads(batch.data)
    body["segment"] = segment_per_encoding("se", "counted")  # a series of its own, beside the binned predictions'
    merged, _ = binned_features(bins, body)
    return "feature-batch", "counted", merged


def e2e(window_end, phase, with_features):
    publisher = lp.EmulatorPublisher(os.environ["PUBSUB_EMULATOR_HOST"])
    project = os.environ["PUBSUB_PROJECT_ID"]
    items = list(datasets(21, window_end, "py1", segment_per_encoding))
    items.append(binned_window(items, window_end, "py1"))
    if with_features:
        items += list(feature_datasets(22, window_end, "py1", segment_per_encoding))
        items.append(binned_feature_window(items, window_end, "py1"))
    baselines = {"Baseline", "FeatureBaseline"}
    registered = set()
    for dataset, encoding, message in items:
        if (message.kind in baselines) != (phase == "baselines"):
            continue
        if message.kind in baselines:  # one registration per baseline kind: the encodings carry the same values
            if message.kind in registered:
                continue
            registered.add(message.kind)
        message_id = lp.publish(message, publisher, project=project)
        print(line(dataset, encoding, message, messageId=message_id), flush=True)


if __name__ == "__main__":
    command = sys.argv[1]
    if command == "corpus":
        corpus()
    elif command == "refusals":
        refusals()
    elif command == "bincounts":
        bincounts()
    elif command == "binned":
        binned()
    elif command == "binning":
        binning()
    elif command == "feature-bins-corpus":
        feature_bins_corpus()
    elif command == "feature-binning":
        feature_binning()
    elif command == "binned-features":
        binned_features_command()
    elif command == "e2e":
        e2e(sys.argv[2], sys.argv[3], len(sys.argv) > 4 and sys.argv[4] == "features")
    else:
        sys.exit(f"unknown command {command}")
