"""Extractive summaries: pick the sentences that best sum up a set of texts, verbatim.

`summarize()` is pure CPU work on picklable arguments: run it in a process pool, never on the
event loop. `language` is "fr" (also "fr-FR", "french") or anything else, which means English.
"""

from __future__ import annotations

from dataclasses import dataclass

from summarizers.adapters import SUMMARIZERS, sumy_scores
from summarizers.lexrank import lexrank_scores
from summarizers.position import features
from summarizers.position import scores as position_scores
from summarizers.tokenizer import Tokenizer

ALGORITHMS = ("lexrank", "sumy-lexrank", "textrank", "lsa", "luhn")

__all__ = ["ALGORITHMS", "Summary", "pick", "split_sentences", "summarize"]


@dataclass(frozen=True)
class Summary:
    """One picked sentence."""

    text: str  # verbatim substring of texts[item]
    item: int  # index of the text it came from
    position: int  # index of the sentence in split_sentences(texts[item])
    score: float


def split_sentences(text: str, language: str) -> list[str]:
    """The sentences of `text`, each an exact substring of it (outer whitespace stripped)."""
    return list(Tokenizer(language).to_sentences(text))


def summarize(texts: list[str], language: str, max_sentences: int, algorithm: str = "lexrank") -> list[Summary]:
    """The best `max_sentences` sentences of all `texts` ranked together, best first.

    Ties go to the earlier text, then the earlier sentence. A sentence without any word (only a
    URL, emoji, punctuation) is never picked, and a sentence text is picked at most once (compared
    ignoring case and spacing).
    """
    if algorithm not in ALGORITHMS:
        raise ValueError(f"unknown algorithm {algorithm!r}, expected one of {ALGORITHMS}")
    if max_sentences <= 0:
        return []
    tokenizer = Tokenizer(language)
    candidates = [
        (item, position, sentence)
        for item, text in enumerate(texts)
        for position, sentence in enumerate(tokenizer.to_sentences(text))
        if tokenizer.has_words(sentence)
    ]
    if not candidates:
        return []
    sentences = [sentence for _, _, sentence in candidates]
    if algorithm in SUMMARIZERS:
        scores = sumy_scores(sentences, tokenizer.code, algorithm)
    else:
        scores = lexrank_scores(sentences, tokenizer.code)
    # Rounding makes scores that differ only by floating-point noise equal, so ties stay ties.
    rounded = [round(float(s), 12) for s in scores]
    order = sorted(range(len(candidates)), key=lambda k: (-rounded[k], candidates[k][0], candidates[k][1]))
    picked: list[Summary] = []
    seen: set[str] = set()
    for k in order:
        item, position, sentence = candidates[k]
        key = " ".join(sentence.casefold().split())
        if key not in seen:
            seen.add(key)
            picked.append(Summary(sentence, item, position, rounded[k]))
            if len(picked) == max_sentences:
                break
    return picked


def pick(title: str, body: str, language: str, count: int = 1) -> list[Summary]:
    """The `count` sentences of an article's `body` that best tell it with its `title`, best
    first (summarizers.position: centrality that knows the order of sentences, the title, the
    lead, the length). Ties go to the earlier sentence."""
    tokenizer = Tokenizer(language)
    candidates = [(p, s) for p, s in enumerate(tokenizer.to_sentences(body)) if tokenizer.has_words(s)]
    if not candidates or count <= 0:
        return []
    rated = position_scores(features(title, [s for _, s in candidates], tokenizer.code))
    order = sorted(range(len(candidates)), key=lambda k: (-round(float(rated[k]), 12), k))
    return [Summary(candidates[k][1], 0, candidates[k][0], float(rated[k])) for k in order[:count]]
