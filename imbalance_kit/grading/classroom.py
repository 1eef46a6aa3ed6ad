"""Run a class: release, collect, autograde in parallel, feedback, export grades.

Usage (from the course folder; ``--course`` is the instructor's grading folder,
default ``.grading/classroom``)::

    python -m imbalance_kit.grading.classroom release [NN_name ...]
    python -m imbalance_kit.grading.classroom collect --from SUBMISSIONS [NN_name ...]
    python -m imbalance_kit.grading.classroom autograde [NN_name ...] [--workers N] [--timeout S]
                                              [--scheduler tcp://HOST:8786]
    python -m imbalance_kit.grading.classroom feedback [NN_name ...]
    python -m imbalance_kit.grading.classroom export [--out grades.csv] [--per-question]

``SUBMISSIONS`` holds ``student_id/NN_name/NN_name.ipynb``. The grading folder
is an ordinary nbgrader course (``solutions/``, ``notebooks/``, ``submitted/``,
``autograded/``, ``feedback/``, ``gradebook.db``): nbgrader's formgrader can
open it for the written answers.

Autograding runs worker processes (``--workers``, default the number of
CPUs): each worker autogrades a few students with nbgrader in its own
temporary copy of the course, and the main process copies the results into
the grading folder's gradebook. Scores are exactly those of a sequential
``nbgrader autograde``. A broken submission is reported and the batch goes on.
With ``--scheduler`` the same batches run on the workers of a Dask cluster
(:mod:`imbalance_kit.grading.cluster`).

Every submission's kernel runs in a bubblewrap sandbox (see
:mod:`imbalance_kit.grading.sandbox`): it sees its own folder, the Python
environment, the kit and the data cache, nothing else of the grading folder,
and no network. Where the sandbox cannot start, ``autograde`` refuses and
says how to install it; ``--no-sandbox`` grades without it (with a warning).
The report lists, per submission, what the sandbox saw it try (files outside
its folder, the network, processes, limits hit) and code that patches
imported libraries or the kit: for the instructor to look at, never a penalty.
"""

import argparse
import csv
import json
import os
import shutil
import sys
import tempfile
import warnings
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass, field
from pathlib import Path

from ..validation import check_positive_int
from .course import (
    CONFIG_FILE, RELEASE_DIR, SOURCE_DIR, GradingError, assignment_names, course_root,
    exit_status, make_course, open_gradebook, read_scores, select_assignments,
)
from .engine import (
    check_step, fast_imports, load_config, run_step, scratch_root, set_environment, thread_limits,
    worker_threads,
)
from .selfgrade import check_notebook_file

__all__ = [
    "DEFAULT_COURSE", "SubmissionResult", "release", "collect", "autograde",
    "autograde_batch", "feedback", "export_grades", "main",
]

DEFAULT_COURSE = Path(".grading") / "classroom"


def _course(course):
    return DEFAULT_COURSE.resolve() if course is None else Path(course).resolve()


def _names(course, names):
    # Released assignments of the grading folder (not of the course root).
    if isinstance(names, (str, bytes, os.PathLike)):
        select_assignments(names)  # a single string would be read letter by letter: refused
    known = assignment_names(course) if (course / SOURCE_DIR).is_dir() else []
    if not names:
        if not known:
            raise GradingError(f"{course}: no released assignment; run 'classroom release' first")
        return known
    for name in names:
        if name not in known:
            raise GradingError(f"{name!r} is not released in {course}; run 'classroom release {name}'")
    return list(names)


def release(names=None, course=None, root=None):
    """Create or update the grading folder and generate the release of ``names``.

    Parameters
    ----------
    names : list of str, optional
        Assignments (default: every one in ``solutions/``).
    course : path-like, optional
        Grading folder (default ``.grading/classroom``).
    root : path-like, optional
        Course root holding ``solutions/`` (default: found from the current folder).

    Returns
    -------
    list of pathlib.Path
        The released notebooks (to hand out, or use ``nbgrader release_assignment``).

    Examples
    --------
    >>> release(["00_start_here"], course="/tmp/class")  # doctest: +SKIP
    """
    root = course_root() if root is None else Path(root)
    course = _course(course)
    names = select_assignments(names, root)
    make_course(names, root=root, dest=course)
    out = []
    for name in names:
        check_step("generate_assignment", course, name)
        out.append(course / RELEASE_DIR / name / f"{name}.ipynb")
    return out


def collect(submissions, names=None, course=None):
    """Copy ``submissions/student_id/NN_name/`` into the grading folder's ``submitted/``.

    A submission collected again replaces the earlier copy.

    Parameters
    ----------
    submissions : path-like
        Folder of ``student_id/NN_name/NN_name.ipynb``.
    names : list of str, optional
        Assignments (default: every released one).
    course : path-like, optional
        Grading folder (default ``.grading/classroom``).

    Returns
    -------
    list of (student_id, assignment)
        What was collected.

    Examples
    --------
    >>> collect("/srv/inbox", course="/tmp/class")  # doctest: +SKIP
    [('alice', '00_start_here'), ('bob', '00_start_here')]
    """
    course = _course(course)
    names = _names(course, names)
    submissions = Path(submissions)
    if not submissions.is_dir():
        raise GradingError(f"{submissions}: not a folder of student_id/NN_name/NN_name.ipynb")
    collected = []
    for student_dir in sorted(p for p in submissions.iterdir() if p.is_dir()):
        for name in names:
            src = student_dir / name
            if not (src / f"{name}.ipynb").exists():
                continue
            dest = course / "submitted" / student_dir.name / name
            if dest.exists():
                shutil.rmtree(dest)
            shutil.copytree(src, dest, ignore=shutil.ignore_patterns(".ipynb_checkpoints"))
            collected.append((student_dir.name, name))
    return collected


@dataclass
class SubmissionResult:
    """Outcome of autograding one submission.

    Parameters
    ----------
    student, assignment : str
    scores : list of CellScore
        One per graded cell (empty when it could not be graded).
    error : str, default=""
        Why it could not be graded ("" when graded).
    notes : list of str
        What the grader did that the instructor should know (a copied graded
        cell graded once, ...).
    integrity : list of str
        The integrity report: sandbox denials, network attempts, processes
        started, limits hit, patched attributes of imported modules (see
        :func:`~imbalance_kit.grading.sandbox.integrity_lines`). Not a penalty.

    Examples
    --------
    >>> SubmissionResult("mallory", "00_start_here", error="not valid JSON").ok
    False
    """

    student: str
    assignment: str
    scores: list = field(default_factory=list)  # of CellScore
    error: str = ""  # why it could not be graded ("" when graded)
    notes: list = field(default_factory=list)  # of str
    integrity: list = field(default_factory=list)  # of str: what the sandbox saw, patched modules

    @property
    def ok(self):
        """True when the submission was graded."""
        return not self.error

    @property
    def score(self):
        """Points earned, all graded cells together."""
        return sum(s.score for s in self.scores)


def _reference(course, name):
    # grade_id -> the instructor's source of that cell (to say which copy of a copied cell is graded).
    source = course / SOURCE_DIR / name / f"{name}.ipynb"
    try:
        cells = json.loads(source.read_text("utf-8"))["cells"]
    except (OSError, ValueError, KeyError):
        return {}
    return {(c.get("metadata", {}).get("nbgrader") or {}).get("grade_id"): "".join(c.get("source", ""))
            for c in cells}


def _notes(path, reference):
    from .preprocessors import grading_notes  # imports nbgrader: only when grading

    try:
        return grading_notes(json.loads(Path(path).read_text("utf-8"))["cells"], reference)
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return []


def _integrity(path, report_dir, student, name):
    from .sandbox import integrity_lines, patch_notes, read_report

    try:
        cells = json.loads(Path(path).read_text("utf-8"))["cells"]
        notes = patch_notes(cells)
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        notes = []
    return integrity_lines(read_report(report_dir, student, name, name), notes)


def autograde_batch(course, name, students, template, timeout=None, sandbox=True):
    """Autograde some submissions of one assignment in a private course copy (runs in a worker).

    ``template`` is a folder holding the gradebook as it was before the batch
    (every worker starts from the same one). Submissions that are not readable
    notebooks are reported without running nbgrader; the others are graded by
    one nbgrader autograde, run in this process through nbgrader's Python API
    (no ``nbgrader`` command is started).

    Parameters
    ----------
    course : path-like
        Grading folder (read only here).
    name : str
        Assignment.
    students : list of str
        Students whose submissions to grade.
    template : path-like
        Folder holding the gradebook to start from.
    timeout : int, optional
        Seconds one cell may run.
    sandbox : bool, default=True
        Run each kernel in the bubblewrap sandbox (a submission is not
        graded, with the reason, where it cannot start).

    Returns
    -------
    (list of SubmissionResult, pathlib.Path or None)
        The results and the worker's course folder (the caller merges it into
        the grading folder and deletes it), or None when nothing was graded.

    Examples
    --------
    >>> results, work = autograde_batch(course, "00_start_here", ["alice"], template)  # doctest: +SKIP
    """
    course, template = Path(course), Path(template)
    results, valid = [], []
    for student in students:
        try:
            check_notebook_file(course / "submitted" / student / name / f"{name}.ipynb")
            valid.append(student)
        except GradingError as exc:
            results.append(SubmissionResult(student, name, error=str(exc)))
    if not valid:
        return results, None
    work = Path(tempfile.mkdtemp(prefix=f"autograde-{name}-", dir=scratch_root()))
    try:
        shutil.copy2(course / CONFIG_FILE, work / CONFIG_FILE)
        shutil.copy2(template / "gradebook.db", work / "gradebook.db")
        shutil.copytree(course / SOURCE_DIR / name, work / SOURCE_DIR / name)
        for student in valid:
            shutil.copytree(course / "submitted" / student / name, work / "submitted" / student / name)
        from .sandbox import check_sandbox, enable

        if sandbox:
            check_sandbox()  # here too: a Dask worker is another machine
        config = enable(load_config(work, timeout), sandbox=sandbox, report_dir=work / "integrity")
        _, log = run_step("autograde", work, name, config=config)
        log = log.strip().splitlines()
        reference = _reference(course, name)
        with open_gradebook(work) as gb:
            for student in valid:
                nb_path = course / "submitted" / student / name / f"{name}.ipynb"
                if (work / "autograded" / student / name / f"{name}.ipynb").is_file():
                    scores = read_scores(work, name, student, gradebook=gb)
                    results.append(SubmissionResult(student, name, scores=scores,
                                                    notes=_notes(nb_path, reference),
                                                    integrity=_integrity(nb_path, work / "integrity",
                                                                         student, name)))
                else:
                    mine = [line for line in log if student in line and "ERROR" in line][-3:] or log[-5:]
                    results.append(SubmissionResult(
                        student, name, error=f"{nb_path}: nbgrader could not grade it:\n" + "\n".join(mine)))
        return results, work
    except Exception as exc:  # a worker never takes the batch down
        shutil.rmtree(work, ignore_errors=True)
        done = {r.student for r in results}
        return results + [SubmissionResult(s, name, error=f"{s}/{name}: {type(exc).__name__}: {exc}")
                          for s in students if s not in done], None


def _merge(course, work, name, students):
    # Copy the worker's autograded files and grades into the grading folder
    # (both gradebooks opened once for all the students of a batch).
    from sqlalchemy.exc import SAWarning  # imported here: 0.13 s that only grading needs

    for student in students:
        target = course / "autograded" / student / name
        if target.exists():
            shutil.rmtree(target)
        shutil.copytree(work / "autograded" / student / name, target)
    with open_gradebook(work) as wgb, open_gradebook(course) as gb, warnings.catch_warnings():
        # nbgrader's add_submission trips SQLAlchemy autoflush warnings; harmless.
        warnings.simplefilter("ignore", SAWarning)
        for student in students:
            wsub = wgb.find_submission(name, student)
            gb.update_or_create_student(student)
            sub = gb.update_or_create_submission(name, student, timestamp=wsub.timestamp)
            for wnb in wsub.notebooks:
                for wgrade in wnb.grades:
                    grade = gb.find_grade(wgrade.name, wnb.name, name, student)
                    grade.auto_score = wgrade.auto_score
                    grade.needs_manual_grade = wgrade.needs_manual_grade
                for wcomment in wnb.comments:
                    comment = gb.find_comment(wcomment.name, wnb.name, name, student)
                    comment.auto_comment = wcomment.auto_comment
                snb = gb.find_submission_notebook(wnb.name, name, student)
                snb.late_submission_penalty = wnb.late_submission_penalty
            sub.timestamp = wsub.timestamp
        gb.db.commit()


def _submissions(course, names, students=None):
    pairs = []
    submitted = course / "submitted"
    if not submitted.is_dir():
        return pairs
    for student_dir in sorted(p for p in submitted.iterdir() if p.is_dir()):
        if students and student_dir.name not in students:
            continue
        for name in names:
            if (student_dir / name).is_dir():
                pairs.append((student_dir.name, name))
    return pairs


def _chunks(items, size):
    return [items[i:i + size] for i in range(0, len(items), size)]


def autograde(names=None, course=None, workers=None, timeout=None, students=None, progress=True,
              chunk_size=None, scheduler=None, sandbox=True):
    """Autograde every collected submission of ``names`` in parallel worker processes.

    Parameters
    ----------
    names : list of str, optional
        Assignments (default: every released one).
    course : path-like, optional
        Grading folder (default ``.grading/classroom``).
    workers : int, optional
        Worker processes (default: the number of CPUs; 1, or a single batch,
        grades in this process: no pool to start for one regraded submission).
        Each worker's kernels get its share of the cores for BLAS, OpenMP and
        torch threads (``OMP_NUM_THREADS`` and the like, see
        :func:`~imbalance_kit.grading.engine.thread_limits`).
    timeout : int, optional
        Seconds one cell may run (default: ``c.Execute.timeout`` of the config).
    students : list of str, optional
        Only these students.
    progress : bool
        Show a tqdm progress bar.
    chunk_size : int, optional
        Submissions per nbgrader call in a worker. Starting nbgrader costs more
        than grading a short notebook, so a worker grades several at once; the
        default, ``ceil(n / (2 * workers))`` capped to 1..10, gives each worker
        about two calls (even load, a progress bar that moves).
    scheduler : str, optional
        Address of a Dask ``distributed`` scheduler (``tcp://host:8786``):
        the batches run on its workers instead of local processes (see
        :mod:`imbalance_kit.grading.cluster`); ``workers`` is then the
        number of Dask workers. Same batches, same :func:`autograde_batch`,
        same merge, same scores.
    sandbox : bool, default=True
        Run every kernel in the bubblewrap sandbox; where it cannot start
        here, :class:`GradingError` says how to install it. ``False`` grades
        with the grader's rights (``--no-sandbox``).

    Returns
    -------
    list of SubmissionResult
        One per submission, sorted by student then assignment; a broken
        submission has ``error`` set and no scores.

    Examples
    --------
    >>> results = autograde(["00_start_here"], course="/tmp/class", workers=2)  # doctest: +SKIP
    >>> [r.student for r in results if not r.ok]  # doctest: +SKIP
    ['mallory']
    """
    from tqdm.auto import tqdm

    # Checked first: a bad value would otherwise fail deep inside (range() step 0).
    for value, label in ((workers, "workers"), (timeout, "timeout"), (chunk_size, "chunk_size")):
        if value is not None:
            check_positive_int(value, label)
    if sandbox and scheduler is None:  # refused before anything runs; a Dask worker checks its own machine
        from .sandbox import check_sandbox

        check_sandbox()
    course = _course(course)
    names = _names(course, names)
    if not (course / "gradebook.db").is_file():
        raise GradingError(f"{course}: no gradebook.db; run 'classroom release' first")
    pairs = _submissions(course, names, students)
    client = None
    if scheduler is not None:
        from .cluster import connect

        client = connect(scheduler)
        workers = len(client.scheduler_info()["workers"])
    workers = workers or os.cpu_count() or 1
    if chunk_size is None:
        chunk_size = min(10, max(1, -(-len(pairs) // (2 * workers))))
    jobs = []
    for name in names:
        mine = [student for student, n in pairs if n == name]
        jobs.extend((name, chunk) for chunk in _chunks(mine, chunk_size))
    template = Path(tempfile.mkdtemp(prefix="autograde-template-"))
    results = []
    try:
        shutil.copy2(course / "gradebook.db", template / "gradebook.db")
        bar = tqdm(total=len(pairs), desc="autograde", unit="notebook", disable=not progress)

        def finish(batch, work):
            graded = [r for r in batch if r.ok]
            if work is not None and graded:
                try:
                    _merge(course, work, graded[0].assignment, [r.student for r in graded])
                except Exception as exc:
                    for result in graded:
                        result.error = (f"{result.student}/{result.assignment}: "
                                        f"could not record the grades: {exc}")
                        result.scores = []
            for result in batch:
                if not result.ok:
                    bar.write(f"not graded: {result.error.splitlines()[0]}")
                results.append(result)
            if work is not None:
                shutil.rmtree(work, ignore_errors=True)
            bar.update(len(batch))

        workers = min(workers, max(1, len(jobs)))
        if client is not None:
            from .cluster import run_batches

            run_batches(client, course, jobs, template, timeout, finish, sandbox=sandbox)
        elif workers == 1:
            for name, chunk in jobs:
                finish(*autograde_batch(course, name, chunk, template, timeout, sandbox))
        else:
            env = thread_limits(worker_threads(workers))
            with ProcessPoolExecutor(max_workers=workers, initializer=set_environment,
                                     initargs=(env,)) as pool:
                futures = [pool.submit(autograde_batch, course, name, chunk, template, timeout, sandbox)
                           for name, chunk in jobs]
                for future in as_completed(futures):
                    finish(*future.result())
        bar.close()
    finally:
        shutil.rmtree(template, ignore_errors=True)
        if client is not None:
            client.close()
    results.sort(key=lambda r: (r.student, r.assignment))
    return results


def feedback(names=None, course=None):
    """Generate HTML feedback (without hidden tests) for every autograded submission.

    Files land in ``<course>/feedback/<student>/<NN_name>/<NN_name>.html``;
    ``nbgrader release_feedback`` hands them out through the exchange.

    Parameters
    ----------
    names : list of str, optional
        Assignments whose autograded submissions get feedback (default: all
        released ones; one without autograded submissions is skipped).
    course : path-like, optional
        Grading folder (default ``.grading/classroom``).

    Returns
    -------
    list of pathlib.Path
        The feedback files.

    Examples
    --------
    >>> feedback(["00_start_here"], course="/tmp/class")  # doctest: +SKIP
    """
    course = _course(course)
    paths = []
    for name in _names(course, names):
        if not any((course / "autograded").glob(f"*/{name}/{name}.ipynb")):
            continue
        check_step("generate_feedback", course, name)
        paths.extend(sorted((course / "feedback").glob(f"*/{name}/{name}.html")))
    return paths


def export_grades(out, course=None, per_question=False):
    """Write the grades as CSV; return the number of rows.

    Default: nbgrader's own export (its ``CsvExportPlugin``) with the course's
    columns added (:class:`~imbalance_kit.grading.export.CourseCsvExportPlugin`):
    one row per student of the gradebook per assignment, ``student_id,
    assignment, submitted, timestamp, duedate, raw_score,
    late_submission_penalty, score, max_score, auto_score, auto_max_score,
    needs_manual_grade, last_name, first_name, email``. ``score`` is
    nbgrader's (late penalty applied; 0 for a student who did not submit),
    so it always equals ``nbgrader export``'s. With ``per_question=True``: one
    row per graded cell of each submission: ``student_id, assignment,
    grade_id, kind, score, max_score, needs_manual_grade`` (raw points, before
    any late penalty). Rows are sorted, so the same grades give the same file.

    Parameters
    ----------
    out : path-like
        CSV file to write (its folder is created).
    course : path-like, optional
        Grading folder (default ``.grading/classroom``).
    per_question : bool, default=False
        One row per graded cell instead of one per student and assignment.

    Returns
    -------
    int
        Rows written (header not counted).

    Raises
    ------
    GradingError
        The grading folder has no gradebook (nothing released or graded).

    Examples
    --------
    >>> export_grades("grades.csv", course="/tmp/class")  # doctest: +SKIP
    40
    """
    from .export import CourseCsvExportPlugin

    course = _course(course)
    # Opening a missing gradebook would silently create an empty one (or fail
    # inside SQLAlchemy when the folder does not exist).
    if not (course / "gradebook.db").is_file():
        raise GradingError(f"{course}: no gradebook.db; release and autograde first")
    out = Path(out)
    if not per_question:
        plugin = CourseCsvExportPlugin(to=str(out))
        with open_gradebook(course) as gb:
            plugin.export(gb)
        return plugin.rows_written
    rows = []
    with open_gradebook(course) as gb:
        pairs = sorted((s.student.id, s.assignment.name) for a in gb.assignments for s in a.submissions)
        all_scores = [read_scores(course, name, student, gradebook=gb) for student, name in pairs]
    for (student, name), scores in zip(pairs, all_scores):
        for s in scores:
            rows.append([student, name, s.grade_id, s.kind, f"{s.score:g}", f"{s.max_score:g}",
                         str(s.needs_manual_grade).lower()])
    header = ["student_id", "assignment", "grade_id", "kind", "score", "max_score", "needs_manual_grade"]
    out.parent.mkdir(parents=True, exist_ok=True)
    with out.open("w", newline="", encoding="utf-8") as f:
        writer = csv.writer(f, lineterminator="\n")
        writer.writerow(header)
        writer.writerows(rows)
    return len(rows)


def main(argv=None):
    """Run ``python -m imbalance_kit.grading.classroom COMMAND ...``; return the exit status.

    Parameters
    ----------
    argv : list of str, optional
        A command and its options, e.g. ``["autograde", "--workers", "4"]``
        (default: ``sys.argv[1:]``).

    Returns
    -------
    int
        0 on success; 1 with one ``error: ...`` line on bad input, or after
        ``autograde`` when a submission could not be graded.

    Examples
    --------
    >>> main(["--course", "/tmp/class", "export", "--out", "grades.csv"])  # doctest: +SKIP
    wrote 40 row(s) to grades.csv
    0
    """
    parser = argparse.ArgumentParser(prog="python -m imbalance_kit.grading.classroom",
                                     description="Run a class with nbgrader (see docs/instructors.md).")
    parser.add_argument("--course", default=None,
                        help=f"grading folder (default: {DEFAULT_COURSE})")
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser("release", help="generate the student release into the grading folder")
    p.add_argument("assignments", nargs="*")
    p = sub.add_parser("collect", help="copy student_id/NN_name/NN_name.ipynb submissions in")
    p.add_argument("--from", dest="source", required=True, help="folder of student_id/NN_name/")
    p.add_argument("assignments", nargs="*")
    p = sub.add_parser("autograde", help="autograde collected submissions in parallel")
    p.add_argument("assignments", nargs="*")
    p.add_argument("--workers", type=int, default=None, help="worker processes (default: CPUs)")
    p.add_argument("--timeout", type=int, default=None, help="seconds one cell may run")
    p.add_argument("--student", action="append", default=None, help="only this student (repeatable)")
    p.add_argument("--chunk-size", type=int, default=None, help="submissions per nbgrader call")
    p.add_argument("--no-sandbox", action="store_true",
                   help="run student code without the bubblewrap sandbox (with your rights; see docs)")
    p.add_argument("--scheduler", default=None, metavar="ADDRESS",
                   help="grade on the workers of this Dask scheduler (tcp://host:8786) instead of local processes")
    p = sub.add_parser("feedback", help="generate HTML feedback without hidden tests")
    p.add_argument("assignments", nargs="*")
    p = sub.add_parser("export", help="write grades as CSV")
    p.add_argument("--out", default="grades.csv")
    p.add_argument("--per-question", action="store_true", help="one row per graded cell")
    args = parser.parse_args(argv)
    fast_imports()

    def run():
        if args.command == "release":
            for path in release(args.assignments, course=args.course):
                print(f"released {path}")
        elif args.command == "collect":
            collected = collect(args.source, args.assignments, course=args.course)
            print(f"collected {len(collected)} submission(s) from {args.source}")
        elif args.command == "autograde":
            results = autograde(args.assignments, course=args.course, workers=args.workers,
                                timeout=args.timeout, students=args.student,
                                chunk_size=args.chunk_size, scheduler=args.scheduler,
                                sandbox=not args.no_sandbox)
            bad = [r for r in results if not r.ok]
            unsandboxed = ("WARNING: graded WITHOUT the sandbox (--no-sandbox): student code ran with your "
                           "rights and could read solutions/, other submissions and the gradebook")
            if args.no_sandbox:
                print(unsandboxed)
            for r in results:
                for note in r.notes:
                    print(f"note {r.student}/{r.assignment}: {note}")
            flagged = [r for r in results if r.integrity]
            for r in flagged:
                for line in r.integrity:
                    print(f"integrity {r.student}/{r.assignment}: {line}")
            print(f"integrity report: {len(flagged)} submission(s) with findings, for you to look at "
                  "(nothing was penalised)")
            print(f"graded {len(results) - len(bad)} of {len(results)} submission(s)")
            if args.no_sandbox:
                print(unsandboxed)
            for r in bad:
                print(f"NOT GRADED {r.student}/{r.assignment}: {r.error}")
            return 1 if bad else 0
        elif args.command == "feedback":
            paths = feedback(args.assignments, course=args.course)
            print(f"wrote {len(paths)} feedback file(s) under {_course(args.course) / 'feedback'}")
        elif args.command == "export":
            n = export_grades(args.out, course=args.course, per_question=args.per_question)
            print(f"wrote {n} row(s) to {args.out}")

    return exit_status(run)


if __name__ == "__main__":
    sys.exit(main())
