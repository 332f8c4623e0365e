#!/usr/bin/python3
"""The calibration suite in sklearn/statsmodels/scipy on the benchmark's own data: prints the median ms.

Usage: calibration_sklearn.py FOLDER SIZE (reads FOLDER/p-SIZE.f64 and FOLDER/y-SIZE.u8).
Uses Debian's python3-sklearn and python3-statsmodels (the system python).
"""
import sys
import time

import numpy as np
import statsmodels.api as sm
from scipy.stats import norm
from sklearn.calibration import calibration_curve
from sklearn.metrics import brier_score_loss, log_loss


def suite(p, y):
    clipped = np.clip(p, 1e-15, 1 - 1e-15)
    logit = np.log(clipped / (1 - clipped))
    o, e = y.sum(), p.sum()
    ratio = o / e
    np.exp(np.log(ratio) + np.array([-1, 1]) * 1.959963984540054 / np.sqrt(o))
    brier_score_loss(y, p)
    log_loss(y, clipped, labels=[0, 1])
    prob_true, prob_pred = calibration_curve(y, p, n_bins=10, strategy="uniform")
    sm.GLM(y, sm.add_constant(logit), family=sm.families.Binomial()).fit()
    sm.GLM(y, np.ones_like(logit), family=sm.families.Binomial(), offset=logit).fit()
    z = np.sum((y - p) * (1 - 2 * p)) / np.sqrt(np.sum((1 - 2 * p) ** 2 * p * (1 - p)))
    2 * norm.sf(abs(z))


folder, size = sys.argv[1], sys.argv[2]
p = np.fromfile(f"{folder}/p-{size}.f64")
y = np.fromfile(f"{folder}/y-{size}.u8", dtype=np.uint8).astype(np.float64)
runs = 5 if p.size >= 1_000_000 else 11
times = []
for _ in range(runs + 1):
    start = time.perf_counter()
    suite(p, y)
    times.append((time.perf_counter() - start) * 1000)
print(sorted(times[1:])[runs // 2])
