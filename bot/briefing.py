"""The briefing: pool -> cluster stories -> place -> rank -> summarize within a reading budget
(pure functions). Its inputs are read from the store by bot.briefing_inputs.

A story is a group of items about the same event across X, news and every watch (bot.clustering),
told once: under the watch with most of its items, the other watches named on its line; one
about no watch goes with the posts of the accounts followed on X when it holds some, else with
the news. A news
story is told by its headline and the one body sentence that adds most to it, a story on X only by
its most engaging post; sentences are taken verbatim from the items (extractive). Sections take
turns, best story first, until the stories shown reach WORD_BUDGET words; the rest of each section
is counted ("and N more").

The clustering and the telling (`tell`) are the CPU work, done in the process pool once per pool
of items and shared by every briefing drawn from it (bot.pool); choosing a member's stories
(`select`) is cheap.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from dataclasses import dataclass, field, replace

from bot.clustering import cluster
from bot.model import DEFAULT_WOEID, FOLLOWED, NEWS, CrisisNote, StoredItem, Trend
from bot.text import canonical_url
from bot.watches import fold
from summarizers import Summary, pick, summarize
from summarizers.position import LONG  # words a phone reads well: longer only when nothing shorter
from summarizers.stopwords import stop_words

WORD_BUDGET = 250  # words of stories: about a minute of reading, for up to five watches
ITEMS_PER_WATCH = 500
CANDIDATES = 12  # sentences summarize() ranks for a story, of which one is shown (more behind ➕)
NAMES_SHOWN = 3  # sources, or other watches, named on a story's line
UNTOLD_WORDS = 25  # words a story not told yet is expected to take (a short one: more get told)
TEXTS_RANKED = 50  # a story's texts whose sentences are ranked: the most shared articles, else posts
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
    crises: list[CrisisNote] = field(default_factory=list)  # raised since `since`, or still under way
    followed: list[StoredItem] = field(default_factory=list)  # the posts of the accounts followed on X


StoryKey = tuple[str, ...]  # a story's item keys: the same items are told the same way


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
    more_links: list[tuple[str, str]]  # (source, url) of every source that told it (StoredItem.credits)
    also: list[str] = field(default_factory=list)  # the other watches it concerns, named on its line
    author_name: str = ""  # the quoted post's author's name, for a story told by posts only
    published: float = 0.0  # when the quoted post was published

    @property
    def words(self) -> int:
        """Words on its line, as the reading budget counts them ("also" included)."""
        shown = [self.headline, self.sentence, self.author, named(self.sources), named(self.also)]
        return len(_WORDS.findall(" ".join(shown))) + (1 if self.also else 0)


def named(names: list[str]) -> str:
    """Names as a story's line shows them: the first NAMES_SHOWN, then how many more ("+2")."""
    more = len(names) - NAMES_SHOWN
    return ", ".join(names[:NAMES_SHOWN]) + (f" +{more}" if more > 0 else "")


@dataclass(frozen=True)
class Section:
    watch_id: str
    name: str
    count: int
    usual: float | None
    stories: list[Story]
    more: int = 0  # its further stories, left out by the reading budget
    elsewhere: list[Story] = field(default_factory=list)  # its stories told under another watch


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
    news_more: int = 0  # further news stories, left out by the reading budget
    crises: list[CrisisNote] = field(default_factory=list)  # first, before anything else
    followed: list[Story] = field(default_factory=list)  # the accounts followed on X, after the watches
    followed_more: int = 0


# ---------------------------------------------------------------- stories


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
    credits = {s.item.key: s.credits() for s in group}
    by_url: dict[str, tuple[str, str]] = {}  # every source once, articles first
    for item in [*articles, *posts]:
        for who, url in credits[item.key]:
            by_url.setdefault(url, (who, url))
    more_links = [credit for url, credit in by_url.items() if url]
    bodies = [i.text for i in articles if i.text] or [i.text for i in posts if i.text]
    told = _ranked(list(dict.fromkeys(bodies))[:TEXTS_RANKED], language, algorithm)  # syndicated copies once
    if articles:
        headline = articles[0].title or (told[0] if told else "")
        if not headline:
            return None
        candidates = dict.fromkeys([*_picked(headline, articles[0].text, language), *told])  # its own first
        body = _by_preference([s for s in candidates if not restates(s, headline, stop_words(language))])
        link = articles[0].url or next((url for _, url in more_links), "")
        sentence = body[0] if body else ""
        return Story(headline, sentence, "", _source_names(group), link, body[1:5], more_links)
    quoted = next((p for p in posts if _clean(p.text)), None)
    if quoted is None:
        return None
    quote = _clean(quoted.text)
    more = [s for s in told if s not in quote][:4]
    return Story(
        "",
        quote,
        quoted.author,
        _source_names(group),
        quoted.url,
        more,
        more_links,
        author_name=quoted.author_name,
        published=quoted.published,
    )


@dataclass(frozen=True)
class _Candidate:
    """A story that may be shown: its items (as the briefing sees them), the watches it
    concerns, most first, and its score."""

    group: Group
    watches: list[str]
    score: float


@dataclass
class Told:
    """Stories told and scored so far, by their items: shared by the briefings drawn from one
    pool of items read at the same time (bot.pool), so each story is told once."""

    stories: dict[StoryKey, Story | None] = field(default_factory=dict)
    scores: dict[StoryKey, float] = field(default_factory=dict)
    parts: dict[tuple[StoryKey, frozenset[str], float], Group | None] = field(default_factory=dict)

    def seen_by(self, group: Group, targets: set[str], since: float) -> Group | None:
        """Group.seen_by, remembered: the briefings sharing watches and a window share it."""
        if group.whole_for(targets, since):
            return group
        key = (group.key, frozenset(targets.intersection(group.counts)), since)
        if key not in self.parts:
            self.parts[key] = group.seen_by(targets, since)
        return self.parts[key]

    def score(self, group: Group, now: float) -> float:
        if group.key not in self.scores:
            self.scores[group.key] = _score(list(group.items), now)
        return self.scores[group.key]


def tell(groups: list[Group], algorithm: str) -> list[Story | None]:
    """Each group told as a story, no other watch named yet (CPU work: the sentences are
    ranked); None for a group with nothing to show."""
    return [_story(list(group.items), algorithm) for group in groups]


@dataclass(frozen=True)
class Group:
    """One story's items in a pool of items (leader first), each with the targets (watch ids, or
    NEWS) that hold it: what every briefing drawing on the pool needs of the story."""

    items: tuple[StoredItem, ...]
    targets: tuple[frozenset[str], ...]  # per item
    key: StoryKey
    oldest: float  # the first publication
    counts: dict[str, int]  # items per target

    @classmethod
    def of(cls, items: tuple[StoredItem, ...], targets: tuple[frozenset[str], ...]) -> Group:
        counts: dict[str, int] = {}
        for held in targets:
            for target in held:
                counts[target] = counts.get(target, 0) + 1
        oldest = min(stored.item.published for stored in items)
        return cls(items, targets, tuple(stored.item.key for stored in items), oldest, counts)

    def whole_for(self, targets: set[str], since: float) -> bool:
        """Whether a briefing of these targets since `since` covers all its items."""
        return self.oldest >= since and targets.issuperset(self.counts)

    def seen_by(self, targets: set[str], since: float) -> Group | None:
        """Its items that a briefing of these targets covers: held by one of them, published
        since `since` (itself when all are); None when none is."""
        if self.whole_for(targets, since):
            return self
        kept = [
            n
            for n, (stored, held) in enumerate(zip(self.items, self.targets, strict=True))
            if stored.item.published >= since and not held.isdisjoint(targets)
        ]
        return Group.of(tuple(self.items[n] for n in kept), tuple(self.targets[n] for n in kept)) if kept else None


Pooled = dict[str, tuple[StoredItem, frozenset[str]]]  # item key -> the item, the targets holding it


def pooled(items_by_target: Mapping[str, list[StoredItem]]) -> Pooled:
    """Each item once, with the targets holding it."""
    targets: dict[str, set[str]] = {}
    items: dict[str, StoredItem] = {}
    for target, held in items_by_target.items():
        for stored in held:
            items.setdefault(stored.item.key, stored)
            targets.setdefault(stored.item.key, set()).add(target)
    return {key: (stored, frozenset(targets[key])) for key, stored in items.items()}


def stories_of(pool: Pooled, clusters: list[list[int]]) -> list[Group]:
    """The stories of a pool, given its items' clusters (bot.clustering.cluster of its items, in
    order: CPU work, done once per pool)."""
    entries = list(pool.values())
    return [
        Group.of(tuple(entries[i][0] for i in members), tuple(entries[i][1] for i in members)) for members in clusters
    ]


@dataclass(frozen=True)
class _Chosen:
    shown: dict[str, list[tuple[Story, list[str]]]]  # per section: stories, with the watches they concern
    left: dict[str, int]  # per section: stories left out by the reading budget
    untold: list[_Candidate]  # stories the budget reached that are not told yet


def _within_budget(queues: dict[str, list[_Candidate]], told: Told, names: dict[str, str]) -> _Chosen:
    """The stories shown per section. Sections take turns, their best stories first and the news
    last in each turn, until the words shown reach WORD_BUDGET; a section whose next story does
    not fit stops there. A story whose turn comes that `told` lacks is listed in `untold` and
    counted as UNTOLD_WORDS: tell those, then choose again."""
    chosen = _Chosen({target: [] for target in queues}, {}, [])
    taken = dict.fromkeys(queues, 0)
    open_ = [target for target in queues if queues[target]]
    used = 0
    while open_:
        for target in sorted(open_, key=lambda t: (t == NEWS, -queues[t][taken[t]].score)):
            candidate = queues[target][taken[target]]
            known = candidate.group.key in told.stories
            story = told.stories.get(candidate.group.key)
            if story is not None and candidate.watches[1:]:
                story = replace(story, also=[names[w] for w in candidate.watches[1:]])
            if not known:
                chosen.untold.append(candidate)  # it may fit (or tell nothing): tell it, whatever the guess
            words = story.words if story else 0 if known else UNTOLD_WORDS
            if words and used and used + words > WORD_BUDGET:
                open_.remove(target)  # this one and the rest are counted, not shown
                continue
            taken[target] += 1
            if story is not None:
                chosen.shown[target].append((story, candidate.watches))
            used += words
            if taken[target] == len(queues[target]):
                open_.remove(target)
    chosen.left.update({target: len(queues[target]) - taken[target] for target in queues})
    return chosen


def _queues(inputs: BriefingInput, groups: list[Group], told: Told) -> dict[str, list[_Candidate]]:
    """The candidate stories of each section (the accounts followed and the news too), best
    first: the `groups` as far as they hold items of the briefing's watches, of the accounts
    followed or news published in its window. A story goes under the watch holding most of it,
    else with the accounts followed when it holds their posts, else with the news."""
    order = [w.watch_id for w in inputs.watches]
    sizes = {w.watch_id: max(1, len(w.items)) for w in inputs.watches}
    queues: dict[str, list[_Candidate]] = {target: [] for target in [*order, FOLLOWED, NEWS]}
    targets = set(queues)
    for whole in groups:
        group = told.seen_by(whole, targets, inputs.since)
        if group is None:
            continue
        counts = group.counts
        watches = [w for w in counts if w in sizes]
        if len(watches) > 1:
            watches.sort(key=lambda w: (-counts[w], -counts[w] / sizes[w], order.index(w)))
        candidate = _Candidate(group, watches, told.score(group, inputs.until))
        queues[watches[0] if watches else FOLLOWED if FOLLOWED in counts else NEWS].append(candidate)
    for queue in queues.values():
        queue.sort(key=lambda c: c.score, reverse=True)
    return queues


def select(inputs: BriefingInput, told: Told, groups: list[Group]) -> Briefing | list[Group]:
    """The briefing's content from stories told already or, when the reading budget reaches one
    that `told` lacks, the stories to tell first (`tell`). Cheap and pure: the briefings composed
    together share the clustering (`groups`) and the telling (bot.pool)."""
    chosen = _within_budget(_queues(inputs, groups, told), told, {w.watch_id: w.name for w in inputs.watches})
    if chosen.untold:
        return [candidate.group for candidate in chosen.untold]
    shown, left = chosen.shown, chosen.left
    sections = [
        Section(
            w.watch_id,
            w.name,
            w.count,
            w.usual,
            [story for story, _ in shown[w.watch_id]],
            left[w.watch_id],
            [story for t, told_ in shown.items() if t != w.watch_id for story, of in told_ if w.watch_id in of],
        )
        for w in inputs.watches
    ]
    return Briefing(
        language=inputs.language,
        since=inputs.since,
        until=inputs.until,
        sections=sections,
        news=[story for story, _ in shown[NEWS]],
        trends=inputs.trends,
        place=inputs.place,
        trends_at=inputs.trends_at,
        news_more=left[NEWS],
        crises=inputs.crises,
        followed=[story for story, _ in shown[FOLLOWED]],
        followed_more=left[FOLLOWED],
    )


def build(briefing_input: BriefingInput) -> Briefing:
    """The briefing's content, clustered and told here, in one process (tests, benchmarks)."""
    pool = pooled(
        {
            **{w.watch_id: w.items for w in briefing_input.watches},
            FOLLOWED: briefing_input.followed,
            NEWS: briefing_input.news,
        }
    )
    groups = stories_of(pool, cluster([stored for stored, _ in pool.values()]))  # once: select draws on them
    told = Told()
    while not isinstance(chosen := select(briefing_input, told, groups), Briefing):
        told.stories.update(zip((group.key for group in chosen), tell(chosen, briefing_input.algorithm), strict=True))
    return chosen
