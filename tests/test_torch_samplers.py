"""Tests of imbalance_kit.torch_samplers: class-balanced batches and the
inverse-frequency WeightedRandomSampler, with torch's DataLoader."""

import pickle

import numpy as np
import pytest
import torch

from imbalance_kit.torch_samplers import ClassBalancedBatchSampler, make_weighted_sampler


def test_class_balanced_batches_exact_composition():
    labels = np.r_[np.zeros(190, int), np.ones(10, int)]
    sampler = ClassBalancedBatchSampler(labels, batch_size=16, random_state=0)
    assert isinstance(sampler, torch.utils.data.Sampler)
    batches = list(sampler)
    assert len(batches) == len(sampler) == 13          # ceil(200 / 16)
    for batch in batches:
        assert len(batch) == 16 and labels[batch].sum() == 8
        assert all(isinstance(i, int) for i in batch)
    flat = np.concatenate(batches)
    # Minority recycled evenly (104 draws of 10 rows: each 10 or 11 times);
    # majority without repetition (104 draws of 190 rows).
    minority_counts = np.bincount(flat[labels[flat] == 1], minlength=200)[190:]
    assert minority_counts.min() >= 10 and minority_counts.max() <= 11
    assert np.bincount(flat[labels[flat] == 0]).max() == 1
    # Same seed -> same epochs; successive epochs differ.
    again = ClassBalancedBatchSampler(labels, batch_size=16, random_state=0)
    assert list(again) == batches
    copy = pickle.loads(pickle.dumps(sampler))   # the sampler pickles (epochs continue from its state)
    assert list(sampler) != batches
    assert list(copy) == list(again)


def test_class_balanced_batches_multiclass_and_dataloader():
    labels = torch.tensor([0] * 50 + [1] * 7 + [2] * 3)
    sampler = ClassBalancedBatchSampler(labels, batch_size=9, n_batches=5, random_state=1)
    dataset = torch.utils.data.TensorDataset(torch.arange(60), labels)
    loader = torch.utils.data.DataLoader(dataset, batch_sampler=sampler)
    seen = 0
    for idx, lab in loader:
        assert torch.bincount(lab, minlength=3).tolist() == [3, 3, 3]
        assert torch.equal(labels[idx], lab)
        seen += 1
    assert seen == 5


def test_class_balanced_batches_errors():
    labels = np.r_[np.zeros(20, int), np.ones(5, int)]
    with pytest.raises(ValueError, match=r"batch_size=7 must be divisible by the number of classes \(2\)"):
        ClassBalancedBatchSampler(labels, batch_size=7)
    with pytest.raises(ValueError, match="batch_size == 0, must be >= 1"):
        ClassBalancedBatchSampler(labels, batch_size=0)
    with pytest.raises(ValueError, match="batch_size must be an integer, got True"):
        ClassBalancedBatchSampler(labels, batch_size=True)
    with pytest.raises(TypeError, match="batch_size must be an instance of"):
        ClassBalancedBatchSampler(labels, batch_size=4.0)
    with pytest.raises(ValueError, match="n_batches == 0, must be >= 1"):
        ClassBalancedBatchSampler(labels, batch_size=4, n_batches=0)
    with pytest.raises(ValueError, match="labels has only one class"):
        ClassBalancedBatchSampler(np.zeros(10), batch_size=4)
    with pytest.raises(ValueError, match="labels must be one-dimensional"):
        ClassBalancedBatchSampler(np.zeros((5, 2)), batch_size=4)


def test_weighted_sampler_balances_classes():
    labels = np.r_[np.zeros(1900, int), np.ones(100, int)]
    sampler = make_weighted_sampler(labels, power=1.0, num_samples=20000, random_state=0)
    assert isinstance(sampler, torch.utils.data.WeightedRandomSampler)
    drawn = np.fromiter(iter(sampler), dtype=np.int64)
    assert len(drawn) == 20000
    assert abs(labels[drawn].mean() - 0.5) < 0.02
    np.testing.assert_allclose(sampler.weights[:3].numpy(), 1 / 1900)
    np.testing.assert_allclose(sampler.weights[-1].item(), 1 / 100)
    # Reproducible with a seed.
    again = make_weighted_sampler(labels, num_samples=20000, random_state=0)
    np.testing.assert_array_equal(np.fromiter(iter(again), dtype=np.int64), drawn)
    # power=0: uniform sampling, the base rate of 5 %.
    plain = make_weighted_sampler(labels, power=0.0, num_samples=20000, random_state=0)
    assert abs(labels[np.fromiter(iter(plain), dtype=np.int64)].mean() - 0.05) < 0.01
    # power=0.5: in between (expected 1 / (1 + sqrt(19)) = 0.187).
    half = make_weighted_sampler(labels, power=0.5, num_samples=20000, random_state=0)
    assert abs(labels[np.fromiter(iter(half), dtype=np.int64)].mean() - 0.187) < 0.02


def test_weighted_sampler_errors():
    labels = np.r_[np.zeros(20, int), np.ones(5, int)]
    with pytest.raises(ValueError, match="power == -1, must be >= 0"):
        make_weighted_sampler(labels, power=-1)
    with pytest.raises(ValueError, match="power must be a number >= 0, got nan"):
        make_weighted_sampler(labels, power=float("nan"))
    with pytest.raises(ValueError, match="num_samples=30 exceeds the 25 rows"):
        make_weighted_sampler(labels, num_samples=30, replacement=False)
    with pytest.raises(ValueError, match="num_samples == 0, must be >= 1"):
        make_weighted_sampler(labels, num_samples=0)
    with pytest.raises(ValueError, match="random_state must be None or a non-negative int"):
        make_weighted_sampler(labels, random_state=-3)
    with pytest.raises(ValueError, match="labels has only one class"):
        make_weighted_sampler(np.ones(5))
    # A missing label is an error, not a third class.
    with pytest.raises(ValueError, match="labels contains NaN"):
        make_weighted_sampler(np.r_[np.zeros(5), np.ones(5), np.nan])
    with pytest.raises(ValueError, match="labels is empty"):
        make_weighted_sampler([])


def test_class_balanced_batches_string_labels_and_column_vector():
    labels = np.array(["legit"] * 30 + ["fraud"] * 6)
    sampler = ClassBalancedBatchSampler(labels[:, None], batch_size=6, random_state=0)
    assert list(sampler.classes) == ["fraud", "legit"]
    for batch in sampler:
        assert (labels[batch] == "fraud").sum() == 3
