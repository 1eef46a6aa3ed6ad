"""Speed of the kit's data sources against a peer, measured in one process.

Prints one plain-text table: for each task, the best-of-N wall time of the
kit's function ("ours"), of a peer doing the same job where one exists, and
the ratio ours / peer (below 1 means the kit is faster). Rows whose module is
not importable (or whose real file is not cached) say so instead of failing.

- Credit-card stand-in at full size (284,807 rows) against ``pandas.read_csv``
  of the real ``creditcard.csv`` (when it is in the data cache): is generating
  the stand-in cheaper than reading the real thing?
- The transaction simulator (5,000 customers, 10,000 terminals, 183 days, the
  Fraud Detection Handbook's set-up) against a numpy floor (drawing the same
  number of rows of uniform random numbers), and its window features against
  the usual pandas ``groupby(...).rolling`` computation of the same features.
- Chest-X-ray phantoms (64 x 64) in images per second, against a numpy floor
  (Gaussian noise images of the same shape).

Run: ``.venv/bin/python benchmarks/datasets.py`` (or ``make bench``).
Options: ``--repeats N`` (default 3), ``--quick`` (smaller inputs, for a smoke test).
"""

from __future__ import annotations

import argparse
import time

import numpy as np
import pandas as pd

FULL_CREDITCARD = 284_807


def best_time(func, repeats):
    """Best wall time of ``repeats`` calls of ``func()`` (seconds) and the last result."""
    best, result = np.inf, None
    for _ in range(repeats):
        start = time.perf_counter()
        result = func()
        best = min(best, time.perf_counter() - start)
    return best, result


class NotAvailable(Exception):
    """A row that cannot be measured here (module missing, file not cached)."""


def creditcard_row(repeats, quick):
    from imbalance_kit.datasets import make_creditcard, real_creditcard_path
    from imbalance_kit.datasets.creditcard import CREDITCARD_COLUMNS

    n = 50_000 if quick else FULL_CREDITCARD
    ours, _ = best_time(lambda: make_creditcard(n, random_state=0), repeats)
    path = real_creditcard_path()
    if not path.is_file():
        return f"make_creditcard({n:,})", ours, None, "read_csv real file: not cached", ""
    dtypes = dict.fromkeys(CREDITCARD_COLUMNS[:-1], "float64") | {"Class": "int64"}
    peer, _ = best_time(lambda: pd.read_csv(path, dtype=dtypes, nrows=n), repeats)
    return f"make_creditcard({n:,})", ours, peer, f"pandas.read_csv real ({n:,} rows)", ""


def transaction_rows(repeats, quick):
    from imbalance_kit.datasets.transactions import make_transaction_features, simulate_transactions

    size = dict(n_customers=500, n_terminals=1000, n_days=61) if quick else dict(
        n_customers=5000, n_terminals=10000, n_days=183)
    ours, tx = best_time(lambda: simulate_transactions(**size, random_state=0), repeats)
    floor, _ = best_time(lambda: np.random.default_rng(0).random((len(tx), tx.shape[1])), repeats)
    label = "simulate_transactions({n_customers}, {n_terminals}, {n_days})".format(**size)
    note = f"{len(tx):,} tx, {tx['is_fraud'].mean():.2%} fraud"
    yield label, ours, floor, "numpy floor: uniform rows", note

    # One run each: the pandas peer takes about a minute on 1.7 million rows.
    feats_time, _ = best_time(lambda: make_transaction_features(tx), 1)
    peer_time, _ = best_time(lambda: _pandas_rolling_features(tx), 1)
    yield ("make_transaction_features(tx)", feats_time, peer_time,
           "pandas groupby-rolling, same features", "one run each")


def _pandas_rolling_features(tx, windows=(1, 7, 30), delay=7):
    """The customer and terminal window features the textbook way, with pandas."""
    df = tx.sort_values("datetime", kind="stable").set_index("datetime")
    out = {}
    by_customer = df.groupby("customer_id")["amount"]
    for w in windows:
        roll = by_customer.rolling(f"{w}D")
        out[f"customer_nb_tx_{w}d"] = roll.count()
        out[f"customer_avg_amount_{w}d"] = roll.mean()
    by_terminal = df.groupby("terminal_id")["is_fraud"]
    delayed_n = by_terminal.rolling(f"{delay}D", closed="left").count()
    delayed_f = by_terminal.rolling(f"{delay}D", closed="left").sum()
    for w in windows:
        n = by_terminal.rolling(f"{delay + w}D", closed="left").count() - delayed_n
        f = by_terminal.rolling(f"{delay + w}D", closed="left").sum() - delayed_f
        out[f"terminal_nb_tx_{w}d"] = n
        out[f"terminal_risk_{w}d"] = (f / n.where(n > 0)).fillna(0.0)
    return out


def xray_row(repeats, quick):
    from imbalance_kit.datasets.xray import make_xray

    n = 200 if quick else 2000
    ours, images = best_time(
        lambda: make_xray(n_samples=n, prevalence=0.05, size=64, random_state=0), repeats)
    shape = np.shape(images[0]) if isinstance(images, tuple) else np.shape(images)
    floor, _ = best_time(lambda: np.random.default_rng(0).standard_normal((n, 64, 64)), repeats)
    note = f"{n / ours:,.0f} images/s (shape {shape})"
    return f"make_xray({n}, size=64)", ours, floor, "numpy floor: noise images", note


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--quick", action="store_true")
    args = parser.parse_args(argv)

    rows = []
    sources = [
        ("credit-card stand-in", lambda: [creditcard_row(args.repeats, args.quick)]),
        ("transaction simulator", lambda: list(transaction_rows(args.repeats, args.quick))),
        ("X-ray phantoms", lambda: [xray_row(args.repeats, args.quick)]),
    ]
    for name, run in sources:
        try:
            rows.extend(run())
        except ImportError as exc:
            rows.append((name, None, None, f"not available ({exc})", ""))

    header = f"{'task':<44} {'ours (s)':>9} {'peer (s)':>9} {'ratio':>7}  peer / notes"
    print(header)
    print("-" * len(header))
    for task, ours, peer, peer_name, note in rows:
        ours_s = f"{ours:9.3f}" if ours is not None else f"{'-':>9}"
        peer_s = f"{peer:9.3f}" if peer is not None else f"{'-':>9}"
        ratio = f"{ours / peer:7.2f}" if ours is not None and peer else f"{'-':>7}"
        print(f"{task:<44} {ours_s} {peer_s} {ratio}  {peer_name}{'; ' + note if note else ''}")


if __name__ == "__main__":
    main()
