"""Threshold-free metrics from integer ranks: fast enough for a bootstrap on a large test set.

A bootstrap of average precision on 85,000 test rows calls the metric
thousands of times, and each call sorts the scores again. The order of the
scores never changes between replicates, only which rows are drawn, so the
sort can be done once: :func:`rank_scores` turns scores into dense integer
ranks (equal scores share a rank), and the metrics here count positives and
rows per rank with ``np.bincount`` (linear time, no sort). They return
exactly what scikit-learn and :mod:`imbalance_kit.metrics` return on the
scores themselves: average precision is the step-wise sum

.. math::

    \\mathrm{AP} = \\sum_k (R_k - R_{k-1})\\, P_k

over the distinct thresholds, from the highest score down, with tied scores
flagged together.

Examples
--------
>>> from sklearn.metrics import average_precision_score
>>> y, s = [0, 1, 1, 0, 1], [0.1, 0.8, 0.4, 0.4, 0.9]
>>> r = rank_scores(s)
>>> bool(np.isclose(average_precision_from_ranks(y, r), average_precision_score(y, s)))
True
"""

from __future__ import annotations

import numpy as np

from imbalance_kit.validation import check_1d, check_binary_labels, check_fraction, check_same_length

__all__ = ["average_precision_from_ranks", "precision_at_recall_from_ranks", "rank_scores"]


def rank_scores(y_score):
    """Dense integer ranks of the scores: 0 for the lowest, equal scores share a rank.

    Parameters
    ----------
    y_score : array-like of shape (n_samples,)

    Returns
    -------
    ndarray of int64

    Examples
    --------
    >>> rank_scores([0.3, 0.1, 0.3, 0.9]).tolist()
    [1, 0, 1, 2]
    """
    s = check_1d(y_score, "y_score", dtype=float)
    if np.isnan(s).any():
        raise ValueError("y_score must not contain NaN.")
    return np.unique(s, return_inverse=True)[1].astype(np.int64).ravel()


def _steps(y_true, ranks):
    """True positives and alerts at each distinct threshold, from the highest rank down."""
    y = check_binary_labels(y_true, "y_true")
    r = check_1d(ranks, "ranks")
    check_same_length(y_true=y, ranks=r)
    if not np.issubdtype(r.dtype, np.integer) or r.min() < 0:
        raise ValueError("ranks must be non-negative integers, as rank_scores returns.")
    rows = np.bincount(r)[::-1]
    positives = np.bincount(r, weights=y, minlength=rows.size)[::-1]
    present = rows > 0
    return np.cumsum(positives[present]), np.cumsum(rows[present])


def average_precision_from_ranks(y_true, ranks):
    """Average precision from ranks; equals ``sklearn.metrics.average_precision_score`` on the scores.

    Parameters
    ----------
    y_true : array-like of shape (n_samples,)
        0/1 labels with at least one positive.
    ranks : array-like of int, shape (n_samples,)
        From :func:`rank_scores` (or any integers in the scores' order).

    Returns
    -------
    float

    Examples
    --------
    >>> average_precision_from_ranks([0, 1, 1, 0], rank_scores([0.1, 0.9, 0.4, 0.5]))
    0.8333333333333333
    """
    tp, alerts = _steps(y_true, ranks)
    gained = np.diff(tp, prepend=0.0)
    return float(np.sum(gained * tp / alerts) / tp[-1])


def precision_at_recall_from_ranks(y_true, ranks, target_recall):
    """Precision at the highest threshold whose recall reaches ``target_recall`` (ties flagged together).

    Equals ``imbalance_kit.metrics.threshold_for_recall(y_true, y_score, target_recall).precision``.

    Parameters
    ----------
    y_true : array-like of shape (n_samples,)
    ranks : array-like of int, shape (n_samples,)
    target_recall : float
        In (0, 1].

    Returns
    -------
    float

    Examples
    --------
    >>> precision_at_recall_from_ranks([1, 0, 1, 0, 1, 0], rank_scores([0.9, 0.7, 0.7, 0.7, 0.2, 0.1]), 2 / 3)
    0.5
    """
    target = check_fraction(target_recall, "target_recall", closed="right")
    tp, alerts = _steps(y_true, ranks)
    # The 1e-12 slack keeps a computed target (0.1 * 3) from rejecting a recall of exactly 3/10.
    i = np.flatnonzero(tp / tp[-1] >= target - 1e-12)[0]
    return float(tp[i] / alerts[i])
