"""Autograde on a Dask cluster: each batch travels to a worker and its grades travel back.

``classroom autograde --scheduler ADDRESS`` sends the same batches as the
process pool to the workers of a running Dask ``distributed`` scheduler
(``dask scheduler`` / ``dask worker ADDRESS``, a ``LocalCluster``, Dask on
Kubernetes...). A worker needs the course's Python environment (this package,
nbgrader, the libraries the notebooks import) and nothing else: no shared
folder. Each task carries its files (``nbgrader_config.py``, the gradebook as
it was before the batch, ``solutions/NN_name/`` and the batch's submissions),
the worker writes them into a private temporary course, calls
:func:`~imbalance_kit.grading.classroom.autograde_batch` (the function the
process pool calls, with whatever it wraps around the kernel) and sends back
the results with the autograded notebooks and the worker's gradebook, which
the instructor's process merges into the grading folder exactly as for the
process pool.

A worker process grades one batch at a time (nbgrader's converters are not
meant to run side by side in one interpreter), so start workers with one
thread each (``dask worker ADDRESS --nthreads 1 --nworkers N``); the kernels
of a worker get ``cores // worker processes on that host`` BLAS/OpenMP/torch
threads, like the process pool's.
"""

import io
import os
import shutil
import tempfile
import threading
import zipfile
from pathlib import Path

from .course import CONFIG_FILE, SOURCE_DIR, GradingError
from .engine import scratch_root, set_environment, thread_limits, worker_threads

__all__ = ["connect", "grade_remote", "pack_batch", "pack_folder", "run_batches", "slots_per_host", "unpack"]

# One nbgrader autograde at a time per worker process (see the module docstring).
_ONE_AT_A_TIME = threading.Lock()


def pack_folder(folder, prefix="", archive=None):
    """Add every file under ``folder`` to a zip archive, named ``prefix/relative/path``.

    Parameters
    ----------
    folder : path-like
    prefix : str, default=""
        Path inside the archive.
    archive : zipfile.ZipFile, optional
        Archive to add to (default: a new one, returned as bytes).

    Returns
    -------
    bytes or None
        The archive's bytes when it was made here, else None.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> d = pathlib.Path(tempfile.mkdtemp())
    >>> _ = (d / "a.txt").write_text("hi")
    >>> out = pathlib.Path(tempfile.mkdtemp())
    >>> unpack(pack_folder(d, "x"), out)
    >>> (out / "x" / "a.txt").read_text()
    'hi'
    """
    own = archive is None
    buffer = io.BytesIO()
    if own:
        archive = zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED)
    folder = Path(folder)
    for path in sorted(folder.rglob("*")):
        if path.is_file() and ".ipynb_checkpoints" not in path.parts:
            archive.write(path, str(Path(prefix) / path.relative_to(folder)))
    if own:
        archive.close()
        return buffer.getvalue()
    return None


def unpack(data, dest):
    """Extract zip bytes made by :func:`pack_folder` or :func:`pack_batch` into ``dest``.

    Member names that would land outside ``dest`` (absolute, ``..``) are refused.

    Parameters
    ----------
    data : bytes
    dest : path-like

    Returns
    -------
    None

    Examples
    --------
    >>> import io, zipfile, tempfile
    >>> buffer = io.BytesIO()
    >>> with zipfile.ZipFile(buffer, "w") as z:
    ...     z.writestr("../evil", "x")
    >>> unpack(buffer.getvalue(), tempfile.mkdtemp())
    Traceback (most recent call last):
    imbalance_kit.grading.course.GradingError: archive member '../evil' would land outside ...
    """
    dest = Path(dest).resolve()
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        for member in archive.namelist():
            target = (dest / member).resolve()
            if dest != target and dest not in target.parents:
                raise GradingError(f"archive member {member!r} would land outside {dest}")
        archive.extractall(dest)


def pack_batch(course, name, students, template):
    """The files a worker needs to grade ``students``' submissions of ``name``, as zip bytes.

    Parameters
    ----------
    course : path-like
        Grading folder.
    name : str
        Assignment.
    students : list of str
    template : path-like
        Folder holding the gradebook as it was before the batch.

    Returns
    -------
    bytes
        ``course/nbgrader_config.py``, ``course/solutions/<name>/...``,
        ``course/submitted/<student>/<name>/...`` and ``template/gradebook.db``.

    Examples
    --------
    >>> data = pack_batch(course, "00_start_here", ["alice"], template)  # doctest: +SKIP
    """
    course, template = Path(course), Path(template)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.write(course / CONFIG_FILE, f"course/{CONFIG_FILE}")
        archive.write(template / "gradebook.db", "template/gradebook.db")
        pack_folder(course / SOURCE_DIR / name, f"course/{SOURCE_DIR}/{name}", archive)
        for student in students:
            folder = course / "submitted" / student / name
            if folder.is_dir():
                pack_folder(folder, f"course/submitted/{student}/{name}", archive)
    return buffer.getvalue()


def slots_per_host(workers):
    """Worker processes per host, from ``Client.scheduler_info()["workers"]``.

    Parameters
    ----------
    workers : dict
        Worker address -> its info (``"host"``).

    Returns
    -------
    dict of str to int

    Examples
    --------
    >>> slots_per_host({"tcp://10.0.0.1:1": {"host": "10.0.0.1"}, "tcp://10.0.0.1:2": {"host": "10.0.0.1"},
    ...                 "tcp://10.0.0.2:1": {"host": "10.0.0.2"}})
    {'10.0.0.1': 2, '10.0.0.2': 1}
    """
    slots = {}
    for address, info in workers.items():
        host = info.get("host") or address.rsplit("://", 1)[-1].rsplit(":", 1)[0]
        slots[host] = slots.get(host, 0) + 1
    return slots


def _kernel_threads(slots):
    # This worker's share of its host's cores (slots: host -> worker processes there).
    try:
        from distributed import get_worker

        worker = get_worker()
        host = worker.address.rsplit("://", 1)[-1].rsplit(":", 1)[0]
        return worker_threads(slots.get(host, 1))
    except (ImportError, ValueError):  # not on a Dask worker (called directly)
        return worker_threads(1)


def grade_remote(data, name, students, timeout=None, slots=None, sandbox=True):
    """Grade one packed batch on this machine (a Dask task); return results and packed grades.

    Parameters
    ----------
    data : bytes
        From :func:`pack_batch`.
    name : str
    students : list of str
    timeout : int, optional
        Seconds one cell may run.
    slots : dict of str to int, optional
        Worker processes per host (:func:`slots_per_host`): the kernels' thread cap.
    sandbox : bool, default=True
        Run each kernel in the bubblewrap sandbox of this worker's machine.

    Returns
    -------
    (list of SubmissionResult, bytes or None)
        The results, and ``autograded/<student>/<name>/`` of the graded
        students with the worker's ``gradebook.db`` as zip bytes (None when
        nothing was graded).

    Examples
    --------
    >>> results, packed = grade_remote(pack_batch(course, name, ["alice"], template), name, ["alice"])  # doctest: +SKIP
    """
    from .classroom import SubmissionResult, autograde_batch

    with _ONE_AT_A_TIME:
        set_environment(thread_limits(_kernel_threads(slots or {})))
        tmp = Path(tempfile.mkdtemp(prefix=f"dask-{name}-", dir=scratch_root()))
        work = None
        try:
            unpack(data, tmp)
            results, work = autograde_batch(tmp / "course", name, students, tmp / "template", timeout, sandbox)
            if work is None:
                return results, None
            buffer = io.BytesIO()
            with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
                archive.write(work / "gradebook.db", "gradebook.db")
                for result in results:
                    folder = work / "autograded" / result.student / name
                    if result.ok and folder.is_dir():
                        pack_folder(folder, f"autograded/{result.student}/{name}", archive)
            return results, buffer.getvalue()
        except Exception as exc:  # a worker never takes the batch down
            return [SubmissionResult(s, name, error=f"{s}/{name}: on the Dask worker: {type(exc).__name__}: {exc}")
                    for s in students], None
        finally:
            if work is not None:
                shutil.rmtree(work, ignore_errors=True)
            shutil.rmtree(tmp, ignore_errors=True)


def connect(scheduler, timeout=30):
    """A ``distributed.Client`` of the scheduler at ``scheduler``, with a clear error when it is not there.

    Parameters
    ----------
    scheduler : str
        Address, e.g. ``tcp://10.0.0.5:8786``.
    timeout : float, default=30
        Seconds to wait for the scheduler.

    Returns
    -------
    distributed.Client

    Examples
    --------
    >>> connect("tcp://127.0.0.1:1", timeout=1)  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    imbalance_kit.grading.course.GradingError: no Dask scheduler answers at tcp://127.0.0.1:1 ...
    """
    try:
        from distributed import Client
    except ImportError as exc:  # pragma: no cover - pinned in the test extra
        raise GradingError("--scheduler needs the 'distributed' package: pip install -e '.[test]'") from exc
    try:
        client = Client(scheduler, timeout=timeout)
    except (OSError, TimeoutError) as exc:
        raise GradingError(f"no Dask scheduler answers at {scheduler} ({type(exc).__name__}: {exc}); "
                           "start one with 'dask scheduler' and workers with 'dask worker ADDRESS'") from exc
    if not client.scheduler_info().get("workers"):
        client.close()
        raise GradingError(f"the Dask scheduler at {scheduler} has no worker; start some with "
                           f"'dask worker {scheduler} --nthreads 1'")
    return client


def run_batches(client, course, jobs, template, timeout, finish, sandbox=True):
    """Grade ``jobs`` (``(name, students)`` pairs) on the cluster; ``finish(results, work)`` for each.

    ``work`` is a local folder holding the unpacked grades (deleted by ``finish``) or None.

    Parameters
    ----------
    client : distributed.Client
    course : path-like
    jobs : list of (str, list of str)
    template : path-like
    timeout : int or None
    finish : callable
    sandbox : bool, default=True
        Passed to :func:`grade_remote`.

    Returns
    -------
    None

    Examples
    --------
    >>> run_batches(client, course, [("00_start_here", ["alice"])], template, None, print)  # doctest: +SKIP
    """
    from distributed import as_completed

    slots = slots_per_host(client.scheduler_info()["workers"])
    futures = {}
    for name, students in jobs:
        data = pack_batch(course, name, students, template)
        future = client.submit(grade_remote, data, name, list(students), timeout, slots, sandbox, pure=False)
        futures[future] = (name, students)
    for future in as_completed(list(futures)):
        name, students = futures.pop(future)
        try:
            results, packed = future.result()
        except Exception as exc:  # the worker died (killed, out of memory): report, go on
            from .classroom import SubmissionResult

            finish([SubmissionResult(s, name, error=f"{s}/{name}: the Dask task failed: "
                                     f"{type(exc).__name__}: {exc}") for s in students], None)
            continue
        work = None
        if packed is not None:
            work = Path(tempfile.mkdtemp(prefix=f"dask-merge-{name}-", dir=scratch_root()))
            unpack(packed, work)
        finish(results, work)
