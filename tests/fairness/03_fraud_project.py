"""Correct answers to 03_fraud_project written differently from the solution, and learner habits.

Format of ``tests/test_fairness.py``: ``ALTERNATIVES`` maps the ``grade_id`` of an
answer cell to whole replacement sources of that cell; ``HABITS`` lists changes a
learner really makes to a correct notebook (``"after"``: a new cell after that
cell; ``"append_to"``: lines appended to that answer cell; ``"stderr"``: the habit
writes to stderr while a graded cell runs).

Each plausible wrong answer the hidden tests target loses points with a message in
words (checked by hand when this set was written): no de-duplication, de-duplication
after the cut, no sort, a shuffled or stratified split, an inplace sort; fitting on
the test rows, the legitimate column, hard predictions, strict ``>``; SMOTE before
the scaler, scikit-learn's Pipeline, a new sampler; swapped FP/FN, rows re-ordered;
the running sum that ignores ties; an inverted ``w``, the odds form that breaks at
p = 1, a list not converted.
"""

ALTERNATIVES = {
    "split_answer": [
        # train_test_split without shuffling, after sorting (quicksort: ties in any order).
        '''def split_by_time(df, test_size=0.3):
    unique = df.drop_duplicates()
    unique = unique.sort_values(by="Time")
    train_df, test_df = train_test_split(unique, test_size=test_size, shuffle=False)
    return train_df, test_df
''',
        # Boolean mask, reset index, round() for the cut.
        '''def split_by_time(df, test_size=0.3):
    d = df.copy()
    d = d[~d.duplicated()]
    d = d.sort_values("Time").reset_index(drop=True)
    cut = int(round(len(d) * (1 - test_size)))
    train_df = d.iloc[:cut]
    test_df = d.iloc[cut:]
    return train_df, test_df
''',
        # NumPy argsort, floor for the test size, head/tail.
        '''def split_by_time(df, test_size=0.3):
    unique = df.loc[~df.duplicated(keep="first")]
    order = np.argsort(unique["Time"].to_numpy(), kind="mergesort")
    ordered = unique.iloc[order]
    n_test = int(test_size * len(ordered))
    return ordered.head(len(ordered) - n_test), ordered.tail(n_test)
''',
    ],
    "baseline_answer": [
        # scikit-learn metrics on hard predictions.
        '''def fit_and_report(model, X_train, y_train, X_test, y_test, threshold=0.5):
    from sklearn.metrics import accuracy_score, recall_score
    model = model.fit(X_train, y_train)
    scores = model.predict_proba(X_test)[:, 1]
    y_pred = (scores >= threshold).astype(int)
    return scores, accuracy_score(y_test, y_pred), recall_score(y_test, y_pred)
''',
        # A clone (the caller's model stays unfitted), the fraud column found from classes_,
        # NumPy scalars returned.
        '''def fit_and_report(model, X_train, y_train, X_test, y_test, threshold=0.5):
    from sklearn.base import clone
    fitted = clone(model).fit(X_train, y_train)
    proba = fitted.predict_proba(X_test)
    scores = proba[:, list(fitted.classes_).index(1)]
    pred = np.where(scores >= threshold, 1, 0)
    y = np.asarray(y_test)
    tp = np.sum((pred == 1) & (y == 1))
    fn = np.sum((pred == 0) & (y == 1))
    return scores, (pred == y).mean(), tp / (tp + fn)
''',
        # confusion_matrix, a list of scores.
        '''def fit_and_report(model, X_train, y_train, X_test, y_test, threshold=0.5):
    from sklearn.metrics import confusion_matrix
    model.fit(X_train, y_train)
    s = model.predict_proba(X_test)[:, 1]
    tn, fp, fn, tp = confusion_matrix(y_test, (s >= threshold).astype(int), labels=[0, 1]).ravel()
    return list(s), (tp + tn) / (tn + fp + fn + tp), tp / (tp + fn)
''',
    ],
    "pipeline_answer": [
        '''def make_resampling_pipeline(model, sampler):
    return make_pipeline(StandardScaler(), sampler, model)
''',
        '''from imblearn.pipeline import Pipeline as ImbPipeline

def make_resampling_pipeline(model, sampler):
    steps = [("scaler", StandardScaler())]
    steps.append(("sampler", sampler))
    steps.append(("clf", model))
    return ImbPipeline(steps=steps)
''',
        '''import imblearn

def make_resampling_pipeline(model, sampler):
    pipe = imblearn.pipeline.Pipeline([("standardize", StandardScaler()), ("balance", sampler), ("classifier", model)])
    return pipe
''',
    ],
    "compare_answer": [
        # scikit-learn scores with zero_division=0, a list of records.
        '''def compare_models(y_true, scores, threshold=0.5):
    from sklearn.metrics import precision_score, recall_score
    records = []
    for name, s in scores.items():
        pred = (np.asarray(s) >= threshold).astype(int)
        records.append({
            "model": name,
            "precision": precision_score(y_true, pred, zero_division=0),
            "recall": recall_score(y_true, pred),
            "average_precision": average_precision_score(y_true, s),
            "roc_auc": roc_auc_score(y_true, s),
            "alerts": int(pred.sum()),
        })
    return pd.DataFrame(records).set_index("model")
''',
        # Counting by hand, filling the frame with .loc, an extra column.
        '''def compare_models(y_true, scores, threshold=0.5):
    y = np.asarray(y_true)
    table = pd.DataFrame(columns=["precision", "recall", "average_precision", "roc_auc", "alerts"])
    for name in scores:
        s = np.asarray(scores[name], dtype=float)
        flagged = s >= threshold
        tp = int(np.sum(flagged & (y == 1)))
        fp = int(np.sum(flagged & (y == 0)))
        fn = int(np.sum(~flagged & (y == 1)))
        precision = tp / (tp + fp) if tp + fp > 0 else 0.0
        table.loc[name] = [precision, tp / (tp + fn), average_precision_score(y, s), roc_auc_score(y, s), tp + fp]
    table["f1"] = 0.0
    return table
''',
        # A dict of columns (NumPy scalars), the index set from the keys.
        '''def compare_models(y_true, scores, threshold=0.5):
    from sklearn.metrics import confusion_matrix
    names = list(scores)
    cols = {"precision": [], "recall": [], "average_precision": [], "roc_auc": [], "alerts": []}
    for name in names:
        tn, fp, fn, tp = confusion_matrix(y_true, np.asarray(scores[name]) >= threshold, labels=[False, True]).ravel()
        cols["precision"].append(np.float64(tp) / (tp + fp) if (tp + fp) else np.float64(0))
        cols["recall"].append(np.float64(tp) / (tp + fn))
        cols["average_precision"].append(average_precision_score(y_true, scores[name]))
        cols["roc_auc"].append(roc_auc_score(y_true, scores[name]))
        cols["alerts"].append(tp + fp)
    return pd.DataFrame(cols, index=names)
''',
    ],
    "matched_answer": [
        # scikit-learn's precision-recall curve (thresholds are the distinct scores).
        '''def precision_at_matched_recall(y_true, y_score, target_recall):
    from sklearn.metrics import precision_recall_curve
    precision, recall, thresholds = precision_recall_curve(y_true, y_score)
    ok = np.flatnonzero(recall[:-1] >= target_recall - 1e-12)
    i = ok[-1]
    return thresholds[i], precision[i]
''',
        # A loop over the distinct scores, from the highest down.
        '''def precision_at_matched_recall(y_true, y_score, target_recall):
    y = np.asarray(y_true)
    s = np.asarray(y_score, dtype=float)
    for t in np.unique(s)[::-1]:
        flagged = s >= t
        tp = np.sum(flagged & (y == 1))
        if tp / np.sum(y == 1) >= target_recall - 1e-12:
            return float(t), tp / flagged.sum()
''',
        # pandas: group the tied scores, then cumulative sums.
        '''def precision_at_matched_recall(y_true, y_score, target_recall):
    d = pd.DataFrame({"y": np.asarray(y_true), "s": np.asarray(y_score)})
    g = d.groupby("s")["y"].agg(["sum", "count"]).sort_index(ascending=False)
    tp, n = g["sum"].cumsum(), g["count"].cumsum()
    recall = tp / g["sum"].sum()
    t = recall[recall >= target_recall - 1e-12].index[0]
    return t, tp[t] / n[t]
''',
    ],
    "prior_answer": [
        '''def correct_prior(p, w):
    p = np.array(p, dtype=float)
    return np.divide(p, p + (1.0 - p) * w)
''',
        # A number for a number, an array otherwise.
        '''def correct_prior(p, w):
    if np.isscalar(p):
        return p / (p + (1 - p) * w)
    p = np.asarray(p)
    return p / (p + (1 - p) * w)
''',
        # The same formula with beta = 1 / w (Dal Pozzolo et al. 2015).
        '''def correct_prior(p, w):
    beta = 1 / w
    p = np.asarray(p, dtype=np.float64)
    out = beta * p / (beta * p - p + 1)
    return out.item() if out.ndim == 0 else out
''',
    ],
}

HABITS = [
    {"name": "prints and a trial call inside an answer", "append_to": "split_answer",
     "source": 'print("split defined")\n_tr_try, _te_try = split_by_time(df.head(500))\nprint(len(_tr_try), len(_te_try))'},
    {"name": "a scratch cell that overwrites common names", "after": "split_visible",
     "source": "y = [0, 0, 1, 0, 1]\nX = None\nscores = {}\nmodel = 'mine'\nthreshold = 0.9"},
    {"name": "from sklearn import metrics in a scratch cell", "after": "baseline_visible",
     "source": "from sklearn import metrics\nprint(metrics.recall_score([0, 1, 1], [0, 1, 0]))"},
    {"name": "extra imports under the course's private-looking names", "after": "pipeline_visible",
     "source": "import numpy as np\nimport pandas as pd\n_np = None\n_pd = None"},
    {"name": "the learner tries the comparison on the real scores", "after": "compare_visible",
     "source": "print(compare_models(y_test, {'plain': plain_scores}))"},
    {"name": "scratch names a hidden test could have read", "after": "matched_visible",
     "source": "y_true, y_score, target_recall = None, None, 2.0\n_rng = 'scratch'"},
    {"name": "a trial call at the end of the prior answer", "append_to": "prior_answer",
     "source": "print(correct_prior([0.5, 0.2], 3.0))"},
    {"name": "a progress bar while comparing models (tqdm writes to stderr)", "append_to": "compare_answer",
     "stderr": True,
     "source": '''from tqdm.auto import tqdm
_compare_models_plain = compare_models

def compare_models(y_true, scores, threshold=0.5):
    for _ in tqdm(range(len(scores)), desc="models"):
        pass
    return _compare_models_plain(y_true, scores, threshold)
'''},
]
