"""Redis outages as one process lives them: what counts as one, waiting for its end, and telling
each member at most once per outage that Vigie is back in a moment.

An outage is Redis not answering (connection refused or lost, a timeout, still loading) or not
accepting writes (MISCONF after a failed save or a full disk, OOM, a read-only replica). Nothing
is lost meanwhile: updates stay with Telegram or in the update journal, jobs wait; every part
waits for `RedisHealth.recovered()` and carries on. From the first failure seen, a probe writes
to Redis until a write succeeds (and revives the embedded server if it died); that write, or any
other that goes through, ends the outage. Refused credentials are not an outage but a configuration error: they are raised.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import re
import time
from typing import Any

from redis import exceptions as redis_errors
from telegram import Bot, Update
from telegram.error import TelegramError

from bot.render.i18n import language_for, t
from bot.retry import STOP_GRACE
from bot.store import Store

log = logging.getLogger(__name__)

FIRST_PROBE = 0.25
MAX_PROBE_INTERVAL = 2.0
# Error codes of a Redis that refuses service, wherever redis-py puts them: "MISCONF ...",
# "Command # 1 (SET a) of pipeline caused error: ('MISCONF ...',)", "Error running script ...: -MISCONF".
_REFUSAL = re.compile(r"\b(MISCONF|MASTERDOWN|READONLY|LOADING|OOM)\b")
_MISCONFIGURED = (redis_errors.AuthenticationError, redis_errors.AuthorizationError)


def is_outage(exc: BaseException) -> bool:
    """True when `exc` means Redis is unavailable (rather than a bug or wrong credentials)."""
    if isinstance(exc, _MISCONFIGURED):
        return False
    if isinstance(exc, (redis_errors.ConnectionError, redis_errors.TimeoutError)):
        return True
    if isinstance(exc, (redis_errors.OutOfMemoryError, redis_errors.ReadOnlyError)):
        return True
    return isinstance(exc, redis_errors.ResponseError) and _REFUSAL.search(str(exc)) is not None


def _reason(exc: BaseException) -> str:
    return f"{type(exc).__name__}: {exc}".splitlines()[0][:200]


class RedisHealth:
    """This process's view of Redis: up, or down since when; the members told this outage.

    `members` starts with the owners and grows with every member the gatekeeper recognizes:
    during an outage roles cannot be read, and strangers are not told anything more."""

    def __init__(
        self,
        store: Store,
        default_language: str,
        owners: frozenset[int],
    ) -> None:
        self._system = store.system
        self._language = default_language
        self._members = set(owners)
        self._revive = store.revive
        self._down_since: float | None = None
        self._told: set[int] = set()
        self._interrupted: set[int] = set()
        self._probe: asyncio.Task[None] | None = None
        self._closed = False

    def member_seen(self, user_id: int) -> None:
        self._members.add(user_id)

    def failed(self, exc: BaseException) -> None:
        """Note an outage seen by any part of the process; the probe starts (once)."""
        self._went_down(_reason(exc))
        self._start_probe()

    def wrote(self) -> None:
        """A write went through: if Redis was down, the outage is over."""
        if self._down_since is not None:
            log.warning("Redis is back after %.1f s", time.monotonic() - self._down_since)
            self._down_since = None
            self._told.clear()

    def interrupted(self, update_id: int) -> None:
        """An update whose handling an outage cut short: its receiver handles it again."""
        self._interrupted.add(update_id)

    def was_interrupted(self, update_id: int) -> bool:
        """True (once) when the handling of `update_id` was cut short by an outage."""
        if update_id in self._interrupted:
            self._interrupted.discard(update_id)
            return True
        return False

    async def recovered(self, stop: asyncio.Event | None = None) -> bool:
        """Wait until Redis accepts writes; False if `stop` was set first. Raises what is not
        an outage (refused credentials)."""
        probe = self._start_probe()
        waits: set[asyncio.Future[Any]] = {asyncio.ensure_future(asyncio.shield(probe))}
        if stop is not None:
            waits.add(asyncio.ensure_future(stop.wait()))
        try:
            await asyncio.wait(waits, return_when=asyncio.FIRST_COMPLETED)
        finally:
            for task in waits:
                task.cancel()
        if not probe.done():
            return False
        probe.result()
        return True

    async def writable(self) -> str | None:
        """One write now: None when Redis took it, else why not (for health checks)."""
        try:
            await self._system.probe()
        except Exception as exc:  # noqa: BLE001 - reported, not raised
            return _reason(exc)
        return None

    async def tell(self, bot: Bot, update: Update) -> None:
        """Tell the update's sender, once per outage and if a member, that Vigie is back soon."""
        user = update.effective_user
        if user is None or user.id not in self._members or user.id in self._told:
            return
        self._told.add(user.id)
        text = t(language_for(user.language_code, self._language), "back_soon")
        with contextlib.suppress(TelegramError):
            if update.callback_query:
                await update.callback_query.answer(text, show_alert=True)
            else:
                await bot.send_message(user.id, text)

    async def close(self) -> None:
        """Stop probing (the process is stopping). A probe whose cancel redis-py swallowed (Python
        3.11's wait_for) ends at its next turn; it is not waited for past STOP_GRACE."""
        self._closed = True
        if self._probe is not None and not self._probe.done():
            self._probe.cancel()
            await asyncio.wait({self._probe}, timeout=STOP_GRACE)

    def _start_probe(self) -> asyncio.Task[None]:
        if self._probe is None or self._probe.done():
            self._probe = asyncio.get_running_loop().create_task(self._wait_for_writes())
        return self._probe

    def _went_down(self, reason: str) -> None:
        if self._down_since is None:
            self._down_since = time.monotonic()
            log.warning("Redis is unavailable (%s): waiting for it, nothing is confirmed meanwhile", reason)

    async def _wait_for_writes(self) -> None:
        interval = FIRST_PROBE
        while not self._closed:
            try:
                await self._system.probe()
            except Exception as exc:
                if not is_outage(exc):
                    raise
                self._went_down(_reason(exc))
            else:
                self.wrote()
                return
            if self._revive is not None:
                await self._revive()
            await asyncio.sleep(interval)
            interval = min(interval * 2, MAX_PROBE_INTERVAL)
