"""The arq worker: cron jobs and job functions. Every job is idempotent (arq runs at least once)."""

from __future__ import annotations

import logging
from typing import Any

from arq import cron, func
from arq.worker import Worker
from telegram import Bot
from telegram.request import BaseRequest

from bot import publishing
from bot.delivery.fitting import FittingBot
from bot.delivery.limiter import SharedRateLimiter
from bot.delivery.sender import MAX_WAIT
from bot.ingest import CYCLE_TIMEOUT, Ingest
from bot.jobs import QUEUE, job_queue
from bot.morning import JOB, JOB_TIMEOUT, plan_due, send_briefing
from bot.ops import INGEST_DURATION
from bot.services import Services

log = logging.getLogger(__name__)

LOCAL_TOKEN = "0:local"  # a Bot on a local request backend has no real token


async def heartbeat(ctx: dict[str, Any]) -> None:
    """Record that a worker is alive (shown by `check`)."""
    services: Services = ctx["services"]
    await services.store.system.beat()


async def ingest(ctx: dict[str, Any]) -> None:
    """Fetch every source that is due (see bot.ingest); a no-op when nothing is due."""
    with INGEST_DURATION.time():
        report = await Ingest(ctx["services"]).cycle()
    if report and report.did_work():
        log.info("ingest: %s", report)


async def briefings(ctx: dict[str, Any]) -> None:
    """Plan the briefings that are due: one `briefing` job each (see bot.morning)."""
    planned = await plan_due(ctx["services"], ctx["redis"])
    if planned:
        log.info("%d briefing(s) planned", planned)


async def publish(ctx: dict[str, Any], draft_id: str) -> None:
    """Send a post whose cooling-off is over, exactly once (see bot.publishing)."""
    await publishing.send(ctx["services"], draft_id)


async def posts(ctx: dict[str, Any]) -> None:
    """Posts due (a lost job, a dead sender), countdowns, expired drafts (see bot.publishing)."""
    await publishing.sweep(ctx["services"])


async def briefing(ctx: dict[str, Any], user_id: int, due: float) -> None:
    """Send one user's briefing that was due at `due` (see bot.morning)."""
    await send_briefing(ctx["services"], user_id, due)


class WorkerSettings:
    """What the worker runs; `cron(..., unique=True)` makes N workers run each tick once."""

    functions = [
        func(briefing, name=JOB, timeout=JOB_TIMEOUT),
        func(publish, name=publishing.JOB, timeout=publishing.JOB_TIMEOUT, max_tries=1),
    ]
    cron_jobs = [
        cron(heartbeat, name="heartbeat", second=0, run_at_startup=True, unique=True),
        cron(ingest, name="ingest", second={0, 30}, run_at_startup=True, unique=True, timeout=CYCLE_TIMEOUT),
        cron(posts, name="posts", second=set(range(0, 60, 10)), unique=True, timeout=publishing.JOB_TIMEOUT),
        cron(
            briefings, name="briefings", second=0, run_at_startup=True, unique=True, timeout=60
        ),  # on the minute: 07:30 is 07:30
    ]
    queue_name = QUEUE
    health_check_key = "vigie:worker:health"
    keep_result = 0  # nothing reads results; a failed job's id is free for the next tick at once
    # arq takes new jobs every poll (0.5 s) up to max_jobs running: 10 (its default) would cap a
    # process at 20 briefings a second; they wait their turn to compose (bot.pool.COMPOSING) instead
    max_jobs = 100


def create_bot(services: Services, request: BaseRequest | None = None) -> Bot | None:
    """The Bot the sender sends with, paced by the shared budget (a 429 or a long wait is the
    sender's to handle: it sets the chat aside); None without a token. With `request` (the
    console's, which answers the Bot API itself) a Bot on it, unpaced: nothing reaches Telegram."""
    settings = services.settings
    if request is not None:
        return FittingBot(LOCAL_TOKEN, request=request, get_updates_request=request)
    if not settings.bot_token:
        return None
    limiter = SharedRateLimiter(services.store, settings.telegram_rate, retries=0, max_wait=MAX_WAIT)
    return FittingBot(settings.bot_token, base_url=f"{settings.telegram_api_url}/bot", rate_limiter=limiter)


def create_worker(services: Services) -> Worker:
    """A worker on the services' Redis, sharing the services with its jobs."""
    pool = job_queue(services)
    ctx: dict[str, Any] = {"services": services}
    return Worker(
        functions=WorkerSettings.functions,
        cron_jobs=WorkerSettings.cron_jobs,
        queue_name=WorkerSettings.queue_name,
        health_check_key=WorkerSettings.health_check_key,
        keep_result=WorkerSettings.keep_result,
        max_jobs=WorkerSettings.max_jobs,
        allow_abort_jobs=True,  # Undo aborts a post's deferred job
        redis_pool=pool,
        ctx=ctx,
        handle_signals=False,
    )
