"""Tests of imbalance_kit.samplers: reference SMOTE against its definition
and imbalanced-learn, random resampling, row origins, the sampler registry
and the PyTorch batch samplers."""

import pickle
import subprocess
import sys

import numpy as np
import pytest
from imblearn.over_sampling import SMOTE as ImbSMOTE
from imblearn.over_sampling import RandomOverSampler
from imblearn.under_sampling import RandomUnderSampler, TomekLinks

from imbalance_kit.samplers import (
    SAMPLER_NAMES,
    SMOTE,
    make_sampler,
    make_weighted_sampler,
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
    base, nbr, gap = smote.base_index_, smote.neighbor_index_, smote.gap_
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
    assert len(np.unique(smote.neighbors_[base] == nbr[:, None], axis=0)) == k


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


@pytest.mark.parametrize("kwargs, match", [
    ({"k_neighbors": 0}, "k_neighbors must be >= 1"),
    ({"k_neighbors": 2.5}, "k_neighbors must be an integer"),
    ({"sampling_strategy": "majority"}, "sampling_strategy must be"),
    ({"sampling_strategy": 1.5}, "sampling_strategy must be"),
    ({"sampling_strategy": 0.0}, "sampling_strategy must be"),
    ({"sampling_strategy": True}, "sampling_strategy must be"),
    ({"sampling_strategy": 0.05}, r"sampling_strategy=0.05 asks for no new minority rows"),
    ({"random_state": "seed"}, "random_state"),
])
def test_smote_bad_parameters(data, kwargs, match):
    X, y = data
    with pytest.raises(ValueError, match=match):
        SMOTE(**kwargs).fit_resample(X, y)


@pytest.mark.parametrize("func", [
    lambda X, y: SMOTE().fit_resample(X, y),
    lambda X, y: random_oversample(X, y),
    lambda X, y: random_undersample(X, y),
])
def test_bad_X_y(data, func):
    X, y = data
    with pytest.raises(ValueError, match="y has only one class"):
        func(X, np.zeros(len(y), int))
    with pytest.raises(ValueError, match="y must contain only the labels 0 and 1"):
        func(X, y + 1)
    with pytest.raises(ValueError, match="same length: X has 300, y has 299"):
        func(X, y[:-1])
    X_nan = X.copy()
    X_nan[0, 0] = np.nan
    with pytest.raises(ValueError, match="X contains NaN"):
        func(X_nan, y)
    with pytest.raises(ValueError, match="X must be 2-D"):
        func(X[:, 0], y)


def test_smote_interpolate_bad_input():
    with pytest.raises(ValueError, match="n_new must be >= 0"):
        smote_interpolate(np.eye(4), -1, k_neighbors=2)
    with pytest.raises(ValueError, match="X_minority must be 2-D"):
        smote_interpolate(np.ones(4), 3, k_neighbors=2)


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
    with pytest.raises(ValueError, match="same length"):
        resample_with_origin(SMOTE(), X, y[:-1])


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


# ---------------------------------------------------------------------------
# PyTorch samplers
# ---------------------------------------------------------------------------

def test_import_does_not_load_torch():
    code = "import sys, imbalance_kit.samplers; assert 'torch' not in sys.modules"
    subprocess.run([sys.executable, "-c", code], check=True)


def test_class_balanced_batches_exact_composition():
    torch = pytest.importorskip("torch")
    from imbalance_kit.samplers import ClassBalancedBatchSampler

    labels = np.r_[np.zeros(190, int), np.ones(10, int)]
    sampler = ClassBalancedBatchSampler(labels, batch_size=16, random_state=0)
    assert isinstance(sampler, torch.utils.data.Sampler)
    batches = list(sampler)
    assert len(batches) == len(sampler) == 13          # ceil(200 / 16)
    for batch in batches:
        assert len(batch) == 16 and labels[batch].sum() == 8
        assert all(isinstance(i, int) for i in batch)
    flat = np.concatenate(batches)
    # Minority recycled evenly (104 draws of 10 rows: each 10 or 11 times);
    # majority without repetition (104 draws of 190 rows).
    minority_counts = np.bincount(flat[labels[flat] == 1], minlength=200)[190:]
    assert minority_counts.min() >= 10 and minority_counts.max() <= 11
    assert np.bincount(flat[labels[flat] == 0]).max() == 1
    # Same seed -> same epochs; successive epochs differ.
    again = ClassBalancedBatchSampler(labels, batch_size=16, random_state=0)
    assert list(again) == batches
    copy = pickle.loads(pickle.dumps(sampler))   # the lazily built class pickles
    assert list(sampler) != batches
    assert list(copy) == list(again)


def test_class_balanced_batches_multiclass_and_dataloader():
    torch = pytest.importorskip("torch")
    from imbalance_kit.samplers import ClassBalancedBatchSampler

    labels = torch.tensor([0] * 50 + [1] * 7 + [2] * 3)
    sampler = ClassBalancedBatchSampler(labels, batch_size=9, n_batches=5, random_state=1)
    dataset = torch.utils.data.TensorDataset(torch.arange(60), labels)
    loader = torch.utils.data.DataLoader(dataset, batch_sampler=sampler)
    seen = 0
    for idx, lab in loader:
        assert torch.bincount(lab, minlength=3).tolist() == [3, 3, 3]
        assert torch.equal(labels[idx], lab)
        seen += 1
    assert seen == 5


def test_class_balanced_batches_errors():
    pytest.importorskip("torch")
    from imbalance_kit.samplers import ClassBalancedBatchSampler

    labels = np.r_[np.zeros(20, int), np.ones(5, int)]
    with pytest.raises(ValueError, match=r"batch_size=7 must be divisible by the number of classes \(2\)"):
        ClassBalancedBatchSampler(labels, batch_size=7)
    with pytest.raises(ValueError, match="batch_size must be >= 1"):
        ClassBalancedBatchSampler(labels, batch_size=0)
    with pytest.raises(ValueError, match="n_batches must be >= 1"):
        ClassBalancedBatchSampler(labels, batch_size=4, n_batches=0)
    with pytest.raises(ValueError, match="labels has only one class"):
        ClassBalancedBatchSampler(np.zeros(10), batch_size=4)
    with pytest.raises(ValueError, match="labels must be one-dimensional"):
        ClassBalancedBatchSampler(np.zeros((5, 2)), batch_size=4)


def test_weighted_sampler_balances_classes():
    torch = pytest.importorskip("torch")
    labels = np.r_[np.zeros(1900, int), np.ones(100, int)]
    sampler = make_weighted_sampler(labels, power=1.0, num_samples=20000, random_state=0)
    assert isinstance(sampler, torch.utils.data.WeightedRandomSampler)
    drawn = np.fromiter(iter(sampler), dtype=np.int64)
    assert len(drawn) == 20000
    assert abs(labels[drawn].mean() - 0.5) < 0.02
    np.testing.assert_allclose(sampler.weights[:3].numpy(), 1 / 1900)
    np.testing.assert_allclose(sampler.weights[-1].item(), 1 / 100)
    # Reproducible with a seed.
    again = make_weighted_sampler(labels, num_samples=20000, random_state=0)
    np.testing.assert_array_equal(np.fromiter(iter(again), dtype=np.int64), drawn)
    # power=0: uniform sampling, the base rate of 5 %.
    plain = make_weighted_sampler(labels, power=0.0, num_samples=20000, random_state=0)
    assert abs(labels[np.fromiter(iter(plain), dtype=np.int64)].mean() - 0.05) < 0.01
    # power=0.5: in between (expected 1 / (1 + sqrt(19)) = 0.187).
    half = make_weighted_sampler(labels, power=0.5, num_samples=20000, random_state=0)
    assert abs(labels[np.fromiter(iter(half), dtype=np.int64)].mean() - 0.187) < 0.02


def test_weighted_sampler_errors():
    pytest.importorskip("torch")
    labels = np.r_[np.zeros(20, int), np.ones(5, int)]
    with pytest.raises(ValueError, match="power must be >= 0"):
        make_weighted_sampler(labels, power=-1)
    with pytest.raises(ValueError, match="num_samples=30 exceeds the 25 rows"):
        make_weighted_sampler(labels, num_samples=30, replacement=False)
    with pytest.raises(ValueError, match="num_samples must be >= 1"):
        make_weighted_sampler(labels, num_samples=0)
    with pytest.raises(ValueError, match="random_state must be None or a non-negative int"):
        make_weighted_sampler(labels, random_state=-3)
    with pytest.raises(ValueError, match="labels has only one class"):
        make_weighted_sampler(np.ones(5))
    # A missing label is an error, not a third class.
    with pytest.raises(ValueError, match="labels contains NaN"):
        make_weighted_sampler(np.r_[np.zeros(5), np.ones(5), np.nan])
    with pytest.raises(ValueError, match="labels is empty"):
        make_weighted_sampler([])
