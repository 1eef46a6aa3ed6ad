"""Input checks shared by the whole kit, built on :mod:`sklearn.utils`.

Every public function of the kit validates its input up front with these, so
that bad input fails with a message that names the parameter and the problem
("y_true has only one class (0)") instead of a traceback from deep inside
numpy or scikit-learn.

scikit-learn's validation does the work (:func:`sklearn.utils.check_array`,
:func:`~sklearn.utils.column_or_1d`, :func:`~sklearn.utils.check_consistent_length`,
:func:`~sklearn.utils.check_random_state`, :func:`~sklearn.utils.check_scalar`):
it knows pandas' nullable dtypes, array-likes and numpy's scalar types. The
kit keeps its own wording where it teaches more ("Encode the rare (positive)
class as 1", "pass proba[:, 1]") and refuses what scikit-learn lets through
(``True`` as a count, NaN as a fraction). Sparse matrices get a message that
says sparse input is not supported: the kit's functions work on dense arrays.

scikit-learn is imported on first use, so ``import imbalance_kit.metrics``
stays light.
"""

from __future__ import annotations

import numbers

import numpy as np

__all__ = [
    "check_1d",
    "check_array_2d",
    "check_binary_labels",
    "check_choice",
    "check_fraction",
    "check_legacy_random_state",
    "check_nonnegative",
    "check_not_sparse",
    "check_positive_int",
    "check_random_state",
    "check_same_length",
    "check_sample_weight",
    "check_scores",
]


def check_not_sparse(values, name):
    """Raise ``TypeError`` if ``values`` is a scipy sparse matrix or array.

    The kit's functions work on dense arrays; scikit-learn's own message
    ("Sparse data was passed ... dense data is required") is reworded to say
    what to do.

    Parameters
    ----------
    values : object
        Anything; only sparse input is refused.
    name : str
        Parameter name used in the message.

    Examples
    --------
    >>> check_not_sparse([1, 2], "y")
    >>> import scipy.sparse
    >>> check_not_sparse(scipy.sparse.eye(2, format="csr"), "X")
    Traceback (most recent call last):
    ...
    TypeError: X is a sparse matrix (csr); sparse input is not supported here. Convert it ...
    """
    # Duck-typed test: scipy.sparse is imported only when something looks sparse.
    if hasattr(values, "tocsr") and hasattr(values, "nnz"):
        import scipy.sparse

        if scipy.sparse.issparse(values):
            raise TypeError(
                f"{name} is a sparse matrix ({values.format}); sparse input is not supported "
                f"here. Convert it with {name}.toarray() if it fits in memory."
            )


def check_1d(values, name, *, dtype=None, hint=""):
    """Return ``values`` as a non-empty 1-D array, or raise ``ValueError``.

    The shape check every other check of a vector starts with; a column
    vector of shape ``(n, 1)`` is flattened. Lists, pandas objects (nullable
    dtypes included: a missing ``Int64`` value becomes NaN) are converted by
    :func:`sklearn.utils.column_or_1d`; a 1-D numpy array passes through
    without a copy.

    Parameters
    ----------
    values : array-like of shape (n,) or (n, 1)
        The values, of any dtype.
    name : str
        Parameter name used in error messages.
    dtype : numpy dtype, optional
        Target dtype (e.g. ``object`` for categories).
    hint : str, optional
        Appended to the message of a wrong shape (how to fix it).

    Returns
    -------
    ndarray of shape (n,)
        A view of ``values`` where possible (no copy).

    Examples
    --------
    >>> check_1d([[1], [2], [3]], "y")
    array([1, 2, 3])
    """
    check_not_sparse(values, name)
    if isinstance(values, np.ndarray) and values.ndim == 1 and values.dtype.kind != "O" \
            and dtype is None:
        arr = values  # the hot path inside bootstrap loops: nothing to convert
    else:
        try:
            shape = tuple(np.shape(values))
        except ValueError:  # ragged nested lists
            shape = None
        if shape is not None and (len(shape) not in (1, 2) or len(shape) == 2 and shape[1] != 1):
            raise ValueError(f"{name} must be one-dimensional, got shape {shape}.{hint}")
        from sklearn.utils import column_or_1d

        try:
            arr = column_or_1d(values, dtype=dtype, input_name=name)
        except (TypeError, ValueError):
            raise ValueError(
                f"{name} must be a 1-D array of values, got {type(values).__name__}."
            ) from None
    if arr.size == 0:
        raise ValueError(f"{name} is empty.")
    return arr


def _is_label_one(pos_label):
    """True when ``pos_label`` is the kit's default, the number 1 (``True`` and ``1.0`` too)."""
    return isinstance(pos_label, (numbers.Number, np.bool_)) and pos_label == 1


def check_binary_labels(y, name="y_true", *, require_both=True, pos_label=1):
    """Return ``y`` as a 1-D int array of 0/1 labels, or raise ``ValueError``.

    With the default ``pos_label=1`` the labels must be 0 and 1 (booleans and
    floats equal to 0.0/1.0 too), the course's convention with the rare
    class as 1. With any other ``pos_label`` the labels may be any two
    values (``"fraud"``/``"legit"``, ``-1``/``1``...): rows equal to
    ``pos_label`` become 1, the others 0, as scikit-learn's ``pos_label``.

    Parameters
    ----------
    y : array-like of shape (n_samples,)
        Labels.
    name : str
        Parameter name used in error messages.
    require_both : bool, default=True
        Raise when only one class is present (most imbalance metrics are
        undefined or misleading then).
    pos_label : int, float, bool or str, default=1
        The positive (rare) class.

    Returns
    -------
    ndarray of int64, shape (n_samples,)
        No copy when ``y`` already is an int64 array of 0/1.

    Examples
    --------
    >>> check_binary_labels([0, 1, 1])
    array([0, 1, 1])
    >>> check_binary_labels(["legit", "fraud", "legit"], pos_label="fraud")
    array([0, 1, 0])
    """
    arr = check_1d(y, name)
    if arr.dtype.kind == "O" and all(
            isinstance(v, (numbers.Real, np.bool_)) and not isinstance(v, str) for v in arr):
        arr = np.asarray(arr.tolist())  # numbers stored as objects (e.g. a mixed pandas column)
    if arr.dtype.kind == "f" and np.isnan(arr).any():
        raise ValueError(f"{name} contains NaN.")
    if _is_label_one(pos_label) and arr.dtype.kind in "biuf":  # bool, signed, unsigned, float
        if arr.dtype.kind == "f":
            valid = bool(((arr == 0) | (arr == 1)).all())
        else:
            valid = bool(arr.min() >= 0 and arr.max() <= 1)
        if valid:
            labels = arr.astype(np.int64, copy=False)
        else:
            # Only on the error path: np.unique sorts, too slow to run on every call.
            bad = np.unique(arr[(arr != 0) & (arr != 1)])[:5].tolist()
            raise ValueError(
                f"{name} must contain only the labels 0 and 1; found {bad}. "
                "Encode the rare (positive) class as 1, or name it with pos_label."
            )
    else:
        labels = _labels_from_pos_label(arr, name, pos_label)
    if require_both:
        n_pos = int(np.count_nonzero(labels))
        if n_pos in (0, labels.size):
            if pos_label is None or _is_label_one(pos_label):
                raise ValueError(
                    f"{name} has only one class ({int(n_pos > 0)}); both 0 and 1 are needed."
                )
            raise ValueError(
                f"{name} has only one class ({'only' if n_pos else 'no'} "
                f"pos_label={pos_label!r}); both classes are needed."
            )
    return labels


def _labels_from_pos_label(arr, name, pos_label):
    """0/1 labels from any two-valued ``arr``: 1 where it equals ``pos_label``."""
    if arr.dtype.kind not in "biufOUS":
        raise ValueError(f"{name} must hold class labels, got dtype {arr.dtype}.")
    if arr.dtype.kind == "O":
        import pandas as pd  # only for object labels: one NA test for None, nan, pd.NA

        if pd.isna(arr).any():
            raise ValueError(f"{name} contains missing values (None or NaN).")
        try:
            classes = np.unique(arr)
        except TypeError:  # mixed types numpy cannot sort
            classes = np.asarray(list(dict.fromkeys(arr.tolist())), dtype=object)
    else:
        classes = np.unique(arr)
    shown = classes[:5].tolist()
    if _is_label_one(pos_label):
        # The default pos_label and labels that are not numbers: the caller
        # has to say which class is the positive one. Suggest the rarer one.
        counts = [int(np.count_nonzero(arr == c)) for c in classes[:5]]
        rarest = shown[int(np.argmin(counts))]
        raise ValueError(
            f"{name} must contain only the labels 0 and 1, or pos_label must name the "
            f"positive class; found the labels {shown}. Pass e.g. pos_label={rarest!r} "
            "(the rarer label here)."
        )
    if classes.size > 2:
        raise ValueError(
            f"{name} has {classes.size} classes ({shown}{' ...' if classes.size > 5 else ''}); "
            "these functions are binary; for one class against the rest, pass "
            "(y == that_class)."
        )
    positive = arr == pos_label
    if not np.any(positive) and classes.size == 2:
        raise ValueError(f"pos_label={pos_label!r} is not one of the labels of {name}: {shown}.")
    return np.asarray(positive, dtype=np.int64)


def check_scores(s, name="y_score", *, n=None, probability=False):
    """Return ``s`` as a 1-D float array of finite scores, or raise ``ValueError``.

    Parameters
    ----------
    s : array-like of shape (n_samples,)
        Scores (any real values) or probabilities, at least one.
    name : str
        Parameter name used in error messages.
    n : int, optional
        Expected length (usually ``len(y_true)``).
    probability : bool, default=False
        Require every value to lie in [0, 1].

    Returns
    -------
    ndarray of float64, shape (n_samples,)
        No copy when ``s`` already is a float64 array.

    Examples
    --------
    >>> check_scores([0.1, 0.9], probability=True)
    array([0.1, 0.9])
    """
    arr = check_1d(s, name, hint=(
        " For predict_proba output, pass the positive-class column: proba[:, 1]."))
    # Text, dates and complex numbers are not scores, even where numpy could cast them.
    if arr.dtype.kind in "USMmc":
        raise ValueError(f"{name} must be numeric, got dtype {arr.dtype}.")
    try:
        arr = arr.astype(np.float64, copy=False)
    except (TypeError, ValueError):
        raise ValueError(f"{name} must be numeric, got dtype {arr.dtype}.") from None
    if n is not None and arr.size != n:
        raise ValueError(f"{name} has {arr.size} values but {n} were expected.")
    if probability:
        # min and max are NaN if any value is: one check covers both cases.
        low, high = arr.min(), arr.max()
        if low >= 0 and high <= 1:
            return arr
    if not np.isfinite(arr).all():
        raise ValueError(f"{name} contains NaN or infinite values.")
    if probability:
        raise ValueError(
            f"{name} must be probabilities in [0, 1]; found values in [{low:.3g}, {high:.3g}]."
        )
    return arr


def check_sample_weight(sample_weight, n, name="sample_weight"):
    """Return per-row weights as a float array of length ``n``, or ``None``.

    Parameters
    ----------
    sample_weight : array-like of shape (n,) or None
        Non-negative, finite weights with a positive sum. ``None`` means
        every row counts once.
    n : int
        Number of rows.
    name : str, default="sample_weight"
        Parameter name used in error messages.

    Returns
    -------
    ndarray of float64, shape (n,), or None

    Examples
    --------
    >>> check_sample_weight([1, 2, 0.5], 3)
    array([1. , 2. , 0.5])
    >>> check_sample_weight(None, 3) is None
    True
    """
    if sample_weight is None:
        return None
    w = check_scores(sample_weight, name, n=n)
    if w.min() < 0:
        raise ValueError(f"{name} must be >= 0, found a minimum of {w.min():.3g}.")
    if not w.sum() > 0:
        raise ValueError(f"{name} sums to 0: no row would count.")
    return w


def check_same_length(**arrays):
    """Raise ``ValueError`` unless all keyword arrays have the same length.

    Built on :func:`sklearn.utils.check_consistent_length`, with a message
    that names the arrays.

    Parameters
    ----------
    **arrays : array-like or None
        Named arrays; the names appear in the message. ``None`` is skipped.

    Returns
    -------
    int
        The common length (0 when no array is given).

    Examples
    --------
    >>> check_same_length(y_true=[0, 1], y_score=[0.2, 0.8])
    2
    """
    named = {k: v for k, v in arrays.items() if v is not None}
    if not named:
        return 0
    for key, value in named.items():
        check_not_sparse(value, key)
    from sklearn.utils import check_consistent_length

    try:
        check_consistent_length(*named.values())
    except (TypeError, ValueError):
        lengths = {k: _length(v) for k, v in named.items()}
        desc = ", ".join(f"{k} has {n}" for k, n in lengths.items())
        raise ValueError(f"Inputs must have the same length: {desc}.") from None
    return _length(next(iter(named.values())))


def _length(value):
    shape = getattr(value, "shape", None)
    if shape is not None and len(shape) > 0:
        return int(shape[0])
    try:
        return len(value)
    except TypeError:
        return "no length (a scalar)"


def check_array_2d(X, name="X"):
    """Return ``X`` as a 2-D float array without NaN, or raise ``ValueError``.

    :func:`sklearn.utils.check_array` does the conversion (pandas frames,
    nullable dtypes); the messages say what a learner should check.

    Parameters
    ----------
    X : array-like of shape (n_samples, n_features)
        Numeric features, at least one row, all finite. Not sparse.
    name : str, default="X"
        Parameter name used in error messages.

    Returns
    -------
    ndarray of float64, shape (n_samples, n_features)

    Raises
    ------
    TypeError
        ``X`` is a sparse matrix (not supported by the kit's samplers and plots).
    ValueError
        Anything else: shape, text, NaN, no rows.

    Examples
    --------
    >>> check_array_2d([[1, 2], [3, 4]]).shape
    (2, 2)
    """
    check_not_sparse(X, name)
    from sklearn.utils import check_array

    ndim = len(X.shape) if hasattr(X, "shape") else np.ndim(X) if _is_regular(X) else None
    if ndim is not None and ndim != 2:
        raise ValueError(
            f"{name} must be 2-D (n_samples, n_features), got shape {tuple(np.shape(X))}."
            + (" One feature? Use X.reshape(-1, 1)." if ndim == 1 else "")
        )
    try:
        arr = check_array(X, dtype=np.float64, ensure_all_finite=False, ensure_min_samples=0,
                          ensure_min_features=0, input_name=name)
    except (TypeError, ValueError):
        raise ValueError(f"{name} must be numeric.") from None
    if arr.shape[0] == 0:
        raise ValueError(f"{name} is empty.")
    if not np.isfinite(arr).all():
        raise ValueError(f"{name} contains NaN or infinite values.")
    return arr


def _is_regular(values):
    try:
        np.shape(values)
    except ValueError:  # ragged nested lists
        return False
    return True


def _check_scalar(value, name, target_type, *, min_val=None, max_val=None, closed="both",
                  message):
    """:func:`sklearn.utils.check_scalar` for the range, our ``message`` when it fails."""
    from sklearn.utils import check_scalar

    boundaries = {"both": "both", "left": "left", "right": "right", "neither": "neither"}[closed]
    try:
        check_scalar(value, name, target_type, min_val=min_val, max_val=max_val,
                     include_boundaries=boundaries)
    except (TypeError, ValueError):
        raise ValueError(message) from None


def check_positive_int(value, name, *, minimum=1):
    """Return ``value`` as an int ``>= minimum``, or raise ``ValueError``.

    Parameters
    ----------
    value : int
        An integer (``bool`` and whole floats such as ``2.0`` are refused;
        scikit-learn's ``check_scalar`` would take ``True`` as 1).
    name : str
        Parameter name used in error messages.
    minimum : int, default=1

    Returns
    -------
    int

    Examples
    --------
    >>> check_positive_int(5, "k_neighbors")
    5
    """
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, numbers.Integral):
        raise ValueError(f"{name} must be an integer, got {value!r}.")
    _check_scalar(value, name, numbers.Integral, min_val=minimum,
                  message=f"{name} must be >= {minimum}, got {value}.")
    return int(value)


def check_fraction(value, name, *, low=0.0, high=1.0, closed="neither"):
    """Return ``value`` as a float within (low, high), or raise ``ValueError``.

    Parameters
    ----------
    value : float
        A real number (not ``bool``, not NaN).
    name : str
        Parameter name used in error messages.
    low, high : float, default=0.0, 1.0
        Bounds; ``high=np.inf`` (or ``low=-np.inf``) leaves that side open,
        so ``check_fraction(v, name, high=np.inf)`` means "finite and > 0".
    closed : {"neither", "left", "right", "both"}, default="neither"
        Which bounds belong to the interval.

    Returns
    -------
    float

    Examples
    --------
    >>> check_fraction(0.25, "alpha", closed="both")
    0.25
    """
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, numbers.Real) \
            or np.isnan(value):
        raise ValueError(f"{name} must be a number, got {value!r}.")
    lb = "[" if closed in ("left", "both") else "("
    rb = "]" if closed in ("right", "both") else ")"
    _check_scalar(value, name, numbers.Real, min_val=low, max_val=high, closed=closed,
                  message=f"{name} must lie in {lb}{low}, {high}{rb}, got {value}.")
    return float(value)


def check_nonnegative(value, name):
    """Return ``value`` as a float ``>= 0``, or raise ``ValueError``.

    Parameters
    ----------
    value : float
        A real number (not ``bool``, not NaN; ``inf`` is accepted).
    name : str
        Parameter name used in error messages.

    Returns
    -------
    float

    Examples
    --------
    >>> check_nonnegative(2.0, "gamma")
    2.0
    """
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, numbers.Real) \
            or np.isnan(value):
        raise ValueError(f"{name} must be a number, got {value!r}.")
    _check_scalar(value, name, numbers.Real, min_val=0,
                  message=f"{name} must be >= 0, got {value}.")
    return float(value)


def check_choice(value, name, choices):
    """Return ``value`` if it is one of ``choices``, or raise ``ValueError``.

    Parameters
    ----------
    value : object
    name : str
        Parameter name used in error messages.
    choices : sequence
        The allowed values, listed in the message.

    Returns
    -------
    object
        ``value`` unchanged.

    Examples
    --------
    >>> check_choice("mean", "reduction", ("none", "mean", "sum"))
    'mean'
    """
    try:
        ok = bool(value in choices)
    except (TypeError, ValueError):  # unhashable value, or an array compared elementwise
        ok = False
    if not ok:
        raise ValueError(f"{name} must be one of {list(choices)}, got {value!r}.")
    return value


def check_random_state(random_state, name="random_state"):
    """Return a :class:`numpy.random.Generator` for ``random_state``.

    The kit draws with numpy's ``Generator`` (faster, better streams);
    scikit-learn's :func:`~sklearn.utils.check_random_state` returns the
    legacy ``RandomState`` (see :func:`check_legacy_random_state` for code
    that hands the seed to scikit-learn or imbalanced-learn).

    Parameters
    ----------
    random_state : None, int, numpy.random.Generator or numpy.random.RandomState
        ``None`` for fresh entropy, a non-negative int seed, or a generator
        (a ``Generator`` is wrapped without reseeding it; a ``RandomState``
        seeds a new ``Generator`` and advances by one draw).
    name : str, default="random_state"
        Parameter name used in error messages.

    Returns
    -------
    numpy.random.Generator

    Examples
    --------
    >>> rng = check_random_state(0)
    >>> float(rng.random()) == float(check_random_state(0).random())
    True
    """
    if random_state is None or isinstance(random_state, np.random.Generator):
        return np.random.default_rng(random_state)
    if isinstance(random_state, numbers.Integral) \
            and not isinstance(random_state, (bool, np.bool_)):
        if random_state < 0:
            raise ValueError(f"{name} must be a non-negative integer, got {random_state}.")
        return np.random.default_rng(int(random_state))
    if isinstance(random_state, np.random.RandomState):
        return np.random.default_rng(random_state.randint(2**31 - 1))
    raise ValueError(f"{name} must be None, an int or a numpy Generator, got {random_state!r}.")


def check_legacy_random_state(random_state, name="random_state"):
    """Return a :class:`numpy.random.RandomState`, as scikit-learn estimators use.

    :func:`sklearn.utils.check_random_state` with two additions: a numpy
    ``Generator`` is accepted (it seeds a new ``RandomState``), and a bad
    value gets a message that names the parameter.

    Parameters
    ----------
    random_state : None, int, numpy.random.RandomState or numpy.random.Generator
        ``None`` is numpy's global ``RandomState`` (scikit-learn's rule).
    name : str, default="random_state"
        Parameter name used in error messages.

    Returns
    -------
    numpy.random.RandomState

    Examples
    --------
    >>> rs = check_legacy_random_state(0)
    >>> int(rs.randint(100)) == int(check_legacy_random_state(0).randint(100))
    True
    """
    from sklearn.utils import check_random_state as sklearn_check_random_state

    if isinstance(random_state, np.random.Generator):
        return np.random.RandomState(random_state.integers(2**31 - 1))
    if isinstance(random_state, (bool, np.bool_)) or (
            isinstance(random_state, numbers.Integral) and random_state < 0):
        raise ValueError(f"{name} must be None, a non-negative int or a numpy random "
                         f"generator, got {random_state!r}.")
    try:
        return sklearn_check_random_state(random_state)
    except ValueError:
        raise ValueError(f"{name} must be None, a non-negative int or a numpy random "
                         f"generator, got {random_state!r}.") from None
