"""Authoring lint, output-limiting and hidden-test-scrubbing preprocessors, self-grade input checks.

Fast: nothing here runs nbgrader or a kernel.
"""

import json
import shutil

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook, new_output

from imbalance_kit.grading import classroom
from imbalance_kit.grading.course import (
    GradingError, assignment_names, course_root, exit_status, make_course, select_assignments,
)
from imbalance_kit.grading.release import main as release_main
from imbalance_kit.grading.lint import lint_course, lint_notebook, main as lint_main
from imbalance_kit.grading.preprocessors import LimitOutputSize, ScrubHiddenTestOutputs
from imbalance_kit.grading.selfgrade import check_notebook_file, identify_assignment, main as selfgrade_main

from .test_grading_helpers import ROOT

ASSIGNMENTS = assignment_names(ROOT)


# --- a small valid instructor notebook to break one rule at a time ---------------------------

def _meta(**kw):
    return {"nbgrader": {"schema_version": 3, **kw}}


def good_notebook():
    cells = [
        new_markdown_cell("# 99 demo"),
        new_code_cell("import numpy as np\n\nSEED = 7\nrng = np.random.default_rng(SEED)"),
        new_code_cell("def double(x):\n    ### BEGIN SOLUTION\n    return 2 * x\n    ### END SOLUTION",
                      metadata=_meta(solution=True, grade=False, locked=False, grade_id="double_answer")),
        new_code_cell('assert double(2) == 4, "double(2) should be 4"',
                      metadata=_meta(solution=False, grade=True, locked=True, points=1,
                                     grade_id="double_visible")),
        new_code_cell("# Hidden tests: edge cases, checked when your work is graded.\n"
                      "### BEGIN HIDDEN TESTS\nassert double(-1) == -2, \"negative numbers too\"\n"
                      "### END HIDDEN TESTS",
                      metadata=_meta(solution=False, grade=True, locked=True, points=1,
                                     grade_id="double_hidden_negative")),
        new_markdown_cell("### BEGIN SOLUTION\nModel answer: because.\n\nRubric (1 point): says why.\n"
                          "### END SOLUTION",
                          metadata=_meta(solution=True, grade=True, locked=False, points=1,
                                         grade_id="why_written")),
    ]
    nb = new_notebook(cells=cells)
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    return nb


def write(tmp_path, nb, name="99_demo"):
    path = tmp_path / name / f"{name}.ipynb"
    path.parent.mkdir(parents=True, exist_ok=True)
    # Plain JSON: nbformat.write would repair some of the faults under test.
    path.write_text(json.dumps(nb, indent=1))
    return path


def lint(tmp_path, nb):
    return lint_notebook(write(tmp_path, nb))


def test_good_notebook_is_clean(tmp_path):
    assert lint(tmp_path, good_notebook()) == []


@pytest.mark.parametrize("name", ASSIGNMENTS)
def test_course_notebooks_pass_lint(name):
    errors = lint_notebook(ROOT / "solutions" / name / f"{name}.ipynb")
    assert not errors, "\n".join(map(str, errors))


def _expect(errors, rule, fragment, cell=None):
    hits = [e for e in errors if e.rule == rule and fragment in e.message]
    assert hits, f"no [{rule}] error containing {fragment!r}; got:\n" + "\n".join(map(str, errors))
    if cell is not None:
        assert hits[0].cell == cell, str(hits[0])
    assert "99_demo.ipynb" in str(hits[0]), "the message must name the notebook"
    return hits[0]


def _grade_meta(nb, index):
    return nb.cells[index].metadata["nbgrader"]


def test_lint_bad_name(tmp_path):
    path = write(tmp_path, good_notebook(), name="demo")
    errors = lint_notebook(path)
    assert any(e.rule == "name" and "NN_name" in e.message for e in errors)


def test_lint_kernelspec(tmp_path):
    nb = good_notebook()
    nb.metadata["kernelspec"]["name"] = "ir"
    _expect(lint(tmp_path, nb), "kernelspec", "'python3'")


def test_lint_outputs_and_execution_counts(tmp_path):
    nb = good_notebook()
    nb.cells[1].outputs = [new_output("stream", text="hi")]
    nb.cells[2].execution_count = 3
    errors = lint(tmp_path, nb)
    e = _expect(errors, "outputs", "stored outputs", cell=2)
    assert "cell 2" in str(e)
    _expect(errors, "outputs", "execution count", cell=3)


def test_lint_duplicate_cell_ids(tmp_path):
    nb = good_notebook()
    nb.cells[1].id = nb.cells[0].id
    _expect(lint(tmp_path, nb), "ids", "used twice", cell=2)


# One metadata fault at a time: (cell index, nbgrader key, bad value, message fragment).
@pytest.mark.parametrize("index, key, value, fragment", [
    (3, "schema_version", 1, "schema_version must be 3"),
    *((3, "points", points, "points > 0") for points in (0, -1, None, "2")),
    (3, "locked", False, "must be locked"),
    (2, "locked", True, "must not be locked"),
    (2, "grade", "no", "'grade' must be true or false"),
])
def test_lint_bad_metadata(tmp_path, index, key, value, fragment):
    nb = good_notebook()
    _grade_meta(nb, index)[key] = value
    _expect(lint(tmp_path, nb), "metadata", fragment, cell=index + 1)


def test_lint_duplicate_grade_id(tmp_path):
    nb = good_notebook()
    _grade_meta(nb, 4)["grade_id"] = "double_visible"
    e = _expect(lint(tmp_path, nb), "metadata", "'double_visible' is also used by cell 4", cell=5)
    assert "(double_visible)" in str(e)


def test_lint_warns_on_a_cell_copied_in_jupyterlab(tmp_path):
    # JupyterLab's copy keeps the metadata (grade_id included) and gets a new cell id.
    nb = good_notebook()
    copy = nbformat.from_dict(json.loads(json.dumps(nb.cells[3])))
    copy.id = "pasted-copy"
    nb.cells.insert(4, copy)
    e = _expect(lint(tmp_path, nb), "metadata", "'double_visible' is also used by cell 4", cell=5)
    assert "copied in JupyterLab keeps its grade_id" in e.message


HIDDEN = "# Hidden tests: negatives.\n### BEGIN HIDDEN TESTS\n{}\n### END HIDDEN TESTS"


@pytest.mark.parametrize("body, name", [
    ("from imbalance_kit.metrics import confusion_counts\nassert double(1) == 2, 'm'", "confusion_counts"),
    ("from sklearn import metrics\nassert double(1) == 2, 'm'", "metrics"),
    ("import imbalance_kit.metrics as ref\nassert double(1) == 2, 'm'", "ref"),
    ("y = [0, 0, 1]\nassert double(1) == 2, 'm'", "y"),
    ("for n in range(3):\n    assert double(n) == 2 * n, 'm'", "n"),
    ("def reference(x):\n    return 2 * x\nassert double(1) == reference(1), 'm'", "reference"),
    ("if True:\n    expected, _ = 2, 0\nassert double(1) == expected, 'm'", "expected"),
])
def test_lint_hidden_tests_bind_only_private_names(tmp_path, body, name):
    nb = good_notebook()
    nb.cells[4].source = HIDDEN.format(body)
    e = _expect(lint(tmp_path, nb), "private", f"public name {name!r}", cell=5)
    assert f"_{name}" in e.message


def test_lint_private_names_and_conventional_aliases_are_fine(tmp_path):
    nb = good_notebook()
    nb.cells[4].source = HIDDEN.format(
        "import numpy as np\nimport numpy\nfrom imbalance_kit.metrics import confusion_counts as _ref_counts\n"
        "_y = [0, 1]\nfor _n in range(3):\n    assert double(_n) == 2 * _n, 'doubles'\n"
        "def _reference(x):\n    local = 2 * x\n    return local\nassert _reference(1) == 2  # the test's own check")
    assert lint(tmp_path, nb) == []


def test_lint_learner_facing_asserts_need_a_message(tmp_path):
    nb = good_notebook()
    nb.cells[3].source = "assert double(2) == 4"
    e = _expect(lint(tmp_path, nb), "message", "line 1: an assert on the learner's work", cell=4)
    assert "double_visible" in str(e)


def test_lint_hidden_cell_shows_a_line_before_the_markers(tmp_path):
    nb = good_notebook()
    nb.cells[4].source = "### BEGIN HIDDEN TESTS\nassert double(-1) == -2, 'negatives'\n### END HIDDEN TESTS"
    _expect(lint(tmp_path, nb), "hidden", "empty locked cell", cell=5)


# One cell rewritten at a time: (cell index, new source, rule, message fragment).
@pytest.mark.parametrize("index, source, rule, fragment", [
    (2, "def double(x):\n    return 2 * x", "solution", "### BEGIN SOLUTION"),
    (5, "### BEGIN SOLUTION\nModel answer: because.\n### END SOLUTION", "written", "rubric"),
    (5, "### BEGIN SOLUTION\n\n### END SOLUTION", "written", "model answer"),
    (1, "import numpy as np\nrng = np.random.default_rng(7)", "seed", "SEED = <int literal>"),
    (1, "import numpy as np\nSEED = int('7')", "seed", "SEED = <int literal>"),
])
def test_lint_bad_cell_source(tmp_path, index, source, rule, fragment):
    nb = good_notebook()
    nb.cells[index].source = source
    _expect(lint(tmp_path, nb), rule, fragment, cell=index + 1)


def test_lint_answer_without_hidden_tests(tmp_path):
    nb = good_notebook()
    del nb.cells[4]
    _expect(lint(tmp_path, nb), "hidden", "no hidden-test cell follows this answer", cell=3)


def test_lint_hidden_tests_must_follow_each_answer(tmp_path):
    nb = good_notebook()
    second = nbformat.from_dict(json.loads(json.dumps(nb.cells[2])))
    second.id = "second-answer"
    second.metadata["nbgrader"]["grade_id"] = "triple_answer"
    nb.cells.insert(3, second)  # two answers in a row: the first has no hidden tests of its own
    _expect(lint(tmp_path, nb), "hidden", "before the next answer", cell=3)


def test_lint_hidden_tests_outside_test_cell(tmp_path):
    nb = good_notebook()
    nb.cells[1].source += "\n### BEGIN HIDDEN TESTS\nx = 1\n### END HIDDEN TESTS"
    _expect(lint(tmp_path, nb), "hidden", "not a test cell", cell=2)


def test_lint_unbalanced_hidden_markers(tmp_path):
    nb = good_notebook()
    nb.cells[4].source = nb.cells[4].source.replace("### END HIDDEN TESTS", "")
    _expect(lint(tmp_path, nb), "hidden", "unbalanced", cell=5)


def test_lint_written_answer_as_whole_cell_is_accepted(tmp_path):
    nb = good_notebook()
    nb.cells[5].source = "**Model answer.** Because.\n\n**Rubric (1 point).** Says why."
    assert lint(tmp_path, nb) == []


@pytest.mark.parametrize("code, fragment", [
    ("rng2 = np.random.default_rng()", "np.random.default_rng() has no seed"),
    ("np.random.seed()", "np.random.seed() has no seed"),
    ("x = np.random.rand(3)", "hidden global generator"),
    ("from sklearn.linear_model import LogisticRegression\n"
     "m = LogisticRegression(random_state=None)", "random_state=None"),
])
def test_lint_unseeded_randomness(tmp_path, code, fragment):
    nb = good_notebook()
    demo = new_code_cell(code)
    nb.cells.insert(2, demo)
    _expect(lint(tmp_path, nb), "seed", fragment, cell=3)


def test_lint_torch_needs_manual_seed(tmp_path):
    nb = good_notebook()
    nb.cells[1].source += "\nimport torch"
    _expect(lint(tmp_path, nb), "seed", "torch.manual_seed(SEED)")
    nb.cells[1].source += "\ntorch.manual_seed(SEED)"
    assert lint(tmp_path, nb) == []


def test_lint_syntax_error_is_named(tmp_path):
    nb = good_notebook()
    nb.cells[1].source += '\ndef f():\n    \\"\\"\\"doc\\"\\"\\"'
    _expect(lint(tmp_path, nb), "python", "not valid Python", cell=2)


def test_lint_magics_are_ignored(tmp_path):
    nb = good_notebook()
    nb.cells[1].source = "%matplotlib inline\n" + nb.cells[1].source
    assert lint(tmp_path, nb) == []


def test_lint_unreadable_file(tmp_path):
    path = tmp_path / "99_demo" / "99_demo.ipynb"
    path.parent.mkdir()
    path.write_text("{ not json")
    (error,) = lint_notebook(path)
    assert error.rule == "json" and "not a readable notebook" in str(error)


def test_lint_cells_that_are_not_objects(tmp_path):
    path = tmp_path / "99_demo" / "99_demo.ipynb"
    path.parent.mkdir()
    for bad in ('{"cells": 5, "metadata": {}}', '{"cells": ["print(1)"], "metadata": {}}',
                '{"cells": [], "metadata": []}', '{"cells": [], "nbformat_minor": "5"}'):
        path.write_text(bad)
        (error,) = lint_notebook(path)
        assert error.rule == "json" and "'cells' must be a list of cell objects" in str(error)


def test_lint_command_exit_status(tmp_path, capsys):
    nb = good_notebook()
    assert lint_main([str(write(tmp_path, nb))]) == 0
    del nb.cells[4]
    assert lint_main([str(write(tmp_path, nb))]) == 1
    out = capsys.readouterr().out
    assert "[hidden]" in out and "1 problem(s)" in out


# --- preprocessors ----------------------------------------------------------------------------

def test_limit_output_size_cuts_long_lines_and_many_lines():
    cell = new_code_cell("print('x' * 10**6)")
    cell.outputs = [new_output("stream", name="stdout", text="x" * 1_000_000),
                    new_output("stream", name="stdout", text="\n".join(map(str, range(5000)))),
                    new_output("display_data", data={"text/plain": "y" * 100_000,
                                                     "image/png": "A" * 100_000})]
    pp = LimitOutputSize(max_chars=1000, max_lines=100)
    cell, _ = pp.preprocess_cell(cell, {}, 0)
    total = sum(len(o.get("text", "")) for o in cell.outputs)
    assert total < 3000
    assert "Output truncated" in cell.outputs[0].text
    assert len(cell.outputs[-1].data["text/plain"]) < 1100
    assert "image/png" not in cell.outputs[-1].data


def test_limit_output_size_leaves_small_outputs_alone():
    cell = new_code_cell("print('hi')")
    cell.outputs = [new_output("stream", name="stdout", text="hi\n")]
    cell, _ = LimitOutputSize().preprocess_cell(cell, {}, 0)
    assert cell.outputs[0].text == "hi\n"


def test_scrub_hidden_test_outputs_keeps_only_the_message():
    test_cell = {"nbgrader": {"grade": True, "solution": False, "grade_id": "t", "points": 1}}
    cell = new_code_cell("# Hidden tests\n### BEGIN HIDDEN TESTS\nassert secret_value == 3, 'wrong sign'\n"
                         "### END HIDDEN TESTS", metadata=test_cell)
    cell.outputs = [new_output("stream", name="stdout", text="secret data 123"),
                    new_output("error", ename="AssertionError", evalue="wrong sign",
                               traceback=["----> 3 assert secret_value == 3, 'wrong sign'",
                                          "AssertionError: wrong sign"])]
    cell, _ = ScrubHiddenTestOutputs().preprocess_cell(cell, {}, 0)
    assert len(cell.outputs) == 1
    assert cell.outputs[0].traceback == ["AssertionError: wrong sign"]
    visible = ScrubHiddenTestOutputs().preprocess_cell(
        new_code_cell("assert 1 == 2"), {}, 0)[0]
    assert visible.source == "assert 1 == 2"


def test_scrubber_reads_the_hidden_test_markers_from_clear_hidden_tests():
    # One setting (nbgrader's ClearHiddenTests) changes what is removed and what is scrubbed.
    from traitlets.config import Config

    config = Config()
    config.ClearHiddenTests.begin_test_delimeter = "BEGIN SECRET CHECKS"
    scrubber = ScrubHiddenTestOutputs(config=config)
    assert scrubber.begin_test_delimeter == "BEGIN SECRET CHECKS"
    cell = new_code_cell("### BEGIN SECRET CHECKS\nassert x, 'no'\n### END SECRET CHECKS",
                         metadata={"nbgrader": {"grade": True, "solution": False, "grade_id": "t", "points": 1}})
    cell.outputs = [new_output("stream", name="stdout", text="secret")]
    assert scrubber.preprocess_cell(cell, {}, 0)[0].outputs == []
    assert ScrubHiddenTestOutputs().begin_test_delimeter == "BEGIN HIDDEN TESTS"


def test_stderr_of_graded_cells_only_is_moved():
    from imbalance_kit.grading.preprocessors import StderrToStdout, stderr_zero_note

    graded = new_code_cell("f()", metadata={"nbgrader": {"grade": True, "points": 1, "grade_id": "t"}})
    plain = new_code_cell("f()")
    for cell in (graded, plain):
        cell.outputs = [new_output("stream", name="stderr", text="UserWarning: x\n")]
    assert stderr_zero_note(graded) == "wrote to stderr: UserWarning: x"
    assert [c.outputs[0].name for c in (StderrToStdout().preprocess_cell(graded, {}, 0)[0],
                                         StderrToStdout().preprocess_cell(plain, {}, 0)[0])] == ["stdout", "stderr"]
    assert stderr_zero_note(graded) == ""  # nothing left that nbgrader would score 0


def test_copied_cells_keep_the_copy_most_like_the_source():
    from imbalance_kit.grading.preprocessors import DeduplicateGradeIds, choose_graded_copies

    meta = {"nbgrader": {"grade_id": "a_answer", "solution": True, "grade": False, "locked": False}}
    cells = [new_code_cell("raise NotImplementedError()", metadata=json.loads(json.dumps(meta))),
             new_code_cell("return 2 * x", metadata=json.loads(json.dumps(meta))),
             new_code_cell("return 2*x  # tried", metadata=json.loads(json.dumps(meta)))]
    assert choose_graded_copies(cells, {"a_answer": "return 2 * x"}) == {"a_answer": (1, [0, 2])}
    assert choose_graded_copies(cells[:1] * 2) == {"a_answer": (0, [1])}  # a tie: the first
    nb = new_notebook(cells=cells + [new_code_cell("x", metadata={"nbgrader": {}})])
    nb, _ = DeduplicateGradeIds().preprocess(nb, {})
    assert ["nbgrader" in c.metadata for c in nb.cells] == [True, False, False, False]


# --- self-grade input checks (no grading run) ----------------------------------------------------

def test_check_notebook_file_names_the_file(tmp_path):
    missing = tmp_path / "nope.ipynb"
    with pytest.raises(GradingError, match="nope.ipynb: no such file"):
        check_notebook_file(missing)
    txt = tmp_path / "notes.txt"
    txt.write_text("hello")
    with pytest.raises(GradingError, match=r"notes.txt: not a notebook \(the file name must end in .ipynb\)"):
        check_notebook_file(txt)
    bad = tmp_path / "00_start_here.ipynb"
    bad.write_text("{ not json")
    with pytest.raises(GradingError, match="00_start_here.ipynb: not valid JSON"):
        check_notebook_file(bad)
    bad.write_text('{"hello": 1}')
    with pytest.raises(GradingError, match="00_start_here.ipynb: valid JSON but not a Jupyter notebook"):
        check_notebook_file(bad)
    with pytest.raises(GradingError, match="not a file"):
        check_notebook_file(tmp_path)


def test_check_notebook_file_unreadable(tmp_path, monkeypatch):
    path = tmp_path / "00_start_here.ipynb"
    nbformat.write(new_notebook(), path)
    check_notebook_file(path)  # a valid notebook passes

    def refuse(self, *args, **kwargs):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(type(path), "read_text", refuse)
    with pytest.raises(GradingError, match=r"00_start_here.ipynb: cannot be read \(Permission denied\)"):
        check_notebook_file(path)


def test_check_notebook_file_invalid_schema(tmp_path):
    path = tmp_path / "00_start_here.ipynb"
    path.write_text(json.dumps({"cells": [{"cell_type": "banana", "id": "c1"}], "metadata": {},
                                "nbformat": 4, "nbformat_minor": 5}))
    with pytest.raises(GradingError, match="00_start_here.ipynb: not a valid notebook"):
        check_notebook_file(path)


def test_identify_assignment_by_file_or_folder(tmp_path):
    assert identify_assignment("somewhere/00_start_here.ipynb", ROOT) == "00_start_here"
    assert identify_assignment("notebooks/00_start_here/my copy.ipynb", ROOT) == "00_start_here"
    with pytest.raises(GradingError, match="not a known assignment.*00_start_here"):
        identify_assignment(tmp_path / "42_nothing" / "42_nothing.ipynb", ROOT)


def test_selfgrade_command_reports_bad_input(tmp_path, capsys):
    bad = tmp_path / "00_start_here.ipynb"
    bad.write_text("not json at all")
    assert selfgrade_main([str(bad)]) == 1
    err = capsys.readouterr().err
    assert "00_start_here.ipynb: not valid JSON" in err and "Traceback" not in err
    other = tmp_path / "99_unknown.ipynb"
    nbformat.write(new_notebook(), other)
    assert selfgrade_main([str(other)]) == 1
    assert "not a known assignment" in capsys.readouterr().err


def test_selfgrade_rejects_a_bad_timeout_before_grading(capsys):
    path = ROOT / "notebooks" / "00_start_here" / "00_start_here.ipynb"
    assert selfgrade_main([str(path), "--timeout", "0"]) == 1
    err = capsys.readouterr().err
    assert "error: timeout must be >= 1, got 0." in err and "Traceback" not in err


# --- command-line and classroom input checks (nothing is graded) ------------------------------

def test_release_command_reports_an_unknown_assignment(capsys, monkeypatch):
    monkeypatch.chdir(ROOT)
    assert release_main(["42_nothing"]) == 1
    err = capsys.readouterr().err
    assert err.startswith("error: unknown assignment '42_nothing'") and "00_start_here" in err


@pytest.mark.parametrize("kwargs, match", [
    (dict(workers=0), "workers must be >= 1"),
    (dict(chunk_size=0), "chunk_size must be >= 1"),
    (dict(timeout=-5), "timeout must be >= 1"),
    (dict(workers=1.5), "workers must be an integer"),
])
def test_classroom_autograde_rejects_bad_settings(tmp_path, kwargs, match):
    with pytest.raises(ValueError, match=match):
        classroom.autograde(course=tmp_path, progress=False, **kwargs)


def test_classroom_command_reports_bad_settings(tmp_path, capsys):
    assert classroom.main(["--course", str(tmp_path), "autograde", "--chunk-size", "0"]) == 1
    err = capsys.readouterr().err
    assert "error: chunk_size must be >= 1, got 0." in err and "Traceback" not in err


def test_classroom_needs_a_gradebook(tmp_path, capsys):
    course = tmp_path / "class"
    make_course(["00_start_here"], root=ROOT, dest=course)  # solutions copied, never released
    with pytest.raises(GradingError, match="no gradebook.db; run 'classroom release' first"):
        classroom.autograde(course=course, progress=False)
    with pytest.raises(GradingError, match="no gradebook.db; release and autograde first"):
        classroom.export_grades(tmp_path / "grades.csv", course=course)
    assert not (course / "gradebook.db").exists(), "export must not create an empty gradebook"
    assert classroom.main(["--course", str(tmp_path / "nowhere"), "export"]) == 1
    assert "no gradebook.db" in capsys.readouterr().err


def test_select_assignments_checks_every_name_first(tmp_path):
    assert select_assignments(None, ROOT) == select_assignments([], ROOT) == ASSIGNMENTS
    assert select_assignments(["00_start_here"], ROOT) == ["00_start_here"]
    with pytest.raises(GradingError, match="unknown assignment '42_nothing'; the course has: 00_start_here"):
        select_assignments(["00_start_here", "42_nothing"], ROOT)
    # A single string would be read letter by letter ('0', '0', '_', ...).
    for call in (lambda: select_assignments("00_start_here", ROOT),
                 lambda: make_course("00_start_here", root=ROOT, dest=tmp_path / "c"),
                 lambda: classroom.release("00_start_here", course=tmp_path / "c", root=ROOT),
                 lambda: classroom.collect(tmp_path, "00_start_here", course=tmp_path / "c")):
        with pytest.raises(TypeError, match=r"names must be a list of assignment names .*'00_start_here'"):
            call()
    assert not (tmp_path / "c").exists(), "nothing is created before the names are checked"
    with pytest.raises(GradingError, match="unknown assignment '42_nothing'"):
        lint_course(ROOT, ["42_nothing"])


def test_exit_status_turns_errors_into_one_line(capsys):
    def bad():
        raise GradingError("x.ipynb: no such file")

    assert exit_status(bad) == 1 and capsys.readouterr().err == "error: x.ipynb: no such file\n"
    assert exit_status(lambda: None) == 0 and exit_status(lambda: 3) == 3


def test_course_root_is_found_from_a_subfolder():
    assert course_root(ROOT / "solutions") == ROOT
    assert "00_start_here" in ASSIGNMENTS


# --- JupyterLab: visible tests and the Validate button ---------------------------------------

def _jupyter(*args):
    import subprocess
    import sys
    from pathlib import Path

    jupyter = Path(sys.executable).parent / "jupyter"
    proc = subprocess.run([str(jupyter), *args], capture_output=True, text=True, cwd=ROOT)
    return proc.stdout + proc.stderr


def test_nbgrader_extensions_are_enabled_in_the_venv():
    import re

    lab = _jupyter("labextension", "list")
    assert re.search(r"@jupyter/nbgrader v0\.9\.6 .*enabled", lab), lab
    server = _jupyter("server", "extension", "list")
    for ext in ("validate_assignment", "assignment_list", "formgrader"):
        assert re.search(rf"nbgrader\.server_extensions\.{ext} .*enabled", server), server


@pytest.mark.parametrize("value, expected", [(None, 300), ("7", 7), ("0", 300), ("ten", 300), ("2.5", 300)])
def test_config_cell_timeout_never_breaks_the_config(monkeypatch, capsys, value, expected):
    # An exception in nbgrader_config.py would make nbgrader ignore the whole file.
    from traitlets.config.loader import PyFileConfigLoader

    if value is None:
        monkeypatch.delenv("IMBALANCE_KIT_CELL_TIMEOUT", raising=False)
    else:
        monkeypatch.setenv("IMBALANCE_KIT_CELL_TIMEOUT", value)
    config = PyFileConfigLoader("nbgrader_config.py", path=str(ROOT)).load_config()
    assert config.Execute.timeout == expected
    assert config.CourseDirectory.source_directory == "solutions"
    err = capsys.readouterr().err
    if value in ("0", "ten", "2.5"):
        assert f"IMBALANCE_KIT_CELL_TIMEOUT must be a whole number of seconds >= 1, got {value!r}" in err
    else:
        assert "warning" not in err
