"""Regenerate the student release ``notebooks/`` from the instructor source ``solutions/``.

Usage (from the course folder)::

    python -m imbalance_kit.grading.release              # every assignment
    python -m imbalance_kit.grading.release 00_start_here

nbgrader's ``generate_assignment`` runs in a temporary course folder (no
``gradebook.db`` or stray folders in the repository). The written notebook is
deterministic: outputs cleared, cell ids taken from the source, JSON with
``indent=1``, sorted keys and a trailing newline, so the same source always
gives byte-identical release files.
"""

import argparse
import json
import shutil
import sys
from pathlib import Path

from .course import (
    RELEASE_DIR, SOURCE_DIR, course_root, exit_status, make_course, run_nbgrader,
    select_assignments,
)

__all__ = ["generate_release", "notebook_bytes", "release", "main"]


def notebook_bytes(nb):
    """Serialise a notebook deterministically (indent 1, sorted keys, trailing newline).

    Parameters
    ----------
    nb : dict or nbformat.NotebookNode
        The notebook.

    Returns
    -------
    bytes
        UTF-8 JSON; the same notebook always gives the same bytes.

    Examples
    --------
    >>> import nbformat
    >>> notebook_bytes(nbformat.v4.new_notebook())[-2:]
    b'}\\n'
    """
    return (json.dumps(nb, indent=1, sort_keys=True, ensure_ascii=False) + "\n").encode("utf-8")


def _normalise(release_nb, source_nb):
    # Cell ids: nbgrader keeps them, but a source without ids would get random
    # ones; take them from the source (lint requires them) or number the cells.
    for i, cell in enumerate(release_nb["cells"]):
        source_id = source_nb["cells"][i].get("id") if i < len(source_nb["cells"]) else None
        cell["id"] = source_id or f"cell-{i}"
        if cell["cell_type"] == "code":
            cell["outputs"] = []
            cell["execution_count"] = None
    # Cell ids exist from nbformat 4.5 on.
    release_nb["nbformat"], release_nb["nbformat_minor"] = 4, max(5, release_nb.get("nbformat_minor", 0))
    return release_nb


def generate_release(name, root=None, workdir=None):
    """Generate the release of one assignment; return ``{relative path: bytes}`` of its files.

    Nothing is written to the course root; :func:`release` writes the files.

    Parameters
    ----------
    name : str
        Assignment name (``NN_name``).
    root : path-like, optional
        Course root (default: found from the current folder).
    workdir : path-like, optional
        Temporary course folder to use (default: a new one, deleted afterwards).

    Returns
    -------
    dict of str to bytes
        File path relative to ``notebooks/NN_name/`` -> content.

    Raises
    ------
    GradingError
        Unknown assignment, or nbgrader failed (its log is in the message).

    Examples
    --------
    >>> files = generate_release("00_start_here")  # doctest: +SKIP
    >>> sorted(files)  # doctest: +SKIP
    ['00_start_here.ipynb']
    """
    root = course_root() if root is None else Path(root)
    course = make_course([name], root=root, dest=workdir)
    try:
        run_nbgrader(course, "generate_assignment", name, "--force")
        out = course / RELEASE_DIR / name
        source_nb = json.loads((course / SOURCE_DIR / name / f"{name}.ipynb").read_text("utf-8"))
        files = {}
        for path in sorted(p for p in out.rglob("*") if p.is_file()):
            rel = path.relative_to(out).as_posix()
            if path.suffix == ".ipynb":
                nb = json.loads(path.read_text("utf-8"))
                twin = course / SOURCE_DIR / name / rel
                src = json.loads(twin.read_text("utf-8")) if twin.is_file() else source_nb
                files[rel] = notebook_bytes(_normalise(nb, src))
            else:
                files[rel] = path.read_bytes()
        return files
    finally:
        if workdir is None:
            shutil.rmtree(course, ignore_errors=True)


def release(names=None, root=None):
    """Write the release of ``names`` (default: every assignment) into ``notebooks/``.

    Files of ``notebooks/NN_name/`` that the release no longer produces are
    removed; a file whose bytes did not change is not rewritten.

    Parameters
    ----------
    names : list of str, optional
        Assignments (default: every one in ``solutions/``).
    root : path-like, optional
        Course root (default: found from the current folder).

    Returns
    -------
    list of pathlib.Path
        The release files (written or already up to date).

    Examples
    --------
    >>> release(["00_start_here"])  # doctest: +SKIP
    [PosixPath('.../notebooks/00_start_here/00_start_here.ipynb')]
    """
    root = course_root() if root is None else Path(root)
    names = select_assignments(names, root)
    written = []
    for name in names:
        files = generate_release(name, root=root)
        target = root / RELEASE_DIR / name
        if target.exists():
            for old in target.rglob("*"):
                if old.is_file() and old.relative_to(target).as_posix() not in files \
                        and ".ipynb_checkpoints" not in old.parts:
                    old.unlink()
        for rel, data in files.items():
            path = target / rel
            path.parent.mkdir(parents=True, exist_ok=True)
            if not path.is_file() or path.read_bytes() != data:
                path.write_bytes(data)
            written.append(path)
    return written


def main(argv=None):
    """Run ``python -m imbalance_kit.grading.release [NN_name ...]``; return the exit status.

    Parameters
    ----------
    argv : list of str, optional
        Assignment names; none means all of them (default: ``sys.argv[1:]``).

    Returns
    -------
    int
        0 on success, 1 with one ``error: ...`` line on stderr otherwise.

    Examples
    --------
    >>> main(["42_nothing"])  # doctest: +SKIP
    error: unknown assignment '42_nothing'; the course has: 00_start_here, ...
    1
    """
    parser = argparse.ArgumentParser(
        prog="python -m imbalance_kit.grading.release",
        description="Regenerate notebooks/ (student release) from solutions/ (instructor source).",
    )
    parser.add_argument("assignments", nargs="*", help="assignment names, e.g. 00_start_here (default: all)")
    args = parser.parse_args(argv)

    def run():
        for path in release(args.assignments or None):
            print(f"wrote {path}")

    return exit_status(run)


if __name__ == "__main__":
    sys.exit(main())
