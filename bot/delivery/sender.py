"""Sending the delivery queues to Telegram: any number of senders, each chat held by one.

A sender leases ready chats (bot.store.delivery), up to CONCURRENCY at once, and sends each
chat's messages one at a time through a Bot whose rate limiter is the shared budget, so all
senders together keep to Telegram's limits. What Telegram answers decides what happens next:
- taken: the message id is recorded under the message's purpose;
- 429 (`retry_after`) or a slot further away than MAX_WAIT: the message goes back first in line
  and the chat waits that long while the sender goes on with other chats;
- 5xx, timeout, network error: tried again after a backoff, up to MAX_ATTEMPTS, then failed;
- 403 (blocked, kicked): everything waiting for the chat is dropped and a member is marked
  inactive (until they write again);
- 400 (a message Telegram refuses): recorded as failed, with Telegram's reason.
Nothing leaves a queue otherwise. Leases are renewed every third of their time; a chat whose
lease was lost is not sent to again by this sender.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import secrets
import time

from redis.exceptions import RedisError
from telegram import Bot, InlineKeyboardMarkup, InputMediaPhoto, LinkPreviewOptions
from telegram.constants import ParseMode
from telegram.error import BadRequest, Forbidden, NetworkError, RetryAfter, TelegramError

from bot.delivery.limiter import Deferred
from bot.model import Kind, Outgoing, Taken
from bot.ops import SEND_LATENESS
from bot.retry import retry_after
from bot.store import Store

log = logging.getLogger(__name__)

CONCURRENCY = 64  # chats one sender sends to at once
MAX_WAIT = 5.0  # seconds a chat's next slot may be away before the chat is set aside
MAX_ATTEMPTS = 5
BACKOFF = 2.0  # seconds before the first retry, doubled each time
IDLE = 0.5  # seconds between looks for ready chats when there is nothing to do
RENEW_EVERY = 3.0  # seconds (a third of the lease)
NO_PREVIEW = LinkPreviewOptions(is_disabled=True)
# Telegram's 400s that mean the edit or delete already holds.
_ALREADY = ("message is not modified", "message to delete not found")


class Missing(Exception):  # noqa: N818 - a fact about the message, not a fault here
    """An edit or delete whose message is not known (never sent, or forgotten)."""


class Sender:
    """One process's sender; `run` until stopped, or `drain` what waits (tests, benchmarks)."""

    def __init__(self, store: Store, bot: Bot, concurrency: int = CONCURRENCY, backoff: float = BACKOFF) -> None:
        self._store = store
        self._bot = bot
        self._concurrency = concurrency
        self._backoff = backoff
        self._token = secrets.token_hex(8)
        self._chats: dict[int, asyncio.Task[None]] = {}
        self._lost: set[int] = set()
        self._stopping = False

    async def run(self, stop: asyncio.Event) -> None:
        """Send until `stop`; the chats in hand finish the message they are sending."""
        renewing = asyncio.create_task(self._renew_forever())
        try:
            while not stop.is_set():
                await self._step(stop)
        finally:
            renewing.cancel()
            await self._finish()

    async def drain(self) -> None:
        """Send until nothing is ready (what waits for a later time stays)."""
        renewing = asyncio.create_task(self._renew_forever())
        try:
            while await self._take() or self._chats:
                await asyncio.wait(list(self._chats.values()), return_when=asyncio.FIRST_COMPLETED)
                self._forget_done()
        finally:
            renewing.cancel()
            await self._finish()

    async def _step(self, stop: asyncio.Event) -> None:
        try:
            await self._take()
        except RedisError as exc:
            log.warning("delivery queues unavailable: %s", exc)
        waiting = [*self._chats.values(), asyncio.ensure_future(stop.wait())]
        try:
            await asyncio.wait(waiting, timeout=IDLE, return_when=asyncio.FIRST_COMPLETED)
        finally:
            waiting[-1].cancel()
        self._forget_done()

    async def _take(self) -> bool:
        free = self._concurrency - len(self._chats)
        if free <= 0:
            return True
        chats = await self._store.delivery.take_chats(self._token, free)
        for chat_id in chats:
            self._lost.discard(chat_id)
            self._chats[chat_id] = asyncio.create_task(self._chat(chat_id))
        return bool(chats)

    def _forget_done(self) -> None:
        for chat_id, task in list(self._chats.items()):
            if task.done():
                del self._chats[chat_id]
                if not task.cancelled() and (exc := task.exception()):
                    log.warning("sending to %s stopped: %s (its lease lapses, another sender goes on)", chat_id, exc)

    async def _finish(self) -> None:
        self._stopping = True
        if self._chats:
            _, late = await asyncio.wait(list(self._chats.values()), timeout=MAX_WAIT * 2)
            for task in late:
                task.cancel()
            await asyncio.wait(list(self._chats.values()))
        self._forget_done()

    async def _renew_forever(self) -> None:
        while True:
            await asyncio.sleep(RENEW_EVERY)
            with contextlib.suppress(RedisError):  # the leases lapse; next renews say which
                self._lost |= await self._store.delivery.renew(self._token, list(self._chats))

    # -- one chat ------------------------------------------------------------------------------

    async def _chat(self, chat_id: int) -> None:
        """Send the chat's messages in order while the lease is held; then give the chat back."""
        delivery = self._store.delivery
        while not self._stopping and chat_id not in self._lost:
            taken = await delivery.next(chat_id, self._token)
            if taken is False:
                return
            if taken is None:
                break
            if not await self._send(chat_id, taken):
                return
        await delivery.release(chat_id, self._token)

    async def _send(self, chat_id: int, taken: Taken) -> bool:
        """Send one message and record the outcome; False when the chat was set aside."""
        delivery = self._store.delivery
        message = taken.message
        try:
            message_id = await self._call(message)
        except Deferred as exc:
            await delivery.release(chat_id, self._token, taken, back=message, until=time.time() + exc.seconds)
            return False
        except RetryAfter as exc:
            await delivery.count("too_many")
            await delivery.release(chat_id, self._token, taken, back=message, until=time.time() + retry_after(exc))
            return False
        except Forbidden as exc:
            dropped = await delivery.drop(chat_id)
            log.info("chat %s refuses the bot (%s): %d message(s) dropped", chat_id, exc.message, dropped)
            await self._store.users.set_active(chat_id, False)
            return False
        except BadRequest as exc:
            if any(reason in exc.message.lower() for reason in _ALREADY):
                await delivery.sent(chat_id, taken, None)
            else:
                log.warning("message to %s refused by Telegram: %s", chat_id, exc.message)
                await delivery.failed(chat_id, taken, exc.message)
            return True
        except NetworkError as exc:  # 5xx, timeouts, connection errors
            if message.attempts + 1 >= MAX_ATTEMPTS:
                log.warning("message to %s failed %d times, last: %s", chat_id, MAX_ATTEMPTS, exc.message)
                await delivery.failed(chat_id, taken, exc.message)
                return True
            await delivery.count("retried")
            wait = self._backoff * 2**message.attempts
            await delivery.release(chat_id, self._token, taken, back=message.retried(), until=time.time() + wait)
            return False
        except (Missing, TelegramError) as exc:
            await delivery.failed(chat_id, taken, str(exc))
            return True
        await delivery.sent(chat_id, taken, message_id)
        SEND_LATENESS.observe(max(0.0, time.time() - message.queued_at))
        return True

    async def _call(self, message: Outgoing) -> int | None:
        """The Bot API call for the message; the id of the message it sent or changed."""
        bot, chat_id = self._bot, message.chat_id
        markup = InlineKeyboardMarkup.de_json(message.keyboard, bot) if message.keyboard else None
        if message.kind is Kind.TEXT:
            sent = await bot.send_message(
                chat_id, message.text, parse_mode=ParseMode.HTML, link_preview_options=NO_PREVIEW, reply_markup=markup
            )
            return sent.message_id
        if message.kind is Kind.PHOTO:
            return await self._photo(message, markup)
        target = await self._store.delivery.message_id(chat_id, message.purpose)
        if target is None:
            raise Missing(f"no message sent for {message.purpose!r} to {message.kind}")
        if message.kind is Kind.EDIT_PHOTO:
            photo, _ = await self._picture(message)
            media = InputMediaPhoto(photo, caption=message.text or None, parse_mode=ParseMode.HTML)
            await bot.edit_message_media(media, chat_id, target, reply_markup=markup)
        elif message.kind is Kind.EDIT:
            await bot.edit_message_text(
                message.text,
                chat_id,
                target,
                parse_mode=ParseMode.HTML,
                link_preview_options=NO_PREVIEW,
                reply_markup=markup,
            )
        else:
            await bot.delete_message(chat_id, target)
        return target

    async def _photo(self, message: Outgoing, markup: InlineKeyboardMarkup | None) -> int:
        photo, uploaded = await self._picture(message)
        sent = await self._bot.send_photo(
            message.chat_id, photo, caption=message.text or None, parse_mode=ParseMode.HTML, reply_markup=markup
        )
        if uploaded and sent.photo:
            await self._store.delivery.remember_file(message.photo, sent.photo[-1].file_id)
        return sent.message_id

    async def _picture(self, message: Outgoing) -> tuple[str | bytes, bool]:
        """What to send as the message's photo: a file id, or the bytes of a `blob:` not sent
        before (True: its file id is worth remembering)."""
        if not message.photo.startswith("blob:"):
            return message.photo, False
        data, known = await self._store.delivery.blob(message.photo)
        if known:
            return known, False
        if data is None:
            raise Missing("the picture to send is no longer kept")
        return data, True
