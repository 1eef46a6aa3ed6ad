"""The course folder as nbgrader sees it: assignments, temporary copies, commands, scores.

Every grading command of the course works in a *temporary course folder*
(``nbgrader_config.py`` + ``solutions/NN_name/`` + ``gradebook.db`` ...),
so nbgrader never writes a gradebook or stray folders into the repository.

Layout of the repository (the *course root*)::

    nbgrader_config.py
    solutions/NN_name/NN_name.ipynb   instructor source (solutions, hidden tests)
    notebooks/NN_name/NN_name.ipynb   student release (generated)
"""

import functools
import os
import re
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

__all__ = [
    "ASSIGNMENT_PATTERN",
    "CellScore",
    "GradingError",
    "assignment_names",
    "course_root",
    "exit_status",
    "make_course",
    "read_scores",
    "run_nbgrader",
    "select_assignments",
]

#: Folder (and notebook) names of assignments: two digits, underscore, snake case.
ASSIGNMENT_PATTERN = re.compile(r"^\d\d_[a-z0-9_]+$")
SOURCE_DIR = "solutions"
RELEASE_DIR = "notebooks"
CONFIG_FILE = "nbgrader_config.py"
TIMEOUT_ERRORS = ("CellTimeoutError", "KeyboardInterrupt")


class GradingError(RuntimeError):
    """A grading step failed; the message says which file and why.

    The course's commands print it as one ``error: ...`` line (see
    :func:`exit_status`) instead of a traceback.

    Examples
    --------
    >>> str(GradingError("notes.txt: not a notebook"))
    'notes.txt: not a notebook'
    """


def exit_status(action):
    """Run a command's ``action()`` and turn its outcome into a process exit status.

    The one place where every ``python -m imbalance_kit.grading.<command>``
    reports bad input: a :class:`GradingError` (or a ``ValueError`` naming a
    bad argument) is printed as one ``error: ...`` line on stderr, never as a
    traceback.

    Parameters
    ----------
    action : callable
        Takes no argument; returns an exit status, or ``None`` for success.

    Returns
    -------
    int
        ``action()``'s status (0 for ``None``), or 1 when it raised.

    Examples
    --------
    >>> def fails():
    ...     raise GradingError("42_nothing: not a known assignment")
    >>> exit_status(fails)  # prints "error: 42_nothing: not a known assignment" on stderr
    1
    >>> exit_status(lambda: None)
    0
    """
    try:
        status = action()
    except (GradingError, ValueError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    return 0 if status is None else int(status)


def course_root(start=None):
    """Return the course root: the nearest folder holding ``nbgrader_config.py`` and ``solutions/``.

    Parameters
    ----------
    start : path-like, optional
        Where to start looking (default: the current folder, then the folder
        this package was installed from in editable mode).

    Returns
    -------
    pathlib.Path

    Examples
    --------
    >>> (course_root() / "nbgrader_config.py").is_file()  # doctest: +SKIP
    True
    """
    candidates = [Path(start) if start is not None else Path.cwd()]
    if start is None:
        candidates.append(Path(__file__).resolve().parents[2])
    for candidate in candidates:
        for folder in (candidate.resolve(), *candidate.resolve().parents):
            if (folder / CONFIG_FILE).is_file() and (folder / SOURCE_DIR).is_dir():
                return folder
    raise GradingError(
        "could not find the course root (a folder with nbgrader_config.py and "
        f"solutions/) above {candidates[0]}; run the command from the course folder"
    )


def assignment_names(root=None):
    """Names of the assignments in ``solutions/`` (``NN_name`` with ``NN_name.ipynb``), sorted.

    Parameters
    ----------
    root : path-like, optional
        Course root (default: :func:`course_root`).

    Returns
    -------
    list of str

    Examples
    --------
    >>> assignment_names()[0]  # doctest: +SKIP
    '00_start_here'
    """
    root = course_root() if root is None else Path(root)
    source = root / SOURCE_DIR
    return sorted(
        d.name for d in source.iterdir()
        if d.is_dir() and ASSIGNMENT_PATTERN.match(d.name) and (d / f"{d.name}.ipynb").is_file()
    )


def select_assignments(names=None, root=None):
    """Return the assignments a command works on: ``names`` checked, or all of them.

    Parameters
    ----------
    names : list of str, optional
        Assignment names (``NN_name``); empty or None means every assignment
        of ``solutions/``.
    root : path-like, optional
        Course root (default: :func:`course_root`).

    Returns
    -------
    list of str

    Raises
    ------
    TypeError
        ``names`` is a single string (it would be read letter by letter).
    GradingError
        A name is not an assignment of the course (all are checked before
        anything runs, so a typo in the last name wastes no work).

    Examples
    --------
    >>> select_assignments(["00_start_here"])  # doctest: +SKIP
    ['00_start_here']
    >>> select_assignments("00_start_here")  # doctest: +SKIP
    Traceback (most recent call last):
    TypeError: names must be a list of assignment names such as ['00_start_here'], ...
    """
    if isinstance(names, (str, bytes, os.PathLike)):
        raise TypeError(
            f"names must be a list of assignment names such as ['00_start_here'], "
            f"got the single value {names!r}"
        )
    known = assignment_names(root)
    if not names:
        return known
    for name in names:
        if name not in known:
            raise GradingError(
                f"unknown assignment {name!r}; the course has: {', '.join(known) or 'none'}"
            )
    return list(names)


def make_course(assignments, root=None, dest=None):
    """Create a course folder with the config and the source of ``assignments``.

    Parameters
    ----------
    assignments : list of str
        Assignment names (``NN_name``) to copy from ``solutions/``.
    root : path-like, optional
        Course root to copy from (default: :func:`course_root`).
    dest : path-like, optional
        Folder to create (default: a new temporary folder; the caller deletes it).

    Returns
    -------
    pathlib.Path
        The new course folder.

    Examples
    --------
    >>> tmp = make_course(["00_start_here"])  # doctest: +SKIP
    """
    root = course_root() if root is None else Path(root)
    # An empty list copies no assignment (not all of them, as for commands).
    assignments = select_assignments(assignments, root) if assignments else []
    dest = Path(tempfile.mkdtemp(prefix="imbalance-course-")) if dest is None else Path(dest)
    dest.mkdir(parents=True, exist_ok=True)
    shutil.copy2(root / CONFIG_FILE, dest / CONFIG_FILE)
    for name in assignments:
        target = dest / SOURCE_DIR / name
        if target.exists():
            shutil.rmtree(target)
        shutil.copytree(
            root / SOURCE_DIR / name, target,
            ignore=shutil.ignore_patterns(".ipynb_checkpoints", "__pycache__"),
        )
    return dest


def run_nbgrader(course, *args, timeout=None, check=True):
    """Run ``python -m nbgrader <args>`` in ``course`` with this interpreter.

    Parameters
    ----------
    course : path-like
        Course folder (holds ``nbgrader_config.py``).
    *args : str
        nbgrader command and options, e.g. ``"autograde", "00_start_here"``.
    timeout : int, optional
        Per-cell execution timeout in seconds (``--Execute.timeout``),
        overriding ``nbgrader_config.py``.
    check : bool
        Raise :class:`GradingError` with nbgrader's log when it fails.

    Returns
    -------
    subprocess.CompletedProcess

    Examples
    --------
    >>> run_nbgrader(course, "generate_assignment", "00_start_here", "--force")  # doctest: +SKIP
    """
    course = Path(course)
    cmd = [sys.executable, "-m", "nbgrader", *args, f"--CourseDirectory.root={course}"]
    if timeout is not None:
        cmd.append(f"--Execute.timeout={int(timeout)}")
    # The kernel is found from this interpreter's environment ("python" in the
    # kernelspec resolves to sys.executable), so notebooks import the kit
    # installed here.
    ensure_scripts_on_path()
    proc = subprocess.run(cmd, cwd=course, capture_output=True, text=True)
    if check and proc.returncode != 0:
        raise GradingError(
            f"nbgrader {' '.join(args)} failed (exit {proc.returncode}):\n"
            + _tail(proc.stdout + proc.stderr)
        )
    return proc


def ensure_scripts_on_path():
    """Put this interpreter's script folder first on ``PATH``.

    nbgrader's gradebook runs the ``alembic`` command it installs next to the
    interpreter; ``.venv/bin/python -m ...`` without an activated venv would
    not find it.

    Examples
    --------
    >>> import os, sys
    >>> ensure_scripts_on_path()
    >>> os.environ["PATH"].split(os.pathsep)[0] == os.path.dirname(sys.executable)
    True
    """
    scripts = str(Path(sys.executable).parent)
    parts = os.environ.get("PATH", "").split(os.pathsep)
    if parts[0] != scripts:
        os.environ["PATH"] = os.pathsep.join([scripts, *parts])


def open_gradebook(course):
    """Open the nbgrader gradebook of a course folder (a context manager).

    Parameters
    ----------
    course : path-like
        Course folder; its ``gradebook.db`` is created when missing.

    Returns
    -------
    nbgrader.api.Gradebook
        Opened under the course id the database already holds.

    Examples
    --------
    >>> with open_gradebook(".grading/classroom") as gb:  # doctest: +SKIP
    ...     print([a.name for a in gb.assignments])
    ['00_start_here']
    """
    import sqlite3

    from nbgrader.api import Gradebook

    ensure_scripts_on_path()
    path = Path(course).resolve() / "gradebook.db"
    # Open it under the course id it already holds (nbgrader would otherwise
    # add a "default_course" row).
    course_id = "default_course"
    if path.is_file():
        with sqlite3.connect(path) as con:
            try:
                rows = con.execute("SELECT id FROM course").fetchall()
            except sqlite3.DatabaseError:
                rows = []
        if len(rows) == 1:
            course_id = rows[0][0]
    return Gradebook(f"sqlite:///{path}", course_id=course_id)


def _tail(text, lines=40):
    return "\n".join(text.strip().splitlines()[-lines:])


@dataclass
class CellScore:
    """Score of one graded cell of one submission.

    Parameters
    ----------
    grade_id : str
        nbgrader's ``grade_id`` of the cell.
    score, max_score : float
        Points earned and possible.
    kind : {"autograded", "manual"}
        A test cell, or a written answer graded by a person.
    needs_manual_grade : bool, default=False
        nbgrader still waits for a person to grade it.
    error : str, default=""
        First line of the error the cell raised, if any.

    Examples
    --------
    >>> CellScore("counts_visible", 1.0, 1.0, "autograded").status
    'passed'
    >>> CellScore("why_written", 0.0, 2.0, "manual", needs_manual_grade=True).status
    'to be graded by hand'
    """

    grade_id: str
    score: float
    max_score: float
    kind: str  # "autograded" (a test cell) or "manual" (a written answer)
    needs_manual_grade: bool = False
    error: str = ""  # first line of the error the cell raised, if any

    @property
    def status(self):
        """What the learner reads: passed, failed, or how a written answer stands."""
        if self.kind == "manual":
            if self.needs_manual_grade:
                return "to be graded by hand"
            # nbgrader skips manual grading of an answer left as released.
            return "not answered" if self.score == 0 else "graded by hand"
        return "passed" if self.score >= self.max_score else "failed"


def read_scores(course, assignment, student, gradebook=None):
    """Per-cell scores of one submission from the course's gradebook, in notebook order.

    Parameters
    ----------
    course : path-like
        Course folder.
    assignment, student : str
    gradebook : nbgrader.api.Gradebook, optional
        An open gradebook of ``course`` (saves reopening it for many students).

    Returns
    -------
    list of CellScore

    Examples
    --------
    >>> [s.grade_id for s in read_scores(course, "00_start_here", "alice")]  # doctest: +SKIP
    ['counts_visible', ...]
    """
    from nbgrader.api import MissingEntry

    course = Path(course)
    if gradebook is None:
        with open_gradebook(course) as gb:
            return read_scores(course, assignment, student, gradebook=gb)
    try:
        submission = gradebook.find_submission(assignment, student)
    except MissingEntry as exc:
        raise GradingError(f"no graded submission of {assignment} by {student}") from exc
    rows = []
    for nb in submission.notebooks:
        for grade in nb.grades:
            kind = "autograded" if grade.cell_type == "code" else "manual"
            rows.append(CellScore(
                grade_id=grade.name,
                score=float(grade.score),
                max_score=float(grade.max_score),
                kind=kind,
                needs_manual_grade=bool(grade.needs_manual_grade),
            ))
    errors = cell_errors(course / "autograded" / student / assignment / f"{assignment}.ipynb")
    for row in rows:
        row.error = errors.get(row.grade_id, "")
    order = _grade_order(course / SOURCE_DIR / assignment / f"{assignment}.ipynb")
    rows.sort(key=lambda r: order.get(r.grade_id, len(order)))
    return rows


@functools.lru_cache(maxsize=32)
def _grade_order_cached(path, mtime):
    import nbformat

    nb = nbformat.read(path, as_version=4)
    ids = [c.metadata.get("nbgrader", {}).get("grade_id") for c in nb.cells]
    return {gid: i for i, gid in enumerate(ids) if gid}


def _grade_order(path):
    path = Path(path)
    if not path.is_file():
        return {}
    return dict(_grade_order_cached(path, path.stat().st_mtime_ns))


def cell_errors(notebook_path):
    """Map grade_id -> first line of the error a cell raised in an executed notebook.

    Parameters
    ----------
    notebook_path : path-like
        An autograded notebook; a missing file gives ``{}``.

    Returns
    -------
    dict of str to str
        Only cells that raised; a timeout reads ``CellTimeoutError: ...``; a
        graded cell that lost its points only for writing to stderr (where the
        course's ``StderrToStdout`` did not run) reads ``wrote to stderr: <first line>``.

    Examples
    --------
    >>> cell_errors("autograded/alice/00_start_here/00_start_here.ipynb")  # doctest: +SKIP
    {'ratio_hidden_inverted': 'AssertionError: the ratio is majority / minority ...'}
    """
    import nbformat

    path = Path(notebook_path)
    if not path.is_file():
        return {}
    nb = nbformat.read(path, as_version=4)
    errors = {}
    for cell in nb.cells:
        gid = cell.metadata.get("nbgrader", {}).get("grade_id")
        if not gid or cell.cell_type != "code":
            continue
        found = [o for o in cell.get("outputs", []) if o.output_type == "error"]
        if not found:
            from .preprocessors import stderr_zero_note

            note = stderr_zero_note(cell)
            if note:
                errors[gid] = note
            continue
        if any(o.ename in TIMEOUT_ERRORS for o in found):
            # Nobody presses "interrupt" during autograding: an interrupt is the timeout.
            errors[gid] = "CellTimeoutError: the cell ran past the time limit and was stopped"
            continue
        output = found[0]
        text = f"{output.ename}: {output.evalue}" if output.evalue else output.ename
        errors[gid] = text.strip().splitlines()[0] if text.strip() else output.ename
    return errors
