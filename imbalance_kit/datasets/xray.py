"""Chest-X-ray-like images: procedural phantoms, MedMNIST files, a torch Dataset.

The imaging lessons need a rare finding on images that a small model can
learn on a laptop CPU in seconds, and that a teacher can make easier or
harder with a few knobs. Three pieces:

- :func:`make_xray` draws procedural chest "radiographs" (phantoms) with a
  rare finding (a nodule or a pneumothorax) at a chosen prevalence.
- :func:`load_medmnist` reads a MedMNIST ``.npz`` file (for example
  PneumoniaMNIST or ChestMNIST) that a learner downloaded, without needing
  the ``medmnist`` package.
- :class:`XrayDataset` wraps either source as a ``torch.utils.data.Dataset``
  (defined in :mod:`imbalance_kit.datasets.torch_data`; torch is imported
  only when this name is first used).

Examples of the phantoms are shown in ``docs/images/xray_examples.png``
(drawn by ``docs/figures/make_xray_grid.py``).
"""

from __future__ import annotations

import importlib
import os
import zipfile

import numpy as np
from scipy.ndimage import gaussian_filter

from ..validation import (
    check_choice,
    check_fraction,
    check_nonnegative,
    check_positive_int,
    check_random_state,
)

__all__ = ["FINDINGS", "MEDMNIST_SPLITS", "XrayDataset", "load_medmnist", "make_xray"]

#: Findings that :func:`make_xray` can draw.
FINDINGS = ("nodule", "pneumothorax")

#: Splits that :func:`load_medmnist` accepts (``"all"`` = train, val, test in that order).
MEDMNIST_SPLITS = ("train", "val", "test", "all")

#: Smallest image side: below 32 pixels a 2-pixel nodule is below the blur.
MIN_SIZE = 32

# Images are rendered in chunks of about this many pixels, so that memory
# stays bounded (~100 MB) for any n_samples and size.
_PIXELS_PER_CHUNK = 2**21

# Grey levels of the anatomy before exposure (0 = black film, 1 = white).
_BACKGROUND = 0.04   # air around the body
_SOFT_TISSUE = 0.45  # chest wall, shoulders
_CENTRAL = 0.15      # mediastinum, heart and abdomen: thicker, so brighter
_SPINE = 0.10
_RIB = 0.15          # times clutter
_CLAVICLE = 0.14     # times clutter
_MARKINGS = 0.14     # lung markings (vessels), times clutter
_NODULE = 0.20       # nodule and distractor peak brightness, times contrast
_PTX_DARKER = 0.12   # pneumothorax: lung without vessels is darker, times contrast
_PLEURAL_LINE = 0.15  # thin bright visceral pleural line, times contrast
_EDGE = 0.04         # softness of organ outlines (in units of the organ radius)


# --------------------------------------------------------------------------
# Public API
# --------------------------------------------------------------------------
def make_xray(
    n_samples,
    prevalence=0.05,
    finding="nodule",
    size=64,
    *,
    contrast=1.0,
    noise=0.03,
    clutter=1.0,
    distractors=0.0,
    random_state=0,
    return_masks=False,
):
    r"""Draw chest-X-ray-like phantoms, a rare fraction of which show a finding.

    Each image is a frontal (PA) chest "radiograph" drawn from simple shapes,
    bright where tissue is dense (bone, heart) and dark where it holds air
    (lungs), as on a real film:

    * body: a soft, boxy outline (superellipse) of soft tissue on a black
      background; mediastinum, heart and abdomen brighter than the chest wall;
    * two lungs: dark ellipses, narrower at the apex, cut at the base by the
      domes of the diaphragm; the patient's left lung is on the *right* of
      the screen (radiological convention);
    * heart: a bright ellipse over the lower inner part of the screen-right
      lung (the lung hidden behind it is not counted as visible lung);
    * spine and trachea: a bright vertical band with vertebrae, a dark air
      column above the heart;
    * ribs and clavicles: bright curved arcs across the lungs;
    * lung markings: a fine branching network (blood vessels), denser near
      the hila, made from the zero crossings of smoothed noise;
    * random pose (rotation up to ±4°, shift up to 2 % of the image, scale
      0.92-1.06), random organ sizes, and random exposure
      :math:`x \mapsto (g x + o)^\gamma`
      with gain :math:`g \in [0.85, 1.1]`, offset :math:`o \in [-0.05, 0.05]`
      and :math:`\log\gamma \in [-0.25, 0.25]`;
    * Gaussian blur (sigma = 0.6 px at 64 px), then additive Gaussian noise of
      standard deviation ``noise``, then clipping to [0, 1].

    Findings (only in positive images):

    * ``"nodule"``: a small round bright spot, radius 2-4 px at 64 px
      (the same fraction of the image at any ``size``), lying entirely
      inside the visible lung field;
    * ``"pneumothorax"``: air between lung and chest wall at the apical or
      lateral edge of one lung: a crescent (up to 30-55 % of the lung radius
      deep) where the lung markings vanish and the film is darker, bordered
      on the inside by a thin bright pleural line.

    All sizes are fractions of the image, so a phantom looks the same at any
    ``size``; only the pixel count changes. Examples are shown in the figure
    ``docs/images/xray_examples.png`` of the repository.

    Parameters
    ----------
    n_samples : int
        Number of images, >= 1.
    prevalence : float, default=0.05
        Fraction of positive images, in (0, 1). Exactly
        ``floor(prevalence * n_samples + 0.5)`` images are positive (rounded
        half up, so possibly 0 for a very small ``n_samples``), at random
        positions: the count is fixed, not drawn, so that a lesson's numbers
        do not change with the seed.
    finding : {"nodule", "pneumothorax"}, default="nodule"
        What the positive images show.
    size : int, default=64
        Side of the square images in pixels, >= 32.
    contrast : float, default=1.0
        Strength of the finding, >= 0 (1 = clearly visible to a reader,
        0.3 = subtle, 0 = absent). Scales the nodule brightness, the
        pneumothorax darkening and pleural line, and the share of lung
        markings removed by a pneumothorax (``min(contrast, 1)``).
        Distractor spots scale with it too, so they stay look-alikes.
    noise : float, default=0.03
        Standard deviation of the additive Gaussian noise, >= 0.
    clutter : float, default=1.0
        Strength of ribs, clavicles and lung markings, >= 0 (0 = clean lungs).
    distractors : float, default=0.0
        Mean number of look-alike bright spots per image *outside* the lung
        field (ECG electrodes, buttons, bone islands), >= 0; the count per
        image is Poisson-distributed (at most 8), in both classes alike. With
        distractors a model must learn *where* a bright spot is, not only
        that there is one.
    random_state : int, numpy.random.Generator or None, default=0
        Seed; the same seed gives the same images.
    return_masks : bool, default=False
        Also return boolean masks (see Returns), for checks and for drawing
        where the finding is.

    Returns
    -------
    images : ndarray of shape (n_samples, size, size), dtype float32
        Grey levels in [0, 1].
    labels : ndarray of shape (n_samples,), dtype int64
        1 where the image shows the finding, else 0.
    masks : dict of ndarray of shape (n_samples, size, size), dtype bool
        Only when ``return_masks=True``: ``"lung"`` (visible lung field),
        ``"finding"`` (the nodule disc or pneumothorax crescent; empty for
        negatives) and ``"distractor"`` (the look-alike spots).

    Raises
    ------
    ValueError
        When a parameter is out of range; the message names it.

    Notes
    -----
    Rendering is vectorised over the batch (numpy broadcasting on
    coordinate grids, ``gaussian_filter`` on the stack with sigma
    ``(0, s, s)``) in chunks of about 2 million pixels: at 64 px about
    1 ms of CPU per image (1,000-1,300 images a second on one core).
    With ``contrast=0`` the images equal those of the same seed with a
    finding, minus the finding: the random draws do not depend on
    ``contrast``, ``noise`` or ``clutter``.

    Examples
    --------
    >>> images, labels = make_xray(200, prevalence=0.05, size=64, random_state=0)
    >>> images.shape, images.dtype, int(labels.sum())
    ((200, 64, 64), dtype('float32'), 10)
    >>> bool(images.min() >= 0.0 and images.max() <= 1.0)
    True
    """
    n_samples = check_positive_int(n_samples, "n_samples")
    prevalence = check_fraction(prevalence, "prevalence")
    finding = check_choice(finding, "finding", FINDINGS)
    size = check_positive_int(size, "size", minimum=MIN_SIZE)
    contrast = _check_knob(contrast, "contrast")
    noise = _check_knob(noise, "noise")
    clutter = _check_knob(clutter, "clutter")
    distractors = _check_knob(distractors, "distractors")
    rng = check_random_state(random_state)

    n_pos = int(np.floor(prevalence * n_samples + 0.5))
    labels = np.zeros(n_samples, dtype=np.int64)
    labels[rng.permutation(n_samples)[:n_pos]] = 1

    images = np.empty((n_samples, size, size), dtype=np.float32)
    masks = (
        {k: np.zeros((n_samples, size, size), dtype=bool)
         for k in ("lung", "finding", "distractor")}
        if return_masks else None
    )
    chunk = max(1, _PIXELS_PER_CHUNK // (size * size))
    for start in range(0, n_samples, chunk):
        stop = min(start + chunk, n_samples)
        params = _draw_params(rng, labels[start:stop], finding, distractors)
        out = _render(params, size, rng, contrast=contrast, noise=noise,
                      clutter=clutter, want_masks=return_masks)
        images[start:stop] = out["image"]
        if return_masks:
            for k in masks:
                masks[k][start:stop] = out[k]
    if return_masks:
        return images, labels, masks
    return images, labels


def load_medmnist(path, split="train", *, as_float=True):
    """Read images and labels from a MedMNIST ``.npz`` file.

    MedMNIST (Yang et al., 2023; CC BY 4.0) ships each data set as one
    ``.npz`` archive with the arrays ``train_images``, ``train_labels``,
    ``val_images``, ``val_labels``, ``test_images``, ``test_labels``. Images
    are uint8, ``(N, H, W)`` grey or ``(N, H, W, 3)`` colour; labels are
    integers, ``(N, 1)`` for binary or multi-class data sets and ``(N, 14)``
    multi-label for ChestMNIST. This function reads such a file with numpy
    only (no ``medmnist`` package, no network).

    Parameters
    ----------
    path : str or os.PathLike
        The ``.npz`` file, e.g. ``pneumoniamnist.npz`` or ``chestmnist_64.npz``.
    split : {"train", "val", "test", "all"}, default="train"
        Which split to return; ``"all"`` concatenates train, val and test in
        that order. Only the arrays of the requested split(s) must exist.
    as_float : bool, default=True
        Return images as float32 in [0, 1] (uint8 divided by 255); with
        ``False`` the uint8 array is returned unchanged.

    Returns
    -------
    images : ndarray of shape (N, H, W) or (N, H, W, 3)
        float32 in [0, 1] (or uint8 with ``as_float=False``). A single
        trailing channel ``(N, H, W, 1)`` is dropped.
    labels : ndarray of shape (N,) or (N, n_labels), dtype int64
        Squeezed to 1-D when the file holds one label column; kept 2-D for
        multi-label files (ChestMNIST: 14 columns of 0/1).

    Raises
    ------
    FileNotFoundError
        When ``path`` is not an existing file.
    ValueError
        When the file is not an ``.npz`` archive, lacks the arrays of the
        split (all missing keys are listed), or holds arrays of the wrong
        dtype, number of dimensions, or of different lengths; or when
        ``split`` is unknown.

    Examples
    --------
    >>> import numpy as np, os, tempfile
    >>> rng = np.random.default_rng(0)
    >>> arrays = {f"{s}_{k}": (rng.integers(0, 256, (4, 28, 28), dtype=np.uint8)
    ...                         if k == "images" else rng.integers(0, 2, (4, 1)))
    ...           for s in ("train", "val", "test") for k in ("images", "labels")}
    >>> path = os.path.join(tempfile.mkdtemp(), "toy.npz")
    >>> np.savez(path, **arrays)
    >>> images, labels = load_medmnist(path, split="all")
    >>> images.shape, images.dtype, labels.shape
    ((12, 28, 28), dtype('float32'), (12,))
    """
    split = check_choice(split, "split", MEDMNIST_SPLITS)
    if not isinstance(as_float, (bool, np.bool_)):
        raise ValueError(f"as_float must be True or False, got {as_float!r}.")
    try:
        path = os.fspath(path)
    except TypeError:
        raise ValueError(f"path must be a file path, got {path!r}.") from None
    if not os.path.isfile(path):
        raise FileNotFoundError(f"path {path!r} is not an existing file.")
    # np.load would guess the format and fail with an unrelated message
    # (pickle, header) on a non-npz file; check the zip signature first.
    if not zipfile.is_zipfile(path):
        raise ValueError(
            f"path {path!r} is not an .npz archive (a MedMNIST file such as "
            "'pneumoniamnist.npz' is expected)."
        )
    parts = ("train", "val", "test") if split == "all" else (split,)
    needed = [f"{p}_{k}" for p in parts for k in ("images", "labels")]
    try:
        with np.load(path, allow_pickle=False) as npz:
            present = sorted(npz.files)
            missing = [k for k in needed if k not in present]
            # Arrays are read only when all are there (a split can be 60 MB).
            arrays = {} if missing else {k: npz[k] for k in needed}
    except (zipfile.BadZipFile, OSError, EOFError, ValueError) as exc:
        # ValueError: object arrays (pickles, refused) or a corrupt member header.
        raise ValueError(f"path {path!r} could not be read as an .npz archive: {exc}") from None
    if missing:
        raise ValueError(
            f"path {path!r} lacks the key(s) {missing} needed for "
            f"split={split!r}; it holds {present}."
        )

    images, labels = [], []
    for p in parts:
        img, lab = _check_medmnist_pair(arrays[f"{p}_images"], arrays[f"{p}_labels"], p)
        images.append(img)
        labels.append(lab)
    shapes = {im.shape[1:] for im in images}
    if len(shapes) > 1:
        raise ValueError(f"the splits hold images of different shapes {sorted(shapes)}.")
    if len({lab.shape[1:] for lab in labels}) > 1:
        raise ValueError("the splits hold labels with different numbers of columns.")
    images = np.concatenate(images) if len(images) > 1 else images[0]
    labels = np.concatenate(labels) if len(labels) > 1 else labels[0]
    if as_float:
        images = images.astype(np.float32)
        images /= np.float32(255.0)  # in place: no second float copy of the images
    return images, labels


def __getattr__(name):
    # XrayDataset subclasses torch.utils.data.Dataset; importing it here
    # lazily keeps `import imbalance_kit.datasets.xray` free of torch.
    if name == "XrayDataset":
        module = importlib.import_module(f"{__package__}.torch_data")
        return module.XrayDataset
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def _check_knob(value, name):
    """A finite number >= 0 (infinity would turn the images into NaN)."""
    value = check_nonnegative(value, name)
    if not np.isfinite(value):
        raise ValueError(f"{name} must be finite, got {value}.")
    return value


# --------------------------------------------------------------------------
# MedMNIST checks
# --------------------------------------------------------------------------
def _check_medmnist_pair(images, labels, part):
    """Validate one split's arrays; return (images uint8, labels int64)."""
    key_i, key_l = f"{part}_images", f"{part}_labels"
    if images.dtype != np.uint8:
        raise ValueError(f"{key_i} must have dtype uint8 (MedMNIST), got {images.dtype}.")
    if images.ndim == 4 and images.shape[-1] == 1:
        images = images[..., 0]
    if not (images.ndim == 3 or (images.ndim == 4 and images.shape[-1] == 3)):
        raise ValueError(
            f"{key_i} must have shape (N, H, W) or (N, H, W, 3), got {images.shape} "
            f"(ndim {images.ndim})."
        )
    if labels.dtype == bool or not np.issubdtype(labels.dtype, np.integer):
        raise ValueError(f"{key_l} must hold integers, got dtype {labels.dtype}.")
    if labels.ndim not in (1, 2):
        raise ValueError(
            f"{key_l} must have shape (N,) or (N, n_labels), got {labels.shape} "
            f"(ndim {labels.ndim})."
        )
    if len(images) != len(labels):
        raise ValueError(
            f"{key_i} holds {len(images)} images but {key_l} holds {len(labels)} labels."
        )
    if labels.ndim == 2 and labels.shape[1] == 1:
        labels = labels[:, 0]
    return images, labels.astype(np.int64)


# --------------------------------------------------------------------------
# Phantom geometry
# --------------------------------------------------------------------------
# Coordinates: x to the screen's right, y downwards, both in [-1, 1] across
# the image ("body coordinates" before the random pose is applied).
# side = -1 is the screen-left lung (patient's right), +1 the screen-right
# lung (patient's left, partly behind the heart).

def _edge(t):
    """Soft step from 0 to 1 around t = 0 (t is a distance in edge widths).

    A clipped ramp with the slope of the logistic function at 0: as smooth
    as needed once the image is blurred, exactly 0 or 1 away from the edge,
    and several times cheaper than ``exp``.
    """
    return np.clip(0.5 + 0.25 * t, 0.0, 1.0)


def _lung_uv(X, Y, side, p):
    """Coordinates of (X, Y) scaled by one lung's radii: the outline is u**2 + v**2 = 1.

    u > 0 points to the chest wall, v < 0 to the apex. The lung's half-width
    shrinks towards the apex, so u uses the local half-width ``ax``.
    """
    lx = side * X - p["lung_cx"]
    ly = Y - p["lung_cy"]
    ay = p["lung_ay"]
    ax = p["lung_ax"] * (0.80 + 0.20 * np.clip(ly / ay, -1.0, 1.0))
    return lx / ax, ly / ay, ax, ay


def _lung_rho(X, Y, side, p):
    u, v, _, _ = _lung_uv(X, Y, side, p)
    return np.sqrt(u * u + v * v)


def _heart_soft(X, Y, p):
    u = (X - p["heart_cx"]) / p["heart_ax"]
    v = (Y - p["heart_cy"]) / p["heart_ay"]
    return _edge((1.0 - np.sqrt(u * u + v * v)) / _EDGE)


def _diaphragm(X, p):
    """Height of the diaphragm under each lung: a dome, highest mid-lung.

    It cuts the round bottom of the lung ellipses into the familiar bases:
    flat domes with sharp costophrenic angles at the sides.
    """
    t = (np.abs(X) - p["lung_cx"]) / p["lung_ax"]
    return p["lung_cy"] + p["lung_ay"] * (0.72 + 0.35 * t * t)


def _lungs_soft(X, Y, p):
    """Both lungs in [0, 1] (heart not removed) and their normalised radius."""
    rho = np.minimum(_lung_rho(X, Y, -1, p), _lung_rho(X, Y, 1, p))
    below = (_diaphragm(X, p) - Y) / _EDGE
    return _edge((1.0 - rho) / _EDGE) * _edge(below / p["lung_ay"]), rho


def _lung_field(X, Y, p):
    """Visible lung field in [0, 1]: both lungs minus what the heart hides."""
    return _lungs_soft(X, Y, p)[0] * (1.0 - _heart_soft(X, Y, p))


def _ptx_depth(phi, p):
    """Depth (in units of the lung radius) of the pneumothorax crescent at angle phi."""
    lobe = np.clip(np.cos(phi - p["ptx_phi"]), 0.0, None) ** 2
    return p["ptx_depth"] * lobe


# --------------------------------------------------------------------------
# Random parameters
# --------------------------------------------------------------------------
_RING = 12          # points checked on a spot's outline when placing it
_CANDIDATES = 64    # candidate centres per nodule; the first that fits is used
_MAX_DISTRACTORS = 8
# Parameters that decide where the lung field is.
_SHAPE_KEYS = ("lung_cx", "lung_cy", "lung_ax", "lung_ay",
               "heart_cx", "heart_cy", "heart_ax", "heart_ay")


def _expand(p, ndim):
    """Reshape every (n,) parameter to (n, 1, ..., 1) for broadcasting."""
    return {k: v.reshape(v.shape + (1,) * (ndim - v.ndim)) if v.ndim == 1 else v
            for k, v in p.items()}


def _draw_params(rng, labels, finding, distractors):
    """Draw the anatomy, pose, exposure, finding and distractors of a chunk.

    The number and order of draws from ``rng`` do not depend on contrast,
    noise, clutter or distractors, so those knobs change the look of the
    same phantoms.
    """
    n = len(labels)
    U = rng.uniform
    p = {
        "rot": U(-0.07, 0.07, n), "shift_x": U(-0.04, 0.04, n),
        "shift_y": U(-0.04, 0.04, n), "scale": U(0.92, 1.06, n),
        "lung_cx": U(0.44, 0.48, n), "lung_cy": U(-0.02, 0.04, n),
        "lung_ax": U(0.30, 0.35, n), "lung_ay": U(0.62, 0.70, n),
        "lung_dark": U(0.36, 0.42, n),
        "heart_cx": U(0.10, 0.16, n), "heart_cy": U(0.30, 0.36, n),
        "heart_ax": U(0.36, 0.42, n), "heart_ay": U(0.26, 0.32, n),
        "rib_spacing": U(0.16, 0.20, n), "rib_phase": U(0.0, 1.0, n),
        "gain": U(0.85, 1.10, n), "offset": U(-0.05, 0.05, n),
        "gamma": np.exp(U(-0.25, 0.25, n)),
        "positive": labels.astype(bool),
    }
    # Finding: its size, side and shape are drawn for every image (used only
    # where positive), so the anatomy of image i does not depend on the
    # labels of the others.
    side = np.where(U(0, 1, n) < 0.5, -1.0, 1.0)
    p["side"] = side
    p["spot_r"] = U(2.0, 4.0, n) / 32.0          # 2-4 px at 64 px, as a fraction
    p["spot_amp"] = U(0.8, 1.2, n)
    p["ptx_phi"] = U(-1.75, -0.5, n)             # apical (-pi/2) to upper lateral
    p["ptx_depth"] = U(0.30, 0.55, n)
    p["is_nodule"] = p["positive"] & (finding == "nodule")
    p["is_ptx"] = p["positive"] & (finding == "pneumothorax")
    # Placing spots takes many candidate draws, made only for the spots that
    # exist, from generators of their own (seeded from the main one whatever
    # happens), so `distractors` only adds spots to the same phantoms.
    nrng = np.random.default_rng(rng.integers(2**63))
    drng = np.random.default_rng(rng.integers(2**63))
    p["spot_x"], p["spot_y"] = np.zeros(n), np.zeros(n)
    rows = np.flatnonzero(p["is_nodule"])
    if rows.size:
        sub = {key: p[key][rows] for key in _SHAPE_KEYS}
        p["spot_x"][rows], p["spot_y"][rows] = _place_in_lung(
            nrng, sub, side[rows], p["spot_r"][rows])

    # Distractors: Poisson count per image, placed outside the lung field.
    counts = np.minimum(drng.poisson(distractors, n), _MAX_DISTRACTORS)
    k = max(int(counts.max(initial=0)), 1)
    active = np.arange(k)[None, :] < counts[:, None]          # (n, k)
    p["dis_r"] = drng.uniform(2.0, 4.0, (n, k)) / 32.0
    p["dis_amp"] = drng.uniform(0.8, 1.2, (n, k))
    p["dis_active"] = active
    p["dis_x"], p["dis_y"] = np.zeros((n, k)), np.zeros((n, k))
    img_of_spot = np.nonzero(active)[0]
    if img_of_spot.size:
        sub = {key: p[key][img_of_spot] for key in _SHAPE_KEYS}
        p["dis_x"][active], p["dis_y"][active] = _place_outside_lung(
            drng, sub, p["dis_r"][active])
    return p


def _ring_points(cx, cy, radius):
    """(…, 1 + _RING) points: a centre and points on a circle around it."""
    t = np.linspace(0, 2 * np.pi, _RING, endpoint=False)
    rx = np.concatenate([[0.0], np.cos(t)])
    ry = np.concatenate([[0.0], np.sin(t)])
    return cx[..., None] + radius[..., None] * rx, cy[..., None] + radius[..., None] * ry


def _first_valid(ok, values_x, values_y, fallback_x, fallback_y):
    """Per row, the first candidate (last axis) where ok holds, else the fallback."""
    idx = np.argmax(ok, axis=-1)
    found = ok.any(axis=-1)
    x = np.take_along_axis(values_x, idx[..., None], axis=-1)[..., 0]
    y = np.take_along_axis(values_y, idx[..., None], axis=-1)[..., 0]
    return np.where(found, x, fallback_x), np.where(found, y, fallback_y)


def _place_in_lung(rng, p, side, radius):
    """Centres of nodules lying wholly inside the visible lung field.

    ``p`` holds the lung and heart parameters of each nodule's image, shape (s,).
    """
    n, m = len(side), _CANDIDATES
    pc = _expand(p, 2)
    rho = 0.8 * np.sqrt(rng.uniform(0, 1, (n, m)))
    phi = rng.uniform(0, 2 * np.pi, (n, m))
    ay = pc["lung_ay"]
    ly = rho * ay * np.sin(phi)
    ax = pc["lung_ax"] * (0.80 + 0.20 * np.clip(ly / ay, -1, 1))
    cx = side[:, None] * (pc["lung_cx"] + rho * ax * np.cos(phi))
    cy = pc["lung_cy"] + ly
    # The spot plus a one-pixel margin (at 64 px) must be in the lung field.
    margin = radius[:, None] + 1.0 / 32.0
    px, py = _ring_points(cx, cy, margin)
    field = _lung_field(px, py, _expand(p, 3))
    ok = (field > 0.9).all(axis=-1)
    # Fallback (practically never used): high in the screen-left lung, far
    # from the heart.
    fx = -(p["lung_cx"])
    fy = p["lung_cy"] - 0.3 * p["lung_ay"]
    return _first_valid(ok, cx, cy, fx, fy)


def _place_outside_lung(rng, p, radius):
    """Centres of distractor spots wholly outside the lung field, inside the frame.

    ``p`` holds the lung and heart parameters of each spot's image, shape (s,).
    """
    s, m = len(radius), _CANDIDATES // 2      # most of the frame fits: fewer tries
    cx = rng.uniform(-0.85, 0.85, (s, m))
    cy = rng.uniform(-0.85, 0.90, (s, m))
    margin = radius[:, None] + 1.0 / 32.0
    px, py = _ring_points(cx, cy, margin)
    field = _lung_field(px, py, _expand(p, 3))
    ok = (field < 0.05).all(axis=-1)
    # Fallback (practically never used): low in the abdomen, below both lungs.
    return _first_valid(ok, cx, cy, np.zeros(s), np.full(s, 0.85))


# --------------------------------------------------------------------------
# Rendering
# --------------------------------------------------------------------------
def _band(c):
    """(0.5 + 0.5 cos)**10 by squaring: narrow bright bands, no slow pow."""
    c = 0.5 + 0.5 * c
    c2 = c * c
    c4 = c2 * c2
    return c4 * c4 * c2


def _bones(X, Y, p, lungs_wide):
    """Ribs (periodic curved arcs) and clavicles, before the clutter factor."""
    ax_ = np.abs(X)
    # Posterior ribs rise a little from the spine, then curve down along the
    # chest wall; one periodic band in a bent coordinate draws them all.
    bent = Y - (-0.35 * ax_ + 0.90 * ax_ * ax_)
    posterior = _band(np.cos((2 * np.pi) * (bent / p["rib_spacing"] + p["rib_phase"])))
    # Anterior ribs run down and inwards from the chest wall, fainter: the
    # crossing pattern of a real film.
    slant = Y + 0.55 * ax_
    anterior = _band(np.cos((2 * np.pi) * (slant / (1.3 * p["rib_spacing"]) + p["rib_phase"])))
    ribs = (posterior + 0.45 * anterior) * lungs_wide * _edge((ax_ - 0.10) / 0.02)
    # Clavicles: a bright bar from near the midline up and out to the shoulder.
    t = ax_ - 0.08
    centre = -0.58 - 0.35 * t + 0.20 * t * t
    clav = np.exp(-(((Y - centre) / 0.04) ** 2)) * _edge(t / 0.02) * _edge((0.80 - ax_) / 0.03)
    return _RIB * ribs + _CLAVICLE * clav


def _markings(shape, rng, size):
    """Vessel-like network: thin ridges at the zero crossings of smoothed noise."""
    sigma = 1.1 * size / 64.0
    z = gaussian_filter(rng.standard_normal(shape, dtype=np.float32), (0, sigma, sigma))
    # Normalising by the theoretical std of filtered unit white noise keeps
    # the result independent of the chunk.
    z *= np.float32(2.0 * np.sqrt(np.pi) * sigma / 0.35)
    return np.exp(-(z * z))


def _spots(X, Y, cx, cy, r, amp):
    """Soft bright discs: brightness (n, H, W) and masks (n, H, W) from centres (n, k)."""
    f32 = np.float32
    cx, cy, r, amp = (a.astype(f32)[..., None, None] for a in (cx, cy, r, amp))
    d = np.sqrt((X[:, None] - cx) ** 2 + (Y[:, None] - cy) ** 2)   # (n, k, H, W)
    # Flat top, soft edge about a third of the radius wide.
    profile = _edge((r - d) / (0.35 * r))
    return (amp * profile).sum(axis=1), ((d <= r) & (amp > 0)).any(axis=1)


def _pneumothorax(X, Y, q, heart):
    """Crescent (soft, in [0, 1]) and pleural line of a pneumothorax, per image."""
    side = q["side"]
    u, v, ax, ay = _lung_uv(X, Y, side, q)
    rho = np.sqrt(u * u + v * v)
    phi = np.arctan2(v, u)
    depth = _ptx_depth(phi, q)
    inner = 1.0 - depth                           # rho of the collapsed lung's edge
    visible = q["is_ptx"] * _edge((1.0 - rho) / _EDGE) * (1.0 - heart)
    visible = visible * _edge((_diaphragm(X, q) - Y) / (_EDGE * q["lung_ay"]))
    visible = visible * np.clip((depth - 0.03) / 0.05, 0.0, 1.0)
    crescent = visible * _edge((rho - inner) / 0.015)
    # The visceral pleura: a thin line along rho = inner, ~0.7 px wide at 64 px.
    radius = np.sqrt((ax * np.cos(phi)) ** 2 + (ay * np.sin(phi)) ** 2)
    line = np.exp(-((((rho - inner) * radius) / 0.022) ** 2)) * visible
    return crescent, line


def _body_grid(p, size):
    """Body coordinates (X, Y) of every pixel, shape (n, size, size), after the pose.

    ``p`` holds the pose parameters already reshaped to (n, 1, 1) (see ``_expand``).
    """
    g = ((np.arange(size, dtype=np.float32) + 0.5) / size) * 2.0 - 1.0
    u = g[None, None, :]
    v = g[None, :, None]
    c, s = np.cos(p["rot"]), np.sin(p["rot"])
    du, dv = u - p["shift_x"], v - p["shift_y"]
    X = (c * du + s * dv) / p["scale"]
    Y = (-s * du + c * dv) / p["scale"]
    return X, Y


def _render(p, size, rng, *, contrast, noise, clutter, want_masks=False, want_layers=False):
    """Render one chunk of phantoms; return a dict with "image" (and masks, layers).

    Grey levels are built additively on a film where 0 is black: soft
    tissue, minus air in the lungs, plus bone, vessels and the finding; then
    blur, exposure and noise. The random draws (markings, noise) are made
    whatever the knobs, so the knobs change the look of the same phantoms.
    """
    q = _expand({k: v.astype(np.float32) if v.dtype.kind == "f" else v
                 for k, v in p.items() if v.ndim == 1}, 3)
    X, Y = _body_grid(q, size)
    absX = np.abs(X)

    # Body: a superellipse (exponent 3) is boxier than an ellipse: broad
    # shoulders at the top, nearly straight chest walls.
    u, v = absX / 0.95, np.abs(Y - 0.30) / 1.35
    body = _edge((1.0 - np.cbrt(u * u * u + v * v * v)) / 0.03)
    img = _BACKGROUND + (_SOFT_TISSUE - _BACKGROUND) * body

    heart = _heart_soft(X, Y, q)
    lungs, rho = _lungs_soft(X, Y, q)
    field = lungs * (1.0 - heart)
    # Lungs are a little denser at the base (more blood, overlying tissue).
    lung_shade = q["lung_dark"] * (1.0 - 0.15 * np.clip(Y - q["lung_cy"], -1.0, 1.0))
    # Mediastinum, heart and abdomen are thick, so brighter than the chest
    # wall. The heart sits on the diaphragm and the abdomen below is as
    # dense, so the heart shows no lower border (it is not a ball).
    mediastinum = _edge((0.16 - absX) / 0.03)
    abdomen = _edge((Y - _diaphragm(X, q)) / 0.04)
    central = np.maximum(np.maximum(heart, mediastinum), abdomen) * body
    img = img - lung_shade * field + _CENTRAL * central

    # Spine (with vertebrae) and trachea (air column above the heart).
    spine = _edge((0.07 - absX) / 0.015) * body
    img = img + _SPINE * spine * (0.8 + 0.2 * np.cos((2 * np.pi / 0.13) * Y))
    img = img - 0.12 * _edge((0.035 - absX) / 0.01) * _edge((-0.30 - Y) / 0.03)

    # Pneumothorax, computed only for the images that have one (few).
    crescent, line = np.zeros_like(X), np.zeros_like(X)
    rows = np.flatnonzero(p["is_ptx"])
    if rows.size:
        crescent[rows], line[rows] = _pneumothorax(
            X[rows], Y[rows], {k: v[rows] for k, v in q.items()}, heart[rows])

    # Clutter: lung markings (vessels, fewer at the periphery, none where
    # the pneumothorax is) and bones.
    hilum = 0.55 + 0.45 * np.exp(-((absX - 0.22) ** 2 + Y * Y) / 0.08)
    markings = _markings(X.shape, rng, size) * field * hilum
    markings = markings * (1.0 - min(contrast, 1.0) * crescent)
    lungs_wide = _edge((1.12 - rho) / _EDGE) * body
    img = img + clutter * (_MARKINGS * markings + _bones(X, Y, q, lungs_wide))
    img = img + contrast * (_PLEURAL_LINE * line - _PTX_DARKER * crescent)

    # Nodule and distractors: soft bright discs, drawn only on the images
    # that have them.
    nod_mask, dis_mask = np.zeros(X.shape, dtype=bool), np.zeros(X.shape, dtype=bool)
    rows = np.flatnonzero(p["is_nodule"])
    if rows.size:
        nod, nod_mask[rows] = _spots(
            X[rows], Y[rows], p["spot_x"][rows, None], p["spot_y"][rows, None],
            p["spot_r"][rows, None], p["spot_amp"][rows, None])
        img[rows] += (contrast * _NODULE) * nod
    rows = np.flatnonzero(p["dis_active"].any(axis=1))
    if rows.size:
        dis, dis_mask[rows] = _spots(
            X[rows], Y[rows], p["dis_x"][rows], p["dis_y"][rows], p["dis_r"][rows],
            p["dis_amp"][rows] * p["dis_active"][rows])
        img[rows] += (contrast * _NODULE) * dis

    # Acquisition: blur, exposure, noise.
    blur = 0.6 * size / 64.0
    img = gaussian_filter(img.astype(np.float32, copy=False), (0, blur, blur))
    img = np.clip(q["gain"] * img + q["offset"], 0.0, 1.0) ** q["gamma"]
    img += np.float32(noise) * rng.standard_normal(img.shape, dtype=np.float32)
    out = {"image": np.clip(img, 0.0, 1.0, out=img)}
    if want_masks:
        out["lung"] = field > 0.5
        out["finding"] = nod_mask | ((crescent > 0.5) & out["lung"])
        out["distractor"] = dis_mask
    if want_layers:
        out["markings"] = markings
        out["crescent"] = crescent
    return out
