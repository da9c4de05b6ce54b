"""Long-running modes: the bot (polling or webhook), the worker, or both in one process."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import signal
from collections.abc import Coroutine
from typing import Any

from arq.worker import Worker

from bot.app import build_application, register_commands
from bot.receive import poll, serve_webhook
from bot.services import Services
from bot.worker import create_worker

log = logging.getLogger(__name__)


def _stop_on_signals() -> asyncio.Event:
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)
    return stop


async def _work(worker: Worker, stop: asyncio.Event) -> None:
    """Run the arq worker until `stop`; if it dies first, raise why."""
    running = asyncio.create_task(worker.async_run())
    stopping = asyncio.create_task(stop.wait())
    await asyncio.wait({running, stopping}, return_when=asyncio.FIRST_COMPLETED)
    stopping.cancel()
    if running.done():
        running.result()
        return
    await worker.close()
    with contextlib.suppress(asyncio.CancelledError):
        await running


async def run(
    services: Services, token: str, *, bot: bool = True, worker: bool = True, stop: asyncio.Event | None = None
) -> None:
    """Run the bot, the worker, or both, until `stop` is set (by default: SIGINT/SIGTERM)."""
    stop = stop or _stop_on_signals()
    parts: list[Coroutine[Any, Any, None]] = []
    async with contextlib.AsyncExitStack() as stack:
        if bot:
            application = build_application(services, token=token)
            await stack.enter_async_context(application)
            await register_commands(application)
            settings = services.settings
            if settings.webhook_url:
                parts.append(serve_webhook(application, settings, stop))
            else:
                parts.append(poll(application, services.store.pending_updates, stop))
            log.info("bot @%s is up", application.bot.username)
        if worker:
            parts.append(_work(await create_worker(services), stop))
            log.info("worker is up")
        try:
            async with asyncio.TaskGroup() as group:
                for part in parts:
                    group.create_task(part)
        finally:
            stop.set()
    log.info("stopped")
