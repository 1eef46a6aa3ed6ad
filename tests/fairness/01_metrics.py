"""Correct alternative answers and learner habits for ``01_metrics`` (format: tests/test_fairness.py)."""

_COUNTS = '''def confusion_counts_by_hand(y_true, y_pred):
    """Count the four outcomes of a binary classifier (1 = fraud = positive)."""
'''
_BASELINE = '''def fit_baseline(X_train, y_train):
    """Train a fraud classifier on (X_train, y_train) and return it fitted (it must have predict_proba)."""
'''
_TOPK_TAIL = '''

caught_a = frauds_in_top_k(y_day, score_a, 100)
caught_b = frauds_in_top_k(y_day, score_b, 100)
print(f"frauds among the 100 alerts: model A {caught_a}, model B {caught_b}")
'''

ALTERNATIVES = {
    "ex1_answer": [
        # a loop over the rows
        _COUNTS + '''    tn = fp = fn = tp = 0
    for t, p in zip(list(y_true), list(y_pred)):
        if t and p:
            tp += 1
        elif t:
            fn += 1
        elif p:
            fp += 1
        else:
            tn += 1
    return tn, fp, fn, tp
''',
        # scikit-learn, NumPy integers in the tuple
        _COUNTS + '''    from sklearn.metrics import confusion_matrix
    return tuple(confusion_matrix(np.asarray(y_true, dtype=int), np.asarray(y_pred, dtype=int), labels=[0, 1]).ravel())
''',
        # np.bincount of 2 * truth + prediction, returned as a list
        _COUNTS + '''    code = 2 * np.asarray(y_true, dtype=int) + np.asarray(y_pred, dtype=int)
    return list(np.bincount(code, minlength=4))
''',
    ],
    "baseline_answer": [
        # a random forest, as the seed allows
        _BASELINE + '''    from sklearn.ensemble import RandomForestClassifier
    forest = RandomForestClassifier(n_estimators=40, min_samples_leaf=2, random_state=SEED)
    forest.fit(X_train, y_train)
    return forest
''',
        # an explicit Pipeline with named steps and another C
        _BASELINE + '''    from sklearn.pipeline import Pipeline
    pipe = Pipeline([("scale", StandardScaler()), ("logreg", LogisticRegression(C=0.5, max_iter=2000, random_state=SEED))])
    return pipe.fit(X_train, y_train)
''',
        # gradient boosting, fitted then returned on two lines
        _BASELINE + '''    from sklearn.ensemble import HistGradientBoostingClassifier
    model = HistGradientBoostingClassifier(max_iter=60, random_state=SEED)
    model.fit(np.asarray(X_train), np.asarray(y_train))
    return model
''',
    ],
    "ex2_answer": [
        # try / except around Python divisions
        '''def precision(tp, fp):
    """Share of alarms that are fraud."""
    try:
        return tp / (tp + fp)
    except ZeroDivisionError:
        return 0.0


def recall(tp, fn):
    """Share of frauds that are caught."""
    try:
        return tp / (tp + fn)
    except ZeroDivisionError:
        return 0.0


def f_beta(tp, fp, fn, beta=1.0):
    """F-beta from precision and recall."""
    p, r = precision(tp, fp), recall(tp, fn)
    if p + r == 0:
        return 0.0
    return (1 + beta ** 2) * p * r / (beta ** 2 * p + r)
''',
        # NumPy scalars (np.float64 is a float)
        '''def precision(tp, fp):
    return np.float64(tp) / (tp + fp) if (tp + fp) else np.float64(0.0)


def recall(tp, fn):
    return np.float64(tp) / (tp + fn) if (tp + fn) else np.float64(0.0)


def f_beta(tp, fp, fn, beta=1.0):
    b2 = np.float64(beta) ** 2
    denom = (1 + b2) * tp + b2 * fn + fp
    return (1 + b2) * tp / denom if denom else np.float64(0.0)
''',
        # scikit-learn on labels rebuilt from the counts
        '''from sklearn.metrics import fbeta_score, precision_score, recall_score


def _labels(tp, fp, fn):
    y_true = [1] * tp + [0] * fp + [1] * fn
    y_pred = [1] * tp + [1] * fp + [0] * fn
    return y_true, y_pred


def precision(tp, fp):
    if tp + fp == 0:
        return 0.0
    return float(precision_score(*_labels(tp, fp, 0), zero_division=0))


def recall(tp, fn):
    if tp + fn == 0:
        return 0.0
    return float(recall_score(*_labels(tp, 0, fn), zero_division=0))


def f_beta(tp, fp, fn, beta=1.0):
    if tp + fp + fn == 0:
        return 0.0
    return float(fbeta_score(*_labels(tp, fp, fn), beta=beta, zero_division=0))
''',
    ],
    "cost_answer": [
        # loops, the first maximum kept with a strict >
        '''def total_cost(y_true, y_pred, cost_fp, cost_fn):
    cost = 0
    for t, p in zip(y_true, y_pred):
        if p == 1 and t == 0:
            cost += cost_fp
        elif p == 0 and t == 1:
            cost += cost_fn
    return float(cost)


def cheaper_metric(y_true, y_score, cost_fp, cost_fn, thresholds):
    y_true, y_score = np.asarray(y_true), np.asarray(y_score)
    costs = []
    for beta in (1, 2):
        best_t, best_f = None, -1.0
        for t in thresholds:
            tn, fp, fn, tp = confusion_counts_by_hand(y_true, (y_score >= t).astype(int))
            f = f_beta(tp, fp, fn, beta=beta)
            if f > best_f:
                best_t, best_f = t, f
        costs.append(total_cost(y_true, (y_score >= best_t).astype(int), cost_fp, cost_fn))
    return "F2" if costs[1] < costs[0] else "F1"
''',
        # the kit's functions (imported by the learner, since a scratch cell may shadow `metrics`), NumPy scalars
        '''from imbalance_kit import metrics as kit_metrics


def total_cost(y_true, y_pred, cost_fp, cost_fn):
    c = kit_metrics.confusion_counts(y_true, y_pred)
    return np.float64(cost_fp) * c.fp + np.float64(cost_fn) * c.fn


def cheaper_metric(y_true, y_score, cost_fp, cost_fn, thresholds):
    best = {}
    for name, beta in (("F1", 1.0), ("F2", 2.0)):
        f = []
        for t in thresholds:
            tn, fp, fn, tp = kit_metrics.confusion_counts(y_true, y_score=y_score, threshold=t)
            f.append(kit_metrics.fbeta_from_counts(tp, fp, fn, beta=beta))
        best[name] = thresholds[np.argmax(f)]
    cost = {name: total_cost(y_true, np.asarray(y_score) >= t, cost_fp, cost_fn) for name, t in best.items()}
    return "F2" if cost["F2"] < cost["F1"] else "F1"
''',
        # everything vectorised over the thresholds
        '''def total_cost(y_true, y_pred, cost_fp, cost_fn):
    y_true, y_pred = np.asarray(y_true).astype(bool), np.asarray(y_pred).astype(bool)
    return float(cost_fp * np.sum(y_pred & ~y_true) + cost_fn * np.sum(~y_pred & y_true))


def cheaper_metric(y_true, y_score, cost_fp, cost_fn, thresholds):
    y = np.asarray(y_true).astype(bool)
    flags = np.asarray(y_score)[None, :] >= np.asarray(thresholds)[:, None]
    tp = (flags & y).sum(axis=1)
    fp = (flags & ~y).sum(axis=1)
    fn = y.sum() - tp
    cost = cost_fp * fp + cost_fn * fn
    chosen = {}
    for name, b2 in (("F1", 1), ("F2", 4)):
        denom = (1 + b2) * tp + b2 * fn + fp
        f = np.divide((1 + b2) * tp, denom, out=np.zeros(len(tp)), where=denom > 0)
        chosen[name] = cost[np.argmax(f)]
    return "F2" if chosen["F2"] < chosen["F1"] else "F1"
''',
    ],
    "ex4_answer": [
        # sorted pairs, pick by comparison
        '''def frauds_in_top_k(y_true, y_score, k):
    pairs = sorted(zip(list(y_score), list(y_true)), key=lambda p: p[0], reverse=True)
    return sum(int(label) for _, label in pairs[:k])
''' + _TOPK_TAIL + '''pick = "A" if caught_a >= caught_b else "B"
''',
        # argpartition, NumPy integer result, lower-case answer
        '''def frauds_in_top_k(y_true, y_score, k):
    s = -np.asarray(y_score, dtype=float)
    top = np.argpartition(s, k - 1)[:k] if k < len(s) else np.arange(len(s))
    return np.asarray(y_true)[top].sum()
''' + _TOPK_TAIL + '''pick = max({"a": caught_a, "b": caught_b}.items(), key=lambda kv: kv[1])[0]
''',
        # pandas nlargest
        '''def frauds_in_top_k(y_true, y_score, k):
    import pandas as pd
    top = pd.Series(np.asarray(y_score)).nlargest(k).index
    return int(np.asarray(y_true)[top].sum())
''' + _TOPK_TAIL + '''pick = ["A", "B"][int(caught_b > caught_a)]
print("I pick", pick)
''',
    ],
}

HABITS = [
    {"name": "a scratch cell that reassigns y and names the hidden tests could have read", "after": "ex4_visible",
     "source": "y = [0, 0, 1, 0, 1]\n_y, _s, _rng, _yt = None, None, None, None\nprint(confusion_counts_by_hand(y, y))"},
    {"name": "prints inside an answer", "append_to": "ex2_answer",
     "source": "print('precision of 8 in 10 alarms:', precision(8, 2))"},
    {"name": "from sklearn import metrics in a scratch cell (shadows the kit's metrics)", "after": "ex2_visible",
     "source": "from sklearn import metrics\nprint(metrics.f1_score([0, 1, 1], [0, 1, 0]))"},
    {"name": "a helper cell with extra imports", "after": "baseline_visible",
     "source": "import pandas as pd\nfrom sklearn.metrics import classification_report\n\ndef describe(model):\n    return type(model).__name__\n\nprint(describe(fit_baseline))"},
    {"name": "the learner re-runs the cost demo by hand", "after": "cost_visible",
     "source": "cost_fp, cost_fn = 5, 150\nthresholds_mine = np.linspace(0.05, 0.95, 19)\nprint(cheaper_metric([0, 1, 1, 0], [0.2, 0.9, 0.4, 0.1], 5, 150, thresholds_mine))"},
    {"name": "a progress bar over the thresholds (tqdm writes to stderr)", "stderr": True, "append_to": "cost_answer",
     "source": "from tqdm.auto import tqdm\n_cheaper_quiet = cheaper_metric\n\ndef cheaper_metric(y_true, y_score, cost_fp, cost_fn, thresholds):\n    for _ in tqdm(range(1), desc='thresholds'):\n        pass\n    return _cheaper_quiet(y_true, y_score, cost_fp, cost_fn, thresholds)"},
    {"name": "a harmless warning while a graded cell runs", "stderr": True, "append_to": "ex4_answer",
     "source": "import warnings\n_topk_quiet = frauds_in_top_k\n\ndef frauds_in_top_k(y_true, y_score, k):\n    warnings.warn('frauds_in_top_k: ties are broken arbitrarily', UserWarning, stacklevel=2)\n    return _topk_quiet(y_true, y_score, k)"},
]
