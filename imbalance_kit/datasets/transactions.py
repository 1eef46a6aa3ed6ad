"""A payment-card transaction simulator with fraud scenarios, and its window features.

The simulator follows the outline of the one described in *Reproducible
Machine Learning for Credit Card Fraud Detection - Practical Handbook*
(Le Borgne et al.): customers and terminals on a map, three labelled fraud
scenarios, and terminal-risk features that respect a label delay. This is an
independent implementation written from that description (the handbook's code
is GPL and is not used here). Like the handbook, every assumption is written
down, so a learner can see exactly which patterns there are to find.

Two functions:

- :func:`simulate_transactions` draws one row per transaction, labelled with
  ``is_fraud`` and the ``scenario`` that made it a fraud; an optional
  :class:`DriftSchedule` changes the world from a given day.
- :func:`make_transaction_features` turns the raw rows into model features:
  calendar flags, per-customer spending windows and per-terminal risk windows
  shifted back by the label delay.
"""

from __future__ import annotations

import dataclasses
import numbers
from typing import NamedTuple

import numpy as np
import pandas as pd
from scipy import special
from scipy.spatial import cKDTree

from imbalance_kit.validation import (
    check_binary_labels,
    check_choice,
    check_fraction,
    check_nonnegative,
    check_positive_int,
    check_random_state,
)

__all__ = [
    "SCENARIO_NAMES",
    "HOURLY_VOLUME",
    "NIGHT_END_HOUR",
    "NIGHT_FRAUD_FACTOR",
    "DriftSchedule",
    "TransactionTables",
    "make_transaction_features",
    "simulate_transactions",
]

SECONDS_PER_DAY = 86_400
GRID_SIZE = 100.0  # customers and terminals live on a GRID_SIZE x GRID_SIZE map

# Customer habits (each drawn once per customer, independently).
MEAN_AMOUNT_RANGE = (5.0, 100.0)  # mean amount ~ Uniform(5, 100)
AMOUNT_CV_RANGE = (0.25, 0.6)  # sd of amount = mean x Uniform(0.25, 0.6)
TX_RATE_SHAPE, TX_RATE_SCALE = 2.0, 0.925  # daily rate ~ Gamma(2, 0.925): mean 1.85/day

# Time of day, measured on the real Kaggle credit-card file (see data-facts):
# transactions per hour of day, the two days of the file added up. A
# transaction's hour is drawn with these weights, its second uniformly within
# the hour. The file's 00:00-06:00 holds 8.4 % of its transactions (00:00-08:00:
# 12.4 %); the earlier smooth day-time curve gave only about 7 % in 00:00-06:00.
HOURLY_VOLUME = np.array([
    7695, 4220, 3328, 3492, 2209, 2990, 4101, 7243, 10276, 15838, 16598, 16856,
    15420, 15365, 16570, 16461, 16453, 16166, 17039, 15649, 16756, 17703, 15441, 10938,
], dtype=float)

NIGHT_END_HOUR = 6  # is_night means 00:00 <= time of day < 06:00

# Fraud is likelier at night in the same file: 0.518 % of 00:00-06:00
# transactions against 0.141 % of the others, a ratio of 3.67. Fraudsters who
# hold a customer's card details (scenario 3) act when the cardholder sleeps and
# the bank's staff are few, so scenario-3 frauds get their hour from
# HOURLY_VOLUME tilted by this factor before NIGHT_END_HOUR (see
# simulate_transactions).
NIGHT_FRAUD_FACTOR = 3.67

SCENARIO_NAMES = {
    0: "legitimate",
    1: "large amount",
    2: "compromised terminal",
    3: "compromised customer",
}


@dataclasses.dataclass(frozen=True)
class DriftSchedule:
    """A change of the simulated world from ``start_day`` on (inclusive).

    Parameters
    ----------
    start_day : int
        First day (0-based, ``0 <= start_day < n_days``) on which the change
        holds; it holds until the end of the simulation.
    new_scenario : {None, 1, 2, 3}, default=None
        A fraud scenario that does not exist before ``start_day`` and is
        switched on from it (e.g. ``3``: customers are compromised only from
        ``start_day``). ``None`` switches nothing on.
    fraud_rate_multiplier : float, default=1.0
        From ``start_day``, the numbers of terminals and of customers
        compromised per day are multiplied by this factor. A fractional
        result is rounded up or down at random so that the *expected* number
        is exactly ``n_per_day x fraud_rate_multiplier``.
    amount_inflation : float, default=1.0
        From ``start_day``, every amount (legitimate or not) is multiplied by
        this factor *before* the scenarios are applied, so the fixed
        ``amount_threshold`` of scenario 1 catches more transactions.

    Several schedules may be passed as a list; their multipliers compose
    (multiply), and a scenario named by several is on from the earliest.

    Examples
    --------
    >>> DriftSchedule(90, new_scenario=3, amount_inflation=1.1)
    DriftSchedule(start_day=90, new_scenario=3, fraud_rate_multiplier=1.0, amount_inflation=1.1)
    """

    start_day: int
    new_scenario: int | None = None
    fraud_rate_multiplier: float = 1.0
    amount_inflation: float = 1.0

    def __post_init__(self):
        check_positive_int(self.start_day, "drift.start_day", minimum=0)
        if self.new_scenario is not None:
            check_choice(self.new_scenario, "drift.new_scenario", (None, 1, 2, 3))
        check_fraction(self.fraud_rate_multiplier, "drift.fraud_rate_multiplier",
                       high=np.inf, closed="left")
        check_fraction(self.amount_inflation, "drift.amount_inflation", high=np.inf)


class TransactionTables(NamedTuple):
    """Everything :func:`simulate_transactions` drew, returned with ``return_tables=True``.

    Attributes
    ----------
    transactions : DataFrame
        The transactions (the default return value).
    customers : DataFrame
        ``customer_id, x, y, mean_amount, std_amount, mean_nb_tx_per_day,
        n_terminals_in_reach``.
    terminals : DataFrame
        ``terminal_id, x, y``.
    compromised_terminals : DataFrame
        ``terminal_id, start_day, end_day``: scenario-2 events; the terminal is
        compromised on days ``start_day <= day < end_day``.
    compromised_customers : DataFrame
        ``customer_id, start_day, end_day``: scenario-3 events, same convention.

    Examples
    --------
    >>> sim = simulate_transactions(100, 200, 10, n_compromised_terminals_per_day=1,
    ...                             n_compromised_customers_per_day=1, return_tables=True)
    >>> tx, customers, terminals, bad_terminals, bad_customers = sim
    >>> len(customers), len(terminals), len(bad_terminals)
    (100, 200, 10)
    """

    transactions: pd.DataFrame
    customers: pd.DataFrame
    terminals: pd.DataFrame
    compromised_terminals: pd.DataFrame
    compromised_customers: pd.DataFrame


# --------------------------------------------------------------------------- #
# Simulation
# --------------------------------------------------------------------------- #
def simulate_transactions(
    n_customers=5000,
    n_terminals=10000,
    n_days=183,
    *,
    start_date="2026-01-01",
    radius=5.0,
    amount_threshold=220.0,
    n_compromised_terminals_per_day=2,
    terminal_compromise_days=28,
    n_compromised_customers_per_day=3,
    customer_compromise_days=14,
    customer_amount_multiplier=5.0,
    customer_fraud_share=1 / 3,
    night_fraud_factor=NIGHT_FRAUD_FACTOR,
    drift=None,
    return_tables=False,
    random_state=0,
):
    """Simulate labelled payment-card transactions with three fraud scenarios.

    **Assumptions** (all of them; every number below is a parameter or a
    module constant):

    *Map.* Customers and terminals are placed uniformly at random on a
    100 x 100 grid. A customer uses only the terminals within Euclidean
    distance ``radius`` of home (distance <= radius), each of them equally
    likely for every transaction. A customer with no terminal in reach makes
    no transaction (they stay in the customer table with
    ``n_terminals_in_reach = 0``).

    *Habits.* Each customer has a mean amount ``m ~ Uniform(5, 100)``, a
    standard deviation ``s = m x Uniform(0.25, 0.6)`` and a daily rate
    ``lambda ~ Gamma(shape=2, scale=0.925)`` (mean 1.85 transactions a day).
    The number of transactions of a customer on a day is
    ``Poisson(lambda)``, independently across days.

    *Time of day.* A transaction's hour follows the hourly volume of the real
    Kaggle credit-card file (``HOURLY_VOLUME``: a night trough at 04:00, a
    plateau from 09:00 to 22:00), its second is uniform within the hour: about
    8.4 % of transactions fall in 00:00-06:00 (``is_night``), as in the real
    file (12.4 % in 00:00-08:00). Times are whole seconds.

    *Amounts.* ``Normal(m, s)`` truncated at 0 (never negative), rounded to
    cents.

    *Fraud scenarios* (``scenario`` column; 0 = legitimate):

    1. **Large amount**: every transaction with ``amount > amount_threshold``
       is a fraud (a rule any baseline should find).
    2. **Compromised terminal**: each day ``d``,
       ``n_compromised_terminals_per_day`` terminals are drawn at random
       (without replacement that day; a terminal may be drawn again on a later
       day). Every transaction on such a terminal on days
       ``d <= day < d + terminal_compromise_days`` is a fraud (found only by
       looking at the terminal's recent fraud history).
    3. **Compromised customer**: each day ``d``,
       ``n_compromised_customers_per_day`` customers are drawn at random. On
       days ``d <= day < d + customer_compromise_days`` each of their
       transactions is, independently with probability
       ``customer_fraud_share`` (one third by default), a fraud whose amount
       is multiplied by ``customer_amount_multiplier`` (found by comparing
       with the customer's spending habits). The fraudster, not the
       cardholder, picks the time: the fraud keeps its day but its hour is
       redrawn from ``HOURLY_VOLUME`` with the hours before
       ``NIGHT_END_HOUR`` weighted ``night_fraud_factor`` times more, so a
       scenario-3 fraud is that many times likelier at night than by day
       (per transaction). The default, 3.67, is the real file's night/day
       fraud-rate ratio; scenarios 1 and 2 keep the traffic's hours (a large
       amount or a compromised terminal does not depend on the hour), so the
       overall night/day fraud-rate ratio of the defaults is lower, about 1.8.

    When several scenarios apply to one transaction, the **highest number
    wins**: 3 over 2 over 1. Scenario 3 is the only one that changes the
    transaction (its amount), so it names the cause; a compromised terminal
    explains a fraud whatever its amount. Scenario 1 is checked on the final
    amount (after drift inflation and the scenario-3 multiplier).

    *Drift* (``drift``): from ``start_day`` on, a scenario may be switched
    on (no events of it happen before), the daily numbers of compromised
    terminals and customers multiplied, and all amounts inflated; see
    :class:`DriftSchedule`. Without drift, the world is stationary apart from
    the first ``*_compromise_days`` days, during which the number of
    compromised terminals and customers builds up.

    *Randomness.* Customers, terminals, the transactions, terminal
    compromises, customer compromises, the scenario-3 draws and the
    scenario-3 fraud hours use separate random streams spawned from
    ``random_state``: a drift that changes only amounts or the fraud rate
    leaves all the other draws unchanged.

    With the defaults (5,000 customers, 10,000 terminals, 183 days) the
    result has about 1.7 million transactions and a fraud rate of about
    0.8 %; the fraud rate depends on the ratios
    ``n_compromised_terminals_per_day x terminal_compromise_days / n_terminals``
    and ``n_compromised_customers_per_day x customer_compromise_days /
    n_customers``, so scale those when you shrink the population.

    Parameters
    ----------
    n_customers, n_terminals : int, default=5000, 10000
        Population sizes (>= 1).
    n_days : int, default=183
        Length of the simulation in days (>= 1).
    start_date : str or Timestamp, default="2026-01-01"
        Midnight of day 0 (no time zone).
    radius : float, default=5.0
        Distance (> 0, grid units) within which a customer uses terminals.
    amount_threshold : float, default=220.0
        Scenario 1 threshold (>= 0; ``np.inf`` switches scenario 1 off).
    n_compromised_terminals_per_day : int, default=2
        Scenario 2 events per day (>= 0, <= ``n_terminals``; 0 switches it off).
    terminal_compromise_days : int, default=28
        How many days, the day of compromise included, a terminal stays compromised.
    n_compromised_customers_per_day : int, default=3
        Scenario 3 events per day (>= 0, <= ``n_customers``; 0 switches it off).
    customer_compromise_days : int, default=14
        How many days, the day of compromise included, a customer stays compromised.
    customer_amount_multiplier : float, default=5.0
        Factor (> 0) applied to the amount of a scenario-3 fraud.
    customer_fraud_share : float, default=1/3
        Probability (in (0, 1]) that a transaction of a compromised customer is a fraud.
    night_fraud_factor : float, default=3.67
        How much more likely (>= 0) a scenario-3 fraud falls in an hour before
        ``NIGHT_END_HOUR`` than the traffic there; 1 gives frauds the traffic's
        hours, 0 puts none at night.
    drift : DriftSchedule, dict, list of them, or None, default=None
        Changes from a given day; a dict is passed to :class:`DriftSchedule`
        (e.g. ``{"start_day": 90, "new_scenario": 3}``).
    return_tables : bool, default=False
        Return a :class:`TransactionTables` (transactions, customers,
        terminals and the compromise events) instead of the transactions only.
    random_state : int, numpy Generator or None, default=0
        Seed; the same seed gives the same data.

    Returns
    -------
    transactions : DataFrame
        One row per transaction, sorted by time, with columns
        ``transaction_id`` (0..n-1 in time order), ``datetime``
        (datetime64[ns]), ``seconds`` (int, since ``start_date``), ``day``
        (int, ``seconds // 86400``), ``customer_id``, ``terminal_id``,
        ``amount`` (float, >= 0), ``is_fraud`` (0/1), ``scenario`` (0-3).
        ``transactions.attrs["simulation"]`` holds the parameters used.
        A :class:`TransactionTables` when ``return_tables=True``.

    Examples
    --------
    >>> tx = simulate_transactions(200, 400, 30, amount_threshold=150.0,
    ...                            n_compromised_terminals_per_day=0,
    ...                            n_compromised_customers_per_day=1, random_state=0)
    >>> list(tx.columns)[:4]
    ['transaction_id', 'datetime', 'seconds', 'day']
    >>> bool(tx["seconds"].is_monotonic_increasing)
    True
    >>> sorted(tx["scenario"].unique().tolist())
    [0, 1, 3]
    """
    n_customers = check_positive_int(n_customers, "n_customers")
    n_terminals = check_positive_int(n_terminals, "n_terminals")
    n_days = check_positive_int(n_days, "n_days")
    start = _check_start_date(start_date)
    radius = check_fraction(radius, "radius", high=np.inf)
    amount_threshold = check_nonnegative(amount_threshold, "amount_threshold")
    n_terminal_events = _check_events_per_day(
        n_compromised_terminals_per_day, "n_compromised_terminals_per_day",
        n_terminals, "n_terminals",
    )
    terminal_days = check_positive_int(terminal_compromise_days, "terminal_compromise_days")
    n_customer_events = _check_events_per_day(
        n_compromised_customers_per_day, "n_compromised_customers_per_day",
        n_customers, "n_customers",
    )
    customer_days = check_positive_int(customer_compromise_days, "customer_compromise_days")
    multiplier = check_fraction(customer_amount_multiplier, "customer_amount_multiplier",
                                high=np.inf)
    fraud_share = check_fraction(customer_fraud_share, "customer_fraud_share", closed="right")
    night_factor = check_nonnegative(night_fraud_factor, "night_fraud_factor")
    if not np.isfinite(night_factor):
        raise ValueError(f"night_fraud_factor must be finite, got {night_fraud_factor!r}.")
    schedules = _check_drift(drift, n_days)
    if not isinstance(return_tables, bool):
        raise ValueError(f"return_tables must be True or False, got {return_tables!r}.")
    rng = check_random_state(random_state)

    (customer_rng, terminal_rng, tx_rng, terminal_event_rng, customer_event_rng,
     share_rng, fraud_time_rng) = rng.spawn(7)
    inflation, rate_multiplier, scenario_on = _drift_by_day(schedules, n_days)

    customers = _make_customers(n_customers, customer_rng)
    terminals = _make_terminals(n_terminals, terminal_rng)
    reach_start, reach_count, reach_terminal = _terminals_in_reach(customers, terminals, radius)
    customers["n_terminals_in_reach"] = reach_count

    day, customer, seconds = _draw_times(customers, n_days, tx_rng)
    # A uniform pick among the customer's terminals: offset into its slice of reach_terminal.
    pick = np.floor(tx_rng.random(day.size) * reach_count[customer]).astype(np.int64)
    terminal = reach_terminal[reach_start[customer] + pick]
    amount = _draw_amounts(customers, customer, tx_rng) * inflation[day]

    # Scenario 3 first: it changes the amount that scenario 1 then looks at.
    customer_events = _compromise_events(
        n_customers, n_customer_events, n_days, customer_days,
        rate_multiplier, scenario_on[3], customer_event_rng,
    )
    picked = share_rng.random(day.size) < fraud_share
    is_s3 = _in_events(customer, day, customer_events, n_days) & picked
    amount[is_s3] *= multiplier
    amount = np.round(amount, 2)

    terminal_events = _compromise_events(
        n_terminals, n_terminal_events, n_days, terminal_days,
        rate_multiplier, scenario_on[2], terminal_event_rng,
    )
    is_s2 = _in_events(terminal, day, terminal_events, n_days)
    is_s1 = (amount > amount_threshold) & scenario_on[1][day]

    scenario = np.zeros(day.size, dtype=np.int64)
    scenario[is_s1] = 1  # later assignments win: 3 over 2 over 1
    scenario[is_s2] = 2
    scenario[is_s3] = 3

    # Scenario-3 frauds at the fraudster's hour (same day). Drawn for every row
    # from its own stream, so the other draws do not depend on which rows are frauds.
    fraud_time = _time_of_day(day.size, fraud_time_rng, night_factor=night_factor)
    seconds = np.where(is_s3, day * SECONDS_PER_DAY + fraud_time, seconds)
    order = np.argsort(seconds, kind="stable")
    day, customer, terminal, seconds = day[order], customer[order], terminal[order], seconds[order]
    amount, scenario = amount[order], scenario[order]

    transactions = pd.DataFrame(
        {
            "transaction_id": np.arange(day.size, dtype=np.int64),
            "datetime": start + seconds.astype("timedelta64[s]"),
            "seconds": seconds,
            "day": day,
            "customer_id": customer,
            "terminal_id": terminal,
            "amount": amount,
            "is_fraud": (scenario > 0).astype(np.int64),
            "scenario": scenario,
        }
    )
    # Only plain scalars go into attrs: pandas compares attrs when combining
    # frames, and DataFrames there would make pd.concat/merge fail.
    transactions.attrs["simulation"] = {
        "n_customers": n_customers,
        "n_terminals": n_terminals,
        "n_days": n_days,
        "start_date": str(pd.Timestamp(start)),
        "radius": radius,
        "amount_threshold": amount_threshold,
        "n_compromised_terminals_per_day": n_terminal_events,
        "terminal_compromise_days": terminal_days,
        "n_compromised_customers_per_day": n_customer_events,
        "customer_compromise_days": customer_days,
        "customer_amount_multiplier": multiplier,
        "customer_fraud_share": fraud_share,
        "night_fraud_factor": night_factor,
        "drift": [dataclasses.asdict(s) for s in schedules],
    }
    if not return_tables:
        return transactions
    return TransactionTables(
        transactions=transactions,
        customers=customers,
        terminals=terminals,
        compromised_terminals=_events_frame(terminal_events, "terminal_id"),
        compromised_customers=_events_frame(customer_events, "customer_id"),
    )


def _check_events_per_day(value, name, population, population_name):
    """Compromise events a day: an int from 0 (scenario off) to the population size."""
    value = check_positive_int(value, name, minimum=0)
    if value > population:
        raise ValueError(
            f"{name} ({value}) cannot exceed {population_name} ({population})."
        )
    return value


def _check_start_date(start_date):
    try:
        ts = pd.Timestamp(start_date)
    except (TypeError, ValueError):
        raise ValueError(
            f"start_date must be a date such as '2026-01-01', got {start_date!r}."
        ) from None
    if ts is pd.NaT:
        raise ValueError(f"start_date must be a date such as '2026-01-01', got {start_date!r}.")
    if ts.tz is not None:
        raise ValueError(f"start_date must have no time zone, got {start_date!r}.")
    return ts.as_unit("ns").to_datetime64()


def _check_drift(drift, n_days):
    """Return the drift as a list of DriftSchedule, validated against ``n_days``."""
    if drift is None:
        return []
    items = list(drift) if isinstance(drift, (list, tuple)) else [drift]
    schedules = []
    for item in items:
        if isinstance(item, dict):
            unknown = set(item) - {f.name for f in dataclasses.fields(DriftSchedule)}
            if unknown:
                raise ValueError(
                    f"drift has unknown keys {sorted(unknown)}; expected start_day, "
                    "new_scenario, fraud_rate_multiplier, amount_inflation."
                )
            if "start_day" not in item:
                raise ValueError("drift must give a start_day.")
            item = DriftSchedule(**item)
        if not isinstance(item, DriftSchedule):
            raise ValueError(
                f"drift must be None, a DriftSchedule, a dict or a list of them, got {item!r}."
            )
        if item.start_day >= n_days:
            raise ValueError(
                f"drift.start_day must be < n_days ({n_days}), got {item.start_day}."
            )
        schedules.append(item)
    return schedules


def _drift_by_day(schedules, n_days):
    """Per-day amount inflation, fraud-rate multiplier and scenario switches."""
    days = np.arange(n_days)
    inflation = np.ones(n_days)
    rate_multiplier = np.ones(n_days)
    scenario_on = {k: np.ones(n_days, dtype=bool) for k in (1, 2, 3)}
    switched_on_from = {}
    for s in schedules:
        after = days >= s.start_day
        inflation[after] *= s.amount_inflation
        rate_multiplier[after] *= s.fraud_rate_multiplier
        if s.new_scenario is not None:
            first = switched_on_from.get(s.new_scenario, n_days)
            switched_on_from[s.new_scenario] = min(first, s.start_day)
    for k, first in switched_on_from.items():
        scenario_on[k] = days >= first
    return inflation, rate_multiplier, scenario_on


def _make_customers(n_customers, rng):
    xy = rng.uniform(0.0, GRID_SIZE, size=(n_customers, 2))
    mean_amount = rng.uniform(*MEAN_AMOUNT_RANGE, size=n_customers)
    std_amount = mean_amount * rng.uniform(*AMOUNT_CV_RANGE, size=n_customers)
    rate = rng.gamma(TX_RATE_SHAPE, TX_RATE_SCALE, size=n_customers)
    return pd.DataFrame(
        {
            "customer_id": np.arange(n_customers, dtype=np.int64),
            "x": xy[:, 0],
            "y": xy[:, 1],
            "mean_amount": mean_amount,
            "std_amount": std_amount,
            "mean_nb_tx_per_day": rate,
        }
    )


def _make_terminals(n_terminals, rng):
    xy = rng.uniform(0.0, GRID_SIZE, size=(n_terminals, 2))
    return pd.DataFrame(
        {"terminal_id": np.arange(n_terminals, dtype=np.int64), "x": xy[:, 0], "y": xy[:, 1]}
    )


def _terminals_in_reach(customers, terminals, radius):
    """Terminals within ``radius`` of each customer, as a CSR-like structure.

    Returns ``start, count, terminal``: customer ``c`` reaches
    ``terminal[start[c] : start[c] + count[c]]`` (sorted by terminal id).
    """
    customer_tree = cKDTree(customers[["x", "y"]].to_numpy())
    terminal_tree = cKDTree(terminals[["x", "y"]].to_numpy())
    # All (customer, terminal) pairs at distance <= radius, in one vectorised call.
    pairs = customer_tree.sparse_distance_matrix(terminal_tree, radius, output_type="ndarray")
    order = np.lexsort((pairs["j"], pairs["i"]))
    count = np.bincount(pairs["i"], minlength=len(customers)).astype(np.int64)
    start = np.concatenate([[0], np.cumsum(count)[:-1]]).astype(np.int64)
    return start, count, pairs["j"][order].astype(np.int64)


def _draw_times(customers, n_days, rng):
    """Day, customer and time (seconds since start) of every transaction, in time order."""
    rate = customers["mean_nb_tx_per_day"].to_numpy()
    reachable = customers["n_terminals_in_reach"].to_numpy() > 0
    # Rows are days, columns customers: a day-major flattening keeps generation near time order.
    counts = rng.poisson(rate, size=(n_days, rate.size)) * reachable
    day = np.repeat(np.arange(n_days, dtype=np.int64), counts.sum(axis=1))
    customer = np.repeat(np.tile(np.arange(rate.size, dtype=np.int64), n_days), counts.ravel())
    seconds = day * SECONDS_PER_DAY + _time_of_day(day.size, rng)
    order = np.argsort(seconds, kind="stable")
    return day[order], customer[order], seconds[order]


def _time_of_day(n, rng, night_factor=1.0):
    """Seconds after midnight: hour from HOURLY_VOLUME (night hours x night_factor)."""
    weight = HOURLY_VOLUME.copy()
    weight[:NIGHT_END_HOUR] *= night_factor
    hour = rng.choice(HOURLY_VOLUME.size, size=n, p=weight / weight.sum())
    return hour * 3600 + rng.integers(0, 3600, size=n, dtype=np.int64)


def _draw_amounts(customers, customer, rng):
    """Amounts from each customer's Normal(mean, sd), truncated at 0 (unrounded)."""
    mean = customers["mean_amount"].to_numpy()[customer]
    sd = customers["std_amount"].to_numpy()[customer]
    # Inverse CDF of the normal restricted to [0, inf): u uniform on [Phi(-mean/sd), 1).
    lo = special.ndtr(-mean / sd)
    u = np.clip(lo + (1 - lo) * rng.random(customer.size), lo, np.nextafter(1.0, 0))
    return np.maximum(mean + sd * special.ndtri(u), 0.0)


def _compromise_events(n_entities, n_per_day, n_days, duration, rate_multiplier, on, rng):
    """Draw compromise events as arrays ``(entity, start_day, end_day)``.

    An event covers days ``start_day <= day < end_day`` with
    ``end_day = min(start_day + duration, n_days)``. A loop over days (a few
    draws a day, cheap), never over transactions.
    """
    entities, starts = [np.zeros(0, dtype=np.int64)], [np.zeros(0, dtype=np.int64)]
    for d in range(n_days):
        if not on[d] or n_per_day == 0:
            continue
        expected = n_per_day * rate_multiplier[d]
        # Random rounding keeps the expected count exact for fractional multipliers.
        k = int(np.floor(expected)) + int(rng.random() < expected - np.floor(expected))
        entities.append(rng.choice(n_entities, size=min(k, n_entities), replace=False))
        starts.append(np.full(min(k, n_entities), d))
    entity = np.concatenate(entities).astype(np.int64)
    start = np.concatenate(starts).astype(np.int64)
    return entity, start, np.minimum(start + duration, n_days)


def _in_events(entity, day, events, n_days):
    """True where ``(entity, day)`` falls inside some event's days."""
    event_entity, start, end = events
    length = end - start
    # Expand every event into its (entity, day) cells, coded as entity * n_days + day.
    within = np.arange(length.sum()) - np.repeat(np.cumsum(length) - length, length)
    cells = np.repeat(event_entity * n_days + start, length) + within
    return np.isin(entity * n_days + day, cells)


def _events_frame(events, id_name):
    entity, start, end = events
    return pd.DataFrame({id_name: entity, "start_day": start, "end_day": end})


# --------------------------------------------------------------------------- #
# Features
# --------------------------------------------------------------------------- #
FEATURE_INPUT_COLUMNS = ("datetime", "customer_id", "terminal_id", "amount", "is_fraud")
MAX_WINDOW_DAYS = 36_500  # windows + delay beyond 100 years would overflow nanosecond arithmetic
_NS_PER_DAY = SECONDS_PER_DAY * 1_000_000_000


def make_transaction_features(transactions, *, windows=(1, 7, 30), delay=7):
    """Add calendar, customer-spending and terminal-risk window features.

    Returns a new DataFrame (the input is not modified) with the input's
    columns and index plus, for each ``w`` in ``windows`` (in days):

    - ``is_weekend``: 1 on Saturday and Sunday.
    - ``is_night``: 1 when the time of day is in ``[00:00, 06:00)``.
    - ``customer_nb_tx_{w}d`` and ``customer_avg_amount_{w}d``: the number and
      mean ``amount`` of the same customer's transactions in the window
      ``(t - w days, t]`` - open on the left, closed on the right - that is,
      those strictly later than ``t - w days`` and up to and including the
      current transaction. Transactions of the customer at exactly the same
      time ``t`` count when they come *earlier in the input's row order*
      (as pandas' ``groupby(...).rolling(f"{w}D")`` on time-sorted rows
      does). The count is at least 1 (the transaction itself).
    - ``terminal_nb_tx_{w}d`` and ``terminal_risk_{w}d``: the number of the
      same terminal's transactions in ``[t - delay - w days, t - delay days)``
      - closed on the left, open on the right - and the share of them that
      are frauds,

      .. math:: \\text{risk} = \\frac{\\#\\{\\text{frauds in window}\\}}
                {\\#\\{\\text{transactions in window}\\}},

      0 when the window holds no transaction. The window ends ``delay`` days
      before ``t`` because a fraud label becomes known only ``delay`` days
      after the transaction: at time ``t`` nothing of the last ``delay`` days
      may be used. This equals pandas'
      ``rolling(f"{delay + w}D", closed="left")`` minus
      ``rolling(f"{delay}D", closed="left")`` on each terminal's rows.

    Everything is computed with sorts, cumulative sums and ``searchsorted``
    (no loop over groups or rows).

    Parameters
    ----------
    transactions : DataFrame
        Needs the columns ``datetime`` (datetime64), ``customer_id``,
        ``terminal_id``, ``amount`` (finite numbers) and ``is_fraud`` (0/1),
        e.g. the output of :func:`simulate_transactions`. Rows need not be
        sorted.
    windows : sequence of int, default=(1, 7, 30)
        Window lengths in days (distinct, >= 1).
    delay : int, default=7
        Label delay in days (>= 0) for the terminal features.

    Returns
    -------
    DataFrame
        A copy of ``transactions`` with the feature columns appended.

    Examples
    --------
    >>> tx = simulate_transactions(50, 100, 10, n_compromised_terminals_per_day=1,
    ...                            n_compromised_customers_per_day=1, random_state=0)
    >>> feats = make_transaction_features(tx, windows=(1, 7))
    >>> feats.filter(like="customer_avg").columns.tolist()
    ['customer_avg_amount_1d', 'customer_avg_amount_7d']
    >>> bool((feats["customer_nb_tx_7d"] >= feats["customer_nb_tx_1d"]).all())
    True
    """
    windows, delay = _check_feature_params(windows, delay)
    times, customer, terminal, amount, fraud = _check_transactions(transactions)

    dt = transactions["datetime"].dt
    features = {
        "is_weekend": (dt.day_of_week >= 5).astype(np.int64).to_numpy(),
        "is_night": (dt.hour < NIGHT_END_HOUR).astype(np.int64).to_numpy(),
    }
    features.update(_customer_windows(times, customer, amount, windows))
    features.update(_terminal_windows(times, terminal, fraud, windows, delay))
    return transactions.assign(**features)


def _check_feature_params(windows, delay):
    if isinstance(windows, numbers.Integral) and not isinstance(windows, bool):
        windows = (windows,)
    if not isinstance(windows, (list, tuple, np.ndarray)) or len(windows) == 0:
        raise ValueError(f"windows must be a non-empty sequence of days, got {windows!r}.")
    windows = tuple(check_positive_int(w, "windows") for w in windows)
    if len(set(windows)) != len(windows):
        raise ValueError(f"windows must be distinct, got {windows}.")
    delay = check_positive_int(delay, "delay", minimum=0)
    if max(windows) + delay > MAX_WINDOW_DAYS:
        raise ValueError(
            f"windows plus delay must not exceed {MAX_WINDOW_DAYS} days, "
            f"got {max(windows)} + {delay}."
        )
    return windows, delay


def _check_transactions(transactions):
    """Validate the input frame; return nanosecond times, group codes, amounts, labels."""
    if not isinstance(transactions, pd.DataFrame):
        raise ValueError(
            f"transactions must be a pandas DataFrame, got {type(transactions).__name__}."
        )
    missing = [c for c in FEATURE_INPUT_COLUMNS if c not in transactions.columns]
    if missing:
        raise ValueError(
            f"transactions is missing the column(s) {missing}; "
            f"needed: {list(FEATURE_INPUT_COLUMNS)}."
        )
    if len(transactions) == 0:
        raise ValueError("transactions is empty.")
    when = transactions["datetime"]
    if not pd.api.types.is_datetime64_any_dtype(when):
        raise ValueError(f"transactions['datetime'] must be datetime64, got dtype {when.dtype}.")
    if when.isna().any():
        raise ValueError("transactions['datetime'] contains missing values (NaT).")
    times = pd.DatetimeIndex(when).as_unit("ns").asi8  # tz-aware times become UTC
    codes = {}
    for name in ("customer_id", "terminal_id"):
        codes[name] = pd.factorize(transactions[name])[0]
        if (codes[name] < 0).any():
            raise ValueError(f"transactions['{name}'] contains missing values.")
    amount = transactions["amount"]
    if not pd.api.types.is_numeric_dtype(amount) or pd.api.types.is_bool_dtype(amount):
        raise ValueError(f"transactions['amount'] must be numeric, got dtype {amount.dtype}.")
    amount = amount.to_numpy(dtype=np.float64)
    if not np.isfinite(amount).all():
        raise ValueError("transactions['amount'] contains NaN or infinite values.")
    fraud = check_binary_labels(
        transactions["is_fraud"].to_numpy(), "transactions['is_fraud']", require_both=False
    )
    return times, codes["customer_id"], codes["terminal_id"], amount, fraud


def _customer_windows(times, customer, amount, windows):
    """Count and mean amount of the customer's transactions in ``(t - w, t]``."""
    # Stable sort: by customer, then time, ties kept in row order.
    order = np.lexsort((times, customer))
    group, t = customer[order], times[order]
    position = np.arange(t.size)
    cum_amount = np.concatenate([[0.0], np.cumsum(amount[order])])
    features = {}
    for w in windows:
        # First row of the customer's block with time > t - w: window is [first, position].
        first = _search_in_groups(group, t, t - w * _NS_PER_DAY, side="right")
        count = position - first + 1
        total = cum_amount[position + 1] - cum_amount[first]
        features[f"customer_nb_tx_{w}d"] = _unsort(count, order)
        features[f"customer_avg_amount_{w}d"] = _unsort(total / count, order)
    return features


def _terminal_windows(times, terminal, fraud, windows, delay):
    """Count and fraud share of the terminal's transactions in ``[t - delay - w, t - delay)``."""
    order = np.lexsort((times, terminal))
    group, t = terminal[order], times[order]
    cum_fraud = np.concatenate([[0], np.cumsum(fraud[order])])
    # Rows of the block before `stop` have time < t - delay (labels known by t).
    stop = _search_in_groups(group, t, t - delay * _NS_PER_DAY, side="left")
    features = {}
    for w in windows:
        begin = _search_in_groups(group, t, t - (delay + w) * _NS_PER_DAY, side="left")
        count = stop - begin
        frauds = cum_fraud[stop] - cum_fraud[begin]
        risk = np.divide(frauds, count, out=np.zeros(t.size), where=count > 0)
        features[f"terminal_nb_tx_{w}d"] = _unsort(count, order)
        features[f"terminal_risk_{w}d"] = _unsort(risk, order)
    return features


def _search_in_groups(group, t, bound, side):
    """``searchsorted`` of ``bound[i]`` within the block of rows of ``group[i]``.

    ``group`` is sorted and ``t`` is sorted within each group; ``bound <= t``.
    Returns, for each row ``i``, the (global) index of the first row of its
    group whose time is ``> bound[i]`` (``side="right"``) or ``>= bound[i]``
    (``side="left"``); the end of the group's block when there is none.

    One global ``searchsorted`` on the key ``group * span + time``, where
    ``span`` exceeds the time range plus the largest shift, so that blocks
    never overlap. Groups are taken in chunks small enough for the key to fit
    in int64: times are in nanoseconds, so half a year of data allows about
    250 groups per chunk (20 chunks for 5,000 customers), each chunk one
    vectorised call.
    """
    t0 = int(t.min())
    span = int(t.max()) - t0 + int((t - bound).max()) + 1
    groups_per_chunk = max(1, (2**62) // span)
    result = np.empty(t.size, dtype=np.int64)
    n_groups = int(group[-1]) + 1 if group.size else 0
    for g0 in range(0, n_groups, groups_per_chunk):  # usually a single pass
        lo, hi = np.searchsorted(group, [g0, g0 + groups_per_chunk])
        offset = (group[lo:hi] - g0) * span - t0
        key = offset + t[lo:hi]
        query = offset + bound[lo:hi]
        result[lo:hi] = lo + np.searchsorted(key, query, side=side)
    return result


def _unsort(values, order):
    """Put values computed in ``order`` back into the original row order."""
    out = np.empty_like(values)
    out[order] = values
    return out
