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
ESCALATION times what it was at the last one. Unusual drops (enabled per watch) are the mirror.
"""

from __future__ import annotations

import math
import statistics
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from enum import Enum

from bot.volume import BUCKET, DAY, USUAL_WEEKS, WEEK

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
        return cls(first * BUCKET, BUCKET, [counts.get(b, 0) for b in range(first, last + 1)])

    def at(self, moment: float) -> int | None:
        """The count of the bucket starting at `moment`; None outside the series."""
        offset = (moment - self.start) / self.step
        index = round(offset)
        return self.counts[index] if offset > -0.5 and 0 <= index < len(self.counts) else None

    def time(self, index: int) -> float:
        return self.start + index * self.step


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
    weeks = [moment - k * WEEK for k in range(1, USUAL_WEEKS + 1)]
    days = [moment - k * DAY for k in range(1, DAYS + 1) if _weekend(moment - k * DAY) == _weekend(moment)]
    for moments, needed, basis in ((weeks, WEEKS_NEEDED, "weeks"), (days, DAYS_NEEDED, "days")):
        samples, periods = _around(series, moments, before=moment)
        if periods >= needed:
            median = statistics.median(samples)
            return Baseline(median, statistics.median(abs(s - median) for s in samples), basis)
    return None


def _weekend(moment: float) -> bool:
    return datetime.fromtimestamp(moment, UTC).weekday() >= 5


def _around(series: Series, moments: list[float], before: float) -> tuple[list[int], int]:
    """The counts near each of `moments` (and before `before`) that the series covers, and of
    how many moments; each bucket once."""
    reach = max(0, int(NEAR // series.step))
    samples: list[int] = []
    periods = 0
    seen: set[float] = set()
    for then in moments:
        near = [then + j * series.step for j in range(-reach, reach + 1)]
        near = [t for t in near if t < before and round(t / series.step) not in seen]
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
    count = series.counts[index]
    usual = baseline(series, index)
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


@dataclass(frozen=True)
class Alert:
    time: float
    kind: Kind
    count: float  # mean count of the buckets that raised it
    usual: float  # mean usual of those buckets
    escalation: bool  # raised during an episode, or a cool-down, that it made ESCALATION times worse


@dataclass(frozen=True)
class Watching:
    """A watch's detector state between buckets: the episode under way, and the last alert."""

    episode: Kind | None = None
    last_alert: float | None = None
    times_usual: float = 0.0  # the rate against the usual at the last alert

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
        times_usual = count / max(usual, 1.0)
        calm = self.episode is None and (self.last_alert is None or now.time - self.last_alert >= settings.cool_down)
        if calm:
            return Watching(now.kind, now.time, times_usual), Alert(now.time, now.kind, count, usual, False)
        if now.kind is Kind.SPIKE and times_usual >= settings.escalation * self.times_usual:
            return Watching(now.kind, now.time, times_usual), Alert(now.time, now.kind, count, usual, True)
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


def replay(times: list[datetime], counts: list[int]) -> list[datetime]:
    """The times at which the detector raises a crisis alert over an evenly spaced series of
    mention counts (naive UTC datetimes, any bucket size), each decided on the data up to it."""
    if len(times) != len(counts):
        raise ValueError("times and counts differ in length")
    if any(t.tzinfo is not None for t in times[:1]):
        raise ValueError("times must be naive UTC datetimes")
    if len(times) < 2:
        return []
    step = times[1] - times[0]
    if step <= timedelta(0) or any(b - a != step for a, b in zip(times, times[1:])):
        raise ValueError("times must be evenly spaced and increasing")
    start = times[0].replace(tzinfo=UTC).timestamp()
    alerts = detect(Series(start, step.total_seconds(), counts))
    return [times[round((alert.time - start) / step.total_seconds())] for alert in alerts]
