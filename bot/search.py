"""X recent search as a poll source: one search per unique due query (whatever the number of
watches and followers), from the query's since_id; a 429 stops every query until X's reset."""

from __future__ import annotations

import logging
import time

from bot.model import Incoming, Lease, RateLimited, SourceError
from bot.normalize import incoming
from bot.services import Services
from bot.sources.base import CycleReport, Keep
from bot.sources.x import MICRO_USD
from bot.watches import QueryIndex

log = logging.getLogger(__name__)


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
        await keep(batch)
