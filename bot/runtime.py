"""Long-running modes: the bot (polling or webhook), the worker, or both in one process."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import signal
from urllib.parse import urlsplit

from telegram import Update
from telegram.ext import Application

from bot.app import build_application, register_commands
from bot.services import Services
from bot.worker import create_worker

log = logging.getLogger(__name__)

ALLOWED_UPDATES = [Update.MESSAGE, Update.CALLBACK_QUERY]


def _stop_on_signals() -> asyncio.Event:
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)
    return stop


async def _receive_updates(application: Application, services: Services) -> None:
    settings = services.settings
    if settings.webhook_url:
        await application.updater.start_webhook(
            listen="0.0.0.0",
            port=settings.port,
            url_path=urlsplit(settings.webhook_url).path.lstrip("/"),
            webhook_url=settings.webhook_url,
            secret_token=settings.webhook_secret.get_secret_value() if settings.webhook_secret else None,
            allowed_updates=ALLOWED_UPDATES,
        )
        log.info("receiving updates by webhook on port %s", settings.port)
    else:
        await application.updater.start_polling(allowed_updates=ALLOWED_UPDATES)
        log.info("receiving updates by long polling")


async def run(
    services: Services, token: str, *, bot: bool = True, worker: bool = True, stop: asyncio.Event | None = None
) -> None:
    """Run the bot, the worker, or both, until `stop` is set (by default: SIGINT/SIGTERM)."""
    stop = stop or _stop_on_signals()
    async with contextlib.AsyncExitStack() as stack:
        waiters = [asyncio.create_task(stop.wait())]
        if bot:
            application = build_application(services, token=token)
            await stack.enter_async_context(application)
            await register_commands(application)
            await application.start()
            stack.push_async_callback(application.stop)
            await _receive_updates(application, services)
            stack.push_async_callback(application.updater.stop)
            log.info("bot @%s is up", application.bot.username)
        if worker:
            arq_worker = await create_worker(services)
            waiters.append(asyncio.create_task(arq_worker.async_run()))
            stack.push_async_callback(arq_worker.close)
            log.info("worker is up")
        done, pending = await asyncio.wait(waiters, return_when=asyncio.FIRST_COMPLETED)
        for task in pending:
            task.cancel()
        for task in done:
            if not task.cancelled() and task.exception():
                raise task.exception()
    log.info("stopped")
