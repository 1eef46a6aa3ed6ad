"""The generated short-text corpus with a rare class."""

import numpy as np
import pytest
from sklearn.feature_extraction.text import CountVectorizer, TfidfVectorizer

from imbalance_kit.datasets import make_short_texts


@pytest.fixture(scope="module")
def corpus():
    return make_short_texts(6000, random_state=0)


def test_rare_class_share_is_exact_and_reproducible(corpus):
    assert corpus["label"].sum() == 180
    again = make_short_texts(6000, random_state=0)
    assert corpus.equals(again)
    assert not corpus["text"].equals(make_short_texts(6000, random_state=1)["text"])


def test_tfidf_space_is_high_dimensional_and_sparse(corpus):
    X = TfidfVectorizer().fit_transform(corpus["text"])
    assert X.shape[1] > 10_000
    nnz = np.diff(X.indptr)
    assert 8 < nnz.mean() < 16 and nnz.min() >= 1


def test_word_frequencies_follow_zipf(corpus):
    counts = np.sort(np.asarray(CountVectorizer().fit_transform(corpus["text"]).sum(axis=0)).ravel())[::-1]
    ranks = np.arange(1, 201)
    slope = np.polyfit(np.log(ranks), np.log(counts[:200]), 1)[0]
    assert -1.3 < slope < -0.7, slope


def test_rare_topic_words_mark_the_rare_class(corpus):
    rare_words = set(corpus.attrs["rare_words"])
    share = corpus["text"].str.split().apply(lambda ws: np.mean([w in rare_words for w in ws]))
    rare, common = share[corpus["label"] == 1].mean(), share[corpus["label"] == 0].mean()
    assert 0.1 < rare < 0.25 and common < 0.03


@pytest.mark.parametrize("kwargs, words", [
    ({"rare_fraction": 0.7}, "rare_fraction"),
    ({"zipf_exponent": 0}, "zipf_exponent"),
    ({"vocabulary_size": 500, "topic_size": 60}, "vocabulary"),
    ({"n_documents": 3}, "n_documents"),
])
def test_bad_parameters_are_named(kwargs, words):
    with pytest.raises(ValueError, match=words):
        make_short_texts(**kwargs)
