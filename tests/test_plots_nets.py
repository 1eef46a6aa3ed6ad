"""Tests of the focal-loss, temperature-scaling and gradient-flow figures of imbalance_kit.plots."""

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402
import torch  # noqa: E402

from imbalance_kit import plots  # noqa: E402
from imbalance_kit.losses import sigmoid_focal_loss  # noqa: E402
from imbalance_kit.metrics import expected_calibration_error, reliability_curve  # noqa: E402


@pytest.fixture(autouse=True)
def _close():
    yield
    plt.close("all")


@pytest.mark.parametrize("gamma", [0.0, 0.5, 2.0, 5.0])
def test_focal_gradient_closed_form_matches_autograd(gamma):
    p_t = np.linspace(0.01, 0.99, 50)
    for target in (0.0, 1.0):
        # A positive with p = p_t has logit log(p_t / (1 - p_t)); a negative the opposite.
        z = torch.tensor(np.log(p_t / (1 - p_t)) * (1 if target else -1), requires_grad=True)
        sigmoid_focal_loss(z, torch.full_like(z, target), alpha=None, gamma=gamma,
                           reduction="sum").backward()
        assert np.allclose(np.abs(z.grad.numpy()), plots._focal_logit_gradient(p_t, gamma), rtol=1e-6)


def test_plot_focal_gradient_draws_the_curves():
    ax = plots.plot_focal_gradient((0, 2))
    lines = ax.get_lines()
    ce, fl = lines[0].get_ydata(), lines[1].get_ydata()
    p_t = lines[0].get_xdata()
    assert np.allclose(ce, 1 - p_t)
    # Easy side: far smaller than CE's. (Hard side: slightly LARGER, from -gamma p_t log p_t.)
    assert (fl[p_t >= 0.5] < ce[p_t >= 0.5]).all() and fl[-1] < 1e-4 * ce[-1]
    assert fl[0] > ce[0]
    assert ax.get_yscale() == "log" and "p_t" in ax.get_xlabel()
    assert "γ = 2" in [t.get_text() for t in ax.get_legend().get_texts()][1]
    with pytest.raises(ValueError, match="gammas"):
        plots.plot_focal_gradient((-1,))


def test_plot_gradient_share_bars_and_labels():
    ax = plots.plot_gradient_share({"CE": 0.8, "FL γ=2": 0.05})
    heights = [p.get_height() for p in ax.patches]
    assert heights == [0.8, 0.05]
    assert [t.get_text() for t in ax.texts] == ["80.0 %", "5.0 %"]
    with pytest.raises(ValueError):
        plots.plot_gradient_share({"CE": 1.2})
    with pytest.raises(ValueError):
        plots.plot_gradient_share({})


def test_plot_temperature_scaling_curves_match_metrics():
    rng = np.random.default_rng(0)
    z = rng.normal(-2, 3, 3000)
    y = (rng.random(3000) < 1 / (1 + np.exp(-z / 2))).astype(int)
    ax = plots.plot_temperature_scaling(y, z, 2.0)
    before, after = ax.get_lines()[:2]
    _, pred, _ = reliability_curve(y, 1 / (1 + np.exp(-z / 2)))
    assert np.allclose(after.get_xdata(), pred)
    ece_after = expected_calibration_error(y, 1 / (1 + np.exp(-z / 2)))
    labels = [t.get_text() for t in ax.get_legend().get_texts()]
    assert f"ECE {ece_after:.4f}" in labels[1]
    assert "T = 2.00" in ax.get_title()
    for bad in (0.0, -1.0, float("nan")):
        with pytest.raises(ValueError, match="temperature"):
            plots.plot_temperature_scaling(y, z, bad)


def test_plot_grad_norms_styles_and_errors():
    ax = plots.plot_grad_norms([0, 5, 10], {"CE, easy": [0.1, 0.05, 0.01], "CE, hard": [1, 1, 1],
                                            "FL, easy": [1e-3, 1e-4, 1e-5]})
    lines = ax.get_lines()
    assert [ln.get_linestyle() for ln in lines] == ["--", "-", "--"]
    assert lines[0].get_color() == lines[1].get_color() != lines[2].get_color()
    with pytest.raises(ValueError, match="> 0"):
        plots.plot_grad_norms([0, 1], {"a": [0.0, 1.0]})
    with pytest.raises(ValueError):
        plots.plot_grad_norms([0, 1], {"a": [1.0, 1.0, 1.0]})


def test_plot_xray_findings_outlines_positives_only():
    masks = np.zeros((3, 16, 16), bool)
    masks[1, 4:9, 4:9] = True
    fig = plots.plot_xray_findings(np.random.default_rng(0).random((3, 16, 16)), masks, [0, 1, 0], n=3)
    n_contours = [sum(1 for c in ax.collections) for ax in fig.axes]
    assert n_contours[1] >= 1 and n_contours[0] == n_contours[2] == 0
    with pytest.raises(ValueError, match="masks"):
        plots.plot_xray_findings(np.zeros((3, 16, 16)), masks[:2], [0, 1, 0])
