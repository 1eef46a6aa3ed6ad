"""Tests for the rule layer, rules OR score, and the cheapest threshold within capacity."""

import numpy as np
import pandas as pd
import pytest

from imbalance_kit.alerting import cheapest_threshold, combined_score, rule_alerts
from imbalance_kit.costs import amount_cost


def _brute_force(y, s, amount, fp_cost, fixed_fn_cost, max_alerts):
    """Every candidate threshold, its cost from the kit's amount_cost, the cheapest allowed."""
    best = None
    for t in [np.inf, *sorted(set(s), reverse=True)]:
        alert = (s >= t).astype(int)
        if alert.sum() > max_alerts:
            continue
        cost = amount_cost(y, alert, amount, fp_cost=fp_cost, fixed_fn_cost=fixed_fn_cost)
        if best is None or cost < best[1] - 1e-9:
            best = (t, cost, int(alert.sum()))
    return best


@pytest.mark.parametrize("seed", range(6))
def test_cheapest_threshold_matches_brute_force(seed):
    rng = np.random.default_rng(seed)
    n = 300
    y = (rng.random(n) < 0.1).astype(int)
    s = np.round(rng.random(n) * 0.5 + 0.4 * y, 2)  # rounded: many ties
    amount = rng.exponential(60, n)
    for cap in (0, 5, 30, n):
        got = cheapest_threshold(y, s, amount, fp_cost=4.0, fixed_fn_cost=20.0, max_alerts=cap)
        ref = _brute_force(y, s, amount, 4.0, 20.0, cap)
        assert got.threshold == ref[0] and got.alerts == ref[2]
        np.testing.assert_allclose(got.cost, ref[1])
        assert got.alerts <= cap


def test_capacity_binds_and_ties_are_all_or_nothing():
    y = [1, 1, 0, 1]
    s = [0.9, 0.5, 0.5, 0.5]
    amount = [10.0, 10.0, 10.0, 10.0]
    free = cheapest_threshold(y, s, amount, fp_cost=1.0)
    assert free.threshold == 0.5 and free.alerts == 4
    capped = cheapest_threshold(y, s, amount, fp_cost=1.0, max_alerts=3)
    assert capped.threshold == 0.9 and capped.alerts == 1  # the tie of three does not fit
    none = cheapest_threshold([0, 0], [0.2, 0.1], [1.0, 1.0], fp_cost=1.0)
    assert none.threshold == np.inf and none.alerts == 0 and none.cost == 0.0


def test_bad_threshold_input_is_named():
    with pytest.raises(ValueError, match="amount must be >= 0"):
        cheapest_threshold([1, 0], [0.2, 0.1], [1.0, -1.0], fp_cost=1.0)
    with pytest.raises(ValueError, match="max_alerts"):
        cheapest_threshold([1, 0], [0.2, 0.1], [1.0, 1.0], fp_cost=1.0, max_alerts=-1)
    with pytest.raises(ValueError, match="fp_cost"):
        cheapest_threshold([1, 0], [0.2, 0.1], [1.0, 1.0], fp_cost=-1.0)
    with pytest.raises(ValueError, match="y_score"):
        cheapest_threshold([1, 0], [0.2], [1.0, 1.0], fp_cost=1.0)


def test_rule_alerts_is_amount_above_bound_or_known_terminal_fraud():
    tx = pd.DataFrame({
        "amount": [10.0, 250.0, 250.01, 10.0, 10.0],
        "terminal_risk_7d": [0.0, 0.0, 0.0, 0.5, 0.0],
        "terminal_risk_30d": [0.0, 0.0, 0.0, 0.0, 0.3],
        "is_fraud": [1, 1, 0, 0, 1],  # never read: labels of the current rows are unknown
    })
    np.testing.assert_array_equal(rule_alerts(tx, amount_bound=250.0),
                                  [False, False, True, True, False])
    np.testing.assert_array_equal(
        rule_alerts(tx, amount_bound=np.inf, risk_column="terminal_risk_30d"),
        [False, False, False, False, True])
    with pytest.raises(ValueError, match="missing the column 'terminal_risk_7d'"):
        rule_alerts(tx.drop(columns="terminal_risk_7d"), amount_bound=1.0)
    with pytest.raises(ValueError, match="amount_bound"):
        rule_alerts(tx, amount_bound=-1.0)
    with pytest.raises(ValueError, match="DataFrame"):
        rule_alerts(tx.to_numpy(), amount_bound=1.0)


def test_combined_score_equals_rule_or_threshold():
    rng = np.random.default_rng(0)
    p = rng.random(500)
    rule = rng.random(500) < 0.1
    combined = combined_score(p, rule)
    for t in (0.01, 0.3, 0.9, 1.0):
        np.testing.assert_array_equal(combined >= t, rule | (p >= t))
    with pytest.raises(ValueError, match="rule_hit must be booleans"):
        combined_score(p, rule.astype(int))
    with pytest.raises(ValueError, match="probabilities"):
        combined_score(p + 1, rule)
