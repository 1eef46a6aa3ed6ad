"""A short-text corpus with a rare class, generated (no registry package ships a suitable one).

The sparse-text pitfall of ``05_validation_and_text`` needs short documents,
a vocabulary of tens of thousands of words and a rare class. No package on
PyPI ships such a corpus offline under a licence that fits (scikit-learn's
20 newsgroups and the SMS spam collection are downloaded at run time), so
this module *generates* one from a documented vocabulary model, the usual
"topic plus background" model of text:

1. **Vocabulary**: ``vocabulary_size`` pronounceable pseudo-words (``"kolu"``,
   ``"tabesi"``), the same for a given seed.
2. **Background (Zipf's law)**: every token is, by default, drawn from the
   whole vocabulary with probability proportional to ``1 / rank**zipf_exponent``,
   so a few words are very frequent and most are rare, as in real text.
3. **Topics**: the majority class has ``n_topics`` topics, the rare class one
   topic of its own; each topic owns ``topic_size`` words taken from the
   mid-frequency ranks. A document picks its class's topic (a majority
   document one of the majority topics) and each of its tokens comes from
   that topic with probability ``topic_rate``, otherwise from the background.
   With probability ``leak_rate`` a majority token comes from the rare
   topic instead, so a few rare-class words appear in ordinary documents and
   the classes are not perfectly separable.
4. **Length**: 1 + Poisson(``mean_length`` - 1) tokens.

The result is a corpus whose TF-IDF matrix has the properties that matter:
very sparse rows (a dozen non-zeros among 10,000+ columns), a heavy-tailed
word frequency, and a rare class recognisable by a small set of words.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..validation import check_fraction, check_positive_int, check_random_state

__all__ = ["make_short_texts"]

_ONSETS = list("bdfgklmnprstvz") + ["ch", "sh", "tr", "br"]
_VOWELS = list("aeiou")


def _vocabulary(size, rng):
    """``size`` distinct pseudo-words of 2 to 4 syllables."""
    syllables = np.array([o + v for o in _ONSETS for v in _VOWELS] + [""])
    empty = len(syllables) - 1
    words = np.array([], dtype=str)
    while words.size < size:
        # Draw in bulk: 4 syllable slots, the last 0 to 2 left empty.
        n = 2 * (size - words.size) + 100
        picks = rng.integers(0, empty, size=(n, 4))
        lengths = rng.integers(2, 5, size=n)
        picks[np.arange(4) >= lengths[:, None]] = empty
        drawn = syllables[picks[:, 0]]
        for j in range(1, 4):
            drawn = np.char.add(drawn, syllables[picks[:, j]])
        # Keep first occurrences in drawing order (np.unique alone would sort them).
        merged = np.concatenate([words, drawn])
        _, first = np.unique(merged, return_index=True)
        words = merged[np.sort(first)]
    return words[:size]


def make_short_texts(n_documents=4000, *, rare_fraction=0.03, vocabulary_size=40000,
                     zipf_exponent=1.05, n_topics=8, topic_size=60, topic_rate=0.15,
                     leak_rate=0.02, mean_length=14, random_state=0):
    """Generate short documents with a rare class (see the module docstring for the model).

    Parameters
    ----------
    n_documents : int, default=4000
    rare_fraction : float in (0, 0.5), default=0.03
        Share of documents of the rare class (label 1).
    vocabulary_size : int, default=40000
    zipf_exponent : float > 0, default=1.05
        Exponent ``s`` of the background distribution ``p(rank) ∝ rank**-s``.
    n_topics : int, default=8
        Topics of the majority class.
    topic_size : int, default=60
        Words per topic.
    topic_rate : float in [0, 1], default=0.15
        Probability that a token comes from the document's topic.
    leak_rate : float in [0, 1), default=0.02
        Probability that a majority token comes from the rare class's topic.
    mean_length : int, default=14
        Mean number of tokens per document (at least 1).
    random_state : int, default=0

    Returns
    -------
    pandas.DataFrame
        Columns ``text`` (str, words separated by spaces), ``label`` (0/1)
        and ``topic`` (int; ``n_topics`` for the rare class); ``attrs``
        records the model's parameters and ``attrs["source"]``.

    Examples
    --------
    >>> df = make_short_texts(500, random_state=0)
    >>> len(df), int(df["label"].sum())
    (500, 15)
    >>> df.attrs["source"]
    'generated: Zipfian background + topic words (imbalance_kit.datasets.make_short_texts)'
    """
    n_documents = check_positive_int(n_documents, "n_documents", minimum=10)
    check_fraction(rare_fraction, "rare_fraction", high=0.5)
    vocabulary_size = check_positive_int(vocabulary_size, "vocabulary_size", minimum=100)
    n_topics = check_positive_int(n_topics, "n_topics")
    topic_size = check_positive_int(topic_size, "topic_size")
    check_fraction(topic_rate, "topic_rate", closed="both")
    check_fraction(leak_rate, "leak_rate", closed="left")
    mean_length = check_positive_int(mean_length, "mean_length")
    if not np.isfinite(zipf_exponent) or zipf_exponent <= 0:
        raise ValueError(f"zipf_exponent must be a positive number, got {zipf_exponent!r}.")
    if (n_topics + 1) * topic_size > vocabulary_size // 2:
        raise ValueError(f"(n_topics + 1) * topic_size = {(n_topics + 1) * topic_size} topic words need "
                         f"a vocabulary of at least twice that; vocabulary_size is {vocabulary_size}.")
    rng = check_random_state(random_state)
    words = _vocabulary(vocabulary_size, rng)
    background = 1.0 / np.arange(1, vocabulary_size + 1) ** zipf_exponent
    background /= background.sum()
    # Topic words come from the mid-frequency ranks: not stop words, not hapaxes.
    start = min(200, vocabulary_size // 10)
    pool = rng.permutation(np.arange(start, start + (n_topics + 1) * topic_size * 3))
    topics = pool[: (n_topics + 1) * topic_size].reshape(n_topics + 1, topic_size)
    rare_topic = n_topics

    # An exact count of rare documents, so the class ratio does not depend on the seed.
    n_rare = max(1, int(round(rare_fraction * n_documents)))
    labels = np.zeros(n_documents, dtype=np.int64)
    labels[rng.choice(n_documents, size=n_rare, replace=False)] = 1
    doc_topic = np.where(labels == 1, rare_topic, rng.integers(0, n_topics, size=n_documents))
    lengths = 1 + rng.poisson(mean_length - 1, size=n_documents)

    # All tokens at once (one draw per kind), then cut into documents.
    n_tokens = int(lengths.sum())
    doc_of = np.repeat(np.arange(n_documents), lengths)
    tokens = rng.choice(vocabulary_size, size=n_tokens, p=background)
    source = rng.random(n_tokens)
    from_topic = source < topic_rate
    slot = rng.integers(0, topic_size, size=n_tokens)
    tokens[from_topic] = topics[doc_topic[doc_of[from_topic]], slot[from_topic]]
    leaked = (labels[doc_of] == 0) & (source >= topic_rate) & (source < topic_rate + leak_rate)
    tokens[leaked] = topics[rare_topic, slot[leaked]]
    token_words = words[tokens]
    bounds = np.cumsum(lengths)[:-1]
    texts = [" ".join(doc) for doc in np.split(token_words, bounds)]
    df = pd.DataFrame({"text": texts, "label": labels, "topic": doc_topic})
    df.attrs.update(
        source="generated: Zipfian background + topic words (imbalance_kit.datasets.make_short_texts)",
        vocabulary_size=vocabulary_size, zipf_exponent=zipf_exponent, n_topics=n_topics,
        topic_size=topic_size, topic_rate=topic_rate, leak_rate=leak_rate, mean_length=mean_length,
        rare_words=words[topics[rare_topic]].tolist(),
    )
    return df
