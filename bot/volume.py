"""Mentions of a watch, counted by publication time: totals over a window and the usual for the
same window of the week (bot.crisis judges spikes). Pure: counts come in as {bucket: count}.

An item counts once, in the 15-minute bucket of its publication (so a feed's backlog or a first
X search spreads over the days it covers, and alerts can react within one bucket). The usual is
robust: the median over the past weeks that have mentions in that window, so one past crisis
does not raise it for a month.
"""

from __future__ import annotations

import statistics
from collections.abc import Mapping

BUCKET = 15 * 60
DAY = 86400
WEEK = 7 * DAY
USUAL_WEEKS = 4
KEEP_DAYS = 7 * (USUAL_WEEKS + 1)  # counts are kept this long: the current week and the usual


def bucket(moment: float) -> int:
    return int(moment // BUCKET)


def day(bucket_id: int) -> int:
    """The UTC day (unix time // 86400) a bucket lies in: counts are stored per day."""
    return bucket_id * BUCKET // DAY


def buckets(since: float, until: float) -> range:
    """The buckets that the window [since, until) touches."""
    return range(bucket(since), bucket(until - 1) + 1) if until > since else range(0)


def history_buckets(since: float, until: float, weeks: int = USUAL_WEEKS) -> list[int]:
    """The buckets of the window and of the same window in each of the past `weeks`."""
    return [b for k in range(weeks + 1) for b in buckets(since - k * WEEK, until - k * WEEK)]


def total(counts: Mapping[int, int], since: float, until: float) -> int:
    return sum(counts.get(b, 0) for b in buckets(since, until))


def usual(counts: Mapping[int, int], since: float, until: float, weeks: int = USUAL_WEEKS) -> float | None:
    """The usual count for [since, until): the median over the past `weeks` that have mentions
    then; None without any."""
    seen = [count for k in range(1, weeks + 1) if (count := total(counts, since - k * WEEK, until - k * WEEK))]
    return statistics.median(seen) if seen else None
