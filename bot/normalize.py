"""From a source's items to what is stored: language, duplicate fingerprints, target watches.

CPU work: for feeds it runs in the process pool together with parsing (`prepare_feed`).
"""

from __future__ import annotations

import hashlib
from collections.abc import Set
from dataclasses import replace

from bot.language import detect_language
from bot.model import TEAM_TARGETS, Incoming, Item, Watch
from bot.sources.rss import ParsedFeed, parse_feed
from bot.text import canonical_url
from bot.watches import QueryIndex, Tokens, parse_query, tokens_of


def fingerprints(item: Item, tokens: Tokens) -> tuple[str, ...]:
    """What makes two items the same story: the canonical URL, the post quoted or reposted, or
    (long enough) the same words."""
    prints = []
    if item.source == "x":  # a quote or repost is the story of the post it carries
        prints.append(f"o:{item.original_id or item.id}")
    elif item.url:
        prints.append("u:" + hashlib.sha1(canonical_url(item.url).encode()).hexdigest()[:16])
    words = tokens.joined.split()
    if len(words) >= 8:
        prints.append("t:" + hashlib.sha1(" ".join(words[:40]).encode()).hexdigest()[:16])
    return tuple(prints)


def incoming(
    item: Item, index: QueryIndex, *, attached: Set[str] = frozenset(), found: Set[str] = frozenset()
) -> Incoming:
    """The item with its language known, listed under every watch it mentions (those it was
    `found` for by X, those whose query it matches) and where its source is `attached` (a
    feed's watches, the news, the followed accounts): there it is listed but not a mention."""
    if item.language is None:
        item = replace(item, language=detect_language(f"{item.title} {item.text}"))
    tokens = tokens_of(item)
    mentions = frozenset(found | index.matching(item, tokens))
    item = replace(item, watch_ids=tuple(sorted(mentions.difference(TEAM_TARGETS))))
    return Incoming.of(item, fingerprints(item, tokens), frozenset(attached | mentions), mentions)


def prepare_feed(
    body: bytes, url: str, content_type: str, targets: set[str], index: QueryIndex
) -> tuple[ParsedFeed, list[Incoming]]:
    """Parse a feed and prepare its items for the store (run it in the process pool). The
    items travel back once, as `Incoming`s: the ParsedFeed returned has none."""
    parsed = parse_feed(body, url, content_type)
    return replace(parsed, items=[]), [incoming(item, index, attached=targets) for item in parsed.items]


def watch_index(watches: list[Watch]) -> QueryIndex:
    return QueryIndex.build({w.id: parse_query(w.query) for w in watches})
