"""The briefing: select -> cluster stories -> rank -> summarize (pure functions, run in the
process pool). Its inputs are read from the store by bot.briefing_inputs.

A story is a group of items about the same thing across X and news: linked by a shared page
(an article and the posts that link to it), by near-identical text, or by strong term overlap.
A news story is told by its headline and the one body sentence that adds most to it, a story on
X only by its most engaging post; sentences are taken verbatim from the items (extractive).
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field

import numpy as np

from bot.model import DEFAULT_WOEID, Item, StoredItem, Trend
from bot.text import canonical_url
from bot.watches import fold
from summarizers import Summary, pick, summarize
from summarizers.position import LONG  # words a phone reads well: longer only when nothing shorter
from summarizers.stopwords import stop_words

STORIES_PER_WATCH = 3
NEWS_STORIES = 4
ITEMS_PER_WATCH = 500
CANDIDATES = 12  # sentences summarize() ranks for a story, of which one is shown (more behind ➕)
TERM_OVERLAP = 0.4  # Jaccard similarity of content words that makes two items one story
_WORDS = re.compile(r"\w+")
_TRAILING_LINKS = re.compile(r"(\s*https?://\S+)+\s*$")
_SENTENCE_ENDS = '.!?…»"”)'
# Openings that lean on a sentence the reader does not see ("Car, en effet, …", "However, …").
_LEANS_BACK = re.compile(
    r"(?:car|mais|donc|ainsi|or|pourtant|cependant|toutefois|en effet|de plus|en outre|par ailleurs|"
    r"d['’]ailleurs|c['’]est pourquoi|pour cela|but|so|however|moreover|therefore|thus|also|besides|"
    r"furthermore)\b",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class WatchInput:
    watch_id: str
    name: str
    items: list[StoredItem]
    count: int  # items stored for the watch during the window
    usual: float | None  # the same window's median count in the past weeks (bot.volume)


@dataclass(frozen=True)
class BriefingInput:
    language: str
    since: float
    until: float
    watches: list[WatchInput]
    news: list[StoredItem]
    trends: list[Trend] = field(default_factory=list)
    place: int = DEFAULT_WOEID
    algorithm: str = "lexrank"  # see summarizers.ALGORITHMS
    trends_at: float = 0.0  # when the trends were fetched


@dataclass(frozen=True)
class Story:
    """A news story reads: headline (linked), sentence, sources. A story told by posts only
    (no headline) reads: the post quoted, its author."""

    headline: str  # the best article's title; "" for a story told by posts only
    sentence: str  # verbatim: the body sentence that adds most to the headline, or the post; may be ""
    author: str  # the quoted post's author (X handle), for a story told by posts only
    sources: list[str]  # distinct source names ("X" once)
    link: str  # the headline's article, or the quoted post
    more: list[str]  # the longer version (➕): the next best sentences, verbatim
    more_links: list[tuple[str, str]]  # (source name, url)


@dataclass(frozen=True)
class Section:
    watch_id: str
    name: str
    count: int
    usual: float | None
    stories: list[Story]


@dataclass(frozen=True)
class Briefing:
    language: str
    since: float
    until: float
    sections: list[Section]
    news: list[Story]
    trends: list[Trend]
    place: int
    trends_at: float = 0.0


# ---------------------------------------------------------------- stories


def _links(stored: StoredItem) -> set[str]:
    item = stored.item
    pages = set(item.links) | {a["url"] for a in stored.also if a.get("source") != "x"}
    if item.source != "x" and item.url:
        pages.add(item.url)
    return {canonical_url(p) for p in pages if p and "://x.com/" not in p and "://twitter.com/" not in p}


def _terms(item: Item, stop: frozenset[str]) -> set[str]:
    words = _WORDS.findall(fold(f"{item.title} {item.text}"))
    return {w for w in words if len(w) > 2 and w not in stop and not w.isdigit() and w not in ("https", "http")}


def cluster(items: list[StoredItem], language: str) -> list[list[int]]:
    """Groups of item indices that tell the same story (shared page or strong term overlap)."""
    parent = list(range(len(items)))

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    def join(a: int, b: int) -> None:
        parent[root(a)] = root(b)

    by_page: dict[str, int] = {}
    for i, stored in enumerate(items):
        for page in _links(stored):
            if page in by_page:
                join(i, by_page[page])
            else:
                by_page[page] = i
    stop = stop_words(language) | stop_words("fr" if language == "en" else "en")
    # Items with the same words are one story already; compare each distinct set once.
    first_of: dict[frozenset[str], int] = {}
    for i, stored in enumerate(items):
        terms = frozenset(_terms(stored.item, stop))
        if terms in first_of:
            join(i, first_of[terms])
        elif terms:
            first_of[terms] = i
    distinct = list(first_of.items())
    vocabulary = {t: n for n, t in enumerate({t for terms, _ in distinct for t in terms})}
    if len(distinct) > 1:
        rows = np.repeat(np.arange(len(distinct)), [len(terms) for terms, _ in distinct])
        cols = np.fromiter((vocabulary[t] for terms, _ in distinct for t in terms), dtype=np.int64, count=len(rows))
        matrix = np.zeros((len(distinct), len(vocabulary)), dtype=np.float32)
        matrix[rows, cols] = 1.0
        shared = matrix @ matrix.T
        sizes = matrix.sum(axis=1)
        union = sizes[:, None] + sizes[None, :] - shared
        similar = np.argwhere(np.triu((shared / np.maximum(union, 1)) >= TERM_OVERLAP, k=1) & (shared >= 3))
        for a, b in similar:
            if root(distinct[a][1]) != root(distinct[b][1]):
                join(distinct[a][1], distinct[b][1])
    groups: dict[int, list[int]] = {}
    for i in range(len(items)):
        groups.setdefault(root(i), []).append(i)
    return list(groups.values())


def _source_names(stories: list[StoredItem]) -> list[str]:
    names: list[str] = []
    for stored in stories:
        for name in [
            stored.item.source_name or stored.item.source,
            *(a.get("source_name") or a.get("source", "") for a in stored.also),
        ]:
            name = "X" if name.lower() == "x" else name
            if name and name not in names:
                names.append(name)
    return names


def _score(group: list[StoredItem], now: float) -> float:
    size = sum(1 + len(s.also) for s in group)
    engagement = sum(s.item.engagement for s in group)
    newest = max(s.item.published for s in group)
    recency = math.exp(-max(0.0, now - newest) / (12 * 3600))
    return 1.2 * math.log1p(size) + 0.4 * math.log1p(engagement) + 1.0 * (len(_source_names(group)) - 1) + 1.5 * recency


def _clean(sentence: str) -> str:
    """A sentence without the links it ends with (still a verbatim substring of its item)."""
    return _TRAILING_LINKS.sub("", sentence).strip()


def _ranked(texts: list[str], language: str, algorithm: str) -> list[str]:
    """The sentences of `texts` worth showing, best first (as summarize() ranks them)."""
    return _worth_showing(summarize(texts, language, max_sentences=CANDIDATES, algorithm=algorithm))


def _picked(headline: str, body: str, language: str) -> list[str]:
    """The sentences of an article worth showing under its headline, best first (summarizers.pick:
    measured on real French news, see bench/rouge.py)."""
    return _worth_showing(pick(headline, body, language, CANDIDATES))


def _worth_showing(summaries: list[Summary]) -> list[str]:
    shown: list[str] = []
    for summary in summaries:
        sentence = _clean(summary.text)
        if len(sentence) >= 20 and sentence not in shown:
            shown.append(sentence)
    return shown


def restates(sentence: str, headline: str, stop: frozenset[str]) -> bool:
    """Whether more than half of the sentence's content words are in the headline."""
    words = {w for w in _WORDS.findall(fold(sentence)) if len(w) > 2 and w not in stop}
    said = {w for w in _WORDS.findall(fold(headline)) if len(w) > 2}
    return len(words & said) * 2 > len(words)


def _by_preference(sentences: list[str]) -> list[str]:
    """Sentences that end like one before headings, those a phone reads well (up to LONG
    words) before longer ones, those that stand alone before those opening on a link to what came
    before ("Car, en effet, …"); otherwise in rank order."""
    return sorted(
        sentences,
        key=lambda s: (
            s[-1] not in _SENTENCE_ENDS,
            len(_WORDS.findall(s)) > LONG,
            _LEANS_BACK.match(s) is not None,
        ),
    )


def _story(group: list[StoredItem], algorithm: str) -> Story | None:
    """A news story (the best article's headline, then the body sentence that adds most to it),
    or, told by posts only, the most engaging post quoted with its author."""
    group = sorted(group, key=lambda s: (s.item.source == "x", -s.item.engagement, -s.item.published))
    languages = [s.item.language for s in group if s.item.language]
    language = max(set(languages), key=languages.count) if languages else "fr"
    posts = sorted((s.item for s in group if s.item.source == "x"), key=lambda i: -i.engagement)
    shared = [canonical_url(link) for post in posts for link in post.links]
    # the article the posts share most, else the first published
    articles = sorted(
        (s.item for s in group if s.item.source != "x"),
        key=lambda i: (not i.url, -shared.count(canonical_url(i.url)), i.published),
    )
    more_links = [(i.source_name or "X", i.url) for i in [*articles, *posts] if i.url][:5]
    bodies = [i.text for i in articles if i.text] or [i.text for i in posts if i.text]
    told = _ranked(list(dict.fromkeys(bodies)), language, algorithm)  # syndicated copies once
    if articles:
        headline = articles[0].title or (told[0] if told else "")
        if not headline:
            return None
        candidates = dict.fromkeys([*_picked(headline, articles[0].text, language), *told])  # its own first
        body = _by_preference([s for s in candidates if not restates(s, headline, stop_words(language))])
        link = articles[0].url or next((url for _, url in more_links), "")
        return Story(headline, body[0] if body else "", "", _source_names(group), link, body[1:5], more_links)
    quoted = next((p for p in posts if _clean(p.text)), None)
    if quoted is None:
        return None
    quote = _clean(quoted.text)
    more = [s for s in told if s not in quote][:4]
    return Story("", quote, quoted.author, _source_names(group), quoted.url, more, more_links)


def top_stories(
    items: list[StoredItem], language: str, limit: int, now: float, algorithm: str = "lexrank"
) -> list[Story]:
    groups = [[items[i] for i in g] for g in cluster(items, language)]
    groups.sort(key=lambda g: _score(g, now), reverse=True)
    stories = []
    for group in groups:
        story = _story(group, algorithm)
        if story:
            stories.append(story)
        if len(stories) == limit:
            break
    return stories


def build(briefing_input: BriefingInput) -> Briefing:
    """The briefing's content (CPU work: run it in the process pool)."""
    now, language, algorithm = briefing_input.until, briefing_input.language, briefing_input.algorithm
    sections = [
        Section(w.watch_id, w.name, w.count, w.usual, top_stories(w.items, language, STORIES_PER_WATCH, now, algorithm))
        for w in briefing_input.watches
    ]
    in_watches = {s.item.key for w in briefing_input.watches for s in w.items}
    news = top_stories(
        [s for s in briefing_input.news if s.item.key not in in_watches], language, NEWS_STORIES, now, algorithm
    )
    return Briefing(
        language=briefing_input.language,
        since=briefing_input.since,
        until=briefing_input.until,
        sections=sections,
        news=news,
        trends=briefing_input.trends,
        place=briefing_input.place,
        trends_at=briefing_input.trends_at,
    )
