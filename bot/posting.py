"""Posting on X, the pure part: what a post weighs as X counts it, how a long text becomes a
thread, whether it carries a link, and whether a post on X is the one Vigie sent.

X counts 280 weighted characters after NFC normalization: any URL as 23, most Latin, Greek and
Cyrillic characters as 1, CJK and others as 2, an emoji (even a sequence of several code points)
as 2. twitter-text-parser implements X's published rules (it passes twitter-text's conformance
cases, tests/test_posting.py) rather than Vigie guessing at them.
"""

from __future__ import annotations

import bisect
import html
import re
import unicodedata
import warnings
from collections.abc import Iterable

from bot.model import X_USERNAME

with warnings.catch_warnings():  # it imports pkg_resources, which warns on every start
    warnings.filterwarnings("ignore", "pkg_resources is deprecated", UserWarning)
    from twitter_text import extract_urls, parse_tweet

LIMIT = 280
_TWITTER_EPOCH_MS = 1288834974657
_NUMBERING = 8  # " (12/34)": the room each part of a thread keeps for its number
_SENTENCE_END = re.compile(r"((?<=[.!?…])\s+)")
_SPACE = re.compile(r"\s+")
_URL = re.compile(r"https?://\S+")
_LINK = "<link>"
_LEADING_MENTIONS = re.compile(f"^(?:@{X_USERNAME} )+")
_STATUS = re.compile(rf"https?://(?:www\.|mobile\.)?(?:x|twitter)\.com/({X_USERNAME})/status/(\d{{1,19}})(?:[/?#].*)?")
MAX_TARGETS = 4  # X posts a draft offers to answer or quote


def weighted_length(text: str) -> int:
    """The length X counts for `text` (NFC-normalized first, as X does)."""
    return int(parse_tweet(text).weightedLength)


def fits(text: str) -> bool:
    return 0 < weighted_length(text) <= LIMIT


def overflow(text: str) -> tuple[str, str]:
    """`text` cut where X stops counting: what fits, and what is over."""
    return overflow_at(text, LIMIT)


def thread_parts(text: str) -> list[str]:
    """`text` as X posts of at most 280, split at sentence boundaries (within a sentence too long
    for one post, at spaces), each numbered " (1/3)"; a text that fits is one post, unnumbered."""
    text = text.strip()
    if weighted_length(text) <= LIMIT:
        return [text]
    budget = LIMIT - _NUMBERING
    pieces: list[tuple[str, str]] = []  # (separator before it, piece)
    chunks = _SENTENCE_END.split(text)
    for sentence, separator in zip(chunks[::2], [" ", *chunks[1::2]]):
        glue = "\n\n" if "\n\n" in separator else "\n" if "\n" in separator else " "
        for n, piece in enumerate(_fit(sentence, budget)):
            pieces.append((glue if n == 0 else " ", piece))
    parts = _pack(pieces, budget)
    return [f"{part} ({n}/{len(parts)})" for n, part in enumerate(parts, 1)]


def _fit(sentence: str, budget: int) -> list[str]:
    """A sentence as pieces of at most `budget`: cut at spaces, a word too long at characters."""
    if weighted_length(sentence) <= budget:
        return [sentence]
    words: list[tuple[str, str]] = []
    for word in sentence.split():
        while weighted_length(word) > budget:
            head, word = overflow_at(word, budget)
            words.append((" ", head))
        words.append((" ", word))
    return _pack(words, budget)


def _pack(pieces: list[tuple[str, str]], budget: int) -> list[str]:
    """(separator, piece) pairs, each within `budget`, joined greedily into texts within it."""
    texts: list[str] = []
    current = ""
    for glue, piece in pieces:
        candidate = f"{current}{glue}{piece}" if current else piece
        if weighted_length(candidate) <= budget:
            current = candidate
        else:
            texts.append(current)
            current = piece
    return [*texts, current] if current else texts


def overflow_at(text: str, budget: int) -> tuple[str, str]:
    """`text` cut after `budget` weighted characters (at least one character kept)."""
    cut = bisect.bisect_right(range(1, len(text) + 1), budget, key=lambda n: weighted_length(text[:n]))
    cut = max(cut, 1)
    return text[:cut], text[cut:]


def has_link(text: str) -> bool:
    """X sees a link in it (a post with one costs $0.20 instead of $0.015)."""
    return bool(extract_urls(text))


def posted_at(post_id: str) -> float:
    """When an X post was made (unix time), from its id (a snowflake: milliseconds since X's
    epoch in its upper bits)."""
    return ((int(post_id) >> 22) + _TWITTER_EPOCH_MS) / 1000


def same_text(sent: str, on_x: str) -> bool:
    """Whether a post's text on X is `sent`: X escapes &, < and > and shortens links to t.co; a
    reply's text starts with the accounts it answers, a quote's may end with the quoted post's
    link."""
    ours, theirs = _comparable(sent), _comparable(html.unescape(on_x))
    if not ours.startswith("@"):
        theirs = _LEADING_MENTIONS.sub("", theirs)
    if theirs != ours and not ours.endswith(_LINK):
        theirs = theirs.removesuffix(_LINK).rstrip()
    return theirs == ours


def _comparable(text: str) -> str:
    return _SPACE.sub(" ", _URL.sub(_LINK, unicodedata.normalize("NFC", text))).strip()


def x_posts_in(urls: Iterable[str]) -> tuple[str, ...]:
    """The X posts among `urls` (the links of a message), as x.com links, first ones first, at
    most MAX_TARGETS."""
    found: dict[str, str] = {}
    for url in urls:
        match = _STATUS.fullmatch(url)
        if match and match.group(2) not in found and len(found) < MAX_TARGETS:
            found[match.group(2)] = f"https://x.com/{match.group(1)}/status/{match.group(2)}"
    return tuple(found.values())


def author_of(link: str) -> str:
    """The account in an x.com post link ("i" when the link does not name it)."""
    return link.split("/")[3]
