"""Receiving updates without losing any.

PTB's Updater confirms polled updates as soon as they are queued, and its webhook server answers
200 before handling: a crash loses what was in flight. Here an update is confirmed to Telegram
only once handled: long polling sends the next offset after the batch is done, and the webhook
answers after `process_update` returns (a crash means Telegram sends it again). Updates of one
chat are handled in order; different chats in parallel.
"""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import logging
from collections import defaultdict
from datetime import timedelta
from urllib.parse import urlsplit

from aiohttp import web
from telegram import Update
from telegram.error import Conflict, NetworkError, RetryAfter
from telegram.ext import Application

from bot.config import Settings

log = logging.getLogger(__name__)

ALLOWED_UPDATES = [Update.MESSAGE, Update.CALLBACK_QUERY]
POLL_TIMEOUT = 30
MAX_BACKOFF = 60.0
MAX_UPDATE_BYTES = 1024 * 1024
SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"


async def handle_batch(application: Application, updates: list[Update]) -> None:
    """Each chat's updates in order, chats concurrently."""
    by_chat: dict[int | None, list[Update]] = defaultdict(list)
    for update in updates:
        by_chat[update.effective_chat.id if update.effective_chat else None].append(update)

    async def one_chat(chat_updates: list[Update]) -> None:
        for update in chat_updates:
            await application.process_update(update)

    await asyncio.gather(*(one_chat(u) for u in by_chat.values()))


def _seconds(value: int | float | timedelta) -> float:
    return value.total_seconds() if isinstance(value, timedelta) else float(value)


async def _pause(stop: asyncio.Event, seconds: float) -> None:
    """Sleep, unless asked to stop first."""
    try:
        await asyncio.wait_for(stop.wait(), timeout=seconds)
    except TimeoutError:
        pass


async def poll(application: Application, stop: asyncio.Event) -> None:
    """Long polling until `stop`; each batch is confirmed once handled."""
    bot = application.bot
    await bot.delete_webhook(drop_pending_updates=False)
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
            fetch.cancel()  # not confirmed: fetched again at the next start
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
            await handle_batch(application, updates)
            offset = updates[-1].update_id + 1
    if offset is not None:  # confirm the last handled batch
        try:
            await bot.get_updates(offset=offset, timeout=0, allowed_updates=ALLOWED_UPDATES)
        except NetworkError as exc:
            log.warning("could not confirm the last updates (%s): they may be handled again", exc)


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
