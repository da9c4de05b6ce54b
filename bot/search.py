"""X recent search as a poll source: one search per unique due query (whatever the number of
watches and followers), from the query's since_id; a 429 stops every query until X's reset.

A new watch's query is also searched once at once (`first_search`, `keep_first`), through the
same pricing and the same store path, so what it finds counts once."""

from __future__ import annotations

import logging
import time

from bot import budget
from bot.model import Incoming, Lease, RateLimited, SourceError
from bot.normalize import incoming, watch_index
from bot.services import Services
from bot.sources.base import SLACK, CycleReport, Keep
from bot.sources.x import MAX_RESULTS, MIN_RESULTS, SearchResult, XSource
from bot.watches import QueryIndex

log = logging.getLogger(__name__)


async def priced_search(
    services: Services, x: XSource, x_query: str, since_id: str | None, max_results: int = MAX_RESULTS
) -> SearchResult:
    """One search (see XSource.search), its reads counted in the spend."""
    try:
        result = await x.search(x_query, since_id, max_results)
    finally:
        await services.store.x.save_quota("search", x.limits.seen.get("search"))
    await budget.charge_reads(services, result)
    return result


async def paused_until(services: Services, x: XSource) -> float:
    """Until when search waits: X's last 429 (kept in the store) or the requests left at zero."""
    return max(await services.store.x.limited_until("search"), x.limits.exhausted_until("search"))


def watches_by_query(index: QueryIndex) -> dict[str, set[str]]:
    """The watches behind each query sent to X (several watches can share one)."""
    by_query: dict[str, set[str]] = {}
    for watch_id, query in index.queries.items():
        by_query.setdefault(query.x_query(), set()).add(watch_id)
    return by_query


def bound(result: SearchResult, watch_ids: set[str], index: QueryIndex) -> list[Incoming]:
    """A search's posts prepared for the store, under the watches of the query and every one they match."""
    return [incoming(item, index, found=watch_ids) for item in result.items]


async def first_search(services: Services, x_query: str, now: float) -> SearchResult:
    """A new query searched at once: one request for X's smallest page, priced. Raises
    QueryRejected when X refuses the query, RateLimited when search is paused (without asking
    X) or X answers 429 (search then pauses for the cycle too), SourceError when X fails."""
    x, store = services.x, services.store
    assert x is not None, "only with X configured"
    limited = await paused_until(services, x)
    if limited > now:
        raise RateLimited(limited)
    try:
        return await priced_search(services, x, x_query, None, max_results=MIN_RESULTS)
    except RateLimited as exc:
        await store.x.set_limited("search", exc.reset_at)
        raise


async def keep_first(services: Services, x_query: str, result: SearchResult) -> None:
    """Store what `first_search` found as the cycle would (its watches, volumes, duplicates
    folded: the cycle reading the same posts again counts nothing twice). When X had no more,
    every matching post has been read: the query's cursor moves past them, so none is paid twice."""
    store = services.store
    index = watch_index(await store.watches.all())
    await store.items.add_many(bound(result, watches_by_query(index).get(x_query, set()), index), "x")
    if result.more or not result.newest_id:
        return
    since_id, next_poll = await store.x.query_state(x_query)
    if since_id is None or int(result.newest_id) > int(since_id):
        await store.x.save_query(x_query, result.newest_id, next_poll)


class XSearchSource:
    kind = "x_search"

    def __init__(self, services: Services) -> None:
        self.services = services
        self.store = services.store
        self.settings = services.settings

    async def poll(self, now: float, index: QueryIndex, lease: Lease, report: CycleReport, keep: Keep) -> None:
        x = self.services.x
        if x is None:
            return
        by_query = watches_by_query(index)
        batch: list[Incoming] = []
        for x_query, watch_ids in sorted(by_query.items()):
            if not lease.held:  # another cycle took over: no search is paid twice
                break
            since_id, next_poll = await self.store.x.query_state(x_query)
            if next_poll > now + SLACK:
                continue
            limited = await paused_until(self.services, x)
            if limited > now:
                log.info("X search is rate limited until %s: %d queries wait", time.ctime(limited), len(by_query))
                break
            try:
                result = await priced_search(self.services, x, x_query, since_id)
            except RateLimited as exc:
                report.x_requests += 1
                await self.store.x.set_limited("search", exc.reset_at)
                break
            except SourceError as exc:
                report.x_requests += 1
                log.warning("X search failed for %r: %s", x_query, exc)
                await self.store.x.save_query(x_query, since_id, now + self.settings.x_search_interval)
                continue
            report.x_requests += result.requests
            await self.store.x.save_query(x_query, result.newest_id, now + self.settings.x_search_interval)
            batch += bound(result, watch_ids, index)
        await keep(batch, "x")
