"""Crisis detection: when a watch's mentions rise far above the usual for that time of the week.
Pure: a series of counts in, alerts out; the same code runs live and in `replay`.

The usual of a bucket: the median and the median absolute deviation (robust: one past crisis does
not hide the next) of the counts near the same time (NEAR either side) in the past 4 weeks; while
fewer than WEEKS_NEEDED weeks are known, on the past DAYS days of the same kind (weekdays, or
weekend days, UTC), at least DAYS_NEEDED of them; with less history the detector is silent.

A bucket is a spike when it is at least RATIO times the usual, DEVIATIONS robust deviations above
it, and at least MINIMUM_PER_HOUR mentions an hour. An alert is raised when HOLD buckets in a row
are spikes; the episode lasts until HOLD buckets in a row are not. While it lasts, and for
COOL_DOWN after an alert, another alert is raised only when the rate, against the usual, is
ESCALATION times what it was at the last one. Unusual drops (`Settings.drops`) are the mirror.
"""

from __future__ import annotations

import math
import statistics
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta
from enum import Enum
from typing import overload

from bot.volume import BUCKET, DAY, USUAL_WEEKS, WEEK

THURSDAY = 3  # 1970-01-01, day 0 of unix time
MAD_SCALE = 1.4826  # the MAD of a normal distribution, in standard deviations
NEAR = 30 * 60  # seconds either side of the same time that the usual is read from
WEEKS_NEEDED = 3
DAYS = 14  # days looked back on, of the same kind (weekdays, or weekend days)
DAYS_NEEDED = 3
RATIO = 3.0
DEVIATIONS = 6.0  # tuned on half of NAB's labelled tweet volumes (bench.crisis)
MINIMUM_PER_HOUR = 20
HOLD = 2
COOL_DOWN = 2 * 3600
ESCALATION = 2.0


@dataclass(frozen=True)
class Settings:
    ratio: float = RATIO
    deviations: float = DEVIATIONS
    minimum_per_hour: float = MINIMUM_PER_HOUR
    hold: int = HOLD
    cool_down: float = COOL_DOWN
    escalation: float = ESCALATION
    drops: bool = False

    @property
    def recent(self) -> int:
        """Buckets back from the last that judging it reads the counts of (a live cycle)."""
        return 2 * self.hold


@dataclass(frozen=True)
class Series:
    """Mention counts in evenly spaced buckets: `counts[i]` from `start + i * step` (unix s)."""

    start: float
    step: float
    counts: Sequence[int]

    @classmethod
    def of_buckets(cls, counts: Mapping[int, int], first: int, last: int) -> Series:
        """The stored 15-minute buckets `first` to `last` (bot.volume), those not stored at 0:
        `first` is where counting began (a watch's creation), or earlier buckets read as quiet."""
        return cls(first * BUCKET, BUCKET, _Buckets(counts, first, last))

    def at(self, moment: float) -> int | None:
        """The count of the bucket starting at `moment`; None outside the series."""
        offset = (moment - self.start) / self.step
        index = round(offset)
        return self.counts[index] if offset > -0.5 and 0 <= index < len(self.counts) else None

    def time(self, index: int) -> float:
        return self.start + index * self.step


class _Buckets(Sequence[int]):
    """Stored counts by bucket id as a sequence from bucket `first` (no list of every bucket)."""

    def __init__(self, counts: Mapping[int, int], first: int, last: int) -> None:
        self._counts, self._first, self._length = counts, first, last - first + 1

    def __len__(self) -> int:
        return self._length

    @overload
    def __getitem__(self, index: int) -> int: ...
    @overload
    def __getitem__(self, index: slice) -> Sequence[int]: ...
    def __getitem__(self, index: int | slice) -> int | Sequence[int]:
        if isinstance(index, slice):
            return [self[i] for i in range(*index.indices(self._length))]
        if not -self._length <= index < self._length:
            raise IndexError(index)
        return self._counts.get(self._first + index % self._length, 0)


@dataclass(frozen=True)
class Baseline:
    """The usual count of one bucket at its time, and what it was read from."""

    median: float
    deviation: float  # the median absolute deviation
    basis: str  # "weeks" or "days"

    def spread(self) -> float:
        """How far a count may stray by chance: the robust deviation in standard deviations,
        never less than Poisson's (a quiet hour's few mentions vary at least that much)."""
        return max(MAD_SCALE * self.deviation, math.sqrt(self.median), 1.0)


def baseline(series: Series, index: int) -> Baseline | None:
    """The usual for bucket `index`, from earlier buckets only; None while history is short."""
    moment = series.time(index)
    for moments, needed, basis in _compared(moment):
        samples, periods = _around(series, moments, before=moment)
        if periods >= needed:
            median = statistics.median(samples)
            return Baseline(median, statistics.median(abs(s - median) for s in samples), basis)
    return None


def _compared(moment: float) -> list[tuple[list[float], int, str]]:
    """The moments the usual of `moment` is read around: the same time in past weeks, or on
    past days of the same kind; with how many of them it needs, and the name of that basis."""
    weeks = [moment - k * WEEK for k in range(1, USUAL_WEEKS + 1)]
    days = [moment - k * DAY for k in range(1, DAYS + 1) if _weekend(moment - k * DAY) == _weekend(moment)]
    return [(weeks, WEEKS_NEEDED, "weeks"), (days, DAYS_NEEDED, "days")]


def consulted(moment: float, step: float) -> set[float]:
    """The start of every bucket that judging the bucket at `moment` reads (it included)."""
    return {t for moments, _, _ in _compared(moment) for then in moments for t in _near(then, step, moment)} | {moment}


def _near(then: float, step: float, before: float) -> list[float]:
    """The buckets within NEAR of `then` that start before `before`."""
    reach = max(0, int(NEAR // step))
    return [t for j in range(-reach, reach + 1) if (t := then + j * step) < before]


def _weekend(moment: float) -> bool:
    return (int(moment // DAY) + THURSDAY) % 7 >= 5  # weekday() of a UTC moment, without datetime


def _around(series: Series, moments: list[float], before: float) -> tuple[list[int], int]:
    """The counts near each of `moments` (and before `before`) that the series covers, and of
    how many moments; each bucket once."""
    samples: list[int] = []
    periods = 0
    seen: set[float] = set()
    for then in moments:
        near = [t for t in _near(then, series.step, before) if round(t / series.step) not in seen]
        seen.update(round(t / series.step) for t in near)
        found = [c for t in near if (c := series.at(t)) is not None]
        if near and len(found) == len(near):
            samples += found
            periods += 1
    return samples, periods


class Kind(Enum):
    SPIKE = "spike"
    DROP = "drop"


@dataclass(frozen=True)
class Reading:
    """One bucket judged: its count, the usual then, and whether it is far off it."""

    time: float
    count: int
    usual: Baseline | None
    kind: Kind | None  # SPIKE or DROP when far above or below the usual


def read(series: Series, index: int, settings: Settings) -> Reading:
    return _reading(series, index, baseline(series, index), settings)


def _reading(series: Series, index: int, usual: Baseline | None, settings: Settings) -> Reading:
    count = series.counts[index]
    return Reading(series.time(index), count, usual, _judge(count, usual, series.step, settings))


def _judge(count: int, usual: Baseline | None, step: float, settings: Settings) -> Kind | None:
    if usual is None:
        return None
    minimum = settings.minimum_per_hour * step / 3600
    spread = usual.spread()
    if (
        count >= minimum
        and count >= settings.ratio * max(usual.median, 1.0)
        and (count - usual.median) / spread >= settings.deviations
    ):
        return Kind.SPIKE
    if (
        settings.drops
        and usual.median >= minimum
        and count * settings.ratio <= usual.median
        and (usual.median - count) / spread >= settings.deviations
    ):
        return Kind.DROP
    return None


def times_usual(count: float, usual: float) -> float:
    """How many times the usual a count is (a usual under 1 counts as 1)."""
    return count / max(usual, 1.0)


@dataclass(frozen=True)
class Alert:
    time: float
    kind: Kind
    count: float  # mean count of the buckets that raised it
    usual: float  # mean usual of those buckets
    escalation: bool  # raised during an episode, or a cool-down, that it made ESCALATION times worse
    basis: str  # what the usual was read from: "weeks" or "days"

    @property
    def times_usual(self) -> float:
        return times_usual(self.count, self.usual)


@dataclass(frozen=True)
class Watching:
    """A watch's detector state between buckets: the episode under way, and the last alert."""

    episode: Kind | None = None
    last_alert: float | None = None
    times_usual: float = 0.0  # the rate against the usual at the last alert
    alerted: Kind | None = None  # what the last alert was

    def step(self, recent: Sequence[Reading], settings: Settings) -> tuple[Watching, Alert | None]:
        """The state after the last of `recent` readings (up to the last `hold` buckets), and
        the alert it raises, if any."""
        now, held = recent[-1], recent[-settings.hold :]
        if len(held) < settings.hold or any(r.kind is not now.kind for r in held):
            return self, None  # nothing held long enough to change anything
        if self.episode is not None and now.kind is not self.episode:
            return replace(self, episode=None), None  # back to normal
        if now.kind is None:
            return self, None
        count = statistics.mean(r.count for r in held)
        usual = statistics.mean(r.usual.median for r in held if r.usual)
        alert = Alert(now.time, now.kind, count, usual, False, now.usual.basis if now.usual else "weeks")
        cooled = self.last_alert is None or now.time - self.last_alert >= settings.cool_down
        if self.episode is None and (cooled or self.alerted is not now.kind):  # a spike after a drop is news
            return Watching(now.kind, now.time, alert.times_usual, now.kind), alert
        if now.kind is Kind.SPIKE and alert.times_usual >= settings.escalation * self.times_usual:
            return Watching(now.kind, now.time, alert.times_usual, now.kind), replace(alert, escalation=True)
        return replace(self, episode=now.kind), None


def detect(series: Series, settings: Settings | None = None) -> list[Alert]:
    """Every alert the detector raises over the series, each decided on the data up to it."""
    settings = settings or Settings()
    state = Watching()
    recent: list[Reading] = []
    alerts = []
    for index in range(len(series.counts)):
        recent = [*recent, read(series, index, settings)][-settings.hold :]
        state, alert = state.step(recent, settings)
        if alert:
            alerts.append(alert)
    return alerts


@dataclass(frozen=True)
class Tracking:
    """A watch's detector live: its state after the last complete bucket judged (`judged`, its
    start), the bucket under way whose alert was already raised (`early`, its start), and the
    usual of each recent bucket by its start (read once per bucket: what it reads is past)."""

    watching: Watching = Watching()
    judged: float | None = None
    early: float | None = None
    usuals: dict[float, Baseline | None] = field(default_factory=dict)

    def follow(self, series: Series, settings: Settings) -> tuple[Tracking, list[Alert]]:
        """Judge what the series (up to the bucket under way, its last) adds: each complete
        bucket not judged yet (at most `hold` of them: older ones would alert too late), then the
        bucket under way, whose spike is raised at once (its count can only grow). The series
        holds the buckets `consulted` for the recent ones whose usual is not known yet."""
        last = len(series.counts) - 1
        recent = range(max(0, last - settings.recent), last + 1)
        usuals = {series.time(i): self._usual(series, i) for i in recent}

        def readings(index: int) -> list[Reading]:
            return [
                _reading(series, j, usuals[series.time(j)], settings)
                for j in range(index - settings.hold + 1, index + 1)
            ]

        state, alerts = self.watching, []
        first = last - settings.hold
        if self.judged is not None:
            first = max(first, round((self.judged - series.start) / series.step) + 1)
        for index in range(max(first, settings.hold - 1), last):
            state, alert = state.step(readings(index), settings)
            if alert and alert.time != self.early:
                alerts.append(alert)
        early = self.early if self.early is not None and self.early >= series.time(last) else None
        _, alert = state.step(readings(last), settings) if last >= settings.hold - 1 else (state, None)
        if alert and alert.kind is Kind.SPIKE and alert.time != early:
            early = alert.time  # the state stays that of complete buckets: a partial one is not judged
            alerts.append(alert)
        return Tracking(state, series.time(last - 1) if last > 0 else self.judged, early, usuals), alerts

    def _usual(self, series: Series, index: int) -> Baseline | None:
        moment = series.time(index)
        return self.usuals[moment] if moment in self.usuals else baseline(series, index)

    def unknown(self, moments: list[float]) -> list[float]:
        """Those of `moments` (bucket starts) whose usual is still to read."""
        return [m for m in moments if m not in self.usuals]


def replay(times: list[datetime], counts: list[int]) -> list[datetime]:
    """The times at which the detector raises a crisis alert over an evenly spaced series of
    mention counts (naive UTC datetimes, any bucket size), each decided on the data up to it."""
    if len(times) != len(counts):
        raise ValueError("times and counts differ in length")
    if times and times[0].tzinfo is not None:
        raise ValueError("times must be naive UTC datetimes")
    if len(times) < 2:
        return []
    step = times[1] - times[0]
    if step <= timedelta(0) or any(b - a != step for a, b in zip(times, times[1:])):
        raise ValueError("times must be evenly spaced and increasing")
    start = times[0].replace(tzinfo=UTC).timestamp()
    alerts = detect(Series(start, step.total_seconds(), counts))
    return [times[round((alert.time - start) / step.total_seconds())] for alert in alerts]
