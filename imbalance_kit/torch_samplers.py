"""Class-balanced sampling for PyTorch ``DataLoader`` s.

imbalanced-learn resamples arrays; a network trained from a ``DataLoader``
re-balances its mini-batches instead:

- :class:`ClassBalancedBatchSampler` -- every batch holds the same number of
  rows of every class (``DataLoader(dataset, batch_sampler=...)``);
- :func:`make_weighted_sampler` -- a ``WeightedRandomSampler`` with inverse
  class-frequency weights (``DataLoader(dataset, sampler=..., batch_size=...)``).

This module imports torch; :mod:`imbalance_kit.samplers` (numpy and
imbalanced-learn) does not.
"""

from __future__ import annotations

import numbers

import numpy as np
import torch
from sklearn.utils import check_scalar, column_or_1d
from torch.utils.data import Sampler, WeightedRandomSampler

__all__ = ["ClassBalancedBatchSampler", "make_weighted_sampler"]


def _check_labels(labels, name="labels"):
    """Labels of any kind as ``(classes, codes, counts)``, at least two classes."""
    if isinstance(labels, torch.Tensor):
        labels = labels.detach().cpu().numpy()
    arr = np.asarray(labels)
    if arr.ndim == 2 and arr.shape[1] == 1:
        arr = arr.ravel()
    if arr.ndim != 1:
        # column_or_1d's own message names "y"; this one names the parameter.
        raise ValueError(f"{name} must be one-dimensional (one label per row), "
                         f"got shape {arr.shape}.")
    arr = column_or_1d(arr, input_name=name)
    if arr.size == 0:
        raise ValueError(f"{name} is empty.")
    # np.unique would make NaN a class of its own: a missing label is an error.
    if arr.dtype.kind == "f" and np.isnan(arr).any():
        raise ValueError(f"{name} contains NaN.")
    classes, codes, counts = np.unique(arr, return_inverse=True, return_counts=True)
    if classes.size < 2:
        raise ValueError(f"{name} has only one class ({classes[0]!r}); at least two are needed.")
    return classes, codes.ravel(), counts


def _check_count(value, name, minimum=1):
    """An int >= minimum (bools refused: ``True`` is not a batch size)."""
    if isinstance(value, bool):
        raise ValueError(f"{name} must be an integer, got {value!r}.")
    check_scalar(value, name, numbers.Integral, min_val=minimum)
    return int(value)


def _as_generator(random_state):
    """A numpy Generator: an int seeds ``np.random.default_rng``, a Generator is kept."""
    if random_state is None or isinstance(random_state, np.random.Generator):
        return np.random.default_rng(random_state)
    if isinstance(random_state, numbers.Integral) and not isinstance(random_state, bool):
        check_scalar(random_state, "random_state", numbers.Integral, min_val=0)
        return np.random.default_rng(int(random_state))
    raise ValueError(
        f"random_state must be None, a non-negative int or a numpy Generator, got {random_state!r}."
    )


class ClassBalancedBatchSampler(Sampler):
    """Batch sampler with the same number of rows from every class in each batch.

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

    def __init__(self, labels, batch_size, *, n_batches=None, random_state=None):
        classes, codes, _ = _check_labels(labels)
        batch_size = _check_count(batch_size, "batch_size")
        if batch_size % classes.size:
            raise ValueError(
                f"batch_size={batch_size} must be divisible by the number of classes "
                f"({classes.size}) so that every class gets the same share of a batch."
            )
        if n_batches is None:
            # As many batches as an ordinary epoch over the data would have.
            n_batches = -(-codes.size // batch_size)
        self.n_batches = _check_count(n_batches, "n_batches")
        self.batch_size = batch_size
        self.classes = classes
        self.per_class = batch_size // classes.size
        # Row numbers of each class.
        self._class_indices = [np.flatnonzero(codes == c) for c in range(classes.size)]
        self._rng = _as_generator(random_state)

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
    _, codes, counts = _check_labels(labels)
    if isinstance(power, bool) or (isinstance(power, numbers.Real) and np.isnan(power)):
        raise ValueError(f"power must be a number >= 0, got {power!r}.")
    check_scalar(power, "power", numbers.Real, min_val=0)
    if num_samples is None:
        num_samples = codes.size
    num_samples = _check_count(num_samples, "num_samples")
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

    weights = (1.0 / counts[codes]) ** float(power)
    return WeightedRandomSampler(
        torch.as_tensor(weights, dtype=torch.float64),
        num_samples=num_samples,
        replacement=bool(replacement),
        generator=generator,
    )
