"""What grading needs from the instructor source, prepared once and reused.

Every self-grade (and every classroom worker) needs the assignment generated
from ``solutions/NN_name`` and its gradebook entries (the source and points of
each graded cell). They depend only on the instructor source, the course's
``nbgrader_config.py`` and nbgrader's version, so they are built once into
``.grading/cache/NN_name-<key>/`` (a small nbgrader course folder: the config,
``solutions/NN_name/``, the generated ``notebooks/NN_name/`` and
``gradebook.db``) and copied from there. ``<key>`` is a hash of all three:
editing a solution, the config or upgrading nbgrader builds a new entry; the
old one is removed.
"""

import hashlib
import os
import shutil
import tempfile
from pathlib import Path

from .course import CONFIG_FILE, RELEASE_DIR, SOURCE_DIR, course_root, make_course, select_assignments

__all__ = ["CACHE_DIR", "copy_course", "prepared_assignment", "release_notebook", "source_key"]

#: Under the course root; ignored by git.
CACHE_DIR = Path(".grading") / "cache"
_SKIPPED = (".ipynb_checkpoints", "__pycache__")
_READY = "READY"


def source_key(name, root=None):
    """Hash of everything the generated assignment depends on (hex, 16 characters).

    The bytes and relative paths of every file in ``solutions/<name>/``, the
    bytes of ``nbgrader_config.py`` and nbgrader's version.

    Parameters
    ----------
    name : str
        Assignment (``NN_name``).
    root : path-like, optional
        Course root (default: :func:`~imbalance_kit.grading.course.course_root`).

    Returns
    -------
    str

    Examples
    --------
    >>> len(source_key("00_start_here"))  # doctest: +SKIP
    16
    """
    from nbgrader import __version__ as nbgrader_version

    root = course_root() if root is None else Path(root)
    digest = hashlib.sha256(f"nbgrader {nbgrader_version}\n".encode())
    digest.update((root / CONFIG_FILE).read_bytes())
    source = root / SOURCE_DIR / name
    for path in sorted(p for p in source.rglob("*") if p.is_file()):
        rel = path.relative_to(source)
        if any(part in _SKIPPED for part in rel.parts):
            continue
        digest.update(f"\0{rel.as_posix()}\0".encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def prepared_assignment(name, root=None, cache_dir=None):
    """The cached course folder of ``name`` with its assignment generated; built on first use.

    Parameters
    ----------
    name : str
        Assignment (``NN_name``).
    root : path-like, optional
        Course root (default: found from the current folder).
    cache_dir : path-like, optional
        Where entries live (default: ``<root>/.grading/cache``).

    Returns
    -------
    pathlib.Path
        ``<cache_dir>/<name>-<key>``: ``nbgrader_config.py``,
        ``solutions/<name>/``, ``notebooks/<name>/`` (the release) and
        ``gradebook.db``. Treat it as read-only; copy it with :func:`copy_course`.

    Examples
    --------
    >>> template = prepared_assignment("00_start_here")  # doctest: +SKIP
    >>> sorted(p.name for p in template.iterdir())  # doctest: +SKIP
    ['READY', 'gradebook.db', 'nbgrader_config.py', 'notebooks', 'solutions']
    """
    from .engine import check_step

    root = course_root() if root is None else Path(root)
    (name,) = select_assignments([name], root)
    cache_dir = root / CACHE_DIR if cache_dir is None else Path(cache_dir)
    target = cache_dir / f"{name}-{source_key(name, root)}"
    if (target / _READY).is_file():
        return target
    cache_dir.mkdir(parents=True, exist_ok=True)
    # Built beside the target and renamed into place: two commands started at
    # once never see a half-built entry.
    work = Path(tempfile.mkdtemp(prefix=f".{name}-", dir=cache_dir))
    try:
        make_course([name], root=root, dest=work)
        check_step("generate_assignment", work, name)
        (work / _READY).write_text("")
        try:
            os.rename(work, target)
        except OSError:  # another process finished first: use its entry
            if not (target / _READY).is_file():
                raise
    finally:
        shutil.rmtree(work, ignore_errors=True)
    for old in cache_dir.glob(f"{name}-*"):
        if old != target and old.is_dir():
            shutil.rmtree(old, ignore_errors=True)
    return target


def copy_course(template, name, dest):
    """Copy a prepared course folder into ``dest`` for one grading run (config, source, gradebook).

    Parameters
    ----------
    template : path-like
        From :func:`prepared_assignment`.
    name : str
        The assignment.
    dest : path-like
        Folder to fill (created).

    Returns
    -------
    pathlib.Path
        ``dest``.

    Examples
    --------
    >>> copy_course(prepared_assignment("00_start_here"), "00_start_here", "/tmp/x")  # doctest: +SKIP
    PosixPath('/tmp/x')
    """
    template, dest = Path(template), Path(dest)
    dest.mkdir(parents=True, exist_ok=True)
    for file in (CONFIG_FILE, "gradebook.db"):
        shutil.copy2(template / file, dest / file)
    shutil.copytree(template / SOURCE_DIR / name, dest / SOURCE_DIR / name)
    return dest


def release_notebook(template, name):
    """Path of the generated (student) notebook in a prepared course folder.

    Parameters
    ----------
    template : path-like
        From :func:`prepared_assignment`.
    name : str

    Returns
    -------
    pathlib.Path

    Examples
    --------
    >>> release_notebook(Path("/c"), "00_start_here").as_posix()
    '/c/notebooks/00_start_here/00_start_here.ipynb'
    """
    return Path(template) / RELEASE_DIR / name / f"{name}.ipynb"
