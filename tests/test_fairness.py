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

How the alternatives are combined (one grading run per assignment)
------------------------------------------------------------------
The learner notebook starts from the release. Every answer cell holds
alternative 0 of its exercise (with the ``append_to`` habits appended), so the
graded cells grade alternative 0 through nbgrader, hidden tests included.
Right before that answer cell, each further alternative ``k`` sits in a plain
cell (id ``fair-<grade_id>-alt<k>``), followed by plain copies of the
exercise's test cells, visible and hidden, taken from the instructor source
(ids ``fair-<grade_id>-alt<k>-t<j>``): they run in the same kernel during the
same grading run, and a copy that raises means alternative ``k`` fails that
test. The real answer cell comes last, so the demos after it see
alternative 0. All habits go into the same notebook, which is also saved as
after *Run All* twice (stale outputs, execution counts far from 1), starts
with a scratch cell of imports and prints, and holds a graded cell
copy-pasted in JupyterLab (same metadata twice). The test asserts full marks
on every graded cell and no error in any ``fair-`` cell.

Adding a set for a new assignment: copy ``tests/fairness/00_start_here.py``,
then run ``python -m pytest tests/test_fairness.py -k NN_name -p no:xdist``.
"""

import copy
import importlib.util
import shutil
from pathlib import Path

import nbformat
import pytest

from imbalance_kit.grading.selfgrade import self_grade

from .test_grading_helpers import ROOT

DATA_DIR = Path(__file__).parent / "fairness"
ASSIGNMENTS = sorted(p.stem for p in DATA_DIR.glob("[0-9][0-9]_*.py"))


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


def _test_sources(name):
    """``{answer grade_id: [test source, ...]}``: the graded cells right after each answer, as in the source."""
    nb = nbformat.read(ROOT / "solutions" / name / f"{name}.ipynb", as_version=4)
    tests, current = {}, None
    for cell in nb.cells:
        meta = cell.metadata.get("nbgrader", {})
        if cell.cell_type == "code" and meta.get("solution"):
            current = meta["grade_id"]
            tests[current] = []
        elif cell.cell_type == "code" and meta.get("grade") and current is not None:
            # The delimiters mean something only in the instructor's own cells: drop them from copies.
            tests[current].append("\n".join(line for line in cell.source.splitlines()
                                            if "HIDDEN TESTS" not in line))
        else:
            current = None
    return tests


def build_notebook(name, module=None):
    """The one learner notebook graded for assignment ``name`` (see the module docstring)."""
    module = load_set(name) if module is None else module
    tests = _test_sources(name)
    nb = _released(name)
    for grade_id, sources in module.ALTERNATIVES.items():
        at = _index(nb, grade_id)
        nb.cells[at].source = sources[0]
        extra = []
        for k, source in enumerate(sources[1:], start=1):
            extra.append(_new_cell(source, "code", f"fair-{grade_id}-alt{k}"))
            extra += [_new_cell(test, "code", f"fair-{grade_id}-alt{k}-t{j}")
                      for j, test in enumerate(tests[grade_id])]
        nb.cells[at:at] = extra
    habits = list(getattr(module, "HABITS", []))
    for i, habit in enumerate(habits):
        _apply_habit(nb, habit, i)
    nb.cells.insert(0, _new_cell(
        "import os, sys, math, collections\nimport numpy as np\nprint('scratch: python', sys.version.split()[0])",
        "code", "habit-scratch-top"))
    _run_all_twice(nb)
    # A graded test cell copy-pasted in JupyterLab: the copy keeps the metadata (same grade_id).
    first_test = next(i for i, c in enumerate(nb.cells)
                      if c.metadata.get("nbgrader", {}).get("grade") and c.cell_type == "code")
    duplicate = copy.deepcopy(nb.cells[first_test])
    duplicate.id = "habit-pasted-copy"
    nb.cells.insert(first_test + 1, duplicate)
    return nb


def _failed_alternatives(autograded_path):
    """``["fair-<grade_id>-alt<k>-t<j>: Error: message", ...]`` from the executed notebook."""
    nb = nbformat.read(autograded_path, as_version=4)
    return [f"{cell.get('id')}: {out.ename}: {out.evalue}"[:400]
            for cell in nb.cells if str(cell.get("id", "")).startswith("fair-")
            for out in cell.get("outputs", []) if out.output_type == "error"]


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


def test_build_combines_every_alternative_in_one_notebook():
    # The combination rule, on a small fake set.
    class Fake:
        ALTERNATIVES = {"counts_answer": ["A0", "A1", "A2"], "ratio_answer": ["B0", "B1"]}
        HABITS = [{"name": "h", "after": "counts_answer", "source": "H"},
                  {"name": "s", "append_to": "ratio_answer", "source": "S", "stderr": True}]

    nb = build_notebook("00_start_here", Fake)
    ids = [c.get("id") for c in nb.cells]
    at = _index(nb, "counts_answer")
    assert nb.cells[at].source == "A0" and nb.cells[at + 1].source == "H"
    n_tests = len(_test_sources("00_start_here")["counts_answer"])
    assert n_tests >= 2
    block = ids[at - 2 * (1 + n_tests):at]
    assert block[0] == "fair-counts_answer-alt1" and block[1 + n_tests] == "fair-counts_answer-alt2"
    assert nb.cells[ids.index("fair-counts_answer-alt2")].source == "A2"
    assert "fair-ratio_answer-alt1-t0" in ids and "fair-ratio_answer-alt2" not in ids
    assert nb.cells[_index(nb, "ratio_answer")].source == "B0\n\nS"
    copies = [c.source for c in nb.cells if str(c.get("id")).startswith("fair-counts_answer-alt1-t")]
    assert any("_ref" in src or "assert" in src for src in copies)
    assert not any("HIDDEN TESTS" in src for src in copies)
    assert sum(_grade_id(c) == "counts_visible" for c in nb.cells) == 2


@pytest.fixture(scope="module")
def grading_cache(tmp_path_factory):
    return tmp_path_factory.mktemp("fairness-cache")


@pytest.mark.slow
@pytest.mark.parametrize("name", ASSIGNMENTS)
def test_correct_answers_get_full_marks(name, tmp_path, grading_cache):
    path = tmp_path / name / f"{name}.ipynb"
    path.parent.mkdir()
    nbformat.write(build_notebook(name), path)
    result = self_grade(path, root=ROOT, cache_dir=grading_cache, keep_workdir=True)
    try:
        failed = _failed_alternatives(result.workdir / "autograded" / "me" / name / f"{name}.ipynb")
    finally:
        shutil.rmtree(result.workdir, ignore_errors=True)
    auto = [s for s in result.scores if s.kind == "autograded"]
    assert auto, f"{name}: no autograded cell was graded"
    lost = [f"{s.grade_id}: {s.score:g}/{s.max_score:g} {s.error}".strip() for s in auto if s.score < s.max_score]
    notes = "\n".join(result.notes or [])
    assert not lost, f"{name}: a correct notebook (alternative 0 of every exercise) lost points:\n" + \
        "\n".join(lost) + (f"\nnotes: {notes}" if notes else "")
    assert not failed, f"{name}: correct alternatives failed a test:\n" + "\n".join(failed)


@pytest.mark.slow
def test_a_wrong_answer_loses_points(tmp_path, grading_cache):
    # The check itself can fail: a plausible wrong answer (classes swapped) loses points when it is
    # graded, and fails the copied tests when it is an alternative.
    wrong = 'def class_counts(y):\n    y = np.asarray(y)\n    return {0: int((y == 1).sum()), 1: int((y == 0).sum())}\n'
    right = load_set("00_start_here").ALTERNATIVES["counts_answer"][0]

    class Wrong:
        ALTERNATIVES = {
            "counts_answer": [wrong, right],
            "ratio_answer": [_solution_sources("00_start_here")["ratio_answer"]] * 2,
            "accuracy_answer": [_solution_sources("00_start_here")["accuracy_answer"]] * 2,
        }

    class WrongAlternative(Wrong):
        ALTERNATIVES = {**Wrong.ALTERNATIVES, "counts_answer": [right, wrong]}

    for case, expect_lost in ((Wrong, True), (WrongAlternative, False)):
        path = tmp_path / case.__name__ / "00_start_here" / "00_start_here.ipynb"
        path.parent.mkdir(parents=True)
        nbformat.write(build_notebook("00_start_here", case), path)
        result = self_grade(path, root=ROOT, cache_dir=grading_cache, keep_workdir=True)
        try:
            failed = _failed_alternatives(result.workdir / "autograded" / "me" / "00_start_here" /
                                          "00_start_here.ipynb")
        finally:
            shutil.rmtree(result.workdir, ignore_errors=True)
        lost = {s.grade_id for s in result.scores if s.kind == "autograded" and s.score < s.max_score}
        if expect_lost:
            assert {"counts_visible", "counts_hidden_classes"} <= lost
        else:
            assert not lost
            assert any(f.startswith("fair-counts_answer-alt1-t") for f in failed), failed
