"""The README's two commands: `make lab` opens the course, `make test` runs every test."""

import os
import re
import shutil
import signal
import socket
import subprocess
import time
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def test_readme_opens_with_the_two_commands():
    readme = (ROOT / "README.md").read_text()
    first_block = re.search(r"```(?:bash)?\n(.*?)```", readme, re.S)
    assert first_block, "README.md has no code block"
    assert readme.index(first_block[0]) < readme.index("\n## "), "the commands must come first"
    commands = [line.split("#")[0].strip() for line in first_block[1].splitlines() if line.strip()]
    assert commands == ["make lab", "make test"]


def test_ci_runs_the_readme_test_command():
    script = (ROOT / ".ci" / "run").read_text()
    assert re.search(r"^make test$", script, re.M)


def _dry_run(target):
    make = shutil.which("make")
    if make is None:
        pytest.skip("make is not installed")
    out = subprocess.run([make, "-n", target], cwd=ROOT, capture_output=True, text=True, check=True)
    return out.stdout


def test_make_lab_adds_allow_root_only_for_root():
    lines = [l for l in _dry_run("lab").splitlines() if "jupyter lab" in l]
    assert lines, "make lab does not start jupyter lab"
    assert ("--allow-root" in lines[-1]) == (os.geteuid() == 0)


def test_make_test_sets_up_and_fetches_data_first():
    plan = _dry_run("test")
    assert "imbalance_kit.datasets fetch" in plan
    assert "pytest" in plan


def _free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.mark.slow
def test_make_lab_serves_jupyterlab_on_the_course(tmp_path):
    if shutil.which("make") is None:
        pytest.skip("make is not installed")
    port = _free_port()
    args = (f"--no-browser --port={port} --ip=127.0.0.1 --ServerApp.token=labtest "
            "--ServerApp.port_retries=0")
    proc = subprocess.Popen(
        ["make", "lab", f"LAB_ARGS={args}"], cwd=ROOT, start_new_session=True,
        stdout=open(tmp_path / "lab.log", "w"), stderr=subprocess.STDOUT,
    )
    try:
        deadline = time.monotonic() + 120
        body = None
        while time.monotonic() < deadline and proc.poll() is None:
            try:
                url = f"http://127.0.0.1:{port}/api/contents/notebooks?token=labtest"
                with urllib.request.urlopen(url, timeout=5) as response:
                    body = response.read().decode()
                break
            except OSError:
                time.sleep(1)
        log = (tmp_path / "lab.log").read_text()
        assert body is not None, f"JupyterLab did not answer on port {port}:\n{log[-3000:]}"
        assert '"name": "00_start_here"' in body or '"name":"00_start_here"' in body
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/lab?token=labtest", timeout=10) as r:
            assert r.status == 200
            assert "JupyterLab" in r.read().decode()
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
