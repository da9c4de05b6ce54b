"""One sending budget for every process: python-telegram-bot's rate limiter over Redis.

Every `Bot` Vigie makes (the Application's, the worker's) is given a `SharedRateLimiter`, so
handler replies and the worker's sends, in any number of processes, keep together to Telegram's
limits: the global rate (`VIGIE_TELEGRAM_RATE`, 30 messages/s by default), one message per second
in a private chat and 20 per minute in a group, each with a burst of 3 (bot.store.pacing holds the
budget). PTB's own
`AIORateLimiter` counts per process only. A 429 pauses that chat (every chat, for a call to no
chat) for its `retry_after`, then the call is tried again, up to `retries` times. A call that
would wait longer than `max_wait` raises `Deferred` instead (the sender sets that chat aside and
goes on with others). In one process one caller at a time asks Redis, so many callers do not
wake together to ask for the same slot. When Redis is
unreachable the call goes out unpaced, as a reply during an outage should.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Coroutine
from typing import Any

from redis.exceptions import RedisError
from telegram.error import RetryAfter
from telegram.ext import BaseRateLimiter

from bot.model import Rate
from bot.retry import retry_after
from bot.store import Store

log = logging.getLogger(__name__)

# Telegram: about one message a second in a private chat ("short bursts are allowed"), 20 a
# minute in a group or channel.
PRIVATE = Rate(1.0, burst=3)
GROUP = Rate(3.0, burst=3)
# Bot API methods that put a message in a chat or change one: the calls Telegram's limits count.
PACED = frozenset(
    {
        "sendMessage",
        "sendPhoto",
        "sendDocument",
        "sendMediaGroup",
        "copyMessage",
        "forwardMessage",
        "editMessageText",
        "editMessageCaption",
        "editMessageMedia",
        "editMessageReplyMarkup",
    }
)

Result = bool | dict[str, Any] | list[dict[str, Any]]


class Deferred(Exception):  # noqa: N818 - not an error: the call is to be made later
    """The call would wait `seconds` for its slot, longer than the caller accepts."""

    def __init__(self, seconds: float) -> None:
        super().__init__(f"the chat's next slot is in {seconds:.1f} s")
        self.seconds = seconds


def chat_rate(chat_id: int | str) -> Rate:
    """The rate of that chat: private chats have positive ids."""
    return PRIVATE if isinstance(chat_id, int) and chat_id > 0 else GROUP


class SharedRateLimiter(BaseRateLimiter[int]):
    """Paces every paced call on the budget in Redis; `rate_limit_args` overrides `retries`."""

    def __init__(self, store: Store, rate: float, retries: int, max_wait: float | None = None) -> None:
        self._store = store
        self._overall = Rate(1 / rate)
        self._retries = retries
        self._max_wait = max_wait
        self._short = 0.05  # a wait this short is for a global slot: asked for first when it comes
        self._asking = asyncio.Lock()

    async def initialize(self) -> None:
        pass

    async def shutdown(self) -> None:
        pass

    async def process_request(
        self,
        callback: Callable[..., Coroutine[Any, Any, Result]],
        args: Any,
        kwargs: dict[str, Any],
        endpoint: str,
        data: dict[str, Any],
        rate_limit_args: int | None,
    ) -> Result:
        chat_id = _chat_id(data) if endpoint in PACED else None
        retries = self._retries if rate_limit_args is None else rate_limit_args
        attempt = 0
        while True:
            if chat_id is not None:
                await self._wait_for_slot(chat_id)
            try:
                return await callback(*args, **kwargs)
            except RetryAfter as exc:
                wait = retry_after(exc)
                log.warning("Telegram asks to wait %.0f s (%s, chat %s)", wait, endpoint, chat_id)
                paused = await self._pause(chat_id, wait)
                if attempt == retries:
                    raise
                attempt += 1
                if chat_id is None or not paused:
                    await asyncio.sleep(wait)

    async def _wait_for_slot(self, chat_id: int | str) -> None:
        loop = asyncio.get_running_loop()
        while True:
            async with self._asking:
                while True:
                    try:
                        slot = await self._store.pacing.take(chat_id, self._overall, chat_rate(chat_id))
                    except RedisError as exc:
                        log.warning("sending budget unavailable, sending unpaced: %s", exc)
                        return
                    if slot.taken or slot.wait > self._short:
                        break
                    await asyncio.sleep(slot.wait)  # the next global slot: ask first when it comes
            if slot.taken:
                due = loop.time() + slot.wait
                await asyncio.sleep(slot.wait)
                if loop.time() - due <= self._overall.interval:
                    return
                continue  # woken too late: sent now, it would crowd the next slots; take a new one
            if self._max_wait is not None and slot.wait > self._max_wait:
                raise Deferred(slot.wait)
            await asyncio.sleep(slot.wait)

    async def _pause(self, chat_id: int | str | None, seconds: float) -> bool:
        """Hold the chat (or every chat) for everyone; False when Redis is unreachable."""
        try:
            await self._store.pacing.pause(chat_id, seconds, self._overall if chat_id is None else chat_rate(chat_id))
        except RedisError as exc:
            log.warning("could not record Telegram's pause: %s", exc)
            return False
        return True


def _chat_id(data: dict[str, Any]) -> int | str | None:
    chat_id = data.get("chat_id")
    if isinstance(chat_id, str) and chat_id.lstrip("-").isdigit():
        return int(chat_id)
    return chat_id if isinstance(chat_id, int | str) else None
