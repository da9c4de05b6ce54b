"""The update journal: every update is handled at least once, and at most once outside a crash.

    fetched --accept--> pending --done--> handled (kept HANDLED_TTL, then forgotten)

`accept` stores fetched updates before they are confirmed to Telegram and skips those already
handled, so a replay after a crash and Telegram's redelivery of unconfirmed updates do not run an
update twice. `done` removes an update from pending and records it as handled in one transaction.
Only an update in flight when the process dies (handled, not yet recorded) can run twice.
"""

from __future__ import annotations

import json
import time

from redis.asyncio import Redis

from bot.store import keys

HANDLED_TTL = 48 * 3600  # Telegram keeps unconfirmed updates for 24 hours

# KEYS: pending hash, handled zset. ARGV: id1, json1, id2, json2, ... -> the ids not yet handled.
_ACCEPT = """
local fresh = {}
for i = 1, #ARGV, 2 do
    if not redis.call('ZSCORE', KEYS[2], ARGV[i]) then
        redis.call('HSETNX', KEYS[1], ARGV[i], ARGV[i + 1])
        fresh[#fresh + 1] = ARGV[i]
    end
end
return fresh
"""


class UpdateJournal:
    def __init__(self, redis: Redis) -> None:
        self._redis = redis
        self._accept = redis.register_script(_ACCEPT)

    async def accept(self, updates: dict[int, dict]) -> set[int]:
        """Keep `updates` as pending; the ids among them not handled yet."""
        if not updates:
            return set()
        args = [part for update_id, data in updates.items() for part in (update_id, json.dumps(data))]
        fresh = await self._accept(keys=[keys.PENDING_UPDATES, keys.HANDLED_UPDATES], args=args)
        return {int(update_id) for update_id in fresh}

    async def is_handled(self, update_id: int) -> bool:
        return await self._redis.zscore(keys.HANDLED_UPDATES, str(update_id)) is not None

    async def done(self, update_id: int) -> None:
        """The update was handled: no longer pending, remembered as handled, atomically."""
        now = time.time()
        async with self._redis.pipeline(transaction=True) as pipe:
            pipe.hdel(keys.PENDING_UPDATES, str(update_id))
            pipe.zadd(keys.HANDLED_UPDATES, {str(update_id): now})
            pipe.zremrangebyscore(keys.HANDLED_UPDATES, "-inf", now - HANDLED_TTL)
            await pipe.execute()

    async def pending(self) -> list[dict]:
        """Updates accepted and not handled (what a crash left), oldest first."""
        raw = await self._redis.hgetall(keys.PENDING_UPDATES)
        return [json.loads(v) for _, v in sorted(raw.items(), key=lambda kv: int(kv[0]))]
