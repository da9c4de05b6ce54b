"""Mentions counted once, when they were published: totals, the usual, no false spikes."""

from __future__ import annotations

import time
from datetime import UTC, datetime

import pytest

from bot import crisis, volume, watchlist
from bot.feeds import add_feed
from bot.ingest import Ingest
from bot.store.volumes import count_in
from bot.volume import BUCKET, DAY, WEEK

# ---------------------------------------------------------------- the pure module


def test_a_window_counts_the_buckets_it_touches():
    counts = {volume.bucket(1000 * BUCKET + 1): 3, volume.bucket(1001 * BUCKET): 2, volume.bucket(1003 * BUCKET): 7}
    assert volume.total(counts, 1000 * BUCKET, 1002 * BUCKET) == 5
    assert volume.total(counts, 1000 * BUCKET, 1000 * BUCKET) == 0
    assert list(volume.buckets(1000 * BUCKET, 1001 * BUCKET + 1)) == [1000, 1001]
    assert volume.day(DAY // BUCKET) == 1 and volume.day(DAY // BUCKET - 1) == 0


@pytest.mark.parametrize(
    ("past_weeks", "expected"),
    [
        ([], None),  # no history: no usual
        ([0, 0, 0, 0], None),
        ([10, 0, 0, 0], 10),
        ([10, 12, 11, 400], 11.5),  # one past crisis does not raise the usual
    ],
)
def test_the_usual_is_the_median_of_past_weeks_with_mentions(past_weeks, expected):
    since, until = 5000 * WEEK, 5000 * WEEK + 3600
    counts = {volume.bucket(since - k * WEEK): n for k, n in enumerate(past_weeks, 1)}
    assert volume.usual(counts, since, until) == expected


# ---------------------------------------------------------------- stored counts


def _entries(ages_in_minutes: list[float], now: float) -> list[dict]:
    return [
        {
            "title": f"Annonce numéro {n} de la marque",
            "link": f"https://news.example/a/{n}",
            "summary": f"Le texte complet de l'annonce numéro {n}, publiée il y a {age:.0f} minutes.",
            "published": datetime.fromtimestamp(now - age * 60, UTC),
        }
        for n, age in enumerate(ages_in_minutes)
    ]


async def test_the_24_hour_volume_is_the_same_after_one_poll_and_after_ten(feed_services, feeds):
    services, now = feed_services, time.time()
    recent = [5 + 55 * i for i in range(24)]  # in the last day
    older = [1470 + 180 * i for i in range(40)]  # one to six days ago (clear of the 24 h edge)
    stale = [8 * 1440 + 60 * i for i in range(30)]  # before the 7-day retention
    items = _entries(recent + older + stale, now)
    feeds.add_feed("/backlog.xml", "Le Journal", items)
    watch = await watchlist.create(services.store, "Marque", "marque", 1)
    await add_feed(services, feeds.feed_url("/backlog.xml"), watch.id, 1)
    [view] = await watchlist.overview(services.store, 1)
    assert view.volume_24h == 24  # what the /watch list shows
    events = await services.store.redis.xlen("vigie:events:items")
    for poll in range(1, 10):
        feeds.set_items("/backlog.xml", items)  # same items, new ETag: fetched and parsed again
        await Ingest(services).cycle(now=time.time() + poll * (services.settings.feed_interval + 1))
        [view] = await watchlist.overview(services.store, 1)
        assert view.volume_24h == 24, f"after poll {poll + 1}"
    assert await services.store.redis.xlen("vigie:events:items") == events == 64  # each announced once
    assert feeds.count("/backlog.xml") == 10


async def test_a_backlog_makes_no_spike_in_any_bucket_of_the_last_day(feed_services, feeds):
    services, now = feed_services, time.time()
    watch = await watchlist.create(services.store, "Marque", "marque", 1)
    async with services.store.redis.pipeline(transaction=False) as pipe:
        # the usual: a mention every hour of the same day, past weeks
        count_in(pipe, watch.id, [now - week * WEEK - hour * 3600 for week in range(1, 5) for hour in range(25)])
        await pipe.execute()
    # About 200 entries, one every 30 minutes; none within 20 minutes of the day's edge (a window
    # is counted to the 15-minute bucket).
    ages = [30 * i + 7 for i in range(201) if not 1420 <= 30 * i + 7 <= 1460]
    feeds.add_feed("/backlog.xml", "Le Journal", _entries(ages, now))
    await add_feed(services, feeds.feed_url("/backlog.xml"), watch.id, 1)

    day = list(volume.buckets(now - DAY, now))
    counts = await services.store.volumes.counts(watch.id, volume.history_buckets(now - DAY, now))
    assert volume.total(counts, now - DAY, now) == 48 and max(counts.get(b, 0) for b in day) == 1
    first = volume.bucket(now - 5 * WEEK)
    series = crisis.Series.of_buckets(counts, first, day[-1])
    assert crisis.detect(series) == []
    # Counted at ingestion instead, the 200 entries would be one bucket far above the usual.
    burst = crisis.Series.of_buckets({**counts, day[-1]: 200}, first, day[-1])
    assert crisis.read(burst, len(burst.counts) - 1, crisis.Settings()).kind is crisis.Kind.SPIKE
