"""Grading policies on a tiny assignment: stderr, copied graded cells, thread caps, grade export, progress.

Every test grades through the real paths (``self_grade`` and ``classroom``),
on ``99_tiny`` (a few cells), so a kernel run costs seconds.
"""

import csv
import datetime
import subprocess
import sys
import uuid

import nbformat
import pytest

from imbalance_kit.grading import classroom
from imbalance_kit.grading.cache import prepared_assignment, source_key
from imbalance_kit.grading.course import GradingError, open_gradebook
from imbalance_kit.grading.engine import worker_threads
from imbalance_kit.grading.release import release
from imbalance_kit.grading.selfgrade import format_progress, format_report, grade_progress, self_grade

from .test_grading_helpers import (
    NO_SANDBOX_FLAG, ROOT, SANDBOX, TINY, grade_cell, html_text, learner_copy, tiny_course, tiny_notebook,
)

pytestmark = pytest.mark.slow

NOISY_ANSWER = """\
    from sklearn.metrics import precision_score
    from tqdm import tqdm
    # What pandas prints for a deprecated call; the same stderr path as pandas' own.
    warnings.warn("DataFrame.swapaxes is deprecated and will be removed", FutureWarning)
    for _ in tqdm(range(3), desc="counting"):
        pass
    precision_score([0, 1], [0, 0])  # scikit-learn: UndefinedMetricWarning (no positive prediction)
    np.float64(0) / np.float64(0)  # NumPy: RuntimeWarning: invalid value encountered
    return float(np.mean(np.asarray(y) == 1))"""


def _scores(result):
    return {s.grade_id: (s.score, s.max_score) for s in result.scores}


def _auto(result):
    return result.auto_score, result.auto_max_score


# --- A. stderr of graded cells -----------------------------------------------------------------

def test_correct_answer_with_warnings_and_a_progress_bar_gets_full_marks(tmp_path):
    nb = tiny_notebook(NOISY_ANSWER)
    root = tiny_course(tmp_path, nb)
    result = self_grade(learner_copy(tmp_path, nb), root=root, timeout=120)
    assert _auto(result) == (3, 3), [(s.grade_id, s.score, s.error) for s in result.scores]
    assert not [s for s in result.scores if s.error]


def test_without_the_policy_stderr_costs_the_points_and_says_why(tmp_path):
    # Where StderrToStdout does not run (plain nbgrader settings), nbgrader's rule applies:
    # the report and the feedback name the cause instead of an unexplained 0.
    config = (ROOT / "nbgrader_config.py").read_text()
    assert "    GuardedExecute,\n    StderrToStdout,\n" in config
    nb = tiny_notebook(NOISY_ANSWER)
    root = tiny_course(tmp_path, nb, config=config.replace("    GuardedExecute,\n    StderrToStdout,\n",
                                                               "    GuardedExecute,\n"))
    result = self_grade(learner_copy(tmp_path, nb), root=root, timeout=120, feedback=True)
    visible = next(s for s in result.scores if s.grade_id == "rate_visible")
    assert visible.score == 0 and visible.error.startswith("wrote to stderr: "), visible
    assert "wrote to stderr: " in format_report(result)
    text = html_text(result.feedback_path)
    assert "wrote to stderr: " in text and "nbgrader gives 0 points" in text


# --- B. a graded cell copied in JupyterLab (same grade_id twice) -------------------------------

def _with_copies():
    nb = tiny_notebook()
    release_stub = "def positive_rate(y):\n    \"\"\"Share of 1s.\"\"\"\n    # YOUR CODE HERE\n    " \
                   "raise NotImplementedError()"
    stub = nbformat.from_dict(dict(grade_cell(nb, "rate_answer"), source=release_stub, id=uuid.uuid4().hex[:8]))
    answer_index = nb.cells.index(grade_cell(nb, "rate_answer"))
    nb.cells.insert(answer_index, stub)  # the untouched stub above the learner's working copy
    visible = grade_cell(nb, "rate_visible")
    copy = nbformat.from_dict(dict(visible, id=uuid.uuid4().hex[:8]))
    nb.cells.insert(nb.cells.index(visible) + 1, copy)  # JupyterLab pastes below
    return nb


def test_selfgrade_grades_a_notebook_with_copied_graded_cells(tmp_path):
    root = tiny_course(tmp_path)
    path = learner_copy(tmp_path, _with_copies())
    result = self_grade(path, root=root, timeout=120)
    assert _auto(result) == (3, 3), [(s.grade_id, s.score, s.error) for s in result.scores]
    assert sorted(s.grade_id for s in result.scores) == ["rate_hidden_count", "rate_visible", "why_written"]
    notes = "\n".join(result.notes)
    # The copy most like the instructor's cell is graded: the working answer, not the stub.
    assert "grade_id 'rate_answer' is on 2 cells (a copied cell?): graded cell 4; cell 3 ran as" in notes
    assert "grade_id 'rate_visible' is on 2 cells (a copied cell?): graded cell 5; cell 6 ran as" in notes
    assert "note: grade_id 'rate_visible'" in format_report(result)


def test_nbgrader_alone_cannot_grade_copied_cells(tmp_path):
    # The failure the course's DeduplicateGradeIds prevents (so the test above can fail).
    config = (ROOT / "nbgrader_config.py").read_text().replace(
        "    ClearOutput,\n    DeduplicateGradeIds,\n", "    ClearOutput,\n    DeduplicateIds,\n")
    config = config.replace("from nbgrader.preprocessors import (\n",
                            "from nbgrader.preprocessors import (\n    DeduplicateIds,\n", 1)
    root = tiny_course(tmp_path, config=config)
    with pytest.raises(GradingError, match="KeyError: 'grade_id'"):
        self_grade(learner_copy(tmp_path, _with_copies()), root=root, timeout=120)


def test_classroom_grades_copied_cells_and_reports_them(tmp_path, capsys):
    root = tiny_course(tmp_path)
    course, inbox = tmp_path / "class", tmp_path / "inbox"
    classroom.release([TINY], course=course, root=root)
    learner_copy(inbox, _with_copies(), folder="alice")
    learner_copy(inbox, tiny_notebook(), folder="bob")
    classroom.collect(inbox, [TINY], course=course)
    assert classroom.main(["--course", str(course), "autograde", "--workers", "1", *NO_SANDBOX_FLAG]) == 0
    out = capsys.readouterr().out
    assert "note alice/99_tiny: grade_id 'rate_visible' is on 2 cells" in out and "note bob" not in out
    with open_gradebook(course) as gb:
        assert gb.find_submission(TINY, "alice").score == gb.find_submission(TINY, "bob").score == 3


def test_deleted_answer_and_test_cells_do_not_make_the_notebook_ungradable(tmp_path):
    # nbgrader alone fails with KeyError: 'rate_answer' when it puts the deleted test back.
    nb = tiny_notebook()
    nb.cells = [c for c in nb.cells
                if c.metadata.get("nbgrader", {}).get("grade_id") not in ("rate_answer", "rate_visible")]
    root = tiny_course(tmp_path)
    result = self_grade(learner_copy(tmp_path, nb), root=root, timeout=120)
    scores = {s.grade_id: s for s in result.scores}
    assert scores["rate_visible"].score == 0 and "NameError" in scores["rate_visible"].error
    assert _auto(result) == (0, 3)


# --- C. threads per worker, and the export against nbgrader's own -----------------------------

THREADS_PROBE = ('\nprint("threads", os.environ.get("OMP_NUM_THREADS"), os.environ.get("OPENBLAS_NUM_THREADS"), '
                 'os.environ.get("MKL_NUM_THREADS"))')


def test_classroom_threads_and_export_agree_with_nbgrader(tmp_path):
    nb = tiny_notebook(extra_test=THREADS_PROBE)
    root = tiny_course(tmp_path, nb)
    course, inbox = tmp_path / "class", tmp_path / "inbox"
    classroom.release([TINY], course=course, root=root)
    due = datetime.datetime(2026, 1, 1, 12, 0)
    with open_gradebook(course) as gb:
        gb.update_or_create_assignment(TINY, duedate=due)
        gb.update_or_create_student("carol")  # on the roster, never submits
    for student, stamp in (("alice", "2026-01-01 09:00:00"), ("bob", "2026-01-03 09:00:00")):
        path = learner_copy(inbox, nb, folder=student)
        (path.parent / "timestamp.txt").write_text(stamp)
    classroom.collect(inbox, [TINY], course=course)
    results = classroom.autograde([TINY], course=course, workers=2, chunk_size=1, progress=False, timeout=120,
                                  sandbox=SANDBOX)
    assert [r.ok for r in results] == [True, True], [r.error for r in results]

    # Each worker's kernel saw its share of the cores.
    share = str(worker_threads(2))
    for student in ("alice", "bob"):
        graded = nbformat.read(course / "autograded" / student / TINY / f"{TINY}.ipynb", as_version=4)
        printed = "".join(o.get("text", "") for o in grade_cell(graded, "rate_visible").outputs)
        assert f"threads {share} {share} {share}" in printed, printed

    # A late penalty of 1 point for bob (what a LateSubmissionPlugin would assign).
    with open_gradebook(course) as gb:
        gb.find_submission_notebook(TINY, TINY, "bob").late_submission_penalty = 1.0
        gb.db.commit()
    ours = tmp_path / "ours.csv"
    assert classroom.export_grades(ours, course=course) == 3
    theirs = tmp_path / "theirs.csv"
    proc = subprocess.run([sys.executable, "-m", "nbgrader", "export", "--to", str(theirs)],
                          cwd=course, capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr[-2000:]
    mine = {(r["student_id"], r["assignment"]): r for r in csv.DictReader(ours.open())}
    nbg = {(r["student_id"], r["assignment"]): r for r in csv.DictReader(theirs.open())}
    assert sorted(mine) == sorted(nbg) == [("alice", TINY), ("bob", TINY), ("carol", TINY)]
    for key, row in nbg.items():
        for column in ("timestamp", "duedate", "raw_score", "late_submission_penalty", "score", "max_score"):
            assert mine[key][column] == row[column], (key, column, mine[key][column], row[column])
    assert float(mine["bob", TINY]["raw_score"]) == 3 and float(mine["bob", TINY]["score"]) == 2
    assert float(mine["alice", TINY]["score"]) == 3 and mine["alice", TINY]["auto_score"] == "3"
    assert mine["carol", TINY]["submitted"] == "false" and float(mine["carol", TINY]["score"]) == 0
    assert mine["bob", TINY]["needs_manual_grade"] == "true" and mine["carol", TINY]["auto_max_score"] == "3"


# --- E. the cache, and `make grade` without NB= (the progress view) ----------------------------

def test_cache_key_follows_the_source_and_the_config(tmp_path):
    root = tiny_course(tmp_path)
    key = source_key(TINY, root)
    assert source_key(TINY, root) == key
    (root / "solutions" / TINY / "data.csv").write_text("a,b\n1,2\n")
    with_data = source_key(TINY, root)
    assert with_data != key
    (root / "nbgrader_config.py").write_text((root / "nbgrader_config.py").read_text() + "\n# edited\n")
    assert source_key(TINY, root) not in (key, with_data)
    # A checkpoint folder does not count.
    (root / "solutions" / TINY / ".ipynb_checkpoints").mkdir()
    (root / "solutions" / TINY / ".ipynb_checkpoints" / "x.ipynb").write_text("{}")
    assert source_key(TINY, root) == source_key(TINY, root)


def test_progress_grades_only_changed_notebooks_and_reuses_the_cache(tmp_path):
    root = tiny_course(tmp_path)
    release([TINY], root=root)
    learner = tmp_path / "mine"
    learner_copy(tmp_path, nbformat.read(root / "notebooks" / TINY / f"{TINY}.ipynb", as_version=4),
                 folder="mine")
    (row,) = grade_progress(folder=learner, root=root)
    assert row.state == "not started" and row.result is None
    template = prepared_assignment(TINY, root=root)
    built = (template / "gradebook.db").stat().st_mtime_ns

    path = learner_copy(tmp_path, tiny_notebook(), folder="mine")  # the learner solved it
    before = (path.read_bytes(), path.stat().st_mtime_ns)
    (row,) = grade_progress(folder=learner, root=root, timeout=120)
    assert row.state == "graded" and _auto(row.result) == (3, 3)
    assert (path.read_bytes(), path.stat().st_mtime_ns) == before, "the learner's notebook was modified"
    assert (template / "gradebook.db").stat().st_mtime_ns == built, "the cached assignment was rebuilt"
    table = format_progress([row])
    assert "3 / 3" in table and " s " in table and "1 of 1 notebook(s) graded" in table

    # Editing the solution builds a new cache entry and removes the old one.
    (root / "solutions" / TINY / "notes.txt").write_text("new data file")
    assert prepared_assignment(TINY, root=root) != template and not template.exists()
