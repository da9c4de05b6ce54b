"""Which items tell the same event (pure; numpy for the pairs).

Items are one story when they share a page (an article and the posts that link to it) or the
same words. Beyond that, an item joins the story of a *leader*, an earlier and more complete item
(articles first, then the most engaging posts), when it shares enough of the leader's rare words:
at least three, weighing at least SAME_STORY of the smaller of the two (words weighed by their
rarity in this briefing's items). Across languages only names, handles, hashtags and numbers can
match. An item never joins through a third one, so a day of look-alike items cannot chain into
one story: every member is close to its leader.
"""

from __future__ import annotations

import functools
import math
import re
from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np

from bot.model import StoredItem
from bot.text import canonical_url
from bot.watches import fold
from summarizers.stopwords import stop_words

SAME_STORY = 0.4  # weighted share of the smaller item's words that the two share
MIN_SHARED = 3  # words shared, at least: two ("Fnac", "deux") are a coincidence
MIN_SHARED_NAMES = 2  # names shared, at least, by items in different languages
COMMON = 0.2  # a word in more than this share of the items (and in over 50) tells no event apart
_TOKENS = re.compile(r"[@#]?\w+")
_STOP = frozenset(fold(word) for word in stop_words("fr") | stop_words("en")) | {"http", "https", "www"}


@dataclass(frozen=True)
class Words:
    """An item's content words (folded) and, among them, its names: capitalized words, handles,
    hashtags and numbers, which read the same in every language."""

    terms: frozenset[str]
    names: frozenset[str]


def words(text: str) -> Words:
    terms: set[str] = set()
    names: set[str] = set()
    for token in set(_TOKENS.findall(text)):
        word, name = _word(token)
        if word:
            terms.add(word)
            if name:
                names.add(word)
    return Words(frozenset(terms), frozenset(names))


@functools.lru_cache(maxsize=1 << 16)
def _word(token: str) -> tuple[str, bool]:
    """(the token as a content word, or "" for a stop word or a short one; whether it is a name)."""
    word = fold(token.lstrip("@#"))
    if word in _STOP or (len(word) < 3 and not (word.isdigit() and len(word) == 2)):
        return "", False
    return word, token[0] in "@#" or token[0].isupper() or word.isdigit()


def _pages(stored: StoredItem) -> set[str]:
    item = stored.item
    pages = set(item.links) | {a["url"] for a in stored.also if a.get("source") != "x"}
    if item.source != "x" and item.url:
        pages.add(item.url)
    return {canonical_url(p) for p in pages if p and "://x.com/" not in p and "://twitter.com/" not in p}


class _Groups:
    """Union-find over item indices."""

    def __init__(self, size: int) -> None:
        self.parent = list(range(size))

    def root(self, i: int) -> int:
        while self.parent[i] != i:
            self.parent[i] = self.parent[self.parent[i]]
            i = self.parent[i]
        return i

    def join(self, a: int, b: int) -> None:
        self.parent[self.root(a)] = self.root(b)

    def members(self) -> list[list[int]]:
        groups: dict[int, list[int]] = {}
        for i in range(len(self.parent)):
            groups.setdefault(self.root(i), []).append(i)
        return list(groups.values())


def _units(items: list[StoredItem], terms: list[frozenset[str]]) -> list[list[int]]:
    """Items that are one story for sure: a shared page, or the same words."""
    groups = _Groups(len(items))
    first: dict[str | frozenset[str], int] = {}
    for i, stored in enumerate(items):
        keys: list[str | frozenset[str]] = [*_pages(stored), *([terms[i]] if terms[i] else [])]
        for key in keys:
            if key in first:
                groups.join(i, first[key])
            else:
                first[key] = i
    return groups.members()


class _Index:
    """The units' words that can tell an event apart (in few enough units: COMMON), weighed by
    rarity (log inverse document frequency), and the units of each word they can share."""

    def __init__(self, sets: list[frozenset[str]]) -> None:
        postings: dict[str, list[int]] = {}
        for n, words_of in enumerate(sets):
            for word in words_of:
                postings.setdefault(word, []).append(n)
        common = max(50, COMMON * len(sets))
        self.size = len(sets)
        self.weight = {
            w: math.log((len(sets) + 1) / (len(ids) + 0.5)) for w, ids in postings.items() if len(ids) <= common
        }
        self.postings = {w: np.asarray(ids) for w, ids in postings.items() if 2 <= len(ids) <= common}
        self.sets = sets
        self.total = np.array([sum(self.weight.get(w, 0.0) for w in s) for s in sets])

    def closeness(self, unit: int, minimum: int) -> np.ndarray:
        """How close `unit` is to every unit: the weight of the words they share over the smaller
        total, 0 where fewer than `minimum` words or less than SAME_STORY of it is shared (numpy
        over the postings of the unit's words: the work grows with the units sharing a word)."""
        shared = [w for w in self.sets[unit] if w in self.postings]
        if len(shared) < minimum:
            return np.zeros(self.size)
        ids = np.concatenate([self.postings[w] for w in shared])
        weights = np.repeat([self.weight[w] for w in shared], [len(self.postings[w]) for w in shared])
        count = np.bincount(ids, minlength=self.size)
        weight = np.bincount(ids, weights, minlength=self.size)
        smaller = np.minimum(self.total, self.total[unit])
        close = (count >= minimum) & (smaller > 0) & (weight >= SAME_STORY * smaller)
        return np.where(close, weight / np.maximum(smaller, 1e-9), 0.0)


def cluster(items: list[StoredItem]) -> list[list[int]]:
    """Groups of item indices that tell the same event, each group's leader first."""
    found = [words(f"{s.item.title} {s.item.text}") for s in items]
    units = _units(items, [w.terms for w in found])
    terms = _Index([frozenset().union(*(found[i].terms for i in unit)) for unit in units])
    codes = {language: n for n, language in enumerate({items[unit[0]].item.language for unit in units})}
    language = np.array([codes[items[unit[0]].item.language] for unit in units])
    unknown = codes.get("", -1)
    names = None  # across languages only names can match: indexed when there are several languages
    if len(set(codes) - {""}) > 1:
        names = _Index([frozenset().union(*(found[i].names for i in unit)) for unit in units])
    leader = np.zeros(len(units), dtype=bool)
    stories: dict[int, list[int]] = {}  # leader unit -> its units
    for unit in sorted(range(len(units)), key=lambda u: _lead_order(items[i] for i in units[u])):
        close = terms.closeness(unit, MIN_SHARED)
        if names is not None:
            same = (language == language[unit]) | (language == unknown) | (language[unit] == unknown)
            close = np.where(same, close, names.closeness(unit, MIN_SHARED_NAMES))
        close[~leader] = 0.0
        best = int(np.argmax(close))
        if close[best] > 0:
            stories[best].append(unit)
        else:
            leader[unit] = True
            stories[unit] = [unit]
    return [[i for unit in members for i in units[unit]] for members in stories.values()]


def _lead_order(members: Iterable[StoredItem]) -> tuple[bool, int, float]:
    """Which units lead a story: those with an article, then the most engaging."""
    listed = list(members)
    return (
        all(s.item.source == "x" for s in listed),
        -sum(s.item.engagement for s in listed),
        -max(s.item.published for s in listed),
    )
