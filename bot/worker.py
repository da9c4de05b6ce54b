"""The arq worker: cron jobs and job functions. Every job is idempotent (arq runs at least once)."""

from __future__ import annotations

import logging
from typing import Any

from arq import cron
from arq.connections import ArqRedis
from arq.worker import Worker
from telegram import Bot

from bot.delivery import RUN_TIMEOUT as DELIVERY_TIMEOUT
from bot.delivery import deliver
from bot.ingest import CYCLE_TIMEOUT, Ingest
from bot.morning import send_due
from bot.services import Services

log = logging.getLogger(__name__)

QUEUE = "vigie:queue"


async def heartbeat(ctx: dict[str, Any]) -> None:
    """Record that a worker is alive (shown by `check`)."""
    services: Services = ctx["services"]
    await services.store.system.beat()


async def ingest(ctx: dict[str, Any]) -> None:
    """Fetch every source that is due (see bot.ingest); a no-op when nothing is due."""
    report = await Ingest(ctx["services"]).cycle()
    if report and report.did_work():
        log.info("ingest: %s", report)


async def briefings(ctx: dict[str, Any]) -> None:
    """Queue the briefings that are due (each user's local time; exactly once)."""
    queued = await send_due(ctx["services"])
    if queued:
        log.info("%d briefing(s) queued", queued)


async def send_outbox(ctx: dict[str, Any]) -> None:
    """Send what waits in the outbox (notices, alerts, briefings)."""
    bot: Bot | None = ctx.get("bot")
    if bot is not None:
        await deliver(ctx["services"].store, bot)


class WorkerSettings:
    """What the worker runs; `cron(..., unique=True)` makes N workers run each tick once."""

    functions: list = []
    cron_jobs = [
        cron(heartbeat, name="heartbeat", second=0, run_at_startup=True, unique=True),
        cron(ingest, name="ingest", second=30, run_at_startup=True, unique=True, timeout=CYCLE_TIMEOUT),
        cron(briefings, name="briefings", second=10, run_at_startup=True, unique=True, timeout=600),
        cron(send_outbox, name="send_outbox", second=set(range(0, 60, 5)), unique=True, timeout=DELIVERY_TIMEOUT),
    ]
    queue_name = QUEUE
    health_check_key = "vigie:worker:health"


def create_bot(services: Services) -> Bot | None:
    """The Bot the jobs send with; None without a token (console): nothing is sent."""
    settings = services.settings
    return Bot(settings.bot_token, base_url=f"{settings.telegram_api_url}/bot") if settings.bot_token else None


def create_worker(services: Services, bot: Bot | None) -> Worker:
    """A worker on the services' Redis, sharing the services and `bot` with its jobs."""
    pool = services.store.client(ArqRedis)
    ctx: dict[str, Any] = {"services": services, "bot": bot}
    return Worker(
        functions=WorkerSettings.functions,
        cron_jobs=WorkerSettings.cron_jobs,
        queue_name=WorkerSettings.queue_name,
        health_check_key=WorkerSettings.health_check_key,
        redis_pool=pool,
        ctx=ctx,
        handle_signals=False,
    )
