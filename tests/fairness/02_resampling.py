"""Correct alternative answers and learner habits for ``02_resampling`` (format: tests/test_fairness.py)."""

_OVER = '''def oversample_by_hand(X, y, random_state=SEED):
    """Balance two classes by appending random copies of minority rows."""
    X, y = np.asarray(X), np.asarray(y)
'''
_UNDER = '''def undersample_by_hand(X, y, random_state=SEED):
    """Balance two classes by keeping a random subset of the majority rows."""
    X, y = np.asarray(X), np.asarray(y)
'''
_SMOTE = '''def smote_by_hand(X, y, k_neighbors=5, random_state=SEED):
    """SMOTE over-sampling of the minority class until both classes have the same count."""
    X, y = np.asarray(X, dtype=float), np.asarray(y)
'''
_PIPE = '''def make_resampling_pipeline(sampler, model):
    """Standardise, then resample with ``sampler`` (no step when it is None), then fit ``model``."""
'''

ALTERNATIVES = {
    "over_answer": [
        # rng.integers into the minority rows
        _OVER + '''    rng = np.random.default_rng(random_state)
    n0, n1 = int(np.sum(y == 0)), int(np.sum(y == 1))
    minority = 1 if n1 < n0 else 0
    rows = np.where(y == minority)[0]
    picks = rows[rng.integers(0, len(rows), size=abs(n0 - n1))]
    return np.concatenate([X, X[picks]]), np.concatenate([y, y[picks]])
''',
        # a Python loop that appends one copy at a time
        _OVER + '''    rng = np.random.default_rng(random_state)
    labels, counts = np.unique(y, return_counts=True)
    minority = labels[counts.argmin()]
    rows = list(np.flatnonzero(y == minority))
    X_rows, y_rows = list(X), list(y)
    for _ in range(counts.max() - counts.min()):
        i = rows[rng.integers(len(rows))]
        X_rows.append(X[i])
        y_rows.append(y[i])
    return np.array(X_rows), np.array(y_rows)
''',
        # float labels, np.vstack, rng.choice on a list
        _OVER + '''    rng = np.random.default_rng(random_state)
    from collections import Counter
    counts = Counter(y.tolist())
    minority = min(counts, key=counts.get)
    n_new = max(counts.values()) - min(counts.values())
    chosen = rng.choice(np.flatnonzero(y == minority).tolist(), size=n_new, replace=True)
    X_res = np.vstack([X, X[chosen]])
    y_res = np.concatenate([y.astype(float), np.full(n_new, float(minority))])
    return X_res, y_res
''',
    ],
    "under_answer": [
        # a permutation of the majority rows
        _UNDER + '''    rng = np.random.default_rng(random_state)
    n0, n1 = np.sum(y == 0), np.sum(y == 1)
    minority, majority = (1, 0) if n1 < n0 else (0, 1)
    keep_major = rng.permutation(np.flatnonzero(y == majority))[: min(n0, n1)]
    keep = np.concatenate([np.flatnonzero(y == minority), keep_major])
    return X[keep], y[keep]
''',
        # pandas .sample with the seed
        _UNDER + '''    import pandas as pd
    frame = pd.DataFrame(X)
    frame["label"] = y
    sizes = frame["label"].value_counts()
    minority, majority = sizes.idxmin(), sizes.idxmax()
    kept = pd.concat([frame[frame["label"] == minority],
                      frame[frame["label"] == majority].sample(n=int(sizes.min()), random_state=random_state)])
    return kept.drop(columns="label").to_numpy(), kept["label"].to_numpy()
''',
        # a boolean mask, float labels returned
        _UNDER + '''    rng = np.random.default_rng(random_state)
    labels, counts = np.unique(y, return_counts=True)
    majority_rows = np.flatnonzero(y == labels[counts.argmax()])
    mask = y == labels[counts.argmin()]
    mask[rng.choice(majority_rows, size=counts.min(), replace=False)] = True
    return X[mask], y[mask].astype(float)
''',
    ],
    "smote_answer": [
        # a loop over the new points (allowed), integer labels
        _SMOTE + '''    labels, counts = np.unique(y, return_counts=True)
    minority = labels[counts.argmin()]
    X_min = X[y == minority]
    if len(X_min) < k_neighbors + 1:
        raise ValueError(f"k_neighbors={k_neighbors} is too large for {len(X_min)} minority rows")
    nn = NearestNeighbors(n_neighbors=k_neighbors).fit(X_min).kneighbors(return_distance=False)
    rng = np.random.default_rng(random_state)
    new_rows = []
    for _ in range(counts.max() - counts.min()):
        i = rng.integers(len(X_min))
        j = nn[i, rng.integers(k_neighbors)]
        new_rows.append(X_min[i] + rng.random() * (X_min[j] - X_min[i]))
    X_new = np.array(new_rows).reshape(-1, X.shape[1])
    return np.vstack([X, X_new]), np.concatenate([y, np.full(len(X_new), minority)])
''',
        # neighbours from kneighbors(X_min, k + 1) without the first column, float labels
        _SMOTE + '''    n_pos = int(np.sum(y == 1))
    minority = 1 if n_pos < len(y) - n_pos else 0
    X_min = X[y == minority]
    n_min = len(X_min)
    if n_min <= k_neighbors:
        raise ValueError(f"need more than k_neighbors={k_neighbors} minority samples, got {n_min}")
    n_new = len(y) - 2 * n_min
    rng = np.random.default_rng(random_state)
    nbrs = NearestNeighbors(n_neighbors=k_neighbors + 1).fit(X_min).kneighbors(X_min, return_distance=False)[:, 1:]
    base = rng.choice(n_min, size=n_new)
    other = nbrs[base, rng.choice(k_neighbors, size=n_new)]
    gaps = rng.uniform(0.0, 1.0, size=(n_new, 1))
    X_new = X_min[base] + gaps * (X_min[other] - X_min[base])
    return np.r_[X, X_new], np.r_[y.astype(float), np.full(n_new, float(minority))]
''',
        # scikit-learn's kneighbors_graph, lists of rows
        _SMOTE + '''    from sklearn.neighbors import kneighbors_graph
    minority = int(np.argmin(np.bincount(y.astype(int), minlength=2)))
    X_min = X[y == minority]
    if X_min.shape[0] < k_neighbors + 1:
        raise ValueError("k_neighbors must be smaller than the number of minority rows "
                         f"(k_neighbors={k_neighbors}, minority rows: {X_min.shape[0]})")
    graph = kneighbors_graph(X_min, n_neighbors=k_neighbors, include_self=False).tocsr()
    neighbours = graph.indices.reshape(X_min.shape[0], k_neighbors)
    rng = np.random.default_rng(random_state)
    n_new = int(np.sum(y != minority)) - X_min.shape[0]
    i = rng.integers(0, X_min.shape[0], n_new)
    j = neighbours[i, rng.integers(0, k_neighbors, n_new)]
    t = rng.random(n_new)[:, np.newaxis]
    return np.concatenate([X, (1 - t) * X_min[i] + t * X_min[j]]), np.concatenate([y, [minority] * n_new])
''',
    ],
    "pipeline_answer": [
        # named steps; None is a valid "passthrough" step of a Pipeline
        _PIPE + '''    from imblearn.pipeline import Pipeline
    return Pipeline([("scale", StandardScaler()), ("resample", sampler), ("model", model)])
''',
        # clones of what was passed in
        _PIPE + '''    steps = [StandardScaler()] + ([] if sampler is None else [clone(sampler)]) + [clone(model)]
    return make_imb_pipeline(*steps)
''',
        # an if / else
        _PIPE + '''    from imblearn import pipeline as imb_pipeline
    if sampler is None:
        return imb_pipeline.make_pipeline(StandardScaler(), model)
    return imb_pipeline.make_pipeline(StandardScaler(), sampler, model)
''',
    ],
}

HABITS = [
    # habit i goes to notebook alt-(i % 3): the samplers dict (1) and the re-run of the setup (4) share alt-1
    {"name": "a scratch cell that reassigns names the hidden tests could have read", "after": "over_visible",
     "source": "X, y = X2_train[:50], y2_train[:50]\nrng, n, k, X_min = None, 3, 0, None\n_X, _y, _rng = None, None, None\nprint(len(X), 'rows to play with')"},
    {"name": "a dict called samplers in a scratch cell, the setup re-run later", "after": "smote_answer",
     "source": "samplers = {'over': oversample_by_hand, 'under': undersample_by_hand, 'smote': smote_by_hand}\nprint(sorted(samplers))"},
    {"name": "prints inside an answer", "append_to": "under_answer",
     "source": "print('under-sampled counts:', np.bincount(np.asarray(undersample_by_hand(X2_train, y2_train)[1]).astype(int)))"},
    {"name": "a helper cell with extra imports", "after": "pipeline_visible",
     "source": "import pandas as pd\nfrom imblearn.over_sampling import RandomOverSampler\n\ndef steps_of(pipe):\n    return [type(s).__name__ for _, s in pipe.steps]\n\nprint(steps_of(make_resampling_pipeline(RandomOverSampler(), LogisticRegression())))"},
    {"name": "re-running the setup imports after playing", "after": "smote_hidden_scratch",
     "source": "from imbalance_kit import plots, samplers\nfrom sklearn.neighbors import NearestNeighbors"},
    {"name": "a progress bar inside the SMOTE answer (tqdm writes to stderr)", "stderr": True, "append_to": "smote_answer",
     "source": "from tqdm.auto import tqdm\n_smote_quiet = smote_by_hand\n\ndef smote_by_hand(X, y, k_neighbors=5, random_state=SEED):\n    for _ in tqdm(range(1), desc='SMOTE'):\n        pass\n    return _smote_quiet(X, y, k_neighbors=k_neighbors, random_state=random_state)"},
    {"name": "a harmless warning while a graded cell runs", "stderr": True, "append_to": "over_answer",
     "source": "import warnings\n_over_quiet = oversample_by_hand\n\ndef oversample_by_hand(X, y, random_state=SEED):\n    warnings.warn('oversample_by_hand: copies share memory with nothing', UserWarning, stacklevel=2)\n    return _over_quiet(X, y, random_state=random_state)"},
]
