"""Classroom autograde on a Dask cluster, and the thread caps of grading kernels.

A ``LocalCluster`` on loopback with two worker processes grades the same batch
of bad submissions as ``tests/test_grading_classroom.py``; the scores must
equal a plain sequential ``nbgrader autograde``. A submission that reports
the threads its kernel's BLAS, OpenMP and torch pools use checks the caps in
both modes (Dask and the default process pool).
"""

import json
import os
import shutil
import time

import nbformat
import pytest

from imbalance_kit.grading import classroom
from imbalance_kit.grading.cluster import connect
from imbalance_kit.grading.course import GradingError, read_scores, run_nbgrader
from imbalance_kit.grading.engine import THREAD_VARIABLES, worker_threads

from .test_grading_classroom import BROKEN, EXPECTED, NAME, SOURCE, TIMEOUT, _submissions
from .test_grading_helpers import ROOT, load

pytestmark = pytest.mark.slow

distributed = pytest.importorskip("distributed")

# A correct submission with one more cell: what its kernel's thread pools use.
PROBE = f"""
import json, os
import numpy, sklearn.linear_model, torch, threadpoolctl
pools = {{f"{{p['user_api']}}:{{p['internal_api']}}": p['num_threads']
         for p in threadpoolctl.threadpool_info()}}
env = {{k: os.environ.get(k) for k in {list(THREAD_VARIABLES)!r}}}
print("THREADS " + json.dumps({{"pools": pools, "torch": torch.get_num_threads(), "env": env}}))
"""


def _probe_submission():
    nb = nbformat.read(SOURCE, as_version=4)
    nb.cells.append(nbformat.v4.new_code_cell(PROBE))
    return nb


def _write_inbox(inbox, notebooks, broken=()):
    for student, nb in notebooks.items():
        path = inbox / student / NAME / f"{NAME}.ipynb"
        path.parent.mkdir(parents=True)
        nbformat.write(nb, path)
    for student, text in dict(broken).items():
        path = inbox / student / NAME / f"{NAME}.ipynb"
        path.parent.mkdir(parents=True)
        path.write_text(text)


def _threads_seen(course, student):
    graded = load(course / "autograded" / student / NAME / f"{NAME}.ipynb")
    for cell in graded["cells"]:
        for output in cell.get("outputs", []):
            text = "".join(output.get("text", ""))
            for line in text.splitlines():
                if line.startswith("THREADS "):
                    return json.loads(line[len("THREADS "):])
    raise AssertionError(f"{student}: the probe cell printed nothing")


def _check_caps(seen, expected):
    assert seen["env"] == {k: str(expected) for k in THREAD_VARIABLES}, seen["env"]
    # numpy's BLAS and the OpenMP runtime that scikit-learn and torch load.
    apis = {key.split(":")[0] for key in seen["pools"]}
    assert {"blas", "openmp"} <= apis, seen["pools"]
    assert all(n == expected for n in seen["pools"].values()), (expected, seen["pools"])
    assert seen["torch"] == expected, (expected, seen["torch"])


def _alive(pid):
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


def _auto(scores):
    return sum(s.score for s in scores if s.kind == "autograded")


def test_dask_cluster_grades_like_sequential_nbgrader(tmp_path):
    course, inbox = tmp_path / "class", tmp_path / "inbox"
    classroom.release([NAME], course=course, root=ROOT)
    notebooks = {**_submissions(), "probe": _probe_submission()}
    _write_inbox(inbox, notebooks, BROKEN)
    classroom.collect(inbox, [NAME], course=course)

    sequential = tmp_path / "sequential"
    shutil.copytree(course, sequential)
    for student in BROKEN:
        shutil.rmtree(sequential / "submitted" / student)
    run_nbgrader(sequential, "autograde", NAME, "--force", timeout=TIMEOUT)

    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, host="127.0.0.1",
                                  dashboard_address=None, protocol="tcp") as cluster:
        assert cluster.scheduler_address.startswith("tcp://127.0.0.1:")
        results = classroom.autograde([NAME], course=course, timeout=TIMEOUT, progress=False,
                                      scheduler=cluster.scheduler_address, chunk_size=3)
        # The command line takes the same address (one regraded student).
        assert classroom.main(["--course", str(course), "autograde", NAME, "--student", "wrong",
                               "--timeout", str(TIMEOUT), "--scheduler", cluster.scheduler_address]) == 0
        with distributed.Client(cluster) as client:
            worker_pids = list(client.run(os.getpid).values())
    assert cluster.status.name == "closed"
    # No worker process (nor, with it, a kernel it started) outlives the cluster.
    deadline = time.monotonic() + 30
    while any(_alive(pid) for pid in worker_pids) and time.monotonic() < deadline:
        time.sleep(0.5)
    assert len(worker_pids) == 2 and not any(_alive(pid) for pid in worker_pids)

    by_student = {r.student: r for r in results}
    assert sorted(by_student) == sorted([*notebooks, *BROKEN])
    for student in BROKEN:
        assert not by_student[student].ok and f"{student}/{NAME}/{NAME}.ipynb" in by_student[student].error
    for student in [*EXPECTED, "probe"]:
        result = by_student[student]
        assert result.ok, result.error
        sequential_scores = [(s.grade_id, s.score, s.max_score) for s in read_scores(sequential, NAME, student)]
        dask_scores = [(s.grade_id, s.score, s.max_score) for s in result.scores]
        merged = [(s.grade_id, s.score, s.max_score) for s in read_scores(course, NAME, student)]
        assert dask_scores == sequential_scores, student
        assert merged == dask_scores, f"{student}: the gradebook does not hold the worker's grades"
        assert (course / "autograded" / student / NAME / f"{NAME}.ipynb").is_file()
    for student, points in EXPECTED.items():
        assert _auto(by_student[student].scores) == points, student
    # Two worker processes on this host: each kernel gets half the cores (at least 1).
    _check_caps(_threads_seen(course, "probe"), worker_threads(2))


def test_process_pool_caps_kernel_threads(tmp_path):
    course, inbox = tmp_path / "class", tmp_path / "inbox"
    classroom.release([NAME], course=course, root=ROOT)
    _write_inbox(inbox, {"probe": _probe_submission(), "other": _probe_submission()})
    classroom.collect(inbox, [NAME], course=course)
    # Two batches of one: the pool's two workers each grade one.
    results = classroom.autograde([NAME], course=course, workers=2, chunk_size=1, timeout=TIMEOUT,
                                  progress=False)
    assert all(r.ok for r in results), [r.error for r in results]
    for student in ("probe", "other"):
        _check_caps(_threads_seen(course, student), worker_threads(2))


def test_unreachable_scheduler_is_a_clear_error():
    with pytest.raises(GradingError, match="no Dask scheduler answers at tcp://127.0.0.1:9"):
        connect("tcp://127.0.0.1:9", timeout=2)
