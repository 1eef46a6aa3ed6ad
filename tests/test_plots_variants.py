"""Plots of SMOTE variants' point kinds, cleaning and comparisons with a baseline."""

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest
from imblearn.under_sampling import TomekLinks

from imbalance_kit import plots
from imbalance_kit.datasets import make_overlap_data
from imbalance_kit.smote_variants import borderline_status
from imbalance_kit.uncertainty import compare_folds


@pytest.fixture(autouse=True)
def _close():
    yield
    plt.close("all")


def test_point_kinds_counts_each_kind_in_the_legend():
    X, y, _ = make_overlap_data(400, random_state=0)
    status = borderline_status(X, y)
    ax = plots.plot_point_kinds(X, y, status, title="t")
    texts = [t.get_text() for t in ax.get_legend().get_texts()]
    for kind in set(status):
        assert f"{kind} (n = {int((status == kind).sum())})" in texts
    assert ax.get_title() == "t" and ax.get_xlabel()


def test_point_kinds_rejects_a_wrong_length():
    with pytest.raises(ValueError, match="one label per minority row"):
        plots.plot_point_kinds([[0, 0], [1, 1]], [0, 1], ["safe", "noise"])


def test_cleaning_marks_what_tomek_links_removed():
    X, y, _ = make_overlap_data(400, random_state=0)
    tl = TomekLinks()
    tl.fit_resample(X, y)
    ax = plots.plot_cleaning(X, y, tl.sample_indices_)
    removed = len(y) - len(tl.sample_indices_)
    assert f"{removed:,} rows removed" in ax.get_title()
    assert any("removed" in t.get_text() for t in ax.get_legend().get_texts())
    with pytest.raises(ValueError, match="outside"):
        plots.plot_cleaning(X, y, [len(y)])


def test_comparisons_from_a_table_or_comparison_objects():
    table = pd.DataFrame({"difference": [0.0, 0.03, -0.04], "low": [0.0, 0.01, -0.09],
                          "high": [0.0, 0.05, 0.01], "verdict": ["baseline", "better", "within noise"]},
                         index=["none", "smote", "adasyn"])
    ax = plots.plot_comparisons(table, metric="AP")
    assert [t.get_text() for t in ax.get_yticklabels()] == ["smote", "adasyn"]
    assert ax.get_xlabel() == "AP"
    c = compare_folds([0.5, 0.6, 0.55], [0.6, 0.7, 0.66], names=("none", "smote"))
    ax = plots.plot_comparisons([c])
    assert [t.get_text() for t in ax.get_yticklabels()] == ["smote"]
    lo, hi = ax.lines[0].get_xdata()
    assert np.isclose(lo, c.low) and np.isclose(hi, c.high)
    with pytest.raises(ValueError, match="empty"):
        plots.plot_comparisons([])
