"""Metrics for rare-event problems: counts, F-beta, top-k, cost, calibration.

Accuracy says little when 99.8 % of the rows are legitimate: predicting
"legitimate" for everything scores 99.8 %. This module holds the measures the
course uses instead, grouped the way a lesson meets them:

- **Counts and rates** -- :func:`confusion_counts`, :func:`precision_from_counts`,
  :func:`recall_from_counts`, :func:`specificity_from_counts`,
  :func:`fbeta_from_counts`, plus :func:`imbalance_ratio` and
  :func:`majority_baseline_accuracy`.
- **Alerts a team can handle** -- :func:`precision_at_k`, :func:`recall_at_k`
  and the per-card :func:`entity_precision_at_k`.
- **Money** -- :func:`business_cost`, :func:`cost_curve`,
  :func:`best_threshold`, :func:`threshold_for_recall` and
  :func:`make_cost_scorer` for scikit-learn's model selection.
- **Calibration** -- :func:`expected_calibration_error`, :func:`brier_score`,
  :func:`reliability_curve`.
- **Uncertainty** -- :func:`bootstrap_ci`.

Conventions shared by every function:

- Labels are 0/1 with the rare class (fraud, disease, defect) encoded as 1,
  or any two labels with ``pos_label`` naming the rare one
  (``pos_label="fraud"``), as in scikit-learn.
- ``sample_weight`` (where a function takes it) makes every row count
  ``w`` times: counts, costs and rates become weighted sums, equal to
  scikit-learn's with the same ``sample_weight`` (and to repeating row i
  ``w_i`` times for whole-number weights). Functions of ranks or entities
  (:func:`entity_precision_at_k`) and :func:`bootstrap_ci` take none.
- Results are NamedTuples: they unpack (``tn, fp, fn, tp = confusion_counts(...)``)
  and have named fields.
- A score turns into an alert when ``score >= threshold`` (the same rule as
  scikit-learn's ``precision_recall_curve`` and ``roc_curve``).
- Counts and rates agree with scikit-learn on the same input; the tests
  compare them on random data.
"""

from __future__ import annotations

import numbers
import warnings
from typing import NamedTuple

import numpy as np

from imbalance_kit.validation import (
    check_1d,
    check_binary_labels,
    check_choice,
    check_fraction,
    check_nonnegative,
    check_positive_int,
    check_random_state,
    check_same_length,
    check_sample_weight,
    check_scores,
)

__all__ = [
    "BootstrapResult",
    "Counts",
    "ReliabilityCurve",
    "ThresholdResult",
    "best_threshold",
    "bootstrap_ci",
    "brier_score",
    "business_cost",
    "confusion_counts",
    "cost_curve",
    "entity_precision_at_k",
    "expected_calibration_error",
    "fbeta_from_counts",
    "imbalance_ratio",
    "majority_baseline_accuracy",
    "make_cost_scorer",
    "precision_at_k",
    "precision_from_counts",
    "recall_at_k",
    "recall_from_counts",
    "reliability_curve",
    "specificity_from_counts",
    "threshold_for_recall",
]


# ---------------------------------------------------------------------------
# Result types
# ---------------------------------------------------------------------------


class Counts(NamedTuple):
    """The four cells of a binary confusion matrix.

    The order ``(tn, fp, fn, tp)`` is the order of
    ``sklearn.metrics.confusion_matrix(y_true, y_pred).ravel()``, so both can be
    unpacked the same way.

    Attributes
    ----------
    tn, fp, fn, tp : int, or float with ``sample_weight``
        True negatives, false positives (false alarms), false negatives
        (missed positives) and true positives (sums of weights when the
        rows are weighted).

    Examples
    --------
    >>> c = Counts(tn=5, fp=1, fn=2, tp=3)
    >>> c.tp, tuple(c)
    (3, (5, 1, 2, 3))
    """

    tn: int
    fp: int
    fn: int
    tp: int


class ThresholdResult(NamedTuple):
    """An operating point: a threshold and what it costs and catches.

    Attributes
    ----------
    threshold : float
        Alert when ``score >= threshold``.
    cost : float
        Total cost at this threshold (see :func:`business_cost`).
    precision : float
        Share of alerts that are real positives (0.0 when there are no alerts).
    recall : float
        Share of the positives that are alerted.
    alerts : int, or float with ``sample_weight``
        Number of rows alerted, i.e. the investigation workload (their
        total weight when the rows are weighted).

    Examples
    --------
    >>> r = ThresholdResult(threshold=0.7, cost=12.0, precision=0.5, recall=0.8, alerts=16)
    >>> r.alerts
    16
    """

    threshold: float
    cost: float
    precision: float
    recall: float
    alerts: int


class ReliabilityCurve(NamedTuple):
    """The points of a reliability diagram (see :func:`reliability_curve`).

    Attributes
    ----------
    prob_true : ndarray
        Fraction of positives in each non-empty bin (weighted with ``sample_weight``).
    prob_pred : ndarray
        Mean predicted probability in each non-empty bin (weighted likewise).
    counts : ndarray of int
        Rows in each non-empty bin.

    Examples
    --------
    >>> import numpy as np
    >>> prob_true, prob_pred, counts = ReliabilityCurve(
    ...     np.array([0.0, 1.0]), np.array([0.2, 0.8]), np.array([3, 1]))
    >>> counts.tolist()
    [3, 1]
    """

    prob_true: np.ndarray
    prob_pred: np.ndarray
    counts: np.ndarray


class BootstrapResult(NamedTuple):
    """A point estimate with a percentile bootstrap interval.

    Attributes
    ----------
    estimate : float
        The metric on the full data.
    low, high : float
        Percentile interval bounds.
    samples : ndarray of shape (n_boot,)
        The metric on every bootstrap replicate (for a histogram).

    Examples
    --------
    >>> import numpy as np
    >>> r = BootstrapResult(0.5, 0.4, 0.6, np.array([0.45, 0.55]))
    >>> r.high - r.low
    0.19999999999999996
    """

    estimate: float
    low: float
    high: float
    samples: np.ndarray


# ---------------------------------------------------------------------------
# Private helpers
# ---------------------------------------------------------------------------


def _check_counts(value, name):
    """Return a count (or an array of counts) as float64, or raise ValueError.

    Counts may be fractional: weighted counts (``confusion_counts(...,
    sample_weight=w)``) are sums of weights.
    """
    arr = np.asarray(value)
    numeric = np.issubdtype(arr.dtype, np.integer) or np.issubdtype(arr.dtype, np.floating)
    if arr.dtype == bool or not numeric:
        raise ValueError(f"{name} must be a non-negative count, got {value!r}.")
    if np.issubdtype(arr.dtype, np.floating) and not np.isfinite(arr).all():
        raise ValueError(f"{name} must be a non-negative count, got {value!r}.")
    if (arr < 0).any():
        raise ValueError(f"{name} must be >= 0 (a count), got {value!r}.")
    return arr.astype(np.float64)


def _check_zero_division(zero_division):
    """Return ``zero_division`` as a float if it is 0.0, 1.0 or NaN."""
    ok = (
        isinstance(zero_division, numbers.Real)
        and not isinstance(zero_division, bool)
        and (np.isnan(zero_division) or zero_division in (0.0, 1.0))
    )
    if not ok:
        raise ValueError(f"zero_division must be 0.0, 1.0 or nan, got {zero_division!r}.")
    return float(zero_division)


def _counts(**named):
    """Validate counts given by name and broadcast them to one shape."""
    arrays = [_check_counts(value, name) for name, value in named.items()]
    try:
        return np.broadcast_arrays(*arrays)
    except ValueError:
        names = list(named)
        listed = ", ".join(names[:-1]) + " and " + names[-1]
        shapes = ", ".join(str(np.shape(v)) for v in named.values())
        raise ValueError(
            f"{listed} must be scalars or arrays of the same shape, got shapes {shapes}."
        ) from None


def _ratio(numerator, denominator, zero_division):
    """``numerator / denominator`` elementwise, ``zero_division`` where it is 0.

    Returns a Python float for scalar input, an array otherwise.
    """
    out = np.full(np.shape(numerator), zero_division, dtype=np.float64)
    np.divide(numerator, denominator, out=out, where=denominator != 0)
    return float(out) if out.ndim == 0 else out


def _check_k(k, n, what="n_samples"):
    k = check_positive_int(k, "k")
    if k > n:
        raise ValueError(f"k must be between 1 and {what} ({n}), got {k}.")
    return k


def _top_k_rows(y_score, k):
    """Row numbers of the ``k`` highest scores (ties: earlier row first)."""
    # O(n) selection instead of a full sort: find the k-th largest score,
    # take every row above it, then fill the remaining places with the
    # earliest rows that equal it. Same result as a stable sort of -score.
    kth = np.partition(y_score, y_score.size - k)[y_score.size - k]
    above = np.flatnonzero(y_score > kth)
    tied = np.flatnonzero(y_score == kth)[:k - above.size]
    return np.concatenate([above, tied])


def _check_labels_scores(y_true, y_score, *, require_both=True, probability=False,
                         score_name="y_score", pos_label=1, sample_weight=None):
    y = check_binary_labels(y_true, "y_true", require_both=require_both, pos_label=pos_label)
    s = check_scores(y_score, score_name, n=y.size, probability=probability)
    w = check_sample_weight(sample_weight, y.size)
    return y, s, w


def _check_label_pair(y_true, y_pred, pos_label):
    """0/1 arrays of truth and decisions, both read with the same ``pos_label``."""
    y = check_binary_labels(y_true, "y_true", require_both=False, pos_label=pos_label)
    pred = check_binary_labels(y_pred, "y_pred", require_both=False, pos_label=pos_label)
    check_same_length(y_true=y, y_pred=pred)
    if not (isinstance(pos_label, numbers.Number) and pos_label == 1):
        # Each side may be binary on its own and still use three labels
        # together ("fraud"/"legit" against "fraud"/"ok"): refuse that.
        import pandas as pd  # by value (1 == 1.0), as a hash table: fast on big arrays

        both = np.concatenate([check_1d(y_true, "y_true", dtype=object),
                               check_1d(y_pred, "y_pred", dtype=object)])
        classes = pd.unique(both)
        if classes.size > 2:
            raise ValueError(
                f"y_true and y_pred use {classes.size} labels together "
                f"({sorted(map(repr, classes[:5]))}); both must use the same two labels."
            )
    return y, pred


def _weighted_sum(mask, w):
    """Rows where ``mask`` holds: counted (int) or their total weight (float)."""
    return int(np.count_nonzero(mask)) if w is None else float(w[mask].sum())


def _check_amount(amount, n):
    if amount is None:
        return None
    a = check_scores(check_1d(amount, "amount"), "amount", n=n)
    if (a < 0).any():
        raise ValueError(f"amount must be >= 0, found a minimum of {a.min():.3g}.")
    return a


# ---------------------------------------------------------------------------
# Counts and rates
# ---------------------------------------------------------------------------


def confusion_counts(y_true, y_pred=None, *, y_score=None, threshold=0.5, pos_label=1,
                     sample_weight=None):
    """Count true negatives, false positives, false negatives, true positives.

    Pass either hard predictions ``y_pred`` or scores ``y_score`` with a
    ``threshold``. A row is predicted positive when
    ``y_score >= threshold`` (scikit-learn's rule in ``precision_recall_curve``).

    Parameters
    ----------
    y_true : array-like of shape (n_samples,)
        True labels: 0/1, or two labels with ``pos_label`` (one class only
        is allowed: the counts are still defined).
    y_pred : array-like of shape (n_samples,), optional
        Predicted labels, the same two as ``y_true``.
    y_score : array-like of shape (n_samples,), optional
        Scores or probabilities of the positive class, thresholded at ``threshold``.
    threshold : float, default=0.5
        Used with ``y_score`` only.
    pos_label : int, float, bool or str, default=1
        The positive (rare) class, as in scikit-learn.
    sample_weight : array-like of shape (n_samples,), optional
        Non-negative row weights: each cell is then the sum of its rows'
        weights, as ``confusion_matrix(..., sample_weight=w)``.

    Returns
    -------
    Counts
        ``(tn, fp, fn, tp)``, the order of
        ``confusion_matrix(y_true, y_pred).ravel()``: Python ints, or floats
        with ``sample_weight``.

    Examples
    --------
    >>> confusion_counts([0, 0, 1, 1], [0, 1, 0, 1])
    Counts(tn=1, fp=1, fn=1, tp=1)
    >>> confusion_counts([0, 0, 1, 1], y_score=[0.1, 0.6, 0.4, 0.9], threshold=0.5)
    Counts(tn=1, fp=1, fn=1, tp=1)
    >>> tn, fp, fn, tp = confusion_counts(["legit", "fraud", "fraud"], ["fraud", "fraud", "legit"],
    ...                                   pos_label="fraud", sample_weight=[1.0, 2.0, 0.5])
    >>> fp, tp, fn
    (1.0, 2.0, 0.5)
    """
    if (y_pred is None) == (y_score is None):
        raise ValueError("Pass exactly one of y_pred (0/1 labels) or y_score (with threshold).")
    if y_score is not None:
        y = check_binary_labels(y_true, "y_true", require_both=False, pos_label=pos_label)
        if isinstance(threshold, bool) or not isinstance(threshold, numbers.Real) \
                or not np.isfinite(threshold):
            raise ValueError(f"threshold must be a finite number, got {threshold!r}.")
        pred = check_scores(y_score, "y_score", n=y.size) >= threshold
    else:
        y, pred = _check_label_pair(y_true, y_pred, pos_label)
        pred = pred.astype(bool)
    w = check_sample_weight(sample_weight, y.size)
    actual = y.astype(bool)
    tp = _weighted_sum(actual & pred, w)
    fp = _weighted_sum(~actual & pred, w)
    fn = _weighted_sum(actual & ~pred, w)
    tn = y.size - tp - fp - fn if w is None else _weighted_sum(~actual & ~pred, w)
    return Counts(tn=tn, fp=fp, fn=fn, tp=tp)


def precision_from_counts(tp, fp, *, zero_division=0.0):
    """Precision ``tp / (tp + fp)``: the share of alerts that are real.

    Parameters
    ----------
    tp, fp : int or array-like of int
        True and false positive counts (non-negative; weighted counts may
        be fractional).
    zero_division : {0.0, 1.0, nan}, default=0.0
        Returned when ``tp + fp == 0`` (no alert at all), as scikit-learn's
        ``precision_score(..., zero_division=...)``.

    Returns
    -------
    float or ndarray

    Examples
    --------
    >>> precision_from_counts(3, 1)
    0.75
    >>> precision_from_counts(0, 0, zero_division=1.0)
    1.0
    """
    zd = _check_zero_division(zero_division)
    tp, fp = _counts(tp=tp, fp=fp)
    return _ratio(tp, tp + fp, zd)


def recall_from_counts(tp, fn, *, zero_division=0.0):
    """Recall (sensitivity) ``tp / (tp + fn)``: the share of positives caught.

    Parameters
    ----------
    tp, fn : int or array-like of int
        True positive and false negative counts (non-negative; weighted
        counts may be fractional).
    zero_division : {0.0, 1.0, nan}, default=0.0
        Returned when ``tp + fn == 0`` (no positive in the data), as
        scikit-learn's ``recall_score(..., zero_division=...)``.

    Returns
    -------
    float or ndarray

    Examples
    --------
    >>> recall_from_counts(3, 1)
    0.75
    """
    zd = _check_zero_division(zero_division)
    tp, fn = _counts(tp=tp, fn=fn)
    return _ratio(tp, tp + fn, zd)


def specificity_from_counts(tn, fp, *, zero_division=0.0):
    """Specificity (true negative rate) ``tn / (tn + fp)``.

    Parameters
    ----------
    tn, fp : int or array-like of int
        True negative and false positive counts (non-negative; weighted
        counts may be fractional).
    zero_division : {0.0, 1.0, nan}, default=0.0
        Returned when ``tn + fp == 0`` (no negative in the data); equals
        ``recall_score(y_true, y_pred, pos_label=0, zero_division=...)``.

    Returns
    -------
    float or ndarray

    Examples
    --------
    >>> specificity_from_counts(90, 10)
    0.9
    """
    zd = _check_zero_division(zero_division)
    tn, fp = _counts(tn=tn, fp=fp)
    return _ratio(tn, tn + fp, zd)


def fbeta_from_counts(tp, fp, fn, *, beta=1.0, zero_division=0.0):
    r"""F-beta score: a weighted harmonic mean of precision P and recall R.

    .. math::

        F_\beta = \frac{(1 + \beta^2)\,P\,R}{\beta^2 P + R}
                = \frac{(1 + \beta^2)\,tp}{(1 + \beta^2)\,tp + \beta^2 fn + fp}

    ``beta > 1`` weights recall more (F2: a missed fraud hurts more than a
    false alarm), ``beta < 1`` weights precision more, ``beta = 1`` is F1.
    The count form is used, as scikit-learn does since 1.3: it is defined
    even when precision is not (no alert) as long as there are positives.

    Parameters
    ----------
    tp, fp, fn : int or array-like of int
        Counts (non-negative; weighted counts may be fractional).
    beta : float, default=1.0
        Strictly positive weight of recall.
    zero_division : {0.0, 1.0, nan}, default=0.0
        Returned when ``tp + fp + fn == 0`` (no positive and no alert),
        as ``fbeta_score(..., zero_division=...)``.

    Returns
    -------
    float or ndarray

    Examples
    --------
    >>> fbeta_from_counts(tp=3, fp=1, fn=1)
    0.75
    >>> round(fbeta_from_counts(tp=3, fp=3, fn=0, beta=2.0), 4)
    0.8333
    """
    zd = _check_zero_division(zero_division)
    beta = check_fraction(beta, "beta", low=0.0, high=np.inf)
    tp, fp, fn = _counts(tp=tp, fp=fp, fn=fn)
    b2 = beta * beta
    return _ratio((1 + b2) * tp, (1 + b2) * tp + b2 * fn + fp, zd)


def _class_counts(y, name):
    """Rows per class, for labels of any kind (numbers compared by value)."""
    import pandas as pd  # kept local: the rest of the module needs numpy only

    arr = check_1d(y, name)
    labels = pd.Series(arr, dtype=object if arr.dtype.kind == "O" else None)
    if labels.isna().any():
        raise ValueError(f"{name} contains missing values (None or NaN).")
    return labels.value_counts()


def imbalance_ratio(y):
    """Majority class count divided by minority class count.

    A ratio of 578 (the credit-card data) means one fraud per 578 legitimate
    transactions. With more than two classes, the largest class against
    the smallest (imbalanced-learn's definition).

    Parameters
    ----------
    y : array-like of shape (n_samples,)
        Class labels of any kind (0/1, text, several classes), at least two classes.

    Returns
    -------
    float

    Examples
    --------
    >>> imbalance_ratio([0, 0, 0, 1])
    3.0
    >>> imbalance_ratio(["legit"] * 6 + ["fraud"] * 2 + ["chargeback"])
    6.0
    """
    counts = _class_counts(y, "y")
    if counts.size < 2:
        label = counts.index[0]
        label = label.item() if isinstance(label, np.generic) else label
        raise ValueError(f"y has only one class ({label!r}); at least two are needed.")
    return float(counts.max() / counts.min())


def majority_baseline_accuracy(y):
    """Accuracy of always predicting the majority class.

    Any classifier's accuracy should be read against this number: on the
    credit-card data it is 99.83 %.

    Parameters
    ----------
    y : array-like of shape (n_samples,)
        Class labels of any kind (a single class gives 1.0).

    Returns
    -------
    float

    Examples
    --------
    >>> majority_baseline_accuracy([0, 0, 0, 1])
    0.75
    """
    counts = _class_counts(y, "y")
    return float(counts.max() / counts.sum())


# ---------------------------------------------------------------------------
# Alerts a team can handle: top-k metrics
# ---------------------------------------------------------------------------


def precision_at_k(y_true, y_score, k, *, pos_label=1, sample_weight=None):
    """Share of positives among the ``k`` highest-scored rows.

    ``k`` is the number of alerts an investigation team can handle (a day, a
    shift). Ties are broken deterministically by row order: among equal
    scores the earlier row is alerted first.

    With ``sample_weight`` the ``k`` alerts are still ``k`` rows (the team's
    capacity); the precision among them is weighted,
    ``sum(w * y over the top k) / sum(w over the top k)``, which equals
    ``precision_score(y_true, alerted, sample_weight=w)``.

    Parameters
    ----------
    y_true : array-like of shape (n_samples,)
        0/1 labels, or two labels with ``pos_label`` (a single class is
        allowed; with no positive the result is 0).
    y_score : array-like of shape (n_samples,)
        Scores, higher meaning more suspicious.
    k : int
        Number of alerts, ``1 <= k <= n_samples``.
    pos_label : int, float, bool or str, default=1
        The positive (rare) class.
    sample_weight : array-like of shape (n_samples,), optional
        Non-negative row weights (the top k must not all weigh 0).

    Returns
    -------
    float
        ``(positives in the top k) / k``.

    Examples
    --------
    >>> precision_at_k([0, 1, 1, 0], [0.1, 0.9, 0.3, 0.8], k=2)
    0.5
    >>> precision_at_k(["ok", "fraud", "fraud", "ok"], [0.1, 0.9, 0.3, 0.8], k=2,
    ...                pos_label="fraud", sample_weight=[1, 3, 1, 1])
    0.75
    """
    y, s, w = _check_labels_scores(y_true, y_score, require_both=False, pos_label=pos_label,
                                   sample_weight=sample_weight)
    k = _check_k(k, y.size)
    top = _top_k_rows(s, k)
    if w is None:
        return int(y[top].sum()) / k
    alerted_weight = float(w[top].sum())
    if alerted_weight == 0:
        raise ValueError("The top k rows all have sample_weight 0: precision is undefined.")
    return float((w[top] * y[top]).sum()) / alerted_weight


def recall_at_k(y_true, y_score, k, *, pos_label=1, sample_weight=None):
    """Share of all positives found among the ``k`` highest-scored rows.

    Ties are broken as in :func:`precision_at_k` (earlier row first). With
    ``sample_weight`` (e.g. the amounts: "the share of fraud money the top
    k alerts catch") it is ``sum(w * y over the top k) / sum(w * y)``, equal
    to ``recall_score(y_true, alerted, sample_weight=w)``.

    Parameters
    ----------
    y_true : array-like of shape (n_samples,)
        0/1 labels, or two labels with ``pos_label``; both classes present.
    y_score : array-like of shape (n_samples,)
        Scores, higher meaning more suspicious.
    k : int
        Number of alerts, ``1 <= k <= n_samples``.
    pos_label : int, float, bool or str, default=1
        The positive (rare) class.
    sample_weight : array-like of shape (n_samples,), optional
        Non-negative row weights (the positives must not all weigh 0).

    Returns
    -------
    float
        ``(positives in the top k) / (all positives)``.

    Examples
    --------
    >>> recall_at_k([0, 1, 1, 0], [0.1, 0.9, 0.3, 0.8], k=2)
    0.5
    >>> recall_at_k([0, 1, 1, 0], [0.1, 0.9, 0.3, 0.8], k=2, sample_weight=[1, 30, 10, 1])
    0.75
    """
    y, s, w = _check_labels_scores(y_true, y_score, pos_label=pos_label,
                                   sample_weight=sample_weight)
    k = _check_k(k, y.size)
    top = _top_k_rows(s, k)
    if w is None:
        return int(y[top].sum()) / int(y.sum())
    positive_weight = float((w * y).sum())
    if positive_weight == 0:
        raise ValueError("The positives all have sample_weight 0: recall is undefined.")
    return float((w[top] * y[top]).sum()) / positive_weight


def entity_precision_at_k(y_true, y_score, entity, k, *, group=None, return_per_group=False,
                          pos_label=1):
    """Precision@k counted over entities (cards, patients) instead of rows.

    A team investigates a card, not a transaction: each entity is counted
    once, with the maximum score of its rows and the label "any of its rows
    is positive". The ``k`` entities with the highest scores are alerted.
    With ``group`` (e.g. the day) this is done within each group and the
    per-group precisions are averaged: the *Card Precision@k* of the Fraud
    Detection Handbook (Le Borgne et al.), where ``k`` cards a day can be
    checked. (The Handbook also drops cards already known to be compromised
    from later days; do that filtering before calling this function.)

    Ties are broken by first appearance: among equal scores the entity whose
    first row comes earlier is alerted first.

    Parameters
    ----------
    y_true : array-like of shape (n_samples,)
        0/1 row labels (a single class is allowed).
    y_score : array-like of shape (n_samples,)
        Row scores, higher meaning more suspicious.
    entity : array-like of shape (n_samples,)
        Entity id of every row (any hashable values, e.g. card ids).
    k : int
        Entities alerted (per group). Without ``group``:
        ``1 <= k <= number of entities``. With ``group``: ``k`` may not exceed
        the entity count of the largest group; a group with fewer than ``k``
        entities alerts all of them and is still divided by ``k`` (the
        team's capacity, as in the Handbook).
    group : array-like of shape (n_samples,), optional
        Group id of every row (e.g. the day).
    return_per_group : bool, default=False
        With ``group``, also return a pandas Series of per-group precisions.
    pos_label : int, float, bool or str, default=1
        The positive (rare) class. (No ``sample_weight``: each entity counts
        once by definition.)

    Returns
    -------
    float, or (float, pandas.Series) when ``return_per_group`` is True
        Mean over groups of ``(positive entities in the top k) / k``.

    Examples
    --------
    >>> y = [0, 1, 0, 0, 0]
    >>> s = [0.2, 0.9, 0.8, 0.7, 0.1]
    >>> card = ["a", "a", "b", "c", "c"]
    >>> entity_precision_at_k(y, s, card, k=2)
    0.5
    >>> day = [1, 1, 1, 2, 2]
    >>> entity_precision_at_k(y, s, card, k=1, group=day)
    0.5
    """
    import pandas as pd  # kept local: the rest of the module needs numpy only

    y, s, _ = _check_labels_scores(y_true, y_score, require_both=False, pos_label=pos_label)
    ent = check_1d(entity, "entity")
    check_same_length(y_true=y, entity=ent)
    grp = np.zeros(y.size, dtype=np.int64) if group is None else check_1d(group, "group")
    check_same_length(y_true=y, group=grp)
    if return_per_group and group is None:
        raise ValueError("return_per_group=True needs group.")

    # One row per (group, entity): max score, any positive. sort=False keeps
    # first-appearance order, which is the documented tie-break.
    frame = pd.DataFrame({"group": grp, "entity": ent, "score": s, "label": y})
    per_entity = frame.groupby(["group", "entity"], sort=False, dropna=False).agg(
        score=("score", "max"), label=("label", "max")
    ).reset_index()
    group_codes, group_values = pd.factorize(per_entity["group"], use_na_sentinel=False)
    entities_per_group = np.bincount(group_codes)
    k = _check_k(
        k, int(entities_per_group.max()),
        "the number of entities" if group is None else "the entities of the largest group",
    )

    # Sort by group, then score descending; np.lexsort is stable, so equal
    # scores keep first-appearance order.
    scores = per_entity["score"].to_numpy()
    order = np.lexsort((-scores, group_codes))
    sorted_groups = group_codes[order]
    group_start = np.searchsorted(sorted_groups, np.arange(len(group_values)))
    rank = np.arange(order.size) - group_start[sorted_groups]
    in_top_k = rank < k
    hits = np.bincount(sorted_groups[in_top_k],
                       weights=per_entity["label"].to_numpy()[order][in_top_k],
                       minlength=len(group_values))
    per_group = hits / k
    value = float(per_group.mean())
    if return_per_group:
        return value, pd.Series(per_group, index=pd.Index(group_values, name="group"),
                                name="precision_at_k")
    return value


# ---------------------------------------------------------------------------
# Money: business cost and thresholds
# ---------------------------------------------------------------------------


def business_cost(y_true, y_pred, *, fn_cost=1.0, fp_cost=1.0, amount=None, pos_label=1,
                  sample_weight=None):
    """Total cost of a set of decisions.

    .. math::

        \\text{cost} = \\text{fn\\_cost} \\cdot \\#FN + \\text{fp\\_cost} \\cdot \\#FP

    With ``amount`` (e.g. the transaction amount) a missed fraud costs what
    it was worth: ``fn_cost * sum(amount[FN rows]) + fp_cost * #FP``. With
    the default ``fn_cost=1`` a missed fraud costs exactly its amount; set
    ``fn_cost`` below 1 for the share actually lost (say, after chargebacks).
    A false alarm always costs ``fp_cost`` (an analyst's time, a blocked
    customer). Correct decisions cost nothing.

    With ``sample_weight`` every row counts ``w`` times (e.g. the inverse
    of its sampling rate after undersampling the legitimate rows):
    ``fn_cost * sum(w[FN]) + fp_cost * sum(w[FP])``, or
    ``fn_cost * sum((w * amount)[FN])`` with amounts. This equals the costs
    applied to ``confusion_matrix(..., sample_weight=w)``.

    Parameters
    ----------
    y_true : array-like of shape (n_samples,)
        0/1 labels, or two labels with ``pos_label`` (a single class is allowed).
    y_pred : array-like of shape (n_samples,)
        Decisions, the same labels (1 or ``pos_label`` = alert).
    fn_cost : float, default=1.0
        Cost of one missed positive (or multiplier of its amount).
    fp_cost : float, default=1.0
        Cost of one false alarm.
    amount : array-like of shape (n_samples,), optional
        Non-negative per-row amounts.
    pos_label : int, float, bool or str, default=1
        The positive (rare) class.
    sample_weight : array-like of shape (n_samples,), optional
        Non-negative row weights.

    Returns
    -------
    float
        Total cost (divide by ``len(y_true)``, or the total weight, for a cost per row).

    Examples
    --------
    >>> business_cost([0, 1, 1, 0], [1, 0, 1, 0], fn_cost=10, fp_cost=1)
    11.0
    >>> business_cost([0, 1, 1, 0], [1, 0, 1, 0], fp_cost=2, amount=[5, 80, 20, 7])
    82.0
    """
    y, pred = _check_label_pair(y_true, y_pred, pos_label)
    fn_cost = check_nonnegative(fn_cost, "fn_cost")
    fp_cost = check_nonnegative(fp_cost, "fp_cost")
    a = _check_amount(amount, y.size)
    w = check_sample_weight(sample_weight, y.size)
    missed = (y == 1) & (pred == 0)
    false_alarms = float(_weighted_sum((y == 0) & (pred == 1), w))
    # What a missed positive loses: 1 (a count), its amount, each times its weight.
    loss = a if w is None else (w if a is None else a * w)
    fn_total = float(loss[missed].sum()) if loss is not None else float(np.count_nonzero(missed))
    return fn_cost * fn_total + fp_cost * false_alarms


def _default_thresholds(s):
    # Every distinct score is a threshold where the decisions change; one
    # value just above the maximum adds the "alert nothing" operating point.
    distinct = np.unique(s)
    return np.append(distinct, np.nextafter(distinct[-1], np.inf))


def _curve_arrays(y, s, thresholds, fn_cost, fp_cost, amount, w=None):
    """Counts and cost at every threshold via one sort and cumulative sums."""
    order = np.argsort(s, kind="stable")
    s_sorted = s[order]
    y_sorted = y[order]
    # Each row counts once, or w times; prefix sums over rows sorted by
    # ascending score: rows [0, idx) are below the threshold (not alerted),
    # rows [idx, n) are alerted.
    w_sorted = np.ones(y.size, dtype=np.int64) if w is None else w[order]
    pos_below = np.concatenate(([0], np.cumsum(w_sorted * y_sorted)))
    all_below = np.concatenate(([0], np.cumsum(w_sorted)))
    idx = np.searchsorted(s_sorted, thresholds, side="left")
    fn = pos_below[idx]
    tn = all_below[idx] - fn
    tp = pos_below[-1] - fn
    fp = (all_below[-1] - all_below[idx]) - tp
    if w is not None:  # differences of float sums: keep rounding from going below 0
        tn, tp, fp = (np.maximum(v, 0.0) for v in (tn, tp, fp))
    if amount is None:
        missed = fn.astype(np.float64)
    else:
        amount_below = np.concatenate(([0.0], np.cumsum(amount[order] * w_sorted * y_sorted)))
        missed = amount_below[idx]
    cost = fn_cost * missed + fp_cost * fp
    return tp, fp, fn, tn, cost


def cost_curve(y_true, y_score, *, fn_cost=1.0, fp_cost=1.0, amount=None, thresholds=None,
               pos_label=1, sample_weight=None):
    """Cost, counts, precision, recall and alert volume at every threshold.

    Rows with ``y_score >= threshold`` are alerted; the cost is
    :func:`business_cost` of those decisions. Computed for all thresholds at
    once from one sort and cumulative sums (O(n log n)), so it is cheap on
    the full credit-card data.

    Parameters
    ----------
    y_true : array-like of shape (n_samples,)
        0/1 labels with both classes present.
    y_score : array-like of shape (n_samples,)
        Scores, higher meaning more suspicious.
    fn_cost, fp_cost : float, default=1.0
        Costs as in :func:`business_cost`.
    amount : array-like of shape (n_samples,), optional
        Per-row amounts: a missed positive costs ``fn_cost * amount``.
    thresholds : array-like, optional
        Thresholds to evaluate, in the order given. Default: every distinct
        score in ascending order plus ``np.nextafter(max, inf)``, the
        smallest float above the maximum score (no alert at all).
    pos_label : int, float, bool or str, default=1
        The positive (rare) class.
    sample_weight : array-like of shape (n_samples,), optional
        Non-negative row weights: counts, alerts and cost become weighted
        sums (as :func:`business_cost` with ``sample_weight``).

    Returns
    -------
    pandas.DataFrame
        Columns ``threshold, cost, tp, fp, fn, tn, precision, recall, alerts``.
        ``precision`` is 0.0 where there is no alert. Counts are ints, or
        floats with ``sample_weight``.

    Examples
    --------
    >>> curve = cost_curve([0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8], fn_cost=5)
    >>> curve["threshold"].round(3).tolist()
    [0.1, 0.35, 0.4, 0.8, 0.8]
    >>> curve["cost"].tolist(), curve["alerts"].tolist()
    ([2.0, 1.0, 6.0, 5.0, 10.0], [4, 3, 2, 1, 0])
    """
    import pandas as pd  # kept local: the rest of the module needs numpy only

    y, s, w = _check_labels_scores(y_true, y_score, pos_label=pos_label,
                                   sample_weight=sample_weight)
    fn_cost = check_nonnegative(fn_cost, "fn_cost")
    fp_cost = check_nonnegative(fp_cost, "fp_cost")
    a = _check_amount(amount, y.size)
    if thresholds is None:
        t = _default_thresholds(s)
    else:
        t = check_scores(thresholds, "thresholds")
        if t.size == 0:
            raise ValueError("thresholds is empty.")
    tp, fp, fn, tn, cost = _curve_arrays(y, s, t, fn_cost, fp_cost, a, w)
    return pd.DataFrame({
        "threshold": t,
        "cost": cost,
        "tp": tp,
        "fp": fp,
        "fn": fn,
        "tn": tn,
        "precision": precision_from_counts(tp, fp),
        "recall": recall_from_counts(tp, fn),
        "alerts": tp + fp,
    })


def _result_at(curve, i):
    row = curve.iloc[i]
    alerts = row["alerts"]
    return ThresholdResult(
        threshold=float(row["threshold"]),
        cost=float(row["cost"]),
        precision=float(row["precision"]),
        recall=float(row["recall"]),
        alerts=int(alerts) if curve["alerts"].dtype.kind in "iu" else float(alerts),
    )


def best_threshold(y_true, y_score, *, fn_cost, fp_cost, amount=None, pos_label=1,
                   sample_weight=None):
    """The threshold with the lowest total cost.

    Searches every distinct score (and "alert nothing") with
    :func:`cost_curve`. Among thresholds with equal cost the highest is
    returned: the same cost for fewer alerts.

    Parameters
    ----------
    y_true : array-like of shape (n_samples,)
        0/1 labels with both classes present.
    y_score : array-like of shape (n_samples,)
        Scores, higher meaning more suspicious.
    fn_cost, fp_cost : float
        Costs as in :func:`business_cost` (required: the answer depends on them).
    amount : array-like of shape (n_samples,), optional
        Per-row amounts: a missed positive costs ``fn_cost * amount``.
    pos_label : int, float, bool or str, default=1
        The positive (rare) class.
    sample_weight : array-like of shape (n_samples,), optional
        Non-negative row weights (see :func:`cost_curve`).

    Returns
    -------
    ThresholdResult
        ``(threshold, cost, precision, recall, alerts)``.

    Examples
    --------
    >>> best_threshold([0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8], fn_cost=5, fp_cost=1)
    ThresholdResult(threshold=0.35, cost=1.0, precision=0.6666666666666666, recall=1.0, alerts=3)
    """
    curve = cost_curve(y_true, y_score, fn_cost=fn_cost, fp_cost=fp_cost, amount=amount,
                       pos_label=pos_label, sample_weight=sample_weight)
    return _min_cost(curve)


def _min_cost(curve):
    """The row of a default (ascending) :func:`cost_curve` with the lowest cost."""
    cost = curve["cost"].to_numpy()
    # Thresholds are ascending: the last index reaching the minimum is the
    # highest threshold among ties.
    i = np.flatnonzero(cost == cost.min())[-1]
    return _result_at(curve, i)


def threshold_for_recall(y_true, y_score, target_recall, *, fn_cost=1.0, fp_cost=1.0,
                         amount=None, pos_label=1, sample_weight=None):
    """The highest threshold that still reaches ``recall >= target_recall``.

    Answers "to catch 90 % of frauds, how many alerts must we raise and how
    many of them will be real?". Recall only drops as the threshold rises,
    so the highest such threshold is the cheapest in alerts.

    Parameters
    ----------
    y_true : array-like of shape (n_samples,)
        0/1 labels with both classes present.
    y_score : array-like of shape (n_samples,)
        Scores, higher meaning more suspicious.
    target_recall : float
        In (0, 1].
    fn_cost, fp_cost : float, default=1.0
        Costs reported in the result (as in :func:`business_cost`); with the
        defaults the cost is the number of wrong decisions.
    amount : array-like of shape (n_samples,), optional
        Per-row amounts for the reported cost.
    pos_label : int, float, bool or str, default=1
        The positive (rare) class.
    sample_weight : array-like of shape (n_samples,), optional
        Non-negative row weights: the recall is then weighted too (with the
        amounts as weights, "catch 90 % of the fraud money").

    Returns
    -------
    ThresholdResult
        ``(threshold, cost, precision, recall, alerts)``.

    Examples
    --------
    >>> threshold_for_recall([0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8], 1.0)
    ThresholdResult(threshold=0.35, cost=1.0, precision=0.6666666666666666, recall=1.0, alerts=3)
    >>> threshold_for_recall([0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8], 0.5).threshold
    0.8
    """
    target = check_fraction(target_recall, "target_recall", closed="right")
    curve = cost_curve(y_true, y_score, fn_cost=fn_cost, fp_cost=fp_cost, amount=amount,
                       pos_label=pos_label, sample_weight=sample_weight)
    # The lowest threshold alerts everything (recall 1), so one always
    # qualifies. The 1e-12 slack keeps a computed target such as 0.1 * 3
    # (0.30000000000000004) from rejecting a recall of exactly 3 / 10.
    i = np.flatnonzero(curve["recall"].to_numpy() >= target - 1e-12)[-1]
    return _result_at(curve, i)


def _cost_from_matrix(y_true, y_pred, cost_matrix, pos_label=1, sample_weight=None):
    """Total cost of decisions under a 2x2 cost matrix (module level: picklable)."""
    counts = confusion_counts(y_true, y_pred, pos_label=pos_label, sample_weight=sample_weight)
    cm = np.asarray(cost_matrix, dtype=np.float64)
    return float(cm[0, 0] * counts.tn + cm[0, 1] * counts.fp
                 + cm[1, 0] * counts.fn + cm[1, 1] * counts.tp)


def make_cost_scorer(cost_matrix=None, *, fn_cost=None, fp_cost=None, pos_label=1):
    """A scikit-learn scorer that ranks models and thresholds by total cost.

    The cost matrix follows ``confusion_matrix``'s layout, rows = truth,
    columns = decision::

        [[tn_cost, fp_cost],
         [fn_cost, tp_cost]]

    Give either ``cost_matrix`` or ``fn_cost`` and ``fp_cost`` (then correct
    decisions cost 0). The scorer returns the **negated** total cost on the
    data it is given (scikit-learn maximises scores), so it plugs into
    ``GridSearchCV(scoring=...)`` and
    ``TunedThresholdClassifierCV(scoring=...)``, which then picks the
    threshold with the lowest cost.

    Parameters
    ----------
    cost_matrix : array-like of shape (2, 2), optional
        Finite costs in the layout above.
    fn_cost, fp_cost : float, optional
        Non-negative costs of a missed positive and of a false alarm.
    pos_label : int, float, bool or str, default=1
        The positive (rare) class, for targets such as ``"fraud"``/``"legit"``.

    Returns
    -------
    callable
        A scorer ``scorer(estimator, X, y, sample_weight=None) -> -cost``
        built with ``sklearn.metrics.make_scorer(..., greater_is_better=False)``;
        a ``sample_weight`` passed to it weighs the rows (see :func:`business_cost`).

    Examples
    --------
    >>> import numpy as np
    >>> from sklearn.linear_model import LogisticRegression
    >>> from sklearn.model_selection import TunedThresholdClassifierCV
    >>> rng = np.random.default_rng(0)
    >>> X = rng.normal(size=(300, 2)); y = (X[:, 0] + rng.normal(size=300) > 1.5).astype(int)
    >>> scorer = make_cost_scorer(fn_cost=10, fp_cost=1)
    >>> tuned = TunedThresholdClassifierCV(LogisticRegression(), scoring=scorer).fit(X, y)
    >>> bool(tuned.best_threshold_ < 0.5)
    True
    """
    from sklearn.metrics import make_scorer  # scikit-learn only when a scorer is asked for

    if cost_matrix is not None:
        if fn_cost is not None or fp_cost is not None:
            raise ValueError("Pass either cost_matrix or fn_cost and fp_cost, not both.")
        try:
            cm = np.asarray(cost_matrix, dtype=np.float64)
        except (TypeError, ValueError):
            raise ValueError("cost_matrix must be a numeric 2x2 array.") from None
        if cm.shape != (2, 2):
            raise ValueError(
                f"cost_matrix must have shape (2, 2) as [[tn_cost, fp_cost], "
                f"[fn_cost, tp_cost]], got shape {cm.shape}."
            )
        if not np.isfinite(cm).all():
            raise ValueError("cost_matrix contains NaN or infinite values.")
    else:
        if fn_cost is None or fp_cost is None:
            raise ValueError("Pass cost_matrix, or both fn_cost and fp_cost.")
        cm = np.array([[0.0, check_nonnegative(fp_cost, "fp_cost")],
                       [check_nonnegative(fn_cost, "fn_cost"), 0.0]])
    return make_scorer(_cost_from_matrix, greater_is_better=False, cost_matrix=cm,
                       pos_label=pos_label)


# ---------------------------------------------------------------------------
# Calibration
# ---------------------------------------------------------------------------


def _uniform_bin_ids(p, n_bins):
    """Bin of each probability among ``n_bins`` equal-width, right-closed bins.

    The same answer as ``np.searchsorted(edges[1:-1], p)`` with
    ``edges = np.linspace(0, 1, n_bins + 1)`` (scikit-learn's binning), but
    about twice as fast: a binary search per value costs more than a
    multiplication.
    """
    # Away from the edges, p lies in bin floor(n_bins * p).
    scaled = p * n_bins
    ids = scaled.astype(np.intp)  # floor, as p >= 0
    # On an edge (or within rounding of one) the bin is ambiguous: a value
    # on an edge belongs to the bin below (right-closed), 0 to the first bin,
    # 1 to the last. Redo those few values by searching the edges themselves.
    scaled -= ids                 # the fractional part, in [0, 1)
    scaled -= 0.5
    np.abs(scaled, out=scaled)    # 0.5 means "on an edge"
    near = np.flatnonzero(scaled > 0.5 - 1e-12 * n_bins)
    if near.size:
        edges = np.linspace(0.0, 1.0, n_bins + 1)
        ids[near] = np.searchsorted(edges[1:-1], p[near])
    return ids


def _calibration_bins(p, n_bins, strategy):
    """Bin index (0 to ``n_bins - 1``) of every probability.

    Same binning as ``sklearn.calibration.calibration_curve``: edges are
    ``linspace(0, 1, n_bins + 1)`` ("uniform") or the quantiles of ``p``
    ("quantile"); bins are closed on the right, (e_i, e_i+1], except the
    first, which also holds e_0.
    """
    if strategy == "uniform":
        return _uniform_bin_ids(p, n_bins)
    edges = np.percentile(p, np.linspace(0, 100, n_bins + 1))
    return np.searchsorted(edges[1:-1], p)  # side="left": a value on an edge goes down


def _check_calibration_args(y_true, y_prob, n_bins, strategy, pos_label, sample_weight):
    y, p, w = _check_labels_scores(y_true, y_prob, require_both=False, probability=True,
                                   score_name="y_prob", pos_label=pos_label,
                                   sample_weight=sample_weight)
    n_bins = check_positive_int(n_bins, "n_bins")
    strategy = check_choice(strategy, "strategy", ("uniform", "quantile"))
    return y, p, w, n_bins, strategy


def reliability_curve(y_true, y_prob, *, n_bins=10, strategy="uniform", pos_label=1,
                      sample_weight=None):
    """Observed frequency against mean predicted probability, per bin.

    Bins as in ``sklearn.calibration.calibration_curve`` (whose two outputs
    this reproduces exactly), plus the bin sizes so a plot can show how few
    rows the high-probability bins hold on imbalanced data:

    - ``"uniform"``: ``n_bins`` equal-width bins on [0, 1], closed on the
      right (a probability of exactly 0.3 with 10 bins falls in (0.2, 0.3]);
      the first bin also holds 0.
    - ``"quantile"``: edges at the quantiles of ``y_prob``, so bins hold
      about the same number of rows.

    Empty bins are dropped. With ``sample_weight`` the fractions and means
    are weighted (as if row i were repeated ``w_i`` times: the tests check
    that against ``calibration_curve`` on repeated rows); quantile edges
    still come from the rows, unweighted, and bins whose rows all weigh 0
    are dropped.

    Parameters
    ----------
    y_true : array-like of shape (n_samples,)
        0/1 labels, or two labels with ``pos_label`` (a single class is allowed).
    y_prob : array-like of shape (n_samples,)
        Predicted probabilities of the positive class, in [0, 1].
    n_bins : int, default=10
    strategy : {"uniform", "quantile"}, default="uniform"
    pos_label : int, float, bool or str, default=1
        The positive class (``calibration_curve``'s ``pos_label``).
    sample_weight : array-like of shape (n_samples,), optional
        Non-negative row weights.

    Returns
    -------
    ReliabilityCurve
        ``(prob_true, prob_pred, counts)``: fraction of positives and mean
        predicted probability in each non-empty bin, and the rows in it.

    Examples
    --------
    >>> prob_true, prob_pred, counts = reliability_curve(
    ...     [0, 0, 1, 1], [0.1, 0.2, 0.7, 0.9], n_bins=2)
    >>> prob_true.tolist(), prob_pred.tolist(), counts.tolist()
    ([0.0, 1.0], [0.15000000000000002, 0.8], [2, 2])
    """
    y, p, w, n_bins, strategy = _check_calibration_args(y_true, y_prob, n_bins, strategy,
                                                        pos_label, sample_weight)
    ids = _calibration_bins(p, n_bins, strategy)
    rows = np.bincount(ids, minlength=n_bins)
    if w is None:
        true_sum = np.bincount(ids, weights=y, minlength=n_bins)
        prob_sum = np.bincount(ids, weights=p, minlength=n_bins)
        total = rows
    else:
        true_sum = np.bincount(ids, weights=w * y, minlength=n_bins)
        prob_sum = np.bincount(ids, weights=w * p, minlength=n_bins)
        total = np.bincount(ids, weights=w, minlength=n_bins)
    nonempty = total > 0
    return ReliabilityCurve(true_sum[nonempty] / total[nonempty],
                            prob_sum[nonempty] / total[nonempty],
                            rows[nonempty])


def expected_calibration_error(y_true, y_prob, *, n_bins=10, strategy="uniform", pos_label=1,
                               sample_weight=None):
    r"""Expected calibration error (ECE): the bin-weighted calibration gap.

    .. math::

        \mathrm{ECE} = \sum_b \frac{n_b}{n}\,\bigl|\bar y_b - \bar p_b\bigr|

    where :math:`\bar y_b` is the fraction of positives and :math:`\bar p_b`
    the mean predicted probability in bin :math:`b`, over the bins of
    :func:`reliability_curve` (uniform-width and right-closed, or quantile).
    0 means the probabilities can be read as frequencies. On rare-event data
    most rows sit in the first bin, so also look at the reliability curve.
    With ``sample_weight``, :math:`n_b/n`, :math:`\bar y_b` and
    :math:`\bar p_b` are weighted.

    Parameters
    ----------
    y_true : array-like of shape (n_samples,)
        0/1 labels, or two labels with ``pos_label`` (a single class is allowed).
    y_prob : array-like of shape (n_samples,)
        Predicted probabilities of the positive class, in [0, 1].
    n_bins : int, default=10
    strategy : {"uniform", "quantile"}, default="uniform"
    pos_label : int, float, bool or str, default=1
        The positive class.
    sample_weight : array-like of shape (n_samples,), optional
        Non-negative row weights.

    Returns
    -------
    float

    Examples
    --------
    >>> round(expected_calibration_error([0, 0, 1, 1], [0.1, 0.2, 0.7, 0.9], n_bins=2), 3)
    0.175
    """
    y, p, w, n_bins, strategy = _check_calibration_args(y_true, y_prob, n_bins, strategy,
                                                        pos_label, sample_weight)
    ids = _calibration_bins(p, n_bins, strategy)
    # n_b/n * |sum_y/n_b - sum_p/n_b| = |sum_y - sum_p| / n: no division by
    # empty bins. sum_y is the count (or the weight) of positives in the bin.
    if w is None:
        positives = np.bincount(ids[y == 1], minlength=n_bins)
        prob_sum = np.bincount(ids, weights=p, minlength=n_bins)
        return float(np.abs(positives - prob_sum).sum() / y.size)
    positives = np.bincount(ids, weights=w * y, minlength=n_bins)
    prob_sum = np.bincount(ids, weights=w * p, minlength=n_bins)
    return float(np.abs(positives - prob_sum).sum() / w.sum())


def brier_score(y_true, y_prob, *, pos_label=1, sample_weight=None):
    r"""Brier score: the mean squared error of the probabilities.

    .. math::

        \mathrm{BS} = \frac{\sum_i w_i (p_i - y_i)^2}{\sum_i w_i}

    (:math:`w_i = 1` without ``sample_weight``). Equal to
    ``sklearn.metrics.brier_score_loss`` with the same ``pos_label`` and
    ``sample_weight`` (the tests compare them). On rare-event data
    compare with the score of always predicting the base rate,
    :math:`\pi (1 - \pi)`.

    Parameters
    ----------
    y_true : array-like of shape (n_samples,)
        0/1 labels, or two labels with ``pos_label`` (a single class is allowed).
    y_prob : array-like of shape (n_samples,)
        Predicted probabilities of the positive class, in [0, 1].
    pos_label : int, float, bool or str, default=1
        The positive class.
    sample_weight : array-like of shape (n_samples,), optional
        Non-negative row weights.

    Returns
    -------
    float

    Examples
    --------
    >>> round(brier_score([0, 1], [0.1, 0.8]), 3)
    0.025
    """
    y, p, w = _check_labels_scores(y_true, y_prob, require_both=False, probability=True,
                                   score_name="y_prob", pos_label=pos_label,
                                   sample_weight=sample_weight)
    return float(np.average((p - y) ** 2, weights=w))


# ---------------------------------------------------------------------------
# Uncertainty: bootstrap intervals
# ---------------------------------------------------------------------------


def bootstrap_ci(metric, y_true, y_score, *, n_boot=1000, confidence=0.95, stratified=True,
                 random_state=0):
    """Percentile bootstrap confidence interval of any metric.

    Draws ``n_boot`` resamples of the rows with replacement, computes
    ``metric(y_true[idx], y_score[idx])`` on each, and returns the
    ``(1 - confidence) / 2`` and ``(1 + confidence) / 2`` percentiles.

    With ``stratified=True`` positives and negatives are resampled separately,
    so every replicate keeps exactly the original number of positives. With
    a few hundred frauds an ordinary bootstrap varies that count (and can,
    on small data, draw no positive at all, where ROC-AUC or recall are
    undefined); the stratified one answers "how much would the metric move
    on another sample with this many frauds".

    Replicates where the metric returns NaN (scikit-learn's answer to, say,
    ROC-AUC without positives) are reported with a warning and left out of
    the percentiles; ``samples`` keeps them as NaN. A metric that raises
    stops the bootstrap with a message naming the replicate.

    Resampled rows keep their original order, so metrics that break ties by
    row order (:func:`precision_at_k`) are not biased by the resampling.

    Parameters
    ----------
    metric : callable
        ``metric(y_true, y_score) -> float``: any function of this module or
        of ``sklearn.metrics`` (``roc_auc_score``, ``average_precision_score``,
        or ``f1_score`` with hard predictions as ``y_score``).
    y_true : array-like of shape (n_samples,)
        0/1 labels (both classes needed when ``stratified``).
    y_score : array-like of shape (n_samples,)
        Scores, probabilities or hard predictions, passed through unchanged.
    n_boot : int, default=1000
        Number of replicates.
    confidence : float, default=0.95
        In (0, 1).
    stratified : bool, default=True
    random_state : int, numpy Generator or None, default=0

    Returns
    -------
    BootstrapResult
        ``(estimate, low, high, samples)``.

    Examples
    --------
    >>> import numpy as np
    >>> from sklearn.metrics import roc_auc_score
    >>> rng = np.random.default_rng(0)
    >>> y = (rng.random(500) < 0.05).astype(int)
    >>> s = y + rng.normal(size=500)
    >>> r = bootstrap_ci(roc_auc_score, y, s, n_boot=200)
    >>> bool(r.low < r.estimate < r.high)
    True
    """
    if not callable(metric):
        raise TypeError(f"metric must be callable as metric(y_true, y_score), got {metric!r}.")
    y = check_binary_labels(y_true, "y_true", require_both=bool(stratified))
    check_scores(y_score, "y_score", n=y.size)  # validation only:
    scores = check_1d(y_score, "y_score")       # the metric gets the caller's dtype
    n_boot = check_positive_int(n_boot, "n_boot")
    confidence = check_fraction(confidence, "confidence")
    rng = check_random_state(random_state)

    estimate = _call_metric(metric, y, scores, "the full data")
    samples = np.empty(n_boot)
    # One metric call per replicate; no loop over rows.
    for b, idx in enumerate(_bootstrap_rows(y, n_boot, rng, stratified)):
        samples[b] = _call_metric(metric, y[idx], scores[idx], f"bootstrap replicate {b}",
                                  stratified)
    n_nan = int(np.isnan(samples).sum())
    if n_nan:
        # scikit-learn returns NaN (with a warning) for e.g. ROC-AUC on a
        # replicate without positives. Say so rather than return a NaN interval.
        warnings.warn(
            f"{n_nan} of {n_boot} bootstrap replicates gave NaN (e.g. a replicate "
            "without positives) and are left out of the interval; use stratified=True.",
            UserWarning, stacklevel=2,
        )
    alpha = (1.0 - confidence) / 2.0
    low, high = np.nanquantile(samples, [alpha, 1.0 - alpha])
    return BootstrapResult(estimate=estimate, low=float(low), high=float(high), samples=samples)


def _bootstrap_rows(y, n_boot, rng, stratified=True):
    """Yield the row numbers of ``n_boot`` bootstrap replicates of the 0/1 labels ``y``.

    With ``stratified`` positives and negatives are drawn separately (each
    replicate keeps the number of positives). The row numbers are sorted, so
    a replicate keeps the original row order (metrics that break ties by
    position are not biased by the draw).
    """
    strata = [np.flatnonzero(y == 1), np.flatnonzero(y == 0)] if stratified else [np.arange(y.size)]
    for _ in range(n_boot):
        yield np.sort(np.concatenate([rows[rng.integers(0, rows.size, rows.size)] for rows in strata]))


def _call_metric(metric, y, s, where, stratified=True):
    try:
        value = metric(y, s)
    except ValueError as err:
        hint = "" if stratified else " (with stratified=False a replicate may lack a class;" \
                                     " use stratified=True)"
        raise ValueError(f"metric failed on {where}{hint}: {err}") from err
    try:
        return float(value)
    except (TypeError, ValueError):
        raise TypeError(f"metric must return a number, got {value!r}.") from None
