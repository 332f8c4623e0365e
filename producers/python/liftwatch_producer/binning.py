"""The binning registerBaseline derives from a Baseline, computed here from the same reference values, so that a
producer holding the reference can count windows without asking liftwatch first (``liftwatch bins`` prints the
same dict; tests/test_binning.py and test/producers check that they agree bit for bit).

Edges: the unique reference quantiles at k/1000, k = 1..999 (numpy 'linear'). Fingerprint: the first 16 hex digits of
SHA-256 over ``"liftwatch-binning-v1" NUL model NUL modelVersion NUL`` followed by the edges as little-endian float64.
"""
import hashlib

import numpy as np

FINE_BIN_COUNT = 1000
DOMAIN = b"liftwatch-binning-v1"


def fine_edges(reference):
    """The fine edges of a reference (any order), as liftwatch computes them."""
    values = np.sort(np.asarray(reference, dtype=np.float64).ravel())
    if values.size == 0:
        raise ValueError("fine_edges requires at least one reference value")
    return np.unique(np.quantile(values, np.arange(1, FINE_BIN_COUNT) / FINE_BIN_COUNT))


def fingerprint(model, model_version, edges):
    """The binning fingerprint of (model, modelVersion, edges)."""
    digest = hashlib.sha256()
    digest.update(DOMAIN + b"\0" + model.encode("utf-8") + b"\0" + model_version.encode("utf-8") + b"\0")
    digest.update(np.asarray(edges, dtype="<f8").tobytes())
    return digest.hexdigest()[:16]


def binning(model, model_version, reference):
    """``{"binning": fingerprint, "edges": [...]}`` for a Baseline of these reference values, as liftwatch bins prints."""
    edges = fine_edges(reference)
    return {"binning": fingerprint(model, model_version, edges), "edges": [float(edge) for edge in edges]}
