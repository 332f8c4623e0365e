"""The value arrays of liftwatch messages, checked and encoded: JSON arrays or the compact base64 encodings.

The compact encodings are those of shared/contracts: ``...F32`` is base64 of little-endian IEEE 754 float32,
``...U8`` base64 of one byte per 0/1 value, ``codesU16`` base64 of little-endian uint16 (65535 = missing). Base64
is standard and padded (``base64.b64encode``).
"""
import base64

import numpy as np

from .contract import MAX_REPORTED_ELEMENTS, MAX_VALUE_MAGNITUDE, InvalidMessageError, refuse

PREDICTION_RULE = f"must be a finite number within ±{MAX_VALUE_MAGNITUDE:.0f}"
PROBABILITY_RULE = "must be a probability in [0, 1]"
BIT_RULE = "must be 0 or 1"


def as_vector(values, field, max_values):
    """Values as a 1-D float64 array, refusing an empty, oversized or non-numeric input."""
    given = np.asarray(values)
    if given.dtype.kind not in "biuf":
        # None, strings and other objects become NaN, refused below by index as liftwatch refuses them.
        given = np.asarray(values, dtype=object)
        if given.ndim == 1:
            given = np.array([number(item) for item in given], dtype=np.float64)
    try:
        array = given.astype(np.float64)
    except (TypeError, ValueError):
        refuse(field, "must be an array of numbers")
    if array.ndim != 1:
        refuse(field, f"must be one-dimensional, not of shape {array.shape}")
    if array.size == 0:
        refuse(field, "must not be empty")
    if array.size > max_values:
        refuse(field, f"carries more than {max_values} values")
    return array


def number(item):
    """A JSON number as float, NaN for anything JSON would not carry as a number (None, str, bool)."""
    if isinstance(item, (bool, np.bool_, str, bytes)) or item is None:
        return np.nan
    try:
        return float(item)
    except (TypeError, ValueError):
        return np.nan


def refuse_elements(field, bad, rule):
    """Refuses the elements at the indices `bad` as liftwatch does: the first ten named, the rest counted."""
    issues = [(f"{field}[{int(i)}]", rule) for i in bad[:MAX_REPORTED_ELEMENTS]]
    if len(bad) > MAX_REPORTED_ELEMENTS:
        issues.append(
            (field, f"has {len(bad)} invalid values (each {rule}); the first {MAX_REPORTED_ELEMENTS} are listed")
        )
    raise InvalidMessageError(issues)


def check_predictions(values, field, max_values):
    """Predictions or uplift scores: finite and within ±1e9 (NaN and infinity refused)."""
    array = as_vector(values, field, max_values)
    bad = np.flatnonzero(~(np.abs(array) <= MAX_VALUE_MAGNITUDE))
    if bad.size:
        refuse_elements(field, bad, PREDICTION_RULE)
    return array


def check_probabilities(values, field, max_values):
    """Probabilities in [0, 1] (an OutcomeBatch's predictions)."""
    array = as_vector(values, field, max_values)
    bad = np.flatnonzero(~((array >= 0) & (array <= 1)))
    if bad.size:
        refuse_elements(field, bad, PROBABILITY_RULE)
    return array


def check_bits(values, field, max_values):
    """0/1 values (booleans allowed) as uint8."""
    array = as_vector(values, field, max_values)
    bad = np.flatnonzero(~((array == 0) | (array == 1)))
    if bad.size:
        refuse_elements(field, bad, BIT_RULE)
    return array.astype(np.uint8)


def b64(raw):
    return base64.b64encode(raw).decode("ascii")


def float32_base64(array, field):
    """Base64 of little-endian float32, refusing a value float32 cannot hold within ±1e9."""
    # Rounding to float32 keeps values within ±1e9 within it (1e9 is a float32), so the range holds after encoding.
    with np.errstate(over="ignore"):
        floats = np.asarray(array, dtype="<f4")
    bad = np.flatnonzero(~np.isfinite(floats))
    if bad.size:
        refuse_elements(field, bad, "must be a finite float32")
    return b64(floats.tobytes())


def uint8_base64(bits):
    """Base64 of one byte per value (numpy ``bits.astype(np.uint8).tobytes()``)."""
    return b64(np.asarray(bits, dtype=np.uint8).tobytes())


def uint16_base64(codes):
    """Base64 of little-endian uint16."""
    return b64(np.asarray(codes, dtype="<u2").tobytes())


def json_numbers(array):
    """A float64 array as a list of Python floats (json writes each as its shortest round-trip repr)."""
    return np.asarray(array, dtype=np.float64).tolist()


def json_bits(bits):
    return np.asarray(bits, dtype=np.uint8).astype(int).tolist()


def float32_base64_nan(array, field):
    """Base64 of little-endian float32 with NaN for a missing value (a feature column's valuesF32)."""
    with np.errstate(over="ignore"):
        floats = np.asarray(array, dtype="<f4")
    bad = np.flatnonzero(np.isinf(floats))
    if bad.size:
        refuse_elements(field, bad, "must be a finite float32 or NaN (missing)")
    return b64(floats.tobytes())


def float32_from_base64(text):
    """A ``...F32`` field decoded: little-endian float32 as float64 (NaN kept: a feature's missing value)."""
    return np.frombuffer(base64.b64decode(text, validate=True), dtype="<f4").astype(np.float64)


def uint16_from_base64(text):
    """A ``codesU16`` field decoded: little-endian uint16 as int64."""
    return np.frombuffer(base64.b64decode(text, validate=True), dtype="<u2").astype(np.int64)
