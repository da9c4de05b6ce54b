"""What a briefing covers, read from the store: the member's watches (not muted) with their
recent items and volumes, the general news, the trends. The one I/O step before bot.briefing."""

from __future__ import annotations

import asyncio
import time

from bot import volume
from bot.briefing import ITEMS_PER_WATCH, BriefingInput, WatchInput
from bot.model import DEFAULT_WOEID, NEWS, Trend, Watch
from bot.normalize import watch_index
from bot.store import Store
from bot.trends import matching_watches


async def usual_count(store: Store, watch_id: str, since: float, until: float) -> tuple[int, float | None]:
    """Mentions of the watch published in [since, until), and the usual for that window."""
    counts = await store.volumes.counts(watch_id, volume.history_buckets(since, until))
    usual = volume.usual(counts, since, until)
    return volume.total(counts, since, until), usual.median if usual else None


async def gather(
    store: Store, user_id: int, language: str, since: float, until: float | None = None, algorithm: str = "lexrank"
) -> BriefingInput:
    """What the briefing of `user_id` covers: followed watches (not muted), news, trends."""
    until = until or time.time()
    followed = await store.watches.followed(user_id) - await store.briefings.muted(user_id)
    existing = [w for w in await store.watches.all() if w.id in followed]  # one read, sorted by id

    async def watch_input(watch: Watch) -> WatchInput:
        count, usual = await usual_count(store, watch.id, since, until)
        items = await store.items.recent(watch.id, limit=ITEMS_PER_WATCH, since=since)
        return WatchInput(watch.id, watch.name, items, count, usual)

    watches, news, cached = await asyncio.gather(  # independent reads, concurrently
        asyncio.gather(*(watch_input(watch) for watch in existing)),
        store.items.recent(NEWS, limit=ITEMS_PER_WATCH, since=since),
        store.x.trends(DEFAULT_WOEID),
    )
    index = watch_index(existing)
    trends = [Trend(name, count, matching_watches(name, index)) for name, count in cached[1]] if cached else []
    trends.sort(key=lambda t: not t.watch_ids)
    trends_at = cached[0] if cached else 0.0
    return BriefingInput(language, since, until, watches, news, trends, algorithm=algorithm, trends_at=trends_at)
