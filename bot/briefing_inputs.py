"""What a briefing covers: the member's watches (not muted) with their recent items (from a
bot.pool, which reads them) and volumes, the posts of the accounts followed on X, the general
news, the trends."""

from __future__ import annotations

import asyncio

from bot import volume
from bot.briefing import BriefingInput, WatchInput
from bot.crisis import Kind
from bot.model import DEFAULT_WOEID, FOLLOWED, NEWS, CrisisNote, Trend, Watch
from bot.normalize import watch_index
from bot.pool import Pool
from bot.store import Store
from bot.trends import matching_watches


async def usual_count(store: Store, watch_id: str, since: float, until: float) -> tuple[int, float | None]:
    """Mentions of the watch published in [since, until), and the usual for that window."""
    counts = await store.volumes.counts(watch_id, volume.history_buckets(since, until))
    usual = volume.usual(counts, since, until)
    return volume.total(counts, since, until), usual


async def briefed_watches(store: Store, user_id: int) -> list[Watch]:
    """The watches whose news the member's briefing gives: followed, not muted, sorted by id."""
    followed = await store.watches.followed(user_id) - await store.briefings.muted(user_id)
    return [w for w in await store.watches.all() if w.id in followed]  # one read, sorted by id


async def gather(
    store: Store, watches: list[Watch], language: str, since: float, pool: Pool, algorithm: str = "lexrank"
) -> BriefingInput:
    """What a briefing of these watches covers, from `since` to when the pool was read: their
    items and volumes, the news, the trends."""
    until = pool.until

    async def watch_input(watch: Watch) -> WatchInput:
        window = (watch.id, volume.bucket(since))  # counts are per bucket: the same for the same buckets
        if window not in pool.volumes:
            pool.volumes[window] = await usual_count(store, watch.id, since, until)
        count, usual = pool.volumes[window]
        return WatchInput(watch.id, watch.name, pool.recent(watch.id, since), count, usual)

    inputs, cached, crises = await asyncio.gather(  # independent reads, concurrently
        asyncio.gather(*(watch_input(watch) for watch in watches)),
        store.x.trends(DEFAULT_WOEID),
        crisis_notes(store, watches, since),
    )
    index = watch_index(watches)
    trends = [Trend(name, count, matching_watches(name, index)) for name, count in cached[1]] if cached else []
    trends.sort(key=lambda t: not t.watch_ids)
    trends_at = cached[0] if cached else 0.0
    news = pool.recent(NEWS, since)
    return BriefingInput(
        language,
        since,
        until,
        inputs,
        news,
        trends,
        algorithm=algorithm,
        trends_at=trends_at,
        crises=crises,
        followed=pool.recent(FOLLOWED, since),
    )


async def crisis_notes(store: Store, watches: list[Watch], since: float) -> list[CrisisNote]:
    """The crises of these watches raised since `since`, or still under way."""
    trackings = await store.crises.trackings([watch.id for watch in watches])
    return [
        CrisisNote(watch.name, state.last_alert, state.times_usual, state.episode is Kind.SPIKE)
        for watch, (tracking, _) in zip(watches, trackings, strict=True)
        if (state := tracking.watching).last_alert is not None
        and state.alerted is Kind.SPIKE  # a drop is told when it happens, not in the briefing
        and (state.last_alert >= since or state.episode is Kind.SPIKE)
    ]
