"""From a source's items to what is stored: language, duplicate fingerprints, target watches."""

from __future__ import annotations

import hashlib
from dataclasses import replace

from bot.language import detect_language
from bot.sources.base import Item
from bot.store.watching import Incoming, Watch
from bot.text import canonical_url
from bot.watches import Query, fold, matches, parse_query


def fingerprints(item: Item) -> tuple[str, ...]:
    """What makes two items the same story: the canonical URL, the post quoted or reposted, or
    (long enough) the same text."""
    prints = []
    if item.source == "x":  # a quote or repost is the story of the post it carries
        prints.append(f"o:{item.original_id or item.id}")
    elif item.url:
        prints.append("u:" + hashlib.sha1(canonical_url(item.url).encode()).hexdigest()[:16])
    words = [w for w in fold(f"{item.title} {item.text}").split() if not w.startswith(("http", "@", "#"))]
    if len(words) >= 8:
        prints.append("t:" + hashlib.sha1(" ".join(words[:40]).encode()).hexdigest()[:16])
    return tuple(prints)


def incoming(item: Item, targets: set[str], queries: dict[str, Query]) -> Incoming:
    """The item with its language known, bound for its targets plus every watch it matches."""
    if item.language is None:
        detected = detect_language(f"{item.title} {item.text}")
        item = replace(item, language=detected)
    matched = {watch_id for watch_id, query in queries.items() if matches(query, item)}
    return Incoming(item=item, fingerprints=fingerprints(item), targets=frozenset(targets | matched))


def watch_queries(watches: list[Watch]) -> dict[str, Query]:
    return {w.id: parse_query(w.query) for w in watches}
