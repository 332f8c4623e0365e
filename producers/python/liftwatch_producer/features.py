"""The feature messages of issue 11: FeatureBaseline (topic ``feature-baselines``) and FeatureBatch (topic
``features``), whose ``features`` map a feature name to one column.

Columns, as the contract reads them:
- numeric: ``{"kind": "numeric", "values": [number | null, ...]}`` or ``{"kind": "numeric", "valuesF32":
  "<base64 little-endian float32, NaN = missing>"}``;
- categorical: ``{"kind": "categorical", "values": [string | null, ...]}`` or ``{"kind": "categorical",
  "categories": [...], "codes": [int, ...]}`` (-1 = missing) or ``"codesU16"`` (base64 little-endian uint16,
  65535 = missing);
- an optional ``importance`` (non-negative, e.g. mean |SHAP| from training), baseline only.

A FeatureBatch's column may instead be pre-aggregated, counted from any volume (issue 14):
- numeric: ``{"kind": "numeric", "binCounts": {"binning": "<16 hex>", "counts": [c_0, ..., c_B]}, "missing": k}``,
  counts in the feature's fine bins (feature_binning, as ``liftwatch bins --baseline FEATURE_BASELINE.json`` prints
  them; bin = ``np.searchsorted(edges, x, side="right")``);
- categorical: ``{"kind": "categorical", "counts": {"name": count, ...}, "missing": k}``, keyed by category name;
- every column, raw or counted, stands for the same number of rows (values, or counts' total + missing), at least 1.
"""
import math
import numbers
import re

import numpy as np

from . import contract as c
from . import encoding as e
from .binning import categorical_feature_binning, numeric_feature_binning
from .combiner import CategoryCounts, FeatureBinCounts
from .messages import (
    COMPACT,
    JSON,
    baseline_ordering_key,
    check_binning,
    check_counts,
    common,
    message,
    ordering_key,
    windowed,
)

FEATURE_NAME = re.compile(r"[a-z][a-z0-9_]{0,62}")
CATEGORY = re.compile(r"[A-Za-z0-9_.:/+-]{1,128}")
MAX_FEATURES = 100
MISSING_CODE = -1
MISSING_CODE_U16 = 65535
#: Codes 0..65534 are categories; 65535 marks a missing value.
MAX_CATEGORIES_U16 = 65535
#: Categories one column may carry, whichever encoding (codes 0..65534).
MAX_CATEGORIES = 65535
CODES = "codes"
#: The encodings of counted columns (binned_numeric_column, counted_categorical_column): FeatureBatch only.
BINNED = "binned"
COUNTED = "counted"
COUNT_RULE = "must be a non-negative integer count"
NUMERIC_RULE = f"must be a finite number within ±{c.MAX_VALUE_MAGNITUDE:.0f}, or null (missing)"
CATEGORY_RULE = f"must be a string matching ^{CATEGORY.pattern}$, or null (missing)"
IMPORTANCE_RULE = f"must be a number from 0 to {c.MAX_VALUE_MAGNITUDE:.0f} (e.g. mean |SHAP| from training)"


def numeric_column(values, *, encoding=JSON, importance=None):
    """A numeric column; None or NaN marks a missing value (null in JSON, NaN in valuesF32).

    Values must be finite where present and within ±1e9, the bound predictions obey.
    """
    return {"kind": "numeric", "values": values, "encoding": encoding, "importance": importance}


def categorical_column(values, *, encoding=JSON, importance=None):
    """A categorical column of strings, None marking a missing value; `encoding` is "json" (``values``),
    "codes" (``categories`` + ``codes``) or "compact" (``categories`` + ``codesU16``)."""
    return {"kind": "categorical", "values": values, "encoding": encoding, "importance": importance}


def encode_numeric(spec, path, max_rows):
    given = np.asarray(spec["values"], dtype=object).ravel()
    field = f"{path}.values" if spec["encoding"] == JSON else f"{path}.valuesF32"
    if given.size == 0:
        c.refuse(field, "must not be empty")
    if given.size > max_rows:
        c.refuse(field, f"carries more than {max_rows} values")
    array = np.full(given.size, np.nan)
    bad = []
    for index, value in enumerate(given.tolist()):
        if value is None or (isinstance(value, float) and math.isnan(value)):
            continue
        if isinstance(value, bool) or not isinstance(value, numbers.Real) or not abs(value) <= c.MAX_VALUE_MAGNITUDE:
            bad.append(index)
        else:
            array[index] = float(value)
    if bad:
        e.refuse_elements(f"{path}.values", bad, NUMERIC_RULE)
    if spec["encoding"] == COMPACT:
        return {"kind": "numeric", "valuesF32": e.float32_base64_nan(array, f"{path}.valuesF32")}
    if spec["encoding"] != JSON:
        raise ValueError(f"numeric encoding must be {JSON!r} or {COMPACT!r}, not {spec['encoding']!r}")
    return {"kind": "numeric", "values": [None if math.isnan(x) else x for x in array.tolist()]}


def encode_categorical(spec, path, max_rows):
    given = list(np.asarray(spec["values"], dtype=object).ravel().tolist())
    field = {JSON: "values", CODES: "codes"}.get(spec["encoding"], "codesU16")
    if not given:
        c.refuse(f"{path}.{field}", "must not be empty")
    if len(given) > max_rows:
        c.refuse(f"{path}.{field}", f"carries more than {max_rows} values")
    bad = [
        index
        for index, value in enumerate(given)
        if value is not None and (not isinstance(value, str) or CATEGORY.fullmatch(value) is None)
    ]
    if bad:
        e.refuse_elements(f"{path}.values", bad, CATEGORY_RULE)
    if spec["encoding"] == JSON:
        return {"kind": "categorical", "values": given}
    categories = list(dict.fromkeys(v for v in given if v is not None))  # in order of first appearance
    if len(categories) > MAX_CATEGORIES:
        c.refuse(f"{path}.categories", f"carries more than {MAX_CATEGORIES} values")
    index = {category: code for code, category in enumerate(categories)}
    if spec["encoding"] == CODES:
        codes = [MISSING_CODE if value is None else index[value] for value in given]
        return {"kind": "categorical", "categories": categories, "codes": codes}
    if spec["encoding"] != COMPACT:
        raise ValueError(f"categorical encoding must be {JSON!r}, {CODES!r} or {COMPACT!r}, not {spec['encoding']!r}")
    codes = np.array([MISSING_CODE_U16 if v is None else index[v] for v in given], dtype="<u2")
    return {"kind": "categorical", "categories": categories, "codesU16": e.uint16_base64(codes)}


def binned_numeric_column(bins, counts=None, missing=None, *, values=None):
    """A FeatureBatch's numeric column as counts in the feature's fine bins (``binCounts``) and its missing count.

    `bins` is the feature's entry of feature_binning (``liftwatch bins --baseline FEATURE_BASELINE.json``):
    ``{"binning", "edges"}``, or the fingerprint alone. Pass either `counts` (one per bin, ``len(edges) + 1``) and
    `missing`, e.g. ``**FeatureBinCounts(edges).extract_output(merged)``, or the window's `values` (None or NaN =
    missing), counted here: bin = ``np.searchsorted(edges, x, side="right")``.
    """
    return {"kind": "numeric", "encoding": BINNED, "bins": bins, "counts": counts, "missing": missing, "values": values}


def counted_categorical_column(counts=None, missing=None, *, values=None):
    """A FeatureBatch's categorical column as its non-missing values counted by category name (``counts``) and its
    missing count: either `counts` ({name: count}) and `missing`, e.g. ``**CategoryCounts().extract_output(merged)``,
    or the window's `values` (None = missing), counted here. Names outside the baseline's kept categories count in
    its pooled bucket (or as unseen), as raw values would."""
    return {"kind": "categorical", "encoding": COUNTED, "counts": counts, "missing": missing, "values": values}


def is_counted(spec):
    return spec.get("encoding") in (BINNED, COUNTED)


def check_missing(missing, path, field):
    """A counted column's missing count: a non-negative integer a double holds exactly, required with `field`."""
    if missing is None:
        c.refuse(path, f"is required with {field}: the count of missing (null) values in the window, 0 when none")
    if isinstance(missing, bool) or not isinstance(missing, numbers.Integral) or not 0 <= missing:
        c.refuse(path, COUNT_RULE)
    if missing > c.MAX_BIN_TOTAL:
        c.refuse(path, "must be at most 2^53 - 1")
    return int(missing)


def counted_rows(total, missing, field, path):
    """Rows a counted column stands for, the counts' total plus missing: at least 1, at most 2^53 - 1."""
    rows = total + missing
    if rows == 0:
        c.refuse(f"{path}.missing", f"is 0 and {field} count no value: a column has at least one row")
    if rows > c.MAX_BIN_TOTAL:
        c.refuse(f"{path}.{field}", "with missing counts more than 2^53 - 1 rows in total")
    return rows


def encode_binned_numeric(spec, path):
    """``{"kind": "numeric", "binCounts": {...}, "missing": k}`` and the rows it stands for."""
    bins, edges = spec["bins"], None
    if isinstance(bins, dict):
        if "categories" in bins:
            raise ValueError(f"{path}: the binning of a categorical feature; use counted_categorical_column")
        bins, edges = bins.get("binning"), bins.get("edges")
    counts, missing = spec["counts"], spec["missing"]
    if spec["values"] is not None:
        if counts is not None or missing is not None:
            raise ValueError(f"{path}: pass values or counts and missing, not both")
        if edges is None:
            raise ValueError(f"{path}: counting values needs the edges (the feature's entry of feature_binning)")
        fn = FeatureBinCounts(edges)
        counted = fn.extract_output(fn.add_input(fn.create_accumulator(), spec["values"]))
        counts, missing = counted["counts"], counted["missing"]
    fingerprint = check_binning(bins, f"{path}.binCounts.binning")
    counts = check_counts(counts, f"{path}.binCounts.counts", edges, max_bins=c.MAX_FEATURE_BINS, min_total=0)
    missing = check_missing(missing, f"{path}.missing", "binCounts")
    rows = counted_rows(sum(counts), missing, "binCounts", path)
    return {"kind": "numeric", "binCounts": {"binning": fingerprint, "counts": counts}, "missing": missing}, rows


def encode_counted_categorical(spec, path):
    """``{"kind": "categorical", "counts": {name: count}, "missing": k}`` and the rows it stands for."""
    counts, missing = spec["counts"], spec["missing"]
    if spec["values"] is not None:
        if counts is not None or missing is not None:
            raise ValueError(f"{path}: pass values or counts and missing, not both")
        fn = CategoryCounts()
        try:
            counted = fn.extract_output(fn.add_input(fn.create_accumulator(), spec["values"]))
        except ValueError:
            encode_categorical({"values": spec["values"], "encoding": JSON}, path, c.MAX_BIN_TOTAL)
            raise
        counts, missing = counted["counts"], counted["missing"]
    if not isinstance(counts, dict):
        c.refuse(f"{path}.counts", "must be an object of category: count")
    if len(counts) > MAX_CATEGORIES:
        c.refuse(f"{path}.counts", f"carries {len(counts)} categories, more than {MAX_CATEGORIES}")
    issues = []
    for name, count in counts.items():
        if not isinstance(name, str) or CATEGORY.fullmatch(name) is None:
            issues.append((f"{path}.counts.{name}", f"category names must match ^{CATEGORY.pattern}$"))
        elif isinstance(count, bool) or not isinstance(count, numbers.Integral) or not 0 <= count <= c.MAX_BIN_TOTAL:
            issues.append((f"{path}.counts.{name}", COUNT_RULE))
    if issues:
        raise c.InvalidMessageError(issues[: c.MAX_REPORTED_ELEMENTS])
    counts = {name: int(count) for name, count in counts.items()}
    total = sum(counts.values())
    if total > c.MAX_BIN_TOTAL:
        c.refuse(f"{path}.counts", "counts more than 2^53 - 1 values in total")
    missing = check_missing(missing, f"{path}.missing", "counts")
    rows = counted_rows(total, missing, "counts", path)
    return {"kind": "categorical", "counts": counts, "missing": missing}, rows


def encode_features(features, max_cells, *, allow_importance, allow_counts=False):
    """The columns of a message: 1 to 100 named features, one value per row in each, rows x value-carrying features
    at most `max_cells` (producers sample rows, or send counts); a FeatureBatch's counted columns stand for their
    counts' total + missing rows, as many as every other column's."""
    if not isinstance(features, dict):
        c.refuse("features", "must be an object from feature name to column")
    if not features:
        c.refuse("features", "must carry at least one feature")
    if len(features) > MAX_FEATURES:
        c.refuse("features", f"carries {len(features)} features, more than {MAX_FEATURES}")
    value_columns = sum(1 for spec in features.values() if not is_counted(spec))
    encoded = {}
    first = None
    checked_cells = False
    for name, spec in features.items():
        if not isinstance(name, str) or FEATURE_NAME.fullmatch(name) is None:
            c.refuse(f"features.{name}", f"feature names must match ^{FEATURE_NAME.pattern}$")
        path = f"features.{name}"
        if spec["kind"] not in ("numeric", "categorical"):
            c.refuse(f"{path}.kind", 'must be "numeric" or "categorical"')
        if is_counted(spec):
            if not allow_counts:
                field = "binCounts" if spec["kind"] == "numeric" else "counts"
                c.refuse(f"{path}.{field}", "is not a field of this message")
            encode = encode_binned_numeric if spec["kind"] == "numeric" else encode_counted_categorical
            column, rows = encode(spec, path)
        else:
            rows = len(np.asarray(spec["values"], dtype=object).ravel())
            if not checked_cells:
                checked_cells = True
                if rows * value_columns > max_cells:
                    c.refuse(
                        "features",
                        f"carries {value_columns} features x {rows} rows = {rows * value_columns} values, more than"
                        f" {max_cells}; sample rows or send counts (binCounts, counts)",
                    )
            column = None
        if first is None:
            first = (path, rows)
        elif rows != first[1]:
            c.refuse(path, f"has {rows} rows, but {first[0]} has {first[1]}; every column carries one value per row")
        if column is None:
            column = (encode_numeric if spec["kind"] == "numeric" else encode_categorical)(spec, path, max_cells)
        if spec.get("importance") is not None:
            if not allow_importance:
                c.refuse(f"{path}.importance", "is not a field of this message")
            column["importance"] = c.check_bounded_number(
                spec["importance"], f"{path}.importance", 0, c.MAX_VALUE_MAGNITUDE, IMPORTANCE_RULE
            )
        encoded[name] = column
    return encoded


def feature_baseline(model, model_version, features, *, attributes=None):
    """FeatureBaseline (topic ``feature-baselines``): the reference feature columns of a model version."""
    body = common(model, model_version)
    body["features"] = encode_features(features, c.MAX_BASELINE_VALUES, allow_importance=True)
    return message("FeatureBaseline", body, baseline_ordering_key(model, model_version), attributes)


def feature_batch(model, model_version, window_end, features, *, segment=None, attributes=None):
    """FeatureBatch (topic ``features``): one window of one segment's feature columns (producers sample rows)."""
    body = windowed(model, model_version, window_end, segment)
    body["features"] = encode_features(features, c.MAX_BATCH_VALUES, allow_importance=False, allow_counts=True)
    return message("FeatureBatch", body, ordering_key(model, model_version, segment), attributes)


def binned_feature_batch(model, model_version, window_end, bins, values, *, segment=None, attributes=None):
    """FeatureBatch (topic ``features``) of a window pre-aggregated: each feature's `values` (None or NaN = missing)
    counted, a numeric feature in its fine bins (binned_numeric_column), a categorical one by name
    (counted_categorical_column). `bins` is what ``liftwatch bins --baseline FEATURE_BASELINE.json`` prints,
    ``{"features": {name: {"binning", "edges" | "categories"}}}``, or feature_binning of the registered baseline.
    """
    by_name = bins.get("features", bins) if isinstance(bins, dict) else bins
    columns = {}
    for name, column_values in values.items():
        entry = by_name.get(name) if isinstance(name, str) else None
        if entry is None:
            c.refuse(f"features.{name}", "has no binning: the baseline's features are " + ", ".join(sorted(by_name)))
        if "edges" in entry:
            columns[name] = binned_numeric_column(entry, values=column_values)
        else:
            columns[name] = counted_categorical_column(values=column_values)
    return feature_batch(model, model_version, window_end, columns, segment=segment, attributes=attributes)


def baseline_columns(feature_baseline_message):
    """A FeatureBaseline's columns as {name: ("numeric", float64 values with NaN) | ("categorical", [str | None])},
    from a Message, its body, or the body's ``features`` (encoded columns, or numeric_column/categorical_column)."""
    source = feature_baseline_message
    if hasattr(source, "body"):
        source = source.body
    features = source.get("features", source)
    columns = {}
    for name, column in features.items():
        if column["kind"] == "numeric":
            if column.get("values") is not None:
                given = np.asarray(column["values"], dtype=object).ravel().tolist()
                values = np.array([np.nan if v is None else float(v) for v in given], dtype=np.float64)
            else:
                values = e.float32_from_base64(column["valuesF32"])
            columns[name] = ("numeric", values)
        elif column.get("categories") is None:
            columns[name] = ("categorical", list(np.asarray(column["values"], dtype=object).ravel().tolist()))
        else:
            categories = column["categories"]
            if column.get("codes") is not None:
                codes, missing_code = list(column["codes"]), MISSING_CODE
            else:
                codes, missing_code = e.uint16_from_base64(column["codesU16"]).tolist(), MISSING_CODE_U16
            columns[name] = ("categorical", [None if code == missing_code else categories[code] for code in codes])
    return columns


def feature_binning(model, model_version, feature_baseline_message):
    """Every feature's binning of a FeatureBaseline, as ``liftwatch bins --baseline FEATURE_BASELINE.json`` prints it
    and registerFeatureBaseline stores it, bit for bit: ``{"features": {name: {"binning", "edges"} (numeric) |
    {"binning", "categories"} (categorical)}}``.

    `feature_baseline_message` is the Message feature_baseline built, its body (the JSON, parsed), or its
    ``features``; `model` and `model_version` must be the message's (they are hashed into each fingerprint).
    """
    body = feature_baseline_message.body if hasattr(feature_baseline_message, "body") else feature_baseline_message
    for field, given in (("model", model), ("modelVersion", model_version)):
        if field in body and body[field] != given:
            raise ValueError(f"the baseline's {field} is {body[field]!r}, not {given!r}")
    binnings = {"numeric": numeric_feature_binning, "categorical": categorical_feature_binning}
    return {
        "features": {
            name: binnings[kind](model, model_version, name, values)
            for name, (kind, values) in baseline_columns(feature_baseline_message).items()
        }
    }
