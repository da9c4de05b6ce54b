"""`/demo crisis` in the console: a crisis replayed on a sample watch, as its alert would read,
with its chart saved as a PNG.

Five weeks of sample mentions (busy mornings and evenings, quiet nights, quieter weekends), then a
burst in the last hour: `bot.crisis.replay` finds when the alert is raised, and the alert's
caption and chart are drawn as a member would get them.
"""

from __future__ import annotations

import asyncio
import math
import random
import statistics
from datetime import UTC, datetime
from pathlib import Path

from bot import volume
from bot.alerts import CHART, DRIVERS, chart
from bot.crisis import Series, baseline, replay, times_usual
from bot.model import Watch
from bot.render.alerts import CrisisView, Stage, crisis_text
from bot.render.chart import render
from bot.services import Services

WEEKS = 5
SEED = 7  # the same sample every time


def sample_series(now: float) -> tuple[list[datetime], list[int]]:
    """Quarter-hour mention counts up to `now`'s bucket: a week's rhythm, then a burst in the last hour."""
    rng = random.Random(SEED)
    last = volume.bucket(now)
    buckets = range(last - WEEKS * volume.WEEK // volume.BUCKET + 1, last + 1)
    counts = []
    for bucket in buckets:
        moment = datetime.fromtimestamp(bucket * volume.BUCKET, UTC)
        hour = moment.hour + moment.minute / 60
        rhythm = 6 + 5 * math.sin((hour - 6) * math.pi / 12) ** 2 * (0.5 if moment.weekday() >= 5 else 1)
        counts.append(max(0, round(rng.gauss(rhythm, math.sqrt(rhythm)))))
    for k in range(1, 5):  # the last hour: about 8 times the usual
        counts[-k] = round(counts[-k] * 8 + 20)
    return [datetime.fromtimestamp(b * volume.BUCKET, UTC).replace(tzinfo=None) for b in buckets], counts


async def demo_crisis(services: Services, watch: Watch, language: str, zone: str, now: float) -> tuple[str, Path]:
    """The alert's text and the path of its chart, for the sample burst on `watch`."""
    times, counts = sample_series(now)
    raised = replay(times, counts)
    if not raised:
        raise RuntimeError("the sample series raised no alert")  # the sample is made to raise one
    alert = raised[-1].replace(tzinfo=UTC).timestamp()
    start = times[0].replace(tzinfo=UTC).timestamp()
    series = Series(start, volume.BUCKET, counts)
    picture = chart(series, range(len(counts) - CHART, len(counts)), watch.name, language, zone, alert)
    index = round((alert - start) / volume.BUCKET)
    held = (index - 1, index)  # the two quarter-hours that raised it
    usual = statistics.mean(b.median if (b := baseline(series, i)) else 0.0 for i in held)
    mentions = sum(counts[i] for i in held)
    items = await services.store.items.recent(watch.id, limit=DRIVERS)
    view = CrisisView(
        watch=watch,
        stage=Stage.RAISED,
        mentions=mentions,
        minutes=round(len(held) * volume.BUCKET / 60),
        since=alert - volume.BUCKET,
        ratio=times_usual(mentions / len(held), usual),
        basis="weeks",
        drivers=items,
        terms=[],
        from_x=sum(1 for s in items if s.item.source == "x"),
        read=len(items),
        now=now,
    )
    path = services.settings.data_dir / "crisis-demo.png"
    path.write_bytes(await asyncio.get_running_loop().run_in_executor(services.cpu, render, picture))
    return crisis_text(language, zone, view), path
