"""Granted roles, one-time invitations, and the strangers already answered."""

from __future__ import annotations

import secrets

from redis.asyncio import Redis

from bot.roles import Role
from bot.store import keys

INVITE_TTL = 7 * 24 * 3600
STRANGER_TTL = 90 * 24 * 3600
INVITE_GUESSES = 5  # invitation codes a non-member may try per window
INVITE_GUESS_WINDOW = 3600


class TeamRepo:
    """Delegates and readers (owners are configuration, not data)."""

    def __init__(self, redis: Redis) -> None:
        self._redis = redis

    async def role(self, user_id: int) -> Role:
        value = await self._redis.hget(keys.TEAM_ROLES, str(user_id))
        return Role.grantable(value or "") or Role.STRANGER

    async def members(self) -> dict[int, Role]:
        roles = await self._redis.hgetall(keys.TEAM_ROLES)
        return {int(uid): Role.grantable(name) or Role.READER for uid, name in roles.items()}

    async def grant(self, user_id: int, role: Role) -> None:
        await self._redis.hset(keys.TEAM_ROLES, str(user_id), role.key)
        await self._redis.delete(keys.stranger(user_id))

    async def revoke(self, user_id: int) -> bool:
        """Remove a member's role; False when they had none."""
        return bool(await self._redis.hdel(keys.TEAM_ROLES, str(user_id)))

    async def create_invite(self, role: Role, created_by: int) -> str:
        code = secrets.token_urlsafe(12)
        key = keys.invite(code)
        await self._redis.hset(key, mapping={"role": role.key, "created_by": created_by})
        await self._redis.expire(key, INVITE_TTL)
        return code

    async def use_invite(self, code: str) -> Role | None:
        """Consume a one-time code atomically; the role it grants, or None if unknown/used."""
        key = keys.invite(code)
        async with self._redis.pipeline(transaction=True) as pipe:
            pipe.hget(key, "role")
            pipe.delete(key)
            role, deleted = await pipe.execute()
        return Role.grantable(role) if role and deleted else None

    async def may_try_invite(self, user_id: int) -> bool:
        """Count one invitation try; False past INVITE_GUESSES in the window."""
        key = keys.invite_tries(user_id)
        async with self._redis.pipeline(transaction=True) as pipe:
            pipe.set(key, 0, ex=INVITE_GUESS_WINDOW, nx=True)
            pipe.incr(key)
            _, tries = await pipe.execute()
        return tries <= INVITE_GUESSES

    async def first_contact(self, user_id: int) -> bool:
        """True the first time a stranger writes (so they are answered once)."""
        return bool(await self._redis.set(keys.stranger(user_id), "1", nx=True, ex=STRANGER_TTL))
