"""The student bundle: nothing of the instructor's in it, student tools only, `make grade` inside it.

The bundle is built once, unzipped into a fresh folder, and checked there: no
``solutions/``, no nbgrader delimiter in any notebook, no line of a solution
or of a hidden test in any file; the JupyterLab that ``make lab`` starts (the
real server, on loopback) loads the bundle's configuration: nbgrader's
instructor tools and the news prompt off, Validate and Assignments on; and
``make grade`` grades a changed notebook with the visible tests only.
"""

import json
import os
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
import zipfile
from pathlib import Path

import pytest

from imbalance_kit.grading import bundle
from imbalance_kit.grading.course import assignment_names

from .test_grading_helpers import MARKERS, ROOT, load, secret_lines, split_source

pytestmark = pytest.mark.slow

VENV = Path(sys.executable).parent.parent


@pytest.fixture(scope="module")
def unzipped(tmp_path_factory):
    out = tmp_path_factory.mktemp("build") / "student-bundle.zip"
    assert bundle.build(out, root=ROOT) == out
    fresh = tmp_path_factory.mktemp("fresh")
    with zipfile.ZipFile(out) as archive:
        archive.extractall(fresh)
    assert sorted(p.name for p in fresh.iterdir()) == [bundle.BUNDLE_DIR]
    return fresh / bundle.BUNDLE_DIR


def _files(folder):
    return [p for p in folder.rglob("*") if p.is_file()]


def test_bundle_holds_the_student_material(unzipped):
    names = assignment_names(ROOT)
    for name in names:
        assert (unzipped / "notebooks" / name / f"{name}.ipynb").read_bytes() == \
            (ROOT / "notebooks" / name / f"{name}.ipynb").read_bytes()
    for path in ("pyproject.toml", "environment.yml", "nbgrader_config.py", "Makefile", "README.md",
                 "imbalance_kit/__init__.py", "imbalance_kit/grading/bundle.py"):
        assert (unzipped / path).is_file(), path
    assert not list(unzipped.rglob("__pycache__"))
    readme = (unzipped / "README.md").read_text()
    assert "## Curriculum" in readme and "make grade" in readme and "visible tests only" in readme
    assert "solutions/" not in readme and "make release" not in readme and "make test" not in readme


def test_no_solution_or_hidden_test_anywhere(unzipped):
    assert not [p for p in unzipped.rglob("*") if p.name == "solutions" or p.name == "source"]
    for path in unzipped.rglob("*.ipynb"):
        text = path.read_text("utf-8")
        found = [m for m in MARKERS if m in text]
        assert not found, f"{path.relative_to(unzipped)} holds {found}"
    secrets, tests = {}, {}
    for name in assignment_names(ROOT):
        source = load(ROOT / "solutions" / name / f"{name}.ipynb")
        for line in secret_lines(source):
            secrets.setdefault(line, name)
        # A hidden test's own statements (a generic line such as "finally:" is no evidence).
        for line in secret_lines(source, kinds=("hidden",)):
            if line.startswith("assert ") or re.search(r"\b_ref\w*\b", line):
                tests.setdefault(line, name)
    # A line one notebook hides and another hands out (``import warnings``) is no leak.
    public = set().union(*(split_source(load(ROOT / "solutions" / n / f"{n}.ipynb"))[2]
                           for n in assignment_names(ROOT)))
    secrets = {line: name for line, name in secrets.items() if line not in public}
    tests = {line: name for line, name in tests.items() if line not in public}
    assert len(secrets) > 100 and len(tests) > 50  # the check reads real solutions
    leaks = []
    for path in _files(unzipped):
        try:
            lines = {line.strip() for line in path.read_text("utf-8").splitlines()}
        except UnicodeDecodeError:
            continue
        if path.suffix == ".ipynb":  # lines inside the notebook JSON strings
            lines = {line.strip() for cell in load(path)["cells"]
                     for line in "".join(cell.get("source", "")).splitlines()}
        # The kit holds the reference implementations the hidden tests compare with (a
        # learner may read them: docs/instructors.md), never a hidden test; every other
        # file holds no line of a solution either.
        found = tests if path.relative_to(unzipped).parts[0] == "imbalance_kit" else secrets
        leaks += [(str(path.relative_to(unzipped)), found[line], line) for line in lines & set(found)]
    assert not leaks, f"{len(leaks)} solution or hidden-test line(s) in the bundle: {leaks[:5]}"
    # The hidden-test list names cells, not tests.
    hidden = json.loads((unzipped / "pristine" / "hidden_tests.json").read_text())
    assert "counts_hidden_classes" in hidden["00_start_here"] and "counts_visible" not in hidden["00_start_here"]


def test_build_refuses_a_release_holding_a_delimiter(tmp_path):
    course = tmp_path / "course"
    shutil.copytree(ROOT / "solutions" / "00_start_here", course / "solutions" / "00_start_here")
    shutil.copytree(ROOT / "solutions" / "00_start_here", course / "notebooks" / "00_start_here")  # not released
    shutil.copy(ROOT / "nbgrader_config.py", course)
    with pytest.raises(bundle.GradingError, match="BEGIN SOLUTION"):
        bundle.build(tmp_path / "b.zip", root=course)
    assert not (tmp_path / "b.zip").exists()


def _make_env(unzipped):
    # What the bundle's Makefile exports before starting JupyterLab.
    makefile = (unzipped / "Makefile").read_text()
    match = re.search(r"^export JUPYTER_CONFIG_PATH := \$\(CURDIR\)/(\S+)$", makefile, re.M)
    assert match, "the bundle's Makefile does not set JUPYTER_CONFIG_PATH"
    env = {k: v for k, v in os.environ.items() if not k.startswith("JUPYTER")}
    env["JUPYTER_CONFIG_PATH"] = str(unzipped / match[1])
    return env


def _free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _get(url):
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status, response.read().decode("utf-8", "replace")
    except urllib.error.HTTPError as exc:
        return exc.code, ""
    except (urllib.error.URLError, ConnectionError, TimeoutError):  # not listening yet
        return None, ""


def test_jupyterlab_loads_student_tools_only(unzipped, tmp_path):
    env = _make_env(unzipped)
    env["HOME"] = str(tmp_path)  # no user settings of this machine
    port, token = _free_port(), "bundle-test"
    cmd = [str(VENV / "bin" / "jupyter"), "lab", "--no-browser", "--ServerApp.ip=127.0.0.1",
           f"--ServerApp.port={port}", f"--IdentityProvider.token={token}", "--notebook-dir=."]
    if os.geteuid() == 0:
        cmd.append("--allow-root")
    log = open(tmp_path / "lab.log", "w")
    server = subprocess.Popen(cmd, cwd=unzipped, env=env, stdout=log, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 120
        while _get(f"{base}/api/status?token={token}")[0] != 200:
            assert server.poll() is None, (tmp_path / "lab.log").read_text()[-3000:]
            assert time.monotonic() < deadline, "JupyterLab did not start in 120 s"
            time.sleep(0.5)
        status, page = _get(f"{base}/lab?token={token}")
        assert status == 200
        data = re.search(r'<script id="jupyter-config-data" type="application/json">(.*?)</script>', page, re.S)
        config = json.loads(data[1])
        disabled = {k for k, v in config["disabledExtensions"].items() if v} \
            if isinstance(config["disabledExtensions"], dict) else set(config["disabledExtensions"])
        assert set(bundle.DISABLED_LAB_PLUGINS) <= disabled, disabled
        assert not {"@jupyter/nbgrader:validate-assignment", "@jupyter/nbgrader:assignment-list"} & disabled
        assert "@jupyter/nbgrader" in {e["name"] for e in config["federated_extensions"]}
        assert config["news"] == {"disabled": True}
        # Server side: the formgrader and the course list are gone; Validate and Assignments answer.
        assert _get(f"{base}/formgrader?token={token}")[0] == 404
        assert _get(f"{base}/formgraders?token={token}")[0] == 404
        assert _get(f"{base}/nbgrader_version?version=0&token={token}")[0] != 404
    finally:
        server.terminate()
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()
        log.close()
    assert server.returncode is not None


def test_make_grade_in_the_bundle_uses_visible_tests_only(unzipped, tmp_path):
    work = tmp_path / "copy"
    shutil.copytree(unzipped, work)
    name = "00_start_here"
    # A learner who solved 00 (and changed nothing else).
    shutil.copy(ROOT / "solutions" / name / f"{name}.ipynb", work / "notebooks" / name / f"{name}.ipynb")
    stamp = tmp_path / "installed"
    stamp.touch()  # the course venv stands in for the bundle's own .venv (no install in a test)
    env = {k: v for k, v in os.environ.items() if not k.startswith(("MAKE", "MFLAGS"))}
    proc = subprocess.run(["make", "-s", "grade", f"VENV={VENV}", f"STAMP={stamp}"], cwd=work, env=env,
                          capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, proc.stdout[-2000:] + proc.stderr[-2000:]
    out = proc.stdout
    assert f"{name}: notebooks/{name}/{name}.ipynb" in out and "01_metrics" not in out
    assert re.search(r"^counts_visible\s+1 / 1\s+passed", out, re.M), out
    assert re.search(r"^counts_hidden_classes\s+-\s+hidden tests: graded by your instructor", out, re.M), out
    assert "visible tests: 3 / 3 points (visible tests only" in out
    assert "hidden tests: 3 cell(s), 3 point(s), graded by your instructor" in out
    # The blank release fails its visible tests, and the learner's file is never touched.
    blank = work / "notebooks" / name / f"{name}.ipynb"
    shutil.copy(work / "pristine" / name / f"{name}.ipynb", blank)
    before = blank.read_bytes()
    result, hidden = bundle.grade_visible(blank, bundle=work)
    assert hidden == ["counts_hidden_classes", "ratio_hidden_majority", "accuracy_hidden_minority"]
    visible = {s.grade_id: s.score for s in result.scores if s.grade_id.endswith("_visible")}
    assert visible == {"counts_visible": 0, "ratio_visible": 0, "accuracy_visible": 0}
    assert blank.read_bytes() == before
