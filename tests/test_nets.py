"""Tests of imbalance_kit.nets against scikit-learn, scipy.optimize, autograd and closed forms."""

import numpy as np
import pytest
import torch
import torch.nn.functional as F
from scipy.optimize import minimize_scalar
from scipy.special import log_softmax
from sklearn.metrics import average_precision_score, roc_auc_score

from imbalance_kit.losses import FocalLoss, sigmoid_focal_loss
from imbalance_kit.metrics import brier_score, expected_calibration_error
from imbalance_kit.nets import (
    SmallCNN,
    evaluate_binary,
    fit_temperature,
    per_example_grad_norms,
    predict_logits,
    seed_everything,
    to_image_tensor,
    train_model,
)
from imbalance_kit.torch_samplers import ClassBalancedBatchSampler

torch.set_num_threads(1)


def _squares(n=160, size=16, prevalence=0.25, seed=0):
    """Noise images; positives carry a bright 4x4 square somewhere: easy to learn."""
    rng = np.random.default_rng(seed)
    X = rng.normal(0.3, 0.05, size=(n, size, size)).astype(np.float32)
    y = (rng.random(n) < prevalence).astype(int)
    y[:2] = [0, 1]
    for i in np.flatnonzero(y):
        r, c = rng.integers(0, size - 4, 2)
        X[i, r:r + 4, c:c + 4] += 0.5
    return X, y


# --------------------------------------------------------------------------- SmallCNN

def test_cnn_shape_and_seeded_init_leaves_global_state_alone():
    state = torch.get_rng_state()
    a, b, c = SmallCNN(random_state=3), SmallCNN(random_state=3), SmallCNN(random_state=4)
    assert torch.equal(torch.get_rng_state(), state)
    for pa, pb in zip(a.parameters(), b.parameters()):
        assert torch.equal(pa, pb)
    assert not torch.equal(a.head.weight, c.head.weight)
    assert a(torch.rand(7, 1, 32, 32)).shape == (7,)
    assert a(torch.rand(2, 1, 64, 64)).shape == (2,)


def test_cnn_is_invariant_to_exposure():
    # Per-image standardisation: gain and offset of the film do not change the logit.
    model = SmallCNN(random_state=0)
    x = torch.rand(4, 1, 32, 32)
    assert torch.allclose(model(x), model(1.7 * x + 0.2), atol=1e-4)


@pytest.mark.parametrize("bad", [-1, 1.5, "0", True])
def test_cnn_rejects_bad_seed(bad):
    with pytest.raises(ValueError, match="random_state"):
        SmallCNN(random_state=bad)


def test_to_image_tensor_shapes_and_errors():
    assert to_image_tensor(np.zeros((2, 8, 8))).shape == (2, 1, 8, 8)
    assert to_image_tensor(torch.zeros(2, 1, 8, 8, dtype=torch.float64)).dtype == torch.float32
    with pytest.raises(ValueError, match="shape"):
        to_image_tensor(np.zeros((2, 3, 8, 8)))
    with pytest.raises(ValueError, match="NaN"):
        to_image_tensor(np.full((1, 4, 4), np.nan))


def test_seed_everything_reproduces_global_draws():
    seed_everything(5)
    a = torch.rand(3)
    g = seed_everything(5)
    assert torch.equal(a, torch.rand(3))
    assert torch.equal(torch.rand(2, generator=g), torch.rand(2, generator=torch.Generator().manual_seed(5)))


# --------------------------------------------------------------------------- training

def test_training_learns_an_easy_task_and_is_reproducible():
    X, y = _squares()
    Xt, yt = _squares(seed=1)
    runs = []
    for _ in range(2):
        model = SmallCNN(width=4, random_state=0)
        history = train_model(model, X, y, torch.nn.BCEWithLogitsLoss(), epochs=6, batch_size=32,
                              random_state=1, progress=False)
        runs.append(model)
    assert len(history.loss) == 6 * 5
    assert np.mean(history.loss[-5:]) < np.mean(history.loss[:5])
    assert roc_auc_score(yt, predict_logits(runs[0], Xt)) > 0.9
    for pa, pb in zip(runs[0].parameters(), runs[1].parameters()):
        assert torch.equal(pa, pb)
    assert not runs[0].training


def test_training_uses_the_batch_sampler():
    X, y = _squares()
    sampler = ClassBalancedBatchSampler(y, batch_size=16, random_state=0)
    seen = []

    def loss_fn(logits, targets):
        seen.append(float(targets.mean()))
        return F.binary_cross_entropy_with_logits(logits, targets)

    history = train_model(SmallCNN(width=4), X, y, loss_fn, epochs=2, batch_sampler=sampler,
                          progress=False)
    assert len(history.loss) == 2 * len(sampler)
    assert np.allclose(seen, 0.5)  # every batch half positives


def test_training_fails_fast_on_a_bad_loss():
    X, y = _squares(n=64)
    calls = []

    def unfinished(logits, targets):
        calls.append(1)
        raise NotImplementedError()

    with pytest.raises(NotImplementedError):
        train_model(SmallCNN(width=4), X, y, unfinished, epochs=50, progress=False)
    assert len(calls) == 1
    with pytest.raises(ValueError, match="reduction"):
        train_model(SmallCNN(width=4), X, y,
                    lambda z, t: F.binary_cross_entropy_with_logits(z, t, reduction="none"),
                    progress=False)
    with pytest.raises(ValueError, match="gradient"):
        train_model(SmallCNN(width=4), X, y, lambda z, t: torch.tensor(0.5), progress=False)
    with pytest.raises(FloatingPointError, match="log space"):
        train_model(SmallCNN(width=4), X, y, lambda z, t: (z * float("nan")).mean(), progress=False)


def test_training_rejects_bad_input():
    X, y = _squares(n=64)
    with pytest.raises(ValueError, match="labels"):
        train_model(SmallCNN(width=4), X, y[:10], torch.nn.BCEWithLogitsLoss(), progress=False)
    with pytest.raises(ValueError, match="epochs"):
        train_model(SmallCNN(width=4), X, y, torch.nn.BCEWithLogitsLoss(), epochs=0)
    with pytest.raises(TypeError, match="loss_fn"):
        train_model(SmallCNN(width=4), X, y, "focal")


def test_training_records_probes():
    X, y = _squares(n=64)
    history = train_model(SmallCNN(width=4), X, y, torch.nn.BCEWithLogitsLoss(), epochs=3,
                          batch_size=32, probe=(X[:6], y[:6]), progress=False)
    assert history.probe_steps == [0, 2, 4, 6]
    assert all(n.shape == (6,) and (n > 0).all() for n in history.probe_grad_norms)
    assert all(((p > 0) & (p < 1)).all() for p in history.probe_p_t)


# --------------------------------------------------------------------------- prediction, metrics

def test_predict_logits_matches_forward_and_restores_mode():
    model = torch.nn.Sequential(torch.nn.Flatten(), torch.nn.Dropout(0.5), torch.nn.Linear(64, 1),
                                torch.nn.Flatten(0))
    model.train()
    x = torch.rand(10, 1, 8, 8)
    z = predict_logits(model, x, batch_size=3)
    assert model.training
    model.eval()
    assert np.allclose(z, model(x).detach().numpy(), atol=1e-6)


def test_evaluate_binary_matches_references():
    rng = np.random.default_rng(0)
    y = (rng.random(500) < 0.1).astype(int)
    p = np.clip(0.3 * y + rng.random(500) * 0.5, 0, 1)
    r = evaluate_binary(y, p)
    assert r["auc"] == pytest.approx(roc_auc_score(y, p))
    assert r["ap"] == pytest.approx(average_precision_score(y, p))
    assert r["ece"] == pytest.approx(expected_calibration_error(y, p))
    assert r["brier"] == pytest.approx(np.mean((p - y) ** 2))
    assert r["brier"] == pytest.approx(brier_score(y, p))
    with pytest.raises(ValueError):
        evaluate_binary([0, 0, 0], [0.1, 0.2, 0.3])


# --------------------------------------------------------------------------- temperature scaling

def _scipy_temperature(z, y):
    z, y = np.asarray(z, float), np.asarray(y)
    if z.ndim == 1:
        def nll(log_t):
            s = z / np.exp(log_t)
            return np.sum(np.logaddexp(0, s) - y * s)
    else:
        def nll(log_t):
            return -log_softmax(z / np.exp(log_t), axis=1)[np.arange(len(y)), y].sum()
    res = minimize_scalar(nll, bounds=(-5, 5), method="bounded", options={"xatol": 1e-10})
    return float(np.exp(res.x))


@pytest.mark.parametrize("scale", [0.3, 1.0, 4.0])
def test_temperature_matches_scipy_binary(scale):
    rng = np.random.default_rng(1)
    true_logit = rng.normal(-3, 2, size=2000)
    y = (rng.random(2000) < 1 / (1 + np.exp(-true_logit))).astype(int)
    z = scale * true_logit
    T = fit_temperature(z, y)
    assert T == pytest.approx(_scipy_temperature(z, y), rel=1e-5)
    # Logits inflated `scale` times need T near `scale` (a noisy estimate of it).
    assert T == pytest.approx(scale, rel=0.15)


def test_temperature_matches_scipy_multiclass_and_tensor_input():
    rng = np.random.default_rng(2)
    z = rng.normal(size=(600, 4)) * 3
    y = np.array([rng.choice(4, p=np.exp(r / 2) / np.exp(r / 2).sum()) for r in z])
    T = fit_temperature(torch.as_tensor(z), torch.as_tensor(y))
    assert T == pytest.approx(_scipy_temperature(z, y), rel=1e-5)
    assert T == pytest.approx(2.0, rel=0.2)


def test_temperature_keeps_ranking_and_lowers_nll():
    rng = np.random.default_rng(3)
    z = rng.normal(0, 5, 400)
    y = (rng.random(400) < 1 / (1 + np.exp(-z / 3))).astype(int)
    T = fit_temperature(z, y)
    nll = lambda t: np.mean(np.logaddexp(0, z / t) - y * z / t)  # noqa: E731
    assert T > 1 and nll(T) < nll(1.0)
    assert roc_auc_score(y, z / T) == roc_auc_score(y, z)


def test_temperature_errors():
    with pytest.raises(ValueError, match="no information|wrong way"):
        fit_temperature([3.0, 2.0, -2.0, -3.0], [0, 0, 1, 1])
    with pytest.raises(ValueError, match="separated"):
        fit_temperature([-3.0, -1.0, 2.0, 5.0], [0, 0, 1, 1])
    with pytest.raises(ValueError, match="shape"):
        fit_temperature(np.zeros((2, 2, 2)), [0, 1])
    with pytest.raises(ValueError, match="NaN"):
        fit_temperature([np.nan, 1.0], [0, 1])
    with pytest.raises(ValueError, match="rows"):
        fit_temperature([0.0, 1.0, 2.0], [0, 1])
    with pytest.raises(ValueError, match="class indices"):
        fit_temperature(np.zeros((2, 3)), [0, 3])


# --------------------------------------------------------------------------- per-example gradients

def test_per_example_grad_norms_closed_form_for_logistic_regression():
    # Logistic model z = w.x + b: the gradient of BCE is (p - y) [x, 1].
    torch.manual_seed(0)
    model = torch.nn.Sequential(torch.nn.Flatten(), torch.nn.Linear(16, 1), torch.nn.Flatten(0))
    x = torch.randn(12, 1, 4, 4)
    y = (torch.rand(12) < 0.5).long().numpy()
    norms, p_t = per_example_grad_norms(model, torch.nn.BCEWithLogitsLoss(), x, y, return_p_t=True)
    p = torch.sigmoid(model(x)).detach().double().numpy()
    features = np.c_[x.reshape(12, -1).double().numpy(), np.ones(12)]
    assert np.allclose(norms, np.abs(p - y) * np.linalg.norm(features, axis=1), rtol=1e-5)
    assert np.allclose(p_t, np.where(y == 1, p, 1 - p))


def test_per_example_grad_norms_focal_shrinks_easy_examples_and_keeps_grad():
    model = SmallCNN(width=4, random_state=0)
    with torch.no_grad():
        model.head.bias.fill_(-6.0)          # every image: p about 0.0025
    x = torch.rand(6, 1, 16, 16)
    y = np.array([0, 0, 0, 1, 1, 1])        # easy negatives, hard positives
    model.head.bias.grad = torch.ones(1)
    ce = per_example_grad_norms(model, torch.nn.BCEWithLogitsLoss(), x, y)
    fl = per_example_grad_norms(model, FocalLoss(alpha=None, gamma=2.0), x, y)
    assert torch.equal(model.head.bias.grad, torch.ones(1))
    ratio = fl / ce                         # (1 - p_t)^2 (+ a small extra term)
    assert (ratio[:3] < 1e-4).all() and (ratio[3:] > 0.9).all()
    # Each norm is that of the example's own gradient, computed alone.
    model.zero_grad()
    sigmoid_focal_loss(model(x[3:4]), torch.ones(1), alpha=None, gamma=2.0, reduction="mean").backward()
    direct = np.sqrt(sum(float((p.grad.double() ** 2).sum()) for p in model.parameters()))
    assert fl[3] == pytest.approx(direct, rel=1e-5)
