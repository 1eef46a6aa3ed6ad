"""Classroom workflow on 00_start_here with every kind of bad submission.

One batch is released, collected, autograded in parallel (2 workers, a short
cell timeout), given feedback and exported; the same submissions are also
autograded by a plain sequential ``nbgrader autograde`` and the scores must
agree exactly. A copy of the collected batch is graded once more on a Dask
``LocalCluster`` (loopback, two worker processes: ``classroom autograde
--scheduler``) and must agree with the same sequential run. One submission
reports the threads its kernel's BLAS, OpenMP and torch pools use, which
checks the per-worker thread caps in both modes.

The three gradings share one sequential nbgrader run: each costs about a
minute, most of it the endless loop waiting for its cell timeouts. The pool
and Dask gradings are sandboxed where bubblewrap can run (``SANDBOX`` in
tests/test_grading_helpers.py).
"""

import copy
import csv
import json
import os
import shutil
import time

import dask
import distributed
import nbformat
import pytest

from imbalance_kit.grading import classroom
from imbalance_kit.grading.course import read_scores, run_nbgrader
from imbalance_kit.grading.engine import THREAD_VARIABLES, worker_threads

from .test_grading_helpers import NO_SANDBOX_FLAG, ROOT, SANDBOX, html_text, load, secret_lines

pytestmark = pytest.mark.slow

NAME = "00_start_here"
TIMEOUT = 20  # seconds per cell: long enough for a loaded CI machine, short for the endless loop
SOURCE = ROOT / "solutions" / NAME / f"{NAME}.ipynb"
RELEASE = ROOT / "notebooks" / NAME / f"{NAME}.ipynb"

# Autograded points each submission must get (6 possible; the written answer is graded by hand).
EXPECTED = {
    "blank": 0,     # the release as handed out
    "full": 6,      # the instructor's solution
    "loop": 4,      # imbalance_ratio loops forever on large inputs: both ratio cells score 0
    "raises": 0,    # every cell a learner can edit raises
    "deleted": 6,   # correct answers, both count tests deleted: they are put back and pass
    "edited": 4,    # inverted ratio, its tests replaced by `pass`: the originals are restored and fail
    "wrong": 2,     # classes swapped in the counts, accuracy of predicting the minority
    "bigprint": 6,  # correct, and prints megabytes
    "probe": 6,     # correct, and prints what its kernel's thread pools use (PROBE)
}
BROKEN = {"badjson": "{ this is not json", "notanotebook": '{"hello": "world"}'}


# A cell appended to a correct submission: what its kernel's thread pools use.
PROBE = f"""
import json, os
import numpy, sklearn.linear_model, torch, threadpoolctl
pools = {{f"{{p['user_api']}}:{{p['internal_api']}}": p['num_threads']
         for p in threadpoolctl.threadpool_info()}}
env = {{k: os.environ.get(k) for k in {list(THREAD_VARIABLES)!r}}}
print("THREADS " + json.dumps({{"pools": pools, "torch": torch.get_num_threads(), "env": env}}))
"""


def _cell(nb, grade_id):
    return next(c for c in nb.cells if c.metadata.get("nbgrader", {}).get("grade_id") == grade_id)


def _submissions():
    solution = nbformat.read(SOURCE, as_version=4)
    subs = {"blank": nbformat.read(RELEASE, as_version=4), "full": solution}

    nb = copy.deepcopy(solution)
    _cell(nb, "ratio_answer").source = (
        "def imbalance_ratio(y):\n    if len(y) > 4:\n        while True:\n            pass\n    return 3.0")
    subs["loop"] = nb

    nb = copy.deepcopy(solution)
    for cell in nb.cells:
        if cell.cell_type == "code" and not cell.metadata.get("nbgrader", {}).get("grade"):
            cell.source = 'raise RuntimeError("broken on purpose")\n' + cell.source
    subs["raises"] = nb

    nb = copy.deepcopy(solution)
    nb.cells = [c for c in nb.cells
                if c.metadata.get("nbgrader", {}).get("grade_id") not in ("counts_visible", "counts_hidden_classes")]
    subs["deleted"] = nb

    nb = copy.deepcopy(solution)
    _cell(nb, "ratio_answer").source = (
        "def imbalance_ratio(y):\n    counts = class_counts(y)\n"
        "    return min(counts.values()) / max(counts.values())")
    _cell(nb, "ratio_visible").source = "pass"
    _cell(nb, "ratio_hidden_majority").source = "pass"
    subs["edited"] = nb

    nb = copy.deepcopy(solution)
    _cell(nb, "counts_answer").source = (
        "def class_counts(y):\n    y = np.asarray(y)\n    return {0: int((y == 1).sum()), 1: int((y == 0).sum())}")
    _cell(nb, "accuracy_answer").source = (
        "def majority_accuracy(y):\n    counts = class_counts(y)\n"
        "    return min(counts.values()) / sum(counts.values())")
    subs["wrong"] = nb

    nb = copy.deepcopy(solution)
    nb.cells.append(nbformat.v4.new_code_cell(
        "print('x' * 3_000_000)\nfor i in range(50_000):\n    print(i)"))
    subs["bigprint"] = nb

    nb = copy.deepcopy(solution)
    nb.cells.append(nbformat.v4.new_code_cell(PROBE))
    subs["probe"] = nb
    return subs


def _alive(pid):
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


def grade_on_dask(course):
    """Grade ``course`` on a loopback LocalCluster; the results and the workers' process ids."""
    # Dask's scratch space (scheduler and workers) in this test's folder, not /tmp/dask-scratch-space.
    with dask.config.set({"temporary-directory": str(course.parent / "dask-space")}), \
            distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, host="127.0.0.1",
                                     dashboard_address=None, protocol="tcp") as cluster:
        assert cluster.scheduler_address.startswith("tcp://127.0.0.1:")
        results = classroom.autograde([NAME], course=course, timeout=TIMEOUT, progress=False,
                                      scheduler=cluster.scheduler_address, chunk_size=3, sandbox=SANDBOX)
        # The command line takes the same address (one regraded student).
        cli_status = classroom.main(["--course", str(course), "autograde", NAME, "--student", "wrong",
                                     "--timeout", str(TIMEOUT), "--scheduler", cluster.scheduler_address,
                                     *NO_SANDBOX_FLAG])
        with distributed.Client(cluster) as client:
            worker_pids = list(client.run(os.getpid).values())
    closed = cluster.status.name == "closed"
    # No worker process (nor, with it, a kernel it started) may outlive the cluster.
    deadline = time.monotonic() + 30
    while any(_alive(pid) for pid in worker_pids) and time.monotonic() < deadline:
        time.sleep(0.5)
    return {"course": course, "results": {r.student: r for r in results}, "cli_status": cli_status,
            "worker_pids": worker_pids, "closed": closed}


def grade_batch(tmp):
    course, inbox = tmp / "class", tmp / "inbox"
    classroom.release([NAME], course=course, root=ROOT)
    for student, nb in _submissions().items():
        path = inbox / student / NAME / f"{NAME}.ipynb"
        path.parent.mkdir(parents=True)
        nbformat.write(nb, path)
    for student, text in BROKEN.items():
        path = inbox / student / NAME / f"{NAME}.ipynb"
        path.parent.mkdir(parents=True)
        path.write_text(text)
    collected = classroom.collect(inbox, [NAME], course=course)

    # The same submissions, graded by nbgrader itself, one after the other.
    sequential = tmp / "sequential"
    shutil.copytree(course, sequential)
    for student in BROKEN:
        shutil.rmtree(sequential / "submitted" / student)
    run_nbgrader(sequential, "autograde", NAME, "--force", timeout=TIMEOUT)
    on_dask = tmp / "dask"
    shutil.copytree(course, on_dask)

    results = classroom.autograde([NAME], course=course, workers=2, timeout=TIMEOUT, progress=False,
                                  sandbox=SANDBOX)
    feedback = classroom.feedback([NAME], course=course)
    return {"course": course, "sequential": sequential, "collected": collected,
            "results": {r.student: r for r in results}, "feedback": feedback, "tmp": tmp,
            "dask": grade_on_dask(on_dask)}


def _auto(scores):
    return sum(s.score for s in scores if s.kind == "autograded")


def check_every_submission_is_collected(batch):
    assert sorted(s for s, _ in batch["collected"]) == sorted([*EXPECTED, *BROKEN])


def check_scores_of_each_kind_of_submission(batch):
    for student in sorted(EXPECTED):
        result = batch["results"][student]
        assert result.ok, result.error
        assert _auto(result.scores) == EXPECTED[student], \
            (student, [(s.grade_id, s.score, s.error) for s in result.scores])
        written = [s for s in result.scores if s.kind == "manual"]
        assert [s.grade_id for s in written] == ["accuracy_written"]


def check_broken_files_are_reported_and_the_batch_goes_on(batch):
    for student in BROKEN:
        result = batch["results"][student]
        assert not result.ok and not result.scores
        assert f"{student}/{NAME}/{NAME}.ipynb" in result.error
    assert "not valid JSON" in batch["results"]["badjson"].error
    assert "not a Jupyter notebook" in batch["results"]["notanotebook"].error
    assert all(batch["results"][s].ok for s in EXPECTED)


def check_endless_loop_is_stopped_by_the_timeout(batch):
    scores = {s.grade_id: s for s in batch["results"]["loop"].scores}
    for gid in ("ratio_visible", "ratio_hidden_majority"):
        assert scores[gid].score == 0
        assert scores[gid].error.startswith("CellTimeoutError"), scores[gid].error
    # The cells after the endless one are still graded.
    assert scores["accuracy_visible"].score == 1 and scores["accuracy_hidden_minority"].score == 1


def check_deleted_test_cells_are_restored_and_run(batch):
    graded = load(batch["course"] / "autograded" / "deleted" / NAME / f"{NAME}.ipynb")
    ids = [c["metadata"].get("nbgrader", {}).get("grade_id") for c in graded["cells"]]
    assert "counts_visible" in ids and "counts_hidden_classes" in ids
    scores = {s.grade_id: s.score for s in batch["results"]["deleted"].scores}
    assert scores["counts_visible"] == 1 and scores["counts_hidden_classes"] == 1


def check_edited_test_cells_are_restored(batch):
    scores = {s.grade_id: s for s in batch["results"]["edited"].scores}
    assert scores["ratio_visible"].score == 0 and scores["ratio_hidden_majority"].score == 0
    assert "inverted" in scores["ratio_hidden_majority"].error or "ratio" in scores["ratio_visible"].error


def check_plausible_wrong_answers_lose_points_with_clear_messages(batch):
    scores = {s.grade_id: s for s in batch["results"]["wrong"].scores}
    assert scores["counts_hidden_classes"].score == 0
    assert "swap" in scores["counts_hidden_classes"].error
    assert scores["accuracy_hidden_minority"].score == 0
    assert "minority" in scores["accuracy_hidden_minority"].error
    assert scores["ratio_hidden_majority"].score == 1  # the ratio itself was right


def check_parallel_scores_equal_sequential_nbgrader(batch):
    for student in EXPECTED:
        sequential = [(s.grade_id, s.score, s.max_score) for s in
                      read_scores(batch["sequential"], NAME, student)]
        parallel = [(s.grade_id, s.score, s.max_score) for s in batch["results"][student].scores]
        merged = [(s.grade_id, s.score, s.max_score) for s in read_scores(batch["course"], NAME, student)]
        assert parallel == sequential, student
        assert merged == parallel, f"{student}: the gradebook does not hold the worker's grades"


def check_dask_scores_equal_sequential_nbgrader(batch):
    dask = batch["dask"]
    assert sorted(dask["results"]) == sorted([*EXPECTED, *BROKEN])
    for student in BROKEN:
        result = dask["results"][student]
        assert not result.ok and f"{student}/{NAME}/{NAME}.ipynb" in result.error
    for student, points in EXPECTED.items():
        result = dask["results"][student]
        assert result.ok, result.error
        sequential = [(s.grade_id, s.score, s.max_score) for s in read_scores(batch["sequential"], NAME, student)]
        on_dask = [(s.grade_id, s.score, s.max_score) for s in result.scores]
        merged = [(s.grade_id, s.score, s.max_score) for s in read_scores(dask["course"], NAME, student)]
        assert on_dask == sequential, student
        assert merged == on_dask, f"{student}: the gradebook does not hold the Dask worker's grades"
        assert _auto(result.scores) == points, student
        assert (dask["course"] / "autograded" / student / NAME / f"{NAME}.ipynb").is_file()
    assert dask["cli_status"] == 0


def check_dask_workers_stop_with_the_cluster(batch):
    dask = batch["dask"]
    assert dask["closed"]
    assert len(dask["worker_pids"]) == 2
    assert not any(_alive(pid) for pid in dask["worker_pids"]), "a Dask worker outlived its cluster"


def _threads_seen(course, student):
    graded = load(course / "autograded" / student / NAME / f"{NAME}.ipynb")
    for cell in graded["cells"]:
        for output in cell.get("outputs", []):
            for line in "".join(output.get("text", "")).splitlines():
                if line.startswith("THREADS "):
                    return json.loads(line[len("THREADS "):])
    raise AssertionError(f"{student}: the probe cell printed nothing")


def check_kernel_threads_are_capped_in_pool_and_dask_workers(batch):
    # Two worker processes on this host: each kernel gets half the cores (at least 1).
    expected = worker_threads(2)
    for mode, course in (("pool", batch["course"]), ("Dask", batch["dask"]["course"])):
        seen = _threads_seen(course, "probe")
        assert seen["env"] == {k: str(expected) for k in THREAD_VARIABLES}, (mode, seen["env"])
        # numpy's BLAS and the OpenMP runtime that scikit-learn and torch load.
        apis = {key.split(":")[0] for key in seen["pools"]}
        assert {"blas", "openmp"} <= apis, (mode, seen["pools"])
        assert all(n == expected for n in seen["pools"].values()), (mode, expected, seen["pools"])
        assert seen["torch"] == expected, (mode, expected, seen["torch"])


def check_feedback_has_no_hidden_tests_and_truncates_big_output(batch):
    hidden = secret_lines(load(SOURCE), kinds=("hidden",))
    assert hidden
    paths = {p.parts[-3]: p for p in batch["feedback"]}
    assert sorted(paths) == sorted(EXPECTED)
    for student, path in paths.items():
        text = html_text(path)
        shown = [line for line in hidden if line in text]
        assert not shown, f"{student}'s feedback shows hidden tests: {shown[:3]}"
    # The learner still reads what went wrong, in words.
    assert "did you swap the classes?" in html_text(paths["wrong"])
    big = paths["bigprint"]
    assert big.stat().st_size < 1_000_000
    assert "Output truncated" in html_text(big)


def check_export_and_regrading_give_identical_grades(batch):
    course = batch["course"]
    out1 = batch["tmp"] / "grades1.csv"
    n = classroom.export_grades(out1, course=course)
    rows = list(csv.DictReader(out1.open()))
    assert n == len(rows) == len(EXPECTED)
    by_student = {r["student_id"]: r for r in rows}
    for student, points in EXPECTED.items():
        assert float(by_student[student]["auto_score"]) == points
        possible = sum(s.max_score for s in batch["results"][student].scores)
        assert float(by_student[student]["max_score"]) == possible and by_student[student]["auto_max_score"] == "6"
        assert by_student[student]["submitted"] == "true"
        # No late penalty here: nbgrader's score is the raw score (written answers not graded yet).
        assert float(by_student[student]["score"]) == float(by_student[student]["raw_score"]) == points
    per_q = batch["tmp"] / "questions.csv"
    cells = len(batch["results"]["full"].scores)
    assert classroom.export_grades(per_q, course=course, per_question=True) == cells * len(EXPECTED)

    again = classroom.autograde([NAME], course=course, workers=2, timeout=TIMEOUT,
                                students=["wrong", "deleted", "badjson"], progress=False, sandbox=SANDBOX)
    assert [r.student for r in again if r.ok] == ["deleted", "wrong"]
    for r in again:
        if r.ok:
            assert r.scores == batch["results"][r.student].scores
    out2 = batch["tmp"] / "grades2.csv"
    classroom.export_grades(out2, course=course)
    assert out1.read_bytes() == out2.read_bytes()


def check_classroom_command_line(batch, capsys):
    course = str(batch["course"])
    out = batch["tmp"] / "cli.csv"
    assert classroom.main(["--course", course, "export", "--out", str(out)]) == 0
    assert f"{len(EXPECTED)} row(s)" in capsys.readouterr().out
    assert classroom.main(["--course", course, "autograde", "99_nothing", *NO_SANDBOX_FLAG]) == 1
    assert "not released" in capsys.readouterr().err


# One batch, graded once, serves every check: separate tests would grade it once per
# pytest-xdist worker. Every check runs; the failure lists each one that failed.
CHECKS = [
    check_every_submission_is_collected,
    check_scores_of_each_kind_of_submission,
    check_broken_files_are_reported_and_the_batch_goes_on,
    check_endless_loop_is_stopped_by_the_timeout,
    check_deleted_test_cells_are_restored_and_run,
    check_edited_test_cells_are_restored,
    check_plausible_wrong_answers_lose_points_with_clear_messages,
    check_parallel_scores_equal_sequential_nbgrader,
    check_dask_scores_equal_sequential_nbgrader,
    check_dask_workers_stop_with_the_cluster,
    check_kernel_threads_are_capped_in_pool_and_dask_workers,
    check_feedback_has_no_hidden_tests_and_truncates_big_output,
    check_export_and_regrading_give_identical_grades,  # regrades: keep it after the checks above
    check_classroom_command_line,
]


def test_classroom_batch_of_bad_submissions(tmp_path, capsys):
    batch = grade_batch(tmp_path)
    failures = []
    for check in CHECKS:
        try:
            if "capsys" in check.__code__.co_varnames[:check.__code__.co_argcount]:
                check(batch, capsys)
            else:
                check(batch)
        except AssertionError as exc:
            failures.append(f"{check.__name__}: {exc}")
    assert not failures, "\n\n".join(failures)
