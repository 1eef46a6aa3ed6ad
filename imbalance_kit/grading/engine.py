"""nbgrader's steps run in this process, and the environment of the kernels they start.

Starting ``python -m nbgrader ...`` costs seconds per command (the interpreter,
nbgrader's imports, its database layer) before any notebook runs; self-grading
used three such commands per call. :func:`run_step` drives nbgrader's own
converters (``GenerateAssignment``, ``Autograde``, ``GenerateFeedback``) through
their Python API instead, with the course's ``nbgrader_config.py`` loaded as
nbgrader loads it: same preprocessors, same scores, one process.

:func:`thread_limits` gives the environment that caps BLAS/OpenMP/torch threads
of a kernel; a classroom worker sets it for the kernels it starts.
"""

import io
import logging
import os
import sys
import warnings
from pathlib import Path

from .course import CONFIG_FILE, GradingError, _tail, ensure_scripts_on_path

__all__ = ["STEPS", "THREAD_VARIABLES", "check_step", "fast_imports", "load_config", "run_step",
           "scratch_root", "set_environment", "thread_limits", "worker_threads"]

#: nbgrader's command name -> its converter class (in ``nbgrader.converters``).
STEPS = {
    "generate_assignment": "GenerateAssignment",
    "autograde": "Autograde",
    "generate_feedback": "GenerateFeedback",
}

#: Variables read by OpenMP, OpenBLAS, MKL, BLIS, Apple's Accelerate and numexpr;
#: torch sizes its intra-op pool from OMP_NUM_THREADS (and MKL_NUM_THREADS).
THREAD_VARIABLES = ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS",
                    "BLIS_NUM_THREADS", "VECLIB_MAXIMUM_THREADS", "NUMEXPR_NUM_THREADS")


def fast_imports():
    """Skip an optional import that costs about two seconds of CPU per grading process.

    jsonschema (imported by nbformat) loads ``rfc3987_syntax`` when it is
    installed, only to check the ``iri`` string format, which no notebook or
    nbgrader schema uses; that module builds a parser grammar on import.
    Called by the grading commands' ``main()`` only, before nbformat is
    imported (after that it changes nothing); never by the library functions.

    Returns
    -------
    bool
        True when the import is now skipped, False when it was already done.

    Examples
    --------
    >>> fast_imports() in (True, False)
    True
    """
    if "rfc3987_syntax" in sys.modules or "jsonschema" in sys.modules:
        return False
    sys.modules["rfc3987_syntax"] = None  # "import rfc3987_syntax" now raises ImportError
    return True


def scratch_root(min_free=2**29):
    """Folder for short-lived grading folders: ``/dev/shm`` when it is a roomy tmpfs, else None.

    nbgrader commits to its SQLite gradebook once per graded cell; on a disk
    each commit waits for the data to reach it (a second or more per
    notebook on a busy machine), in memory it does not. The folders are
    temporary copies (the learner's notebook and the grading folder are never
    there), so nothing is lost if the machine stops.

    Parameters
    ----------
    min_free : int, default=512 MiB
        Bytes that must be free there (Docker's default ``/dev/shm`` is 64 MiB).

    Returns
    -------
    str or None
        For ``tempfile.mkdtemp(dir=...)``: None means the system's default.

    Examples
    --------
    >>> scratch_root() in ("/dev/shm", None)
    True
    """
    folder = "/dev/shm"
    try:
        if os.path.isdir(folder) and os.access(folder, os.W_OK | os.X_OK):
            stats = os.statvfs(folder)
            if stats.f_bavail * stats.f_frsize >= min_free:
                return folder
    except OSError:
        pass
    return None


def worker_threads(workers, cpus=None):
    """Threads each of ``workers`` parallel kernels may use: its share of the cores, at least 1.

    Parameters
    ----------
    workers : int
        Kernels running at the same time.
    cpus : int, optional
        Cores available (default: the cores this process may run on).

    Returns
    -------
    int

    Examples
    --------
    >>> worker_threads(2, cpus=8), worker_threads(4, cpus=2), worker_threads(3, cpus=8)
    (4, 1, 2)
    """
    if cpus is None:
        cpus = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    return max(1, (cpus or 1) // max(1, workers))


def thread_limits(threads):
    """Environment variables that cap BLAS/OpenMP/torch threads of a kernel at ``threads``.

    Parameters
    ----------
    threads : int

    Returns
    -------
    dict of str to str

    Examples
    --------
    >>> thread_limits(2)["OMP_NUM_THREADS"], len(thread_limits(2))
    ('2', 6)
    """
    return {name: str(int(threads)) for name in THREAD_VARIABLES}


def set_environment(env):
    """Set ``env`` in ``os.environ`` (kernels started afterwards inherit it); a worker's initializer.

    Parameters
    ----------
    env : dict of str to str

    Returns
    -------
    None

    Examples
    --------
    >>> set_environment({})
    """
    os.environ.update(env)


def load_config(course, timeout=None):
    """Load ``<course>/nbgrader_config.py`` as nbgrader does, rooted at ``course``.

    Parameters
    ----------
    course : path-like
        A course folder holding ``nbgrader_config.py``.
    timeout : int, optional
        Seconds one cell may run (overrides ``c.Execute.timeout``).

    Returns
    -------
    traitlets.config.Config

    Examples
    --------
    >>> load_config("/no/such/course")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    imbalance_kit.grading.course.GradingError: /no/such/course: no nbgrader_config.py ...
    """
    from traitlets.config.loader import PyFileConfigLoader

    course = Path(course).resolve()
    if not (course / CONFIG_FILE).is_file():
        raise GradingError(f"{course}: no {CONFIG_FILE} (not a course folder)")
    config = PyFileConfigLoader(CONFIG_FILE, path=str(course)).load_config()
    config.CourseDirectory.root = str(course)
    if timeout is not None:
        config.Execute.timeout = int(timeout)
    return config


def run_step(step, course, assignment, student=None, timeout=None, config=None):
    """Run one nbgrader step (``nbgrader <step> <assignment> --force``) in this process.

    Parameters
    ----------
    step : {"generate_assignment", "autograde", "generate_feedback"}
    course : path-like
        Course folder (holds ``nbgrader_config.py``).
    assignment : str
    student : str, optional
        Only this student (autograde, feedback); default: every one.
    timeout : int, optional
        Seconds one cell may run.
    config : traitlets.config.Config, optional
        Loaded with :func:`load_config` (default: loaded here). The one place
        to change how kernels start (a kernel name, a kernel manager), e.g.
        for a future sandboxed self-grade.

    Returns
    -------
    (bool, str)
        Whether nbgrader finished without error, and its log (warnings and
        errors): an autograde that failed for some students still returns the
        others' results, so the caller checks each output.

    Examples
    --------
    >>> ok, log = run_step("autograde", course, "00_start_here", student="me")  # doctest: +SKIP
    """
    if step not in STEPS:
        raise ValueError(f"step must be one of {sorted(STEPS)}, got {step!r}")
    import nbgrader.converters
    from nbgrader.coursedir import CourseDirectory
    from sqlalchemy.exc import SAWarning

    ensure_scripts_on_path()  # a new gradebook runs nbgrader's `alembic` command
    config = load_config(course, timeout) if config is None else config
    config = config.copy()
    config.CourseDirectory.assignment_id = assignment
    if student is not None:
        config.CourseDirectory.student_id = student
    if step == "generate_feedback":
        config.HTMLExporter.template_name = "feedback"  # as nbgrader's own API does
    coursedir = CourseDirectory(config=config)
    converter = getattr(nbgrader.converters, STEPS[step])(coursedir=coursedir, config=config)
    converter.force = True
    buffer = io.StringIO()
    handler = logging.StreamHandler(buffer)
    handler.setFormatter(logging.Formatter("[%(levelname)s] %(message)s"))
    logger = converter.log
    logger.addHandler(handler)
    # Without this, nbgrader's warnings would also reach the terminal.
    propagate = getattr(logger, "propagate", True)
    logger.propagate = False
    ok = True
    try:
        with warnings.catch_warnings():
            # nbgrader's gradebook trips SQLAlchemy autoflush warnings; harmless.
            warnings.filterwarnings("ignore", category=SAWarning)
            converter.start()
    except Exception as exc:  # nbgrader raises NbGraderException after logging the cause
        ok = False
        buffer.write(f"[ERROR] {type(exc).__name__}: {exc}\n")
    finally:
        logger.removeHandler(handler)
        logger.propagate = propagate
    return ok, buffer.getvalue()


def check_step(step, course, assignment, **kwargs):
    """:func:`run_step`, raising :class:`GradingError` with nbgrader's log when it fails.

    Parameters
    ----------
    step, course, assignment, **kwargs
        As for :func:`run_step`.

    Returns
    -------
    str
        nbgrader's log (warnings).

    Examples
    --------
    >>> check_step("generate_assignment", course, "00_start_here")  # doctest: +SKIP
    """
    ok, log = run_step(step, course, assignment, **kwargs)
    if not ok:
        raise GradingError(f"nbgrader {step} {assignment} failed:\n{_tail(log)}")
    return log
