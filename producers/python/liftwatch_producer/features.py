"""The feature messages of issue 11: FeatureBaseline (topic ``feature-baselines``) and FeatureBatch (topic
``features``), whose ``features`` map a feature name to one column.

Columns, as the contract reads them:
- numeric: ``{"kind": "numeric", "values": [number | null, ...]}`` or ``{"kind": "numeric", "valuesF32":
  "<base64 little-endian float32, NaN = missing>"}``;
- categorical: ``{"kind": "categorical", "values": [string | null, ...]}`` or ``{"kind": "categorical",
  "categories": [...], "codes": [int, ...]}`` (-1 = missing) or ``"codesU16"`` (base64 little-endian uint16,
  65535 = missing);
- an optional ``importance`` (non-negative, e.g. mean |SHAP| from training), baseline only.
"""
import math
import numbers
import re

import numpy as np

from . import contract as c
from . import encoding as e
from .messages import COMPACT, JSON, baseline_ordering_key, common, message, ordering_key, windowed

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


def encode_features(features, max_cells, *, allow_importance):
    """The columns of a message: 1 to 100 named features, one value per row in each, rows x features at most
    `max_cells` (producers sample rows)."""
    if not isinstance(features, dict):
        c.refuse("features", "must be an object from feature name to column")
    if not features:
        c.refuse("features", "must carry at least one feature")
    if len(features) > MAX_FEATURES:
        c.refuse("features", f"carries {len(features)} features, more than {MAX_FEATURES}")
    encoded = {}
    first = None
    for name, spec in features.items():
        if not isinstance(name, str) or FEATURE_NAME.fullmatch(name) is None:
            c.refuse(f"features.{name}", f"feature names must match ^{FEATURE_NAME.pattern}$")
        path = f"features.{name}"
        if spec["kind"] not in ("numeric", "categorical"):
            c.refuse(f"{path}.kind", 'must be "numeric" or "categorical"')
        rows = len(np.asarray(spec["values"], dtype=object).ravel())
        if first is None:
            first = (path, rows)
            if rows * len(features) > max_cells:
                c.refuse(
                    "features",
                    f"carries {len(features)} features x {rows} rows = {rows * len(features)} values, more than"
                    f" {max_cells}; sample rows",
                )
        elif rows != first[1]:
            c.refuse(path, f"has {rows} rows, but {first[0]} has {first[1]}; every column carries one value per row")
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
    body["features"] = encode_features(features, c.MAX_BATCH_VALUES, allow_importance=False)
    return message("FeatureBatch", body, ordering_key(model, model_version, segment), attributes)
