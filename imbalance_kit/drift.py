"""Data drift: has the data (or the model's scores) moved since training?

A fraud model is trained on the past and scores the future. When the
population changes (a new merchant, a new fraud pattern, a holiday season),
its precision and recall change long before the labels arrive to tell us so:
frauds are confirmed days or weeks later. Drift monitoring compares the
distribution of each input feature (and of the model's scores) in a
*reference* period with a *current* one, which needs no labels at all.

Three tools, from the most to the least formal:

- :func:`ks_test` -- two-sample Kolmogorov-Smirnov test for a numeric
  feature (largest gap between the two empirical CDFs).
- :func:`chi_square_test` -- chi-square test of homogeneity for a
  categorical feature.
- :func:`population_stability_index` -- the PSI used in credit scoring: a
  symmetrised divergence between binned proportions, read against a rule of
  thumb rather than a p-value.

With large windows, a test flags differences far too small to matter
(p-values shrink with n while the shift stays the same); the PSI does not
grow with n, which is why production monitors often trigger on it.
:func:`drift_report` runs everything over the columns of two frames with a
multiple-testing correction; :func:`monitor_windows` walks a time-ordered
stream window by window and says when a retraining trigger would have fired;
:func:`drift_signals` is the monitoring check of one window of a fraud model
(features, score and, once the label delay has passed, the fraud rate).
"""

from __future__ import annotations

import numbers
from typing import NamedTuple

import numpy as np
import pandas as pd
from scipy import stats

from .validation import (
    check_1d,
    check_binary_labels,
    check_choice,
    check_fraction,
    check_positive_int,
    check_scores,
)

__all__ = [
    "ChiSquareResult",
    "KSResult",
    "MAX_WINDOWS",
    "MISSING",
    "adjust_pvalues",
    "chi_square_test",
    "drift_report",
    "drift_signals",
    "interpret_psi",
    "ks_test",
    "monitor_windows",
    "population_stability_index",
    "psi_table",
]

# Rule of thumb from credit scoring (e.g. Siddiqi, *Credit Risk Scorecards*, 2006).
# A convention, not a statistical test: it ignores sample size.
PSI_STABLE = 0.1
PSI_MAJOR = 0.25
# Floor for bin proportions in the PSI (see population_stability_index).
PSI_EPS = 1e-4
# Multiple-testing corrections known to adjust_pvalues.
_CORRECTIONS = ("holm", "bonferroni", "bh", "none")
# Most windows monitor_windows walks before it refuses (a window far too short
# for the period would otherwise build millions of empty windows).
MAX_WINDOWS = 10_000


class _Missing:
    """The one category that missing values (None, NaN, pd.NA, NaT) form."""

    def __repr__(self):
        return "MISSING"

    def __reduce__(self):  # one instance, also after pickling
        return "MISSING"


#: Label of the category of missing values in chi-square and PSI tables.
MISSING = _Missing()


class KSResult(NamedTuple):
    """Result of :func:`ks_test`; unpacks like scipy's result.

    Attributes
    ----------
    statistic : float
        The KS statistic D, the largest gap between the two empirical CDFs.
    pvalue : float
        p-value of "both samples come from the same distribution".

    Examples
    --------
    >>> statistic, pvalue = KSResult(0.12, 0.003)
    >>> statistic
    0.12
    """

    statistic: float
    pvalue: float


class ChiSquareResult(NamedTuple):
    """Result of :func:`chi_square_test`.

    Attributes
    ----------
    statistic : float
        The chi-square statistic.
    pvalue : float
        p-value of "both samples have the same category shares".
    dof : int
        Degrees of freedom, number of categories - 1.
    table : pandas.DataFrame
        The 2 x k contingency table (rows ``reference``, ``current``).

    Examples
    --------
    >>> chi_square_test(["a", "b", "b"], ["a", "a", "b"]).dof
    1
    """

    statistic: float
    pvalue: float
    dof: int
    table: pd.DataFrame


# --------------------------------------------------------------------------
# Single-feature tests
# --------------------------------------------------------------------------

def _numeric_sample(values, name):
    """1-D float array without NaN/inf and at least one value."""
    return check_scores(values, name)


def _category_counts(values, name):
    """Counts per category, compared by value; missing values form one category.

    Categories are compared as values, not as text: ``1``, ``1.0`` and
    ``np.int64(1)`` are one category (an int column that turned float
    because one value went missing must not look like new categories),
    while ``"1"`` (text) stays a different one. ``None``, ``NaN``, ``pd.NA``
    and ``NaT`` all count as the one category :data:`MISSING`.
    """
    arr = check_1d(values, name, dtype=object)
    series = pd.Series(arr, dtype=object)
    missing = series.isna().to_numpy()
    # Python's == and hash() say 1 == 1.0 == True: pandas' object hash table
    # follows them, so value_counts groups by value.
    counts = series[~missing].value_counts(sort=False)
    if missing.any():
        counts = pd.concat([counts, pd.Series({MISSING: int(missing.sum())})])
    return counts


def _category_sort_key(value):
    # Numbers by value, then text (and anything else) by its text, missing last.
    if value is MISSING:
        return (2, 0.0, "")
    if isinstance(value, (numbers.Real, np.bool_)) and not isinstance(value, str):
        return (0, float(value), "")
    return (1, 0.0, f"{type(value).__name__}:{value}")


def _category_table(reference, current):
    """2 x k table of counts (rows reference, current) over the union of categories."""
    ref = _category_counts(reference, "reference")
    cur = _category_counts(current, "current")
    # Align by value through a dict: 1 (int) and 1.0 (float) are one key.
    merged = {}
    for row, counts in ((0, ref), (1, cur)):
        for key, count in counts.items():
            merged.setdefault(key, [0, 0])[row] += int(count)
    keys = sorted(merged, key=_category_sort_key)
    table = pd.DataFrame(
        np.array([merged[k] for k in keys], dtype=np.int64).T.reshape(2, len(keys)),
        index=["reference", "current"],
        columns=pd.Index(keys, dtype=object),
    )
    return table


def ks_test(reference, current):
    """Two-sample Kolmogorov-Smirnov test of ``reference`` against ``current``.

    The statistic is the largest vertical gap between the two empirical
    cumulative distribution functions,

    .. math:: D = \\max_x |F_{ref}(x) - F_{cur}(x)|,

    and the p-value tests "both samples come from the same distribution"
    (computed by :func:`scipy.stats.ks_2samp`, exact for small samples).
    Works on a feature or on model scores.

    Parameters
    ----------
    reference, current : array-like of shape (n,) and (m,)
        Numeric values without NaN.

    Returns
    -------
    KSResult
        ``(statistic, pvalue)``.

    Examples
    --------
    >>> rng = np.random.default_rng(0)
    >>> res = ks_test(rng.normal(size=500), rng.normal(0.5, size=500))
    >>> res.statistic > 0.1, res.pvalue < 0.001
    (True, True)
    """
    ref = _numeric_sample(reference, "reference")
    cur = _numeric_sample(current, "current")
    res = stats.ks_2samp(ref, cur)
    return KSResult(float(res.statistic), float(res.pvalue))


def chi_square_test(reference, current, *, correction=True):
    """Chi-square test of homogeneity for a categorical feature.

    Builds the 2 x k contingency table of counts (rows: reference, current;
    columns: the union of the categories seen in either sample, so that a
    category that appears only in the current window counts) and applies
    :func:`scipy.stats.chi2_contingency`:

    .. math:: \\chi^2 = \\sum_{ij} (O_{ij} - E_{ij})^2 / E_{ij},
              \\quad E_{ij} = \\text{row}_i \\, \\text{col}_j / N,

    with k - 1 degrees of freedom. Categories are compared by value, not
    as text: ``1`` and ``1.0`` are one category (an int column that turned
    float because a value went missing does not drift), ``"1"`` is another.
    Missing values (``None``, NaN, ``pd.NA``, ``NaT``) form one category of
    their own, labelled :data:`MISSING`: a field that stops being filled in
    is drift worth seeing. With ``correction=True`` (scipy's default) Yates' continuity
    correction is applied when there are exactly two categories (dof = 1).
    With a single category in both samples there is nothing to compare: the
    statistic is 0 and the p-value 1.

    Parameters
    ----------
    reference, current : array-like of shape (n,) and (m,)
        Category labels (strings, integers, booleans...).
    correction : bool, default=True
        Passed to :func:`scipy.stats.chi2_contingency`.

    Returns
    -------
    ChiSquareResult
        ``(statistic, pvalue, dof, table)``; ``table`` is the contingency
        table as a DataFrame (index ``["reference", "current"]``).

    Examples
    --------
    >>> res = chi_square_test(["a"] * 50 + ["b"] * 50, ["a"] * 80 + ["b"] * 20)
    >>> res.dof, bool(res.pvalue < 0.001)
    (1, True)

    Codes that turned float (a missing value) are still the same categories:

    >>> statistic, pvalue, dof, table = chi_square_test([1, 2, 2, 3], [1.0, 2.0, 3.0, None])
    >>> dof, list(table.columns)
    (3, [1, 2, 3, MISSING])
    """
    table = _category_table(reference, current)
    if table.shape[1] < 2:
        return ChiSquareResult(0.0, 1.0, 0, table)
    res = stats.chi2_contingency(table.to_numpy(), correction=correction)
    return ChiSquareResult(float(res.statistic), float(res.pvalue), int(res.dof), table)


# --------------------------------------------------------------------------
# Population stability index
# --------------------------------------------------------------------------

def _psi_edges(ref, n_bins, strategy):
    """Interior bin edges computed on the reference sample only."""
    if strategy == "quantile":
        edges = np.quantile(ref, np.linspace(0, 1, n_bins + 1)[1:-1])
    else:
        edges = np.linspace(ref.min(), ref.max(), n_bins + 1)[1:-1]
    # Ties (many scores at exactly 0, a constant feature) make repeated
    # quantiles; a repeated edge would create an empty bin in both samples.
    return np.unique(edges)


def _bin_proportions(values, edges):
    """Share of ``values`` in each bin (-inf, e1), [e1, e2), ..., [ek, +inf)."""
    idx = np.searchsorted(edges, values, side="right")
    return np.bincount(idx, minlength=edges.size + 1) / values.size


def _psi_from_proportions(ref_prop, cur_prop, eps):
    r = np.maximum(ref_prop, eps)
    c = np.maximum(cur_prop, eps)
    return (c - r) * np.log(c / r)


def psi_table(reference, current, *, n_bins=10, strategy="quantile", eps=PSI_EPS,
              categorical=False):
    """Bin-by-bin table behind :func:`population_stability_index`.

    Parameters are those of :func:`population_stability_index`.

    Returns
    -------
    pandas.DataFrame
        One row per bin: ``bin`` (an interval label or the category),
        ``reference`` and ``current`` (proportions, before flooring) and
        ``contribution`` (the bin's term of the PSI sum). The PSI is
        ``table["contribution"].sum()``.

    Examples
    --------
    >>> rng = np.random.default_rng(0)
    >>> t = psi_table(rng.normal(size=1000), rng.normal(0.3, size=1000), n_bins=4)
    >>> len(t), round(float(t["reference"].sum()), 6)
    (4, 1.0)
    """
    eps = check_fraction(eps, "eps")
    if categorical:
        table = _category_table(reference, current)
        labels = table.columns.to_list()
        counts = table.to_numpy(dtype=np.float64)
        ref_prop = counts[0] / counts[0].sum()
        cur_prop = counts[1] / counts[1].sum()
    else:
        n_bins = check_positive_int(n_bins, "n_bins", minimum=2)
        strategy = check_choice(strategy, "strategy", ("quantile", "uniform"))
        ref = _numeric_sample(reference, "reference")
        cur = _numeric_sample(current, "current")
        edges = _psi_edges(ref, n_bins, strategy)
        ref_prop = _bin_proportions(ref, edges)
        cur_prop = _bin_proportions(cur, edges)
        bounds = np.concatenate([[-np.inf], edges, [np.inf]])
        labels = [f"[{lo:.4g}, {hi:.4g})" for lo, hi in zip(bounds[:-1], bounds[1:])]
    return pd.DataFrame({
        "bin": labels,
        "reference": ref_prop,
        "current": cur_prop,
        "contribution": _psi_from_proportions(ref_prop, cur_prop, eps),
    })


def population_stability_index(reference, current, *, n_bins=10, strategy="quantile",
                               eps=PSI_EPS, categorical=False):
    """Population stability index (PSI) of ``current`` against ``reference``.

    .. math:: \\mathrm{PSI} = \\sum_{b} (c_b - r_b) \\ln(c_b / r_b)

    where :math:`r_b` and :math:`c_b` are the proportions of the reference and
    current samples in bin *b*. It is the symmetrised Kullback-Leibler
    divergence (KL(c||r) + KL(r||c)) of the binned distributions, so it is
    >= 0 and 0 only when every bin holds the same share in both samples.

    Bins. The edges come from the reference only: with
    ``strategy="quantile"`` the n_bins - 1 *interior* quantiles of the
    reference (so each bin holds about 1/n_bins of it); with
    ``"uniform"`` n_bins - 1 equally spaced interior points between its
    minimum and maximum. The two outer bins are open-ended,
    (-inf, e_1) and [e_last, +inf), so every current value falls in a bin
    even beyond the reference's range. Repeated edges (ties, e.g. many
    scores equal to 0) are merged, so fewer bins than ``n_bins`` may result.
    With ``categorical=True`` each category (union of both samples,
    compared by value as in :func:`chi_square_test`, missing values one
    category :data:`MISSING`) is a bin.

    Empty bins. ln(c/r) is infinite when a bin is empty in one sample, so
    both proportions are floored at ``eps`` (``max(p, eps)``, not
    renormalised) before the sum; an empty bin then contributes a large but
    finite term.

    Reading (a rule of thumb from credit scoring, not a test): PSI < 0.1
    stable, 0.1 to 0.25 moderate shift, > 0.25 major shift (see
    :func:`interpret_psi`). Unlike a p-value it does not shrink as the
    samples grow. Works on features and on model scores alike.

    Parameters
    ----------
    reference, current : array-like of shape (n,) and (m,)
        Numeric values without NaN (or category labels with
        ``categorical=True``).
    n_bins : int, default=10
        Number of bins (numeric only), at least 2.
    strategy : {"quantile", "uniform"}, default="quantile"
    eps : float, default=1e-4
        Floor for the proportions, in (0, 1).
    categorical : bool, default=False
        Treat the values as categories.

    Returns
    -------
    float

    Examples
    --------
    >>> rng = np.random.default_rng(0)
    >>> ref = rng.normal(size=5000)
    >>> population_stability_index(ref, rng.normal(size=5000)) < 0.1
    True
    >>> population_stability_index(ref, rng.normal(1.0, size=5000)) > 0.25
    True
    """
    table = psi_table(reference, current, n_bins=n_bins, strategy=strategy, eps=eps,
                      categorical=categorical)
    return float(table["contribution"].sum())


def interpret_psi(psi):
    """Read a PSI value with the usual rule of thumb.

    A convention from credit scoring, not a test.

    Parameters
    ----------
    psi : float
        A PSI value, finite and >= 0 (see :func:`population_stability_index`).

    Returns
    -------
    str
        ``"stable"`` (PSI < 0.1), ``"moderate"`` (0.1 <= PSI <= 0.25) or
        ``"major"`` (PSI > 0.25).

    Examples
    --------
    >>> interpret_psi(0.05), interpret_psi(0.2), interpret_psi(0.4)
    ('stable', 'moderate', 'major')
    """
    psi = check_fraction(psi, "psi", low=0.0, high=np.inf, closed="left")
    if psi < PSI_STABLE:
        return "stable"
    return "moderate" if psi <= PSI_MAJOR else "major"


# --------------------------------------------------------------------------
# Several columns
# --------------------------------------------------------------------------

def adjust_pvalues(pvalues, method="holm"):
    """Adjust p-values for testing several columns at once.

    With 30 features tested at alpha = 0.05, about 1.5 would be flagged by
    chance alone even with no drift at all. Adjusted p-values are compared
    with alpha directly:

    - ``"bonferroni"``: :math:`\\tilde p_i = \\min(1, m p_i)`; controls the
      family-wise error rate (FWER).
    - ``"holm"``: sort :math:`p_{(1)} \\le \\dots \\le p_{(m)}`, then
      :math:`\\tilde p_{(i)} = \\max_{j \\le i} \\min(1, (m - j + 1) p_{(j)})`;
      controls the FWER too and is never less powerful than Bonferroni.
    - ``"bh"``: Benjamini-Hochberg, controls the false discovery rate
      (:func:`scipy.stats.false_discovery_control`).
    - ``"none"``: unchanged.

    Parameters
    ----------
    pvalues : array-like of shape (m,)
        Raw p-values in [0, 1] (m may be 0).
    method : {"holm", "bonferroni", "bh", "none"}, default="holm"

    Returns
    -------
    ndarray of shape (m,)
        Adjusted p-values, in the order of ``pvalues``.

    Examples
    --------
    >>> adjust_pvalues([0.01, 0.04, 0.03], method="holm").round(2).tolist()
    [0.03, 0.06, 0.06]
    """
    method = check_choice(method, "method", _CORRECTIONS)
    try:
        p = np.asarray(pvalues, dtype=np.float64)
    except (TypeError, ValueError):
        raise ValueError("pvalues must be numbers in [0, 1].") from None
    if p.ndim != 1:
        raise ValueError(f"pvalues must be one-dimensional, got shape {p.shape}.")
    if p.size and (np.isnan(p).any() or p.min() < 0 or p.max() > 1):
        raise ValueError("pvalues must lie in [0, 1] without NaN.")
    m = p.size
    if m == 0 or method == "none":
        return p.copy()
    if method == "bonferroni":
        return np.minimum(1.0, m * p)
    if method == "bh":
        return stats.false_discovery_control(p, method="bh")
    order = np.argsort(p, kind="stable")
    stepped = np.minimum(1.0, (m - np.arange(m)) * p[order])
    adjusted = np.empty(m)
    # The running maximum keeps the adjusted p-values in the same order as the raw ones.
    adjusted[order] = np.maximum.accumulate(stepped)
    return adjusted


def _is_categorical(series):
    return not pd.api.types.is_numeric_dtype(series) or pd.api.types.is_bool_dtype(series)


def _check_frame(df, name):
    if not isinstance(df, pd.DataFrame):
        raise TypeError(f"{name} must be a pandas DataFrame, got {type(df).__name__}.")
    if len(df) == 0:
        raise ValueError(f"{name} is empty.")


def drift_report(reference_df, current_df, *, columns=None, categorical=None, alpha=0.05,
                 correction="holm", n_bins=10):
    """Test every column of ``current_df`` for drift against ``reference_df``.

    Numeric columns get a KS test (:func:`ks_test`) and a quantile-binned PSI;
    categorical ones (non-numeric or boolean dtype, or listed in
    ``categorical``) a chi-square test (:func:`chi_square_test`) and a
    per-category PSI. NaN in a numeric column are dropped before the tests
    (missingness itself is not tested). P-values are adjusted over the
    columns with ``correction`` (:func:`adjust_pvalues`), and a column is
    flagged when its adjusted p-value is below ``alpha``.

    With large samples even negligible shifts get tiny p-values: read the
    ``psi`` column (and its ``psi_reading``) for the size of the shift.

    Parameters
    ----------
    reference_df, current_df : pandas.DataFrame
    columns : list of str, optional
        Columns to test (default: every column of ``reference_df``).
    categorical : list of str, optional
        Columns to treat as categorical even if numeric (codes).
    alpha : float, default=0.05
    correction : {"holm", "bonferroni", "bh", "none"}, default="holm"
    n_bins : int, default=10
        Bins for the numeric PSI.

    Returns
    -------
    pandas.DataFrame
        Indexed by column name, with ``test`` ("ks" or "chi2"),
        ``statistic``, ``pvalue``, ``pvalue_adjusted``, ``psi``,
        ``psi_reading`` and ``drifted``, sorted as ``columns``.

    Examples
    --------
    >>> rng = np.random.default_rng(0)
    >>> ref = pd.DataFrame({"x": rng.normal(size=500), "y": rng.normal(size=500)})
    >>> cur = pd.DataFrame({"x": rng.normal(1.0, size=500), "y": rng.normal(size=500)})
    >>> drift_report(ref, cur)["drifted"].tolist()
    [True, False]
    """
    _check_frame(reference_df, "reference_df")
    _check_frame(current_df, "current_df")
    alpha = check_fraction(alpha, "alpha")
    correction = check_choice(correction, "correction", _CORRECTIONS)
    # A lone name, not an iterable of letters.
    columns = [columns] if isinstance(columns, str) else columns
    categorical = [categorical] if isinstance(categorical, str) else categorical
    columns = list(reference_df.columns) if columns is None else list(columns)
    if not columns:
        raise ValueError("columns is empty: nothing to test.")
    for frame, name in ((reference_df, "reference_df"), (current_df, "current_df")):
        missing = [c for c in columns if c not in frame.columns]
        if missing:
            raise ValueError(f"columns missing from {name}: {missing}.")
    categorical = set() if categorical is None else set(categorical)
    unknown = sorted(map(str, categorical - set(columns)))
    if unknown:
        raise ValueError(f"categorical names columns that are not tested: {unknown}.")

    rows = []
    for col in columns:
        ref, cur = reference_df[col], current_df[col]
        if col in categorical or _is_categorical(ref) or _is_categorical(cur):
            res = chi_square_test(ref, cur)
            psi = population_stability_index(ref, cur, categorical=True)
            rows.append((col, "chi2", res.statistic, res.pvalue, psi))
        else:
            ref, cur = ref.dropna(), cur.dropna()
            if ref.empty or cur.empty:
                raise ValueError(f"column {col!r} has only missing values in one of the frames.")
            res = ks_test(ref, cur)
            psi = population_stability_index(ref, cur, n_bins=n_bins)
            rows.append((col, "ks", res.statistic, res.pvalue, psi))
    out = pd.DataFrame(rows, columns=["column", "test", "statistic", "pvalue", "psi"])
    out = out.set_index("column")
    out.insert(3, "pvalue_adjusted", adjust_pvalues(out["pvalue"].to_numpy(), correction))
    out["psi_reading"] = [interpret_psi(v) for v in out["psi"]]
    out["drifted"] = out["pvalue_adjusted"] < alpha
    return out


def _check_names(names, name):
    if names is None:
        return []
    names = [names] if isinstance(names, str) else list(names)
    if len(set(names)) != len(names):
        raise ValueError(f"{name} names a column twice: {names}.")
    return names


def drift_signals(reference, current, *, numeric=(), categorical=(), score_col="score",
                  label_col="is_fraud", time_col="datetime", labels_known_before=None,
                  alpha=0.05, correction="holm", psi_threshold=PSI_MAJOR, n_bins=10):
    """Which monitoring signals fire for one window of a fraud model's traffic.

    Three kinds of signal, compared with a ``reference`` period (what the
    model was validated on, covering whole days):

    1. **Tests** (``"drifted"``): a KS test (:func:`ks_test`) for each
       column of ``numeric`` and for the model score ``score_col``, a
       chi-square test (:func:`chi_square_test`) for each column of
       ``categorical``; the p-values of all these tests together are
       adjusted with ``correction`` (:func:`adjust_pvalues`), and a column
       fires when its adjusted p-value is below ``alpha``. The correction
       keeps the chance that a window with no drift at all fires anything
       at about ``alpha`` (Holm and Bonferroni control that family-wise
       rate), instead of ``1 - (1 - alpha)^m`` for m uncorrected tests.
    2. **Size** (``"psi"``): the columns (same set) whose PSI
       (:func:`population_stability_index`: ``n_bins`` reference-quantile
       bins for numbers, one bin per category otherwise) exceeds
       ``psi_threshold``. Tests answer "is there a difference?", and with
       big windows they say yes to tiny ones; the PSI says how big it is.
    3. **Class prior** (``"prior"``): fraud labels arrive late. Only the rows
       of ``current`` with ``time_col < labels_known_before`` have a known
       label; their fraud share is compared with the reference's by a
       chi-square test of the labels (a 2 x 2 table), firing when its
       p-value is below ``alpha`` (one test, not part of the correction
       above). ``None`` when no label of the window is known yet
       (``labels_known_before`` is ``None`` or precedes every row).

    Parameters
    ----------
    reference, current : pandas.DataFrame
        Rows of the reference period and of the window to check.
    numeric, categorical : sequence of str
        Feature columns tested with KS and with chi-square.
    score_col : str or None, default="score"
        Column of the model's scores (tested like a numeric feature); None
        to leave it out.
    label_col : str, default="is_fraud"
        0/1 labels (only read for the prior signal).
    time_col : str, default="datetime"
        Time of each row of ``current`` (for the label delay).
    labels_known_before : timestamp-like or None, default=None
        Labels of the rows of ``current`` before this time are known.
    alpha : float, default=0.05
    correction : {"holm", "bonferroni", "bh", "none"}, default="holm"
    psi_threshold : float, default=0.25
    n_bins : int, default=10

    Returns
    -------
    dict
        ``{"drifted": [columns], "psi": [columns], "prior": True | False | None}``;
        the lists follow the order numeric, categorical, score.

    Examples
    --------
    >>> rng = np.random.default_rng(0)
    >>> ref = pd.DataFrame({"amount": rng.gamma(2, 30, 2000), "night": rng.random(2000) < 0.1,
    ...                     "score": rng.beta(1, 20, 2000)})
    >>> cur = pd.DataFrame({"amount": rng.gamma(2, 36, 700), "night": rng.random(700) < 0.1,
    ...                     "score": rng.beta(1, 20, 700)})
    >>> drift_signals(ref, cur, numeric=["amount"], categorical=["night"])
    {'drifted': ['amount'], 'psi': [], 'prior': None}

    Amounts 20 % higher: the KS test fires, the PSI (about 0.08) calls it stable.
    """
    _check_frame(reference, "reference")
    _check_frame(current, "current")
    numeric = _check_names(numeric, "numeric")
    categorical = _check_names(categorical, "categorical")
    both = sorted(set(numeric) & set(categorical))
    if both:
        raise ValueError(f"columns are both numeric and categorical: {both}.")
    tested = [(c, "ks") for c in numeric] + [(c, "chi2") for c in categorical]
    if score_col is not None:
        if score_col in numeric or score_col in categorical:
            raise ValueError(f"score_col {score_col!r} is also listed as a feature.")
        tested.append((score_col, "ks"))
    if not tested:
        raise ValueError("Nothing to test: give numeric and/or categorical columns or a score_col.")
    for frame, name in ((reference, "reference"), (current, "current")):
        missing = [c for c, _ in tested if c not in frame.columns]
        if missing:
            raise ValueError(f"columns missing from {name}: {missing}.")
    alpha = check_fraction(alpha, "alpha")
    correction = check_choice(correction, "correction", _CORRECTIONS)
    psi_threshold = check_fraction(psi_threshold, "psi_threshold", high=np.inf)

    pvalues, psis = [], []
    for col, test in tested:
        ref, cur = reference[col], current[col]
        if test == "ks":
            pvalues.append(ks_test(ref, cur).pvalue)
            psis.append(population_stability_index(ref, cur, n_bins=n_bins))
        else:
            pvalues.append(chi_square_test(ref, cur).pvalue)
            psis.append(population_stability_index(ref, cur, categorical=True))
    adjusted = adjust_pvalues(pvalues, correction)
    names = [c for c, _ in tested]
    return {
        "drifted": [c for c, p in zip(names, adjusted) if p < alpha],
        "psi": [c for c, v in zip(names, psis) if v > psi_threshold],
        "prior": _prior_signal(reference, current, label_col, time_col, labels_known_before, alpha),
    }


def _prior_signal(reference, current, label_col, time_col, labels_known_before, alpha):
    """Chi-square test of the fraud share of the labelled current rows against the reference."""
    if labels_known_before is None:
        return None
    for frame, name in ((reference, "reference"), (current, "current")):
        if label_col not in frame.columns:
            raise ValueError(f"label_col {label_col!r} is not a column of {name}.")
    if time_col not in current.columns:
        raise ValueError(f"time_col {time_col!r} is not a column of current.")
    time = current[time_col]
    is_datetime = pd.api.types.is_datetime64_any_dtype(time)
    known = (time < _as_time_scalar(labels_known_before, "labels_known_before", is_datetime)).to_numpy()
    if not known.any():
        return None
    ref = check_binary_labels(reference[label_col].to_numpy(), f"reference[{label_col!r}]",
                              require_both=False)
    cur = check_binary_labels(current[label_col].to_numpy()[known], f"current[{label_col!r}]",
                              require_both=False)
    return bool(chi_square_test(ref, cur).pvalue < alpha)


# --------------------------------------------------------------------------
# Monitoring a stream
# --------------------------------------------------------------------------

def _as_time_scalar(value, name, is_datetime):
    if is_datetime:
        try:
            return pd.Timestamp(value)
        except (TypeError, ValueError):
            raise ValueError(f"{name} must be a timestamp, got {value!r}.") from None
    if isinstance(value, bool) or not np.isscalar(value) or not np.isreal(value):
        raise ValueError(f"{name} must be a number like the time column, got {value!r}.")
    return value


def _check_window(window, time_col, is_datetime):
    """The window length, in the units of the time column, or a clear ValueError."""
    if not is_datetime:
        if isinstance(window, (str, pd.Timedelta, np.timedelta64)) or hasattr(window, "days"):
            raise ValueError(
                f"time_col {time_col!r} is numeric, so window must be a number in its units "
                f"(e.g. 3600 for an hour of seconds), got {window!r}."
            )
        return check_fraction(window, "window", high=np.inf)
    accepted = ("window must be a time span for the datetime column "
                f"{time_col!r}, such as \"1D\", \"6h\" or pd.Timedelta(days=1)")
    if isinstance(window, (numbers.Real, np.bool_)) and not isinstance(window, np.timedelta64):
        # pd.Timedelta(1) is 1 nanosecond: refuse rather than walk 10^14 windows.
        raise ValueError(f"{accepted}; a bare number ({window!r}) has no unit.")
    if isinstance(window, str) and not any(ch.isalpha() for ch in window):
        raise ValueError(f"{accepted}; {window!r} has no unit.")
    try:
        span = pd.Timedelta(window)
    except (TypeError, ValueError):
        raise ValueError(f"{accepted}, got {window!r}.") from None
    if pd.isna(span) or span <= pd.Timedelta(0):
        raise ValueError(f"window must be a positive time span, got {window!r}.")
    return span


def monitor_windows(df, *, time_col, reference_end, window, score_col=None, features=None,
                    psi_threshold=0.25, alpha=0.05, rule="psi", n_bins=10, min_rows=50,
                    max_windows=MAX_WINDOWS):
    """Walk a time-ordered stream in windows and say when drift would have fired.

    The rows with ``time_col < reference_end`` form the reference period
    (what the model was trained or validated on). The rest is cut into
    consecutive windows ``[reference_end + k * window, reference_end + (k + 1) * window)``
    and each monitored column of each window is compared with the reference:
    PSI (reference-quantile bins, :func:`population_stability_index`) and KS
    (:func:`ks_test`). No labels are needed, which is the point: in fraud,
    labels arrive weeks late.

    A window *fires* (a retraining trigger) when

    - ``rule="psi"``: some monitored column has PSI > ``psi_threshold``;
    - ``rule="ks"``: some column's KS p-value, Bonferroni-adjusted over the
      monitored columns, is < ``alpha`` (sensitive: with big windows it
      fires on shifts too small to matter);
    - ``rule="both"``: both conditions hold (for some column each).

    Windows with fewer than ``min_rows`` rows are reported with NaN
    statistics and never fire (a handful of night-time transactions says
    little).

    Parameters
    ----------
    df : pandas.DataFrame
        The stream; need not be sorted.
    time_col : str
        Numeric (e.g. seconds, as the Kaggle ``Time``) or datetime column.
    reference_end : number or timestamp-like
        End (excluded) of the reference period.
    window : number, or a time span (``"1D"``, ``"6h"``, ``pd.Timedelta``) for datetimes
        Window length, > 0, in the units of ``time_col``. A datetime column
        needs a time span: a bare number is refused (``pd.Timedelta(1)`` is
        one nanosecond, which would cut two days into 10^14 windows).
    score_col : str, optional
        Model score column to monitor (score drift is often the first sign).
    features : list of str, optional
        Feature columns to monitor (numeric). At least one of ``score_col``
        and ``features`` is required.
    psi_threshold : float, default=0.25
    alpha : float, default=0.05
    rule : {"psi", "ks", "both"}, default="psi"
    n_bins : int, default=10
    min_rows : int, default=50
    max_windows : int, default=10_000
        Most windows walked; more raises a ``ValueError`` that says to
        choose a longer window.

    Returns
    -------
    pandas.DataFrame
        One row per window: ``window_start``, ``window_end``, ``n_rows``,
        ``{col}_psi``, ``{col}_ks`` and ``{col}_ks_pvalue`` per monitored
        column, ``max_psi``, ``fired`` and ``first_fired`` (True only on the
        first window that fired). ``result.attrs["first_fired"]`` holds the
        start of that window (``None`` when nothing fired).

    Examples
    --------
    >>> rng = np.random.default_rng(0)
    >>> t = np.arange(4000.0)
    >>> x = rng.normal(size=4000) + (t >= 3000) * 1.5
    >>> res = monitor_windows(pd.DataFrame({"t": t, "x": x}), time_col="t",
    ...                       reference_end=2000, window=500, features=["x"])
    >>> res.attrs["first_fired"]
    3000.0
    """
    _check_frame(df, "df")
    if time_col not in df.columns:
        raise ValueError(f"time_col {time_col!r} is not a column of df.")
    if isinstance(features, str):  # a lone name, not an iterable of letters
        features = [features]
    monitored = [] if features is None else list(features)
    if score_col is not None and score_col not in monitored:
        monitored.append(score_col)
    if not monitored:
        raise ValueError("Nothing to monitor: pass score_col and/or features.")
    missing = [c for c in monitored if c not in df.columns]
    if missing:
        raise ValueError(f"features/score_col name columns missing from df: {missing}.")
    not_numeric = [c for c in monitored if _is_categorical(df[c])]
    if not_numeric:
        raise ValueError(f"monitored columns must be numeric: {not_numeric}.")
    psi_threshold = check_fraction(psi_threshold, "psi_threshold", high=np.inf)
    alpha = check_fraction(alpha, "alpha")
    rule = check_choice(rule, "rule", ("psi", "ks", "both"))
    n_bins = check_positive_int(n_bins, "n_bins", minimum=2)
    min_rows = check_positive_int(min_rows, "min_rows", minimum=2)

    time = df[time_col]
    is_datetime = pd.api.types.is_datetime64_any_dtype(time)
    if not is_datetime and not pd.api.types.is_numeric_dtype(time):
        raise ValueError(f"time_col {time_col!r} must be numeric or datetime, got {time.dtype}.")
    if is_datetime and getattr(time.dt, "tz", None) is not None:
        raise ValueError(f"time_col {time_col!r} is timezone-aware; convert it with .dt.tz_convert(None).")
    if time.isna().any():
        raise ValueError(f"time_col {time_col!r} contains missing values.")
    reference_end = _as_time_scalar(reference_end, "reference_end", is_datetime)
    window_given, window = window, _check_window(window, time_col, is_datetime)
    max_windows = check_positive_int(max_windows, "max_windows")

    # Sort once; each window is then a contiguous slice found by binary search,
    # so the walk costs O(n log n) instead of a full scan per window.
    order = np.argsort(time.to_numpy(), kind="stable")
    t_sorted = time.to_numpy()[order]
    data = {c: df[c].to_numpy(dtype=np.float64)[order] for c in monitored}

    def position(value):
        # Index of the first row at or after ``value`` in the sorted times.
        if is_datetime:
            value = np.datetime64(value.to_datetime64()).astype(t_sorted.dtype)
        return int(np.searchsorted(t_sorted, value, side="left"))

    n_ref = position(reference_end)
    if n_ref < min_rows:
        raise ValueError(
            f"reference_end leaves {n_ref} rows in the reference period; at least "
            f"min_rows={min_rows} are needed."
        )
    if n_ref == t_sorted.size:
        raise ValueError("reference_end is after the last row: no rows left to monitor.")

    references = {}
    for c in monitored:
        ref = data[c][:n_ref]
        ref = ref[np.isfinite(ref)]
        if ref.size < min_rows:
            raise ValueError(f"column {c!r} has fewer than min_rows finite values in the reference period.")
        edges = _psi_edges(ref, n_bins, "quantile")
        references[c] = (ref, edges, _bin_proportions(ref, edges))

    last = pd.Timestamp(t_sorted[-1]) if is_datetime else t_sorted[-1]
    n_windows = int(np.floor((last - reference_end) / window)) + 1
    if n_windows > max_windows:
        raise ValueError(
            f"window={window_given!r} cuts the monitored period ({reference_end} to {last}) into "
            f"{n_windows:,} windows; at most max_windows={max_windows:,} are walked. "
            "Choose a longer window (or raise max_windows)."
        )
    starts = [reference_end + k * window for k in range(n_windows)]
    records = []
    for start in starts:
        end = start + window
        lo, hi = position(start), position(end)
        rec = {"window_start": start, "window_end": end, "n_rows": int(hi - lo)}
        for c in monitored:
            ref, edges, ref_prop = references[c]
            cur = data[c][lo:hi]
            cur = cur[np.isfinite(cur)]
            if cur.size < min_rows:
                rec.update({f"{c}_psi": np.nan, f"{c}_ks": np.nan, f"{c}_ks_pvalue": np.nan})
                continue
            psi = _psi_from_proportions(ref_prop, _bin_proportions(cur, edges), PSI_EPS).sum()
            ks = stats.ks_2samp(ref, cur)
            rec.update({f"{c}_psi": float(psi), f"{c}_ks": float(ks.statistic),
                        f"{c}_ks_pvalue": float(ks.pvalue)})
        records.append(rec)

    out = pd.DataFrame.from_records(records)
    psi_cols = [f"{c}_psi" for c in monitored]
    p_cols = [f"{c}_ks_pvalue" for c in monitored]
    out["max_psi"] = out[psi_cols].max(axis=1)
    psi_fire = (out[psi_cols] > psi_threshold).any(axis=1)
    ks_fire = (np.minimum(1.0, out[p_cols] * len(monitored)) < alpha).any(axis=1)
    fired = {"psi": psi_fire, "ks": ks_fire, "both": psi_fire & ks_fire}[rule]
    out["fired"] = fired.to_numpy(dtype=bool)
    first = int(np.argmax(out["fired"].to_numpy())) if out["fired"].any() else None
    out["first_fired"] = False
    if first is not None:
        out.loc[first, "first_fired"] = True
    out.attrs["first_fired"] = None if first is None else starts[first]
    return out
