"""Builders of every liftwatch message: each checks what liftwatch would refuse, encodes the values as asked,
and returns a Message (topic, JSON bytes, ordering key, attributes) ready for a publisher."""
import datetime as dt
import json
import numbers
from dataclasses import dataclass, field

from . import contract as c
from . import encoding as e

#: The topic each message kind is published to, as Terraform creates them.
TOPICS = {
    "Baseline": "baselines",
    "PredictionBatch": "predictions",
    "OutcomeBatch": "outcomes",
    "CampaignResults": "campaign-results",
    "UpliftBatch": "uplift-outcomes",
    "FeatureBaseline": "feature-baselines",
    "FeatureBatch": "features",
}

JSON = "json"
COMPACT = "compact"


@dataclass(frozen=True)
class Message:
    """One liftwatch message as Pub/Sub carries it."""

    kind: str
    topic: str
    #: The message as a dict, and as the JSON bytes published (left out of repr: they may be megabytes).
    body: dict = field(repr=False)
    data: bytes = field(repr=False)
    ordering_key: str = ""
    attributes: dict = field(default_factory=dict)


def ordering_key(model, model_version, segment=None):
    """``model/modelVersion/segment`` with the canonical segment label (``market=se,platform=ios``; ``all``).

    One key per series, so the windows of one series arrive in order (the subscriptions have message ordering on)
    while different series are delivered in parallel.
    """
    return f"{model}/{model_version}/{c.segment_label(segment)}"


def baseline_ordering_key(model, model_version):
    """No ordering key: registerBaseline's subscription is not ordered, and a registration redelivered late never
    replaces a newer one (registerBaseline compares them itself)."""
    return ""


def serialize(body):
    """JSON bytes as liftwatch reads them: NaN and Infinity refused, compact separators, at most 10 MB."""
    try:
        data = json.dumps(body, allow_nan=False, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    except ValueError as error:  # NaN or infinity that a check missed: never write it as the token NaN
        raise c.InvalidMessageError([("data", f"is not JSON liftwatch reads ({error})")]) from None
    if len(data) > c.MAX_MESSAGE_BYTES:
        c.refuse("data", f"message data is {len(data)} bytes, over the {c.MAX_MESSAGE_BYTES}-byte limit")
    return data


def format_window_end(window_end):
    """RFC 3339 with an explicit offset: a timezone-aware datetime is written in UTC with a Z (milliseconds, the
    precision liftwatch keeps, when not whole seconds); a string must already be one."""
    if isinstance(window_end, str):
        if c.WINDOW_END.fullmatch(window_end) is None:
            c.refuse("windowEnd", "must be an RFC 3339 timestamp, e.g. 2026-11-26T15:00:00Z")
        try:
            dt.datetime.fromisoformat(window_end.replace("Z", "+00:00"))
        except ValueError:
            c.refuse("windowEnd", "must be an RFC 3339 timestamp, e.g. 2026-11-26T15:00:00Z")
        return window_end
    if not isinstance(window_end, dt.datetime):
        c.refuse("windowEnd", "must be a timezone-aware datetime or an RFC 3339 string")
    if window_end.tzinfo is None or window_end.utcoffset() is None:
        c.refuse("windowEnd", "must be timezone-aware (a naive datetime names no instant)")
    utc = window_end.astimezone(dt.timezone.utc)
    text = utc.strftime("%Y-%m-%dT%H:%M:%S")
    if utc.microsecond:
        text += f".{utc.microsecond // 1000:03d}"
    return text + "Z"


def compact(encoding, name):
    """Whether field `name` takes its compact encoding: `encoding` is "json", "compact", or {field: either}."""
    chosen = encoding.get(name, JSON) if isinstance(encoding, dict) else encoding
    if chosen not in (JSON, COMPACT):
        raise ValueError(f"encoding of {name} must be {JSON!r} or {COMPACT!r}, not {chosen!r}")
    return chosen == COMPACT


def common(model, model_version):
    return {
        "schemaVersion": c.SCHEMA_VERSION,
        "model": c.check_pattern(model, c.MODEL, "model", " (lowercase, starts with a letter)"),
        "modelVersion": c.check_pattern(model_version, c.MODEL_VERSION, "modelVersion"),
    }


def windowed(model, model_version, window_end, segment):
    body = common(model, model_version)
    if segment:  # an empty segment is the whole population, as no segment is
        body["segment"] = c.check_segment(segment)
    body["windowEnd"] = format_window_end(window_end)
    return body


def message(kind, body, key, attributes=None):
    attributes = dict(attributes or {})
    for name, value in attributes.items():
        if not isinstance(name, str) or not isinstance(value, str):
            raise TypeError("Pub/Sub attributes are strings to strings")
    return Message(kind, TOPICS[kind], body, serialize(body), key, attributes)


def put_values(body, name, array, use_compact):
    if use_compact:
        body[f"{name}F32"] = e.float32_base64(array, f"{name}F32")
    else:
        body[name] = e.json_numbers(array)


def put_bits(body, name, bits, use_compact):
    if use_compact:
        body[f"{name}U8"] = e.uint8_base64(bits)
    else:
        body[name] = e.json_bits(bits)


def equal_lengths(reference_name, reference, others, noun="values"):
    for name, array in others:
        if len(array) != len(reference):
            c.refuse(
                name, f"has {len(array)} {noun} but there are {len(reference)} {reference_name}; they must pair up"
            )


def baseline(model, model_version, predictions, *, encoding=JSON, attributes=None):
    """Baseline (topic ``baselines``): the reference predictions a model version was validated on."""
    body = common(model, model_version)
    values = e.check_predictions(predictions, "predictions", c.MAX_BASELINE_VALUES)
    put_values(body, "predictions", values, compact(encoding, "predictions"))
    return message("Baseline", body, baseline_ordering_key(model, model_version), attributes)


def prediction_batch(model, model_version, window_end, predictions, *, segment=None, encoding=JSON, attributes=None):
    """PredictionBatch (topic ``predictions``): one window of one segment's predictions."""
    body = windowed(model, model_version, window_end, segment)
    values = e.check_predictions(predictions, "predictions", c.MAX_BATCH_VALUES)
    put_values(body, "predictions", values, compact(encoding, "predictions"))
    return message("PredictionBatch", body, ordering_key(model, model_version, segment), attributes)


def binned_prediction_batch(
    model, model_version, window_end, binning, counts, *, segment=None, edges=None, attributes=None
):
    """PredictionBatch (topic ``predictions``) of a window pre-aggregated: `counts` of its predictions in the bins of
    `binning` (the fingerprint ``liftwatch bins --baseline`` prints with the edges; BinCounts(edges) counts them).

    `binning` may also be the whole dict ``liftwatch bins`` prints ({"binning", "edges"}): then the number of counts
    is checked against its edges too (liftwatch refuses any other number, naming binCounts.counts).
    """
    if isinstance(binning, dict):
        edges = binning.get("edges") if edges is None else edges
        binning = binning.get("binning")
    body = windowed(model, model_version, window_end, segment)
    fingerprint = check_binning(binning, "binCounts.binning")
    body["binCounts"] = {"binning": fingerprint, "counts": check_counts(counts, "binCounts.counts", edges)}
    return message("PredictionBatch", body, ordering_key(model, model_version, segment), attributes)


def check_binning(binning, path):
    """A binning fingerprint: 16 lowercase hex digits, as liftwatch bins prints it."""
    if not isinstance(binning, str) or c.BINNING.fullmatch(binning) is None:
        c.refuse(path, "must be 16 lowercase hex digits, the binning liftwatch bins prints")
    return binning


def check_counts(counts, path, edges=None, *, max_bins=c.MAX_BINS, min_total=1):
    """Bin counts: 1 to `max_bins` non-negative integers totalling `min_total` (1 for a PredictionBatch, 0 for a
    feature column, whose values may all be missing) to 2^53 - 1, one per bin of `edges` when given."""
    values = list(counts)
    if not values:
        c.refuse(path, "must not be empty")
    if len(values) > max_bins:
        c.refuse(path, f"carries more than {max_bins} counts")
    issues = []
    for index, count in enumerate(values):
        integral = isinstance(count, numbers.Integral) and not isinstance(count, bool)
        if not integral or not 0 <= count <= c.MAX_BIN_TOTAL:
            issues.append((f"{path}[{index}]", "must be a non-negative integer count"))
    if issues:
        raise c.InvalidMessageError(issues[: c.MAX_REPORTED_ELEMENTS])
    values = [int(count) for count in values]
    total = sum(values)
    if total < min_total:
        c.refuse(path, "must count at least one value")
    if total > c.MAX_BIN_TOTAL:
        c.refuse(path, "counts more than 2^53 - 1 values in total")
    if edges is not None and len(values) != len(edges) + 1:
        c.refuse(path, f"has {len(values)} counts; the baseline's binning has {len(edges) + 1} bins")
    return values


def outcome_batch(
    model, model_version, window_end, predictions, outcomes, *, segment=None, encoding=JSON, attributes=None
):
    """OutcomeBatch (topic ``outcomes``): matured (probability, 0/1 outcome) pairs, of equal length."""
    body = windowed(model, model_version, window_end, segment)
    probabilities = e.check_probabilities(predictions, "predictions", c.MAX_BATCH_VALUES)
    bits = e.check_bits(outcomes, "outcomes", c.MAX_BATCH_VALUES)
    equal_lengths("predictions", probabilities, [("outcomes", bits)], noun="outcomes")
    put_values(body, "predictions", probabilities, compact(encoding, "predictions"))
    put_bits(body, "outcomes", bits, compact(encoding, "outcomes"))
    return message("OutcomeBatch", body, ordering_key(model, model_version, segment), attributes)


def check_planned_share(share, path):
    reason = (
        "must be a number in the open interval (0, 1): the share of units planned for treatment,"
        " e.g. 0.9 for a 10% holdout"
    )
    value = c.check_bounded_number(share, path, 0, 1, reason)
    if value in (0, 1):
        c.refuse(path, reason)
    return value


def uplift_batch(
    model,
    model_version,
    window_end,
    uplift,
    treatment,
    outcomes,
    *,
    segment=None,
    planned_treatment_share=None,
    encoding=JSON,
    attributes=None,
):
    """UpliftBatch (topic ``uplift-outcomes``): per-unit uplift scores with randomised treatment and outcome."""
    body = windowed(model, model_version, window_end, segment)
    scores = e.check_predictions(uplift, "uplift", c.MAX_BATCH_VALUES)
    treated = e.check_bits(treatment, "treatment", c.MAX_BATCH_VALUES)
    converted = e.check_bits(outcomes, "outcomes", c.MAX_BATCH_VALUES)
    equal_lengths("uplift scores", scores, [("treatment", treated), ("outcomes", converted)])
    count = int(treated.sum())
    if count in (0, treated.size):
        c.refuse("treatment", f"has {'no treated' if count == 0 else 'no control'} units; uplift needs both arms")
    put_values(body, "uplift", scores, compact(encoding, "uplift"))
    put_bits(body, "treatment", treated, compact(encoding, "treatment"))
    put_bits(body, "outcomes", converted, compact(encoding, "outcomes"))
    if planned_treatment_share is not None:
        body["plannedTreatmentShare"] = check_planned_share(planned_treatment_share, "plannedTreatmentShare")
    return message("UpliftBatch", body, ordering_key(model, model_version, segment), attributes)


LIFT_RULE = "must be a finite number in [-1, 1] (a difference of conversion rates)"


def check_arm(arm, path):
    if not isinstance(arm, dict) or set(arm) - {"units", "conversions"}:
        c.refuse(path, "must be {'units': int, 'conversions': int}")
    units = c.check_count(
        arm.get("units"), f"{path}.units", "units", 1, ": an arm with no units has no conversion rate"
    )
    conversions = c.check_count(arm.get("conversions"), f"{path}.conversions", "conversions")
    if conversions > units:
        c.refuse(f"{path}.conversions", "conversions must not exceed units")
    return {"units": units, "conversions": conversions}


CAMPAIGN_FIELDS = {
    "campaignId",
    "segment",
    "predictedLift",
    "predictedLiftInterval",
    "treatment",
    "control",
    "plannedTreatmentShare",
}


def check_campaign(campaign, index, message_segment):
    path = f"campaigns[{index}]"
    if not isinstance(campaign, dict):
        c.refuse(path, "must be an object")
    unknown = sorted(set(campaign) - CAMPAIGN_FIELDS)
    if unknown:
        c.refuse(f"{path}.{unknown[0]}", "is not a field of this message")
    checked = {"campaignId": c.check_pattern(campaign.get("campaignId"), c.CAMPAIGN_ID, f"{path}.campaignId")}
    if campaign.get("segment") is not None:
        checked["segment"] = c.check_segment(campaign["segment"], f"{path}.segment")
        if len(set(message_segment or {}) | set(checked["segment"])) > c.MAX_SEGMENT_KEYS:
            c.refuse(f"{path}.segment", f"with the message's segment it has more than {c.MAX_SEGMENT_KEYS} keys")
    checked["predictedLift"] = c.check_bounded_number(
        campaign.get("predictedLift"), f"{path}.predictedLift", -1, 1, LIFT_RULE
    )
    interval = campaign.get("predictedLiftInterval")
    if interval is not None:
        if not isinstance(interval, dict) or set(interval) != {"lower", "upper"}:
            c.refuse(f"{path}.predictedLiftInterval", "must be {'lower': number, 'upper': number}")
        lower = c.check_bounded_number(interval["lower"], f"{path}.predictedLiftInterval.lower", -1, 1, LIFT_RULE)
        upper = c.check_bounded_number(interval["upper"], f"{path}.predictedLiftInterval.upper", -1, 1, LIFT_RULE)
        if lower > upper:
            c.refuse(f"{path}.predictedLiftInterval.lower", "lower must not exceed upper")
        checked["predictedLiftInterval"] = {"lower": lower, "upper": upper}
    checked["treatment"] = check_arm(campaign.get("treatment"), f"{path}.treatment")
    checked["control"] = check_arm(campaign.get("control"), f"{path}.control")
    if campaign.get("plannedTreatmentShare") is not None:
        checked["plannedTreatmentShare"] = check_planned_share(
            campaign["plannedTreatmentShare"], f"{path}.plannedTreatmentShare"
        )
    return checked


def campaign_results(model, model_version, window_end, campaigns, *, segment=None, attributes=None):
    """CampaignResults (topic ``campaign-results``): matured campaigns with their randomised holdouts.

    Each campaign is a dict: campaignId, predictedLift, treatment and control ({units, conversions}), and
    optionally segment, predictedLiftInterval ({lower, upper}) and plannedTreatmentShare.
    """
    body = windowed(model, model_version, window_end, segment)
    campaigns = list(campaigns)
    if not campaigns:
        c.refuse("campaigns", "must not be empty")
    if len(campaigns) > c.MAX_CAMPAIGNS:
        c.refuse("campaigns", f"carries more than {c.MAX_CAMPAIGNS} campaigns")
    checked = [check_campaign(campaign, index, segment) for index, campaign in enumerate(campaigns)]
    seen = {}
    for index, campaign in enumerate(checked):
        first = seen.setdefault(campaign["campaignId"], index)
        if first != index:
            c.refuse(
                f"campaigns[{index}].campaignId",
                f"duplicates campaigns[{first}].campaignId {json.dumps(campaign['campaignId'])}",
            )
    body["campaigns"] = checked
    return message("CampaignResults", body, ordering_key(model, model_version, segment), attributes)
