"""Tests of imbalance_kit.losses against the published formulas, PyTorch's
cross-entropy, autograd (with and without sample weights), small XGBoost runs,
and a forward pass on data-less "meta" tensors (no host-device sync)."""

import numpy as np
import pytest
import torch
import torch.nn.functional as F

from imbalance_kit.losses import (
    FocalLoss,
    MultiClassFocalLoss,
    class_balanced_weights,
    prior_bias_init,
    sigmoid_focal_loss,
    xgboost_focal_objective,
)


@pytest.fixture
def moderate():
    g = torch.Generator().manual_seed(0)
    logits = torch.randn(500, generator=g, dtype=torch.float64) * 4
    targets = (torch.rand(500, generator=g, dtype=torch.float64) < 0.3).double()
    return logits, targets


def _naive_focal(x, t, alpha, gamma):
    """The paper's formula, term by term, with plain torch ops."""
    p = 1 / (1 + torch.exp(-x))
    ce = -(t * torch.log(p) + (1 - t) * torch.log(1 - p))
    p_t = p * t + (1 - p) * (1 - t)
    alpha_t = alpha * t + (1 - alpha) * (1 - t)
    return alpha_t * (1 - p_t) ** gamma * ce


def _torchvision_focal(inputs, targets, alpha=0.25, gamma=2.0):
    """torchvision.ops.sigmoid_focal_loss (BSD-3), re-implemented verbatim."""
    p = torch.sigmoid(inputs)
    ce_loss = F.binary_cross_entropy_with_logits(inputs, targets, reduction="none")
    p_t = p * targets + (1 - p) * (1 - targets)
    loss = ce_loss * ((1 - p_t) ** gamma)
    if alpha >= 0:
        alpha_t = alpha * targets + (1 - alpha) * (1 - targets)
        loss = alpha_t * loss
    return loss


# ---------------------------------------------------------------------------
# sigmoid_focal_loss
# ---------------------------------------------------------------------------

@pytest.mark.parametrize("alpha, gamma", [(0.25, 2.0), (0.5, 1.0), (0.9, 0.5), (0.1, 3.5)])
def test_focal_equals_naive_formula(moderate, alpha, gamma):
    x, t = moderate
    torch.testing.assert_close(sigmoid_focal_loss(x, t, alpha, gamma), _naive_focal(x, t, alpha, gamma))


@pytest.mark.parametrize("alpha, gamma", [(0.25, 2.0), (-1, 2.0), (0.75, 0.0)])
def test_focal_equals_torchvision(moderate, alpha, gamma):
    x, t = moderate
    torch.testing.assert_close(
        sigmoid_focal_loss(x, t, alpha=alpha, gamma=gamma),
        _torchvision_focal(x, t, alpha=alpha, gamma=gamma),
    )


def test_focal_soft_targets_follow_general_formula(moderate):
    x, _ = moderate
    t = torch.rand(500, generator=torch.Generator().manual_seed(1), dtype=torch.float64)
    torch.testing.assert_close(sigmoid_focal_loss(x, t), _naive_focal(x, t, 0.25, 2.0))


def test_focal_gamma0_and_no_alpha_is_bce(moderate):
    x, t = moderate
    bce = F.binary_cross_entropy_with_logits(x, t, reduction="none")
    torch.testing.assert_close(sigmoid_focal_loss(x, t, alpha=-1, gamma=0.0), bce)
    torch.testing.assert_close(sigmoid_focal_loss(x, t, alpha=None, gamma=0.0), bce)
    torch.testing.assert_close(
        sigmoid_focal_loss(x, t, alpha=-1, gamma=0.0, reduction="mean"),
        F.binary_cross_entropy_with_logits(x, t),
    )


def test_alpha_weights_the_positive_class():
    x = torch.tensor([0.0, 0.0])
    t = torch.tensor([1.0, 0.0])
    loss = sigmoid_focal_loss(x, t, alpha=0.25, gamma=0.0)
    # Same prediction 0.5, same CE: the positive gets 0.25, the negative 0.75.
    torch.testing.assert_close(loss, torch.tensor([0.25, 0.75]) * np.log(2.0))


@pytest.mark.parametrize("gamma", [0.0, 0.5, 2.0, 5.0])
@pytest.mark.parametrize("dtype", [torch.float32, torch.float64])
def test_focal_extreme_logits_finite(gamma, dtype):
    x = torch.tensor([-100.0, -100.0, 100.0, 100.0, -1e4, 1e4, 0.0], dtype=dtype, requires_grad=True)
    t = torch.tensor([0.0, 1.0, 0.0, 1.0, 1.0, 1.0, 0.5], dtype=dtype)
    loss = sigmoid_focal_loss(x, t, gamma=gamma)
    assert torch.isfinite(loss).all()
    loss.sum().backward()
    assert torch.isfinite(x.grad).all()
    # Confidently wrong: CE ~ |x| and (1 - p_t) ~ 1.
    assert loss[1].item() == pytest.approx(0.25 * 100, rel=1e-6)
    assert loss[2].item() == pytest.approx(0.75 * 100, rel=1e-6)
    assert loss[3].item() == pytest.approx(0.0, abs=1e-30)


def test_torchvision_formula_gives_nan_gradient_where_ours_does_not():
    # Documents why (1 - p_t) is clamped: gamma < 1 and 1 - p_t == 0 exactly.
    x = torch.tensor([200.0], requires_grad=True)
    _torchvision_focal(x, torch.tensor([1.0]), gamma=0.5).sum().backward()
    assert torch.isnan(x.grad).all()
    x = torch.tensor([200.0], requires_grad=True)
    sigmoid_focal_loss(x, torch.tensor([1.0]), gamma=0.5).sum().backward()
    assert torch.isfinite(x.grad).all()


def test_focal_reductions(moderate):
    x, t = moderate
    elementwise = sigmoid_focal_loss(x, t, reduction="none")
    assert elementwise.shape == x.shape
    torch.testing.assert_close(sigmoid_focal_loss(x, t, reduction="mean"), elementwise.mean())
    torch.testing.assert_close(sigmoid_focal_loss(x, t, reduction="sum"), elementwise.sum())
    torch.testing.assert_close(
        sigmoid_focal_loss(x, t, reduction="sum", normalize_by_positives=True),
        elementwise.sum() / t.sum(),
    )
    # No positives: divide by 1, not 0.
    zeros = torch.zeros_like(t)
    torch.testing.assert_close(
        sigmoid_focal_loss(x, zeros, reduction="sum", normalize_by_positives=True),
        sigmoid_focal_loss(x, zeros, reduction="sum"),
    )


def test_focal_any_shape_and_int_targets():
    x = torch.randn(4, 3, 2, generator=torch.Generator().manual_seed(0))
    t = torch.randint(0, 2, (4, 3, 2), generator=torch.Generator().manual_seed(1))
    out = sigmoid_focal_loss(x, t)
    assert out.shape == (4, 3, 2)
    torch.testing.assert_close(out, _torchvision_focal(x, t.float()))


def test_focal_loss_errors(moderate):
    x, t = moderate
    with pytest.raises(ValueError, match=r"targets has shape \(499,\) but logits has shape \(500,\)"):
        sigmoid_focal_loss(x, t[:-1])
    with pytest.raises(ValueError, match="gamma must be >= 0"):
        sigmoid_focal_loss(x, t, gamma=-1.0)
    with pytest.raises(ValueError, match="alpha must lie in"):
        sigmoid_focal_loss(x, t, alpha=1.5)
    with pytest.raises(ValueError, match="alpha must be a number"):
        sigmoid_focal_loss(x, t, alpha=float("nan"))
    with pytest.raises(ValueError, match="reduction must be one of"):
        sigmoid_focal_loss(x, t, reduction="avg")
    with pytest.raises(ValueError, match="normalize_by_positives=True .*reduction='sum'"):
        sigmoid_focal_loss(x, t, reduction="mean", normalize_by_positives=True)
    with pytest.raises(ValueError, match=r"targets must lie in \[0, 1\]"):
        sigmoid_focal_loss(x, t * 2)
    # A NaN target would make the whole loss NaN without a word.
    t_nan = t.clone()
    t_nan[3] = float("nan")
    with pytest.raises(ValueError, match=r"targets must lie in \[0, 1\] without NaN"):
        sigmoid_focal_loss(x, t_nan, reduction="mean")
    with pytest.raises(ValueError, match="without NaN"):
        FocalLoss()(x, t_nan)
    with pytest.raises(TypeError, match="logits must be a torch.Tensor"):
        sigmoid_focal_loss(x.numpy(), t)
    with pytest.raises(TypeError, match="logits must be a floating-point tensor"):
        sigmoid_focal_loss(t.long(), t)


def test_focal_loss_module(moderate):
    x, t = moderate
    criterion = FocalLoss(alpha=0.4, gamma=1.5)
    torch.testing.assert_close(criterion(x, t), _naive_focal(x, t, 0.4, 1.5).mean())
    torch.testing.assert_close(FocalLoss(reduction="sum")(x, t), _naive_focal(x, t, 0.25, 2.0).sum())
    assert "alpha=0.4" in repr(criterion)
    with pytest.raises(ValueError, match="gamma must be >= 0"):
        FocalLoss(gamma=-2)
    with pytest.raises(ValueError, match="alpha must lie in"):
        FocalLoss(alpha=2)
    with pytest.raises(ValueError, match="reduction must be one of"):
        FocalLoss(reduction="batchmean")


# ---------------------------------------------------------------------------
# MultiClassFocalLoss
# ---------------------------------------------------------------------------

@pytest.fixture
def multiclass():
    g = torch.Generator().manual_seed(2)
    return torch.randn(200, 4, generator=g, dtype=torch.float64) * 3, torch.randint(0, 4, (200,), generator=g)


def test_multiclass_gamma0_is_cross_entropy(multiclass):
    x, y = multiclass
    torch.testing.assert_close(MultiClassFocalLoss(gamma=0.0)(x, y), F.cross_entropy(x, y))
    torch.testing.assert_close(
        MultiClassFocalLoss(gamma=0.0, reduction="none")(x, y), F.cross_entropy(x, y, reduction="none"))


def test_multiclass_gamma0_alpha_is_weighted_cross_entropy(multiclass):
    x, y = multiclass
    w = torch.tensor([0.1, 1.0, 2.0, 0.5], dtype=torch.float64)
    torch.testing.assert_close(
        MultiClassFocalLoss(alpha=w, gamma=0.0, reduction="sum")(x, y),
        F.cross_entropy(x, y, weight=w, reduction="sum"))
    torch.testing.assert_close(
        MultiClassFocalLoss(alpha=w.tolist(), gamma=0.0, reduction="none")(x, y),
        F.cross_entropy(x, y, weight=w, reduction="none"))
    # "mean" is a plain mean over rows; cross_entropy divides by sum(w[y]).
    torch.testing.assert_close(
        MultiClassFocalLoss(alpha=w, gamma=0.0)(x, y),
        F.cross_entropy(x, y, weight=w, reduction="sum") / len(y))


def test_multiclass_matches_naive_formula(multiclass):
    x, y = multiclass
    alpha = torch.tensor([0.25, 0.5, 1.0, 2.0], dtype=torch.float64)
    p_y = torch.softmax(x, dim=1)[torch.arange(len(y)), y]
    naive = -alpha[y] * (1 - p_y) ** 2.0 * torch.log(p_y)
    torch.testing.assert_close(MultiClassFocalLoss(alpha=alpha, reduction="none")(x, y), naive)


def test_multiclass_binary_case_equals_sigmoid_focal():
    # Two classes with logits (0, x): softmax = sigmoid, alpha = (1 - a, a).
    x = torch.linspace(-6, 6, 41, dtype=torch.float64)
    t = (torch.arange(41) % 2)
    logits = torch.stack([torch.zeros_like(x), x], dim=1)
    multi = MultiClassFocalLoss(alpha=[0.75, 0.25], gamma=2.0, reduction="none")(logits, t)
    torch.testing.assert_close(multi, sigmoid_focal_loss(x, t.double()))


def test_multiclass_extreme_logits_finite():
    x = torch.tensor([[100.0, -100.0, 0.0], [-100.0, 100.0, 0.0], [1e4, 0.0, 0.0]], requires_grad=True)
    y = torch.tensor([0, 0, 0])
    loss = MultiClassFocalLoss(gamma=0.5, reduction="none")(x, y)
    assert torch.isfinite(loss).all()
    assert loss[1].item() == pytest.approx(200.0, rel=1e-5)
    loss.sum().backward()
    assert torch.isfinite(x.grad).all()


def test_multiclass_errors(multiclass):
    x, y = multiclass
    with pytest.raises(ValueError, match="alpha has 3 weights but logits have 4 classes"):
        MultiClassFocalLoss(alpha=[1, 1, 1])(x, y)
    with pytest.raises(ValueError, match="alpha must hold finite weights >= 0"):
        MultiClassFocalLoss(alpha=[1, -1])
    with pytest.raises(ValueError, match="alpha must be a 1-D sequence"):
        MultiClassFocalLoss(alpha=[[1, 2]])
    with pytest.raises(ValueError, match="gamma must be >= 0"):
        MultiClassFocalLoss(gamma=-0.5)
    with pytest.raises(ValueError, match="reduction must be one of"):
        MultiClassFocalLoss(reduction="avg")
    with pytest.raises(ValueError, match=r"target must have shape \(200,\)"):
        MultiClassFocalLoss()(x, y[:-1])
    with pytest.raises(ValueError, match=r"target must hold class indices in \[0, 3\]"):
        MultiClassFocalLoss()(x, y + 1)
    with pytest.raises(TypeError, match="target must hold integer class indices"):
        MultiClassFocalLoss()(x, y.double())
    with pytest.raises(ValueError, match=r"logits must have shape \(n_samples, n_classes >= 2\)"):
        MultiClassFocalLoss()(x[:, 0], y)


# ---------------------------------------------------------------------------
# class_balanced_weights and prior_bias_init
# ---------------------------------------------------------------------------

def test_class_balanced_weights_formula():
    counts = np.array([5000, 300, 20])
    beta = 0.999
    effective = (1 - beta ** counts) / (1 - beta)
    expected = (1 / effective) / (1 / effective).sum() * 3
    np.testing.assert_allclose(class_balanced_weights(counts, beta), expected, rtol=1e-12)
    assert class_balanced_weights(counts).sum() == pytest.approx(3.0)


def test_class_balanced_weights_limits():
    counts = [900, 90, 10]
    np.testing.assert_allclose(class_balanced_weights(counts, beta=0.0), [1.0, 1.0, 1.0])
    inverse = 1 / np.array(counts, float)
    inverse_freq = inverse / inverse.sum() * 3
    np.testing.assert_allclose(class_balanced_weights(counts, beta=1 - 1e-9), inverse_freq, rtol=1e-5)
    # Weights move monotonically from equal to inverse frequency.
    rare = [class_balanced_weights(counts, b)[2] for b in (0.0, 0.9, 0.99, 0.999, 0.9999)]
    assert np.all(np.diff(rare) > 0) and rare[-1] < inverse_freq[2]


def test_class_balanced_weights_errors():
    with pytest.raises(ValueError, match=r"beta must lie in \[0.0, 1.0\)"):
        class_balanced_weights([10, 5], beta=1.0)
    with pytest.raises(ValueError, match="beta must lie in"):
        class_balanced_weights([10, 5], beta=-0.1)
    with pytest.raises(ValueError, match="beta must be a number, got nan"):
        class_balanced_weights([10, 5], beta=float("nan"))
    with pytest.raises(ValueError, match="class_counts must be whole numbers >= 1"):
        class_balanced_weights([10, 0])
    with pytest.raises(ValueError, match="class_counts must be whole numbers >= 1"):
        class_balanced_weights([10, 2.5])
    with pytest.raises(ValueError, match="class_counts must be a 1-D list"):
        class_balanced_weights([[10, 5]])


@pytest.mark.parametrize("pi", [0.5, 0.1, 0.00173, 1e-6, 0.99])
def test_prior_bias_init_predicts_prior(pi):
    b = prior_bias_init(pi)
    assert isinstance(b, float)
    assert torch.sigmoid(torch.tensor(b, dtype=torch.float64)).item() == pytest.approx(pi, rel=1e-12)
    assert b == pytest.approx(-np.log((1 - pi) / pi))


def test_prior_bias_init_from_labels():
    labels = np.r_[np.zeros(998), np.ones(2)]
    assert prior_bias_init(labels) == pytest.approx(np.log(0.002 / 0.998))
    assert prior_bias_init(torch.tensor(labels)) == pytest.approx(np.log(0.002 / 0.998))


def test_prior_bias_init_errors():
    for bad in (0.0, 1.0, 1.5, -0.2):
        with pytest.raises(ValueError, match=r"pi must lie in \(0.0, 1.0\)"):
            prior_bias_init(bad)
    with pytest.raises(ValueError, match="pi has only one class"):
        prior_bias_init(np.zeros(10))
    with pytest.raises(ValueError, match="pi must contain only the labels 0 and 1"):
        prior_bias_init([0, 1, 2])


# ---------------------------------------------------------------------------
# XGBoost objective
# ---------------------------------------------------------------------------

def _autograd_grad_hess(margin, labels, alpha, gamma, weight=None):
    """Gradient and diagonal hessian of sum_i w_i FL_i, by autograd."""
    x = torch.tensor(margin, dtype=torch.float64, requires_grad=True)
    t = torch.tensor(labels, dtype=torch.float64)
    w = torch.ones_like(t) if weight is None else torch.tensor(weight, dtype=torch.float64)
    loss = (w * sigmoid_focal_loss(x, t, alpha=alpha, gamma=gamma)).sum()
    (grad,) = torch.autograd.grad(loss, x, create_graph=True)
    # The loss is a sum of per-row terms: the hessian is diagonal.
    (hess,) = torch.autograd.grad(grad.sum(), x)
    return grad.detach().numpy(), hess.numpy()


@pytest.mark.parametrize("alpha, gamma", [(0.25, 2.0), (0.5, 0.0), (-1, 1.0), (0.9, 3.0), (0.25, 0.5)])
def test_xgboost_objective_matches_autograd(alpha, gamma):
    margin = np.tile(np.linspace(-12, 12, 241), 2)
    labels = np.r_[np.zeros(241), np.ones(241)]
    floor = 1e-6
    obj = xgboost_focal_objective(alpha=alpha, gamma=gamma, hess_floor=floor)
    grad, hess = obj(margin, _FakeDMatrix(labels))
    g_ref, h_ref = _autograd_grad_hess(margin, labels, alpha, gamma)
    np.testing.assert_allclose(grad, g_ref, rtol=1e-7, atol=1e-12)
    above = h_ref > floor
    assert above.mean() > 0.25         # enough points compared before clipping
    np.testing.assert_allclose(hess[above], h_ref[above], rtol=1e-6, atol=1e-12)
    assert (hess >= floor).all()
    np.testing.assert_array_equal(hess[~above], floor)
    if gamma > 0:
        assert (h_ref < 0).any()       # the focal loss is not convex everywhere


def test_xgboost_objective_sklearn_signature_and_gamma0_is_logistic():
    margin = np.linspace(-5, 5, 11)
    labels = (np.arange(11) % 2).astype(float)
    obj = xgboost_focal_objective(alpha=None, gamma=0.0)
    g_native, h_native = obj(margin, _FakeDMatrix(labels))
    g_sk, h_sk = obj(labels, margin)             # (y_true, y_pred)
    np.testing.assert_array_equal(g_native, g_sk)
    np.testing.assert_array_equal(h_native, h_sk)
    p = 1 / (1 + np.exp(-margin))
    np.testing.assert_allclose(g_native, p - labels)
    np.testing.assert_allclose(h_native, p * (1 - p))


def test_xgboost_objective_extreme_margins_finite():
    obj = xgboost_focal_objective()
    grad, hess = obj(np.array([-800.0, 800.0, -800.0, 800.0]), _FakeDMatrix(np.array([0, 0, 1, 1.0])))
    assert np.isfinite(grad).all() and np.isfinite(hess).all() and (hess > 0).all()
    assert grad[1] == pytest.approx(0.75) and grad[2] == pytest.approx(-0.25)


def test_xgboost_objective_errors():
    with pytest.raises(ValueError, match="gamma must be >= 0"):
        xgboost_focal_objective(gamma=-1)
    with pytest.raises(ValueError, match="alpha must lie in"):
        xgboost_focal_objective(alpha=3)
    with pytest.raises(ValueError, match="hess_floor must be > 0"):
        xgboost_focal_objective(hess_floor=0.0)
    obj = xgboost_focal_objective()
    with pytest.raises(ValueError, match="labels must contain only the labels 0 and 1"):
        obj(np.zeros(3), _FakeDMatrix(np.array([0, 1, 2.0])))
    with pytest.raises(ValueError, match="labels has 2 values but the margins have 3"):
        obj(np.zeros(3), _FakeDMatrix(np.array([0, 1.0])))


class _FakeDMatrix:
    """What the objective reads from an xgboost.DMatrix: labels and weights
    (an empty array when there are none, as xgboost returns)."""

    def __init__(self, labels, weight=None):
        self._labels = np.asarray(labels, dtype=np.float32)
        self._weight = np.asarray([] if weight is None else weight, dtype=np.float32)

    def get_label(self):
        return self._labels

    def get_weight(self):
        return self._weight


def test_xgboost_train_with_focal_objective_learns():
    xgb = pytest.importorskip("xgboost")
    from sklearn.metrics import roc_auc_score

    rng = np.random.default_rng(0)
    n = 2000
    X = rng.normal(size=(n, 5))
    y = (X[:, 0] + 0.5 * X[:, 1] + rng.normal(scale=0.5, size=n) > 2.0).astype(int)  # ~5 % positives
    train, test = slice(0, 1500), slice(1500, None)
    dtrain = xgb.DMatrix(X[train], label=y[train])
    booster = xgb.train(
        {"max_depth": 3, "eta": 0.3, "min_child_weight": 0.01, "nthread": 1},
        dtrain, num_boost_round=15, obj=xgboost_focal_objective(alpha=0.25, gamma=2.0),
    )
    margin = booster.predict(xgb.DMatrix(X[test]), output_margin=True)
    assert roc_auc_score(y[test], margin) > 0.8   # 0.98 measured; a sign error gives 0.36

    clf = xgb.XGBClassifier(objective=xgboost_focal_objective(), n_estimators=15, max_depth=3,
                            min_child_weight=0.01, n_jobs=1)
    clf.fit(X[train], y[train])
    assert roc_auc_score(y[test], clf.predict(X[test], output_margin=True)) > 0.8


# Bug 4 of issue 9: sample weights were ignored (xgb.train) or made fit() raise (sklearn API).

@pytest.mark.parametrize("alpha, gamma", [(0.25, 2.0), (-1, 0.0), (0.9, 0.5)])
def test_xgboost_objective_weighted_matches_autograd_both_signatures(alpha, gamma):
    rng = np.random.default_rng(4)
    margin = np.tile(np.linspace(-8, 8, 81), 2)
    labels = np.r_[np.zeros(81), np.ones(81)]
    weight = rng.uniform(0.0, 5.0, size=margin.size)
    weight[:5] = 0.0                      # a zero weight removes the row
    floor = 1e-6
    obj = xgboost_focal_objective(alpha=alpha, gamma=gamma, hess_floor=floor)
    g_ref, h_ref = _autograd_grad_hess(margin, labels, alpha, gamma, weight=weight)
    # xgb.train path: the weights are the DMatrix's (stored as float32 there).
    weight32 = weight.astype(np.float32).astype(np.float64)
    g_native, h_native = obj(margin, _FakeDMatrix(labels, weight))
    g_ref32, h_ref32 = _autograd_grad_hess(margin, labels, alpha, gamma, weight=weight32)
    np.testing.assert_allclose(g_native, g_ref32, rtol=1e-7, atol=1e-12)
    # scikit-learn path: fit(..., sample_weight=w) calls obj(y, margin, sample_weight=w).
    g_sk, h_sk = obj(labels, margin, sample_weight=weight)
    np.testing.assert_allclose(g_sk, g_ref, rtol=1e-7, atol=1e-12)
    _, h_unweighted_ref = _autograd_grad_hess(margin, labels, alpha, gamma)
    above = h_unweighted_ref > floor
    np.testing.assert_allclose(h_sk[above], h_ref[above], rtol=1e-6, atol=1e-12)
    np.testing.assert_allclose(h_native[above], h_ref32[above], rtol=1e-6, atol=1e-12)
    # Where the unweighted hessian is clipped, the weighted one is floor * w.
    np.testing.assert_allclose(h_sk[~above], floor * weight[~above])
    assert (g_sk[:5] == 0).all() and (h_sk[:5] == 0).all()
    # No weights (an empty DMatrix weight) = weight 1.
    g1, h1 = obj(margin, _FakeDMatrix(labels))
    g2, h2 = obj(labels, margin, sample_weight=np.ones_like(margin))
    np.testing.assert_array_equal(g1, g2)
    np.testing.assert_array_equal(h1, h2)


def test_xgboost_objective_weight_errors():
    obj = xgboost_focal_objective()
    labels, margin = np.array([0.0, 1.0, 1.0]), np.zeros(3)
    with pytest.raises(ValueError, match="sample_weight has 2 values but 3 were expected"):
        obj(labels, margin, sample_weight=[1.0, 2.0])
    with pytest.raises(ValueError, match="sample_weight must be >= 0"):
        obj(labels, margin, sample_weight=[1.0, -2.0, 1.0])
    with pytest.raises(ValueError, match="sample_weight contains NaN"):
        obj(margin, _FakeDMatrix(labels, [1.0, np.nan, 1.0]))


def _weighted_data():
    rng = np.random.default_rng(0)
    n = 600
    X = rng.normal(size=(n, 4))
    y = (X[:, 0] + rng.normal(scale=0.7, size=n) > 1.5).astype(int)
    weight = rng.integers(1, 4, size=n).astype(float)
    return X, y, weight, np.repeat(np.arange(n), weight.astype(int))


def test_xgboost_sklearn_api_sample_weight_equals_duplicated_rows():
    xgb = pytest.importorskip("xgboost")
    X, y, weight, repeat = _weighted_data()
    params = dict(objective=xgboost_focal_objective(), n_estimators=5, max_depth=3,
                  min_child_weight=0.01, n_jobs=1, tree_method="exact", learning_rate=0.3)
    weighted = xgb.XGBClassifier(**params).fit(X, y, sample_weight=weight)   # used to raise
    duplicated = xgb.XGBClassifier(**params).fit(X[repeat], y[repeat])
    plain = xgb.XGBClassifier(**params).fit(X, y)
    margin = {name: model.predict(X, output_margin=True)
              for name, model in [("w", weighted), ("dup", duplicated), ("plain", plain)]}
    # An integer weight w counts a row w times: the same trees as duplicating it.
    np.testing.assert_allclose(margin["w"], margin["dup"], atol=1e-5)
    assert np.abs(margin["w"] - margin["plain"]).max() > 0.1   # and the weights matter


def test_xgboost_train_applies_dmatrix_weights():
    xgb = pytest.importorskip("xgboost")
    X, y, weight, repeat = _weighted_data()
    params = {"max_depth": 3, "min_child_weight": 0.01, "nthread": 1, "tree_method": "exact",
              "eta": 0.3}
    obj = xgboost_focal_objective()

    def margin(dtrain):
        booster = xgb.train(params, dtrain, num_boost_round=5, obj=obj)
        return booster.predict(xgb.DMatrix(X), output_margin=True)

    weighted = margin(xgb.DMatrix(X, label=y, weight=weight))
    duplicated = margin(xgb.DMatrix(X[repeat], label=y[repeat]))
    plain = margin(xgb.DMatrix(X, label=y))
    np.testing.assert_allclose(weighted, duplicated, atol=1e-5)
    assert np.abs(weighted - plain).max() > 0.1        # ignoring the weights gives `plain`


# ---------------------------------------------------------------------------
# No host-device synchronisation in the forward pass (issue 9)
# ---------------------------------------------------------------------------

def test_focal_losses_forward_reads_no_tensor_value_off_a_device():
    # A "meta" tensor has a shape and a dtype but no data: any Python bool,
    # float or .item() taken from it raises. A forward pass that completes on
    # meta tensors therefore never waits for a device (no host-device sync),
    # the property that matters on a GPU.
    logits = torch.empty(64, device="meta")
    targets = torch.empty(64, device="meta")
    assert sigmoid_focal_loss(logits, targets, reduction="mean").device.type == "meta"
    assert sigmoid_focal_loss(logits, targets, reduction="sum",
                              normalize_by_positives=True).device.type == "meta"
    assert FocalLoss()(logits, targets).device.type == "meta"
    logits2 = torch.empty(64, 3, device="meta")
    labels = torch.empty(64, dtype=torch.long, device="meta")
    alpha = [0.2, 0.3, 0.5]
    assert MultiClassFocalLoss(alpha=alpha).to("meta")(logits2, labels).device.type == "meta"
    # Asked to validate values, it has to read them: on meta that cannot work.
    with pytest.raises((RuntimeError, NotImplementedError)):
        sigmoid_focal_loss(logits, targets, validate=True)


def test_focal_validate_flag(moderate):
    x, t = moderate
    bad = t * 2
    # Default on the CPU: checked. validate=False: not checked (the caller's choice).
    with pytest.raises(ValueError, match=r"targets must lie in \[0, 1\]"):
        sigmoid_focal_loss(x, bad)
    assert torch.isfinite(sigmoid_focal_loss(x, bad, validate=False)).all()
    with pytest.raises(ValueError, match=r"targets must lie in \[0, 1\]"):
        FocalLoss(validate=True)(x, bad)
    FocalLoss(validate=False)(x, bad)
    logits = torch.zeros(4, 3)
    with pytest.raises(ValueError, match=r"target must hold class indices in \[0, 2\]"):
        MultiClassFocalLoss()(logits, torch.tensor([0, 1, 2, 3]))
    with pytest.raises(ValueError, match="validate must be None, True or False"):
        FocalLoss(validate="yes")
    with pytest.raises(ValueError, match="validate must be None, True or False"):
        sigmoid_focal_loss(x, t, validate=1)
    # Same values with and without the check.
    torch.testing.assert_close(sigmoid_focal_loss(x, t, validate=False),
                               sigmoid_focal_loss(x, t, validate=True))
