"""Correct answers to 05_validation_and_text written differently from the solution, and learner habits.

Format of ``tests/test_fairness.py``: ``ALTERNATIVES`` maps the ``grade_id`` of an
answer cell to whole replacement sources of that cell; ``HABITS`` lists changes a
learner really makes to a correct notebook.

The plausible wrong answers the hidden tests target (checked by hand when this set
was written, and in tests/test_validation_cv.py): resampling before the split,
fitting on all rows, the scaler fitted on all rows or missing, the threshold chosen
on the test fold's scores, a threshold not returned by choose_threshold, F1 not at
the reported threshold, plain KFold or unshuffled folds.
"""

ALTERNATIVES = {
    "leakfree_answer": [
        # Inner cross-validation for the threshold (out-of-fold scores of the training fold), lists of dicts.
        '''def evaluate_leak_free(X, y, model, sampler, n_splits=5, random_state=0, choose_threshold=best_f1_threshold):
    """One row per fold: average_precision, f1, threshold (sampler and threshold on training folds only)."""
    from sklearn.model_selection import cross_val_predict
    X = np.asarray(X)
    y = np.asarray(y)
    out = []
    skf = StratifiedKFold(n_splits=n_splits, shuffle=True, random_state=random_state)
    for tr, te in skf.split(X, y):
        make = lambda: Pipeline([("scale", StandardScaler()), ("sample", clone(sampler)), ("model", clone(model))])
        inner = StratifiedKFold(n_splits=3, shuffle=True, random_state=random_state)
        oof = cross_val_predict(make(), X[tr], y[tr], cv=inner, method="predict_proba")[:, 1]
        t = choose_threshold(y[tr], oof)
        final = make().fit(X[tr], y[tr])
        s = final.predict_proba(X[te])[:, 1]
        out.append(dict(average_precision=average_precision_score(y[te], s),
                        f1=f1_score(y[te], s >= t), threshold=t))
    return pd.DataFrame(out)
''',
        # make_pipeline from imbalanced-learn, enumerate, numpy arrays then a DataFrame from columns.
        '''def evaluate_leak_free(X, y, model, sampler, n_splits=5, random_state=0, choose_threshold=best_f1_threshold):
    """One row per fold: average_precision, f1, threshold (sampler and threshold on training folds only)."""
    from imblearn.pipeline import make_pipeline
    X, y = np.asarray(X, dtype=float), np.asarray(y)
    folds = list(StratifiedKFold(n_splits, shuffle=True, random_state=random_state).split(X, y))
    aps, f1s, ts = np.zeros(len(folds)), np.zeros(len(folds)), np.zeros(len(folds))
    for k, (train_idx, test_idx) in enumerate(folds):
        p = make_pipeline(StandardScaler(), clone(sampler), clone(model))
        p.fit(X[train_idx], y[train_idx])
        ts[k] = choose_threshold(y[train_idx], p.predict_proba(X[train_idx])[:, 1])
        proba = p.predict_proba(X[test_idx])[:, 1]
        aps[k] = average_precision_score(y[test_idx], proba)
        f1s[k] = f1_score(y[test_idx], (proba >= ts[k]).astype(int), zero_division=0.0)
    return pd.DataFrame({"average_precision": aps, "f1": f1s, "threshold": ts})
''',
        # No clone (a fresh pipeline refits the same objects), enumerate, extra columns, a fold index.
        '''def evaluate_leak_free(X, y, model, sampler, n_splits=5, random_state=0, choose_threshold=best_f1_threshold):
    """One row per fold: average_precision, f1, threshold (sampler and threshold on training folds only)."""
    X, y = np.asarray(X), np.asarray(y)
    records = []
    for fold, (a, b) in enumerate(StratifiedKFold(n_splits=n_splits, shuffle=True,
                                                  random_state=random_state).split(X, y)):
        pipe = Pipeline(steps=[("scale", StandardScaler()), ("sample", sampler), ("model", model)])
        pipe.fit(X[a], y[a])
        thr = float(choose_threshold(y[a], pipe.predict_proba(X[a])[:, 1]))
        sc = pipe.predict_proba(X[b])[:, 1]
        records.append({"fold": fold, "average_precision": float(average_precision_score(y[b], sc)),
                        "f1": float(f1_score(y[b], sc >= thr)), "threshold": thr, "n_test": len(b)})
    return pd.DataFrame.from_records(records).set_index("fold")
''',
    ],
}

HABITS = [
    {"name": "prints inside the answer", "append_to": "leakfree_answer",
     "source": 'print("evaluate_leak_free defined")'},
    {"name": "a scratch cell that overwrites the notebook's names", "after": "leakfree_visible",
     "source": "best_f1_threshold = lambda y, s: 0.5\nkit_reference = None\nStratifiedKFold_backup = StratifiedKFold"},
    {"name": "a harmless warning inside the answer", "append_to": "leakfree_answer", "stderr": True,
     "source": 'import warnings\nwarnings.warn("just checking")'},
]
