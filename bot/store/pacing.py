"""Telegram's sending limits as one budget that every process draws on (Redis, Lua, Redis's clock).

Each limit is a generic cell rate (GCRA): a rate with a burst. Guarantee: whatever the processes,
any `burst + 1` messages granted globally, or to one chat, span at least one interval (and any
`burst + k` at least k intervals), timed by the Redis server's clock (no skew between machines):
the check and the claim are one script, and a granted slot is a time: "now", or a moment at most
RESERVE ahead when the global rate is what holds the caller back (the caller sends then without
asking again, so a late wake-up costs no throughput and callers do not crowd the same slot). A
chat's own rate reserves nothing: a caller told to wait for its chat asks again after the wait,
so one busy chat never holds up another. A pause (Telegram's `retry_after`) holds one chat, or
every chat, until it ends.
"""

from __future__ import annotations

from redis.asyncio import Redis

from bot.model import Rate, Slot
from bot.store import keys

HELD = 1000  # ms a key outlives the moment it stops mattering
RESERVE = 200  # ms ahead a global slot may be taken

# Times are in ms with a fraction (Redis's microseconds): a rate of 300/s is one per 3.333 ms, not
# one per 3 ms; they are stored with three decimals (Lua would write only 14 digits).
# KEYS: the global cell's theoretical arrival time (ms), the chat's. ARGV: for each, its interval
# and its tolerance (burst - 1 intervals), then HELD, then RESERVE (ms). Returns {ms to wait,
# now (ms), 1 when the slot is taken for now + wait, 0 when the caller must ask again after the
# wait}, whole milliseconds.
_TAKE = """
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + tonumber(t[2]) / 1000
local global = math.max(tonumber(redis.call('GET', KEYS[1]) or '0'), now)
local chat = math.max(tonumber(redis.call('GET', KEYS[2]) or '0'), now)
local chat_wait = chat - now - tonumber(ARGV[4])
local wait = math.max(global - now - tonumber(ARGV[2]), 0)
local asked = math.floor(now)
if chat_wait > 0 or wait > tonumber(ARGV[6]) then
  return {math.max(1, math.ceil(now + math.max(chat_wait, wait)) - asked), asked, 0}
end
local at = now + wait
global = global + tonumber(ARGV[1])
chat = math.max(chat, at) + tonumber(ARGV[3])
redis.call('SET', KEYS[1], string.format('%.3f', global), 'PX', math.ceil(global - now + tonumber(ARGV[5])))
redis.call('SET', KEYS[2], string.format('%.3f', chat), 'PX', math.ceil(chat - now + tonumber(ARGV[5])))
return {math.ceil(at) - asked, asked, 1}
"""

# KEYS: a cell's theoretical arrival time. ARGV: the pause, the cell's tolerance, HELD (ms).
# Nothing is granted before the pause ends; it only ever moves later. Returns when it ends (ms).
_PAUSE = """
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + tonumber(t[2]) / 1000
local tat = now + tonumber(ARGV[1]) + tonumber(ARGV[2])
if tat > tonumber(redis.call('GET', KEYS[1]) or '0') then
  redis.call('SET', KEYS[1], string.format('%.3f', tat), 'PX', math.ceil(tat - now + tonumber(ARGV[3])))
end
return math.ceil(tat - tonumber(ARGV[2]))
"""


class PacingRepo:
    def __init__(self, redis: Redis) -> None:
        self._take = redis.register_script(_TAKE)
        self._pause = redis.register_script(_PAUSE)

    async def take(self, chat_id: int | str, overall: Rate, chat: Rate) -> Slot:
        """A slot to send to `chat_id` (`taken`: at `at + wait`) if both rates allow it soon
        enough; otherwise how long to wait before asking again."""
        wait, now, taken = await self._take(
            keys=[keys.PACING_GLOBAL, keys.pacing_chat(chat_id)],
            args=[
                overall.interval_ms,
                overall.tolerance_ms,
                chat.interval_ms,
                chat.tolerance_ms,
                HELD,
                RESERVE,
            ],
        )
        return Slot(int(wait) / 1000, int(now) / 1000, bool(taken))

    async def pause(self, chat_id: int | str | None, seconds: float, rate: Rate) -> float:
        """Nothing to `chat_id` (to any chat when None, with the global `rate`) for `seconds`;
        when the pause ends (the Redis server's unix time)."""
        key = keys.PACING_GLOBAL if chat_id is None else keys.pacing_chat(chat_id)
        return int(await self._pause(keys=[key], args=[max(1, round(seconds * 1000)), rate.tolerance_ms, HELD])) / 1000
