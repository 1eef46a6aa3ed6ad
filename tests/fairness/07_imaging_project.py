"""Correct alternative answers and learner habits for ``07_imaging_project`` (format: tests/test_fairness.py)."""

_LOSS_HEAD = '''FOCAL_ALPHA, FOCAL_GAMMA = 0.5, 2.0


def make_loss(name, y_train):
    """A loss function loss_fn(logits, targets) -> mean loss over the batch, chosen by name."""
    y_train = np.asarray(y_train)
'''
_BIAS_HEAD = '''def init_prior_bias(model, y_train):
    """Set model.head.bias to log(pi / (1 - pi)), pi = mean of y_train; return the model."""
'''
_EVAL_HEAD = '''def evaluate(model, images, labels, temperature=1.0):
    """{"auc", "ap", "ece", "brier"} of sigmoid(logits / temperature) on held-out images."""
    labels = np.asarray(labels)
'''
_TEMP_HEAD = '''def fit_temperature(logits, labels):
    """The temperature T > 0 minimising the NLL of sigmoid(logits / T) against labels."""
    logits = np.asarray(logits, dtype=float)
    labels = np.asarray(labels, dtype=float)
'''

ALTERNATIVES = {
    "loss_answer": [
        # closures over F.binary_cross_entropy_with_logits and the kit's functional focal loss
        _LOSS_HEAD + '''    if name == "ce":
        return lambda z, t: F.binary_cross_entropy_with_logits(z, t)
    elif name == "weighted_ce":
        w = torch.tensor(float(np.sum(y_train == 0)) / float(np.sum(y_train == 1)))
        return lambda z, t: F.binary_cross_entropy_with_logits(z, t, pos_weight=w)
    elif name == "focal":
        return lambda z, t: losses.sigmoid_focal_loss(z, t, alpha=FOCAL_ALPHA, gamma=FOCAL_GAMMA,
                                                      reduction="mean")
    raise ValueError(f"make_loss: no loss called {name}")
''',
        # written by hand with logsigmoid, chosen from a dict
        _LOSS_HEAD + '''    counts = np.bincount(y_train.astype(int), minlength=2)
    w_pos = float(counts[0] / counts[1])

    def ce(z, t, weight=1.0):
        return -(weight * t * F.logsigmoid(z) + (1 - t) * F.logsigmoid(-z)).mean()

    def focal(z, t):
        log_pt = t * F.logsigmoid(z) + (1 - t) * F.logsigmoid(-z)
        a = FOCAL_ALPHA * t + (1 - FOCAL_ALPHA) * (1 - t)
        return (-a * (1 - log_pt.exp()) ** FOCAL_GAMMA * log_pt).mean()

    table = {"ce": ce, "weighted_ce": lambda z, t: ce(z, t, w_pos), "focal": focal}
    if name not in table:
        raise ValueError("unknown loss: " + repr(name))
    return table[name]
''',
    ],
    "bias_answer": [
        # the kit's prior_bias_init and .data
        _BIAS_HEAD + '''    b = losses.prior_bias_init(np.asarray(y_train))
    model.head.bias.data.fill_(b)
    return model
''',
        # a new Parameter, math.log, a Python loop for the mean
        _BIAS_HEAD + '''    import math
    values = [float(v) for v in y_train]
    pi = sum(values) / len(values)
    model.head.bias = nn.Parameter(torch.tensor([math.log(pi) - math.log(1 - pi)]))
    return model
''',
    ],
    "eval_answer": [
        # eval mode and no_grad by hand, torch's sigmoid in float64, scikit-learn's Brier score
        _EVAL_HEAD + '''    from sklearn.metrics import brier_score_loss
    model.eval()
    with torch.no_grad():
        x = torch.as_tensor(np.asarray(images), dtype=torch.float32)
        if x.ndim == 3:
            x = x.unsqueeze(1)
        z = model(x).reshape(-1).double()
    p = torch.sigmoid(z / temperature).numpy()
    return dict(auc=roc_auc_score(labels, p), ap=average_precision_score(labels, p),
                ece=expected_calibration_error(labels, p, n_bins=10), brier=brier_score_loss(labels, p))
''',
        # chunks, inference_mode, mode restored, Brier by hand
        _EVAL_HEAD + '''    was_training = model.training
    model.train(False)
    parts = []
    with torch.inference_mode():
        for chunk in np.array_split(np.asarray(images, dtype=np.float32), 4):
            parts.append(model(torch.from_numpy(chunk)[:, None]).double())
    model.train(was_training)
    z = torch.cat(parts).numpy()
    p = 1 / (1 + np.exp(-z / temperature))
    return {"auc": roc_auc_score(labels, p), "ap": average_precision_score(labels, p),
            "ece": expected_calibration_error(labels, p), "brier": float(np.mean((p - labels) ** 2))}
''',
    ],
    "temp_answer": [
        # torch LBFGS on log T
        _TEMP_HEAD + '''    z = torch.tensor(logits)
    y = torch.tensor(labels)
    log_t = torch.zeros(1, dtype=torch.float64, requires_grad=True)
    opt = torch.optim.LBFGS([log_t], lr=1.0, max_iter=500, tolerance_grad=1e-12,
                            tolerance_change=1e-15, line_search_fn="strong_wolfe")

    def closure():
        opt.zero_grad()
        loss = F.binary_cross_entropy_with_logits(z / log_t.exp(), y, reduction="sum")
        loss.backward()
        return loss

    opt.step(closure)
    return log_t.exp().item()
''',
        # scipy.optimize.minimize (Nelder-Mead) on log T, the NLL as a mean
        _TEMP_HEAD + '''    from scipy.optimize import minimize

    def mean_nll(v):
        s = logits / np.exp(v[0])
        return np.mean(np.logaddexp(0, s) - labels * s)

    res = minimize(mean_nll, x0=[0.0], method="Nelder-Mead", options={"xatol": 1e-9, "fatol": 1e-14})
    return np.exp(res.x[0])
''',
    ],
}

HABITS = [
    {"name": "prints inside the loss answer", "append_to": "loss_answer",
     "source": "print('weighted CE weight:', (np.asarray([0, 0, 0, 1]) == 0).sum() / 1)"},
    {"name": "a scratch cell reusing the tests' names", "after": "loss_visible",
     "source": "_y = [1, 1]\n_m = None\n_z = torch.zeros(3)\n_Net = 'not a network'\nprint('scratch')"},
    {"name": "a markdown note", "after": "bias_visible", "cell_type": "markdown",
     "source": "*b = log(pi / (1 - pi)), negative for a rare class.*"},
    {"name": "a progress bar in the evaluation (tqdm writes to stderr)", "stderr": True, "append_to": "eval_answer",
     "source": "from tqdm.auto import tqdm\n_evaluate_quiet = evaluate\n\n"
               "def evaluate(model, images, labels, temperature=1.0):\n"
               "    for _ in tqdm(range(1), desc='evaluating'):\n        pass\n"
               "    return _evaluate_quiet(model, images, labels, temperature)"},
]
