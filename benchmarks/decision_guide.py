"""Decision guide, measured: which imbalance technique wins on which kind of data?

Runs the same techniques over a panel of real KEEL imbalanced sets chosen to
span sizes, dimensions and imbalance ratios, plus a stratified subsample of
the credit-card data (the real Kaggle file when it is cached, the kit's
stand-in otherwise; the ``source`` column says which), with stratified
k-fold cross-validation. Every (data set, technique, fold) is one row of the
output CSV: average precision, ROC-AUC, training CPU time (``fit_cpu_seconds``: CPU, not wall time,
so a loaded machine does not inflate it).

Techniques and their family:

============================  ===============  ====================================================
technique                     family           what it is
============================  ===============  ====================================================
``lr_none``                   none             scaled logistic regression, nothing for the imbalance
``lr_class_weight``           class weights    the same with ``class_weight="balanced"``
``lr_random_under``           resampling       random under-sampling to 1:1, then the same
``lr_smote``                  resampling       SMOTE to 1:1 (imbalanced-learn), then the same
``lr_borderline_smote``       resampling       Borderline-SMOTE-1 to 1:1, then the same
``balanced_random_forest``    balanced ens.    imbalanced-learn's BalancedRandomForest (100 trees)
``easy_ensemble``             balanced ens.    imbalanced-learn's EasyEnsemble (10 AdaBoost bags)
``xgb_none``                  boosting         XGBoost, 200 trees of depth 4, no weights
``xgb_scale_pos_weight``      boosting+weights the same with ``scale_pos_weight = n_neg / n_pos``
``xgb_focal``                 boosting+focal   the same trees with the kit's focal objective
============================  ===============  ====================================================

Resamplers run inside an imbalanced-learn ``Pipeline`` (training folds only).
Every model runs on one thread so the training times compare.

Run (the committed ``benchmarks/results/decision_guide.csv`` was made with)::

    nice .venv/bin/python benchmarks/decision_guide.py --jobs 4 --out benchmarks/results/decision_guide.csv

Options: ``--jobs N`` (data sets in N processes), ``--sets a,b`` (KEEL names, ``creditcard`` for the card data),
``--techniques a,b``, ``--folds N``, ``--creditcard-rows N``.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
import warnings

os.environ.setdefault("OMP_NUM_THREADS", "1")

import numpy as np
import pandas as pd

#: KEEL sets of the default panel: small / large, few / many features, low / high imbalance.
PANEL = (
    "ecoli3", "SPECTF", "dermatology-6", "yeast-2_vs_8", "abalone9_18",
    "winequality-red-8_vs_6-7", "PC1", "flare-F", "yeast4", "car_good",
    "abalone-17_vs_7-8-9-10", "kr-vs-k-zero_vs_fifteen", "KC1", "ADA", "abalone19", "SATIMAGE",
)
CREDITCARD = "creditcard"
#: Default number of credit-card rows (a stratified subsample of the 284,807).
CREDITCARD_ROWS = 40_000

FAMILIES = {
    "lr_none": "none",
    "lr_class_weight": "class weights",
    "lr_random_under": "resampling",
    "lr_smote": "resampling",
    "lr_borderline_smote": "resampling",
    "balanced_random_forest": "balanced ensemble",
    "easy_ensemble": "balanced ensemble",
    "xgb_none": "boosting",
    "xgb_scale_pos_weight": "boosting + weights",
    "xgb_focal": "boosting + focal loss",
}
TECHNIQUES = tuple(FAMILIES)
COLUMNS = ["dataset", "source", "n_samples", "n_features", "n_minority", "imbalance_ratio",
           "technique", "family", "fold", "average_precision", "roc_auc", "fit_cpu_seconds"]


class _FocalXGB:
    """XGBoost trees with the kit's focal objective; scores are raw margins."""

    def __init__(self, random_state):
        self.random_state = random_state

    def fit(self, X, y):
        from xgboost import XGBClassifier

        from imbalance_kit.losses import xgboost_focal_objective

        self.model_ = XGBClassifier(
            objective=xgboost_focal_objective(alpha=0.25, gamma=2.0), n_estimators=200,
            max_depth=4, learning_rate=0.1, min_child_weight=0.01, tree_method="hist",
            n_jobs=1, random_state=self.random_state)
        self.model_.fit(X, y)
        return self

    def score(self, X):
        return self.model_.predict(X, output_margin=True)


def make_model(technique, y_train, random_state=0):
    """An unfitted model for ``technique`` (its training labels set ``scale_pos_weight``)."""
    from imblearn.ensemble import BalancedRandomForestClassifier, EasyEnsembleClassifier
    from imblearn.over_sampling import SMOTE, BorderlineSMOTE
    from imblearn.pipeline import make_pipeline
    from imblearn.under_sampling import RandomUnderSampler
    from sklearn.linear_model import LogisticRegression
    from sklearn.preprocessing import StandardScaler
    from xgboost import XGBClassifier

    if technique not in FAMILIES:
        raise ValueError(f"Unknown technique {technique!r}; choose from {', '.join(TECHNIQUES)}.")
    n_pos = int(np.sum(y_train == 1))
    k = max(1, min(5, n_pos - 1))  # SMOTE needs k neighbours among the training minority
    lr = LogisticRegression(max_iter=2000)
    xgb = dict(n_estimators=200, max_depth=4, learning_rate=0.1, tree_method="hist", n_jobs=1,
               random_state=random_state)
    if technique == "lr_none":
        return make_pipeline(StandardScaler(), lr)
    if technique == "lr_class_weight":
        return make_pipeline(StandardScaler(), LogisticRegression(max_iter=2000, class_weight="balanced"))
    if technique == "lr_random_under":
        return make_pipeline(StandardScaler(), RandomUnderSampler(random_state=random_state), lr)
    if technique == "lr_smote":
        return make_pipeline(StandardScaler(), SMOTE(k_neighbors=k, random_state=random_state), lr)
    if technique == "lr_borderline_smote":
        return make_pipeline(StandardScaler(),
                             BorderlineSMOTE(k_neighbors=k, random_state=random_state), lr)
    if technique == "balanced_random_forest":
        return BalancedRandomForestClassifier(n_estimators=100, sampling_strategy="all",
                                              replacement=True, bootstrap=False, n_jobs=1,
                                              random_state=random_state)
    if technique == "easy_ensemble":
        return EasyEnsembleClassifier(n_estimators=10, n_jobs=1, random_state=random_state)
    if technique == "xgb_none":
        return XGBClassifier(**xgb)
    if technique == "xgb_scale_pos_weight":
        return XGBClassifier(scale_pos_weight=(y_train.size - n_pos) / n_pos, **xgb)
    return _FocalXGB(random_state)


def _scores(model, X):
    if hasattr(model, "predict_proba"):
        return model.predict_proba(X)[:, 1]
    return model.score(X)


def load_panel_set(name, creditcard_rows=CREDITCARD_ROWS, random_state=0):
    """``(X, y, source)`` of a KEEL set, or of the credit-card subsample for ``"creditcard"``."""
    if name == CREDITCARD:
        from imbalance_kit.datasets import load_creditcard

        df = load_creditcard(n_samples=creditcard_rows, random_state=random_state)
        X = df.drop(columns="Class").assign(Amount=np.log1p(df["Amount"])).to_numpy(dtype=float)
        return X, df["Class"].to_numpy(), f"creditcard ({df.attrs.get('source', '?')})"
    from imbalance_kit.datasets import load_keel

    data = load_keel(name)
    return data.X, data.y, "KEEL"


def run(sets=PANEL + (CREDITCARD,), techniques=TECHNIQUES, *, n_splits=5,
        creditcard_rows=CREDITCARD_ROWS, random_state=0, n_jobs=1, verbose=False):
    """Cross-validate every technique on every set; one row per (set, technique, fold).

    Parameters
    ----------
    sets : sequence of str
        KEEL names, and ``"creditcard"`` for the credit-card subsample.
    techniques : sequence of str
        Names from :data:`TECHNIQUES`.
    n_splits : int, default=5
        Stratified folds (shuffled with ``random_state``); every technique
        sees the same folds, so the comparisons are paired.
    creditcard_rows : int
        Rows of the stratified credit-card subsample.
    random_state : int, default=0
    n_jobs : int, default=1
        Data sets run in this many processes (each model on one thread).

    Returns
    -------
    pandas.DataFrame
        Columns :data:`COLUMNS`.
    """
    unknown = [t for t in techniques if t not in FAMILIES]
    if unknown:
        raise ValueError(f"Unknown techniques {unknown}; choose from {', '.join(TECHNIQUES)}.")
    args = dict(techniques=tuple(techniques), n_splits=n_splits, creditcard_rows=creditcard_rows,
                random_state=random_state)
    if n_jobs == 1:
        results = (_run_set(name, **args) for name in sets)
    else:  # one data set per process; the largest first so the pool ends together
        from joblib import Parallel, delayed

        results = Parallel(n_jobs=n_jobs, return_as="generator_unordered")(
            delayed(_run_set)(name, **args) for name in sets)
    tables = []
    for table in results:
        tables.append(table)
        if verbose:
            means = table.groupby("technique")["average_precision"].mean()
            first = table.iloc[0]
            print(f"{first['dataset']:28s} n={first['n_samples']:6d} d={first['n_features']:3d} "
                  f"IR={first['imbalance_ratio']:6.1f}  best {means.idxmax()} AP {means.max():.3f}",
                  flush=True)
    order = {name: i for i, name in enumerate(sets)}
    out = pd.concat(tables, ignore_index=True)
    out = out.sort_values(["dataset", "fold"], key=lambda c: c.map(order) if c.name == "dataset" else c,
                          kind="stable")
    return out[COLUMNS].reset_index(drop=True)


def _run_set(name, *, techniques, n_splits, creditcard_rows, random_state):
    """Rows of one data set: every technique on the same stratified folds."""
    from sklearn.metrics import average_precision_score, roc_auc_score
    from sklearn.model_selection import StratifiedKFold

    X, y, source = load_panel_set(name, creditcard_rows, random_state)
    n_pos = int(y.sum())
    info = dict(dataset=name, source=source, n_samples=int(y.size), n_features=int(X.shape[1]),
                n_minority=n_pos, imbalance_ratio=(y.size - n_pos) / n_pos)
    rows = []
    folds = StratifiedKFold(n_splits, shuffle=True, random_state=random_state).split(X, y)
    for fold, (train, test) in enumerate(folds):
        for technique in techniques:
            model = make_model(technique, y[train], random_state + fold)
            start = time.process_time()
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")  # convergence chatter on tiny folds
                model.fit(X[train], y[train])
                fit_cpu_seconds = time.process_time() - start
                s = _scores(model, X[test])
            rows.append(dict(info, technique=technique, family=FAMILIES[technique], fold=fold,
                             average_precision=average_precision_score(y[test], s),
                             roc_auc=roc_auc_score(y[test], s), fit_cpu_seconds=fit_cpu_seconds))
    return pd.DataFrame(rows, columns=COLUMNS)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sets", default=",".join((CREDITCARD,) + PANEL[::-1]))
    parser.add_argument("--techniques", default=",".join(TECHNIQUES))
    parser.add_argument("--folds", type=int, default=5)
    parser.add_argument("--creditcard-rows", type=int, default=CREDITCARD_ROWS)
    parser.add_argument("--jobs", type=int, default=1, help="data sets in parallel processes")
    parser.add_argument("--out", default=None, help="CSV to write (default: print a summary only)")
    args = parser.parse_args(argv)
    start = time.perf_counter()
    table = run(args.sets.split(","), args.techniques.split(","), n_splits=args.folds,
                creditcard_rows=args.creditcard_rows, n_jobs=args.jobs, verbose=True)
    if args.out:
        table.to_csv(args.out, index=False, float_format="%.6g")
    summary = table.groupby(["dataset", "technique"])["average_precision"].mean().unstack()
    print(summary.round(3).to_string())
    print(f"total {time.perf_counter() - start:.0f} s wall", file=sys.stderr)


if __name__ == "__main__":
    main()
