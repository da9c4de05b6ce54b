"""When a user's briefing is due: their time, their time zone, their days (pure functions)."""

from __future__ import annotations

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from bot.model import Profile

LATE_LIMIT = 3 * 3600  # later than this, a missed briefing is skipped (the next one covers it)
ON_TIME = 10 * 60  # up to this, a briefing is not called late


def next_due(profile: Profile, after: float) -> float | None:
    """The first briefing time strictly after `after` (unix time); None when no day is chosen."""
    if not profile.briefing_days:
        return None
    zone = ZoneInfo(profile.timezone)
    hour, minute = (int(part) for part in profile.briefing_time.split(":"))
    start = datetime.fromtimestamp(after, zone).date()
    for offset in range(8):
        day = start + timedelta(days=offset)
        if day.isoweekday() not in profile.briefing_days:
            continue
        # A time skipped by a DST change (02:30 in spring) resolves to the same wall time + 1 h.
        moment = datetime.combine(day, time(hour, minute), tzinfo=zone).timestamp()
        if moment > after:
            return moment
    return None


def local_date(profile: Profile, moment: float) -> str:
    """The user's local date (ISO) at `moment`: a briefing's identity for exactly-once."""
    return datetime.fromtimestamp(moment, ZoneInfo(profile.timezone)).date().isoformat()
