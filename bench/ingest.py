"""Benchmark of the ingest cycle: 1,000 feeds of 50 items and 50 watches on X.

The feed and X servers (tests/fakes) run in a child process so that they do not share this
event loop or its CPU accounting. Prints, for each cycle: wall time, feeds per second, CPU
seconds (this process, its parser processes, the embedded Redis), peak memory of them all, the longest event-loop stall,
and the X requests made against the number of due unique queries.

    .venv/bin/python -m bench.ingest [--feeds 1000] [--items 50] [--watches 50]

Uses REDIS_URL when set (a database other than 0: it is flushed), else an embedded server.
"""

from __future__ import annotations

import argparse
import asyncio
import multiprocessing
import os
import tempfile
import time

import psutil
import redis
from pydantic import SecretStr

from bench.common import bench_redis
from bot.config import load_settings
from bot.ingest import Ingest
from bot.model import DEFAULT_WOEID, NEWS, Feed, feed_id
from bot.services import open_services
from bot.text import canonical_url
from bot.watchlist import create

BRANDS = [f"marque{n}" for n in range(1000)]


def _serve(conn, feeds_count: int, items: int, watches: int) -> None:
    """Child process: the local feed server and X server, driven through `conn`."""
    from tests.fakes.feeds import FakeFeeds
    from tests.fakes.x_api import FakeX

    async def main() -> None:
        async with FakeFeeds() as feeds, FakeX() as x:
            urls = feeds.bulk(feeds_count, items)
            for n in range(watches):
                for k in range(4):
                    x.add_post(f"Nouvelle annonce de {BRANDS[n]} numéro {k} sur le marché", f"compte{n}_{k}", lang="fr")
            x.set_trends(DEFAULT_WOEID, [(f"#{BRANDS[n]}", 1000 + n) for n in range(50)])  # polled with the feeds
            conn.send({"feeds": urls, "host": feeds.host, "x_url": x.url, "bearer": x.bearer_token})
            loop = asyncio.get_running_loop()
            while True:
                command = await loop.run_in_executor(None, conn.recv)
                if command == "stop":
                    return
                if command == "touch-half":
                    feeds.touch([u.removeprefix(feeds.url) for u in urls[: len(urls) // 2]])
                    for n in range(watches):
                        x.add_post(f"{BRANDS[n]} encore cité", f"compte{n}_9", lang="fr")
                conn.send({"search": x.count("search"), "not_modified": feeds.not_modified_count()})

    asyncio.run(main())


async def _stall_monitor(stop: asyncio.Event, longest: list[float]) -> None:
    """Longest delay of a 5 ms sleep past its deadline: how long the loop was blocked."""
    loop = asyncio.get_running_loop()
    while not stop.is_set():
        start = loop.time()
        await asyncio.sleep(0.005)
        longest[0] = max(longest[0], loop.time() - start - 0.005)


EXCLUDED: set[int] = set()  # the servers' process: not Vigie
DETACHED: set[int] = set()  # the embedded Redis: daemonized, so not among our children


def _vigie_processes() -> list[psutil.Process]:
    me = psutil.Process()
    ours = [p for p in [me, *me.children(recursive=True)] if p.pid not in EXCLUDED]
    return ours + [psutil.Process(pid) for pid in DETACHED]


def _cpu_by_process() -> dict[str, float]:
    """CPU seconds so far: this process, the parser processes, the embedded Redis."""
    me = psutil.Process()
    cpu = {"main": 0.0, "parsers": 0.0, "redis": 0.0}
    for process in _vigie_processes():
        try:
            times = process.cpu_times()
            kind = "main" if process.pid == me.pid else "redis" if "redis" in process.name() else "parsers"
            cpu[kind] += times.user + times.system
        except psutil.NoSuchProcess:
            continue
    return cpu


def _memory() -> int:
    total = 0
    for process in _vigie_processes():
        try:
            total += process.memory_info().rss
        except psutil.NoSuchProcess:
            continue
    return total


async def _cycle(ingest: Ingest, now: float) -> dict[str, float]:
    stop, longest, peak = asyncio.Event(), [0.0], [0]

    async def sample_memory() -> None:
        while not stop.is_set():
            peak[0] = max(peak[0], _memory())
            await asyncio.sleep(0.25)

    monitors = [asyncio.create_task(_stall_monitor(stop, longest)), asyncio.create_task(sample_memory())]
    cpu_before = _cpu_by_process()
    started = time.perf_counter()
    report = await ingest.cycle(now=now)
    wall = time.perf_counter() - started
    stop.set()
    await asyncio.gather(*monitors)
    cpu = {k: v - cpu_before[k] for k, v in _cpu_by_process().items()}
    return {"wall": wall, "cpu": cpu, "stall_ms": longest[0] * 1000, "peak_mb": peak[0] / 2**20, "report": report}


async def main(args: argparse.Namespace) -> None:
    parent, child = multiprocessing.Pipe()
    server = multiprocessing.get_context("spawn").Process(
        target=_serve, args=(child, args.feeds, args.items, args.watches)
    )
    server.start()
    EXCLUDED.add(server.pid)
    info = parent.recv()
    with tempfile.TemporaryDirectory(prefix="vigie-bench-") as directory, bench_redis(directory) as url:
        settings = load_settings(
            redis_url=url,
            data_dir=directory,
            allowed_feed_hosts=frozenset({info["host"]}),
            x_bearer_token=SecretStr(info["bearer"]),
            x_api_url=info["x_url"],
        )
        if not os.environ.get("REDIS_URL"):
            DETACHED.add(redis.Redis.from_url(url).info("server")["process_id"])
        try:
            async with open_services(settings) as services:
                for n in range(args.watches):
                    await create(services.store, f"Marque {n}", BRANDS[n], 1)
                for feed_url in info["feeds"]:
                    await services.store.feeds.save(
                        Feed(id=feed_id(canonical_url(feed_url)), url=feed_url, targets=frozenset({NEWS}))
                    )
                services.cpu.submit(int).result()  # start the parser processes before timing
                ingest = Ingest(services)
                now = time.time()
                first = await _cycle(ingest, now)
                parent.send("stats")
                after_first = parent.recv()
                parent.send("touch-half")
                parent.recv()
                second = await _cycle(ingest, now + settings.feed_interval)
                parent.send("stats")
                after_second = parent.recv()
        finally:
            parent.send("stop")
            server.join(10)
    print(f"{args.feeds} feeds x {args.items} items, {args.watches} watches (unique X queries), {os.cpu_count()} cores")
    searches = [after_first["search"], after_second["search"] - after_first["search"]]
    for name, result, search in (
        ("first cycle (all new)", first, searches[0]),
        ("second cycle (half 304)", second, searches[1]),
    ):
        report = result["report"]
        print(
            f"{name:<26} {result['wall']:6.2f} s  {args.feeds / result['wall']:7.1f} feeds/s  "
            f"cpu {sum(result['cpu'].values()):6.2f} s ({', '.join(f'{k} {v:.1f}' for k, v in result['cpu'].items())})  peak {result['peak_mb']:6.0f} MB  longest stall {result['stall_ms']:5.1f} ms  "
            f"X requests {search} for {args.watches} due queries  "
            f"fetched {report.feeds_fetched}, 304 {report.feeds_not_modified}, failed {report.feeds_failed}, "
            f"items {report.items_seen} seen / {report.items_indexed} indexed"
        )


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--feeds", type=int, default=1000)
    parser.add_argument("--items", type=int, default=50)
    parser.add_argument("--watches", type=int, default=50)
    asyncio.run(main(parser.parse_args()))
