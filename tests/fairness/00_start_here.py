"""Correct alternative answers and learner habits for ``00_start_here`` (format: tests/test_fairness.py)."""

_COUNTS_HEAD = '''def class_counts(y):
    """Count the labels of each class."""
'''
_RATIO_HEAD = '''def imbalance_ratio(y):
    """Majority-class count divided by minority-class count (a float >= 1)."""
'''
_ACC_HEAD = '''def majority_accuracy(y):
    """Accuracy of always predicting the majority class of ``y`` (a float in [0.5, 1])."""
'''

ALTERNATIVES = {
    "counts_answer": [
        # a loop over the labels, a dict filled by hand
        _COUNTS_HEAD + '''    counts = {0: 0, 1: 0}
    for label in list(y):
        counts[int(label)] += 1
    return counts
''',
        # collections.Counter
        _COUNTS_HEAD + '''    from collections import Counter
    c = Counter(int(v) for v in y)
    return {0: c.get(0, 0), 1: c.get(1, 0)}
''',
        # np.bincount, NumPy integers as values
        _COUNTS_HEAD + '''    b = np.bincount(np.asarray(y, dtype=int), minlength=2)
    return {0: b[0], 1: b[1]}
''',
        # pandas value_counts
        _COUNTS_HEAD + '''    import pandas as pd
    vc = pd.Series(list(y)).astype(int).value_counts()
    return {k: int(vc.get(k, 0)) for k in (0, 1)}
''',
    ],
    "ratio_answer": [
        _RATIO_HEAD + '''    c = class_counts(y)
    if c[0] >= c[1]:
        return c[0] / c[1]
    return c[1] / c[0]
''',
        # NumPy scalars, np.unique
        _RATIO_HEAD + '''    _, n = np.unique(np.asarray(y), return_counts=True)
    return n.max() / n.min()
''',
        # sorted counts, a float() at the end
        _RATIO_HEAD + '''    small, large = sorted(class_counts(y).values())
    return float(large) / float(small)
''',
    ],
    "accuracy_answer": [
        _ACC_HEAD + '''    y = np.asarray(y)
    majority = 1 if y.mean() > 0.5 else 0
    return float(np.mean(y == majority))
''',
        # through scikit-learn: a DummyClassifier is exactly the majority model
        _ACC_HEAD + '''    from sklearn.dummy import DummyClassifier
    labels = np.asarray(y).reshape(-1, 1)
    return DummyClassifier(strategy="most_frequent").fit(labels, labels.ravel()).score(labels, labels.ravel())
''',
        # from the imbalance ratio
        _ACC_HEAD + '''    r = imbalance_ratio(y)
    return r / (r + 1)
''',
    ],
}

HABITS = [
    {"name": "prints inside the answer", "append_to": "counts_answer",
     "source": "print('class_counts of a tiny list:', class_counts([0, 1, 1]))"},
    {"name": "a scratch cell that reassigns y", "after": "counts_visible",
     "source": "# trying things out\ny = [0, 0, 1, 0, 1]\nprint(class_counts(y))"},
    {"name": "a helper cell with extra imports", "after": "ratio_answer",
     "source": "import pandas as pd\nfrom collections import Counter\n\ndef share_of_frauds(labels):\n    return np.mean(labels)\n\nprint(share_of_frauds([0, 1]))"},
    {"name": "a markdown note of the learner's own", "after": "accuracy_visible", "cell_type": "markdown",
     "source": "*My note: always predicting 0 looks great on accuracy.*"},
    {"name": "a progress bar over a loop (tqdm writes to stderr)", "stderr": True, "after": "counts_answer",
     "source": "from tqdm.auto import tqdm\n_slow_counts = class_counts\n\ndef class_counts(y):\n    labels = list(y)\n    for _ in tqdm(range(1), desc='counting'):\n        pass\n    return _slow_counts(labels)"},
    {"name": "a harmless warning while a graded cell runs", "stderr": True, "append_to": "ratio_answer",
     "source": "import warnings\n_ratio_quiet = imbalance_ratio\n\ndef imbalance_ratio(y):\n    warnings.warn('imbalance_ratio: labels converted to int', UserWarning, stacklevel=2)\n    return _ratio_quiet(y)"},
]
