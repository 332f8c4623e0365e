"""liftwatch_producer: build liftwatch messages in Python, check them as liftwatch would, and publish them.

    import datetime as dt, numpy as np
    from liftwatch_producer import prediction_batch, publish
    message = prediction_batch("promo-lift", "v7", dt.datetime(2026, 11, 26, 15, tzinfo=dt.timezone.utc),
                               np.random.default_rng(0).beta(2, 30, 5000), segment={"market": "se"},
                               encoding="compact")
    publish(message, client.publish, project="my-project")   # google-cloud-pubsub PublisherClient
"""
from .binning import binning
from .combiner import BinCounts, CategoryCounts, FeatureBinCounts
from .contract import FieldIssue, InvalidMessageError, segment_label
from .features import (
    binned_feature_batch,
    binned_numeric_column,
    categorical_column,
    counted_categorical_column,
    feature_baseline,
    feature_batch,
    feature_binning,
    numeric_column,
)
from .messages import (
    COMPACT,
    JSON,
    TOPICS,
    Message,
    baseline,
    baseline_ordering_key,
    binned_prediction_batch,
    campaign_results,
    ordering_key,
    outcome_batch,
    prediction_batch,
    uplift_batch,
)
from .publish import EmulatorPublisher, publish, topic_path

__all__ = [
    "BinCounts",
    "COMPACT",
    "CategoryCounts",
    "EmulatorPublisher",
    "FeatureBinCounts",
    "FieldIssue",
    "InvalidMessageError",
    "JSON",
    "Message",
    "TOPICS",
    "baseline",
    "baseline_ordering_key",
    "binned_feature_batch",
    "binned_numeric_column",
    "binned_prediction_batch",
    "binning",
    "campaign_results",
    "categorical_column",
    "counted_categorical_column",
    "feature_baseline",
    "feature_batch",
    "feature_binning",
    "numeric_column",
    "ordering_key",
    "outcome_batch",
    "prediction_batch",
    "publish",
    "segment_label",
    "topic_path",
    "uplift_batch",
]
