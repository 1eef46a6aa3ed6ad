"""Test ordering and thread caps for ``make test``'s pytest-xdist workers.

Order: the slow tests (whole notebooks, nbgrader round trips, the hub) take one
to four minutes each; the other 1,400 take about six minutes together. Handing
out the slow ones first, one test at a time (``--maxschedchunk=1`` in the
Makefile), lets the fast ones fill whichever worker finishes early, so neither
worker idles while the other finishes a notebook at the end of the run.

Threads: each worker, and every kernel it starts, gets its share of the cores
for BLAS, OpenMP and torch, as ``classroom autograde`` gives its grading
workers. Two workers whose kernels each run two OpenMP threads on two cores
spin-wait: ``02_resampling`` alone took 125 CPU seconds with two threads and
79 with one, in the same wall time. A value already in the environment wins.
"""

import os

from imbalance_kit.grading.engine import thread_limits, worker_threads

_WORKERS = os.environ.get("PYTEST_XDIST_WORKER_COUNT")
if _WORKERS:
    # At import, before any test module imports numpy: its BLAS reads these once.
    for _name, _value in thread_limits(worker_threads(int(_WORKERS))).items():
        os.environ.setdefault(_name, _value)


def pytest_collection_modifyitems(config, items):
    # sort() is stable: within each group the collection order stays.
    items.sort(key=lambda item: item.get_closest_marker("slow") is None)
