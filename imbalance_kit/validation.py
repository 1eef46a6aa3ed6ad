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

    Examples
    --------
    >>> check_binary_labels([0, 1, 1])
    array([0, 1, 1])
    """
    arr = np.asarray(y)
    if arr.ndim == 2 and arr.shape[1] == 1:
        arr = arr.ravel()
    if arr.ndim != 1:
        raise ValueError(f"{name} must be one-dimensional, got shape {arr.shape}.")
    if arr.size == 0:
        raise ValueError(f"{name} is empty.")
    if arr.dtype == object or not (np.issubdtype(arr.dtype, np.number) or arr.dtype == bool):
        raise ValueError(f"{name} must hold numeric 0/1 labels, got dtype {arr.dtype}.")
    if np.issubdtype(arr.dtype, np.floating) and np.isnan(arr).any():
        raise ValueError(f"{name} contains NaN.")
    values = np.unique(arr)
    bad = [v for v in values.tolist() if v not in (0, 1)]
    if bad:
        raise ValueError(
            f"{name} must contain only the labels 0 and 1; found {bad[:5]}. "
            "Encode the rare (positive) class as 1."
        )
    if require_both and values.size < 2:
        raise ValueError(
            f"{name} has only one class ({int(values[0])}); both 0 and 1 are needed."
        )
    return arr.astype(np.int64)


def check_scores(s, name="y_score", *, n=None, probability=False):
    """Return ``s`` as a 1-D float array of scores, or raise ``ValueError``.

    Parameters
    ----------
    s : array-like of shape (n_samples,)
        Scores (any real values) or probabilities.
    name : str
        Parameter name used in error messages.
    n : int, optional
        Expected length (usually ``len(y_true)``).
    probability : bool, default=False
        Require every value to lie in [0, 1].

    Examples
    --------
    >>> check_scores([0.1, 0.9], probability=True)
    array([0.1, 0.9])
    """
    arr = np.asarray(s)
    if arr.ndim == 2 and arr.shape[1] == 1:
        arr = arr.ravel()
    if arr.ndim != 1:
        raise ValueError(
            f"{name} must be one-dimensional, got shape {arr.shape}. "
            "For predict_proba output, pass the positive-class column: proba[:, 1]."
        )
    try:
        arr = arr.astype(np.float64)
    except (TypeError, ValueError):
        raise ValueError(f"{name} must be numeric, got dtype {arr.dtype}.") from None
    if n is not None and arr.size != n:
        raise ValueError(f"{name} has {arr.size} values but {n} were expected.")
    if not np.isfinite(arr).all():
        raise ValueError(f"{name} contains NaN or infinite values.")
    if probability and arr.size and (arr.min() < 0 or arr.max() > 1):
        raise ValueError(
            f"{name} must be probabilities in [0, 1]; found values in "
            f"[{arr.min():.3g}, {arr.max():.3g}]."
        )
    return arr


def check_same_length(**arrays):
    """Raise ``ValueError`` unless all keyword arrays have the same length.

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

    ``closed`` is one of ``"neither"``, ``"left"``, ``"right"``, ``"both"``.

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

    Accepts ``None`` (fresh entropy), an int seed, or a ``Generator``.

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
