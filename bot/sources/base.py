"""The one protocol every kind of source follows, so the poll cycle (bot.ingest) loops over
kinds instead of growing a branch per kind.

A source knows its units (a feed, an X query, a place for trends), when each is due, and each
unit's cursor (ETag and Last-Modified, X's since_id, the trends' age) and health (backoff,
pause, rate limits). Polled, it fetches every due unit from its cursor, saves the new cursor and
health, and hands the items, prepared for the store, to the cycle. The kinds: feeds (bot.feeds),
X search (bot.search), the accounts Vigie follows on X (bot.following) and trends (bot.trends).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Protocol

from bot.model import Incoming, Lease
from bot.watches import QueryIndex

SLACK = 5.0  # a unit due this soon is polled now: cron ticks come a little early or late, and
# waiting for the next one would stretch every interval by a tick


@dataclass
class CycleReport:
    """What one poll cycle did (logged by the worker, read by tests and benchmarks)."""

    feeds_fetched: int = 0
    feeds_not_modified: int = 0
    feeds_failed: int = 0
    feeds_paused: list[str] = field(default_factory=list)
    x_requests: int = 0  # searches
    x_timelines: int = 0  # requests for the posts of the accounts followed
    trends_requests: int = 0
    items_seen: int = 0
    items_indexed: int = 0
    topic_alerts: int = 0
    crisis_alerts: int = 0

    def did_work(self) -> bool:
        return bool(
            self.feeds_fetched
            or self.feeds_failed
            or self.x_requests
            or self.x_timelines
            or self.trends_requests
            or self.crisis_alerts
        )


Keep = Callable[[list[Incoming], str], Awaitable[None]]  # stores a batch of items from a source (bot.ingest)


class Source(Protocol):
    kind: str  # names the source in logs

    async def poll(self, now: float, index: QueryIndex, lease: Lease, report: CycleReport, keep: Keep) -> None:
        """Fetch every due unit from its cursor (stopping when `lease` is lost: another cycle
        took over), save cursors and health, count what was done in `report`; each unit's items
        go to `keep` as soon as they are ready (stored while other units are fetched)."""
        ...
