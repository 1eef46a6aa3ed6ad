"""Tests for imbalance_kit.plots: the right artists, labels and values are drawn."""

import warnings

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
import pytest  # noqa: E402
from matplotlib.contour import ContourSet  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402
from scipy import stats  # noqa: E402
from sklearn.calibration import calibration_curve  # noqa: E402
from sklearn.linear_model import LogisticRegression  # noqa: E402
from sklearn.metrics import average_precision_score, precision_recall_curve, roc_auc_score  # noqa: E402
from sklearn.svm import LinearSVC  # noqa: E402

from imbalance_kit import plots  # noqa: E402
from imbalance_kit.abtest import simulate_ab_test  # noqa: E402
from imbalance_kit.drift import monitor_windows, population_stability_index  # noqa: E402
from imbalance_kit.plots import (  # noqa: E402
    plot_confusion_matrix,
    plot_cost_curve,
    plot_decision_boundary,
    plot_drift,
    plot_monitoring,
    plot_power_curve,
    plot_precision_recall,
    plot_reliability,
    plot_resampled,
    plot_roc,
    plot_threshold_tradeoff,
    plot_xray_grid,
)


@pytest.fixture(autouse=True)
def close_figures():
    yield
    plt.close("all")


@pytest.fixture
def data():
    rng = np.random.default_rng(0)
    n = 2000
    y = (rng.random(n) < 0.05).astype(int)
    logit = -3 + 2.5 * y + rng.normal(size=n)
    prob = 1 / (1 + np.exp(-logit))
    other = np.clip(prob + rng.normal(0, 0.05, n), 0, 1)
    return y, prob, other


def _legend_texts(ax):
    return [t.get_text() for t in ax.get_legend().get_texts()]


# --------------------------------------------------------------------- confusion matrix

def test_confusion_matrix_texts_hold_counts_and_row_rates():
    y_true = np.r_[np.zeros(1250, int), np.ones(50, int)]
    y_pred = np.r_[np.zeros(1234, int), np.ones(16, int), np.zeros(10, int), np.ones(40, int)]
    ax = plot_confusion_matrix(y_true, y_pred)
    texts = [t.get_text() for t in ax.texts]
    assert texts == ["1,234\n(98.7 %)", "16\n(1.3 %)", "10\n(20.0 %)", "40\n(80.0 %)"]
    assert ax.get_xlabel() == "Predicted class" and ax.get_ylabel() == "True class"
    assert [t.get_text() for t in ax.get_yticklabels()] == ["legitimate (0)", "fraud (1)"]
    np.testing.assert_allclose(ax.images[0].get_array(), [[1234 / 1250, 16 / 1250], [0.2, 0.8]])


def test_confusion_matrix_rates_near_100_percent_keep_two_decimals():
    y_true = np.r_[np.zeros(9999, int), np.ones(2, int)]
    y_pred = np.r_[np.zeros(9998, int), 1, 1, 1]
    texts = [t.get_text() for t in plot_confusion_matrix(y_true, y_pred, labels=("ok", "bad")).texts]
    assert texts[0] == "9,998\n(99.99 %)" and texts[1] == "1\n(0.01 %)"


def test_confusion_matrix_errors():
    with pytest.raises(ValueError, match="y_pred has 3"):
        plot_confusion_matrix([0, 1], [0, 1, 1])
    with pytest.raises(ValueError, match="y_true has only one class"):
        plot_confusion_matrix([0, 0], [0, 1])
    with pytest.raises(ValueError, match="labels"):
        plot_confusion_matrix([0, 1], [0, 1], labels=("a",))
    assert plt.get_fignums() == []  # validation happens before drawing


# --------------------------------------------------------------------- PR and ROC

def test_precision_recall_legend_ap_and_prevalence_baseline(data):
    y, prob, other = data
    ax = plot_precision_recall(y, {"logistic": prob, "noisy": other})
    texts = _legend_texts(ax)
    assert texts[0] == f"logistic (AP = {average_precision_score(y, prob):.2f})"
    assert texts[1] == f"noisy (AP = {average_precision_score(y, other):.2f})"
    baseline = [ln for ln in ax.lines if ln.get_linestyle() == "--"]
    assert len(baseline) == 1
    np.testing.assert_allclose(baseline[0].get_ydata(), y.mean())
    precision, recall, _ = precision_recall_curve(y, prob)
    np.testing.assert_allclose(ax.lines[0].get_xdata(), recall)
    np.testing.assert_allclose(ax.lines[0].get_ydata(), precision)
    assert "Recall" in ax.get_xlabel() and "Precision" in ax.get_ylabel()


def test_precision_recall_single_array_gets_default_name(data):
    y, prob, _ = data
    assert _legend_texts(plot_precision_recall(y, prob))[0].startswith("model (AP = ")


def test_roc_legend_auc_and_chance_diagonal(data):
    y, prob, other = data
    ax = plot_roc(y, {"a": prob, "b": other})
    texts = _legend_texts(ax)
    assert texts[0] == f"a (AUC = {roc_auc_score(y, prob):.3f})"
    assert texts[1] == f"b (AUC = {roc_auc_score(y, other):.3f})"
    diagonal = ax.lines[-1]
    np.testing.assert_array_equal(diagonal.get_xdata(), [0, 1])
    np.testing.assert_array_equal(diagonal.get_ydata(), [0, 1])


@pytest.mark.parametrize("func", [plot_precision_recall, plot_roc])
def test_curve_errors_name_the_parameter(func, data):
    y, prob, _ = data
    with pytest.raises(ValueError, match="scores has 10 values"):
        func(y, prob[:10])
    with pytest.raises(ValueError, match=r"scores\['b'\] has 10 values"):
        func(y, {"a": prob, "b": prob[:10]})
    with pytest.raises(ValueError, match="y_true has only one class"):
        func(np.zeros(5), np.arange(5.0))
    with pytest.raises(ValueError, match="empty dict"):
        func(y, {})
    with pytest.raises(TypeError, match="ax must be a matplotlib Axes"):
        func(y, prob, ax="left")


# --------------------------------------------------------------------- reliability

def test_reliability_points_match_sklearn_and_histogram_is_log(data):
    y, prob, _ = data
    ax = plot_reliability(y, prob, n_bins=8)
    prob_true, prob_pred = calibration_curve(y, prob, n_bins=8)
    np.testing.assert_allclose(ax.lines[0].get_xdata(), prob_pred)
    np.testing.assert_allclose(ax.lines[0].get_ydata(), prob_true)
    np.testing.assert_array_equal(ax.lines[1].get_xdata(), [0, 1])  # the diagonal
    twin = [a for a in ax.figure.axes if a is not ax and a.get_yscale() == "log"]
    assert len(twin) == 1
    heights = sum(p.get_path().vertices.shape[0] > 0 for p in twin[0].patches)
    assert heights == 1  # one step histogram for one model
    assert ax.get_xlabel() == "Mean predicted probability"


def test_reliability_several_models_and_errors(data):
    y, prob, other = data
    ax = plot_reliability(y, {"raw": prob, "noisy": other}, strategy="quantile")
    assert _legend_texts(ax) == ["raw", "noisy", "perfectly calibrated"]
    with pytest.raises(ValueError, match=r"y_prob .* \[0, 1\]"):
        plot_reliability(y, prob * 2)
    with pytest.raises(ValueError, match="n_bins"):
        plot_reliability(y, prob, n_bins=0)
    with pytest.raises(ValueError, match="y_prob has 3 values"):
        plot_reliability(y, prob[:3])
    with pytest.raises(ValueError, match=r"y_prob\['noisy'\] must be probabilities in \[0, 1\]"):
        plot_reliability(y, {"raw": prob, "noisy": other + 1})
    with pytest.raises(ValueError, match="strategy must be one of"):
        plot_reliability(y, prob, strategy="kmeans")
    assert len(plt.get_fignums()) == 1  # only the first, valid call drew


# --------------------------------------------------------------------- cost and threshold

def _brute_force_best(y, s, fn_cost, fp_cost, amount=None):
    """Minimum-cost threshold by trying every distinct score (the highest on ties)."""
    amount = np.ones_like(s) if amount is None else np.asarray(amount, float)
    best = None
    for t in np.unique(s):
        alert = s >= t
        cost = fn_cost * amount[(y == 1) & ~alert].sum() + fp_cost * np.sum((y == 0) & alert)
        if best is None or cost <= best[1]:
            best = (t, cost)
    return best


def test_cost_curve_marks_the_argmin(data):
    y, prob, _ = data
    ax = plot_cost_curve(y, prob, fn_cost=50, fp_cost=2)
    t, cost = _brute_force_best(y, prob, 50, 2)
    marker = ax.lines[1]
    assert marker.get_xdata()[0] == pytest.approx(t)
    assert marker.get_ydata()[0] == pytest.approx(cost)
    assert ax.get_lines()[0].get_ydata().min() == pytest.approx(cost)
    assert f"{t:.3g}" in _legend_texts(ax)[1]
    assert f"threshold {t:.3g}" in ax.texts[0].get_text()


def test_cost_curve_with_amounts(data):
    y, prob, _ = data
    amount = np.random.default_rng(1).lognormal(3, 1, y.size)
    ax = plot_cost_curve(y, prob, fn_cost=1, fp_cost=5, amount=amount, unit="EUR")
    t, cost = _brute_force_best(y, prob, 1, 5, amount)
    assert ax.lines[1].get_xdata()[0] == pytest.approx(t)
    assert ax.get_ylabel() == "Total cost (EUR)"
    with pytest.raises(ValueError, match="amount"):
        plot_cost_curve(y, prob, fn_cost=1, fp_cost=1, amount=amount[:5])
    with pytest.raises(ValueError, match="fp_cost"):
        plot_cost_curve(y, prob, fn_cost=1, fp_cost=-1)


def test_threshold_tradeoff_recall_alerts_and_marker(data):
    y, prob, _ = data
    ax = plot_threshold_tradeoff(y, prob, threshold=0.3)
    thresholds = ax.lines[0].get_xdata()
    recall = ax.lines[0].get_ydata()
    i = len(thresholds) // 2
    assert recall[i] == pytest.approx(np.mean(prob[y == 1] >= thresholds[i]))
    twin = [a for a in ax.figure.axes if a is not ax][0]
    assert twin.get_yscale() == "log"
    alerts_line = twin.lines[0]
    j = len(alerts_line.get_xdata()) // 3
    assert alerts_line.get_ydata()[j] == np.sum(prob >= alerts_line.get_xdata()[j])
    marker = [ln for ln in ax.lines if ln.get_marker() == "o"][0]
    assert marker.get_ydata()[0] == pytest.approx(np.mean(prob[y == 1] >= 0.3))
    assert f"{int(np.sum(prob >= 0.3)):,} alerts" in ax.texts[0].get_text()
    assert "threshold = 0.3" in _legend_texts(ax)


def test_threshold_tradeoff_errors(data):
    y, prob, _ = data
    for bad in (np.nan, np.inf, "0.5"):
        with pytest.raises(ValueError, match="^threshold must"):
            plot_threshold_tradeoff(y, prob, threshold=bad)
    with pytest.raises(ValueError, match="y_score has 3"):
        plot_threshold_tradeoff(y, prob[:3])


# --------------------------------------------------------------------- resampled set

def _points_in(ax, word):
    return sum(len(c.get_offsets()) for c in ax.collections if word in str(c.get_label()))


def test_resampled_marks_as_many_synthetic_points_as_flagged():
    rng = np.random.default_rng(3)
    X = rng.normal(size=(300, 2))
    y = np.r_[np.zeros(200, int), np.ones(100, int)]
    synthetic = np.zeros(300, bool)
    synthetic[220:] = True  # 80 synthetic frauds
    ax = plot_resampled(X, y, is_synthetic=synthetic, title="After SMOTE")
    assert _points_in(ax, "synthetic") == 80
    assert _points_in(ax, "original") == 20
    assert _legend_texts(ax) == ["legitimate (n = 200)", "fraud, original (n = 20)",
                                 "fraud, synthetic (n = 80)"]
    synth = [c for c in ax.collections if "synthetic" in c.get_label()][0]
    np.testing.assert_allclose(synth.get_offsets(), X[220:])
    assert ax.get_title() == "After SMOTE"


def test_resampled_n_original_and_dataframe_names():
    X = pd.DataFrame({"V14": np.arange(10.0), "V4": np.arange(10.0) ** 2})
    y = np.r_[np.zeros(6, int), np.ones(4, int)]
    ax = plot_resampled(X, y, n_original=8)
    assert _points_in(ax, "synthetic") == 2
    assert (ax.get_xlabel(), ax.get_ylabel()) == ("V14", "V4")
    assert ax.get_title() == "Resampled training set"
    plain = plot_resampled(X, y)
    assert _points_in(plain, "synthetic") == 0 and plain.get_title() == "Training set"


def test_resampled_errors():
    X = np.zeros((4, 2))
    with pytest.raises(ValueError, match="exactly 2 columns"):
        plot_resampled(np.zeros((4, 3)), [0, 1, 0, 1])
    with pytest.raises(ValueError, match="y has 3"):
        plot_resampled(X, [0, 1, 0])
    with pytest.raises(ValueError, match="is_synthetic has 2"):
        plot_resampled(X, [0, 1, 0, 1], is_synthetic=[True, False])
    with pytest.raises(ValueError, match="not both"):
        plot_resampled(X, [0, 1, 0, 1], is_synthetic=[0, 0, 0, 1], n_original=3)
    with pytest.raises(ValueError, match="n_original"):
        plot_resampled(X, [0, 1, 0, 1], n_original=5)


# --------------------------------------------------------------------- decision boundary

@pytest.fixture
def blobs():
    rng = np.random.default_rng(5)
    X = np.r_[rng.normal(0, 1, (200, 2)), rng.normal(2.5, 0.7, (20, 2))]
    y = np.r_[np.zeros(200, int), np.ones(20, int)]
    return X, y


def test_decision_boundary_draws_contour_at_half(blobs):
    X, y = blobs
    model = LogisticRegression().fit(X, y)
    ax = plot_decision_boundary(model, X, y, resolution=60)
    contours = [c for c in ax.collections if isinstance(c, ContourSet)]
    assert len(contours) == 2
    assert [list(c.levels) for c in contours if not c.filled] == [[0.5]]
    points = [c for c in ax.collections if not isinstance(c, ContourSet)]
    assert sum(len(c.get_offsets()) for c in points) == len(y)
    assert "P(class 1) = 0.5" in _legend_texts(ax)[-1]


def test_decision_boundary_with_decision_function_and_dataframe(blobs):
    X, y = blobs
    frame = pd.DataFrame(X, columns=["V14", "V4"])
    model = LinearSVC().fit(frame, y)
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # no "X does not have valid feature names"
        ax = plot_decision_boundary(model, frame, y, resolution=40)
    assert [list(c.levels) for c in ax.collections
            if isinstance(c, ContourSet) and not c.filled] == [[0.0]]
    assert ax.get_xlabel() == "V14"


def test_decision_boundary_errors(blobs):
    X, y = blobs
    with pytest.raises(ValueError, match="model .* not fitted"):
        plot_decision_boundary(LogisticRegression(), X, y)
    with pytest.raises(TypeError, match="predict_proba or decision_function"):
        plot_decision_boundary(object(), X, y)
    model = LogisticRegression().fit(X, y)
    with pytest.raises(ValueError, match="resolution"):
        plot_decision_boundary(model, X, y, resolution=5)
    with pytest.raises(ValueError, match="X must have exactly 2 columns"):
        plot_decision_boundary(model, np.c_[X, X[:, 0]], y)


# --------------------------------------------------------------------- drift

def test_drift_title_gives_ks_and_psi():
    rng = np.random.default_rng(2)
    ref, cur = rng.normal(size=800), rng.normal(0.4, size=600)
    ax = plot_drift(ref, cur, feature="V14")
    ks = stats.ks_2samp(ref, cur)
    psi = population_stability_index(ref, cur)
    assert ax.get_title().startswith(f"V14: KS = {ks.statistic:.3f} (p = {ks.pvalue:.2g}), PSI = {psi:.3f}")
    assert _legend_texts(ax) == ["reference (n = 800)", "current (n = 600)"]
    assert len(ax.patches) == 2  # two histograms drawn as single patches (step / stepfilled)


def test_drift_from_dataframes_and_categorical():
    ref = pd.DataFrame({"amount": np.arange(100.0), "channel": ["web"] * 70 + ["pos"] * 30})
    cur = pd.DataFrame({"amount": np.arange(100.0) + 20, "channel": ["web"] * 40 + ["pos"] * 60})
    ax = plot_drift(ref, cur, feature="amount")
    assert ax.get_xlabel() == "amount"
    ax = plot_drift(ref, cur, feature="channel")
    heights = sorted(round(p.get_height(), 2) for p in ax.patches)
    assert heights == [0.3, 0.4, 0.6, 0.7]
    assert "chi-square p = " in ax.get_title()
    ax = plot_drift(pd.Series(np.arange(50.0), name="score"), np.arange(50.0))
    assert ax.get_title().startswith("score: KS = 0.000")


def test_drift_errors():
    ref = pd.DataFrame({"a": [1.0, 2.0]})
    with pytest.raises(ValueError, match="pass feature="):
        plot_drift(ref, ref)
    with pytest.raises(ValueError, match="feature 'b'"):
        plot_drift(ref, ref, feature="b")
    with pytest.raises(ValueError, match="current contains NaN"):
        plot_drift([1.0, 2.0], [np.nan, 1.0])
    with pytest.raises(ValueError, match="reference must be one-dimensional"):
        plot_drift(np.zeros((3, 2)), [1.0, 2.0])
    for bad in (0.6, 0.5, -0.1, "0.01"):
        with pytest.raises(ValueError, match="^clip_quantile must"):
            plot_drift([1.0, 2.0], [1.0, 2.0], clip_quantile=bad)
    with pytest.raises(ValueError, match="current is empty"):
        plot_drift([1.0, 2.0], [])
    assert plt.get_fignums() == []


@pytest.fixture
def monitored():
    rng = np.random.default_rng(4)
    t = np.arange(6000.0)
    df = pd.DataFrame({"t": t, "x": rng.normal(size=t.size) + (t >= 4000), "s": rng.random(t.size)})
    return monitor_windows(df, time_col="t", reference_end=2000, window=500, features=["x"],
                           score_col="s")


def test_monitoring_draws_psi_per_window_threshold_and_first_fired(monitored):
    ax = plot_monitoring(monitored, psi_threshold=0.2)
    x_line = ax.lines[0]
    np.testing.assert_allclose(x_line.get_xdata(), monitored["window_start"])
    np.testing.assert_allclose(x_line.get_ydata(), monitored["x_psi"])
    assert _legend_texts(ax) == ["x", "s", "trigger (PSI = 0.2)", "first fired: 4000.0"]
    np.testing.assert_allclose(ax.lines[2].get_ydata(), 0.2)
    np.testing.assert_allclose(ax.lines[3].get_xdata(), 4000.0)
    assert len(plot_monitoring(monitored, columns=["s"]).lines) == 3


def test_monitoring_errors(monitored):
    with pytest.raises(ValueError, match="windows must be"):
        plot_monitoring(pd.DataFrame({"a": [1]}))
    with pytest.raises(ValueError, match=r"columns not monitored in windows: \['y'\]"):
        plot_monitoring(monitored, columns=["y"])
    for bad in (0, -1, np.inf, "0.25"):
        with pytest.raises(ValueError, match="^psi_threshold must"):
            plot_monitoring(monitored, psi_threshold=bad)


def test_power_curve_draws_simulated_power():
    sim = simulate_ab_test(0.75, 0.8, 0.0017, 100_000, [14, 3, 7], n_simulations=300)
    ax = plot_power_curve(sim, target_power=0.9)
    np.testing.assert_array_equal(ax.lines[0].get_xdata(), [3, 7, 14])  # sorted by length
    np.testing.assert_allclose(ax.lines[0].get_ydata(), sim.sort_values("n_days")["power"])
    np.testing.assert_allclose(ax.lines[1].get_ydata(), 0.9)
    assert "true difference = +0.050 (right)" in _legend_texts(ax)
    with pytest.raises(ValueError, match="simulation must be"):
        plot_power_curve(sim.drop(columns="power"))
    for bad in (1.5, 0, "0.8"):
        with pytest.raises(ValueError, match="^target_power must"):
            plot_power_curve(sim, target_power=bad)


# --------------------------------------------------------------------- images

def test_xray_grid_returns_figure_with_labelled_images():
    images = np.random.default_rng(0).integers(0, 255, (20, 1, 28, 28), dtype=np.uint8)
    labels = np.arange(20) % 2
    fig = plot_xray_grid(images, labels.reshape(-1, 1), n=8, ncols=4)
    assert isinstance(fig, Figure)
    assert len(fig.axes) == 8
    assert [ax.get_title() for ax in fig.axes[:2]] == ["#0: normal", "#1: pneumonia"]
    assert fig.axes[0].images[0].get_array().shape == (28, 28)
    fig = plot_xray_grid(images[:, 0], labels, indices=[3, 5, 7], ncols=2)
    assert len(fig.axes) == 3 and fig.axes[0].get_title() == "#3: pneumonia"


def test_xray_grid_errors():
    with pytest.raises(ValueError, match="images must have shape"):
        plot_xray_grid(np.zeros((3, 4)), [0, 1, 0])
    with pytest.raises(ValueError, match="labels has 2"):
        plot_xray_grid(np.zeros((3, 4, 4)), [0, 1])
    for bad in ([5], [-1]):
        with pytest.raises(ValueError, match=r"indices must lie in \[0, 3\)"):
            plot_xray_grid(np.zeros((3, 4, 4)), [0, 1, 0], indices=bad)


# --------------------------------------------------------------------- common conventions

def _calls(data):
    y, prob, other = data
    X = np.c_[prob, other]
    return {
        "confusion": lambda ax: plot_confusion_matrix(y, (prob > 0.3).astype(int), ax=ax),
        "pr": lambda ax: plot_precision_recall(y, prob, ax=ax),
        "roc": lambda ax: plot_roc(y, prob, ax=ax),
        "reliability": lambda ax: plot_reliability(y, prob, ax=ax),
        "cost": lambda ax: plot_cost_curve(y, prob, fn_cost=10, fp_cost=1, ax=ax),
        "tradeoff": lambda ax: plot_threshold_tradeoff(y, prob, ax=ax),
        "resampled": lambda ax: plot_resampled(X, y, ax=ax),
        "boundary": lambda ax: plot_decision_boundary(LogisticRegression().fit(X, y), X, y,
                                                      resolution=30, ax=ax),
        "drift": lambda ax: plot_drift(prob, other, ax=ax),
        "monitoring": lambda ax: plot_monitoring(
            monitor_windows(pd.DataFrame({"t": np.arange(y.size), "p": prob}), time_col="t",
                            reference_end=1000, window=250, score_col="p"), ax=ax),
        "power": lambda ax: plot_power_curve(
            simulate_ab_test(0.7, 0.8, 0.01, 1000, [5, 10], n_simulations=100), ax=ax),
    }


@pytest.mark.parametrize("name", ["confusion", "pr", "roc", "reliability", "cost", "tradeoff",
                                  "resampled", "boundary", "drift", "monitoring", "power"])
def test_draws_on_given_ax_and_labels_it(name, data):
    fig, (left, right) = plt.subplots(1, 2)
    returned = _calls(data)[name](right)
    assert returned is right
    assert right.get_title() and right.get_xlabel() and right.get_ylabel()
    assert not left.has_data()
    assert plt.get_fignums() == [fig.number]  # no extra figure created


@pytest.mark.parametrize("name", ["pr", "roc", "cost", "drift"])
def test_creates_readable_figure_when_ax_is_none(name, data):
    ax = _calls(data)[name](None)
    width, height = ax.figure.get_size_inches()
    assert (width, height) == plots.FIGSIZE
    assert ax.get_legend() is not None
