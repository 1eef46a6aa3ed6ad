"""Grade your own notebook, hidden tests included: ``make grade NB=path/to/NN_name.ipynb``.

Usage (from the course folder)::

    python -m imbalance_kit.grading.selfgrade notebooks/00_start_here/00_start_here.ipynb

The notebook is copied into a temporary course folder, the assignment is
generated from ``solutions/`` (so the hidden tests are there), and nbgrader
autogrades the copy; your notebook is only read, never modified. The command
prints one line per graded cell (points, passed or failed, the first line of
the error) and the total, and writes an HTML feedback file without the hidden
tests to ``.grading/feedback/NN_name.html`` under the course folder.

It needs ``solutions/``; with the student release alone, run the visible test
cells in the notebook (or JupyterLab's Validate button) instead.
"""

import argparse
import json
import shutil
import sys
from dataclasses import dataclass
from pathlib import Path

from ..validation import check_positive_int
from .course import (
    ASSIGNMENT_PATTERN, CellScore, GradingError, _tail, assignment_names, course_root,
    exit_status, make_course, read_scores, run_nbgrader,
)

__all__ = ["SelfGradeResult", "identify_assignment", "check_notebook_file", "self_grade",
           "format_report", "main"]

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
    feedback_path : pathlib.Path
        The HTML feedback (without hidden tests).

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
    feedback_path: Path

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


def self_grade(path, root=None, timeout=None, feedback_dir=None, keep_workdir=False):
    """Autograde a copy of the notebook at ``path`` with the full (hidden) tests.

    Parameters
    ----------
    path : path-like
        The learner's notebook (``NN_name.ipynb``); never modified.
    root : path-like, optional
        Course root (default: found from the current folder).
    timeout : int, optional
        Seconds one cell may run (default: ``c.Execute.timeout`` of the config).
    feedback_dir : path-like, optional
        Where to write ``NN_name.html`` (default: ``<root>/.grading/feedback``).
    keep_workdir : bool
        Keep the temporary course folder (for debugging).

    Returns
    -------
    SelfGradeResult

    Examples
    --------
    >>> result = self_grade("notebooks/00_start_here/00_start_here.ipynb")  # doctest: +SKIP
    >>> result.auto_score  # doctest: +SKIP
    0.0
    """
    if timeout is not None:
        timeout = check_positive_int(timeout, "timeout")
    root = course_root() if root is None else Path(root)
    path = Path(path)
    check_notebook_file(path)
    name = identify_assignment(path, root)
    data = path.read_bytes()  # read once; the learner's file is not touched again
    course = make_course([name], root=root)
    try:
        run_nbgrader(course, "generate_assignment", name, "--force")
        submitted = course / "submitted" / STUDENT / name
        submitted.mkdir(parents=True)
        (submitted / f"{name}.ipynb").write_bytes(data)
        proc = run_nbgrader(course, "autograde", name, "--student", STUDENT, "--force",
                            timeout=timeout, check=False)
        if not (course / "autograded" / STUDENT / name / f"{name}.ipynb").is_file():
            raise GradingError(f"{path}: could not be autograded:\n{_tail(proc.stdout + proc.stderr)}")
        run_nbgrader(course, "generate_feedback", name, "--student", STUDENT, "--force")
        scores = read_scores(course, name, STUDENT)
        feedback_dir = root / ".grading" / "feedback" if feedback_dir is None else Path(feedback_dir)
        feedback_dir.mkdir(parents=True, exist_ok=True)
        feedback_path = feedback_dir / f"{name}.html"
        shutil.copyfile(course / "feedback" / STUDENT / name / f"{name}.html", feedback_path)
        return SelfGradeResult(assignment=name, scores=scores, feedback_path=feedback_path)
    finally:
        if not keep_workdir:
            shutil.rmtree(course, ignore_errors=True)


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
    lines.append(f"feedback (HTML, without the hidden tests): {result.feedback_path}")
    return "\n".join(lines)


def main(argv=None):
    """Run ``python -m imbalance_kit.grading.selfgrade NOTEBOOK``; return the exit status.

    Parameters
    ----------
    argv : list of str, optional
        The notebook, then ``--timeout S`` and ``--feedback-dir DIR`` if wanted
        (default: ``sys.argv[1:]``).

    Returns
    -------
    int
        0 when graded (whatever the score), 1 with one ``error: ...`` line
        when it could not be, 2 when no notebook was given.

    Examples
    --------
    >>> main(["notes.txt"])  # doctest: +SKIP
    error: notes.txt: no such file
    1
    """
    parser = argparse.ArgumentParser(
        prog="python -m imbalance_kit.grading.selfgrade",
        description="Autograde your own notebook with the hidden tests (needs solutions/). "
                    "Your notebook is not modified.",
    )
    parser.add_argument("notebook", nargs="?", help="path of your notebook, e.g. "
                        "notebooks/00_start_here/00_start_here.ipynb")
    parser.add_argument("--timeout", type=int, default=None, help="seconds one cell may run")
    parser.add_argument("--feedback-dir", default=None, help="where to write the HTML feedback")
    args = parser.parse_args(argv)
    if not args.notebook:
        parser.print_usage(sys.stderr)
        print("error: give the notebook to grade, e.g. "
              "make grade NB=notebooks/00_start_here/00_start_here.ipynb", file=sys.stderr)
        return 2

    def run():
        result = self_grade(args.notebook, timeout=args.timeout, feedback_dir=args.feedback_dir)
        print(f"{result.assignment}: {args.notebook}")
        print(format_report(result))

    return exit_status(run)


if __name__ == "__main__":
    sys.exit(main())
