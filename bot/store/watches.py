"""Watches and who follows them."""

from __future__ import annotations

from redis.asyncio import Redis
from redis.exceptions import WatchError

from bot.model import Watch
from bot.store import keys
from bot.store.mapping import from_hash, to_hash


class WatchRepo:
    def __init__(self, redis: Redis) -> None:
        self._redis = redis

    async def create(self, watch: Watch) -> bool:
        """False when a watch with that id exists already."""
        if not await self._redis.sadd(keys.WATCHES, watch.id):
            return False
        await self._redis.hset(keys.watch(watch.id), mapping=to_hash(watch, exclude=("id",)))
        return True

    async def get(self, watch_id: str) -> Watch | None:
        data = await self._redis.hgetall(keys.watch(watch_id))
        if not data:
            return None
        return from_hash(Watch, data, id=watch_id)

    async def all(self) -> list[Watch]:
        """Every watch, in one round trip after the list of ids."""
        ids = sorted(await self._redis.smembers(keys.WATCHES))
        async with self._redis.pipeline(transaction=False) as pipe:
            for watch_id in ids:
                pipe.hgetall(keys.watch(watch_id))
            rows = await pipe.execute()
        return [from_hash(Watch, data, id=watch_id) for watch_id, data in zip(ids, rows) if data]

    async def save(self, watch: Watch) -> bool:
        """Its settings changed (`drops`); False when it was deleted meanwhile."""
        key = keys.watch(watch.id)
        async with self._redis.pipeline(transaction=True) as pipe:
            await pipe.watch(key)
            if not await pipe.exists(key):
                return False
            pipe.multi()
            pipe.hset(key, mapping=to_hash(watch, exclude=("id",)))
            try:
                await pipe.execute()
            except WatchError:
                return False
        return True

    async def delete(self, watch_id: str) -> bool:
        if not await self._redis.srem(keys.WATCHES, watch_id):
            return False
        for user_id in await self._redis.smembers(keys.watch_followers(watch_id)):
            await self._redis.srem(keys.user_watches(int(user_id)), watch_id)
        for chat_id in await self._redis.smembers(keys.watch_alerted(watch_id)):
            await self._redis.hdel(keys.chat_alerts(int(chat_id)), watch_id)  # its topic alerts go with it
        await self._redis.delete(
            keys.watch(watch_id),
            keys.watch_followers(watch_id),
            keys.watch_items(watch_id),
            keys.watch_crisis(watch_id),
            keys.watch_crisis_message(watch_id),
            keys.watch_crisis_following(watch_id),
            keys.watch_cells(watch_id),
            keys.watch_alerted(watch_id),
        )
        return True

    async def follow(self, user_id: int, watch_id: str) -> bool:
        """False when the user already followed it."""
        await self._redis.sadd(keys.user_watches(user_id), watch_id)
        return bool(await self._redis.sadd(keys.watch_followers(watch_id), user_id))

    async def unfollow(self, user_id: int, watch_id: str) -> bool:
        await self._redis.srem(keys.user_watches(user_id), watch_id)
        return bool(await self._redis.srem(keys.watch_followers(watch_id), user_id))

    async def followers(self, watch_id: str) -> set[int]:
        return {int(u) for u in await self._redis.smembers(keys.watch_followers(watch_id))}

    async def followed(self, user_id: int) -> set[str]:
        return set(await self._redis.smembers(keys.user_watches(user_id)))
