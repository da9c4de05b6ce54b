"""One typed object holding every client the application uses, and its lifespan."""

from __future__ import annotations

import asyncio
import logging
import multiprocessing
import os
from collections.abc import AsyncIterator
from concurrent.futures import Executor, ProcessPoolExecutor
from contextlib import asynccontextmanager
from dataclasses import dataclass
from typing import Any, TypeVar, overload

from redis.asyncio import Redis
from redis.asyncio.retry import Retry
from redis.backoff import NoBackoff
from redis.exceptions import ConnectionError as RedisConnectionError

from bot.config import Settings
from bot.outage import RedisHealth
from bot.sources.http import SafeFetcher
from bot.sources.x import XSource
from bot.store import Store
from bot.store.embedded import EmbeddedRedis
from bot.store.system import SystemRepo

log = logging.getLogger(__name__)

R = TypeVar("R", bound=Redis)


@dataclass(frozen=True)
class Services:
    """What handlers, jobs and the CLI share; opened once per process by `open_services`."""

    settings: Settings
    store: Store
    redis_url: str
    fetcher: SafeFetcher  # every user-supplied URL goes through it
    cpu: Executor  # parsing and summarizing, off the event loop, on every core
    x: XSource | None  # None without X_BEARER_TOKEN: X sources off, feeds still work
    health: RedisHealth  # outages: waiting for Redis, telling users once


@asynccontextmanager
async def open_redis(settings: Settings) -> AsyncIterator[tuple[Redis, str, RedisHealth]]:
    """A Redis client on `REDIS_URL`, or on the embedded server started for the occasion (and
    started again if it dies), with the process's view of its health."""
    embedded = None
    if settings.redis_url:
        url = settings.redis_url.get_secret_value()
    else:
        embedded = EmbeddedRedis(settings.data_dir)
        await asyncio.to_thread(embedded.start)
        url = embedded.url
    client = redis_client(url, decode_responses=True)
    revive = (lambda: asyncio.to_thread(embedded.revive)) if embedded else None
    health = RedisHealth(SystemRepo(client), settings.language, settings.owner_ids, revive)
    try:
        yield client, url, health
    finally:
        await health.close()
        await client.aclose()
        if embedded:
            await asyncio.to_thread(embedded.stop)


@overload
def redis_client(url: str, **options: Any) -> Redis: ...
@overload
def redis_client(url: str, kind: type[R], **options: Any) -> R: ...
def redis_client(url: str, kind: type[Redis] = Redis, **options: Any) -> Redis:
    """A client (of `kind`: arq's pool is one) that gives up on a Redis that hangs: an outage,
    not a frozen process."""
    return kind.from_url(
        url,
        socket_connect_timeout=5,
        socket_timeout=15,
        health_check_interval=15,
        retry=Retry(NoBackoff(), 1),  # a connection Redis closed (e.g. it restarted) is retried once
        retry_on_error=[RedisConnectionError],
        **options,
    )


@asynccontextmanager
async def open_services(settings: Settings) -> AsyncIterator[Services]:
    """Open every client, yield the Services, close them all on the way out."""
    async with open_redis(settings) as (client, url, health):
        fetcher = SafeFetcher(settings.allowed_feed_hosts)
        cpu = ProcessPoolExecutor(
            max_workers=os.cpu_count() or 2,
            mp_context=multiprocessing.get_context("spawn"),
            initializer=os.nice,  # parsing yields the CPU to the event loop (answers stay quick)
            initargs=(5,),
        )
        x = XSource(settings) if settings.x_bearer_token else None
        try:
            yield Services(
                settings=settings, store=Store.over(client), redis_url=url, fetcher=fetcher, cpu=cpu, x=x, health=health
            )
        finally:
            await fetcher.close()
            if x:
                await x.close()
            cpu.shutdown(wait=False, cancel_futures=True)
