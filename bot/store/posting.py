"""Whether posting is paused (an owner's hold during a crisis), for every process."""

from __future__ import annotations

import json

from redis.asyncio import Redis

from bot.model import PostingHold
from bot.store import keys


class PostingRepo:
    def __init__(self, redis: Redis) -> None:
        self._redis = redis

    async def hold(self) -> PostingHold | None:
        raw = await self._redis.get(keys.POSTING_HOLD)
        return PostingHold(**json.loads(raw)) if raw else None

    async def pause(self, hold: PostingHold) -> bool:
        """Hold posting; False when it was already held (the first hold stays)."""
        data = {"by": hold.by, "by_name": hold.by_name, "since": hold.since, "watch": hold.watch}
        return bool(await self._redis.set(keys.POSTING_HOLD, json.dumps(data), nx=True))

    async def resume(self) -> bool:
        """Lift the hold; False when posting was not held."""
        return bool(await self._redis.delete(keys.POSTING_HOLD))
