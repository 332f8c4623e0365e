"""Prints a FeatureBatch encoded as the README's producer example encodes it (numpy), for features.test.ts.

Exits 3 when numpy is not installed.
"""
import base64
import json
import sys

try:
    import numpy as np
except ImportError:
    sys.exit(3)

followers = np.array([1200, np.nan, 53000.5, 0])  # NaN marks a missing value
device = np.array(["ios", "web", None, "android"], dtype=object)  # None marks a missing value

# Numeric column: little-endian float32, NaN = missing.
followers_f32 = base64.b64encode(followers.astype("<f4").tobytes()).decode("ascii")

# Categorical column: sorted categories and little-endian uint16 codes into them, 65535 = missing.
present = device != None  # noqa: E711 (elementwise comparison)
categories, codes = np.unique(device[present].astype(str), return_inverse=True)
codes_u16 = np.full(len(device), 65535, dtype="<u2")
codes_u16[present] = codes
device_u16 = base64.b64encode(codes_u16.tobytes()).decode("ascii")

message = {
    "schemaVersion": 1,
    "model": "promo-lift",
    "modelVersion": "v3.1",
    "segment": {"market": "se"},
    "windowEnd": "2026-11-26T15:00:00Z",
    "features": {
        "artist_followers": {"kind": "numeric", "valuesF32": followers_f32},
        "device": {"kind": "categorical", "categories": categories.tolist(), "codesU16": device_u16},
    },
}
# allow_nan=False: a NaN left in a JSON array would be written as NaN, which is not JSON and is refused.
print(json.dumps(message, allow_nan=False))
