"""What the benchmarks share: a Redis to run against, fake servers that keep time."""

from __future__ import annotations

import gc
import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import redis

from bot.store.embedded import EmbeddedRedis


@contextmanager
def bench_redis(directory: str) -> Iterator[str]:
    """REDIS_URL when set (a database other than 0: it is flushed), else an embedded server."""
    url = os.environ.get("REDIS_URL")
    embedded = None
    if not url:
        embedded = EmbeddedRedis(Path(directory))
        embedded.start()
        url = embedded.url
    redis.Redis.from_url(url).flushdb()
    try:
        yield url
    finally:
        if embedded:
            embedded.stop()


@contextmanager
def steady_servers() -> Iterator[None]:
    """No garbage collection in this process until the block ends. The local servers run here:
    a full collection of all they record stopped their loop for up to 200 ms, after which the
    Bot API server stamped the requests that had queued meanwhile as arriving at once, and
    refused them as a burst (measured: every 429 of a broadcast fell in such a pause)."""
    gc.collect()
    gc.disable()
    try:
        yield
    finally:
        gc.enable()
