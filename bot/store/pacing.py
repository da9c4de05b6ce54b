"""Telegram's sending limits as one budget that every process draws on (Redis, Lua, Redis's clock).

Each limit is a generic cell rate (GCRA): a rate with a burst. Guarantee: whatever the processes,
any `burst + 1` messages granted globally, or to one chat, span at least one interval (and any
`burst + k` at least k intervals), timed by the Redis server's clock (no skew between machines):
the check and the claim are one script. Nothing is reserved ahead: a caller told to wait asks
again after the wait, so one busy chat never holds up another. A pause (Telegram's `retry_after`)
holds one chat, or every chat, until it ends.
"""

from __future__ import annotations

from redis.asyncio import Redis

from bot.model import Rate, Slot
from bot.store import keys

HELD = 1000  # ms a key outlives the moment it stops mattering

# KEYS: the global cell's theoretical arrival time (ms), the chat's. ARGV: for each, its interval
# and its tolerance (burst - 1 intervals), then HELD. Returns {ms to wait (0: granted), now (ms)}.
_TAKE = """
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local tats, wait = {}, 0
for i, key in ipairs(KEYS) do
  tats[i] = math.max(tonumber(redis.call('GET', key) or '0'), now)
  wait = math.max(wait, tats[i] - now - tonumber(ARGV[2 * i]))
end
if wait > 0 then return {wait, now} end
for i, key in ipairs(KEYS) do
  local tat = tats[i] + tonumber(ARGV[2 * i - 1])
  redis.call('SET', key, tat, 'PX', tat - now + tonumber(ARGV[5]))
end
return {0, now}
"""

# KEYS: a cell's theoretical arrival time. ARGV: the pause, the cell's tolerance, HELD (ms).
# Nothing is granted before the pause ends; it only ever moves later. Returns when it ends (ms).
_PAUSE = """
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local tat = now + tonumber(ARGV[1]) + tonumber(ARGV[2])
if tat > tonumber(redis.call('GET', KEYS[1]) or '0') then
  redis.call('SET', KEYS[1], tat, 'PX', tat - now + tonumber(ARGV[3]))
end
return tat - tonumber(ARGV[2])
"""


class PacingRepo:
    def __init__(self, redis: Redis) -> None:
        self._take = redis.register_script(_TAKE)
        self._pause = redis.register_script(_PAUSE)

    async def take(self, chat_id: int | str, overall: Rate, chat: Rate) -> Slot:
        """Take a slot to send to `chat_id` now if both rates allow it; otherwise how long to
        wait before asking again."""
        wait, now = await self._take(
            keys=[keys.PACING_GLOBAL, keys.pacing_chat(chat_id)],
            args=[
                round(overall.interval * 1000),
                overall.tolerance_ms,
                round(chat.interval * 1000),
                chat.tolerance_ms,
                HELD,
            ],
        )
        return Slot(int(wait) / 1000, int(now) / 1000)

    async def pause(self, chat_id: int | str | None, seconds: float, rate: Rate) -> float:
        """Nothing to `chat_id` (to any chat when None, with the global `rate`) for `seconds`;
        when the pause ends (the Redis server's unix time)."""
        key = keys.PACING_GLOBAL if chat_id is None else keys.pacing_chat(chat_id)
        return int(await self._pause(keys=[key], args=[max(1, round(seconds * 1000)), rate.tolerance_ms, HELD])) / 1000
