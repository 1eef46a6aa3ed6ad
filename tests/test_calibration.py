"""imbalance_kit.calibration: the prior correction against its references."""

import numpy as np
import pandas as pd
import pytest
from imblearn.over_sampling import RandomOverSampler
from sklearn.datasets import make_classification
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import brier_score_loss
from sklearn.utils.class_weight import compute_sample_weight

from imbalance_kit.calibration import calibration_table, correct_prior, minority_upweight


def test_correct_prior_is_the_published_formula():
    # Dal Pozzolo et al. (2015) write it with beta = 1 / w: p' = beta p / (beta p - p + 1).
    p = np.linspace(0, 1, 101)
    for w in (0.3, 1.0, 7.5, 577.0):
        beta = 1 / w
        np.testing.assert_allclose(correct_prior(p, w), beta * p / (beta * p - p + 1))


def test_correct_prior_divides_the_odds_by_w():
    p = np.array([0.05, 0.5, 0.93])
    q = correct_prior(p, 4.0)
    np.testing.assert_allclose(q / (1 - q), p / (1 - p) / 4.0)


def test_direction_identity_order_and_shapes():
    p = np.array([0.2, 0.9, 0.6])
    assert (correct_prior(p, 10) < p).all()        # upweighted minority: lower
    assert (correct_prior(p, 0.1) > p).all()       # downweighted minority: higher
    np.testing.assert_array_equal(correct_prior(p, 1), p)
    np.testing.assert_array_equal(np.argsort(correct_prior(p, 10)), np.argsort(p))
    assert isinstance(correct_prior(0.5, 3), float)
    assert correct_prior([[0.5, 0.5]], 3).shape == (1, 2)


@pytest.mark.parametrize("bad, match", [(-1.0, "positive"), (0.0, "positive"), (np.inf, "positive")])
def test_bad_weight(bad, match):
    with pytest.raises(ValueError, match=match):
        correct_prior(0.5, bad)
    with pytest.raises(TypeError, match="w must"):
        correct_prior(0.5, "3")


def test_bad_probabilities():
    with pytest.raises(ValueError, match="probabilities"):
        correct_prior([0.5, 1.2], 2.0)
    with pytest.raises(ValueError, match="probabilities"):
        correct_prior([np.nan], 2.0)


def test_weighted_logistic_regression_is_undone():
    # An (almost) unregularised logistic regression fitted with the minority
    # upweighted w times shifts its intercept by log(w); the correction gives
    # back the unweighted model's probabilities.
    X, y = make_classification(n_samples=4000, n_features=4, n_informative=3, n_redundant=0,
                               weights=[0.9], random_state=0)
    plain = LogisticRegression(C=1e6, max_iter=2000).fit(X, y).predict_proba(X)[:, 1]
    weighted = LogisticRegression(C=1e6, max_iter=2000, class_weight={0: 1, 1: 5.0})
    p = weighted.fit(X, y).predict_proba(X)[:, 1]
    assert abs(p.mean() - y.mean()) > 0.05
    # Only the intercept moves exactly when the model is well specified; here
    # the slopes move a little too, so compare the means and the Brier score.
    q = correct_prior(p, 5.0)
    assert abs(q.mean() - plain.mean()) < 0.01
    assert brier_score_loss(y, q) < brier_score_loss(y, p)


def test_minority_upweight_from_resampling_and_weights():
    y = np.array([0] * 950 + [1] * 50)
    X = np.arange(y.size, dtype=float)[:, None]
    _, y_res = RandomOverSampler(random_state=0).fit_resample(X, y)
    assert minority_upweight(y, y_res) == pytest.approx(19.0)
    assert minority_upweight(y, sample_weight=compute_sample_weight("balanced", y)) == pytest.approx(19.0)
    assert minority_upweight(y) == 1.0
    with pytest.raises(ValueError, match="sample_weight"):
        minority_upweight(y, sample_weight=-np.ones(y.size))


def test_calibration_table_matches_sklearn():
    rng = np.random.default_rng(0)
    y = (rng.random(300) < 0.1).astype(int)
    probs = {"a": rng.random(300), "b": np.full(300, 0.1)}
    table = calibration_table(y, probs)
    assert list(table.index) == ["a", "b"]
    for name, p in probs.items():
        assert table.loc[name, "brier"] == pytest.approx(brier_score_loss(y, p))
        assert table.loc[name, "mean_probability"] == pytest.approx(p.mean())
        assert table.loc[name, "ratio"] == pytest.approx(p.mean() / y.mean())
    assert isinstance(table, pd.DataFrame)
    with pytest.raises(TypeError, match="dict"):
        calibration_table(y, [0.1] * 300)
    with pytest.raises(ValueError, match=r"\[0, 1\]"):
        calibration_table(y, {"bad": np.full(300, 2.0)})
