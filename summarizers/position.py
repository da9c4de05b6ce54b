"""The sentence of an article that best tells it: position-aware centrality with the title.

Directed centrality as in PacSum (Zheng and Lapata, 2019): a sentence that many *later* sentences
develop is central; being similar to *earlier* ones (a restatement) counts against it. Edges are
tf-idf cosines above a threshold set between the article's smallest and largest similarity. To
that come what the feed gives: similarity to the title, the lead position, and the length (a
phone screen favours sentences of at most about 35 words). Weights were tuned on OrangeSum's train
split (bench/tune_pick.py) and checked on its validation split; never on its test split.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from summarizers.lexrank import term_ids, unit_tfidf
from summarizers.tokenizer import Tokenizer

LONG = 35  # words: longer sentences read badly on a phone


@dataclass(frozen=True)
class Weights:
    later: float = 0.5  # similarity to later sentences (what the article develops)
    earlier: float = 0.25  # similarity to earlier sentences
    threshold: float = 0.0  # share of the way from the smallest to the largest similarity
    title: float = 1.0
    lead: float = -0.5  # the first sentence (often a scene-setter; `position` favours it already)
    position: float = 0.5  # decays with the position: 1 / (1 + position)
    too_long: float = 0.05  # per word beyond LONG: a readability rule, not tuned (ROUGE prefers long)


WEIGHTS = Weights()


def features(title: str, sentences: Sequence[str], language: str, threshold: float = WEIGHTS.threshold) -> np.ndarray:
    """One row per sentence: later, earlier, title, lead, position, words beyond LONG."""
    n = len(sentences)
    tokenizer = Tokenizer(language)
    sentence, term = term_ids([*sentences, title], tokenizer)
    rows, terms, weight = unit_tfidf(n + 1, sentence, term)
    matrix = np.zeros((n + 1, int(terms.max()) + 1 if len(terms) else 1))
    matrix[rows, terms] = weight
    similarity = matrix @ matrix.T
    to_title = similarity[:n, n]
    similarity = similarity[:n, :n]
    np.fill_diagonal(similarity, 0.0)
    later, earlier = np.zeros(n), np.zeros(n)
    if n > 1:
        off = similarity[~np.eye(n, dtype=bool)]
        edges = similarity.copy()
        edges[edges < 0] = 0
        above = edges - (off.min() + threshold * (off.max() - off.min()))
        above[above < 0] = 0
        later = np.triu(above, 1).sum(axis=1)
        earlier = np.tril(above, -1).sum(axis=1)
    positions = np.arange(n)
    words = np.array([len(tokenizer.to_words(s)) for s in sentences])
    return np.column_stack(
        [later, earlier, to_title, positions == 0, 1.0 / (1.0 + positions), np.maximum(words - LONG, 0)]
    )


def scores(table: np.ndarray, weights: Weights = WEIGHTS) -> np.ndarray:
    """Each sentence's score from its `features()` row."""
    vector = np.array(
        [weights.later, weights.earlier, weights.title, weights.lead, weights.position, -weights.too_long]
    )
    return table @ vector
