r"""How a fraud system raises alerts: a rule layer, rules OR a score, the cheapest threshold within capacity.

Production fraud systems rarely alert on a model score alone. Known patterns
get **rules** (an amount above a bound, a terminal with confirmed fraud in
its recent, already-labelled past), the model covers the rest, and an alert
is raised when *a rule fires or the score reaches a threshold*. The
threshold is then a business decision: the one with the lowest total cost

.. math::

    \text{cost}(t) = \sum_{i:\, y_i = 1,\, \hat y_i(t) = 0} (a_i + h)
                     + c_{FP} \cdot \#\{i : y_i = 0,\, \hat y_i(t) = 1\}

(amount :math:`a_i` plus a handling fee :math:`h` per missed fraud, an
analyst's time per false alarm) **among the thresholds the team can
review**, at most ``max_alerts`` alerts.

- :func:`rule_alerts`: the reference rule layer of ``09_fraud_case_study``.
- :func:`combined_score`: rules OR score as one score (rule hits above every
  probability), so one threshold and one alert budget cover both.
- :func:`cheapest_threshold`: the cost-minimising threshold under an alert cap.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np
import pandas as pd

from imbalance_kit.validation import (
    check_binary_labels,
    check_nonnegative,
    check_positive_int,
    check_same_length,
    check_scores,
)

__all__ = ["CapacityThreshold", "cheapest_threshold", "combined_score", "rule_alerts"]

RULE_HIT_SCORE = 2.0  # above every probability: a rule hit outranks any model score


def rule_alerts(transactions, *, amount_bound, risk_column="terminal_risk_7d"):
    """The rule layer: alert on a large amount or on a terminal with known recent fraud.

    A row is alerted when ``amount > amount_bound`` **or** its terminal had
    at least one confirmed fraud in the risk window (``risk_column > 0``).
    The terminal-risk columns of
    :func:`imbalance_kit.datasets.make_transaction_features` end ``delay``
    days before the transaction, so the rule uses only labels that are
    known when the transaction happens (never ``is_fraud`` itself).

    Parameters
    ----------
    transactions : DataFrame
        Holds ``amount`` and ``risk_column``.
    amount_bound : float
        Amounts strictly above it fire the rule (>= 0; ``np.inf`` switches it off).
    risk_column : str, default="terminal_risk_7d"
        The terminal's share of confirmed frauds in its window.

    Returns
    -------
    ndarray of bool, shape (n_samples,)

    Examples
    --------
    >>> tx = pd.DataFrame({"amount": [30.0, 250.0, 251.0, 12.0],
    ...                    "terminal_risk_7d": [0.0, 0.0, 0.0, 0.2]})
    >>> rule_alerts(tx, amount_bound=250.0).tolist()
    [False, False, True, True]
    """
    if not isinstance(transactions, pd.DataFrame):
        raise ValueError(
            f"transactions must be a pandas DataFrame, got {type(transactions).__name__}.")
    for column in ("amount", risk_column):
        if column not in transactions.columns:
            raise ValueError(f"transactions is missing the column {column!r}.")
    bound = check_nonnegative(amount_bound, "amount_bound")
    amount = check_scores(transactions["amount"], "transactions['amount']")
    risk = check_scores(transactions[risk_column], f"transactions[{risk_column!r}]")
    return (amount > bound) | (risk > 0)


def combined_score(y_score, rule_hit):
    """Rules OR score as one score: rule hits get 2, above any probability.

    Alerting ``combined_score(p, rule) >= t`` for a threshold ``t`` in
    ``(0, 1]`` is exactly ``rule | (p >= t)``; a budget of ``k`` alerts
    then spends itself on the rule hits first.

    Parameters
    ----------
    y_score : array-like of shape (n_samples,)
        Probabilities in [0, 1].
    rule_hit : array-like of shape (n_samples,)
        Booleans: where a rule fires.

    Returns
    -------
    ndarray of float, shape (n_samples,)

    Examples
    --------
    >>> combined_score([0.1, 0.7, 0.2], [False, False, True]).tolist()
    [0.1, 0.7, 2.0]
    """
    p = check_scores(y_score, "y_score", probability=True)
    hit = np.asarray(rule_hit)
    check_same_length(y_score=p, rule_hit=hit)
    if hit.dtype != bool:
        raise ValueError("rule_hit must be booleans (one per row).")
    return np.where(hit, RULE_HIT_SCORE, p)


class CapacityThreshold(NamedTuple):
    """The result of :func:`cheapest_threshold`.

    Attributes
    ----------
    threshold : float
        Alert where ``score >= threshold`` (``inf``: alert nothing).
    cost : float
        The total cost at that threshold on the rows it was chosen on.
    alerts : int
        The alerts it raises there (``<= max_alerts``).
    """

    threshold: float
    cost: float
    alerts: int


def cheapest_threshold(y_true, y_score, amount, *, fp_cost, fixed_fn_cost=0.0, max_alerts=None):
    r"""The threshold with the lowest total cost among those raising at most ``max_alerts`` alerts.

    The candidates are every distinct score (alert ``score >= s``) and
    ``inf`` (no alert); rows tied at a score are alerted together, so a
    candidate is allowed only if *all* its alerts fit in the budget. The
    cost of a candidate is

    .. math:: \sum_{\text{missed frauds}} (a_i + h) + c_{FP} \cdot \#FP

    computed for all candidates at once from cumulative sums over the rows
    sorted by descending score. On a tie of costs the higher threshold
    (fewer alerts) wins.

    Parameters
    ----------
    y_true : array-like of shape (n_samples,)
        0/1 labels.
    y_score : array-like of shape (n_samples,)
        Scores, higher meaning more suspicious.
    amount : array-like of shape (n_samples,)
        Amounts (>= 0): what a missed fraud loses.
    fp_cost : float
        Cost of a false alarm (>= 0).
    fixed_fn_cost : float, default=0.0
        Handling cost of a missed fraud on top of its amount (>= 0).
    max_alerts : int or None, default=None
        The alert capacity over these rows (e.g. alerts a day times days);
        ``None`` for no cap.

    Returns
    -------
    CapacityThreshold
        ``(threshold, cost, alerts)``.

    Examples
    --------
    >>> y, s = [1, 0, 1, 0, 0], [0.9, 0.8, 0.7, 0.3, 0.1]
    >>> amount = [100.0, 10.0, 50.0, 10.0, 10.0]
    >>> cheapest_threshold(y, s, amount, fp_cost=5.0)
    CapacityThreshold(threshold=0.7, cost=5.0, alerts=3)
    >>> cheapest_threshold(y, s, amount, fp_cost=5.0, max_alerts=2)
    CapacityThreshold(threshold=0.9, cost=50.0, alerts=1)
    """
    y = check_binary_labels(y_true, "y_true", require_both=False)
    s = check_scores(y_score, "y_score", n=y.size)
    a = check_scores(amount, "amount", n=y.size)
    if (a < 0).any():
        raise ValueError("amount must be >= 0.")
    fp_cost = check_nonnegative(fp_cost, "fp_cost")
    fixed_fn_cost = check_nonnegative(fixed_fn_cost, "fixed_fn_cost")
    cap = y.size if max_alerts is None else check_positive_int(max_alerts, "max_alerts", minimum=0)

    order = np.argsort(-s, kind="stable")
    s_sorted, fn_cost = s[order], np.where(y == 1, a + fixed_fn_cost, 0.0)[order]
    is_fp = (y[order] == 0).astype(float)
    # Candidate j alerts the rows with score >= the j-th distinct score: cut after its last tie.
    last_of_tie = np.flatnonzero(np.r_[s_sorted[1:] != s_sorted[:-1], True])
    alerts = np.r_[0, last_of_tie + 1]
    thresholds = np.r_[np.inf, s_sorted[last_of_tie]]
    caught_cost = np.r_[0.0, np.cumsum(fn_cost)[last_of_tie]]
    false_alarms = np.r_[0.0, np.cumsum(is_fp)[last_of_tie]]
    cost = fn_cost.sum() - caught_cost + fp_cost * false_alarms
    allowed = alerts <= cap
    # argmin returns the first minimum: the highest threshold (fewest alerts) on a tie.
    best = int(np.argmin(np.where(allowed, cost, np.inf)))
    return CapacityThreshold(float(thresholds[best]), float(cost[best]), int(alerts[best]))
