"""Sending briefings: when due at each user's local time (worker, every minute), or now
(/briefing). Exactly once per user and local date across any number of workers; up to three
hours late after an outage (saying so); later than that skipped, the next one covering the gap."""

from __future__ import annotations

import asyncio
import logging
import secrets
import time

from telegram import InlineKeyboardMarkup

from bot.briefing import build
from bot.briefing_inputs import gather
from bot.model import Outgoing, Profile
from bot.render.briefing import render
from bot.roles import Role
from bot.schedule import LATE_LIMIT, ON_TIME, local_date, next_due
from bot.services import Services

log = logging.getLogger(__name__)

FIRST_WINDOW = 24 * 3600  # a first briefing covers the last day


async def compose(
    services: Services, profile: Profile, since: float, until: float, late_minutes: int = 0
) -> tuple[list[str], InlineKeyboardMarkup | None]:
    """The briefing's messages (the keyboard goes under the last one)."""
    inputs = await gather(services.store, profile.user_id, profile.language, since, until, services.settings.summarizer)
    content = await asyncio.get_running_loop().run_in_executor(services.cpu, build, inputs)
    briefing_id = secrets.token_urlsafe(6)
    messages, keyboard, more = render(content, briefing_id, profile.timezone, late_minutes=late_minutes)
    await services.store.briefings.save(profile.user_id, briefing_id, more)
    return messages, keyboard


async def briefing_now(services: Services, profile: Profile) -> tuple[list[str], InlineKeyboardMarkup | None]:
    """/briefing: everything since the last briefing; the next one starts from here."""
    until = time.time()
    since = await services.store.briefings.last(profile.user_id) or until - FIRST_WINDOW
    composed = await compose(services, profile, since, until)
    await services.store.briefings.set_last(profile.user_id, until)
    return composed


async def _is_member(services: Services, user_id: int) -> bool:
    return user_id in services.settings.owner_ids or await services.store.team.role(user_id) >= Role.READER


async def send_due(services: Services, now: float | None = None) -> int:
    """Queue every briefing that is due; returns how many were queued by this call."""
    store = services.store
    now = now or time.time()
    queued = 0
    for user_id, due in await store.briefings.due(now):
        profile = await store.users.get(user_id)
        if profile is None or not await _is_member(services, user_id):
            await store.briefings.schedule(user_id, None)
            continue
        date = local_date(profile, due)
        state = await store.briefings.claim(user_id, date)
        if state not in ("claimed", "sent"):
            continue  # another worker is on it (or crashed: its claim lapses, then it is retried)
        if state == "claimed":
            lateness = now - due
            if lateness > LATE_LIMIT:
                log.warning("briefing of %s for %s skipped: %.0f min late", user_id, date, lateness / 60)
                await store.briefings.deliver(user_id, date, [])
            else:
                since = await store.briefings.last(user_id) or due - FIRST_WINDOW
                late = int(lateness // 60) if lateness > ON_TIME else 0
                messages, keyboard = await compose(services, profile, since, now, late)
                keyboard_data = keyboard.to_dict() if keyboard else None
                outgoing = [
                    Outgoing(user_id, text, keyboard_data if n == len(messages) - 1 else None)
                    for n, text in enumerate(messages)
                ]
                await store.briefings.deliver(user_id, date, outgoing)
                await store.briefings.set_last(user_id, now)
                queued += 1
        await store.briefings.schedule(user_id, next_due(profile, max(due, now)))
    return queued
