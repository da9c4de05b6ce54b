"""LexRank on numpy arrays: the algorithm of sumy's LexRankSummarizer, vectorized.

Same steps as sumy 0.13: stop words removed, words stemmed, tf = count / max count in the sentence,
idf = log(n / (1 + df)), idf-modified cosine, cosine > threshold -> 1 else 0, rows divided by their
degree, power method from the uniform vector until the L2 step is at most epsilon.

Each word is stemmed once per process, a cosine is only accumulated for two sentences that share a
term (terms found in a large share of the sentences go through one BLAS product instead), and the
power method walks the list of edges.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from summarizers.stemming import stem
from summarizers.stopwords import stop_words
from summarizers.tokenizer import SEPARATOR, Tokenizer

THRESHOLD = 0.1
EPSILON = 0.1
_BLOCK = 1 << 22  # cosines accumulated per pass (32 MB)
_DENSE_SHARE = 0.25  # terms found in more than this share of the sentences go through BLAS


def lexrank_scores(
    sentences: Sequence[str], language: str, threshold: float = THRESHOLD, epsilon: float = EPSILON
) -> np.ndarray:
    """LexRank score of each sentence, in order; `language` is "fr" or "en"."""
    n = len(sentences)
    if n == 0:
        return np.zeros(0)
    sentence, term, weight = unit_tfidf(n, *term_ids(sentences, Tokenizer(language)))
    valid = np.bincount(sentence, minlength=n) > 0
    rows, cols = _similar_pairs(n, sentence, term, weight, threshold)
    return _power_method(n, valid, rows, cols, epsilon)


def term_ids(sentences: Sequence[str], tokenizer: Tokenizer) -> tuple[np.ndarray, np.ndarray]:
    """(sentence, term) of every word that is not a stop word; terms are stems, numbered."""
    words = tokenizer.words_of(sentences)
    excluded = stop_words(tokenizer.code)
    stems: dict[str, int] = {}
    ids = {SEPARATOR: -2}  # word -> stem number, -1 for a stop word
    for word in set(words) - {SEPARATOR}:
        ids[word] = -1 if word in excluded else stems.setdefault(stem(tokenizer.language, word), len(stems))
    numbers = np.fromiter(map(ids.__getitem__, words), np.int64, len(words))
    separators = numbers == -2
    sentence = np.cumsum(separators) - separators
    kept = numbers >= 0
    return sentence[kept], numbers[kept]


def unit_tfidf(n: int, sentence: np.ndarray, term: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Non-zero tf-idf entries (sentence, term, weight), sorted by term then sentence, rows of unit norm."""
    keys, counts = np.unique(term * n + sentence, return_counts=True)
    term, sentence = np.divmod(keys, n)
    max_count = np.zeros(n)
    np.maximum.at(max_count, sentence, counts)
    df = np.bincount(term)
    weight = counts / max_count[sentence] * np.log(n / (1 + df))[term]
    norm = np.sqrt(np.bincount(sentence, weight * weight, minlength=n))[sentence]
    keep = weight != 0  # idf is 0 for a term found in n - 1 sentences
    return sentence[keep], term[keep], weight[keep] / norm[keep]


def _similar_pairs(
    n: int, sentence: np.ndarray, term: np.ndarray, weight: np.ndarray, threshold: float
) -> tuple[np.ndarray, np.ndarray]:
    """Pairs i < j whose cosine exceeds `threshold`, a block of rows at a time.

    Rare terms add their products pair by pair; frequent ones, whose pairs would be too many,
    go through one dense matrix product.
    """
    frequent = np.bincount(term)[term] > _DENSE_SHARE * n
    dense = _dense(n, sentence[frequent], term[frequent], weight[frequent])
    key, products = _sparse_products(n, sentence[~frequent], term[~frequent], weight[~frequent])
    block = max(1, _BLOCK // n)
    rows, cols = [], []
    for low in range(0, n, block):
        high = min(n, low + block)
        inside = (key >= low * n) & (key < high * n) if block < n else slice(None)
        cosine = np.bincount(key[inside] - low * n, products[inside], minlength=(high - low) * n)
        cosine = cosine.astype(np.float64, copy=False)  # bincount of nothing is int64
        if dense.shape[1]:
            cosine += (dense[low:high] @ dense.T).ravel()
        r, c = np.divmod(np.flatnonzero(cosine > threshold), n)
        upper = c > r + low
        rows.append(r[upper] + low)
        cols.append(c[upper])
    return np.concatenate(rows), np.concatenate(cols)


def _dense(n: int, sentence: np.ndarray, term: np.ndarray, weight: np.ndarray) -> np.ndarray:
    """The sentence x term matrix of these entries."""
    columns, column = np.unique(term, return_inverse=True)
    matrix = np.zeros((n, len(columns)))
    matrix[sentence, column] = weight
    return matrix


def _sparse_products(
    n: int, sentence: np.ndarray, term: np.ndarray, weight: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """For every two entries of one term, in sentences i < j: key i * n + j and their weights' product."""
    starts = np.flatnonzero(np.r_[True, term[1:] != term[:-1]])
    sizes = np.diff(np.r_[starts, len(term)])
    # Entry e of a group pairs with the entries after it in that group (sentences j > i).
    later = np.repeat(starts + sizes, sizes) - np.arange(len(term)) - 1
    first_pair = np.cumsum(later) - later
    right = np.arange(later.sum()) + np.repeat(np.arange(1, len(term) + 1) - first_pair, later)
    key = np.repeat(sentence * n, later) + sentence[right]
    return key, np.repeat(weight, later) * weight[right]


def _power_method(n: int, valid: np.ndarray, rows: np.ndarray, cols: np.ndarray, epsilon: float) -> np.ndarray:
    """sumy's power method on the degree-normalised 0/1 matrix given as its diagonal and upper edges."""
    degree = valid + np.bincount(rows, minlength=n) + np.bincount(cols, minlength=n)
    inverse = 1.0 / np.maximum(degree, 1)
    p = np.full(n, 1.0 / n)
    step = 1.0
    # Every sentence with an edge has its self-loop, so the walk is aperiodic and converges.
    while step > epsilon:
        q = inverse * p
        following = valid * q + np.bincount(rows, q[cols], minlength=n) + np.bincount(cols, q[rows], minlength=n)
        length = np.linalg.norm(following)
        if length == 0:
            return np.zeros(n)  # no sentence has a weighted term (sumy yields NaN here)
        following /= length
        step = float(np.linalg.norm(following - p))
        p = following
    return p
