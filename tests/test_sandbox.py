"""The sandbox and its pieces: refusal without it, what a sandboxed kernel sees, the scrubbers, the reports.

The full hostile batch is in tests/test_redteam.py; here each piece is checked
on its own, with small notebooks that import nothing heavy.
"""

import json
import re
from pathlib import Path

import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook, new_output

from imbalance_kit.grading import classroom, sandbox, selfgrade
from imbalance_kit.grading.course import GradingError
from imbalance_kit.grading.preprocessors import (
    REMOVED_LINE, ClearInstructorHiddenTests, ScrubHiddenTestOutputs, ScrubInstructorSource,
    instructor_secret_lines,
)

from .test_grading_helpers import ROOT, load, secret_lines

NAME = "00_start_here"
SOURCE = ROOT / "solutions" / NAME / f"{NAME}.ipynb"
needs_sandbox = pytest.mark.skipif(bool(sandbox.sandbox_problem()),
                                   reason=f"no sandbox here: {sandbox.sandbox_problem()}")


# --- refusal without the sandbox -------------------------------------------------------------

@pytest.mark.parametrize("problem, expected", [
    (lambda mp: mp.setattr(sandbox.sys, "platform", "darwin"), "needs Linux"),
    (lambda mp: mp.setattr(sandbox.shutil, "which", lambda name: None), "not installed"),
])
def test_sandbox_problem_names_what_is_missing(monkeypatch, problem, expected):
    problem(monkeypatch)
    assert expected in sandbox.sandbox_problem()


def test_sandbox_problem_when_namespaces_are_refused(monkeypatch):
    import subprocess

    refused = subprocess.CompletedProcess([], 1, stdout="", stderr="bwrap: No permissions to create new namespace")
    monkeypatch.setattr(sandbox.subprocess, "run", lambda *args, **kwargs: refused)
    monkeypatch.setattr(sandbox.os, "geteuid", lambda: 1000)
    sandbox._trial_problem.cache_clear()
    try:
        problem = sandbox.sandbox_problem()
    finally:
        sandbox._trial_problem.cache_clear()
    assert "No permissions to create new namespace" in problem
    assert "unprivileged user namespaces" in problem


def test_classroom_refuses_without_the_sandbox_and_says_how_to_install_it(monkeypatch, tmp_path, capsys):
    monkeypatch.setattr(sandbox.shutil, "which", lambda name: None)
    with pytest.raises(GradingError, match=r"apt-get install bubblewrap.*--no-sandbox"):
        classroom.autograde(course=tmp_path)
    assert classroom.main(["--course", str(tmp_path), "autograde"]) == 1
    assert "bubblewrap (bwrap) is not installed" in capsys.readouterr().err
    # --no-sandbox gets past the check (and fails later, on the empty folder, for its own reason).
    assert classroom.main(["--course", str(tmp_path), "autograde", "--no-sandbox"]) == 1
    assert "no released assignment" in capsys.readouterr().err


def test_selfgrade_sandbox_is_opt_in(monkeypatch, tmp_path):
    monkeypatch.setattr(sandbox.shutil, "which", lambda name: None)
    notebook = tmp_path / NAME / f"{NAME}.ipynb"
    notebook.parent.mkdir()
    notebook.write_bytes(SOURCE.read_bytes())
    with pytest.raises(GradingError, match="cannot sandbox"):
        selfgrade.self_grade(notebook, root=ROOT, sandbox=True)


def test_enable_replaces_nbgrader_execute_in_an_old_config():
    from nbgrader.preprocessors import Execute, SaveAutoGrades
    from traitlets.config import Config

    config = Config()
    config.Autograde.autograde_preprocessors = [Execute, SaveAutoGrades]
    sandbox.enable(config, sandbox=True, report_dir="/tmp/reports")
    assert config.Autograde.autograde_preprocessors == [sandbox.GuardedExecute, SaveAutoGrades]
    assert config.GuardedExecute.sandbox is True and config.GuardedExecute.report_dir == "/tmp/reports"


# --- a sandboxed kernel ----------------------------------------------------------------------

def _run(cells, folder, sandboxed=True, timeout=30, **kwargs):
    nb = new_notebook(cells=[new_code_cell(c) for c in cells])
    nb.metadata.kernelspec = {"name": "python3", "display_name": "Python 3", "language": "python"}
    reports = folder.parent / "reports"
    ep = sandbox.GuardedExecute(sandbox=sandboxed, timeout=timeout, iopub_timeout=30,
                                report_dir=str(reports), **kwargs)
    ep.preprocess(nb, {"metadata": {"path": str(folder)},
                       "nbgrader": {"student": "s", "assignment": "a", "notebook": "n"}})
    return nb, sandbox.read_report(reports, "s", "a", "n")


def _text(cell):
    return "".join(o.get("text", "") or f"{o.get('ename')}: {o.get('evalue')}" for o in cell.outputs)


@needs_sandbox
def test_sandboxed_kernel_sees_only_its_folder_and_no_network(tmp_path):
    folder = tmp_path / "course" / "autograded" / "alice" / NAME
    folder.mkdir(parents=True)
    (folder / "data.csv").write_text("a,b\n")
    (tmp_path / "course" / "gradebook.db").write_text("secret")
    nb, report = _run([
        "import os; print(sorted(os.listdir('.')), os.getuid() != 0)",
        "print(os.listdir('..'), os.listdir('../..'), os.path.exists('../../../gradebook.db'))",
        f"print(os.path.exists({str(ROOT / 'solutions')!r}), os.path.exists({str(ROOT / 'imbalance_kit')!r}))",
        "open('new.txt', 'w').write('x'); print(open('data.csv').read().strip())",
        "try:\n    open('../../../gradebook.db')\nexcept OSError as e:\n    print(type(e).__name__)",
        "import socket\ntry:\n    socket.create_connection(('127.0.0.1', 22), timeout=2)\n"
        "except OSError as e:\n    print('refused', e.errno)",
        "import imbalance_kit.metrics; print('kit ok')",
    ], folder)
    out = [_text(c) for c in nb.cells]
    assert out[0] == "['data.csv'] True\n"  # its own folder, as an unprivileged user
    assert out[1] == "['00_start_here'] ['alice'] False\n"  # nothing else of the grading folder
    assert out[2] == "False True\n"  # no solutions/, the kit read-only
    assert out[3] == "a,b\n"
    assert out[4] == "FileNotFoundError\n"
    assert out[5].startswith("refused")  # its own loopback: nothing listens there
    assert out[6] == "kit ok\n"
    assert not (folder / "new.txt").exists()  # it wrote into a scratch copy
    lines = sandbox.integrity_lines(report)
    assert any("tried to open or list outside its folder" in line and "gradebook.db" in line for line in lines), lines
    assert any("tried the network" in line and "22" in line for line in lines)


@needs_sandbox
def test_the_scratch_folder_goes_with_the_notebook_even_when_the_kernel_died(tmp_path, monkeypatch):
    # A process-pool worker ends with os._exit (no finalizer runs) and keeps its preprocessor:
    # the folder must go when the notebook is done, not when the manager is collected.
    made = []
    real_mkdtemp = sandbox.tempfile.mkdtemp

    def recording_mkdtemp(*args, **kwargs):
        path = real_mkdtemp(*args, **kwargs)
        if kwargs.get("prefix") == "sbx-":
            made.append(path)
        return path

    monkeypatch.setattr(sandbox.tempfile, "mkdtemp", recording_mkdtemp)
    folder = tmp_path / "work"
    folder.mkdir()
    nb = new_notebook(cells=[new_code_cell("print('before')"), new_code_cell("import os; os._exit(3)")])
    nb.metadata.kernelspec = {"name": "python3", "display_name": "Python 3", "language": "python"}
    ep = sandbox.GuardedExecute(sandbox=True, timeout=30, iopub_timeout=30)
    ep.preprocess(nb, {"metadata": {"path": str(folder)}})
    assert nb.cells[1].outputs[-1].ename == "KernelDied"
    assert len(made) == 1
    assert not Path(made[0]).exists(), "the dead kernel's scratch folder outlived its notebook"


@needs_sandbox
def test_a_dying_kernel_costs_the_rest_of_the_notebook_not_the_grading(tmp_path):
    folder = tmp_path / "work"
    folder.mkdir()
    nb, report = _run(["print('before')", "import os; os._exit(7)", "print('after')", "x = 1"], folder,
                      max_output_chars=100)
    assert _text(nb.cells[0]) == "before\n"
    assert nb.cells[1].outputs[-1].ename == "KernelDied"
    assert "exited with status 7" in nb.cells[1].outputs[-1].evalue
    assert [o.ename for c in nb.cells[2:] for o in c.outputs] == ["NotRun", "NotRun"]
    assert ["kernel", "cell 2: the kernel exited with status 7 (os._exit or a crash)"] in report["events"]


@needs_sandbox
def test_cpu_time_limit_from_the_config(tmp_path):
    from traitlets.config import Config

    config = Config()
    config.SandboxKernelManager.cpu_seconds = 2
    folder = tmp_path / "work"
    folder.mkdir()
    nb, report = _run(["while True:\n    pass", "print('after')"], folder, config=config)
    assert "the kernel hit the CPU-time limit" in nb.cells[0].outputs[-1].evalue
    assert nb.cells[1].outputs[0].ename == "NotRun"
    assert ["limit", "cell 1: the kernel hit the CPU-time limit"] in report["events"]


@needs_sandbox
def test_output_cap_and_patch_probe(tmp_path):
    folder = tmp_path / "work"
    folder.mkdir()
    nb, report = _run(["print('y' * 5000)",
                       "import math\nmath.isclose = lambda *a, **k: True\n"
                       "import imbalance_kit.metrics as m\nsetattr(m, 'precision_at_k', lambda *a: 1.0)"],
                      folder, max_output_chars=1000)
    text = _text(nb.cells[0])
    assert text.startswith("y" * 1000) and "output over 1,000 characters dropped" in text
    assert len(text) < 1200
    assert report["patched"] == ["imbalance_kit.metrics.precision_at_k replaced by notebook code",
                                 "math.isclose replaced by notebook code"]
    assert ["limit", "cell 1: output over 1,000 characters; the rest was dropped"] in report["events"]


def test_guarded_execute_without_sandbox_grades_as_before(tmp_path):
    folder = tmp_path / "work"
    folder.mkdir()
    nb, report = _run(["x = 2", "print(x * 21)"], folder, sandboxed=False)
    assert _text(nb.cells[1]) == "42\n"
    assert report == {"sandboxed": False, "events": [], "patched": []}


def test_no_interrupt_at_shutdown_but_one_before():
    # jupyter_client interrupts every kernel before its shutdown; the sandbox's manager skips that
    # one (it raced the kernel's shutdown handler: "KeyboardInterrupt caught in kernel" on the
    # grader's terminal), and passes any other interrupt on (a timed-out cell is interrupted).
    import asyncio

    manager = sandbox.SandboxKernelManager()
    manager.shutting_down = True
    assert asyncio.run(manager._async_interrupt_kernel()) is None
    manager.shutting_down = False
    with pytest.raises(RuntimeError, match="No kernel is running"):
        asyncio.run(manager._async_interrupt_kernel())


# --- integrity report: static patch check ----------------------------------------------------

def test_patch_notes_find_patches_of_imported_modules():
    cells = [
        {"cell_type": "code", "source": "import numpy as np\nfrom imbalance_kit import metrics\n%matplotlib inline"},
        {"cell_type": "code", "source": "np.isclose = lambda *a, **k: True"},
        {"cell_type": "code", "source": "setattr(metrics, 'precision_at_k', print)\ndel np.testing.assert_allclose"},
        {"cell_type": "code", "source": "import sys\nsys.modules['numpy'] = None"},
        {"cell_type": "code", "source": "from unittest import mock\nmock.patch('numpy.isclose').start()"},
        {"cell_type": "markdown", "source": "np.isclose = 1 (only words)"},
        {"cell_type": "code", "source": "def f(x):\n    return x\nresult = np.mean([1, 2])\nclass A: pass\nA.x = 1"},
    ]
    assert sandbox.patch_notes(cells) == [
        "cell 2, line 1: assigns numpy.isclose (patches an imported module)",
        "cell 3, line 1: setattr on imbalance_kit.metrics (patches an imported module)",
        "cell 3, line 2: deletes numpy.testing.assert_allclose (patches an imported module)",
        "cell 4, line 2: replaces an entry of sys.modules",
        "cell 5, line 2: calls mock.patch (mock patching)",
    ]


def test_patch_notes_leave_honest_solutions_alone():
    for path in sorted((ROOT / "solutions").glob("*/*.ipynb")):
        assert sandbox.patch_notes(load(path)["cells"]) == [], path.name


def test_integrity_lines_group_and_shorten():
    report = {"events": [["path", f"/x/{i}"] for i in range(7)] + [["limit", "cell 3: MemoryError (memory limit?)"]],
              "patched": ["numpy.isclose replaced by notebook code"]}
    assert sandbox.integrity_lines(report, ["cell 2, line 1: assigns numpy.isclose"]) == [
        "tried to open or list outside its folder: /x/0, /x/1, /x/2, /x/3, /x/4 and 2 more",
        "cell 3: MemoryError (memory limit?)",
        "numpy.isclose replaced by notebook code",
        "cell 2, line 1: assigns numpy.isclose",
    ]
    assert sandbox.integrity_lines(None) == []


# --- instructor source never in outputs; delimiters only in instructor cells -----------------

def test_secret_lines_cover_every_hidden_and_solution_line_of_the_real_source():
    ours = instructor_secret_lines(load(SOURCE)["cells"])
    reference = {line for line in secret_lines(load(SOURCE)) if len(line) >= 12}
    assert reference and reference <= ours
    released = "\n".join("".join(c["source"]) for c in load(ROOT / "notebooks" / NAME / f"{NAME}.ipynb")["cells"])
    assert not [line for line in ours if line in released.splitlines()]


def test_scrub_instructor_source_in_every_kind_of_output():
    secret = "assert _counts[1] == int(_y.sum()), 'frauds'"
    scrub = ScrubInstructorSource()
    scrub.secret_lines = {secret}
    cell = new_code_cell("leak()")
    cell.outputs = [
        new_output("stream", name="stdout", text=f"ok\n{secret}\nok again\n"),
        new_output("execute_result", data={"text/plain": repr("x\n" + secret)}, execution_count=1),
        new_output("error", ename="RuntimeError", evalue=secret,
                   traceback=["\x1b[0;31mRuntimeError\x1b[0m", f"\x1b[0;32massert\x1b[0m{secret[6:]}"]),
    ]
    cell, _ = scrub.preprocess_cell(cell, {}, 0)
    assert cell.outputs[0].text == f"ok\n{REMOVED_LINE}\nok again\n"
    assert cell.outputs[1].data["text/plain"] == REMOVED_LINE
    assert cell.outputs[2].evalue == REMOVED_LINE and cell.outputs[2].traceback[1] == REMOVED_LINE
    assert cell.outputs[2].output_type == "error"  # still an error: the score does not change
    assert scrub.removed == 4


def test_scrub_reads_the_source_notebook_of_the_course(tmp_path):
    (tmp_path / "solutions" / NAME).mkdir(parents=True)
    (tmp_path / "solutions" / NAME / f"{NAME}.ipynb").write_bytes(SOURCE.read_bytes())
    from traitlets.config import Config

    config = Config()
    config.CourseDirectory.root = str(tmp_path)
    config.CourseDirectory.source_directory = "solutions"
    hidden = sorted(secret_lines(load(SOURCE), kinds=("hidden",)), key=len)[-1]
    nb = new_notebook(cells=[new_code_cell("print(In)")])
    nb.cells[0].outputs = [new_output("stream", name="stdout", text=hidden + "\n")]
    nb, _ = ScrubInstructorSource(config=config).preprocess(nb, {"nbgrader": {"assignment": NAME, "notebook": NAME}})
    assert nb.cells[0].outputs[0].text == REMOVED_LINE + "\n"


def test_delimiters_in_student_cells_are_only_text():
    answer = {"nbgrader": {"grade": False, "solution": True, "grade_id": "a", "locked": False}}
    test = {"nbgrader": {"grade": True, "solution": False, "grade_id": "t", "locked": True, "points": 1}}
    student = new_code_cell("# BEGIN HIDDEN TESTS\n# BEGIN HIDDEN TESTS\nx = 1", metadata=answer)
    student.outputs = [new_output("stream", name="stdout", text="mine\n")]
    ordinary = new_markdown_cell("BEGIN HIDDEN TESTS without an end")
    instructor = new_code_cell("check()\n### BEGIN HIDDEN TESTS\nassert x == 1\n### END HIDDEN TESTS", metadata=test)
    nb = new_notebook(cells=[student, ordinary, instructor])
    nb, _ = ScrubHiddenTestOutputs().preprocess(nb, {})
    nb, _ = ClearInstructorHiddenTests().preprocess(nb, {})
    assert nb.cells[0].source == "# BEGIN HIDDEN TESTS\n# BEGIN HIDDEN TESTS\nx = 1"
    assert nb.cells[0].outputs[0].text == "mine\n"
    assert nb.cells[1].source == "BEGIN HIDDEN TESTS without an end"
    assert nb.cells[2].source == "check()"


def test_course_config_uses_the_guarded_pieces():
    text = (ROOT / "nbgrader_config.py").read_text()
    for name in ("GuardedExecute,", "ScrubInstructorSource,", "ClearInstructorHiddenTests,",
                 "c.SandboxKernelManager.memory_mb"):
        assert name in text
    assert not re.search(r"^\s+ClearHiddenTests,$", text, re.M)


def test_reports_are_json(tmp_path):
    path = tmp_path / "s" / "a" / "n.json"
    path.parent.mkdir(parents=True)
    path.write_text(json.dumps({"sandboxed": True, "events": [], "patched": []}))
    assert sandbox.read_report(tmp_path, "s", "a", "n")["sandboxed"] is True
