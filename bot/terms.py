"""What drives a crisis: the words, hashtags and accounts new in the crisis hour against the usual.

Terms are hashtags and accounts (X handles), with their '#' or '@', and words of 3 letters or more
that are not stop words, all lowercased; links are left out. Each text counts a term once (a post
repeating a word does not make it new). A term's rise is weighed by the log-odds ratio with an
informative Dirichlet prior of Monroe, Colaresi & Quinn (2008), "Fightin' Words": the prior, the
term's share of both sets of texts, shrinks rare terms toward no difference, so a word seen in a
few texts is not new merely because the usual never had it. Without a usual, every term is new,
the most frequent first. Stop words are those of the summaries (summarizers.stopwords).
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections import Counter
from collections.abc import Iterable, Sequence

from summarizers.stopwords import stop_words

# alpha0 = this x the vocabulary size (a pseudo-count per term on average). A fixed alpha0 of 100 is
# too weak for an hour of 2,000 posts against 20,000: a term in 100 of them and never in the usual
# would get a pseudo-count of a few hundredths, a variance of dozens, and fall short of Z_MIN.
PRIOR_PER_TERM = 1.0
Z_MIN = 1.96  # a rise that chance alone gives 2.5% of the time
MIN_TEXTS = 3  # texts of the crisis hour a term is seen in, at least
# Links match as "" (left out), then hashtags, accounts and words.
_TOKENS = re.compile(
    r"(?:https?://|www\.)\S+|(#(?<![\w&]#)\w*[^\W\d_]\w*|@(?<![\w@]@)[a-z0-9_]{1,15}(?![\w@])|[^\W\d_]{3,})"
)
_RUNS = re.compile(r"\w+")
_LETTERS = re.compile(r"[^\W\d_]+")
_LEFT_OUT = stop_words("fr") | stop_words("en") | {""}


def new_terms(now: Sequence[str], usual: Sequence[str], known: Iterable[str] = (), limit: int = 5) -> list[str]:
    """The terms of `now` (texts of the crisis hour) most over-represented against `usual` (texts of the
    baseline window), by log-odds with an informative Dirichlet prior; `known` terms (the watch's own
    query words) left out. Hashtags keep their '#', accounts their '@'."""
    seen_now, seen_usual = _texts_with(now), _texts_with(usual)
    left_out = _forms(known)
    candidates = [t for t, y in seen_now.items() if y >= MIN_TEXTS and t not in left_out]
    if not seen_usual:
        return sorted(candidates, key=lambda t: (-seen_now[t], t))[:limit]
    vocabulary = len(seen_now.keys() | seen_usual.keys())
    if vocabulary < 2:
        return []  # one term, all of both: nothing stands out (and its log-odds are infinite)
    n_now, n_usual = seen_now.total(), seen_usual.total()
    alpha0 = PRIOR_PER_TERM * vocabulary
    scores: dict[str, float] = {}
    for term in candidates:
        y_now, y_usual = seen_now[term], seen_usual[term]
        alpha = alpha0 * (y_now + y_usual) / (n_now + n_usual)
        delta = _log_odds(y_now, n_now, alpha, alpha0) - _log_odds(y_usual, n_usual, alpha, alpha0)
        scores[term] = delta / math.sqrt(1 / (y_now + alpha) + 1 / (y_usual + alpha))
    return sorted((t for t, z in scores.items() if z >= Z_MIN), key=lambda t: (-scores[t], t))[:limit]


def _log_odds(count: int, total: int, alpha: float, alpha0: float) -> float:
    """The log-odds of a term seen `count` times in `total`, with its prior `alpha` of `alpha0`."""
    return math.log((count + alpha) / (total + alpha0 - count - alpha))


def _texts_with(texts: Sequence[str]) -> Counter[str]:
    """How many of `texts` each term is seen in."""
    counts: Counter[str] = Counter()
    for text in texts:
        counts.update(set(_TOKENS.findall(_lower(text))))
    for dropped in _LEFT_OUT & counts.keys():
        del counts[dropped]
    return counts


def _forms(known: Iterable[str]) -> set[str]:
    """The terms a watch's query words stand for: each word (and its letter runs, as a text splits
    "covid19"), as a word, a hashtag and an account."""
    words = {w for k in known for run in _RUNS.findall(_lower(k)) for w in (run, *_LETTERS.findall(run))}
    return {f"{prefix}{w}" for w in words for prefix in ("", "#", "@")}


def _lower(text: str) -> str:
    """Lowercased, accents composed ("e" and a combining grave are "è")."""
    return text.lower() if text.isascii() else unicodedata.normalize("NFC", text.lower())
