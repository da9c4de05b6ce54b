"""The X accounts Vigie's account follows for the team (each with its cursor), and the accounts
looked up with /follow that wait for their Follow button.

Taking (`take`, `take_offer`) removes at once: of two presses of the same button, or an owner's
press racing another's, only one gets the account and asks X; a caller whose request X refused
puts it back (`add`, `offer`)."""

from __future__ import annotations

from redis.asyncio import Redis

from bot.model import Followed, XUser
from bot.store import keys
from bot.store.mapping import encode, from_hash, to_hash

OFFER_TTL = 3600  # an account looked up with /follow waits this long for its Follow button

# KEYS: the account's hash. ARGV: field/value pairs. Written only while the account is followed
# (a poll must not bring back an account unfollowed meanwhile).
_POLLED = """
if redis.call('EXISTS', KEYS[1]) == 1 then redis.call('HSET', KEYS[1], unpack(ARGV)) end
"""


class FollowingRepo:
    def __init__(self, redis: Redis) -> None:
        self._redis = redis
        self._polled = redis.register_script(_POLLED)

    async def all(self) -> list[Followed]:
        """Every account followed, sorted by id (one round trip after the ids)."""
        ids = sorted(await self._redis.smembers(keys.FOLLOWING))
        async with self._redis.pipeline(transaction=False) as pipe:
            for user_id in ids:
                pipe.hgetall(keys.followed(user_id))
            rows = await pipe.execute()
        return [from_hash(Followed, data, id=user_id) for user_id, data in zip(ids, rows, strict=True) if data]

    async def get(self, user_id: str) -> Followed | None:
        data = await self._redis.hgetall(keys.followed(user_id))
        return from_hash(Followed, data, id=user_id) if data else None

    async def find(self, username: str) -> Followed | None:
        """The account followed under that username (any case), if any."""
        wanted = username.casefold()
        return next((f for f in await self.all() if f.username.casefold() == wanted), None)

    async def add(self, followed: Followed) -> None:
        async with self._redis.pipeline(transaction=True) as pipe:
            pipe.hset(keys.followed(followed.id), mapping=to_hash(followed, exclude=("id",)))
            pipe.sadd(keys.FOLLOWING, followed.id)
            await pipe.execute()

    async def take(self, user_id: str) -> Followed | None:
        """The account, no longer followed here; None when it was not (or another caller took it)."""
        async with self._redis.pipeline(transaction=True) as pipe:
            pipe.hgetall(keys.followed(user_id))
            pipe.delete(keys.followed(user_id))
            pipe.srem(keys.FOLLOWING, user_id)
            data, _, _ = await pipe.execute()
        return from_hash(Followed, data, id=user_id) if data else None

    async def polled(self, user_id: str, since_id: str, next_poll: float, pending: bool) -> None:
        """A poll's outcome: its cursor, its next time, whether its posts are still out of sight."""
        values = {"since_id": since_id, "next_poll": next_poll, "pending": pending}
        pairs = [part for name, value in values.items() for part in (name, encode(Followed, name, value))]
        await self._polled(keys=[keys.followed(user_id)], args=pairs)

    async def offer(self, user: XUser) -> None:
        """An account looked up, waiting for its Follow button (OFFER_TTL)."""
        async with self._redis.pipeline(transaction=True) as pipe:
            pipe.delete(keys.follow_offer(user.id))
            pipe.hset(keys.follow_offer(user.id), mapping=to_hash(user, exclude=("id",)))
            pipe.expire(keys.follow_offer(user.id), OFFER_TTL)
            await pipe.execute()

    async def take_offer(self, user_id: str) -> XUser | None:
        """The account offered, no longer waiting; None when its offer expired or was taken."""
        async with self._redis.pipeline(transaction=True) as pipe:
            pipe.hgetall(keys.follow_offer(user_id))
            pipe.delete(keys.follow_offer(user_id))
            data, _ = await pipe.execute()
        return from_hash(XUser, data, id=user_id) if data else None
