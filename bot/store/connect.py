"""Connecting to Redis: `REDIS_URL` when set, otherwise the embedded server (started for the
occasion, and started again if it dies)."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any, TypeVar, overload

from redis.asyncio import Redis
from redis.asyncio.retry import Retry
from redis.backoff import NoBackoff
from redis.exceptions import ConnectionError as RedisConnectionError

from bot.store.embedded import EmbeddedRedis

R = TypeVar("R", bound=Redis)
Revive = Callable[[], Awaitable[None]]


@asynccontextmanager
async def open_redis(redis_url: str | None, data_dir: Path) -> AsyncIterator[tuple[Redis, str, Revive | None]]:
    """A client on `redis_url`, or on the embedded server under `data_dir`; its URL; and how to
    start the embedded server again (None with `redis_url`)."""
    embedded = None
    if redis_url:
        url = redis_url
    else:
        embedded = EmbeddedRedis(data_dir)
        await asyncio.to_thread(embedded.start)
        url = embedded.url
    client = redis_client(url, decode_responses=True)
    try:
        yield client, url, (lambda: asyncio.to_thread(embedded.revive)) if embedded else None
    finally:
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
