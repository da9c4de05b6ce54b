"""Updates fetched from Telegram and not handled yet: kept in Redis so a crash loses none."""

from __future__ import annotations

import json

from redis.asyncio import Redis

from bot.store import keys


class PendingUpdates:
    def __init__(self, redis: Redis) -> None:
        self._redis = redis

    async def add(self, updates: dict[int, dict]) -> None:
        if updates:
            await self._redis.hset(keys.PENDING_UPDATES, mapping={str(i): json.dumps(u) for i, u in updates.items()})

    async def done(self, update_id: int) -> None:
        await self._redis.hdel(keys.PENDING_UPDATES, str(update_id))

    async def all(self) -> list[dict]:
        raw = await self._redis.hgetall(keys.PENDING_UPDATES)
        return [json.loads(v) for _, v in sorted(raw.items(), key=lambda kv: int(kv[0]))]
