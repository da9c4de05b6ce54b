"""Mention counts per watch and 15-minute bucket of publication, one hash per UTC day that
expires once no longer needed for the usual (see bot.volume, which reads them)."""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Iterable, Mapping

from redis.asyncio import Redis
from redis.asyncio.client import Pipeline

from bot import volume
from bot.store import keys


def count_in(pipe: Pipeline, watch_id: str, published: Iterable[float]) -> None:
    """Queue one mention of `watch_id` per time in `published`, each in its bucket (part of a
    batch: one increment per bucket, one expiry per day)."""
    per_bucket = Counter(volume.bucket(moment) for moment in published)
    for bucket, count in per_bucket.items():
        pipe.hincrby(keys.watch_volume(watch_id, volume.day(bucket)), str(bucket), count)
    for day in {volume.day(bucket) for bucket in per_bucket}:
        pipe.expireat(keys.watch_volume(watch_id, day), (day + volume.KEEP_DAYS + 1) * volume.DAY)


class VolumeRepo:
    def __init__(self, redis: Redis) -> None:
        self._redis = redis

    async def counts(self, watch_id: str, bucket_ids: Iterable[int]) -> dict[int, int]:
        """The mentions of `watch_id` in each of `bucket_ids` that has any."""
        return (await self.counts_of({watch_id: bucket_ids}))[watch_id]

    async def counts_of(self, wanted: Mapping[str, Iterable[int]]) -> dict[str, dict[int, int]]:
        """`counts` of several watches (watch -> bucket ids), in one round trip."""
        asked: list[tuple[str, list[int]]] = []
        async with self._redis.pipeline(transaction=False) as pipe:
            for watch_id, bucket_ids in wanted.items():
                by_day: dict[int, list[int]] = {}
                for bucket in bucket_ids:
                    by_day.setdefault(volume.day(bucket), []).append(bucket)
                for day, buckets in sorted(by_day.items()):
                    pipe.hmget(keys.watch_volume(watch_id, day), [str(b) for b in buckets])
                    asked.append((watch_id, buckets))
            rows = await pipe.execute()
        found: dict[str, dict[int, int]] = {watch_id: {} for watch_id in wanted}
        for (watch_id, buckets), row in zip(asked, rows, strict=True):
            found[watch_id].update((b, int(c)) for b, c in zip(buckets, row, strict=True) if c)
        return found

    async def last(self, watch_id: str, seconds: float, now: float | None = None) -> int:
        """Mentions published in the last `seconds`."""
        now = now or time.time()
        since = now - seconds
        return volume.total(await self.counts(watch_id, volume.buckets(since, now)), since, now)

    async def forget(self, watch_id: str, now: float | None = None) -> None:
        """Drop every count of a watch (deleted)."""
        today = int((now or time.time()) // volume.DAY)
        days = range(today - volume.KEEP_DAYS - 1, today + 2)
        await self._redis.delete(*(keys.watch_volume(watch_id, day) for day in days))
