"""Crisis detection: when a watch's mentions rise far above the usual for that time of the week.
Pure: a series of counts in, decisions out; the same code runs live and in `replay`.

Each bucket is judged against the usual for its time: the counts around the same time (within
NEAR either side) in each of the past USUAL_WEEKS weeks, or, while fewer than WEEKS_NEEDED weeks
are known, on each of the days of the same kind (weekdays, or weekend days, UTC) of the past
DAYS (at least DAYS_NEEDED of them); with less history the detector is silent. The usual is robust: the median and the median absolute deviation of those
counts, so one past crisis does not hide the next. A bucket is high when it is at least RATIO
times the usual, DEVIATIONS robust deviations above it (never less than Poisson noise) and at
least MINIMUM_PER_HOUR mentions an hour. An alert is raised when HOLD buckets in a row are
high; the episode lasts until HOLD buckets in a row are not; a new one within COOL_DOWN of the
last alert is raised only if its level is ESCALATION times that alert's, as is an escalation
during an episode. Unusual drops (enabled per watch) are judged the same way, mirrored.
"""

from __future__ import annotations

import math
import statistics
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from enum import Enum

from bot.volume import BUCKET, DAY, WEEK

MAD_SCALE = 1.4826  # the MAD of a normal distribution, in standard deviations
NEAR = 30 * 60  # seconds either side of the same time that the usual is read from
USUAL_WEEKS = 4
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
        """The stored 15-minute buckets `first` to `last` (bot.volume), those not stored at 0."""
        return cls(first * BUCKET, BUCKET, [counts.get(b, 0) for b in range(first, last + 1)])

    def at(self, moment: float) -> int | None:
        """The count of the bucket starting at `moment`; None outside the series."""
        index = round((moment - self.start) / self.step)
        return self.counts[index] if 0 <= index < len(self.counts) else None

    def time(self, index: int) -> float:
        return self.start + index * self.step


@dataclass(frozen=True)
class Usual:
    """The usual count of one bucket at that time, and what it was read from."""

    median: float
    deviation: float
    basis: str  # "weeks" or "days"
    periods: int

    def spread(self) -> float:
        """How far a count may stray by chance: the robust deviation, never below Poisson's."""
        return max(MAD_SCALE * self.deviation, math.sqrt(self.median), 1.0)


def usual(series: Series, index: int) -> Usual | None:
    """The usual for bucket `index`, from earlier buckets only; None while history is short."""
    moment = series.time(index)
    weeks = [moment - k * WEEK for k in range(1, USUAL_WEEKS + 1)]
    days = [moment - k * DAY for k in range(1, DAYS + 1) if _weekend(moment - k * DAY) == _weekend(moment)]
    for moments, needed, basis in ((weeks, WEEKS_NEEDED, "weeks"), (days, DAYS_NEEDED, "days")):
        samples, periods = _around(series, moments)
        if periods >= needed:
            median = statistics.median(samples)
            return Usual(median, statistics.median(abs(s - median) for s in samples), basis, periods)
    return None


def _weekend(moment: float) -> bool:
    return datetime.fromtimestamp(moment, UTC).weekday() >= 5


def _around(series: Series, moments: list[float]) -> tuple[list[int], int]:
    """The counts near each of `moments` that the series covers, and how many it covers."""
    reach = max(0, int(NEAR // series.step))
    samples: list[int] = []
    periods = 0
    for then in moments:
        found = [c for j in range(-reach, reach + 1) if (c := series.at(then + j * series.step)) is not None]
        if len(found) == 2 * reach + 1:
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
    usual: Usual | None
    kind: Kind | None  # SPIKE or DROP when far above or below the usual


def read(series: Series, index: int, settings: Settings) -> Reading:
    count = series.counts[index]
    baseline = usual(series, index)
    return Reading(series.time(index), count, baseline, _judge(count, baseline, series.step, settings))


def _judge(count: int, baseline: Usual | None, step: float, settings: Settings) -> Kind | None:
    if baseline is None:
        return None
    minimum = settings.minimum_per_hour * step / 3600
    spread = baseline.spread()
    if (
        count >= minimum
        and count >= settings.ratio * max(baseline.median, 1.0)
        and (count - baseline.median) / spread >= settings.deviations
    ):
        return Kind.SPIKE
    if (
        settings.drops
        and baseline.median >= minimum
        and count * settings.ratio <= baseline.median
        and (baseline.median - count) / spread >= settings.deviations
    ):
        return Kind.DROP
    return None


@dataclass(frozen=True)
class Alert:
    time: float
    kind: Kind
    level: float  # mean count of the buckets that raised it
    usual: float  # the usual count of a bucket then
    escalation: bool  # an episode already alerted on got ESCALATION times worse


@dataclass(frozen=True)
class Watching:
    """A watch's detector state between buckets: the episode under way, and the last alert."""

    episode: Kind | None = None
    last_alert: float | None = None
    level: float = 0.0  # the last alert's level

    def step(self, recent: Sequence[Reading], settings: Settings) -> tuple[Watching, Alert | None]:
        """The state after the last of `recent` readings (up to the last `hold` buckets), and
        the alert it raises, if any."""
        now = recent[-1]
        held = len(recent) >= settings.hold and all(r.kind is now.kind for r in recent[-settings.hold :])
        level = statistics.mean(r.count for r in recent[-settings.hold :])
        worse = now.kind is Kind.SPIKE and level >= settings.escalation * self.level
        if self.episode is not None:
            if held and now.kind is not self.episode:
                return replace(self, episode=None), None  # back to normal
            if held and self.episode is Kind.SPIKE and worse:
                return self._alert(now, level, escalation=True)
            return self, None
        if not held or now.kind is None:
            return self, None
        cooling = self.last_alert is not None and now.time - self.last_alert < settings.cool_down
        if cooling and not worse:
            return self, None
        return self._alert(now, level, escalation=False)

    def _alert(self, now: Reading, level: float, escalation: bool) -> tuple[Watching, Alert]:
        assert now.kind is not None and now.usual is not None
        return Watching(now.kind, now.time, level), Alert(now.time, now.kind, level, now.usual.median, escalation)


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
    if len(times) < 2:
        return []
    step = (times[1] - times[0]).total_seconds()
    if step <= 0:
        raise ValueError("times must increase evenly")
    start = times[0].replace(tzinfo=UTC).timestamp()
    series = Series(start, step, counts)
    return [times[0] + timedelta(seconds=alert.time - start) for alert in detect(series)]
