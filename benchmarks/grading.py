"""Classroom autograding: parallel workers against nbgrader's sequential autograde.

Grades N copies of the solution of one assignment (default: 40 copies of
00_start_here) twice, in the same process: once with a plain
``nbgrader autograde`` (one submission after another), once with
``imbalance_kit.grading.classroom.autograde`` (worker processes), checks that
the scores are identical and prints a table with the time ratio.

    python benchmarks/grading.py [N] [--assignment NAME] [--workers W]
"""

import argparse
import os
import shutil
import tempfile
import time
from pathlib import Path

from imbalance_kit.grading import classroom
from imbalance_kit.grading.course import read_scores, run_nbgrader

ROOT = Path(__file__).resolve().parents[1]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("n", nargs="?", type=int, default=40, help="number of submissions")
    parser.add_argument("--assignment", default="00_start_here")
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 2)
    args = parser.parse_args()
    name = args.assignment

    tmp = Path(tempfile.mkdtemp(prefix="bench-grading-"))
    try:
        course, inbox = tmp / "class", tmp / "inbox"
        classroom.release([name], course=course, root=ROOT)
        for i in range(args.n):
            folder = inbox / f"s{i:03d}" / name
            folder.mkdir(parents=True)
            shutil.copy(ROOT / "solutions" / name / f"{name}.ipynb", folder / f"{name}.ipynb")
        classroom.collect(inbox, [name], course=course)
        sequential = tmp / "sequential"
        shutil.copytree(course, sequential)

        start = time.perf_counter()
        run_nbgrader(sequential, "autograde", name, "--force")
        t_seq = time.perf_counter() - start

        start = time.perf_counter()
        results = classroom.autograde([name], course=course, workers=args.workers, progress=False)
        t_par = time.perf_counter() - start

        same = all(
            [(s.grade_id, s.score) for s in read_scores(sequential, name, r.student)]
            == [(s.grade_id, s.score) for s in r.scores]
            for r in results
        )
    finally:
        shutil.rmtree(tmp, ignore_errors=True)

    print(f"{args.n} submissions of {name}, {args.workers} workers, {os.cpu_count()} CPU cores")
    print(f"{'task':45s} {'seconds':>8s} {'ratio':>6s}")
    print(f"{'nbgrader autograde (sequential, peer)':45s} {t_seq:8.1f} {1.0:6.2f}")
    print(f"{'classroom.autograde (parallel workers)':45s} {t_par:8.1f} {t_par / t_seq:6.2f}")
    print(f"identical scores: {same}; all graded: {all(r.ok for r in results)}")


if __name__ == "__main__":
    main()
