"""Borderline-SMOTE's danger set and ADASYN's allocation, against imbalanced-learn."""

import numpy as np
import pytest
from imblearn.over_sampling import ADASYN, BorderlineSMOTE
from sklearn.datasets import make_classification
from sklearn.neighbors import NearestNeighbors

from imbalance_kit.datasets.planar import make_overlap_data
from imbalance_kit.smote_variants import adasyn_allocation, borderline_status, minority_label


def _datasets():
    yield make_overlap_data(600, random_state=0)[:2]
    yield make_overlap_data(400, overlap=2.0, noise_fraction=0.2, random_state=1)[:2]
    for seed, w in enumerate((0.8, 0.9, 0.95)):
        X, y = make_classification(500, n_features=4, n_informative=3, n_redundant=0, weights=[w],
                                   flip_y=0.05, class_sep=0.8, random_state=seed)
        yield X, y


@pytest.mark.parametrize("m", [3, 5, 10])
def test_borderline_status_matches_imbalanced_learn(m):
    for X, y in _datasets():
        minority = minority_label(y)
        nn = NearestNeighbors(n_neighbors=m + 1).fit(X)
        ref = BorderlineSMOTE(m_neighbors=m)
        danger = ref._in_danger_noise(nn, X[y == minority], minority, y, kind="danger")
        noise = ref._in_danger_noise(nn, X[y == minority], minority, y, kind="noise")
        status = borderline_status(X, y, m_neighbors=m)
        assert np.array_equal(status == "danger", danger)
        assert np.array_equal(status == "noise", noise)
        assert np.array_equal(status == "safe", ~danger & ~noise)


def test_borderline_off_by_one_cases():
    # m = 4: exactly half majority (2 of 4) is danger, all four is noise, one of four is safe.
    X = np.array([[0.0], [1.0], [-1.0], [10.0], [11.0], [12.0], [13.0], [14.0],
                  [0.5], [-0.5], [20.0], [20.2], [20.4], [21.0], [12.5]])
    y = np.array([0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 0, 1])
    status = borderline_status(X, y, m_neighbors=4)
    nn = NearestNeighbors(n_neighbors=5).fit(X)
    n_maj = (y[nn.kneighbors(X[y == 1], return_distance=False)[:, 1:]] == 0).sum(axis=1)
    assert {2, 4} <= set(n_maj.tolist())
    assert all(s == {4: "noise", 3: "danger", 2: "danger"}.get(k, "safe") for s, k in zip(status, n_maj))


def test_minority_is_the_rarer_label_whatever_its_value():
    X, y = make_classification(300, weights=[0.85], random_state=0)
    flipped = 1 - y
    assert np.array_equal(borderline_status(X, y), borderline_status(X, flipped))


@pytest.mark.parametrize("k", [3, 5, 7])
def test_adasyn_counts_reproduce_imbalanced_learn_exactly(k):
    for X, y in _datasets():
        minority = minority_label(y)
        plan = adasyn_allocation(X, y, n_neighbors=k)
        X_res, _ = ADASYN(n_neighbors=k, random_state=3).fit_resample(X, y)
        synthetic = X_res[len(X):]
        assert len(synthetic) == plan.counts.sum()
        # Rebuild imbalanced-learn's draws from our counts: equal only if every count is.
        rs = np.random.RandomState(3)
        X_min = X[y == minority]
        nns = NearestNeighbors(n_neighbors=k + 1).fit(X_min).kneighbors(X_min, return_distance=False)[:, 1:]
        rows = np.repeat(np.arange(len(X_min)), plan.counts)
        cols = rs.choice(k, size=len(rows))
        steps = rs.uniform(size=(len(rows), 1))
        assert np.allclose(X_min[rows] + steps * (X_min[nns[rows, cols]] - X_min[rows]), synthetic)
        assert np.isclose(plan.weights.sum(), 1.0)
        assert np.allclose(plan.weights, plan.ratio / plan.ratio.sum())


def test_adasyn_rounds_halves_to_even_like_imbalanced_learn():
    # Two minority points, both surrounded by majority: weights 0.5 / 0.5, G = 5 - 2 = 3,
    # 1.5 rounds to 2 each, so 4 points are generated, not 3.
    X = np.array([[0.0], [1.0], [2.0], [3.0], [4.0], [0.4], [3.6]])
    y = np.array([0, 0, 0, 0, 0, 1, 1])
    plan = adasyn_allocation(X, y, n_neighbors=2)
    assert plan.counts.tolist() == [2, 2]
    assert adasyn_allocation(X, y, n_neighbors=1).counts.tolist() == [2, 2]
    X_res, _ = ADASYN(n_neighbors=1, random_state=0).fit_resample(X, y)
    assert len(X_res) - len(X) == 4
    assert adasyn_allocation(X, y, n_neighbors=2, n_samples=5).counts.tolist() == [2, 2]   # 2.5 -> 2
    assert adasyn_allocation(X, y, n_neighbors=2, n_samples=7).counts.tolist() == [4, 4]   # 3.5 -> 4


def test_adasyn_without_majority_neighbours_is_an_error():
    X = np.array([[0.0], [1.0], [2.0], [3.0], [100.0], [101.0], [102.0]])
    y = np.array([0, 0, 0, 0, 1, 1, 1])
    with pytest.raises(ValueError, match="ADASYN is not suited"):
        adasyn_allocation(X, y, n_neighbors=2)


@pytest.mark.parametrize("call, words", [
    (lambda: borderline_status([[0.0], [1.0]], [0, 1, 1]), "same length"),
    (lambda: borderline_status([[0.0], [1.0], [2.0]], [0, 0, 0], m_neighbors=1), "two classes"),
    (lambda: borderline_status([[0.0], [1.0], [2.0]], [0, 0, 1], m_neighbors=3), "m_neighbors"),
    (lambda: adasyn_allocation([[0.0], [1.0], [2.0]], [0, 0, 1], n_neighbors=0), "n_neighbors"),
])
def test_bad_input_is_named(call, words):
    with pytest.raises(ValueError, match=words):
        call()
