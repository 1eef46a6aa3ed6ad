"""Classroom autograde on a Dask cluster: what fails before any grading starts.

Grading on a loopback ``LocalCluster`` (scores equal to sequential
``nbgrader autograde``, the workers' thread caps, no worker outliving the
cluster) is checked in ``tests/test_grading_classroom.py``, on the same batch
of bad submissions and the same sequential run as the process pool.
"""

from imbalance_kit.grading.cluster import connect
from imbalance_kit.grading.course import GradingError

import pytest


def test_unreachable_scheduler_is_a_clear_error():
    with pytest.raises(GradingError, match="no Dask scheduler answers at tcp://127.0.0.1:9"):
        connect("tcp://127.0.0.1:9", timeout=2)
