"""Input checks shared by the whole kit.

Every public function of the kit validates its input up front with these, so
that bad input fails with a message that names the parameter and the problem
("y_true has only one class (0)") instead of a traceback from deep inside
numpy or scikit-learn.
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
    "check_nonnegative",
    "check_positive_int",
    "check_random_state",
    "check_same_length",
    "check_scores",
]


def check_1d(values, name, *, dtype=None, hint=""):
    """Return ``values`` as a non-empty 1-D array, or raise ``ValueError``.

    The shape check every other check of a vector starts with; a column
    vector of shape ``(n, 1)`` is flattened.

    Parameters
    ----------
    values : array-like of shape (n,) or (n, 1)
        The values, of any dtype.
    name : str
        Parameter name used in error messages.
    dtype : numpy dtype, optional
        Passed to :func:`numpy.asarray` (e.g. ``object`` for categories).
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
    try:
        arr = np.asarray(values, dtype=dtype)
    except (TypeError, ValueError):  # ragged lists, objects numpy cannot convert
        raise ValueError(f"{name} must be a 1-D array of values, got {type(values).__name__}.") \
            from None
    if arr.ndim == 2 and arr.shape[1] == 1:
        arr = arr.ravel()
    if arr.ndim != 1:
        raise ValueError(f"{name} must be one-dimensional, got shape {arr.shape}.{hint}")
    if arr.size == 0:
        raise ValueError(f"{name} is empty.")
    return arr


def check_binary_labels(y, name="y_true", *, require_both=True):
    """Return ``y`` as a 1-D int array of 0/1 labels, or raise ``ValueError``.

    Parameters
    ----------
    y : array-like of shape (n_samples,)
        Labels; booleans and floats equal to 0.0/1.0 are accepted.
    name : str
        Parameter name used in error messages.
    require_both : bool, default=True
        Raise when only one class is present (most imbalance metrics are
        undefined or misleading then).

    Returns
    -------
    ndarray of int64, shape (n_samples,)
        No copy when ``y`` already is an int64 array.

    Examples
    --------
    >>> check_binary_labels([0, 1, 1])
    array([0, 1, 1])
    """
    arr = check_1d(y, name)
    if arr.dtype.kind not in "biuf":  # bool, signed, unsigned, float
        raise ValueError(f"{name} must hold numeric 0/1 labels, got dtype {arr.dtype}.")
    if arr.dtype.kind == "f":
        if np.isnan(arr).any():
            raise ValueError(f"{name} contains NaN.")
        valid = bool(((arr == 0) | (arr == 1)).all())
    else:
        valid = bool(arr.min() >= 0 and arr.max() <= 1)
    if not valid:
        # Only on the error path: np.unique sorts, too slow to run on every call.
        bad = np.unique(arr[(arr != 0) & (arr != 1)])[:5].tolist()
        raise ValueError(
            f"{name} must contain only the labels 0 and 1; found {bad}. "
            "Encode the rare (positive) class as 1."
        )
    labels = arr.astype(np.int64, copy=False)
    if require_both:
        n_pos = int(np.count_nonzero(labels))
        if n_pos in (0, labels.size):
            raise ValueError(
                f"{name} has only one class ({int(n_pos > 0)}); both 0 and 1 are needed."
            )
    return labels


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


def check_same_length(**arrays):
    """Raise ``ValueError`` unless all keyword arrays have the same length.

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
    lengths = {k: len(v) for k, v in arrays.items() if v is not None}
    if len(set(lengths.values())) > 1:
        desc = ", ".join(f"{k} has {n}" for k, n in lengths.items())
        raise ValueError(f"Inputs must have the same length: {desc}.")
    return next(iter(lengths.values())) if lengths else 0


def check_array_2d(X, name="X"):
    """Return ``X`` as a 2-D float array without NaN, or raise ``ValueError``.

    Parameters
    ----------
    X : array-like of shape (n_samples, n_features)
        Numeric features, at least one row, all finite.
    name : str, default="X"
        Parameter name used in error messages.

    Returns
    -------
    ndarray of float64, shape (n_samples, n_features)

    Examples
    --------
    >>> check_array_2d([[1, 2], [3, 4]]).shape
    (2, 2)
    """
    try:
        arr = np.asarray(X, dtype=np.float64)
    except (TypeError, ValueError):
        raise ValueError(f"{name} must be numeric.") from None
    if arr.ndim != 2:
        raise ValueError(f"{name} must be 2-D (n_samples, n_features), got shape {arr.shape}.")
    if arr.shape[0] == 0:
        raise ValueError(f"{name} is empty.")
    if not np.isfinite(arr).all():
        raise ValueError(f"{name} contains NaN or infinite values.")
    return arr


def check_positive_int(value, name, *, minimum=1):
    """Return ``value`` as an int ``>= minimum``, or raise ``ValueError``.

    Parameters
    ----------
    value : int
        An integer (``bool`` and whole floats such as ``2.0`` are refused).
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
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        raise ValueError(f"{name} must be an integer, got {value!r}.")
    if value < minimum:
        raise ValueError(f"{name} must be >= {minimum}, got {value}.")
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
    if isinstance(value, bool) or not isinstance(value, numbers.Real) or np.isnan(value):
        raise ValueError(f"{name} must be a number, got {value!r}.")
    lo_ok = value >= low if closed in ("left", "both") else value > low
    hi_ok = value <= high if closed in ("right", "both") else value < high
    if not (lo_ok and hi_ok):
        lb = "[" if closed in ("left", "both") else "("
        rb = "]" if closed in ("right", "both") else ")"
        raise ValueError(f"{name} must lie in {lb}{low}, {high}{rb}, got {value}.")
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
    if isinstance(value, bool) or not isinstance(value, numbers.Real) or np.isnan(value):
        raise ValueError(f"{name} must be a number, got {value!r}.")
    if value < 0:
        raise ValueError(f"{name} must be >= 0, got {value}.")
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
    if value not in choices:
        raise ValueError(f"{name} must be one of {list(choices)}, got {value!r}.")
    return value


def check_random_state(random_state, name="random_state"):
    """Return a :class:`numpy.random.Generator` for ``random_state``.

    Parameters
    ----------
    random_state : None, int, numpy.random.Generator or numpy.random.RandomState
        ``None`` for fresh entropy, a non-negative int seed, or a generator
        (a ``Generator`` is wrapped without reseeding it).
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
    if isinstance(random_state, numbers.Integral) and not isinstance(random_state, bool):
        if random_state < 0:
            raise ValueError(f"{name} must be a non-negative integer, got {random_state}.")
        return np.random.default_rng(int(random_state))
    if isinstance(random_state, np.random.RandomState):
        return np.random.default_rng(random_state.randint(2**31 - 1))
    raise ValueError(f"{name} must be None, an int or a numpy Generator, got {random_state!r}.")
