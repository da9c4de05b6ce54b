"""The delivery queues: one queue per chat and priority, chats taken by senders under leases.

Guarantee: a queued message leaves Redis only once Telegram took it, or once it is recorded as
failed, or when its chat is dropped (Telegram said the bot was blocked or kicked). It is sent by
one sender at a time: a sender sends to a chat only while it holds the chat's lease, one message
at a time, and the message being sent waits in the chat's `sending` list; a sender that dies
leaves its lease to lapse (LEASE_TTL) and the next holder sends that message again (at most one
duplicate per chat, counted as `resent`). Within a chat, messages go out by priority, then in the
order they were queued; across chats, the chat whose first message has the highest priority,
then the oldest, is taken first. A chat held back (Telegram's retry_after, a backoff) waits in
`later` and is not taken before its time. Every step is one Lua script, so queueing (usable in a
MULTI, e.g. with a briefing's claim) and taking never race.
"""

from __future__ import annotations

import base64
import hashlib
import json
import secrets
import time
from collections.abc import Sequence
from typing import Literal

from redis.asyncio import Redis
from redis.asyncio.client import Pipeline

from bot.model import Backlog, Outgoing, Priority, Taken
from bot.render.html import parts
from bot.store import keys

LEASE_TTL = 10_000  # ms: a dead sender's chats are taken by another within this
BAND = 10**13  # ready score: priority * BAND + the first message's queue time (ms)
KEEP_SENT = 30 * 24 * 3600  # a sent message's id stays editable this long
KEEP_BLOB = 24 * 3600
KEEP_STATS = 8 * 24 * 3600
KEEP_FAILED = 1000
SCAN = 200  # ready chats a sender looks past those other senders hold

# Shared helpers: the chat's keys from ARGV prefixes; its score from the first message waiting.
_LIB = """
local function qkey(prefix, chat, p) return prefix .. chat .. ':' .. p end
local function score(prefix, chat)
  local sending = redis.call('LINDEX', prefix .. chat .. ':sending', 0)
  if sending then return math.floor(cjson.decode(sending)['queued_at'] * 1000) end
  for p = 0, 3 do
    local head = redis.call('LINDEX', qkey(prefix, chat, p), 0)
    if head then return p * 1e13 + math.floor(cjson.decode(head)['queued_at'] * 1000) end
  end
  return nil
end
local function now_ms()
  local t = redis.call('TIME')
  return tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
end
"""

# KEYS: ready, later, depth. ARGV: queue prefix, chat, priority, score, message...
_QUEUE = (
    _LIB
    + """
local key = qkey(ARGV[1], ARGV[2], ARGV[3])
for i = 5, #ARGV do redis.call('RPUSH', key, ARGV[i]) end
redis.call('HINCRBY', KEYS[3], ARGV[3], #ARGV - 4)
if not redis.call('ZSCORE', KEYS[2], ARGV[2]) then
  redis.call('ZADD', KEYS[1], 'LT', ARGV[4], ARGV[2])
end
"""
)

# KEYS: ready, later. ARGV: lease prefix, queue prefix, token, how many, lease ttl (ms), scan.
# Chats whose wait is over move from later to ready; then up to `how many` ready chats that no
# sender holds are leased to `token`.
_TAKE_CHATS = (
    _LIB
    + """
local now = now_ms()
for _, chat in ipairs(redis.call('ZRANGEBYSCORE', KEYS[2], '-inf', now, 'LIMIT', 0, 1000)) do
  redis.call('ZREM', KEYS[2], chat)
  local s = score(ARGV[2], chat)
  if s then redis.call('ZADD', KEYS[1], s, chat) end
end
local taken = {}
local wanted = tonumber(ARGV[4])
for _, chat in ipairs(redis.call('ZRANGE', KEYS[1], 0, wanted + tonumber(ARGV[6]) - 1)) do
  if #taken >= wanted then break end
  if redis.call('SET', ARGV[1] .. chat, ARGV[3], 'NX', 'PX', ARGV[5]) then
    table.insert(taken, chat)
  end
end
return taken
"""
)

# KEYS: the chat's lease, depth. ARGV: queue prefix, chat, token. The message being sent
# ({json, 1}: one a dead sender left, maybe sent) or the next by priority ({json, 0}); false
# when the lease is lost, {} when the chat has nothing waiting.
_NEXT = (
    _LIB
    + """
if redis.call('GET', KEYS[1]) ~= ARGV[3] then return false end
local sending = ARGV[1] .. ARGV[2] .. ':sending'
local left = redis.call('LINDEX', sending, 0)
if left then return {left, 1} end
for p = 0, 3 do
  local message = redis.call('LMOVE', qkey(ARGV[1], ARGV[2], p), sending, 'LEFT', 'RIGHT')
  if message then
    redis.call('HINCRBY', KEYS[2], p, -1)
    return {message, 0}
  end
end
return {}
"""
)

# KEYS: the chat's lease, ready, later, depth. ARGV: queue prefix, chat, token, the message
# taken (or ''), what goes back in its place (or ''), its priority, until (ms, 0: now).
# The message leaves `sending` (back to the head of its queue when given); the lease is given
# back; the chat is ready again, or waits in later until `until`, or leaves both when empty.
_RELEASE = (
    _LIB
    + """
local sending = ARGV[1] .. ARGV[2] .. ':sending'
if ARGV[4] ~= '' then redis.call('LREM', sending, 1, ARGV[4]) end
if ARGV[5] ~= '' then
  redis.call('LPUSH', qkey(ARGV[1], ARGV[2], ARGV[6]), ARGV[5])
  redis.call('HINCRBY', KEYS[4], ARGV[6], 1)
end
if redis.call('GET', KEYS[1]) == ARGV[3] then redis.call('DEL', KEYS[1]) end
local s = score(ARGV[1], ARGV[2])
if not s then
  redis.call('ZREM', KEYS[2], ARGV[2])
  redis.call('ZREM', KEYS[3], ARGV[2])
elseif tonumber(ARGV[7]) > now_ms() then
  redis.call('ZREM', KEYS[2], ARGV[2])
  redis.call('ZADD', KEYS[3], 'GT', ARGV[7], ARGV[2])
elseif not redis.call('ZSCORE', KEYS[3], ARGV[2]) then
  redis.call('ZADD', KEYS[2], s, ARGV[2])
end
"""
)

# KEYS: ready, later, depth, the chat's lease. ARGV: queue prefix, chat. Everything waiting
# for the chat goes; returns how many messages.
_DROP = (
    _LIB
    + """
local dropped = 0
for p = 0, 3 do
  local key = qkey(ARGV[1], ARGV[2], p)
  local n = redis.call('LLEN', key)
  if n > 0 then
    redis.call('HINCRBY', KEYS[3], p, -n)
    dropped = dropped + n
    redis.call('DEL', key)
  end
end
dropped = dropped + redis.call('LLEN', ARGV[1] .. ARGV[2] .. ':sending')
redis.call('DEL', ARGV[1] .. ARGV[2] .. ':sending', KEYS[4])
redis.call('ZREM', KEYS[1], ARGV[2])
redis.call('ZREM', KEYS[2], ARGV[2])
return dropped
"""
)

# ARGV: token, ttl (ms), then leases. Returns 1 for each lease renewed, 0 for each lost.
_RENEW = """
local held = {}
for i = 3, #ARGV do
  if redis.call('GET', ARGV[i]) == ARGV[1] then
    redis.call('PEXPIRE', ARGV[i], ARGV[2])
    held[i - 2] = 1
  else
    held[i - 2] = 0
  end
end
return held
"""


class DeliveryRepo:
    def __init__(self, redis: Redis) -> None:
        self._redis = redis
        self._queue = redis.register_script(_QUEUE)
        self._take_chats = redis.register_script(_TAKE_CHATS)
        self._next = redis.register_script(_NEXT)
        self._release = redis.register_script(_RELEASE)
        self._drop = redis.register_script(_DROP)
        self._renew = redis.register_script(_RENEW)

    # -- queueing ------------------------------------------------------------------------------

    async def add(self, pipe: Pipeline, messages: Sequence[Outgoing], now: float | None = None) -> None:
        """Queue `messages` as part of `pipe` (a MULTI: they are queued with the rest, or not),
        each cut to Telegram's sizes (bot.render.html.parts)."""
        at = now or time.time()
        for part in (part for message in messages for part in parts(message)):
            queued = part.queued(secrets.token_hex(8), at)
            score = int(part.priority) * BAND + int(at * 1000)
            await self._queue(
                keys=[keys.DELIVERY_READY, keys.DELIVERY_LATER, keys.DELIVERY_DEPTH],
                args=[keys.DELIVERY_QUEUE, part.chat_id, int(part.priority), score, queued.to_json()],
                client=pipe,
            )

    async def push(self, *messages: Outgoing) -> None:
        """Queue `messages` (in this order, in their chats)."""
        async with self._redis.pipeline(transaction=True) as pipe:
            await self.add(pipe, messages)
            await pipe.execute()

    async def keep_blob(self, data: bytes) -> str:
        """Keep bytes to send (a PNG) for a day; their reference for `Outgoing.photo`."""
        digest = hashlib.sha256(data).hexdigest()
        await self._redis.set(keys.delivery_blob(digest), base64.b64encode(data).decode(), ex=KEEP_BLOB)
        return f"blob:{digest}"

    async def blob(self, reference: str) -> tuple[bytes | None, str | None]:
        """The bytes of a `blob:` reference and the Telegram file id they were sent as, if any."""
        digest = reference.removeprefix("blob:")
        data, file_id = await self._redis.mget(keys.delivery_blob(digest), keys.delivery_file(digest))
        return (base64.b64decode(data) if data else None), file_id

    async def remember_file(self, reference: str, file_id: str) -> None:
        """Telegram has the blob as `file_id`: the next sends need not upload it again."""
        await self._redis.set(keys.delivery_file(reference.removeprefix("blob:")), file_id, ex=KEEP_SENT)

    # -- sending -------------------------------------------------------------------------------

    async def take_chats(self, token: str, how_many: int) -> list[int]:
        """Lease up to `how_many` chats that have messages ready, first in line first."""
        chats = await self._take_chats(
            keys=[keys.DELIVERY_READY, keys.DELIVERY_LATER],
            args=[keys.DELIVERY_LEASE, keys.DELIVERY_QUEUE, token, how_many, LEASE_TTL, SCAN],
        )
        return [int(chat) for chat in chats]

    async def renew(self, token: str, chats: Sequence[int]) -> set[int]:
        """Renew the leases of `chats`; the chats whose lease was lost."""
        if not chats:
            return set()
        held = await self._renew(args=[token, LEASE_TTL, *(keys.delivery_lease(chat) for chat in chats)])
        return {chat for chat, kept in zip(chats, held, strict=True) if not kept}

    async def next(self, chat_id: int, token: str) -> Taken | None | Literal[False]:
        """The chat's next message; None when it has none; False when the lease is lost."""
        row = await self._next(
            keys=[keys.delivery_lease(chat_id), keys.DELIVERY_DEPTH], args=[keys.DELIVERY_QUEUE, chat_id, token]
        )
        if row is None:
            return False
        if not row:
            return None
        raw, resent = row
        return Taken(raw, Outgoing.from_json(raw), bool(int(resent)))

    async def release(
        self, chat_id: int, token: str, taken: Taken | None = None, back: Outgoing | None = None, until: float = 0
    ) -> None:
        """Done with the chat for now: `taken` leaves `sending` (`back` goes first in line in its
        place); the chat waits until `until` (unix time) when given."""
        priority = int(back.priority) if back else 0
        await self._release(
            keys=[keys.delivery_lease(chat_id), keys.DELIVERY_READY, keys.DELIVERY_LATER, keys.DELIVERY_DEPTH],
            args=[
                keys.DELIVERY_QUEUE,
                chat_id,
                token,
                taken.raw if taken else "",
                back.to_json() if back else "",
                priority,
                int(until * 1000),
            ],
        )

    async def sent(self, chat_id: int, taken: Taken, message_id: int | None) -> None:
        """Telegram took it: it leaves `sending`; its id is kept under its purpose."""
        async with self._redis.pipeline(transaction=True) as pipe:
            pipe.lrem(keys.delivery_sending(chat_id), 1, taken.raw)
            if taken.message.purpose and message_id:
                pipe.hset(keys.delivery_sent(chat_id), taken.message.purpose, str(message_id))
                pipe.expire(keys.delivery_sent(chat_id), KEEP_SENT)
            self._count(pipe, "sent", "resent" if taken.resent else "")
            await pipe.execute()

    async def failed(self, chat_id: int, taken: Taken, reason: str) -> None:
        """Telegram will not take it: it leaves `sending` and is kept as failed, with why."""
        record = json.dumps({"message": json.loads(taken.raw), "reason": reason, "at": time.time()})
        async with self._redis.pipeline(transaction=True) as pipe:
            pipe.lrem(keys.delivery_sending(chat_id), 1, taken.raw)
            pipe.lpush(keys.DELIVERY_FAILED, record)
            pipe.ltrim(keys.DELIVERY_FAILED, 0, KEEP_FAILED - 1)
            self._count(pipe, "failed")
            await pipe.execute()

    async def drop(self, chat_id: int) -> int:
        """Everything waiting for the chat goes (the bot was blocked or kicked); how many."""
        dropped = await self._drop(
            keys=[keys.DELIVERY_READY, keys.DELIVERY_LATER, keys.DELIVERY_DEPTH, keys.delivery_lease(chat_id)],
            args=[keys.DELIVERY_QUEUE, chat_id],
        )
        await self.count("dropped", amount=int(dropped))
        return int(dropped)

    async def waiting(self, chat_id: int) -> list[Outgoing]:
        """What waits for the chat, in the order it will go (the one being sent first)."""
        async with self._redis.pipeline(transaction=False) as pipe:
            pipe.lrange(keys.delivery_sending(chat_id), 0, -1)
            for p in Priority:
                pipe.lrange(keys.delivery_queue(chat_id, p), 0, -1)
            rows = await pipe.execute()
        return [Outgoing.from_json(raw) for row in rows for raw in row]

    async def idle(self) -> bool:
        """Nothing waits for any chat, and nothing is being sent."""
        async with self._redis.pipeline(transaction=False) as pipe:
            pipe.zcard(keys.DELIVERY_READY)
            pipe.zcard(keys.DELIVERY_LATER)
            ready, later = await pipe.execute()
        return ready == later == 0

    async def remember(self, chat_id: int, purpose: str, message_id: int) -> None:
        """Keep a message the bot sent itself (a reply, an edited screen) under `purpose`."""
        async with self._redis.pipeline(transaction=True) as pipe:
            pipe.hset(keys.delivery_sent(chat_id), purpose, str(message_id))
            pipe.expire(keys.delivery_sent(chat_id), KEEP_SENT)
            await pipe.execute()

    async def message_id(self, chat_id: int, purpose: str) -> int | None:
        """The id of the message sent to the chat for `purpose`, while it is kept."""
        value = await self._redis.hget(keys.delivery_sent(chat_id), purpose)
        return int(value) if value else None

    # -- accounts ------------------------------------------------------------------------------

    async def count(self, *names: str, amount: int = 1) -> None:
        async with self._redis.pipeline(transaction=False) as pipe:
            self._count(pipe, *names, amount=amount)
            await pipe.execute()

    def _count(self, pipe: Pipeline, *names: str, amount: int = 1) -> None:
        key = keys.delivery_stats(time.strftime("%Y-%m-%d", time.gmtime()))
        for name in filter(None, names):
            pipe.hincrby(key, name, amount)
            pipe.hincrby(keys.DELIVERY_TOTALS, name, amount)
        pipe.expire(key, KEEP_STATS)

    async def stats(self, day: str | None = None) -> dict[str, int]:
        """Today's (UTC) counts: sent, resent, retried, too_many, failed, dropped."""
        key = keys.delivery_stats(day or time.strftime("%Y-%m-%d", time.gmtime()))
        return {name: int(value) for name, value in (await self._redis.hgetall(key)).items()}

    async def totals(self) -> dict[str, int]:
        """The same counts since the start."""
        return {name: int(value) for name, value in (await self._redis.hgetall(keys.DELIVERY_TOTALS)).items()}

    async def failures(self, limit: int = 20) -> list[dict]:
        """The last messages recorded as failed, newest first."""
        return [json.loads(raw) for raw in await self._redis.lrange(keys.DELIVERY_FAILED, 0, limit - 1)]

    async def backlog(self) -> Backlog:
        """Messages waiting per priority; the queue time of the oldest first in line."""
        async with self._redis.pipeline(transaction=False) as pipe:
            pipe.hgetall(keys.DELIVERY_DEPTH)
            for p in Priority:
                pipe.zrangebyscore(keys.DELIVERY_READY, p * BAND, (p + 1) * BAND - 1, start=0, num=1, withscores=True)
            depth, *firsts = await pipe.execute()
        queued = [(int(score) % BAND) / 1000 for rows in firsts for _, score in rows]
        return Backlog({p: max(0, int(depth.get(str(int(p)), 0))) for p in Priority}, min(queued, default=None))
