"""Watches, their followers, feeds, items (deduplicated), and X query state."""

from __future__ import annotations

import hashlib
import json
import time
from dataclasses import dataclass, field, fields
from typing import ClassVar

from redis.asyncio import Redis

from bot.sources.base import Item
from bot.store import keys
from bot.store.volumes import count_in

RETENTION = 7 * 24 * 3600
NEWS = ":news"  # the feed target of the general news section: no watch id can be that (bot.watches.watch_id)
EVENTS_MAXLEN = 10_000
MAX_ALSO = 12  # other sources kept per story: enough to name them, bounded for syndication storms
ITEM_FIELDS = tuple(f.name for f in fields(Item))


@dataclass(frozen=True)
class Watch:
    id: str
    name: str
    query: str  # the normalized X query (see bot.watches)
    created_by: int
    created: float


@dataclass(frozen=True)
class StoredItem:
    """An item and the other sources that carried the same story (folded duplicates)."""

    item: Item
    also: tuple[dict[str, str], ...] = ()

    def to_json(self) -> str:
        data = {name: getattr(self.item, name) for name in ITEM_FIELDS}
        data["also"] = list(self.also)
        return json.dumps(data, ensure_ascii=False)

    @classmethod
    def from_json(cls, text: str) -> StoredItem:
        data = json.loads(text)
        also = tuple(data.pop("also", ()))
        data["watch_ids"] = tuple(data.get("watch_ids", ()))
        data["links"] = tuple(data.get("links", ()))
        return cls(item=Item(**data), also=also)


@dataclass
class Feed:
    """A feed, its HTTP cursors and its health. A failing feed backs off exponentially and is
    paused after a day of failures; any success makes it healthy again."""

    MAX_BACKOFF: ClassVar[float] = 6 * 3600
    PAUSE_AFTER: ClassVar[float] = 24 * 3600

    id: str
    url: str
    title: str = ""
    targets: frozenset[str] = frozenset()
    added_by: int = 0
    etag: str = ""
    last_modified: str = ""
    last_ok: float = 0.0
    last_error: str = ""
    error_kind: str = ""
    failures: int = 0
    first_failure: float = 0.0
    paused: bool = False
    created: float = field(default_factory=time.time)
    next_poll: float = 0.0

    def succeeded(self, now: float, interval: float, etag: str | None, last_modified: str | None) -> None:
        """A fetch worked: healthy (failures forgotten), polled again in `interval`."""
        self.etag, self.last_modified = etag or self.etag, last_modified or self.last_modified
        self.last_ok, self.failures, self.first_failure, self.paused = now, 0, 0.0, False
        self.last_error = self.error_kind = ""
        self.next_poll = now + interval

    def failed(self, now: float, interval: float, kind: str, detail: str) -> bool:
        """A fetch failed: back off; True when this failure pauses the feed."""
        self.failures += 1
        self.first_failure = self.first_failure or now
        self.last_error, self.error_kind = detail[:300], kind
        self.next_poll = now + min(interval * 2 ** (self.failures - 1), self.MAX_BACKOFF)
        pausing = not self.paused and now - self.first_failure >= self.PAUSE_AFTER
        self.paused = self.paused or pausing
        return pausing


def feed_id(canonical: str) -> str:
    return hashlib.sha1(canonical.encode()).hexdigest()[:12]


def query_hash(query: str) -> str:
    return hashlib.sha1(query.encode()).hexdigest()[:16]


class WatchRepo:
    def __init__(self, redis: Redis) -> None:
        self._redis = redis

    async def create(self, watch: Watch) -> bool:
        """False when a watch with that id exists already."""
        if not await self._redis.sadd(keys.WATCHES, watch.id):
            return False
        await self._redis.hset(
            keys.watch(watch.id),
            mapping={
                "name": watch.name,
                "query": watch.query,
                "created_by": watch.created_by,
                "created": watch.created,
            },
        )
        return True

    async def get(self, watch_id: str) -> Watch | None:
        data = await self._redis.hgetall(keys.watch(watch_id))
        if not data:
            return None
        return Watch(watch_id, data["name"], data["query"], int(data["created_by"]), float(data["created"]))

    async def all(self) -> list[Watch]:
        ids = sorted(await self._redis.smembers(keys.WATCHES))
        watches = [await self.get(i) for i in ids]
        return [w for w in watches if w]

    async def delete(self, watch_id: str) -> bool:
        if not await self._redis.srem(keys.WATCHES, watch_id):
            return False
        for user_id in await self._redis.smembers(keys.watch_followers(watch_id)):
            await self._redis.srem(keys.user_watches(int(user_id)), watch_id)
        await self._redis.delete(keys.watch(watch_id), keys.watch_followers(watch_id), keys.watch_items(watch_id))
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


@dataclass(frozen=True, slots=True)
class Incoming:
    """An item ready for the store: how to recognise its duplicates, where it belongs, and its
    JSON (prepared off the event loop; this is what crosses from the parser processes)."""

    key: str
    published: float
    credit: tuple[str, str, str]  # (source, source name, url): how it is named once folded
    fingerprints: tuple[str, ...]
    targets: frozenset[str]
    payload: str

    @classmethod
    def of(cls, item: Item, fingerprints: tuple[str, ...], targets: frozenset[str]) -> Incoming:
        return cls(
            key=item.key,
            published=item.published,
            credit=(item.source, item.source_name, item.url),
            fingerprints=fingerprints,
            targets=targets,
            payload=StoredItem(item).to_json(),
        )


class ItemRepo:
    """Items once per story: same key, same canonical URL or same text fold into one.

    Works in batches (a few round trips per batch, not per item): an ingest cycle stores
    thousands of items."""

    def __init__(self, redis: Redis, retention: int = RETENTION) -> None:
        self._redis = redis
        self.retention = retention

    async def get(self, item_key: str) -> StoredItem | None:
        raw = await self._redis.get(keys.item(item_key))
        return StoredItem.from_json(raw) if raw else None

    async def add_many(self, batch: list[Incoming]) -> list[tuple[str, Incoming]]:
        """Store new items, fold duplicates into what is stored, index both under their targets.
        Returns (target, incoming) for each item newly indexed under a target (for events)."""
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
        async with self._redis.pipeline(transaction=False) as pipe:
            for incoming in new:
                pipe.set(keys.item(incoming.key), incoming.payload, ex=self.retention)
            if claimed:
                pipe.hset(bucket, mapping=claimed)
                pipe.expire(bucket, self.retention + 86400)
            await pipe.execute()
        await self._fold(folds)
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

    async def _index(self, index: list[tuple[str, float, Incoming]]) -> list[tuple[str, Incoming]]:
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
            for target, item_key, incoming in fresh:
                if target != NEWS:
                    count_in(pipe, target, min(incoming.published, now))  # a date in the future counts now
                    pipe.xadd(
                        keys.ITEM_EVENTS, {"watch": target, "item": item_key}, maxlen=EVENTS_MAXLEN, approximate=True
                    )
            await pipe.execute()
        return [(target, incoming) for target, _, incoming in fresh]

    async def recent(self, target: str, limit: int = 10, since: float = 0.0) -> list[StoredItem]:
        item_keys = await self._redis.zrevrangebyscore(_items_key(target), "+inf", since, start=0, num=limit)
        if not item_keys:
            return []
        raws = await self._redis.mget([keys.item(k) for k in item_keys])
        return [StoredItem.from_json(r) for r in raws if r]


def _items_key(target: str) -> str:
    return keys.NEWS_ITEMS if target == NEWS else keys.watch_items(target)


class FeedRepo:
    """Feeds: where they belong, their HTTP cursors (ETag, Last-Modified) and their health."""

    def __init__(self, redis: Redis) -> None:
        self._redis = redis

    async def get(self, feed_id_: str) -> Feed | None:
        data = await self._redis.hgetall(keys.feed(feed_id_))
        if not data:
            return None
        next_poll = await self._redis.zscore(keys.FEEDS_DUE, feed_id_)
        return Feed(
            id=feed_id_,
            url=data["url"],
            title=data.get("title", ""),
            targets=frozenset(t for t in data.get("targets", "").split(",") if t),
            added_by=int(data.get("added_by", 0)),
            etag=data.get("etag", ""),
            last_modified=data.get("last_modified", ""),
            last_ok=float(data.get("last_ok", 0)),
            last_error=data.get("last_error", ""),
            error_kind=data.get("error_kind", ""),
            failures=int(data.get("failures", 0)),
            first_failure=float(data.get("first_failure", 0)),
            paused=data.get("paused") == "1",
            created=float(data.get("created", 0)),
            next_poll=next_poll or 0.0,
        )

    async def all(self) -> list[Feed]:
        feeds = [await self.get(i) for i in sorted(await self._redis.smembers(keys.FEEDS))]
        return [f for f in feeds if f]

    async def save(self, feed: Feed) -> None:
        await self._redis.sadd(keys.FEEDS, feed.id)
        await self._redis.hset(
            keys.feed(feed.id),
            mapping={
                "url": feed.url,
                "title": feed.title,
                "targets": ",".join(sorted(feed.targets)),
                "added_by": feed.added_by,
                "etag": feed.etag,
                "last_modified": feed.last_modified,
                "last_ok": feed.last_ok,
                "last_error": feed.last_error,
                "error_kind": feed.error_kind,
                "failures": feed.failures,
                "first_failure": feed.first_failure,
                "paused": "1" if feed.paused else "0",
                "created": feed.created,
            },
        )
        if feed.paused:
            await self._redis.zrem(keys.FEEDS_DUE, feed.id)
        else:
            await self._redis.zadd(keys.FEEDS_DUE, {feed.id: feed.next_poll})

    async def delete(self, feed_id_: str) -> None:
        await self._redis.srem(keys.FEEDS, feed_id_)
        await self._redis.zrem(keys.FEEDS_DUE, feed_id_)
        await self._redis.delete(keys.feed(feed_id_))

    async def due(self, now: float, limit: int = 10_000) -> list[str]:
        return list(await self._redis.zrangebyscore(keys.FEEDS_DUE, "-inf", now, start=0, num=limit))


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
