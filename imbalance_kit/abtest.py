"""Champion against challenger: is the new fraud model really better?

Replacing a production model (the *champion*, A) with a new one (the
*challenger*, B) is a decision under uncertainty. With fraud at 0.17 % of
traffic, a recall measured on "a million transactions" rests on about 1,700
frauds, and a difference of two points of recall is within the noise of a
few weeks of traffic. This module answers the questions to ask before and
after such a test:

- How much traffic is needed? :func:`sample_size_recall`.
- Split traffic (A/B): is the difference significant?
  :func:`two_proportion_test`.
- Shadow mode (both models score the same transactions): the paired
  :func:`mcnemar_test`, far more sensitive because each fraud is its own
  control.
- What can a test of a given length tell at all? :func:`simulate_ab_test`.

Throughout, ``difference`` means **B minus A** (challenger minus champion):
positive when the challenger is better.

Results unpack like scipy's: ``z, pvalue = two_proportion_test(...)``,
``statistic, pvalue = mcnemar_test(...)``, ``low, high = wilson_interval(...)``;
the other fields are attributes (``res.difference``, ``res.ci``). scipy
computes the Wilson interval and the exact binomial test; the tests compare
every statistic here with statsmodels'.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import stats

from .validation import (
    check_binary_labels,
    check_choice,
    check_fraction,
    check_positive_int,
    check_random_state,
    check_same_length,
)

__all__ = [
    "McNemarResult",
    "SampleSizeResult",
    "TwoProportionResult",
    "mcnemar_test",
    "sample_size_recall",
    "simulate_ab_test",
    "two_proportion_test",
    "wilson_interval",
]

_ALTERNATIVES = ("two-sided", "greater", "less")


# --------------------------------------------------------------------------
# Sample size
# --------------------------------------------------------------------------

@dataclass(frozen=True)
class SampleSizeResult:
    """Result of :func:`sample_size_recall`.

    Unpacks as ``frauds_per_arm, transactions_per_arm``.

    Attributes
    ----------
    frauds_per_arm : int
        Frauds each arm must see.
    transactions_per_arm : int
        Transactions each arm must see, ``ceil(frauds_per_arm / fraud_rate)``.
    total_transactions : int
        Both arms together.
    days : float or None
        Test duration, when ``n_transactions_per_day`` was given.
    recall_a, recall_b, fraud_rate, alpha, power : float
        The inputs, for the record.

    Examples
    --------
    >>> res = sample_size_recall(0.75, 0.80, 0.0017, n_transactions_per_day=150_000)
    >>> round(res.days, 1)
    8.6
    """

    frauds_per_arm: int
    transactions_per_arm: int
    total_transactions: int
    days: float | None
    recall_a: float
    recall_b: float
    fraud_rate: float
    alpha: float
    power: float

    def __iter__(self):
        # The two numbers a plan needs, like scipy's results unpack their main fields.
        return iter((self.frauds_per_arm, self.transactions_per_arm))


def sample_size_recall(recall_a, recall_b, fraud_rate, *, alpha=0.05, power=0.8, two_sided=True,
                       n_transactions_per_day=None, split=0.5):
    """Traffic needed per arm to detect a difference in recall.

    Recall is a proportion **among frauds only** (frauds caught / frauds),
    so the sample size of a recall comparison is counted in frauds, not in
    transactions. The standard two-proportion formula (normal approximation,
    equal arms) gives the frauds needed per arm,

    .. math::

        n_{fraud} = \\left\\lceil \\frac{\\left(z_{1-\\alpha/2}\\sqrt{2\\bar p\\bar q}
                    + z_{1-\\beta}\\sqrt{p_A q_A + p_B q_B}\\right)^2}{(p_A - p_B)^2}
                    \\right\\rceil,

    with :math:`p = ` recall, :math:`q = 1 - p`, :math:`\\bar p = (p_A + p_B)/2`,
    :math:`1 - \\beta` the power, and :math:`z_{1-\\alpha}` instead of
    :math:`z_{1-\\alpha/2}` for a one-sided test. Since only a fraction
    ``fraud_rate`` of the traffic is fraud, the transactions needed per arm
    are :math:`\\lceil n_{fraud} / \\text{fraud rate} \\rceil`: halving the
    fraud rate doubles the traffic (and the duration) of the test.

    Parameters
    ----------
    recall_a, recall_b : float in (0, 1)
        Recall of the champion and the challenger (the difference to detect).
    fraud_rate : float in (0, 1)
        Share of transactions that are fraud.
    alpha : float, default=0.05
    power : float, default=0.8
    two_sided : bool, default=True
    n_transactions_per_day : int, optional
        Total daily traffic; when given, ``days`` is the test duration with
        a share ``split`` of it going to arm A (the slower arm decides).
    split : float, default=0.5
        Share of traffic sent to A.

    Returns
    -------
    SampleSizeResult

    Examples
    --------
    >>> res = sample_size_recall(0.75, 0.80, 0.0017)
    >>> res.frauds_per_arm
    1094
    >>> res.transactions_per_arm
    643530
    """
    recall_a = check_fraction(recall_a, "recall_a")
    recall_b = check_fraction(recall_b, "recall_b")
    if recall_a == recall_b:
        raise ValueError("recall_a and recall_b are equal: there is no difference to detect.")
    fraud_rate = check_fraction(fraud_rate, "fraud_rate")
    alpha = check_fraction(alpha, "alpha")
    power = check_fraction(power, "power")
    split = check_fraction(split, "split")
    if not isinstance(two_sided, (bool, np.bool_)):
        raise ValueError(f"two_sided must be True or False, got {two_sided!r}.")
    z_alpha = stats.norm.ppf(1 - alpha / 2 if two_sided else 1 - alpha)
    z_beta = stats.norm.ppf(power)
    p_bar = (recall_a + recall_b) / 2
    numerator = (z_alpha * math.sqrt(2 * p_bar * (1 - p_bar))
                 + z_beta * math.sqrt(recall_a * (1 - recall_a) + recall_b * (1 - recall_b))) ** 2
    frauds = math.ceil(numerator / (recall_a - recall_b) ** 2)
    transactions = math.ceil(frauds / fraud_rate)
    days = None
    if n_transactions_per_day is not None:
        per_day = check_positive_int(n_transactions_per_day, "n_transactions_per_day")
        days = transactions / (per_day * min(split, 1 - split))
    return SampleSizeResult(frauds, transactions, 2 * transactions, days, recall_a, recall_b,
                            fraud_rate, alpha, power)


# --------------------------------------------------------------------------
# Split traffic: two independent proportions
# --------------------------------------------------------------------------

def wilson_interval(successes, n, *, alpha=0.05):
    """Wilson score interval for a proportion ``successes / n``.

    .. math:: \\frac{\\hat p + \\frac{z^2}{2n} \\pm z\\sqrt{\\frac{\\hat p(1-\\hat p)}{n}
              + \\frac{z^2}{4n^2}}}{1 + z^2/n}

    Unlike the Wald interval it stays inside [0, 1] and behaves with 0 or n
    successes, which matters for rare events.

    Parameters
    ----------
    successes : int
        Number of successes (e.g. frauds caught), ``0 <= successes <= n``.
    n : int
        Number of trials (e.g. frauds seen), >= 1.
    alpha : float, default=0.05
        1 - confidence level.

    Computed by scipy: ``scipy.stats.binomtest(successes, n)
    .proportion_ci(confidence_level=1 - alpha, method="wilson")``.

    Returns
    -------
    (float, float)
        The interval ``(low, high)``.

    Examples
    --------
    >>> [round(v, 4) for v in wilson_interval(0, 20)]
    [0.0, 0.1611]
    """
    successes = check_positive_int(successes, "successes", minimum=0)
    n = check_positive_int(n, "n")
    if successes > n:
        raise ValueError(f"successes ({successes}) must be <= n ({n}).")
    alpha = check_fraction(alpha, "alpha")
    return _wilson(successes, n, alpha)


def _wilson(x, n, alpha):
    ci = stats.binomtest(x, n).proportion_ci(confidence_level=1 - alpha, method="wilson")
    return float(ci.low), float(ci.high)


@dataclass(frozen=True)
class TwoProportionResult:
    """Result of :func:`two_proportion_test`; unpacks as ``z, pvalue``.

    Attributes
    ----------
    z, pvalue : float
        Pooled z statistic (also as ``statistic``) and its p-value under
        ``alternative``.
    proportion_a, proportion_b : float
        Observed proportions (e.g. recalls) of A and B.
    difference : float
        ``proportion_b - proportion_a``.
    ci_low, ci_high : float
        Confidence interval of the difference (also as the property ``ci``).
    alternative, ci_method : str
        The options used.

    Examples
    --------
    >>> two_proportion_test(300, 400, 330, 400).ci_method
    'newcombe'
    """

    z: float
    pvalue: float
    proportion_a: float
    proportion_b: float
    difference: float
    ci_low: float
    ci_high: float
    alternative: str
    ci_method: str

    @property
    def statistic(self):
        """The z statistic, under scipy's name."""
        return self.z

    @property
    def ci(self):
        """The confidence interval as a tuple ``(low, high)``."""
        return (self.ci_low, self.ci_high)

    def __iter__(self):
        # Unpacks like scipy's test results: statistic, pvalue.
        return iter((self.z, self.pvalue))


def _pooled_z(xa, na, xb, nb):
    """z of the pooled two-proportion test, and whether it is defined.

    Vectorised over arrays of counts (the simulation) as well as scalars.
    Undefined when no trial (or every trial) is a success, or an arm has no
    trial at all: z is then 0 and ``defined`` False.
    """
    xa, na, xb, nb = (np.asarray(v, dtype=np.float64) for v in (xa, na, xb, nb))
    with np.errstate(divide="ignore", invalid="ignore"):
        pooled = (xa + xb) / (na + nb)
        se = np.sqrt(pooled * (1 - pooled) * (1 / na + 1 / nb))
        z = (xb / nb - xa / na) / se
    defined = np.isfinite(z)
    return np.where(defined, z, 0.0), defined


def _pvalue_from_z(z, alternative):
    if alternative == "two-sided":
        return 2 * stats.norm.sf(np.abs(z))
    if alternative == "greater":
        return stats.norm.sf(z)
    return stats.norm.cdf(z)


def two_proportion_test(successes_a, n_a, successes_b, n_b, *, alternative="two-sided",
                        alpha=0.05, ci_method="newcombe"):
    """Pooled z test for two independent proportions (split-traffic A/B test).

    For recall, ``successes`` are the frauds caught and ``n`` the frauds
    seen by each arm. With :math:`\\hat p = (x_A + x_B) / (n_A + n_B)`,

    .. math:: z = \\frac{\\hat p_B - \\hat p_A}
              {\\sqrt{\\hat p (1 - \\hat p)(1/n_A + 1/n_B)}}.

    The two-sided p-value equals that of the chi-square test on the 2 x 2
    table without continuity correction (:math:`z^2 = \\chi^2`). When no arm
    has any success (or every trial is a success) the test is undefined:
    ``z = 0`` and ``pvalue = 1`` are returned.

    The confidence interval (always two-sided, level 1 - alpha) for
    ``difference = p_B - p_A`` is Newcombe's hybrid score interval
    (Newcombe 1998, method 10) built from the two Wilson intervals
    :math:`[l_A, u_A]`, :math:`[l_B, u_B]`:

    .. math:: [d - \\sqrt{(\\hat p_B - l_B)^2 + (u_A - \\hat p_A)^2},\\;
              d + \\sqrt{(u_B - \\hat p_B)^2 + (\\hat p_A - l_A)^2}],

    which keeps its coverage with few frauds; ``ci_method="wald"`` gives the
    textbook :math:`d \\pm z\\sqrt{\\hat p_A \\hat q_A/n_A + \\hat p_B \\hat q_B/n_B}`.

    Parameters
    ----------
    successes_a, n_a, successes_b, n_b : int
        Counts, with ``0 <= successes <= n`` and ``n >= 1``.
    alternative : {"two-sided", "greater", "less"}, default="two-sided"
        ``"greater"`` tests B better than A (p_B > p_A).
    alpha : float, default=0.05
        1 - confidence level of the interval.
    ci_method : {"newcombe", "wald"}, default="newcombe"

    Returns
    -------
    TwoProportionResult

    Examples
    --------
    >>> res = two_proportion_test(300, 400, 330, 400)
    >>> round(res.difference, 3), round(res.pvalue, 4)
    (0.075, 0.0095)
    """
    xa = check_positive_int(successes_a, "successes_a", minimum=0)
    na = check_positive_int(n_a, "n_a")
    xb = check_positive_int(successes_b, "successes_b", minimum=0)
    nb = check_positive_int(n_b, "n_b")
    for x, n, sx, sn in ((xa, na, "successes_a", "n_a"), (xb, nb, "successes_b", "n_b")):
        if x > n:
            raise ValueError(f"{sx} ({x}) must be <= {sn} ({n}).")
    alternative = check_choice(alternative, "alternative", _ALTERNATIVES)
    alpha = check_fraction(alpha, "alpha")
    ci_method = check_choice(ci_method, "ci_method", ("newcombe", "wald"))

    pa, pb = xa / na, xb / nb
    diff = pb - pa
    z, defined = _pooled_z(xa, na, xb, nb)
    z = float(z)
    pvalue = float(_pvalue_from_z(z, alternative)) if defined else 1.0

    zc = stats.norm.ppf(1 - alpha / 2)
    if ci_method == "wald":
        half = zc * math.sqrt(pa * (1 - pa) / na + pb * (1 - pb) / nb)
        low, high = diff - half, diff + half
    else:
        la, ua = _wilson(xa, na, alpha)
        lb, ub = _wilson(xb, nb, alpha)
        low = diff - math.sqrt((pb - lb) ** 2 + (ua - pa) ** 2)
        high = diff + math.sqrt((ub - pb) ** 2 + (pa - la) ** 2)
    return TwoProportionResult(float(z), pvalue, pa, pb, diff, low, high, alternative, ci_method)


# --------------------------------------------------------------------------
# Shadow mode: paired comparison
# --------------------------------------------------------------------------

@dataclass(frozen=True)
class McNemarResult:
    """Result of :func:`mcnemar_test`; unpacks as ``statistic, pvalue``.

    Attributes
    ----------
    statistic, pvalue : float
        c (exact test) or the corrected chi-square, and the p-value.
    method : str
        ``"exact"`` or ``"chi2"``.
    b, c : int
        Discordant cases: A right and B wrong (b), A wrong and B right (c).
    n : int
        Number of cases.
    accuracy_a, accuracy_b : float
        Share of cases each model got right.
    difference : float
        ``accuracy_b - accuracy_a = (c - b) / n``.
    ci_low, ci_high : float
        Confidence interval of the difference (also as the property ``ci``).

    Examples
    --------
    >>> mcnemar_test([1, 1, 0, 0], [1, 0, 1, 1]).difference
    0.25
    """

    statistic: float
    pvalue: float
    method: str
    b: int
    c: int
    n: int
    accuracy_a: float
    accuracy_b: float
    difference: float
    ci_low: float
    ci_high: float

    @property
    def ci(self):
        """The confidence interval as a tuple ``(low, high)``."""
        return (self.ci_low, self.ci_high)

    def __iter__(self):
        # Unpacks like scipy's test results: statistic, pvalue = mcnemar_test(...).
        return iter((self.statistic, self.pvalue))


def mcnemar_test(correct_a, correct_b, *, exact=None, alpha=0.05):
    """McNemar's test: two models scored on the SAME cases (shadow mode).

    In shadow mode the challenger scores the live traffic next to the
    champion without acting on it, so both are judged on the same frauds.
    Cases both get right or both get wrong say nothing about which is
    better; only the discordant ones count:

    - b = A right and B wrong, c = A wrong and B right.

    Under "equally good", each discordant case is a fair coin:
    c ~ Binomial(b + c, 1/2).

    - exact (default when b + c < 25): two-sided binomial test
      :func:`scipy.stats.binomtest` (c, b + c, 0.5); ``statistic`` is c.
    - otherwise: chi-square with Edwards' continuity correction,
      :math:`\\chi^2 = (\\max(|b - c| - 1, 0))^2 / (b + c)` on 1 degree of
      freedom (the max keeps b = c at 0 instead of a spurious 1/(b+c)).

    With b + c = 0 the models never disagree: statistic 0, p-value 1.

    Pass correctness on frauds only to compare recalls, or on all cases to
    compare accuracies. The confidence interval (level 1 - alpha) for
    ``difference = (c - b) / n`` (accuracy or recall of B minus A) is the
    Wald interval for paired proportions after adding 1/2 to each of the
    four cells (Agresti & Min 2005), which behaves when b or c is 0:

    .. math:: \\tilde d = \\frac{\\tilde c - \\tilde b}{\\tilde n},\\quad
              \\mathrm{se} = \\frac{\\sqrt{(\\tilde b + \\tilde c) - (\\tilde c - \\tilde b)^2/\\tilde n}}{\\tilde n},
              \\quad \\tilde b = b + \\tfrac12,\\ \\tilde c = c + \\tfrac12,\\ \\tilde n = n + 2.

    Parameters
    ----------
    correct_a, correct_b : array-like of bool/0-1, same length
        Whether model A (B) was right on each case.
    exact : bool, optional
        Force the exact (True) or chi-square (False) version; ``None``
        chooses exact when b + c < 25.
    alpha : float, default=0.05

    Returns
    -------
    McNemarResult

    Examples
    --------
    >>> a = np.array([1] * 80 + [0] * 20)
    >>> b = np.array([1] * 70 + [0] * 10 + [1] * 18 + [0] * 2)
    >>> res = mcnemar_test(a, b)
    >>> res.b, res.c, res.method
    (10, 18, 'chi2')
    >>> statistic, pvalue = res
    >>> round(pvalue, 3)
    0.186
    """
    a = check_binary_labels(correct_a, "correct_a", require_both=False).astype(bool)
    bb = check_binary_labels(correct_b, "correct_b", require_both=False).astype(bool)
    n = check_same_length(correct_a=a, correct_b=bb)
    alpha = check_fraction(alpha, "alpha")
    if exact is not None and not isinstance(exact, (bool, np.bool_)):
        raise ValueError(f"exact must be None, True or False, got {exact!r}.")
    b = int(np.count_nonzero(a & ~bb))
    c = int(np.count_nonzero(~a & bb))
    use_exact = (b + c < 25) if exact is None else bool(exact)
    if b + c == 0:
        statistic, pvalue = 0.0, 1.0
    elif use_exact:
        statistic, pvalue = float(c), float(stats.binomtest(c, b + c, 0.5).pvalue)
    else:
        statistic = max(abs(b - c) - 1, 0) ** 2 / (b + c)
        pvalue = float(stats.chi2.sf(statistic, df=1))

    bt, ct, nt = b + 0.5, c + 0.5, n + 2
    d_adj = (ct - bt) / nt
    se = math.sqrt((bt + ct) - (ct - bt) ** 2 / nt) / nt
    half = stats.norm.ppf(1 - alpha / 2) * se
    return McNemarResult(
        statistic=float(statistic), pvalue=pvalue, method="exact" if use_exact else "chi2",
        b=b, c=c, n=n, accuracy_a=float(a.mean()), accuracy_b=float(bb.mean()),
        difference=(c - b) / n, ci_low=max(-1.0, d_adj - half), ci_high=min(1.0, d_adj + half),
    )


# --------------------------------------------------------------------------
# Simulation: what can a test of a given length tell?
# --------------------------------------------------------------------------

def simulate_ab_test(recall_a, recall_b, fraud_rate, n_transactions_per_day, n_days, *, split=0.5,
                     n_simulations=1000, alpha=0.05, random_state=0):
    """Simulate many split-traffic A/B tests of recall and summarise what they tell.

    Each simulated test sends a share ``split`` of ``n_transactions_per_day *
    n_days`` transactions to A and the rest to B; the frauds in each arm are
    Binomial(transactions, fraud_rate), the frauds caught
    Binomial(frauds, recall), and the arms are compared with the two-sided
    pooled z test of :func:`two_proportion_test` at level ``alpha``. All
    draws are vectorised over simulations.

    What a test of that length *can* tell: ``power``, the share of
    simulations that detect a difference (with equal recalls, the
    false-positive rate, about alpha). What it *cannot*: the spread of the
    observed differences (``diff_q05`` to ``diff_q95``), the share of
    significant results with the wrong sign (``wrong_sign_rate``, type S)
    and how much significant results exaggerate the true difference
    (``exaggeration``, mean |observed| / |true| among significant ones,
    type M -- the "winner's curse" of short tests).

    Parameters
    ----------
    recall_a, recall_b : float in (0, 1)
    fraud_rate : float in (0, 1)
    n_transactions_per_day : int
        Total daily traffic (both arms).
    n_days : int or sequence of int
        Test length(s); one output row per length.
    split : float in (0, 1), default=0.5
        Share of the traffic sent to A.
    n_simulations : int, default=1000
    alpha : float, default=0.05
    random_state : int, Generator or None, default=0

    Returns
    -------
    pandas.DataFrame
        One row per test length: ``n_days``, ``transactions_a``,
        ``transactions_b``, ``expected_frauds_a``, ``expected_frauds_b``,
        ``true_difference``, ``power``, ``diff_mean``, ``diff_sd``,
        ``diff_q05``, ``diff_q95``, ``wrong_sign_rate``, ``exaggeration``.

    Examples
    --------
    >>> res = simulate_ab_test(0.75, 0.80, 0.0017, 100_000, [7, 28], n_simulations=500)
    >>> bool(res["power"].iloc[1] > res["power"].iloc[0])
    True
    """
    recall_a = check_fraction(recall_a, "recall_a")
    recall_b = check_fraction(recall_b, "recall_b")
    fraud_rate = check_fraction(fraud_rate, "fraud_rate")
    per_day = check_positive_int(n_transactions_per_day, "n_transactions_per_day")
    days_list = [n_days] if np.isscalar(n_days) else list(n_days)
    if not days_list:
        raise ValueError("n_days is empty.")
    days_list = [check_positive_int(d, "n_days") for d in days_list]
    split = check_fraction(split, "split")
    n_sim = check_positive_int(n_simulations, "n_simulations")
    alpha = check_fraction(alpha, "alpha")
    rng = check_random_state(random_state)
    true_diff = recall_b - recall_a

    rows = []
    for days in days_list:
        total = per_day * days
        ta = int(round(total * split))
        tb = total - ta
        if ta == 0 or tb == 0:
            raise ValueError(f"split={split} leaves an arm without traffic over {days} day(s).")
        fa = rng.binomial(ta, fraud_rate, size=n_sim)
        fb = rng.binomial(tb, fraud_rate, size=n_sim)
        ca = rng.binomial(fa, recall_a)
        cb = rng.binomial(fb, recall_b)
        z, defined = _pooled_z(ca, fa, cb, fb)
        pvalues = np.where(defined, _pvalue_from_z(z, "two-sided"), 1.0)
        significant = pvalues < alpha
        with np.errstate(divide="ignore", invalid="ignore"):
            observed = cb / fb - ca / fa  # NaN when an arm saw no fraud at all
        sig_obs = observed[significant]
        if true_diff != 0 and sig_obs.size:
            wrong_sign = float(np.mean(np.sign(sig_obs) != np.sign(true_diff)))
            exaggeration = float(np.mean(np.abs(sig_obs)) / abs(true_diff))
        else:
            wrong_sign, exaggeration = np.nan, np.nan
        finite = observed[np.isfinite(observed)]
        rows.append({
            "n_days": days,
            "transactions_a": ta,
            "transactions_b": tb,
            "expected_frauds_a": ta * fraud_rate,
            "expected_frauds_b": tb * fraud_rate,
            "true_difference": true_diff,
            "power": float(significant.mean()),
            "diff_mean": float(finite.mean()) if finite.size else np.nan,
            "diff_sd": float(finite.std(ddof=1)) if finite.size > 1 else np.nan,
            "diff_q05": float(np.quantile(finite, 0.05)) if finite.size else np.nan,
            "diff_q95": float(np.quantile(finite, 0.95)) if finite.size else np.nan,
            "wrong_sign_rate": wrong_sign,
            "exaggeration": exaggeration,
        })
    return pd.DataFrame(rows)
