"""Broadcast: one 3-message briefing to 2,000 members, sent by `python -m bot worker` processes
through the local Bot API server enforcing Telegram's limits (the global rate set to 300/s to
keep the run short; the product is configured the same with VIGIE_TELEGRAM_RATE). The run is
Telegram's rate sped up, so the server tolerates the same burst in time as at 30/s (4 messages,
100 ms; 40 at 300/s); `--burst 4` keeps the count instead (10 ms at 300/s, less than this 2-core
machine's own scheduling jitter between a slot and the server: p99 8.6 ms with two workers).

    .venv/bin/python -m bench.delivery [--members 2000] [--rate 300] [--burst N] [--workers 1 2]

Prints, per number of worker processes: achieved rate / limit (from the first message Telegram
took to the last), 429s, lost and duplicated messages, p50 and p99 lateness (from queued to taken).
"""

from __future__ import annotations

import argparse
import asyncio
import tempfile
import time
from collections import Counter
from pathlib import Path

from redis.asyncio import Redis

from bench.common import bench_redis, steady_servers
from bot.model import Outgoing
from bot.store import Store
from tests.fakes.telegram import FakeTelegram, Limits
from tests.faultkit import Vigie, env_for, running

FIRST_MEMBER = 800_000
PARTS = 3
BATCH = 300  # messages queued per transaction
TELEGRAM_RATE = 30  # messages a second, the rate the fake's burst is set for


async def broadcast(members: int, rate: float, burst: int, workers: int) -> dict[str, float]:
    with tempfile.TemporaryDirectory(prefix="vigie-broadcast-") as directory, bench_redis(directory) as url:
        async with FakeTelegram() as tg:
            tg.enforce_limits(Limits(per_second=rate, burst=burst))
            chats = [FIRST_MEMBER + n for n in range(members)]
            for chat_id in chats:
                await tg.send_text(tg.user(chat_id), "/start")  # the chat exists
            env = env_for(tg, url, [], VIGIE_TELEGRAM_RATE=str(rate))
            processes = [Vigie("worker", env, Path(directory), name=f"w{n}") for n in range(workers)]
            client = Redis.from_url(url, decode_responses=True)
            store = Store.over(client)
            queued: list[float] = []
            try:
                async with running(*processes):
                    while not await client.exists("vigie:worker:health"):  # arq's: the workers are up
                        await asyncio.sleep(0.2)
                    messages = [
                        Outgoing(c, f"Briefing {c}, partie {p + 1}/{PARTS}") for c in chats for p in range(PARTS)
                    ]
                    for start in range(0, len(messages), BATCH):
                        queued.append(time.time())
                        await store.delivery.push(*messages[start : start + BATCH])
                    total = len(messages)
                    deadline = time.monotonic() + 10 * total / rate + 60
                    while len(tg.accepted) < total and time.monotonic() < deadline:
                        await asyncio.sleep(0.2)
                    await asyncio.sleep(1)  # duplicates, if any, would arrive now
                    for process in processes:
                        await process.stop()
            finally:
                await client.aclose()
            return _figures(tg, chats, queued, rate, total)


def _figures(tg: FakeTelegram, chats: list[int], queued: list[float], rate: float, total: int) -> dict[str, float]:
    texts = Counter((chat, m["text"]) for chat in chats for m in tg.messages(chat))
    times = sorted(at for _, at in tg.accepted)
    achieved = (len(times) - 1) / (times[-1] - times[0]) if len(times) > 1 else 0.0
    window = max(
        (sum(1 for t in times[i : i + int(rate * 2)] if t < start + 1) for i, start in enumerate(times)), default=0
    )
    lateness = sorted(at - queued[n // BATCH] for n, at in enumerate(times))  # in order of queueing
    return {
        "messages": total,
        "achieved_per_s": achieved,
        "achieved_over_limit": achieved / rate,
        "too_many_429": tg.too_many,
        "lost": total - len(texts),
        "duplicates": sum(texts.values()) - len(texts),
        "p50_lateness_s": lateness[len(lateness) // 2] if lateness else 0.0,
        "p99_lateness_s": lateness[int(len(lateness) * 0.99)] if lateness else 0.0,
        "busiest_second": window,
        "floor_s": total / rate,
        "span_s": times[-1] - queued[0] if times else 0.0,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--members", type=int, default=2000)
    parser.add_argument("--rate", type=float, default=300)
    parser.add_argument("--burst", type=int, help="the server's global burst (default: 100 ms of the rate)")
    parser.add_argument("--workers", type=int, nargs="*", default=[1, 2])
    args = parser.parse_args()
    burst = args.burst or round(Limits.burst * args.rate / TELEGRAM_RATE)
    for workers in args.workers:
        with steady_servers():
            figures = asyncio.run(broadcast(args.members, args.rate, burst, workers))
        print(
            f"== broadcast to {args.members} members, {PARTS} messages each, {workers} worker process(es), burst {burst}"
        )
        for key, value in figures.items():
            print(f"  {key:<22} {value:.3f}" if isinstance(value, float) else f"  {key:<22} {value}")


if __name__ == "__main__":
    main()
