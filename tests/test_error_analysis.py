"""Tests for the missed-fraud breakdown, against a per-segment loop and pandas."""

import numpy as np
import pandas as pd
import pytest

from imbalance_kit.error_analysis import BREAKDOWN_COLUMNS, missed_fraud_breakdown


def _loop_reference(y, alert, seg, amount):
    rows = {}
    total_missed_value = sum(a for t, p, a in zip(y, alert, amount) if t == 1 and not p)
    for g in sorted(set(s for s, t in zip(seg, y) if t == 1)):
        frauds = [(p, a) for t, p, a, s in zip(y, alert, amount, seg) if t == 1 and s == g]
        missed = [a for p, a in frauds if not p]
        value = float(sum(missed))
        rows[g] = (len(frauds), len(missed), len(missed) / len(frauds), value,
                   value / total_missed_value if total_missed_value else 0.0)
    return rows


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_matches_a_loop_over_segments(seed):
    rng = np.random.default_rng(seed)
    n = 3000
    y = (rng.random(n) < 0.05).astype(int)
    alert = rng.random(n) < 0.4
    seg = rng.choice(["night", "day", "evening", "legit-only"], size=n)
    y[seg == "legit-only"] = 0
    amount = rng.exponential(80, n).round(2)
    table = missed_fraud_breakdown(y, alert, seg, amount)
    assert list(table.columns) == list(BREAKDOWN_COLUMNS)
    ref = _loop_reference(y, alert, seg, amount)
    assert list(table.index) == list(ref)  # sorted, only segments holding a fraud
    for g, values in ref.items():
        np.testing.assert_allclose(table.loc[g].to_numpy(dtype=float), values, rtol=1e-12)
    np.testing.assert_allclose(table["value_share"].sum(), 1.0)
    assert table["frauds"].sum() == y.sum()
    assert table["missed"].sum() == ((y == 1) & ~alert).sum()


def test_false_alarms_and_legitimate_rows_never_count():
    y = [1, 0, 0, 1]
    table = missed_fraud_breakdown(y, [0, 1, 0, 1], ["a", "a", "a", "b"], [10.0, 999.0, 999.0, 5.0])
    assert table.loc["a", "frauds"] == 1 and table.loc["a", "missed_value"] == 10.0
    assert table.loc["b", "missed"] == 0 and table.loc["b", "value_share"] == 0.0


def test_nothing_missed_gives_zero_shares_and_numeric_segments_sort():
    table = missed_fraud_breakdown([1, 1, 0], [True, True, False], [3, 1, 2], [5.0, 6.0, 7.0])
    assert list(table.index) == [1, 3]
    assert (table["value_share"] == 0).all() and (table["miss_rate"] == 0).all()


def test_accepts_pandas_and_categorical_segments():
    df = pd.DataFrame({"y": [1, 1, 0, 1], "alert": [0, 1, 0, 0],
                       "band": pd.cut([5, 500, 50, 20], [0, 100, 1000]), "amount": [5, 500, 50, 20]})
    table = missed_fraud_breakdown(df["y"], df["alert"], df["band"], df["amount"])
    assert table["frauds"].sum() == 3
    np.testing.assert_allclose(table["value_share"].sum(), 1.0)


@pytest.mark.parametrize(
    "kwargs, message",
    [
        ({"y_true": [0, 0, 0]}, "no fraud"),
        ({"y_true": [1, 2, 0]}, "y_true"),
        ({"alerted": [0, 2, 1]}, "alerted"),
        ({"amount": [1.0, -1.0, 2.0]}, "amount must be >= 0"),
        ({"amount": [1.0, 2.0]}, "amount"),
        ({"segment": ["a", "b"]}, "segment"),
    ],
)
def test_bad_input_is_named(kwargs, message):
    args = {"y_true": [1, 0, 1], "alerted": [0, 0, 1], "segment": ["a", "b", "a"],
            "amount": [1.0, 2.0, 3.0], **kwargs}
    with pytest.raises(ValueError, match=message):
        missed_fraud_breakdown(**args)
