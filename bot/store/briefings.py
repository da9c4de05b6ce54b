"""Briefing schedule (due index), exactly-once claims, what each user last got, mutes."""

from __future__ import annotations

import json
import time

from redis.asyncio import Redis

from bot.model import Outgoing
from bot.store import keys
from bot.store.delivery import DeliveryRepo
from bot.store.topics import TopicRepo

CLAIM_TTL = 3 * 24 * 3600
SENDING_TTL = 10 * 60
KEEP_BRIEFING = 7 * 24 * 3600


class BriefingRepo:
    def __init__(self, redis: Redis, delivery: DeliveryRepo, topics: TopicRepo) -> None:
        self._redis = redis
        self._delivery = delivery
        self._topics = topics

    async def schedule(self, user_id: int, due: float | None) -> None:
        """Set (or clear, with None) when the user's next briefing is due."""
        if due is None:
            await self._redis.zrem(keys.BRIEFINGS_DUE, user_id)
        else:
            await self._redis.zadd(keys.BRIEFINGS_DUE, {str(user_id): due})

    async def due(self, now: float) -> list[tuple[int, float]]:
        rows = await self._redis.zrangebyscore(keys.BRIEFINGS_DUE, "-inf", now, withscores=True)
        return [(int(user_id), score) for user_id, score in rows]

    async def next_due(self, user_id: int) -> float | None:
        return await self._redis.zscore(keys.BRIEFINGS_DUE, str(user_id))

    async def claim(self, user_id: int, local_date: str) -> str | None:
        """ "claimed" for the one caller that takes this (user, date) briefing; otherwise its
        state: "sending" (another worker has it; a crashed one's claim lapses) or "sent"."""
        key = keys.briefing_claim(user_id, local_date)
        if await self._redis.set(key, "sending", nx=True, ex=SENDING_TTL):
            return "claimed"
        return await self._redis.get(key)

    async def deliver(
        self,
        user_id: int,
        local_date: str,
        messages: list[Outgoing],
        alerts: dict[str, int] | None = None,
        now: float | None = None,
    ) -> None:
        """Queue the briefing and mark it sent, atomically: exactly once, even after a crash. The
        topic alerts it brings (`alerts`: watch -> items told, bot.topics.morning) stop waiting
        in the same transaction; none is told meanwhile, as they wait until it is sent."""
        async with self._redis.pipeline(transaction=True) as pipe:
            await self._delivery.add(pipe, messages)
            pipe.set(keys.briefing_claim(user_id, local_date), "sent", ex=CLAIM_TTL)
            self._topics.told_with(pipe, user_id, alerts or {}, now or time.time())
            await pipe.execute()

    async def state(self, user_id: int, local_date: str) -> str | None:
        """That (user, local date) briefing's claim: "sending", "sent" (queued, or skipped as too
        late) or None (not claimed yet)."""
        return await self._redis.get(keys.briefing_claim(user_id, local_date))

    async def last(self, user_id: int) -> float | None:
        value = await self._redis.get(keys.briefing_last(user_id))
        return float(value) if value else None

    async def set_last(self, user_id: int, until: float) -> None:
        await self._redis.set(keys.briefing_last(user_id), until)

    async def save(self, user_id: int, briefing_id: str, data: dict) -> None:
        await self._redis.set(
            keys.briefing(user_id, briefing_id), json.dumps(data, ensure_ascii=False), ex=KEEP_BRIEFING
        )

    async def load(self, user_id: int, briefing_id: str) -> dict | None:
        raw = await self._redis.get(keys.briefing(user_id, briefing_id))
        return json.loads(raw) if raw else None

    async def mute(self, user_id: int, watch_id: str) -> None:
        await self._redis.sadd(keys.muted(user_id), watch_id)

    async def unmute(self, user_id: int, watch_id: str) -> None:
        await self._redis.srem(keys.muted(user_id), watch_id)

    async def muted(self, user_id: int) -> set[str]:
        return set(await self._redis.smembers(keys.muted(user_id)))
