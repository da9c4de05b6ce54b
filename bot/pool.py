"""What the briefings composed together share (the morning rush: everyone's default is 07:30).

A pool is the recent items of every watch and of the news, read from Redis once and clustered into
stories once (in the process pool), with every story told so far. Each member's briefing is then a
cheap selection from it (bot.briefing.select) that tells, in the process pool, only the stories
no briefing of the pool has told yet; the same items are told once, however many members they
reach. A briefing drawn from a pool covers up to the moment the pool was read (`until`): the next
one starts there, so nothing published meanwhile is lost.

A process keeps one pool per window start (the hour its briefings' `since` falls in), reused while
younger than FRESH: the briefings due in the same minute, composed by that process's parallel
jobs, share it. An on-demand /briefing reads a pool of its own member's watches.
"""

from __future__ import annotations

import asyncio
import functools
import time
from collections.abc import Iterable
from concurrent.futures import Executor
from dataclasses import dataclass, field

from bot.briefing import ITEMS_PER_WATCH, Group, Story, StoryKey, Told, pooled, stories_of, tell
from bot.clustering import cluster
from bot.model import TEAM_TARGETS, StoredItem
from bot.store import Store

FRESH = 120.0  # seconds a shared pool is drawn on: a rush of 2,000 briefings is composed within it
COMPOSING = 2  # briefings a process composes at once: choosing is CPU work on the event loop, so
# more would not be faster and would hold up what shares the loop (the sender's paced requests)
HOUR = 3600


@dataclass
class Pool:
    """Recent items by target (watch id, NEWS or FOLLOWED), newest first, read at `until`; their stories
    (`groups`) and those told already."""

    until: float
    items: dict[str, list[StoredItem]]
    groups: list[Group]
    told: Told = field(default_factory=Told)
    volumes: dict[tuple[str, int], tuple[int, float | None]] = field(default_factory=dict)  # (watch, since's bucket)
    _by_target: dict[str, list[int]] = field(default_factory=dict)  # the groups holding its items
    _telling: dict[StoryKey, tuple[asyncio.Future[list[Story | None]], int]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        for n, group in enumerate(self.groups):
            for target in group.counts:
                self._by_target.setdefault(target, []).append(n)

    def recent(self, target: str, since: float) -> list[StoredItem]:
        """The target's items published since `since` (as bot.store.items.recent would read them)."""
        return [stored for stored in self.items.get(target, []) if stored.item.published >= since]

    def touching(self, targets: Iterable[str]) -> list[Group]:
        """The stories that hold items of these targets (a briefing of them needs no other)."""
        return [self.groups[n] for n in sorted({n for t in targets for n in self._by_target.get(t, [])})]

    async def tell(self, groups: list[Group], cpu: Executor, algorithm: str) -> None:
        """Tell these stories (in `cpu`), each once however many briefings ask at the same time;
        a telling that fails is forgotten (the next briefing asking tells them again)."""
        new = [group for group in groups if group.key not in self._telling]
        if new:
            batch = asyncio.get_running_loop().run_in_executor(cpu, tell, new, algorithm)
            batch.add_done_callback(functools.partial(self._forget_failed, keys=[group.key for group in new]))
            for n, group in enumerate(new):
                self._telling[group.key] = (batch, n)
        for group in groups:
            batch, n = self._telling[group.key]
            self.told.stories[group.key] = (await asyncio.shield(batch))[n]  # a cancelled job cancels not the others'

    def _forget_failed(self, batch: asyncio.Future[list[Story | None]], keys: list[StoryKey]) -> None:
        if batch.cancelled() or batch.exception() is not None:
            for key in keys:
                if self._telling.get(key, (None, 0))[0] is batch:
                    del self._telling[key]


async def read(store: Store, targets: Iterable[str], since: float, cpu: Executor) -> Pool:
    """The pool of these targets (and the TEAM_TARGETS: news, accounts followed) since `since`,
    read now and clustered in `cpu`."""
    until = time.time()
    wanted = list(dict.fromkeys([*targets, *TEAM_TARGETS]))
    read_ = await asyncio.gather(*(store.items.recent(t, limit=ITEMS_PER_WATCH, since=since) for t in wanted))
    items = dict(zip(wanted, read_, strict=True))
    entries = pooled(items)
    clusters = await asyncio.get_running_loop().run_in_executor(cpu, cluster, [s for s, _ in entries.values()])
    return Pool(until, items, stories_of(entries, clusters))


class Pools:
    """This process's shared pools, one per window start, each read once and drawn on while
    younger than FRESH (the briefings composed together: bot.morning)."""

    def __init__(self) -> None:
        self._pools: dict[int, asyncio.Task[Pool]] = {}
        self.composing = asyncio.Semaphore(COMPOSING)  # held by each briefing being composed

    async def shared(self, store: Store, since: float, cpu: Executor) -> Pool:
        """A pool of every watch covering [since, now): the one of the hour `since` falls in, read
        at most once per FRESH seconds however many briefings ask for it at the same time."""
        now = time.time()
        for hour, task in list(self._pools.items()):
            if task.done() and (task.cancelled() or task.exception() or now - task.result().until > FRESH):
                del self._pools[hour]
        hour = int(since // HOUR)
        if hour not in self._pools:
            self._pools[hour] = asyncio.create_task(_read_every_watch(store, hour * HOUR, cpu))
        pool = await asyncio.shield(self._pools[hour])
        return pool if pool.until >= since else await _read_every_watch(store, since, cpu)


async def _read_every_watch(store: Store, since: float, cpu: Executor) -> Pool:
    return await read(store, [watch.id for watch in await store.watches.all()], since, cpu)
