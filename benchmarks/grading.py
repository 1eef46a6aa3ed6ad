"""Grading speed: self-grade against a plain run of the notebook; classroom against nbgrader.

1. Self-grading (issue 17), for every assignment: the student release (generated
   from the current source) in a folder named for its assignment, as a learner
   has it, run

   - plain: ``jupyter nbconvert --to notebook --execute --allow-errors`` (the floor),
   - ``python -m imbalance_kit.grading.selfgrade`` with an empty cache (first call),
   - the same again (second call: the generated assignment comes from the cache),

   each as its own process, timed by wall clock, and prints the ratio against
   the plain run and the budget ``1.3 * plain + 2 s``.

2. With ``--classroom N``: N copies of the solution of one assignment graded by a
   plain sequential ``nbgrader autograde`` and by ``classroom autograde``
   (worker processes); the scores must be identical.

    python benchmarks/grading.py [--assignment NAME ...] [--classroom N] [--workers W]

Timings depend on the machine's load: the script prints the load average.
"""

import argparse
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from imbalance_kit.grading import classroom
from imbalance_kit.grading.course import assignment_names, read_scores, run_nbgrader
from imbalance_kit.grading.release import generate_release

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent


def _cpu():
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def _timed(cmd, cwd):
    """Wall seconds and CPU seconds (the command and every process it waited for, kernel included)."""
    start, cpu = time.perf_counter(), _cpu()
    proc = subprocess.run(cmd, cwd=cwd, capture_output=True, text=True)
    seconds = time.perf_counter() - start
    if proc.returncode != 0:
        raise SystemExit(f"{' '.join(map(str, cmd))} failed:\n{proc.stdout[-2000:]}{proc.stderr[-2000:]}")
    return seconds, _cpu() - cpu


def selfgrade_table(names):
    print(f"self-grade against a plain run, {os.cpu_count()} CPU cores, "
          f"load average {os.getloadavg()[0]:.1f} at start")
    header = (f"{'notebook':18s} {'plain s':>8s} {'1st s':>7s} {'ratio':>6s} {'2nd s':>7s} {'ratio':>6s} "
              f"{'budget s':>9s}  within | CPU s: {'plain':>6s} {'1st':>6s} {'2nd':>6s}")
    print(header)
    print("-" * len(header))
    for name in names:
        tmp = Path(tempfile.mkdtemp(prefix="bench-selfgrade-"))
        try:
            work = tmp / name
            work.mkdir()
            notebook = work / f"{name}.ipynb"
            # The release of the current source (the committed one may lag behind an edit).
            notebook.write_bytes(generate_release(name, root=ROOT)[f"{name}.ipynb"])
            plain = _timed([BIN / "jupyter", "nbconvert", "--to", "notebook", "--execute", "--allow-errors",
                            "--output", str(tmp / "plain.ipynb"), str(notebook)], cwd=work)
            cache = tmp / "cache"
            grade = [sys.executable, "-m", "imbalance_kit.grading.selfgrade", str(notebook),
                     "--cache-dir", str(cache)]
            first = _timed(grade, cwd=ROOT)
            second = _timed(grade, cwd=ROOT)
        finally:
            shutil.rmtree(tmp, ignore_errors=True)
        (plain, plain_cpu), (first, first_cpu), (second, second_cpu) = plain, first, second
        budget = 1.3 * plain + 2
        print(f"{name:18s} {plain:8.1f} {first:7.1f} {first / plain:6.2f} {second:7.1f} {second / plain:6.2f} "
              f"{budget:9.1f}  {'yes' if second <= budget else 'NO':6s} |        {plain_cpu:6.1f} "
              f"{first_cpu:6.1f} {second_cpu:6.1f}")
    print(f"load average {os.getloadavg()[0]:.1f} at end; 'within' compares the second call "
          "(the usual one) with 1.3 * plain + 2 s (wall clock); CPU seconds count the kernel too "
          "and depend less on the machine's load")


def classroom_table(n, name, workers):
    tmp = Path(tempfile.mkdtemp(prefix="bench-grading-"))
    try:
        course, inbox = tmp / "class", tmp / "inbox"
        classroom.release([name], course=course, root=ROOT)
        for i in range(n):
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
        results = classroom.autograde([name], course=course, workers=workers, progress=False)
        t_par = time.perf_counter() - start

        same = all(
            [(s.grade_id, s.score) for s in read_scores(sequential, name, r.student)]
            == [(s.grade_id, s.score) for s in r.scores]
            for r in results
        )
    finally:
        shutil.rmtree(tmp, ignore_errors=True)

    print(f"\n{n} submissions of {name}, {workers} workers, {os.cpu_count()} CPU cores, "
          f"load average {os.getloadavg()[0]:.1f}")
    print(f"{'task':45s} {'seconds':>8s} {'ratio':>6s}")
    print(f"{'nbgrader autograde (sequential, peer)':45s} {t_seq:8.1f} {1.0:6.2f}")
    print(f"{'classroom.autograde (parallel workers)':45s} {t_par:8.1f} {t_par / t_seq:6.2f}")
    print(f"identical scores: {same}; all graded: {all(r.ok for r in results)}")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--assignment", action="append", default=None,
                        help="assignment(s) to time (default: every one)")
    parser.add_argument("--classroom", type=int, default=0, metavar="N",
                        help="also time classroom autograde of N submissions (0: skip)")
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 2)
    args = parser.parse_args()
    names = args.assignment or assignment_names(ROOT)
    selfgrade_table(names)
    if args.classroom:
        classroom_table(args.classroom, names[0], args.workers)


if __name__ == "__main__":
    main()
