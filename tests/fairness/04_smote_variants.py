"""Correct answers to 04_smote_variants written differently from the solution, and learner habits.

Format of ``tests/test_fairness.py``: ``ALTERNATIVES`` maps the ``grade_id`` of an
answer cell to whole replacement sources of that cell; ``HABITS`` lists changes a
learner really makes to a correct notebook.

The plausible wrong answers the hidden tests target (checked by hand when this set
was written): ``>`` instead of ``>=`` for "at least half", all-majority called danger,
the point counted as its own neighbour, neighbours searched among the minority only,
a fixed m; weights not normalised or with the point itself counted, counts rounded
down (``int``) or up (``ceil``), G not majority minus minority.
"""

ALTERNATIVES = {
    "status_answer": [
        # A loop over minority rows, a list of str, kneighbors on each row.
        '''def minority_status(X, y, m_neighbors=10):
    """'danger', 'safe' or 'noise' for each minority row (label 1), in order."""
    X = np.asarray(X, dtype=float)
    y = np.asarray(y)
    nn = NearestNeighbors(n_neighbors=m_neighbors + 1)
    nn.fit(X)
    out = []
    for i in np.flatnonzero(y == 1):
        idx = nn.kneighbors(X[i:i + 1], return_distance=False)[0][1:]
        m_prime = int(np.sum(y[idx] != 1))
        if m_prime == m_neighbors:
            out.append("noise")
        elif 2 * m_prime >= m_neighbors:
            out.append("danger")
        else:
            out.append("safe")
    return out
''',
        # kneighbors() without arguments: scikit-learn then excludes each point itself.
        '''def minority_status(X, y, m_neighbors=10):
    """'danger', 'safe' or 'noise' for each minority row (label 1), in order."""
    X, y = np.asarray(X, dtype=float), np.asarray(y)
    nn = NearestNeighbors(n_neighbors=m_neighbors).fit(X)
    neigh = nn.kneighbors(return_distance=False)[y == 1]
    frac = (y[neigh] == 0).mean(axis=1)
    labels = np.full(len(frac), "safe", dtype=object)
    labels[frac >= 0.5] = "danger"
    labels[frac == 1.0] = "noise"
    return labels.tolist()
''',
        # pandas and np.select.
        '''def minority_status(X, y, m_neighbors=10):
    """'danger', 'safe' or 'noise' for each minority row (label 1), in order."""
    X = np.asarray(X, dtype=float)
    y = pd.Series(np.asarray(y))
    idx = NearestNeighbors(n_neighbors=m_neighbors + 1).fit(X).kneighbors(X[y.to_numpy() == 1])[1][:, 1:]
    n_maj = pd.DataFrame(y.to_numpy()[idx]).eq(0).sum(axis=1).to_numpy()
    return np.select([n_maj == m_neighbors, n_maj >= m_neighbors / 2], ["noise", "danger"], default="safe")
''',
    ],
    "adasyn_answer": [
        # Loops, Python's round() (halves to even too), lists.
        '''def adasyn_plan(X, y, n_neighbors=5):
    """ADASYN's normalised weights and the number of points generated around each minority row."""
    X = np.asarray(X, dtype=float)
    y = list(np.asarray(y))
    nn = NearestNeighbors(n_neighbors=n_neighbors + 1).fit(X)
    r = []
    for i, label in enumerate(y):
        if label == 1:
            idx = nn.kneighbors(X[i:i + 1], return_distance=False)[0][1:]
            r.append(sum(1 for j in idx if y[j] == 0) / n_neighbors)
    total = sum(r)
    weights = [v / total for v in r]
    G = y.count(0) - y.count(1)
    counts = [round(w * G) for w in weights]
    return weights, counts
''',
        # imbalanced-learn's own counts through its nearest-neighbour search, np.round.
        '''def adasyn_plan(X, y, n_neighbors=5):
    """ADASYN's normalised weights and the number of points generated around each minority row."""
    X, y = np.asarray(X, dtype=float), np.asarray(y).astype(int)
    n_min, n_maj = np.bincount(y, minlength=2)[1], np.bincount(y, minlength=2)[0]
    _, idx = NearestNeighbors(n_neighbors=n_neighbors + 1).fit(X).kneighbors(X[y == 1])
    delta = (y[idx[:, 1:]] == 0).sum(axis=1)
    weights = delta / delta.sum()          # the 1/K cancels in the normalisation
    counts = np.round(weights * (n_maj - n_min)).astype(np.int64)
    return weights, counts
''',
    ],
}

HABITS = [
    {"name": "prints and a trial call inside an answer", "append_to": "status_answer",
     "source": 'print("defined")\nprint(minority_status([[0.0], [1.0], [0.5]], [0, 0, 1], m_neighbors=1))'},
    {"name": "a scratch cell that overwrites the notebook's names", "after": "status_visible",
     "source": "make_overlap_data = None\nkit_reference = 'mine'\nnp.random.default_rng(1)"},
    {"name": "a harmless warning inside an answer", "append_to": "adasyn_answer", "stderr": True,
     "source": 'import warnings\nwarnings.warn("just checking")'},
]
