"""imbalance_kit.costs against the formulas (Elkan 2001) and scikit-learn / XGBoost."""

import numpy as np
import pandas as pd
import pytest
import sklearn
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import make_scorer
from sklearn.model_selection import TunedThresholdClassifierCV

from imbalance_kit.costs import (
    amount_cost,
    bayes_threshold,
    budget_k,
    budget_threshold,
    daily_budget_metrics,
    example_dependent_threshold,
    example_fn_costs,
    make_amount_cost_scorer,
    xgboost_cost_objective,
)
from imbalance_kit.metrics import best_threshold, business_cost, precision_at_k, recall_at_k


def _calibrated(n=200_000, seed=0):
    rng = np.random.default_rng(seed)
    p = rng.uniform(size=n)
    return p, (rng.uniform(size=n) < p).astype(int)


# --- Bayes threshold ------------------------------------------------------------------


@pytest.mark.parametrize("fn_cost, fp_cost", [(10, 1), (1, 1), (95, 5), (1, 4)])
def test_bayes_threshold_is_elkan_formula(fn_cost, fp_cost):
    assert bayes_threshold(fn_cost, fp_cost) == pytest.approx(fp_cost / (fp_cost + fn_cost))


def test_bayes_threshold_general_cost_matrix():
    # Elkan (2001) eq. 2: p* = (c10 - c00) / (c10 - c00 + c01 - c11), c_ij = cost of predicting i when truth is j.
    c00, c10, c01, c11 = 0.5, 6.0, 40.0, 3.0   # tn, fp, fn, tp
    expected = (c10 - c00) / (c10 - c00 + c01 - c11)
    assert bayes_threshold(c01, c10, tp_cost=c11, tn_cost=c00) == pytest.approx(expected)


def test_bayes_threshold_minimises_expected_cost_of_calibrated_probabilities():
    p, y = _calibrated()
    found = best_threshold(y, p, fn_cost=9, fp_cost=1).threshold
    assert found == pytest.approx(bayes_threshold(9, 1), abs=0.02)


def test_bayes_threshold_depends_only_on_cost_ratio_and_swap_differs():
    assert bayes_threshold(50, 5) == pytest.approx(bayes_threshold(10, 1))
    assert bayes_threshold(5, 50) == pytest.approx(1 - bayes_threshold(50, 5))


@pytest.mark.parametrize("kwargs, match", [
    (dict(fn_cost=-1, fp_cost=1), "non-negative"),
    (dict(fn_cost=0, fp_cost=0), "no threshold"),
    (dict(fn_cost=1, fp_cost=1, tp_cost=2), "correct decision"),
    (dict(fn_cost="a", fp_cost=1), "fn_cost"),
])
def test_bayes_threshold_rejects_bad_costs(kwargs, match):
    with pytest.raises((ValueError, TypeError), match=match):
        bayes_threshold(**kwargs)


# --- Example-dependent costs ----------------------------------------------------------


def test_example_dependent_threshold_rowwise_minimises_expected_cost():
    rng = np.random.default_rng(1)
    amount = rng.exponential(100, size=500)
    p = rng.uniform(size=500)
    t = example_dependent_threshold(amount, fp_cost=5, fixed_fn_cost=50)
    alert_cost = (1 - p) * 5
    miss_cost = p * (amount + 50)
    np.testing.assert_array_equal(p >= t, alert_cost <= miss_cost + 1e-12)
    np.testing.assert_allclose(t, 5 / (5 + amount + 50))


def test_example_fn_costs_and_amount_cost_against_business_cost():
    y = np.array([1, 1, 0, 0, 1])
    pred = np.array([0, 1, 1, 0, 0])
    amount = np.array([80.0, 20.0, 9.0, 3.0, 1.0])
    np.testing.assert_allclose(example_fn_costs(amount, fixed_fn_cost=50, fn_share=0.5), 0.5 * amount + 50)
    by_hand = (80 + 50) + (1 + 50) + 5 * 1
    assert amount_cost(y, pred, amount, fp_cost=5, fixed_fn_cost=50) == pytest.approx(by_hand)
    assert amount_cost(y, pred, amount, fp_cost=5) == pytest.approx(
        business_cost(y, pred, fp_cost=5, amount=amount))


def test_example_fn_costs_rejects_negative_amounts():
    with pytest.raises(ValueError, match="amount"):
        example_fn_costs([1.0, -2.0])


def test_amount_cost_scorer_in_tuned_threshold_cv():
    rng = np.random.default_rng(0)
    X = rng.normal(size=(1500, 2))
    y = (X[:, 0] + rng.normal(size=1500) > 2).astype(int)
    amount = rng.exponential(100, size=1500)
    with sklearn.config_context(enable_metadata_routing=True):
        scorer = make_amount_cost_scorer(fp_cost=5, fixed_fn_cost=50)
        model = LogisticRegression().fit(X, y)
        pred = model.predict(X)
        assert scorer(model, X, y, amount=amount) == pytest.approx(
            -amount_cost(y, pred, amount, fp_cost=5, fixed_fn_cost=50))
        tuned = TunedThresholdClassifierCV(LogisticRegression(), scoring=scorer, cv=3,
                                           store_cv_results=True).fit(X, y, amount=amount)
    # Missing a fraud costs ~150 against 5 for an alarm: the tuned threshold is low.
    assert tuned.best_threshold_ < 0.2


def test_amount_cost_scorer_constant_amount_matches_metrics_scorer():
    from imbalance_kit.metrics import make_cost_scorer

    rng = np.random.default_rng(2)
    X = rng.normal(size=(400, 2))
    y = (X[:, 0] + rng.normal(size=400) > 1.5).astype(int)
    model = LogisticRegression().fit(X, y)
    with sklearn.config_context(enable_metadata_routing=True):
        ours = make_amount_cost_scorer(fp_cost=2, fixed_fn_cost=10)(model, X, y, amount=np.zeros(400))
    assert ours == pytest.approx(make_cost_scorer(fn_cost=10, fp_cost=2)(model, X, y))


# --- Alert budgets --------------------------------------------------------------------


def test_budget_k():
    assert budget_k(400, 0.6) == 240
    assert budget_k(400, 2) == 800
    assert budget_k(1, 0.1) == 1
    with pytest.raises(ValueError, match="n_days"):
        budget_k(400, 0)


def test_budget_threshold_gives_k_alerts_and_the_top_k_metrics():
    rng = np.random.default_rng(3)
    s = rng.uniform(size=1000)
    y = (rng.uniform(size=1000) < s ** 4).astype(int)
    for k in (1, 10, 400):
        t = budget_threshold(s, k)
        assert np.sum(s >= t) == k
        alerted = (s >= t).astype(int)
        assert precision_at_k(y, s, k) == pytest.approx(y[alerted == 1].mean())
        assert recall_at_k(y, s, k) == pytest.approx(y[alerted == 1].sum() / y.sum())
    assert budget_threshold(s, 1) == s.max()
    with pytest.raises(ValueError, match="larger"):
        budget_threshold(s, 1001)


def test_daily_budget_metrics_against_a_loop_over_days():
    rng = np.random.default_rng(4)
    n = 3000
    days = rng.integers(0, 7, size=n)
    s = rng.normal(size=n)
    y = (s + rng.normal(size=n) > 2.5).astype(int)
    k = 20
    m = daily_budget_metrics(y, s, days, k)
    caught = alerts = 0
    for d in range(7):
        rows = days == d
        kd = min(k, rows.sum())
        top = np.argsort(-s[rows], kind="stable")[:kd]
        caught += y[rows][top].sum()
        alerts += kd
        row = m.per_day[m.per_day["day"] == d].iloc[0]
        assert row["precision"] == pytest.approx(precision_at_k(y[rows], s[rows], kd))
    assert (m.alerts, m.caught, m.positives) == (alerts, caught, y.sum())
    assert m.precision == pytest.approx(caught / alerts)
    assert m.recall == pytest.approx(caught / y.sum())


def test_daily_budget_metrics_small_days_and_ties():
    m = daily_budget_metrics([1, 1, 0, 1], [0.5, 0.5, 0.9, 0.5], days=["a", "a", "b", "b"],
                             alerts_per_day=1)
    # Day a: tie, the earlier row is alerted (a fraud). Day b: the 0.9 legitimate row.
    assert (m.caught, m.alerts, m.positives) == (1, 2, 3)
    assert isinstance(m.per_day, pd.DataFrame)
    with pytest.raises(ValueError, match="no positive"):
        daily_budget_metrics([0, 0], [0.1, 0.2], [0, 0], 1)


# --- XGBoost cost objective -----------------------------------------------------------


def test_cost_objective_gradients_by_finite_differences():
    obj = xgboost_cost_objective(fn_cost=7, fp_cost=2)
    y = np.array([1.0, 0.0, 1.0, 0.0])
    x = np.array([-1.3, 0.4, 2.0, -0.2])
    w = np.array([1.0, 3.0, 0.5, 2.0])

    def loss(m):
        p = 1 / (1 + np.exp(-m))
        return -w * (7 * y * np.log(p) + 2 * (1 - y) * np.log(1 - p))

    grad, hess = obj(y, x, sample_weight=w)
    eps = 1e-5
    np.testing.assert_allclose(grad, (loss(x + eps) - loss(x - eps)) / (2 * eps), rtol=1e-5)
    np.testing.assert_allclose(hess, (loss(x + eps) - 2 * loss(x) + loss(x - eps)) / eps ** 2, rtol=1e-3)


def test_cost_objective_equals_scale_pos_weight_in_xgboost():
    xgb = pytest.importorskip("xgboost")
    rng = np.random.default_rng(5)
    X = rng.normal(size=(600, 4))
    y = (X[:, 0] + rng.normal(size=600) > 1.8).astype(int)
    params = dict(n_estimators=20, max_depth=3, learning_rate=0.3, n_jobs=1, random_state=0,
                  base_score=0.5)  # the same starting margin (XGBoost would estimate it per objective)
    builtin = xgb.XGBClassifier(scale_pos_weight=12.0, **params).fit(X, y)
    custom = xgb.XGBClassifier(objective=xgboost_cost_objective(fn_cost=12.0, fp_cost=1.0),
                               **params).fit(X, y)
    np.testing.assert_allclose(custom.predict(X, output_margin=True),
                               builtin.predict(X, output_margin=True), rtol=1e-4, atol=1e-4)
    # Per-row costs through sample_weight: the built-in logistic loss with the same weights.
    w = rng.exponential(3.0, size=600)
    builtin_w = xgb.XGBClassifier(**params).fit(X, y, sample_weight=w)
    custom_w = xgb.XGBClassifier(objective=xgboost_cost_objective(), **params).fit(X, y, sample_weight=w)
    np.testing.assert_allclose(custom_w.predict(X, output_margin=True),
                               builtin_w.predict(X, output_margin=True), rtol=1e-4, atol=1e-4)


def test_cost_objective_native_api_reads_dmatrix_weights():
    xgb = pytest.importorskip("xgboost")
    y = np.array([1.0, 0.0, 1.0])
    weighted = xgb.DMatrix(np.zeros((3, 1)), label=y, weight=[2.0, 1.0, 0.5])
    obj = xgboost_cost_objective(fn_cost=3.0)
    grad, hess = obj(np.zeros(3), weighted)
    np.testing.assert_allclose(grad, [-3.0, 0.5, -0.75])
    np.testing.assert_allclose(hess, [1.5, 0.25, 0.375])


def test_cost_objective_native_train_matches_sklearn_api_with_logistic_link():
    # The documented recipe: with "objective": "binary:logistic" next to obj=, xgboost.train grows the
    # same trees as XGBClassifier(objective=obj). Without it, it starts from the margin 0.5 and differs.
    xgb = pytest.importorskip("xgboost")
    rng = np.random.default_rng(11)
    X = rng.normal(size=(800, 4))
    y = (X[:, 0] + rng.normal(size=800) > 1.6).astype(int)
    obj = xgboost_cost_objective(fn_cost=10.0, fp_cost=1.0)
    sk = xgb.XGBClassifier(n_estimators=15, max_depth=3, learning_rate=0.1, tree_method="hist", n_jobs=1,
                           random_state=0, objective=obj).fit(X, y)
    margin_sk = sk.predict(X, output_margin=True)
    params = dict(max_depth=3, eta=0.1, tree_method="hist", nthread=1, seed=0)
    dtrain = xgb.DMatrix(X, label=y)
    linked = xgb.train({**params, "objective": "binary:logistic"}, dtrain, num_boost_round=15, obj=obj)
    np.testing.assert_allclose(linked.predict(dtrain, output_margin=True), margin_sk, rtol=1e-5, atol=1e-5)
    unlinked = xgb.train(params, dtrain, num_boost_round=15, obj=obj)
    assert np.abs(unlinked.predict(dtrain, output_margin=True) - margin_sk).max() > 0.1


def test_cost_objective_rejects_zero_cost_and_bad_labels():
    with pytest.raises(ValueError, match="fn_cost"):
        xgboost_cost_objective(fn_cost=0)
    obj = xgboost_cost_objective()
    with pytest.raises(ValueError):
        obj(np.array([0, 2]), np.array([0.0, 0.0]))
    with pytest.raises(ValueError, match="margins"):
        obj(np.array([0, 1, 1]), np.array([0.0, 0.0]))


def test_metrics_scorer_with_make_scorer_is_what_learners_build():
    # The notebook's learner builds the cost scorer by hand; it must agree with the kit's.
    from imbalance_kit.metrics import make_cost_scorer

    def cost(y_true, y_pred):
        return business_cost(y_true, y_pred, fn_cost=10, fp_cost=1)

    rng = np.random.default_rng(6)
    X = rng.normal(size=(300, 2))
    y = (X[:, 0] > 1).astype(int)
    model = LogisticRegression().fit(X, y)
    hand = make_scorer(cost, greater_is_better=False)
    assert hand(model, X, y) == pytest.approx(make_cost_scorer(fn_cost=10, fp_cost=1)(model, X, y))
