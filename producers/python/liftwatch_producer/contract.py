"""The rules of liftwatch's message contracts that a producer can check cheaply before publishing.

They restate shared/contracts/*.ts (the zod schemas are the source; schemas/*.json are generated from them):
a message this module builds is one liftwatch accepts, and what liftwatch would refuse is refused here first,
with the same field paths (``predictions[3]``, ``segment.market``) and reasons.
"""
import math
import numbers
import re

SCHEMA_VERSION = 1

#: Pub/Sub refuses message data over 10 MB; liftwatch refuses it before parsing.
MAX_MESSAGE_BYTES = 10_000_000
#: Most values one batch may carry, whatever its encoding.
MAX_BATCH_VALUES = 1_000_000
#: Most values a baseline may carry.
MAX_BASELINE_VALUES = 1_750_000
#: Predictions and uplift scores must lie within this magnitude.
MAX_VALUE_MAGNITUDE = 1e9
#: Most campaigns one CampaignResults may carry.
MAX_CAMPAIGNS = 100_000
MAX_SEGMENT_KEYS = 4
#: Most bins of a binning (999 fine edges), and most values counts may total (counts add up exactly to it).
MAX_BINS = 1000
#: A numeric feature's fine bins add two edges, its reference minimum and just above its maximum.
MAX_FEATURE_BINS = MAX_BINS + 2
MAX_BIN_TOTAL = 2**53 - 1
#: A binning's fingerprint, as ``liftwatch bins`` prints it.
BINNING = re.compile(r"[0-9a-f]{16}")
#: Bad elements named per array, as liftwatch names them.
MAX_REPORTED_ELEMENTS = 10

# Python's `$` matches before a trailing newline and `\d` any Unicode digit: fullmatch and [0-9] say what is meant.
MODEL = re.compile(r"[a-z][a-z0-9_-]{0,62}")
MODEL_VERSION = re.compile(r"[A-Za-z0-9._-]{1,63}")
SEGMENT_KEY = re.compile(r"[a-z][a-z0-9_]{0,30}")
SEGMENT_VALUE = re.compile(r"[A-Za-z0-9._-]{1,63}")
CAMPAIGN_ID = re.compile(r"[A-Za-z0-9._:-]{1,128}")
# RFC 3339 with an explicit offset and upper-case T and Z, as liftwatch reads it.
WINDOW_END = re.compile(
    r"[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(?:\.[0-9]+)?(?:Z|[+-][0-9]{2}:[0-9]{2})"
)


class FieldIssue(tuple):
    """One refused field: its path in the message and the reason."""

    __slots__ = ()

    def __new__(cls, path, message):
        return super().__new__(cls, (path, message))

    path = property(lambda self: self[0])
    message = property(lambda self: self[1])


class InvalidMessageError(ValueError):
    """A message liftwatch would refuse; ``issues`` lists each bad field as (path, reason)."""

    def __init__(self, issues):
        self.issues = [FieldIssue(path, message) for path, message in issues]
        super().__init__("; ".join(f"{path}: {message}" for path, message in self.issues))


def refuse(path, message):
    raise InvalidMessageError([(path, message)])


def check_pattern(value, pattern, path, hint=""):
    if not isinstance(value, str) or pattern.fullmatch(value) is None:
        refuse(path, f"must match ^{pattern.pattern}${hint}")
    return value


def check_segment(segment, path="segment"):
    """A segment: at most 4 keys ^[a-z][a-z0-9_]{0,30}$ with values ^[A-Za-z0-9._-]{1,63}$, or None."""
    if segment is None:
        return None
    if not isinstance(segment, dict):
        refuse(path, "must be an object of string keys and values, e.g. {'market': 'se'}")
    issues = []
    for key, value in segment.items():
        if not isinstance(key, str) or SEGMENT_KEY.fullmatch(key) is None:
            key_path = f"{path}.{key}" if isinstance(key, str) else path
            issues.append((key_path, f"segment keys must match ^{SEGMENT_KEY.pattern}$"))
        elif not isinstance(value, str) or SEGMENT_VALUE.fullmatch(value) is None:
            issues.append((f"{path}.{key}", f"segment values must match ^{SEGMENT_VALUE.pattern}$"))
    if len(segment) > MAX_SEGMENT_KEYS:
        issues.append((path, f"segment has more than {MAX_SEGMENT_KEYS} keys"))
    if issues:
        raise InvalidMessageError(issues)
    return dict(segment)


def segment_label(segment):
    """The canonical segment label liftwatch writes (shared/monitoring/series.ts segmentLabel): keys sorted,
    ``key=value`` joined by commas, ``all`` for no segment."""
    if not segment:
        return "all"
    return ",".join(f"{key}={segment[key]}" for key in sorted(segment))


def check_bounded_number(value, path, low, high, reason):
    """A finite JSON number in [low, high] (bool is not a number in JSON)."""
    if isinstance(value, bool) or not isinstance(value, numbers.Real) or not math.isfinite(value):
        refuse(path, reason)
    if not low <= value <= high:
        refuse(path, reason)
    return int(value) if isinstance(value, numbers.Integral) else float(value)


def check_count(value, path, what, minimum=0, why=""):
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        refuse(path, f"{what} must be a whole number")
    if isinstance(value, numbers.Integral):
        value = int(value)
    elif math.isfinite(value) and float(value).is_integer():
        value = int(value)
    else:
        refuse(path, f"{what} must be a whole number")
    if value < minimum:
        refuse(path, f"{what} must not be negative" if minimum == 0 else f"{what} must be at least {minimum}{why}")
    return value
