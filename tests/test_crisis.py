"""The crisis detector on synthetic series: rhythms stay silent, spikes alert once, on time."""

from __future__ import annotations

import math
from datetime import UTC, datetime, timedelta

import numpy as np
import pytest

from bot import crisis
from bot.crisis import Kind, Series, Settings, replay

QUARTER = timedelta(minutes=15)
MONDAY = datetime(2026, 3, 2)  # a Monday, 00:00 UTC
WEEKS = 5


def _times(start: datetime, count: int, step: timedelta = QUARTER) -> list[datetime]:
    return [start + k * step for k in range(count)]


def _rhythm(moment: datetime) -> float:
    """Busy mornings, quiet nights, quieter weekends: mentions expected in 15 minutes."""
    hour = moment.hour
    rate = 60.0 if 8 <= hour < 12 else 30.0 if 12 <= hour < 20 else 4.0
    return rate * (0.3 if moment.weekday() >= 5 else 1.0)


def _noisy(rates: list[float], seed: int = 7) -> list[int]:
    return [int(n) for n in np.random.default_rng(seed).poisson(rates)]


def _usual_weeks() -> tuple[list[datetime], list[int]]:
    """Five weeks of quarter-hours from a Monday, with their rhythm and chance's noise."""
    times = _times(MONDAY, WEEKS * 7 * 96)
    return times, _noisy([_rhythm(t) for t in times])


def _at(times: list[datetime], moment: datetime) -> int:
    return times.index(moment)


def test_a_flat_series_raises_nothing():
    times = _times(MONDAY, WEEKS * 7 * 96)
    assert replay(times, _noisy([30.0] * len(times))) == []


@pytest.mark.parametrize("start", [MONDAY, MONDAY + timedelta(days=5)], ids=["from a monday", "from a saturday"])
def test_daily_and_weekly_rhythms_raise_nothing(start):
    times = _times(start, WEEKS * 7 * 96)
    assert replay(times, _noisy([_rhythm(t) for t in times])) == []


def _with(times: list[datetime], counts: list[int], since: datetime, minutes: int, factor: float) -> list[int]:
    """The counts with [since, since + minutes) multiplied by `factor` (of the usual rate)."""
    changed = list(counts)
    for k in range(minutes // 15):
        index = _at(times, since + k * QUARTER)
        changed[index] = int(round(_rhythm(times[index]) * factor))
    return changed


def test_a_spike_three_times_the_usual_for_half_an_hour_alerts_once_within_two_buckets():
    times, counts = _usual_weeks()
    onset = MONDAY + timedelta(weeks=4, days=1, hours=10)  # a Tuesday, 10:00
    series = Series(MONDAY.replace(tzinfo=UTC).timestamp(), QUARTER.total_seconds(), counts)
    for k in range(2):  # three times the usual, exactly (as the detector reads the usual)
        index = _at(times, onset + k * QUARTER)
        usual = crisis.baseline(series, index)
        assert usual is not None
        counts[index] = math.ceil(3 * usual.median)
    alerts = replay(times, counts)
    assert len(alerts) == 1 and onset <= alerts[0] <= onset + QUARTER


def test_any_bucket_size_works():
    step = timedelta(minutes=5)
    times = _times(MONDAY, WEEKS * 7 * 288, step)
    counts = _noisy([_rhythm(t) / 3 for t in times])
    onset = MONDAY + timedelta(weeks=4, days=2, hours=15)
    for k in range(6):
        counts[_at(times, onset + k * step)] = int(_rhythm(onset) / 3 * 4)
    alerts = replay(times, counts)
    assert len(alerts) == 1 and onset <= alerts[0] <= onset + step


def test_a_sustained_crisis_alerts_once_not_a_flood():
    times, counts = _usual_weeks()
    onset = MONDAY + timedelta(weeks=4, days=3, hours=9)
    counts = _with(times, counts, onset, 8 * 60, 4.0)
    alerts = replay(times, counts)
    assert len(alerts) == 1 and onset <= alerts[0] <= onset + QUARTER


def test_a_doubling_during_a_crisis_alerts_once_more():
    times, counts = _usual_weeks()
    onset = MONDAY + timedelta(weeks=4, days=3, hours=9)
    counts = _with(times, counts, onset, 4 * 60, 4.0)
    worse = onset + timedelta(hours=2)
    counts = _with(times, counts, worse, 2 * 60, 10.0)
    alerts = replay(times, counts)
    assert len(alerts) == 2
    assert onset <= alerts[0] <= onset + QUARTER and worse <= alerts[1] <= worse + QUARTER


def test_a_brand_new_watch_is_silent():
    times = _times(MONDAY, 2 * 96)  # two days: too little history for a usual
    counts = _with(times, _noisy([_rhythm(t) for t in times]), MONDAY + timedelta(days=1, hours=10), 60, 10.0)
    assert replay(times, counts) == []


def test_one_past_crisis_in_the_usual_does_not_mask_the_next():
    times, counts = _usual_weeks()
    last_week = MONDAY + timedelta(weeks=3, days=1, hours=9)  # a Tuesday 09:00, three hours
    counts = _with(times, counts, last_week, 3 * 60, 5.0)
    this_week = last_week + timedelta(weeks=1)  # the same hours, a week later
    counts = _with(times, counts, this_week, 3 * 60, 5.0)
    alerts = replay(times, counts)
    assert len(alerts) == 2 and this_week <= alerts[1] <= this_week + QUARTER


def test_a_relapse_soon_after_is_part_of_the_same_crisis_unless_it_is_worse():
    times, counts = _usual_weeks()
    onset = MONDAY + timedelta(weeks=4, days=1, hours=9)
    counts = _with(times, counts, onset, 60, 4.0)
    relapse = onset + timedelta(minutes=90)  # within the 2 h cool-down of the alert
    soon = _with(times, counts, relapse, 45, 4.0)
    assert len(replay(times, soon)) == 1
    later = _with(times, counts, onset + timedelta(hours=4), 45, 4.0)  # after it
    assert len(replay(times, later)) == 2


def test_an_unusual_drop_alerts_only_where_enabled():
    times, counts = _usual_weeks()
    onset = MONDAY + timedelta(weeks=4, days=1, hours=9)
    counts = _with(times, counts, onset, 2 * 60, 0.0)  # a silent morning
    series = Series(MONDAY.replace(tzinfo=UTC).timestamp(), QUARTER.total_seconds(), counts)
    assert crisis.detect(series) == []
    alerts = crisis.detect(series, Settings(drops=True))
    assert [a.kind for a in alerts] == [Kind.DROP]
    assert onset <= datetime.fromtimestamp(alerts[0].time, UTC).replace(tzinfo=None) < onset + timedelta(hours=2)


def test_a_spike_soon_after_a_drop_is_a_new_alert_not_an_escalation():
    times, counts = _usual_weeks()
    onset = MONDAY + timedelta(weeks=4, days=1, hours=9)
    counts = _with(times, counts, onset, 45, 0.0)  # a silent quarter of an hour or three
    counts = _with(times, counts, onset + timedelta(minutes=60), 45, 4.0)  # then a spike, within 2 h
    series = Series(MONDAY.replace(tzinfo=UTC).timestamp(), QUARTER.total_seconds(), counts)
    alerts = crisis.detect(series, Settings(drops=True))
    assert [(a.kind, a.escalation) for a in alerts] == [(Kind.DROP, False), (Kind.SPIKE, False)]


def test_under_three_times_the_usual_or_a_single_bucket_is_no_crisis():
    times = _times(MONDAY, WEEKS * 7 * 96)
    onset = MONDAY + timedelta(weeks=4, days=1, hours=10)
    counts = _noisy([_rhythm(t) for t in times])
    assert replay(times, _with(times, counts, onset, 60, 2.5)) == []  # far above, but not 3x
    assert replay(times, _with(times, counts, onset, 15, 10.0)) == []  # one bucket: not held


def test_a_flat_series_that_triples_alerts_even_without_noise():
    times = _times(MONDAY, WEEKS * 7 * 96)
    counts = [10] * len(times)
    onset = len(times) - 8
    counts[onset : onset + 2] = [30, 30]
    assert replay(times, counts) == [times[onset + 1]]


def test_while_weeks_are_few_the_usual_comes_from_recent_days():
    times = _times(MONDAY, 10 * 96)  # ten days: no week to compare with twice yet
    onset = MONDAY + timedelta(days=9, hours=10)  # a Wednesday
    counts = _with(times, _noisy([_rhythm(t) for t in times]), onset, 60, 4.0)
    alerts = replay(times, counts)
    assert len(alerts) == 1 and onset <= alerts[0] <= onset + QUARTER


def test_each_alert_is_decided_on_the_data_up_to_it():
    times, counts = _usual_weeks()
    onset = MONDAY + timedelta(weeks=4, days=3, hours=9)
    counts = _with(times, counts, onset, 4 * 60, 4.0)
    counts = _with(times, counts, onset + timedelta(hours=2), 2 * 60, 10.0)
    alerts = replay(times, counts)
    for alert in alerts:  # the series cut right after the alert's bucket raises it too
        end = _at(times, alert) + 1
        assert replay(times[:end], counts[:end])[-1] == alert


def test_a_doubling_soon_after_a_crisis_alerts_again():
    times, counts = _usual_weeks()
    onset = MONDAY + timedelta(weeks=4, days=1, hours=9)
    counts = _with(times, counts, onset, 45, 4.0)
    worse = onset + timedelta(minutes=90)  # back to normal meanwhile, within the cool-down
    counts = _with(times, counts, worse, 45, 10.0)
    alerts = replay(times, counts)
    assert len(alerts) == 2 and worse <= alerts[1] <= worse + QUARTER


def test_replay_refuses_what_is_not_an_even_series():
    with pytest.raises(ValueError, match="length"):
        replay(_times(MONDAY, 3), [1, 2])
    uneven = [*_times(MONDAY, 3), MONDAY + timedelta(hours=2)]
    with pytest.raises(ValueError, match="evenly"):
        replay(uneven, [1, 2, 3, 4])
    with pytest.raises(ValueError, match="naive"):
        replay([t.replace(tzinfo=UTC) for t in _times(MONDAY, 3)], [1, 2, 3])
    assert replay([], []) == []


def test_live_tracking_raises_what_replay_raises_even_from_buckets_under_way():
    times, counts = _usual_weeks()
    onset = MONDAY + timedelta(weeks=4, days=3, hours=9)
    counts = _with(times, counts, onset, 4 * 60, 4.0)
    counts = _with(times, counts, onset + timedelta(hours=2), 2 * 60, 10.0)
    start = MONDAY.replace(tzinfo=UTC).timestamp()
    expected = crisis.detect(Series(start, QUARTER.total_seconds(), counts))
    tracking, live, early = crisis.Tracking(), [], []
    for index in range(_at(times, onset) - 8, _at(times, onset) + 24):
        for share in (0.3, 0.75, 1.0):  # three ingest cycles while the bucket fills
            seen = [*counts[:index], int(counts[index] * share)]
            tracking, alerts = tracking.follow(Series(start, QUARTER.total_seconds(), seen), Settings())
            live += alerts
            early += [share < 1.0 for _ in alerts]
    assert [(a.time, a.kind, a.escalation) for a in live] == [(a.time, a.kind, a.escalation) for a in expected]
    assert len(live) == 2 and early[0]  # the first, before its bucket was complete
