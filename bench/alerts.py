"""Topic alerts' latency: from a post appearing on the local X server to its alert accepted by the
local Bot API server, through a real `python -m bot run` (bot and worker in one process).

    .venv/bin/python -m bench.alerts [--posts 50] [--interval 30]

WATCHES watches, each with a topic alert for the owner (no quiet hours, at most one message a
minute); posts come one at a time at random moments, each on a watch whose last alert is over a
minute old (a watch's alerts are grouped by the minute: a post inside that minute would wait for
the grouping, not for Vigie). Prints the median and the worst latency against the target: one
search interval (VIGIE_X_SEARCH_INTERVAL) plus 3 seconds.
"""

from __future__ import annotations

import argparse
import asyncio
import random
import statistics
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

from bench.common import bench_redis
from bot.model import Subscription
from bot.store import Store
from bot.watchlist import create
from tests.fakes.telegram import FakeTelegram
from tests.fakes.x_api import FakeX
from tests.faultkit import Vigie, env_for, running

OWNER = 4242
WATCHES = 10  # each searched every interval: 20 searches a minute at 30 s, under X's 450 per 15 min
GROUPED = 61.0  # seconds between two alerts on one watch (alert_every: 1 minute)
TARGET_SLACK = 3.0


async def _told(tg: FakeTelegram, text: str, timeout: float) -> float:
    """When a message holding `text` reached the owner's chat (polled every 10 ms)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if any(text in message.get("text", "") for message in tg.messages(OWNER)):
            return time.monotonic()
        await asyncio.sleep(0.01)
    raise TimeoutError(f"no alert for {text!r} within {timeout:.0f} s")


async def _prepare(redis_url: str, directory: Path) -> None:
    """The watches and the owner's alerts on them, before Vigie starts."""
    async with Store.open(redis_url, directory) as store:
        for n in range(WATCHES):
            watch = await create(store, f"Marque {n}", f"marque{n}", OWNER)
            await store.topics.subscribe(OWNER, Subscription(watch.id))


async def measure(posts: int, interval: int) -> list[float]:
    rng = random.Random(7)
    with tempfile.TemporaryDirectory(prefix="vigie-bench-alerts-") as tmp, bench_redis(tmp) as redis_url:
        directory = Path(tmp)
        await _prepare(redis_url, directory)
        async with FakeTelegram() as tg, FakeX() as x:
            env = env_for(
                tg,
                redis_url,
                [OWNER],
                X_BEARER_TOKEN=x.bearer_token,
                X_API_URL=x.url,
                VIGIE_X_SEARCH_INTERVAL=str(interval),
            )
            vigie = Vigie("run", env, directory)
            async with running(vigie):
                owner = tg.user(OWNER, "Dirigeante")
                for command in ("/start", "/settings calme non", "/settings alertes 1"):
                    await tg.send_text(owner, command)
                    await tg.wait_for_messages(OWNER, 1, timeout=120)
                ready = dict.fromkeys(range(WATCHES), time.monotonic())
                waits: list[asyncio.Task[float]] = []
                for n in range(posts):
                    await asyncio.sleep(rng.uniform(0, interval / 2))
                    while min(ready.values()) == float("inf"):  # every watch waits for its alert
                        done, _ = await asyncio.wait(
                            [w for w in waits if not w.done()], return_when=asyncio.FIRST_COMPLETED
                        )
                        for finished in done:
                            finished.result()  # an alert that never came ends the run
                    watch = min(ready, key=ready.__getitem__)
                    await asyncio.sleep(max(0.0, ready[watch] - time.monotonic()))
                    text = f"Annonce de marque{watch}, numéro {n}"
                    ready[watch] = float("inf")
                    sent = time.monotonic()
                    x.add_post(text, f"client{n}", created_at=datetime.now(UTC))
                    waits.append(asyncio.create_task(_latency(tg, text, sent, interval, ready, watch)))
                latencies = await asyncio.gather(*waits)
                await vigie.stop()
    return latencies


async def _latency(tg: FakeTelegram, text: str, sent: float, interval: int, ready: dict, watch: int) -> float:
    told = await _told(tg, text, timeout=4 * interval + 120)
    ready[watch] = told + GROUPED
    return told - sent


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--posts", type=int, default=50)
    parser.add_argument("--interval", type=int, default=30, help="VIGIE_X_SEARCH_INTERVAL, seconds (30 at least)")
    args = parser.parse_args()
    latencies = asyncio.run(measure(args.posts, args.interval))
    target = args.interval + TARGET_SLACK
    median, worst = statistics.median(latencies), max(latencies)
    print(f"{len(latencies)} posts, search interval {args.interval} s (target: median under {target:.0f} s)")
    print(f"  median {median:.2f} s · worst {worst:.2f} s · best {min(latencies):.2f} s")
    print(f"  median {'meets' if median < target else 'misses'} the target")


if __name__ == "__main__":
    main()
