"""What X polling remembers: per-query cursors and schedule, rate limits, spend, trends."""

from __future__ import annotations

import hashlib
import json
import time

from redis.asyncio import Redis

from bot.store import keys


def query_hash(query: str) -> str:
    return hashlib.sha1(query.encode()).hexdigest()[:16]


class XStateRepo:
    """What X polling remembers: per-query cursors and schedule, rate limits, spend."""

    def __init__(self, redis: Redis) -> None:
        self._redis = redis

    async def query_state(self, query: str) -> tuple[str | None, float]:
        """(since_id, next poll time) of an X search query."""
        since_id, next_poll = await self._redis.hmget(keys.x_query(query_hash(query)), ["since_id", "next_poll"])
        return since_id, float(next_poll or 0)

    async def save_query(self, query: str, since_id: str | None, next_poll: float) -> None:
        mapping = {"query": query, "next_poll": next_poll}
        if since_id:
            mapping["since_id"] = since_id
        await self._redis.hset(keys.x_query(query_hash(query)), mapping=mapping)

    async def limited_until(self, endpoint: str) -> float:
        value = await self._redis.get(keys.x_limit(endpoint))
        return float(value or 0)

    async def set_limited(self, endpoint: str, until: float) -> None:
        await self._redis.set(keys.x_limit(endpoint), until, exat=int(until) + 1)

    async def save_quota(self, endpoint: str, seen: tuple[int, float] | None) -> None:
        """X's rate-limit headers of the endpoint's last response: (requests left, unix time of
        the reset); None when it had none."""
        if seen:
            await self._redis.hset(keys.X_QUOTAS, endpoint, f"{seen[0]} {seen[1]:.0f}")

    async def quotas(self, now: float) -> dict[str, tuple[int, float]]:
        """The requests left per endpoint in its current window (windows reset since: left out)."""
        quotas = {}
        for endpoint, value in (await self._redis.hgetall(keys.X_QUOTAS)).items():
            left, reset = value.split()
            if float(reset) > now:
                quotas[endpoint] = (int(left), float(reset))
        return quotas

    async def add_cost(self, kind: str, count: int, micro_usd: int, now: float | None = None) -> None:
        day = time.strftime("%Y-%m-%d", time.gmtime(now or time.time()))
        async with self._redis.pipeline(transaction=False) as pipe:
            for period, ttl in ((day, 40 * 86400), (day[:7], 400 * 86400)):
                pipe.hincrby(keys.x_cost(period), f"{kind}:count", count)
                pipe.hincrby(keys.x_cost(period), f"{kind}:micro_usd", micro_usd)
                pipe.hincrby(keys.x_cost(period), "total:micro_usd", micro_usd)
                pipe.expire(keys.x_cost(period), ttl)
            await pipe.execute()

    async def costs(self, period: str) -> dict[str, int]:
        return {k: int(v) for k, v in (await self._redis.hgetall(keys.x_cost(period))).items()}

    async def use_place(self, woeid: int, now: float) -> None:
        """Someone asked for the trends of `woeid` at `now`."""
        await self._redis.zadd(keys.TRENDS_PLACES, {str(woeid): now})

    async def places_in_use(self, since: float) -> list[int]:
        """Places asked for since `since` (older ones are forgotten)."""
        await self._redis.zremrangebyscore(keys.TRENDS_PLACES, "-inf", f"({since}")
        return [int(w) for w in await self._redis.zrange(keys.TRENDS_PLACES, 0, -1)]

    async def save_trends(self, woeid: int, trends: list[tuple[str, int | None]], ttl: int) -> None:
        await self._redis.set(keys.trends(woeid), json.dumps({"at": time.time(), "trends": trends}), ex=ttl)

    async def trends(self, woeid: int) -> tuple[float, list[tuple[str, int | None]]] | None:
        raw = await self._redis.get(keys.trends(woeid))
        if not raw:
            return None
        data = json.loads(raw)
        return data["at"], [tuple(t) for t in data["trends"]]
