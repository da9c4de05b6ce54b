"""sumy's summarizers fed with Vigie's tokenizer, Snowball stemmer and stop words, rating every sentence."""

from __future__ import annotations

import warnings
from collections.abc import Sequence
from functools import partial

import numpy as np
from sumy.models.dom import ObjectDocumentModel, Paragraph, Sentence
from sumy.summarizers._summarizer import AbstractSummarizer
from sumy.summarizers.lex_rank import LexRankSummarizer
from sumy.summarizers.lsa import LsaSummarizer
from sumy.summarizers.luhn import LuhnSummarizer
from sumy.summarizers.text_rank import TextRankSummarizer

from summarizers.stemming import stem
from summarizers.stopwords import stop_words
from summarizers.tokenizer import Tokenizer

SUMMARIZERS = {
    "sumy-lexrank": LexRankSummarizer,
    "textrank": TextRankSummarizer,
    "lsa": LsaSummarizer,
    "luhn": LuhnSummarizer,
}


def sumy_scores(sentences: Sequence[str], language: str, algorithm: str) -> np.ndarray:
    """The rating of each sentence, in order, by the sumy summarizer named `algorithm`."""
    tokenizer = Tokenizer(language)
    summarizer = SUMMARIZERS[algorithm](partial(stem, tokenizer.language))
    summarizer.stop_words = stop_words(tokenizer.code)
    return sumy_ratings(summarizer, sentences, tokenizer)


def sumy_ratings(summarizer: AbstractSummarizer, sentences: Sequence[str], tokenizer: Tokenizer) -> np.ndarray:
    """Every sentence's rating by `summarizer` (sumy itself only returns the best ones, unrated).

    Each sentence is one sumy `Sentence` of one paragraph, so its text is kept as given.
    """
    ratings = np.zeros(len(sentences))

    def capture(document_sentences, count, rating, *args):
        rate = rating.__getitem__ if isinstance(rating, dict) else rating
        ratings[:] = [rate(s, *args) for s in document_sentences]
        return ()

    summarizer._get_best_sentences = capture  # every summarizer ends by calling it with all ratings
    document = ObjectDocumentModel([Paragraph([Sentence(s, tokenizer) for s in sentences])])
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # LSA warns on fewer words than sentences; LexRank on NaN
        summarizer(document, len(sentences))
    return np.nan_to_num(ratings)
