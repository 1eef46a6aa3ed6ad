"""Losses for imbalanced classification: the focal-loss family, class-balanced
weights, the prior-bias initialisation, and a focal objective for XGBoost.

- :func:`sigmoid_focal_loss`, :class:`FocalLoss` -- binary focal loss (Lin et
  al., 2017, "Focal Loss for Dense Object Detection"), the same formula as
  ``torchvision.ops.sigmoid_focal_loss``, computed in log space so that it
  stays finite for any logit.
- :class:`MultiClassFocalLoss` -- the softmax version with per-class alpha.
- :func:`class_balanced_weights` -- "effective number of samples" class
  weights (Cui et al., 2019).
- :func:`prior_bias_init` -- the output bias that makes an untrained model
  predict the base rate.
- :func:`xgboost_focal_objective` -- gradient and hessian of the focal loss
  for ``xgboost.train(..., obj=...)``.

This module imports torch (``import imbalance_kit.losses`` takes about a
second); the rest of the kit does not need it.
"""

from __future__ import annotations

import numbers

import numpy as np
import torch
import torch.nn.functional as F
from torch import nn

from imbalance_kit.validation import (
    check_binary_labels,
    check_choice,
    check_fraction,
    check_nonnegative,
    check_sample_weight,
)

__all__ = [
    "FocalLoss",
    "MultiClassFocalLoss",
    "class_balanced_weights",
    "prior_bias_init",
    "sigmoid_focal_loss",
    "xgboost_focal_objective",
]

_REDUCTIONS = ("none", "mean", "sum")


# ---------------------------------------------------------------------------
# Parameter checks
# ---------------------------------------------------------------------------

def _check_alpha(alpha):
    """alpha in [0, 1] weights the positive class; None or < 0 disables it."""
    if alpha is None:
        return -1.0
    if isinstance(alpha, bool) or not isinstance(alpha, numbers.Real) or np.isnan(alpha):
        raise ValueError(f"alpha must be a number in [0, 1] (or < 0 to disable), got {alpha!r}.")
    if alpha > 1:
        raise ValueError(
            f"alpha must lie in [0, 1] (or be < 0 to disable weighting), got {alpha}. "
            "alpha is the weight of the POSITIVE class; 1 - alpha weights the negatives."
        )
    return float(alpha)


def _check_validate(validate):
    if validate is not None and not isinstance(validate, (bool, np.bool_)):
        raise ValueError(f"validate must be None, True or False, got {validate!r}.")
    return validate


def _check_values_now(validate, tensor):
    """Whether to check a tensor's VALUES (which needs their min/max on the host).

    ``validate=None`` (the default) checks tensors on the CPU, where it costs
    one pass over the data and no synchronisation, and skips tensors on an
    accelerator, where turning a device tensor into a Python bool would stall
    the host on every forward pass. ``True`` always checks, ``False`` never.
    """
    if validate is None:
        return tensor.device.type == "cpu"
    return bool(validate)


def _check_logits_targets(logits, targets, validate=None):
    # Shapes and dtypes are metadata: checking them never waits for the device.
    if not isinstance(logits, torch.Tensor):
        raise TypeError(f"logits must be a torch.Tensor, got {type(logits).__name__}.")
    if not logits.is_floating_point():
        raise TypeError(f"logits must be a floating-point tensor, got dtype {logits.dtype}.")
    targets = torch.as_tensor(targets, device=logits.device)
    if targets.shape != logits.shape:
        raise ValueError(
            f"targets has shape {tuple(targets.shape)} but logits has shape "
            f"{tuple(logits.shape)}; they must match (one target per logit)."
        )
    targets = targets.to(logits.dtype)
    if targets.numel() and _check_values_now(validate, targets):
        low, high = torch.aminmax(targets.detach())
        # Written so that NaN fails too (aminmax propagates NaN; NaN >= 0 is False):
        # a NaN target would silently turn the whole loss into NaN.
        if not (low >= 0 and high <= 1):
            raise ValueError(
                f"targets must lie in [0, 1] without NaN, found values in "
                f"[{float(low):.3g}, {float(high):.3g}]."
            )
    return targets


# ---------------------------------------------------------------------------
# Binary focal loss
# ---------------------------------------------------------------------------

def sigmoid_focal_loss(logits, targets, alpha=0.25, gamma=2.0, reduction="none",
                       normalize_by_positives=False, *, validate=None):
    r"""Binary focal loss of Lin et al. (2017), as in torchvision.

    With :math:`p = \sigma(x)` the predicted probability of the positive
    class and :math:`t \in [0, 1]` the target,

    .. math::

        \mathrm{CE} &= -t \log p - (1 - t) \log(1 - p)
            \quad \text{(BCE with logits)} \\
        p_t &= p\,t + (1 - p)(1 - t) \\
        \alpha_t &= \alpha\,t + (1 - \alpha)(1 - t) \\
        \mathrm{FL} &= \alpha_t \, (1 - p_t)^{\gamma} \, \mathrm{CE}

    The factor :math:`\alpha_t` is applied only when ``alpha >= 0``.
    :math:`(1 - p_t)^\gamma` shrinks the loss of well-classified ("easy")
    examples, so that the many easy negatives do not swamp the rare
    positives; ``gamma=0`` gives (alpha-weighted) cross-entropy.

    **Which class alpha weights.** ``alpha`` multiplies the loss of the
    POSITIVE targets (t = 1) and ``1 - alpha`` that of the negatives. The
    paper's default ``alpha=0.25`` therefore DOWN-weights the rare positive
    class: once the focusing term has removed most of the easy negatives'
    loss, the positives would dominate, and 0.25 worked best with
    ``gamma=2``. It is a common mistake to read alpha=0.25 as an up-weighting
    of the rare class; to up-weight positives use ``alpha > 0.5``.

    **Numerical stability.** CE comes from
    ``binary_cross_entropy_with_logits``. :math:`1 - p_t` is computed as
    :math:`t\,\sigma(-x) + (1 - t)\,\sigma(x)` (for t = 1 it is
    :math:`\sigma(-x)`, for t = 0 :math:`\sigma(x)`): a sum of two
    non-negative terms, each accurate even when tiny, never ``1 - p``
    (which rounds to 0 for a confident prediction). When ``gamma < 1`` it
    is clamped at the smallest normal float (``torch.finfo(dtype).tiny``)
    before the power, which changes the loss by at most
    ``CE * tiny ** gamma`` and keeps the gradient of
    :math:`(1 - p_t)^\gamma` finite where :math:`1 - p_t` underflows to 0
    (torchvision's ``(1 - p_t) ** gamma`` gives NaN gradients there; for
    ``gamma >= 1`` the gradient is finite anyway). Loss and gradients are
    finite for logits of any size. Soft targets in [0, 1] use the same
    formula; targets are treated as constants.

    Parameters
    ----------
    logits : torch.Tensor
        Raw scores :math:`x` (before the sigmoid), any shape, floating point.
    targets : torch.Tensor or array-like
        Same shape as ``logits``; 0/1 labels or probabilities in [0, 1].
    alpha : float or None, default=0.25
        Weight of the positive class in [0, 1]; ``None`` or a negative value
        disables the weighting (torchvision uses ``alpha=-1``).
    gamma : float, default=2.0
        Focusing parameter, >= 0.
    reduction : {"none", "mean", "sum"}, default="none"
        ``"none"``: the element-wise loss, shape of ``logits``;
        ``"mean"``: its mean over all elements; ``"sum"``: its sum.
    normalize_by_positives : bool, default=False
        Divide the summed loss by ``max(1, sum(targets))`` -- the number of
        positives for 0/1 targets -- as detection models (RetinaNet) do.
        Requires ``reduction="sum"``.
    validate : bool or None, default=None
        Whether to check that every target lies in [0, 1] (no NaN), which
        needs the targets' min and max on the host. ``None``: check on the
        CPU, skip on an accelerator (GPU), where the check would make every
        forward pass wait for the device (a host-device synchronisation);
        ``True``: always check (check the first batches of a GPU run, say);
        ``False``: never. Shapes and dtypes are always checked (they cost
        nothing).

    Returns
    -------
    torch.Tensor
        Element-wise loss or a scalar, per ``reduction``.

    Examples
    --------
    >>> import torch
    >>> x = torch.tensor([3.0, -3.0, 0.0])
    >>> t = torch.tensor([1.0, 1.0, 0.0])
    >>> sigmoid_focal_loss(x, t).round(decimals=4)
    tensor([0.0000, 0.6916, 0.1300])
    >>> sigmoid_focal_loss(torch.tensor([100.0]), torch.tensor([0.0]), reduction="sum")
    tensor(75.)
    """
    targets = _check_logits_targets(logits, targets, _check_validate(validate))
    alpha = _check_alpha(alpha)
    gamma = check_nonnegative(gamma, "gamma")
    reduction = check_choice(reduction, "reduction", _REDUCTIONS)
    if normalize_by_positives and reduction != "sum":
        raise ValueError(
            "normalize_by_positives=True divides the SUMMED loss by the number of "
            f"positives; use reduction='sum' with it (got reduction={reduction!r})."
        )

    ce = F.binary_cross_entropy_with_logits(logits, targets, reduction="none")
    if gamma == 0:
        loss = ce
    else:
        one_minus_pt = targets * torch.sigmoid(-logits) + (1 - targets) * torch.sigmoid(logits)
        if gamma < 1:
            # d/du u**gamma = gamma * u**(gamma - 1) is infinite at u = 0 when
            # gamma < 1; keep u >= tiny so that the gradient stays finite.
            one_minus_pt = one_minus_pt.clamp(min=torch.finfo(logits.dtype).tiny)
        loss = ce * one_minus_pt ** gamma
    if alpha >= 0:
        loss = (alpha * targets + (1 - alpha) * (1 - targets)) * loss

    if reduction == "mean":
        return loss.mean()
    if reduction == "sum":
        total = loss.sum()
        if normalize_by_positives:
            total = total / targets.sum().clamp(min=1.0)
        return total
    return loss


class FocalLoss(nn.Module):
    """Binary focal loss as a module; see :func:`sigmoid_focal_loss`.

    ``alpha`` weights the POSITIVE class (t = 1); the default 0.25
    down-weights positives, as in the paper.

    Parameters
    ----------
    alpha : float or None, default=0.25
        Weight of the positive class in [0, 1]; None or < 0 disables it.
    gamma : float, default=2.0
        Focusing parameter, >= 0.
    reduction : {"none", "mean", "sum"}, default="mean"
        How to reduce the element-wise loss.
    validate : bool or None, default=None
        Check the targets' values on every call: None on the CPU only (no
        host-device synchronisation on a GPU), True always, False never;
        see :func:`sigmoid_focal_loss`.

    Examples
    --------
    >>> import torch
    >>> criterion = FocalLoss(alpha=0.25, gamma=2.0)
    >>> criterion(torch.tensor([2.0, -1.0]), torch.tensor([1.0, 0.0])).round(decimals=4)
    tensor(0.0087)
    """

    def __init__(self, alpha=0.25, gamma=2.0, reduction="mean", *, validate=None):
        super().__init__()
        _check_alpha(alpha)
        self.alpha = alpha
        self.gamma = check_nonnegative(gamma, "gamma")
        self.reduction = check_choice(reduction, "reduction", _REDUCTIONS)
        self.validate = _check_validate(validate)

    def forward(self, logits, targets):
        """Focal loss of ``logits`` against 0/1 (or soft) ``targets``.

        Parameters
        ----------
        logits : torch.Tensor
            Raw scores, any shape, floating point.
        targets : torch.Tensor or array-like
            Same shape as ``logits``, values in [0, 1].

        Returns
        -------
        torch.Tensor
            The loss, reduced per ``self.reduction``.
        """
        return sigmoid_focal_loss(logits, targets, alpha=self.alpha, gamma=self.gamma,
                                  reduction=self.reduction, validate=self.validate)

    def extra_repr(self):
        return f"alpha={self.alpha}, gamma={self.gamma}, reduction={self.reduction!r}"


# ---------------------------------------------------------------------------
# Multi-class focal loss
# ---------------------------------------------------------------------------

class MultiClassFocalLoss(nn.Module):
    r"""Softmax focal loss with optional per-class weights.

    For a row with logits :math:`z` and true class :math:`y`,
    :math:`p_y = \mathrm{softmax}(z)_y` and

    .. math:: \mathrm{FL} = -\alpha_y \, (1 - p_y)^{\gamma} \, \log p_y .

    :math:`\log p_y` comes from ``log_softmax``, and :math:`1 - p_y` is
    computed as :math:`\sum_{j \ne y} p_j` (never as ``1 - p_y``, which
    rounds to 0 for a confident prediction), clamped at the smallest normal
    float when ``gamma < 1``, as in :func:`sigmoid_focal_loss`: loss and
    gradients are finite for any logits. With ``gamma=0`` and
    ``alpha=None`` this is ``F.cross_entropy``.

    Parameters
    ----------
    alpha : sequence of float, tensor or None, default=None
        Per-class weights :math:`\alpha_c` (length n_classes, >= 0); None
        means 1 for every class. Use e.g. :func:`class_balanced_weights`.
    gamma : float, default=2.0
        Focusing parameter, >= 0.
    reduction : {"none", "mean", "sum"}, default="mean"
        ``"mean"`` is the PLAIN mean over rows, ``sum / n_rows``. Note that
        ``F.cross_entropy(weight=alpha, reduction="mean")`` divides by
        ``sum(alpha[y])`` instead; the ``"sum"`` reductions agree.
    validate : bool or None, default=None
        Check on every call that the class indices lie in ``[0, n_classes)``:
        None on the CPU only (on a GPU the check would make every forward
        pass wait for the device; an index out of range then fails inside
        ``gather`` with a device-side error), True always, False never.

    Examples
    --------
    >>> import torch
    >>> logits = torch.tensor([[2.0, 0.0, -1.0], [0.0, 0.5, 0.0]])
    >>> target = torch.tensor([0, 2])
    >>> MultiClassFocalLoss(gamma=2.0)(logits, target).round(decimals=4)
    tensor(0.3431)
    >>> bool(torch.isclose(MultiClassFocalLoss(gamma=0.0)(logits, target),
    ...                    torch.nn.functional.cross_entropy(logits, target)))
    True
    """

    def __init__(self, alpha=None, gamma=2.0, reduction="mean", *, validate=None):
        super().__init__()
        if alpha is not None:
            alpha = torch.as_tensor(alpha, dtype=torch.get_default_dtype())
            if alpha.ndim != 1 or alpha.numel() < 2:
                raise ValueError(
                    f"alpha must be a 1-D sequence of per-class weights (>= 2 classes), "
                    f"got shape {tuple(alpha.shape)}."
                )
            if not torch.isfinite(alpha).all() or (alpha < 0).any():
                raise ValueError(f"alpha must hold finite weights >= 0, got {alpha.tolist()}.")
        # A buffer follows the module across .to(device) and into state_dict.
        self.register_buffer("alpha", alpha)
        self.gamma = check_nonnegative(gamma, "gamma")
        self.reduction = check_choice(reduction, "reduction", _REDUCTIONS)
        self.validate = _check_validate(validate)

    def forward(self, logits, target):
        """Focal loss of ``logits`` (n, n_classes) against class indices ``target`` (n,).

        Parameters
        ----------
        logits : torch.Tensor of shape (n_samples, n_classes)
            Raw scores (before the softmax), floating point.
        target : torch.Tensor or array-like of int, shape (n_samples,)
            Class index of each row, in ``[0, n_classes)``.

        Returns
        -------
        torch.Tensor
            The loss, reduced per ``self.reduction``.
        """
        if not isinstance(logits, torch.Tensor) or not logits.is_floating_point():
            raise TypeError("logits must be a floating-point torch.Tensor of shape (n, n_classes).")
        if logits.ndim != 2 or logits.shape[1] < 2:
            raise ValueError(
                f"logits must have shape (n_samples, n_classes >= 2), got {tuple(logits.shape)}."
            )
        target = torch.as_tensor(target, device=logits.device)
        if target.shape != logits.shape[:1]:
            raise ValueError(
                f"target must have shape ({logits.shape[0]},) (one class index per row), "
                f"got {tuple(target.shape)}."
            )
        if target.is_floating_point() or target.dtype == torch.bool:
            raise TypeError(f"target must hold integer class indices, got dtype {target.dtype}.")
        n_classes = logits.shape[1]
        if target.numel() and _check_values_now(self.validate, target) \
                and (target.min() < 0 or target.max() >= n_classes):
            raise ValueError(f"target must hold class indices in [0, {n_classes - 1}].")
        if self.alpha is not None and self.alpha.numel() != n_classes:
            raise ValueError(
                f"alpha has {self.alpha.numel()} weights but logits have {n_classes} classes."
            )

        target = target.long().unsqueeze(1)
        log_probs = F.log_softmax(logits, dim=1)
        log_p = log_probs.gather(1, target).squeeze(1)
        loss = -log_p
        if self.gamma:
            # 1 - p_y as the sum of the OTHER classes' probabilities: a sum of
            # non-negative terms, accurate even when p_y rounds to 1.
            one_minus_p = log_probs.exp().scatter(1, target, 0.0).sum(dim=1)
            if self.gamma < 1:
                # Finite gradient of u**gamma at u = 0 (see sigmoid_focal_loss).
                one_minus_p = one_minus_p.clamp(min=torch.finfo(logits.dtype).tiny)
            loss = one_minus_p ** self.gamma * loss
        if self.alpha is not None:
            loss = self.alpha.to(logits.dtype)[target.squeeze(1)] * loss

        if self.reduction == "mean":
            return loss.mean()
        if self.reduction == "sum":
            return loss.sum()
        return loss

    def extra_repr(self):
        alpha = None if self.alpha is None else self.alpha.tolist()
        return f"alpha={alpha}, gamma={self.gamma}, reduction={self.reduction!r}"


# ---------------------------------------------------------------------------
# Class weights and output-bias initialisation
# ---------------------------------------------------------------------------

def class_balanced_weights(class_counts, beta=0.999):
    r"""Class weights from the "effective number of samples" (Cui et al., 2019).

    A class with :math:`n` samples has the effective number

    .. math:: E_n = \frac{1 - \beta^{n}}{1 - \beta},

    the expected volume covered by :math:`n` samples that overlap with
    probability :math:`\beta`. Each class gets the weight
    :math:`w_c \propto 1 / E_{n_c}`, normalised so that
    :math:`\sum_c w_c` equals the number of classes. ``beta=0`` gives equal
    weights (:math:`E_n = 1`); as ``beta -> 1``, :math:`E_n -> n` and the
    weights approach inverse class frequency. The paper uses beta in
    {0.9, 0.99, 0.999, 0.9999}.

    Parameters
    ----------
    class_counts : array-like of int, shape (n_classes,)
        Number of training samples of each class, all >= 1
        (e.g. ``np.bincount(y_train)``).
    beta : float, default=0.999
        Overlap parameter in [0, 1).

    Returns
    -------
    ndarray of shape (n_classes,)
        Weights summing to ``n_classes``; pass ``torch.as_tensor(w)`` as
        ``weight=`` or as ``MultiClassFocalLoss(alpha=w)``.

    Examples
    --------
    >>> class_balanced_weights([990, 10], beta=0.99).round(3)
    array([0.175, 1.825])
    >>> class_balanced_weights([990, 10], beta=0.0)
    array([1., 1.])
    """
    counts = np.asarray(class_counts)
    if counts.ndim != 1 or counts.size < 1:
        raise ValueError(f"class_counts must be a 1-D list of counts, got shape {counts.shape}.")
    if not np.issubdtype(counts.dtype, np.number) or np.issubdtype(counts.dtype, np.complexfloating):
        raise ValueError(f"class_counts must be numeric, got dtype {counts.dtype}.")
    counts = counts.astype(np.float64)
    if not np.isfinite(counts).all() or (counts < 1).any() or (counts != np.round(counts)).any():
        raise ValueError(
            f"class_counts must be whole numbers >= 1 (a class with no samples has no "
            f"weight), got {counts.tolist()}."
        )
    beta = check_fraction(beta, "beta", low=0.0, high=1.0, closed="left")
    if beta == 0:
        inv_effective = np.ones_like(counts)
    else:
        # 1 / E_n up to the common factor (1 - beta); 1 - beta**n via expm1 for
        # accuracy when beta is close to 1.
        inv_effective = 1.0 / -np.expm1(counts * np.log(beta))
    return inv_effective * counts.size / inv_effective.sum()


def prior_bias_init(pi):
    r"""Output bias that makes an untrained binary model predict the prior.

    .. math:: b = -\log\frac{1 - \pi}{\pi} = \log\frac{\pi}{1 - \pi},
              \qquad \sigma(b) = \pi .

    Initialising the final logit's bias to ``b`` (RetinaNet's trick; Lin et
    al., 2017) avoids a large, unstable loss in the first iterations, when a
    zero bias would predict 0.5 for a class of frequency 0.002.

    Parameters
    ----------
    pi : float in (0, 1) or array-like of 0/1 labels
        The positive-class prior, or training labels to estimate it from
        (their mean).

    Returns
    -------
    float
        The bias ``b``.

    Examples
    --------
    >>> round(prior_bias_init(0.01), 4)
    -4.5951
    >>> import torch
    >>> layer = torch.nn.Linear(30, 1)
    >>> with torch.no_grad():
    ...     _ = layer.bias.fill_(prior_bias_init([0, 0, 0, 1]))
    >>> round(float(torch.sigmoid(layer.bias.detach())), 4)
    0.25
    """
    arr = np.asarray(pi.cpu() if isinstance(pi, torch.Tensor) else pi)
    if arr.ndim == 0:
        prior = check_fraction(arr.item(), "pi", low=0.0, high=1.0, closed="neither")
    else:
        prior = float(check_binary_labels(arr, "pi").mean())
    return float(np.log(prior) - np.log1p(-prior))


# ---------------------------------------------------------------------------
# XGBoost objective
# ---------------------------------------------------------------------------

def _focal_grad_hess(margin, labels, alpha, gamma):
    r"""First and second derivatives of the binary focal loss w.r.t. the margin.

    Write :math:`s = 2t - 1`, :math:`z = s x` and :math:`q = \sigma(z) = p_t`.
    Then :math:`\mathrm{FL} = a_t f(z)` with
    :math:`f(z) = -(1 - q)^\gamma \log q`, :math:`dq/dz = q(1-q)`, and

    .. math::

        f'(z) &= (1 - q)^\gamma \, [\gamma q \log q - (1 - q)] \\
        f''(z) &= (1 - q)^\gamma \, q \,
            [(1 - q)(\gamma \log q + \gamma + 1) - \gamma(\gamma q \log q - (1 - q))]

    and :math:`d\mathrm{FL}/dx = a_t s f'(z)`,
    :math:`d^2\mathrm{FL}/dx^2 = a_t f''(z)`. For gamma = 0 these are the
    logistic loss's :math:`p - t` and :math:`p(1 - p)`. Every factor is
    evaluated from log-sigmoids, so nothing overflows.
    """
    s = 2.0 * labels - 1.0
    z = s * margin
    log_q = -np.logaddexp(0.0, -z)            # log sigmoid(z)
    log_1mq = -np.logaddexp(0.0, z)           # log (1 - sigmoid(z))
    q = np.exp(log_q)
    one_minus_q = np.exp(log_1mq)
    focus = np.exp(gamma * log_1mq)           # (1 - q) ** gamma
    inner = gamma * q * log_q - one_minus_q
    d1 = focus * inner
    d2 = focus * q * (one_minus_q * (gamma * log_q + gamma + 1.0) - gamma * inner)
    a_t = np.ones_like(margin) if alpha < 0 else alpha * labels + (1.0 - alpha) * (1.0 - labels)
    return a_t * s * d1, a_t * d2


def xgboost_focal_objective(alpha=0.25, gamma=2.0, *, hess_floor=1e-6):
    r"""Custom XGBoost objective: the sigmoid focal loss on the raw margin.

    Returns a function giving, for every row, the gradient and hessian of
    :func:`sigmoid_focal_loss` (same ``alpha``, ``gamma``; alpha weights the
    positives) with respect to the raw margin :math:`x` (the log-odds). The
    closed forms are in the source of ``_focal_grad_hess``.

    The focal loss is not convex in :math:`x` everywhere (its second
    derivative is negative for some confidently-correct rows when
    ``gamma > 0``), and XGBoost's Newton steps need positive hessians, so
    the hessian is clipped from below at ``hess_floor``. Hessians are small
    (scaled by alpha_t and the focusing term): lower ``min_child_weight``
    (e.g. to 0.01) or XGBoost will refuse to split.

    **Sample weights.** With weights :math:`w_i` the loss is
    :math:`\sum_i w_i \, \mathrm{FL}_i`, so row :math:`i`'s gradient and
    (clipped) hessian are multiplied by :math:`w_i`, as XGBoost's built-in
    objectives do. They come from ``XGBClassifier(...).fit(X, y,
    sample_weight=w)`` or from ``xgboost.DMatrix(X, label=y, weight=w)``
    with ``xgboost.train``.

    The booster then outputs raw margins: use
    ``predict(..., output_margin=True)`` and apply the sigmoid for
    probabilities (which the focal loss leaves uncalibrated). With
    ``xgboost.train`` also pass ``"objective": "binary:logistic"`` in the
    params: it sets only the link, so that boosting starts from the margin
    0 as ``XGBClassifier`` does (without it XGBoost assumes
    ``reg:squarederror`` and starts from the margin 0.5).

    Parameters
    ----------
    alpha : float or None, default=0.25
        Weight of the positive class in [0, 1]; None or < 0 disables it.
    gamma : float, default=2.0
        Focusing parameter, >= 0; ``gamma=0, alpha=None`` is the logistic loss.
    hess_floor : float, default=1e-6
        Smallest hessian of an unweighted row, > 0 (applied before the weights).

    Returns
    -------
    callable
        ``obj(a, b, sample_weight=None) -> (grad, hess)`` accepting BOTH call
        signatures:

        - native ``xgboost.train(params, dtrain, obj=obj)`` calls
          ``obj(predt, dtrain)`` with the margins and a ``DMatrix``; the
          weights are the DMatrix's (``dtrain.get_weight()``), if it has any;
        - the scikit-learn API ``XGBClassifier(objective=obj)`` calls
          ``obj(y_true, y_pred)``, or ``obj(y_true, y_pred,
          sample_weight=w)`` when ``fit`` was given ``sample_weight``.

        The call is recognised by which argument has ``get_label()``.
        Labels must be 0/1; weights must be finite and >= 0.

    Examples
    --------
    >>> import numpy as np
    >>> obj = xgboost_focal_objective(alpha=0.25, gamma=2.0)
    >>> grad, hess = obj(np.array([1, 0]), np.array([0.0, 0.0]))  # sklearn order
    >>> grad.round(4).tolist(), bool((hess > 0).all())
    ([-0.0746, 0.2237], True)
    >>> grad_w, _ = obj(np.array([1, 0]), np.array([0.0, 0.0]), sample_weight=[2.0, 0.5])
    >>> grad_w.round(4).tolist()
    [-0.1491, 0.1119]
    """
    alpha = _check_alpha(alpha)
    gamma = check_nonnegative(gamma, "gamma")
    hess_floor = check_nonnegative(hess_floor, "hess_floor")
    if hess_floor == 0:
        raise ValueError("hess_floor must be > 0: XGBoost needs positive hessians.")

    def focal_objective(a, b, sample_weight=None):
        if hasattr(b, "get_label"):          # xgboost.train: (predt, dtrain)
            margin, labels = a, b.get_label()
            if sample_weight is None and hasattr(b, "get_weight"):
                sample_weight = b.get_weight()   # empty when the DMatrix has none
        else:                                # scikit-learn API: (y_true, y_pred)
            labels, margin = a, b
        margin = np.asarray(margin, dtype=np.float64)
        labels = check_binary_labels(labels, "labels", require_both=False).astype(np.float64)
        if labels.size != margin.size:
            raise ValueError(
                f"labels has {labels.size} values but the margins have {margin.size}."
            )
        grad, hess = _focal_grad_hess(margin.reshape(labels.shape), labels, alpha, gamma)
        hess = np.maximum(hess, hess_floor)
        if sample_weight is not None and np.size(sample_weight) > 0:
            weight = check_sample_weight(sample_weight, labels.size)
            grad, hess = grad * weight, hess * weight
        return grad.reshape(margin.shape), hess.reshape(margin.shape)

    return focal_objective
