"""Process health kept in Redis: the worker heartbeat."""

from __future__ import annotations

import time

from redis.asyncio import Redis

from bot.store import keys


class SystemRepo:
    def __init__(self, redis: Redis) -> None:
        self._redis = redis

    async def beat(self) -> None:
        await self._redis.set(keys.WORKER_HEARTBEAT, int(time.time()))

    async def last_beat(self) -> int | None:
        value = await self._redis.get(keys.WORKER_HEARTBEAT)
        return int(value) if value else None
