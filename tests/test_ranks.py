"""imbalance_kit.ranks against scikit-learn's average precision and the kit's threshold_for_recall."""

import numpy as np
import pytest
from sklearn.metrics import average_precision_score

from imbalance_kit.metrics import threshold_for_recall
from imbalance_kit.ranks import average_precision_from_ranks, precision_at_recall_from_ranks, rank_scores


@pytest.mark.parametrize("seed", range(5))
def test_equal_to_the_references_with_ties_and_resampling(seed):
    rng = np.random.default_rng(seed)
    y = (rng.random(2000) < 0.05).astype(int)
    s = np.round(y * 0.3 + rng.random(2000), 2)             # many ties
    r = rank_scores(s)
    idx = np.sort(rng.integers(0, y.size, y.size))            # a bootstrap replicate
    assert average_precision_from_ranks(y, r) == pytest.approx(average_precision_score(y, s))
    assert average_precision_from_ranks(y[idx], r[idx]) == pytest.approx(average_precision_score(y[idx], s[idx]))
    for target in (0.1, 0.5, 0.8, 1.0):
        ref = threshold_for_recall(y[idx], s[idx], target).precision
        assert precision_at_recall_from_ranks(y[idx], r[idx], target) == pytest.approx(ref)


def test_ranks_keep_order_and_ties():
    assert rank_scores([2.0, -1.0, 2.0, 0.5]).tolist() == [2, 0, 2, 1]


def test_errors():
    with pytest.raises(ValueError, match="ranks"):
        average_precision_from_ranks([0, 1], [0.5, 0.2])
    with pytest.raises(ValueError, match="NaN"):
        rank_scores([0.1, np.nan])
    with pytest.raises(ValueError, match="target_recall"):
        precision_at_recall_from_ranks([0, 1], [0, 1], 0.0)
