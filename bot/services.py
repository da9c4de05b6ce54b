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

from redis.asyncio import Redis

from bot.config import Settings
from bot.sources.http import SafeFetcher
from bot.sources.x import XSource
from bot.store import Store
from bot.store.embedded import EmbeddedRedis

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Services:
    """What handlers, jobs and the CLI share; opened once per process by `open_services`."""

    settings: Settings
    store: Store
    redis_url: str
    fetcher: SafeFetcher  # every user-supplied URL goes through it
    cpu: Executor  # parsing and summarizing, off the event loop, on every core
    x: XSource | None  # None without X_BEARER_TOKEN: X sources off, feeds still work


@asynccontextmanager
async def open_redis(settings: Settings) -> AsyncIterator[tuple[Redis, str]]:
    """A Redis client on `REDIS_URL`, or on the embedded server started for the occasion."""
    embedded = None
    if settings.redis_url:
        url = settings.redis_url.get_secret_value()
    else:
        embedded = EmbeddedRedis(settings.data_dir)
        await asyncio.to_thread(embedded.start)
        url = embedded.url
    client = Redis.from_url(url, decode_responses=True)
    try:
        yield client, url
    finally:
        await client.aclose()
        if embedded:
            await asyncio.to_thread(embedded.stop)


@asynccontextmanager
async def open_services(settings: Settings) -> AsyncIterator[Services]:
    """Open every client, yield the Services, close them all on the way out."""
    async with open_redis(settings) as (client, url):
        await client.ping()
        fetcher = SafeFetcher(settings.allowed_feed_hosts)
        cpu = ProcessPoolExecutor(
            max_workers=os.cpu_count() or 2,
            mp_context=multiprocessing.get_context("spawn"),
            initializer=os.nice,  # parsing yields the CPU to the event loop (answers stay quick)
            initargs=(5,),
        )
        x = XSource(settings) if settings.x_bearer_token else None
        try:
            yield Services(settings=settings, store=Store.over(client), redis_url=url, fetcher=fetcher, cpu=cpu, x=x)
        finally:
            await fetcher.close()
            if x:
                await x.close()
            cpu.shutdown(wait=False, cancel_futures=True)
