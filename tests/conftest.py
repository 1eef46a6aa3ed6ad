"""Test ordering for ``make test``'s two pytest-xdist workers.

The slow tests (whole notebooks, nbgrader round trips, the hub) take one to
four minutes each; the other 1,400 take about six minutes together. Handing
out the slow ones first, one test at a time (``--maxschedchunk=1`` in the
Makefile), lets the fast ones fill whichever worker finishes early, so neither
worker idles while the other finishes a notebook at the end of the run.
"""


def pytest_collection_modifyitems(config, items):
    # sort() is stable: within each group the collection order stays.
    items.sort(key=lambda item: item.get_closest_marker("slow") is None)
