"""Who is writing: their role and profile, onboarding, and their settings."""

from __future__ import annotations

import re
import time
from dataclasses import dataclass
from functools import cache
from zoneinfo import available_timezones

from bot.config import Settings
from bot.model import ALL_DAYS, MOST_COOLING_OFF, TIMEZONES, WEEKDAYS, WEEKEND, Profile
from bot.render.i18n import CATALOGS, language_for
from bot.roles import Role
from bot.schedule import next_due
from bot.store import Store
from bot.team import role_of
from bot.watches import fold

_TIME = re.compile(r"^([01]?\d|2[0-3])[:h.]?([0-5]\d)?(am|pm)?$", re.ASCII)
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
    """'7h30', '7 h 30', '07:30', '730', '7', '7:30am' -> '07:30', '6pm' -> '18:00'; any time of
    day; None when it is not one."""
    match = _TIME.match("".join(text.lower().split()))
    if not match:
        return None
    hour, minutes, half = int(match.group(1)), match.group(2) or "00", match.group(3)
    if half:
        if not 1 <= hour <= 12:
            return None
        hour = hour % 12 + (12 if half == "pm" else 0)
    return f"{hour:02d}:{minutes}"


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
    """An IANA time zone name ("europe/paris"), or a city that names one: a city of the buttons
    ("Montréal" is America/Toronto), else the last part of an IANA name ("new york", "new_york",
    "sao paulo"); case and accents do not matter. None when unknown."""
    typed = text.strip()
    return _timezones().get(typed.lower()) or _cities().get(_city(typed))


@cache
def _timezones() -> dict[str, str]:
    return {name.lower(): name for name in available_timezones()}


@cache
def _cities() -> dict[str, str]:
    """City (folded) -> time zone: the buttons' cities, then the last part of every IANA name
    (the first zone in alphabetical order when two share it)."""
    cities: dict[str, str] = {}
    for name in sorted(available_timezones()):
        if "/" in name and not name.startswith("Etc/"):
            cities.setdefault(_city(name.rsplit("/", 1)[1]), name)
    for name, label in TIMEZONES:
        cities.update({_city(city): name for city in label.split("/")})
    return cities


def _city(text: str) -> str:
    return " ".join(fold(text).replace("_", " ").replace("-", " ").split())


def parse_days(text: str) -> frozenset[int] | None:
    """Briefing days as typed: 'lun,mer,ven', 'mon wed fri', 'lundi-vendredi' (a range, which may
    wrap: 'sam-lun'), 'semaine', 'weekdays', 'tous', 'every day', 'week-end', 'aucun' (paused);
    French or English whatever the member's language. None when not understood."""
    typed = " ".join(fold(text).replace("’", "'").split())
    if typed in _day_sets():
        return _day_sets()[typed]
    days: set[int] = set()
    for part in filter(None, re.split(r"[,;/+ ]+", re.sub(r" ?- ?", "-", typed))):
        first, dash, last = part.replace(".", "").partition("-")
        start, end = _day_names().get(first), _day_names().get(last if dash else first)
        if start is None or end is None:
            return None
        days.update((start - 1 + n) % 7 + 1 for n in range((end - start) % 7 + 1))
    return frozenset(days) or None


@cache
def _day_names() -> dict[str, int]:
    """Day names (folded, short and long, French and English, from the catalogs) -> ISO weekday."""
    names: dict[str, int] = {}
    for catalog in CATALOGS.values():
        for key in ("day_names", "day_long"):
            names.update({fold(day): n for n, day in enumerate(catalog[key].split(","), 1)})
    return names


@cache
def _day_sets() -> dict[str, frozenset[int]]:
    """Words for several days at once (the catalogs' labels among them) -> those days."""
    sets = {
        **dict.fromkeys(("tous", "tlj", "all", "daily", "everyday", "every day"), ALL_DAYS),
        **dict.fromkeys(("semaine", "en semaine", "weekdays", "week days"), WEEKDAYS),
        **dict.fromkeys(("week-end", "weekend", "week end", "weekends"), WEEKEND),
        **dict.fromkeys(("aucun", "none", "pause", "jamais", "never"), frozenset[int]()),
    }
    for catalog in CATALOGS.values():
        sets[fold(catalog["days_every"])] = sets[fold(catalog["settings_everyday"])] = ALL_DAYS
        sets[fold(catalog["days_weekdays"])] = sets[fold(catalog["settings_weekdays"])] = WEEKDAYS
    return sets
