"""Crisis detection: replayed on real labelled tweet volumes, and what one detection cycle costs.

    .venv/bin/python -m bench.crisis --data DIR   # DIR: a checkout of github.com/numenta/NAB
    .venv/bin/python -m bench.crisis --watches 1000

Replay: NAB's realTweets (10 series of tweets about a company every 5 minutes, Feb-Apr 2015, with
labelled anomaly windows), summed into 15-minute buckets as Vigie stores them and replayed through
`bot.crisis.replay`: the windows with an alert in them, and the alerts outside every window per
week. The thresholds were tuned on the training half only (TRAINING); the other half is held out.
NAB labels the main anomalies only: an alert outside its windows is often a real burst.

Cycle: `bot.alerts.check_crises` (what each ingest cycle runs) over 1,000 watches with 5 weeks
of 15-minute counts in Redis: a cycle, the first of a quarter-hour (the usual of its bucket is read)
and the first of all (every state new); and the memory per watch.
"""

from __future__ import annotations

import argparse
import asyncio
import csv
import json
import multiprocessing
import random
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from datetime import datetime
from pathlib import Path

from redis.asyncio import Redis

from bench.common import bench_redis
from bot import crisis, volume
from bot.alerts import check_crises
from bot.model import Watch
from bot.store import Store
from bot.store.volumes import count_in

TRAINING = ("AAPL", "AMZN", "CRM", "CVS", "FB")
HELD_OUT = ("GOOG", "IBM", "KO", "PFE", "UPS")
SUMMED = 3  # NAB's 5-minute buckets per 15-minute bucket


def _series(data: Path, company: str) -> tuple[list[datetime], list[int]]:
    with (data / "data" / "realTweets" / f"Twitter_volume_{company}.csv").open() as file:
        rows = list(csv.DictReader(file))
    times = [datetime.fromisoformat(row["timestamp"]) for row in rows]
    counts = [int(row["value"]) for row in rows]
    whole = len(counts) // SUMMED * SUMMED
    return times[:whole:SUMMED], [sum(counts[i : i + SUMMED]) for i in range(0, whole, SUMMED)]


def replay_nab(data: Path) -> None:
    windows = json.loads((data / "labels" / "combined_windows.json").read_text())
    for name, companies in (("training", TRAINING), ("held out", HELD_OUT)):
        found = labelled = outside = 0
        weeks = 0.0
        for company in companies:
            times, counts = _series(data, company)
            spans = [
                (datetime.fromisoformat(a), datetime.fromisoformat(b))
                for a, b in windows[f"realTweets/Twitter_volume_{company}.csv"]
            ]
            alerts = crisis.replay(times, counts)
            hit = sum(any(a <= t <= b for t in alerts) for a, b in spans)
            out = sum(1 for t in alerts if not any(a <= t <= b for a, b in spans))
            found, labelled, outside = found + hit, labelled + len(spans), outside + out
            weeks += (times[-1] - times[0]).total_seconds() / volume.WEEK
            print(
                f"  {company:<5} windows with an alert {hit}/{len(spans)}, alerts {len(alerts)}, outside windows {out}"
            )
        print(f"== {name}: {found}/{labelled} windows, {outside / weeks:.2f} alerts outside windows per series-week")


async def cycle(watches: int) -> None:
    """`check_crises` over `watches` watches with 5 weeks of 15-minute counts in Redis, and the
    memory those counts take per watch."""
    rng = random.Random(5)
    now = time.time()
    current = volume.bucket(now)
    with (
        tempfile.TemporaryDirectory(prefix="vigie-crisis-") as directory,
        bench_redis(directory) as url,
        ProcessPoolExecutor(2, mp_context=multiprocessing.get_context("spawn")) as cpu,  # charts, new terms
    ):
        client = Redis.from_url(url, decode_responses=True)
        store = Store.over(client)
        try:
            before = (await client.info("memory"))["used_memory"]
            for w in range(watches):
                watch = Watch(f"w{w}", f"Veille {w}", f"sujet{w}", 1, now - 5 * volume.WEEK)
                await store.watches.create(watch)
                first = volume.bucket(watch.created) + 1
                moments = [b * volume.BUCKET for b in range(first, current) for _ in range(rng.randint(0, 40))]
                async with client.pipeline(transaction=False) as pipe:
                    count_in(pipe, watch.id, moments)
                    await pipe.execute()
            timings = []
            # from scratch (every state new), the same quarter-hour twice, the next quarter-hour's
            # first cycle (the usual of its bucket read, every state saved), then again
            for moment in (now, now, now, now + volume.BUCKET, now + volume.BUCKET):
                started = time.perf_counter()
                await check_crises(store, frozenset(), cpu, moment)
                timings.append(time.perf_counter() - started)
            used = (await client.info("memory"))["used_memory"] - before
        finally:
            await client.aclose()
    scratch, steady, quarter = timings[0], min(timings[1:3] + timings[4:]), timings[3]
    print(
        f"== cycle, {watches} watches: {steady * 1000:.0f} ms; the first of a quarter-hour {quarter * 1000:.0f} ms;"
        f" from scratch {scratch * 1000:.0f} ms"
    )
    print(f"== Redis: {used / watches / 1024:.1f} KiB per watch (5 weeks of 15-minute counts, and its state)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, help="a checkout of github.com/numenta/NAB")
    parser.add_argument("--watches", type=int, default=1000)
    args = parser.parse_args()
    if args.data:
        replay_nab(args.data)
    asyncio.run(cycle(args.watches))


if __name__ == "__main__":
    main()
