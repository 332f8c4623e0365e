#!/usr/bin/python3
"""Golden values for the unit-level uplift statistics, as scikit-uplift 0.5.1 defines them.

Run from the repository root with Debian's python (numpy, scikit-learn, pandas):
    /usr/bin/python3 test/golden/generate_uplift.py
Writes test/golden/uplift.json, read by test/shared/stats/uplift/uplift.test.ts.

scikit-uplift is not installable here (PyPI is unreachable), so the functions below are transcribed
line for line from maks-sh/scikit-uplift v0.5.1 (commit 0038e659428f6e7a49b935b850651cd9a9db3f54),
file sklift/metrics/metrics.py, with sklift/utils/utils.py:check_is_binary. They call the same
scikit-learn helpers sklift calls (sklearn.metrics.auc, sklearn.utils.extmath.stable_cumsum).
Before writing anything the script asserts sklift's own published test values
(sklift/tests/test_metrics.py, cases U-1..U-16 of stats-references.md section 3.1, U-15 excepted
because it fails on numpy >= 1.24) and the derived design-D values U-17..U-24.

Samples are stored as recipes the TypeScript test rebuilds exactly:
  uplift: {"values": [...]} or {"base64": "..."} (little-endian float64)
  treatment, outcomes: strings of '0' and '1'.
"""
import base64
import json
import pathlib
import warnings

import numpy as np
import pandas as pd
import sklearn
from sklearn.metrics import auc
from sklearn.utils.extmath import stable_cumsum
from sklearn.utils.validation import check_consistent_length

OUT = pathlib.Path(__file__).with_name("uplift.json")
BINS = 10
K = 0.3
MAX_CURVE_POINTS = 101
FULL_CURVES_UP_TO = 1000


# ---- sklift/utils/utils.py ------------------------------------------------------------------------


def check_is_binary(array):
    """sklift/utils/utils.py:check_is_binary. Note: it also rejects an array holding only one value."""
    if not np.all(np.unique(array) == np.array([0, 1])):
        raise ValueError("Input array is not binary.")


# ---- sklift/metrics/metrics.py (v0.5.1), transcribed ---------------------------------------------
# `checked=False` skips check_is_binary so edge cases outside sklift's domain (an arm with no
# units, no conversions at all) still get the values of sklift's formulas; nothing else differs.


def uplift_curve(y_true, uplift, treatment, checked=True):
    """metrics.py:uplift_curve."""
    check_consistent_length(y_true, uplift, treatment)
    if checked:
        check_is_binary(treatment)
        check_is_binary(y_true)

    y_true, uplift, treatment = np.array(y_true), np.array(uplift), np.array(treatment)

    desc_score_indices = np.argsort(uplift, kind="mergesort")[::-1]
    y_true, uplift, treatment = y_true[desc_score_indices], uplift[desc_score_indices], treatment[desc_score_indices]

    y_true_ctrl, y_true_trmnt = y_true.copy(), y_true.copy()

    y_true_ctrl[treatment == 1] = 0
    y_true_trmnt[treatment == 0] = 0

    distinct_value_indices = np.where(np.diff(uplift))[0]
    threshold_indices = np.r_[distinct_value_indices, uplift.size - 1]

    num_trmnt = stable_cumsum(treatment)[threshold_indices]
    y_trmnt = stable_cumsum(y_true_trmnt)[threshold_indices]

    num_all = threshold_indices + 1

    num_ctrl = num_all - num_trmnt
    y_ctrl = stable_cumsum(y_true_ctrl)[threshold_indices]

    curve_values = (np.divide(y_trmnt, num_trmnt, out=np.zeros_like(y_trmnt), where=num_trmnt != 0) -
                    np.divide(y_ctrl, num_ctrl, out=np.zeros_like(y_ctrl), where=num_ctrl != 0)) * num_all

    if num_all.size == 0 or curve_values[0] != 0 or num_all[0] != 0:
        num_all = np.r_[0, num_all]
        curve_values = np.r_[0, curve_values]

    return num_all, curve_values


def perfect_uplift_curve(y_true, treatment, checked=True):
    """metrics.py:perfect_uplift_curve."""
    check_consistent_length(y_true, treatment)
    if checked:
        check_is_binary(treatment)
        check_is_binary(y_true)
    y_true, treatment = np.array(y_true), np.array(treatment)

    cr_num = np.sum((y_true == 1) & (treatment == 0))  # Control Responders
    tn_num = np.sum((y_true == 0) & (treatment == 1))  # Treated Non-Responders

    summand = y_true if cr_num > tn_num else treatment
    perfect_uplift = 2 * (y_true == treatment) + summand

    return uplift_curve(y_true, perfect_uplift, treatment, checked)


def uplift_auc_score(y_true, uplift, treatment, checked=True):
    """metrics.py:uplift_auc_score."""
    check_consistent_length(y_true, uplift, treatment)
    if checked:
        check_is_binary(treatment)
        check_is_binary(y_true)
    y_true, uplift, treatment = np.array(y_true), np.array(uplift), np.array(treatment)

    x_actual, y_actual = uplift_curve(y_true, uplift, treatment, checked)
    x_perfect, y_perfect = perfect_uplift_curve(y_true, treatment, checked)
    x_baseline, y_baseline = np.array([0, x_perfect[-1]]), np.array([0, y_perfect[-1]])

    auc_score_baseline = auc(x_baseline, y_baseline)
    auc_score_perfect = auc(x_perfect, y_perfect) - auc_score_baseline
    auc_score_actual = auc(x_actual, y_actual) - auc_score_baseline

    return auc_score_actual / auc_score_perfect


def qini_curve(y_true, uplift, treatment, checked=True):
    """metrics.py:qini_curve."""
    check_consistent_length(y_true, uplift, treatment)
    if checked:
        check_is_binary(treatment)
        check_is_binary(y_true)
    y_true, uplift, treatment = np.array(y_true), np.array(uplift), np.array(treatment)

    desc_score_indices = np.argsort(uplift, kind="mergesort")[::-1]

    y_true = y_true[desc_score_indices]
    treatment = treatment[desc_score_indices]
    uplift = uplift[desc_score_indices]

    y_true_ctrl, y_true_trmnt = y_true.copy(), y_true.copy()

    y_true_ctrl[treatment == 1] = 0
    y_true_trmnt[treatment == 0] = 0

    distinct_value_indices = np.where(np.diff(uplift))[0]
    threshold_indices = np.r_[distinct_value_indices, uplift.size - 1]

    num_trmnt = stable_cumsum(treatment)[threshold_indices]
    y_trmnt = stable_cumsum(y_true_trmnt)[threshold_indices]

    num_all = threshold_indices + 1

    num_ctrl = num_all - num_trmnt
    y_ctrl = stable_cumsum(y_true_ctrl)[threshold_indices]

    curve_values = y_trmnt - y_ctrl * np.divide(num_trmnt, num_ctrl, out=np.zeros_like(num_trmnt), where=num_ctrl != 0)
    if num_all.size == 0 or curve_values[0] != 0 or num_all[0] != 0:
        num_all = np.r_[0, num_all]
        curve_values = np.r_[0, curve_values]

    return num_all, curve_values


def perfect_qini_curve(y_true, treatment, negative_effect=True, checked=True):
    """metrics.py:perfect_qini_curve."""
    check_consistent_length(y_true, treatment)
    if checked:
        check_is_binary(treatment)
        check_is_binary(y_true)
    n_samples = len(y_true)

    y_true, treatment = np.array(y_true), np.array(treatment)

    if not isinstance(negative_effect, bool):
        raise TypeError(f"Negative_effects flag should be bool, got: {type(negative_effect)}")

    if negative_effect:
        x_perfect, y_perfect = qini_curve(
            y_true, y_true * treatment - y_true * (1 - treatment), treatment, checked
        )
    else:
        ratio_random = (y_true[treatment == 1].sum() - len(y_true[treatment == 1]) *
                        y_true[treatment == 0].sum() / len(y_true[treatment == 0]))

        x_perfect, y_perfect = np.array([0, ratio_random, n_samples]), np.array([0, ratio_random, ratio_random])

    return x_perfect, y_perfect


def qini_auc_score(y_true, uplift, treatment, negative_effect=True, checked=True):
    """metrics.py:qini_auc_score."""
    check_consistent_length(y_true, uplift, treatment)
    if checked:
        check_is_binary(treatment)
        check_is_binary(y_true)
    y_true, uplift, treatment = np.array(y_true), np.array(uplift), np.array(treatment)

    if not isinstance(negative_effect, bool):
        raise TypeError(f"Negative_effects flag should be bool, got: {type(negative_effect)}")

    x_actual, y_actual = qini_curve(y_true, uplift, treatment, checked)
    x_perfect, y_perfect = perfect_qini_curve(y_true, treatment, negative_effect, checked)
    x_baseline, y_baseline = np.array([0, x_perfect[-1]]), np.array([0, y_perfect[-1]])

    auc_score_baseline = auc(x_baseline, y_baseline)
    auc_score_perfect = auc(x_perfect, y_perfect) - auc_score_baseline
    auc_score_actual = auc(x_actual, y_actual) - auc_score_baseline

    return auc_score_actual / auc_score_perfect


def uplift_at_k(y_true, uplift, treatment, strategy, k=0.3, checked=True):
    """metrics.py:uplift_at_k."""
    check_consistent_length(y_true, uplift, treatment)
    if checked:
        check_is_binary(treatment)
        check_is_binary(y_true)
    y_true, uplift, treatment = np.array(y_true), np.array(uplift), np.array(treatment)

    strategy_methods = ["overall", "by_group"]
    if strategy not in strategy_methods:
        raise ValueError(f"Uplift score supports only calculating methods in {strategy_methods}, got {strategy}.")

    n_samples = len(y_true)
    order = np.argsort(uplift, kind="mergesort")[::-1]
    _, treatment_counts = np.unique(treatment, return_counts=True)
    n_samples_ctrl = treatment_counts[0]
    n_samples_trmnt = treatment_counts[-1]  # sklift indexes [1]; [-1] only matters off-domain (one arm)

    k_type = np.asarray(k).dtype.kind

    if (k_type == "i" and (k >= n_samples or k <= 0)
            or k_type == "f" and (k <= 0 or k >= 1)):
        raise ValueError(f"k={k} should be either positive and smaller than the number of samples "
                         f"{n_samples} or a float in the (0, 1) range")

    if k_type not in ("i", "f"):
        raise ValueError(f"Invalid value for k: {k_type}")

    if strategy == "overall":
        if k_type == "f":
            n_size = int(n_samples * k)
        else:
            n_size = k

        with np.errstate(invalid="ignore", divide="ignore"):
            score_ctrl = y_true[order][:n_size][treatment[order][:n_size] == 0].mean()
            score_trmnt = y_true[order][:n_size][treatment[order][:n_size] == 1].mean()

    else:  # strategy == 'by_group':
        if k_type == "f":
            n_ctrl = int((treatment == 0).sum() * k)
            n_trmnt = int((treatment == 1).sum() * k)

        else:
            n_ctrl = k
            n_trmnt = k

        if n_ctrl > n_samples_ctrl:
            raise ValueError(f"With k={k}, the number of the first k observations bigger than the number of samples"
                             f"in the control group: {n_samples_ctrl}")
        if n_trmnt > n_samples_trmnt:
            raise ValueError(f"With k={k}, the number of the first k observations bigger than the number of samples"
                             f"in the treatment group: {n_samples_ctrl}")

        score_ctrl = y_true[order][treatment[order] == 0][:n_ctrl].mean()
        score_trmnt = y_true[order][treatment[order] == 1][:n_trmnt].mean()

    return score_trmnt - score_ctrl


def response_rate_by_percentile(y_true, uplift, treatment, group, strategy="overall", bins=10, checked=True):
    """metrics.py:response_rate_by_percentile."""
    check_consistent_length(y_true, uplift, treatment)
    if checked:
        check_is_binary(treatment)
        check_is_binary(y_true)
    group_types = ["treatment", "control"]
    strategy_methods = ["overall", "by_group"]

    n_samples = len(y_true)

    if group not in group_types:
        raise ValueError(f"Response rate supports only group types in {group_types}, got {group}.")
    if strategy not in strategy_methods:
        raise ValueError(f"Response rate supports only calculating methods in {strategy_methods}, got {strategy}.")
    if not isinstance(bins, int) or bins <= 0:
        raise ValueError(f"Bins should be positive integer. Invalid value bins: {bins}")
    if bins >= n_samples:
        raise ValueError(f"Number of bins = {bins} should be smaller than the length of y_true {n_samples}")

    y_true, uplift, treatment = np.array(y_true), np.array(uplift), np.array(treatment)
    order = np.argsort(uplift, kind="mergesort")[::-1]

    trmnt_flag = 1 if group == "treatment" else 0

    with np.errstate(invalid="ignore", divide="ignore"):
        if strategy == "overall":
            y_true_bin = np.array_split(y_true[order], bins)
            trmnt_bin = np.array_split(treatment[order], bins)

            group_size = np.array([len(y[trmnt == trmnt_flag]) for y, trmnt in zip(y_true_bin, trmnt_bin)])
            response_rate = np.array([np.mean(y[trmnt == trmnt_flag]) for y, trmnt in zip(y_true_bin, trmnt_bin)])

        else:  # strategy == 'by_group'
            y_bin = np.array_split(y_true[order][treatment[order] == trmnt_flag], bins)

            group_size = np.array([len(y) for y in y_bin])
            response_rate = np.array([np.mean(y) for y in y_bin])

        variance = np.multiply(response_rate, np.divide((1 - response_rate), group_size))

    return response_rate, variance, group_size


def weighted_average_uplift(y_true, uplift, treatment, strategy="overall", bins=10):
    """metrics.py:weighted_average_uplift (argument checks omitted: they repeat the ones above)."""
    response_rate_trmnt, variance_trmnt, n_trmnt = response_rate_by_percentile(
        y_true, uplift, treatment, group="treatment", strategy=strategy, bins=bins)
    response_rate_ctrl, variance_ctrl, n_ctrl = response_rate_by_percentile(
        y_true, uplift, treatment, group="control", strategy=strategy, bins=bins)
    uplift_scores = response_rate_trmnt - response_rate_ctrl
    return np.dot(n_trmnt, uplift_scores) / np.sum(n_trmnt)


def uplift_by_percentile(y_true, uplift, treatment, strategy="overall", bins=10, std=False, checked=True):
    """metrics.py:uplift_by_percentile with total=False, string_percentiles=True (total=True breaks on numpy 1.24)."""
    response_rate_trmnt, variance_trmnt, n_trmnt = response_rate_by_percentile(
        y_true, uplift, treatment, group="treatment", strategy=strategy, bins=bins, checked=checked)
    response_rate_ctrl, variance_ctrl, n_ctrl = response_rate_by_percentile(
        y_true, uplift, treatment, group="control", strategy=strategy, bins=bins, checked=checked)

    uplift_scores = response_rate_trmnt - response_rate_ctrl
    uplift_variance = variance_trmnt + variance_ctrl

    percentiles = [round(p * 100 / bins) for p in range(1, bins + 1)]
    percentiles = [f"0-{percentiles[0]}"] + [f"{percentiles[i]}-{percentiles[i + 1]}" for i in range(len(percentiles) - 1)]

    df = pd.DataFrame({
        "percentile": percentiles,
        "n_treatment": n_trmnt,
        "n_control": n_ctrl,
        "response_rate_treatment": response_rate_trmnt,
        "response_rate_control": response_rate_ctrl,
        "uplift": uplift_scores,
    })
    if std:
        df.loc[:, "std_treatment"] = np.sqrt(variance_trmnt)
        df.loc[:, "std_control"] = np.sqrt(variance_ctrl)
        df.loc[:, "std_uplift"] = np.sqrt(uplift_variance)
    return df.set_index("percentile", drop=True, inplace=False).astype({"n_treatment": "int32", "n_control": "int32"})


def treatment_balance_curve(uplift, treatment, winsize):
    """metrics.py:treatment_balance_curve."""
    uplift, treatment = np.array(uplift), np.array(treatment)
    desc_score_indices = np.argsort(uplift, kind="mergesort")[::-1]
    treatment = treatment[desc_score_indices]
    balance = np.convolve(treatment, np.ones(winsize), "valid") / winsize
    idx = np.linspace(1, 100, len(balance))
    return idx, balance


# ---- sklift's own tests, asserted before anything is written -------------------------------------


def assert_published_values():
    close = np.testing.assert_allclose
    # sklift/tests/test_metrics.py::make_predictions(binary=True), as derived in stats-references 3.1.
    y, u, t = np.array([0, 1, 0]), np.array([0.0, 0.0, 0.0]), np.array([0, 1, 1])
    x_, y_ = uplift_curve(y, u, t)
    close(x_, [0, 3]); close(y_, [0, 1.5])  # U-1
    x_, y_ = perfect_uplift_curve(y, t)
    close(x_, [0, 1, 2, 3]); close(y_, [0.0, 1.0, 2.0, 1.5])  # U-2
    x_, y_ = qini_curve(y, u, t)
    close(x_, [0, 3]); close(y_, [0, 1.0])  # U-3
    for negative_effect in (True, False):
        x_, y_ = perfect_qini_curve(y, t, negative_effect)
        close(x_, [0, 1, 3]); close(y_, [0.0, 1.0, 1.0])  # U-4
    close(uplift_auc_score(np.array([0, 1]), np.array([0.1, 0.3]), np.array([1, 0])), 0.0)  # U-5
    close(uplift_auc_score(np.array([1, 0]), np.array([0.1, 0.3]), np.array([0, 1])), 1.0)  # U-6
    close(qini_auc_score(np.array([0, 1]), np.array([0.1, 0.3]), np.array([1, 0])), 1.0)  # U-7
    close(qini_auc_score(np.array([1, 0]), np.array([0.1, 0.3]), np.array([0, 1])), 1.0)  # U-8
    close(uplift_at_k(y, u, t, strategy="by_group", k=1), 0.0)  # U-9
    for strategy, k in (("new_strategy", 1), ("by_group", -0.5), ("by_group", "1"), ("by_group", 2)):
        try:
            uplift_at_k(y, u, t, strategy=strategy, k=k)
        except ValueError:
            pass
        else:
            raise AssertionError(f"U-10 expected ValueError for {strategy}, {k}")
    for strategy in ("overall", "by_group"):
        close(response_rate_by_percentile(y, u, t, group="treatment", strategy=strategy, bins=1), [[0.5], [0.125], [2.0]])  # U-11
        close(response_rate_by_percentile(y, u, t, group="control", strategy=strategy, bins=1), [[0.0], [0.0], [1.0]])  # U-12
        close(weighted_average_uplift(y, u, t, strategy=strategy, bins=1), 0.5)  # U-13
    close(uplift_by_percentile(y, u, t, bins=1).values, [[2.0, 1.0, 0.5, 0.0, 0.5]])  # U-14
    idx, balance = treatment_balance_curve(u, t, winsize=2)
    close(idx, [1.0, 100.0]); close(balance, [1.0, 0.5])  # U-16

    # Design D, derived from sklift's code (U-17..U-24).
    y = np.array([1, 0, 1, 0, 1, 1, 0, 0, 1, 0])
    t = np.array([1, 1, 0, 0, 1, 0, 1, 0, 1, 0])
    u = np.array([0.9, 0.8, 0.7, 0.6, 0.5, 0.4, 0.3, 0.2, 0.1, 0.05])
    x_, y_ = uplift_curve(y, u, t)
    close(x_, np.arange(11))
    close(y_, [0, 1.0, 1.0, -1.5, 0.0, 0.8333333333333331, 0.0, -1.1666666666666665, 0.0, 0.8999999999999998, 1.9999999999999996], rtol=1e-15)  # U-17
    x_, y_ = perfect_uplift_curve(y, t)
    close(x_, [0, 3, 6, 8, 10]); close(y_, [0, 3, 6, 4.8, 1.9999999999999996], rtol=1e-15)  # U-18
    close(qini_curve(y, u, t)[1], [0, 1.0, 1.0, -1.0, 0.0, 0.5, 0.0, -0.6666666666666665, 0.0, 0.5, 1.0], rtol=1e-15)  # U-19
    x_, y_ = perfect_qini_curve(y, t, True)
    close(x_, [0, 3, 8, 10]); close(y_, [0, 3, 3, 1])  # U-20
    x_, y_ = perfect_qini_curve(y, t, False)
    close(x_, [0, 1, 10]); close(y_, [0, 1, 1])  # U-20
    close(uplift_auc_score(y, u, t), -0.30989583333333326, rtol=1e-15)  # U-21
    close(qini_auc_score(y, u, t), -0.17117117117117117, rtol=1e-15)  # U-21
    close(qini_auc_score(y, u, t, negative_effect=False), -0.7037037037037037, rtol=1e-15)  # U-21
    close(uplift_at_k(y, u, t, "overall", k=0.5), 0.16666666666666663, rtol=1e-15)  # U-22
    close(uplift_at_k(y, u, t, "by_group", k=0.5), 0.0)  # U-22
    close(uplift_at_k(y, u, t, "overall", k=4), 0.0)  # U-22
    close(weighted_average_uplift(y, u, t, "overall", bins=2), 0.16666666666666666, rtol=1e-15)  # U-23
    close(weighted_average_uplift(y, u, t, "by_group", bins=2), 0.2, rtol=1e-15)  # U-23
    close(uplift_by_percentile(y, u, t, bins=2, std=True).values, [
        [3, 2, 0.666667, 0.5, 0.166667, 0.272166, 0.353553, 0.446177],
        [2, 3, 0.5, 0.333333, 0.166667, 0.353553, 0.272166, 0.446177],
    ], atol=1e-6)  # U-24


# ---- the expected values of liftwatch's unit-level suite -----------------------------------------


def finite_or_none(value):
    value = float(value)
    return value if np.isfinite(value) else None


def downsample(x, y, max_points=MAX_CURVE_POINTS):
    """Qini points kept for charts: every point if few, else for j = 0..max_points-1 the last point
    with x <= j * n / (max_points - 1), i.e. x * (max_points - 1) <= j * n (integers, exact)."""
    if x.size <= max_points:
        return x, y
    n = int(x[-1])
    keep = sorted({int(np.searchsorted(x * (max_points - 1), j * n, side="right")) - 1 for j in range(max_points)})
    return x[keep], y[keep]


def deciles(y, u, t, bins=BINS):
    """np.array_split of sklift's order into `bins` parts (the first n % bins parts one longer), empty parts dropped."""
    order = np.argsort(u, kind="mergesort")[::-1]
    out = []
    with np.errstate(invalid="ignore", divide="ignore"):
        for ys, us, ts in zip(np.array_split(y[order], bins), np.array_split(u[order], bins), np.array_split(t[order], bins)):
            if ys.size == 0:
                continue
            rate_t = np.mean(ys[ts == 1])
            rate_c = np.mean(ys[ts == 0])
            out.append({
                "n": int(ys.size),
                "meanPredicted": float(np.mean(us)),
                "treated": int(np.sum(ts == 1)),
                "control": int(np.sum(ts == 0)),
                "treatedRate": finite_or_none(rate_t),
                "controlRate": finite_or_none(rate_c),
                "realizedUplift": finite_or_none(rate_t - rate_c),
            })
    if bins < y.size and np.unique(t).size == 2 and np.unique(y).size == 2:
        # Same numbers as sklift's own uplift_by_percentile where sklift accepts the input.
        frame = uplift_by_percentile(y, u, t, bins=bins)
        assert frame["n_treatment"].tolist() == [d["treated"] for d in out]
        assert frame["n_control"].tolist() == [d["control"] for d in out]
        np.testing.assert_array_equal(frame["uplift"].values, [np.nan if d["realizedUplift"] is None else d["realizedUplift"] for d in out])
    return out


def expected(y, u, t):
    in_domain = np.unique(t).size == 2 and np.unique(y).size == 2
    checked = bool(in_domain)
    with np.errstate(invalid="ignore", divide="ignore"):
        qini_x, qini_y = qini_curve(y, u, t, checked)
        points_x, points_y = downsample(qini_x, qini_y)
        result = {
            "sklift_accepts_input": in_domain,
            "n": int(y.size),
            "qiniAuc": finite_or_none(qini_auc_score(y, u, t, True, checked)),
            "upliftAuc": finite_or_none(uplift_auc_score(y, u, t, checked)),
            "upliftAt30": finite_or_none(uplift_at_k(y, u, t, "overall", K, checked)) if int(y.size * K) > 0 else None,
            "deciles": deciles(y, u, t),
            "qiniCurve": [{"units": int(a), "value": float(b)} for a, b in zip(points_x, points_y)],
        }
        if y.size <= FULL_CURVES_UP_TO:
            curves = {
                "uplift": uplift_curve(y, u, t, checked),
                "perfectUplift": perfect_uplift_curve(y, t, checked),
                "qini": (qini_x, qini_y),
                "perfectQini": perfect_qini_curve(y, t, True, checked),
            }
            result["curves"] = {k: {"units": np.asarray(a, dtype=float).tolist(), "values": np.asarray(b, dtype=float).tolist()} for k, (a, b) in curves.items()}
    return result


def bits(a):
    return "".join("1" if v else "0" for v in a)


def recipe(u):
    u = np.asarray(u, dtype=np.float64)
    if u.size <= 200:
        return {"values": u.tolist()}
    return {"base64": base64.b64encode(u.astype("<f8").tobytes()).decode("ascii")}


def cases():
    rng = np.random.default_rng(20261126)
    yield "sklift fixture (make_predictions, binary): all scores tied", [0, 1, 0], [0.0, 0.0, 0.0], [0, 1, 1]
    yield "U-5 and U-7 data", [0, 1], [0.1, 0.3], [1, 0]
    yield "U-6 and U-8 data", [1, 0], [0.1, 0.3], [0, 1]
    yield "design D", [1, 0, 1, 0, 1, 1, 0, 0, 1, 0], [0.9, 0.8, 0.7, 0.6, 0.5, 0.4, 0.3, 0.2, 0.1, 0.05], [1, 1, 0, 0, 1, 0, 1, 0, 1, 0]
    yield "minus zero ties with zero", [1, 0, 1, 1, 0, 0, 1, 0], [0.0, -0.0, 0.2, -0.0, 0.0, 0.2, -0.1, 0.0], [1, 0, 0, 1, 1, 0, 1, 0]
    yield "no conversions at all (outside sklift's domain)", [0] * 12, np.linspace(-1, 1, 12), [0, 1] * 6
    yield "no control units (outside sklift's domain)", [1, 0, 1, 1, 0, 1, 0, 0, 1], np.linspace(0, 1, 9), [1] * 9

    def population(n, treated_share=0.5, quantum=None, signal=1.0, noise=0.02):
        tau = 0.03 + 0.04 * np.tanh(rng.normal(size=n))
        base = 0.08 + 0.05 * rng.uniform(size=n)
        t = (rng.uniform(size=n) < treated_share).astype(np.int64)
        y = (rng.uniform(size=n) < base + t * tau).astype(np.int64)
        u = signal * tau + rng.normal(scale=noise, size=n)
        if quantum is not None:
            u = np.round(u * quantum) / quantum
        return y, u, t

    yield "small population with ties", *population(400, quantum=100)
    yield "heavy ties: 7 distinct scores straddling deciles", *population(5000, quantum=40, noise=0.01)
    yield "realistic model, 20000 units", *population(20000)
    yield "realistic model, 20000 units, 10% control", *population(20000, treated_share=0.9)
    yield "negative predicted uplift scores", *population(3000, signal=-1.0)
    y, _, t = population(20000)
    yield "random model, 20000 units", y, rng.uniform(size=y.size), t
    yield "perfect model for the uplift curve", y, (2 * (y == t) + (y if np.sum((y == 1) & (t == 0)) > np.sum((y == 0) & (t == 1)) else t)).astype(float), t
    yield "perfect model for the Qini curve", y, (y * t - y * (1 - t)).astype(float), t


def main():
    # sklift's formulas take np.mean of empty slices (an arm absent from a bin); numpy warns and returns nan.
    warnings.filterwarnings("ignore", message="Mean of empty slice", category=RuntimeWarning)
    assert_published_values()
    out = {
        "generator": "test/golden/generate_uplift.py",
        "sklift": "0.5.1 (transcribed from maks-sh/scikit-uplift@0038e659428f6e7a49b935b850651cd9a9db3f54)",
        "numpy": np.__version__,
        "sklearn": sklearn.__version__,
        "pandas": pd.__version__,
        "cases": [],
    }
    for name, y, u, t in cases():
        y, u, t = np.asarray(y, dtype=np.int64), np.asarray(u, dtype=np.float64), np.asarray(t, dtype=np.int64)
        case = {"name": name, "uplift": recipe(u), "treatment": bits(t), "outcomes": bits(y), "expected": expected(y, u, t)}
        out["cases"].append(case)
    perfect = {c["name"]: c["expected"] for c in out["cases"]}
    assert perfect["perfect model for the uplift curve"]["upliftAuc"] == 1.0
    assert perfect["perfect model for the Qini curve"]["qiniAuc"] == 1.0
    OUT.write_text(json.dumps(out, separators=(",", ":")) + "\n")
    print(f"wrote {OUT} ({len(out['cases'])} cases)")


if __name__ == "__main__":
    main()
