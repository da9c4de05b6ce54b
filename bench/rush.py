"""The morning rush: 2,000 members due at the same minute, each following 1 to 5 of 20 watches
(500 items each, French and English, about the watch's subject, 5 % under a second watch too), briefed by `python -m bot worker` processes through the
local Bot API server enforcing Telegram's default limits (30 messages a second).

    .venv/bin/python -m bench.rush [--members 2000] [--watches 20] [--items 500] [--workers 1 2]

Prints, per number of worker processes: the time from the due minute to the last briefing
Telegram accepted, against the floor the limit sets (messages / 30 s), the 429s, the members
without a briefing or with two, and the peak memory of the workers (with their process pools).
"""

from __future__ import annotations

import argparse
import asyncio
import math
import random
import tempfile
import time
from pathlib import Path

from redis.asyncio import Redis

from bench.briefing import _items
from bench.common import bench_redis, steady_servers
from bot.model import Incoming, Profile
from bot.roles import Role
from bot.store import Store
from bot.watchlist import create
from tests.fakes.telegram import FakeTelegram, Limits
from tests.faultkit import Vigie, env_for, running

FIRST_MEMBER = 900_000
ALSO = 0.05  # items that another watch's query matches too
LEAD = 20.0  # seconds at least between setting up and the due minute: the workers start meanwhile


async def _setup(store: Store, tg: FakeTelegram, args: argparse.Namespace, due: float) -> list[int]:
    rng = random.Random(11)
    watches = []
    for w in range(args.watches):
        watch = await create(store, f"Veille {w}", f"sujet{w}", FIRST_MEMBER)
        watches.append(watch)
    for w, watch in enumerate(watches):
        items = _items(w, args.items, due, rng, subject=f"Sujet{w}")  # what the watch's query names
        also = [rng.choice(watches).id if rng.random() < ALSO else watch.id for _ in items]  # the odd item in two
        batch = [Incoming.of(item, (), frozenset({watch.id, other})) for item, other in zip(items, also, strict=True)]
        await store.items.add_many(batch)
    members = [FIRST_MEMBER + n for n in range(args.members)]
    for user_id in members:
        await tg.send_text(tg.user(user_id), "/start")  # the chat exists
        await store.team.grant(user_id, Role.READER)
        await store.users.save(Profile(user_id, rng.choice(["fr", "en"]), "Europe/Paris"))
        followed = {w.id for w in rng.sample(watches, rng.randint(1, 5))}
        for watch in watches:
            if watch.id in followed:
                await store.watches.follow(user_id, watch.id)
            else:
                await store.watches.unfollow(user_id, watch.id)
        await store.briefings.set_last(user_id, due - 86400)  # yesterday's briefing
        await store.briefings.schedule(user_id, due)
    return members


def _peak_mb(pid: int) -> float:
    """Peak resident memory of a process and its children (its process pool), in MB."""
    total = 0.0
    pids = [pid, *(int(p) for p in Path(f"/proc/{pid}/task/{pid}/children").read_text().split())]
    for each in pids:
        for line in Path(f"/proc/{each}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                total += int(line.split()[1]) / 1024
    return total


async def rush(args: argparse.Namespace, workers: int) -> dict[str, float]:
    with tempfile.TemporaryDirectory(prefix="vigie-rush-") as directory, bench_redis(directory) as url:
        async with FakeTelegram() as tg:
            tg.enforce_limits(Limits())
            client = Redis.from_url(url, decode_responses=True)
            store = Store.over(client)
            try:
                setup_started = time.time()
                due = math.ceil((setup_started + LEAD + args.members / 200) / 60) * 60
                members = await _setup(store, tg, args, due)
                if time.time() > due - 5:
                    raise SystemExit("setting up took too long: raise LEAD")
                env = env_for(tg, url, [])
                processes = [Vigie("worker", env, Path(directory), name=f"w{n}") for n in range(workers)]
                async with running(*processes):
                    deadline = due + 20 * args.members / 30 + 120
                    while len({chat for chat, _ in tg.accepted}) < len(members) and time.time() < deadline:
                        await asyncio.sleep(0.5)  # (cheap: this loop serves the Bot API server too)
                    while not await store.delivery.idle() and time.time() < deadline:
                        await asyncio.sleep(0.5)
                    peak = sum(_peak_mb(p.process.pid) for p in processes if p.process)
                    for process in processes:
                        await process.stop()
            finally:
                await client.aclose()
            return _figures(tg, members, due, peak)


def _figures(tg: FakeTelegram, members: list[int], due: float, peak: float) -> dict[str, float]:
    briefings = [sum("☀️" in message["text"] for message in tg.messages(m)) for m in members]
    times = sorted(at for _, at in tg.accepted)
    floor = len(times) / 30
    span = times[-1] - due if times else 0.0
    return {
        "members": len(members),
        "messages": len(times),
        "first_accepted_s": times[0] - due if times else 0.0,
        "last_accepted_s": span,
        "floor_s": floor,
        "over_floor": span / floor if floor else 0.0,
        "too_many_429": tg.too_many,
        "without_briefing": sum(1 for b in briefings if b == 0),
        "with_two": sum(1 for b in briefings if b > 1),
        "peak_memory_mb": peak,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--members", type=int, default=2000)
    parser.add_argument("--watches", type=int, default=20)
    parser.add_argument("--items", type=int, default=500)
    parser.add_argument("--workers", type=int, nargs="*", default=[1, 2])
    args = parser.parse_args()
    for workers in args.workers:
        with steady_servers():
            figures = asyncio.run(rush(args, workers))
        print(f"== morning rush: {args.members} members, {args.watches} watches, {workers} worker process(es)")
        for key, value in figures.items():
            print(f"  {key:<18} {value:.2f}" if isinstance(value, float) else f"  {key:<18} {value}")


if __name__ == "__main__":
    main()
