"""Every figure of the course.

Conventions, the same for every function:

- ``ax=None`` creates a new figure of a size readable at notebook width
  (:data:`FIGSIZE`); passing an ``Axes`` draws on it. The function returns the
  ``Axes`` it drew on (the exception, :func:`plot_xray_grid`, returns a
  ``Figure`` because a grid of images needs many Axes).
- Titles, axis labels (with units where there are any) and legends are set;
  numbers that matter (AP, AUC, the chosen threshold, KS and PSI) are written
  on the figure, so a screenshot stands on its own.
- Colours come from seaborn's colour-blind-safe ``"colorblind"`` palette:
  blue for the majority (legitimate) class, orange for the minority (fraud)
  class; several models cycle through the same palette.
- Nothing is shown (no ``plt.show()``) and no global style is changed:
  notebooks display figures themselves.
- Inputs are validated before anything is drawn, so a bad call leaves no
  empty figure behind.

Metric values come from scikit-learn (precision-recall, ROC) or from
:mod:`imbalance_kit.metrics` (cost curve, reliability) and
:mod:`imbalance_kit.drift` (KS, PSI), so a figure always agrees with the
number a notebook prints.
"""

from __future__ import annotations

import itertools
from collections.abc import Mapping

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import seaborn as sns
from matplotlib.axes import Axes
from matplotlib.lines import Line2D
from sklearn.metrics import (
    average_precision_score,
    precision_recall_curve,
    roc_auc_score,
    roc_curve,
)

from .validation import (
    check_1d,
    check_array_2d,
    check_binary_labels,
    check_fraction,
    check_positive_int,
    check_same_length,
    check_scores,
)

__all__ = [
    "FIGSIZE",
    "PALETTE",
    "plot_cleaning",
    "plot_comparisons",
    "plot_confusion_matrix",
    "plot_cost_curve",
    "plot_decision_boundary",
    "plot_drift",
    "plot_monitoring",
    "plot_point_kinds",
    "plot_power_curve",
    "plot_precision_recall",
    "plot_reliability",
    "plot_resampled",
    "plot_roc",
    "plot_threshold_tradeoff",
    "plot_xray_grid",
]

#: Default figure size in inches: readable at the width of a notebook cell.
FIGSIZE = (7.0, 4.5)
#: Colour-blind-safe palette (seaborn "colorblind"); [0] majority, [1] minority.
PALETTE = sns.color_palette("colorblind")
_MAJORITY, _MINORITY = PALETTE[0], PALETTE[1]
_GREY = "0.45"


# --------------------------------------------------------------------------
# Shared helpers
# --------------------------------------------------------------------------

def _get_ax(ax, figsize=FIGSIZE):
    if ax is None:
        _, ax = plt.subplots(figsize=figsize, layout="constrained")
        return ax
    if not isinstance(ax, Axes):
        raise TypeError(f"ax must be a matplotlib Axes or None, got {type(ax).__name__}.")
    return ax


def _score_dict(scores, n, name="scores", probability=False):
    """``{model name: 1-D float array of length n}`` from an array or a dict."""
    if isinstance(scores, Mapping):
        if not scores:
            raise ValueError(f"{name} is an empty dict; give at least one model.")
        return {str(k): check_scores(v, f"{name}[{k!r}]", n=n, probability=probability)
                for k, v in scores.items()}
    return {"model": check_scores(scores, name, n=n, probability=probability)}


def _pct(rate):
    """A share as '98.7 %', with two decimals near 0 % and 100 % (rare events)."""
    if 0 < rate < 0.001 or 0.999 < rate < 1:
        return f"{100 * rate:.2f} %"
    return f"{100 * rate:.1f} %"


def _xy(X, y, name_x="X"):
    Xa = check_array_2d(X, name_x)
    if Xa.shape[1] != 2:
        raise ValueError(
            f"{name_x} must have exactly 2 columns to be drawn in the plane, got "
            f"{Xa.shape[1]}; select two features or project first (e.g. PCA)."
        )
    ya = check_binary_labels(y, "y", require_both=False)
    check_same_length(**{name_x: Xa, "y": ya})
    return Xa, ya


def _feature_labels(X, feature_names):
    if feature_names is not None:
        if len(feature_names) != 2:
            raise ValueError(f"feature_names must hold 2 names, got {len(feature_names)}.")
        return [str(f) for f in feature_names]
    if isinstance(X, pd.DataFrame):
        return [str(c) for c in X.columns]
    return ["feature 1", "feature 2"]


# --------------------------------------------------------------------------
# Evaluation figures
# --------------------------------------------------------------------------

def plot_confusion_matrix(y_true, y_pred, *, labels=("legitimate", "fraud"), ax=None):
    """Confusion matrix with counts and row-normalised rates in each cell.

    Cell (i, j) holds the number of class-i cases predicted as class j and,
    below it, that number as a share of class i (so the diagonal shows the
    specificity and the recall). Colours follow the rates, not the counts:
    with 0.17 % fraud, count colours would show only the legitimate row.

    Parameters
    ----------
    y_true : array-like of shape (n_samples,)
        True 0/1 labels, both classes present.
    y_pred : array-like of shape (n_samples,)
        Predicted 0/1 labels.
    labels : tuple of 2 str, default=("legitimate", "fraud")
        Names of class 0 and class 1.
    ax : matplotlib Axes, optional

    Returns
    -------
    matplotlib.axes.Axes

    Examples
    --------
    >>> ax = plot_confusion_matrix([0, 0, 0, 1], [0, 0, 1, 1])
    >>> sorted(t.get_text() for t in ax.texts)[0]
    '0\\n(0.0 %)'
    """
    from .metrics import confusion_counts

    check_binary_labels(y_true, "y_true")  # both classes: every row of rates is defined
    if len(labels) != 2:
        raise ValueError(f"labels must hold 2 names (class 0, class 1), got {len(labels)}.")
    # (tn, fp, fn, tp) is confusion_matrix's row-major order: rows truth, columns decision.
    counts = np.array(confusion_counts(y_true, y_pred)).reshape(2, 2)
    rates = counts / counts.sum(axis=1, keepdims=True)

    ax = _get_ax(ax, figsize=(5.5, 4.5))
    image = ax.imshow(rates, cmap="Blues", vmin=0, vmax=1)
    for i in range(2):
        for j in range(2):
            colour = "white" if rates[i, j] > 0.5 else "black"
            ax.text(j, i, f"{counts[i, j]:,}\n({_pct(rates[i, j])})", ha="center",
                    va="center", color=colour, fontsize=12)
    ax.set_xticks([0, 1], labels=[f"{labels[0]} (0)", f"{labels[1]} (1)"])
    ax.set_yticks([0, 1], labels=[f"{labels[0]} (0)", f"{labels[1]} (1)"])
    ax.set_xlabel("Predicted class")
    ax.set_ylabel("True class")
    ax.set_title("Confusion matrix: count (row share)")
    ax.figure.colorbar(image, ax=ax, label="Share of the true class")
    return ax


def plot_precision_recall(y_true, scores, *, ax=None):
    """Precision-recall curve(s) with the prevalence baseline.

    The curve of a useless model is the horizontal line at the prevalence
    (the share of positives), drawn dashed: with 0.17 % fraud, that is how
    low "no skill" is, unlike ROC's diagonal. Each legend entry gives the
    average precision (:func:`sklearn.metrics.average_precision_score`, the
    step-wise area under the curve), e.g. ``"logistic (AP = 0.71)"``.

    Parameters
    ----------
    y_true : array-like of shape (n_samples,)
        0/1 labels, both classes present.
    scores : array-like of shape (n_samples,) or dict of str -> array-like
        Scores of one model, or ``{name: scores}`` for several on one figure.
    ax : matplotlib Axes, optional

    Returns
    -------
    matplotlib.axes.Axes

    Examples
    --------
    >>> ax = plot_precision_recall([0, 0, 1, 1], {"m": [0.1, 0.4, 0.35, 0.8]})
    >>> ax.get_legend().get_texts()[0].get_text()
    'm (AP = 0.83)'
    """
    y = check_binary_labels(y_true, "y_true")
    models = _score_dict(scores, y.size)
    ax = _get_ax(ax)
    for colour, (name, s) in zip(itertools.cycle(PALETTE), models.items()):
        precision, recall, _ = precision_recall_curve(y, s)
        ap = average_precision_score(y, s)
        # AP is the step-wise area, so draw steps (no optimistic interpolation).
        ax.step(recall, precision, where="post", color=colour, lw=2, label=f"{name} (AP = {ap:.2f})")
    prevalence = y.mean()
    ax.axhline(prevalence, ls="--", color=_GREY, lw=1.5,
               label=f"no skill (prevalence = {_pct(prevalence)})")
    ax.set_xlim(0, 1)
    ax.set_ylim(0, 1.02)
    ax.set_xlabel("Recall (share of positives caught)")
    ax.set_ylabel("Precision (share of alerts that are positive)")
    ax.set_title("Precision-recall curve")
    ax.legend(loc="best")
    return ax


def plot_roc(y_true, scores, *, ax=None):
    """ROC curve(s) with the chance diagonal and the AUC in the legend.

    Parameters
    ----------
    y_true : array-like of shape (n_samples,)
        0/1 labels, both classes present.
    scores : array-like of shape (n_samples,) or dict of str -> array-like
        Scores of one model, or ``{name: scores}``.
    ax : matplotlib Axes, optional

    Returns
    -------
    matplotlib.axes.Axes

    Examples
    --------
    >>> ax = plot_roc([0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8])
    >>> ax.get_legend().get_texts()[0].get_text()
    'model (AUC = 0.750)'
    """
    y = check_binary_labels(y_true, "y_true")
    models = _score_dict(scores, y.size)
    ax = _get_ax(ax)
    for colour, (name, s) in zip(itertools.cycle(PALETTE), models.items()):
        fpr, tpr, _ = roc_curve(y, s)
        auc = roc_auc_score(y, s)
        ax.plot(fpr, tpr, color=colour, lw=2, label=f"{name} (AUC = {auc:.3f})")
    ax.plot([0, 1], [0, 1], ls="--", color=_GREY, lw=1.5, label="chance (AUC = 0.5)")
    ax.set_xlim(0, 1)
    ax.set_ylim(0, 1.02)
    ax.set_xlabel("False positive rate (share of negatives flagged)")
    ax.set_ylabel("True positive rate (recall)")
    ax.set_title("ROC curve")
    ax.legend(loc="lower right")
    return ax


def plot_reliability(y_true, y_prob, *, n_bins=10, strategy="uniform", ax=None):
    """Reliability diagram with a log-scale histogram of the predictions.

    Each marker is one bin of predicted probabilities: its mean prediction
    (x) against the observed share of positives (y), from
    :func:`imbalance_kit.metrics.reliability_curve`. A calibrated model lies
    on the diagonal. On a twin axis (right), the histogram of predictions on
    a log scale: scores of rare events pile up near 0, so the upper bins
    rest on very few rows and their markers are noisy.

    Parameters
    ----------
    y_true : array-like of shape (n_samples,)
        0/1 labels, both classes present.
    y_prob : array-like of shape (n_samples,) or dict of str -> array-like
        Predicted probabilities in [0, 1], or ``{name: probabilities}``.
    n_bins : int, default=10
    strategy : {"uniform", "quantile"}, default="uniform"
    ax : matplotlib Axes, optional

    Returns
    -------
    matplotlib.axes.Axes
        The main (reliability) Axes; the histogram's twin Axes is in
        ``ax.figure.axes``.

    Examples
    --------
    >>> ax = plot_reliability([0, 0, 1, 1], [0.1, 0.2, 0.7, 0.9], n_bins=2)
    >>> ax.get_xlabel()
    'Mean predicted probability'
    """
    from .metrics import reliability_curve  # local: plots must import without it

    y = check_binary_labels(y_true, "y_true")
    models = _score_dict(y_prob, y.size, name="y_prob", probability=True)
    # reliability_curve validates n_bins and strategy, before anything is drawn.
    curves = {name: reliability_curve(y, p, n_bins=n_bins, strategy=strategy)
              for name, p in models.items()}

    ax = _get_ax(ax)
    hist_ax = ax.twinx()
    edges = np.linspace(0, 1, 51)
    for colour, (name, p) in zip(itertools.cycle(PALETTE), models.items()):
        prob_true, prob_pred, counts = curves[name]
        ax.plot(prob_pred, prob_true, marker="o", color=colour, lw=2, label=name)
        hist_ax.hist(p, bins=edges, histtype="step", color=colour, alpha=0.6, lw=1.2)
    ax.plot([0, 1], [0, 1], ls="--", color=_GREY, lw=1.5, label="perfectly calibrated")
    hist_ax.set_yscale("log")
    hist_ax.set_ylabel("Number of predictions (log scale, thin lines)")
    # Curves in front of the histogram: the twin Axes is drawn on top otherwise.
    ax.set_zorder(hist_ax.get_zorder() + 1)
    ax.patch.set_visible(False)
    ax.set_xlim(0, 1)
    ax.set_ylim(0, 1.02)
    ax.set_xlabel("Mean predicted probability")
    ax.set_ylabel("Observed share of positives")
    ax.set_title(f"Reliability diagram ({n_bins} {strategy} bins)")
    ax.legend(loc="upper left")
    return ax


def plot_cost_curve(y_true, y_score, *, fn_cost, fp_cost, amount=None, unit="cost units", ax=None):
    """Total business cost against the decision threshold, minimum marked.

    Cost at threshold t (alert when score >= t), from
    :func:`imbalance_kit.metrics.cost_curve`:
    ``fn_cost * (#missed frauds, or their summed amount) + fp_cost * #false alerts``.
    The minimum-cost threshold (:func:`imbalance_kit.metrics.best_threshold`,
    the highest one among ties) is marked and annotated with its cost,
    recall and number of alerts.

    Parameters
    ----------
    y_true : array-like of shape (n_samples,)
        0/1 labels, both classes present.
    y_score : array-like of shape (n_samples,)
    fn_cost, fp_cost : float
        Cost of a missed positive (multiplier of its amount with ``amount``)
        and of a false alert.
    amount : array-like of shape (n_samples,), optional
        Per-row amounts.
    unit : str, default="cost units"
        Unit of the cost, for the axis label (e.g. "EUR").
    ax : matplotlib Axes, optional

    Returns
    -------
    matplotlib.axes.Axes

    Examples
    --------
    >>> ax = plot_cost_curve([0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8], fn_cost=5, fp_cost=1)
    >>> ax.lines[1].get_xdata()[0]
    np.float64(0.35)
    """
    from .metrics import _min_cost, cost_curve

    y = check_binary_labels(y_true, "y_true")
    s = check_scores(y_score, "y_score", n=y.size)
    curve = cost_curve(y, s, fn_cost=fn_cost, fp_cost=fp_cost, amount=amount)
    best = _min_cost(curve)  # the same rule as metrics.best_threshold, on the curve drawn

    ax = _get_ax(ax)
    ax.plot(curve["threshold"], curve["cost"], color=PALETTE[0], lw=2, drawstyle="steps-post",
            label="total cost")
    ax.plot([best.threshold], [best.cost], marker="o", ms=9, ls="none", color=PALETTE[1],
            label=f"minimum cost at threshold = {best.threshold:.3g}")
    ax.axvline(best.threshold, ls=":", color=PALETTE[1], lw=1.5)
    ax.annotate(
        f"threshold {best.threshold:.3g}\ncost {best.cost:,.0f} {unit}\n"
        f"recall {_pct(best.recall)}, {best.alerts:,} alerts",
        xy=(best.threshold, best.cost), xytext=(0.55, 0.6), textcoords="axes fraction",
        arrowprops={"arrowstyle": "->", "color": _GREY}, fontsize=10,
    )
    what = "amount of missed frauds" if amount is not None else "missed frauds"
    ax.set_xlabel("Decision threshold (alert when score >= threshold)")
    ax.set_ylabel(f"Total cost ({unit})")
    ax.set_title(f"Cost = {fn_cost:g} x {what} + {fp_cost:g} x false alerts")
    ax.legend(loc="upper left")
    return ax


def plot_threshold_tradeoff(y_true, y_score, *, threshold=None, ax=None):
    """Recall (left axis) and alert volume (right axis, log scale) against threshold.

    The question a fraud team asks is not "what is the F1" but "if we
    review N alerts a day, how many frauds do we catch?". Lowering the
    threshold raises recall and the number of alerts together; this figure
    shows both. With ``threshold`` given, a vertical line marks it and the
    annotation gives its recall and alerts.

    Parameters
    ----------
    y_true : array-like of shape (n_samples,)
        0/1 labels, both classes present.
    y_score : array-like of shape (n_samples,)
    threshold : float, optional
        Operating point to mark.
    ax : matplotlib Axes, optional

    Returns
    -------
    matplotlib.axes.Axes
        The recall Axes; the alerts' twin Axes is in ``ax.figure.axes``.

    Examples
    --------
    >>> ax = plot_threshold_tradeoff([0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8], threshold=0.5)
    >>> ax.get_ylabel()
    'Recall (share of positives caught)'
    """
    from .metrics import cost_curve

    y = check_binary_labels(y_true, "y_true")
    s = check_scores(y_score, "y_score", n=y.size)
    if threshold is not None:
        threshold = check_fraction(threshold, "threshold", low=-np.inf, high=np.inf)
    curve = cost_curve(y, s)

    ax = _get_ax(ax)
    alerts_ax = ax.twinx()
    ax.plot(curve["threshold"], curve["recall"], color=PALETTE[1], lw=2, drawstyle="steps-post",
            label="recall (left)")
    has_alerts = curve["alerts"] > 0  # log scale: "no alert at all" cannot be drawn
    alerts_ax.plot(curve.loc[has_alerts, "threshold"], curve.loc[has_alerts, "alerts"],
                   color=PALETTE[0], lw=2, ls="--", drawstyle="steps-post", label="alerts (right)")
    alerts_ax.set_yscale("log")
    alerts_ax.set_ylabel("Alerts (transactions flagged, log scale)")
    handles = [Line2D([], [], color=PALETTE[1], lw=2, label="recall (left)"),
               Line2D([], [], color=PALETTE[0], lw=2, ls="--", label="alerts (right)")]
    if threshold is not None:
        at = cost_curve(y, s, thresholds=[threshold]).iloc[0]
        ax.axvline(threshold, color=_GREY, ls=":", lw=1.5)
        ax.plot([threshold], [at["recall"]], marker="o", ms=8, color=PALETTE[1], ls="none")
        ax.annotate(f"threshold {threshold:.3g}\nrecall {_pct(at['recall'])}\n{int(at['alerts']):,} alerts",
                    xy=(threshold, at["recall"]), xytext=(8, -40), textcoords="offset points",
                    fontsize=10)
        handles.append(Line2D([], [], color=_GREY, ls=":", label=f"threshold = {threshold:.3g}"))
    ax.set_zorder(alerts_ax.get_zorder() + 1)
    ax.patch.set_visible(False)
    ax.set_ylim(0, 1.02)
    ax.set_xlabel("Decision threshold (alert when score >= threshold)")
    ax.set_ylabel("Recall (share of positives caught)")
    ax.set_title("Recall and alert volume against the threshold")
    ax.legend(handles=handles, loc="center right")
    return ax


# --------------------------------------------------------------------------
# Resampling and models in the plane
# --------------------------------------------------------------------------

def plot_resampled(X, y, *, is_synthetic=None, n_original=None, labels=("legitimate", "fraud"),
                   feature_names=None, ax=None, title=None):
    """Scatter plot of a (resampled) 2-D training set, synthetic points marked.

    Original points are filled discs (the majority small and faint so the
    minority stays visible); synthetic points are crosses in their class's
    colour. Legend entries give the counts, e.g. ``"fraud, synthetic (n = 80)"``.

    Parameters
    ----------
    X : array-like of shape (n_samples, 2)
    y : array-like of shape (n_samples,)
        0/1 labels.
    is_synthetic : array-like of bool of shape (n_samples,), optional
        Which rows a sampler created.
    n_original : int, optional
        Alternative to ``is_synthetic`` for imbalanced-learn's over-samplers,
        which return the original rows first and append the synthetic ones:
        rows from ``n_original`` on are synthetic (``n_original=len(y)`` of
        the set before resampling).
    labels : tuple of 2 str, default=("legitimate", "fraud")
    feature_names : tuple of 2 str, optional
        Axis labels (default: the DataFrame's columns or "feature 1/2").
    ax : matplotlib Axes, optional
    title : str, optional

    Returns
    -------
    matplotlib.axes.Axes

    Examples
    --------
    >>> X = [[0, 0], [1, 1], [2, 2], [3, 3]]
    >>> ax = plot_resampled(X, [0, 0, 1, 1], n_original=3)
    >>> [t.get_text() for t in ax.get_legend().get_texts()]
    ['legitimate (n = 2)', 'fraud, original (n = 1)', 'fraud, synthetic (n = 1)']
    """
    Xa, ya = _xy(X, y)
    if is_synthetic is not None and n_original is not None:
        raise ValueError("Pass is_synthetic or n_original, not both.")
    if is_synthetic is not None:
        synthetic = check_binary_labels(is_synthetic, "is_synthetic", require_both=False).astype(bool)
        check_same_length(y=ya, is_synthetic=synthetic)
    elif n_original is not None:
        n_original = check_positive_int(n_original, "n_original", minimum=0)
        if n_original > ya.size:
            raise ValueError(f"n_original ({n_original}) is larger than the number of rows ({ya.size}).")
        synthetic = np.arange(ya.size) >= n_original
    else:
        synthetic = np.zeros(ya.size, dtype=bool)
    if len(labels) != 2:
        raise ValueError(f"labels must hold 2 names (class 0, class 1), got {len(labels)}.")
    names = _feature_labels(X, feature_names)

    ax = _get_ax(ax)
    any_synthetic = synthetic.any()
    # Majority first so that the minority is drawn on top of it.
    for cls, colour, size, alpha in ((0, _MAJORITY, 10, 0.35), (1, _MINORITY, 28, 0.9)):
        for synth in (False, True):
            mask = (ya == cls) & (synthetic == synth)
            count = int(mask.sum())
            if count == 0:
                continue
            kind = ("synthetic" if synth else "original") if any_synthetic and (
                synthetic[ya == cls].any()) else None
            label = f"{labels[cls]}, {kind} (n = {count:,})" if kind else f"{labels[cls]} (n = {count:,})"
            if synth:
                ax.scatter(Xa[mask, 0], Xa[mask, 1], marker="x", s=size + 6, color=colour,
                           linewidths=1.2, alpha=0.9, label=label)
            else:
                ax.scatter(Xa[mask, 0], Xa[mask, 1], marker="o", s=size, color=colour, alpha=alpha,
                           edgecolors="white" if cls == 1 else "none", linewidths=0.5, label=label)
    ax.set_xlabel(names[0])
    ax.set_ylabel(names[1])
    default = "Resampled training set" if any_synthetic else "Training set"
    ax.set_title(title if title is not None else default)
    ax.legend(loc="best", markerscale=1.5)
    return ax


def _model_scores(model, grid):
    """Positive-class probability (boundary 0.5) or decision function (boundary 0)."""
    if hasattr(model, "predict_proba"):
        proba = np.asarray(model.predict_proba(grid))
        return (proba[:, 1] if proba.ndim == 2 else proba.ravel()), True
    return np.asarray(model.decision_function(grid)).ravel(), False


def plot_decision_boundary(model, X, y, *, resolution=200, feature_names=None, ax=None):
    """Score surface and decision boundary of a fitted classifier on 2-D data.

    The classifier's score is evaluated on a ``resolution x resolution`` grid
    covering X (plus a 5 % margin) and drawn as a filled contour; the
    decision boundary (probability 0.5 with ``predict_proba``, 0 with
    ``decision_function``) is a solid black line; the points are drawn on
    top. Useful to see how resampling or class weights move the boundary
    towards the majority class.

    Parameters
    ----------
    model : fitted classifier
        With ``predict_proba`` (preferred) or ``decision_function``, trained
        on the two columns of X.
    X : array-like of shape (n_samples, 2)
    y : array-like of shape (n_samples,)
        0/1 labels.
    resolution : int, default=200
        Grid points per axis (10 to 1000).
    feature_names : tuple of 2 str, optional
    ax : matplotlib Axes, optional

    Returns
    -------
    matplotlib.axes.Axes

    Examples
    --------
    >>> from sklearn.linear_model import LogisticRegression
    >>> X = np.array([[0, 0], [1, 0], [0, 1], [2, 2], [3, 2], [2, 3]], dtype=float)
    >>> y = np.array([0, 0, 0, 1, 1, 1])
    >>> ax = plot_decision_boundary(LogisticRegression().fit(X, y), X, y, resolution=50)
    >>> ax.get_title()
    'Decision boundary (P(class 1) = 0.5)'
    """
    from sklearn.exceptions import NotFittedError
    from sklearn.utils.validation import check_is_fitted

    if not (hasattr(model, "predict_proba") or hasattr(model, "decision_function")):
        raise TypeError("model must have predict_proba or decision_function.")
    try:
        check_is_fitted(model)
    except NotFittedError:
        raise ValueError(f"model ({type(model).__name__}) is not fitted; call fit first.") from None
    except TypeError:
        pass  # not a scikit-learn estimator: trust its predict_proba
    Xa, ya = _xy(X, y)
    resolution = check_positive_int(resolution, "resolution", minimum=10)
    if resolution > 1000:
        raise ValueError(f"resolution must be <= 1000, got {resolution}.")
    names = _feature_labels(X, feature_names)

    lo, hi = Xa.min(axis=0), Xa.max(axis=0)
    margin = np.where(hi > lo, 0.05 * (hi - lo), 0.5)
    g0 = np.linspace(lo[0] - margin[0], hi[0] + margin[0], resolution)
    g1 = np.linspace(lo[1] - margin[1], hi[1] + margin[1], resolution)
    xx, yy = np.meshgrid(g0, g1)
    grid = np.column_stack([xx.ravel(), yy.ravel()])
    if isinstance(X, pd.DataFrame):  # keep the feature names the model was fitted with
        grid = pd.DataFrame(grid, columns=X.columns)
    scores, is_proba = _model_scores(model, grid)
    zz = scores.reshape(xx.shape)

    ax = _get_ax(ax)
    cmap = sns.diverging_palette(250, 30, l=65, center="light", as_cmap=True)
    if is_proba:
        levels, boundary, what = np.linspace(0, 1, 11), 0.5, "P(class 1)"
    else:
        top = float(np.abs(zz).max()) or 1.0
        levels, boundary, what = np.linspace(-top, top, 11), 0.0, "decision function"
    filled = ax.contourf(xx, yy, zz, levels=levels, cmap=cmap, alpha=0.85)
    ax.contour(xx, yy, zz, levels=[boundary], colors="black", linewidths=2)
    ax.figure.colorbar(filled, ax=ax, label=what)
    ax.scatter(Xa[ya == 0, 0], Xa[ya == 0, 1], s=12, color=_MAJORITY, edgecolors="white",
               linewidths=0.3, label=f"class 0 (n = {int((ya == 0).sum()):,})")
    ax.scatter(Xa[ya == 1, 0], Xa[ya == 1, 1], s=30, color=_MINORITY, edgecolors="black",
               linewidths=0.5, label=f"class 1 (n = {int((ya == 1).sum()):,})")
    handles, _ = ax.get_legend_handles_labels()
    handles.append(Line2D([], [], color="black", lw=2, label=f"boundary ({what} = {boundary:g})"))
    ax.legend(handles=handles, loc="best")
    ax.set_xlabel(names[0])
    ax.set_ylabel(names[1])
    ax.set_title(f"Decision boundary ({what} = {boundary:g})")
    return ax


# --------------------------------------------------------------------------
# Drift
# --------------------------------------------------------------------------

def _drift_values(data, feature, name):
    if isinstance(data, pd.DataFrame):
        if feature is None:
            raise ValueError(f"{name} is a DataFrame: pass feature= to choose the column.")
        if feature not in data.columns:
            raise ValueError(f"feature {feature!r} is not a column of {name}.")
        return data[feature]
    if isinstance(data, pd.Series):
        return data
    return pd.Series(check_1d(data, name))


def plot_drift(reference, current, *, feature=None, n_bins=30, clip_quantile=0.005, ax=None):
    """Reference against current distribution of one feature or of model scores.

    Numeric values: overlaid density histograms on common bins; the title
    gives the KS statistic and p-value (:func:`imbalance_kit.drift.ks_test`)
    and the PSI with its rule-of-thumb reading
    (:func:`imbalance_kit.drift.population_stability_index`). The bins span
    the ``clip_quantile`` to ``1 - clip_quantile`` quantiles of both samples
    together so that a heavy tail (Amount reaches 25,691) does not squash
    the picture; the statistics use every value. Non-numeric values:
    side-by-side bars of the category shares, with the chi-square test.

    Parameters
    ----------
    reference, current : array-like, Series or DataFrame
        Values in the reference and current periods (DataFrames need
        ``feature``).
    feature : str, optional
        Column to take from DataFrames, and the name shown (default: the
        Series name, or "value").
    n_bins : int, default=30
        Histogram bins (display only).
    clip_quantile : float, default=0.005
        Share cut off each tail of the displayed range, in [0, 0.5).
    ax : matplotlib Axes, optional

    Returns
    -------
    matplotlib.axes.Axes

    Examples
    --------
    >>> rng = np.random.default_rng(0)
    >>> ax = plot_drift(rng.normal(size=500), rng.normal(1, size=500), feature="V14")
    >>> ax.get_title().startswith("V14: KS = ")
    True
    """
    from .drift import chi_square_test, interpret_psi, ks_test, population_stability_index

    ref = _drift_values(reference, feature, "reference")
    cur = _drift_values(current, feature, "current")
    name = feature if feature is not None else (ref.name if ref.name is not None else "value")
    n_bins = check_positive_int(n_bins, "n_bins", minimum=2)
    clip_quantile = check_fraction(clip_quantile, "clip_quantile", high=0.5, closed="left")
    numeric = pd.api.types.is_numeric_dtype(ref) and pd.api.types.is_numeric_dtype(cur) and not (
        pd.api.types.is_bool_dtype(ref) or pd.api.types.is_bool_dtype(cur))

    if numeric:
        r = check_scores(ref, "reference")
        c = check_scores(cur, "current")
        ks = ks_test(r, c)
        psi = population_stability_index(r, c)
        both = np.concatenate([r, c])
        lo, hi = np.quantile(both, [clip_quantile, 1 - clip_quantile])
        if hi <= lo:
            lo, hi = both.min() - 0.5, both.max() + 0.5
        edges = np.linspace(lo, hi, n_bins + 1)
        ax = _get_ax(ax)
        ax.hist(r, bins=edges, density=True, histtype="stepfilled", color=PALETTE[0], alpha=0.4,
                label=f"reference (n = {r.size:,})")
        ax.hist(c, bins=edges, density=True, histtype="step", color=PALETTE[1], lw=2,
                label=f"current (n = {c.size:,})")
        ax.set_xlabel(str(name))
        ax.set_ylabel("Density (share per unit of the value)")
        ax.set_title(f"{name}: KS = {ks.statistic:.3f} (p = {ks.pvalue:.2g}), "
                     f"PSI = {psi:.3f} ({interpret_psi(psi)})")
    else:
        chi = chi_square_test(ref, cur)
        psi = population_stability_index(ref, cur, categorical=True)
        shares = chi.table.div(chi.table.sum(axis=1), axis=0).T  # categories x periods
        x = np.arange(len(shares))
        ax = _get_ax(ax)
        ax.bar(x - 0.2, shares["reference"], width=0.4, color=PALETTE[0],
               label=f"reference (n = {len(ref):,})")
        ax.bar(x + 0.2, shares["current"], width=0.4, color=PALETTE[1],
               label=f"current (n = {len(cur):,})")
        ax.set_xticks(x, labels=[str(v) for v in shares.index])
        ax.set_xlabel(str(name))
        ax.set_ylabel("Share of the period")
        ax.set_title(f"{name}: chi-square p = {chi.pvalue:.2g}, PSI = {psi:.3f} ({interpret_psi(psi)})")
    ax.legend(loc="best")
    return ax


def plot_monitoring(windows, *, columns=None, psi_threshold=0.25, ax=None):
    """PSI of each monitored column per window, from :func:`imbalance_kit.drift.monitor_windows`.

    One line per column (``{col}_psi``), the trigger threshold as a dashed
    line, and the first window that fired (``windows.attrs["first_fired"]``
    or the ``first_fired`` column) as a vertical line.

    Parameters
    ----------
    windows : pandas.DataFrame
        The output of :func:`imbalance_kit.drift.monitor_windows`.
    columns : list of str, optional
        Monitored columns to draw (default: all; at most 10 are readable).
    psi_threshold : float, default=0.25
        Threshold to draw (the one the monitor used).
    ax : matplotlib Axes, optional

    Returns
    -------
    matplotlib.axes.Axes

    Examples
    --------
    >>> from imbalance_kit.drift import monitor_windows
    >>> rng = np.random.default_rng(0)
    >>> t = np.arange(4000.0)
    >>> df = pd.DataFrame({"t": t, "x": rng.normal(size=4000) + (t >= 3000)})
    >>> res = monitor_windows(df, time_col="t", reference_end=2000, window=500, features=["x"])
    >>> plot_monitoring(res).get_ylabel()
    'PSI against the reference period'
    """
    if not isinstance(windows, pd.DataFrame) or "window_start" not in windows.columns:
        raise ValueError("windows must be the DataFrame returned by drift.monitor_windows.")
    available = [c[:-4] for c in windows.columns if c.endswith("_psi") and c != "max_psi"]
    columns = available if columns is None else list(columns)
    unknown = [c for c in columns if c not in available]
    if unknown:
        raise ValueError(f"columns not monitored in windows: {unknown}; available: {available}.")
    if not columns:
        raise ValueError("columns is empty: nothing to draw.")
    psi_threshold = check_fraction(psi_threshold, "psi_threshold", high=np.inf)

    ax = _get_ax(ax)
    x = windows["window_start"]
    for colour, col in zip(itertools.cycle(PALETTE), columns):
        ax.plot(x, windows[f"{col}_psi"], marker=".", color=colour, lw=1.5, label=col)
    ax.axhline(psi_threshold, ls="--", color=_GREY, lw=1.5, label=f"trigger (PSI = {psi_threshold:g})")
    first = windows.attrs.get("first_fired")
    if first is None and "first_fired" in windows.columns and windows["first_fired"].any():
        first = windows.loc[windows["first_fired"], "window_start"].iloc[0]
    if first is not None:
        ax.axvline(first, color="black", ls=":", lw=1.5, label=f"first fired: {first}")
    ax.set_xlabel("Window start (time column units)")
    ax.set_ylabel("PSI against the reference period")
    ax.set_title("Drift monitoring: PSI per window")
    ax.legend(loc="upper left", fontsize=9, ncols=2 if len(columns) > 5 else 1)
    return ax


def plot_power_curve(simulation, *, target_power=0.8, ax=None):
    """Power and spread of the observed difference against the length of an A/B test.

    Draws the ``power`` column of :func:`imbalance_kit.abtest.simulate_ab_test`
    (one row per test length) against ``n_days`` on the left axis with the
    target power dashed, and on a twin right axis the 5 %-95 % range of the
    observed recall differences around the true difference: what a test of
    that length can detect, and how far off a single run can be.

    Parameters
    ----------
    simulation : pandas.DataFrame
        The output of :func:`imbalance_kit.abtest.simulate_ab_test`.
    target_power : float, default=0.8
    ax : matplotlib Axes, optional

    Returns
    -------
    matplotlib.axes.Axes
        The power Axes; the twin Axes of the differences is in ``ax.figure.axes``.

    Examples
    --------
    >>> from imbalance_kit.abtest import simulate_ab_test
    >>> sim = simulate_ab_test(0.75, 0.8, 0.0017, 100_000, [7, 14, 28], n_simulations=200)
    >>> plot_power_curve(sim).get_xlabel()
    'Test length (days)'
    """
    needed = {"n_days", "power", "diff_q05", "diff_q95", "true_difference"}
    if not isinstance(simulation, pd.DataFrame) or not needed <= set(simulation.columns):
        raise ValueError("simulation must be the DataFrame returned by abtest.simulate_ab_test.")
    target_power = check_fraction(target_power, "target_power")
    sim = simulation.sort_values("n_days")

    ax = _get_ax(ax)
    diff_ax = ax.twinx()
    days = sim["n_days"].to_numpy()
    diff_ax.fill_between(days, sim["diff_q05"], sim["diff_q95"], color=PALETTE[0], alpha=0.2)
    diff_ax.axhline(sim["true_difference"].iloc[0], color=PALETTE[0], lw=1, ls="-.")
    diff_ax.axhline(0, color=_GREY, lw=0.8)
    diff_ax.set_ylabel("Observed recall difference B - A (5 %-95 % band)")
    ax.plot(days, sim["power"], marker="o", color=PALETTE[1], lw=2, label="power (left)")
    ax.axhline(target_power, ls="--", color=_GREY, lw=1.5, label=f"target power = {target_power:g}")
    handles, _ = ax.get_legend_handles_labels()
    handles += [plt.Rectangle((0, 0), 1, 1, color=PALETTE[0], alpha=0.2,
                              label="observed difference, 5 %-95 % (right)"),
                Line2D([], [], color=PALETTE[0], lw=1, ls="-.",
                       label=f"true difference = {sim['true_difference'].iloc[0]:+.3f} (right)")]
    ax.set_zorder(diff_ax.get_zorder() + 1)
    ax.patch.set_visible(False)
    ax.set_ylim(0, 1.02)
    ax.set_xlabel("Test length (days)")
    ax.set_ylabel("Power (share of tests that detect the difference)")
    ax.set_title("What an A/B test of a given length can tell")
    ax.legend(handles=handles, loc="lower right", fontsize=9)
    return ax


# --------------------------------------------------------------------------
# Images
# --------------------------------------------------------------------------

def plot_xray_grid(images, labels, *, n=12, ncols=6, class_names=("normal", "pneumonia"),
                   indices=None):
    """Grid of grey (or colour) images with their labels; positives in orange.

    The one figure function that does not take ``ax``: a grid needs one Axes
    per image, so it creates its own figure and returns the ``Figure``.

    Parameters
    ----------
    images : array-like of shape (N, H, W), (N, H, W, 1|3) or (N, 1|3, H, W)
        Images (uint8 0-255 or floats), e.g. MedMNIST arrays or a batch of
        tensors (channel-first is detected).
    labels : array-like of shape (N,) or (N, 1)
        0/1 labels.
    n : int, default=12
        Number of images to show (at most N).
    ncols : int, default=6
    class_names : tuple of 2 str, default=("normal", "pneumonia")
    indices : array-like of int, optional
        Which images to show (default: the first ``n``).

    Returns
    -------
    matplotlib.figure.Figure

    Examples
    --------
    >>> fig = plot_xray_grid(np.zeros((4, 8, 8)), [0, 1, 0, 1], n=4, ncols=2)
    >>> len(fig.axes)
    4
    """
    imgs = np.asarray(images)
    if imgs.ndim == 4 and imgs.shape[1] in (1, 3) and imgs.shape[-1] not in (1, 3):
        imgs = np.moveaxis(imgs, 1, -1)  # torch layout (N, C, H, W) -> (N, H, W, C)
    if imgs.ndim == 4 and imgs.shape[-1] == 1:
        imgs = imgs[..., 0]
    if imgs.ndim not in (3, 4) or (imgs.ndim == 4 and imgs.shape[-1] != 3):
        raise ValueError(f"images must have shape (N, H, W) or (N, H, W, 3), got {np.shape(images)}.")
    lab = check_binary_labels(labels, "labels", require_both=False)
    check_same_length(images=imgs, labels=lab)
    ncols = check_positive_int(ncols, "ncols")
    if indices is None:
        n = check_positive_int(n, "n")
        idx = np.arange(min(n, len(imgs)))
    else:
        idx = np.asarray(indices).ravel()
        if idx.size == 0 or not np.issubdtype(idx.dtype, np.integer):
            raise ValueError("indices must be a non-empty array of integers.")
        if idx.min() < 0 or idx.max() >= len(imgs):
            raise ValueError(f"indices must lie in [0, {len(imgs)}).")
    if len(class_names) != 2:
        raise ValueError(f"class_names must hold 2 names, got {len(class_names)}.")
    nrows = int(np.ceil(idx.size / ncols))
    ncols = min(ncols, idx.size)
    fig, axes = plt.subplots(nrows, ncols, figsize=(1.6 * ncols, 1.8 * nrows),
                             layout="constrained", squeeze=False)
    for ax in axes.ravel()[idx.size:]:
        fig.delaxes(ax)
    for ax, i in zip(axes.ravel(), idx):
        image = imgs[i]
        if image.ndim == 2:
            ax.imshow(image, cmap="gray")
        else:
            if image.dtype != np.uint8:  # floats: 0-1, or 0-255 stored as float
                image = np.clip(image / 255.0 if image.max() > 1 else image, 0, 1)
            ax.imshow(image)
        ax.set_title(f"#{int(i)}: {class_names[lab[i]]}", fontsize=9,
                     color=_MINORITY if lab[i] == 1 else "black")
        ax.set_axis_off()
    fig.suptitle(f"{idx.size} images ({int(lab[idx].sum())} {class_names[1]})")
    return fig


# --------------------------------------------------------------------------
# Focal loss, temperature scaling, gradient flow (notebooks 06 and 07)
# --------------------------------------------------------------------------

__all__ += [
    "plot_focal_gradient",
    "plot_gradient_share",
    "plot_grad_norms",
    "plot_temperature_scaling",
    "plot_xray_findings",
]


def _focal_logit_gradient(p_t, gamma):
    r"""Size of the gradient of the focal loss with respect to the logit, as a function of p_t.

    .. math:: \left|\frac{\partial \mathrm{FL}}{\partial z}\right|
              = (1 - p_t)^{\gamma}\,\bigl[(1 - p_t) - \gamma\, p_t \log p_t\bigr]

    (no alpha weighting); ``gamma=0`` gives cross-entropy's ``1 - p_t``.

    Examples
    --------
    >>> _focal_logit_gradient(np.array([0.5, 0.9]), 0.0).round(3).tolist()
    [0.5, 0.1]
    """
    p_t = np.asarray(p_t, dtype=np.float64)
    with np.errstate(divide="ignore", invalid="ignore"):
        p_log_p = np.where(p_t > 0, p_t * np.log(np.where(p_t > 0, p_t, 1.0)), 0.0)
    return (1 - p_t) ** gamma * ((1 - p_t) - gamma * p_log_p)


def plot_focal_gradient(gammas=(0.0, 1.0, 2.0, 5.0), *, ax=None):
    """Gradient of cross-entropy and focal loss with respect to the logit, against p_t.

    p_t is the predicted probability of the true class: near 1 an example is
    easy (well classified). Cross-entropy (``gamma=0``) still pushes on easy
    examples with ``1 - p_t``; focal loss multiplies that by about
    ``(1 - p_t) ** gamma``. Log scale on y, so that the factor of 100 or 1,000
    on the easy side is visible. Closed form in ``_focal_logit_gradient``
    (the tests check it against autograd).

    Parameters
    ----------
    gammas : sequence of float >= 0, default=(0, 1, 2, 5)
    ax : matplotlib Axes, optional

    Returns
    -------
    matplotlib.axes.Axes

    Examples
    --------
    >>> ax = plot_focal_gradient((0, 2))
    >>> len(ax.get_lines())
    3
    """
    gammas = [float(g) for g in np.atleast_1d(np.asarray(gammas, dtype=np.float64))]
    if not gammas or any(not np.isfinite(g) or g < 0 for g in gammas):
        raise ValueError(f"gammas must be a non-empty list of numbers >= 0, got {gammas}.")
    ax = _get_ax(ax)
    p_t = np.linspace(0.001, 0.999, 500)
    for colour, gamma in zip(itertools.cycle(PALETTE), gammas):
        label = "cross-entropy (γ = 0)" if gamma == 0 else f"focal loss, γ = {gamma:g}"
        ax.plot(p_t, _focal_logit_gradient(p_t, gamma), color=colour, lw=2, label=label)
    ax.axvline(0.9, ls="--", color=_GREY, lw=1.2, label="easy: p_t > 0.9")
    ax.set_yscale("log")
    ax.set_ylim(1e-6, 1.5)
    ax.set_xlim(0, 1)
    ax.set_xlabel("p_t (predicted probability of the true class)")
    ax.set_ylabel("|d loss / d logit| (log scale)")
    ax.set_title("How hard each loss pushes on an example")
    ax.legend(loc="lower left", fontsize=9)
    return ax


def plot_gradient_share(shares, *, ax=None, title="Share of the gradient from easy negatives (p_t > 0.9)"):
    """Bar chart of shares (in [0, 1]), e.g. the share of the total gradient from easy negatives.

    Parameters
    ----------
    shares : dict of str -> float
        ``{label: share}``, e.g. ``{"CE": 0.83, "FL γ=2": 0.04}``.
    ax : matplotlib Axes, optional
    title : str

    Returns
    -------
    matplotlib.axes.Axes

    Examples
    --------
    >>> ax = plot_gradient_share({"CE": 0.8, "FL γ=2": 0.05})
    >>> [t.get_text() for t in ax.get_xticklabels()]
    ['CE', 'FL γ=2']
    """
    if not isinstance(shares, Mapping) or not shares:
        raise ValueError("shares must be a non-empty dict {label: share in [0, 1]}.")
    values = {str(k): check_fraction(float(v), f"shares[{k!r}]", closed="both")
              for k, v in shares.items()}
    ax = _get_ax(ax)
    pos = np.arange(len(values))
    bars = ax.bar(pos, list(values.values()), color=[_MINORITY if i else _MAJORITY for i in range(len(values))])
    for bar, v in zip(bars, values.values()):
        ax.annotate(_pct(v), (bar.get_x() + bar.get_width() / 2, v), ha="center", va="bottom",
                    xytext=(0, 2), textcoords="offset points")
    ax.set_xticks(pos, list(values))
    ax.set_ylim(0, 1.1)
    ax.set_ylabel("share of the total |gradient|")
    ax.set_title(title)
    return ax


def plot_temperature_scaling(y_true, logits, temperature, *, n_bins=10, ax=None):
    """Reliability diagram of ``sigmoid(logits)`` before and after dividing by a temperature.

    The legend gives the expected calibration error (ECE, equal-width bins)
    and the Brier score of both; dividing by one temperature keeps the
    ranking (same AUC), it only moves the probabilities.

    Parameters
    ----------
    y_true : array-like of 0/1, shape (n,)
    logits : array-like of shape (n,)
        Raw scores of a binary model (typically on the test set).
    temperature : float > 0
        Fitted on a validation set (:func:`imbalance_kit.nets.fit_temperature`).
    n_bins : int, default=10
    ax : matplotlib Axes, optional

    Returns
    -------
    matplotlib.axes.Axes

    Examples
    --------
    >>> ax = plot_temperature_scaling([0, 0, 1, 1], [-3.0, 1.0, -1.0, 4.0], 2.0, n_bins=2)
    >>> ax.get_title()
    'Reliability before and after temperature scaling (T = 2.00)'
    """
    from .metrics import brier_score, expected_calibration_error, reliability_curve

    y = check_binary_labels(y_true, "y_true")
    z = check_scores(logits, "logits", n=y.size)
    temperature = float(temperature)
    if not np.isfinite(temperature) or temperature <= 0:
        raise ValueError(f"temperature must be a number > 0, got {temperature}.")
    probs = {"before": 1 / (1 + np.exp(-z)), f"after (z / {temperature:.2f})": 1 / (1 + np.exp(-z / temperature))}
    ax = _get_ax(ax)
    for colour, (name, p) in zip(PALETTE, probs.items()):
        prob_true, prob_pred, _ = reliability_curve(y, p, n_bins=n_bins)
        ece = expected_calibration_error(y, p, n_bins=n_bins)
        ax.plot(prob_pred, prob_true, marker="o", color=colour, lw=2,
                label=f"{name}: ECE {ece:.4f}, Brier {brier_score(y, p):.4f}")
    ax.plot([0, 1], [0, 1], ls="--", color=_GREY, lw=1.5, label="perfectly calibrated")
    ax.set_xlim(0, 1)
    ax.set_ylim(0, 1.02)
    ax.set_xlabel("Mean predicted probability")
    ax.set_ylabel("Observed share of positives")
    ax.set_title(f"Reliability before and after temperature scaling (T = {temperature:.2f})")
    ax.legend(loc="upper left", fontsize=9)
    return ax


def plot_grad_norms(steps, norms, *, ax=None):
    """Mean per-example gradient norms over training, one line per group.

    Parameters
    ----------
    steps : array-like of shape (n_steps,)
        Mini-batch counts of the measurements.
    norms : dict of str -> array-like of shape (n_steps,)
        E.g. ``{"CE, easy": ..., "CE, hard": ..., "FL, easy": ..., "FL, hard": ...}``.
        Names that start alike share a colour; "easy" lines are dashed.
    ax : matplotlib Axes, optional

    Returns
    -------
    matplotlib.axes.Axes

    Examples
    --------
    >>> ax = plot_grad_norms([0, 10], {"CE, easy": [0.1, 0.01], "CE, hard": [1.0, 0.8]})
    >>> ax.get_yscale()
    'log'
    """
    x = check_1d(steps, "steps")
    if not isinstance(norms, Mapping) or not norms:
        raise ValueError("norms must be a non-empty dict {name: values per step}.")
    series = {}
    for name, v in norms.items():
        v = check_scores(v, f"norms[{name!r}]", n=x.size)
        if (v <= 0).any():
            raise ValueError(f"norms[{name!r}] must be > 0 (they are drawn on a log scale).")
        series[str(name)] = v
    ax = _get_ax(ax)
    colours = {}
    for name, v in series.items():
        key = name.split(",")[0]
        colour = colours.setdefault(key, PALETTE[len(colours) % len(PALETTE)])
        ax.plot(x, v, color=colour, lw=2, marker="o", ms=3,
                ls="--" if "easy" in name.lower() else "-", label=name)
    ax.set_yscale("log")
    ax.set_xlabel("mini-batches seen")
    ax.set_ylabel("mean per-example gradient norm (log scale)")
    ax.set_title("Gradient flow: easy against hard examples")
    ax.legend(fontsize=9)
    return ax


def plot_xray_findings(images, masks, labels, *, n=6, ncols=6, indices=None,
                       class_names=("normal", "pneumothorax")):
    """Grid of grey images with the finding outlined in red (positives' titles in orange).

    Like :func:`plot_xray_grid` (it returns a ``Figure``), with the outline of
    a boolean mask per image, e.g. ``masks["finding"]`` from
    ``make_xray(..., return_masks=True)``.

    Parameters
    ----------
    images : array-like of shape (N, H, W)
    masks : array-like of bool, shape (N, H, W)
    labels : array-like of 0/1, shape (N,)
    n, ncols : int
        Number of images (the first ``n``, unless ``indices``) and columns.
    indices : array-like of int, optional
    class_names : tuple of 2 str

    Returns
    -------
    matplotlib.figure.Figure

    Examples
    --------
    >>> m = np.zeros((2, 8, 8), bool); m[1, 2:5, 2:5] = True
    >>> fig = plot_xray_findings(np.zeros((2, 8, 8)), m, [0, 1], n=2)
    >>> len(fig.axes)
    2
    """
    imgs = np.asarray(images)
    mk = np.asarray(masks)
    if imgs.ndim != 3:
        raise ValueError(f"images must have shape (N, H, W), got {imgs.shape}.")
    if mk.shape != imgs.shape:
        raise ValueError(f"masks must have the shape of images {imgs.shape}, got {mk.shape}.")
    fig = plot_xray_grid(imgs, labels, n=n, ncols=ncols, class_names=class_names, indices=indices)
    idx = np.arange(min(int(n), len(imgs))) if indices is None else np.asarray(indices).ravel()
    for ax, i in zip(fig.axes, idx):
        if mk[i].any():
            ax.contour(mk[i].astype(float), levels=[0.5], colors="#ff2020", linewidths=1.4)
    fig.suptitle(f"{idx.size} images; finding outlined in red")
    return fig


# --------------------------------------------------------------------------
# SMOTE variants, cleaning and comparisons against a baseline
# --------------------------------------------------------------------------

_KIND_COLOURS = {"safe": PALETTE[2], "danger": PALETTE[1], "noise": PALETTE[3],
                 "core": PALETTE[1], "disjunct": PALETTE[4], "removed": "black"}


def plot_point_kinds(X, y, kinds, *, labels=("majority", "minority"), feature_names=None, ax=None,
                     title=None):
    """2-D scatter: majority points faint, minority points coloured by their kind.

    ``kinds`` labels each minority row (in order), e.g. Borderline-SMOTE's
    ``"safe"`` / ``"danger"`` / ``"noise"`` (:func:`imbalance_kit.smote_variants.borderline_status`)
    or the parts of :func:`imbalance_kit.datasets.make_overlap_data`. The legend
    gives the count of each kind.

    Parameters
    ----------
    X : array-like of shape (n_samples, 2)
    y : array-like of 0/1 labels (1 = minority)
    kinds : array-like of str of shape (n_minority,)
    labels : tuple of 2 str
    feature_names : tuple of 2 str, optional
    ax : matplotlib Axes, optional
    title : str, optional

    Returns
    -------
    matplotlib.axes.Axes

    Examples
    --------
    >>> ax = plot_point_kinds([[0, 0], [1, 1], [2, 2]], [0, 1, 1], ["safe", "danger"])
    >>> [t.get_text() for t in ax.get_legend().get_texts()]
    ['majority (n = 1)', 'safe (n = 1)', 'danger (n = 1)']
    """
    Xa, ya = _xy(X, y)
    kinds = np.asarray(kinds).astype(str)
    if kinds.shape != (int((ya == 1).sum()),):
        raise ValueError(f"kinds must hold one label per minority row ({int((ya == 1).sum())}), "
                         f"got shape {kinds.shape}.")
    names = _feature_labels(X, feature_names)
    ax = _get_ax(ax)
    ax.scatter(Xa[ya == 0, 0], Xa[ya == 0, 1], s=8, color=_MAJORITY, alpha=0.3,
               label=f"{labels[0]} (n = {int((ya == 0).sum()):,})")
    minority = Xa[ya == 1]
    extra = itertools.cycle(PALETTE[5:])
    for kind in dict.fromkeys(kinds):
        mask = kinds == kind
        colour = _KIND_COLOURS.get(kind) or next(extra)
        ax.scatter(minority[mask, 0], minority[mask, 1], s=30, color=colour, edgecolors="white",
                   linewidths=0.5, label=f"{kind} (n = {int(mask.sum()):,})")
    ax.set_xlabel(names[0])
    ax.set_ylabel(names[1])
    ax.set_title(title if title is not None else f"Kinds of {labels[1]} points")
    ax.legend(loc="best", markerscale=1.3, fontsize=8)
    return ax


def plot_cleaning(X, y, kept, *, labels=("majority", "minority"), feature_names=None, ax=None, title=None):
    """2-D scatter of a cleaning step (Tomek links, ENN): kept points, and removed ones circled.

    Parameters
    ----------
    X : array-like of shape (n_samples, 2)
        The set before cleaning.
    y : array-like of 0/1 labels
    kept : array-like of int
        Indices of the rows the cleaner kept (imbalanced-learn's ``sample_indices_``).

    Returns
    -------
    matplotlib.axes.Axes

    Examples
    --------
    >>> ax = plot_cleaning([[0, 0], [1, 1], [2, 2]], [0, 0, 1], kept=[0, 2])
    >>> [t.get_text() for t in ax.get_legend().get_texts()]
    ['majority kept (n = 1)', 'minority kept (n = 1)', 'majority removed (n = 1)']
    """
    Xa, ya = _xy(X, y)
    kept = np.asarray(kept, dtype=int).ravel()
    if kept.size and (kept.min() < 0 or kept.max() >= ya.size):
        raise ValueError(f"kept holds row indices outside 0..{ya.size - 1}.")
    is_kept = np.zeros(ya.size, dtype=bool)
    is_kept[kept] = True
    names = _feature_labels(X, feature_names)
    ax = _get_ax(ax)
    for cls, colour, size, alpha in ((0, _MAJORITY, 10, 0.35), (1, _MINORITY, 28, 0.9)):
        mask = (ya == cls) & is_kept
        ax.scatter(Xa[mask, 0], Xa[mask, 1], s=size, color=colour, alpha=alpha,
                   label=f"{labels[cls]} kept (n = {int(mask.sum()):,})")
    for cls, colour in ((0, _MAJORITY), (1, _MINORITY)):
        mask = (ya == cls) & ~is_kept
        if mask.any():
            ax.scatter(Xa[mask, 0], Xa[mask, 1], s=60, facecolors="none", edgecolors=colour,
                       linewidths=1.6, label=f"{labels[cls]} removed (n = {int(mask.sum()):,})")
    ax.set_xlabel(names[0])
    ax.set_ylabel(names[1])
    ax.set_title(title if title is not None else f"Cleaning: {int((~is_kept).sum()):,} rows removed")
    ax.legend(loc="best", fontsize=8)
    return ax


def plot_comparisons(comparisons, *, metric="difference", ax=None, title=None):
    """Forest plot: each method's difference from a baseline with its interval, coloured by verdict.

    Parameters
    ----------
    comparisons : DataFrame or sequence of ``Comparison``
        A table with ``difference``, ``low``, ``high`` and ``verdict`` columns
        (:func:`imbalance_kit.validation_cv.compare_to_baseline`; a
        ``"baseline"`` row is skipped), indexed by method, or
        :class:`imbalance_kit.uncertainty.Comparison` objects.
    metric : str
        x-axis label.

    Returns
    -------
    matplotlib.axes.Axes

    Examples
    --------
    >>> t = pd.DataFrame({"difference": [0.02, -0.05], "low": [-0.01, -0.08], "high": [0.05, -0.02],
    ...                   "verdict": ["within noise", "worse"]}, index=["a", "b"])
    >>> [t.get_text() for t in plot_comparisons(t).get_yticklabels()]
    ['a', 'b']
    """
    if isinstance(comparisons, pd.DataFrame):
        table = comparisons[comparisons["verdict"] != "baseline"]
        names = [str(i) for i in table.index]
        diff, low, high, verdicts = (table[c].to_numpy() for c in ("difference", "low", "high", "verdict"))
    else:
        comparisons = list(comparisons)
        names = [c.name_b for c in comparisons]
        diff, low, high = (np.array([getattr(c, a) for c in comparisons], dtype=float)
                           for a in ("difference", "low", "high"))
        verdicts = [c.verdict for c in comparisons]
    if not names:
        raise ValueError("comparisons is empty.")
    colours = {"better": PALETTE[2], "worse": PALETTE[3], "within noise": _GREY}
    ax = _get_ax(ax, figsize=(7.0, 0.45 * len(names) + 1.5))
    ypos = np.arange(len(names))[::-1]
    for yy, d, lo, hi, v in zip(ypos, diff, low, high, verdicts):
        ax.plot([lo, hi], [yy, yy], color=colours.get(v, _GREY), lw=2.5)
        ax.plot(d, yy, "o", color=colours.get(v, _GREY), ms=7)
    ax.axvline(0, color="black", lw=1, ls="--")
    ax.set_yticks(ypos, names)
    ax.set_xlabel(metric)
    handles = [Line2D([], [], color=c, lw=2.5, marker="o", label=v) for v, c in colours.items()]
    ax.legend(handles=handles, loc="best", fontsize=8, title="verdict (95% interval)")
    ax.set_title(title if title is not None else "Difference from the baseline, with its interval")
    return ax
