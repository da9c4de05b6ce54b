"""sumy's Snowball stemmer, each distinct word stemmed once per process."""

from __future__ import annotations

from functools import lru_cache

from sumy.nlp.stemmers import Stemmer


@lru_cache(maxsize=4)
def _stemmer(language: str) -> Stemmer:
    return Stemmer(language)


@lru_cache(maxsize=200_000)
def stem(language: str, word: str) -> str:
    """sumy's `Stemmer(language)(word)`, cached; `language` is sumy's name ("french", "english")."""
    return _stemmer(language)(word)
