"""A 2-D imbalanced data set with the three difficulties SMOTE's variants address.

Real imbalanced data is rarely hard because of the ratio alone; what makes it
hard (Napierała and Stefanowski's "types of minority examples") is

- **overlap**: part of the minority class lies inside the majority's region,
  so the border is uncertain;
- **small disjuncts**: a small, separate minority cluster far from the main
  one, easy to drown in majority points;
- **noise**: isolated minority points deep inside the majority class.

:func:`make_overlap_data` draws all three in the plane, so every variant's
synthetic points can be seen beside the originals.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from ..validation import check_fraction, check_positive_int, check_random_state

__all__ = ["PlanarData", "make_overlap_data"]

#: The name of each region in :attr:`PlanarData.part`.
PARTS = ("majority", "core", "disjunct", "noise")


class PlanarData(NamedTuple):
    """``X, y, part = make_overlap_data()``.

    Attributes
    ----------
    X : ndarray of shape (n_samples, 2)
    y : ndarray of shape (n_samples,), int64
        1 for the minority class.
    part : ndarray of str of shape (n_samples,)
        ``"majority"``; for minority rows ``"core"`` (the main cluster, which
        overlaps the majority), ``"disjunct"`` (the small separate cluster) or
        ``"noise"`` (isolated points inside the majority).
    """

    X: np.ndarray
    y: np.ndarray
    part: np.ndarray


def make_overlap_data(n_samples=1000, *, minority_fraction=0.1, disjunct_fraction=0.2,
                      noise_fraction=0.1, overlap=1.0, random_state=0):
    """Draw a 2-D imbalanced set with overlap, a small disjunct and noise.

    The majority class is a wide Gaussian centred at (0, 0) (sd 1.5 and 1.0).
    The minority's **core** is a Gaussian centred at (``3.2 - overlap``, 0)
    with sd 0.6, so it overlaps the majority's flank more as ``overlap``
    grows; the **disjunct** is a tight cluster (sd 0.25) at (-2.5, 2.6), at
    the majority's edge; the **noise** points are drawn uniformly in the
    majority's centre (|x1| < 1.5, |x2| < 1).

    Parameters
    ----------
    n_samples : int, default=1000
    minority_fraction : float in (0, 0.5), default=0.1
    disjunct_fraction, noise_fraction : float in [0, 1), default=0.2, 0.1
        Shares of the minority class in the disjunct and the noise (the rest
        is the core; both together below 1).
    overlap : float >= 0, default=1.0
        How far the core moves into the majority (0: barely touching).
    random_state : int, default=0

    Returns
    -------
    PlanarData
        ``(X, y, part)``.

    Examples
    --------
    >>> data = make_overlap_data(500, random_state=0)
    >>> data.X.shape, int(data.y.sum())
    ((500, 2), 50)
    >>> sorted(set(data.part[data.y == 1].tolist()))
    ['core', 'disjunct', 'noise']
    """
    n_samples = check_positive_int(n_samples, "n_samples", minimum=20)
    check_fraction(minority_fraction, "minority_fraction", high=0.5)
    check_fraction(disjunct_fraction, "disjunct_fraction", closed="left")
    check_fraction(noise_fraction, "noise_fraction", closed="left")
    if disjunct_fraction + noise_fraction >= 1:
        raise ValueError("disjunct_fraction + noise_fraction must be below 1 (the rest is the core); "
                         f"got {disjunct_fraction} + {noise_fraction}.")
    if not np.isfinite(overlap) or overlap < 0:
        raise ValueError(f"overlap must be a finite number >= 0, got {overlap!r}.")
    rng = check_random_state(random_state)
    n_min = max(3, int(round(minority_fraction * n_samples)))
    n_disjunct = int(round(disjunct_fraction * n_min))
    n_noise = int(round(noise_fraction * n_min))
    n_core = n_min - n_disjunct - n_noise
    n_maj = n_samples - n_min
    blocks = [
        rng.normal([0.0, 0.0], [1.5, 1.0], size=(n_maj, 2)),
        rng.normal([3.2 - overlap, 0.0], 0.6, size=(n_core, 2)),
        rng.normal([-2.5, 2.6], 0.25, size=(n_disjunct, 2)),
        rng.uniform([-1.5, -1.0], [1.5, 1.0], size=(n_noise, 2)),
    ]
    part = np.repeat(np.array(PARTS), [n_maj, n_core, n_disjunct, n_noise])
    X = np.vstack(blocks)
    y = (part != "majority").astype(np.int64)
    order = rng.permutation(n_samples)
    return PlanarData(X=X[order], y=y[order], part=part[order])
