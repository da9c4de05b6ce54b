"""Members' profiles: language, time zone, briefing schedule."""

from __future__ import annotations

import time

from redis.asyncio import Redis

from bot.model import Profile
from bot.store import keys
from bot.store.mapping import from_hash, to_hash


class UserRepo:
    """Profiles in Redis hashes (`vigie:user:{id}`)."""

    def __init__(self, redis: Redis) -> None:
        self._redis = redis

    async def get(self, user_id: int) -> Profile | None:
        return (await self.get_many([user_id])).get(user_id)

    async def get_many(self, user_ids: list[int]) -> dict[int, Profile]:
        """The profiles of `user_ids` that exist, in one round trip."""
        async with self._redis.pipeline(transaction=False) as pipe:
            for user_id in user_ids:
                pipe.hgetall(keys.user(user_id))
            rows = await pipe.execute()
        return {user_id: from_hash(Profile, data, user_id=user_id) for user_id, data in zip(user_ids, rows) if data}

    async def save(self, profile: Profile) -> None:
        key = keys.user(profile.user_id)
        async with self._redis.pipeline(transaction=True) as pipe:
            pipe.hset(key, mapping=to_hash(profile, exclude=("user_id",)))
            pipe.hsetnx(key, "created", str(int(time.time())))
            await pipe.execute()

    async def set_active(self, user_id: int, active: bool) -> None:
        """Mark a member (in)active; nothing for a chat that is no member (a group)."""
        key = keys.user(user_id)
        if await self._redis.exists(key):
            await self._redis.hset(key, "active", "1" if active else "0")

    async def delete(self, user_id: int) -> None:
        await self._redis.delete(keys.user(user_id))
