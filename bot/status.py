"""Operations: one snapshot of how Vigie is doing (for /status and /metrics), and the heartbeat
that says which processes are alive."""

from __future__ import annotations

import asyncio
import contextlib
import os
import socket
import time

from redis.exceptions import RedisError

from bot.model import Status
from bot.store import Store

X_ENDPOINTS = ("search", "trends")
ALIVE_EVERY = 10.0  # seconds between two heartbeats of a process
ALIVE_WITHIN = 3 * ALIVE_EVERY


async def snapshot(store: Store, now: float | None = None) -> Status:
    """How things stand, read from Redis."""
    now = now or time.time()
    day = time.strftime("%Y-%m-%d", time.gmtime(now))
    return Status(
        at=now,
        backlog=await store.delivery.backlog(),
        delivery_today=await store.delivery.stats(day),
        delivery_totals=await store.delivery.totals(),
        feeds=await store.feeds.all(),
        x_today=await store.x.costs(day),
        x_month=await store.x.costs(day[:7]),
        x_limited={e: until for e in X_ENDPOINTS if (until := await store.x.limited_until(e)) > now},
        x_quotas=await store.x.quotas(now),
        items_today=await store.items.new_by_source(day),
        posting_hold=await store.posting.hold(),
        worker_beat=await store.system.last_beat(),
        processes=await store.system.processes(ALIVE_WITHIN),
        polling=await store.system.leased("poller"),
        redis=await store.system.server(),
    )


async def beat_while_running(store: Store, mode: str, stop: asyncio.Event) -> None:
    """Say every ALIVE_EVERY seconds that this process is alive, until `stop`."""
    process = f"{socket.gethostname()}:{os.getpid()}"
    while not stop.is_set():
        with contextlib.suppress(RedisError):  # an outage: the others see it as gone meanwhile
            await store.system.seen(process, mode)
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(stop.wait(), ALIVE_EVERY)
