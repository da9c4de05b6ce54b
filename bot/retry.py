"""Waiting and retrying, the same way everywhere: pauses that end early on stop, and
exponential backoff from one second up to a minute."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable
from datetime import timedelta

from telegram.error import NetworkError, RetryAfter

log = logging.getLogger(__name__)

FIRST_DELAY = 1.0
MAX_DELAY = 60.0
STOP_GRACE = 5.0  # how long a stop waits for work in flight: a Redis that hangs must not hold it up


def retry_after(exc: RetryAfter) -> float:
    """Seconds Telegram asks to wait (PTB gives an int today, a timedelta in its next version)."""
    value: int | float | timedelta = exc.retry_after
    return value.total_seconds() if isinstance(value, timedelta) else float(value)


async def pause(stop: asyncio.Event, seconds: float) -> None:
    """Sleep, unless asked to stop first."""
    with contextlib.suppress(TimeoutError):
        await asyncio.wait_for(stop.wait(), timeout=seconds)


class Backoff:
    """Delays that double after each failure, from FIRST_DELAY to MAX_DELAY; reset on success."""

    def __init__(self) -> None:
        self.delay = FIRST_DELAY

    async def wait(self, stop: asyncio.Event) -> None:
        await pause(stop, self.delay)
        self.delay = min(self.delay * 2, MAX_DELAY)

    def reset(self) -> None:
        self.delay = FIRST_DELAY


async def until_done(what: str, call: Callable[[], Awaitable[object]], stop: asyncio.Event) -> bool:
    """Call until it succeeds, Telegram network errors retried with backoff; False if stopped
    first. Other errors (a refused token) are raised."""
    backoff = Backoff()
    while not stop.is_set():
        try:
            await call()
            return True
        except NetworkError as exc:  # unreachable or timed out
            log.warning("%s failed (%s); retrying in %.0f s", what, exc, backoff.delay)
            await backoff.wait(stop)
    return False
