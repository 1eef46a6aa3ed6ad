"""The 2-D set with overlap, a small disjunct and noise."""

import numpy as np
import pytest

from imbalance_kit.datasets import make_overlap_data
from imbalance_kit.smote_variants import borderline_status


def test_parts_and_counts():
    X, y, part = make_overlap_data(1000, minority_fraction=0.1, disjunct_fraction=0.2,
                                   noise_fraction=0.1, random_state=0)
    assert X.shape == (1000, 2) and y.sum() == 100
    assert {p: int((part == p).sum()) for p in ("core", "disjunct", "noise")} == {
        "core": 70, "disjunct": 20, "noise": 10}
    assert np.array_equal(y == 1, part != "majority")


def test_each_part_has_its_difficulty():
    X, y, part = make_overlap_data(2000, random_state=1)
    status = borderline_status(X, y, m_neighbors=10)
    minority_part = part[y == 1]
    # Noise points sit among majority points; the disjunct is a safe island; the core's border is in danger.
    assert np.mean(status[minority_part == "noise"] != "safe") > 0.8
    assert np.mean(status[minority_part == "disjunct"] == "safe") > 0.8
    assert np.mean(status[minority_part == "core"] == "danger") > 0.3


def test_overlap_moves_the_core_into_the_majority():
    near = make_overlap_data(1000, overlap=0.0, random_state=0)
    far = make_overlap_data(1000, overlap=2.0, random_state=0)
    assert near.X[near.part == "core", 0].mean() > far.X[far.part == "core", 0].mean() + 1.5


@pytest.mark.parametrize("kwargs, words", [
    ({"disjunct_fraction": 0.6, "noise_fraction": 0.5}, "below 1"),
    ({"overlap": -1}, "overlap"),
    ({"minority_fraction": 0.6}, "minority_fraction"),
])
def test_bad_parameters_are_named(kwargs, words):
    with pytest.raises(ValueError, match=words):
        make_overlap_data(**kwargs)
