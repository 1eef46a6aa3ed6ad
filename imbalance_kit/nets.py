"""Small image models for the imaging lessons: a CNN, a training loop, evaluation,
temperature scaling and per-example gradient norms.

- :class:`SmallCNN` -- three convolution blocks and one output logit; built
  from a seed, so the same ``random_state`` gives the same initial weights
  whatever the global torch state.
- :func:`train_model` -- mini-batch training with Adam for a loss the caller
  chooses (``loss_fn(logits, targets) -> scalar``), an optional batch sampler
  (e.g. :class:`imbalance_kit.torch_samplers.ClassBalancedBatchSampler`), an
  optional progress bar, and optional probes of per-example gradient norms.
- :func:`predict_logits`, :func:`evaluate_binary` -- scores on held-out
  images, and the metrics the lessons report (ROC-AUC, AP, ECE, Brier).
- :func:`fit_temperature` -- temperature scaling (Guo et al., 2017): the one
  scalar ``T > 0`` that minimises the negative log-likelihood of
  ``logits / T`` on validation data.
- :func:`per_example_grad_norms` -- the norm of each example's own gradient
  with respect to the model's parameters (the "gradient flow" of easy and
  hard examples).

This module imports torch; the rest of the kit does not need it.
"""

from __future__ import annotations

import math
import numbers
import sys
from typing import NamedTuple

import numpy as np
import torch
from torch import nn

from .validation import check_binary_labels, check_positive_int, check_same_length

__all__ = [
    "SmallCNN",
    "TrainHistory",
    "evaluate_binary",
    "fit_temperature",
    "per_example_grad_norms",
    "predict_logits",
    "seed_everything",
    "to_image_tensor",
    "train_model",
]


# ---------------------------------------------------------------------------
# Seeds and inputs
# ---------------------------------------------------------------------------

def _check_seed(random_state, name="random_state"):
    if isinstance(random_state, bool) or not isinstance(random_state, numbers.Integral) \
            or random_state < 0:
        raise ValueError(f"{name} must be an integer >= 0, got {random_state!r}.")
    return int(random_state)


def seed_everything(seed):
    """Seed torch's global generator (and return a fresh seeded ``torch.Generator``).

    The kit's own functions take ``random_state`` and never read the global
    state; this is for the notebook's own random torch calls.

    Parameters
    ----------
    seed : int
        Seed, >= 0.

    Returns
    -------
    torch.Generator
        A generator seeded with ``seed``, for ``torch.randn(..., generator=g)``.

    Examples
    --------
    >>> g = seed_everything(0)
    >>> a = torch.rand(2); _ = seed_everything(0); b = torch.rand(2)
    >>> bool(torch.equal(a, b))
    True
    """
    seed = _check_seed(seed, "seed")
    torch.manual_seed(seed)
    return torch.Generator().manual_seed(seed)


def to_image_tensor(images, name="images"):
    """Images as a float32 tensor of shape (n, 1, H, W).

    Parameters
    ----------
    images : array-like or tensor of shape (n, H, W) or (n, 1, H, W)
        Grey images (floats, e.g. in [0, 1]).
    name : str, default="images"
        Name used in error messages.

    Returns
    -------
    torch.Tensor of shape (n, 1, H, W), float32

    Examples
    --------
    >>> to_image_tensor(np.zeros((3, 8, 8))).shape
    torch.Size([3, 1, 8, 8])
    """
    x = images if isinstance(images, torch.Tensor) else torch.as_tensor(np.asarray(images))
    if x.ndim == 3:
        x = x.unsqueeze(1)
    if x.ndim != 4 or x.shape[1] != 1:
        raise ValueError(
            f"{name} must have shape (n, H, W) or (n, 1, H, W) (grey images), "
            f"got {tuple(x.shape)}."
        )
    if x.shape[0] == 0:
        raise ValueError(f"{name} holds no images.")
    x = x.to(torch.float32)
    if not torch.isfinite(x).all():
        raise ValueError(f"{name} contains NaN or infinite values.")
    return x


def _labels_tensor(labels, n, name="labels"):
    y = check_binary_labels(labels.cpu() if isinstance(labels, torch.Tensor) else labels, name,
                            require_both=False)
    if y.size != n:
        raise ValueError(f"{name} has {y.size} values but there are {n} images.")
    return torch.as_tensor(y, dtype=torch.float32)


# ---------------------------------------------------------------------------
# The model
# ---------------------------------------------------------------------------

class SmallCNN(nn.Module):
    """A small convolutional network with one output logit per image.

    Each image is first standardised (its own mean and standard deviation:
    the phantoms' exposure varies from film to film). Then three blocks
    ``conv 3x3 -> ReLU -> max-pool 2`` (``width``, ``2 width``, ``4 width``
    channels), global MAX pooling (a finding is local: "is it anywhere?"),
    and a linear layer :attr:`head` to one logit. About 6,000 parameters at
    ``width=8``: it trains on a few thousand 32x32 images in seconds on a CPU.

    Parameters
    ----------
    width : int, default=8
        Channels of the first convolution.
    random_state : int or None, default=0
        Seed of the initial weights (drawn inside ``torch.random.fork_rng``,
        so torch's global state is neither used nor changed); None uses the
        global state.

    Attributes
    ----------
    head : torch.nn.Linear
        The output layer; set ``head.bias`` for the prior-bias
        initialisation (:func:`imbalance_kit.losses.prior_bias_init`).

    Examples
    --------
    >>> model = SmallCNN(random_state=0)
    >>> model(torch.zeros(5, 1, 32, 32)).shape
    torch.Size([5])
    >>> bool(torch.equal(SmallCNN(random_state=1).head.weight, SmallCNN(random_state=1).head.weight))
    True
    """

    def __init__(self, width=8, *, random_state=0):
        super().__init__()
        width = check_positive_int(width, "width")
        if random_state is None:
            self._build(width)
        else:
            with torch.random.fork_rng(devices=[]):
                torch.manual_seed(_check_seed(random_state))
                self._build(width)

    def _build(self, width):
        blocks = []
        channels = [1, width, 2 * width, 4 * width]
        for c_in, c_out in zip(channels[:-1], channels[1:]):
            blocks += [nn.Conv2d(c_in, c_out, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2)]
        self.features = nn.Sequential(*blocks, nn.AdaptiveMaxPool2d(1), nn.Flatten())
        self.head = nn.Linear(channels[-1], 1)

    def forward(self, x):
        """Logits of shape (n,) for images of shape (n, 1, H, W)."""
        x = (x - x.mean(dim=(1, 2, 3), keepdim=True)) / (x.std(dim=(1, 2, 3), keepdim=True) + 1e-6)
        return self.head(self.features(x)).squeeze(1)


# ---------------------------------------------------------------------------
# Training
# ---------------------------------------------------------------------------

class TrainHistory(NamedTuple):
    """What :func:`train_model` records.

    Attributes
    ----------
    loss : list of float
        The training loss of every mini-batch, in order.
    probe_steps : list of int
        Mini-batch counts at which the probe was measured (0 = before training).
    probe_grad_norms : list of ndarray
        Per-example gradient norms of the probe examples at each probe step.
    probe_p_t : list of ndarray
        The probe examples' probability of their true class at each step.
    """

    loss: list
    probe_steps: list
    probe_grad_norms: list
    probe_p_t: list


def _progress(total, enabled, desc):
    if not enabled:
        return None
    from tqdm import tqdm  # the text bar: tqdm.auto warns on stderr when ipywidgets is missing

    # stdout, not tqdm's default stderr: a bar in a graded cell must not read as an error.
    return tqdm(total=total, desc=desc, file=sys.stdout, mininterval=0.5, leave=False)


def _check_loss_value(loss, step):
    if not isinstance(loss, torch.Tensor):
        raise TypeError(f"loss_fn must return a torch.Tensor, got {type(loss).__name__}.")
    if loss.ndim != 0:
        raise ValueError(
            f"loss_fn must return ONE number (a scalar tensor), got shape {tuple(loss.shape)}: "
            "reduce the per-example losses, e.g. with reduction='mean'."
        )
    if not loss.requires_grad:
        raise ValueError(
            "loss_fn returned a tensor without a gradient: it must be computed from the "
            "logits with torch operations (no .item(), .detach() or NumPy)."
        )
    if not torch.isfinite(loss):
        raise FloatingPointError(
            f"the training loss became {float(loss.detach())} at mini-batch {step}: compute the loss "
            "from logits in log space (logsigmoid / binary_cross_entropy_with_logits), or "
            "lower the learning rate."
        )


def train_model(model, images, labels, loss_fn, *, epochs=5, batch_size=64, lr=3e-3,
                weight_decay=0.0, batch_sampler=None, random_state=0, progress=True,
                probe=None, probe_every=None):
    """Train ``model`` with Adam on mini-batches, for the loss ``loss_fn``.

    Parameters
    ----------
    model : torch.nn.Module
        Maps images (n, 1, H, W) to logits (n,), e.g. :class:`SmallCNN`.
    images : array-like or tensor of shape (n, H, W) or (n, 1, H, W)
    labels : array-like of 0/1, shape (n,)
    loss_fn : callable
        ``loss_fn(logits, targets) -> scalar tensor`` with float targets
        (e.g. ``torch.nn.BCEWithLogitsLoss()`` or a focal loss with
        ``reduction="mean"``).
    epochs : int, default=5
    batch_size : int, default=64
        Rows per mini-batch (ignored when ``batch_sampler`` is given).
    lr, weight_decay : float
        Adam's learning rate and L2 penalty.
    batch_sampler : iterable of lists of indices, optional
        Yields the mini-batches of one epoch each time it is iterated, e.g.
        :class:`imbalance_kit.torch_samplers.ClassBalancedBatchSampler`.
    random_state : int, default=0
        Seed of the shuffling (a private ``torch.Generator``).
    progress : bool, default=True
        Show a progress bar (tqdm, written to stdout).
    probe : tuple (probe_images, probe_labels), optional
        Fixed examples whose per-example gradient norms and p_t are recorded
        before training and every ``probe_every`` mini-batches.
    probe_every : int, optional
        Default: once per epoch.

    Returns
    -------
    TrainHistory
        Per-batch losses and the probe records; ``model`` is trained in place
        and left in eval mode.

    Raises
    ------
    ValueError, TypeError, FloatingPointError
        When ``loss_fn`` does not return a finite scalar with a gradient: the
        first mini-batch stops, instead of training on a wrong loss.

    Examples
    --------
    >>> rng = np.random.default_rng(0)
    >>> X = rng.random((64, 16, 16)).astype("float32"); y = (rng.random(64) < 0.2).astype(int)
    >>> model = SmallCNN(width=4, random_state=0)
    >>> history = train_model(model, X, y, torch.nn.BCEWithLogitsLoss(), epochs=2,
    ...                       batch_size=32, progress=False)
    >>> len(history.loss)
    4
    """
    x = to_image_tensor(images)
    y = _labels_tensor(labels, x.shape[0])
    epochs = check_positive_int(epochs, "epochs")
    batch_size = check_positive_int(batch_size, "batch_size")
    random_state = _check_seed(random_state)
    if not callable(loss_fn):
        raise TypeError(f"loss_fn must be callable as loss_fn(logits, targets), got {loss_fn!r}.")
    if probe is not None:
        probe_x = to_image_tensor(probe[0], "probe images")
        probe_y = _labels_tensor(probe[1], probe_x.shape[0], "probe labels")
    generator = torch.Generator().manual_seed(random_state)
    optimizer = torch.optim.Adam(model.parameters(), lr=lr, weight_decay=weight_decay)

    n_batches = len(batch_sampler) if batch_sampler is not None else math.ceil(len(y) / batch_size)
    probe_every = n_batches if probe_every is None else check_positive_int(probe_every, "probe_every")
    history = TrainHistory([], [], [], [])

    def record(step):
        norms, p_t = per_example_grad_norms(model, loss_fn, probe_x, probe_y, return_p_t=True)
        history.probe_steps.append(step)
        history.probe_grad_norms.append(norms)
        history.probe_p_t.append(p_t)

    if probe is not None:
        record(0)
    bar = _progress(epochs * n_batches, progress, desc="training")
    step = 0
    try:
        for _ in range(epochs):
            if batch_sampler is not None:
                batches = (torch.as_tensor(b, dtype=torch.long) for b in batch_sampler)
            else:
                batches = torch.randperm(len(y), generator=generator).split(batch_size)
            for idx in batches:
                model.train()
                logits = model(x[idx])
                loss = loss_fn(logits, y[idx])
                _check_loss_value(loss, step)
                optimizer.zero_grad(set_to_none=True)
                loss.backward()
                optimizer.step()
                history.loss.append(float(loss.detach()))
                step += 1
                if bar is not None:
                    bar.update(1)
                if probe is not None and step % probe_every == 0:
                    record(step)
    finally:
        if bar is not None:
            bar.close()
    model.eval()
    return history


# ---------------------------------------------------------------------------
# Prediction and evaluation
# ---------------------------------------------------------------------------

def predict_logits(model, images, *, batch_size=1024):
    """Logits of ``model`` on ``images``, in eval mode and without gradients.

    The model's train/eval mode is restored afterwards.

    Parameters
    ----------
    model : torch.nn.Module
    images : array-like or tensor of shape (n, H, W) or (n, 1, H, W)
    batch_size : int, default=1024

    Returns
    -------
    ndarray of shape (n,), float64

    Examples
    --------
    >>> predict_logits(SmallCNN(random_state=0), np.zeros((3, 32, 32))).shape
    (3,)
    """
    x = to_image_tensor(images)
    batch_size = check_positive_int(batch_size, "batch_size")
    was_training = model.training
    model.eval()
    try:
        with torch.no_grad():
            out = torch.cat([model(chunk).reshape(-1) for chunk in x.split(batch_size)])
    finally:
        model.train(was_training)
    if out.numel() != x.shape[0]:
        raise ValueError(f"the model returned {out.numel()} logits for {x.shape[0]} images.")
    return out.double().numpy()


def evaluate_binary(y_true, y_prob, *, n_bins=10):
    """ROC-AUC, average precision, expected calibration error and Brier score.

    Parameters
    ----------
    y_true : array-like of 0/1, shape (n,)
        Both classes present.
    y_prob : array-like of shape (n,)
        Predicted probabilities of class 1.
    n_bins : int, default=10
        Equal-width bins of the ECE.

    Returns
    -------
    dict
        ``{"auc", "ap", "ece", "brier"}`` as floats: ROC-AUC and AP from
        scikit-learn, ECE from :func:`imbalance_kit.metrics.expected_calibration_error`,
        Brier from :func:`imbalance_kit.metrics.brier_score`.

    Examples
    --------
    >>> r = evaluate_binary([0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8])
    >>> r["auc"], r["ap"]
    (0.75, 0.8333333333333333)
    """
    from sklearn.metrics import average_precision_score, roc_auc_score

    from .metrics import brier_score, expected_calibration_error

    y = check_binary_labels(y_true, "y_true")
    p = np.asarray(y_prob, dtype=np.float64)
    check_same_length(y_true=y, y_prob=p)
    return {
        "auc": float(roc_auc_score(y, p)),
        "ap": float(average_precision_score(y, p)),
        "ece": float(expected_calibration_error(y, p, n_bins=n_bins)),
        "brier": float(brier_score(y, p)),
    }


# ---------------------------------------------------------------------------
# Temperature scaling
# ---------------------------------------------------------------------------

def _nll_derivatives(beta, z, y):
    """NLL of ``softmax(beta * z)`` (or ``sigmoid`` for 1-D z) and its first two
    derivatives in beta = 1 / T. The NLL is convex in beta: its second
    derivative is a variance of the logits, >= 0."""
    if z.ndim == 1:
        s = beta * z
        nll = np.sum(np.logaddexp(0.0, s) - y * s)
        p = 0.5 * (1.0 + np.tanh(0.5 * s))            # sigmoid without overflow
        return nll, np.sum((p - y) * z), np.sum(p * (1.0 - p) * z * z)
    s = beta * z
    shift = s.max(axis=1, keepdims=True)
    log_norm = np.log(np.exp(s - shift).sum(axis=1)) + shift[:, 0]
    z_true = z[np.arange(len(y)), y]
    nll = np.sum(log_norm - beta * z_true)
    p = np.exp(s - log_norm[:, None])
    mean_z = (p * z).sum(axis=1)
    var_z = (p * z * z).sum(axis=1) - mean_z**2
    return nll, np.sum(mean_z - z_true), np.sum(np.maximum(var_z, 0.0))


def fit_temperature(logits, labels, *, max_iter=100, tol=1e-10):
    r"""Temperature scaling: the scalar ``T > 0`` that minimises the NLL of ``logits / T``.

    Guo et al. (2017), "On Calibration of Modern Neural Networks". For binary
    logits :math:`z_i` (shape (n,)) the calibrated probability is
    :math:`\sigma(z_i / T)`; for multi-class logits (n, k) it is
    :math:`\mathrm{softmax}(z_i / T)`. ``T`` is fitted on a VALIDATION set
    (never the test set). Dividing by one ``T`` keeps the ranking, so
    ROC-AUC and AP do not change; ``T > 1`` softens over-confident
    scores, ``T < 1`` sharpens under-confident ones (e.g. a focal-loss model).

    The NLL is convex in :math:`\beta = 1/T`, so Newton's method in
    :math:`\beta` with a backtracking line search finds the global minimum.

    Parameters
    ----------
    logits : array-like of shape (n,) or (n, n_classes)
        Raw scores on the validation set.
    labels : array-like of int, shape (n,)
        0/1 for binary logits; class indices for multi-class logits.
    max_iter : int, default=100
    tol : float, default=1e-10
        Stop when a Newton step changes beta by less than ``tol * beta``.

    Returns
    -------
    float
        The temperature ``T > 0``.

    Raises
    ------
    ValueError
        Bad shapes or labels; or when the NLL has no minimum at a positive
        ``T`` (the logits rank the classes the wrong way round, or carry no
        information, e.g. all equal).

    Examples
    --------
    >>> z = np.array([-4.0, -3.0, 3.5, 4.0, -2.0, 2.0])
    >>> y = np.array([0, 1, 1, 0, 0, 1])          # confident, often wrong
    >>> round(fit_temperature(z, y), 3) > 1        # soften them
    True
    """
    z = np.asarray(logits.detach().cpu() if isinstance(logits, torch.Tensor) else logits,
                   dtype=np.float64)
    if z.ndim not in (1, 2) or z.shape[0] == 0 or (z.ndim == 2 and z.shape[1] < 2):
        raise ValueError(
            f"logits must have shape (n,) (binary) or (n, n_classes >= 2), got {z.shape}."
        )
    if not np.isfinite(z).all():
        raise ValueError("logits contain NaN or infinite values.")
    if z.ndim == 1:
        y = check_binary_labels(labels.cpu() if isinstance(labels, torch.Tensor) else labels,
                                "labels").astype(np.float64)
    else:
        y = np.asarray(labels.cpu() if isinstance(labels, torch.Tensor) else labels)
        if y.ndim != 1 or not np.issubdtype(y.dtype, np.integer) or \
                (y.size and (y.min() < 0 or y.max() >= z.shape[1])):
            raise ValueError(f"labels must be class indices in [0, {z.shape[1] - 1}].")
    if y.shape[0] != z.shape[0]:
        raise ValueError(f"labels has {y.shape[0]} values but logits has {z.shape[0]} rows.")

    # At beta = 0 every prediction is uninformative; a minimum at beta > 0
    # exists only if the NLL decreases there (the logits point the right way).
    _, slope0, _ = _nll_derivatives(0.0, z, y)
    if not slope0 < 0:
        raise ValueError(
            "the validation NLL does not decrease for any temperature T > 0: the logits "
            "carry no information about the labels (or rank them the wrong way round)."
        )
    beta = 1.0
    nll, grad, hess = _nll_derivatives(beta, z, y)
    for _ in range(max_iter):
        if hess <= 0:  # separable data: the NLL keeps falling as beta grows
            raise ValueError("the validation NLL has no minimum: the classes are perfectly separated.")
        step = -grad / hess
        t = 1.0
        while True:  # backtracking: stay at beta > 0 and decrease the NLL
            new = beta + t * step
            if new > 0:
                new_nll, new_grad, new_hess = _nll_derivatives(new, z, y)
                if new_nll <= nll + 1e-4 * t * step * grad:
                    break
            t *= 0.5
            if t < 1e-12:
                new, new_nll, new_grad, new_hess = beta, nll, grad, hess
                break
        done = abs(new - beta) <= tol * beta
        beta, nll, grad, hess = new, new_nll, new_grad, new_hess
        if done:
            break
    return float(1.0 / beta)


# ---------------------------------------------------------------------------
# Per-example gradients
# ---------------------------------------------------------------------------

def per_example_grad_norms(model, loss_fn, images, labels, *, return_p_t=False):
    r"""Euclidean norm of each example's own loss gradient over the model's parameters.

    For example :math:`i`, :math:`\lVert \nabla_\theta L(f_\theta(x_i), y_i) \rVert_2`
    over every parameter that requires a gradient, with ``loss_fn`` applied
    to that example alone (a batch of one). In a mini-batch with
    ``reduction="mean"`` each example contributes this gradient divided by
    the batch size. An easy example (p_t near 1) has a small norm under
    cross-entropy and a far smaller one under focal loss.

    One backward pass per example (the model is small); gradients already
    stored in ``.grad`` are left untouched.

    Parameters
    ----------
    model : torch.nn.Module
        Maps images (n, 1, H, W) to logits (n,).
    loss_fn : callable
        ``loss_fn(logits, targets) -> scalar tensor``.
    images : array-like or tensor of shape (n, H, W) or (n, 1, H, W)
    labels : array-like of 0/1, shape (n,)
    return_p_t : bool, default=False
        Also return each example's probability of its true class.

    Returns
    -------
    norms : ndarray of shape (n,)
    p_t : ndarray of shape (n,), only when ``return_p_t=True``

    Examples
    --------
    >>> model = SmallCNN(width=4, random_state=0)
    >>> x = torch.rand(3, 1, 16, 16)
    >>> per_example_grad_norms(model, torch.nn.BCEWithLogitsLoss(), x, [0, 1, 0]).shape
    (3,)
    """
    x = to_image_tensor(images)
    y = _labels_tensor(labels, x.shape[0])
    params = [p for p in model.parameters() if p.requires_grad]
    if not params:
        raise ValueError("the model has no parameter that requires a gradient.")
    norms = np.empty(x.shape[0])
    p_t = np.empty(x.shape[0])
    for i in range(x.shape[0]):
        logit = model(x[i:i + 1]).reshape(1)
        loss = loss_fn(logit, y[i:i + 1])
        _check_loss_value(loss, i)
        grads = torch.autograd.grad(loss, params, allow_unused=True)
        norms[i] = math.sqrt(sum(float((g.double() ** 2).sum()) for g in grads if g is not None))
        p = torch.sigmoid(logit.detach().double()).item()
        p_t[i] = p if y[i] == 1 else 1.0 - p
    return (norms, p_t) if return_p_t else norms
