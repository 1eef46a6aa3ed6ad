"""Splits that do not leak: train on the past, test on the future, each transaction once.

A shuffled split of a transaction table lets a model learn from transactions
that happened after the ones it is tested on, and puts exact copies of a
row on both sides. Production trains on the past and scores the future:
:func:`time_ordered_split` does the same (as the Fraud Detection Handbook's
evaluations do).

Examples
--------
>>> import pandas as pd
>>> df = pd.DataFrame({"Time": [3, 1, 2, 2, 4], "Class": [0, 1, 0, 0, 1]})
>>> train, test = time_ordered_split(df, test_size=0.25)
>>> train["Time"].tolist(), test["Time"].tolist()
([1, 2, 3], [4])
"""

from __future__ import annotations

import math

import pandas as pd

from imbalance_kit.validation import check_fraction

__all__ = ["time_ordered_split"]


def time_ordered_split(df, *, test_size=0.3, time_column="Time", drop_duplicates=True):
    """Drop exact duplicate rows, sort by time, and cut: the past trains, the future tests.

    Parameters
    ----------
    df : pandas.DataFrame
        The table; it is not modified.
    test_size : float, default=0.3
        Share of the (de-duplicated) rows in the test set, in (0, 1): the
        latest ``ceil(test_size * n)`` rows, as ``train_test_split`` counts them.
    time_column : str, default="Time"
    drop_duplicates : bool, default=True
        Keep the first copy of each exact duplicate row, so no transaction
        sits on both sides.

    Returns
    -------
    train_df, test_df : pandas.DataFrame
        Rows in time order (a stable sort: equal times keep their order);
        every training time is <= every test time.

    Examples
    --------
    >>> df = pd.DataFrame({"Time": [0, 5, 5, 9], "V1": [1.0, 2.0, 2.0, 3.0]})
    >>> train, test = time_ordered_split(df, test_size=0.5)
    >>> len(train), len(test)    # the duplicated row at time 5 is kept once
    (1, 2)
    """
    if not isinstance(df, pd.DataFrame):
        raise TypeError(f"df must be a pandas DataFrame, got {type(df).__name__}.")
    if time_column not in df.columns:
        raise ValueError(f"time_column {time_column!r} is not a column of df.")
    test_size = check_fraction(test_size, "test_size")
    unique = df.drop_duplicates(keep="first") if drop_duplicates else df
    ordered = unique.sort_values(time_column, kind="stable")
    n_test = math.ceil(test_size * len(ordered))
    if not 0 < n_test < len(ordered):
        raise ValueError(f"test_size={test_size} leaves an empty side with {len(ordered)} rows.")
    cut = len(ordered) - n_test
    return ordered.iloc[:cut].copy(), ordered.iloc[cut:].copy()
