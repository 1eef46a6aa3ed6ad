"""Probabilities after resampling or class weights: the prior correction and a summary.

Training on a re-balanced set (SMOTE to 1:1, ``class_weight="balanced"``,
random over-sampling) tells a model that the rare class is far more common
than it is. Its ranking may be fine, but its probabilities are inflated: a
model trained on 1:1 data predicts about 50 % fraud on average where the
real rate is 0.17 %. If the minority class was given ``w`` times its real
weight (its odds multiplied by ``w``), Bayes' rule undoes the shift
(Elkan 2001; Dal Pozzolo et al. 2015, "Calibrating probability with
undersampling for unbalanced classification"):

.. math::

    p' = \\frac{p}{p + (1 - p)\\,w}

:func:`correct_prior` applies it, :func:`minority_upweight` reads ``w`` from
the labels before and after resampling, and :func:`calibration_table`
prints what a fraud team needs to see: the mean predicted probability next
to the base rate, and the Brier score.

Examples
--------
>>> float(correct_prior(0.5, 99.0))
0.01
"""

from __future__ import annotations

import numbers

import numpy as np
import pandas as pd

from imbalance_kit.validation import check_1d, check_binary_labels, check_same_length

__all__ = ["calibration_table", "correct_prior", "minority_upweight"]


def _check_weight(w):
    if isinstance(w, (bool, np.bool_)) or not isinstance(w, numbers.Real):
        raise TypeError(f"w must be a positive number, got {w!r}.")
    w = float(w)
    if not np.isfinite(w) or w <= 0:
        raise ValueError(f"w must be a positive finite number (the minority's upweighting), got {w}.")
    return w


def correct_prior(p, w):
    r"""Undo a ``w``-fold upweighting of the minority class in predicted probabilities.

    .. math::

        p' = \frac{p}{p + (1 - p)\,w}

    A model trained with the minority's odds multiplied by ``w`` (each
    minority row counted ``w`` times, or the majority down-sampled to
    ``1 / w`` of its rows) predicts odds ``w`` times too high; dividing the
    odds ``p / (1 - p)`` by ``w`` gives the formula. ``w > 1`` lowers the
    probabilities, ``w = 1`` leaves them unchanged, 0 and 1 stay 0 and 1,
    and the order of the scores (hence ROC-AUC and average precision) is
    kept.

    Parameters
    ----------
    p : float or array-like
        Predicted probabilities of the minority class, in [0, 1].
    w : float
        How many times the minority class was upweighted during training
        (> 0). See :func:`minority_upweight`.

    Returns
    -------
    float or ndarray
        A float for a scalar ``p``, otherwise an array of ``p``'s shape.

    Examples
    --------
    >>> correct_prior([0.5, 0.9, 0.0, 1.0], 9.0).round(4).tolist()
    [0.1, 0.5, 0.0, 1.0]
    >>> correct_prior(0.3, 1.0)
    0.3
    """
    w = _check_weight(w)
    scalar = np.ndim(p) == 0
    arr = np.asarray(p, dtype=float)
    if np.isnan(arr).any() or (arr < 0).any() or (arr > 1).any():
        raise ValueError("p must hold probabilities in [0, 1] (no NaN).")
    out = arr / (arr + (1.0 - arr) * w)
    return float(out) if scalar else out


def minority_upweight(y_before, y_after=None, *, sample_weight=None):
    """How many times the minority's odds were multiplied by resampling or weights.

    ``w = (n1_after / n0_after) / (n1_before / n0_before)``: the class ratio
    the model was trained on divided by the real one. With ``sample_weight``
    (per-row weights of the rows the model was fitted on, e.g. from
    ``class_weight``), the counts after are weighted sums.

    Parameters
    ----------
    y_before : array-like of shape (n_samples,)
        0/1 training labels before resampling (1 = minority).
    y_after : array-like of shape (n_resampled,), optional
        Labels the model was fitted on (after resampling). Defaults to
        ``y_before`` (weights only).
    sample_weight : array-like of shape (n_resampled,), optional
        Per-row weights of ``y_after``.

    Returns
    -------
    float

    Examples
    --------
    >>> minority_upweight([0] * 90 + [1] * 10, [0] * 90 + [1] * 90)   # to 1:1
    9.0
    >>> from sklearn.utils.class_weight import compute_sample_weight
    >>> y = [0] * 90 + [1] * 10
    >>> round(minority_upweight(y, sample_weight=compute_sample_weight("balanced", y)), 6)
    9.0
    """
    before = check_binary_labels(y_before, "y_before")
    after = before if y_after is None else check_binary_labels(y_after, "y_after")
    if sample_weight is None:
        weights = np.ones(after.size)
    else:
        weights = check_1d(sample_weight, "sample_weight", dtype=float)
        check_same_length(y_after=after, sample_weight=weights)
        if not np.isfinite(weights).all() or (weights < 0).any():
            raise ValueError("sample_weight must be finite and non-negative.")
    n1_after, n0_after = weights[after == 1].sum(), weights[after == 0].sum()
    if n1_after <= 0 or n0_after <= 0:
        raise ValueError("Both classes need a positive total weight after resampling.")
    return float((n1_after / n0_after) / (np.sum(before == 1) / np.sum(before == 0)))


def calibration_table(y_true, probabilities):
    """Mean predicted probability, base rate and Brier score of each model.

    Parameters
    ----------
    y_true : array-like of shape (n_samples,)
        0/1 labels of the evaluation rows.
    probabilities : dict of str -> array-like
        Predicted probabilities of class 1 per model name.

    Returns
    -------
    pandas.DataFrame
        One row per model, in the dict's order, with columns
        ``mean_probability``, ``base_rate``, ``ratio`` (mean / base rate, 1 for
        a model calibrated in the large) and ``brier`` (scikit-learn's
        ``brier_score_loss``).

    Examples
    --------
    >>> calibration_table([0, 0, 0, 1], {"m": [0.1, 0.1, 0.2, 0.6]}).round(3).to_dict("list")
    {'mean_probability': [0.25], 'base_rate': [0.25], 'ratio': [1.0], 'brier': [0.055]}
    """
    from sklearn.metrics import brier_score_loss  # local: keeps the import light

    y = check_binary_labels(y_true, "y_true", require_both=False)
    if not isinstance(probabilities, dict) or not probabilities:
        raise TypeError("probabilities must be a non-empty dict {model name: probabilities}.")
    rows = {}
    for name, p in probabilities.items():
        p = check_1d(p, f"probabilities[{name!r}]", dtype=float)
        check_same_length(y_true=y, probabilities=p)
        if np.isnan(p).any() or (p < 0).any() or (p > 1).any():
            raise ValueError(f"probabilities[{name!r}] must lie in [0, 1].")
        rows[name] = {"mean_probability": float(p.mean()), "base_rate": float(y.mean()),
                      "ratio": float(p.mean() / y.mean()) if y.mean() > 0 else np.nan,
                      "brier": float(brier_score_loss(y, p))}
    return pd.DataFrame.from_dict(rows, orient="index")
