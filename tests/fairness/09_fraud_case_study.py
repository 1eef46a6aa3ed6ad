"""Correct answers to 09_fraud_case_study written differently from the solution, and learner habits.

Format of ``tests/test_fairness.py``: ``ALTERNATIVES`` maps the ``grade_id`` of an
answer cell to whole replacement sources of that cell; ``HABITS`` lists changes a
learner really makes to a correct notebook.

Each plausible wrong answer the hidden tests target loses points with a message in
words (checked by hand when this set was written): the value share divided by all
fraud value instead of the missed value, legitimate payments counted as misses,
fraud-free segments kept as rows, NaN shares when nothing is missed; ``>=`` at the
amount bound, AND instead of OR, the 30-day risk window, a fixed bound of 250; the
label delay left out of the A/B duration, the whole traffic instead of the smaller
arm; the capacity not multiplied by the days, a tie of scores split by the budget,
an alert raised when none is worth it.
"""

_BREAKDOWN_HEAD = '''def missed_fraud_breakdown(y_true, alerted, segment, amount):
    """Per segment: frauds, missed, miss_rate, missed_value, value_share (of all missed fraud value)."""
'''
_RULES_HEAD = '''def rule_alerts(transactions, amount_bound):
    """True where amount > amount_bound or terminal_risk_7d > 0 (one boolean per row)."""
'''
_ABDAYS_HEAD = '''def ab_test_days(recall_a, recall_b, fraud_rate, transactions_per_day, label_delay_days, split=0.5):
    """Days from the start until the decision: traffic days for the smaller arm (rounded up) + the label delay."""
'''
_CAPACITY_HEAD = '''def capacity_threshold(y_true, y_score, amount, n_days, alerts_per_day, fp_cost=5.0, fixed_fn_cost=50.0):
    """The cheapest threshold (alert where score >= threshold) raising at most floor(alerts_per_day * n_days) alerts."""
'''

ALTERNATIVES = {
    "breakdown_answer": [
        # NumPy: np.unique with inverse codes and bincount.
        _BREAKDOWN_HEAD + '''    y = np.asarray(y_true) == 1
    missed = y & ~np.asarray(alerted, dtype=bool)
    amount = np.asarray(amount, dtype=float)
    groups, code = np.unique(np.asarray(segment)[y], return_inverse=True)
    frauds = np.bincount(code, minlength=len(groups))
    n_missed = np.bincount(code, weights=missed[y], minlength=len(groups))
    value = np.bincount(code, weights=(amount * missed)[y], minlength=len(groups))
    total = value.sum()
    share = value / total if total > 0 else np.zeros(len(groups))
    return pd.DataFrame({"frauds": frauds, "missed": n_missed.astype(int), "miss_rate": n_missed / frauds,
                         "missed_value": value, "value_share": share}, index=list(groups))
''',
        # A loop over the sorted segments, a DataFrame built from a dict of rows.
        _BREAKDOWN_HEAD + '''    y = list(y_true)
    alerted = [bool(a) for a in alerted]
    segment = list(segment)
    amount = [float(a) for a in amount]
    missed_total = sum(a for t, p, a in zip(y, alerted, amount) if t == 1 and not p)
    rows = {}
    for g in sorted({s for s, t in zip(segment, y) if t == 1}):
        frauds = [(p, a) for s, t, p, a in zip(segment, y, alerted, amount) if s == g and t == 1]
        missed = [a for p, a in frauds if not p]
        rows[g] = {"frauds": len(frauds), "missed": len(missed), "miss_rate": len(missed) / len(frauds),
                   "missed_value": sum(missed),
                   "value_share": sum(missed) / missed_total if missed_total > 0 else 0.0}
    return pd.DataFrame.from_dict(rows, orient="index")
''',
        # pandas pivot_table on a boolean column, then the kit's column order.
        _BREAKDOWN_HEAD + '''    df = pd.DataFrame({"y": pd.Series(list(y_true)).astype(int), "alert": pd.Series(list(alerted)).astype(bool),
                       "seg": list(segment), "amount": pd.Series(list(amount), dtype=float)})
    df = df[df["y"] == 1]
    df = df.assign(is_missed=~df["alert"], lost=df["amount"].where(~df["alert"], 0.0))
    out = df.pivot_table(index="seg", values=["y", "is_missed", "lost"], aggfunc="sum").sort_index()
    out = out.rename(columns={"y": "frauds", "is_missed": "missed", "lost": "missed_value"})
    out["miss_rate"] = out["missed"] / out["frauds"]
    out["value_share"] = (out["missed_value"] / out["missed_value"].sum()).fillna(0.0)
    return out[["frauds", "missed", "miss_rate", "missed_value", "value_share"]]
''',
    ],
    "rules_answer": [
        # NumPy arrays and np.logical_or, a list back is fine too.
        _RULES_HEAD + '''    big = np.asarray(transactions["amount"], dtype=float) > amount_bound
    known = np.asarray(transactions["terminal_risk_7d"], dtype=float) > 0
    return np.logical_or(big, known)
''',
        # DataFrame.eval with a local variable, then a list of Python booleans.
        _RULES_HEAD + '''    hits = transactions.eval("amount > @amount_bound or terminal_risk_7d > 0")
    return [bool(v) for v in hits]
''',
        # The kit's reference.
        _RULES_HEAD + '''    from imbalance_kit.alerting import rule_alerts as kit_rules
    return kit_rules(transactions, amount_bound=amount_bound)
''',
    ],
    "abdays_answer": [
        # The formula by hand (scipy's normal quantiles), math.ceil.
        _ABDAYS_HEAD + '''    import math
    za, zb = stats.norm.ppf(0.975), stats.norm.ppf(0.8)
    p_bar = (recall_a + recall_b) / 2
    num = (za * math.sqrt(2 * p_bar * (1 - p_bar))
           + zb * math.sqrt(recall_a * (1 - recall_a) + recall_b * (1 - recall_b))) ** 2
    frauds = math.ceil(num / (recall_a - recall_b) ** 2)
    per_arm = math.ceil(frauds / fraud_rate)
    return math.ceil(per_arm / (min(split, 1 - split) * transactions_per_day)) + label_delay_days
''',
        # The kit's days field (per day of total traffic and the split), a NumPy integer.
        _ABDAYS_HEAD + '''    plan = abtest.sample_size_recall(recall_a, recall_b, fraud_rate,
                                     n_transactions_per_day=int(transactions_per_day), split=split)
    return np.int64(np.ceil(plan.days - 1e-12)) + label_delay_days
''',
    ],
    "capacity_answer": [
        # Vectorised over the distinct scores with cumulative sums (the kit's way, by hand).
        _CAPACITY_HEAD + '''    y = np.asarray(y_true, dtype=int)
    s = np.asarray(y_score, dtype=float)
    fn = np.where(y == 1, np.asarray(amount, dtype=float) + fixed_fn_cost, 0.0)
    order = np.argsort(-s, kind="stable")
    s_sorted = s[order]
    ends = np.flatnonzero(np.r_[s_sorted[1:] != s_sorted[:-1], True])
    n_alerts = np.r_[0, ends + 1]
    cost = fn.sum() - np.r_[0.0, np.cumsum(fn[order])[ends]] + fp_cost * np.r_[0.0, np.cumsum(y[order] == 0)[ends]]
    cost = np.where(n_alerts <= np.floor(alerts_per_day * n_days + 1e-9), cost, np.inf)
    return np.r_[np.inf, s_sorted[ends]][int(np.argmin(cost))]
''',
        # The kit's reference with its budget helper.
        _CAPACITY_HEAD + '''    from imbalance_kit.alerting import cheapest_threshold
    found = cheapest_threshold(y_true, y_score, amount, fp_cost=fp_cost, fixed_fn_cost=fixed_fn_cost,
                               max_alerts=costs.budget_k(alerts_per_day, n_days))
    return found.threshold
''',
        # A loop over candidate thresholds from low to high, keeping ties by <=, pandas for the sums.
        _CAPACITY_HEAD + '''    df = pd.DataFrame({"y": list(y_true), "s": list(y_score), "a": list(amount)})
    budget = int(alerts_per_day * n_days + 1e-9)
    candidates = sorted(set(df["s"])) + [float("inf")]
    best, best_cost = None, None
    for t in candidates:
        alert = df["s"] >= t
        if alert.sum() > budget:
            continue
        cost = (df.loc[(df["y"] == 1) & ~alert, "a"] + fixed_fn_cost).sum() + fp_cost * ((df["y"] == 0) & alert).sum()
        if best_cost is None or cost <= best_cost:
            best, best_cost = t, cost
    return best
''',
    ],
}

HABITS = [
    {"name": "prints inside the answer", "append_to": "breakdown_answer",
     "source": "print(missed_fraud_breakdown([1, 0], [0, 0], ['a', 'a'], [5.0, 1.0]))"},
    {"name": "a scratch cell that reassigns the data names", "after": "breakdown_visible",
     "source": "# trying things out\ny = np.array([1, 0, 1])\nalerted = [0, 0, 1]\namount = [1.0, 2.0, 3.0]\n"
               "table = missed_fraud_breakdown(y, alerted, ['x', 'y', 'x'], amount)\nprint(table)"},
    {"name": "a helper cell with extra imports", "after": "rules_answer",
     "source": "import math\nfrom collections import Counter\n\ndef share(x):\n    return float(np.mean(x))\n\nprint(share([1, 0]))"},
    {"name": "a markdown note of the learner's own", "after": "abdays_visible", "cell_type": "markdown",
     "source": "*My note: count the frauds, not the payments, and add the label delay.*"},
    {"name": "a harmless warning while a graded cell runs", "stderr": True, "append_to": "capacity_answer",
     "source": "import warnings\n_quiet_capacity = capacity_threshold\n\n"
               "def capacity_threshold(*args, **kwargs):\n"
               "    warnings.warn('capacity_threshold: scores converted to float', UserWarning, stacklevel=2)\n"
               "    return _quiet_capacity(*args, **kwargs)"},
]
