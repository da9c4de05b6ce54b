"""The poll cycle: plan what is due -> fetch concurrently -> normalize -> dedupe -> store -> events,
then the new items told to the topic alerts they match (bot.topics) and each watch judged for a
crisis (bot.alerts).

Run by an arq cron job every 30 seconds, the shortest interval (unique per tick); each kind of source (bot.sources.base:
feeds, X search, the accounts followed on X, trends) has its own interval and a cycle only fetches what is due.
"""

from __future__ import annotations

import asyncio
import logging
import time

from bot import topics
from bot.alerts import check_crises
from bot.feeds import FeedSource
from bot.following import FollowedSource
from bot.model import Incoming, Lease
from bot.normalize import watch_index
from bot.search import XSearchSource
from bot.services import Services
from bot.sources.base import CycleReport, Source
from bot.trends import TrendsSource
from bot.watches import QueryIndex

log = logging.getLogger(__name__)

CYCLE_TIMEOUT = 600  # the job's limit
LEASE_TTL = 30  # a crashed cycle holds up the next one for at most this long


def sources(services: Services) -> list[Source]:
    """Every kind of source, in the order they are polled (concurrently)."""
    return [FeedSource(services), XSearchSource(services), FollowedSource(services), TrendsSource(services)]


class Ingest:
    """One cycle over every source that is due."""

    def __init__(self, services: Services, kinds: list[Source] | None = None) -> None:
        self.store = services.store
        self.owners = services.settings.owner_ids
        self.cpu = services.cpu
        self.kinds = kinds if kinds is not None else sources(services)

    async def cycle(self, now: float | None = None) -> CycleReport | None:
        """Run one cycle unless another is running; None when skipped."""
        async with self.store.system.lease("ingest", LEASE_TTL) as lease:
            if lease is None:
                log.info("an ingest cycle is already running: skipped")
                return None
            now = now or time.time()
            report = CycleReport()
            index = watch_index(await self.store.watches.all())
            await asyncio.gather(*(self._poll(source, now, index, lease, report) for source in self.kinds))
            if lease.held:  # another cycle took over: it tells and judges
                report.topic_alerts = await topics.flush(self.store, self.owners, now)
                report.crisis_alerts = await check_crises(self.store, self.owners, self.cpu, now)
            return report

    async def _poll(self, source: Source, now: float, index: QueryIndex, lease: Lease, report: CycleReport) -> None:
        """Poll one source, storing its items as they come (duplicates folded, volumes counted)
        and setting aside for topic alerts those new to a watch."""

        async def keep(batch: list[Incoming], origin: str) -> None:
            indexed = await self.store.items.add_many(batch, origin)  # await before +=: sources share report
            await topics.route(self.store, indexed)
            report.items_seen += len(batch)
            report.items_indexed += len(indexed)

        await source.poll(now, index, lease, report, keep)
