"""Trends by place: names to WOEIDs, a shared cache (one paid request per place per interval),
and which trends touch a watch."""

from __future__ import annotations

import time
from dataclasses import dataclass

from bot.services import Services
from bot.sources.base import Item, SourceError
from bot.sources.x import MICRO_USD, PLACES
from bot.watches import QueryIndex, fold, tokens_of

DEFAULT_WOEID = PLACES["france"]


@dataclass(frozen=True)
class Trend:
    name: str
    count: int | None
    watch_ids: tuple[str, ...] = ()


@dataclass(frozen=True)
class TrendsView:
    woeid: int
    fetched_at: float
    trends: list[Trend]
    stale_reason: str = ""  # set when X failed and the cache was shown instead


def place_woeid(text: str) -> int | None:
    """'Paris' -> 615702, '23424819' -> 23424819, '' -> France; None when unknown."""
    name = fold(text.strip())
    if not name:
        return DEFAULT_WOEID
    if name.isdigit():
        return int(name)
    return PLACES.get(name.replace("é", "e"))


def place_name(woeid: int) -> str:
    names = [n for n, w in PLACES.items() if w == woeid]
    return names[0].title() if names else str(woeid)


def matching_watches(name: str, index: QueryIndex) -> tuple[str, ...]:
    probe = Item(source="trend", id=name, url="", title=name, text=name.lstrip("#"), published=0)
    return tuple(sorted(index.matching(probe, tokens_of(probe))))


async def current(services: Services, woeid: int, index: QueryIndex) -> TrendsView:
    """The trends of a place, from the cache when fresh enough; raises SourceError when X
    fails and nothing is cached."""
    store, x = services.store, services.x
    assert x is not None
    cached = await store.x.trends(woeid)
    stale_reason = ""
    if cached and time.time() - cached[0] < services.settings.trends_interval:
        fetched_at, raw = cached
    else:
        try:
            raw = await x.trends(woeid)
        except SourceError as exc:
            if cached is None:
                raise
            (fetched_at, raw), stale_reason = cached, exc.detail
        else:
            fetched_at = time.time()
            await store.x.add_cost("trends", 1, MICRO_USD["trends"])
            await store.x.save_trends(woeid, raw, ttl=24 * 3600)
    trends = [Trend(name, count, matching_watches(name, index)) for name, count in raw]
    trends.sort(key=lambda t: not t.watch_ids)  # trends touching a watch first
    return TrendsView(woeid, fetched_at, trends, stale_reason)
