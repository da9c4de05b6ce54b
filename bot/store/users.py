"""Members' profiles: language, time zone, briefing schedule."""

from __future__ import annotations

import time
from dataclasses import dataclass, replace
from typing import Any

from redis.asyncio import Redis

from bot.store import keys

ALL_DAYS = frozenset(range(1, 8))


@dataclass(frozen=True)
class Profile:
    """What Vigie knows of a member; `briefing_days` are ISO weekdays (1 = Monday)."""

    user_id: int
    language: str
    timezone: str
    briefing_time: str = "07:30"
    briefing_days: frozenset[int] = ALL_DAYS
    first_name: str = ""
    username: str = ""

    def with_changes(self, **changes: Any) -> Profile:
        return replace(self, **changes)


class UserRepo:
    """Profiles in Redis hashes (`vigie:user:{id}`)."""

    def __init__(self, redis: Redis) -> None:
        self._redis = redis

    async def get(self, user_id: int) -> Profile | None:
        data = await self._redis.hgetall(keys.user(user_id))
        if not data:
            return None
        return Profile(
            user_id=user_id,
            language=data["language"],
            timezone=data["timezone"],
            briefing_time=data.get("briefing_time", "07:30"),
            briefing_days=frozenset(int(d) for d in data.get("briefing_days", "1234567")),
            first_name=data.get("first_name", ""),
            username=data.get("username", ""),
        )

    async def get_many(self, user_ids: list[int]) -> dict[int, Profile]:
        profiles = {}
        for user_id in user_ids:
            profile = await self.get(user_id)
            if profile:
                profiles[user_id] = profile
        return profiles

    async def save(self, profile: Profile) -> None:
        key = keys.user(profile.user_id)
        await self._redis.hset(
            key,
            mapping={
                "language": profile.language,
                "timezone": profile.timezone,
                "briefing_time": profile.briefing_time,
                "briefing_days": "".join(str(d) for d in sorted(profile.briefing_days)),
                "first_name": profile.first_name,
                "username": profile.username,
            },
        )
        await self._redis.hsetnx(key, "created", str(int(time.time())))

    async def delete(self, user_id: int) -> None:
        await self._redis.delete(keys.user(user_id))
