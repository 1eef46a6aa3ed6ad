"""Resampling with numpy and imbalanced-learn: a reference SMOTE, random
over/under-sampling, row origins and a registry of imbalanced-learn samplers.

What is here
------------
- :class:`SMOTE` -- a readable SMOTE (Chawla et al., 2002) written as an
  imbalanced-learn over-sampler (a ``BaseOverSampler``): any labels,
  multi-class, every ``sampling_strategy`` form imbalanced-learn takes,
  pandas in gives pandas out, sparse matrices, and it runs inside an
  imbalanced-learn ``Pipeline``. Its algorithm, :meth:`SMOTE._fit_resample`
  and :func:`smote_interpolate`, is spelled out step by step below: it is
  the reference the graded SMOTE exercise is checked against.
- :func:`random_oversample`, :func:`random_undersample` -- references for the
  hand-written random resampling exercise.
- :func:`resample_with_origin` -- run any sampler and flag which output rows
  are synthetic (not copies of an input row), for plots.
- :func:`make_sampler` and :data:`SAMPLER_NAMES` -- one place to build every
  sampler the course compares.

The PyTorch batch samplers live in :mod:`imbalance_kit.torch_samplers`;
``import imbalance_kit.samplers`` does not import torch.

Resample the TRAINING part only: synthetic or duplicated rows in a validation
or test set make every metric computed on it meaningless.

The SMOTE algorithm, step by step
---------------------------------
For each class to over-sample, with ``X_c`` its rows (``n_c`` of them) and
``n_new`` the number of synthetic rows wanted for it (from
``sampling_strategy``: by default, enough to reach the majority's count):

1. For every row ``i`` of ``X_c``, find its ``k_neighbors`` nearest OTHER
   rows of the same class (Euclidean distance; the row itself is excluded,
   a duplicate of it is not). ``nn[i]`` is that list of ``k`` row numbers,
   nearest first. Rows of the other classes play no part.
2. Draw, with one ``numpy.random.Generator`` seeded by ``random_state``, in
   this order:

   a. ``base = rng.integers(0, n_c, size=n_new)`` -- the base row of each
      synthetic point, uniformly among the class's rows (with replacement);
   b. ``column = rng.integers(0, k, size=n_new)`` -- which of the base row's
      ``k`` neighbours to use, uniformly;
   c. ``gap = rng.random(n_new)`` -- a position in [0, 1) along the segment.

3. ``neighbor = nn[base, column]`` and, row by row,
   ``X_new = X_c[base] + gap * (X_c[neighbor] - X_c[base])``:
   every synthetic point lies on the segment from its base row to one of
   the base row's ``k`` nearest same-class neighbours.
4. :meth:`SMOTE.fit_resample` returns the original rows first, in their
   original order, then the synthetic rows of each over-sampled class (in
   the order of ``sampling_strategy_``), labelled with that class. With two
   classes only the minority is over-sampled, and the generator's draws are
   exactly steps 2a-2c.

imbalanced-learn's ``SMOTE`` follows the same recipe (its random draws come
from a legacy ``RandomState`` in a different order, so the two agree in
distribution, not point by point).
"""

from __future__ import annotations

import importlib
import inspect
import numbers

import numpy as np
from imblearn.over_sampling.base import BaseOverSampler
from scipy import sparse
from sklearn.utils import (
    check_array,
    check_consistent_length,
    check_random_state,
    check_scalar,
    column_or_1d,
)
from sklearn.utils._param_validation import Interval

__all__ = [
    "SAMPLER_NAMES",
    "SMOTE",
    "make_sampler",
    "random_oversample",
    "random_undersample",
    "resample_with_origin",
    "smote_interpolate",
]


# ---------------------------------------------------------------------------
# Input checks (scikit-learn's, with our messages where they say more)
# ---------------------------------------------------------------------------

def _check_dense_X(X, name, caller, alternative=""):
    """A numeric, finite 2-D array; a clear refusal for a sparse matrix."""
    if sparse.issparse(X):
        raise TypeError(
            f"{caller} does not support sparse input ({name} is a scipy.sparse "
            f"{X.format} matrix). Pass {name}.toarray() if it fits in memory"
            f"{alternative}."
        )
    return check_array(X, dtype="numeric", input_name=name)


def _check_labels(y, name="y"):
    """1-D labels of any kind, at least two classes, no missing label.

    Returns ``(y, classes, counts)`` with ``classes`` sorted.
    """
    y = column_or_1d(y, input_name=name)
    # np.unique would make NaN a class of its own: a missing label is an error.
    if y.dtype.kind == "f" and np.isnan(y).any():
        raise ValueError(f"{name} contains NaN: every row needs a label.")
    classes, counts = np.unique(y, return_counts=True)
    if classes.size < 2:
        raise ValueError(
            f"{name} has only one class ({classes[0]!r}); resampling needs at least two."
        )
    return y, classes, counts


def _check_X_labels(X, y, caller, alternative=""):
    X = _check_dense_X(X, "X", caller, alternative)
    y, classes, counts = _check_labels(y)
    check_consistent_length(X, y)
    return X, y, classes, counts


def _as_generator(random_state, name="random_state"):
    """A ``numpy.random.Generator`` for ``random_state``.

    The kit draws with the Generator API, the one learners use
    (``np.random.default_rng(seed)``), so an int seed gives the same draws as
    ``np.random.default_rng(seed)``. A Generator is used as it is. ``None``
    and a ``RandomState`` follow scikit-learn's convention through
    ``sklearn.utils.check_random_state``: ``None`` draws from numpy's global
    random state (so ``np.random.seed`` makes a run reproducible).
    """
    if isinstance(random_state, np.random.Generator):
        return random_state
    if isinstance(random_state, numbers.Integral) and not isinstance(random_state, bool):
        check_scalar(random_state, name, numbers.Integral, min_val=0)
        return np.random.default_rng(int(random_state))
    if random_state is None or isinstance(random_state, np.random.RandomState):
        return np.random.default_rng(check_random_state(random_state).randint(2**31 - 1))
    raise ValueError(
        f"{name} must be None, a non-negative int, a numpy Generator or a RandomState, "
        f"got {random_state!r}."
    )


def _check_k_neighbors(k_neighbors, n_rows, label=None):
    """``k_neighbors`` as an int that the class (``n_rows`` rows) can serve."""
    check_scalar(k_neighbors, "k_neighbors", numbers.Integral, min_val=1)
    if isinstance(label, np.generic):
        label = label.item()                  # 'fraud', not np.str_('fraud')
    which = "the minority class" if label is None else f"class {label!r}"
    if n_rows < 2:
        raise ValueError(
            f"SMOTE needs at least 2 rows of a class to interpolate between them, but "
            f"{which} has only {n_rows}. Over-sample it by duplication instead "
            "(random_oversample or imblearn's RandomOverSampler), or leave it out of "
            "sampling_strategy."
        )
    if n_rows < k_neighbors + 1:
        raise ValueError(
            f"k_neighbors={k_neighbors} needs at least {k_neighbors + 1} rows of {which} "
            f"(each point plus {k_neighbors} neighbours), but it has only {n_rows}. "
            f"Lower k_neighbors to at most {n_rows - 1}."
        )
    return int(k_neighbors)


# ---------------------------------------------------------------------------
# Reference SMOTE
# ---------------------------------------------------------------------------

def _same_class_neighbors(X_class, k_neighbors):
    """Step 1: indices (n_c, k) of each row's k nearest OTHER rows of its class."""
    from sklearn.neighbors import NearestNeighbors

    # kneighbors() without a query excludes each training row from its own
    # neighbours by index (not by distance), so exact duplicates still count
    # as neighbours -- the same rule as imbalanced-learn's SMOTE.
    nn = NearestNeighbors(n_neighbors=k_neighbors).fit(X_class)
    return nn.kneighbors(return_distance=False)


def _draw_smote(X_class, n_new, k_neighbors, rng, out=None):
    """Steps 1-3 of the algorithm for one class.

    Returns ``(X_new, base, neighbor, gap, nn)``, with ``base`` and
    ``neighbor`` as row numbers of ``X_class``. A dense result is written
    into ``out`` when it is given.
    """
    nn = _same_class_neighbors(X_class, k_neighbors)              # step 1
    base = rng.integers(0, X_class.shape[0], size=n_new)          # step 2a
    column = rng.integers(0, k_neighbors, size=n_new)             # step 2b
    gap = rng.random(n_new)                                       # step 2c
    neighbor = nn[base, column]                                   # step 3

    if sparse.issparse(X_class):
        # The same formula with sparse rows; diags(gap) scales row j by gap[j].
        base_rows = X_class[base]
        X_new = base_rows + sparse.diags(gap) @ (X_class[neighbor] - base_rows)
        return X_new.asformat(X_class.format), base, neighbor, gap, nn

    if out is None:
        dtype = X_class.dtype if X_class.dtype.kind == "f" else np.float64
        out = np.empty((n_new, X_class.shape[1]), dtype=dtype)
    # Integer features give float points: interpolate in the output's dtype.
    X_class = X_class.astype(out.dtype, copy=False)
    # X_base + gap * (X_neighbor - X_base), computed in place in `out` so that
    # a 280k-row result is built with a single temporary array.
    base_rows = X_class[base]
    np.take(X_class, neighbor, axis=0, out=out)
    out -= base_rows
    out *= gap[:, None]
    out += base_rows
    return out, base, neighbor, gap, nn


def smote_interpolate(X_minority, n_new, *, k_neighbors=5, random_state=None):
    """Create ``n_new`` synthetic points by SMOTE interpolation.

    Each synthetic point is

    .. math:: x_{new} = x_{base} + g \\, (x_{nbr} - x_{base}), \\quad g \\sim U[0, 1)

    where ``x_base`` is a row of ``X_minority`` drawn uniformly and ``x_nbr``
    one of its ``k_neighbors`` nearest rows (itself excluded), drawn
    uniformly. The exact steps and the order of the random draws are listed
    in the module docstring (``help(imbalance_kit.samplers)``).

    Parameters
    ----------
    X_minority : array-like of shape (n_minority, n_features)
        The rows of one class only (dense; sparse input is not supported).
    n_new : int
        Number of synthetic points to create (0 is allowed).
    k_neighbors : int, default=5
        Number of nearest neighbours to choose from.
    random_state : int, numpy.random.Generator, RandomState or None, default=None
        Seed of the random draws; an int gives the draws of
        ``np.random.default_rng(random_state)``.

    Returns
    -------
    X_new : ndarray of shape (n_new, n_features)
        The synthetic points (float; the dtype of ``X_minority`` if it is float).
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
    X_minority = _check_dense_X(X_minority, "X_minority", "smote_interpolate",
                                alternative=", or use imbalance_kit.samplers.SMOTE, which "
                                "accepts sparse matrices")
    check_scalar(n_new, "n_new", numbers.Integral, min_val=0)
    k_neighbors = _check_k_neighbors(k_neighbors, X_minority.shape[0])
    rng = _as_generator(random_state)
    X_new, base, neighbor, gap, _ = _draw_smote(X_minority, int(n_new), k_neighbors, rng)
    return X_new, base, neighbor, gap


class SMOTE(BaseOverSampler):
    """Reference SMOTE over-sampler: readable numpy, imbalanced-learn's API.

    Synthetic Minority Over-sampling TEchnique (Chawla et al., 2002): new
    points of a class on segments between one of its rows and one of that
    row's ``k_neighbors`` nearest rows of the same class (the exact steps are
    in the module docstring; the code is :meth:`_fit_resample`). An
    imbalanced-learn ``BaseOverSampler``: it validates its input and its
    parameters as imbalanced-learn's samplers do, takes any labels (ints,
    strings, booleans) and several classes, and returns pandas objects for
    pandas input, lists for lists, sparse matrices for sparse matrices.

    Parameters
    ----------
    k_neighbors : int, default=5
        Number of nearest same-class neighbours to interpolate towards. Each
        over-sampled class needs at least ``k_neighbors + 1`` rows.
    sampling_strategy : float, str, dict or callable, default="auto"
        How many rows each class should have afterwards, as in
        imbalanced-learn:

        - ``"auto"`` (= ``"not majority"``): every class but the majority is
          brought up to the majority's count; ``"minority"``, ``"not
          minority"``, ``"all"``: likewise for those classes;
        - a float ``r`` in (0, 1], two classes only: the minority gets
          ``int(r * n_majority - n_minority)`` new rows, so that
          minority/majority is ``r`` afterwards (it must add at least one);
        - a dict ``{label: n_rows_wanted}``;
        - a callable ``f(y) -> dict`` of the same form.
    random_state : int, numpy.random.Generator, RandomState or None, default=None
        Seed. An int gives the draws of ``np.random.default_rng(random_state)``
        (the same result every time); None draws from numpy's global state,
        as scikit-learn does.

    Attributes
    ----------
    sampling_strategy_ : dict
        ``{label: number of synthetic rows}`` for each over-sampled class.
    minority_class_ : label
        The class with the fewest rows (on a tie, the last in sorted order).
    minority_index_ : ndarray
        Row numbers in ``X`` of the minority class.
    n_synthetic_ : int
        Number of synthetic rows appended by the last :meth:`fit_resample`.
    base_index_, neighbor_index_ : ndarray of shape (n_synthetic_,)
        For synthetic row ``j``: the rows of ``X`` it starts from and moves
        towards (both of its class), so that synthetic row ``j`` is
        ``X[base_index_[j]] + gap_[j] * (X[neighbor_index_[j]] - X[base_index_[j]])``.
    gap_ : ndarray of shape (n_synthetic_,)
        The position of each synthetic row on its segment, in [0, 1).
    neighbors_ : dict
        ``{label: ndarray of shape (n_rows_of_class, k_neighbors)}``: for each
        over-sampled class, the row numbers in ``X`` of each of its rows'
        nearest same-class neighbours, nearest first (row ``i`` of the array
        is the class's ``i``-th row in ``X``).
    n_features_in_ : int
        Number of features seen by :meth:`fit_resample`.
    feature_names_in_ : ndarray of shape (n_features_in_,)
        Column names of ``X``, when it is a DataFrame with string names.

    See Also
    --------
    imblearn.over_sampling.SMOTE : the library's SMOTE (same recipe, other draws).
    smote_interpolate : steps 1-3 for the rows of one class.

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

    Any labels, several classes, pandas in and out:

    >>> import pandas as pd
    >>> X_df = pd.DataFrame(rng.normal(size=(60, 2)), columns=["amount", "hour"])
    >>> y_s = pd.Series(["legit"] * 40 + ["fraud"] * 12 + ["chargeback"] * 8, name="label")
    >>> X_res, y_res = SMOTE(k_neighbors=3, random_state=0).fit_resample(X_df, y_s)
    >>> list(X_res.columns), y_res.value_counts().to_dict()
    (['amount', 'hour'], {'legit': 40, 'fraud': 40, 'chargeback': 40})
    """

    _parameter_constraints: dict = {
        **BaseOverSampler._parameter_constraints,
        "k_neighbors": [Interval(numbers.Integral, 1, None, closed="left")],
        # A numpy Generator too: the kit's functions take one everywhere.
        "random_state": ["random_state", np.random.Generator],
    }

    def __init__(self, k_neighbors=5, sampling_strategy="auto", random_state=None):
        super().__init__(sampling_strategy=sampling_strategy)
        self.k_neighbors = k_neighbors
        self.random_state = random_state

    def _check_X_y(self, X, y, accept_sparse=None):
        # imbalanced-learn's checks, then one of ours that says more than its
        # "The specified ratio required to remove samples ..." would.
        X, y, binarize_y = super()._check_X_y(X, y, accept_sparse=accept_sparse)
        ratio = self.sampling_strategy
        if isinstance(ratio, numbers.Real) and not isinstance(ratio, bool):
            classes, counts = np.unique(y, return_counts=True)
            if classes.size == 2:
                n_min, n_maj = counts.min(), counts.max()
                if int(ratio * n_maj - n_min) <= 0:
                    raise ValueError(
                        f"sampling_strategy={ratio} asks for no new minority rows: the "
                        f"minority/majority ratio is already {n_min / n_maj:.4g} ({n_min} "
                        f"minority / {n_maj} majority). Use a larger ratio."
                    )
        return X, y, binarize_y

    def _fit_resample(self, X, y):
        """SMOTE proper, on validated arrays: the steps of the module docstring.

        imbalanced-learn's :meth:`fit_resample` validates ``X`` and ``y``,
        turns ``sampling_strategy`` into ``self.sampling_strategy_`` (how many
        rows to add to each class), calls this method, and converts the
        result back to the input's type (pandas, list).
        """
        rng = _as_generator(self.random_state)
        classes, counts = np.unique(y, return_counts=True)
        n_class = dict(zip(classes.tolist(), counts.tolist()))
        todo = {label: n for label, n in self.sampling_strategy_.items() if n > 0}
        # Check every class before drawing anything.
        k = {label: _check_k_neighbors(self.k_neighbors, n_class[label], label)
             for label in todo}

        n, n_new_total = X.shape[0], sum(todo.values())
        is_sparse = sparse.issparse(X)
        # The result: the original rows on top, then one block of synthetic
        # rows per over-sampled class, in the order of sampling_strategy_.
        y_res = np.empty(n + n_new_total, dtype=y.dtype)
        y_res[:n] = y
        if is_sparse:
            blocks = [X]
        else:
            # Dense: allocate the output once and write each class's synthetic
            # rows straight into its block (no vstack of a 280k-row array).
            dtype = X.dtype if X.dtype.kind == "f" else np.float64
            X_res = np.empty((n + n_new_total, X.shape[1]), dtype=dtype)
            X_res[:n] = X

        base_index, neighbor_index, gaps, neighbors = [], [], [], {}
        start = n
        for label, n_new in todo.items():
            rows = np.flatnonzero(y == label)              # this class's rows in X
            block = slice(start, start + n_new)
            X_new, base, neighbor, gap, nn = _draw_smote(
                X[rows], n_new, k[label], rng, out=None if is_sparse else X_res[block])
            if is_sparse:
                blocks.append(X_new)
            y_res[block] = label
            # Row numbers within the class -> row numbers in X.
            base_index.append(rows[base])
            neighbor_index.append(rows[neighbor])
            gaps.append(gap)
            neighbors[label] = rows[nn]
            start += n_new
        if is_sparse:
            X_res = sparse.vstack(blocks, format=X.format)
            if X.dtype.kind == "f":
                X_res = X_res.astype(X.dtype, copy=False)

        self.minority_class_ = classes[np.flatnonzero(counts == counts.min())[-1]]
        self.minority_index_ = np.flatnonzero(y == self.minority_class_)
        self.n_synthetic_ = n_new_total
        self.base_index_ = np.concatenate(base_index or [np.empty(0, np.intp)])
        self.neighbor_index_ = np.concatenate(neighbor_index or [np.empty(0, np.intp)])
        self.gap_ = np.concatenate(gaps or [np.empty(0)])
        self.neighbors_ = neighbors
        return X_res, y_res


# ---------------------------------------------------------------------------
# Random over- and under-sampling (references for the hand-written exercise)
# ---------------------------------------------------------------------------

def random_oversample(X, y, *, random_state=None):
    """Balance the classes by duplicating random rows of the smaller classes.

    For two classes: draws ``n_majority - n_minority`` minority rows
    uniformly WITH replacement (``rng.choice(minority_rows, size,
    replace=True)``) and appends copies of them after all the original rows,
    as ``imblearn.over_sampling.RandomOverSampler`` does. With more classes,
    every class but the majority is topped up the same way, one class after
    the other in sorted label order.

    Parameters
    ----------
    X : array-like of shape (n_samples, n_features)
        Numeric features (dense; sparse input is not supported).
    y : array-like of shape (n_samples,)
        Labels of any kind (0/1, strings, ...), at least two classes.
    random_state : int, numpy.random.Generator, RandomState or None, default=None
        Seed of the draw; an int gives the draws of ``np.random.default_rng``.

    Returns
    -------
    X_res : ndarray of shape (n_classes * n_majority, n_features)
        The rows of ``X`` (same dtype), then the copies.
    y_res : ndarray of shape (n_classes * n_majority,)
        The labels, with the dtype of ``y``.

    Examples
    --------
    >>> import numpy as np
    >>> X = np.arange(10.0).reshape(5, 2)
    >>> X_res, y_res = random_oversample(X, [0, 0, 0, 1, 1], random_state=0)
    >>> np.bincount(y_res).tolist()
    [3, 3]
    """
    X, y, classes, counts = _check_X_labels(
        X, y, "random_oversample", ", or use imblearn.over_sampling.RandomOverSampler, "
        "which accepts sparse matrices")
    rng = _as_generator(random_state)
    n_majority = counts.max()
    # On a tie for the majority the last class in sorted order counts as it
    # (it gets no copies either way: it already has n_majority rows).
    majority = classes[np.flatnonzero(counts == n_majority)[-1]]
    extra = [
        rng.choice(np.flatnonzero(y == label), size=n_majority - n, replace=True)
        for label, n in zip(classes, counts) if label != majority
    ]
    keep = np.concatenate([np.arange(y.size), *extra])
    return X[keep], y[keep]


def random_undersample(X, y, *, random_state=None):
    """Balance the classes by keeping a random subset of the larger classes.

    Keeps every row of the minority class and, of every other class,
    ``n_minority`` rows drawn uniformly WITHOUT replacement (one class after
    the other in sorted label order); the kept rows stay in their original
    order (imbalanced-learn's ``RandomUnderSampler`` groups them by class
    instead; the set of rows is what matters).

    Parameters
    ----------
    X : array-like of shape (n_samples, n_features)
        Numeric features (dense; sparse input is not supported).
    y : array-like of shape (n_samples,)
        Labels of any kind (0/1, strings, ...), at least two classes.
    random_state : int, numpy.random.Generator, RandomState or None, default=None
        Seed of the draw; an int gives the draws of ``np.random.default_rng``.

    Returns
    -------
    X_res : ndarray of shape (n_classes * n_minority, n_features)
    y_res : ndarray of shape (n_classes * n_minority,)

    Examples
    --------
    >>> import numpy as np
    >>> X = np.arange(10.0).reshape(5, 2)
    >>> X_res, y_res = random_undersample(X, [0, 0, 0, 1, 1], random_state=0)
    >>> np.bincount(y_res).tolist()
    [2, 2]
    """
    X, y, classes, counts = _check_X_labels(
        X, y, "random_undersample", ", or use imblearn.under_sampling.RandomUnderSampler, "
        "which accepts sparse matrices")
    rng = _as_generator(random_state)
    n_minority = counts.min()
    # On a tie the last class in sorted order is the minority (class 1 for 0/1).
    minority = classes[np.flatnonzero(counts == n_minority)[-1]]
    kept = [
        rng.choice(np.flatnonzero(y == label), size=n_minority, replace=False)
        for label in classes if label != minority
    ]
    keep = np.sort(np.concatenate([np.flatnonzero(y == minority), *kept]))
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
    X_arr = _check_dense_X(X, "X", "resample_with_origin")
    check_consistent_length(X_arr, column_or_1d(y, input_name="y"))
    X_res, y_res = sampler.fit_resample(X, y)
    X_res_arr = _check_dense_X(X_res, "X_res (the sampler's output)", "resample_with_origin")
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


# The PyTorch samplers moved to their own module: say where, instead of a
# bare AttributeError, to anyone (or any old notebook) looking for them here.
_MOVED_TO_TORCH_SAMPLERS = ("ClassBalancedBatchSampler", "make_weighted_sampler")


def __getattr__(name):
    if name in _MOVED_TO_TORCH_SAMPLERS:
        raise AttributeError(
            f"{name} moved to imbalance_kit.torch_samplers (it needs torch): "
            f"use `from imbalance_kit.torch_samplers import {name}`."
        )
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
