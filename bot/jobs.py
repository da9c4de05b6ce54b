"""The workers' job queue (arq, in Redis), for the worker and for whoever hands it work."""

from __future__ import annotations

import time
from datetime import UTC, datetime

from arq.connections import ArqRedis
from arq.constants import abort_jobs_ss

from bot.services import Services

QUEUE = "vigie:queue"


def job_queue(services: Services) -> ArqRedis:
    """A client of the workers' job queue, on the services' Redis: `enqueue_job` adds to it."""
    pool = services.store.client(ArqRedis)
    pool.default_queue_name = QUEUE
    return pool


async def enqueue_at(services: Services, function: str, at: float, job_id: str, *args: object) -> None:
    """Run `function(*args)` at `at` (unix time), once: a job with that id already queued stays."""
    pool = job_queue(services)
    try:
        await pool.enqueue_job(function, *args, _job_id=job_id, _defer_until=datetime.fromtimestamp(at, UTC))
    finally:
        await pool.aclose()


async def abort(services: Services, job_id: str) -> None:
    """Ask the workers not to run that job (or to stop it): arq's abort, without waiting."""
    pool = job_queue(services)
    try:
        await pool.zadd(abort_jobs_ss, {job_id: int(time.time() * 1000)})
    finally:
        await pool.aclose()
