"""One typed object holding every client the application uses, and its lifespan."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Mapping
from concurrent.futures import Executor
from contextlib import asynccontextmanager
from dataclasses import dataclass, field

from bot.config import Settings
from bot.outage import RedisHealth
from bot.pool import Pools
from bot.processes import process_pool
from bot.sources.http import SafeFetcher
from bot.sources.x import XSource
from bot.sources.x_account import XAccount
from bot.store import Store

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Services:
    """What handlers, jobs and the CLI share; opened once per process by `open_services`."""

    settings: Settings
    store: Store
    fetcher: SafeFetcher  # every user-supplied URL goes through it
    cpu: Executor  # parsing and summarizing, off the event loop, on every core
    x: XSource | None  # None without X_BEARER_TOKEN: X sources off, feeds still work
    health: RedisHealth  # outages: waiting for Redis, telling users once
    x_account: XAccount | None  # None without X user credentials: nothing can be posted or followed
    pools: Pools = field(default_factory=Pools)  # what the briefings composed together share


@asynccontextmanager
async def open_services(settings: Settings, local_hosts: Mapping[str, int] | None = None) -> AsyncIterator[Services]:
    """Open every client, yield the Services, close them all on the way out. `local_hosts`: names
    this process serves on 127.0.0.1 (the console's samples), name -> port."""
    redis_url = settings.redis_url.get_secret_value() if settings.redis_url else None
    async with Store.open(redis_url, settings.data_dir) as store:
        health = RedisHealth(store, settings.language, settings.owner_ids)
        timeout = settings.feed_timeout
        fetcher = SafeFetcher(
            settings.allowed_feed_hosts,
            total_timeout=timeout,
            connect_timeout=min(10, timeout),
            local_hosts=local_hosts,
        )
        cpu = process_pool()
        x = XSource(settings) if settings.x_bearer_token else None
        account = XAccount(settings) if XAccount.configured(settings) else None
        try:
            yield Services(
                settings=settings, store=store, fetcher=fetcher, cpu=cpu, x=x, health=health, x_account=account
            )
        finally:
            await fetcher.close()
            if x:
                await x.close()
            if account:
                await account.close()
            cpu.shutdown(wait=False, cancel_futures=True)
            await health.close()
