"""Sending the outbox to Telegram: one run at a time, 429s respected, nothing lost.

Minimal for now (the delivery issue adds per-chat pacing and splitting): a message is taken
into `sending`, sent, then dropped; a 429 or an outage puts it back and ends the run; a user who
blocked the bot or a chat that is gone drops it with a log line.
"""

from __future__ import annotations

import logging

from telegram import Bot, InlineKeyboardMarkup, LinkPreviewOptions
from telegram.constants import ParseMode
from telegram.error import BadRequest, Forbidden, NetworkError, RetryAfter

from bot.store import Store

log = logging.getLogger(__name__)

LOCK_TTL = 120
NO_PREVIEW = LinkPreviewOptions(is_disabled=True)


async def deliver(store: Store, bot: Bot, limit: int = 100) -> int:
    """Send up to `limit` waiting messages; returns how many were sent."""
    if not await store.system.lock("deliver", LOCK_TTL):
        return 0
    sent = 0
    try:
        await store.outbox.recover()
        while sent < limit and (taken := await store.outbox.take()):
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
                log.warning("Telegram asks to wait %s before sending more", exc.retry_after)
                await store.outbox.put_back(raw)
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
    finally:
        await store.system.unlock("deliver")
    return sent
