"""Tests for imbalance_kit.drift: KS, chi-square, PSI, reports and window monitoring."""

import pickle

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from imbalance_kit.drift import (
    MISSING,
    adjust_pvalues,
    chi_square_test,
    drift_report,
    interpret_psi,
    ks_test,
    monitor_windows,
    population_stability_index,
    psi_table,
)


@pytest.fixture
def rng():
    return np.random.default_rng(42)


# --------------------------------------------------------------------- KS / chi2

def test_ks_test_matches_scipy(rng):
    ref, cur = rng.normal(size=300), rng.normal(0.3, 1.2, size=200)
    res = ks_test(ref, cur)
    expected = stats.ks_2samp(ref, cur)
    assert res.statistic == pytest.approx(expected.statistic)
    assert res.pvalue == pytest.approx(expected.pvalue)
    statistic, pvalue = res  # unpacks like scipy's result
    assert pvalue < 0.05


def test_ks_test_same_sample_has_no_drift(rng):
    x = rng.normal(size=200)
    assert ks_test(x, x) == (0.0, 1.0)


@pytest.mark.parametrize("bad, match", [([], "reference is empty"),
                                        ([1.0, np.nan], "reference contains NaN"),
                                        ([[1, 2], [3, 4]], "reference must be one-dimensional")])
def test_ks_test_rejects_bad_reference(bad, match):
    with pytest.raises(ValueError, match=match):
        ks_test(bad, [1.0, 2.0])


def test_chi_square_matches_scipy_on_union_of_categories():
    ref = ["a"] * 50 + ["b"] * 30 + ["c"] * 20
    cur = ["a"] * 40 + ["b"] * 30 + ["d"] * 30  # "c" vanished, "d" is new
    res = chi_square_test(ref, cur)
    table = np.array([[50, 30, 20, 0], [40, 30, 0, 30]])
    expected = stats.chi2_contingency(table)
    assert list(res.table.columns) == ["a", "b", "c", "d"]
    np.testing.assert_array_equal(res.table.to_numpy(), table)
    assert res.statistic == pytest.approx(expected.statistic)
    assert res.pvalue == pytest.approx(expected.pvalue)
    assert res.dof == 3


def test_chi_square_two_categories_uses_scipy_default_correction():
    ref, cur = [0] * 60 + [1] * 40, [0] * 45 + [1] * 55
    table = [[60, 40], [45, 55]]
    assert chi_square_test(ref, cur).pvalue == pytest.approx(stats.chi2_contingency(table).pvalue)
    assert chi_square_test(ref, cur, correction=False).pvalue == pytest.approx(
        stats.chi2_contingency(table, correction=False).pvalue)


def test_chi_square_single_category_is_no_drift():
    res = chi_square_test(["a"] * 5, ["a"] * 7)
    assert (res.statistic, res.pvalue, res.dof) == (0.0, 1.0, 0)


def test_chi_square_rejects_empty_current():
    with pytest.raises(ValueError, match="current is empty"):
        chi_square_test(["a"], [])


def test_categorical_inputs_must_be_one_dimensional():
    with pytest.raises(ValueError, match=r"reference must be one-dimensional, got shape \(2, 2\)"):
        chi_square_test([["a", "b"], ["a", "a"]], ["a", "b"])
    with pytest.raises(ValueError, match="current must be one-dimensional"):
        population_stability_index(["a", "b"], [["a", "b"], ["b", "a"]], categorical=True)
    # A column vector is a vector.
    assert chi_square_test([["a"], ["b"]], ["a", "b"]).statistic == 0.0


# --------------------------------------------------------------------- PSI

def test_psi_matches_hand_computation(rng):
    ref = rng.normal(size=2000)
    cur = rng.normal(0.5, 1.0, size=1500)
    # By hand: deciles of the reference as interior edges, open outer bins.
    edges = np.quantile(ref, np.arange(1, 10) / 10)
    r = np.histogram(ref, bins=np.r_[-np.inf, edges, np.inf])[0] / ref.size
    c = np.histogram(cur, bins=np.r_[-np.inf, edges, np.inf])[0] / cur.size
    r, c = np.maximum(r, 1e-4), np.maximum(c, 1e-4)
    expected = np.sum((c - r) * np.log(c / r))
    assert population_stability_index(ref, cur) == pytest.approx(expected, rel=1e-9)


def test_psi_bins_hold_every_current_value_and_are_reference_deciles(rng):
    ref = rng.normal(size=1000)
    cur = rng.normal(size=800) * 10  # far outside the reference range
    table = psi_table(ref, cur)
    assert len(table) == 10
    np.testing.assert_allclose(table["reference"], 0.1, atol=1e-3)
    assert table["current"].sum() == pytest.approx(1.0)  # nothing falls outside the bins
    assert table["contribution"].sum() == pytest.approx(population_stability_index(ref, cur))


def test_psi_is_small_without_shift_and_large_with_one(rng):
    ref = rng.normal(size=5000)
    assert population_stability_index(ref, rng.normal(size=5000)) < 0.02
    assert population_stability_index(ref, rng.normal(1.0, size=5000)) > 0.25
    assert population_stability_index(ref, ref) == 0.0


def test_psi_empty_bin_uses_eps_floor():
    ref = np.arange(100.0)
    cur = np.full(50, 1000.0)  # everything in the top bin
    r = np.array([0.25, 0.25, 0.25, 0.25])
    for eps in (1e-4, 1e-3):
        c = np.maximum([0, 0, 0, 1.0], eps)
        expected = np.sum((c - r) * np.log(c / r))
        assert population_stability_index(ref, cur, n_bins=4, eps=eps) == pytest.approx(expected)
    table = psi_table(ref, cur, n_bins=4)
    assert table["current"].tolist() == [0, 0, 0, 1.0]  # reported before flooring
    assert np.isfinite(table["contribution"]).all()


def test_psi_merges_tied_quantiles_of_scores():
    # Scores of a fraud model: most are exactly 0, so most deciles coincide.
    ref = np.r_[np.zeros(900), np.linspace(0.1, 1, 100)]
    table = psi_table(ref, ref, n_bins=10)
    assert len(table) < 10
    assert np.isfinite(table["contribution"]).all()
    assert table["contribution"].sum() == 0.0


def test_psi_uniform_strategy_and_categorical():
    ref = np.linspace(0, 10, 101)
    table = psi_table(ref, ref + 5, n_bins=5, strategy="uniform")
    assert table["bin"].iloc[1] == "[2, 4)"
    cat = psi_table(["a"] * 50 + ["b"] * 50, ["a"] * 80 + ["b"] * 20, categorical=True)
    expected = (0.8 - 0.5) * np.log(0.8 / 0.5) + (0.2 - 0.5) * np.log(0.2 / 0.5)
    assert cat["contribution"].sum() == pytest.approx(expected)


@pytest.mark.parametrize("kwargs, match", [({"n_bins": 1}, "n_bins"),
                                           ({"strategy": "kmeans"}, "strategy"),
                                           ({"eps": 0}, "eps")])
def test_psi_rejects_bad_parameters(kwargs, match):
    with pytest.raises(ValueError, match=match):
        population_stability_index([1.0, 2.0, 3.0], [1.0, 2.0], **kwargs)


def test_interpret_psi_rule_of_thumb():
    assert [interpret_psi(v) for v in (0.0, 0.099, 0.1, 0.25, 0.2501)] == [
        "stable", "stable", "moderate", "moderate", "major"]
    for bad in (-1, np.nan, np.inf, "0.3", True):
        with pytest.raises(ValueError, match="^psi must"):
            interpret_psi(bad)


# --------------------------------------------------------------------- corrections

def test_holm_bonferroni_bh_against_hand_computation():
    p = np.array([0.01, 0.04, 0.03, 0.005])
    # Holm by hand: sorted 0.005, 0.01, 0.03, 0.04 times 4, 3, 2, 1 -> 0.02, 0.03, 0.06, 0.04,
    # then running maximum -> 0.02, 0.03, 0.06, 0.06 (back in the original order below).
    np.testing.assert_allclose(adjust_pvalues(p, "holm"), [0.03, 0.06, 0.06, 0.02])
    np.testing.assert_allclose(adjust_pvalues(p, "bonferroni"), [0.04, 0.16, 0.12, 0.02])
    # BH by hand: p_(i) * m / i = 0.02, 0.02, 0.04, 0.04, then running minimum from the top.
    np.testing.assert_allclose(adjust_pvalues(p, "bh"), [0.02, 0.04, 0.04, 0.02])
    np.testing.assert_allclose(adjust_pvalues(p, "none"), p)
    np.testing.assert_allclose(adjust_pvalues([0.6, 0.9], "bonferroni"), [1.0, 1.0])


def test_adjust_pvalues_rejects_bad_input():
    with pytest.raises(ValueError, match="^method must be one of"):  # the parameter's name
        adjust_pvalues([0.1], "sidak")
    with pytest.raises(ValueError, match="pvalues"):
        adjust_pvalues([1.5], "holm")
    with pytest.raises(ValueError, match="pvalues must lie in"):
        adjust_pvalues([0.1, np.nan])
    # A table of p-values is not silently flattened.
    with pytest.raises(ValueError, match=r"pvalues must be one-dimensional, got shape \(2, 2\)"):
        adjust_pvalues([[0.1, 0.2], [0.3, 0.4]])
    with pytest.raises(ValueError, match="pvalues must be numbers"):
        adjust_pvalues(["low"])
    assert adjust_pvalues([], "holm").size == 0


# --------------------------------------------------------------------- report

@pytest.fixture
def frames(rng):
    n = 600
    ref = pd.DataFrame({
        "amount": rng.lognormal(3, 1, n),
        "v14": rng.normal(size=n),
        "channel": rng.choice(["web", "pos", "atm"], n, p=[0.5, 0.4, 0.1]),
    })
    cur = pd.DataFrame({
        "amount": rng.lognormal(3.8, 1, n),       # shifted
        "v14": rng.normal(size=n),                # stable
        "channel": rng.choice(["web", "pos", "atm"], n, p=[0.5, 0.4, 0.1]),
    })
    return ref, cur


def test_drift_report_rows_tests_and_flags(frames):
    ref, cur = frames
    report = drift_report(ref, cur)
    assert list(report.index) == ["amount", "v14", "channel"]
    assert list(report.columns) == ["test", "statistic", "pvalue", "pvalue_adjusted", "psi",
                                    "psi_reading", "drifted"]
    assert report["test"].tolist() == ["ks", "ks", "chi2"]
    assert report.loc["amount", "pvalue"] == pytest.approx(stats.ks_2samp(ref.amount, cur.amount).pvalue)
    assert report.loc["channel", "pvalue"] == pytest.approx(chi_square_test(ref.channel, cur.channel).pvalue)
    np.testing.assert_allclose(report["pvalue_adjusted"], adjust_pvalues(report["pvalue"], "holm"))
    assert report["drifted"].tolist() == [True, False, False]
    assert report.loc["amount", "psi_reading"] == "major"


def test_drift_report_corrections_and_forced_categorical(frames):
    ref, cur = frames
    ref = ref.assign(code=np.arange(len(ref)) % 3)
    cur = cur.assign(code=np.arange(len(cur)) % 3)
    report = drift_report(ref, cur, columns=["v14", "code"], categorical=["code"],
                          correction="bonferroni")
    assert report.loc["code", "test"] == "chi2"
    # A single name is one column, not its letters.
    single = drift_report(ref, cur, columns="code", categorical="code")
    assert list(single.index) == ["code"] and single.loc["code", "test"] == "chi2"
    np.testing.assert_allclose(report["pvalue_adjusted"], np.minimum(1, 2 * report["pvalue"]))


def test_drift_report_drops_nan_in_numeric_columns(frames):
    ref, cur = frames
    cur = cur.copy()
    cur.loc[:10, "v14"] = np.nan
    report = drift_report(ref, cur, columns=["v14"])
    assert report.loc["v14", "pvalue"] == pytest.approx(
        stats.ks_2samp(ref.v14, cur.v14.dropna()).pvalue)


def test_drift_report_errors_name_the_problem(frames):
    ref, cur = frames
    with pytest.raises(ValueError, match=r"columns missing from current_df: \['amount'\]"):
        drift_report(ref, cur.drop(columns="amount"))
    with pytest.raises(ValueError, match="columns missing from reference_df"):
        drift_report(ref, cur, columns=["nope"])
    with pytest.raises(ValueError, match="correction"):
        drift_report(ref, cur, correction="fdr")
    with pytest.raises(ValueError, match="alpha"):
        drift_report(ref, cur, alpha=1.5)
    with pytest.raises(TypeError, match="reference_df"):
        drift_report(ref.to_numpy(), cur)
    with pytest.raises(ValueError, match="categorical"):
        drift_report(ref, cur, columns=["v14"], categorical=["channel"])


# --------------------------------------------------------------------- monitoring

def _stream(rng, shift_at=6000.0, n=10_000):
    t = np.arange(n, dtype=float)
    x = rng.normal(size=n) + 1.0 * (t >= shift_at)
    score = rng.beta(1, 50, size=n)
    return pd.DataFrame({"t": t, "x": x, "score": score, "other": rng.normal(size=n)})


def test_monitor_fires_at_first_window_after_shift_not_before(rng):
    df = _stream(rng, shift_at=6000.0).sample(frac=1.0, random_state=0)  # unsorted input
    res = monitor_windows(df, time_col="t", reference_end=3000, window=500,
                          features=["x", "other"], score_col="score")
    assert res["window_start"].tolist()[:3] == [3000.0, 3500.0, 4000.0]
    assert (res["n_rows"] == 500).all()
    assert not res.loc[res["window_start"] < 6000, "fired"].any()
    assert res.loc[res["window_start"] >= 6000, "fired"].all()
    assert res.attrs["first_fired"] == 6000.0
    assert res["first_fired"].sum() == 1
    assert res.loc[res["first_fired"], "window_start"].item() == 6000.0
    for col in ("x_psi", "x_ks", "x_ks_pvalue", "score_psi", "other_psi", "max_psi"):
        assert col in res.columns
    # The per-window PSI is the module's PSI of that window against the reference.
    ordered = df.sort_values("t")
    ref = ordered.loc[ordered.t < 3000, "x"]
    win = ordered.loc[(ordered.t >= 6000) & (ordered.t < 6500), "x"]
    row = res.set_index("window_start").loc[6000.0]
    assert row["x_psi"] == pytest.approx(population_stability_index(ref, win))
    assert row["x_ks_pvalue"] == pytest.approx(stats.ks_2samp(ref, win).pvalue)


def test_monitor_shift_mid_window_fires_on_that_window(rng):
    df = _stream(rng, shift_at=6250.0)
    res = monitor_windows(df, time_col="t", reference_end=3000, window=500, features=["x"])
    assert res.attrs["first_fired"] == 6000.0  # the window that contains the change


def test_monitor_nothing_fires_without_shift(rng):
    df = _stream(rng, shift_at=np.inf)
    res = monitor_windows(df, time_col="t", reference_end=3000, window=1000, features=["x"],
                          score_col="score")
    assert not res["fired"].any()
    assert res.attrs["first_fired"] is None
    assert not res["first_fired"].any()


def test_monitor_ks_rule_and_datetime_time(rng):
    df = _stream(rng, shift_at=6000.0, n=8000)
    df["when"] = pd.Timestamp("2026-01-01") + pd.to_timedelta(df["t"], unit="min")
    res = monitor_windows(df, time_col="when", reference_end="2026-01-03 02:00", window="500min",
                          features=["x"], rule="ks")
    assert res.attrs["first_fired"] == pd.Timestamp("2026-01-01") + pd.Timedelta(minutes=6000)
    assert res.loc[res["window_start"] < res.attrs["first_fired"], "fired"].sum() == 0


def test_monitor_accepts_a_single_feature_name(rng):
    res = monitor_windows(_stream(rng, n=4000), time_col="t", reference_end=2000, window=1000,
                          features="other", score_col="other")
    assert [c for c in res.columns if c.endswith("_psi")] == ["other_psi", "max_psi"]


def test_monitor_small_windows_are_not_judged(rng):
    df = _stream(rng, n=3100)  # the last window holds only 100 rows... and 100 < min_rows
    res = monitor_windows(df, time_col="t", reference_end=3000, window=500, features=["x"],
                          min_rows=200)
    assert res["n_rows"].tolist() == [100]
    assert np.isnan(res["x_psi"].iloc[0]) and not res["fired"].iloc[0]


@pytest.mark.parametrize("kwargs, match", [
    ({"time_col": "nope"}, "time_col 'nope'"),
    ({"features": None}, "Nothing to monitor"),
    ({"features": ["zzz"]}, "missing from df"),
    ({"window": 0}, "window"),
    ({"reference_end": 10}, "reference_end leaves 10 rows"),
    ({"reference_end": 1e9}, "no rows left"),
    ({"rule": "vote"}, "rule"),
    ({"psi_threshold": -1}, "psi_threshold"),
])
def test_monitor_errors_name_the_parameter(rng, kwargs, match):
    df = _stream(rng, n=2000)
    args = dict(time_col="t", reference_end=1000, window=200, features=["x"])
    args.update(kwargs)
    with pytest.raises(ValueError, match=match):
        monitor_windows(df, **args)


@pytest.mark.parametrize("kwargs, match", [
    ({"reference_end": "soon"}, "reference_end must be a timestamp"),
    ({"window": "often"}, "window must be a time span"),
    ({"window": "-1D"}, "window must be a positive time span"),
])
def test_monitor_datetime_errors(rng, kwargs, match):
    df = _stream(rng, n=2000)
    df["t"] = pd.Timestamp("2026-01-01") + pd.to_timedelta(df["t"], unit="min")
    args = dict(time_col="t", reference_end="2026-01-01 12:00", window="1h", features=["x"])
    args.update(kwargs)
    with pytest.raises(ValueError, match=match):
        monitor_windows(df, **args)


def test_monitor_numeric_time_rejects_text_reference_end(rng):
    with pytest.raises(ValueError, match="reference_end must be a number"):
        monitor_windows(_stream(rng, n=2000), time_col="t", reference_end="noon", window=100,
                        features=["x"])


def test_drift_report_treats_bool_and_text_as_categorical():
    ref = pd.DataFrame({"flag": [True, False] * 50, "x": np.arange(100.0)})
    cur = pd.DataFrame({"flag": [True] * 80 + [False] * 20, "x": np.arange(100.0)})
    report = drift_report(ref, cur)
    assert report["test"].tolist() == ["chi2", "ks"]
    assert report.loc["flag", "pvalue"] == pytest.approx(
        stats.chi2_contingency([[50, 50], [20, 80]]).pvalue)


def test_monitor_rejects_non_numeric_feature(rng):
    df = _stream(rng, n=2000).assign(channel="web")
    with pytest.raises(ValueError, match="channel"):
        monitor_windows(df, time_col="t", reference_end=1000, window=200, features=["channel"])


# --------------------------------------------------------------------- bug 1: categories by value

@pytest.fixture
def codes(rng):
    """An integer-coded categorical column (6 codes) and a second draw of the same distribution."""
    p = [0.4, 0.25, 0.15, 0.1, 0.06, 0.04]
    return rng.choice(6, size=3000, p=p), rng.choice(6, size=3000, p=p)


def test_int_and_float_codes_are_the_same_categories(codes):
    ref, cur = codes
    same = chi_square_test(ref, cur)
    as_float = chi_square_test(ref, cur.astype(float))
    assert as_float.dof == 5  # six categories, not twelve
    assert as_float.statistic == pytest.approx(same.statistic)
    assert as_float.pvalue == pytest.approx(same.pvalue)
    assert chi_square_test(ref, ref.astype(float)) [:3] == (0.0, 1.0, 5)
    psi = population_stability_index(ref, ref.astype(float), categorical=True)
    assert psi == 0.0
    assert population_stability_index(ref, cur.astype(float), categorical=True) == \
        pytest.approx(population_stability_index(ref, cur, categorical=True))


def test_pandas_int_column_that_gets_one_nan_does_not_drift(codes):
    ref, cur = pd.Series(codes[0]), pd.Series(codes[1])
    cur_with_nan = cur.copy()
    cur_with_nan.iloc[0] = np.nan  # the column becomes float64
    assert cur_with_nan.dtype == np.float64
    res = chi_square_test(ref, cur_with_nan)
    assert res.dof == 6  # the six codes plus one category of missing values
    assert res.table.columns[-1] is MISSING
    assert res.table[MISSING].tolist() == [0, 1]
    assert res.pvalue > 0.05
    assert population_stability_index(ref, cur_with_nan, categorical=True) < 0.1
    report = drift_report(pd.DataFrame({"code": ref}), pd.DataFrame({"code": cur_with_nan}),
                          categorical=["code"])
    assert not report.loc["code", "drifted"]
    assert report.loc["code", "psi_reading"] == "stable"


def test_every_kind_of_missing_value_is_one_category():
    ref = ["a", "b", None, np.nan]
    cur = pd.Series(["a", pd.NA, "b", "b"], dtype=object)
    table = chi_square_test(ref, cur).table
    assert list(table.columns) == ["a", "b", MISSING]
    assert table.to_numpy().tolist() == [[1, 1, 2], [1, 2, 1]]
    assert pickle.loads(pickle.dumps(MISSING)) is MISSING


def test_text_one_is_not_the_number_one():
    table = chi_square_test(["1", "1", "2"], [1, 1, 2]).table
    assert list(table.columns) == [1, 2, "1", "2"]  # numbers by value first, then text
    assert table.to_numpy().tolist() == [[0, 0, 2, 1], [2, 1, 0, 0]]


def test_categories_match_scipy_on_mixed_dtypes(codes):
    ref, cur = codes
    cur = pd.Series(cur).astype("Int64")  # pandas' nullable integers
    cur.iloc[:3] = pd.NA
    table = chi_square_test(ref, cur).table
    expected = np.array([np.bincount(ref, minlength=6).tolist() + [0],
                         np.bincount(cur.dropna().astype(int), minlength=6).tolist() + [3]])
    np.testing.assert_array_equal(table.to_numpy(), expected)
    assert chi_square_test(ref, cur).pvalue == pytest.approx(
        stats.chi2_contingency(expected).pvalue)


# --------------------------------------------------------------------- bug 2: datetime windows

def _datetime_stream(rng, n=2000):
    df = _stream(rng, n=n)
    df["when"] = pd.Timestamp("2026-01-01") + pd.to_timedelta(df["t"], unit="min")
    return df


@pytest.mark.parametrize("window", [1, 2.5, np.int64(3), np.float64(1.0), "60", True])
@pytest.mark.timeout(20)
def test_monitor_refuses_a_bare_number_for_a_datetime_column(rng, window):
    df = _datetime_stream(rng)
    with pytest.raises(ValueError, match=r"window must be a time span for the datetime column "
                                         r"'when', such as \"1D\", \"6h\" or "
                                         r"pd.Timedelta\(days=1\).*no unit"):
        monitor_windows(df, time_col="when", reference_end="2026-01-01 12:00", window=window,
                        features=["x"])


@pytest.mark.parametrize("window", ["2h", pd.Timedelta(hours=2), np.timedelta64(2, "h"),
                                    pd.Timedelta(hours=2).to_pytimedelta()])
def test_monitor_accepts_every_time_span_form(rng, window):
    df = _datetime_stream(rng)
    res = monitor_windows(df, time_col="when", reference_end="2026-01-01 12:00", window=window,
                          features=["x"])
    assert (res["window_end"] - res["window_start"] == pd.Timedelta(hours=2)).all()
    assert len(res) == int(np.floor((df["when"].max() - pd.Timestamp("2026-01-01 12:00"))
                                    / pd.Timedelta(hours=2))) + 1


def test_monitor_numeric_time_refuses_a_time_span(rng):
    with pytest.raises(ValueError, match="time_col 't' is numeric, so window must be a number"):
        monitor_windows(_stream(rng, n=2000), time_col="t", reference_end=1000, window="1D",
                        features=["x"])


@pytest.mark.timeout(20)
def test_monitor_bounds_the_number_of_windows(rng):
    df = _datetime_stream(rng)
    with pytest.raises(ValueError, match=r"window='1min' cuts .* into 1,280 windows; at most "
                                         r"max_windows=1,000 are "
                                         r"walked. Choose a longer window"):
        monitor_windows(df, time_col="when", reference_end="2026-01-01 12:00", window="1min",
                        features=["x"], max_windows=1000)
    with pytest.raises(ValueError, match=r"at most max_windows=10,000"):
        monitor_windows(_stream(rng, n=2000), time_col="t", reference_end=1000, window=1e-3,
                        features=["x"])
    with pytest.raises(ValueError, match="max_windows must be >= 1"):
        monitor_windows(_stream(rng, n=2000), time_col="t", reference_end=1000, window=100,
                        features=["x"], max_windows=0)


def test_monitor_time_column_errors(rng):
    df = _stream(rng, n=2000)
    args = dict(time_col="t", reference_end=1000, window=200, features=["x"])
    with pytest.raises(ValueError, match="time_col 't' must be numeric or datetime"):
        monitor_windows(df.assign(t=df["t"].astype(str)), **args)
    aware = pd.Timestamp("2026-01-01", tz="UTC") + pd.to_timedelta(df["t"], unit="min")
    with pytest.raises(ValueError, match="timezone-aware"):
        monitor_windows(df.assign(t=aware), **{**args, "reference_end": "2026-01-01",
                                               "window": "1h"})
    with pytest.raises(ValueError, match="time_col 't' contains missing values"):
        monitor_windows(df.assign(t=df["t"].where(df["t"] > 5)), **args)


# --------------------------------------------------------------------- drift_signals

def _window(rng, n, *, shift=0.0, night=0.1, fraud=0.01, start="2026-03-01"):
    return pd.DataFrame({
        "amount": rng.gamma(2.0, 30.0, n) * (1 + shift),
        "hour": rng.normal(14, 5, n),
        "night": rng.random(n) < night,
        "score": rng.beta(1, 30, n),
        "is_fraud": (rng.random(n) < fraud).astype(int),
        "datetime": pd.Timestamp(start) + pd.to_timedelta(rng.uniform(0, 7, n), unit="D"),
    })


def test_drift_signals_tests_and_corrects_like_scipy(rng):
    from imbalance_kit.drift import drift_signals
    ref, cur = _window(rng, 3000), _window(rng, 800, shift=0.15, night=0.2)
    out = drift_signals(ref, cur, numeric=["amount", "hour"], categorical=["night"])
    raw = [stats.ks_2samp(ref["amount"], cur["amount"]).pvalue,
           stats.ks_2samp(ref["hour"], cur["hour"]).pvalue,
           stats.chi2_contingency(pd.crosstab(np.r_[np.zeros(3000), np.ones(800)],
                                              np.r_[ref["night"], cur["night"]]).to_numpy()).pvalue,
           stats.ks_2samp(ref["score"], cur["score"]).pvalue]
    # Holm by hand: sorted p-values times m, m-1, ..., running maximum.
    order = np.argsort(raw)
    holm = np.empty(4)
    holm[order] = np.maximum.accumulate(np.minimum(1, (4 - np.arange(4)) * np.sort(raw)))
    names = ["amount", "hour", "night", "score"]
    assert out["drifted"] == [n for n, p in zip(names, holm) if p < 0.05]
    assert {"amount", "night"} <= set(out["drifted"])
    assert out["prior"] is None


def test_drift_signals_false_alarms_stay_near_alpha():
    from imbalance_kit.drift import drift_signals
    rng = np.random.default_rng(3)
    fired = {"holm": 0, "none": 0}
    n_windows = 100
    for _ in range(n_windows):
        ref, cur = _window(rng, 1000), _window(rng, 300)
        for correction in fired:
            out = drift_signals(ref, cur, numeric=["amount", "hour"], categorical=["night"],
                                correction=correction)
            fired[correction] += bool(out["drifted"])
    # 4 tests at 5 %: about 19 % of windows fire without a correction, at most 5 % with Holm.
    assert fired["holm"] / n_windows <= 0.10
    assert fired["none"] / n_windows >= 0.10


def test_drift_signals_psi_reads_the_size_not_the_sample(rng):
    from imbalance_kit.drift import drift_signals
    ref, small = _window(rng, 20000), _window(rng, 20000, shift=0.08)
    out = drift_signals(ref, small, numeric=["amount"], score_col=None)
    assert out["drifted"] == ["amount"] and out["psi"] == []
    big = _window(rng, 500, shift=1.0, night=0.5)
    out = drift_signals(ref, big, numeric=["amount"], categorical=["night"], score_col=None)
    assert out["psi"] == ["amount", "night"]


def test_drift_signals_prior_waits_for_the_label_delay(rng):
    from imbalance_kit.drift import drift_signals
    ref = _window(rng, 5000, fraud=0.01)
    cur = _window(rng, 4000, fraud=0.01)
    late = cur["datetime"] >= pd.Timestamp("2026-03-05")
    cur.loc[late, "is_fraud"] = 1  # labels not known yet: must not be read
    out = drift_signals(ref, cur, numeric=["amount"], labels_known_before="2026-03-05")
    assert out["prior"] is False
    assert drift_signals(ref, cur, numeric=["amount"])["prior"] is None
    assert drift_signals(ref, cur, numeric=["amount"], labels_known_before="2026-02-01")["prior"] is None
    assert drift_signals(ref, cur, numeric=["amount"], labels_known_before="2026-03-09")["prior"] is True
    cur2 = _window(rng, 4000, fraud=0.03)
    assert drift_signals(ref, cur2, numeric=["amount"], labels_known_before="2026-03-09")["prior"] is True


@pytest.mark.parametrize("kwargs, match", [
    ({"numeric": ["amount"], "categorical": ["amount"]}, "both numeric and categorical"),
    ({"numeric": ["nope"]}, r"columns missing from reference: \['nope'\]"),
    ({"score_col": None}, "Nothing to test"),
    ({"numeric": ["score"]}, "score_col 'score' is also listed"),
    ({"numeric": ["amount"], "alpha": 1.5}, "alpha"),
    ({"numeric": ["amount"], "labels_known_before": "2026-03-05", "label_col": "y"}, "label_col 'y'"),
])
def test_drift_signals_errors(rng, kwargs, match):
    from imbalance_kit.drift import drift_signals
    with pytest.raises(ValueError, match=match):
        drift_signals(_window(rng, 100), _window(rng, 100), **kwargs)
