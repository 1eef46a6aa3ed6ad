"""A ``torch.utils.data.Dataset`` over image arrays (phantoms or MedMNIST).

Kept apart from :mod:`imbalance_kit.datasets.xray` because it imports torch
at module level; ``xray`` (and ``imbalance_kit.datasets``) hand out
:class:`XrayDataset` lazily, so only code that uses it pays for torch.
"""

from __future__ import annotations

import numpy as np
import torch
from torch.utils.data import Dataset

from ..validation import check_same_length

__all__ = ["XrayDataset"]


def _as_array(values, name):
    """``np.asarray``, with a message naming the parameter for ragged nested lists."""
    try:
        return np.asarray(values)
    except ValueError:  # numpy's "inhomogeneous shape" message names no parameter
        raise ValueError(
            f"{name} must be an array; got nested sequences of different lengths."
        ) from None


class XrayDataset(Dataset):
    """Images and labels as a torch ``Dataset`` of ``(C, H, W)`` float tensors.

    Wraps the output of :func:`~imbalance_kit.datasets.make_xray` or
    :func:`~imbalance_kit.datasets.load_medmnist` (or any arrays of the same
    layout) for a ``DataLoader``.

    Parameters
    ----------
    images : array-like of shape (N, H, W) or (N, H, W, 3)
        Grey or colour (channels last) images: float in [0, 1], or uint8
        (divided by 255 when an item is read). Grey images get one channel
        (``C = 1``); colour images become ``(3, H, W)``.
    labels : array-like of shape (N,) or (N, n_labels)
        Integer labels, one per image (multi-label rows for ChestMNIST).
    transform : callable, optional
        Applied to each image tensor ``(C, H, W)`` (e.g. a torchvision
        ``transforms.v2`` pipeline for augmentation).

    Attributes
    ----------
    labels : ndarray of shape (N,) or (N, n_labels), dtype int64
        The labels, e.g. for a ``WeightedRandomSampler``.

    Notes
    -----
    ``dataset[i]`` returns ``(image, label)``: ``image`` a float32 tensor of
    shape ``(C, H, W)``, ``label`` an int64 tensor (a scalar, or a vector
    for multi-label data). Cast with ``label.float()`` for
    ``BCEWithLogitsLoss``. The images are stored once as a tensor sharing
    memory with the array where possible; items are views, not copies.

    Examples
    --------
    >>> from imbalance_kit.datasets import make_xray
    >>> images, labels = make_xray(40, prevalence=0.1, size=32, random_state=0)
    >>> ds = XrayDataset(images, labels)
    >>> x, y = ds[0]
    >>> len(ds), tuple(x.shape), x.dtype, y.dtype
    (40, (1, 32, 32), torch.float32, torch.int64)
    """

    def __init__(self, images, labels, transform=None):
        images = _as_array(images, "images")
        labels = _as_array(labels, "labels")
        if images.ndim == 3:
            layout = images[:, None]                      # (N, 1, H, W)
        elif images.ndim == 4 and images.shape[-1] == 3:
            layout = np.moveaxis(images, -1, 1)           # (N, 3, H, W)
        else:
            raise ValueError(
                f"images must have shape (N, H, W) or (N, H, W, 3), got {images.shape}."
            )
        if images.dtype != np.uint8 and not np.issubdtype(images.dtype, np.floating):
            raise ValueError(f"images must be float or uint8, got dtype {images.dtype}.")
        if labels.ndim not in (1, 2):
            raise ValueError(
                f"labels must have shape (N,) or (N, n_labels), got {labels.shape}."
            )
        if labels.dtype == bool or not (
            np.issubdtype(labels.dtype, np.integer)
            or (np.issubdtype(labels.dtype, np.floating) and np.all(labels == np.round(labels)))
        ):
            raise ValueError(f"labels must hold integers, got dtype {labels.dtype}.")
        check_same_length(images=images, labels=labels)
        if transform is not None and not callable(transform):
            raise ValueError(f"transform must be callable or None, got {transform!r}.")
        self._uint8 = images.dtype == np.uint8
        # uint8 stays uint8 (4x less memory at 224 px); floats become float32.
        data = layout if self._uint8 else layout.astype(np.float32, copy=False)
        self._images = torch.from_numpy(np.ascontiguousarray(data))
        self.labels = labels.astype(np.int64)
        self._labels = torch.from_numpy(self.labels)
        self.transform = transform

    def __len__(self):
        return len(self._labels)

    def __getitem__(self, index):
        image = self._images[index]
        image = image.float() / 255.0 if self._uint8 else image
        if self.transform is not None:
            image = self.transform(image)
        return image, self._labels[index]

    def __repr__(self):
        c, h, w = self._images.shape[1:]
        return f"XrayDataset(n={len(self)}, image=({c}, {h}, {w}))"
