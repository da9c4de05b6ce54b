"""Crisis detection: replayed on real labelled tweet volumes, and what one detection cycle costs.

    .venv/bin/python -m bench.crisis --data DIR   # DIR: a checkout of github.com/numenta/NAB
    .venv/bin/python -m bench.crisis --watches 1000

Replay: NAB's realTweets (10 series of tweets about a company every 5 minutes, Feb-Apr 2015, with
labelled anomaly windows), summed into 15-minute buckets as Vigie stores them and replayed through
`bot.crisis.replay`: the windows with an alert in them, and the alerts outside every window per
week. The thresholds were tuned on the training half only (TRAINING); the other half is held out.
NAB labels the main anomalies only: an alert outside its windows is often a real burst.

Cycle: every watch's last two buckets judged against 4 weeks of 15-minute buckets (in memory:
the pure part), and the Redis memory that 5 weeks of a watch's counts take.
"""

from __future__ import annotations

import argparse
import asyncio
import csv
import json
import random
import tempfile
import time
from datetime import datetime
from pathlib import Path

from redis.asyncio import Redis

from bench.common import bench_redis
from bot import crisis, volume
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


def cycle(watches: int) -> None:
    rng = random.Random(5)
    buckets = 4 * volume.WEEK // volume.BUCKET + 2
    series = [crisis.Series(0.0, volume.BUCKET, [rng.randint(0, 40) for _ in range(buckets)]) for _ in range(watches)]
    settings = crisis.Settings()
    started = time.perf_counter()
    for each in series:
        recent = [crisis.read(each, len(each.counts) - k, settings) for k in (2, 1)]
        crisis.Watching().step(recent, settings)
    took = time.perf_counter() - started
    print(f"== cycle: {watches} watches judged in {took * 1000:.0f} ms (pure part, one process)")


async def memory_per_watch(watches: int = 50) -> None:
    with tempfile.TemporaryDirectory(prefix="vigie-crisis-") as directory, bench_redis(directory) as url:
        client = Redis.from_url(url)
        try:
            before = (await client.info("memory"))["used_memory"]
            now = time.time()
            rng = random.Random(3)
            for w in range(watches):
                moments = [now - b * volume.BUCKET for b in range(5 * volume.WEEK // volume.BUCKET)]
                async with client.pipeline(transaction=False) as pipe:
                    count_in(pipe, f"w{w}", [m for m in moments for _ in range(rng.randint(1, 3))])
                    await pipe.execute()
            used = (await client.info("memory"))["used_memory"] - before
        finally:
            await client.aclose()
    print(f"== Redis: {used / watches / 1024:.1f} KiB per watch for 5 weeks of 15-minute counts")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, help="a checkout of github.com/numenta/NAB")
    parser.add_argument("--watches", type=int, default=1000)
    args = parser.parse_args()
    if args.data:
        replay_nab(args.data)
    cycle(args.watches)
    asyncio.run(memory_per_watch())


if __name__ == "__main__":
    main()
