"""Feeds: where they belong, their HTTP cursors and their health; the poll schedule."""

from __future__ import annotations

from redis.asyncio import Redis

from bot.model import Feed
from bot.store import keys
from bot.store.mapping import from_hash, to_hash


class FeedRepo:
    """Feeds: where they belong, their HTTP cursors (ETag, Last-Modified) and their health."""

    def __init__(self, redis: Redis) -> None:
        self._redis = redis

    async def get(self, feed_id_: str) -> Feed | None:
        found = await self.get_many([feed_id_])
        return found[0] if found else None

    async def get_many(self, ids: list[str]) -> list[Feed]:
        """The feeds of `ids` that exist, in order, in one round trip."""
        if not ids:
            return []
        async with self._redis.pipeline(transaction=False) as pipe:
            for feed_id_ in ids:
                pipe.hgetall(keys.feed(feed_id_))
            pipe.zmscore(keys.FEEDS_DUE, ids)
            *rows, scores = await pipe.execute()
        return [
            from_hash(Feed, data, id=feed_id_, next_poll=score or 0.0)
            for feed_id_, data, score in zip(ids, rows, scores)
            if data
        ]

    async def all(self) -> list[Feed]:
        return await self.get_many(sorted(await self._redis.smembers(keys.FEEDS)))

    async def save(self, feed: Feed) -> None:
        async with self._redis.pipeline(transaction=True) as pipe:
            pipe.sadd(keys.FEEDS, feed.id)
            pipe.hset(keys.feed(feed.id), mapping=to_hash(feed, exclude=("id", "next_poll")))
            if feed.paused:
                pipe.zrem(keys.FEEDS_DUE, feed.id)
            else:
                pipe.zadd(keys.FEEDS_DUE, {feed.id: feed.next_poll})
            await pipe.execute()

    async def delete(self, feed_id_: str) -> None:
        await self._redis.srem(keys.FEEDS, feed_id_)
        await self._redis.zrem(keys.FEEDS_DUE, feed_id_)
        await self._redis.delete(keys.feed(feed_id_))

    async def due(self, now: float, limit: int = 10_000) -> list[str]:
        return list(await self._redis.zrangebyscore(keys.FEEDS_DUE, "-inf", now, start=0, num=limit))
