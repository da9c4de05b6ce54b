"""The poll cycle: plan what is due -> fetch concurrently -> normalize -> dedupe -> store -> events.

Run by an arq cron job every minute (unique per tick); each source kind has its own interval and
a cycle only fetches what is due. Feeds are polled once per URL whatever the number of watches
or users; X once per unique query (see bot.sources.x).
"""

from __future__ import annotations

import asyncio
import logging
import time
from dataclasses import dataclass, field
from html import escape

from bot import trends
from bot.feeds import fetch_feed
from bot.model import NEWS, Feed, Incoming, Lease, Outgoing, RateLimited, SourceError
from bot.normalize import incoming, watch_index
from bot.render.i18n import Html, t
from bot.services import Services
from bot.sources.x import MICRO_USD
from bot.watches import QueryIndex

log = logging.getLogger(__name__)

FEED_CONCURRENCY = 64
CYCLE_TIMEOUT = 600  # the job's limit
LEASE_TTL = 30  # a crashed cycle holds up the next one for at most this long


@dataclass
class CycleReport:
    feeds_fetched: int = 0
    feeds_not_modified: int = 0
    feeds_failed: int = 0
    feeds_paused: list[str] = field(default_factory=list)
    x_requests: int = 0  # searches
    trends_requests: int = 0
    items_seen: int = 0
    items_indexed: int = 0


class Ingest:
    """One cycle over every source that is due."""

    def __init__(self, services: Services) -> None:
        self.services = services
        self.store = services.store
        self.settings = services.settings

    async def cycle(self, now: float | None = None) -> CycleReport | None:
        """Run one cycle unless another is running; None when skipped."""
        async with self.store.system.lease("ingest", LEASE_TTL) as lease:
            if lease is None:
                log.info("an ingest cycle is already running: skipped")
                return None
            now = now or time.time()
            report = CycleReport()
            index = watch_index(await self.store.watches.all())
            await asyncio.gather(self._feeds(now, index, report, lease), self._x(now, index, report, lease))
            report.trends_requests = await trends.poll(self.services, now) if lease.held else 0
            return report

    async def _feeds(self, now: float, index: QueryIndex, report: CycleReport, lease: Lease) -> None:
        due = await self.store.feeds.due(now)
        limit = asyncio.Semaphore(FEED_CONCURRENCY)

        async def one(feed_id: str) -> None:
            async with limit:
                if not lease.held:  # another cycle took over: it polls what is left
                    return
                feed = await self.store.feeds.get(feed_id)
                batch = await self._poll_feed(feed, now, index, report) if feed else []
                indexed = await self.store.items.add_many(batch)  # await before +=: tasks share report
                report.items_seen += len(batch)
                report.items_indexed += len(indexed)

        await asyncio.gather(*(one(f) for f in due))

    async def _x(self, now: float, index: QueryIndex, report: CycleReport, lease: Lease) -> None:
        """One search per unique due query, whatever the number of watches and followers."""
        x = self.services.x
        if x is None:
            return
        watches_by_query: dict[str, set[str]] = {}
        for watch_id, query in index.queries.items():
            watches_by_query.setdefault(query.x_query(), set()).add(watch_id)
        batch: list[Incoming] = []
        for x_query, watch_ids in sorted(watches_by_query.items()):
            if not lease.held:  # another cycle took over: no search is paid twice
                break
            since_id, next_poll = await self.store.x.query_state(x_query)
            if next_poll > now:
                continue
            limited = max(await self.store.x.limited_until("search"), x.limits.exhausted_until("search"))
            if limited > now:
                log.info(
                    "X search is rate limited until %s: %d queries wait", time.ctime(limited), len(watches_by_query)
                )
                break
            try:
                result = await x.search(x_query, since_id)
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
            await self.store.x.add_cost("post_read", result.posts_read, result.posts_read * MICRO_USD["post_read"])
            await self.store.x.add_cost("user_read", result.users_read, result.users_read * MICRO_USD["user_read"])
            await self.store.x.save_query(x_query, result.newest_id, now + self.settings.x_search_interval)
            batch += [incoming(item, watch_ids, index) for item in result.items]
        indexed = await self.store.items.add_many(batch)
        report.items_seen += len(batch)
        report.items_indexed += len(indexed)

    async def _poll_feed(self, feed: Feed, now: float, index: QueryIndex, report: CycleReport) -> list[Incoming]:
        targets = set(feed.targets & (set(index.queries) | {NEWS}))
        try:
            fetched, parsed, batch = await fetch_feed(
                self.services, feed.url, feed.etag, feed.last_modified, targets, index
            )
        except SourceError as exc:
            report.feeds_failed += 1
            await self._failed(feed, exc, now, report)
            return []
        feed.succeeded(now, self.settings.feed_interval, fetched.etag, fetched.last_modified)
        if parsed is None:
            report.feeds_not_modified += 1
            await self.store.feeds.save(feed)
            return []
        report.feeds_fetched += 1
        feed.title = feed.title or parsed.title
        await self.store.feeds.save(feed)
        return batch

    async def _failed(self, feed: Feed, exc: SourceError, now: float, report: CycleReport) -> None:
        """Back off; a feed paused by this failure is reported to the people it concerns."""
        pausing = feed.failed(now, self.settings.feed_interval, exc.kind, exc.detail)
        log.info("feed %s failed (%s: %s), next try in %.0f s", feed.url, exc.kind, exc.detail, feed.next_poll - now)
        await self.store.feeds.save(feed)
        if pausing:
            report.feeds_paused.append(feed.id)
            await self._tell_paused(feed)

    async def _tell_paused(self, feed: Feed) -> None:
        """Tell once (a paused feed is no longer polled) who added it and who follows its watches."""
        people = {feed.added_by} if feed.added_by else set()
        for target in feed.targets - {NEWS}:
            people |= await self.store.watches.followers(target)
        for user_id in sorted(people):
            profile = await self.store.users.get(user_id)
            language = profile.language if profile else self.settings.language
            url = Html(escape(feed.url, quote=False))  # to copy whole, however long
            text = t(language, "feed_paused_notice", title=feed.title or feed.url, error=feed.last_error, url=url)
            await self.store.outbox.push(Outgoing(user_id, text))
