"""Comparisons with their uncertainty: is model B better than A, or within noise?

With a few hundred frauds, the average precision of one model on one split
moves by several points from one sample to the next. A verdict read from a
bare ``ap_b > ap_a`` flips with the seed. Every comparison in the course is
therefore made the way this module makes it:

1. **Pair the measurements.** Both models are scored on the same rows
   (:func:`paired_bootstrap`) or the same folds / seeds (:func:`compare_folds`),
   so the noise they share cancels in the difference.
2. **Put an interval on the difference** ``B - A``.
3. **Read the verdict from the interval** (:func:`verdict`): "better" or
   "worse" only when the whole interval lies on one side of zero, otherwise
   "within noise".

:func:`mean_spread` formats a set of fold or seed scores as ``mean ± sd``.

Examples
--------
>>> cmp = compare_folds([0.70, 0.72, 0.69, 0.71, 0.70], [0.75, 0.78, 0.74, 0.77, 0.76],
...                     names=("plain", "weighted"), metric_name="AP")
>>> cmp.verdict
'better'
>>> print(cmp)
weighted vs plain: AP +0.056 [95% CI +0.049, +0.063] -> better
"""

from __future__ import annotations

import numbers
from typing import NamedTuple

import numpy as np
from scipy import stats

from imbalance_kit.metrics import _bootstrap_rows
from imbalance_kit.validation import (
    check_1d,
    check_binary_labels,
    check_fraction,
    check_positive_int,
    check_random_state,
    check_same_length,
)

__all__ = ["Comparison", "VERDICTS", "compare_folds", "mean_spread", "paired_bootstrap", "verdict"]

#: The three words a comparison may end with.
VERDICTS = ("better", "worse", "within noise")


class Comparison(NamedTuple):
    """The difference ``B - A`` of a metric, its interval and the verdict.

    Unpacks like scipy's results: ``diff, low, high, verdict, *_ = cmp``.

    Attributes
    ----------
    difference : float
        Metric of B minus metric of A (mean over folds, or on the full data).
    low, high : float
        Interval of the difference at ``confidence``.
    verdict : str
        ``"better"``, ``"worse"`` or ``"within noise"``: how B compares with A.
    name_a, name_b : str
        Names of the two models, for printing.
    metric : str
        Name of the metric, for printing.
    confidence : float
        Level of the interval.
    samples : ndarray or None
        The bootstrap replicates of the difference (``None`` for fold comparisons).

    Examples
    --------
    >>> c = Comparison(0.02, -0.01, 0.05, "within noise", "none", "SMOTE", "AP")
    >>> print(c)
    SMOTE vs none: AP +0.020 [95% CI -0.010, +0.050] -> within noise
    """

    difference: float
    low: float
    high: float
    verdict: str
    name_a: str = "A"
    name_b: str = "B"
    metric: str = "score"
    confidence: float = 0.95
    samples: np.ndarray | None = None

    def __str__(self):
        level = f"{100 * self.confidence:.3g}%"
        return (f"{self.name_b} vs {self.name_a}: {self.metric} {self.difference:+.3f} "
                f"[{level} CI {self.low:+.3f}, {self.high:+.3f}] -> {self.verdict}")


def verdict(low, high, *, higher_is_better=True):
    """Read "better", "worse" or "within noise" from an interval of ``B - A``.

    B is better when the whole interval lies above zero (below zero for a
    metric where lower is better, such as cost or Brier score), worse when
    it lies entirely on the other side, and within noise when it contains 0.

    Parameters
    ----------
    low, high : float
        Bounds of the interval of the difference ``B - A``; ``low <= high``.
    higher_is_better : bool, default=True
        False for costs and losses.

    Returns
    -------
    str
        One of :data:`VERDICTS`.

    Examples
    --------
    >>> verdict(0.01, 0.04)
    'better'
    >>> verdict(-0.02, 0.03)
    'within noise'
    >>> verdict(0.01, 0.04, higher_is_better=False)
    'worse'
    """
    low, high = _finite(low, "low"), _finite(high, "high")
    if low > high:
        raise ValueError(f"low must not exceed high, got low={low} and high={high}.")
    if not isinstance(higher_is_better, (bool, np.bool_)):
        raise TypeError(f"higher_is_better must be True or False, got {higher_is_better!r}.")
    if low > 0:
        return "better" if higher_is_better else "worse"
    if high < 0:
        return "worse" if higher_is_better else "better"
    return "within noise"


def compare_folds(values_a, values_b, *, confidence=0.95, test_train_ratio=None,
                  higher_is_better=True, names=("A", "B"), metric_name="score"):
    """Paired comparison of two models scored on the same folds or seeds.

    The differences ``d_j = b_j - a_j`` of the ``J`` folds get a Student-t
    interval, ``mean(d) ± t_{J-1} · s_d · sqrt(factor)``, with
    ``factor = 1 / J`` (the paired t-test, right for independent seeds or
    independent test sets).

    Folds of a (repeated) cross-validation share training rows, so their
    differences are correlated and the plain factor is too small: the interval
    comes out overconfident. Pass ``test_train_ratio = n_test / n_train``
    (``1 / (k - 1)`` for k-fold) to use the corrected factor of Nadeau and
    Bengio (2003), ``1 / J + n_test / n_train``.

    Parameters
    ----------
    values_a, values_b : array-like of shape (n_folds,)
        Metric of A and of B on each fold, in the same fold order.
    confidence : float, default=0.95
        Level of the interval, in (0, 1).
    test_train_ratio : float or None, default=None
        ``n_test / n_train`` of one fold, for the Nadeau–Bengio correction.
    higher_is_better : bool, default=True
        False for costs and losses.
    names : tuple of two str, default=("A", "B")
    metric_name : str, default="score"

    Returns
    -------
    Comparison

    Examples
    --------
    >>> a = [0.70, 0.74, 0.69, 0.73, 0.71]
    >>> b = [0.71, 0.75, 0.71, 0.72, 0.73]
    >>> compare_folds(a, b).verdict
    'within noise'
    >>> compare_folds(a, b, test_train_ratio=0.25).high > compare_folds(a, b).high
    True
    """
    a = check_1d(values_a, "values_a", dtype=float)
    b = check_1d(values_b, "values_b", dtype=float)
    check_same_length(values_a=a, values_b=b)
    if a.size < 2:
        raise ValueError(f"compare_folds needs at least 2 paired folds or seeds, got {a.size}.")
    if not (np.isfinite(a).all() and np.isfinite(b).all()):
        raise ValueError("values_a and values_b must be finite (a fold gave NaN or inf).")
    confidence = check_fraction(confidence, "confidence")
    factor = 1.0 / a.size
    if test_train_ratio is not None:
        factor += _positive(test_train_ratio, "test_train_ratio")
    d = b - a
    mean = float(d.mean())
    half = float(stats.t.ppf((1 + confidence) / 2, d.size - 1) * d.std(ddof=1) * np.sqrt(factor))
    low, high = mean - half, mean + half
    name_a, name_b = _names(names)
    return Comparison(mean, low, high, verdict(low, high, higher_is_better=higher_is_better),
                      name_a, name_b, str(metric_name), confidence)


def paired_bootstrap(metric, y_true, score_a, score_b, *, n_boot=1000, confidence=0.95,
                     stratified=True, higher_is_better=True, random_state=0, names=("A", "B"),
                     metric_name=None, row_data=None):
    """Bootstrap interval of ``metric(B) - metric(A)`` on the same test rows.

    Each replicate draws the rows with replacement once and scores **both**
    models on that same draw, so a hard test set penalises both alike and
    the difference is measured far more precisely than two separate
    intervals suggest. With ``stratified=True`` positives and negatives are
    drawn separately, so every replicate keeps the test set's number of
    positives (a replicate without a fraud has no average precision).

    Parameters
    ----------
    metric : callable
        ``metric(y_true, y_score) -> float``, e.g. ``average_precision_score``.
    y_true : array-like of shape (n_samples,)
        0/1 labels, 1 = the rare class.
    score_a, score_b : array-like of shape (n_samples,)
        Scores of the two models on the same rows.
    n_boot : int, default=1000
    confidence : float, default=0.95
    stratified : bool, default=True
    higher_is_better : bool, default=True
    random_state : int, numpy Generator or None, default=0
    names : tuple of two str, default=("A", "B")
    metric_name : str or None
        Defaults to the metric's ``__name__``.
    row_data : dict of str to array-like of shape (n_samples,), optional
        Other per-row values the metric needs, e.g. ``{"amount": amount}``
        for the fraud value a model catches. Each replicate passes them to
        the metric as keyword arguments, resampled with the same rows:
        ``metric(y_true, y_score, amount=amount[rows])``.

    Returns
    -------
    Comparison
        ``difference`` is the difference on the full test set; ``samples``
        holds the replicate differences.

    Examples
    --------
    >>> import numpy as np
    >>> from sklearn.metrics import average_precision_score
    >>> rng = np.random.default_rng(0)
    >>> y = (rng.random(2000) < 0.05).astype(int)
    >>> weak, strong = y + rng.normal(0, 1.5, 2000), y + rng.normal(0, 0.5, 2000)
    >>> paired_bootstrap(average_precision_score, y, weak, strong, n_boot=200).verdict
    'better'
    """
    if not callable(metric):
        raise TypeError(f"metric must be callable as metric(y_true, y_score), got {metric!r}.")
    y = check_binary_labels(y_true, "y_true", require_both=bool(stratified))
    a = check_1d(score_a, "score_a")
    b = check_1d(score_b, "score_b")
    check_same_length(y_true=y, score_a=a, score_b=b)
    extra = _row_data(row_data, y.size)
    n_boot = check_positive_int(n_boot, "n_boot")
    confidence = check_fraction(confidence, "confidence")
    rng = check_random_state(random_state)

    def diff(idx):
        kwargs = {name: values[idx] for name, values in extra.items()}
        return _score(metric, y[idx], b[idx], kwargs) - _score(metric, y[idx], a[idx], kwargs)

    estimate = diff(np.arange(y.size))
    # The same rows for both models in every replicate: the pairing.
    samples = np.array([diff(idx) for idx in _bootstrap_rows(y, n_boot, rng, stratified)])
    if np.isnan(samples).any():
        raise ValueError("the metric returned NaN on some bootstrap replicates "
                         "(a replicate without positives?); use stratified=True.")
    alpha = (1 - confidence) / 2
    low, high = (float(q) for q in np.quantile(samples, [alpha, 1 - alpha]))
    name_a, name_b = _names(names)
    return Comparison(estimate, low, high, verdict(low, high, higher_is_better=higher_is_better),
                      name_a, name_b, metric_name or getattr(metric, "__name__", "metric"),
                      confidence, samples)


def mean_spread(values, digits=3):
    """Format fold or seed scores as ``"mean ± sd"`` (sample standard deviation).

    Parameters
    ----------
    values : array-like of shape (n,), n >= 2
    digits : int, default=3

    Returns
    -------
    str

    Examples
    --------
    >>> mean_spread([0.70, 0.74, 0.72])
    '0.720 ± 0.020'
    """
    v = check_1d(values, "values", dtype=float)
    if v.size < 2:
        raise ValueError(f"a spread needs at least 2 values, got {v.size}.")
    digits = check_positive_int(digits, "digits", minimum=0)
    return f"{v.mean():.{digits}f} ± {v.std(ddof=1):.{digits}f}"


def _row_data(row_data, n):
    if row_data is None:
        return {}
    if not isinstance(row_data, dict):
        raise TypeError(f"row_data must be a dict of name -> per-row array, got {type(row_data).__name__}.")
    arrays = {}
    for name, values in row_data.items():
        arrays[name] = check_1d(values, f"row_data[{name!r}]")
        if arrays[name].size != n:
            raise ValueError(f"row_data[{name!r}] has {arrays[name].size} values but y_true has {n}.")
    return arrays


def _score(metric, y, s, kwargs=None):
    value = metric(y, s, **(kwargs or {}))
    try:
        return float(value)
    except (TypeError, ValueError):
        raise TypeError(f"metric must return a number, got {value!r}.") from None


def _finite(value, name):
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, numbers.Real):
        raise TypeError(f"{name} must be a real number, got {value!r}.")
    if not np.isfinite(value):
        raise ValueError(f"{name} must be finite, got {value}.")
    return float(value)


def _positive(value, name):
    value = _finite(value, name)
    if value <= 0:
        raise ValueError(f"{name} must be > 0, got {value}.")
    return value


def _names(names):
    if isinstance(names, str) or len(names) != 2:
        raise ValueError(f"names must be a pair of names (A, B), got {names!r}.")
    return str(names[0]), str(names[1])
