"""When a user's briefing is due: their time, their time zone, their days (pure functions)."""

from __future__ import annotations

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from bot.model import Profile, minutes_of_day

LATE_LIMIT = 3 * 3600  # later than this, a missed briefing is skipped (the next one covers it)
ON_TIME = 10 * 60  # up to this, a briefing is not called late
MORNING = 2 * 3600  # a briefing this soon after the quiet hours brings the topic alerts they held


def next_due(profile: Profile, after: float) -> float | None:
    """The first briefing time strictly after `after` (unix time); None when no day is chosen."""
    if not profile.briefing_days:
        return None
    zone = ZoneInfo(profile.timezone)
    hour, minute = divmod(minutes_of_day(profile.briefing_time), 60)
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


def morning_briefing(profile: Profile, moment: float) -> float | None:
    """When the briefing that brings the topic alerts held in the quiet hours `moment` falls in
    (or last left) is due: the first one from their start, if it comes at most MORNING after
    their end. None without quiet hours or such a briefing."""
    if not profile.quiet_hours:
        return None
    zone = ZoneInfo(profile.timezone)
    start, end = (time(*divmod(minutes_of_day(part), 60)) for part in profile.quiet_hours.split("-"))
    local = datetime.fromtimestamp(moment, zone)
    ended = datetime.combine(local.date(), end, tzinfo=zone)
    quiet, past = profile.quiet(moment), ended.timestamp() <= moment
    if not quiet and not past:
        ended -= timedelta(days=1)  # the quiet hours that ended last
    elif quiet and past:
        ended += timedelta(days=1)  # the quiet hours under way end tomorrow
    began = datetime.combine(ended.date() - timedelta(days=start >= end), start, tzinfo=zone)
    due = next_due(profile, began.timestamp() - 1)
    return due if due is not None and due <= ended.timestamp() + MORNING else None


def local_date(profile: Profile, moment: float) -> str:
    """The user's local date (ISO) at `moment`: a briefing's identity for exactly-once."""
    return datetime.fromtimestamp(moment, ZoneInfo(profile.timezone)).date().isoformat()
