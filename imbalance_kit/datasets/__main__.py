"""Command line for the course's data: ``python -m imbalance_kit.datasets``.

Commands
--------
``info`` (the default)
    Say what data is available on this machine: the real credit-card file
    (cached or not, where, how big), the stand-in, MedMNIST ``.npz`` files
    found in the data home, and the generators that need no files.
``fetch [--force] [--quiet-fail]``
    Download the real credit-card file into the data cache (verified). With
    ``--quiet-fail`` a failure prints one line and exits 0, so ``make data``
    goes on with the stand-in on a machine without network.

``--data-home PATH`` (before the command) overrides the cache folder, like the
environment variable ``IMBALANCE_KIT_DATA``.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from .cache import DataFetchError, data_home
from .creditcard import LICENSE_NOTE, fetch_creditcard, real_creditcard_path


def _size(path):
    """Human-readable size of a file: '143.8 MiB'."""
    size = float(path.stat().st_size)
    for unit in ("B", "KiB", "MiB", "GiB"):
        if size < 1024 or unit == "GiB":
            return f"{size:.0f} {unit}" if unit == "B" else f"{size:.1f} {unit}"
        size /= 1024


def _info(home):
    """Lines describing the data available under ``home``."""
    real = real_creditcard_path(home)
    if real.is_file():
        real_line = f"cached at {real} ({_size(real)})"
    else:
        real_line = "not fetched (run `python -m imbalance_kit.datasets fetch` or `make data`)"
    npz = sorted(p for p in Path(home).rglob("*.npz") if p.is_file())
    rows = [
        ("Credit-card fraud, real file", real_line),
        ("Credit-card fraud, stand-in", "always available (make_creditcard, no download)"),
        ("MedMNIST files", ", ".join(f"{p.relative_to(home)} ({_size(p)})" for p in npz)
         or f"none found (put e.g. pneumoniamnist.npz in {home})"),
        ("Transaction simulator", "always available (simulate_transactions)"),
        ("Chest-X-ray phantoms", "always available (make_xray)"),
    ]
    width = max(len(name) for name, _ in rows) + 2
    lines = [f"imbalance_kit data home: {home}"]
    lines += [f"  {name + ':':<{width}}{text}" for name, text in rows]
    lines.append(f"The real credit-card file: {LICENSE_NOTE}")
    return lines


def _fetch(home, *, force, quiet_fail):
    """Fetch the real file; return the process exit status."""
    try:
        path = fetch_creditcard(data_home=home, force=force)
    except (DataFetchError, OSError, ValueError) as exc:
        reason = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        if quiet_fail:
            print(f"could not fetch the real credit-card data ({reason}); "
                  "the course will use the stand-in")
            return 0
        print(f"error: could not fetch the real credit-card data: {exc}", file=sys.stderr)
        return 1
    print(f"real credit-card data ready at {path} ({_size(path)})")
    print(f"License: {LICENSE_NOTE}")
    return 0


def _parser():
    parser = argparse.ArgumentParser(
        prog="python -m imbalance_kit.datasets",
        description="See and fetch the course's data sets.",
    )
    parser.add_argument("--data-home", metavar="PATH",
                        help="cache folder (default: $IMBALANCE_KIT_DATA or ~/.cache/imbalance_kit)")
    sub = parser.add_subparsers(dest="command")
    sub.add_parser("info", help="show what data is available (default)")
    fetch = sub.add_parser("fetch", help="download the real credit-card file (150 MB, verified)")
    fetch.add_argument("--force", action="store_true", help="download again even if cached")
    fetch.add_argument("--quiet-fail", action="store_true",
                       help="on failure print one line and exit 0 (the stand-in is used)")
    return parser


def main(argv=None):
    """Run the command line; return the exit status.

    Parameters
    ----------
    argv : list of str, optional
        Command-line arguments (default: ``sys.argv[1:]``), e.g.
        ``["--data-home", "/srv/data", "fetch", "--quiet-fail"]``.

    Returns
    -------
    int
        0 on success (and after a failed ``fetch --quiet-fail``), 1 when the
        data home is unusable or the fetch failed.

    Examples
    --------
    >>> main(["info"])  # doctest: +SKIP
    imbalance_kit data home: /home/me/.cache/imbalance_kit
    ...
    """
    args = _parser().parse_args(argv)
    try:
        home = data_home(args.data_home)
    except ValueError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    if args.command == "fetch":
        return _fetch(home, force=args.force, quiet_fail=args.quiet_fail)
    print("\n".join(_info(home)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
