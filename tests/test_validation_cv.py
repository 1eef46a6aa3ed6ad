"""The leak-free evaluation reference and the instruments that catch leaks."""

import numpy as np
import pandas as pd
import pytest
from imblearn.over_sampling import SMOTE, RandomOverSampler
from imblearn.pipeline import Pipeline
from sklearn.base import clone
from sklearn.datasets import make_classification
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import average_precision_score, f1_score
from sklearn.model_selection import StratifiedKFold
from sklearn.preprocessing import MinMaxScaler, StandardScaler

from imbalance_kit.validation_cv import (
    compare_to_baseline,
    cross_validate_methods,
    RecordingClassifier,
    RecordingSampler,
    RowLog,
    best_f1_threshold,
    check_leak_free,
    decode_row_ids,
    leak_free_cv,
    leaky_cv,
    make_id_data,
)


def _evaluate(X, y, model, sampler, *, n_splits=5, random_state=0, choose_threshold=best_f1_threshold,
              scale="inside", resample="inside", threshold_on="train", fit_on="train", scaler=StandardScaler):
    """An evaluation with switchable mistakes, shaped like the notebook's exercise."""
    X, y = np.asarray(X, dtype=float), np.asarray(y)
    if scale == "global":
        X = scaler().fit_transform(X)
    rows = []
    for train, test in StratifiedKFold(n_splits, shuffle=True, random_state=random_state).split(X, y):
        steps = ([("scale", scaler())] if scale == "inside" else []) + (
            [("sample", clone(sampler))] if resample == "inside" else []) + [("model", clone(model))]
        pipe = Pipeline(steps)
        if resample == "before":
            X_all, y_all = clone(sampler).fit_resample(X, y)
            pipe.fit(X_all, y_all)
        elif fit_on == "all":
            pipe.fit(X, y)
        else:
            pipe.fit(X[train], y[train])
        test_scores = pipe.predict_proba(X[test])[:, 1]
        if threshold_on == "test":
            t = choose_threshold(y[test], test_scores)
        else:
            t = choose_threshold(y[train], pipe.predict_proba(X[train])[:, 1])
        rows.append({"average_precision": average_precision_score(y[test], test_scores),
                     "f1": f1_score(y[test], test_scores >= t), "threshold": t})
    return pd.DataFrame(rows)


def _watch(**mistakes):
    log = RowLog(n_bits=9)
    X, y = make_id_data(9, random_state=1)
    res = _evaluate(X, y, RecordingClassifier(log), RecordingSampler(log),
                    choose_threshold=log.chooser(), **mistakes)
    return log, res, X, y


def test_best_f1_threshold_matches_a_brute_force_search():
    rng = np.random.default_rng(0)
    y = (rng.random(300) < 0.2).astype(int)
    s = np.round(rng.random(300) + 0.4 * y, 2)
    t = best_f1_threshold(y, s)
    f1 = {c: f1_score(y, s >= c) for c in np.unique(s)}
    best = max(f1.values())
    assert np.isclose(f1[t], best)
    assert t == max(c for c, v in f1.items() if np.isclose(v, best))


def test_leak_free_cv_equals_a_hand_written_fold_loop():
    X, y = make_classification(600, weights=[0.9], flip_y=0.02, random_state=3)
    model, sampler = LogisticRegression(), SMOTE(random_state=0)
    res = leak_free_cv(X, y, model, sampler, random_state=4, inner_splits=None)
    for k, (train, test) in enumerate(StratifiedKFold(5, shuffle=True, random_state=4).split(X, y)):
        pipe = Pipeline([("s", StandardScaler()), ("o", SMOTE(random_state=0)), ("m", LogisticRegression())])
        pipe.fit(X[train], y[train])
        t = best_f1_threshold(y[train], pipe.predict_proba(X[train])[:, 1])
        scores = pipe.predict_proba(X[test])[:, 1]
        assert np.isclose(res.loc[k, "average_precision"], average_precision_score(y[test], scores))
        assert np.isclose(res.loc[k, "threshold"], t)
        assert np.isclose(res.loc[k, "f1"], f1_score(y[test], scores >= t))
    assert res["n_test_positive"].sum() == y.sum()


def test_resampling_before_cv_is_optimistic():
    X, y = make_classification(800, n_features=8, weights=[0.93], flip_y=0.03, class_sep=0.7, random_state=0)
    honest = leak_free_cv(X, y, LogisticRegression(), RandomOverSampler(random_state=0))["average_precision"]
    leaky = leaky_cv(X, y, LogisticRegression(), RandomOverSampler(random_state=0))
    assert leaky.mean() > honest.mean() + 0.1


def test_decoding_survives_every_monotone_scaler():
    X, _ = make_id_data(8)
    rows = np.random.default_rng(0).choice(len(X), 60, replace=False)
    for scaler in (StandardScaler(), MinMaxScaler()):
        assert np.array_equal(decode_row_ids(scaler.fit_transform(X[rows]), 8), rows)


def test_the_instruments_pass_a_leak_free_evaluation():
    check_leak_free(*_watch())
    check_leak_free(*_watch(scaler=MinMaxScaler))
    log = RowLog(n_bits=9)
    X, y = make_id_data(9, random_state=1)
    res = leak_free_cv(X, y, RecordingClassifier(log), RecordingSampler(log), choose_threshold=log.chooser())
    check_leak_free(log, res, X, y)


@pytest.mark.parametrize("mistake, words", [
    ({"resample": "before"}, "test fold"),
    ({"threshold_on": "test"}, "TEST set"),
    ({"scale": "global"}, "scaler"),
    ({"scale": "none"}, "scaler"),
    ({"fit_on": "all"}, "test fold|fitted on rows"),
])
def test_the_instruments_name_each_leak(mistake, words):
    with pytest.raises(AssertionError, match=words):
        check_leak_free(*_watch(**mistake))


def test_a_threshold_not_from_the_chooser_is_reported():
    log, res, X, y = _watch()
    res["threshold"] = 0.5
    with pytest.raises(AssertionError, match="not a value choose_threshold returned"):
        check_leak_free(log, res, X, y)


def test_recording_estimators_survive_clone():
    log = RowLog()
    sampler = clone(RecordingSampler(log))
    assert sampler.log is log and clone(RecordingClassifier(log)).log is log


def test_bad_input_is_named():
    with pytest.raises(ValueError, match="n_splits"):
        leak_free_cv(np.zeros((10, 2)), [0] * 8 + [1] * 2, LogisticRegression(), n_splits=5)


def test_methods_are_scored_on_the_same_folds():
    from sklearn.dummy import DummyClassifier

    X, y = make_classification(300, weights=[0.85], random_state=2)
    table = cross_validate_methods(X, y, {"lr": LogisticRegression(), "prior": DummyClassifier()},
                                   n_splits=5, n_repeats=2, random_state=1)
    assert len(table) == 20 and set(table["method"]) == {"lr", "prior"}
    # The prior model's AP equals the positive rate of each test fold: the folds are the repeated stratified ones.
    from sklearn.model_selection import RepeatedStratifiedKFold
    rates = [y[test].mean() for _, test in RepeatedStratifiedKFold(n_splits=5, n_repeats=2, random_state=1).split(X, y)]
    assert np.allclose(table[table["method"] == "prior"]["average_precision"], rates)


def test_compare_to_baseline_uses_the_nadeau_bengio_correction():
    from imbalance_kit.uncertainty import compare_folds

    rng = np.random.default_rng(0)
    a = rng.normal(0.5, 0.05, 10)
    b = a + rng.normal(0.02, 0.02, 10)
    table = pd.DataFrame({"method": ["none"] * 10 + ["b"] * 10, "fold": list(range(10)) * 2,
                          "average_precision": np.r_[a, b]})
    got = compare_to_baseline(table).loc["b"]
    ref = compare_folds(a, b, test_train_ratio=1 / 4)
    assert np.isclose(got["low"], ref.low) and np.isclose(got["high"], ref.high) and got["verdict"] == ref.verdict
    assert compare_to_baseline(table).loc["none", "verdict"] == "baseline"
    with pytest.raises(ValueError, match="baseline"):
        compare_to_baseline(table, baseline="smote")
