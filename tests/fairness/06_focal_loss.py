"""Correct alternative answers and learner habits for ``06_focal_loss`` (format: tests/test_fairness.py)."""

_FOCAL_HEAD = '''def focal_loss(logits, targets, alpha=0.25, gamma=2.0, reduction="mean"):
    """Binary focal loss of Lin et al. (2017) computed from logits.

    Parameters
    ----------
    logits : torch.Tensor (float32 or float64), any shape
    targets : torch.Tensor of the same shape, 0.0 / 1.0
    alpha : float in [0, 1] (weight of the POSITIVES; 1 - alpha for negatives) or None (no weighting)
    gamma : float >= 0
    reduction : "none", "mean" or "sum"
    """
'''
_GRAD_HEAD = '''def focal_gradient(p_t, gamma):
    """|d FL / d logit| as a function of p_t (alpha_t = 1); gamma = 0 is cross-entropy's 1 - p_t."""
    p_t = np.asarray(p_t, dtype=float)
'''
_SHARE_HEAD = '''def easy_negative_share(logits, targets, gamma, easy=0.9):
    """Share of sum_i |d FL_i / d z_i| (alpha_t = 1) that comes from negatives with p_t > easy."""
    logits = np.asarray(logits, dtype=float)
    targets = np.asarray(targets, dtype=float)
'''
_CB_HEAD = '''def effective_number_weights(class_counts, beta=0.999):
    """Class-balanced weights of Cui et al. (2019): w_c proportional to (1 - beta) / (1 - beta ** n_c), summing to n_classes."""
    counts = np.asarray(class_counts, dtype=float)
'''

ALTERNATIVES = {
    "focal_answer": [
        # log p and log(1 - p) from logsigmoid; p_t in log space; a dict of reductions
        _FOCAL_HEAD + '''    t = targets.to(logits.dtype)
    log_p = F.logsigmoid(logits)
    log_q = F.logsigmoid(-logits)
    log_pt = t * log_p + (1 - t) * log_q
    one_minus_pt = t * torch.exp(log_q) + (1 - t) * torch.exp(log_p)
    weight = torch.ones_like(logits) if alpha is None else alpha * t + (1 - alpha) * (1 - t)
    loss = -weight * one_minus_pt.pow(gamma) * log_pt
    reducers = {"none": lambda v: v, "mean": torch.mean, "sum": torch.sum}
    if reduction not in reducers:
        raise ValueError("unknown reduction: " + str(reduction))
    return reducers[reduction](loss)
''',
        # torch.where on the targets, softplus for -log p, the module form of BCE
        _FOCAL_HEAD + '''    if reduction not in ["none", "mean", "sum"]:
        raise ValueError(f"reduction={reduction} is not one of none / mean / sum")
    targets = targets.type(logits.dtype)
    ce = torch.nn.BCEWithLogitsLoss(reduction="none")(logits, targets)
    p = torch.sigmoid(logits)
    one_minus_pt = torch.where(targets > 0.5, torch.sigmoid(-logits), p)
    if alpha is None:
        alpha_t = 1.0
    else:
        alpha_t = torch.where(targets > 0.5, torch.full_like(logits, alpha), torch.full_like(logits, 1 - alpha))
    loss = alpha_t * one_minus_pt ** gamma * ce
    if reduction == "none":
        return loss
    return loss.sum() if reduction == "sum" else loss.sum() / loss.numel()
''',
        # softplus: -log sigmoid(z) = softplus(-z); 1 - p_t computed from p_t itself (fine at +-100 too)
        _FOCAL_HEAD + '''    t = targets.to(dtype=logits.dtype)
    nll = t * F.softplus(-logits) + (1 - t) * F.softplus(logits)
    p = torch.sigmoid(logits)
    p_t = p * t + (1 - p) * (1 - t)
    factor = (1 - p_t) ** gamma
    if alpha is not None:
        factor = factor * (alpha * t + (1 - alpha) * (1 - t))
    out = factor * nll
    if reduction == "mean":
        return out.mean()
    elif reduction == "sum":
        return out.sum()
    elif reduction == "none":
        return out
    else:
        raise ValueError("reduction must be none, mean or sum")
''',
    ],
    "grad_answer": [
        # with 1 - p_t named, and np.power
        _GRAD_HEAD + '''    q = 1.0 - p_t
    return np.power(q, gamma) * (q - gamma * p_t * np.log(p_t))
''',
        # autograd on the kit's loss: a positive with logit log(p_t / (1 - p_t))
        _GRAD_HEAD + '''    z = torch.tensor(np.log(p_t / (1 - p_t)), dtype=torch.float64, requires_grad=True)
    losses.sigmoid_focal_loss(z, torch.ones_like(z), alpha=None, gamma=gamma, reduction="sum").backward()
    return z.grad.abs().numpy()
''',
        # a list comprehension with math, returned as a list
        _GRAD_HEAD + '''    import math
    return [(1 - p) ** gamma * ((1 - p) - gamma * p * math.log(p)) for p in p_t.ravel()]
''',
    ],
    "share_answer": [
        # autograd on the learner's own focal_loss with reduction="sum"
        _SHARE_HEAD + '''    z = torch.tensor(logits, requires_grad=True)
    t = torch.tensor(targets)
    focal_loss(z, t, alpha=None, gamma=gamma, reduction="sum").backward()
    g = z.grad.abs().numpy()
    p = 1 / (1 + np.exp(-logits))
    p_t = np.where(targets == 1, p, 1 - p)
    return g[(targets == 0) & (p_t > easy)].sum() / g.sum()
''',
        # a loop over the examples with the closed form of Exercise 2
        _SHARE_HEAD + '''    import math
    easy_total, total = 0.0, 0.0
    for z, t in zip(logits, targets):
        p = 1 / (1 + math.exp(-z))
        p_t = p if t == 1 else 1 - p
        g = float(np.asarray(focal_gradient([p_t], gamma))[0])
        total += g
        if t == 0 and p_t > easy:
            easy_total += g
    return easy_total / total
''',
    ],
    "cb_answer": [
        # the formula as written, with 1 - beta ** n
        _CB_HEAD + '''    effective = (1 - beta ** counts) / (1 - beta)
    w = 1 / effective
    return w / w.sum() * len(counts)
''',
        # a loop, a list of floats
        _CB_HEAD + '''    raw = []
    for n in counts:
        raw.append((1 - beta) / (1 - beta ** n))
    total = sum(raw)
    return [len(raw) * r / total for r in raw]
''',
        # through the kit's reference
        _CB_HEAD + '''    return losses.class_balanced_weights(counts.astype(int), beta=beta)
''',
    ],
}

HABITS = [
    {"name": "prints inside the focal loss", "append_to": "focal_answer",
     "source": "print('focal loss of one easy negative:', float(focal_loss(torch.tensor([-4.0]), torch.tensor([0.0]))))"},
    {"name": "a scratch cell that reuses the tests' names (z, t, rng, _ref_fl)", "after": "focal_visible",
     "source": "# trying things\nrng = np.random.default_rng(1)\nz, t = torch.randn(5), torch.ones(5)\n_ref_fl = None\nprint(focal_loss(z, t, reduction='none'))"},
    {"name": "a float64 autograd check of the learner's own", "after": "grad_visible",
     "source": "_z = torch.tensor([2.0], dtype=torch.float64, requires_grad=True)\n"
               "focal_loss(_z, torch.ones(1, dtype=torch.float64), alpha=None, reduction='sum').backward()\n"
               "print(_z.grad, focal_gradient([1 / (1 + np.exp(-2.0))], 2.0))"},
    {"name": "a markdown note", "after": "cb_visible", "cell_type": "markdown",
     "source": "*Note to self: beta close to 1 = inverse frequency.*"},
    {"name": "a harmless warning in the share answer", "stderr": True, "append_to": "share_answer",
     "source": "import warnings\n_share_quiet = easy_negative_share\n\ndef easy_negative_share(logits, targets, gamma, easy=0.9):\n"
               "    warnings.warn('computing the share on a large batch', UserWarning, stacklevel=2)\n"
               "    return _share_quiet(logits, targets, gamma, easy)"},
]
