"""What the benchmarks share: a Redis to run against."""

from __future__ import annotations

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
