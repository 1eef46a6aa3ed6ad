"""Which frauds does a model miss? Missed frauds broken down by segment.

A recall of 70 % says that 30 % of frauds get through; it does not say which.
A fraud team asks *where* the misses are (large or small amounts, night or
day, a known attack or a new one, new or known customers and terminals) and
*how much money* they carry, because a segment with few misses can hold most
of the lost value. :func:`missed_fraud_breakdown` answers both in one table:

.. math::

    \\text{miss rate}_g = \\frac{\\#\\{i \\in g : y_i = 1, \\hat y_i = 0\\}}
                               {\\#\\{i \\in g : y_i = 1\\}}, \\qquad
    \\text{value share}_g = \\frac{\\sum_{i \\in g,\\, y_i = 1,\\, \\hat y_i = 0} a_i}
                                {\\sum_{i:\\, y_i = 1,\\, \\hat y_i = 0} a_i}.

It is the reference of the false-negative exercise of ``09_fraud_case_study``.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from imbalance_kit.validation import (
    check_1d,
    check_binary_labels,
    check_same_length,
    check_scores,
)

__all__ = ["BREAKDOWN_COLUMNS", "missed_fraud_breakdown"]

BREAKDOWN_COLUMNS = ("frauds", "missed", "miss_rate", "missed_value", "value_share")


def missed_fraud_breakdown(y_true, alerted, segment, amount):
    """Missed frauds per segment: how many, how often, and their share of the lost value.

    Parameters
    ----------
    y_true : array-like of shape (n_samples,)
        1 for a fraud, 0 for a legitimate transaction.
    alerted : array-like of shape (n_samples,)
        The decisions: truthy where an alert was raised.
    segment : array-like of shape (n_samples,)
        The segment of each row (any sortable labels: an amount band, an
        hour, a scenario, "new" / "known").
    amount : array-like of shape (n_samples,)
        The transaction amounts (>= 0).

    Returns
    -------
    DataFrame
        One row per segment that holds at least one fraud, indexed by the
        segment value (sorted), with columns

        - ``frauds``: frauds in the segment;
        - ``missed``: frauds in the segment with no alert (false negatives);
        - ``miss_rate``: ``missed / frauds``;
        - ``missed_value``: the amounts of those missed frauds, summed;
        - ``value_share``: ``missed_value`` over the value of *all* missed
          frauds (the column sums to 1; all 0 when the missed frauds carry
          no value, or none was missed).

        Legitimate rows (false alarms, true negatives) never count.

    Examples
    --------
    >>> table = missed_fraud_breakdown(
    ...     y_true=[1, 1, 1, 0, 1], alerted=[0, 1, 0, 0, 1],
    ...     segment=["night", "day", "day", "night", "night"],
    ...     amount=[300.0, 20.0, 100.0, 5.0, 40.0])
    >>> table[["frauds", "missed", "missed_value"]]
           frauds  missed  missed_value
    day         2       1         100.0
    night       2       1         300.0
    >>> table["value_share"].tolist()
    [0.25, 0.75]
    """
    y = check_binary_labels(y_true, "y_true", require_both=False)
    alert = check_1d(alerted, "alerted")
    if alert.dtype.kind not in "biuf" or not np.isin(alert, (0, 1)).all():
        raise ValueError("alerted must hold booleans or 0/1 decisions (one per row).")
    seg = check_1d(segment, "segment", dtype=object)
    a = check_scores(amount, "amount")
    check_same_length(y_true=y, alerted=alert, segment=seg, amount=a)
    if (a < 0).any():
        raise ValueError("amount must be >= 0.")
    if y.sum() == 0:
        raise ValueError("y_true holds no fraud: there is nothing to break down.")
    fraud = y == 1
    missed = fraud & (alert == 0)
    frame = pd.DataFrame({
        "segment": pd.Series(seg[fraud]).to_numpy(),
        "missed": missed[fraud].astype(np.int64),
        "missed_value": np.where(missed, a, 0.0)[fraud],
    })
    table = frame.groupby("segment", sort=True).agg(
        frauds=("missed", "size"), missed=("missed", "sum"), missed_value=("missed_value", "sum"))
    table.index.name = None
    table["miss_rate"] = table["missed"] / table["frauds"]
    total = table["missed_value"].sum()
    # Nothing missed: no lost value to share out (0 rather than 0 / 0).
    table["value_share"] = table["missed_value"] / total if total > 0 else 0.0
    return table[list(BREAKDOWN_COLUMNS)]
