"""Who is writing: their role and profile, onboarding, and their settings."""

from __future__ import annotations

import re
import time
from dataclasses import dataclass
from functools import cache
from zoneinfo import available_timezones

from bot.config import Settings
from bot.model import MOST_COOLING_OFF, Profile
from bot.render.i18n import language_for
from bot.roles import Role
from bot.schedule import next_due
from bot.store import Store
from bot.team import role_of

_TIME = re.compile(r"^([01]?\d|2[0-3])[:hH.]?([0-5]\d)?$", re.ASCII)
_SECONDS = r"(?:s|sec|secs|secondes?|seconds?)"
_MINUTES = r"(?:m|mn|min|mins|minutes?)"
_DURATION = re.compile(  # "90s", "2 min", "1,5 min", "1min30", "1 min 30 s", "1m30s", "1:30"
    rf"^(?P<sign>-?)\s*(?:(?P<s>\d+)\s*{_SECONDS}"
    rf"|(?P<m>\d+(?:[.,]\d+)?)\s*{_MINUTES}"
    rf"|(?P<mm>\d+)\s*(?:{_MINUTES}|:)\s*(?P<ss>[0-5]?\d)\s*{_SECONDS}?)$",
    re.ASCII | re.IGNORECASE,
)
_DEFAULT_WORDS = {"défaut", "defaut", "par défaut", "par defaut", "default", "reset"}


@dataclass(frozen=True)
class Member:
    """The sender of an update as Vigie sees it."""

    user_id: int
    role: Role
    language: str
    profile: Profile | None

    @property
    def is_member(self) -> bool:
        return self.role >= Role.READER


async def resolve(store: Store, settings: Settings, user_id: int, language_code: str | None) -> Member:
    """The role, language and profile of a Telegram user (nothing is written)."""
    role = await role_of(store, settings.owner_ids, user_id)
    profile = await store.users.get(user_id)
    language = profile.language if profile else language_for(language_code, settings.language)
    return Member(user_id=user_id, role=role, language=language, profile=profile)


async def onboard(store: Store, settings: Settings, member: Member, first_name: str, username: str | None) -> Profile:
    """The member's profile, created with the defaults on first contact, names kept current."""
    profile = member.profile or Profile(user_id=member.user_id, language=member.language, timezone=settings.timezone)
    profile = profile.with_changes(first_name=first_name or "", username=username or "", active=True)
    if profile != member.profile:
        await store.users.save(profile)
    if member.profile is None or await store.briefings.next_due(member.user_id) is None:
        await schedule_briefing(store, profile)
    return profile


async def update_profile(store: Store, profile: Profile, **changes: object) -> Profile:
    """Save changed settings; returns the new profile."""
    updated = profile.with_changes(**changes)
    if updated != profile:
        await store.users.save(updated)
        await schedule_briefing(store, updated)
    return updated


async def schedule_briefing(store: Store, profile: Profile) -> None:
    """Index the member's next briefing by its due time (the worker reads the index)."""
    await store.briefings.schedule(profile.user_id, next_due(profile, time.time()))


def parse_time(text: str) -> str | None:
    """'7h30', '07:30', '730', '7' -> '07:30'; None when it is not a time of day."""
    match = _TIME.match(text.strip())
    if not match:
        return None
    return f"{int(match.group(1)):02d}:{match.group(2) or '00'}"


def parse_quiet_hours(text: str) -> str | None:
    """'22:00-07:00', '22h-7h' -> '22:00-07:00'; 'off', 'non', 'aucune' -> '' (none); None otherwise."""
    if text.strip().lower() in ("off", "non", "no", "none", "aucune", "0"):
        return ""
    start, dash, end = text.partition("-")
    times = parse_time(start), parse_time(end)
    if not dash or None in times or times[0] == times[1]:
        return None
    return f"{times[0]}-{times[1]}"


class SettingError(ValueError):
    """A typed setting refused; `key` names the message that says why."""

    def __init__(self, key: str) -> None:
        super().__init__(key)
        self.key = key


def parse_cooling(text: str) -> int:
    """An owner's cooling-off as typed: '90s', '2 min', '1min30', '1:30', '0' -> seconds (0 to
    10 minutes); 'défaut', 'default' -> -1 (VIGIE_COOLING_OFF). Raises SettingError:
    settings_cooling_unit for a number without its unit (5 seconds or 5 minutes? the wrong guess
    would leave no time to undo), settings_cooling_range past 10 minutes, settings_bad_cooling
    for anything else."""
    text = " ".join(text.split())
    if text.lower() in _DEFAULT_WORDS:
        return -1
    if text.isascii() and text.isdigit():
        if int(text) == 0:
            return 0
        raise SettingError("settings_cooling_unit")
    match = _DURATION.match(text)
    if not match:
        raise SettingError("settings_bad_cooling")
    if match["s"] is not None:
        seconds = int(match["s"])
    elif match["m"] is not None:
        seconds = round(float(match["m"].replace(",", ".")) * 60)
    else:
        seconds = int(match["mm"]) * 60 + int(match["ss"])
    if match["sign"] and seconds:
        raise SettingError("settings_cooling_range")
    if seconds > MOST_COOLING_OFF:
        raise SettingError("settings_cooling_range")
    return seconds


def parse_timezone(text: str) -> str | None:
    """An IANA time zone name, matched case-insensitively; None when unknown."""
    return _timezones().get(text.strip().lower())


@cache
def _timezones() -> dict[str, str]:
    return {name.lower(): name for name in available_timezones()}
