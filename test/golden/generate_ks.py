#!/usr/bin/env python3
"""Golden values for the two-sample Kolmogorov-Smirnov test, computed with scipy.
Python: the machine's `python3` (3.11 with numpy 2.4 and scipy 1.17, as the image ships them), for scipy 1.17's
ks_2samp and kstwo; the calibration, lift and uplift generators need Debian's /usr/bin/python3 (scikit-learn, statsmodels).

Run from the repository root: python3 test/golden/generate_ks.py
Writes test/golden/ks.json, read by test/shared/stats/drift/ksTwoSample.test.ts.

Every two-sample case stores its samples as a recipe the TypeScript test rebuilds bit-for-bit:
  {"values": [...]}                      literal values (small cases)
  {"base64": "..."}                      little-endian float64 values
  {"linspace": [start, stop, num], "add": [a, ...]}
        numpy.linspace (y_i = start + i * step, step = (stop - start) / (num - 1), y_last = stop),
        then each a added elementwise in order (x + 2 + 0.1 is two additions)
  {"hash": {"seed", "size", "scale", "shift", "quantum"}}
        u_k(i) = (lowbias32((4 i + k + seed * 0x9E3779B9) mod 2^32) + 0.5) / 2^32, k = 0..3,
        x_i = ((((u_0 + u_1) + u_2) + u_3) - 2) * scale + shift,
        then, if quantum is not null, x_i = floor(x_i * quantum) / quantum (creates ties).
Only IEEE-exact operations are used, so numpy and JavaScript produce identical samples.
kstwo_sf holds [n, d, scipy.stats.kstwo.sf(d, n)] triples across all regions of scipy's _kolmogn.
"""
import base64
import json
import pathlib

import numpy as np
import scipy
from scipy.stats import ks_2samp, kstwo

MASK = 0xFFFFFFFF
OUT = pathlib.Path(__file__).with_name("ks.json")


def lowbias32(x):
    x = x & MASK
    x ^= x >> np.uint64(16)
    x = (x * np.uint64(0x7FEB352D)) & np.uint64(MASK)
    x ^= x >> np.uint64(15)
    x = (x * np.uint64(0x846CA68B)) & np.uint64(MASK)
    x ^= x >> np.uint64(16)
    return x


def build(spec):
    if "values" in spec:
        return np.asarray(spec["values"], dtype=np.float64)
    if "base64" in spec:
        return np.frombuffer(base64.b64decode(spec["base64"]), dtype="<f8").astype(np.float64)
    if "linspace" in spec:
        start, stop, num = spec["linspace"]
        y = np.linspace(start, stop, num)
        # The TypeScript reproduction computes start + i * step; make sure that is what numpy did.
        step = (stop - start) / (num - 1)
        scalar = [float(i) * step + start for i in range(num - 1)] + [float(stop)]
        assert np.array_equal(y, np.asarray(scalar)), "linspace recipe is not reproducible"
        for a in spec.get("add", []):
            y = y + a
        return y
    h = spec["hash"]
    base = np.uint64((h["seed"] * 0x9E3779B9) & MASK)
    i = np.arange(h["size"], dtype=np.uint64)
    u = [(lowbias32(i * np.uint64(4) + np.uint64(k) + base).astype(np.float64) + 0.5) / 4294967296.0 for k in range(4)]
    x = ((((u[0] + u[1]) + u[2]) + u[3]) - 2.0) * h["scale"] + h["shift"]
    if h["quantum"] is not None:
        x = np.floor(x * h["quantum"]) / h["quantum"]
    return x


def hashed(seed, size, scale=1.0, shift=0.0, quantum=None):
    return {"hash": {"seed": seed, "size": size, "scale": scale, "shift": shift, "quantum": quantum}}


def literal(values):
    return {"values": [float(v) for v in values]}


def packed(values):
    return {"base64": base64.b64encode(np.asarray(values, dtype="<f8").tobytes()).decode("ascii")}


def scipy_literal_cases():
    x2233 = [2] * 3 + [3] * 4 + [5] * 5 + [6] * 4
    x2356 = [2] * 3 + [3] * 4 + [5] * 10 + [6] * 4
    x3467 = [3] * 10 + [4] * 2 + [6] * 10 + [7] * 4
    lin100 = {"linspace": [1, 100, 100]}
    lin110 = [1, 100, 110]
    yield "scipy testSmall [0] vs [1]", literal([0]), literal([1])
    yield "scipy testTwoVsThree plus", literal(np.array([1.0, 2.0]) + 0.01), literal([1, 2, 3])
    yield "scipy testTwoVsThree minus", literal(np.array([1.0, 2.0]) - 0.01), literal([1, 2, 3])
    yield "scipy testTwoVsFour plus", literal(np.array([1.0, 2.0]) + 0.01), literal([1, 2, 3, 4])
    yield "scipy testTwoVsFour minus", literal(np.array([1.0, 2.0]) - 0.01), literal([1, 2, 3, 4])
    yield "scipy test100_100 plus", lin100, {"linspace": [1, 100, 100], "add": [2, 0.1]}
    yield "scipy test100_100 minus", lin100, {"linspace": [1, 100, 100], "add": [2, -0.1]}
    yield "scipy test100_110 plus", lin100, {"linspace": lin110, "add": [20, 0.1]}
    yield "scipy test100_110 minus", lin100, {"linspace": lin110, "add": [20, -0.1]}
    yield "scipy testRepeatedValues 2233 vs 3344", literal(x2233), literal(np.array(x2233) + 1)
    yield "scipy testRepeatedValues 2356 vs 3467", literal(x2356), literal(x3467)
    yield "scipy testEqualSizes", literal([1, 2, 3]), literal([2, 3, 4])
    yield "scipy testEqualSizes half shift", literal([1, 2, 3]), literal([1.5, 2.5, 3.5])
    for n1, n2, stop2 in [(500, 600, 200), (1000, 1100, 200), (10000, 110, 100), (10000, 11000, 200)]:
        delta = 1.0 / n1 / n2 / 2 / 2
        yield (
            f"scipy linspace {n1} vs {n2}",
            {"linspace": [1, 200, n1], "add": [-delta]},
            {"linspace": [2, stop2, n2]},
        )
    rng = np.random.RandomState(123456)
    x = rng.normal(size=3000)
    y = rng.normal(size=3001) * 1.5
    yield "scipy test_gh11184 3000 vs 3001", packed(x), packed(y)


def random_cases():
    rng = np.random.default_rng(20240917)
    seed = 1000
    for k in range(90):
        n = int(rng.integers(1, 51))
        m = n if k % 3 == 0 else int(rng.integers(1, 51))
        shift = [0.0, 0.3, 1.0, 3.0][k % 4]
        quantum = [None, None, 2.0, 10.0, 1.0][k % 5]
        scale = [1.0, 1.0, 2.0][k % 3]
        yield (
            f"small n={n} m={m} shift={shift} quantum={quantum}",
            hashed(seed, n, quantum=quantum),
            hashed(seed + 1, m, scale=scale, shift=shift, quantum=quantum),
        )
        seed += 2
    mid = [
        (1000, 1000, 0.0, None),
        (1000, 1500, 0.1, None),
        (2500, 2500, 0.05, 20.0),
        (5000, 7000, 0.02, None),
        (3000, 3001, 0.0, None),
        (4000, 6000, 0.5, None),
        (10000, 10000, 0.0, None),
        (10000, 10000, 0.03, None),
        (10000, 10000, 1.5, None),
        (10000, 9999, 0.0, None),
        (10000, 9999, 0.04, None),
        (9999, 10000, 0.2, 50.0),
        (7919, 10000, 0.0, None),
    ]
    large = [
        (10001, 10001, 0.0, None),
        (10001, 10001, 0.05, None),
        (10001, 1, 0.0, None),
        (1, 10001, 2.0, None),
        (10001, 3, 0.0, None),
        (10001, 50, 0.3, None),
        (20000, 60, 0.0, None),
        (12000, 300, 0.2, None),
        (30000, 20000, 0.0, None),
        (30000, 20000, 0.03, None),
        (50000, 50000, 0.015, None),
        (100000, 100000, 0.0, None),
        (100000, 100000, 0.01, None),
        (150000, 200000, 0.008, 1000.0),
        (200000, 200000, 0.0, None),
        (200000, 200000, 0.006, None),
        (200000, 200000, 0.05, None),
        (200000, 200000, 0.5, None),
    ]
    for n, m, shift, quantum in mid + large:
        yield (
            f"sizes {n} vs {m} shift={shift} quantum={quantum}",
            hashed(seed, n, quantum=quantum),
            hashed(seed + 1, m, shift=shift, quantum=quantum),
        )
        seed += 2
    # Equal sizes with D = 1/n: scipy's exact sum rounds to 1 + ulp for many n, so it warns and falls
    # back to kstwo.sf(1/n, round(n/2)) (e.g. 0.9999999999990623 for n = 15).
    for n in [5, 15, 30, 36, 99, 1001]:
        yield f"equal sizes {n} with D = 1/n (exact-to-asymptotic fallback)", literal(np.arange(1.0, n + 1)), literal(
            np.arange(1.0, n + 1) + 0.5
        )
    # Near-identical large samples: tiny D puts kstwo in its Durbin (MTW) and Pelz-Good regions.
    for num, offset in [(20000, 0.002), (20000, 0.004), (100000, 0.0008), (100000, 0.003)]:
        yield (
            f"linspace {num} vs offset {offset}",
            {"linspace": [0, 1, num]},
            {"linspace": [0, 1, num], "add": [offset]},
        )


def kstwo_cases():
    rng = np.random.default_rng(7)
    ns = [1, 2, 3, 4, 5, 7, 10, 13, 20, 37, 50, 99, 140, 141, 200, 500, 1000, 1001, 5000, 10000, 50000, 99999,
          100000, 100001, 200000, 500000, 1000000]
    out = []
    for n in ns:
        ds = {f / n for f in [0.3, 0.5, 0.51, 0.75, 1.0, 1.2, 2.0, 2.5]}
        for c2 in [0.01, 0.1, 0.5, 0.754, 0.76, 1.5, 2.19, 2.21, 3.99, 4.01, 10, 19, 50, 150, 369, 371]:
            if n >= 100000 and c2 in (19, 150):
                continue  # scipy's O(n) smirnov sum is slow; keep the file quick to regenerate
            ds.add(float(np.sqrt(c2 / n)))
        ds.update([(1.4 / n) ** (2 / 3) * 0.999, (1.4 / n) ** (2 / 3) * 1.001])
        ds.update([1e-9, 0.4999, 0.5, 0.5001, 0.75, 0.99, 1 - 1.5 / n, 1 - 1 / n, 1 - 0.5 / n, 1.0])
        ds.update(rng.uniform(0, 1, 2).tolist())
        for d in sorted(ds):
            if 0 <= d <= 1:
                out.append([n, float(d), float(kstwo.sf(d, n))])
    return out


def main():
    two_sample = []
    for source in (scipy_literal_cases(), random_cases()):
        for name, ref_spec, cur_spec in source:
            result = ks_2samp(build(ref_spec), build(cur_spec))
            two_sample.append({
                "name": name,
                "reference": ref_spec,
                "current": cur_spec,
                "statistic": float(result.statistic),
                "pvalue": float(result.pvalue),
            })
    payload = {
        "generator": "test/golden/generate_ks.py",
        "scipy": scipy.__version__,
        "numpy": np.__version__,
        "twoSample": two_sample,
        "kstwoSf": kstwo_cases(),
    }
    OUT.write_text(json.dumps(payload, separators=(",", ":")) + "\n")
    print(f"wrote {OUT} ({len(two_sample)} two-sample cases, {len(payload['kstwoSf'])} kstwo cases)")


if __name__ == "__main__":
    main()
