"""Tests of imbalance_kit.samplers: reference SMOTE against its definition
and imbalanced-learn (counts, distribution, imbalanced-learn's estimator
checks), random resampling, row origins and the sampler registry. The
PyTorch samplers are tested in test_torch_samplers.py."""

import subprocess
import sys
import sys

import numpy as np
import pandas as pd
import pytest
from imblearn.over_sampling import SMOTE as ImbSMOTE
from imblearn.over_sampling import RandomOverSampler
from imblearn.under_sampling import RandomUnderSampler, TomekLinks
from scipy import sparse

from imbalance_kit.samplers import (
    SAMPLER_NAMES,
    SMOTE,
    make_sampler,
    random_oversample,
    random_undersample,
    resample_with_origin,
    smote_interpolate,
)


def _imbalanced(n_majority=270, n_minority=30, n_features=3, seed=0, minority_label=1):
    """Two overlapping Gaussian classes (all samplers find work to do)."""
    rng = np.random.default_rng(seed)
    X = np.vstack([
        rng.normal(0.0, 1.0, size=(n_majority, n_features)),
        rng.normal(1.0, 1.0, size=(n_minority, n_features)),
    ])
    y = np.r_[np.zeros(n_majority, int), np.ones(n_minority, int)]
    if minority_label == 0:
        y = 1 - y
    order = rng.permutation(y.size)  # minority rows scattered, not at the end
    return X[order], y[order]


@pytest.fixture
def data():
    return _imbalanced()


def _kth_neighbor_distance(X_min, k):
    """Brute force: for each minority row, the distance to its k-th nearest
    OTHER row (self excluded by index), and the full distance matrix."""
    diff = X_min[:, None, :] - X_min[None, :, :]
    D = np.sqrt((diff ** 2).sum(-1))
    D_other = D.copy()
    np.fill_diagonal(D_other, np.inf)
    return np.sort(D_other, axis=1)[:, k - 1], D


# ---------------------------------------------------------------------------
# Reference SMOTE
# ---------------------------------------------------------------------------

def test_smote_auto_balances_and_keeps_originals_first(data):
    X, y = data
    X_res, y_res = SMOTE(random_state=0).fit_resample(X, y)
    assert np.bincount(y_res).tolist() == [270, 270]
    assert X_res.shape == (540, 3)
    np.testing.assert_array_equal(X_res[: len(X)], X)
    np.testing.assert_array_equal(y_res[: len(y)], y)
    assert (y_res[len(y):] == 1).all()


@pytest.mark.parametrize("ratio", [0.2, 0.5, 0.75, 1.0])
def test_smote_float_strategy_counts_match_imblearn(data, ratio):
    X, y = data
    _, y_ours = SMOTE(sampling_strategy=ratio, random_state=0).fit_resample(X, y)
    _, y_imb = ImbSMOTE(sampling_strategy=ratio, random_state=0).fit_resample(X, y)
    assert np.bincount(y_ours).tolist() == np.bincount(y_imb).tolist()
    assert np.bincount(y_ours)[1] == 30 + int(ratio * 270 - 30)


def test_smote_minority_decided_by_counts_not_label():
    X, y = _imbalanced(minority_label=0)
    smote = SMOTE(random_state=0)
    X_res, y_res = smote.fit_resample(X, y)
    assert smote.minority_class_ == 0
    assert np.bincount(y_res).tolist() == [270, 270]
    assert (y_res[len(y):] == 0).all()


def test_smote_points_lie_on_segments_to_k_nearest_neighbours(data):
    X, y = data
    k = 4
    smote = SMOTE(k_neighbors=k, random_state=1)
    X_res, _ = smote.fit_resample(X, y)
    X_min = X[y == 1]
    np.testing.assert_array_equal(X[smote.minority_index_], X_min)
    X_new = X_res[len(X):]
    # base_index_ / neighbor_index_ are rows of X; turn them into rows of X_min.
    position = np.cumsum(y == 1) - 1
    assert (y[smote.base_index_] == 1).all() and (y[smote.neighbor_index_] == 1).all()
    base, nbr, gap = position[smote.base_index_], position[smote.neighbor_index_], smote.gap_
    assert len(base) == len(nbr) == len(gap) == len(X_new) == smote.n_synthetic_ == 240
    assert ((gap >= 0) & (gap < 1)).all()

    # On the segment: X_new - a is the same multiple (gap) of b - a, and the
    # projection coefficient computed independently equals the gap.
    a, b = X_min[base], X_min[nbr]
    np.testing.assert_allclose(X_new, a + gap[:, None] * (b - a), rtol=1e-12, atol=1e-12)
    seg = b - a
    coef = ((X_new - a) * seg).sum(1) / (seg ** 2).sum(1)
    np.testing.assert_allclose(coef, gap, atol=1e-9)
    np.testing.assert_allclose(X_new, a + coef[:, None] * seg, atol=1e-9)

    # Neighbour among the base's k nearest OTHER minority rows (brute force).
    kth, D = _kth_neighbor_distance(X_min, k)
    assert (nbr != base).all()
    assert (D[base, nbr] <= kth[base] + 1e-12).all()
    # Every one of the k neighbours gets used somewhere (uniform choice).
    neighbors = position[smote.neighbors_[1]]          # rows of X -> rows of X_min
    assert neighbors.shape == (30, k)
    assert len(np.unique(neighbors[base] == nbr[:, None], axis=0)) == k


def test_smote_interpolate_function_matches_definition():
    rng = np.random.default_rng(3)
    X_min = rng.normal(size=(25, 5))
    X_new, base, nbr, gap = smote_interpolate(X_min, 500, k_neighbors=3, random_state=0)
    assert X_new.shape == (500, 5)
    np.testing.assert_allclose(X_new, X_min[base] + gap[:, None] * (X_min[nbr] - X_min[base]))
    kth, D = _kth_neighbor_distance(X_min, 3)
    assert (nbr != base).all()
    assert (D[base, nbr] <= kth[base] + 1e-12).all()
    # The documented draw order: base, neighbour column, gap from one Generator.
    g = np.random.default_rng(0)
    np.testing.assert_array_equal(base, g.integers(0, 25, size=500))
    g.integers(0, 3, size=500)
    np.testing.assert_array_equal(gap, g.random(500))


def test_smote_interpolate_zero_points():
    X_new, base, nbr, gap = smote_interpolate(np.eye(3), 0, k_neighbors=2, random_state=0)
    assert X_new.shape == (0, 3) and base.size == nbr.size == gap.size == 0


def test_smote_duplicate_minority_rows_exclude_self_by_index():
    # Rows 0-2 identical: each one's neighbours are the other copies, never itself.
    X_min = np.array([[0.0, 0.0]] * 3 + [[5.0, 5.0], [6.0, 5.0]])
    _, base, nbr, _ = smote_interpolate(X_min, 300, k_neighbors=2, random_state=0)
    assert (nbr != base).all()
    copies = base < 3
    assert (nbr[copies] < 3).all()


def test_smote_reproducible_with_seed_and_different_with_another(data):
    X, y = data
    a, _ = SMOTE(random_state=7).fit_resample(X, y)
    b, _ = SMOTE(random_state=7).fit_resample(X, y)
    c, _ = SMOTE(random_state=8).fit_resample(X, y)
    np.testing.assert_array_equal(a, b)
    assert not np.allclose(a[len(X):], c[len(X):])


def test_smote_distribution_agrees_with_imblearn():
    X, y = _imbalanced(n_majority=2000, n_minority=120, n_features=4, seed=5)
    X_ours, y_ours = SMOTE(random_state=0).fit_resample(X, y)
    X_imb, y_imb = ImbSMOTE(random_state=0).fit_resample(X, y)
    assert X_ours.shape == X_imb.shape
    assert np.bincount(y_ours).tolist() == np.bincount(y_imb).tolist()
    new_ours, new_imb = X_ours[len(X):], X_imb[len(X):]
    X_min = X[y == 1]
    lo, hi = X_min.min(0), X_min.max(0)
    assert ((new_ours >= lo) & (new_ours <= hi)).all()
    # Means of ~1880 synthetic points: equal up to sampling noise.
    sd = X_min.std(0)
    assert (np.abs(new_ours.mean(0) - new_imb.mean(0)) < 0.15 * sd).all()
    assert (np.abs(new_ours.std(0) - new_imb.std(0)) < 0.15 * sd).all()


def test_smote_multiclass_distribution_agrees_with_imblearn():
    rng = np.random.default_rng(8)
    sizes = (1500, 150, 90)
    X = np.vstack([rng.normal(i, 1.0 + i / 2, size=(n, 3)) for i, n in enumerate(sizes)])
    y = np.repeat([0, 1, 2], sizes)
    X_ours, y_ours = SMOTE(random_state=0).fit_resample(X, y)
    X_imb, y_imb = ImbSMOTE(random_state=0).fit_resample(X, y)
    for label in (1, 2):
        new_ours = X_ours[len(X):][y_ours[len(X):] == label]
        new_imb = X_imb[len(X):][y_imb[len(X):] == label]
        assert len(new_ours) == len(new_imb) == 1500 - sizes[label]
        sd = X[y == label].std(0)
        assert (np.abs(new_ours.mean(0) - new_imb.mean(0)) < 0.15 * sd).all()
        assert (np.abs(new_ours.std(0) - new_imb.std(0)) < 0.15 * sd).all()


def test_smote_in_imblearn_pipeline(data):
    from imblearn.pipeline import make_pipeline
    from sklearn.base import clone
    from sklearn.linear_model import LogisticRegression

    X, y = data
    smote = SMOTE(k_neighbors=3, random_state=0)
    assert clone(smote).get_params() == smote.get_params()
    pipe = make_pipeline(smote, LogisticRegression()).fit(X, y)
    assert pipe.predict_proba(X).shape == (len(X), 2)
    assert smote.set_params(k_neighbors=2).k_neighbors == 2
    with pytest.raises(ValueError, match="Invalid parameter 'k'"):
        smote.set_params(k=2)


def test_smote_k_neighbors_too_large(data):
    X, y = data
    with pytest.raises(ValueError, match=r"k_neighbors=30 needs at least 31.*has only 30"):
        SMOTE(k_neighbors=30).fit_resample(X, y)
    with pytest.raises(ValueError, match=r"k_neighbors=5 .*only 3"):
        smote_interpolate(np.eye(3), 10, k_neighbors=5)


# Parameter errors name the parameter (imbalanced-learn's validation); the
# ratio that asks for nothing keeps our message, which says why.
@pytest.mark.parametrize("kwargs, match", [
    ({"k_neighbors": 0}, r"'k_neighbors' parameter of SMOTE must be an int in the range \[1, inf\)"),
    ({"k_neighbors": 2.5}, "'k_neighbors' parameter of SMOTE must be an int"),
    ({"sampling_strategy": "majority"}, "'sampling_strategy' parameter of SMOTE must be"),
    ({"sampling_strategy": 1.5}, "'sampling_strategy' parameter of SMOTE must be"),
    ({"sampling_strategy": 0.0}, "'sampling_strategy' parameter of SMOTE must be"),
    ({"sampling_strategy": 0.05},
     r"sampling_strategy=0.05 asks for no new minority rows: the minority/majority ratio is "
     r"already 0.1111 \(30 minority / 270 majority\)"),
    ({"sampling_strategy": {1: 10}}, "number of samples in a class should be greater"),
    ({"sampling_strategy": {7: 300}}, "target class is/are not present"),
    ({"random_state": "seed"}, "'random_state' parameter of SMOTE must be"),
])
def test_smote_bad_parameters(data, kwargs, match):
    X, y = data
    with pytest.raises(ValueError, match=match):
        SMOTE(**kwargs).fit_resample(X, y)


def test_smote_bad_X_y(data):
    X, y = data
    with pytest.raises(ValueError, match="needs to have more than 1 class"):
        SMOTE().fit_resample(X, np.zeros(len(y), int))
    with pytest.raises(ValueError, match=r"inconsistent numbers of samples: \[300, 299\]"):
        SMOTE().fit_resample(X, y[:-1])
    X_nan = X.copy()
    X_nan[0, 0] = np.nan
    with pytest.raises(ValueError, match="X contains NaN"):
        SMOTE().fit_resample(X_nan, y)
    with pytest.raises(ValueError, match="Expected 2D array, got 1D array"):
        SMOTE().fit_resample(X[:, 0], y)
    with pytest.raises(ValueError, match="Unknown label type"):
        SMOTE().fit_resample(X, np.linspace(0, 1, len(y)))


@pytest.mark.parametrize("func", [random_oversample, random_undersample])
def test_random_resampling_bad_X_y(data, func):
    X, y = data
    with pytest.raises(ValueError, match="y has only one class"):
        func(X, np.zeros(len(y), int))
    with pytest.raises(ValueError, match="y contains NaN: every row needs a label"):
        func(X, np.r_[y[:-1], np.nan])
    with pytest.raises(ValueError, match=r"inconsistent numbers of samples: \[300, 299\]"):
        func(X, y[:-1])
    X_nan = X.copy()
    X_nan[0, 0] = np.nan
    with pytest.raises(ValueError, match="X contains NaN"):
        func(X_nan, y)
    with pytest.raises(ValueError, match="Expected 2D array, got 1D array"):
        func(X[:, 0], y)


def test_smote_interpolate_bad_input():
    with pytest.raises(ValueError, match="n_new == -1, must be >= 0"):
        smote_interpolate(np.eye(4), -1, k_neighbors=2)
    with pytest.raises(ValueError, match="Expected 2D array, got 1D array"):
        smote_interpolate(np.ones(4), 3, k_neighbors=2)
    with pytest.raises(ValueError, match="k_neighbors == 0, must be >= 1"):
        smote_interpolate(np.eye(4), 3, k_neighbors=0)
    with pytest.raises(ValueError, match="random_state must be None, a non-negative int"):
        smote_interpolate(np.eye(4), 3, k_neighbors=2, random_state="seed")


# ---------------------------------------------------------------------------
# SMOTE as an imbalanced-learn sampler: labels, classes, strategies, types
# ---------------------------------------------------------------------------

def _three_classes(seed=0):
    """60 / 25 / 15 rows of three shifted Gaussian classes, labels as strings."""
    rng = np.random.default_rng(seed)
    sizes = {"legit": 60, "fraud": 25, "chargeback": 15}
    X = np.vstack([rng.normal(i, 1.0, size=(n, 3)) for i, n in enumerate(sizes.values())])
    y = np.repeat(np.array(list(sizes)), list(sizes.values()))
    order = rng.permutation(len(y))
    return X[order], y[order]


def test_imblearn_estimator_checks_ours_pass_every_check_theirs_passes():
    """imbalanced-learn's own sampler checks, run on its SMOTE and on ours."""
    from imblearn.utils.estimator_checks import estimator_checks_generator

    def passed_and_failed(estimator):
        passed, failed = [], {}
        for est, check in estimator_checks_generator(estimator, mark=None):
            name = check.func.__name__
            try:
                check(est)
            except Exception as exc:  # noqa: BLE001 -- a failed check is a result here
                failed[name] = f"{type(exc).__name__}: {exc}"[:200]
            else:
                passed.append(name)
        return passed, failed

    theirs, theirs_failed = passed_and_failed(ImbSMOTE(random_state=0))
    ours, ours_failed = passed_and_failed(SMOTE(random_state=0))
    print(f"imbalanced-learn's SMOTE passes {len(theirs)}: {theirs}; fails {theirs_failed}")
    print(f"imbalance_kit's SMOTE passes {len(ours)}: {ours}; fails {ours_failed}")
    missing = sorted(set(theirs) - set(ours))
    assert not missing, f"checks imbalanced-learn's SMOTE passes and ours does not: " \
        f"{ {m: ours_failed.get(m, 'not run') for m in missing} }"
    assert len(ours) >= len(theirs)
    # The checks that matter most to the course, by name (they must keep running).
    for name in ("check_samplers_pandas", "check_samplers_sparse", "check_samplers_list",
                 "check_samplers_multiclass_ova", "check_samplers_preserve_dtype",
                 "check_samplers_sampling_strategy_fit_resample"):
        assert name in ours


def test_smote_any_labels_multiclass_counts_match_imblearn():
    X, y = _three_classes()
    X_res, y_res = SMOTE(k_neighbors=4, random_state=0).fit_resample(X, y)
    _, y_imb = ImbSMOTE(k_neighbors=4, random_state=0).fit_resample(X, y)
    assert y_res.dtype == y.dtype                      # labels kept as given
    assert dict(zip(*np.unique(y_res, return_counts=True))) == \
        dict(zip(*np.unique(y_imb, return_counts=True))) == \
        {"chargeback": 60, "fraud": 60, "legit": 60}
    np.testing.assert_array_equal(X_res[: len(X)], X)
    np.testing.assert_array_equal(y_res[: len(y)], y)


def test_smote_multiclass_points_on_segments_within_their_class():
    X, y = _three_classes(seed=1)
    smote = SMOTE(k_neighbors=3, random_state=2)
    X_res, y_res = smote.fit_resample(X, y)
    new, labels = X_res[len(X):], y_res[len(X):]
    base, nbr, gap = smote.base_index_, smote.neighbor_index_, smote.gap_
    assert len(new) == smote.n_synthetic_ == 35 + 45
    # Each synthetic row starts from and moves towards rows of its own class.
    assert (y[base] == labels).all() and (y[nbr] == labels).all() and (base != nbr).all()
    np.testing.assert_allclose(new, X[base] + gap[:, None] * (X[nbr] - X[base]), rtol=1e-12)
    # ... and the neighbour is among the base row's 3 nearest of its class (brute force).
    for label, table in smote.neighbors_.items():
        rows = np.flatnonzero(y == label)
        kth, D = _kth_neighbor_distance(X[rows], 3)
        position = {r: i for i, r in enumerate(rows)}
        mask = labels == label
        b = np.array([position[r] for r in base[mask]])
        n = np.array([position[r] for r in nbr[mask]])
        assert (D[b, n] <= kth[b] + 1e-12).all()
        assert table.shape == (len(rows), 3) and (y[table] == label).all()
    assert smote.minority_class_ == "chargeback"
    assert set(smote.neighbors_) == {"chargeback", "fraud"}   # the majority is not resampled


@pytest.mark.parametrize("strategy", [
    0.5, 1.0, "auto", "minority", "not minority", "not majority", "all",
    {1: 200}, lambda y: {1: int((y == 0).sum() * 0.8)},
])
def test_smote_every_sampling_strategy_form_counts_match_imblearn(data, strategy):
    X, y = data
    _, y_ours = SMOTE(sampling_strategy=strategy, random_state=0).fit_resample(X, y)
    _, y_imb = ImbSMOTE(sampling_strategy=strategy, random_state=0).fit_resample(X, y)
    assert np.bincount(y_ours).tolist() == np.bincount(y_imb).tolist()


def test_smote_dict_strategy_multiclass_and_string_labels():
    X, y = _three_classes()
    strategy = {"fraud": 40, "chargeback": 30}
    smote = SMOTE(k_neighbors=3, sampling_strategy=strategy, random_state=0)
    _, y_res = smote.fit_resample(X, y)
    assert dict(zip(*np.unique(y_res, return_counts=True))) == \
        {"chargeback": 30, "fraud": 40, "legit": 60}
    assert smote.sampling_strategy_ == {"fraud": 15, "chargeback": 15}
    with pytest.raises(ValueError, match="can be a float only when the type of target is binary"):
        SMOTE(sampling_strategy=0.5).fit_resample(X, y)


def test_smote_pandas_in_pandas_out():
    X, y = _three_classes()
    X_df = pd.DataFrame(X, columns=["amount", "hour", "score"], index=np.arange(100, 200))
    y_s = pd.Series(y, name="label", index=X_df.index)
    smote = SMOTE(k_neighbors=3, random_state=0)
    X_res, y_res = smote.fit_resample(X_df, y_s)
    assert isinstance(X_res, pd.DataFrame) and isinstance(y_res, pd.Series)
    assert list(X_res.columns) == ["amount", "hour", "score"] and y_res.name == "label"
    assert (X_res.index == y_res.index).all()
    np.testing.assert_array_equal(smote.feature_names_in_, ["amount", "hour", "score"])
    X_np, y_np = SMOTE(k_neighbors=3, random_state=0).fit_resample(X, y)
    np.testing.assert_array_equal(X_res.to_numpy(), X_np)
    np.testing.assert_array_equal(y_res.to_numpy(), y_np)
    # Lists in, lists out (imbalanced-learn's convention).
    X_list, y_list = SMOTE(k_neighbors=3, random_state=0).fit_resample(X.tolist(), y.tolist())
    assert isinstance(X_list, list) and isinstance(y_list, list) and len(X_list) == 180


def test_smote_sparse_equals_dense_and_keeps_format(data):
    X, y = data
    X_dense, y_dense = SMOTE(random_state=3).fit_resample(X, y)
    for fmt in ("csr", "csc"):
        X_sp, y_sp = SMOTE(random_state=3).fit_resample(sparse.csr_matrix(X).asformat(fmt), y)
        assert sparse.issparse(X_sp) and X_sp.format == fmt
        np.testing.assert_allclose(X_sp.toarray(), X_dense, rtol=1e-12)
        np.testing.assert_array_equal(y_sp, y_dense)


def test_smote_dtypes_preserved(data):
    X, y = data
    X_res, y_res = SMOTE(random_state=0).fit_resample(X.astype(np.float32), y.astype(np.int32))
    assert X_res.dtype == np.float32 and y_res.dtype == np.int32
    X_ref, _ = SMOTE(random_state=0).fit_resample(X, y)
    np.testing.assert_allclose(X_res, X_ref, rtol=1e-5, atol=1e-6)
    # Integer features: synthetic points are not integers, so the result is float64.
    X_int = np.round(X * 10).astype(np.int64)
    X_res, _ = SMOTE(random_state=0).fit_resample(X_int, y)
    assert X_res.dtype == np.float64 and (X_res[: len(X)] == X_int).all()
    # Boolean labels stay booleans.
    _, y_bool = SMOTE(random_state=0).fit_resample(X, y.astype(bool))
    assert y_bool.dtype == bool and y_bool.sum() == 270


def test_smote_random_state_forms(data):
    X, y = data
    seeded, _ = SMOTE(random_state=5).fit_resample(X, y)
    from_generator, _ = SMOTE(random_state=np.random.default_rng(5)).fit_resample(X, y)
    np.testing.assert_array_equal(seeded, from_generator)  # an int seeds default_rng
    a, _ = SMOTE(random_state=np.random.RandomState(1)).fit_resample(X, y)
    b, _ = SMOTE(random_state=np.random.RandomState(1)).fit_resample(X, y)
    np.testing.assert_array_equal(a, b)
    # None: numpy's global state, as in scikit-learn (np.random.seed makes it repeatable).
    np.random.seed(11)
    c, _ = SMOTE().fit_resample(X, y)
    np.random.seed(11)
    d, _ = SMOTE().fit_resample(X, y)
    np.testing.assert_array_equal(c, d)


def test_smote_class_too_small_for_k_names_the_class():
    X, y = _three_classes()
    with pytest.raises(ValueError, match=r"k_neighbors=15 needs at least 16 rows of class "
                                         r"'chargeback'.*only 15. Lower k_neighbors to at most 14"):
        SMOTE(k_neighbors=15).fit_resample(X, y)
    X2, y2 = X[:12], np.r_[np.zeros(11, int), 1]
    with pytest.raises(ValueError, match="at least 2 rows of a class.*has only 1"):
        SMOTE(k_neighbors=1).fit_resample(X2, y2)


def test_smote_fit_sets_sampling_strategy_and_feature_names(data):
    X, y = data
    smote = SMOTE(random_state=0).fit(X, y)
    assert smote.sampling_strategy_ == {1: 240} and smote.n_features_in_ == 3
    assert smote.get_feature_names_out().tolist() == ["x0", "x1", "x2"]


# ---------------------------------------------------------------------------
# Random over- and under-sampling
# ---------------------------------------------------------------------------

def _rows_in(A, B):
    """True for each row of A that equals some row of B (brute force)."""
    return (A[:, None, :] == B[None, :, :]).all(-1).any(1)


def test_random_oversample_matches_imblearn_counts_and_copies_rows(data):
    X, y = data
    X_res, y_res = random_oversample(X, y, random_state=0)
    _, y_imb = RandomOverSampler(random_state=0).fit_resample(X, y)
    assert np.bincount(y_res).tolist() == np.bincount(y_imb).tolist() == [270, 270]
    np.testing.assert_array_equal(X_res[: len(X)], X)
    assert _rows_in(X_res, X).all()
    # The appended rows are minority rows, labelled as such.
    assert (y_res[len(y):] == 1).all()
    assert _rows_in(X_res[len(X):], X[y == 1]).all()
    X_again, _ = random_oversample(X, y, random_state=0)
    np.testing.assert_array_equal(X_res, X_again)
    X_other, _ = random_oversample(X, y, random_state=1)
    assert not np.array_equal(X_res, X_other)


def test_random_undersample_matches_imblearn_counts_and_keeps_minority(data):
    X, y = data
    X_res, y_res = random_undersample(X, y, random_state=0)
    _, y_imb = RandomUnderSampler(random_state=0).fit_resample(X, y)
    assert np.bincount(y_res).tolist() == np.bincount(y_imb).tolist() == [30, 30]
    assert _rows_in(X_res, X).all()
    assert _rows_in(X[y == 1], X_res[y_res == 1]).all()      # every minority row kept
    assert len(np.unique(X_res, axis=0)) == len(X_res)       # without replacement
    # Original order preserved: positions in X are increasing.
    pos = np.argmax((X_res[:, None, :] == X[None, :, :]).all(-1), axis=1)
    assert (np.diff(pos) > 0).all()
    np.testing.assert_array_equal(y_res, y[pos])
    X_again, _ = random_undersample(X, y, random_state=0)
    np.testing.assert_array_equal(X_res, X_again)


def test_random_undersample_draws_majority_without_replacement():
    # 50 of 60 majority rows: a draw with replacement would repeat some.
    X, y = _imbalanced(n_majority=60, n_minority=50, seed=2)
    for seed in range(5):
        X_res, y_res = random_undersample(X, y, random_state=seed)
        assert np.bincount(y_res).tolist() == [50, 50]
        assert len(np.unique(X_res, axis=0)) == 100


def test_random_resampling_any_labels_and_several_classes():
    X, y = _three_classes()
    X_over, y_over = random_oversample(X, y, random_state=0)
    _, y_imb = RandomOverSampler(random_state=0).fit_resample(X, y)
    assert y_over.dtype == y.dtype
    assert dict(zip(*np.unique(y_over, return_counts=True))) == \
        dict(zip(*np.unique(y_imb, return_counts=True)))
    assert _rows_in(X_over, X).all()
    np.testing.assert_array_equal(y_over, [y[_rows_in(X, r[None])][0] for r in X_over])
    X_under, y_under = random_undersample(X, y, random_state=0)
    _, y_imb = RandomUnderSampler(random_state=0).fit_resample(X, y)
    assert dict(zip(*np.unique(y_under, return_counts=True))) == \
        dict(zip(*np.unique(y_imb, return_counts=True))) == \
        {"chargeback": 15, "fraud": 15, "legit": 15}
    assert _rows_in(X[y == "chargeback"], X_under).all()


def test_random_resampling_binary_draws_documented():
    # Two classes: one draw from np.random.default_rng(seed), as documented.
    X, y = _imbalanced(n_majority=40, n_minority=9, seed=4)
    _, y_res = random_oversample(X, y, random_state=3)
    X_res, _ = random_oversample(X, y, random_state=3)
    expected = np.random.default_rng(3).choice(np.flatnonzero(y == 1), size=31, replace=True)
    np.testing.assert_array_equal(X_res[len(X):], X[expected])
    X_res, _ = random_undersample(X, y, random_state=3)
    kept = np.random.default_rng(3).choice(np.flatnonzero(y == 0), size=9, replace=False)
    np.testing.assert_array_equal(
        X_res, X[np.sort(np.r_[np.flatnonzero(y == 1), kept])])


@pytest.mark.parametrize("func, alternative", [
    (random_oversample, "RandomOverSampler"),
    (random_undersample, "RandomUnderSampler"),
    (lambda X, y: smote_interpolate(X, 3), "imbalance_kit.samplers.SMOTE"),
])
def test_sparse_input_refused_with_a_message(data, func, alternative):
    X, y = data
    with pytest.raises(TypeError, match=rf"does not support sparse input \(X\w* is a "
                                        rf"scipy.sparse csr matrix\).*{alternative}"):
        func(sparse.csr_matrix(X), y)


def test_torch_samplers_moved_with_a_message():
    import imbalance_kit.samplers as samplers

    for name in ("ClassBalancedBatchSampler", "make_weighted_sampler"):
        with pytest.raises(AttributeError, match=f"{name} moved to imbalance_kit.torch_samplers"):
            getattr(samplers, name)
    with pytest.raises(AttributeError, match="has no attribute 'nothing'"):
        samplers.nothing  # noqa: B018


# ---------------------------------------------------------------------------
# resample_with_origin
# ---------------------------------------------------------------------------

@pytest.mark.parametrize("sampler", [SMOTE(random_state=0), ImbSMOTE(random_state=0)])
def test_origin_smote_flags_appended_rows(data, sampler):
    X, y = data
    X_res, y_res, is_syn, source = resample_with_origin(sampler, X, y, return_source=True)
    expected = np.arange(len(X_res)) >= len(X)
    np.testing.assert_array_equal(is_syn, expected)
    np.testing.assert_array_equal(source[: len(X)], np.arange(len(X)))
    assert (source[len(X):] == -1).all()


def test_origin_random_under_none_synthetic(data):
    X, y = data
    sampler = RandomUnderSampler(random_state=0)
    X_res, y_res, is_syn, source = resample_with_origin(sampler, X, y, return_source=True)
    assert not is_syn.any()
    np.testing.assert_array_equal(source, sampler.sample_indices_)
    np.testing.assert_array_equal(X_res, X[source])


def test_origin_random_over_duplicates_not_synthetic(data):
    X, y = data
    X_res, y_res, is_syn, source = resample_with_origin(
        RandomOverSampler(random_state=0), X, y, return_source=True)
    assert len(X_res) == 540 and not is_syn.any()
    np.testing.assert_array_equal(X_res, X[source])
    assert np.bincount(source, minlength=len(X))[y == 1].sum() == 270


def test_origin_combined_sampler(data):
    X, y = data
    X_res, _, is_syn = resample_with_origin(make_sampler("smote_tomek", random_state=0), X, y)
    np.testing.assert_array_equal(is_syn, ~_rows_in(X_res, X))
    assert is_syn.any() and not is_syn.all()
    _, _, is_syn = resample_with_origin(TomekLinks(), X, y)
    assert not is_syn.any()


class _ShuffleAndInvent:
    """A sampler without sample_indices_: reverses the rows, adds one new row
    and writes a zero as -0.0 (must still match the input's 0.0)."""

    def fit_resample(self, X, y):
        X = np.asarray(X, dtype=float)[::-1].copy()
        X[X == 0.0] = -0.0
        return np.vstack([X, [[123.0, 456.0]]]), np.r_[np.asarray(y)[::-1], 1]


def test_origin_matches_rows_by_value_when_no_indices():
    X = np.array([[0.0, 1.0], [2.0, 3.0], [2.0, 3.0], [4.0, 0.0]])
    y = np.array([0, 0, 1, 1])
    X_res, y_res, is_syn, source = resample_with_origin(
        _ShuffleAndInvent(), X, y, return_source=True)
    np.testing.assert_array_equal(is_syn, [False, False, False, False, True])
    np.testing.assert_array_equal(X_res[:4], X[source[:4]])
    assert source[0] == 3 and source[3] == 0 and source[4] == -1


def test_origin_bad_input(data):
    X, y = data
    with pytest.raises(TypeError, match="sampler must have a fit_resample"):
        resample_with_origin(object(), X, y)
    with pytest.raises(ValueError, match=r"inconsistent numbers of samples: \[300, 299\]"):
        resample_with_origin(SMOTE(), X, y[:-1])
    with pytest.raises(TypeError, match="resample_with_origin does not support sparse input"):
        resample_with_origin(SMOTE(), sparse.csr_matrix(X), y)


# ---------------------------------------------------------------------------
# make_sampler
# ---------------------------------------------------------------------------

_EXPECTED_CLASSES = {
    "random_over": "RandomOverSampler", "random_under": "RandomUnderSampler",
    "smote": "SMOTE", "borderline_smote": "BorderlineSMOTE", "svm_smote": "SVMSMOTE",
    "adasyn": "ADASYN", "tomek": "TomekLinks", "enn": "EditedNearestNeighbours",
    "smote_tomek": "SMOTETomek", "smote_enn": "SMOTEENN", "reference_smote": "SMOTE",
}


def test_sampler_names():
    assert set(SAMPLER_NAMES) == set(_EXPECTED_CLASSES)
    assert isinstance(SAMPLER_NAMES, tuple)


@pytest.mark.parametrize("name", SAMPLER_NAMES)
def test_make_sampler_builds_and_resamples(data, name):
    X, y = data
    sampler = make_sampler(name, random_state=0)
    assert type(sampler).__name__ == _EXPECTED_CLASSES[name]
    if "random_state" in sampler.get_params():
        assert sampler.get_params()["random_state"] == 0
    X_res, y_res = sampler.fit_resample(X, y)
    assert X_res.shape[1] == X.shape[1] and len(X_res) == len(y_res)
    counts = np.bincount(y_res, minlength=2)
    if name in ("tomek", "enn"):      # cleaning: only majority rows removed
        assert counts[1] == 30 and counts[0] < 270
    elif name == "random_under":
        assert counts.tolist() == [30, 30]
    else:                             # over-sampling (and combinations)
        assert counts[1] > 30


def test_make_sampler_passes_params_and_reference():
    smote = make_sampler("reference_smote", k_neighbors=3, random_state=4)
    assert isinstance(smote, SMOTE) and smote.k_neighbors == 3 and smote.random_state == 4
    assert make_sampler("borderline_smote", kind="borderline-2").kind == "borderline-2"


def test_make_sampler_errors():
    with pytest.raises(ValueError, match=r"Unknown sampler name 'smot'.*'smote'.*'smote_enn'"):
        make_sampler("smot")
    with pytest.raises(ValueError, match=r"Unknown parameter\(s\) \['k'\] for sampler 'smote'"):
        make_sampler("smote", k=3)


def test_import_does_not_load_torch():
    code = "import sys, imbalance_kit.samplers; assert 'torch' not in sys.modules"
    subprocess.run([sys.executable, "-c", code], check=True)
