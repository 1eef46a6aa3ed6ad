"""imbalance_kit.splits: the time-ordered split against train_test_split and the table."""

import numpy as np
import pandas as pd
import pytest
from sklearn.model_selection import train_test_split

from imbalance_kit.datasets import make_creditcard
from imbalance_kit.splits import time_ordered_split


@pytest.fixture
def table():
    df = make_creditcard(3000, random_state=0)   # about 1 % duplicated rows
    return df.sample(frac=1.0, random_state=1)    # shuffled: the split must sort


def test_past_trains_future_tests_without_duplicates(table):
    before = table.copy()
    train, test = time_ordered_split(table, test_size=0.3)
    pd.testing.assert_frame_equal(table, before)
    assert table.duplicated().any()
    assert train["Time"].max() <= test["Time"].min()
    assert len(test.merge(train, how="inner")) == 0
    assert len(train) + len(test) == len(table.drop_duplicates())


def test_sizes_match_train_test_split_without_shuffle(table):
    unique = table.drop_duplicates().sort_values("Time", kind="stable")
    for size in (0.1, 0.25, 0.3, 0.5):
        ref_train, ref_test = train_test_split(unique, test_size=size, shuffle=False)
        train, test = time_ordered_split(table, test_size=size)
        assert train.index.equals(ref_train.index) and test.index.equals(ref_test.index)


def test_keeps_duplicates_when_asked(table):
    train, test = time_ordered_split(table, drop_duplicates=False)
    assert len(train) + len(test) == len(table)


def test_errors_name_the_problem(table):
    with pytest.raises(TypeError, match="DataFrame"):
        time_ordered_split(table.to_numpy())
    with pytest.raises(ValueError, match="time_column"):
        time_ordered_split(table, time_column="when")
    with pytest.raises(ValueError, match="test_size"):
        time_ordered_split(table, test_size=1.5)
    with pytest.raises(ValueError, match="empty side"):
        time_ordered_split(table.head(1), test_size=0.5)
    assert np.isfinite(table["Time"]).all()
