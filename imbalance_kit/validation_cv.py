"""Leak-free cross-validation with resampling, and the tools that prove it is leak-free.

Where the rows go is what makes a cross-validated score honest. This module
holds the reference evaluation of ``05_validation_and_text`` and the
instruments its hidden tests use to watch a learner's version:

- :func:`best_f1_threshold`: the threshold with the highest F1 on given scores.
- :func:`leak_free_cv`: stratified k-fold; in each fold a fresh
  ``scaler -> sampler -> model`` imbalanced-learn ``Pipeline`` is fitted on the
  training fold only; the decision threshold is chosen from out-of-fold scores
  of an inner cross-validation *inside the training fold*; the test fold is
  scored once. Returns AP and F1 per fold.
- :func:`leaky_cv`: the classic mistake, resample the whole data set, then
  cross-validate, for measuring its optimism.
- :class:`RowLog`, :class:`RecordingSampler`, :class:`RecordingClassifier`,
  :func:`make_id_data` and :func:`check_leak_free`: rows that carry their own
  id (in 0/1 columns, readable after any increasing per-column scaling), a
  sampler and a classifier that write down which rows they saw, a threshold
  chooser that records which rows' scores it was given, and a check that
  names each leak in plain words.

Not to be confused with :mod:`imbalance_kit.validation` (input checks).
"""

from __future__ import annotations

import copy

import numpy as np
import pandas as pd
from sklearn.base import BaseEstimator, ClassifierMixin, clone
from sklearn.metrics import average_precision_score, f1_score, precision_recall_curve
from sklearn.model_selection import StratifiedKFold
from sklearn.preprocessing import StandardScaler

from .validation import check_binary_labels, check_positive_int, check_scores

__all__ = [
    "RecordingClassifier",
    "RecordingSampler",
    "RowLog",
    "best_f1_threshold",
    "check_leak_free",
    "bit_levels",
    "compare_to_baseline",
    "cross_validate_methods",
    "decode_row_ids",
    "leak_free_cv",
    "leaky_cv",
    "make_id_data",
]


def best_f1_threshold(y_true, scores):
    """The threshold ``t`` (flag ``score >= t``) with the highest F1 on these scores.

    Candidates are the distinct scores (scikit-learn's ``precision_recall_curve``);
    ties in F1 go to the highest threshold (fewer alerts).

    Examples
    --------
    >>> best_f1_threshold([0, 0, 1, 1, 0], [0.1, 0.4, 0.35, 0.8, 0.2])
    0.35
    """
    y = check_binary_labels(y_true, "y_true")
    s = check_scores(scores, "scores", n=y.size)
    precision, recall, thresholds = precision_recall_curve(y, s)
    p, r = precision[:-1], recall[:-1]
    with np.errstate(invalid="ignore", divide="ignore"):
        f1 = np.where(p + r > 0, 2 * p * r / (p + r), 0.0)
    best = np.flatnonzero(f1 == f1.max())
    return float(thresholds[best[-1]])


def _pipeline(model, sampler, scaler):
    from imblearn.pipeline import Pipeline

    steps = [("scale", clone(scaler))]
    if sampler is not None:
        steps.append(("sample", clone(sampler)))
    steps.append(("model", clone(model)))
    return Pipeline(steps)


def _check_xy(X, y, n_splits):
    X = np.asarray(X)
    y = check_binary_labels(y, "y")
    if X.ndim != 2 or X.shape[0] != y.size:
        raise ValueError(f"X must be 2-D with one row per label; got X {X.shape} and {y.size} labels.")
    n_splits = check_positive_int(n_splits, "n_splits", minimum=2)
    if y.sum() < n_splits:
        raise ValueError(f"Only {int(y.sum())} positives for n_splits={n_splits}: every test fold "
                         "needs at least one. Use fewer folds.")
    return X, y, n_splits


def leak_free_cv(X, y, model, sampler=None, *, n_splits=5, random_state=0,
                 choose_threshold=best_f1_threshold, inner_splits=3, scaler=None):
    """Stratified k-fold evaluation with resampling and threshold choice inside each training fold.

    For each fold of ``StratifiedKFold(n_splits, shuffle=True, random_state)``:

    1. a fresh imbalanced-learn ``Pipeline(scaler -> sampler -> model)`` (clones)
       is fitted on the training fold only (so the scaler's statistics and the
       synthetic rows come from training rows only);
    2. the threshold is ``choose_threshold(y, scores)`` on out-of-fold scores of
       an inner ``StratifiedKFold(inner_splits)`` inside the training fold
       (``inner_splits=None`` uses the training fold's own scores instead:
       leak-free, but optimistic);
    3. the test fold is scored once: AP (threshold-free) and F1 at that threshold.

    Parameters
    ----------
    X : array-like of shape (n_samples, n_features)
    y : array-like of 0/1 labels
    model : classifier with ``predict_proba``
    sampler : imbalanced-learn sampler or None
    n_splits : int, default=5
    random_state : int, default=0
    choose_threshold : callable ``(y, scores) -> float``, default=best_f1_threshold
    inner_splits : int or None, default=3
    scaler : transformer, default=StandardScaler()

    Returns
    -------
    pandas.DataFrame
        One row per fold (index ``fold``): ``average_precision``, ``f1``,
        ``threshold``, ``n_test``, ``n_test_positive``.

    Examples
    --------
    >>> from sklearn.datasets import make_classification
    >>> from sklearn.linear_model import LogisticRegression
    >>> from imblearn.over_sampling import RandomOverSampler
    >>> X, y = make_classification(400, weights=[0.9], random_state=0)
    >>> res = leak_free_cv(X, y, LogisticRegression(), RandomOverSampler(random_state=0))
    >>> list(res.columns), len(res)
    (['average_precision', 'f1', 'threshold', 'n_test', 'n_test_positive'], 5)
    """
    X, y, n_splits = _check_xy(X, y, n_splits)
    scaler = StandardScaler() if scaler is None else scaler
    rows = []
    outer = StratifiedKFold(n_splits=n_splits, shuffle=True, random_state=random_state)
    for train, test in outer.split(X, y):
        X_tr, y_tr = X[train], y[train]
        if inner_splits is None:
            fitted = _pipeline(model, sampler, scaler).fit(X_tr, y_tr)
            tune_scores = fitted.predict_proba(X_tr)[:, 1]
        else:
            tune_scores = np.empty(len(train))
            inner = StratifiedKFold(n_splits=inner_splits, shuffle=True, random_state=random_state)
            for fit_part, score_part in inner.split(X_tr, y_tr):
                part = _pipeline(model, sampler, scaler).fit(X_tr[fit_part], y_tr[fit_part])
                tune_scores[score_part] = part.predict_proba(X_tr[score_part])[:, 1]
            fitted = _pipeline(model, sampler, scaler).fit(X_tr, y_tr)
        threshold = float(choose_threshold(y_tr, tune_scores))
        test_scores = fitted.predict_proba(X[test])[:, 1]
        rows.append({
            "average_precision": average_precision_score(y[test], test_scores),
            "f1": f1_score(y[test], (test_scores >= threshold).astype(int), zero_division=0),
            "threshold": threshold,
            "n_test": len(test),
            "n_test_positive": int(y[test].sum()),
        })
    return pd.DataFrame(rows).rename_axis("fold")


def leaky_cv(X, y, model, sampler, *, n_splits=5, random_state=0, scaler=None):
    """The mistake, for measuring it: resample the WHOLE data, then cross-validate.

    Synthetic (or duplicated) minority rows built from a test row land in the
    training folds, and resampled rows land in the test folds, so the score is
    optimistic. Returns the test-fold AP per fold (the scaler and the model
    are still fitted per fold, so resampling is the only leak).

    Examples
    --------
    >>> from sklearn.datasets import make_classification
    >>> from sklearn.linear_model import LogisticRegression
    >>> from imblearn.over_sampling import SMOTE
    >>> X, y = make_classification(400, weights=[0.9], random_state=0)
    >>> leaky_cv(X, y, LogisticRegression(), SMOTE(random_state=0)).shape
    (5,)
    """
    X, y, n_splits = _check_xy(X, y, n_splits)
    X_res, y_res = clone(sampler).fit_resample(X, y)
    scaler = StandardScaler() if scaler is None else scaler
    outer = StratifiedKFold(n_splits=n_splits, shuffle=True, random_state=random_state)
    aps = []
    for train, test in outer.split(X_res, y_res):
        fitted = _pipeline(model, None, scaler).fit(X_res[train], y_res[train])
        aps.append(average_precision_score(y_res[test], fitted.predict_proba(X_res[test])[:, 1]))
    return np.array(aps)


def cross_validate_methods(X, y, pipelines, *, n_splits=5, n_repeats=2, random_state=0, threshold=0.5):
    """Score several pipelines on the SAME repeated stratified folds (for paired comparisons).

    Parameters
    ----------
    X, y : arrays (``X`` may be a sparse matrix)
    pipelines : dict name -> estimator with ``predict_proba`` (cloned per fold)
    n_splits, n_repeats, random_state : passed to ``RepeatedStratifiedKFold``
    threshold : float, default=0.5
        Cut for the threshold-dependent metrics (F1, G-mean).

    Returns
    -------
    pandas.DataFrame
        Long table: ``method``, ``fold``, ``average_precision``, ``f1``, ``g_mean``.

    Examples
    --------
    >>> from sklearn.datasets import make_classification
    >>> from sklearn.linear_model import LogisticRegression
    >>> X, y = make_classification(300, weights=[0.9], random_state=0)
    >>> t = cross_validate_methods(X, y, {"lr": LogisticRegression()}, n_repeats=1)
    >>> t.shape
    (5, 5)
    """
    from imblearn.metrics import geometric_mean_score
    from sklearn.model_selection import RepeatedStratifiedKFold

    y = check_binary_labels(y, "y")
    if not pipelines:
        raise ValueError("pipelines is empty: pass a dict name -> estimator.")
    cv = RepeatedStratifiedKFold(n_splits=n_splits, n_repeats=n_repeats, random_state=random_state)
    rows = []
    for fold, (train, test) in enumerate(cv.split(np.zeros(len(y)), y)):
        for name, estimator in pipelines.items():
            scores = clone(estimator).fit(X[train], y[train]).predict_proba(X[test])[:, 1]
            flagged = (scores >= threshold).astype(int)
            rows.append({"method": name, "fold": fold,
                         "average_precision": average_precision_score(y[test], scores),
                         "f1": f1_score(y[test], flagged, zero_division=0),
                         "g_mean": geometric_mean_score(y[test], flagged)})
    return pd.DataFrame(rows)


def compare_to_baseline(table, *, baseline="none", metric="average_precision", n_splits=5):
    """Paired comparison of every method with ``baseline`` over the same folds.

    Uses :func:`imbalance_kit.uncertainty.compare_folds` with the
    Nadeau-Bengio correction for repeated k-fold (``test_train_ratio =
    1 / (n_splits - 1)``): overlapping training sets make fold scores
    correlated, and the plain t-interval would be too narrow.

    Returns
    -------
    pandas.DataFrame
        One row per method: ``mean`` and ``sd`` of the metric, ``difference``
        from the baseline, ``low``, ``high`` and ``verdict``.

    Examples
    --------
    >>> t = pd.DataFrame({"method": ["none"] * 4 + ["b"] * 4, "fold": [0, 1, 2, 3] * 2,
    ...                   "average_precision": [0.5, 0.6, 0.55, 0.5, 0.7, 0.8, 0.75, 0.7]})
    >>> compare_to_baseline(t).loc["b", "verdict"]
    'better'
    """
    from .uncertainty import compare_folds

    wide = table.pivot(index="fold", columns="method", values=metric)
    if baseline not in wide.columns:
        raise ValueError(f"baseline {baseline!r} is not a method of the table: {list(wide.columns)}.")
    order = list(dict.fromkeys(table["method"]))
    rows = {}
    for name in order:
        values = wide[name].to_numpy()
        row = {"mean": values.mean(), "sd": values.std(ddof=1)}
        if name == baseline:
            row.update(difference=0.0, low=0.0, high=0.0, verdict="baseline")
        else:
            c = compare_folds(wide[baseline].to_numpy(), values, test_train_ratio=1 / (n_splits - 1),
                              names=(baseline, name), metric_name=metric)
            row.update(difference=c.difference, low=c.low, high=c.high, verdict=c.verdict)
        rows[name] = row
    return pd.DataFrame.from_dict(rows, orient="index")


# ---------------------------------------------------------------------------
# Instruments: rows that carry their id, and estimators that write down what they saw
# ---------------------------------------------------------------------------

_OFFSET_INFORMATIVE = 10.0   # unscaled informative columns are far from mean 0
_BIT_LOW, _BIT_HIGH = 5.0, 8.0


def make_id_data(n_bits=9, *, n_informative=3, positive_fraction=0.12, random_state=0):
    """Rows that carry their own id: ``2**n_bits`` rows, the id written in 0/1 columns.

    Columns: ``n_informative`` Gaussian features (shifted for positives, offset
    by 10 so unscaled data is recognisable), then ``n_bits`` columns holding
    the bits of the row id as 5 (bit 0) or 8 (bit 1). Any increasing
    per-column scaling (standard, min-max, robust) keeps the id readable
    (:func:`decode_row_ids`). Row ``i`` has id ``i``.

    Returns
    -------
    X : ndarray of shape (2**n_bits, n_informative + n_bits)
    y : ndarray of 0/1 labels

    Examples
    --------
    >>> X, y = make_id_data(6)
    >>> X.shape, decode_row_ids(X)[:4].tolist()
    ((64, 9), [0, 1, 2, 3])
    """
    n_bits = check_positive_int(n_bits, "n_bits", minimum=5)
    rng = np.random.default_rng(random_state)
    n = 2 ** n_bits
    y = np.zeros(n, dtype=np.int64)
    y[rng.choice(n, size=max(n_bits, int(round(positive_fraction * n))), replace=False)] = 1
    informative = rng.normal(size=(n, n_informative)) + 1.2 * y[:, None] + _OFFSET_INFORMATIVE
    bits = (np.arange(n)[:, None] >> np.arange(n_bits)) & 1
    X = np.hstack([informative, np.where(bits == 1, _BIT_HIGH, _BIT_LOW)])
    return X, y


def _bit_block(X, n_bits):
    X = np.asarray(X, dtype=float)
    return X[:, X.shape[1] - n_bits:]


def decode_row_ids(X, n_bits=None, *, levels=None):
    """Read the row ids of :func:`make_id_data` rows back, after any increasing scaling.

    Each bit column holds two values; the larger one is bit 1. ``levels``
    (``(low, high)`` per bit column, from a larger batch) decodes a batch in
    which a column happens to hold one value only.

    Examples
    --------
    >>> X, _ = make_id_data(5)
    >>> from sklearn.preprocessing import StandardScaler
    >>> decode_row_ids(StandardScaler().fit_transform(X[[3, 12, 30]]), 5).tolist()
    [3, 12, 30]
    """
    X = np.asarray(X, dtype=float)
    if n_bits is None:
        n_bits = X.shape[1] - 3
    block = _bit_block(X, n_bits)
    if levels is None:
        levels = bit_levels(block)
    low, high = levels
    bits = np.abs(block - high) < np.abs(block - low)
    return (bits.astype(np.int64) << np.arange(n_bits)).sum(axis=1)


def bit_levels(block):
    """(low, high) value of every bit column of a batch (raises if a column holds one value)."""
    low, high = block.min(axis=0), block.max(axis=0)
    if np.any(np.isclose(low, high)):
        raise AssertionError("a batch of rows in which a bit column holds one value cannot be decoded; "
                             "the instruments need batches of many rows")
    return low, high


def _scaled_on_this_batch(X):
    """Did a scaler fitted on exactly these rows produce them (standard, min-max or robust)?"""
    X = np.asarray(X, dtype=float)
    standard = np.allclose(X.mean(axis=0), 0, atol=1e-6)
    minmax = np.allclose(X.min(axis=0), 0, atol=1e-9) and np.allclose(X.max(axis=0), 1, atol=1e-9)
    robust = np.allclose(np.median(X, axis=0), 0, atol=1e-9)
    return bool(standard or minmax or robust)


class RowLog:
    """A shared notebook of what the instruments saw; survives ``clone`` (deep copies return itself).

    ``events`` is a list of ``(kind, ids, extra)``: ``kind`` is ``"sample"``
    (rows a sampler received; ``extra`` says whether they were scaled on
    exactly that batch), ``"fit"`` (rows a classifier was fitted on),
    ``"predict"`` (rows scored) or ``"choose"`` (rows whose scores chose a
    threshold; ``extra`` is the returned threshold).
    """

    def __init__(self, n_bits=9):
        self.n_bits = n_bits
        self.events = []

    def __deepcopy__(self, memo):
        return self

    def __copy__(self):
        return self

    def __repr__(self):
        return f"RowLog({len(self.events)} events)"

    def ids_of(self, kind):
        return [ids for k, ids, _ in self.events if k == kind]

    def chooser(self, base=best_f1_threshold):
        """A ``choose_threshold(y, scores)`` that records which rows' scores it was given.

        The scores must come from a :class:`RecordingClassifier` (they encode
        row ids). Each call returns ``base(y, scores)`` plus a tiny
        call-specific offset, so a reported threshold can be traced to its call.
        """
        n = 2 ** self.n_bits

        def choose_threshold(y_true, scores):
            scores = np.asarray(scores, dtype=float).ravel()
            ids = np.rint(scores * (n + 2) - 1).astype(np.int64)
            threshold = float(base(y_true, scores)) + 1e-9 * (1 + len(self.ids_of("choose")))
            self.events.append(("choose", ids, threshold))
            return threshold

        return choose_threshold


class RecordingSampler(BaseEstimator):
    """An over-sampler (random duplication of minority rows) that logs the row ids it receives.

    Parameters
    ----------
    log : RowLog
    random_state : int, default=0
    """

    def __init__(self, log=None, random_state=0):
        self.log = log
        self.random_state = random_state

    def fit(self, X, y):
        return self

    def fit_resample(self, X, y):
        from imblearn.over_sampling import RandomOverSampler

        X = np.asarray(X, dtype=float)
        ids = decode_row_ids(X, self.log.n_bits)
        self.log.events.append(("sample", ids, _scaled_on_this_batch(X)))
        return RandomOverSampler(random_state=self.random_state).fit_resample(X, y)


class RecordingClassifier(ClassifierMixin, BaseEstimator):
    """A classifier that logs the rows it is fitted on and scores, and scores by row id.

    ``predict_proba(X)[:, 1]`` is ``(id + 1) / (2**n_bits + 2)``, so a
    :meth:`RowLog.chooser` can tell whose scores it was given.
    """

    def __init__(self, log=None):
        self.log = log

    def fit(self, X, y):
        block = _bit_block(X, self.log.n_bits)
        self.levels_ = bit_levels(block)
        self.classes_ = np.unique(y)
        self.log.events.append(("fit", decode_row_ids(X, self.log.n_bits, levels=self.levels_), None))
        return self

    def predict_proba(self, X):
        ids = decode_row_ids(X, self.log.n_bits, levels=self.levels_)
        self.log.events.append(("predict", ids, None))
        p = (ids + 1) / (2 ** self.log.n_bits + 2)
        return np.column_stack([1 - p, p])

    def predict(self, X):
        return (self.predict_proba(X)[:, 1] >= 0.5).astype(int)


def check_leak_free(log, result, X, y, *, n_splits=5, random_state=0,
                    checks=("sampler", "scaler", "fit", "threshold")):
    """Raise ``AssertionError`` naming the first leak the instruments recorded.

    ``checks`` selects what is checked (a hidden test per idea can check one).

    ``result`` is the evaluation's per-fold table with a ``threshold`` column,
    one row per fold of ``StratifiedKFold(n_splits, shuffle=True,
    random_state)`` in order. Checks: the sampler saw training rows only, on
    data scaled on those rows; every fitted model saw training rows only; each
    fold's threshold came from a ``choose_threshold`` call that saw no row of
    that fold's test set.

    Examples
    --------
    >>> from sklearn.linear_model import LogisticRegression
    >>> log = RowLog(n_bits=7)
    >>> X, y = make_id_data(7, positive_fraction=0.2)
    >>> res = leak_free_cv(X, y, RecordingClassifier(log), RecordingSampler(log),
    ...                    choose_threshold=log.chooser())
    >>> check_leak_free(log, res, X, y)
    """
    y = np.asarray(y)
    folds = list(StratifiedKFold(n_splits=n_splits, shuffle=True, random_state=random_state).split(X, y))
    trains = [set(train.tolist()) for train, _ in folds]
    samples = [(ids, scaled) for kind, ids, scaled in log.events if kind == "sample"]
    if not samples and {"sampler", "scaler"} & set(checks):
        raise AssertionError("The sampler was never called: resample the training fold "
                             "(put the sampler in the pipeline between the scaler and the model).")
    for ids, scaled in samples:
        seen = set(ids.tolist())
        if "sampler" in checks and not any(seen <= train for train in trains):
            raise AssertionError(
                f"The sampler received {len(seen)} rows, including rows of the test fold: resample "
                "inside the cross-validation, on the training fold only (an imbalanced-learn Pipeline "
                "fitted on the training fold), never the whole data set before splitting.")
        if "scaler" in checks and not scaled:
            raise AssertionError(
                "The rows reaching the sampler were not scaled on the training fold: put the scaler "
                "INSIDE the pipeline (scaler -> sampler -> model) so its mean and spread come from "
                "the training fold only, not from the whole data set (or from no scaler at all).")
    for ids in log.ids_of("fit") if "fit" in checks else []:
        if not any(set(ids.tolist()) <= train for train in trains):
            raise AssertionError("A model was fitted on rows that include test rows of a fold: "
                                 "fit on the training fold only.")
    if "threshold" not in checks:
        return
    thresholds = np.asarray(result["threshold"], dtype=float)
    if thresholds.size != n_splits:
        raise AssertionError(f"Expected one threshold per fold ({n_splits}), got {thresholds.size}.")
    chosen = [(ids, t) for kind, ids, t in log.events if kind == "choose"]
    for k, ((_, test), t) in enumerate(zip(folds, thresholds)):
        match = [ids for ids, returned in chosen if returned == t]
        if not match:
            raise AssertionError(
                f"The threshold reported for fold {k} is not a value choose_threshold returned: call "
                "choose_threshold(y_part, scores_part) once per fold and use the value it returns.")
        leaked = np.intersect1d(match[-1], test)
        if leaked.size:
            raise AssertionError(
                f"The threshold of fold {k} was chosen with the scores of {leaked.size} rows of that "
                "fold's TEST set. Choose it from training-fold rows only (out-of-fold scores of an "
                "inner split of the training fold, or the training fold's own scores).")
