r"""From business costs to decisions: Bayes thresholds, amounts, alert budgets, a cost loss.

A fraud team states its problem in money and in people: *a missed fraud costs
its amount plus a handling fee; a false alarm costs an analyst's five minutes;
the team reviews 400 alerts a day.* This module turns those sentences into
decisions.

- :func:`bayes_threshold`: the threshold that minimises the expected cost of
  **calibrated** probabilities (Elkan 2001, "The foundations of cost-sensitive
  learning"): with zero cost for correct decisions,

  .. math:: t^* = \frac{c_{FP}}{c_{FP} + c_{FN}}.

- :func:`example_dependent_threshold`: the same row by row when a missed
  fraud costs its amount, :math:`c_{FN,i} = s \cdot a_i + h` (Bahnsen, Aouada,
  Ottersten 2014); :func:`amount_cost` is the matching total cost and
  :func:`make_amount_cost_scorer` a scorer for ``TunedThresholdClassifierCV``.
- :func:`budget_k`, :func:`budget_threshold` and :func:`daily_budget_metrics`:
  what an alert budget of ``k`` a day implies (the number of alerts over a
  period, the score above which to alert, precision and recall per day).
- :func:`xgboost_cost_objective`: the cost-weighted logistic loss as a custom
  XGBoost objective (the same model as ``scale_pos_weight = c_FN / c_FP``,
  open to per-row costs through ``sample_weight``).

The thresholds hold for calibrated probabilities only: a model trained with
class weights or on resampled data predicts inflated probabilities; undo that
first (:func:`imbalance_kit.calibration.correct_prior`) or tune the threshold
on validation data instead (:func:`imbalance_kit.metrics.best_threshold`).

Examples
--------
>>> bayes_threshold(fn_cost=95.0, fp_cost=5.0)
0.05
>>> example_dependent_threshold([0.0, 50.0, 450.0], fp_cost=5.0, fixed_fn_cost=50.0).round(4).tolist()
[0.0909, 0.0476, 0.0099]
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from imbalance_kit.metrics import business_cost
from imbalance_kit.validation import (
    check_1d,
    check_binary_labels,
    check_nonnegative,
    check_positive_int,
    check_same_length,
    check_sample_weight,
    check_scores,
)

__all__ = [
    "BudgetMetrics",
    "amount_cost",
    "bayes_threshold",
    "budget_k",
    "budget_threshold",
    "daily_budget_metrics",
    "example_dependent_threshold",
    "example_fn_costs",
    "make_amount_cost_scorer",
    "xgboost_cost_objective",
]


def _nonnegative_array(value, name):
    arr = np.asarray(value, dtype=np.float64) if not isinstance(value, str) else None
    if arr is None or arr.dtype.kind not in "fiu":
        raise TypeError(f"{name} must be a number or an array of numbers, got {value!r}.")
    if not np.isfinite(arr).all() or (arr < 0).any():
        raise ValueError(f"{name} must be finite and non-negative, got {value!r}.")
    return arr


def bayes_threshold(fn_cost, fp_cost, *, tp_cost=0.0, tn_cost=0.0):
    r"""Probability above which alerting costs less, in expectation, than letting go.

    For a row whose calibrated probability of being positive is :math:`p`,
    alerting costs :math:`p\,c_{TP} + (1 - p)\,c_{FP}` in expectation and
    letting it go :math:`p\,c_{FN} + (1 - p)\,c_{TN}`. Alerting is cheaper
    when :math:`p \ge t^*` with (Elkan 2001, eq. 2)

    .. math::

        t^* = \frac{c_{FP} - c_{TN}}{(c_{FP} - c_{TN}) + (c_{FN} - c_{TP})},

    which is :math:`c_{FP} / (c_{FP} + c_{FN})` when correct decisions cost
    nothing. Only the ratio of the costs matters. The threshold applies to
    **calibrated** probabilities; on the scores of a class-weighted or
    resampled model it alerts far too often.

    Parameters
    ----------
    fn_cost : float or array-like
        Cost of a missed positive, :math:`c_{FN}` (an array gives one
        threshold per row: example-dependent costs).
    fp_cost : float or array-like
        Cost of a false alarm, :math:`c_{FP}`.
    tp_cost, tn_cost : float or array-like, default=0.0
        Costs of the correct decisions (e.g. the analyst's time spent on a
        true alert); a correct decision must cost less than the wrong one:
        ``tp_cost < fn_cost`` or ``tn_cost < fp_cost``.

    Returns
    -------
    float or ndarray
        A float for scalar costs, otherwise an array of the broadcast shape,
        in [0, 1].

    Examples
    --------
    >>> bayes_threshold(fn_cost=10, fp_cost=1)
    0.09090909090909091
    >>> bayes_threshold(fn_cost=[10, 100], fp_cost=1).round(4).tolist()
    [0.0909, 0.0099]
    >>> bayes_threshold(fn_cost=50, fp_cost=5, tp_cost=5)   # a true alert costs review time too
    0.1
    """
    fn, fp, tp, tn = (_nonnegative_array(v, n) for v, n in
                      ((fn_cost, "fn_cost"), (fp_cost, "fp_cost"), (tp_cost, "tp_cost"),
                       (tn_cost, "tn_cost")))
    alarm = fp - tn   # what a wrong alarm adds over a correct "let go"
    miss = fn - tp    # what a miss adds over a correct alert
    if (alarm < 0).any() or (miss < 0).any():
        raise ValueError("A correct decision must not cost more than the wrong one: "
                         "need fp_cost >= tn_cost and fn_cost >= tp_cost.")
    if ((alarm + miss) == 0).any():
        raise ValueError("fn_cost - tp_cost and fp_cost - tn_cost are both 0: every decision "
                         "costs the same and no threshold is defined.")
    t = alarm / (alarm + miss)
    return float(t) if t.ndim == 0 else t


def example_fn_costs(amount, *, fixed_fn_cost=0.0, fn_share=1.0):
    """Cost of missing each row: ``fn_share * amount + fixed_fn_cost``.

    Parameters
    ----------
    amount : array-like of shape (n_samples,)
        Non-negative transaction amounts.
    fixed_fn_cost : float, default=0.0
        A fixed cost of every missed fraud (handling, chargeback fee).
    fn_share : float, default=1.0
        Share of the amount that is lost (below 1 when part is recovered).

    Returns
    -------
    ndarray of shape (n_samples,)

    Examples
    --------
    >>> example_fn_costs([10.0, 200.0], fixed_fn_cost=50).tolist()
    [60.0, 250.0]
    """
    a = check_1d(amount, "amount", dtype=np.float64)
    if not np.isfinite(a).all() or (a < 0).any():
        raise ValueError("amount must hold finite, non-negative numbers.")
    fixed = check_nonnegative(fixed_fn_cost, "fixed_fn_cost")
    share = check_nonnegative(fn_share, "fn_share")
    return share * a + fixed


def example_dependent_threshold(amount, *, fp_cost, fixed_fn_cost=0.0, fn_share=1.0,
                                tp_cost=0.0):
    r"""Bayes threshold of each row when a missed fraud costs its amount.

    .. math::

        t_i = \frac{c_{FP}}{c_{FP} + c_{FN,i} - c_{TP}}, \quad
        c_{FN,i} = s \cdot a_i + h

    (:func:`bayes_threshold` with ``fn_cost = example_fn_costs(amount)``):
    a €2,000 transaction is alerted at a far lower probability than a €2 one.
    Compare each row's calibrated probability with its own threshold:
    ``alert = p >= t``.

    Parameters
    ----------
    amount : array-like of shape (n_samples,)
        Non-negative amounts.
    fp_cost : float
        Cost of a false alarm.
    fixed_fn_cost : float, default=0.0
        Fixed cost of every missed fraud (:math:`h`).
    fn_share : float, default=1.0
        Share of the amount lost when a fraud is missed (:math:`s`).
    tp_cost : float, default=0.0
        Cost of a true alert (the review itself).

    Returns
    -------
    ndarray of shape (n_samples,)

    Examples
    --------
    >>> example_dependent_threshold([5.0, 95.0], fp_cost=5.0).tolist()
    [0.5, 0.05]
    """
    return np.atleast_1d(bayes_threshold(example_fn_costs(amount, fixed_fn_cost=fixed_fn_cost,
                                                          fn_share=fn_share),
                                         fp_cost, tp_cost=tp_cost))


def amount_cost(y_true, y_pred, amount, *, fp_cost, fixed_fn_cost=0.0, fn_share=1.0,
                pos_label=1):
    r"""Total cost of decisions when a missed positive costs its amount.

    .. math::

        \text{cost} = \sum_{i \in FN} (s \cdot a_i + h) + c_{FP} \cdot \#FP

    (:func:`imbalance_kit.metrics.business_cost` with the per-row costs of
    :func:`example_fn_costs`).

    Parameters
    ----------
    y_true, y_pred : array-like of shape (n_samples,)
        Labels and decisions (1 or ``pos_label`` = fraud / alert).
    amount : array-like of shape (n_samples,)
        Non-negative amounts.
    fp_cost : float
        Cost of a false alarm.
    fixed_fn_cost, fn_share : float
        As in :func:`example_fn_costs`.
    pos_label : int, float, bool or str, default=1

    Returns
    -------
    float

    Examples
    --------
    >>> amount_cost([1, 1, 0], [0, 1, 1], [80.0, 20.0, 9.0], fp_cost=5, fixed_fn_cost=50)
    135.0
    """
    per_row = example_fn_costs(amount, fixed_fn_cost=fixed_fn_cost, fn_share=fn_share)
    return business_cost(y_true, y_pred, fn_cost=1.0, fp_cost=fp_cost, amount=per_row,
                         pos_label=pos_label)


def _amount_cost_score(y_true, y_pred, amount, fp_cost, fixed_fn_cost, fn_share, pos_label):
    return amount_cost(y_true, y_pred, amount, fp_cost=fp_cost, fixed_fn_cost=fixed_fn_cost,
                       fn_share=fn_share, pos_label=pos_label)


def make_amount_cost_scorer(*, fp_cost, fixed_fn_cost=0.0, fn_share=1.0, pos_label=1):
    """A scorer of the example-dependent cost for ``TunedThresholdClassifierCV``.

    The scorer returns minus :func:`amount_cost` (scikit-learn maximises) and
    asks for the amounts as metadata: enable scikit-learn's metadata routing
    and pass ``amount=`` to ``fit``; the amounts of each validation fold then
    reach the scorer. (For costs that do not depend on the row, use
    :func:`imbalance_kit.metrics.make_cost_scorer`, which needs no routing.)

    Parameters
    ----------
    fp_cost : float
        Cost of a false alarm.
    fixed_fn_cost, fn_share : float
        As in :func:`example_fn_costs`.
    pos_label : int, float, bool or str, default=1

    Returns
    -------
    callable
        ``scorer(estimator, X, y, amount=...) -> -cost``.

    Examples
    --------
    >>> import numpy as np, sklearn
    >>> from sklearn.linear_model import LogisticRegression
    >>> from sklearn.model_selection import TunedThresholdClassifierCV
    >>> rng = np.random.default_rng(0)
    >>> X = rng.normal(size=(600, 2)); y = (X[:, 0] + rng.normal(size=600) > 2).astype(int)
    >>> amount = rng.exponential(100, size=600)
    >>> with sklearn.config_context(enable_metadata_routing=True):
    ...     scorer = make_amount_cost_scorer(fp_cost=5, fixed_fn_cost=50)
    ...     tuned = TunedThresholdClassifierCV(LogisticRegression(), scoring=scorer, cv=3)
    ...     tuned = tuned.fit(X, y, amount=amount)
    >>> bool(tuned.best_threshold_ < 0.5)
    True
    """
    from sklearn.metrics import make_scorer

    fp_cost = check_nonnegative(fp_cost, "fp_cost")
    fixed_fn_cost = check_nonnegative(fixed_fn_cost, "fixed_fn_cost")
    fn_share = check_nonnegative(fn_share, "fn_share")
    scorer = make_scorer(_amount_cost_score, greater_is_better=False, fp_cost=fp_cost,
                         fixed_fn_cost=fixed_fn_cost, fn_share=fn_share, pos_label=pos_label)
    return scorer.set_score_request(amount=True)


# ---------------------------------------------------------------------------
# Alert budgets
# ---------------------------------------------------------------------------


def budget_k(alerts_per_day, n_days):
    """Alerts a team can review over a period: ``floor(alerts_per_day * n_days)``, at least 1.

    Parameters
    ----------
    alerts_per_day : float
        The team's capacity (> 0).
    n_days : float
        Length of the period in days (> 0; a test set of 14 hours is 14 / 24).

    Returns
    -------
    int

    Examples
    --------
    >>> budget_k(400, 0.6)
    240
    """
    per_day = check_nonnegative(alerts_per_day, "alerts_per_day")
    days = check_nonnegative(n_days, "n_days")
    if per_day == 0 or days == 0:
        raise ValueError("alerts_per_day and n_days must be > 0.")
    return max(1, int(np.floor(per_day * days + 1e-9)))


def budget_threshold(y_score, k):
    """The score threshold a budget of ``k`` alerts implies on these scores.

    The ``k``-th highest score: alerting rows with ``score >= threshold``
    raises exactly ``k`` alerts when the scores have no tie there (more when
    rows tie with the ``k``-th). Computed on validation scores it is the
    threshold to use on the next period, if that period looks like the
    validation one (same volume, same score distribution): scale ``k`` to the
    validation period's length with :func:`budget_k`.

    Parameters
    ----------
    y_score : array-like of shape (n_samples,)
        Scores, higher meaning more suspicious.
    k : int
        Number of alerts, ``1 <= k <= n_samples``.

    Returns
    -------
    float

    Examples
    --------
    >>> budget_threshold([0.1, 0.9, 0.3, 0.8, 0.5], k=2)
    0.8
    """
    s = check_scores(y_score, "y_score")
    k = check_positive_int(k, "k")
    if k > s.size:
        raise ValueError(f"k={k} is larger than the number of scores ({s.size}).")
    return float(np.partition(s, s.size - k)[s.size - k])


class BudgetMetrics(NamedTuple):
    """Precision and recall of ``k`` alerts a day, pooled over the days.

    Attributes
    ----------
    precision : float
        Frauds among the alerts, all days together.
    recall : float
        Share of all frauds that were alerted.
    alerts, caught, positives : int
        Totals over the days.
    per_day : pandas.DataFrame
        One row per day: ``day, alerts, caught, positives, precision, recall``.
    """

    precision: float
    recall: float
    alerts: int
    caught: int
    positives: int
    per_day: object


def daily_budget_metrics(y_true, y_score, days, alerts_per_day, *, pos_label=1):
    """Each day, alert the ``alerts_per_day`` highest-scored rows; how good is that?

    The operational view of precision@k (the Fraud Detection Handbook's
    Precision@k per day): the team's capacity is renewed every day, so the
    top ``k`` is taken within each day (all rows when a day has fewer).
    Ties are broken by row order, as :func:`imbalance_kit.metrics.precision_at_k`.

    Parameters
    ----------
    y_true : array-like of shape (n_samples,)
        0/1 labels (or ``pos_label``), at least one positive.
    y_score : array-like of shape (n_samples,)
        Scores, higher meaning more suspicious.
    days : array-like of shape (n_samples,)
        The day of each row (any sortable labels: day numbers, dates).
    alerts_per_day : int
        The daily budget ``k`` (>= 1).
    pos_label : int, float, bool or str, default=1

    Returns
    -------
    BudgetMetrics
        ``(precision, recall, alerts, caught, positives, per_day)``.

    Examples
    --------
    >>> m = daily_budget_metrics([1, 0, 0, 1, 1, 0], [0.9, 0.8, 0.1, 0.2, 0.7, 0.6],
    ...                          days=[0, 0, 0, 1, 1, 1], alerts_per_day=1)
    >>> m.precision, m.recall, m.alerts
    (1.0, 0.6666666666666666, 2)
    """
    import pandas as pd

    y = check_binary_labels(y_true, "y_true", require_both=False, pos_label=pos_label)
    s = check_scores(y_score, "y_score", n=y.size)
    d = np.asarray(days)
    check_same_length(y_true=y, days=d)
    k = check_positive_int(alerts_per_day, "alerts_per_day")
    if y.sum() == 0:
        raise ValueError("y_true has no positive: recall is undefined.")
    # Rank within each day by descending score; a stable sort keeps row order among ties.
    frame = pd.DataFrame({"day": d, "y": y, "s": s})
    order = np.lexsort((np.arange(y.size), -s))
    rank = frame.iloc[order].groupby("day", sort=False).cumcount()
    frame["alert"] = (rank.reindex(frame.index) < k).astype(int)
    frame["caught"] = frame["alert"] * frame["y"]
    per_day = frame.groupby("day").agg(alerts=("alert", "sum"), caught=("caught", "sum"),
                                       positives=("y", "sum")).reset_index()
    per_day["precision"] = per_day["caught"] / per_day["alerts"]
    per_day["recall"] = np.where(per_day["positives"] > 0,
                                 per_day["caught"] / per_day["positives"].where(per_day["positives"] > 0, 1),
                                 np.nan)
    alerts, caught, positives = (int(per_day[c].sum()) for c in ("alerts", "caught", "positives"))
    return BudgetMetrics(precision=caught / alerts, recall=caught / positives, alerts=alerts,
                         caught=caught, positives=positives, per_day=per_day)


# ---------------------------------------------------------------------------
# A cost-weighted logistic loss for XGBoost
# ---------------------------------------------------------------------------


def xgboost_cost_objective(fn_cost=1.0, fp_cost=1.0):
    r"""Custom XGBoost objective: the logistic loss weighted by the cost of each error.

    .. math::

        L = -\sum_i w_i \left[c_{FN}\, y_i \log p_i + c_{FP}\,(1 - y_i) \log(1 - p_i)\right],
        \quad p_i = \sigma(x_i)

    with gradient :math:`w_i c_{y_i} (p_i - y_i)` and hessian
    :math:`w_i c_{y_i} p_i (1 - p_i)` in the raw margin :math:`x_i`, where
    :math:`c_1 = c_{FN}` and :math:`c_0 = c_{FP}`. A positive then weighs
    :math:`c_{FN}/c_{FP}` times a negative: the same trees as
    ``scale_pos_weight = fn_cost / fp_cost`` with ``fp_cost = 1``. Per-row
    costs (each fraud weighted by its amount) come in as ``sample_weight``.
    Like ``scale_pos_weight`` it inflates the probabilities: the model's
    odds are :math:`c_{FN}/c_{FP}` times the real ones
    (:func:`imbalance_kit.calibration.correct_prior` with that ``w``).

    Parameters
    ----------
    fn_cost, fp_cost : float, default=1.0
        Costs of a missed positive and of a false alarm (> 0).

    Returns
    -------
    callable
        ``obj(a, b, sample_weight=None) -> (grad, hess)`` for both
        ``xgboost.train(params, dtrain, obj=obj)`` (``obj(predt, dtrain)``,
        weights from the DMatrix) and ``XGBClassifier(objective=obj)``
        (``obj(y_true, y_pred[, sample_weight])``). Predict with
        ``output_margin=True`` and apply the sigmoid for probabilities.

    Notes
    -----
    With ``xgboost.train`` put ``"objective": "binary:logistic"`` in the
    params next to ``obj=``: it only sets the link, and without it XGBoost
    falls back to ``reg:squarederror``, whose ``base_score=0.5`` is a starting
    *margin* of 0.5 instead of :math:`\mathrm{logit}(0.5) = 0`. The trees then
    differ from ``XGBClassifier(objective=obj)``'s (which sets the logistic
    link itself); with the link set, both give the same margins.

    Examples
    --------
    >>> obj = xgboost_cost_objective(fn_cost=10, fp_cost=1)
    >>> grad, hess = obj(np.array([1, 0]), np.array([0.0, 0.0]))
    >>> grad.tolist(), hess.tolist()
    ([-5.0, 0.5], [2.5, 0.25])
    """
    fn = check_nonnegative(fn_cost, "fn_cost")
    fp = check_nonnegative(fp_cost, "fp_cost")
    if fn == 0 or fp == 0:
        raise ValueError("fn_cost and fp_cost must be > 0 (a zero cost would drop a class from the loss).")

    def cost_objective(a, b, sample_weight=None):
        if hasattr(b, "get_label"):          # xgboost.train: (predt, dtrain)
            margin, labels = a, b.get_label()
            if sample_weight is None and hasattr(b, "get_weight"):
                sample_weight = b.get_weight()
        else:                                # scikit-learn API: (y_true, y_pred)
            labels, margin = a, b
        margin = np.asarray(margin, dtype=np.float64)
        labels = check_binary_labels(labels, "labels", require_both=False).astype(np.float64)
        if labels.size != margin.size:
            raise ValueError(f"labels has {labels.size} values but the margins have {margin.size}.")
        x = margin.reshape(labels.shape)
        p = np.exp(-np.logaddexp(0.0, -x))   # sigmoid without overflow
        c = np.where(labels == 1, fn, fp)
        grad, hess = c * (p - labels), np.maximum(c * p * (1.0 - p), 1e-16)
        if sample_weight is not None and np.size(sample_weight) > 0:
            w = check_sample_weight(sample_weight, labels.size)
            grad, hess = grad * w, hess * w
        return grad.reshape(margin.shape), hess.reshape(margin.shape)

    return cost_objective
