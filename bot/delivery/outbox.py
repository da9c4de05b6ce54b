"""Sending the outbox to Telegram: one sender at a time, 429s respected, nothing lost.

Minimal for now (the delivery issue adds per-chat pacing and splitting): a message is taken
into `sending`, sent, then dropped; a 429 or an outage puts it back and ends the run; a user who
blocked the bot or a chat that is gone drops it with a log line. The sender holds a short lease,
renewed while it works: after a crash another worker takes over within LEASE_TTL, and a sender
that lost its lease stops before the next message.
"""

from __future__ import annotations

import logging
import time

from telegram import Bot, InlineKeyboardMarkup, LinkPreviewOptions
from telegram.constants import ParseMode
from telegram.error import BadRequest, Forbidden, NetworkError, RetryAfter

from bot.model import Lease
from bot.retry import retry_after
from bot.store import Store

log = logging.getLogger(__name__)

LEASE_TTL = 8
RUN_TIMEOUT = 120  # the job's limit
NO_PREVIEW = LinkPreviewOptions(is_disabled=True)


async def deliver(store: Store, bot: Bot, limit: int = 100, now: float | None = None) -> int:
    """Send up to `limit` waiting messages, unless Telegram asked to wait; how many were sent."""
    if await store.outbox.paused_until() > (now or time.time()):
        return 0
    async with store.system.lease("deliver", LEASE_TTL) as lease:
        return 0 if lease is None else await _send(store, bot, lease, limit)


async def _send(store: Store, bot: Bot, lease: Lease, limit: int) -> int:
    sent = 0
    await store.outbox.recover()
    while sent < limit and lease.held and (taken := await store.outbox.take()):
        raw, message = taken
        try:
            keyboard = InlineKeyboardMarkup.de_json(message.keyboard, bot) if message.keyboard else None
            await bot.send_message(
                message.chat_id,
                message.text,
                parse_mode=ParseMode.HTML,
                link_preview_options=NO_PREVIEW,
                reply_markup=keyboard,
            )
        except RetryAfter as exc:
            wait = retry_after(exc)
            log.warning("Telegram asks to wait %.0f s before sending more", wait)
            await store.outbox.put_back(raw)
            await store.outbox.pause(time.time() + wait)
            break
        except (Forbidden, BadRequest) as exc:
            log.info("message to %s dropped: %s", message.chat_id, exc)
        except NetworkError as exc:
            log.warning("Telegram unreachable (%s): the outbox waits", exc)
            await store.outbox.put_back(raw)
            break
        else:
            sent += 1
        await store.outbox.done(raw)
    return sent
