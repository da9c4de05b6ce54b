"""Long-running modes: the bot (polling or webhook), the worker, or both in one process.

Each mode keeps running through outages: it waits for Redis at start and whenever Redis goes
away, retries Telegram with backoff, and starts the arq worker again after it failed. What
stops it is a configuration error (a refused token, refused Redis credentials, a port already
taken): the CLI reports it in one line.
"""

from __future__ import annotations

import asyncio
import contextlib
import faulthandler
import io
import logging
import os
import signal
import threading
import time
from collections.abc import Coroutine
from typing import Any

from arq.worker import Worker
from telegram.ext import Application
from telegram.request import BaseRequest

from bot.app import build_application, register_commands
from bot.delivery.sender import Sender
from bot.ops import serve_ops
from bot.outage import is_outage
from bot.receive import poll_when_leading
from bot.retry import MAX_DELAY, STOP_GRACE, Backoff, until_done
from bot.services import Services
from bot.status import beat_while_running
from bot.webhook import serve_webhook
from bot.worker import create_bot, create_worker

log = logging.getLogger(__name__)

CANCEL_AGAIN = 0.1  # seconds between cancels of an arq worker's poll loop that goes on
STOP_BOUND = 45.0  # seconds a stop may take: past it, a part that still runs hangs, and is cancelled
EXIT_BOUND = 90.0  # seconds after a stop signal when the process exits whatever still runs


def _stop_on_signals() -> asyncio.Event:
    """Set on SIGINT or SIGTERM, which also start the process's last resort: if it has not
    ended EXIT_BOUND seconds later (a task that swallowed its cancel keeps asyncio.run from
    returning), it logs where each thread is and exits."""
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()

    def stopping() -> None:
        if not stop.is_set():
            last_resort = threading.Timer(EXIT_BOUND, _exit_now)
            last_resort.daemon = True  # a process that ends in time does not wait for it
            last_resort.start()
        stop.set()

    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stopping)
    return stop


def _exit_now() -> None:
    log.error("still stopping after %.0f s: exiting now; the threads were at:", EXIT_BOUND)
    logging.shutdown()
    faulthandler.dump_traceback(all_threads=True)
    os._exit(0)  # what was asked: a stop (what it left is idempotent or expires in Redis)


async def _run_worker(worker: Worker, stop: asyncio.Event) -> None:
    """Run one arq worker until `stop`; if it dies first, raise why. Its jobs are cancelled on
    the way out (arq runs them again: every job is idempotent); a job that does not end within
    STOP_GRACE (arq finishes a cancelled job in Redis, which may hang) is left behind.

    Python 3.11's asyncio.wait_for, which redis-py times its socket writes with, can swallow a
    cancel that comes as the write ends: arq's poll loop then goes on polling. It has nothing to
    finish, so it is cancelled again until it ends."""
    running = asyncio.create_task(worker.async_run())
    stopping = asyncio.create_task(stop.wait())
    try:
        await asyncio.wait({running, stopping}, return_when=asyncio.FIRST_COMPLETED)
    finally:
        stopping.cancel()
        tasks = [running, *worker.tasks.values()]
        for task in tasks:
            task.cancel()
        loop = asyncio.get_running_loop()
        deadline = loop.time() + STOP_GRACE
        while not running.done() and loop.time() < deadline:
            await asyncio.wait({running}, timeout=CANCEL_AGAIN)
            running.cancel()
        started = [task for task in worker.tasks.values() if task not in tasks]  # by the loop meanwhile
        for task in started:
            task.cancel()
        tasks += started
        _, late = await asyncio.wait(tasks, timeout=max(0.0, deadline - loop.time()))
        for task in late:  # arq shields a cancelled job's bookkeeping: a second cancel leaves it behind
            task.cancel()
        for cleanup in (worker.pool.delete(worker.health_check_key), worker.pool.aclose()):
            with contextlib.suppress(Exception):  # Redis may be down: the health key expires
                await asyncio.wait_for(cleanup, STOP_GRACE)
    if not stop.is_set() and not running.cancelled():
        running.result()


async def _bound_stop(stop: asyncio.Event, parts: list[asyncio.Task[None]]) -> None:
    """Once `stop` is set, give the parts STOP_BOUND seconds to end; then log where each one
    still running waits, and cancel it: a stop never hangs on a part that forgot its bound."""
    await stop.wait()
    _, late = await asyncio.wait(parts, timeout=STOP_BOUND)
    for task in late:
        where = io.StringIO()
        task.print_stack(file=where)
        log.error("%s did not stop within %.0f s, cancelled:\n%s", task.get_name(), STOP_BOUND, where.getvalue())
        task.cancel()


async def _send(services: Services, stop: asyncio.Event, request: BaseRequest | None) -> None:
    """The delivery sender until `stop` (it waits out Redis outages itself)."""
    bot = create_bot(services, request)
    if bot is None:
        return
    try:
        await Sender(services.store, bot).run(stop)
    finally:
        await bot.shutdown()


async def _work(services: Services, stop: asyncio.Event) -> None:
    """The arq worker until `stop`, started again after a Redis outage or a crash."""
    backoff = Backoff()
    while not stop.is_set():
        started = time.monotonic()
        try:
            await _run_worker(create_worker(services), stop)
        except Exception as exc:  # noqa: BLE001 - the worker must come back
            if time.monotonic() - started > MAX_DELAY:
                backoff.reset()  # it had been running fine
            if is_outage(exc):
                services.health.failed(exc)
                await services.health.recovered(stop)
                continue
            log.exception("the worker stopped; starting it again in %.0f s", backoff.delay)
            await backoff.wait(stop)


async def _start_bot(application: Application, services: Services, stop: asyncio.Event) -> bool:
    """Reach Telegram (retried), register the command menu; False if stopped first."""
    if not await until_done("reaching Telegram", application.initialize, stop):
        return False
    await register_commands(application)
    if not services.settings.webhook_url:
        return await until_done(
            "removing the webhook", lambda: application.bot.delete_webhook(drop_pending_updates=False), stop
        )
    return True


async def run(
    services: Services,
    token: str,
    *,
    bot: bool = True,
    worker: bool = True,
    stop: asyncio.Event | None = None,
    request: BaseRequest | None = None,
) -> None:
    """Run the bot, the worker, or both, until `stop` is set (by default: SIGINT/SIGTERM). The
    worker's messages go to Telegram, or to `request` when given (the console's)."""
    stop = stop or _stop_on_signals()
    if not await services.health.recovered(stop):
        return
    parts: list[Coroutine[Any, Any, None]] = []
    async with contextlib.AsyncExitStack() as stack:
        if bot:
            application = build_application(services, token=token)
            stack.push_async_callback(application.shutdown)
            if not await _start_bot(application, services, stop):
                return
            if services.settings.webhook_url:
                parts.append(serve_webhook(application, services, stop))
            else:
                parts.append(poll_when_leading(application, services, stop))
                if not worker:  # serve: /healthz and /metrics on PORT, as with a webhook
                    parts.append(serve_ops(services, services.settings.port, stop))
            log.info("bot @%s is up", application.bot.username)
        if worker:
            parts += [_work(services, stop), _send(services, stop, request)]
            log.info("worker is up")
        if worker and services.settings.metrics_port:  # run, worker
            parts.append(serve_ops(services, services.settings.metrics_port, stop))
        mode = "+".join(name for name, on in (("bot", bot), ("worker", worker)) if on)
        parts.append(beat_while_running(services.store, mode, stop))
        bound: asyncio.Task[None] | None = None
        try:
            async with asyncio.TaskGroup() as group:
                tasks = [group.create_task(part, name=getattr(part, "__qualname__", None)) for part in parts]
                bound = asyncio.create_task(_bound_stop(stop, tasks))
        finally:
            stop.set()
            if bound:
                bound.cancel()
    log.info("stopped")
