"""The webhook: Telegram posts updates, Vigie answers only once each is handled.

PTB's webhook server answers 200 before handling and compares the secret with `!=`. Here the
secret is compared in constant time, bodies that are not an update get 400, an update already
handled gets 200 without being handled again, and during a Redis outage the answer is 503 so
that Telegram sends the update again later (the member hears once that Vigie is back soon). An
update handled whose record could not be written gets 200: Telegram must not send it again.
`GET /healthz` and `GET /metrics` are served beside it (bot.ops).
"""

from __future__ import annotations

import asyncio
import hmac
import json
import logging
from urllib.parse import urlsplit

from aiohttp import web
from telegram import Update
from telegram.ext import Application

from bot.ops import add_routes
from bot.outage import is_outage
from bot.receive import ALLOWED_UPDATES, process_once
from bot.retry import STOP_GRACE, until_done
from bot.services import Services

log = logging.getLogger(__name__)

MAX_UPDATE_BYTES = 1024 * 1024
SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"


def _parse_update(body: bytes, application: Application) -> Update | None:
    """The update in a webhook body, or None when it is not one."""
    try:
        data = json.loads(body)
        if not isinstance(data, dict) or not isinstance(data.get("update_id"), int):
            return None
        return Update.de_json(data, application.bot)
    except (ValueError, TypeError, KeyError, AttributeError):
        return None


def webhook_app(application: Application, services: Services, path: str, secret: str) -> web.Application:
    """The aiohttp app Telegram posts updates to (plus `GET /healthz` and `GET /metrics`)."""
    store, health = services.store, services.health
    expected = secret.encode()

    async def receive(request: web.Request) -> web.Response:
        given = request.headers.get(SECRET_HEADER, "").encode("utf-8", "surrogateescape")
        if not hmac.compare_digest(given, expected):
            log.warning("webhook call without the right secret token from %s", request.remote)
            return web.Response(status=403)
        update = _parse_update(await request.read(), application)
        if update is None:
            return web.Response(status=400)
        try:
            if not await process_once(application, store, health, update):
                return web.Response(status=503)  # cut short by an outage: Telegram sends it again
        except Exception as exc:
            if not is_outage(exc):
                raise
            health.failed(exc)
            await health.tell(application.bot, update)
            return web.Response(status=503)
        try:
            await store.updates.done(update.update_id)
        except Exception as exc:
            if not is_outage(exc):
                raise
            health.failed(exc)  # handled: only the record is missing
        else:
            health.wrote()
        return web.Response(status=200)

    app = web.Application(client_max_size=MAX_UPDATE_BYTES)
    app.router.add_post(path, receive)
    add_routes(app, services)
    return app


async def serve_webhook(application: Application, services: Services, stop: asyncio.Event) -> None:
    """Serve the webhook on `PORT` until `stop`; registers it with Telegram (retried) first."""
    settings = services.settings
    assert settings.webhook_url
    secret = settings.webhook_token
    path = urlsplit(settings.webhook_url).path or "/"
    runner = web.AppRunner(
        webhook_app(application, services, path, secret), access_log=None, shutdown_timeout=STOP_GRACE
    )
    await runner.setup()
    try:
        await web.TCPSite(runner, "0.0.0.0", settings.port).start()

        async def register() -> None:
            await application.bot.set_webhook(
                settings.webhook_url, secret_token=secret, allowed_updates=ALLOWED_UPDATES
            )

        if await until_done("registering the webhook", register, stop):
            log.info("receiving updates by webhook on port %s", settings.port)
            await stop.wait()
    finally:
        await runner.cleanup()
