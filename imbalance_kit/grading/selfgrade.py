"""Grade your own notebook, hidden tests included: ``make grade NB=path/to/NN_name.ipynb``.

Usage (from the course folder)::

    python -m imbalance_kit.grading.selfgrade notebooks/00_start_here/00_start_here.ipynb [--feedback]
    python -m imbalance_kit.grading.selfgrade      # every notebook you changed: one table

The notebook is copied into a temporary course folder holding the assignment
generated from ``solutions/`` (so the hidden tests are there; generated once
and cached, see :mod:`imbalance_kit.grading.cache`), and nbgrader autogrades
the copy in this process; your notebook is only read, never modified. The
command prints one line per graded cell (points, passed or failed, the first
line of the error) and the total; with ``--feedback`` it also writes an HTML
feedback file without the hidden tests to ``.grading/feedback/NN_name.html``.

It needs ``solutions/``; with the student release alone, run the visible test
cells in the notebook (or JupyterLab's Validate button) instead.
"""

import argparse
import json
import os
import shutil
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

from ..validation import check_positive_int
from .course import (
    ASSIGNMENT_PATTERN, RELEASE_DIR, SOURCE_DIR, CellScore, GradingError, _tail, assignment_names,
    course_root, exit_status, read_scores, select_assignments,
)

__all__ = ["ProgressRow", "SelfGradeResult", "check_notebook_file", "format_progress", "format_report",
           "grade_progress", "identify_assignment", "is_started", "main", "self_grade"]

STUDENT = "me"


@dataclass
class SelfGradeResult:
    """Outcome of :func:`self_grade`: the cell scores and where the feedback is.

    Parameters
    ----------
    assignment : str
        ``NN_name``.
    scores : list of CellScore
        One per graded cell, in notebook order.
    feedback_path : pathlib.Path or None
        The HTML feedback (without hidden tests), when it was asked for.
    notes : list of str
        What the grader did that the learner should know (a copied graded
        cell graded once, ...).
    seconds : float
        Wall time of the self-grade.
    workdir : pathlib.Path or None
        The temporary course folder, kept only with ``keep_workdir=True``
        (the autograded notebook is ``workdir/autograded/<student>/NN_name/``).

    Examples
    --------
    >>> from pathlib import Path
    >>> r = SelfGradeResult("00_start_here", [CellScore("a", 1.0, 1.0, "autograded"),
    ...                     CellScore("b", 0.0, 2.0, "manual", needs_manual_grade=True)],
    ...                     Path("00_start_here.html"))
    >>> r.auto_score, r.auto_max_score, r.max_score
    (1.0, 1.0, 3.0)
    """

    assignment: str
    scores: list  # of CellScore
    feedback_path: Path | None = None
    notes: list = field(default_factory=list)  # of str
    seconds: float = 0.0
    workdir: Path | None = None

    @property
    def score(self):
        """Points so far (written answers count once a person has graded them)."""
        return sum(s.score for s in self.scores)

    @property
    def max_score(self):
        """Points possible, written answers included."""
        return sum(s.max_score for s in self.scores)

    @property
    def auto_score(self):
        """Points of the autograded (test) cells."""
        return sum(s.score for s in self.scores if s.kind == "autograded")

    @property
    def auto_max_score(self):
        """Points possible in the autograded (test) cells."""
        return sum(s.max_score for s in self.scores if s.kind == "autograded")


def check_notebook_file(path):
    """Raise :class:`GradingError` naming ``path`` unless it is a readable Jupyter notebook.

    Parameters
    ----------
    path : path-like
        The file to check: it must exist, end in ``.ipynb``, hold JSON and
        pass nbformat's schema (after conversion to nbformat 4).

    Returns
    -------
    None

    Examples
    --------
    >>> check_notebook_file("notes.txt")  # doctest: +SKIP
    Traceback (most recent call last):
    GradingError: notes.txt: not a notebook (the file name must end in .ipynb)
    """
    import nbformat

    path = Path(path)
    if not path.exists():
        raise GradingError(f"{path}: no such file")
    if not path.is_file():
        raise GradingError(f"{path}: not a file (give the path of a .ipynb notebook)")
    if path.suffix != ".ipynb":
        raise GradingError(f"{path}: not a notebook (the file name must end in .ipynb)")
    try:
        data = json.loads(path.read_text("utf-8"))
    except OSError as exc:
        raise GradingError(f"{path}: cannot be read ({exc.strerror or exc})") from exc
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise GradingError(f"{path}: not valid JSON, so not a readable notebook ({exc})") from exc
    if not isinstance(data, dict) or "cells" not in data or "nbformat" not in data:
        raise GradingError(f"{path}: valid JSON but not a Jupyter notebook (no 'cells'/'nbformat')")
    try:
        # Parsed once: convert the dict already read (nbformat.reads would
        # parse the text again and log a second validation of its own).
        nbformat.validate(nbformat.convert(nbformat.from_dict(data), 4))
    except Exception as exc:  # nbformat raises several kinds of validation errors
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise GradingError(f"{path}: not a valid notebook ({first})") from exc


def identify_assignment(path, root=None):
    """Name of the assignment a notebook belongs to, from its file or folder name.

    ``notebooks/00_start_here/00_start_here.ipynb`` -> ``"00_start_here"``;
    a renamed copy inside the assignment's folder is recognised by the folder.

    Parameters
    ----------
    path : path-like
        The learner's notebook (it need not exist).
    root : path-like, optional
        Course root (default: found from the current folder).

    Returns
    -------
    str
        ``NN_name``.

    Raises
    ------
    GradingError
        Neither the file nor its folder is named after an assignment.

    Examples
    --------
    >>> identify_assignment("notebooks/00_start_here/00_start_here.ipynb")  # doctest: +SKIP
    '00_start_here'
    """
    path = Path(path)
    known = assignment_names(root)
    for candidate in (path.stem, path.parent.name):
        if candidate in known:
            return candidate
    hint = path.stem if ASSIGNMENT_PATTERN.match(path.stem) else path.parent.name
    raise GradingError(
        f"{path}: not a known assignment ({hint!r}); the course has: {', '.join(known)}. "
        "Keep the notebook's name NN_name.ipynb or keep it in its folder notebooks/NN_name/"
    )


def _cells(data):
    import json as _json

    try:
        return _json.loads(data)["cells"]
    except (ValueError, KeyError, TypeError):
        return []


def _sources(cells):
    return [(c.get("cell_type"), "".join(c.get("source", ""))) for c in cells]


def self_grade(path, root=None, timeout=None, feedback_dir=None, keep_workdir=False, *,
               feedback=False, cache_dir=None, sandbox=False):
    """Autograde a copy of the notebook at ``path`` with the full (hidden) tests.

    nbgrader runs in this process (its Python API, not its commands) on a
    copy of the cached generated assignment (see
    :mod:`imbalance_kit.grading.cache`): the first call for an assignment
    generates it, later calls only execute the learner's notebook and grade it.

    Parameters
    ----------
    path : path-like
        The learner's notebook (``NN_name.ipynb``); never modified (bytes and
        modification time).
    root : path-like, optional
        Course root (default: found from the current folder).
    timeout : int, optional
        Seconds one cell may run (default: ``c.Execute.timeout`` of the config).
    feedback_dir : path-like, optional
        Where to write ``NN_name.html`` (default: ``<root>/.grading/feedback``);
        giving it asks for the feedback.
    keep_workdir : bool
        Keep the temporary course folder (for debugging).
    feedback : bool, default=False
        Render the HTML feedback (without hidden tests); the per-question
        scores are returned either way.
    cache_dir : path-like, optional
        Where the generated assignments are cached (default:
        ``<root>/.grading/cache``).
    sandbox : bool, default=False
        Run the kernel in the bubblewrap sandbox of classroom grading
        (Linux, root; see :mod:`imbalance_kit.grading.sandbox`). Off by
        default: self-grading runs your own code on your own machine.

    Returns
    -------
    SelfGradeResult

    Examples
    --------
    >>> result = self_grade("notebooks/00_start_here/00_start_here.ipynb")  # doctest: +SKIP
    >>> result.auto_score  # doctest: +SKIP
    0.0
    """
    from .cache import copy_course, prepared_assignment
    from .engine import check_step, load_config, run_step, scratch_root
    from .preprocessors import grading_notes  # imports nbgrader: only when grading

    started = time.perf_counter()
    if timeout is not None:
        timeout = check_positive_int(timeout, "timeout")
    root = course_root() if root is None else Path(root)
    path = Path(path)
    check_notebook_file(path)
    if sandbox:
        from .sandbox import check_sandbox

        check_sandbox()
    name = identify_assignment(path, root)
    data = path.read_bytes()  # read once; the learner's file is not touched again
    template = prepared_assignment(name, root=root, cache_dir=cache_dir)
    source_cells = _cells((template / SOURCE_DIR / name / f"{name}.ipynb").read_bytes())
    reference = {(c.get("metadata", {}).get("nbgrader") or {}).get("grade_id"): "".join(c.get("source", ""))
                 for c in source_cells}
    notes = grading_notes(_cells(data), reference)
    course = copy_course(template, name, tempfile.mkdtemp(prefix="imbalance-selfgrade-", dir=scratch_root()))
    try:
        submitted = course / "submitted" / STUDENT / name
        submitted.mkdir(parents=True)
        (submitted / f"{name}.ipynb").write_bytes(data)
        config = None
        if sandbox:
            from .sandbox import enable

            config = enable(load_config(course, timeout), sandbox=True)
        ok, log = run_step("autograde", course, name, student=STUDENT, timeout=timeout, config=config)
        if not (course / "autograded" / STUDENT / name / f"{name}.ipynb").is_file():
            raise GradingError(f"{path}: could not be autograded:\n{_tail(log)}")
        scores = read_scores(course, name, STUDENT)
        feedback_path = None
        if feedback or feedback_dir is not None:
            check_step("generate_feedback", course, name, student=STUDENT)
            feedback_dir = root / ".grading" / "feedback" if feedback_dir is None else Path(feedback_dir)
            feedback_dir.mkdir(parents=True, exist_ok=True)
            feedback_path = feedback_dir / f"{name}.html"
            shutil.copyfile(course / "feedback" / STUDENT / name / f"{name}.html", feedback_path)
        return SelfGradeResult(assignment=name, scores=scores, feedback_path=feedback_path, notes=notes,
                               seconds=time.perf_counter() - started,
                               workdir=course if keep_workdir else None)
    finally:
        if not keep_workdir:
            shutil.rmtree(course, ignore_errors=True)


def is_started(path, name, root=None, cache_dir=None):
    """Whether the learner changed the notebook at ``path`` since its release (any cell's source).

    Outputs, execution counts and metadata do not count: a notebook only run
    is not started.

    Parameters
    ----------
    path : path-like
        The learner's copy of ``name``.
    name : str
        Its assignment.
    root, cache_dir : path-like, optional
        As for :func:`self_grade`.

    Returns
    -------
    bool

    Examples
    --------
    >>> is_started("notebooks/00_start_here/00_start_here.ipynb", "00_start_here")  # doctest: +SKIP
    False
    """
    from .cache import prepared_assignment, release_notebook

    template = prepared_assignment(name, root=root, cache_dir=cache_dir)
    released = _sources(_cells(release_notebook(template, name).read_bytes()))
    return _sources(_cells(Path(path).read_bytes())) != released


@dataclass
class ProgressRow:
    """One notebook of :func:`grade_progress`: its state, and its result when it was graded.

    Examples
    --------
    >>> ProgressRow("00_start_here", "notebooks/00_start_here/00_start_here.ipynb", "not started").result
    """

    assignment: str
    path: str
    state: str  # "graded", "not started", "missing", "error"
    result: "SelfGradeResult | None" = None
    error: str = ""


def grade_progress(folder=None, root=None, timeout=None, cache_dir=None, names=None):
    """Self-grade every notebook the learner changed since release; one row per assignment.

    Parameters
    ----------
    folder : path-like, optional
        Where the learner's notebooks are (``<folder>/NN_name/NN_name.ipynb``;
        default ``<root>/notebooks``).
    root, timeout, cache_dir : optional
        As for :func:`self_grade`.
    names : list of str, optional
        Only these assignments (default: all).

    Returns
    -------
    list of ProgressRow

    Examples
    --------
    >>> [r.state for r in grade_progress()]  # doctest: +SKIP
    ['graded', 'not started', 'not started', 'not started']
    """
    root = course_root() if root is None else Path(root)
    folder = root / RELEASE_DIR if folder is None else Path(folder)
    rows = []
    for name in select_assignments(names, root):
        path = folder / name / f"{name}.ipynb"
        shown = os.path.relpath(path) if path.resolve().is_relative_to(Path.cwd()) else str(path)
        if not path.is_file():
            rows.append(ProgressRow(name, shown, "missing"))
            continue
        try:
            if not is_started(path, name, root=root, cache_dir=cache_dir):
                rows.append(ProgressRow(name, shown, "not started"))
                continue
            result = self_grade(path, root=root, timeout=timeout, cache_dir=cache_dir)
            rows.append(ProgressRow(name, shown, "graded", result=result))
        except GradingError as exc:
            rows.append(ProgressRow(name, shown, "error", error=str(exc).splitlines()[0]))
    return rows


def format_progress(rows):
    """The table printed by ``make grade`` without ``NB=`` (and ``make progress``).

    Parameters
    ----------
    rows : list of ProgressRow

    Returns
    -------
    str

    Examples
    --------
    >>> print(format_progress([ProgressRow("01_metrics", "notebooks/01_metrics/01_metrics.ipynb",
    ...                                    "not started")]))
    notebook                               autograded   written       time  state
    -----------------------------------------------------------------------------------
    notebooks/01_metrics/01_metrics.ipynb           -         -          -  not started
    <BLANKLINE>
    0 of 1 notebook(s) graded; give one with make grade NB=... for its per-question table
    """
    table = [("notebook", "autograded", "written", "time", "state")]
    for row in rows:
        r = row.result
        if r is None:
            table.append((row.path, "-", "-", "-", row.state if not row.error else f"error: {row.error}"))
            continue
        manual = r.max_score - r.auto_max_score
        pending = any(s.needs_manual_grade for s in r.scores)
        written = "-" if not manual else ("by hand" if pending else f"{_points(r.score - r.auto_score)} / "
                                                                  f"{_points(manual)}")
        table.append((row.path, f"{_points(r.auto_score)} / {_points(r.auto_max_score)}", written,
                      f"{r.seconds:.1f} s", "graded"))
    widths = [max(len(t[i]) for t in table) for i in range(4)]
    widths[1], widths[2], widths[3] = max(widths[1], 10), max(widths[2], 8), max(widths[3], 9)
    lines = [f"{t[0]:<{widths[0]}}  {t[1]:>{widths[1]}}  {t[2]:>{widths[2]}}  {t[3]:>{widths[3]}}  {t[4]}"
             for t in table]
    lines.insert(1, "-" * max(len(line) for line in lines))
    graded = sum(1 for row in rows if row.result is not None)
    lines.append("")
    lines.append(f"{graded} of {len(rows)} notebook(s) graded; give one with make grade NB=... "
                 "for its per-question table")
    return "\n".join(lines)


def _points(x):
    return f"{x:g}"


def format_report(result):
    """The table printed by the command: one row per graded cell, then the totals.

    Parameters
    ----------
    result : SelfGradeResult

    Returns
    -------
    str
        Lines joined by newlines; errors longer than 100 characters are cut.

    Examples
    --------
    >>> print(format_report(result))  # doctest: +SKIP
    question                  points  result   first line of the error
    counts_visible             1 / 1  passed
    ...
    """
    rows = [("question", "points", "result", "first line of the error")]
    for s in result.scores:
        error = s.error if len(s.error) <= 100 else s.error[:97] + "..."
        rows.append((s.grade_id, f"{_points(s.score)} / {_points(s.max_score)}", s.status, error))
    widths = [max(len(r[i]) for r in rows) for i in range(3)]
    lines = [f"{r[0]:<{widths[0]}}  {r[1]:>{widths[1]}}  {r[2]:<{widths[2]}}  {r[3]}".rstrip()
             for r in rows]
    lines.insert(1, "-" * len(lines[0]))
    manual = result.max_score - result.auto_max_score
    lines.append("")
    lines.append(f"autograded: {_points(result.auto_score)} / {_points(result.auto_max_score)} points")
    if manual:
        lines.append(f"written answers: {_points(manual)} points, graded by a person "
                     "(use the model answers with your teacher or study group)")
    lines.append(f"total so far: {_points(result.score)} / {_points(result.max_score)}")
    for note in result.notes:
        lines.append(f"note: {note}")
    if result.feedback_path is not None:
        lines.append(f"feedback (HTML, without the hidden tests): {result.feedback_path}")
    return "\n".join(lines)


def main(argv=None):
    """Run ``python -m imbalance_kit.grading.selfgrade [NOTEBOOK]``; return the exit status.

    Parameters
    ----------
    argv : list of str, optional
        The notebook, then ``--timeout S``, ``--feedback``, ``--feedback-dir
        DIR`` if wanted (default: ``sys.argv[1:]``). Without a notebook, every
        notebook of ``notebooks/`` changed since release is graded and one
        table (score and time per notebook) is printed.

    Returns
    -------
    int
        0 when graded (whatever the score), 1 with one ``error: ...`` line
        when it could not be.

    Examples
    --------
    >>> main(["notes.txt"])  # doctest: +SKIP
    error: notes.txt: no such file
    1
    """
    from .engine import fast_imports

    fast_imports()
    parser = argparse.ArgumentParser(
        prog="python -m imbalance_kit.grading.selfgrade",
        description="Autograde your own notebook with the hidden tests (needs solutions/). "
                    "Your notebook is not modified. Without a notebook: grade every notebook "
                    "of notebooks/ you changed since release and print one table.",
    )
    parser.add_argument("notebook", nargs="?", help="path of your notebook, e.g. "
                        "notebooks/00_start_here/00_start_here.ipynb (default: all you changed)")
    parser.add_argument("--timeout", type=int, default=None, help="seconds one cell may run")
    parser.add_argument("--feedback", action="store_true",
                        help="also write the HTML feedback (without the hidden tests)")
    parser.add_argument("--feedback-dir", default=None,
                        help="where to write the HTML feedback (implies --feedback)")
    parser.add_argument("--sandbox", action="store_true",
                        help="run your notebook's kernel in the bubblewrap sandbox (Linux, as root)")
    parser.add_argument("--cache-dir", default=None, help=argparse.SUPPRESS)  # benchmarks, tests
    parser.add_argument("--folder", default=None,
                        help="without a notebook: where your notebooks are (default: notebooks/)")
    args = parser.parse_args(argv)

    def run():
        if args.timeout is not None:
            check_positive_int(args.timeout, "timeout")
        if not args.notebook:
            rows = grade_progress(folder=args.folder, timeout=args.timeout, cache_dir=args.cache_dir)
            print(format_progress(rows))
            return 1 if any(row.state == "error" for row in rows) else 0
        result = self_grade(args.notebook, timeout=args.timeout, feedback_dir=args.feedback_dir,
                            feedback=args.feedback, cache_dir=args.cache_dir, sandbox=args.sandbox)
        print(f"{result.assignment}: {args.notebook} (graded in {result.seconds:.1f} s)")
        print(format_report(result))

    return exit_status(run)


if __name__ == "__main__":
    sys.exit(main())
