"""benchmarks/decision_guide.py: a small slice run live, and the committed table's shape."""

import importlib.util
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import average_precision_score
from sklearn.model_selection import StratifiedKFold
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from imbalance_kit.datasets import load_keel

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "benchmarks" / "results" / "decision_guide.csv"
SHIPPED = ROOT / "solutions" / "08_cost_sensitive" / "decision_guide.csv"


def _guide():
    spec = importlib.util.spec_from_file_location("decision_guide", ROOT / "benchmarks" / "decision_guide.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_slice_two_techniques_on_one_small_set_equals_a_hand_run():
    guide = _guide()
    table = guide.run(["ecoli3"], ["lr_none", "lr_class_weight"], n_splits=3, random_state=0)
    assert list(table.columns) == guide.COLUMNS
    assert len(table) == 2 * 3
    assert set(table["family"]) == {"none", "class weights"}
    assert table["imbalance_ratio"].iloc[0] == pytest.approx(8.6, abs=0.05)
    # The same folds by hand: the AP of the untreated logistic regression must match fold by fold.
    data = load_keel("ecoli3")
    folds = StratifiedKFold(3, shuffle=True, random_state=0).split(data.X, data.y)
    expected = []
    for train, test in folds:
        model = make_pipeline(StandardScaler(), LogisticRegression(max_iter=2000)).fit(data.X[train], data.y[train])
        expected.append(average_precision_score(data.y[test], model.predict_proba(data.X[test])[:, 1]))
    got = table[table["technique"] == "lr_none"].sort_values("fold")["average_precision"].to_numpy()
    np.testing.assert_allclose(got, expected)
    assert (table["fit_cpu_seconds"] >= 0).all()


def test_focal_technique_scores_are_margins_that_rank():
    guide = _guide()
    data = load_keel("ecoli3")
    model = guide.make_model("xgb_focal", data.y).fit(data.X, data.y)
    s = guide._scores(model, data.X)
    assert average_precision_score(data.y, s) > 0.5   # far above the base rate of 0.10
    assert (s < 0).any()                               # raw margins, not probabilities


def test_unknown_technique_is_named():
    with pytest.raises(ValueError, match="smote_magic"):
        _guide().run(["ecoli3"], ["smote_magic"])


def test_committed_table_is_complete_and_shipped_with_the_notebook():
    guide = _guide()
    table = pd.read_csv(RESULTS)
    assert list(table.columns) == guide.COLUMNS
    assert set(table["technique"]) == set(guide.TECHNIQUES)
    assert set(table["dataset"]) == set(guide.PANEL) | {guide.CREDITCARD}
    per_cell = table.groupby(["dataset", "technique"]).size()
    assert (per_cell == 5).all(), "5 folds for every data set and technique"
    assert table["average_precision"].between(0, 1).all()
    # The notebook reads its own copy (released with it): it must be the committed table.
    assert SHIPPED.read_bytes() == RESULTS.read_bytes()
    readme = (RESULTS.parent / "README.md").read_text()
    assert "benchmarks/decision_guide.py" in readme
