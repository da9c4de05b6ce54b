"""Who is writing: their role and profile, onboarding, and their settings."""

from __future__ import annotations

import re
import time
from dataclasses import dataclass
from functools import cache
from zoneinfo import available_timezones

from bot.config import Settings
from bot.model import Profile
from bot.render.i18n import language_for
from bot.roles import Role
from bot.schedule import next_due
from bot.store import Store
from bot.team import role_of

_TIME = re.compile(r"^([01]?\d|2[0-3])[:hH.]?([0-5]\d)?$", re.ASCII)


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


def parse_timezone(text: str) -> str | None:
    """An IANA time zone name, matched case-insensitively; None when unknown."""
    return _timezones().get(text.strip().lower())


@cache
def _timezones() -> dict[str, str]:
    return {name.lower(): name for name in available_timezones()}
