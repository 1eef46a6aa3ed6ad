"""Correct answers to 08_cost_sensitive written differently from the solution, and learner habits.

Format of ``tests/test_fairness.py``: ``ALTERNATIVES`` maps the ``grade_id`` of an
answer cell to whole replacement sources of that cell; ``HABITS`` lists changes a
learner really makes to a correct notebook.

Each plausible wrong answer the hidden tests target loses points with a message in
words (checked by hand when this set was written): swapped costs in the Bayes
threshold, the threshold applied to uncalibrated (scale_pos_weight) scores, the
amount put on the false alarms, a threshold tuned on other data than the validation
rows or a refitted model, recall@k divided by k, k not scaled by the days, the
gradient y - p instead of p - y, swapped costs in the loss.
"""

ALTERNATIVES = {
    "bayes_answer": [
        # np.divide, a NumPy scalar for numbers.
        '''def bayes_threshold(fn_cost, fp_cost):
    """c_FP / (c_FP + c_FN): alert when the calibrated fraud probability is at least this."""
    return np.divide(fp_cost, np.add(fp_cost, np.asarray(fn_cost, dtype=float)))
''',
        # Odds form: 1 / (1 + c_FN / c_FP), list comprehension for sequences.
        '''def bayes_threshold(fn_cost, fp_cost):
    """c_FP / (c_FP + c_FN): alert when the calibrated fraud probability is at least this."""
    if np.ndim(fn_cost) == 0:
        return 1.0 / (1.0 + fn_cost / fp_cost)
    return np.array([1.0 / (1.0 + c / fp_cost) for c in fn_cost])
''',
        # The kit's general form.
        '''def bayes_threshold(fn_cost, fp_cost):
    """c_FP / (c_FP + c_FN): alert when the calibrated fraud probability is at least this."""
    from imbalance_kit.costs import bayes_threshold as kit_threshold
    return kit_threshold(np.asarray(fn_cost, dtype=float), fp_cost)
''',
    ],
    "decisions_answer": [
        # Odds form of the correction, then expected costs compared directly.
        '''def cost_decisions(p, amount, upweight, fp_cost=5.0, fixed_fn_cost=50.0):
    """Alert (True) where the prior-corrected probability reaches the row's Bayes threshold."""
    p = np.clip(np.asarray(p, dtype=float), 0, 1)
    with np.errstate(divide="ignore", invalid="ignore"):
        odds = p / (1 - p) / upweight
        p_true = np.where(p >= 1, 1.0, odds / (1 + odds))
    c_fn = np.asarray(amount, dtype=float) + fixed_fn_cost
    threshold = fp_cost / (fp_cost + c_fn)
    return np.asarray(p_true >= threshold - 1e-15)
''',
        # The kit's correction and the learner's own threshold function, a list comprehension.
        '''def cost_decisions(p, amount, upweight, fp_cost=5.0, fixed_fn_cost=50.0):
    """Alert (True) where the prior-corrected probability reaches the row's Bayes threshold."""
    from imbalance_kit.calibration import correct_prior
    corrected = correct_prior(np.asarray(p, dtype=float), upweight)
    thresholds = bayes_threshold(np.asarray(amount, dtype=float) + fixed_fn_cost, fp_cost)
    return np.array([bool(q >= t) for q, t in zip(corrected, thresholds)])
''',
        # pandas.
        '''def cost_decisions(p, amount, upweight, fp_cost=5.0, fixed_fn_cost=50.0):
    """Alert (True) where the prior-corrected probability reaches the row's Bayes threshold."""
    frame = pd.DataFrame({"p": np.asarray(p, dtype=float), "amount": np.asarray(amount, dtype=float)})
    frame["p_true"] = frame["p"] / (frame["p"] + (1 - frame["p"]) * upweight)
    frame["t"] = fp_cost / (fp_cost + frame["amount"] + fixed_fn_cost)
    return (frame["p_true"] >= frame["t"]).to_numpy()
''',
    ],
    "cost_answer": [
        # A loop over rows.
        '''def transaction_cost(y_true, y_pred, amount, fp_cost=5.0, fixed_fn_cost=50.0):
    """Sum over missed frauds of (amount + fixed_fn_cost), plus fp_cost per false alarm."""
    total = 0.0
    for label, alert, a in zip(y_true, y_pred, amount):
        if label == 1 and not alert:
            total += a + fixed_fn_cost
        elif label == 0 and alert:
            total += fp_cost
    return total
''',
        # scikit-learn's confusion counts for the false alarms, np.dot for the amounts; a NumPy scalar.
        '''def transaction_cost(y_true, y_pred, amount, fp_cost=5.0, fixed_fn_cost=50.0):
    """Sum over missed frauds of (amount + fixed_fn_cost), plus fp_cost per false alarm."""
    from sklearn.metrics import confusion_matrix
    y_true = np.asarray(y_true, dtype=int)
    y_pred = np.asarray(y_pred, dtype=int)
    tn, fp, fn, tp = confusion_matrix(y_true, y_pred, labels=[0, 1]).ravel()
    missed = (y_true == 1) & (y_pred == 0)
    return np.dot(missed, np.asarray(amount, dtype=float)) + fixed_fn_cost * fn + fp_cost * fp
''',
        # The kit's business cost with per-row missed-fraud costs.
        '''def transaction_cost(y_true, y_pred, amount, fp_cost=5.0, fixed_fn_cost=50.0):
    """Sum over missed frauds of (amount + fixed_fn_cost), plus fp_cost per false alarm."""
    from imbalance_kit.metrics import business_cost
    return business_cost(np.asarray(y_true, dtype=int), np.asarray(y_pred, dtype=int), fn_cost=1.0,
                         fp_cost=fp_cost, amount=np.asarray(amount, dtype=float) + fixed_fn_cost)
''',
    ],
    "tune_answer": [
        # The kit's scorer, default threshold grid.
        '''def tune_cost_threshold(model, X_val, y_val, fn_cost, fp_cost):
    """TunedThresholdClassifierCV around the fitted model, tuned on (X_val, y_val) for fn_cost*FN + fp_cost*FP."""
    from imbalance_kit.metrics import make_cost_scorer
    scorer = make_cost_scorer(fn_cost=fn_cost, fp_cost=fp_cost)
    return TunedThresholdClassifierCV(model, scoring=scorer, cv="prefit", refit=False).fit(X_val, y_val)
''',
        # confusion_matrix inside the cost, written as a gain (minus the cost, greater_is_better=True),
        # keyword arguments, a finer threshold grid.
        '''def tune_cost_threshold(model, X_val, y_val, fn_cost, fp_cost):
    """TunedThresholdClassifierCV around the fitted model, tuned on (X_val, y_val) for fn_cost*FN + fp_cost*FP."""
    from sklearn.metrics import confusion_matrix

    def gain(y_true, y_pred):
        tn, fp, fn, tp = confusion_matrix(y_true, y_pred, labels=[0, 1]).ravel()
        return -(fn_cost * fn + fp_cost * fp)

    tuned = TunedThresholdClassifierCV(estimator=model, scoring=make_scorer(gain), cv="prefit",
                                       refit=False, thresholds=500)
    tuned.fit(X_val, y_val)
    return tuned
''',
    ],
    "budget_answer": [
        # pandas nlargest (no ties in the tests), math.floor.
        '''def budget_alerts(y_true, y_score, alerts_per_day, n_days):
    """(threshold, precision@k, recall@k) for k = max(1, int(alerts_per_day * n_days)) alerts."""
    import math
    k = max(1, math.floor(alerts_per_day * n_days))
    frame = pd.DataFrame({"y": np.asarray(y_true), "s": np.asarray(y_score, dtype=float)})
    top = frame.nlargest(k, "s")
    return top["s"].min(), top["y"].mean(), top["y"].sum() / frame["y"].sum()
''',
        # The kit's top-k metrics and a sort for the threshold.
        '''def budget_alerts(y_true, y_score, alerts_per_day, n_days):
    """(threshold, precision@k, recall@k) for k = max(1, int(alerts_per_day * n_days)) alerts."""
    from imbalance_kit.metrics import precision_at_k, recall_at_k
    k = int(alerts_per_day * n_days)
    if k < 1:
        k = 1
    threshold = np.sort(np.asarray(y_score))[::-1][k - 1]
    return threshold, precision_at_k(y_true, y_score, k), recall_at_k(y_true, y_score, k)
''',
    ],
    "objective_answer": [
        # scipy's expit, labels as booleans.
        '''def weighted_logistic_objective(fn_cost, fp_cost):
    """Return objective(y_true, margin) -> (grad, hess) of the cost-weighted logistic loss."""
    from scipy.special import expit

    def objective(y_true, margin):
        fraud = np.asarray(y_true) == 1
        p = expit(np.asarray(margin, dtype=float))
        weight = np.where(fraud, fn_cost, fp_cost)
        grad = weight * (p - fraud)
        hess = weight * p * (1 - p)
        return grad, hess

    return objective
''',
        # A closure over the kit's objective would do; here a class with __call__ and tanh for the sigmoid.
        '''class _CostLoss:
    def __init__(self, fn_cost, fp_cost):
        self.fn_cost, self.fp_cost = fn_cost, fp_cost

    def __call__(self, y_true, margin):
        y = np.asarray(y_true, dtype=np.float64)
        p = 0.5 * (1.0 + np.tanh(0.5 * np.asarray(margin, dtype=np.float64)))
        c = self.fn_cost * y + self.fp_cost * (1.0 - y)
        return c * (p - y), c * p * (1.0 - p)


def weighted_logistic_objective(fn_cost, fp_cost):
    """Return objective(y_true, margin) -> (grad, hess) of the cost-weighted logistic loss."""
    return _CostLoss(fn_cost, fp_cost)
''',
    ],
}

HABITS = [
    {"name": "prints inside the answer", "append_to": "bayes_answer",
     "source": "print('t* for 95/5:', bayes_threshold(95.0, 5.0))"},
    {"name": "a scratch cell that overwrites globals the demos use", "after": "cost_visible",
     "source": "# trying things out\ny = [0, 1]\ns = 'scratch'\nmodel = None\nk = 3\nprint(y, s)"},
    {"name": "a helper cell with extra imports", "after": "budget_answer",
     "source": "from sklearn import metrics\nimport numpy\nfrom imbalance_kit.metrics import precision_at_k as pk\nprint(pk([0, 1], [0.1, 0.9], 1))"},
    {"name": "a markdown note of the learner's own", "after": "objective_visible", "cell_type": "markdown",
     "source": "*My note: scale_pos_weight is a weighted log-loss.*"},
    {"name": "a harmless warning while a graded cell runs", "stderr": True, "append_to": "cost_answer",
     "source": "import warnings\n_cost_quiet = transaction_cost\n\ndef transaction_cost(*args, **kwargs):\n    warnings.warn('transaction_cost: amounts converted to float', UserWarning, stacklevel=2)\n    return _cost_quiet(*args, **kwargs)"},
]
