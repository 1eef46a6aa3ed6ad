"""Tests for imbalance_kit.metrics: compared with scikit-learn, pandas or a brute-force loop."""

import pickle
import warnings

import numpy as np
import pandas as pd
import pytest
from numpy.testing import assert_allclose, assert_array_equal
from sklearn.calibration import calibration_curve
from sklearn.exceptions import UndefinedMetricWarning
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import (
    brier_score_loss,
    confusion_matrix,
    f1_score,
    fbeta_score,
    precision_score,
    recall_score,
    roc_auc_score,
)
from sklearn.model_selection import GridSearchCV, StratifiedKFold, TunedThresholdClassifierCV

from imbalance_kit import metrics as M

SIZES = (1, 2, 7, 60, 500)
ZERO_DIVISIONS = (0.0, 1.0, np.nan)


def random_labels(rng, n, rate):
    return (rng.random(n) < rate).astype(int)


def label_cases(seed=0):
    """(y_true, y_pred) pairs of several sizes, including the degenerate ones."""
    rng = np.random.default_rng(seed)
    cases = []
    for n in SIZES:
        for rate_true, rate_pred in [(0.05, 0.05), (0.3, 0.5), (0.5, 0.0), (0.0, 0.2),
                                     (0.0, 0.0), (1.0, 0.7)]:
            cases.append((random_labels(rng, n, rate_true), random_labels(rng, n, rate_pred)))
    return cases


def same(a, b):
    """Equal floats, NaN equal to NaN."""
    return (np.isnan(a) and np.isnan(b)) or a == pytest.approx(b, rel=1e-12, abs=1e-15)


# ---------------------------------------------------------------------------
# Counts
# ---------------------------------------------------------------------------


@pytest.mark.parametrize("case", range(len(label_cases())))
def test_confusion_counts_matches_sklearn(case):
    y, p = label_cases()[case]
    expected = confusion_matrix(y, p, labels=[0, 1]).ravel().tolist()
    counts = M.confusion_counts(y, p)
    assert isinstance(counts, M.Counts)
    assert list(counts) == expected
    assert all(type(c) is int for c in counts)


@pytest.mark.parametrize("n", SIZES)
def test_confusion_counts_from_scores_uses_greater_or_equal(n):
    rng = np.random.default_rng(n)
    y = random_labels(rng, n, 0.3)
    # Scores on a coarse grid so that many of them equal the threshold.
    s = rng.integers(0, 5, n) / 4
    for t in (0.0, 0.25, 0.5, 1.0, 1.5):
        expected = confusion_matrix(y, (s >= t).astype(int), labels=[0, 1]).ravel().tolist()
        assert list(M.confusion_counts(y, y_score=s, threshold=t)) == expected


def test_confusion_counts_threshold_tie_is_positive():
    assert M.confusion_counts([1, 0], y_score=[0.5, 0.5], threshold=0.5) == (0, 1, 0, 1)


def test_confusion_counts_errors():
    with pytest.raises(ValueError, match="exactly one of y_pred"):
        M.confusion_counts([0, 1])
    with pytest.raises(ValueError, match="exactly one of y_pred"):
        M.confusion_counts([0, 1], [0, 1], y_score=[0.2, 0.7])
    with pytest.raises(ValueError, match="threshold must be a finite number"):
        M.confusion_counts([0, 1], y_score=[0.2, 0.7], threshold=np.nan)
    with pytest.raises(ValueError, match="threshold must be a finite number"):
        M.confusion_counts([0, 1], y_score=[0.2, 0.7], threshold="0.5")
    with pytest.raises(ValueError, match="y_score has 3 values but 2"):
        M.confusion_counts([0, 1], y_score=[0.2, 0.7, 0.1])
    with pytest.raises(ValueError, match="y_pred has 3"):
        M.confusion_counts([0, 1], [0, 1, 1])
    with pytest.raises(ValueError, match="y_pred must contain only the labels 0 and 1"):
        M.confusion_counts([0, 1], [0, 2])
    with pytest.raises(ValueError, match="y_true must contain only the labels 0 and 1"):
        M.confusion_counts([0, 3], [0, 1])
    with pytest.raises(ValueError, match=r"y_true must contain only the labels 0 and 1; "
                                         r"found \[0.5\]"):
        M.confusion_counts([0.0, 0.5, 1.0], [0, 1, 1])
    with pytest.raises(ValueError, match="y_true contains NaN"):
        M.confusion_counts([0.0, np.nan], [0, 1])
    with pytest.raises(ValueError, match="y_score must be numeric"):
        M.confusion_counts([0, 1], y_score=["0.2", "0.7"])  # text is not a score
    # Booleans and whole floats are labels.
    assert M.confusion_counts([False, True], [1.0, 1.0]) == (0, 1, 0, 1)


def predict_proba_output():
    rng = np.random.default_rng(0)
    y = random_labels(rng, 50, 0.3)
    y[:2] = [0, 1]
    p = rng.random(50)
    return y, np.c_[1 - p, p]  # what predict_proba returns


@pytest.mark.parametrize("call, name", [
    (lambda y, P: M.confusion_counts(y, y_score=P), "y_score"),
    (lambda y, P: M.precision_at_k(y, P, 5), "y_score"),
    (lambda y, P: M.recall_at_k(y, P, 5), "y_score"),
    (lambda y, P: M.cost_curve(y, P), "y_score"),
    (lambda y, P: M.best_threshold(y, P, fn_cost=5, fp_cost=1), "y_score"),
    (lambda y, P: M.expected_calibration_error(y, P), "y_prob"),
    (lambda y, P: M.reliability_curve(y, P), "y_prob"),
    (lambda y, P: M.brier_score(y, P), "y_prob"),
    (lambda y, P: M.bootstrap_ci(roc_auc_score, y, P, n_boot=2), "y_score"),
])
def test_predict_proba_matrix_is_rejected_not_misread(call, name):
    # Both columns of predict_proba are not one score per row: say which column to pass.
    y, P = predict_proba_output()
    with pytest.raises(ValueError, match=rf"^{name} must be one-dimensional, got shape \(50, 2\)"
                                         r".*proba\[:, 1\]"):
        call(y, P)
    call(y, P[:, 1:])  # a column vector is accepted


# ---------------------------------------------------------------------------
# Rates from counts
# ---------------------------------------------------------------------------


@pytest.mark.parametrize("zero_division", ZERO_DIVISIONS)
def test_rates_match_sklearn(zero_division):
    beta_values = (0.5, 1.0, 2.0, 3.7)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UndefinedMetricWarning)
        for y, p in label_cases(seed=1):
            tn, fp, fn, tp = M.confusion_counts(y, p)
            zd = zero_division
            assert same(M.precision_from_counts(tp, fp, zero_division=zd),
                        precision_score(y, p, zero_division=zd))
            assert same(M.recall_from_counts(tp, fn, zero_division=zd),
                        recall_score(y, p, zero_division=zd))
            assert same(M.specificity_from_counts(tn, fp, zero_division=zd),
                        recall_score(y, p, pos_label=0, zero_division=zd))
            for beta in beta_values:
                assert same(M.fbeta_from_counts(tp, fp, fn, beta=beta, zero_division=zd),
                            fbeta_score(y, p, beta=beta, zero_division=zd))


def test_all_negative_predictions():
    y = np.array([0, 1, 0, 1, 0])
    p = np.zeros(5, dtype=int)
    tn, fp, fn, tp = M.confusion_counts(y, p)
    assert M.precision_from_counts(tp, fp) == 0.0
    assert M.precision_from_counts(tp, fp, zero_division=1.0) == 1.0
    assert np.isnan(M.precision_from_counts(tp, fp, zero_division=np.nan))
    # Positives exist, so F-beta is 0 whatever zero_division says (sklearn >= 1.3).
    assert M.fbeta_from_counts(tp, fp, fn, zero_division=1.0) == 0.0
    assert M.recall_from_counts(tp, fn, zero_division=1.0) == 0.0


def test_fbeta_formula_and_beta_direction():
    tp, fp, fn = 6, 2, 4  # precision 0.75, recall 0.6
    for beta in (0.5, 1.0, 2.0):
        p, r = 0.75, 0.6
        expected = (1 + beta**2) * p * r / (beta**2 * p + r)
        assert M.fbeta_from_counts(tp, fp, fn, beta=beta) == pytest.approx(expected)
    # beta > 1 weights recall more: F2 moves towards recall (0.6), F0.5 towards precision.
    assert M.fbeta_from_counts(tp, fp, fn, beta=2.0) < M.fbeta_from_counts(tp, fp, fn)
    assert M.fbeta_from_counts(tp, fp, fn, beta=0.5) > M.fbeta_from_counts(tp, fp, fn)


def test_rates_vectorised_equal_elementwise():
    rng = np.random.default_rng(3)
    tp, fp, fn = (rng.integers(0, 4, 200) for _ in range(3))
    vec = M.fbeta_from_counts(tp, fp, fn, beta=2.0)
    loop = [M.fbeta_from_counts(int(a), int(b), int(c), beta=2.0) for a, b, c in zip(tp, fp, fn)]
    assert isinstance(vec, np.ndarray)
    assert_allclose(vec, loop)
    assert_allclose(M.precision_from_counts(tp, fp),
                    [M.precision_from_counts(int(a), int(b)) for a, b in zip(tp, fp)])
    assert isinstance(M.precision_from_counts(np.int64(3), 1), float)
    assert M.recall_from_counts(3.0, 1.0) == 0.75  # whole-valued floats are counts


@pytest.mark.parametrize("func, args, name", [
    (M.precision_from_counts, (-1, 2), "tp"),
    (M.precision_from_counts, (1, -2), "fp"),
    (M.recall_from_counts, (1, np.inf), "fn"),
    (M.specificity_from_counts, (True, 2), "tn"),
    (M.specificity_from_counts, ("3", 2), "tn"),
    (M.fbeta_from_counts, (1, 2, np.nan), "fn"),
    (M.fbeta_from_counts, (1, [2, -1], 0), "fp"),
])
def test_counts_must_be_nonnegative_integers(func, args, name):
    with pytest.raises(ValueError, match=f"^{name} must"):
        func(*args)


@pytest.mark.parametrize("func, args", [
    (M.precision_from_counts, (1, 2)),
    (M.recall_from_counts, (1, 2)),
    (M.specificity_from_counts, (1, 2)),
    (M.fbeta_from_counts, (1, 2, 3)),
])
@pytest.mark.parametrize("bad", [0.5, "warn", True, None, -1.0])
def test_zero_division_validated(func, args, bad):
    with pytest.raises(ValueError, match="zero_division must be 0.0, 1.0 or nan"):
        func(*args, zero_division=bad)


def test_fbeta_and_shape_errors():
    for beta in (0, -1, np.inf, "2"):
        with pytest.raises(ValueError, match="beta must"):
            M.fbeta_from_counts(1, 1, 1, beta=beta)
    with pytest.raises(ValueError, match="tp and fp must be scalars or arrays of the same shape"):
        M.precision_from_counts([1, 2, 3], [1, 2])
    with pytest.raises(ValueError, match="tp, fp and fn must be"):
        M.fbeta_from_counts([1, 2, 3], [1, 2], 0)


def test_imbalance_ratio_and_majority_baseline():
    y = np.r_[np.zeros(578, int), np.ones(1, int)]
    assert M.imbalance_ratio(y) == 578.0
    assert M.imbalance_ratio(1 - y) == 578.0
    assert M.imbalance_ratio([0, 1, 1, 1]) == 3.0
    assert M.majority_baseline_accuracy(y) == pytest.approx(578 / 579)
    assert M.majority_baseline_accuracy([1, 1, 0]) == pytest.approx(2 / 3)
    assert M.majority_baseline_accuracy([0, 0]) == 1.0
    with pytest.raises(ValueError, match=r"y has only one class \(0\)"):
        M.imbalance_ratio([0, 0, 0])
    # Any labels, any number of classes (imbalanced-learn's definition).
    assert M.majority_baseline_accuracy([0, 2, 2]) == pytest.approx(2 / 3)
    assert M.imbalance_ratio(["a"] * 6 + ["b"] * 3 + ["c"] * 2) == 3.0
    assert M.imbalance_ratio(np.r_[np.zeros(10), np.ones(5)]) == 2.0
    with pytest.raises(ValueError, match="y contains missing values"):
        M.imbalance_ratio(["a", None, "b"])
    with pytest.raises(ValueError, match="y is empty"):
        M.majority_baseline_accuracy([])


# ---------------------------------------------------------------------------
# Top-k
# ---------------------------------------------------------------------------


def pandas_top_k_hits(y, s, k):
    frame = pd.DataFrame({"y": y, "s": s})
    return frame.sort_values("s", ascending=False, kind="stable").head(k)["y"].sum()


@pytest.mark.parametrize("n", [1, 3, 40, 400])
def test_precision_and_recall_at_k_match_pandas(n):
    rng = np.random.default_rng(n)
    y = random_labels(rng, n, 0.2)
    y[0] = 1
    s = np.round(rng.random(n), 1)  # rounded: plenty of ties
    for k in sorted({1, max(1, n // 3), n}):
        hits = pandas_top_k_hits(y, s, k)
        assert M.precision_at_k(y, s, k) == hits / k
        if y.min() == 0:
            assert M.recall_at_k(y, s, k) == hits / y.sum()


def test_top_k_every_k_with_heavy_ties():
    rng = np.random.default_rng(11)
    y = random_labels(rng, 40, 0.3)
    y[0] = 0
    y[1] = 1
    s = rng.integers(0, 3, 40).astype(float)  # three distinct scores only
    for k in range(1, 41):
        hits = pandas_top_k_hits(y, s, k)
        assert M.precision_at_k(y, s, k) == hits / k
        assert M.recall_at_k(y, s, k) == hits / y.sum()


def test_top_k_ties_broken_by_row_order():
    y = [0, 1, 0, 1]
    s = [0.5, 0.5, 0.5, 0.5]
    assert M.precision_at_k(y, s, 1) == 0.0  # the first row wins the tie
    assert M.precision_at_k(y[::-1], s, 1) == 1.0
    assert M.recall_at_k(y, s, 2) == 0.5
    assert M.recall_at_k(y, s, 4) == 1.0


def test_top_k_errors():
    y, s = [0, 1, 0], [0.1, 0.9, 0.3]
    for k in (0, 4, 1.5, True):
        with pytest.raises(ValueError, match="^k must"):
            M.precision_at_k(y, s, k)
    with pytest.raises(ValueError, match=r"k must be between 1 and n_samples \(3\)"):
        M.recall_at_k(y, s, 4)
    with pytest.raises(ValueError, match="y_score has 2 values but 3"):
        M.precision_at_k(y, s[:2], 1)
    with pytest.raises(ValueError, match="y_true has only one class"):
        M.recall_at_k([0, 0, 0], s, 1)
    with pytest.raises(ValueError, match="y_score contains NaN"):
        M.precision_at_k(y, [0.1, np.nan, 0.2], 1)
    assert M.precision_at_k([0, 0, 0], s, 2) == 0.0  # no positive: precision 0, not an error


def handbook_card_precision(y, s, entity, group, k):
    """The Fraud Detection Handbook's computation, rewritten with pandas."""
    frame = pd.DataFrame({"y": y, "s": s, "entity": entity, "group": group})
    precisions = []
    for _, day in frame.groupby("group"):
        cards = day.groupby("entity")[["s", "y"]].max()
        top = cards.sort_values("s", ascending=False).head(k)
        precisions.append(top["y"].sum() / k)
    return float(np.mean(precisions)), precisions


@pytest.mark.parametrize("seed", range(4))
def test_entity_precision_at_k_matches_handbook(seed):
    rng = np.random.default_rng(seed)
    n = 600
    entity = rng.integers(0, 80, n)
    group = rng.integers(0, 5, n)
    y = random_labels(rng, n, 0.05)
    s = rng.random(n)  # continuous: no ties, so the tie rule does not matter
    for k in (1, 5, 20):
        expected, per_group = handbook_card_precision(y, s, entity, group, k)
        assert M.entity_precision_at_k(y, s, entity, k, group=group) == pytest.approx(expected)
        value, series = M.entity_precision_at_k(y, s, entity, k, group=group,
                                                return_per_group=True)
        assert value == pytest.approx(expected)
        assert_allclose(series.sort_index().to_numpy(), per_group)
        # Without group: one pool of entities.
        no_group, _ = handbook_card_precision(y, s, entity, np.zeros(n), k)
        assert M.entity_precision_at_k(y, s, entity, k) == pytest.approx(no_group)


def test_entity_precision_counts_each_entity_once():
    # Card "a" has three fraud rows with top scores: row-level precision@2 is 1,
    # card-level precision@2 is 1/2 (card "a" plus the legitimate card "b").
    y = [1, 1, 1, 0, 0]
    s = [0.99, 0.98, 0.97, 0.9, 0.1]
    card = ["a", "a", "a", "b", "c"]
    assert M.precision_at_k(y, s, 2) == 1.0
    assert M.entity_precision_at_k(y, s, card, 2) == 0.5


def test_entity_precision_ties_and_short_groups():
    # Equal max scores: the entity seen first is alerted first.
    assert M.entity_precision_at_k([0, 1], [0.5, 0.5], ["x", "y"], 1) == 0.0
    assert M.entity_precision_at_k([1, 0], [0.5, 0.5], ["x", "y"], 1) == 1.0
    # Group 2 has one entity (a fraud) but is still divided by k = 2.
    value, per_group = M.entity_precision_at_k(
        [1, 0, 1], [0.9, 0.8, 0.7], ["a", "b", "c"], 2, group=[1, 1, 2], return_per_group=True)
    assert per_group.to_dict() == {1: 0.5, 2: 0.5}
    assert value == 0.5


def test_entity_precision_errors():
    y, s, e = [0, 1, 0], [0.1, 0.9, 0.3], ["a", "a", "b"]
    with pytest.raises(ValueError, match=r"k must be between 1 and the number of entities \(2\)"):
        M.entity_precision_at_k(y, s, e, 3)
    with pytest.raises(ValueError, match="the entities of the largest group"):
        M.entity_precision_at_k(y, s, e, 2, group=[1, 1, 2])
    with pytest.raises(ValueError, match="entity has 2"):
        M.entity_precision_at_k(y, s, e[:2], 1)
    with pytest.raises(ValueError, match="entity must be one-dimensional"):
        M.entity_precision_at_k(y, s, [e], 1)
    with pytest.raises(ValueError, match="group has 2"):
        M.entity_precision_at_k(y, s, e, 1, group=[1, 2])
    with pytest.raises(ValueError, match="group must be one-dimensional"):
        M.entity_precision_at_k(y, s, e, 1, group=[[1, 1, 2]])
    with pytest.raises(ValueError, match="return_per_group=True needs group"):
        M.entity_precision_at_k(y, s, e, 1, return_per_group=True)
    with pytest.raises(ValueError, match="^k must be >= 1"):
        M.entity_precision_at_k(y, s, e, 0)


# ---------------------------------------------------------------------------
# Business cost, cost curve, thresholds
# ---------------------------------------------------------------------------


def test_business_cost_by_hand():
    y = np.array([0, 1, 1, 0, 1])
    p = np.array([1, 0, 1, 1, 0])  # 2 FN (rows 1, 4), 2 FP (rows 0, 3)
    assert M.business_cost(y, p) == 4.0
    assert M.business_cost(y, p, fn_cost=10, fp_cost=0.5) == 21.0
    amount = np.array([3.0, 100.0, 7.0, 4.0, 25.0])
    assert M.business_cost(y, p, fp_cost=2, amount=amount) == 125.0 + 4.0
    assert M.business_cost(y, p, fn_cost=0.5, fp_cost=2, amount=amount) == 62.5 + 4.0
    assert M.business_cost(y, y, fn_cost=10, fp_cost=10, amount=amount) == 0.0


def test_business_cost_errors():
    y, p = [0, 1], [1, 1]
    with pytest.raises(ValueError, match="fn_cost must be >= 0"):
        M.business_cost(y, p, fn_cost=-1)
    with pytest.raises(ValueError, match="fp_cost must be a number"):
        M.business_cost(y, p, fp_cost="1")
    with pytest.raises(ValueError, match="amount must be >= 0"):
        M.business_cost(y, p, amount=[1.0, -2.0])
    with pytest.raises(ValueError, match="amount has 3 values but 2"):
        M.business_cost(y, p, amount=[1.0, 2.0, 3.0])
    with pytest.raises(ValueError, match="amount contains NaN"):
        M.business_cost(y, p, amount=[1.0, np.nan])
    with pytest.raises(ValueError, match=r"amount must be one-dimensional, got shape \(1, 2\)\.$"):
        M.business_cost(y, p, amount=[[1.0, 2.0]])
    with pytest.raises(ValueError, match="y_pred must contain only the labels 0 and 1"):
        M.business_cost(y, [0.3, 0.9])
    with pytest.raises(ValueError, match="y_pred has 3"):
        M.business_cost(y, [0, 1, 1])


def brute_force_curve(y, s, thresholds, fn_cost, fp_cost, amount):
    rows = []
    for t in thresholds:
        pred = (s >= t).astype(int)
        tn, fp, fn, tp = M.confusion_counts(y, pred)
        rows.append({
            "threshold": t,
            "cost": M.business_cost(y, pred, fn_cost=fn_cost, fp_cost=fp_cost, amount=amount),
            "tp": tp, "fp": fp, "fn": fn, "tn": tn,
            "precision": precision_score(y, pred, zero_division=0.0),
            "recall": recall_score(y, pred),
            "alerts": int(pred.sum()),
        })
    return pd.DataFrame(rows)


@pytest.mark.parametrize("seed", range(6))
@pytest.mark.parametrize("with_amount", [False, True])
def test_cost_curve_matches_brute_force(seed, with_amount):
    rng = np.random.default_rng(seed)
    n = int(rng.integers(2, 80))
    y = random_labels(rng, n, 0.2)
    y[:2] = [0, 1]
    s = np.round(rng.random(n), 1 + seed % 2)  # ties for even seeds
    amount = rng.gamma(2.0, 50.0, n) if with_amount else None
    fn_cost, fp_cost = float(rng.uniform(1, 20)), float(rng.uniform(0.1, 5))
    curve = M.cost_curve(y, s, fn_cost=fn_cost, fp_cost=fp_cost, amount=amount)
    assert list(curve.columns) == ["threshold", "cost", "tp", "fp", "fn", "tn",
                                   "precision", "recall", "alerts"]
    expected_t = np.append(np.unique(s), np.nextafter(s.max(), np.inf))
    assert_array_equal(curve["threshold"], expected_t)
    expected = brute_force_curve(y, s, expected_t, fn_cost, fp_cost, amount)
    pd.testing.assert_frame_equal(curve, expected, check_dtype=False, rtol=1e-10)
    assert curve["alerts"].iloc[-1] == 0 and curve["alerts"].iloc[0] == n

    custom = np.array([1.5, -0.2, 0.35, 0.5, 0.5])  # any order, outside the range too
    curve = M.cost_curve(y, s, fn_cost=fn_cost, fp_cost=fp_cost, amount=amount,
                         thresholds=custom)
    expected = brute_force_curve(y, s, custom, fn_cost, fp_cost, amount)
    pd.testing.assert_frame_equal(curve, expected, check_dtype=False, rtol=1e-10)


def test_cost_curve_errors():
    y, s = [0, 1, 0], [0.1, 0.9, 0.3]
    with pytest.raises(ValueError, match="y_true has only one class"):
        M.cost_curve([0, 0, 0], s)
    with pytest.raises(ValueError, match="thresholds is empty"):
        M.cost_curve(y, s, thresholds=[])
    with pytest.raises(ValueError, match="thresholds contains NaN"):
        M.cost_curve(y, s, thresholds=[0.5, np.nan])
    with pytest.raises(ValueError, match="y_score has 2 values but 3"):
        M.cost_curve(y, s[:2])
    with pytest.raises(ValueError, match="fp_cost must be >= 0"):
        M.cost_curve(y, s, fp_cost=-1)
    with pytest.raises(ValueError, match="amount has 2 values but 3"):
        M.cost_curve(y, s, amount=[1, 2])


@pytest.mark.parametrize("seed", range(8))
def test_best_threshold_and_threshold_for_recall_match_brute_force(seed):
    rng = np.random.default_rng(100 + seed)
    n = int(rng.integers(5, 120))
    y = random_labels(rng, n, 0.15)
    y[:2] = [0, 1]
    s = np.round(y * 0.3 + rng.random(n), 2)
    amount = rng.gamma(2.0, 50.0, n) if seed % 2 else None
    fn_cost, fp_cost = float(rng.uniform(1, 20)), float(rng.uniform(0.1, 5))
    candidates = np.append(np.unique(s), np.nextafter(s.max(), np.inf))
    costs = [M.business_cost(y, (s >= t).astype(int), fn_cost=fn_cost, fp_cost=fp_cost,
                             amount=amount) for t in candidates]
    best = M.best_threshold(y, s, fn_cost=fn_cost, fp_cost=fp_cost, amount=amount)
    assert isinstance(best, M.ThresholdResult)
    assert best.cost == pytest.approx(min(costs))
    # No threshold, on the grid or between grid points, is cheaper.
    grid = np.linspace(s.min() - 0.1, s.max() + 0.1, 101)
    assert all(best.cost <= M.business_cost(y, (s >= t).astype(int), fn_cost=fn_cost,
                                            fp_cost=fp_cost, amount=amount) + 1e-9 for t in grid)
    pred = (s >= best.threshold).astype(int)
    assert best.alerts == pred.sum()
    assert best.recall == pytest.approx(recall_score(y, pred))
    assert best.precision == pytest.approx(precision_score(y, pred, zero_division=0.0))

    for target in (0.1, 0.5, 0.8, 1.0):
        r = M.threshold_for_recall(y, s, target)
        reaching = [t for t in candidates if ((s >= t) & (y == 1)).sum() / y.sum() >= target]
        assert r.threshold == max(reaching)
        assert r.recall >= target
        pred = (s >= r.threshold).astype(int)
        assert r.alerts == pred.sum()
        assert r.cost == M.business_cost(y, pred)  # default costs: number of errors


def test_best_threshold_ties_pick_highest():
    # Thresholds 0.2 (one FP) and 0.9 (one FN) both cost 1; the higher one wins.
    y, s = [0, 1, 0, 1], [0.1, 0.2, 0.6, 0.9]
    curve = M.cost_curve(y, s, fn_cost=1, fp_cost=1)
    assert sorted(curve.loc[curve["cost"] == 1, "threshold"]) == [0.2, 0.9]
    best = M.best_threshold(y, s, fn_cost=1, fp_cost=1)
    assert best == M.ThresholdResult(threshold=0.9, cost=1.0, precision=1.0, recall=0.5,
                                     alerts=1)


def test_threshold_for_recall_tolerates_computed_targets():
    y = np.r_[np.ones(10, int), np.zeros(10, int)]
    s = np.arange(20.0)[::-1] / 20  # positives first, descending
    assert M.threshold_for_recall(y, s, 0.1 * 3) == M.threshold_for_recall(y, s, 0.3)
    assert M.threshold_for_recall(y, s, 0.3).alerts == 3


def test_threshold_errors():
    y, s = [0, 1, 0], [0.1, 0.9, 0.3]
    for bad in (0.0, 1.5, -0.1, np.nan):
        with pytest.raises(ValueError, match="target_recall must"):
            M.threshold_for_recall(y, s, bad)
    with pytest.raises(TypeError, match="fn_cost"):
        M.best_threshold(y, s)  # costs are required
    with pytest.raises(ValueError, match="y_true has only one class"):
        M.best_threshold([1, 1, 1], s, fn_cost=1, fp_cost=1)


# ---------------------------------------------------------------------------
# Cost scorer for scikit-learn model selection
# ---------------------------------------------------------------------------


def imbalanced_problem(n=600, seed=0):
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(n, 3))
    y = (X[:, 0] + 0.5 * X[:, 1] + rng.normal(size=n) > 2.0).astype(int)
    return X, y


def test_cost_scorer_equals_negated_business_cost():
    X, y = imbalanced_problem()
    model = LogisticRegression().fit(X, y)
    pred = model.predict(X)
    scorer = M.make_cost_scorer(fn_cost=10, fp_cost=1)
    assert scorer(model, X, y) == -M.business_cost(y, pred, fn_cost=10, fp_cost=1)
    same_matrix = M.make_cost_scorer([[0, 1], [10, 0]])
    assert same_matrix(model, X, y) == scorer(model, X, y)
    # Layout [[tn_cost, fp_cost], [fn_cost, tp_cost]] checked cell by cell.
    tn, fp, fn, tp = M.confusion_counts(y, pred)
    full = M.make_cost_scorer([[0.1, 2.0], [30.0, -5.0]])
    assert full(model, X, y) == pytest.approx(-(0.1 * tn + 2 * fp + 30 * fn - 5 * tp))
    assert pickle.loads(pickle.dumps(scorer))(model, X, y) == scorer(model, X, y)


def test_cost_scorer_with_tuned_threshold_classifier():
    X, y = imbalanced_problem()
    fn_cost, fp_cost = 20.0, 1.0
    tuned = TunedThresholdClassifierCV(
        LogisticRegression(), scoring=M.make_cost_scorer(fn_cost=fn_cost, fp_cost=fp_cost),
        cv=StratifiedKFold(5, shuffle=True, random_state=0),
    ).fit(X, y)
    assert tuned.best_threshold_ < 0.5  # missed positives are expensive: alert more
    proba = tuned.estimator_.predict_proba(X)[:, 1]
    cost_tuned = M.business_cost(y, tuned.predict(X), fn_cost=fn_cost, fp_cost=fp_cost)
    cost_default = M.business_cost(y, (proba >= 0.5).astype(int), fn_cost=fn_cost,
                                   fp_cost=fp_cost)
    assert cost_tuned <= cost_default
    assert tuned.best_score_ <= 0  # negated cost


def test_cost_scorer_with_grid_search():
    X, y = imbalanced_problem()
    scorer = M.make_cost_scorer(fn_cost=10, fp_cost=1)
    cv = StratifiedKFold(3, shuffle=True, random_state=0)
    search = GridSearchCV(LogisticRegression(), {"C": [0.01, 1.0]}, scoring=scorer, cv=cv)
    search.fit(X, y)
    # Re-score the folds by hand.
    for i, C in enumerate([0.01, 1.0]):
        fold_scores = []
        for train, test in cv.split(X, y):
            model = LogisticRegression(C=C).fit(X[train], y[train])
            fold_scores.append(-M.business_cost(y[test], model.predict(X[test]),
                                                fn_cost=10, fp_cost=1))
        assert search.cv_results_["mean_test_score"][i] == pytest.approx(np.mean(fold_scores))
    assert search.best_score_ == max(search.cv_results_["mean_test_score"])


def test_cost_scorer_errors():
    with pytest.raises(ValueError, match="either cost_matrix or fn_cost and fp_cost"):
        M.make_cost_scorer([[0, 1], [5, 0]], fn_cost=5)
    with pytest.raises(ValueError, match="both fn_cost and fp_cost"):
        M.make_cost_scorer()
    with pytest.raises(ValueError, match="both fn_cost and fp_cost"):
        M.make_cost_scorer(fn_cost=5)
    with pytest.raises(ValueError, match=r"cost_matrix must have shape \(2, 2\)"):
        M.make_cost_scorer([0, 1, 5, 0])
    with pytest.raises(ValueError, match="cost_matrix must be a numeric"):
        M.make_cost_scorer([["a", "b"], ["c", "d"]])
    with pytest.raises(ValueError, match="cost_matrix contains NaN"):
        M.make_cost_scorer([[0, np.nan], [5, 0]])
    with pytest.raises(ValueError, match="fn_cost must be >= 0"):
        M.make_cost_scorer(fn_cost=-5, fp_cost=1)


# ---------------------------------------------------------------------------
# Calibration
# ---------------------------------------------------------------------------


def calibration_inputs():
    rng = np.random.default_rng(7)
    out = []
    for n in (1, 9, 200, 3000):
        y = random_labels(rng, n, 0.1)
        out.append((y, rng.beta(0.5, 4.0, n)))                # skewed towards 0
        out.append((y, rng.integers(0, 11, n) / 10))          # values on the bin edges
        out.append((random_labels(rng, n, 0.5), rng.random(n)))
    return out


@pytest.mark.parametrize("strategy", ["uniform", "quantile"])
@pytest.mark.parametrize("n_bins", [1, 5, 10, 15])
def test_reliability_curve_equals_sklearn(strategy, n_bins):
    for y, p in calibration_inputs():
        if len(np.unique(y)) < 2:
            continue  # sklearn needs both classes to infer pos_label
        prob_true, prob_pred, counts = M.reliability_curve(y, p, n_bins=n_bins,
                                                           strategy=strategy)
        ref_true, ref_pred = calibration_curve(y, p, n_bins=n_bins, strategy=strategy)
        assert_array_equal(prob_true, ref_true)
        assert_array_equal(prob_pred, ref_pred)
        assert counts.sum() == y.size and (counts > 0).all()
        assert counts.dtype.kind == "i"


def hand_ece(y, p, n_bins, strategy):
    if strategy == "uniform":
        edges = np.linspace(0, 1, n_bins + 1)
    else:
        edges = np.percentile(p, np.linspace(0, 100, n_bins + 1))
    total = 0.0
    assigned = np.zeros(len(p), bool)
    for b in range(n_bins):
        lo, hi = edges[b], edges[b + 1]
        # Right-closed bins; the first also holds its left edge (and anything
        # below it); the last also holds anything above it.
        in_bin = (p > lo) & (p <= hi) & ~assigned
        if b == 0:
            in_bin |= (p <= lo) & ~assigned
        if b == n_bins - 1:
            in_bin |= ~assigned
        assigned |= in_bin
        if in_bin.any():
            total += in_bin.sum() / len(p) * abs(y[in_bin].mean() - p[in_bin].mean())
    assert assigned.all()
    return total


@pytest.mark.parametrize("strategy", ["uniform", "quantile"])
def test_ece_matches_hand_loop(strategy):
    for y, p in calibration_inputs():
        for n_bins in (1, 4, 10):
            assert M.expected_calibration_error(y, p, n_bins=n_bins, strategy=strategy) \
                == pytest.approx(hand_ece(y, p, n_bins, strategy), abs=1e-12)


def edge_values(n_bins):
    """Probabilities on, and one or two ulps around, every uniform bin edge,
    including edges computed another way (i / n_bins) than linspace's."""
    edges = np.linspace(0, 1, n_bins + 1)
    other = np.arange(n_bins + 1) / n_bins
    near = [edges, other, np.nextafter(edges, 2), np.nextafter(edges, -1),
            np.nextafter(np.nextafter(edges, 2), 2), np.nextafter(other, -1), 0.1 * np.arange(11)]
    return np.clip(np.concatenate(near), 0, 1)


@pytest.mark.parametrize("n_bins", [1, 3, 7, 10, 13, 100])
def test_uniform_bins_on_and_around_edges_equal_sklearn(n_bins):
    p = edge_values(n_bins)
    y = (np.arange(p.size) % 3 == 0).astype(int)
    prob_true, prob_pred, counts = M.reliability_curve(y, p, n_bins=n_bins)
    ref_true, ref_pred = calibration_curve(y, p, n_bins=n_bins)
    assert_array_equal(prob_true, ref_true)
    assert_array_equal(prob_pred, ref_pred)
    # The same bins as a search of the edges, value by value.
    edges = np.linspace(0, 1, n_bins + 1)
    assert_array_equal(M._calibration_bins(p, n_bins, "uniform"),
                       np.searchsorted(edges[1:-1], p))
    assert M.expected_calibration_error(y, p, n_bins=n_bins) == pytest.approx(
        hand_ece(y, p, n_bins, "uniform"), abs=1e-12)


def test_ece_equals_bincount_formula_on_large_data():
    # The formula benchmarks/methods.py times ECE against: uniform right-closed bins.
    rng = np.random.default_rng(1)
    y = random_labels(rng, 100_000, 0.01)
    p = np.clip(rng.beta(1, 30, y.size) + 0.3 * y * rng.random(y.size), 0, 1)
    bins = np.clip(np.ceil(p * 10).astype(int) - 1, 0, 9)
    expected = np.abs(np.bincount(bins, y, 10) - np.bincount(bins, p, 10)).sum() / y.size
    assert M.expected_calibration_error(y, p) == pytest.approx(expected, rel=1e-12)


def test_ece_known_values():
    rng = np.random.default_rng(0)
    p = rng.random(20000)
    assert M.expected_calibration_error((rng.random(20000) < p).astype(int), p) < 0.02
    y = np.array([0, 1] * 50)
    assert M.expected_calibration_error(y, np.full(100, 0.5)) == 0.0
    assert M.expected_calibration_error(y, np.full(100, 0.9)) == pytest.approx(0.4)


def test_brier_score_equals_sklearn():
    for y, p in calibration_inputs():
        assert M.brier_score(y, p) == pytest.approx(
            brier_score_loss(y, p, pos_label=1), rel=1e-12, abs=1e-15)


@pytest.mark.parametrize("func", [M.reliability_curve, M.expected_calibration_error,
                                  M.brier_score])
def test_calibration_errors(func):
    with pytest.raises(ValueError, match=r"y_prob must be probabilities in \[0, 1\]"):
        func([0, 1], [0.2, 1.3])
    with pytest.raises(ValueError, match=r"y_prob must be probabilities in \[0, 1\]"):
        func([0, 1], [-0.1, 0.3])
    with pytest.raises(ValueError, match="y_prob has 3 values but 2"):
        func([0, 1], [0.2, 0.3, 0.4])
    with pytest.raises(ValueError, match="y_true must contain only the labels 0 and 1"):
        func([0, 2], [0.2, 0.3])
    if func is not M.brier_score:
        with pytest.raises(ValueError, match="n_bins must be >= 1"):
            func([0, 1], [0.2, 0.3], n_bins=0)
        with pytest.raises(ValueError, match="strategy must be one of"):
            func([0, 1], [0.2, 0.3], strategy="kmeans")


# ---------------------------------------------------------------------------
# Bootstrap
# ---------------------------------------------------------------------------


def rare_problem(n=300, n_pos=3, seed=0):
    rng = np.random.default_rng(seed)
    y = np.zeros(n, dtype=int)
    y[rng.choice(n, n_pos, replace=False)] = 1
    return y, y * 0.8 + rng.random(n)


def test_bootstrap_stratified_keeps_positive_count_and_never_fails():
    y, s = rare_problem()
    seen = []

    def positives(y_b, s_b):
        seen.append((y_b.size, int(y_b.sum())))
        return roc_auc_score(y_b, s_b)  # needs both classes

    with warnings.catch_warnings():
        warnings.simplefilter("error")  # not even an UndefinedMetricWarning
        result = M.bootstrap_ci(positives, y, s, n_boot=150)
    assert np.isfinite(result.samples).all()
    assert isinstance(result, M.BootstrapResult)
    assert set(seen) == {(300, 3)}
    assert result.samples.shape == (150,)
    assert result.estimate == roc_auc_score(y, s)
    assert result.low <= result.estimate <= result.high


def test_bootstrap_plain_resampling_varies_the_positive_count_and_reports_failures():
    y, s = rare_problem(n=30, n_pos=1)
    counts = M.bootstrap_ci(lambda y_b, s_b: y_b.sum(), y, s, n_boot=200, stratified=False)
    assert counts.samples.min() == 0 and counts.samples.max() >= 2
    # A metric that raises on a one-class replicate: the error says which replicate and why.
    with pytest.raises(ValueError, match="metric failed on bootstrap replicate .*stratified=True"):
        M.bootstrap_ci(lambda a, b: M.recall_at_k(a, b, 5), y, s, n_boot=200, stratified=False)
    # scikit-learn >= 1.6 returns NaN (with a warning) instead: those replicates are
    # reported and left out of the percentiles.
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UndefinedMetricWarning)
        with pytest.warns(UserWarning, match=r"\d+ of 200 bootstrap replicates gave NaN"):
            r = M.bootstrap_ci(roc_auc_score, y, s, n_boot=200, stratified=False)
    finite = r.samples[np.isfinite(r.samples)]
    assert 0 < finite.size < 200
    assert r.low == np.quantile(finite, 0.025) and r.high == np.quantile(finite, 0.975)


def test_bootstrap_percentiles_and_determinism():
    y, s = rare_problem(n=400, n_pos=20, seed=1)
    def gap(y_b, s_b):  # cheap stand-in for a score-separation metric
        return s_b[y_b == 1].mean() - s_b[y_b == 0].mean()

    r = M.bootstrap_ci(gap, y, s, n_boot=200, confidence=0.9, random_state=5)
    assert r.low == np.quantile(r.samples, 0.05)
    assert r.high == np.quantile(r.samples, 0.95)
    again = M.bootstrap_ci(gap, y, s, n_boot=200, confidence=0.9, random_state=5)
    assert_array_equal(r.samples, again.samples)
    other = M.bootstrap_ci(gap, y, s, n_boot=200, confidence=0.9,
                           random_state=np.random.default_rng(6))
    assert not np.array_equal(r.samples, other.samples)
    narrow = M.bootstrap_ci(gap, y, s, n_boot=200, confidence=0.5, random_state=5)
    assert r.low <= narrow.low <= narrow.high <= r.high


def test_bootstrap_mean_interval_matches_theory():
    # For the mean of the scores the bootstrap standard error is about sd / sqrt(n).
    rng = np.random.default_rng(2)
    y = random_labels(rng, 2000, 0.5)
    s = rng.normal(size=2000)
    r = M.bootstrap_ci(lambda _, s_b: s_b.mean(), y, s, n_boot=400, stratified=False)
    assert r.samples.std() == pytest.approx(s.std() / np.sqrt(2000), rel=0.15)


def test_bootstrap_works_with_kit_and_sklearn_metrics_and_keeps_row_order():
    y, s = rare_problem(n=200, n_pos=10, seed=3)
    pred = (s > 0.8).astype(int)
    r = M.bootstrap_ci(f1_score, y, pred, n_boot=50)
    assert r.estimate == f1_score(y, pred)
    r = M.bootstrap_ci(lambda a, b: M.precision_at_k(a, b, 10), y, s, n_boot=50)
    assert r.estimate == M.precision_at_k(y, s, 10)
    r = M.bootstrap_ci(M.brier_score, y, np.clip(s, 0, 1), n_boot=20)
    assert 0 <= r.low <= r.high
    # Resampled rows keep their original order (y_score = row number).
    order = M.bootstrap_ci(lambda _, rows: float(np.all(np.diff(rows) >= 0)),
                           y, np.arange(200), n_boot=30)
    assert order.samples.min() == 1.0


def test_bootstrap_errors():
    y, s = rare_problem(n=50, n_pos=5)
    with pytest.raises(TypeError, match="metric must be callable"):
        M.bootstrap_ci("roc_auc", y, s)
    with pytest.raises(TypeError, match="metric must return a number"):
        M.bootstrap_ci(lambda a, b: "high", y, s, n_boot=2)
    with pytest.raises(ValueError, match="n_boot must be >= 1"):
        M.bootstrap_ci(roc_auc_score, y, s, n_boot=0)
    with pytest.raises(ValueError, match="confidence must lie in"):
        M.bootstrap_ci(roc_auc_score, y, s, confidence=1.0)
    with pytest.raises(ValueError, match="y_score has 49 values but 50"):
        M.bootstrap_ci(roc_auc_score, y, s[:-1])
    with pytest.raises(ValueError, match="y_true has only one class"):
        M.bootstrap_ci(roc_auc_score, np.zeros(50, int), s)
    with pytest.raises(ValueError, match="random_state must be"):
        M.bootstrap_ci(roc_auc_score, y, s, random_state="seed")
    with pytest.raises(ValueError, match="metric failed on the full data"):
        M.bootstrap_ci(lambda a, b: M.precision_at_k(a, b, 1000), y, s, n_boot=2)


def test_import_stays_light():
    import subprocess
    import sys

    code = ("import sys, imbalance_kit.metrics; "
            "print(sorted(m for m in ('torch', 'sklearn', 'pandas') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


# ---------------------------------------------------------------------------
# pos_label: text labels give the numbers of 0/1 labels, as in scikit-learn
# ---------------------------------------------------------------------------


def text_problem(seed=0, n=400):
    rng = np.random.default_rng(seed)
    y = (rng.random(n) < 0.1).astype(int)
    score = np.clip(0.35 * y + rng.random(n) * 0.7, 0, 1)
    pred = (score >= 0.5).astype(int)
    names = np.where(y == 1, "fraud", "legit")
    pred_names = np.where(pred == 1, "fraud", "legit")
    return y, names, score, pred, pred_names


def test_text_labels_with_pos_label_equal_zero_one_labels():
    y, names, score, pred, pred_names = text_problem()
    kw = {"pos_label": "fraud"}
    assert M.confusion_counts(names, pred_names, **kw) == M.confusion_counts(y, pred)
    assert list(M.confusion_counts(names, pred_names, **kw)) == confusion_matrix(
        names, pred_names, labels=["legit", "fraud"]).ravel().tolist()
    assert M.confusion_counts(names, y_score=score, **kw) == M.confusion_counts(y, y_score=score)
    assert M.business_cost(names, pred_names, fn_cost=5, **kw) == \
        M.business_cost(y, pred, fn_cost=5)
    assert M.precision_at_k(names, score, 30, **kw) == M.precision_at_k(y, score, 30)
    assert M.recall_at_k(names, score, 30, **kw) == M.recall_at_k(y, score, 30)
    assert M.best_threshold(names, score, fn_cost=10, fp_cost=1, **kw) == \
        M.best_threshold(y, score, fn_cost=10, fp_cost=1)
    assert M.threshold_for_recall(names, score, 0.8, **kw) == M.threshold_for_recall(y, score, 0.8)
    card = np.arange(y.size) // 3
    assert M.entity_precision_at_k(names, score, card, 10, **kw) == \
        M.entity_precision_at_k(y, score, card, 10)
    assert M.brier_score(names, score, **kw) == pytest.approx(
        brier_score_loss(names, score, pos_label="fraud"), rel=1e-12)
    ours = M.reliability_curve(names, score, n_bins=5, **kw)
    theirs = calibration_curve(names, score, n_bins=5, pos_label="fraud")
    assert_allclose(ours.prob_true, theirs[0], rtol=1e-12)
    assert_allclose(ours.prob_pred, theirs[1], rtol=1e-12)
    assert M.expected_calibration_error(names, score, **kw) == \
        M.expected_calibration_error(y, score)


def test_pos_label_matches_sklearn_on_numbers_too():
    y, _, score, pred, _ = text_problem(1)
    # 0 as the positive class: scikit-learn's pos_label=0.
    counts = M.confusion_counts(y, pred, pos_label=0)
    assert M.precision_from_counts(counts.tp, counts.fp) == pytest.approx(
        precision_score(y, pred, pos_label=0))
    assert M.recall_from_counts(counts.tp, counts.fn) == pytest.approx(
        recall_score(y, pred, pos_label=0))
    # 1/2 codes, and the same codes as floats: compared by value.
    y12, pred12 = y + 1, pred + 1
    assert M.confusion_counts(y12, pred12, pos_label=2) == M.confusion_counts(y, pred)
    assert M.confusion_counts(y12, pred12.astype(float), pos_label=2) == M.confusion_counts(y, pred)


def test_pos_label_errors_name_the_problem():
    y, names, score, pred, pred_names = text_problem()
    with pytest.raises(ValueError, match=r"pos_label must name the positive class.*"
                                         r"pos_label='fraud' \(the rarer label here\)"):
        M.confusion_counts(names, pred_names)
    with pytest.raises(ValueError, match=r"pos_label='Fraud' is not one of the labels of y_true"):
        M.precision_at_k(names, score, 10, pos_label="Fraud")
    with pytest.raises(ValueError, match="y_true and y_pred use 3 labels together"):
        M.business_cost(names, np.where(pred == 1, "fraud", "ok"), pos_label="fraud")
    with pytest.raises(ValueError, match=r"only one class \(no pos_label='fraud'\)"):
        M.recall_at_k(np.full(10, "legit"), np.arange(10.0), 3, pos_label="fraud")


def test_make_cost_scorer_with_text_targets():
    X, y = imbalanced_problem()
    names = np.where(y == 1, "fraud", "legit")
    model = LogisticRegression().fit(X, names)
    scorer = M.make_cost_scorer(fn_cost=10, fp_cost=1, pos_label="fraud")
    expected = -M.business_cost(names, model.predict(X), fn_cost=10, fp_cost=1, pos_label="fraud")
    assert scorer(model, X, names) == pytest.approx(expected)


# ---------------------------------------------------------------------------
# sample_weight: equal to scikit-learn with weights, and to repeated rows
# ---------------------------------------------------------------------------


def weighted_problem(seed=0, n=300):
    rng = np.random.default_rng(seed)
    y = (rng.random(n) < 0.15).astype(int)
    score = np.round(np.clip(0.3 * y + rng.random(n) * 0.7, 0, 1), 2)  # ties on purpose
    w = rng.gamma(2.0, 1.0, n)
    w[rng.random(n) < 0.05] = 0.0  # some rows do not count at all
    int_w = rng.integers(0, 4, n)
    int_w[y == 1] = np.maximum(int_w[y == 1], 1)
    return y, score, w, int_w


@pytest.mark.parametrize("seed", range(4))
def test_weighted_counts_match_sklearn_confusion_matrix(seed):
    y, score, w, _ = weighted_problem(seed)
    pred = (score >= 0.5).astype(int)
    counts = M.confusion_counts(y, pred, sample_weight=w)
    assert_allclose(list(counts), confusion_matrix(y, pred, sample_weight=w).ravel(), rtol=1e-12)
    assert all(type(c) is float for c in counts)
    assert M.confusion_counts(y, y_score=score, sample_weight=w) == pytest.approx(counts)
    # Weighted counts feed the rates: equal to scikit-learn's weighted scores.
    tn, fp, fn, tp = counts
    assert M.precision_from_counts(tp, fp) == pytest.approx(
        precision_score(y, pred, sample_weight=w))
    assert M.recall_from_counts(tp, fn) == pytest.approx(recall_score(y, pred, sample_weight=w))
    assert M.fbeta_from_counts(tp, fp, fn, beta=2) == pytest.approx(
        fbeta_score(y, pred, beta=2, sample_weight=w))


@pytest.mark.parametrize("seed", range(3))
def test_weighted_business_cost_from_weighted_confusion_matrix(seed):
    y, score, w, _ = weighted_problem(seed)
    pred = (score >= 0.4).astype(int)
    tn, fp, fn, tp = confusion_matrix(y, pred, sample_weight=w).ravel()
    assert M.business_cost(y, pred, fn_cost=7, fp_cost=2, sample_weight=w) == \
        pytest.approx(7 * fn + 2 * fp)
    amount = np.random.default_rng(seed).gamma(1.0, 50.0, y.size)
    missed = (y == 1) & (pred == 0)
    assert M.business_cost(y, pred, fn_cost=0.8, fp_cost=2, amount=amount, sample_weight=w) == \
        pytest.approx(0.8 * (amount * w)[missed].sum() + 2 * fp)


@pytest.mark.parametrize("seed", range(4))
@pytest.mark.parametrize("with_amount", [False, True])
def test_weighted_cost_curve_equals_repeated_rows_and_sklearn(seed, with_amount):
    y, score, _, int_w = weighted_problem(seed)
    amount = np.random.default_rng(seed).gamma(1.0, 50.0, y.size) if with_amount else None
    curve = M.cost_curve(y, score, fn_cost=5, fp_cost=1, amount=amount, sample_weight=int_w)
    rep = np.repeat(np.arange(y.size), int_w)
    repeated = M.cost_curve(y[rep], score[rep], fn_cost=5, fp_cost=1,
                            amount=None if amount is None else amount[rep],
                            thresholds=curve["threshold"])
    for col in ("cost", "tp", "fp", "fn", "tn", "precision", "recall", "alerts"):
        assert_allclose(curve[col], repeated[col], rtol=1e-10, atol=1e-9, err_msg=col)
    for t in curve["threshold"].to_numpy()[::7]:
        pred = (score >= t).astype(int)
        expected = confusion_matrix(y, pred, sample_weight=int_w, labels=[0, 1]).ravel()
        row = curve.loc[curve["threshold"] == t].iloc[0]
        assert_allclose([row["tn"], row["fp"], row["fn"], row["tp"]], expected, atol=1e-9)


@pytest.mark.parametrize("seed", range(4))
def test_weighted_best_threshold_and_recall_target_match_brute_force(seed):
    y, score, w, _ = weighted_problem(seed)
    best = M.best_threshold(y, score, fn_cost=8, fp_cost=1, sample_weight=w)
    costs = {t: M.business_cost(y, (score >= t).astype(int), fn_cost=8, fp_cost=1,
                                sample_weight=w) for t in np.unique(score)}
    costs[np.nextafter(score.max(), np.inf)] = 8 * float((w * y).sum())
    lowest = min(costs.values())
    assert best.cost == pytest.approx(lowest)
    assert best.threshold == max(t for t, c in costs.items() if c <= lowest + 1e-9)
    assert isinstance(best.alerts, float)
    res = M.threshold_for_recall(y, score, 0.7, sample_weight=w)
    assert res.recall == pytest.approx(
        recall_score(y, (score >= res.threshold).astype(int), sample_weight=w))
    assert res.recall >= 0.7
    higher = score[score > res.threshold]
    if higher.size:
        assert recall_score(y, (score >= higher.min()).astype(int), sample_weight=w) < 0.7


@pytest.mark.parametrize("seed", range(4))
@pytest.mark.parametrize("k", [1, 10, 57])
def test_weighted_precision_and_recall_at_k_match_sklearn(seed, k):
    y, score, w, _ = weighted_problem(seed)
    w = w + 0.01  # the top k must carry some weight
    top = np.argsort(-score, kind="stable")[:k]
    alerted = np.zeros(y.size, int)
    alerted[top] = 1
    assert M.precision_at_k(y, score, k, sample_weight=w) == pytest.approx(
        precision_score(y, alerted, sample_weight=w, zero_division=0.0))
    assert M.recall_at_k(y, score, k, sample_weight=w) == pytest.approx(
        recall_score(y, alerted, sample_weight=w))
    # Unit weights change nothing.
    assert M.precision_at_k(y, score, k, sample_weight=np.ones(y.size)) == pytest.approx(
        M.precision_at_k(y, score, k))


def test_top_k_weight_errors():
    y, score = np.array([0, 1, 0, 1]), np.array([0.9, 0.1, 0.8, 0.2])
    with pytest.raises(ValueError, match="top k rows all have sample_weight 0"):
        M.precision_at_k(y, score, 2, sample_weight=[0, 1, 0, 1])
    with pytest.raises(ValueError, match="positives all have sample_weight 0"):
        M.recall_at_k(y, score, 2, sample_weight=[1, 0, 1, 0])
    with pytest.raises(ValueError, match="sample_weight has 3 values but 4"):
        M.precision_at_k(y, score, 2, sample_weight=[1, 1, 1])


@pytest.mark.parametrize("seed", range(4))
def test_weighted_brier_matches_sklearn(seed):
    y, score, w, _ = weighted_problem(seed)
    assert M.brier_score(y, score, sample_weight=w) == pytest.approx(
        brier_score_loss(y, score, sample_weight=w), rel=1e-12)
    names = np.where(y == 1, "sick", "healthy")
    assert M.brier_score(names, score, pos_label="sick", sample_weight=w) == pytest.approx(
        brier_score_loss(names, score, pos_label="sick", sample_weight=w), rel=1e-12)


@pytest.mark.parametrize("seed", range(4))
@pytest.mark.parametrize("n_bins", [3, 10])
def test_weighted_calibration_equals_sklearn_on_repeated_rows(seed, n_bins):
    y, score, _, int_w = weighted_problem(seed)
    rep = np.repeat(np.arange(y.size), int_w)
    ours = M.reliability_curve(y, score, n_bins=n_bins, sample_weight=int_w)
    theirs = calibration_curve(y[rep], score[rep], n_bins=n_bins)
    assert_allclose(ours.prob_true, theirs[0], rtol=1e-12)
    assert_allclose(ours.prob_pred, theirs[1], rtol=1e-12)
    assert M.expected_calibration_error(y, score, n_bins=n_bins, sample_weight=int_w) == \
        pytest.approx(M.expected_calibration_error(y[rep], score[rep], n_bins=n_bins), rel=1e-12)
    # counts stay rows: the rows (weighted or not) in each bin that carries weight.
    bins = np.searchsorted(np.linspace(0, 1, n_bins + 1)[1:-1], score)
    weight = np.bincount(bins, weights=int_w, minlength=n_bins)
    assert ours.counts.tolist() == np.bincount(bins, minlength=n_bins)[weight > 0].tolist()


def test_cost_scorer_passes_sample_weight():
    X, y = imbalanced_problem()
    w = np.random.default_rng(0).gamma(2.0, 1.0, y.size)
    model = LogisticRegression().fit(X, y)
    scorer = M.make_cost_scorer(fn_cost=10, fp_cost=1)
    assert scorer(model, X, y, sample_weight=w) == pytest.approx(
        -M.business_cost(y, model.predict(X), fn_cost=10, fp_cost=1, sample_weight=w))


# ---------------------------------------------------------------------------
# Results unpack like scipy's and have names
# ---------------------------------------------------------------------------


def test_results_unpack_and_have_names():
    y, _, score, pred, _ = text_problem()
    tn, fp, fn, tp = M.confusion_counts(y, pred)
    assert (tn, fp, fn, tp) == tuple(confusion_matrix(y, pred).ravel())
    threshold, cost, precision, recall, alerts = M.best_threshold(y, score, fn_cost=5, fp_cost=1)
    assert M.best_threshold(y, score, fn_cost=5, fp_cost=1).threshold == threshold
    prob_true, prob_pred, counts = M.reliability_curve(y, score)
    assert isinstance(M.reliability_curve(y, score), M.ReliabilityCurve)
    estimate, low, high, samples = M.bootstrap_ci(roc_auc_score, y, score, n_boot=20)
    assert low <= high and samples.shape == (20,)
