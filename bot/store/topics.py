"""Topic alerts: who subscribed to which watch with which filters, and the items waiting to be
told in each chat's next alert on a watch.

Guarantee: an item that matched is told once. It waits in the chat's pending list from the cycle
that stored it; an alert is queued in the same MULTI that removes the items it tells, and only if
the list is still what it was read as (WATCH), so two overlapping cycles cannot both tell them.
"""

from __future__ import annotations

from redis.asyncio import Redis
from redis.asyncio.client import Pipeline
from redis.exceptions import WatchError

from bot.model import Outgoing, Subscription
from bot.store import keys
from bot.store.delivery import DeliveryRepo

KEEP_PENDING = 2 * 86400  # items not told in two days (a member away, quiet) are forgotten
KEEP_SENT = 86400


class TopicRepo:
    def __init__(self, redis: Redis, delivery: DeliveryRepo) -> None:
        self._redis = redis
        self._delivery = delivery

    async def subscribe(self, chat_id: int, subscription: Subscription) -> bool:
        """False when it replaced the chat's earlier filters on that watch."""
        async with self._redis.pipeline(transaction=True) as pipe:
            pipe.hset(keys.chat_alerts(chat_id), subscription.watch_id, subscription.to_json())
            pipe.sadd(keys.watch_alerted(subscription.watch_id), chat_id)
            added, _ = await pipe.execute()
        return bool(added)

    async def unsubscribe(self, chat_id: int, watch_id: str) -> bool:
        async with self._redis.pipeline(transaction=True) as pipe:
            pipe.hdel(keys.chat_alerts(chat_id), watch_id)
            pipe.srem(keys.watch_alerted(watch_id), chat_id)
            pipe.delete(keys.alert_pending(chat_id, watch_id))
            removed, *_ = await pipe.execute()
        return bool(removed)

    async def of_chat(self, chat_id: int) -> list[Subscription]:
        rows = await self._redis.hgetall(keys.chat_alerts(chat_id))
        return sorted((Subscription.from_json(raw) for raw in rows.values()), key=lambda s: s.watch_id)

    async def subscribers(self, watch_ids: list[str]) -> dict[str, dict[int, Subscription]]:
        """For each watch, the chats with an alert on it and their filters (two round trips)."""
        async with self._redis.pipeline(transaction=False) as pipe:
            for watch_id in watch_ids:
                pipe.smembers(keys.watch_alerted(watch_id))
            chats = [sorted(int(c) for c in members) for members in await pipe.execute()]
        async with self._redis.pipeline(transaction=False) as pipe:
            for watch_id, some in zip(watch_ids, chats, strict=True):
                for chat_id in some:
                    pipe.hget(keys.chat_alerts(chat_id), watch_id)
            rows = iter(await pipe.execute())
        found: dict[str, dict[int, Subscription]] = {}
        for watch_id, some in zip(watch_ids, chats, strict=True):
            for chat_id in some:
                if raw := next(rows):
                    found.setdefault(watch_id, {})[chat_id] = Subscription.from_json(raw)
        return found

    async def hold(self, matched: list[tuple[int, str, str]]) -> None:
        """Items to tell: (chat, watch, item key) in the order they came."""
        async with self._redis.pipeline(transaction=False) as pipe:
            for chat_id, watch_id, item_key in matched:
                pipe.rpush(keys.alert_pending(chat_id, watch_id), item_key)
                pipe.expire(keys.alert_pending(chat_id, watch_id), KEEP_PENDING)
                pipe.sadd(keys.ALERTS_PENDING, f"{chat_id}:{watch_id}")
            await pipe.execute()

    async def waiting(self) -> list[tuple[int, str]]:
        """The (chat, watch) pairs with items waiting."""
        pairs = [raw.split(":", 1) for raw in await self._redis.smembers(keys.ALERTS_PENDING)]
        return sorted((int(chat), watch) for chat, watch in pairs)

    async def pending(self, chat_id: int, watch_id: str) -> tuple[list[str], float]:
        """The keys of the items waiting for the chat's alert on the watch, and when its last
        alert was queued (0: never)."""
        async with self._redis.pipeline(transaction=False) as pipe:
            pipe.lrange(keys.alert_pending(chat_id, watch_id), 0, -1)
            pipe.get(keys.alert_sent(chat_id, watch_id))
            item_keys, sent = await pipe.execute()
        return item_keys, float(sent or 0)

    def told_with(self, pipe: Pipeline, chat_id: int, told: dict[str, int], now: float) -> None:
        """In `pipe`'s transaction: the first items waiting for these watches' alerts (watch ->
        how many) are told by another message (the morning briefing's), queued `now`."""
        for watch_id, count in told.items():
            pipe.ltrim(keys.alert_pending(chat_id, watch_id), count, -1)
            pipe.set(keys.alert_sent(chat_id, watch_id), now, ex=KEEP_SENT)

    async def told(
        self, chat_id: int, watch_id: str, item_keys: list[str], message: Outgoing | None, now: float
    ) -> bool:
        """The alert telling `item_keys` (None: nothing to tell, they are dropped) queued and those
        items removed, if the list still holds just them; False when it changed meanwhile."""
        key = keys.alert_pending(chat_id, watch_id)
        async with self._redis.pipeline(transaction=True) as pipe:
            await pipe.watch(key)
            if await pipe.lrange(key, 0, -1) != item_keys:
                return False
            pipe.multi()
            pipe.delete(key)
            pipe.srem(keys.ALERTS_PENDING, f"{chat_id}:{watch_id}")
            if message is not None:
                await self._delivery.add(pipe, [message])
                pipe.set(keys.alert_sent(chat_id, watch_id), now, ex=KEEP_SENT)
            try:
                await pipe.execute()
            except WatchError:
                return False
        return True
