"""The student release: committed notebooks/ equal a fresh release, and nothing secret leaks.

Each assignment found in solutions/ is checked (parametrised by discovery).
"""

import json

import pytest

from imbalance_kit.grading.course import assignment_names
from imbalance_kit.grading.release import generate_release, notebook_bytes

from .test_grading_helpers import MARKERS, ROOT, load, secret_lines

ASSIGNMENTS = assignment_names(ROOT)


def _release_path(name):
    return ROOT / "notebooks" / name / f"{name}.ipynb"


@pytest.mark.parametrize("name", ASSIGNMENTS)
def test_committed_release_is_up_to_date_and_deterministic(name, tmp_path):
    # The committed file came from an earlier run: equality also shows that the
    # release is deterministic (same source, byte-identical output).
    first = generate_release(name, root=ROOT, workdir=tmp_path / "course")
    committed = _release_path(name)
    assert committed.is_file(), f"{committed} is missing: run `make release`"
    assert committed.read_bytes() == first[f"{name}.ipynb"], (
        f"{committed} is not what `make release` produces from solutions/{name}: run `make release`")
    assert not (ROOT / "gradebook.db").exists(), "release must not write a gradebook into the repository"


def leaks(source, release):
    """What of ``source``'s secrets and nbgrader markers shows in ``release`` (sorted lists)."""
    release_lines = {line.strip() for cell in release["cells"]
                     for line in "".join(cell["source"]).splitlines()}
    text = json.dumps([cell["source"] for cell in release["cells"]])
    return sorted(secret_lines(source) & release_lines), [m for m in MARKERS if m in text]


@pytest.mark.parametrize("name", ASSIGNMENTS)
def test_release_leaks_no_solution_hidden_test_or_marker(name):
    source = load(ROOT / "solutions" / name / f"{name}.ipynb")
    assert _release_path(name).is_file(), f"{_release_path(name)} is missing: run `make release`"
    release = load(_release_path(name))
    lines, markers = leaks(source, release)
    assert not lines, f"the release of {name} shows solution or hidden-test lines: {lines[:5]}"
    assert not markers, f"the release of {name} still holds nbgrader markers {markers}"
    for cell in release["cells"]:
        if cell["cell_type"] == "code":
            assert cell["outputs"] == [] and cell["execution_count"] is None
    assert any(c["metadata"].get("nbgrader", {}).get("solution") for c in release["cells"]), \
        f"{name} has no exercise"


def test_leak_check_catches_a_leak():
    # The check above can fail: the instructor source itself, taken as a "release", leaks.
    source = load(ROOT / "solutions" / "00_start_here" / "00_start_here.ipynb")
    lines, markers = leaks(source, source)
    assert "assert class_counts(_np.zeros(7, dtype=int)) == {0: 7, 1: 0}, " \
           "\"a class that does not occur should be counted as 0, not left out\"" in lines
    assert "n_positive = int(np.sum(y == 1))" in lines
    assert "BEGIN HIDDEN TESTS" in markers and "BEGIN SOLUTION" in markers
    release = load(_release_path("00_start_here"))
    release["cells"][-1]["source"] = "n_positive = int(np.sum(y == 1))"  # one leaked line
    assert leaks(source, release)[0] == ["n_positive = int(np.sum(y == 1))"]


def test_notebook_bytes_is_stable_json():
    nb = {"cells": [], "metadata": {"b": 1, "a": 2}, "nbformat": 4, "nbformat_minor": 5}
    data = notebook_bytes(nb)
    assert data.endswith(b"}\n") and data.index(b'"a"') < data.index(b'"b"')
    assert json.loads(data) == nb
