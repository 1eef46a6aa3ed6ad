"""imbalance_kit.uncertainty against scipy and the published formulas."""

import numpy as np
import pytest
from scipy import stats
from sklearn.metrics import average_precision_score, roc_auc_score

from imbalance_kit.uncertainty import (
    VERDICTS,
    Comparison,
    compare_folds,
    mean_spread,
    paired_bootstrap,
    verdict,
)


@pytest.mark.parametrize("low, high, hib, expected", [
    (0.01, 0.02, True, "better"),
    (-0.02, -0.01, True, "worse"),
    (-0.01, 0.02, True, "within noise"),
    (0.0, 0.02, True, "within noise"),  # touching zero is not a win
    (0.01, 0.02, False, "worse"),
    (-0.02, -0.01, False, "better"),
])
def test_verdict(low, high, hib, expected):
    assert verdict(low, high, higher_is_better=hib) == expected
    assert expected in VERDICTS


@pytest.mark.parametrize("low, high, match", [
    (0.2, 0.1, "low must not exceed high"),
    (np.nan, 0.1, "low must be finite"),
    ("0.1", 0.2, "low must be a real number"),
])
def test_verdict_rejects_bad_intervals(low, high, match):
    with pytest.raises((TypeError, ValueError), match=match):
        verdict(low, high)


def test_compare_folds_equals_scipy_paired_t_interval():
    rng = np.random.default_rng(1)
    a = rng.normal(0.70, 0.03, 10)
    b = a + rng.normal(0.01, 0.02, 10)
    cmp = compare_folds(a, b, confidence=0.9)
    ci = stats.ttest_rel(b, a).confidence_interval(confidence_level=0.9)
    assert cmp.difference == pytest.approx(np.mean(b - a))
    assert (cmp.low, cmp.high) == pytest.approx((ci.low, ci.high))


def test_compare_folds_nadeau_bengio_correction():
    a = np.array([0.70, 0.74, 0.69, 0.73, 0.71, 0.72])
    b = np.array([0.73, 0.76, 0.70, 0.75, 0.74, 0.73])
    d = b - a
    ratio = 1 / 4  # 5-fold CV
    cmp = compare_folds(a, b, test_train_ratio=ratio)
    # Nadeau & Bengio (2003): var = (1/J + n_test/n_train) * s^2
    half = stats.t.ppf(0.975, 5) * d.std(ddof=1) * np.sqrt(1 / 6 + ratio)
    assert (cmp.low, cmp.high) == pytest.approx((d.mean() - half, d.mean() + half))
    plain = compare_folds(a, b)
    assert cmp.high - cmp.low > plain.high - plain.low


def test_compare_folds_direction_and_names():
    worse = compare_folds([0.8, 0.81, 0.79], [0.7, 0.72, 0.69], names=("old", "new"),
                          metric_name="AP")
    assert worse.verdict == "worse" and worse.difference < 0
    assert str(worse).startswith("new vs old: AP -0.")
    assert str(worse).endswith("-> worse")
    cost = compare_folds([10.0, 11, 12], [5.0, 6, 6], higher_is_better=False)
    assert cost.verdict == "better"


def test_compare_folds_unpacks_like_scipy():
    diff, low, high, word, *_ = compare_folds([1.0, 2.0, 3.0], [1.5, 2.5, 3.4])
    assert low <= diff <= high and word in VERDICTS


@pytest.mark.parametrize("a, b, kwargs, match", [
    ([0.7], [0.8], {}, "at least 2"),
    ([0.7, 0.8], [0.8], {}, "same length|length"),
    ([0.7, np.nan], [0.8, 0.9], {}, "finite"),
    ([0.7, 0.8], [0.8, 0.9], {"confidence": 1.5}, "confidence"),
    ([0.7, 0.8], [0.8, 0.9], {"test_train_ratio": -1}, "test_train_ratio"),
    ([0.7, 0.8], [0.8, 0.9], {"names": "AB"}, "names"),
])
def test_compare_folds_rejects_bad_input(a, b, kwargs, match):
    with pytest.raises((TypeError, ValueError), match=match):
        compare_folds(a, b, **kwargs)


def _toy(n=3000, rate=0.05, seed=0):
    rng = np.random.default_rng(seed)
    y = (rng.random(n) < rate).astype(int)
    return y, rng


def test_paired_bootstrap_matches_a_hand_written_loop():
    y, rng = _toy()
    a, b = y + rng.normal(0, 1.2, y.size), y + rng.normal(0, 1.0, y.size)
    cmp = paired_bootstrap(average_precision_score, y, a, b, n_boot=50, random_state=3)
    # The same draws, written out: positives then negatives, sorted.
    gen = np.random.default_rng(3)
    pos, neg = np.flatnonzero(y == 1), np.flatnonzero(y == 0)
    ref = []
    for _ in range(50):
        idx = np.sort(np.concatenate([pos[gen.integers(0, pos.size, pos.size)],
                                      neg[gen.integers(0, neg.size, neg.size)]]))
        ref.append(average_precision_score(y[idx], b[idx]) - average_precision_score(y[idx], a[idx]))
    np.testing.assert_allclose(cmp.samples, ref)
    assert cmp.difference == pytest.approx(
        average_precision_score(y, b) - average_precision_score(y, a))
    assert (cmp.low, cmp.high) == pytest.approx(tuple(np.quantile(ref, [0.025, 0.975])))
    assert cmp.metric == "average_precision_score"


def test_paired_bootstrap_identical_models_are_within_noise():
    y, rng = _toy()
    s = y + rng.normal(0, 1, y.size)
    cmp = paired_bootstrap(roc_auc_score, y, s, s.copy(), n_boot=100)
    assert cmp.difference == 0 and cmp.low == 0 and cmp.high == 0
    assert cmp.verdict == "within noise"


def test_paired_bootstrap_is_tighter_than_two_separate_intervals():
    # Pairing is the point: shared noise cancels in the difference.
    y, rng = _toy(seed=5)
    common = rng.normal(0, 1, y.size)
    a = y + common
    b = y + common + rng.normal(0, 0.2, y.size) + 0.15 * y
    cmp = paired_bootstrap(average_precision_score, y, a, b, n_boot=300, random_state=0)
    gen = np.random.default_rng(0)
    separate = []
    for _ in range(300):
        i = gen.integers(0, y.size, y.size)
        j = gen.integers(0, y.size, y.size)
        separate.append(average_precision_score(y[j], b[j]) - average_precision_score(y[i], a[i]))
    assert cmp.high - cmp.low < 0.5 * np.subtract(*np.quantile(separate, [0.975, 0.025]))
    assert cmp.verdict == "better"


def test_paired_bootstrap_rejects_bad_input():
    y, rng = _toy(n=200)
    s = rng.random(200)
    with pytest.raises(TypeError, match="callable"):
        paired_bootstrap("ap", y, s, s)
    with pytest.raises(ValueError, match="length"):
        paired_bootstrap(roc_auc_score, y, s, s[:-1])
    with pytest.raises(TypeError, match="return a number"):
        paired_bootstrap(lambda t, p: "high", y, s, s, n_boot=2)


def test_comparison_str():
    c = Comparison(0.02, -0.01, 0.05, "within noise", "none", "SMOTE", "AP", 0.9)
    assert str(c) == "SMOTE vs none: AP +0.020 [90% CI -0.010, +0.050] -> within noise"


def test_mean_spread():
    assert mean_spread([0.70, 0.74, 0.72]) == "0.720 ± 0.020"
    assert mean_spread(np.array([1.0, 2.0]), digits=1) == "1.5 ± 0.7"
    with pytest.raises(ValueError, match="at least 2"):
        mean_spread([0.7])


def test_paired_bootstrap_row_data_is_resampled_with_the_rows():
    # The fraud value caught in the top-k: the amounts must follow their rows in every replicate.
    rng = np.random.default_rng(3)
    y = (rng.random(1500) < 0.05).astype(int)
    amount = rng.exponential(100.0, size=1500)
    a, b = y + rng.normal(0, 1.0, 1500), y + rng.normal(0, 0.4, 1500)

    def value_caught(y_true, score, amount):
        top = np.argsort(-score)[:100]
        return float((amount[top] * y_true[top]).sum() / (amount * y_true).sum())

    c = paired_bootstrap(value_caught, y, a, b, n_boot=50, random_state=1, row_data={"amount": amount})
    assert c.difference == pytest.approx(value_caught(y, b, amount) - value_caught(y, a, amount))
    # The same replicates by hand: rows drawn once, amounts taken with them.
    from imbalance_kit.metrics import _bootstrap_rows
    by_hand = [value_caught(y[i], b[i], amount[i]) - value_caught(y[i], a[i], amount[i])
               for i in _bootstrap_rows(y, 50, np.random.default_rng(1), True)]
    np.testing.assert_allclose(c.samples, by_hand)
    with pytest.raises(ValueError, match=r"row_data\['amount'\] has 3 values"):
        paired_bootstrap(value_caught, y, a, b, row_data={"amount": [1.0, 2.0, 3.0]})
    with pytest.raises(TypeError, match="row_data must be a dict"):
        paired_bootstrap(value_caught, y, a, b, row_data=[amount])
