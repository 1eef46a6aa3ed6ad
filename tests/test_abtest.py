"""Tests for imbalance_kit.abtest: sample size, two-proportion and McNemar tests, simulation."""

import math

import numpy as np
import pytest
from scipy import stats
from statsmodels.stats.contingency_tables import mcnemar as sm_mcnemar
from statsmodels.stats.proportion import (
    confint_proportions_2indep,
    power_proportions_2indep,
    proportion_confint,
    proportions_ztest,
    samplesize_proportions_2indep_onetail,
)

from imbalance_kit.abtest import (
    mcnemar_test,
    sample_size_recall,
    simulate_ab_test,
    two_proportion_test,
    wilson_interval,
)


# --------------------------------------------------------------------- sample size

def _hand_sample_size(p1, p2, alpha, power, two_sided=True):
    z_a = stats.norm.ppf(1 - alpha / 2) if two_sided else stats.norm.ppf(1 - alpha)
    z_b = stats.norm.ppf(power)
    pbar = (p1 + p2) / 2
    n = (z_a * math.sqrt(2 * pbar * (1 - pbar)) + z_b * math.sqrt(p1 * (1 - p1) + p2 * (1 - p2))) ** 2
    return math.ceil(n / (p1 - p2) ** 2)


@pytest.mark.parametrize("p1, p2, alpha, power, two_sided", [
    (0.75, 0.80, 0.05, 0.8, True),
    (0.60, 0.70, 0.01, 0.9, True),
    (0.80, 0.75, 0.05, 0.8, False),
])
def test_sample_size_matches_formula(p1, p2, alpha, power, two_sided):
    res = sample_size_recall(p1, p2, 0.002, alpha=alpha, power=power, two_sided=two_sided)
    frauds = _hand_sample_size(p1, p2, alpha, power, two_sided)
    assert res.frauds_per_arm == frauds
    assert res.transactions_per_arm == math.ceil(frauds / 0.002)
    assert res.total_transactions == 2 * res.transactions_per_arm


def test_sample_size_known_value():
    # 0.75 vs 0.80, alpha 0.05 two-sided, power 0.8: z = 1.95996, 0.84162,
    # ((1.95996 * sqrt(2 * 0.775 * 0.225) + 0.84162 * sqrt(0.1875 + 0.16)) / 0.05)^2 = 1093.1
    assert sample_size_recall(0.75, 0.80, 0.01).frauds_per_arm == 1094


def test_halving_fraud_rate_doubles_traffic():
    a = sample_size_recall(0.70, 0.75, 0.004)
    b = sample_size_recall(0.70, 0.75, 0.002)
    assert b.frauds_per_arm == a.frauds_per_arm  # recall is counted on frauds only
    assert abs(b.transactions_per_arm - 2 * a.transactions_per_arm) <= 1


def test_sample_size_days_and_symmetry():
    res = sample_size_recall(0.75, 0.80, 0.0017, n_transactions_per_day=150_000)
    assert res.days == pytest.approx(res.transactions_per_arm / 75_000)
    uneven = sample_size_recall(0.75, 0.80, 0.0017, n_transactions_per_day=150_000, split=0.9)
    assert uneven.days == pytest.approx(res.transactions_per_arm / 15_000)  # the small arm decides
    assert sample_size_recall(0.80, 0.75, 0.0017).frauds_per_arm == res.frauds_per_arm
    assert sample_size_recall(0.75, 0.80, 0.0017, power=0.9).frauds_per_arm > res.frauds_per_arm


@pytest.mark.parametrize("args, kwargs, match", [
    ((1.0, 0.8, 0.01), {}, "recall_a"),
    ((0.7, 0.0, 0.01), {}, "recall_b"),
    ((0.7, 0.8, 0.0), {}, "fraud_rate"),
    ((0.7, 0.8, 0.01), {"alpha": 0}, "alpha"),
    ((0.7, 0.8, 0.01), {"power": 1}, "power"),
    ((0.7, 0.7, 0.01), {}, "equal"),
    ((0.7, 0.8, 0.01), {"n_transactions_per_day": 0}, "n_transactions_per_day"),
    ((0.7, 0.8, 0.01), {"two_sided": "no"}, "two_sided must be True or False"),
])
def test_sample_size_errors_name_the_parameter(args, kwargs, match):
    with pytest.raises(ValueError, match=match):
        sample_size_recall(*args, **kwargs)


# --------------------------------------------------------------------- two proportions

def test_two_proportion_matches_chi_square_without_correction():
    xa, na, xb, nb = 300, 400, 330, 400
    res = two_proportion_test(xa, na, xb, nb)
    chi2 = stats.chi2_contingency([[xa, na - xa], [xb, nb - xb]], correction=False)
    assert res.pvalue == pytest.approx(chi2.pvalue)
    assert res.z ** 2 == pytest.approx(chi2.statistic)
    assert res.z > 0 and res.difference == pytest.approx(0.075)
    assert (res.proportion_a, res.proportion_b) == (0.75, 0.825)


def test_two_proportion_one_sided_alternatives():
    two = two_proportion_test(70, 100, 80, 100)
    greater = two_proportion_test(70, 100, 80, 100, alternative="greater")
    less = two_proportion_test(70, 100, 80, 100, alternative="less")
    assert greater.pvalue == pytest.approx(stats.norm.sf(two.z))
    assert greater.pvalue + less.pvalue == pytest.approx(1.0)
    assert greater.pvalue == pytest.approx(two.pvalue / 2)


def test_newcombe_interval_matches_published_example():
    # Newcombe (1998), Statistics in Medicine 17:873-890, example (a):
    # 56/70 against 48/80, difference 0.2, method 10 interval 0.0524 to 0.3339.
    res = two_proportion_test(48, 80, 56, 70)
    assert res.difference == pytest.approx(0.2)
    assert res.ci_low == pytest.approx(0.0524, abs=1e-4)
    assert res.ci_high == pytest.approx(0.3339, abs=1e-4)
    assert res.ci == (res.ci_low, res.ci_high)


def test_wald_interval_by_hand():
    res = two_proportion_test(48, 80, 56, 70, ci_method="wald", alpha=0.1)
    half = stats.norm.ppf(0.95) * math.sqrt(0.6 * 0.4 / 80 + 0.8 * 0.2 / 70)
    assert res.ci == pytest.approx((0.2 - half, 0.2 + half))


def test_wilson_interval_by_hand():
    x, n, z = 7, 40, stats.norm.ppf(0.975)
    p = x / n
    centre = (p + z**2 / (2 * n)) / (1 + z**2 / n)
    half = z / (1 + z**2 / n) * math.sqrt(p * (1 - p) / n + z**2 / (4 * n**2))
    assert wilson_interval(x, n) == pytest.approx((centre - half, centre + half))
    with pytest.raises(ValueError, match=r"successes \(5\) must be <= n \(4\)"):
        wilson_interval(5, 4)
    with pytest.raises(ValueError, match="^n must be >= 1"):
        wilson_interval(0, 0)
    with pytest.raises(ValueError, match="^successes must be >= 0"):
        wilson_interval(-1, 4)
    with pytest.raises(ValueError, match="^successes must be an integer"):
        wilson_interval(2.5, 4)


def test_two_proportion_degenerate_counts():
    res = two_proportion_test(0, 50, 0, 60)
    assert (res.z, res.pvalue, res.difference) == (0.0, 1.0, 0.0)
    assert res.ci_low < 0 < res.ci_high  # still says how large a difference is compatible


@pytest.mark.parametrize("args, kwargs, match", [
    ((11, 10, 5, 10), {}, r"successes_a \(11\) must be <= n_a"),
    ((1, 10, 5, 0), {}, "n_b must be >= 1"),
    ((-1, 10, 5, 10), {}, "successes_a must be >= 0"),
    ((1.5, 10, 5, 10), {}, "successes_a must be an integer"),
    ((1, 10, 5, 10), {"alternative": "bigger"}, "alternative"),
    ((1, 10, 5, 10), {"ci_method": "exact"}, "ci_method"),
])
def test_two_proportion_errors_name_the_parameter(args, kwargs, match):
    with pytest.raises(ValueError, match=match):
        two_proportion_test(*args, **kwargs)


# --------------------------------------------------------------------- McNemar

def _paired(b, c, both_right=50, both_wrong=10):
    a = np.r_[np.ones(both_right), np.ones(b), np.zeros(c), np.zeros(both_wrong)]
    bb = np.r_[np.ones(both_right), np.zeros(b), np.ones(c), np.zeros(both_wrong)]
    return a.astype(int), bb.astype(int)


def test_mcnemar_exact_matches_binomtest():
    a, b = _paired(3, 11)
    res = mcnemar_test(a, b)
    assert (res.b, res.c, res.method, res.n) == (3, 11, "exact", 74)
    assert res.pvalue == pytest.approx(stats.binomtest(11, 14, 0.5).pvalue)
    assert res.difference == pytest.approx(res.accuracy_b - res.accuracy_a)
    assert res.difference == pytest.approx(8 / 74)


def test_mcnemar_chi_square_with_continuity_correction_by_hand():
    a, b = _paired(20, 40)
    res = mcnemar_test(a, b)
    assert res.method == "chi2"
    statistic = (abs(20 - 40) - 1) ** 2 / 60
    assert res.statistic == pytest.approx(statistic)
    assert res.pvalue == pytest.approx(stats.chi2.sf(statistic, 1))


def test_mcnemar_forced_versions_and_no_disagreement():
    a, b = _paired(20, 40)
    assert mcnemar_test(a, b, exact=True).pvalue == pytest.approx(stats.binomtest(40, 60).pvalue)
    a, b = _paired(3, 5)
    assert mcnemar_test(a, b, exact=False).method == "chi2"
    same = mcnemar_test([1, 0, 1], [1, 0, 1])
    assert (same.statistic, same.pvalue, same.difference) == (0.0, 1.0, 0.0)
    tie = mcnemar_test(*_paired(30, 30))
    assert tie.statistic == 0.0 and tie.pvalue == 1.0  # no spurious 1/(b+c)


def test_mcnemar_interval_agresti_min_by_hand():
    a, b = _paired(4, 12, both_right=80, both_wrong=4)  # n = 100
    res = mcnemar_test(a, b, alpha=0.05)
    bt, ct, nt = 4.5, 12.5, 102
    d = (ct - bt) / nt
    se = math.sqrt((bt + ct) - (ct - bt) ** 2 / nt) / nt
    z = stats.norm.ppf(0.975)
    assert res.ci == pytest.approx((d - z * se, d + z * se))
    assert res.ci_low < res.difference < res.ci_high


def test_mcnemar_is_more_sensitive_than_unpaired_test():
    # Same frauds seen by both models in shadow mode: pairing removes the noise
    # of frauds that both catch (or both miss).
    a, b = _paired(2, 14, both_right=300, both_wrong=84)
    paired = mcnemar_test(a, b)
    unpaired = two_proportion_test(int(a.sum()), a.size, int(b.sum()), b.size)
    assert paired.pvalue < 0.05 < unpaired.pvalue


def test_mcnemar_errors_name_the_parameter():
    with pytest.raises(ValueError, match="same length"):
        mcnemar_test([1, 0, 1], [1, 0])
    with pytest.raises(ValueError, match="correct_a"):
        mcnemar_test([1, 2], [1, 0])
    with pytest.raises(ValueError, match="correct_b"):
        mcnemar_test([1, 0], [])
    with pytest.raises(ValueError, match="exact"):
        mcnemar_test([1, 0], [1, 1], exact="yes")


# --------------------------------------------------------------------- simulation

def test_simulation_power_rises_with_days():
    res = simulate_ab_test(0.75, 0.80, 0.0017, 50_000, [3, 10, 30], n_simulations=2000)
    assert res["n_days"].tolist() == [3, 10, 30]
    power = res["power"].to_numpy()
    assert power[0] < power[1] < power[2]
    assert res["diff_sd"].is_monotonic_decreasing
    assert (res["diff_q05"] < 0.05).all() and (res["diff_q95"] > 0.05).all()
    assert res["diff_mean"].to_numpy() == pytest.approx(0.05, abs=0.01)
    # Short tests that happen to be significant overstate the gain (winner's curse).
    assert res["exaggeration"].iloc[0] > 1.5 > res["exaggeration"].iloc[2]


def test_simulation_equal_recalls_false_positive_rate_is_alpha():
    res = simulate_ab_test(0.8, 0.8, 0.002, 100_000, 10, n_simulations=4000, random_state=1)
    assert res["power"].item() == pytest.approx(0.05, abs=0.015)
    assert np.isnan(res["exaggeration"].item())


def test_simulation_agrees_with_sample_size_formula():
    size = sample_size_recall(0.70, 0.78, 0.002)
    res = simulate_ab_test(0.70, 0.78, 0.002, 2 * size.transactions_per_arm, 1,
                           n_simulations=3000, random_state=3)
    assert res["power"].item() == pytest.approx(0.8, abs=0.04)


def test_simulation_is_deterministic_and_counts_traffic():
    kw = dict(n_simulations=200, random_state=7)
    a = simulate_ab_test(0.7, 0.75, 0.01, 1000, 5, split=0.3, **kw)
    b = simulate_ab_test(0.7, 0.75, 0.01, 1000, 5, split=0.3, **kw)
    assert a.equals(b)
    assert (a["transactions_a"].item(), a["transactions_b"].item()) == (1500, 3500)
    assert a["expected_frauds_b"].item() == pytest.approx(35.0)


@pytest.mark.parametrize("args, kwargs, match", [
    ((0.7, 0.8, 0.01, 0, 5), {}, "n_transactions_per_day"),
    ((0.7, 0.8, 0.01, 100, 0), {}, "n_days"),
    ((0.7, 0.8, 0.01, 100, []), {}, "n_days is empty"),
    ((0.7, 0.8, 1.2, 100, 5), {}, "fraud_rate"),
    ((0.7, 0.8, 0.01, 100, 5), {"split": 1.0}, "split"),
    ((0.7, 0.8, 0.01, 100, 5), {"n_simulations": 0}, "n_simulations"),
    ((0.7, 0.8, 0.01, 100, 5), {"random_state": "x"}, "random_state"),
])
def test_simulation_errors_name_the_parameter(args, kwargs, match):
    with pytest.raises(ValueError, match=match):
        simulate_ab_test(*args, **kwargs)


def test_statistics_modules_do_not_import_torch():
    import subprocess
    import sys

    code = ("import sys, imbalance_kit.abtest, imbalance_kit.drift, imbalance_kit.metrics, "
            "imbalance_kit.samplers; print('torch' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


# --------------------------------------------------------------------- against statsmodels

@pytest.mark.parametrize("p1, p2, alpha, power", [
    (0.75, 0.80, 0.05, 0.8), (0.60, 0.70, 0.01, 0.9), (0.90, 0.85, 0.05, 0.8),
    (0.3, 0.5, 0.1, 0.95),
])
def test_sample_size_agrees_with_statsmodels(p1, p2, alpha, power):
    res = sample_size_recall(p1, p2, 0.01, alpha=alpha, power=power)
    n_sm = samplesize_proportions_2indep_onetail(p2 - p1, p1, power, alpha=alpha,
                                                 alternative="two-sided")
    assert res.frauds_per_arm == math.ceil(n_sm)
    # ... and statsmodels' power of that many frauds reaches the target, one fewer does not.
    achieved = power_proportions_2indep(p2 - p1, p1, res.frauds_per_arm, alpha=alpha).power
    short = power_proportions_2indep(p2 - p1, p1, res.frauds_per_arm - 1, alpha=alpha).power
    assert short < power <= achieved


@pytest.mark.parametrize("x, n", [(0, 1), (0, 20), (3, 20), (20, 20), (17, 1094), (999, 1000)])
@pytest.mark.parametrize("alpha", [0.05, 0.1, 0.01])
def test_wilson_interval_agrees_with_statsmodels_and_scipy(x, n, alpha):
    ours = wilson_interval(x, n, alpha=alpha)
    np.testing.assert_allclose(ours, proportion_confint(x, n, alpha=alpha, method="wilson"),
                               rtol=1e-9, atol=1e-12)
    ci = stats.binomtest(x, n).proportion_ci(confidence_level=1 - alpha, method="wilson")
    assert ours == (ci.low, ci.high)


@pytest.mark.parametrize("xa, na, xb, nb", [
    (300, 400, 330, 400), (15, 20, 19, 22), (0, 30, 4, 25), (50, 50, 45, 60), (490, 700, 470, 650),
])
@pytest.mark.parametrize("ours_alt, sm_alt", [("two-sided", "two-sided"), ("greater", "larger"),
                                              ("less", "smaller")])
def test_two_proportion_test_agrees_with_statsmodels(xa, na, xb, nb, ours_alt, sm_alt):
    res = two_proportion_test(xa, na, xb, nb, alternative=ours_alt)
    # B first: statsmodels' statistic is count[0] - count[1], ours B - A; pooled variance.
    z, p = proportions_ztest([xb, xa], [nb, na], alternative=sm_alt)
    assert res.z == pytest.approx(z, rel=1e-10)
    assert res.pvalue == pytest.approx(p, rel=1e-9)


@pytest.mark.parametrize("xa, na, xb, nb", [
    (300, 400, 330, 400), (15, 20, 19, 22), (0, 30, 4, 25), (50, 50, 45, 60), (7, 7, 0, 9),
])
@pytest.mark.parametrize("ours, theirs", [("newcombe", "newcomb"), ("wald", "wald")])
@pytest.mark.parametrize("alpha", [0.05, 0.1])
def test_difference_interval_agrees_with_statsmodels(xa, na, xb, nb, ours, theirs, alpha):
    res = two_proportion_test(xa, na, xb, nb, ci_method=ours, alpha=alpha)
    low, high = confint_proportions_2indep(xb, nb, xa, na, method=theirs, compare="diff",
                                           alpha=alpha)
    assert res.ci == pytest.approx((low, high), rel=1e-9, abs=1e-12)


@pytest.mark.parametrize("b, c", [(3, 9), (10, 18), (30, 12), (0, 6), (40, 41), (7, 7)])
@pytest.mark.parametrize("exact", [True, False])
def test_mcnemar_agrees_with_statsmodels(b, c, exact):
    a_right, b_right = (v.astype(bool) for v in _paired(b, c))
    res = mcnemar_test(a_right, b_right, exact=exact)
    table = [[np.sum(a_right & b_right), b], [c, np.sum(~a_right & ~b_right)]]
    theirs = sm_mcnemar(table, exact=exact, correction=True)
    if exact:  # statsmodels reports min(b, c), we report c; the same test
        assert res.pvalue == pytest.approx(theirs.pvalue, rel=1e-9)
        assert min(b, c) == theirs.statistic
    elif b != c:
        assert res.pvalue == pytest.approx(theirs.pvalue, rel=1e-9)
        assert res.statistic == pytest.approx(theirs.statistic, rel=1e-12)
    else:  # b == c: statsmodels' (|b - c| - 1)^2 / (b + c) is 1/(b + c); ours is 0, p = 1
        assert (res.statistic, res.pvalue) == (0.0, 1.0)
        assert theirs.statistic == pytest.approx(1 / (b + c))


# --------------------------------------------------------------------- results unpack like scipy's

def test_results_unpack_like_scipy():
    z, p = two_proportion_test(300, 400, 330, 400)
    assert (z, p) == pytest.approx(proportions_ztest([330, 300], [400, 400]))
    res = two_proportion_test(300, 400, 330, 400)
    assert res.statistic == res.z
    a_right, b_right = _paired(10, 18)
    statistic, pvalue = mcnemar_test(a_right, b_right)
    assert (statistic, pvalue) == (mcnemar_test(a_right, b_right).statistic,
                                   mcnemar_test(a_right, b_right).pvalue)
    frauds, transactions = sample_size_recall(0.75, 0.80, 0.0017)
    assert (frauds, transactions) == (1094, 643530)
    low, high = wilson_interval(3, 20)
    assert low < 3 / 20 < high
