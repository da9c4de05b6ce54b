"""The arq worker: cron jobs and job functions. Every job is idempotent (arq runs at least once)."""

from __future__ import annotations

from typing import Any

from arq import cron
from arq.connections import RedisSettings, create_pool
from arq.worker import Worker

from bot.services import Services

QUEUE = "vigie:queue"


async def heartbeat(ctx: dict[str, Any]) -> None:
    """Record that a worker is alive (shown by `check`)."""
    services: Services = ctx["services"]
    await services.store.system.beat()


class WorkerSettings:
    """What the worker runs; `cron(..., unique=True)` makes N workers run each tick once."""

    functions: list = []
    cron_jobs = [cron(heartbeat, name="heartbeat", second=0, run_at_startup=True, unique=True)]
    queue_name = QUEUE
    health_check_key = "vigie:worker:health"


async def create_worker(services: Services) -> Worker:
    """A worker on the services' Redis, sharing the services with its jobs."""
    pool = await create_pool(RedisSettings.from_dsn(services.redis_url), default_queue_name=QUEUE)
    return Worker(
        functions=WorkerSettings.functions,
        cron_jobs=WorkerSettings.cron_jobs,
        queue_name=WorkerSettings.queue_name,
        health_check_key=WorkerSettings.health_check_key,
        redis_pool=pool,
        ctx={"services": services},
        handle_signals=False,
    )
