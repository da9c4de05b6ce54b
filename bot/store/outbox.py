"""The outbox: messages that answer no update (notices, alerts, briefings), sent by the worker."""

from __future__ import annotations

from redis.asyncio import Redis

from bot.model import Outgoing
from bot.store import keys


class OutboxRepo:
    """A reliable queue: a message moves to `sending` while it is sent and leaves it once sent."""

    def __init__(self, redis: Redis) -> None:
        self._redis = redis

    async def push(self, message: Outgoing) -> None:
        await self._redis.rpush(keys.OUTBOX, message.to_json())

    async def take(self) -> tuple[str, Outgoing] | None:
        raw = await self._redis.lmove(keys.OUTBOX, keys.OUTBOX_SENDING, "LEFT", "RIGHT")
        if raw is None:
            return None
        return raw, Outgoing.from_json(raw)

    async def done(self, raw: str) -> None:
        await self._redis.lrem(keys.OUTBOX_SENDING, 1, raw)

    async def put_back(self, raw: str) -> None:
        """Not sent now (Telegram busy): first in line for the next run."""
        async with self._redis.pipeline(transaction=True) as pipe:
            pipe.lrem(keys.OUTBOX_SENDING, 1, raw)
            pipe.lpush(keys.OUTBOX, raw)
            await pipe.execute()

    async def recover(self) -> int:
        """Messages left in `sending` by a crashed run go back to the outbox."""
        moved = 0
        while await self._redis.lmove(keys.OUTBOX_SENDING, keys.OUTBOX, "RIGHT", "LEFT"):
            moved += 1
        return moved

    async def size(self) -> int:
        return await self._redis.llen(keys.OUTBOX)

    async def pause(self, until: float) -> None:
        """Telegram asked to wait: nothing is sent before `until` (unix time)."""
        await self._redis.set(keys.OUTBOX_PAUSED, until, exat=int(until) + 1)

    async def paused_until(self) -> float:
        return float(await self._redis.get(keys.OUTBOX_PAUSED) or 0)
