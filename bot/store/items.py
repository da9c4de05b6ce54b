"""Items, deduplicated into stories, indexed under their targets (watches, general news)."""

from __future__ import annotations

import time

from redis.asyncio import Redis

from bot.model import FOLLOWED, NEWS, TEAM_TARGETS, Incoming, StoredItem
from bot.store import keys
from bot.store.volumes import count_in

RETENTION = 7 * 24 * 3600
EVENTS_MAXLEN = 10_000
MAX_ALSO = 12  # other sources kept per story: enough to name them, bounded for syndication storms

# New items and their fingerprints in one command (one reply to read, not one per item).
# KEYS: the new items' keys, then the day's fingerprint hash.
# ARGV: item TTL, hash TTL, one payload per item, then fingerprint, owner, fingerprint, owner, ...
_STORE = """
local items = #KEYS - 1
for i = 1, items do
    redis.call('SET', KEYS[i], ARGV[2 + i], 'EX', ARGV[1])
end
local first = items + 3
if #ARGV >= first then
    for i = first, #ARGV, 1000 do
        redis.call('HSET', KEYS[#KEYS], unpack(ARGV, i, math.min(i + 999, #ARGV)))
    end
    redis.call('EXPIRE', KEYS[#KEYS], ARGV[2])
end
"""


class ItemRepo:
    """Items once per story: same key, same canonical URL or same text fold into one.

    Works in batches (a few round trips per batch, not per item): an ingest cycle stores
    thousands of items."""

    def __init__(self, redis: Redis, retention: int = RETENTION) -> None:
        self._redis = redis
        self.retention = retention
        self._store = redis.register_script(_STORE)

    async def get(self, item_key: str) -> StoredItem | None:
        raw = await self._redis.get(keys.item(item_key))
        return StoredItem.from_json(raw) if raw else None

    async def get_many(self, item_keys: list[str]) -> list[StoredItem]:
        """Those of the items still kept, in the order asked (one round trip)."""
        raws = await self._redis.mget([keys.item(k) for k in item_keys]) if item_keys else []
        return [StoredItem.from_json(raw) for raw in raws if raw]

    async def add_many(self, batch: list[Incoming], source: str = "") -> list[tuple[str, str, Incoming]]:
        """Store new items, fold duplicates into what is stored, index both under their targets;
        the new ones are counted for `source` ("x", or a feed's Feed.source: /status).
        Returns (target, key, incoming) for each item newly indexed under a target, `key` the one
        it is stored under (a duplicate's is the item it was folded into)."""
        if not batch:
            return []
        prints = [(inc.key, *inc.fingerprints) for inc in batch]
        wanted = list({p for ps in prints for p in ps})
        known = await self._seen(wanted)
        claimed: dict[str, str] = {}  # fingerprint -> item key, for this batch
        new: list[Incoming] = []
        index: list[tuple[str, float, Incoming]] = []  # (item key, published, incoming)
        folds: dict[str, list[Incoming]] = {}
        for incoming, ps in zip(batch, prints):
            owner = next((o for o in (claimed.get(p) or known.get(p) for p in ps) if o), None)
            if owner is None:
                claimed.update({p: incoming.key for p in ps})
                new.append(incoming)
                owner = incoming.key
            elif owner != incoming.key:
                folds.setdefault(owner, []).append(incoming)
            index.append((owner, incoming.published, incoming))
        bucket = keys.seen_bucket(int(time.time() // 86400))
        if new:
            await self._store(
                keys=[*(keys.item(incoming.key) for incoming in new), bucket],
                args=[
                    self.retention,
                    self.retention + 86400,
                    *(incoming.payload for incoming in new),
                    *(part for pair in claimed.items() for part in pair),
                ],
            )
        await self._fold(folds)
        await self._count_new(source, len(new))
        return await self._index(index)

    async def _seen(self, fingerprints: list[str]) -> dict[str, str]:
        """The item key already stored for each known fingerprint (daily buckets, newest first)."""
        today = int(time.time() // 86400)
        days = range(today, today - self.retention // 86400 - 2, -1)
        async with self._redis.pipeline(transaction=False) as pipe:
            for day in days:
                pipe.hmget(keys.seen_bucket(day), fingerprints)
            buckets = await pipe.execute()
        known: dict[str, str] = {}
        for values in buckets:
            for fingerprint, owner in zip(fingerprints, values):
                if owner and fingerprint not in known:
                    known[fingerprint] = owner
        return known

    async def _fold(self, folds: dict[str, list[Incoming]]) -> None:
        if not folds:
            return
        owners = list(folds)
        raws = await self._redis.mget([keys.item(k) for k in owners])
        async with self._redis.pipeline(transaction=False) as pipe:
            for owner, raw in zip(owners, raws):
                if not raw:
                    continue
                stored = StoredItem.from_json(raw)
                also = list(stored.also)
                for duplicate in folds[owner]:
                    source = dict(zip(("source", "source_name", "url"), duplicate.credit))
                    if len(also) < MAX_ALSO and source not in also and source["url"] != stored.item.url:
                        also.append(source)
                if len(also) != len(stored.also):
                    pipe.set(keys.item(owner), StoredItem(stored.item, tuple(also)).to_json(), keepttl=True)
            await pipe.execute()

    async def _index(self, index: list[tuple[str, float, Incoming]]) -> list[tuple[str, str, Incoming]]:
        """One ZADD per target for the whole batch; counts and events for what is new there.
        Items published before the retention are left out: they would be new at every poll."""
        now = time.time()
        by_target: dict[str, dict[str, tuple[float, Incoming]]] = {}
        for item_key, published, incoming in index:
            if published < now - self.retention:
                continue
            for target in incoming.targets:
                by_target.setdefault(target, {}).setdefault(item_key, (published, incoming))
        targets = list(by_target)
        async with self._redis.pipeline(transaction=False) as pipe:
            for target in targets:
                pipe.zmscore(_items_key(target), list(by_target[target]))
            scores = await pipe.execute()
        fresh: list[tuple[str, str, Incoming]] = []
        for target, present in zip(targets, scores):
            fresh += [
                (target, k, inc) for (k, (_, inc)), score in zip(by_target[target].items(), present) if score is None
            ]
        async with self._redis.pipeline(transaction=False) as pipe:
            for target in targets:
                members = {k: published for k, (published, _) in by_target[target].items()}
                pipe.zadd(_items_key(target), members, nx=True)
                pipe.zremrangebyscore(_items_key(target), "-inf", now - self.retention)
            mentions: dict[str, list[float]] = {}
            for target, item_key, incoming in fresh:
                if target in incoming.mentions and target not in TEAM_TARGETS:  # counted, told to its alerts
                    mentions.setdefault(target, []).append(min(incoming.published, now))  # a future date counts now
                    pipe.xadd(
                        keys.ITEM_EVENTS, {"watch": target, "item": item_key}, maxlen=EVENTS_MAXLEN, approximate=True
                    )
            for target, times in mentions.items():
                count_in(pipe, target, times)
            await pipe.execute()
        return fresh

    async def _count_new(self, source: str, count: int) -> None:
        if source and count:
            day = time.strftime("%Y-%m-%d", time.gmtime())
            async with self._redis.pipeline(transaction=False) as pipe:
                pipe.hincrby(keys.items_new(day), source, count)
                pipe.expire(keys.items_new(day), 3 * 86400)
                await pipe.execute()

    async def new_by_source(self, day: str) -> dict[str, int]:
        """The new items each source brought that UTC day."""
        return {k: int(v) for k, v in (await self._redis.hgetall(keys.items_new(day))).items()}

    async def recent(
        self, target: str, limit: int = 10, since: float = 0.0, until: float | None = None
    ) -> list[StoredItem]:
        """The target's latest `limit` items published since `since` (and before `until`), newest first."""
        newest = "+inf" if until is None else f"({until}"
        item_keys = await self._redis.zrevrangebyscore(_items_key(target), newest, since, start=0, num=limit)
        if not item_keys:
            return []
        raws = await self._redis.mget([keys.item(k) for k in item_keys])
        return [StoredItem.from_json(r) for r in raws if r]


def _items_key(target: str) -> str:
    if target == FOLLOWED:
        return keys.FOLLOWED_ITEMS
    return keys.NEWS_ITEMS if target == NEWS else keys.watch_items(target)
