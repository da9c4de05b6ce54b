"""The operations endpoints: `GET /healthz` (Redis takes writes and a worker beat lately) and
`GET /metrics` (Prometheus text format, written by prometheus-client).

`serve` answers them on PORT (beside the webhook, or alone in polling mode); `run` and `worker`
on METRICS_PORT when it is set. /metrics reads the shared figures from Redis at each scrape
(queues, what was sent, failed and refused, feeds, X spend, processes), so any process shows the
same ones, and adds this process's own: send lateness and ingest durations.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Iterator

from aiohttp import web
from prometheus_client import REGISTRY, CollectorRegistry, Histogram, generate_latest
from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily, Metric
from prometheus_client.exposition import CONTENT_TYPE_LATEST

from bot.model import Status
from bot.retry import STOP_GRACE
from bot.services import Services
from bot.status import snapshot

HEARTBEAT_STALE = 150  # the worker beats every minute

SEND_LATENESS = Histogram(
    "vigie_send_lateness_seconds",
    "From queued to taken by Telegram, for messages this process sent",
    buckets=(0.5, 1, 2, 5, 10, 30, 60, 120, 300, 900),
)
INGEST_DURATION = Histogram(
    "vigie_ingest_cycle_seconds", "Duration of the ingest cycles this process ran", buckets=(1, 2, 5, 10, 30, 60, 120)
)


class _StatusCollector:
    """The shared figures of one snapshot as metric families."""

    def __init__(self, status: Status) -> None:
        self._status = status

    def collect(self) -> Iterator[Metric]:
        status = self._status
        messages = CounterMetricFamily("vigie_messages", "Messages by outcome, since the start", labels=["outcome"])
        for outcome, count in sorted(status.delivery_totals.items()):
            messages.add_metric([outcome], count)
        yield messages
        depth = GaugeMetricFamily("vigie_queue_depth", "Messages waiting to be sent", labels=["priority"])
        for priority, count in status.backlog.depth.items():
            depth.add_metric([priority.name.lower()], count)
        yield depth
        oldest = status.at - status.backlog.oldest if status.backlog.oldest else 0
        yield GaugeMetricFamily("vigie_queue_oldest_seconds", "Age of the oldest message first in line", value=oldest)
        feeds = GaugeMetricFamily("vigie_feeds", "Feeds by state", labels=["state"])
        paused = sum(1 for feed in status.feeds if feed.paused)
        failing = len(status.failing_feeds) - paused
        for state, count in (("ok", len(status.feeds) - failing - paused), ("failing", failing), ("paused", paused)):
            feeds.add_metric([state], count)
        yield feeds
        reads = GaugeMetricFamily("vigie_x_reads", "X reads (billed units) by kind", labels=["kind", "period"])
        cost = GaugeMetricFamily("vigie_x_cost_usd", "Estimated X spend", labels=["period"])
        for period, costs in (("day", status.x_today), ("month", status.x_month)):
            for key, count in sorted(costs.items()):
                if key.endswith(":count"):
                    reads.add_metric([key.removesuffix(":count"), period], count)
            cost.add_metric([period], costs.get("total:micro_usd", 0) / 1e6)
        yield reads
        yield cost
        processes = GaugeMetricFamily("vigie_processes", "Processes seen alive lately", labels=["mode"])
        for mode, count in sorted(status.processes.items()):
            processes.add_metric([mode], count)
        yield processes
        beat = status.at - status.worker_beat if status.worker_beat else -1
        yield GaugeMetricFamily("vigie_worker_heartbeat_age_seconds", "Since the last worker heartbeat", value=beat)


def metrics_text(status: Status) -> bytes:
    """The exposition: the shared figures, then this process's own (and its CPU and memory)."""
    shared = CollectorRegistry(auto_describe=False)
    shared.register(_StatusCollector(status))
    return generate_latest(shared) + generate_latest(REGISTRY)


async def health_problems(services: Services) -> list[str]:
    """What makes this deployment unhealthy; empty when all is well."""
    if (reason := await services.health.writable()) is not None:
        return [f"redis: {reason}"]
    try:
        beat = await services.store.system.last_beat()
    except Exception as exc:  # noqa: BLE001 - Redis failed between two commands
        return [f"redis: {type(exc).__name__}"]
    if beat is None or time.time() - beat > HEARTBEAT_STALE:
        return ["worker: no recent heartbeat"]
    return []


def add_routes(app: web.Application, services: Services) -> None:
    async def healthz(request: web.Request) -> web.Response:
        problems = await health_problems(services)
        return web.Response(text="\n".join(problems) or "ok", status=503 if problems else 200)

    async def metrics(request: web.Request) -> web.Response:
        try:
            status = await snapshot(services.store)
        except Exception as exc:  # noqa: BLE001 - a scrape during an outage says so
            return web.Response(text=f"redis: {type(exc).__name__}", status=503)
        return web.Response(body=metrics_text(status), headers={"Content-Type": CONTENT_TYPE_LATEST})

    app.router.add_get("/healthz", healthz)
    app.router.add_get("/metrics", metrics)


async def serve_ops(services: Services, port: int, stop: asyncio.Event) -> None:
    """/healthz and /metrics on `port` until `stop`."""
    app = web.Application()
    add_routes(app, services)
    runner = web.AppRunner(app, access_log=None, shutdown_timeout=STOP_GRACE)
    await runner.setup()
    try:
        await web.TCPSite(runner, "0.0.0.0", port).start()
        await stop.wait()
    finally:
        await runner.cleanup()
