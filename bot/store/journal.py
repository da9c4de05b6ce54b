"""The journal of what Vigie did on X for the team (/journal): every step of a post, every follow.

A list, newest first, of the last KEPT entries. An entry is written once, by whoever made the
step: with the step itself when it is a transaction (a post's outcome, bot.store.posting), just
after a check-and-set move otherwise (a crash in between loses that one line, never the step).
"""

from __future__ import annotations

import json
from dataclasses import asdict

from redis.asyncio import Redis
from redis.asyncio.client import Pipeline

from bot.model import Act, JournalEntry
from bot.store import keys

KEPT = 1000


class JournalRepo:
    def __init__(self, redis: Redis) -> None:
        self._redis = redis

    async def record(self, entry: JournalEntry) -> None:
        async with self._redis.pipeline(transaction=True) as pipe:
            self.add(pipe, entry)
            await pipe.execute()

    @staticmethod
    def add(pipe: Pipeline, entry: JournalEntry) -> None:
        """Record `entry` as part of `pipe` (a MULTI: with the rest, or not)."""
        pipe.lpush(keys.JOURNAL, json.dumps(asdict(entry)))
        pipe.ltrim(keys.JOURNAL, 0, KEPT - 1)

    async def latest(self, count: int) -> list[JournalEntry]:
        """The `count` latest entries, newest first."""
        raw = await self._redis.lrange(keys.JOURNAL, 0, count - 1)
        return [_entry(json.loads(r)) for r in raw]


def _entry(data: dict) -> JournalEntry:
    return JournalEntry(**{**data, "act": Act(data["act"])})
