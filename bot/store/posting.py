"""Posting's state: each draft's state machine, what a member's next message is for, and whether
posting is paused (an owner's hold during a crisis), for every process.

Guarantee: a draft changes state only by `move`, one Lua script that checks the state it comes
from and writes the new one (with its fields, its place in the due index and its expiry) at
once. Two presses, two workers or a press racing the sender cannot both move it: the second
finds it moved already and changes nothing.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Iterable
from dataclasses import fields
from typing import TypeVar

from redis.asyncio import Redis
from redis.exceptions import WatchError

from bot.model import Draft, DraftState, JournalEntry, Outgoing, PostingHold
from bot.store import keys
from bot.store.delivery import DeliveryRepo
from bot.store.journal import JournalRepo
from bot.store.mapping import encode, from_hash, to_hash

KEEP_DONE = 30 * 24 * 3600  # a sent, failed or cancelled draft is kept this long (its buttons answer)
RECENT_POSTS = 100
EXPECT_TTL = 15 * 60  # a member's next message is taken as the text asked for this long

# KEYS: the draft, the due index, the open index. ARGV: the states it may come from (comma-
# separated), the new state, its expiry (s), its due time ("" leaves the index), whether it is
# open ("1"/"0"), the time it changed, its id, then field/value pairs. Returns "" when moved,
# else the state it is in ("none" when there is no such draft: it leaves the indexes).
_MOVE = """
local state = redis.call('HGET', KEYS[1], 'state')
if not state then
  redis.call('ZREM', KEYS[2], ARGV[7]); redis.call('ZREM', KEYS[3], ARGV[7])
  return 'none'
end
if not string.find(',' .. ARGV[1] .. ',', ',' .. state .. ',', 1, true) then return state end
redis.call('HSET', KEYS[1], 'state', ARGV[2], unpack(ARGV, 8))
redis.call('EXPIRE', KEYS[1], ARGV[3])
local id = ARGV[7]
if ARGV[4] == '' then redis.call('ZREM', KEYS[2], id) else redis.call('ZADD', KEYS[2], ARGV[4], id) end
if ARGV[5] == '1' then redis.call('ZADD', KEYS[3], ARGV[6], id) else redis.call('ZREM', KEYS[3], id) end
return ''
"""

_FIELDS = {f.name for f in fields(Draft)}
T = TypeVar("T")


class PostingRepo:
    def __init__(self, redis: Redis, delivery: DeliveryRepo, journal: JournalRepo) -> None:
        self._redis = redis
        self._delivery = delivery
        self._journal = journal
        self._move = redis.register_script(_MOVE)

    # -- drafts ------------------------------------------------------------------------------

    async def create(self, draft: Draft) -> None:
        async with self._redis.pipeline(transaction=True) as pipe:
            pipe.hset(keys.draft(draft.id), mapping=to_hash(draft))
            pipe.expire(keys.draft(draft.id), int(Draft.TTL) + 3600)
            pipe.zadd(keys.DRAFTS_OPEN, {draft.id: draft.created})
            await pipe.execute()

    async def get(self, draft_id: str) -> Draft | None:
        data = await self._redis.hgetall(keys.draft(draft_id))
        return from_hash(Draft, data) if data else None

    async def move(
        self,
        draft_id: str,
        sources: Iterable[DraftState],
        state: DraftState,
        *,
        due: float | None = None,
        now: float | None = None,
        **changes: object,
    ) -> tuple[bool, Draft | None]:
        """Move the draft to `state` if it is in one of `sources`, with `changes` to its fields;
        `due`: when a sender takes it (COOLING, SENDING). (True, the draft as moved) or (False,
        the draft as it is, None if there is none)."""
        keys_, args = self._move_args(draft_id, sources, state, due, now, changes)
        moved = await self._move(keys=keys_, args=args)
        return moved == "", await self.get(draft_id)

    async def finish(
        self,
        draft_id: str,
        state: DraftState,
        messages: list[Outgoing],
        entry: JournalEntry,
        *,
        source: DraftState = DraftState.SENDING,
        **changes: object,
    ) -> bool:
        """Move the draft from `source` to its outcome (SENT, FAILED), queue `messages` (the
        link, or why it failed) and journal `entry` in one transaction: the outcome is never
        known without being told, and told only by whoever moved it. False when it was not in
        `source`."""
        keys_, args = self._move_args(draft_id, [source], state, None, None, changes)
        async with self._redis.pipeline(transaction=True) as pipe:
            while True:
                try:
                    await pipe.watch(keys.draft(draft_id))
                    if await pipe.hget(keys.draft(draft_id), "state") != source.value:
                        return False
                    pipe.multi()
                    await self._move(keys=keys_, args=args, client=pipe)
                    await self._delivery.add(pipe, messages)
                    self._journal.add(pipe, entry)
                    await pipe.execute()
                    return True
                except WatchError:
                    continue

    def _move_args(
        self,
        draft_id: str,
        sources: Iterable[DraftState],
        state: DraftState,
        due: float | None,
        now: float | None,
        changes: dict[str, object],
    ) -> tuple[list[str], list[str | int]]:
        assert set(changes) <= _FIELDS - {"id", "state"}, changes
        assert all(source.leads_to(state) for source in sources), (sources, state)
        now = now or time.time()
        values = {**changes, "updated": now}
        pairs = [str(x) for k, v in values.items() for x in (k, encode(Draft, k, v))]
        ttl = int(Draft.TTL) + 3600 if state.open else KEEP_DONE
        opened = "1" if state.open else "0"
        return (
            [keys.draft(draft_id), keys.DRAFTS_DUE, keys.DRAFTS_OPEN],
            [
                ",".join(sources),
                state.value,
                ttl,
                "" if due is None else repr(due),
                opened,
                repr(now),
                draft_id,
                *pairs,
            ],
        )

    async def attempt(self, draft_id: str, part: int) -> None:
        """Record that part `part` is about to be sent to X (before the call)."""
        await self._redis.hset(keys.draft(draft_id), f"attempt:{part}", str(time.time()))

    async def attempted(self, draft_id: str, part: int) -> float | None:
        """When a sender called X for that part (it may be on X), if one did."""
        value = await self._redis.hget(keys.draft(draft_id), f"attempt:{part}")
        return float(value) if value else None

    async def sent_part(self, draft_id: str, post_ids: tuple[str, ...]) -> None:
        """The posts on X so far (the sender holds the draft's lease)."""
        await self._redis.hset(keys.draft(draft_id), "post_ids", ",".join(post_ids))

    async def tried(self, draft_id: str) -> int:
        """Count one more failed try to reach X; how many so far."""
        return int(await self._redis.hincrby(keys.draft(draft_id), "tries", 1))

    async def due(self, now: float) -> list[str]:
        """Drafts whose sending is due (cooling-off over, or a sender to take over)."""
        return list(await self._redis.zrangebyscore(keys.DRAFTS_DUE, "-inf", now))

    async def delay(self, draft_id: str, until: float) -> None:
        """Take the draft again at `until` (posting is paused, X asked to wait)."""
        await self._redis.zadd(keys.DRAFTS_DUE, {draft_id: until}, xx=True)

    async def stale(self, before: float) -> list[str]:
        """Open drafts left alone since before `before` (to expire)."""
        return list(await self._redis.zrangebyscore(keys.DRAFTS_OPEN, "-inf", before))

    async def cooling(self) -> list[str]:
        """Drafts in their cooling-off or being sent (their countdowns to update)."""
        return list(await self._redis.zrange(keys.DRAFTS_DUE, 0, -1))

    # -- what the guardrails compare with ------------------------------------------------------

    async def remember_sent(self, text: str) -> None:
        """A post's text, for the duplicate warning (the last RECENT_POSTS are kept)."""
        async with self._redis.pipeline(transaction=True) as pipe:
            pipe.lpush(keys.POSTS_RECENT, text)
            pipe.ltrim(keys.POSTS_RECENT, 0, RECENT_POSTS - 1)
            await pipe.execute()

    async def forget_sent(self) -> None:
        """Forget the posts sent (the console's sample X forgets them at each run)."""
        await self._redis.delete(keys.POSTS_RECENT)

    async def recent(self) -> list[str]:
        return list(await self._redis.lrange(keys.POSTS_RECENT, 0, -1))

    async def subjects(self) -> frozenset[str] | None:
        """The subjects to warn about, None until an owner changes the defaults."""
        if not await self._redis.exists(keys.GUARDRAILS):
            return None
        return frozenset(await self._redis.smembers(keys.GUARDRAILS)) - {""}

    async def change_subjects(self, change: Callable[[frozenset[str] | None], tuple[frozenset[str] | None, T]]) -> T:
        """Read the subjects (None: the defaults), store the list `change` makes of them (None:
        back to the defaults) and return what else it says, as one step: two owners editing at
        once both count (read again and changed again when the list moved meanwhile)."""
        async with self._redis.pipeline(transaction=True) as pipe:
            while True:
                try:
                    await pipe.watch(keys.GUARDRAILS)
                    current = None
                    if await pipe.exists(keys.GUARDRAILS):
                        current = frozenset(await pipe.smembers(keys.GUARDRAILS)) - {""}
                    subjects, result = change(current)
                    if subjects == current:
                        await pipe.unwatch()
                        return result
                    pipe.multi()
                    pipe.delete(keys.GUARDRAILS)
                    if subjects is not None:
                        pipe.sadd(keys.GUARDRAILS, "", *subjects)
                    await pipe.execute()
                    return result
                except WatchError:
                    continue

    # -- what a member's next message is for ---------------------------------------------------

    async def expect(self, user_id: int, purpose: str) -> None:
        """Take the member's next text as `purpose`: "post:" (followed by the links of the X posts
        it may answer), "edit:{id}", "reject:{id}"."""
        await self._redis.set(keys.expecting(user_id), purpose, ex=EXPECT_TTL)

    async def expected(self, user_id: int) -> str | None:
        """What the member's next text was asked for (asked once: it is forgotten)."""
        return await self._redis.getdel(keys.expecting(user_id))

    # -- the hold ------------------------------------------------------------------------------

    async def hold(self) -> PostingHold | None:
        raw = await self._redis.get(keys.POSTING_HOLD)
        return PostingHold(**json.loads(raw)) if raw else None

    async def pause(self, hold: PostingHold) -> bool:
        """Hold posting; False when it was already held (the first hold stays)."""
        data = {"by": hold.by, "by_name": hold.by_name, "since": hold.since, "watch": hold.watch}
        return bool(await self._redis.set(keys.POSTING_HOLD, json.dumps(data), nx=True))

    async def resume(self) -> bool:
        """Lift the hold; False when posting was not held."""
        return bool(await self._redis.delete(keys.POSTING_HOLD))
