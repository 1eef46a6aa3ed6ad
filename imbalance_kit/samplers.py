"""Resampling: a reference SMOTE, random over/under-sampling, a registry of
imbalanced-learn samplers, and PyTorch batch samplers.

What is here
------------
- :class:`SMOTE` and its core :func:`smote_interpolate` -- a readable numpy
  SMOTE (Chawla et al., 2002) that follows imbalanced-learn's conventions.
  It is the reference the graded SMOTE exercise is checked against, so its
  algorithm is spelled out step by step below.
- :func:`random_oversample`, :func:`random_undersample` -- references for the
  hand-written random resampling exercise.
- :func:`resample_with_origin` -- run any sampler and flag which output rows
  are synthetic (not copies of an input row), for plots.
- :func:`make_sampler` and :data:`SAMPLER_NAMES` -- one place to build every
  sampler the course compares.
- :class:`ClassBalancedBatchSampler`, :func:`make_weighted_sampler` -- balanced
  mini-batches for PyTorch (imbalanced-learn does not serve torch).

Resample the TRAINING part only: synthetic or duplicated rows in a validation
or test set make every metric computed on it meaningless.

``import imbalance_kit.samplers`` does not import torch; the two PyTorch
helpers import it on first use.

The SMOTE algorithm, step by step
---------------------------------
Given the minority rows ``X_min`` (``n_min`` rows) and the number of synthetic
rows wanted, ``n_new``:

1. For every minority row ``i``, find its ``k_neighbors`` nearest OTHER
   minority rows (Euclidean distance; the row itself is excluded, a
   duplicate of it is not). ``nn[i]`` is that list of ``k`` row numbers,
   nearest first. Majority rows play no part.
2. Draw, with one ``numpy.random.Generator`` seeded by ``random_state``, in
   this order:

   a. ``base = rng.integers(0, n_min, size=n_new)`` -- the base row of each
      synthetic point, uniformly among minority rows (with replacement);
   b. ``column = rng.integers(0, k, size=n_new)`` -- which of the base row's
      ``k`` neighbours to use, uniformly;
   c. ``gap = rng.random(n_new)`` -- a position in [0, 1) along the segment.

3. ``neighbor = nn[base, column]`` and, row by row,
   ``X_new = X_min[base] + gap * (X_min[neighbor] - X_min[base])``:
   every synthetic point lies on the segment from its base row to one of
   the base row's ``k`` nearest minority neighbours.
4. :meth:`SMOTE.fit_resample` returns the original rows first, in their
   original order, and the ``n_new`` synthetic rows appended at the end,
   labelled with the minority class.

imbalanced-learn's ``SMOTE`` follows the same recipe (its random draws come
from a legacy ``RandomState`` in a different order, so the two agree in
distribution, not point by point).
"""

from __future__ import annotations

import inspect
import numbers

import numpy as np

from imbalance_kit.validation import (
    check_1d,
    check_array_2d,
    check_binary_labels,
    check_nonnegative,
    check_positive_int,
    check_random_state,
    check_same_length,
)

__all__ = [
    "SAMPLER_NAMES",
    "SMOTE",
    "ClassBalancedBatchSampler",
    "make_sampler",
    "make_weighted_sampler",
    "random_oversample",
    "random_undersample",
    "resample_with_origin",
    "smote_interpolate",
]


# ---------------------------------------------------------------------------
# Shared input handling
# ---------------------------------------------------------------------------

def _check_X_y(X, y):
    """Validate a feature matrix and binary 0/1 labels of the same length."""
    X = check_array_2d(X, "X")
    y = check_binary_labels(y, "y")
    check_same_length(X=X, y=y)
    return X, y


def _minority_majority(y):
    """Return ``(minority_label, n_minority, majority_label, n_majority)``.

    The minority is the class with fewer rows (class 1 on a tie), as in
    imbalanced-learn, which decides by counts and not by label.
    """
    n_pos = int(np.count_nonzero(y))
    n_neg = y.size - n_pos
    if n_pos <= n_neg:
        return 1, n_pos, 0, n_neg
    return 0, n_neg, 1, n_pos


def _n_synthetic(sampling_strategy, n_minority, n_majority):
    """Number of minority rows to add for a SMOTE ``sampling_strategy``.

    ``"auto"`` (or ``"minority"``): ``n_majority - n_minority`` (balance).
    A float ``r`` in (0, 1]: ``int(r * n_majority - n_minority)``, so that
    minority/majority is ``r`` afterwards (imbalanced-learn's rounding); it
    must ask for at least one new row, as imbalanced-learn requires.
    """
    if isinstance(sampling_strategy, str):
        if sampling_strategy not in ("auto", "minority"):
            raise ValueError(
                "sampling_strategy must be 'auto', 'minority' or a float in (0, 1], "
                f"got {sampling_strategy!r}."
            )
        return n_majority - n_minority
    if (
        isinstance(sampling_strategy, bool)
        or not isinstance(sampling_strategy, numbers.Real)
        or not 0 < sampling_strategy <= 1
    ):
        raise ValueError(
            "sampling_strategy must be 'auto', 'minority' or a float in (0, 1] "
            f"(the minority/majority ratio wanted after resampling), got {sampling_strategy!r}."
        )
    n_new = int(sampling_strategy * n_majority - n_minority)
    if n_new <= 0:
        raise ValueError(
            f"sampling_strategy={sampling_strategy} asks for no new minority rows: "
            f"the ratio is already {n_minority / n_majority:.4g} "
            f"({n_minority} minority / {n_majority} majority). Use a larger ratio."
        )
    return n_new


# ---------------------------------------------------------------------------
# Reference SMOTE
# ---------------------------------------------------------------------------

def _minority_neighbors(X_minority, k_neighbors):
    """Indices (n_min, k) of each minority row's k nearest OTHER minority rows."""
    from sklearn.neighbors import NearestNeighbors

    # kneighbors() without a query excludes each training row from its own
    # neighbours by index (not by distance), so exact duplicates still count
    # as neighbours -- the same rule as imbalanced-learn's SMOTE.
    nn = NearestNeighbors(n_neighbors=k_neighbors).fit(X_minority)
    return nn.kneighbors(return_distance=False)


def _check_k_neighbors(k_neighbors, n_minority):
    k_neighbors = check_positive_int(k_neighbors, "k_neighbors")
    if n_minority < k_neighbors + 1:
        raise ValueError(
            f"k_neighbors={k_neighbors} needs at least {k_neighbors + 1} minority "
            f"samples (each point plus {k_neighbors} neighbours), but the minority "
            f"class has only {n_minority}. Lower k_neighbors to at most "
            f"{max(n_minority - 1, 0)}."
        )
    return k_neighbors


def _draw_smote(X_minority, n_new, k_neighbors, rng, out=None):
    """Steps 1-3 of the algorithm; writes the new rows into ``out`` if given."""
    nn = _minority_neighbors(X_minority, k_neighbors)
    base = rng.integers(0, X_minority.shape[0], size=n_new)
    column = rng.integers(0, k_neighbors, size=n_new)
    gap = rng.random(n_new)
    neighbor = nn[base, column]

    if out is None:
        out = np.empty((n_new, X_minority.shape[1]), dtype=np.float64)
    # X_base + gap * (X_neighbor - X_base), computed in place in `out` so that
    # a 280k-row result is built with a single temporary array.
    base_rows = X_minority[base]
    np.take(X_minority, neighbor, axis=0, out=out)
    out -= base_rows
    out *= gap[:, None]
    out += base_rows
    return out, base, neighbor, gap, nn


def smote_interpolate(X_minority, n_new, *, k_neighbors=5, random_state=None):
    """Create ``n_new`` synthetic points by SMOTE interpolation.

    Each synthetic point is

    .. math:: x_{new} = x_{base} + g \\, (x_{nbr} - x_{base}), \\quad g \\sim U[0, 1)

    where ``x_base`` is a minority row drawn uniformly and ``x_nbr`` one of
    its ``k_neighbors`` nearest minority neighbours (itself excluded), drawn
    uniformly. The exact steps and the order of the random draws are listed
    in the module docstring (``help(imbalance_kit.samplers)``).

    Parameters
    ----------
    X_minority : array-like of shape (n_minority, n_features)
        The minority-class rows only.
    n_new : int
        Number of synthetic points to create (0 is allowed).
    k_neighbors : int, default=5
        Number of nearest minority neighbours to choose from.
    random_state : int, numpy.random.Generator or None, default=None
        Seed of the random draws.

    Returns
    -------
    X_new : ndarray of shape (n_new, n_features)
        The synthetic points.
    base_index : ndarray of shape (n_new,)
        Row of ``X_minority`` each point starts from.
    neighbor_index : ndarray of shape (n_new,)
        Row of ``X_minority`` each point moves towards.
    gap : ndarray of shape (n_new,)
        Position along the segment, in [0, 1).

    Raises
    ------
    ValueError
        If ``X_minority`` has fewer than ``k_neighbors + 1`` rows, or a
        parameter is invalid.

    Examples
    --------
    >>> X_min = [[0.0, 0.0], [1.0, 0.0], [0.0, 1.0], [1.0, 1.0]]
    >>> X_new, base, nbr, gap = smote_interpolate(X_min, 3, k_neighbors=2, random_state=0)
    >>> X_new.shape
    (3, 2)
    >>> import numpy as np
    >>> X_min = np.asarray(X_min)
    >>> np.allclose(X_new, X_min[base] + gap[:, None] * (X_min[nbr] - X_min[base]))
    True
    """
    X_minority = check_array_2d(X_minority, "X_minority")
    n_new = check_positive_int(n_new, "n_new", minimum=0)
    k_neighbors = _check_k_neighbors(k_neighbors, X_minority.shape[0])
    rng = check_random_state(random_state)
    X_new, base, neighbor, gap, _ = _draw_smote(X_minority, n_new, k_neighbors, rng)
    return X_new, base, neighbor, gap


class SMOTE:
    """Reference SMOTE over-sampler for binary 0/1 labels (numpy).

    Synthetic Minority Over-sampling TEchnique (Chawla et al., 2002): new
    minority points on segments between a minority point and one of its
    ``k_neighbors`` nearest minority neighbours (see
    :func:`smote_interpolate` and the module docstring for the exact steps).
    Same conventions as ``imblearn.over_sampling.SMOTE``.

    Parameters
    ----------
    k_neighbors : int, default=5
        Number of nearest minority neighbours to interpolate towards. The
        minority class needs at least ``k_neighbors + 1`` rows.
    sampling_strategy : "auto", "minority" or float, default="auto"
        ``"auto"``/``"minority"``: add minority rows until both classes have
        the majority's count. A float ``r`` in (0, 1]: add
        ``int(r * n_majority - n_minority)`` rows, so that
        minority/majority is ``r`` afterwards (must add at least one row).
    random_state : int, numpy.random.Generator or None, default=None
        Seed; a given int gives the same result every time.

    Attributes
    ----------
    minority_class_ : int
        Label of the minority class (the class with fewer rows).
    n_synthetic_ : int
        Number of synthetic rows appended by the last :meth:`fit_resample`.
    minority_index_ : ndarray
        Positions in ``X`` of the minority rows (``X_minority = X[minority_index_]``).
    base_index_, neighbor_index_, gap_ : ndarray of shape (n_synthetic_,)
        For synthetic row ``j``: its base and neighbour, as rows of
        ``X[minority_index_]``, and its gap (see :func:`smote_interpolate`).
    neighbors_ : ndarray of shape (n_minority, k_neighbors)
        Each minority row's nearest minority neighbours, nearest first.

    Examples
    --------
    >>> import numpy as np
    >>> rng = np.random.default_rng(0)
    >>> X = rng.normal(size=(100, 2))
    >>> y = np.r_[np.zeros(90, int), np.ones(10, int)]
    >>> X_res, y_res = SMOTE(random_state=0).fit_resample(X, y)
    >>> np.bincount(y_res).tolist()
    [90, 90]
    >>> bool((X_res[:100] == X).all())   # originals first, synthetic rows appended
    True
    """

    def __init__(self, k_neighbors=5, sampling_strategy="auto", random_state=None):
        # Stored as given and checked in fit_resample, as scikit-learn does.
        self.k_neighbors = k_neighbors
        self.sampling_strategy = sampling_strategy
        self.random_state = random_state

    def __repr__(self):
        return (
            f"SMOTE(k_neighbors={self.k_neighbors!r}, "
            f"sampling_strategy={self.sampling_strategy!r}, "
            f"random_state={self.random_state!r})"
        )

    def get_params(self, deep=True):
        """Parameters as a dict (scikit-learn convention).

        Examples
        --------
        >>> SMOTE(k_neighbors=3).get_params()["k_neighbors"]
        3
        """
        return {
            "k_neighbors": self.k_neighbors,
            "sampling_strategy": self.sampling_strategy,
            "random_state": self.random_state,
        }

    def set_params(self, **params):
        """Set parameters (scikit-learn convention); returns ``self``.

        Examples
        --------
        >>> SMOTE().set_params(k_neighbors=3).k_neighbors
        3
        """
        valid = self.get_params()
        for key, value in params.items():
            if key not in valid:
                raise ValueError(f"Invalid parameter {key!r} for SMOTE; valid: {sorted(valid)}.")
            setattr(self, key, value)
        return self

    def fit_resample(self, X, y):
        """Return ``X, y`` with synthetic minority rows appended.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
            Numeric features without NaN.
        y : array-like of shape (n_samples,)
            Labels 0/1, both present.

        Returns
        -------
        X_res : ndarray of shape (n_samples + n_synthetic_, n_features)
            The rows of ``X`` (float64, same order) followed by the synthetic rows.
        y_res : ndarray of shape (n_samples + n_synthetic_,)
            ``y`` followed by the minority label repeated ``n_synthetic_`` times.

        Examples
        --------
        >>> import numpy as np
        >>> X = np.arange(20.0).reshape(10, 2)
        >>> y = np.array([0] * 7 + [1] * 3)
        >>> X_res, y_res = SMOTE(k_neighbors=2, random_state=0).fit_resample(X, y)
        >>> X_res.shape, int(y_res.sum())
        ((14, 2), 7)
        """
        X, y = _check_X_y(X, y)
        minority, n_min, _, n_maj = _minority_majority(y)
        n_new = _n_synthetic(self.sampling_strategy, n_min, n_maj)
        k = _check_k_neighbors(self.k_neighbors, n_min)
        rng = check_random_state(self.random_state)

        minority_index = np.flatnonzero(y == minority)
        n = X.shape[0]
        # Build the output once: originals on top, synthetic rows written
        # straight into the bottom block (no vstack of a 280k-row array).
        X_res = np.empty((n + n_new, X.shape[1]), dtype=np.float64)
        X_res[:n] = X
        _, base, neighbor, gap, nn = _draw_smote(
            X[minority_index], n_new, k, rng, out=X_res[n:]
        )
        y_res = np.empty(n + n_new, dtype=y.dtype)
        y_res[:n] = y
        y_res[n:] = minority

        self.minority_class_ = minority
        self.n_synthetic_ = n_new
        self.minority_index_ = minority_index
        self.base_index_ = base
        self.neighbor_index_ = neighbor
        self.gap_ = gap
        self.neighbors_ = nn
        return X_res, y_res


# ---------------------------------------------------------------------------
# Random over- and under-sampling (references for the hand-written exercise)
# ---------------------------------------------------------------------------

def random_oversample(X, y, *, random_state=None):
    """Balance the classes by duplicating random minority rows.

    Draws ``n_majority - n_minority`` minority rows uniformly WITH
    replacement (``rng.choice(minority_rows, size, replace=True)``) and
    appends copies of them after all the original rows, as
    ``imblearn.over_sampling.RandomOverSampler`` does.

    Parameters
    ----------
    X : array-like of shape (n_samples, n_features)
        Numeric features.
    y : array-like of shape (n_samples,)
        Labels 0/1, both present.
    random_state : int, numpy.random.Generator or None, default=None
        Seed of the draw.

    Returns
    -------
    X_res : ndarray of shape (2 * n_majority, n_features)
    y_res : ndarray of shape (2 * n_majority,)

    Examples
    --------
    >>> import numpy as np
    >>> X = np.arange(10.0).reshape(5, 2)
    >>> X_res, y_res = random_oversample(X, [0, 0, 0, 1, 1], random_state=0)
    >>> np.bincount(y_res).tolist()
    [3, 3]
    """
    X, y = _check_X_y(X, y)
    rng = check_random_state(random_state)
    minority, n_min, _, n_maj = _minority_majority(y)
    extra = rng.choice(np.flatnonzero(y == minority), size=n_maj - n_min, replace=True)
    keep = np.concatenate([np.arange(y.size), extra])
    return X[keep], y[keep]


def random_undersample(X, y, *, random_state=None):
    """Balance the classes by keeping a random subset of the majority rows.

    Keeps every minority row and ``n_minority`` majority rows drawn
    uniformly WITHOUT replacement; the kept rows stay in their original
    order (imbalanced-learn's ``RandomUnderSampler`` groups them by class
    instead; the set of rows is what matters).

    Parameters
    ----------
    X : array-like of shape (n_samples, n_features)
        Numeric features.
    y : array-like of shape (n_samples,)
        Labels 0/1, both present.
    random_state : int, numpy.random.Generator or None, default=None
        Seed of the draw.

    Returns
    -------
    X_res : ndarray of shape (2 * n_minority, n_features)
    y_res : ndarray of shape (2 * n_minority,)

    Examples
    --------
    >>> import numpy as np
    >>> X = np.arange(10.0).reshape(5, 2)
    >>> X_res, y_res = random_undersample(X, [0, 0, 0, 1, 1], random_state=0)
    >>> np.bincount(y_res).tolist()
    [2, 2]
    """
    X, y = _check_X_y(X, y)
    rng = check_random_state(random_state)
    minority, n_min, majority, _ = _minority_majority(y)
    kept_majority = rng.choice(np.flatnonzero(y == majority), size=n_min, replace=False)
    keep = np.sort(np.concatenate([np.flatnonzero(y == minority), kept_majority]))
    return X[keep], y[keep]


# ---------------------------------------------------------------------------
# Which rows did a sampler make up?
# ---------------------------------------------------------------------------

def _row_keys(A):
    """One opaque bytes value per row: equal rows <=> equal keys (exact)."""
    # +0.0 turns -0.0 into 0.0 so that the two zeros compare equal as bytes.
    A = np.ascontiguousarray(A, dtype=np.float64) + 0.0
    return A.view(np.dtype((np.void, A.dtype.itemsize * A.shape[1]))).ravel()


def _find_rows(X, X_res):
    """For each row of ``X_res``, the index of an identical row of ``X`` or -1."""
    keys_X = _row_keys(X)
    keys_res = _row_keys(X_res)
    unique_keys, first = np.unique(keys_X, return_index=True)
    pos = np.minimum(np.searchsorted(unique_keys, keys_res), unique_keys.size - 1)
    found = unique_keys[pos] == keys_res
    return np.where(found, first[pos], -1)


def resample_with_origin(sampler, X, y, *, return_source=False):
    """Resample with any sampler and flag the synthetic output rows.

    A row of the output is **synthetic** when it is not an exact copy of
    some input row. Hence a duplicate made by random over-sampling is NOT
    synthetic (it is a real row seen twice), nor is any row kept by an
    under-sampler; SMOTE-family points are synthetic. (A SMOTE point that
    happens to equal an input row exactly -- e.g. interpolated between two
    identical rows -- is a copy and is not flagged.)

    How: when the sampler exposes ``sample_indices_`` (imbalanced-learn's
    under-samplers and ``RandomOverSampler``), output row ``i`` is input row
    ``sample_indices_[i]``; otherwise rows are matched by their exact bytes
    (a vectorised ``np.unique``/``searchsorted`` on row keys, float64).

    Parameters
    ----------
    sampler : object with ``fit_resample(X, y)``
        An imbalanced-learn sampler, :class:`SMOTE`, or a pipeline-like object.
    X : array-like of shape (n_samples, n_features)
        Numeric features.
    y : array-like of shape (n_samples,)
        Labels.
    return_source : bool, default=False
        Also return, for each output row, the index of the input row it
        copies (-1 for synthetic rows; for a row equal to several input
        rows, one of them).

    Returns
    -------
    X_res, y_res : as returned by ``sampler.fit_resample``
    is_synthetic : ndarray of bool, shape (n_resampled,)
    source_index : ndarray of int, shape (n_resampled,)
        Only when ``return_source=True``.

    Examples
    --------
    >>> import numpy as np
    >>> rng = np.random.default_rng(0)
    >>> X = rng.normal(size=(50, 2))
    >>> y = np.r_[np.zeros(40, int), np.ones(10, int)]
    >>> X_res, y_res, is_syn = resample_with_origin(SMOTE(random_state=0), X, y)
    >>> int(is_syn.sum()), bool(is_syn[:50].any())
    (30, False)
    """
    if not hasattr(sampler, "fit_resample"):
        raise TypeError(
            f"sampler must have a fit_resample(X, y) method, got {type(sampler).__name__}."
        )
    X_arr = check_array_2d(X, "X")
    check_same_length(X=X_arr, y=np.asarray(y).ravel())
    X_res, y_res = sampler.fit_resample(X, y)
    X_res_arr = check_array_2d(X_res, "X_res (the sampler's output)")
    if X_res_arr.shape[1] != X_arr.shape[1]:
        raise ValueError(
            f"The sampler changed the number of columns ({X_arr.shape[1]} -> "
            f"{X_res_arr.shape[1]}); rows cannot be matched."
        )

    indices = getattr(sampler, "sample_indices_", None)
    if indices is not None and len(indices) == X_res_arr.shape[0]:
        source = np.asarray(indices, dtype=np.int64)
    else:
        source = _find_rows(X_arr, X_res_arr)
    is_synthetic = source < 0
    if return_source:
        return X_res, y_res, is_synthetic, source
    return X_res, y_res, is_synthetic


# ---------------------------------------------------------------------------
# Registry of the samplers the course compares
# ---------------------------------------------------------------------------

# name -> (module, class). Imported on demand: imbalanced-learn is slow to import.
_SAMPLERS = {
    "random_over": ("imblearn.over_sampling", "RandomOverSampler"),
    "random_under": ("imblearn.under_sampling", "RandomUnderSampler"),
    "smote": ("imblearn.over_sampling", "SMOTE"),
    "borderline_smote": ("imblearn.over_sampling", "BorderlineSMOTE"),
    "svm_smote": ("imblearn.over_sampling", "SVMSMOTE"),
    "adasyn": ("imblearn.over_sampling", "ADASYN"),
    "tomek": ("imblearn.under_sampling", "TomekLinks"),
    "enn": ("imblearn.under_sampling", "EditedNearestNeighbours"),
    "smote_tomek": ("imblearn.combine", "SMOTETomek"),
    "smote_enn": ("imblearn.combine", "SMOTEENN"),
    "reference_smote": ("imbalance_kit.samplers", "SMOTE"),
}

#: Names accepted by :func:`make_sampler`, in the order the course presents them.
SAMPLER_NAMES = tuple(_SAMPLERS)


def make_sampler(name, *, random_state=None, **params):
    """Build one of the samplers the course compares, by name.

    ======================  ==================================================
    name                    class
    ======================  ==================================================
    ``"random_over"``       ``imblearn.over_sampling.RandomOverSampler``
    ``"random_under"``      ``imblearn.under_sampling.RandomUnderSampler``
    ``"smote"``             ``imblearn.over_sampling.SMOTE``
    ``"borderline_smote"``  ``imblearn.over_sampling.BorderlineSMOTE``
    ``"svm_smote"``         ``imblearn.over_sampling.SVMSMOTE``
    ``"adasyn"``            ``imblearn.over_sampling.ADASYN``
    ``"tomek"``             ``imblearn.under_sampling.TomekLinks``
    ``"enn"``               ``imblearn.under_sampling.EditedNearestNeighbours``
    ``"smote_tomek"``       ``imblearn.combine.SMOTETomek``
    ``"smote_enn"``         ``imblearn.combine.SMOTEENN``
    ``"reference_smote"``   :class:`imbalance_kit.samplers.SMOTE`
    ======================  ==================================================

    Parameters
    ----------
    name : str
        One of :data:`SAMPLER_NAMES`.
    random_state : int or None, default=None
        Passed to samplers that take one; ignored by the deterministic ones
        (``"tomek"``, ``"enn"``), so a loop over all names can pass it.
    **params
        Other constructor parameters of that class (e.g. ``k_neighbors=3``).

    Returns
    -------
    sampler : object with ``fit_resample(X, y)``

    Examples
    --------
    >>> make_sampler("smote", random_state=0, k_neighbors=3)
    SMOTE(k_neighbors=3, random_state=0)
    >>> [make_sampler(n, random_state=0).__class__.__name__ for n in ("tomek", "adasyn")]
    ['TomekLinks', 'ADASYN']
    """
    if not isinstance(name, str) or name not in _SAMPLERS:
        raise ValueError(f"Unknown sampler name {name!r}; valid names: {list(SAMPLER_NAMES)}.")
    import importlib

    module, class_name = _SAMPLERS[name]
    cls = getattr(importlib.import_module(module), class_name)
    accepted = set(inspect.signature(cls.__init__).parameters) - {"self"}
    unknown = sorted(set(params) - accepted)
    if unknown:
        raise ValueError(
            f"Unknown parameter(s) {unknown} for sampler {name!r} ({class_name}); "
            f"valid: {sorted(accepted)}."
        )
    if "random_state" in accepted:
        params["random_state"] = random_state
    return cls(**params)


# ---------------------------------------------------------------------------
# PyTorch samplers (torch imported on first use)
# ---------------------------------------------------------------------------

def _check_labels_1d(labels, name="labels"):
    """Labels of any kind as a 1-D array with at least two classes."""
    arr = check_1d(labels.cpu() if hasattr(labels, "cpu") else labels, name)
    # np.unique would make NaN a class of its own: a missing label is an error.
    if arr.dtype.kind == "f" and np.isnan(arr).any():
        raise ValueError(f"{name} contains NaN.")
    classes, codes, counts = np.unique(arr, return_inverse=True, return_counts=True)
    if classes.size < 2:
        raise ValueError(f"{name} has only one class ({classes[0]!r}); at least two are needed.")
    return classes, codes.ravel(), counts


class _ClassBalancedBatches:
    """Balanced mini-batches of indices; see :class:`ClassBalancedBatchSampler`."""

    def __init__(self, labels, batch_size, *, n_batches=None, random_state=None):
        classes, codes, _ = _check_labels_1d(labels)
        batch_size = check_positive_int(batch_size, "batch_size")
        if batch_size % classes.size:
            raise ValueError(
                f"batch_size={batch_size} must be divisible by the number of classes "
                f"({classes.size}) so that every class gets the same share of a batch."
            )
        if n_batches is None:
            # As many batches as an ordinary epoch over the data would have.
            n_batches = -(-codes.size // batch_size)
        self.n_batches = check_positive_int(n_batches, "n_batches")
        self.batch_size = batch_size
        self.classes = classes
        self.per_class = batch_size // classes.size
        # Row numbers of each class.
        self._class_indices = [np.flatnonzero(codes == c) for c in range(classes.size)]
        self._rng = check_random_state(random_state)

    def __len__(self):
        return self.n_batches

    def _draw_class(self, indices):
        """``n_batches * per_class`` indices of one class: passes over the
        class in fresh random orders, as many passes as needed."""
        needed = self.n_batches * self.per_class
        n_passes = -(-needed // indices.size)
        passes = self._rng.permuted(np.tile(indices, (n_passes, 1)), axis=1)
        return passes.ravel()[:needed].reshape(self.n_batches, self.per_class)

    def __iter__(self):
        blocks = [self._draw_class(idx) for idx in self._class_indices]
        # Shuffle inside each batch so that classes are interleaved.
        batches = self._rng.permuted(np.concatenate(blocks, axis=1), axis=1)
        for batch in batches:
            yield batch.tolist()


_TORCH_CLASSES = {}


def _class_balanced_batch_sampler_class():
    """Build (once) the torch Sampler subclass; imports torch."""
    if "ClassBalancedBatchSampler" not in _TORCH_CLASSES:
        from torch.utils.data import Sampler

        cls = type(
            "ClassBalancedBatchSampler",
            (_ClassBalancedBatches, Sampler),
            {"__doc__": _CLASS_BALANCED_DOC, "__module__": __name__},
        )
        _TORCH_CLASSES["ClassBalancedBatchSampler"] = cls
    return _TORCH_CLASSES["ClassBalancedBatchSampler"]


_CLASS_BALANCED_DOC = """Batch sampler with the same number of rows from every class in each batch.

    A ``torch.utils.data.Sampler`` that yields lists of indices; pass it as
    ``DataLoader(dataset, batch_sampler=...)``. Each batch holds
    ``batch_size // n_classes`` indices of every class, shuffled. Within a
    class, indices are taken in a random order without repetition until the
    class is used up, then in a fresh random order: the majority class is
    (sub)sampled without replacement, the minority class is recycled, i.e.
    drawn with replacement across the epoch (each minority row is shown
    about equally often). Every ``iter()`` draws a new epoch; two samplers
    with the same ``random_state`` yield the same epochs.

    Parameters
    ----------
    labels : array-like or tensor of shape (n_samples,)
        Class label of each row of the dataset (any labels, >= 2 classes).
    batch_size : int
        Rows per batch; must be divisible by the number of classes.
    n_batches : int, optional
        Batches per epoch (``len(sampler)``); default
        ``ceil(n_samples / batch_size)``, the length of an ordinary epoch.
    random_state : int, numpy.random.Generator or None, default=None
        Seed of the draws.

    Examples
    --------
    >>> import numpy as np
    >>> labels = np.r_[np.zeros(95, int), np.ones(5, int)]
    >>> sampler = ClassBalancedBatchSampler(labels, batch_size=8, random_state=0)
    >>> len(sampler)
    13
    >>> [int(labels[b].sum()) for b in sampler][:3]
    [4, 4, 4]
    """


def __getattr__(name):
    # ClassBalancedBatchSampler subclasses torch's Sampler; it is built on
    # first access so that importing this module does not import torch.
    if name == "ClassBalancedBatchSampler":
        return _class_balanced_batch_sampler_class()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def __dir__():
    return sorted(list(globals()) + ["ClassBalancedBatchSampler"])


def make_weighted_sampler(labels, *, power=1.0, num_samples=None, replacement=True,
                          random_state=None):
    """A ``torch.utils.data.WeightedRandomSampler`` that re-balances classes.

    Row ``i`` of class ``c`` gets the weight ``w_i = (1 / n_c) ** power``,
    where ``n_c`` is the number of rows of class ``c``. With ``power=1``
    every class is drawn equally often in expectation (a positive fraction
    of about 1/2 for two classes); ``power=0`` is plain uniform sampling;
    values in between (e.g. 0.5) soften the re-balancing.

    Parameters
    ----------
    labels : array-like or tensor of shape (n_samples,)
        Class of each row (any labels, >= 2 classes).
    power : float, default=1.0
        Exponent of the inverse class frequency, >= 0.
    num_samples : int, optional
        Indices drawn per epoch; default ``len(labels)``.
    replacement : bool, default=True
        Draw with replacement (needed to show minority rows several times).
        Without replacement, ``num_samples`` may not exceed ``len(labels)``.
    random_state : int or None, default=None
        Seed of the sampler's own ``torch.Generator``; None uses torch's
        global random state.

    Returns
    -------
    torch.utils.data.WeightedRandomSampler
        Pass it as ``DataLoader(dataset, sampler=..., batch_size=...)``.

    Examples
    --------
    >>> import numpy as np
    >>> labels = np.r_[np.zeros(990, int), np.ones(10, int)]
    >>> sampler = make_weighted_sampler(labels, random_state=0)
    >>> drawn = labels[list(sampler)]
    >>> bool(0.4 < drawn.mean() < 0.6)
    True
    """
    import torch
    from torch.utils.data import WeightedRandomSampler

    _, codes, counts = _check_labels_1d(labels)
    power = check_nonnegative(power, "power")
    if num_samples is None:
        num_samples = codes.size
    num_samples = check_positive_int(num_samples, "num_samples")
    if not isinstance(replacement, (bool, np.bool_)):
        raise ValueError(f"replacement must be True or False, got {replacement!r}.")
    if not replacement and num_samples > codes.size:
        raise ValueError(
            f"num_samples={num_samples} exceeds the {codes.size} rows available "
            "without replacement; use replacement=True or a smaller num_samples."
        )
    generator = None
    if random_state is not None:
        if isinstance(random_state, bool) or not isinstance(random_state, numbers.Integral) \
                or random_state < 0:
            raise ValueError(
                f"random_state must be None or a non-negative int, got {random_state!r}."
            )
        generator = torch.Generator().manual_seed(int(random_state))

    weights = (1.0 / counts[codes]) ** power
    return WeightedRandomSampler(
        torch.as_tensor(weights, dtype=torch.float64),
        num_samples=num_samples,
        replacement=bool(replacement),
        generator=generator,
    )
