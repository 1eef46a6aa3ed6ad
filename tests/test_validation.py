"""Tests for imbalance_kit.validation: scikit-learn underneath, our messages on top."""

import numpy as np
import pandas as pd
import pytest
import scipy.sparse
from sklearn.utils import check_random_state as sklearn_check_random_state

from imbalance_kit import validation as V


# ---------------------------------------------------------------------------
# 1-D values
# ---------------------------------------------------------------------------


def test_check_1d_flattens_columns_and_keeps_numpy_arrays():
    y = np.array([0, 1, 1])
    assert V.check_1d(y, "y") is y  # no copy on the hot path
    assert V.check_1d([[1], [2]], "y").tolist() == [1, 2]
    assert V.check_1d(pd.Series([3, 4]), "y").tolist() == [3, 4]


def test_check_1d_converts_pandas_nullable_dtypes():
    out = V.check_1d(pd.Series([1, None, 3], dtype="Int64"), "y")
    assert out.dtype == np.float64 and np.isnan(out[1])


@pytest.mark.parametrize("bad, match", [
    (5, r"y must be one-dimensional, got shape \(\)"),
    (np.zeros((3, 2)), r"y must be one-dimensional, got shape \(3, 2\)"),
    (np.zeros((2, 2, 2)), r"y must be one-dimensional, got shape \(2, 2, 2\)"),
    ([[1, 2], [3]], "y must be a 1-D array of values"),
    ([], "y is empty"),
])
def test_check_1d_errors(bad, match):
    with pytest.raises(ValueError, match=match):
        V.check_1d(bad, "y")


def test_scores_hint_names_the_positive_column():
    with pytest.raises(ValueError, match=r"pass the positive-class column: proba\[:, 1\]"):
        V.check_scores(np.full((4, 2), 0.5))


@pytest.mark.parametrize("func", [
    lambda v: V.check_1d(v, "y"),
    lambda v: V.check_scores(v, "y_score"),
    lambda v: V.check_binary_labels(v, "y_true"),
    lambda v: V.check_array_2d(v, "X"),
    lambda v: V.check_same_length(X=v, y=[0, 1, 0]),
])
@pytest.mark.parametrize("fmt", ["csr", "csc", "coo"])
def test_sparse_input_says_sparse_is_not_supported(func, fmt):
    sparse = scipy.sparse.random(3, 3, density=0.5, format=fmt, random_state=0)
    with pytest.raises(TypeError, match=r"sparse matrix \(" + fmt + r"\); sparse input is not "
                                        r"supported here. Convert it with .*\.toarray\(\)"):
        func(sparse)


# ---------------------------------------------------------------------------
# Labels and pos_label
# ---------------------------------------------------------------------------


def test_binary_labels_default_is_zero_one():
    assert V.check_binary_labels([False, True]).tolist() == [0, 1]
    assert V.check_binary_labels([0.0, 1.0]).tolist() == [0, 1]
    assert V.check_binary_labels(pd.Series([0, 1], dtype=object)).tolist() == [0, 1]
    with pytest.raises(ValueError, match=r"y must contain only the labels 0 and 1; found \[2\]"):
        V.check_binary_labels([0, 1, 2], "y")
    with pytest.raises(ValueError, match=r"y_true has only one class \(0\)"):
        V.check_binary_labels([0, 0])
    with pytest.raises(ValueError, match="y_true contains NaN"):
        V.check_binary_labels(pd.Series([0, 1, None], dtype="Int64"))


def test_text_labels_need_pos_label_and_the_message_suggests_the_rare_one():
    y = ["legit"] * 5 + ["fraud"]
    with pytest.raises(ValueError, match=r"pos_label must name the positive class.*"
                                         r"pos_label='fraud' \(the rarer label here\)"):
        V.check_binary_labels(y)
    assert V.check_binary_labels(y, pos_label="fraud").tolist() == [0] * 5 + [1]
    assert V.check_binary_labels(y, pos_label="legit").tolist() == [1] * 5 + [0]


def test_pos_label_on_numbers_agrees_with_equality():
    y = np.array([1, 2, 2, 1])
    assert V.check_binary_labels(y, pos_label=2).tolist() == [0, 1, 1, 0]
    assert V.check_binary_labels([-1, 1, 1], pos_label=-1).tolist() == [1, 0, 0]
    assert V.check_binary_labels([0, 1, 1], pos_label=0).tolist() == [1, 0, 0]


@pytest.mark.parametrize("y, pos_label, match", [
    (["a", "b", "c"], "a",
     r"y_true has 3 classes \(\['a', 'b', 'c'\]\); these functions are binary"),
    (["a", "b"], "c", r"pos_label='c' is not one of the labels of y_true: \['a', 'b'\]"),
    (["a", None], "a", "y_true contains missing values"),
    (["a", "a"], "a", r"only one class \(only pos_label='a'\)"),
    (np.array(["2020-01-01", "2020-01-02"], dtype="datetime64[ns]"), "x", "must hold class labels"),
])
def test_pos_label_errors(y, pos_label, match):
    with pytest.raises(ValueError, match=match):
        V.check_binary_labels(y, pos_label=pos_label)


def test_one_class_allowed_when_not_required():
    assert V.check_binary_labels(["legit", "legit"], pos_label="fraud",
                                 require_both=False).tolist() == [0, 0]


# ---------------------------------------------------------------------------
# Weights, lengths, 2-D arrays
# ---------------------------------------------------------------------------


def test_sample_weight():
    assert V.check_sample_weight(None, 3) is None
    assert V.check_sample_weight([1, 2, 0], 3).tolist() == [1.0, 2.0, 0.0]
    for bad, match in [([1, -1, 1], "sample_weight must be >= 0"),
                       ([0, 0, 0], "sample_weight sums to 0"),
                       ([1, 1], "sample_weight has 2 values but 3"),
                       ([1, np.nan, 1], "sample_weight contains NaN")]:
        with pytest.raises(ValueError, match=match):
            V.check_sample_weight(bad, 3)


def test_same_length_names_every_array():
    assert V.check_same_length(a=[1, 2], b=np.zeros((2, 3)), c=None) == 2
    assert V.check_same_length() == 0
    with pytest.raises(ValueError, match="Inputs must have the same length: a has 2, b has 3"):
        V.check_same_length(a=[1, 2], b=pd.Series([1, 2, 3]))


def test_array_2d_uses_sklearn_conversion_and_our_messages():
    frame = pd.DataFrame({"a": [1, 2], "b": pd.array([3, 4], dtype="Int64")})
    out = V.check_array_2d(frame)
    assert out.dtype == np.float64 and out.tolist() == [[1, 3], [2, 4]]
    with pytest.raises(ValueError, match=r"X must be 2-D .* got shape \(3,\). One feature\? "
                                         r"Use X.reshape\(-1, 1\)"):
        V.check_array_2d([1, 2, 3])
    with pytest.raises(ValueError, match="X contains NaN or infinite values"):
        V.check_array_2d(pd.DataFrame({"a": pd.array([1, None], dtype="Int64")}))
    with pytest.raises(ValueError, match="X must be numeric"):
        V.check_array_2d(pd.DataFrame({"a": ["x", "y"]}))
    with pytest.raises(ValueError, match="X is empty"):
        V.check_array_2d(np.zeros((0, 2)))


# ---------------------------------------------------------------------------
# Scalars: scikit-learn's check_scalar decides the range, bools and NaN refused
# ---------------------------------------------------------------------------


def test_scalars_refuse_what_check_scalar_lets_through():
    # sklearn.utils.check_scalar accepts True as an int and NaN as a float in range.
    with pytest.raises(ValueError, match="k must be an integer, got True"):
        V.check_positive_int(True, "k")
    with pytest.raises(ValueError, match="a must be a number, got nan"):
        V.check_fraction(np.nan, "a")
    with pytest.raises(ValueError, match="g must be a number, got False"):
        V.check_nonnegative(False, "g")


def test_scalar_ranges():
    assert V.check_positive_int(np.int64(3), "k") == 3
    assert V.check_positive_int(0, "k", minimum=0) == 0
    with pytest.raises(ValueError, match="k must be >= 1, got 0"):
        V.check_positive_int(0, "k")
    with pytest.raises(ValueError, match="k must be an integer, got 2.0"):
        V.check_positive_int(2.0, "k")
    assert V.check_fraction(0.0, "a", closed="both") == 0.0
    with pytest.raises(ValueError, match=r"a must lie in \(0.0, 1.0\), got 0.0"):
        V.check_fraction(0.0, "a")
    with pytest.raises(ValueError, match=r"a must lie in \(0.0, inf\), got inf"):
        V.check_fraction(np.inf, "a", high=np.inf)
    assert V.check_nonnegative(np.inf, "g") == np.inf
    with pytest.raises(ValueError, match="g must be >= 0, got -1"):
        V.check_nonnegative(-1, "g")


def test_choice_handles_arrays_and_unhashables():
    assert V.check_choice("a", "x", ("a", "b")) == "a"
    for bad in (np.array([1, 2]), ["a"], {"a": 1}):
        with pytest.raises(ValueError, match="x must be one of"):
            V.check_choice(bad, "x", ("a", "b"))


# ---------------------------------------------------------------------------
# Random states
# ---------------------------------------------------------------------------


def test_random_state_is_a_generator_and_reproducible():
    assert isinstance(V.check_random_state(None), np.random.Generator)
    g = np.random.default_rng(1)
    assert V.check_random_state(g).bit_generator is g.bit_generator
    assert V.check_random_state(3).random() == np.random.default_rng(3).random()
    assert isinstance(V.check_random_state(np.random.RandomState(0)), np.random.Generator)
    for bad in (-1, "seed", 1.5, True):
        with pytest.raises(ValueError, match="random_state must be"):
            V.check_random_state(bad)


def test_legacy_random_state_agrees_with_sklearn():
    ours, theirs = V.check_legacy_random_state(7), sklearn_check_random_state(7)
    assert ours.randint(10**6) == theirs.randint(10**6)
    rs = np.random.RandomState(0)
    assert V.check_legacy_random_state(rs) is rs
    assert V.check_legacy_random_state(None) is sklearn_check_random_state(None)
    gen = V.check_legacy_random_state(np.random.default_rng(0))
    assert isinstance(gen, np.random.RandomState)
    for bad in (-1, "seed", True):
        with pytest.raises(ValueError, match="random_state must be None, a non-negative int"):
            V.check_legacy_random_state(bad)


def test_import_does_not_load_sklearn():
    import subprocess
    import sys

    code = "import sys, imbalance_kit.validation; print('sklearn' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_mixed_type_labels_and_scores():
    # Text and numbers together: numpy cannot sort them, the checks still answer.
    mixed = np.array(["a", 1, "a"], dtype=object)
    assert V.check_binary_labels(mixed, pos_label="a").tolist() == [1, 0, 1]
    with pytest.raises(ValueError, match="y_true has 3 classes"):
        V.check_binary_labels(np.array(["a", 1, 2.5], dtype=object), pos_label="a")
    with pytest.raises(ValueError, match="y_score must be numeric, got dtype object"):
        V.check_scores(pd.Series([0.5, "high"], dtype=object))
    with pytest.raises(ValueError, match="Inputs must have the same length: a has 2, b has "
                                         r"no length \(a scalar\)"):
        V.check_same_length(a=[1, 2], b=3)
    with pytest.raises(ValueError, match="X must be numeric"):
        V.check_array_2d([[1, 2], [3]])
