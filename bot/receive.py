"""Receiving updates without losing any, and without one slow chat holding up the others.

PTB's Updater confirms polled updates as soon as they are queued, and its webhook server answers
200 before handling: a crash loses what was in flight. Here, long polling writes each fetched
update to Redis before confirming it to Telegram and deletes it once handled; a restart replays
what is left. Each chat's updates are handled in order by its own task, chats in parallel, so a
slow command (a feed that takes 30 s to answer) delays only its own chat. The webhook answers
Telegram after `process_update` returns (a crash means Telegram sends the update again).
"""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import logging
from datetime import timedelta
from urllib.parse import urlsplit

from aiohttp import web
from telegram import Update
from telegram.error import Conflict, NetworkError, RetryAfter
from telegram.ext import Application

from bot.config import Settings
from bot.store.updates import PendingUpdates

log = logging.getLogger(__name__)

ALLOWED_UPDATES = [Update.MESSAGE, Update.CALLBACK_QUERY]
POLL_TIMEOUT = 30
MAX_BACKOFF = 60.0
MAX_UPDATE_BYTES = 1024 * 1024
SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"


class ChatDispatcher:
    """Handles each chat's updates in order, chats concurrently; forgets an update once handled."""

    def __init__(self, application: Application, pending: PendingUpdates) -> None:
        self._application = application
        self._pending = pending
        self._queues: dict[int | None, asyncio.Queue[Update]] = {}
        self._tasks: set[asyncio.Task] = set()

    def submit(self, update: Update) -> None:
        chat = update.effective_chat.id if update.effective_chat else None
        queue = self._queues.get(chat)
        if queue is None:
            queue = self._queues[chat] = asyncio.Queue()
            task = asyncio.create_task(self._run(chat, queue))
            self._tasks.add(task)
            task.add_done_callback(self._tasks.discard)
        queue.put_nowait(update)

    async def _run(self, chat: int | None, queue: asyncio.Queue[Update]) -> None:
        while not queue.empty():
            update = queue.get_nowait()
            await self._application.process_update(update)  # errors go to the error handler
            await self._pending.done(update.update_id)
        del self._queues[chat]

    async def drain(self) -> None:
        """Wait for every update submitted so far."""
        while self._tasks:
            await asyncio.gather(*list(self._tasks), return_exceptions=True)


def _seconds(value: int | float | timedelta) -> float:
    return value.total_seconds() if isinstance(value, timedelta) else float(value)


async def _pause(stop: asyncio.Event, seconds: float) -> None:
    """Sleep, unless asked to stop first."""
    try:
        await asyncio.wait_for(stop.wait(), timeout=seconds)
    except TimeoutError:
        pass


async def poll(application: Application, pending: PendingUpdates, stop: asyncio.Event) -> None:
    """Long polling until `stop`: replay what a crash left, then fetch, persist, confirm, handle."""
    bot = application.bot
    await bot.delete_webhook(drop_pending_updates=False)
    dispatcher = ChatDispatcher(application, pending)
    for data in await pending.all():
        dispatcher.submit(Update.de_json(data, bot))
    offset: int | None = None
    backoff = 1.0
    log.info("receiving updates by long polling")
    while not stop.is_set():
        fetch = asyncio.ensure_future(
            bot.get_updates(offset=offset, timeout=POLL_TIMEOUT, allowed_updates=ALLOWED_UPDATES)
        )
        stopping = asyncio.ensure_future(stop.wait())
        await asyncio.wait({fetch, stopping}, return_when=asyncio.FIRST_COMPLETED)
        stopping.cancel()
        if not fetch.done():
            fetch.cancel()  # nothing fetched: nothing to lose
            break
        try:
            updates = list(fetch.result())
        except RetryAfter as exc:
            await _pause(stop, _seconds(exc.retry_after))
            continue
        except (NetworkError, Conflict) as exc:  # an outage, or another instance polling
            log.warning("getUpdates failed (%s); retrying in %.0f s", exc, backoff)
            await _pause(stop, backoff)
            backoff = min(backoff * 2, MAX_BACKOFF)
            continue
        backoff = 1.0
        if updates:
            await pending.add({u.update_id: u.to_dict() for u in updates})  # before Telegram forgets them
            for update in updates:
                dispatcher.submit(update)
            offset = updates[-1].update_id + 1
    if offset is not None:  # confirm the last batch: it is in Redis
        try:
            await bot.get_updates(offset=offset, timeout=0, allowed_updates=ALLOWED_UPDATES)
        except NetworkError as exc:
            log.warning("could not confirm the last updates (%s): Telegram will send them again", exc)
    await dispatcher.drain()


def webhook_secret(settings: Settings) -> str:
    """`WEBHOOK_SECRET`, or one derived from the bot token (the same on every replica)."""
    if settings.webhook_secret:
        return settings.webhook_secret.get_secret_value()
    return hmac.new((settings.bot_token or "").encode(), b"vigie-webhook", hashlib.sha256).hexdigest()


def webhook_app(application: Application, path: str, secret: str) -> web.Application:
    """The aiohttp app Telegram posts updates to (plus `GET /healthz`)."""

    async def receive(request: web.Request) -> web.Response:
        given = request.headers.get(SECRET_HEADER, "")
        if not hmac.compare_digest(given.encode(), secret.encode()):
            log.warning("webhook call without the right secret token from %s", request.remote)
            return web.Response(status=403)
        try:
            update = Update.de_json(await request.json(), application.bot)
        except (ValueError, TypeError, KeyError):
            return web.Response(status=400)
        if update is None:
            return web.Response(status=400)
        await application.process_update(update)
        return web.Response(status=200)

    async def health(request: web.Request) -> web.Response:
        return web.Response(text="ok")

    app = web.Application(client_max_size=MAX_UPDATE_BYTES)
    app.router.add_post(path, receive)
    app.router.add_get("/healthz", health)
    return app


async def serve_webhook(application: Application, settings: Settings, stop: asyncio.Event) -> None:
    """Serve the webhook on `PORT` until `stop`; registers it with Telegram first."""
    assert settings.webhook_url
    secret = webhook_secret(settings)
    path = urlsplit(settings.webhook_url).path or "/"
    runner = web.AppRunner(webhook_app(application, path, secret), access_log=None)
    await runner.setup()
    try:
        await web.TCPSite(runner, "0.0.0.0", settings.port).start()
        await application.bot.set_webhook(
            settings.webhook_url, secret_token=secret, allowed_updates=ALLOWED_UPDATES
        )
        log.info("receiving updates by webhook on port %s", settings.port)
        await stop.wait()
    finally:
        await runner.cleanup()
