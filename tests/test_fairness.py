"""Fair grading: correct answers written differently, and learners' habits, get full marks.

For every assignment that has a data file ``tests/fairness/NN_name.py`` (found
automatically), this test builds a few learner notebooks from the committed
student release ``notebooks/NN_name/NN_name.ipynb``, grades each one through
the real self-grading path (:func:`imbalance_kit.grading.selfgrade.self_grade`:
the same nbgrader autograde, hidden tests included, as ``make grade``) and
asserts full marks on every autograded cell.

The data file format
--------------------
A data file is a plain Python module (not collected by pytest: its name does
not start with ``test_``). It defines:

``ALTERNATIVES`` : dict
    ``{answer grade_id: [source, source, ...]}``. Each source is the **whole
    cell** as a learner would leave it (``def`` line and docstring included
    when the released cell has them), a *correct* answer written differently
    from the solution: loops instead of NumPy, scikit-learn or pandas calls,
    NumPy scalars or lists as results, other valid idioms. Give several per
    exercise (at least two), each a real alternative, not a reformatting.
    Every answer cell of the assignment must be listed (a test checks it).

``HABITS`` : list of dict, optional
    Things learners really do, each a dict with

    - ``"name"``: a short description (it shows in failures);
    - exactly one of ``"after"`` (a grade_id or a cell id: a new cell with
      ``"source"`` goes right after that cell; ``"cell_type"`` is ``"code"``
      unless it says ``"markdown"``) or ``"append_to"`` (an answer
      grade_id: ``"source"`` is appended to that answer cell, after whichever
      alternative it holds);
    - optional ``"stderr": True`` when the habit writes to stderr while a
      graded cell runs (a harmless warning, a progress bar). Those habits are
      graded in a notebook of their own, so that a failure there names the
      course's stderr policy and does not hide other results.

How the notebooks are combined (one grading run per notebook, not per variant)
------------------------------------------------------------------------------
With ``K`` = the largest number of alternatives of any exercise, notebook
``alt-k`` (k = 0 .. K-1) holds alternative ``k`` of every exercise (cycled
when an exercise has fewer) and the habits ``i`` with ``i % K == k``, and the
test adds habits of its own to every assignment: notebook ``alt-0`` is saved
as after *Run All* twice (stale outputs, execution counts far from 1), notebook
``alt-1`` starts with an extra scratch cell of imports and prints. Notebook
``habits-stderr-and-copies`` holds the solution's answers, the ``"stderr"``
habits and a graded cell copy-pasted in JupyterLab (same metadata twice).

Adding a set for a new assignment: copy ``tests/fairness/00_start_here.py``,
then run ``python -m pytest tests/test_fairness.py -k NN_name -p no:xdist``.
"""

import copy
import importlib.util
from pathlib import Path

import nbformat
import pytest

from imbalance_kit.grading.selfgrade import self_grade

from .test_grading_helpers import ROOT

DATA_DIR = Path(__file__).parent / "fairness"
ASSIGNMENTS = sorted(p.stem for p in DATA_DIR.glob("[0-9][0-9]_*.py"))
STDERR_NOTEBOOK = "habits-stderr-and-copies"


def load_set(name):
    """The module ``tests/fairness/<name>.py`` (its name starts with digits: loaded by path)."""
    spec = importlib.util.spec_from_file_location(f"fairness_{name}", DATA_DIR / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _grade_id(cell):
    return cell.metadata.get("nbgrader", {}).get("grade_id")


def _index(nb, key):
    hits = [i for i, c in enumerate(nb.cells) if _grade_id(c) == key or c.get("id") == key]
    if len(hits) != 1:
        raise KeyError(f"no single cell with grade_id or id {key!r} ({len(hits)} found)")
    return hits[0]


def _released(name):
    return nbformat.read(ROOT / "notebooks" / name / f"{name}.ipynb", as_version=4)


def _solution_sources(name):
    nb = nbformat.read(ROOT / "solutions" / name / f"{name}.ipynb", as_version=4)
    return {_grade_id(c): c.source for c in nb.cells
            if c.cell_type == "code" and c.metadata.get("nbgrader", {}).get("solution")}


def _answer_ids(nb):
    return [_grade_id(c) for c in nb.cells
            if c.cell_type == "code" and c.metadata.get("nbgrader", {}).get("solution")]


def _new_cell(source, cell_type, cell_id):
    cell = nbformat.v4.new_markdown_cell(source) if cell_type == "markdown" else nbformat.v4.new_code_cell(source)
    cell.id = cell_id
    return cell


def _apply_habit(nb, habit, n):
    if "append_to" in habit:
        cell = nb.cells[_index(nb, habit["append_to"])]
        cell.source = cell.source.rstrip("\n") + "\n\n" + habit["source"]
    else:
        at = _index(nb, habit["after"])
        nb.cells.insert(at + 1, _new_cell(habit["source"], habit.get("cell_type", "code"), f"habit-{n}"))


def _run_all_twice(nb):
    """Stored outputs and execution counts as a learner's notebook has them after two Run All."""
    code = [c for c in nb.cells if c.cell_type == "code"]
    for i, cell in enumerate(code, start=len(code) + 1):
        cell.execution_count = i
        cell.outputs = [nbformat.v4.new_output("stream", name="stdout", text=f"(output of run {i})\n")]


def build_notebooks(name, module=None):
    """``{label: notebook}``: the learner notebooks graded for assignment ``name``."""
    module = load_set(name) if module is None else module
    alternatives = module.ALTERNATIVES
    habits = list(getattr(module, "HABITS", []))
    k_max = max(len(v) for v in alternatives.values())
    quiet = [h for h in habits if not h.get("stderr")]
    loud = [h for h in habits if h.get("stderr")]
    notebooks = {}
    for k in range(k_max):
        nb = _released(name)
        for grade_id, sources in alternatives.items():
            nb.cells[_index(nb, grade_id)].source = sources[k % len(sources)]
        for i, habit in enumerate(quiet):
            if i % k_max == k:
                _apply_habit(nb, habit, i)
        if k == 0:
            _run_all_twice(nb)
        if k == 1:
            nb.cells.insert(0, _new_cell(
                "import os, sys, math, collections\nimport numpy as np\nprint('scratch: python', sys.version.split()[0])",
                "code", "habit-scratch-top"))
        notebooks[f"alt-{k}"] = nb
    nb = _released(name)
    for grade_id, source in _solution_sources(name).items():
        nb.cells[_index(nb, grade_id)].source = source
    for i, habit in enumerate(loud):
        _apply_habit(nb, habit, len(quiet) + i)
    # A graded test cell copy-pasted in JupyterLab: the copy keeps the metadata (same grade_id).
    first_test = next(i for i, c in enumerate(nb.cells)
                      if c.metadata.get("nbgrader", {}).get("grade") and c.cell_type == "code")
    duplicate = copy.deepcopy(nb.cells[first_test])
    duplicate.id = "habit-pasted-copy"
    nb.cells.insert(first_test + 1, duplicate)
    notebooks[STDERR_NOTEBOOK] = nb
    return notebooks


def _labels(name):
    # From the data file alone, so that a data file out of step with its release fails its own
    # tests (in build_notebooks) instead of breaking the collection of every other assignment.
    k_max = max(len(v) for v in load_set(name).ALTERNATIVES.values())
    return [f"alt-{k}" for k in range(k_max)] + [STDERR_NOTEBOOK]


CASES = [(name, label) for name in ASSIGNMENTS for label in _labels(name)]


def test_data_files_are_found():
    assert "00_start_here" in ASSIGNMENTS


@pytest.mark.parametrize("name", ASSIGNMENTS)
def test_every_exercise_has_alternatives(name):
    module = load_set(name)
    expected = set(_answer_ids(_released(name)))
    assert set(module.ALTERNATIVES) == expected, (
        f"tests/fairness/{name}.py must give alternatives for exactly the answer cells {sorted(expected)}"
    )
    for grade_id, sources in module.ALTERNATIVES.items():
        assert len(sources) >= 2, f"{grade_id}: give at least two alternative answers"
        solution = _solution_sources(name)[grade_id]
        assert all(src.strip() != solution.strip() for src in sources), f"{grade_id}: an alternative is the solution itself"
        assert all("raise NotImplementedError" not in src for src in sources), f"{grade_id}: an alternative is blank"
    for habit in getattr(module, "HABITS", []):
        assert ("after" in habit) != ("append_to" in habit), f"habit {habit.get('name')!r}: one place"


def test_build_puts_each_alternative_in_its_notebook():
    # The combination rule, on a small fake set: alternative k goes to notebook alt-k, cycled.
    class Fake:
        ALTERNATIVES = {"counts_answer": ["A0", "A1", "A2"], "ratio_answer": ["B0", "B1"]}
        HABITS = [{"name": "h", "after": "counts_answer", "source": "H"},
                  {"name": "s", "append_to": "ratio_answer", "source": "S", "stderr": True}]

    nbs = build_notebooks("00_start_here", Fake)
    assert sorted(nbs) == ["alt-0", "alt-1", "alt-2", STDERR_NOTEBOOK]
    for k, label in enumerate(["alt-0", "alt-1", "alt-2"]):
        nb = nbs[label]
        assert nb.cells[_index(nb, "counts_answer")].source == f"A{k}"
        assert nb.cells[_index(nb, "ratio_answer")].source == f"B{k % 2}"
    assert nbs["alt-0"].cells[_index(nbs["alt-0"], "counts_answer") + 1].source == "H"
    loud = nbs[STDERR_NOTEBOOK]
    assert loud.cells[_index(loud, "ratio_answer")].source.endswith("\n\nS")
    assert sum(_grade_id(c) == "counts_visible" for c in loud.cells) == 2


@pytest.fixture(scope="module")
def grading_cache(tmp_path_factory):
    return tmp_path_factory.mktemp("fairness-cache")


@pytest.mark.slow
@pytest.mark.parametrize("name,label", CASES)
def test_correct_answers_get_full_marks(name, label, tmp_path, grading_cache):
    nb = build_notebooks(name)[label]
    path = tmp_path / name / f"{name}.ipynb"
    path.parent.mkdir()
    nbformat.write(nb, path)
    result = self_grade(path, root=ROOT, cache_dir=grading_cache)
    auto = [s for s in result.scores if s.kind == "autograded"]
    assert auto, f"{name} {label}: no autograded cell was graded"
    lost = [f"{s.grade_id}: {s.score:g}/{s.max_score:g} {s.error}".strip() for s in auto if s.score < s.max_score]
    notes = "\n".join(getattr(result, "notes", []) or [])
    assert not lost, f"{name} {label}: a correct notebook lost points:\n" + "\n".join(lost) + (
        f"\nnotes: {notes}" if notes else "")


@pytest.mark.slow
def test_a_wrong_answer_loses_points(tmp_path, grading_cache):
    # The check itself can fail: a plausible wrong answer (classes swapped) graded the same way loses points.
    class Wrong:
        ALTERNATIVES = {
            "counts_answer": ['def class_counts(y):\n    y = np.asarray(y)\n    return {0: int((y == 1).sum()), 1: int((y == 0).sum())}\n'] * 2,
            "ratio_answer": [_solution_sources("00_start_here")["ratio_answer"]] * 2,
            "accuracy_answer": [_solution_sources("00_start_here")["accuracy_answer"]] * 2,
        }

    nb = build_notebooks("00_start_here", Wrong)["alt-1"]
    path = tmp_path / "00_start_here" / "00_start_here.ipynb"
    path.parent.mkdir()
    nbformat.write(nb, path)
    result = self_grade(path, root=ROOT, cache_dir=grading_cache)
    lost = {s.grade_id for s in result.scores if s.kind == "autograded" and s.score < s.max_score}
    assert {"counts_visible", "counts_hidden_classes"} <= lost
