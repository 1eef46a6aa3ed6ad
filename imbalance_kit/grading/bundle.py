"""The student bundle: a zip a learner works from without any instructor material.

Build it from the course folder (``make student-bundle``)::

    python -m imbalance_kit.grading.bundle build [--out dist/student-bundle.zip]

Inside the unzipped bundle (``imbalanced-learning/``), ``make lab`` opens the
course and ``make grade NB=notebooks/NN_name/NN_name.ipynb`` self-grades with
the **visible tests only**, which run here as::

    python -m imbalance_kit.grading.bundle grade [NOTEBOOK] [--feedback]

What the zip holds: ``notebooks/`` (the student release), ``pristine/`` (the
same notebooks as handed out, which ``make grade`` grades against, and
``hidden_tests.json``: the ``grade_id`` of each test cell that has hidden tests,
no test code), the kit ``imbalance_kit/``, ``pyproject.toml``,
``environment.yml``, ``nbgrader_config.py``, ``LICENSE``, a ``README.md`` made
of the learner's part of the course README, a ``Makefile`` (``setup``,
``data``, ``lab``, ``grade``) and ``jupyter/``, the configuration ``make lab``
puts first on ``JUPYTER_CONFIG_PATH``: nbgrader's instructor tools (Create
Assignment, Formgrader, Course List) and JupyterLab's news prompt are off.
There is no ``solutions/``, no hidden test and no solution in it; the build
refuses to write a bundle whose notebooks hold nbgrader's solution or
hidden-test delimiters.
"""

import argparse
import io
import json
import os
import shutil
import sys
import tempfile
import zipfile
from pathlib import Path

from .course import CONFIG_FILE, RELEASE_DIR, SOURCE_DIR, GradingError, assignment_names, course_root, exit_status

__all__ = ["BUNDLE_DIR", "DISABLED_LAB_PLUGINS", "DISABLED_SERVER_EXTENSIONS", "PRISTINE_DIR", "build",
           "changed_notebooks", "format_visible_report", "grade_visible", "hidden_test_cells", "main",
           "student_readme"]

#: Top folder inside the zip.
BUNDLE_DIR = "imbalanced-learning"
#: Notebooks as handed out (``make grade`` grades against them).
PRISTINE_DIR = "pristine"
HIDDEN_FILE = "hidden_tests.json"

#: JupyterLab plugins a learner does not need: nbgrader's instructor tools and the news prompt.
DISABLED_LAB_PLUGINS = (
    "@jupyter/nbgrader:create-assignment",
    "@jupyter/nbgrader:formgrader",
    "@jupyter/nbgrader:course-list",
    "@jupyterlab/apputils-extension:announcements",
)
#: nbgrader's server extensions for instructors (Validate and Assignments stay on).
DISABLED_SERVER_EXTENSIONS = (
    "nbgrader.server_extensions.formgrader",
    "nbgrader.server_extensions.course_list",
)
# nbgrader's delimiters: none may reach a student notebook.
_MARKERS = ("BEGIN SOLUTION", "END SOLUTION", "BEGIN HIDDEN TESTS", "END HIDDEN TESTS")
# README sections a learner needs (the others are for instructors and developers).
_README_SECTIONS = ("Curriculum", "The helper package `imbalance_kit`", "Where the data comes from", "License")

_MAKEFILE = """\
# Student bundle of the course 'Learning from imbalanced data'.
#   make lab                                   set up (first run: a few minutes) and open JupyterLab
#   make grade NB=notebooks/NN_name/NN_name.ipynb   check a notebook with its visible tests
#   make grade                                 the same for every notebook you changed
PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed
ROOT_FLAG := $(if $(filter 0,$(shell id -u)),--allow-root,)
NB ?=
LAB_ARGS ?=
# Student tools only: jupyter/ switches off nbgrader's instructor panels and the news prompt.
export JUPYTER_CONFIG_PATH := $(CURDIR)/jupyter

.PHONY: setup data lab grade

$(STAMP): pyproject.toml
\t@test -x $(PY) || $(PYTHON) -m venv $(VENV)
\t$(PY) -m pip install --quiet --disable-pip-version-check -e .
\t@touch $(STAMP)

setup: $(STAMP)

data: setup
\t@$(PY) -m imbalance_kit.datasets fetch --quiet-fail

lab: data
\t$(VENV)/bin/jupyter lab $(ROOT_FLAG) --notebook-dir=. $(LAB_ARGS)

grade: setup
\t$(PY) -m imbalance_kit.grading.bundle grade $(NB) $(if $(FEEDBACK),--feedback,)
"""

_INTRO = """\
# Learning from imbalanced data: student bundle

```bash
make lab                                          # set up (first run: a few minutes), open JupyterLab
make grade NB=notebooks/01_metrics/01_metrics.ipynb   # check a notebook with its visible tests
```

You need Python 3.11+, `make` and access to PyPI (or `conda env create -f environment.yml`).
Work through `notebooks/` in order; each notebook runs in about two minutes on a laptop CPU.

**Grading here uses the visible tests only.** The tests you see in each notebook are part of
the grade; your instructor's grade also runs hidden tests that are not in this bundle.
`make grade` runs your notebook the way the autograder does (a copy: your file is not
modified), scores the visible tests, and lists the cells whose hidden tests only your
instructor runs, without points. JupyterLab's *Validate* button does the same check from the
toolbar. `FEEDBACK=1` also writes an HTML report to `.grading/feedback/`.

"""


def _sections(text):
    # "## Title" -> the section's text (title line included).
    out, title, lines = {}, None, []
    for line in text.splitlines(keepends=True):
        if line.startswith("## "):
            if title is not None:
                out[title] = "".join(lines)
            title, lines = line[3:].strip(), []
        if title is not None:
            lines.append(line)
    if title is not None:
        out[title] = "".join(lines)
    return out


def student_readme(text):
    """The bundle's README: a short how-to, then the learner's sections of the course README.

    Parameters
    ----------
    text : str
        The course README.

    Returns
    -------
    str

    Examples
    --------
    >>> readme = student_readme("# C\\n\\n## Curriculum\\n\\nthe table\\n\\n## Repository layout\\n\\nsolutions/\\n")
    >>> "the table" in readme, "solutions/" in readme
    (True, False)
    """
    # The bundle has no `make test` (no tests/ in it).
    text = text.replace(", `make test` and", " and")
    sections = _sections(text)
    return _INTRO + "".join(sections[title].rstrip() + "\n\n" for title in _README_SECTIONS
                            if title in sections).rstrip() + "\n"


def hidden_test_cells(cells):
    """``grade_id`` of every test cell of an instructor notebook that holds hidden tests.

    Parameters
    ----------
    cells : list of dict
        The notebook's cells (nbformat JSON).

    Returns
    -------
    list of str
        In notebook order.

    Examples
    --------
    >>> cells = [{"cell_type": "code", "source": "assert 1\\n### BEGIN HIDDEN TESTS\\nassert 2\\n### END HIDDEN TESTS",
    ...           "metadata": {"nbgrader": {"grade": True, "grade_id": "t1", "points": 1}}},
    ...          {"cell_type": "code", "source": "assert 1",
    ...           "metadata": {"nbgrader": {"grade": True, "grade_id": "t2", "points": 1}}}]
    >>> hidden_test_cells(cells)
    ['t1']
    """
    out = []
    for cell in cells:
        meta = cell.get("metadata", {}).get("nbgrader") or {}
        if meta.get("grade") and "BEGIN HIDDEN TESTS" in "".join(cell.get("source", "")):
            out.append(meta.get("grade_id"))
    return out


def _write_text(archive, name, text):
    # writestr alone would store the file as owner-only (0600).
    info = zipfile.ZipInfo(name, date_time=(2020, 1, 1, 0, 0, 0))
    info.external_attr = 0o644 << 16
    info.compress_type = zipfile.ZIP_DEFLATED
    archive.writestr(info, text)


def _add_tree(archive, folder, prefix):
    for path in sorted(Path(folder).rglob("*")):
        parts = set(path.relative_to(folder).parts)
        if path.is_file() and not parts & {"__pycache__", ".ipynb_checkpoints"} and path.suffix != ".pyc":
            archive.write(path, f"{prefix}/{path.relative_to(folder).as_posix()}")


def _check_release(folder):
    # The build's own guard: a notebook with a delimiter would hand out a solution or a hidden test.
    for path in sorted(Path(folder).rglob("*.ipynb")):
        if ".ipynb_checkpoints" in path.parts:
            continue
        text = path.read_text("utf-8")
        for marker in _MARKERS:
            if marker in text:
                raise GradingError(f"{path}: holds {marker!r}; regenerate the release (make release) "
                                   "before building the student bundle")


def build(out, root=None):
    """Write the student bundle (a zip) to ``out``; return its path.

    Parameters
    ----------
    out : path-like
        The zip to write (its folder is created).
    root : path-like, optional
        Course root (default: found from the current folder).

    Returns
    -------
    pathlib.Path

    Raises
    ------
    GradingError
        A notebook of ``notebooks/`` holds a solution or hidden-test delimiter.

    Examples
    --------
    >>> build("dist/student-bundle.zip")  # doctest: +SKIP
    PosixPath('dist/student-bundle.zip')
    """
    root = course_root() if root is None else Path(root)
    out = Path(out)
    release = root / RELEASE_DIR
    _check_release(release)
    hidden = {}
    for name in assignment_names(root):
        source = json.loads((root / SOURCE_DIR / name / f"{name}.ipynb").read_text("utf-8"))
        hidden[name] = hidden_test_cells(source["cells"])
    out.parent.mkdir(parents=True, exist_ok=True)
    top = BUNDLE_DIR
    page_config = {"disabledExtensions": {name: True for name in DISABLED_LAB_PLUGINS}}
    server_config = {
        "ServerApp": {"jpserver_extensions": {name: False for name in DISABLED_SERVER_EXTENSIONS}},
        # No news feed, no update check (the server side of the news prompt).
        "LabApp": {"news_url": None, "check_for_updates_class": "jupyterlab.NeverCheckForUpdate"},
    }
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        _add_tree(archive, release, f"{top}/{RELEASE_DIR}")
        _add_tree(archive, release, f"{top}/{PRISTINE_DIR}")
        _write_text(archive, f"{top}/{PRISTINE_DIR}/{HIDDEN_FILE}", json.dumps(hidden, indent=1) + "\n")
        _add_tree(archive, root / "imbalance_kit", f"{top}/imbalance_kit")
        for name in ("pyproject.toml", "environment.yml", CONFIG_FILE, "LICENSE"):
            if (root / name).is_file():
                archive.write(root / name, f"{top}/{name}")
        _write_text(archive, f"{top}/README.md", student_readme((root / "README.md").read_text("utf-8")))
        _write_text(archive, f"{top}/Makefile", _MAKEFILE)
        _write_text(archive, f"{top}/jupyter/labconfig/page_config.json", json.dumps(page_config, indent=1) + "\n")
        _write_text(archive, f"{top}/jupyter/jupyter_server_config.json", json.dumps(server_config, indent=1) + "\n")
    out.write_bytes(buffer.getvalue())
    return out


def _bundle_root(start=None):
    # The nearest folder holding pristine/hidden_tests.json.
    start = Path.cwd() if start is None else Path(start)
    for folder in [start.resolve(), *start.resolve().parents]:
        if (folder / PRISTINE_DIR / HIDDEN_FILE).is_file():
            return folder
    raise GradingError(f"no student bundle (a folder with {PRISTINE_DIR}/{HIDDEN_FILE}) above {start}; "
                       "run the command inside the unzipped bundle")


def _sources(path):
    cells = json.loads(Path(path).read_text("utf-8"))["cells"]
    return ["".join(c.get("source", "")) for c in cells]


def changed_notebooks(bundle):
    """Notebooks of ``notebooks/`` whose cells differ from the pristine copies.

    Parameters
    ----------
    bundle : path-like
        The unzipped bundle.

    Returns
    -------
    list of pathlib.Path

    Examples
    --------
    >>> changed_notebooks("imbalanced-learning")  # doctest: +SKIP
    [PosixPath('imbalanced-learning/notebooks/00_start_here/00_start_here.ipynb')]
    """
    bundle = Path(bundle)
    out = []
    for pristine in sorted((bundle / PRISTINE_DIR).glob("*/*.ipynb")):
        mine = bundle / RELEASE_DIR / pristine.parent.name / pristine.name
        try:
            if mine.is_file() and _sources(mine) != _sources(pristine):
                out.append(mine)
        except (OSError, ValueError, KeyError):
            out.append(mine)  # unreadable: grading it says why
    return out


def grade_visible(path, bundle=None, timeout=None, feedback=False):
    """Self-grade a notebook of the bundle with its visible tests; return ``(result, hidden ids)``.

    The pristine notebook plays the instructor's source: nbgrader puts back
    the visible test cells a learner edited or deleted and runs them, exactly
    as :func:`~imbalance_kit.grading.selfgrade.self_grade` does with the
    full tests.

    Parameters
    ----------
    path : path-like
        The learner's notebook (never modified).
    bundle : path-like, optional
        The unzipped bundle (default: found from the current folder).
    timeout : int, optional
        Seconds one cell may run.
    feedback : bool, default=False
        Also write ``.grading/feedback/NN_name.html``.

    Returns
    -------
    (SelfGradeResult, list of str)
        The scores, and the ``grade_id`` of the cells whose hidden tests only
        the instructor runs.

    Examples
    --------
    >>> result, hidden = grade_visible("notebooks/00_start_here/00_start_here.ipynb")  # doctest: +SKIP
    """
    from .selfgrade import identify_assignment, self_grade

    bundle = _bundle_root(bundle)
    hidden = json.loads((bundle / PRISTINE_DIR / HIDDEN_FILE).read_text("utf-8"))
    tmp = Path(tempfile.mkdtemp(prefix="imbalance-bundle-grade-"))
    try:
        shutil.copy2(bundle / CONFIG_FILE, tmp / CONFIG_FILE)
        shutil.copytree(bundle / PRISTINE_DIR, tmp / SOURCE_DIR,
                        ignore=shutil.ignore_patterns(HIDDEN_FILE, ".ipynb_checkpoints"))
        name = identify_assignment(path, tmp)
        result = self_grade(path, root=tmp, timeout=timeout, cache_dir=bundle / ".grading" / "cache",
                            feedback_dir=bundle / ".grading" / "feedback" if feedback else None)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return result, hidden.get(name, [])


def format_visible_report(result, hidden):
    """The table ``make grade`` prints in a bundle: visible tests scored, hidden-test cells named.

    Parameters
    ----------
    result : SelfGradeResult
    hidden : list of str
        ``grade_id`` of cells whose hidden tests only the instructor runs.

    Returns
    -------
    str

    Examples
    --------
    >>> from imbalance_kit.grading.course import CellScore
    >>> from imbalance_kit.grading.selfgrade import SelfGradeResult
    >>> r = SelfGradeResult("00_start_here", [CellScore("a_visible", 1.0, 1.0, "autograded"),
    ...                     CellScore("a_hidden", 1.0, 1.0, "autograded")])
    >>> print(format_visible_report(r, ["a_hidden"]))  # doctest: +NORMALIZE_WHITESPACE
    question   points  result                                   first line of the error
    -----------------------------------------------------------------------------------
    a_visible   1 / 1  passed
    a_hidden        -  hidden tests: graded by your instructor
    <BLANKLINE>
    visible tests: 1 / 1 points (visible tests only: this bundle has no hidden tests)
    hidden tests: 1 cell(s), 1 point(s), graded by your instructor
    """
    rows = [("question", "points", "result", "first line of the error")]
    visible = [s for s in result.scores if s.kind == "autograded" and s.grade_id not in hidden]
    for s in result.scores:
        if s.grade_id in hidden:
            # Its visible part (if any) ran; the points depend on tests not in this bundle.
            status = "hidden tests: graded by your instructor"
            if s.error:
                status = "visible part failed; hidden tests: graded by your instructor"
            rows.append((s.grade_id, "-", status, s.error[:100]))
        else:
            error = s.error if len(s.error) <= 100 else s.error[:97] + "..."
            rows.append((s.grade_id, f"{s.score:g} / {s.max_score:g}", s.status, error))
    widths = [max(len(r[i]) for r in rows) for i in range(3)]
    lines = [f"{r[0]:<{widths[0]}}  {r[1]:>{widths[1]}}  {r[2]:<{widths[2]}}  {r[3]}".rstrip() for r in rows]
    lines.insert(1, "-" * len(lines[0]))
    lines.append("")
    lines.append(f"visible tests: {sum(s.score for s in visible):g} / {sum(s.max_score for s in visible):g} "
                 "points (visible tests only: this bundle has no hidden tests)")
    held = [s for s in result.scores if s.grade_id in hidden]
    if held:
        lines.append(f"hidden tests: {len(held)} cell(s), {sum(s.max_score for s in held):g} point(s), "
                     "graded by your instructor")
    manual = [s for s in result.scores if s.kind == "manual"]
    if manual:
        lines.append(f"written answers: {sum(s.max_score for s in manual):g} points, graded by a person")
    for note in result.notes:
        lines.append(f"note: {note}")
    if result.feedback_path is not None:
        lines.append(f"feedback (HTML, visible tests only): {result.feedback_path}")
    return "\n".join(lines)


def main(argv=None):
    """Run ``python -m imbalance_kit.grading.bundle {build,grade} ...``; return the exit status.

    Parameters
    ----------
    argv : list of str, optional
        ``["build", "--out", PATH]`` (in the course folder) or ``["grade",
        NOTEBOOK, "--feedback"]`` (in the unzipped bundle).

    Returns
    -------
    int
        0 on success, 1 with one ``error: ...`` line.

    Examples
    --------
    >>> main(["grade", "notebooks/00_start_here/00_start_here.ipynb"])  # doctest: +SKIP
    """
    from .engine import fast_imports

    parser = argparse.ArgumentParser(prog="python -m imbalance_kit.grading.bundle",
                                     description="Build the student bundle, or grade in it (visible tests).")
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser("build", help="write the student bundle zip (run in the course folder)")
    p.add_argument("--out", default="dist/student-bundle.zip")
    p = sub.add_parser("grade", help="grade your notebook with its visible tests (in the bundle)")
    p.add_argument("notebook", nargs="?", help="default: every notebook you changed")
    p.add_argument("--timeout", type=int, default=None, help="seconds one cell may run")
    p.add_argument("--feedback", action="store_true", help="also write the HTML feedback")
    args = parser.parse_args(argv)
    fast_imports()

    def run():
        if args.command == "build":
            path = build(args.out)
            print(f"wrote {path}: unzip it, then 'make lab' inside {BUNDLE_DIR}/")
            return 0
        notebooks = [args.notebook] if args.notebook else changed_notebooks(_bundle_root())
        if not notebooks:
            print("no notebook changed since you got it: nothing to grade")
        for notebook in notebooks:
            result, hidden = grade_visible(notebook, timeout=args.timeout, feedback=args.feedback)
            print(f"{result.assignment}: {os.path.relpath(notebook)} (graded in {result.seconds:.1f} s)")
            print(format_visible_report(result, hidden))
        return 0

    return exit_status(run)


if __name__ == "__main__":
    sys.exit(main())
