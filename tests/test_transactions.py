"""Tests for the transaction simulator and its window features."""

import numpy as np
import pandas as pd
import pytest

from imbalance_kit.datasets import make_transaction_features, simulate_transactions
from imbalance_kit.datasets.transactions import DriftSchedule, TransactionTables

# Small world, compromise rates scaled down to it (2 terminals / 400, 1 customer / 200).
SMALL = dict(n_customers=200, n_terminals=400, n_days=30)


@pytest.fixture(scope="module")
def small():
    return simulate_transactions(**SMALL, random_state=0, return_tables=True)


@pytest.fixture(scope="module")
def small_features(small):
    return make_transaction_features(small.transactions)


# --------------------------------------------------------------------------- #
# Simulator: determinism, schema, order
# --------------------------------------------------------------------------- #
def test_same_seed_same_data_other_seed_other_data():
    a = simulate_transactions(**SMALL, random_state=3)
    b = simulate_transactions(**SMALL, random_state=3)
    c = simulate_transactions(**SMALL, random_state=4)
    pd.testing.assert_frame_equal(a, b)
    assert not a["amount"].head(100).equals(c["amount"].head(100))
    d = simulate_transactions(**SMALL, random_state=np.random.default_rng(3))
    e = simulate_transactions(**SMALL, random_state=np.random.default_rng(3))
    pd.testing.assert_frame_equal(d, e)


def test_schema(small):
    tx = small.transactions
    assert list(tx.columns) == [
        "transaction_id", "datetime", "seconds", "day", "customer_id",
        "terminal_id", "amount", "is_fraud", "scenario",
    ]
    assert tx["datetime"].dtype == "datetime64[ns]"
    for col in ("transaction_id", "seconds", "day", "customer_id", "terminal_id",
                "is_fraud", "scenario"):
        assert tx[col].dtype == np.int64, col
    assert tx["amount"].dtype == np.float64
    np.testing.assert_array_equal(tx["transaction_id"], np.arange(len(tx)))
    start = pd.Timestamp("2026-01-01")
    np.testing.assert_array_equal(
        (tx["datetime"] - start).dt.total_seconds().to_numpy(), tx["seconds"].to_numpy()
    )
    np.testing.assert_array_equal(tx["day"], tx["seconds"] // 86400)
    assert tx["day"].between(0, SMALL["n_days"] - 1).all()
    assert tx["customer_id"].between(0, SMALL["n_customers"] - 1).all()
    assert tx["terminal_id"].between(0, SMALL["n_terminals"] - 1).all()
    assert (tx["amount"] >= 0).all()
    np.testing.assert_allclose(tx["amount"], tx["amount"].round(2), atol=1e-9)  # cents
    np.testing.assert_array_equal(tx["is_fraud"], (tx["scenario"] > 0).astype(int))
    assert set(tx["scenario"]) <= {0, 1, 2, 3}
    assert tx.attrs["simulation"]["n_customers"] == SMALL["n_customers"]
    assert list(small.customers.columns) == [
        "customer_id", "x", "y", "mean_amount", "std_amount", "mean_nb_tx_per_day",
        "n_terminals_in_reach",
    ]
    assert list(small.terminals.columns) == ["terminal_id", "x", "y"]
    assert isinstance(small, TransactionTables)


def test_start_date_and_default_return_type():
    tx = simulate_transactions(5, 2000, 2, start_date="2025-03-01", random_state=0)
    assert isinstance(tx, pd.DataFrame) and len(tx) > 0
    assert tx["datetime"].min() >= pd.Timestamp("2025-03-01")
    assert tx["datetime"].max() < pd.Timestamp("2025-03-03")


def test_sorted_by_time(small):
    tx = small.transactions
    assert tx["seconds"].is_monotonic_increasing
    assert tx["datetime"].is_monotonic_increasing


def test_frame_with_attrs_can_be_concatenated_and_merged(small):
    # attrs hold only plain values, so pandas can compare them when combining frames.
    tx = small.transactions
    both = pd.concat([tx.iloc[:10], tx.iloc[10:20]])
    assert len(both) == 20
    merged = tx.merge(small.customers, on="customer_id")
    assert len(merged) == len(tx)


# --------------------------------------------------------------------------- #
# Simulator: fraud scenarios
# --------------------------------------------------------------------------- #
def test_scenario_1_is_every_amount_above_threshold(small):
    tx = small.transactions
    # Any amount over the threshold is a fraud (possibly labelled by a higher scenario).
    assert (tx.loc[tx["amount"] > 220, "is_fraud"] == 1).all()
    assert (tx.loc[tx["is_fraud"] == 0, "amount"] <= 220).all()
    # A lower bound than the default 220 makes scenario 1 frequent in a small world.
    tx = simulate_transactions(**SMALL, amount_threshold=150.0, random_state=0)
    s1 = tx[tx["scenario"] == 1]
    assert len(s1) > 50
    assert (s1["amount"] > 150).all()
    assert (tx.loc[tx["amount"] > 150, "is_fraud"] == 1).all()


def test_threshold_moves_scenario_1():
    low = simulate_transactions(**SMALL, amount_threshold=100.0, random_state=0)
    high = simulate_transactions(**SMALL, amount_threshold=300.0, random_state=0)
    assert (low["scenario"] == 1).sum() > (high["scenario"] == 1).sum()
    assert (low.loc[low["scenario"] == 1, "amount"] > 100).all()
    off = simulate_transactions(**SMALL, amount_threshold=np.inf, random_state=0)
    assert (off["scenario"] == 1).sum() == 0


def _covered(tx, events, id_name):
    """Boolean: the transaction's (entity, day) lies in some event window."""
    cells = set()
    for entity, start, end in events[[id_name, "start_day", "end_day"]].itertuples(index=False):
        cells.update((entity, d) for d in range(start, end))
    return np.array([(e, d) in cells for e, d in zip(tx[id_name], tx["day"])])


def test_scenario_2_frauds_are_compromised_terminals_within_window(small):
    tx, events = small.transactions, small.compromised_terminals
    # 2 terminals a day for 30 days, each compromised 28 days (cut at the end).
    assert len(events) == 2 * SMALL["n_days"]
    np.testing.assert_array_equal(events["end_day"],
                                  np.minimum(events["start_day"] + 28, SMALL["n_days"]))
    covered = _covered(tx, events, "terminal_id")
    s2 = tx["scenario"].to_numpy() == 2
    assert s2.sum() > 0
    assert covered[s2].all()
    # Every transaction on a compromised terminal in its window is a fraud: 2, or 3 which wins.
    assert set(tx.loc[covered, "scenario"]) <= {2, 3}
    assert (tx.loc[~covered, "scenario"] != 2).all()


def test_scenario_3_frauds_are_compromised_customers_with_inflated_amounts(small):
    tx, events = small.transactions, small.compromised_customers
    assert len(events) == 3 * SMALL["n_days"]
    covered = _covered(tx, events, "customer_id")
    s3 = tx["scenario"].to_numpy() == 3
    assert s3.sum() > 30
    assert covered[s3].all()
    # About one third of the compromised customers' transactions are frauds.
    share = s3[covered].mean()
    n = covered.sum()
    assert abs(share - 1 / 3) < 4 * np.sqrt(1 / 3 * 2 / 3 / n)
    # Fraud amounts are ~5x the customer's habit; legitimate ones ~1x.
    mean_amount = small.customers.set_index("customer_id")["mean_amount"]
    ratio = tx["amount"] / tx["customer_id"].map(mean_amount)
    assert 4.0 < ratio[s3].median() < 6.0
    assert 0.8 < ratio[tx["scenario"] == 0].median() < 1.2


def test_scenario_3_multiplies_the_amount_exactly():
    # The multiplier draws no randomness: same transactions, fraud amounts x5.
    one = simulate_transactions(**SMALL, customer_amount_multiplier=1.0, random_state=1)
    five = simulate_transactions(**SMALL, customer_amount_multiplier=5.0, random_state=1)
    s3 = five["scenario"].to_numpy() == 3
    np.testing.assert_array_equal(one["scenario"] == 3, s3)
    np.testing.assert_allclose(five.loc[s3, "amount"], 5 * one.loc[s3, "amount"], atol=0.03)
    np.testing.assert_array_equal(five.loc[~s3, "amount"], one.loc[~s3, "amount"])


def test_label_precedence_three_over_two_over_one():
    # A low threshold makes the scenarios overlap often.
    sim = simulate_transactions(**SMALL, amount_threshold=50.0, random_state=0, return_tables=True)
    tx = sim.transactions
    on_terminal = _covered(tx, sim.compromised_terminals, "terminal_id")
    on_customer = _covered(tx, sim.compromised_customers, "customer_id")
    big = (tx["amount"] > 50).to_numpy()
    s3 = (tx["scenario"] == 3).to_numpy()
    # Large amounts on compromised terminals: 2 wins over 1 (unless scenario 3).
    assert (on_terminal & big & ~s3).sum() > 20
    assert (tx.loc[on_terminal & big & ~s3, "scenario"] == 2).all()
    # Scenario 3 wins over 2 and over 1.
    assert (s3 & on_terminal).sum() > 0 and (s3 & big).sum() > 0
    assert on_customer[s3].all()
    assert (tx.loc[big & ~on_terminal & ~s3, "scenario"] == 1).all()


def test_fraud_rate_plausible_with_default_world():
    tx = simulate_transactions(n_days=60, random_state=0)
    # ~1.7 M transactions over 183 days: 9,000-ish a day.
    assert 8000 < len(tx) / 60 < 10500
    steady = tx[tx["day"] >= 28]  # after the build-up of compromised terminals
    assert 0.005 < steady["is_fraud"].mean() < 0.012
    counts = steady["scenario"].value_counts(normalize=True)
    assert 0.003 < counts[2] < 0.008  # ~ 2 x 28 / 10,000 terminals
    assert 0.001 < counts[3] < 0.004  # ~ 3 x 14 / 5,000 customers / 3
    assert 0.0001 < counts[1] < 0.002


def test_scenarios_can_be_switched_off():
    tx = simulate_transactions(**SMALL, n_compromised_terminals_per_day=0,
                               n_compromised_customers_per_day=0, random_state=0)
    assert set(tx["scenario"]) <= {0, 1}


# --------------------------------------------------------------------------- #
# Simulator: geography and time of day
# --------------------------------------------------------------------------- #
def test_customers_only_use_terminals_within_radius(small):
    tx = small.transactions
    c = small.customers.set_index("customer_id").loc[tx["customer_id"], ["x", "y"]].to_numpy()
    t = small.terminals.set_index("terminal_id").loc[tx["terminal_id"], ["x", "y"]].to_numpy()
    assert (np.hypot(*(c - t).T) <= 5.0 + 1e-12).all()
    # n_terminals_in_reach matches a brute-force count.
    cust, term = small.customers[["x", "y"]].to_numpy(), small.terminals[["x", "y"]].to_numpy()
    dist = np.hypot(cust[:, None, 0] - term[None, :, 0], cust[:, None, 1] - term[None, :, 1])
    np.testing.assert_array_equal(small.customers["n_terminals_in_reach"], (dist <= 5.0).sum(1))


def test_customer_without_terminal_in_reach_makes_no_transaction():
    sim = simulate_transactions(100, 10, 10, radius=3.0, n_compromised_terminals_per_day=0,
                                n_compromised_customers_per_day=0, random_state=0,
                                return_tables=True)
    lonely = sim.customers.loc[sim.customers["n_terminals_in_reach"] == 0, "customer_id"]
    assert len(lonely) > 50
    assert not sim.transactions["customer_id"].isin(lonely).any()
    assert len(sim.transactions) > 0


def test_customers_spread_over_their_terminals(small):
    # Each terminal in reach is equally likely: a busy customer uses many of them.
    tx = small.transactions
    busiest = tx["customer_id"].value_counts().index[0]
    used = tx.loc[tx["customer_id"] == busiest, "terminal_id"].nunique()
    reach = small.customers.loc[busiest, "n_terminals_in_reach"]
    assert used >= 0.5 * min(reach, (tx["customer_id"] == busiest).sum())


def test_time_of_day_has_night_trough(small):
    hours = small.transactions["datetime"].dt.hour
    per_hour = np.bincount(hours, minlength=24) / len(hours)
    assert per_hour[:6].mean() < 0.35 * per_hour[10:20].mean()
    assert per_hour.argmax() in range(9, 23)
    assert 0.03 < per_hour[:6].sum() < 0.15  # quiet, not empty


# A world with many compromised customers: thousands of scenario-3 frauds.
NIGHT_WORLD = dict(n_customers=1000, n_terminals=2000, n_days=60,
                   n_compromised_customers_per_day=10)


@pytest.fixture(scope="module")
def night_world():
    return simulate_transactions(**NIGHT_WORLD, random_state=0)


def _within(observed, expected, n, z=4.0):
    """|observed share - expected| within z binomial standard errors of n draws."""
    return abs(observed - expected) < z * np.sqrt(expected * (1 - expected) / n)


def test_hours_follow_the_real_hourly_volume(night_world):
    from scipy import stats

    from imbalance_kit.datasets.transactions import HOURLY_VOLUME

    # The real file's profile (data-facts): 284,807 rows, 8.4 % in 00:00-06:00.
    assert HOURLY_VOLUME.sum() == 284_807
    night_share = HOURLY_VOLUME[:6].sum() / HOURLY_VOLUME.sum()
    assert abs(night_share - 0.084) < 0.0005
    # Scenario-3 frauds get the fraudster's hour; all other rows keep the traffic's.
    tx = night_world[night_world["scenario"] != 3]
    hours = tx["datetime"].dt.hour.to_numpy()
    counts = np.bincount(hours, minlength=24)
    expected = HOURLY_VOLUME / HOURLY_VOLUME.sum() * counts.sum()
    assert stats.chisquare(counts, expected).pvalue > 1e-4
    assert _within((hours < 6).mean(), night_share, len(hours))
    # The old smooth curve (about 7 % at night) would fail this by ~40 standard errors.
    assert not _within(0.072, night_share, len(hours))


def test_scenario_3_frauds_are_likelier_at_night(night_world):
    from imbalance_kit.datasets.transactions import HOURLY_VOLUME, NIGHT_FRAUD_FACTOR

    night_volume = HOURLY_VOLUME[:6].sum() / HOURLY_VOLUME.sum()
    tx = night_world
    night = (tx["datetime"].dt.hour < 6).to_numpy()
    s3 = (tx["scenario"] == 3).to_numpy()
    assert s3.sum() > 3000
    # Share of scenario-3 frauds at night: f v / (f v + 1 - v) for night volume v.
    f = NIGHT_FRAUD_FACTOR
    expected = f * night_volume / (f * night_volume + 1 - night_volume)
    assert _within(night[s3].mean(), expected, s3.sum())
    # Per transaction, that is a night/day fraud-rate ratio of f for scenario 3 ...
    ratio = s3[night].mean() / s3[~night].mean()
    assert 0.8 * f < ratio < 1.25 * f
    # ... while scenarios 1 and 2 keep the traffic's hours (ratio 1).
    s12 = tx["scenario"].isin([1, 2]).to_numpy()
    assert s12.sum() > 500
    assert _within(night[s12].mean(), night[~s3].mean(), s12.sum())
    # Overall, fraud is likelier at night than by day.
    fraud = tx["is_fraud"].to_numpy() == 1
    n_night, n_day = night.sum(), (~night).sum()
    rate_n, rate_d = fraud[night].mean(), fraud[~night].mean()
    se = np.sqrt(rate_n * (1 - rate_n) / n_night + rate_d * (1 - rate_d) / n_day)
    assert rate_n - rate_d > 4 * se


@pytest.mark.parametrize("factor", [0.0, 1.0])
def test_night_fraud_factor_switches_the_tilt(factor):
    from imbalance_kit.datasets.transactions import HOURLY_VOLUME

    tx = simulate_transactions(**NIGHT_WORLD, night_fraud_factor=factor, random_state=1)
    night = (tx["datetime"].dt.hour < 6).to_numpy()
    s3 = (tx["scenario"] == 3).to_numpy()
    if factor == 0:
        assert s3.sum() > 3000 and not night[s3].any()
    else:
        share = HOURLY_VOLUME[:6].sum() / HOURLY_VOLUME.sum()
        assert _within(night[s3].mean(), share, s3.sum())
    assert tx["seconds"].is_monotonic_increasing
    np.testing.assert_array_equal(tx["transaction_id"], np.arange(len(tx)))
    np.testing.assert_array_equal(tx["day"], tx["seconds"] // 86400)
    assert tx.attrs["simulation"]["night_fraud_factor"] == factor


# --------------------------------------------------------------------------- #
# Simulator: drift
# --------------------------------------------------------------------------- #
@pytest.mark.parametrize("scenario", [2, 3])
def test_drift_switches_a_scenario_on_at_its_day(scenario):
    sim = simulate_transactions(**SMALL, drift=DriftSchedule(15, new_scenario=scenario),
                                random_state=0, return_tables=True)
    tx = sim.transactions
    assert (tx.loc[tx["day"] < 15, "scenario"] != scenario).all()
    assert (tx.loc[tx["day"] >= 15, "scenario"] == scenario).sum() > 0
    events = sim.compromised_terminals if scenario == 2 else sim.compromised_customers
    assert events["start_day"].min() == 15


def test_drift_switches_scenario_1_on():
    tx = simulate_transactions(**SMALL, drift={"start_day": 10, "new_scenario": 1},
                               amount_threshold=100.0, n_compromised_terminals_per_day=0,
                               n_compromised_customers_per_day=0, random_state=0)
    before, after = tx[tx["day"] < 10], tx[tx["day"] >= 10]
    assert (before["amount"] > 100).any() and (before["is_fraud"] == 0).all()
    assert (after["amount"] > 100).any()
    np.testing.assert_array_equal(after["scenario"] == 1, after["amount"] > 100)


def test_drift_raises_fraud_rate():
    sim = simulate_transactions(200, 400, 60, drift=DriftSchedule(30, fraud_rate_multiplier=3),
                                random_state=0, return_tables=True)
    per_day = sim.compromised_terminals["start_day"].value_counts().sort_index()
    assert (per_day.loc[:29] == 2).all() and (per_day.loc[30:] == 6).all()
    per_day = sim.compromised_customers["start_day"].value_counts().sort_index()
    assert (per_day.loc[:29] == 3).all() and (per_day.loc[30:] == 9).all()
    tx = sim.transactions
    rate_before = tx.loc[tx["day"].between(16, 29), "is_fraud"].mean()
    rate_after = tx.loc[tx["day"].between(46, 59), "is_fraud"].mean()
    assert rate_after > 1.8 * rate_before


def test_fractional_fraud_rate_multiplier_keeps_expected_count():
    sim = simulate_transactions(5, 1000, 400, n_compromised_customers_per_day=0,
                                drift=DriftSchedule(0, fraud_rate_multiplier=1.25),
                                random_state=0, return_tables=True)
    per_day = np.bincount(sim.compromised_terminals["start_day"], minlength=400)
    assert set(per_day) == {2, 3}
    assert abs(per_day.mean() - 2.5) < 0.1


def test_drift_inflates_amounts_from_its_day_and_leaves_the_rest():
    base = simulate_transactions(**SMALL, random_state=0)
    drifted = simulate_transactions(**SMALL, drift=DriftSchedule(12, amount_inflation=1.5),
                                    random_state=0)
    # Separate random streams: same transactions, only amounts (and labels) change.
    for col in ("datetime", "customer_id", "terminal_id"):
        pd.testing.assert_series_equal(base[col], drifted[col])
    before = (base["day"] < 12).to_numpy()
    np.testing.assert_array_equal(base.loc[before, "amount"], drifted.loc[before, "amount"])
    plain = ~before & (base["scenario"] != 3).to_numpy() & (drifted["scenario"] != 3).to_numpy()
    np.testing.assert_allclose(drifted.loc[plain, "amount"], 1.5 * base.loc[plain, "amount"],
                               atol=0.01)
    # The fixed threshold now catches more transactions.
    assert (drifted["scenario"] == 1).sum() > (base["scenario"] == 1).sum()


def test_drift_dict_list_and_composition():
    as_class = simulate_transactions(**SMALL, drift=DriftSchedule(10, amount_inflation=2.0),
                                     random_state=0)
    as_dict = simulate_transactions(**SMALL, drift={"start_day": 10, "amount_inflation": 2.0},
                                    random_state=0)
    pd.testing.assert_frame_equal(as_class, as_dict)
    both = simulate_transactions(
        **SMALL, random_state=0,
        drift=[DriftSchedule(10, amount_inflation=2.0), DriftSchedule(20, amount_inflation=1.5)],
    )
    base = simulate_transactions(**SMALL, random_state=0)
    plain = ((base["scenario"] != 3) & (both["scenario"] != 3)).to_numpy()
    late = plain & (base["day"] >= 20).to_numpy()
    np.testing.assert_allclose(both.loc[late, "amount"], 3.0 * base.loc[late, "amount"], atol=0.02)
    assert as_dict.attrs["simulation"]["drift"][0]["amount_inflation"] == 2.0


# --------------------------------------------------------------------------- #
# Simulator: parameter validation
# --------------------------------------------------------------------------- #
@pytest.mark.parametrize(
    "kwargs, name",
    [
        ({"n_customers": 0}, "n_customers"),
        ({"n_customers": 2.5}, "n_customers"),
        ({"n_terminals": -1}, "n_terminals"),
        ({"n_days": 0}, "n_days"),
        ({"start_date": "not a date"}, "start_date"),
        ({"start_date": "2026-01-01 00:00+01:00"}, "start_date"),
        ({"radius": 0.0}, "radius"),
        ({"radius": -2.0}, "radius"),
        ({"radius": np.inf}, "radius"),
        ({"amount_threshold": -1.0}, "amount_threshold"),
        ({"amount_threshold": "high"}, "amount_threshold"),
        ({"n_compromised_terminals_per_day": -1}, "n_compromised_terminals_per_day"),
        ({"n_compromised_terminals_per_day": 401}, "n_compromised_terminals_per_day"),
        ({"terminal_compromise_days": 0}, "terminal_compromise_days"),
        ({"n_compromised_customers_per_day": 1.5}, "n_compromised_customers_per_day"),
        ({"n_compromised_customers_per_day": 201}, "n_compromised_customers_per_day"),
        ({"customer_compromise_days": 0}, "customer_compromise_days"),
        ({"customer_amount_multiplier": 0.0}, "customer_amount_multiplier"),
        ({"customer_fraud_share": 0.0}, "customer_fraud_share"),
        ({"customer_fraud_share": 1.5}, "customer_fraud_share"),
        ({"night_fraud_factor": -1.0}, "night_fraud_factor"),
        ({"night_fraud_factor": np.inf}, "night_fraud_factor"),
        ({"night_fraud_factor": "high"}, "night_fraud_factor"),
        ({"drift": 5}, "drift"),
        ({"drift": {"start_day": 31}}, "drift.start_day"),
        ({"drift": {"start_day": -1}}, "drift.start_day"),
        ({"drift": {"start_day": 5, "new_scenario": 4}}, "drift.new_scenario"),
        ({"drift": {"start_day": 5, "fraud_rate_multiplier": -1}}, "drift.fraud_rate_multiplier"),
        ({"drift": {"start_day": 5, "amount_inflation": 0}}, "drift.amount_inflation"),
        ({"drift": {"start_day": 5, "inflation": 2}}, "drift"),
        ({"drift": {"new_scenario": 3}}, "start_day"),
        ({"return_tables": "yes"}, "return_tables"),
        ({"random_state": "seed"}, "random_state"),
    ],
)
def test_bad_simulation_parameter_raises_naming_it(kwargs, name):
    params = {**SMALL, **kwargs}
    with pytest.raises(ValueError, match=name.replace(".", r"\.")):
        simulate_transactions(**params)


def test_bad_simulation_parameter_messages_say_what_is_allowed():
    with pytest.raises(ValueError, match=r"n_compromised_terminals_per_day \(401\) cannot exceed "
                                         r"n_terminals \(400\)"):
        simulate_transactions(**SMALL, n_compromised_terminals_per_day=401)
    with pytest.raises(ValueError, match=r"radius must lie in \(0.0, inf\), got inf"):
        simulate_transactions(**SMALL, radius=np.inf)
    with pytest.raises(ValueError, match=r"drift.fraud_rate_multiplier must lie in \[0.0, inf\)"):
        DriftSchedule(3, fraud_rate_multiplier=np.inf)
    with pytest.raises(ValueError, match="drift.amount_inflation must be a number"):
        DriftSchedule(3, amount_inflation=np.nan)
    # A multiplier of 0 is allowed: it switches the compromise events off.
    assert DriftSchedule(3, fraud_rate_multiplier=0).fraud_rate_multiplier == 0


# --------------------------------------------------------------------------- #
# Features
# --------------------------------------------------------------------------- #
def _pandas_customer_reference(tx, w):
    """Rolling (t - w, t] per customer, straight from pandas; returned in tx's row order."""
    by_customer = tx.sort_values("customer_id", kind="stable")
    rolled = by_customer.set_index("datetime").groupby("customer_id")["amount"].rolling(f"{w}D")
    count = pd.Series(rolled.count().to_numpy(), index=by_customer.index).reindex(tx.index)
    mean = pd.Series(rolled.mean().to_numpy(), index=by_customer.index).reindex(tx.index)
    return count.to_numpy(), mean.to_numpy()


def _pandas_terminal_reference(tx, w, delay):
    """Count and fraud share in [t - delay - w, t - delay) per terminal, from pandas rollings."""
    by_terminal = tx.sort_values("terminal_id", kind="stable")
    grouped = by_terminal.set_index("datetime").groupby("terminal_id")["is_fraud"]

    def window(days):  # [t - days, t) per terminal, as (count, frauds)
        if days == 0:
            return 0, 0
        rolled = grouped.rolling(f"{days}D", closed="left")
        return rolled.count().fillna(0).to_numpy(), rolled.sum().fillna(0).to_numpy()

    (n_long, f_long), (n_short, f_short) = window(delay + w), window(delay)
    count, frauds = n_long - n_short, f_long - f_short
    risk = np.where(count > 0, frauds / np.maximum(count, 1), 0.0)
    def back(values):  # from terminal order back to tx's row order
        return pd.Series(values, index=by_terminal.index).reindex(tx.index).to_numpy()

    return back(count), back(risk)


def test_feature_columns_and_input_untouched(small):
    tx = small.transactions
    snapshot = tx.copy()
    feats = make_transaction_features(tx)
    pd.testing.assert_frame_equal(tx, snapshot)
    new = [c for c in feats.columns if c not in tx.columns]
    assert new == [
        "is_weekend", "is_night",
        "customer_nb_tx_1d", "customer_avg_amount_1d",
        "customer_nb_tx_7d", "customer_avg_amount_7d",
        "customer_nb_tx_30d", "customer_avg_amount_30d",
        "terminal_nb_tx_1d", "terminal_risk_1d",
        "terminal_nb_tx_7d", "terminal_risk_7d",
        "terminal_nb_tx_30d", "terminal_risk_30d",
    ]
    pd.testing.assert_frame_equal(feats[tx.columns], tx)
    assert feats["customer_nb_tx_1d"].dtype == np.int64
    assert feats["terminal_risk_7d"].between(0, 1).all()


def test_calendar_flags(small_features):
    f = small_features
    np.testing.assert_array_equal(f["is_weekend"], f["datetime"].dt.day_of_week.isin([5, 6]))
    np.testing.assert_array_equal(f["is_night"], f["datetime"].dt.hour < 6)


@pytest.mark.parametrize("w", [1, 7, 30])
def test_customer_windows_match_pandas_rolling(small, small_features, w):
    count, mean = _pandas_customer_reference(small.transactions, w)
    np.testing.assert_array_equal(small_features[f"customer_nb_tx_{w}d"], count)
    np.testing.assert_allclose(small_features[f"customer_avg_amount_{w}d"], mean, rtol=1e-9)


@pytest.mark.parametrize("w", [1, 7, 30])
def test_terminal_windows_match_pandas_rolling(small, small_features, w):
    count, risk = _pandas_terminal_reference(small.transactions, w, delay=7)
    np.testing.assert_array_equal(small_features[f"terminal_nb_tx_{w}d"], count)
    np.testing.assert_allclose(small_features[f"terminal_risk_{w}d"], risk, atol=1e-12)
    assert (small_features[f"terminal_risk_{w}d"] > 0).any()


@pytest.mark.parametrize("delay", [0, 3])
def test_other_windows_and_delays_match_pandas(delay):
    tx = simulate_transactions(60, 40, 20, random_state=2)  # few terminals: busy windows
    feats = make_transaction_features(tx, windows=(2, 5), delay=delay)
    for w in (2, 5):
        count, mean = _pandas_customer_reference(tx, w)
        np.testing.assert_array_equal(feats[f"customer_nb_tx_{w}d"], count)
        np.testing.assert_allclose(feats[f"customer_avg_amount_{w}d"], mean, rtol=1e-9)
        count, risk = _pandas_terminal_reference(tx, w, delay)
        np.testing.assert_array_equal(feats[f"terminal_nb_tx_{w}d"], count)
        np.testing.assert_allclose(feats[f"terminal_risk_{w}d"], risk, atol=1e-12)


def test_features_do_not_depend_on_row_order(small, small_features):
    # A customer's transactions at the same second are ordered by row order
    # (as in pandas), so compare only rows without such ties.
    tx = small.transactions
    tied = tx.duplicated(["customer_id", "datetime"], keep=False).to_numpy()
    assert tied.sum() < 10
    shuffled = tx.sample(frac=1.0, random_state=0)
    feats = make_transaction_features(shuffled).loc[tx.index]
    pd.testing.assert_frame_equal(feats[~tied], small_features[~tied])


def test_grouped_search_matches_per_group_searchsorted_across_chunks():
    # Nanosecond times over half a year and 3,000 groups need several int64 key chunks.
    from imbalance_kit.datasets.transactions import _search_in_groups

    rng = np.random.default_rng(0)
    group = np.sort(rng.integers(0, 3000, size=20_000))
    t = rng.integers(0, 180 * 86_400 * 10**9, size=group.size)
    order = np.lexsort((t, group))
    group, t = group[order], t[order]
    group = np.unique(group, return_inverse=True)[1]  # codes 0..k-1, as factorize gives
    bound = t - 7 * 86_400 * 10**9
    for side in ("left", "right"):
        got = _search_in_groups(group, t, bound, side)
        starts = np.searchsorted(group, np.arange(group.max() + 2))
        expected = np.array([
            starts[g] + np.searchsorted(t[starts[g]:starts[g + 1]], b, side=side)
            for g, b in zip(group, bound)
        ])
        np.testing.assert_array_equal(got, expected)


def _frame(rows):
    """Hand-made transactions: (datetime, customer, terminal, amount, is_fraud)."""
    columns = ["datetime", "customer_id", "terminal_id", "amount", "is_fraud"]
    df = pd.DataFrame(rows, columns=columns)
    df["datetime"] = pd.to_datetime(df["datetime"])
    return df


def test_window_boundaries_exactly():
    tx = _frame([
        ("2026-01-01 12:00", 0, 0, 10.0, 1),
        ("2026-01-02 12:00", 0, 0, 20.0, 0),  # exactly 1 day after the first
        ("2026-01-02 12:00", 1, 0, 99.0, 0),  # other customer, same time
        ("2026-01-03 11:59", 0, 0, 30.0, 0),
    ])
    f = make_transaction_features(tx, windows=(1,), delay=1)
    # Customer window (t - 1 day, t]: the transaction exactly 1 day earlier is out.
    np.testing.assert_array_equal(f["customer_nb_tx_1d"], [1, 1, 1, 2])
    np.testing.assert_allclose(f["customer_avg_amount_1d"], [10, 20, 99, 25])
    # Terminal window [t - 2 days, t - 1 day): row 1 (t - 1 day exactly) sees nothing
    # (end open), row 3 (at 01-03 11:59) sees rows 0 at 01-01 12:00 (inside) only.
    np.testing.assert_array_equal(f["terminal_nb_tx_1d"], [0, 0, 0, 1])
    np.testing.assert_allclose(f["terminal_risk_1d"], [0, 0, 0, 1.0])
    # Left end closed: a transaction exactly at t - delay - w counts.
    g = make_transaction_features(
        _frame([("2026-01-01 00:00", 0, 0, 1.0, 1), ("2026-01-03 00:00", 0, 0, 1.0, 0)]),
        windows=(1,), delay=1,
    )
    np.testing.assert_array_equal(g["terminal_nb_tx_1d"], [0, 1])


def test_delay_hides_recent_frauds_from_terminal_risk(small):
    tx = small.transactions
    # A late transaction on a terminal and the frauds of its last `delay` days.
    i = tx.index[-1]
    t, term = tx.at[i, "datetime"], tx.at[i, "terminal_id"]
    recent = (tx["terminal_id"] == term) & (tx["datetime"] >= t - pd.Timedelta(days=7))
    flipped = tx.copy()
    flipped.loc[recent, "is_fraud"] = 1 - flipped.loc[recent, "is_fraud"]
    before = make_transaction_features(tx).loc[i]
    after = make_transaction_features(flipped).loc[i]
    for w in (1, 7, 30):
        assert before[f"terminal_risk_{w}d"] == after[f"terminal_risk_{w}d"]
    # ... while flipping labels older than the delay does change it.
    older = (tx["terminal_id"] == term) & (tx["datetime"] < t - pd.Timedelta(days=7))
    assert older.any()
    flipped.loc[older, "is_fraud"] = 1 - flipped.loc[older, "is_fraud"]
    changed = make_transaction_features(flipped).at[i, "terminal_risk_30d"]
    assert changed != before["terminal_risk_30d"]


def test_delay_hand_made():
    tx = _frame([
        ("2026-01-01 10:00", 0, 5, 1.0, 1),
        ("2026-01-06 10:00", 1, 5, 1.0, 0),  # 5 days later: fraud not yet known (delay 7)
        ("2026-01-09 10:00", 2, 5, 1.0, 0),  # 8 days later: known
    ])
    f = make_transaction_features(tx, windows=(7,), delay=7)
    np.testing.assert_array_equal(f["terminal_nb_tx_7d"], [0, 0, 1])
    np.testing.assert_allclose(f["terminal_risk_7d"], [0.0, 0.0, 1.0])


def test_features_keep_index_and_accept_other_id_types():
    tx = _frame([
        ("2026-01-01 10:00", "alice", "shop", 10.0, 0),
        ("2026-01-01 11:00", "alice", "shop", 30.0, 1),
    ])
    tx.index = ["a", "b"]
    f = make_transaction_features(tx, windows=7, delay=0)
    assert list(f.index) == ["a", "b"]
    np.testing.assert_allclose(f["customer_avg_amount_7d"], [10.0, 20.0])
    np.testing.assert_allclose(f["terminal_risk_7d"], [0.0, 0.0])


@pytest.mark.parametrize("column", ["datetime", "customer_id", "terminal_id", "amount", "is_fraud"])
def test_missing_column_is_named(small, column):
    with pytest.raises(ValueError, match=f"missing the column.*{column}"):
        make_transaction_features(small.transactions.drop(columns=column))


@pytest.mark.parametrize(
    "change, name",
    [
        (lambda d: d.assign(datetime=d["seconds"]), r"transactions\['datetime'\]"),
        (lambda d: d.assign(datetime=d["datetime"].where(d.index != 3)),
         r"transactions\['datetime'\]"),
        (lambda d: d.assign(amount=d["amount"].where(d.index != 3)), r"transactions\['amount'\]"),
        (lambda d: d.assign(amount="x"), r"transactions\['amount'\]"),
        (lambda d: d.assign(is_fraud=2), r"transactions\['is_fraud'\]"),
        (lambda d: d.assign(customer_id=d["customer_id"].where(d.index != 3)),
         r"transactions\['customer_id'\]"),
        (lambda d: d.iloc[:0], "transactions is empty"),
        (lambda d: d.to_numpy(), "transactions must be a pandas DataFrame"),
    ],
)
def test_bad_transactions_raise_naming_the_problem(small, change, name):
    with pytest.raises(ValueError, match=name):
        make_transaction_features(change(small.transactions.head(50)))


@pytest.mark.parametrize(
    "kwargs, name",
    [
        ({"windows": ()}, "windows"),
        ({"windows": (0, 7)}, "windows"),
        ({"windows": (7, 7)}, "windows"),
        ({"windows": "7"}, "windows"),
        ({"windows": (1.5,)}, "windows"),
        ({"windows": (40_000,)}, "windows"),
        ({"delay": -1}, "delay"),
        ({"delay": 1.5}, "delay"),
    ],
)
def test_bad_feature_parameters_raise_naming_them(small, kwargs, name):
    with pytest.raises(ValueError, match=name):
        make_transaction_features(small.transactions.head(50), **kwargs)
