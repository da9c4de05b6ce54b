"""Process coordination kept in Redis: the worker heartbeat and short-lived locks."""

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

    async def lock(self, name: str, ttl: int) -> bool:
        """Take the lock `name` for at most `ttl` seconds; False when someone holds it."""
        return bool(await self._redis.set(keys.lock(name), "1", nx=True, ex=ttl))

    async def unlock(self, name: str) -> None:
        await self._redis.delete(keys.lock(name))
