"""Sending briefings: when due at each user's local time (worker), or now (/briefing).

Every minute `plan_due` enqueues one arq job per due briefing and `send_briefing` runs it, so a
slow or failing briefing holds up no other. Whatever the workers, ticks and crashes, each (user,
local date) briefing is queued exactly once: up to three hours late after an outage (saying so),
skipped beyond (the next one covers the gap). The job id (user, due) keeps one job per briefing
in the queue; the claim lets one job deliver it, queueing the messages and marking it sent in one
transaction; a job's timeout (JOB_TIMEOUT) ends it before its claim can lapse. Nothing is lost:
the user's due entry moves on only once the claim says sent (or skipped), and until then every
tick plans the briefing again. A queued job waits in Redis for any worker; a planner killed
midway leaves the rest to the next tick; a job killed or failing before delivery leaves its claim
to lapse (10 min), then a new job sends the briefing, late; a job killed after delivery leaves it
sent, and the next one only reschedules (a lost `set_last` makes the next briefing cover more,
not less).
"""

from __future__ import annotations

import logging
import secrets
import time

from arq.connections import ArqRedis
from telegram import InlineKeyboardMarkup

from bot import topics, trends
from bot.briefing import Briefing, select
from bot.briefing_inputs import briefed_watches, gather
from bot.model import TEAM_TARGETS, Outgoing, Profile, Watch
from bot.pool import Pool, read
from bot.render.briefing import render
from bot.roles import Role
from bot.schedule import LATE_LIMIT, ON_TIME, local_date, morning_briefing, next_due
from bot.services import Services

log = logging.getLogger(__name__)

FIRST_WINDOW = 24 * 3600  # a first briefing covers the last day
JOB = "briefing"  # the arq job that runs `send_briefing`
JOB_TIMEOUT = 5 * 60  # shorter than a claim (bot.store.briefings.SENDING_TTL, 10 min)


async def compose(
    services: Services, profile: Profile, watches: list[Watch], since: float, pool: Pool, late_minutes: int = 0
) -> tuple[list[str], InlineKeyboardMarkup | None]:
    """The briefing of these watches (the member's: bot.briefing_inputs.briefed_watches) as
    messages (the keyboard goes under the last one), drawn from `pool` from `since` to when it was
    read; the stories no briefing of the pool told yet are told in the process pool."""
    store = services.store
    await trends.fresh_for_briefing(services, time.time())
    inputs = await gather(store, watches, profile.language, since, pool, services.settings.summarizer)
    groups = pool.touching([*(watch.id for watch in watches), *TEAM_TARGETS])
    while not isinstance(content := select(inputs, pool.told, groups), Briefing):
        await pool.tell(content, services.cpu, inputs.algorithm)
    briefing_id = secrets.token_urlsafe(6)
    messages, keyboard, more = render(
        content,
        briefing_id,
        profile.timezone,
        late_minutes=late_minutes,
        watched=len(watches),
        next_at=next_due(profile, max(pool.until, time.time())),
    )
    await store.briefings.save(profile.user_id, briefing_id, more)
    return messages, keyboard


async def briefing_now(services: Services, profile: Profile) -> tuple[list[str], InlineKeyboardMarkup | None]:
    """/briefing: everything since the last briefing; the next one starts from here."""
    store = services.store
    since = await store.briefings.last(profile.user_id) or time.time() - FIRST_WINDOW
    watches = await briefed_watches(store, profile.user_id)
    pool = await read(store, [watch.id for watch in watches], since, services.cpu)  # this member's own
    composed = await compose(services, profile, watches, since, pool)
    await store.briefings.set_last(profile.user_id, pool.until)
    return composed


def job_id(user_id: int, due: float) -> str:
    """The id of the job that sends the briefing of `user_id` due at `due`: one in the queue."""
    return f"briefing:{user_id}:{due!r}"


async def plan_due(services: Services, queue: ArqRedis, now: float | None = None) -> int:
    """Enqueue on `queue` (bot.jobs.job_queue) a job for every briefing that is due; returns how
    many this call enqueued (a job already queued or running is not enqueued again)."""
    planned = 0
    for user_id, due in await services.store.briefings.due(now or time.time()):
        if await queue.enqueue_job(JOB, user_id, due, _job_id=job_id(user_id, due)):
            planned += 1
    return planned


async def _is_member(services: Services, user_id: int) -> bool:
    return user_id in services.settings.owner_ids or await services.store.team.role(user_id) >= Role.READER


async def send_briefing(services: Services, user_id: int, due: float, now: float | None = None) -> bool:
    """Queue the briefing of `user_id` due at `due` and schedule the next one; nothing when it
    was done already or another job has it. True if this call queued it."""
    store = services.store
    now = now or time.time()
    if await store.briefings.next_due(user_id) != due:
        return False  # sent and rescheduled already, or the user changed their schedule
    profile = await store.users.get(user_id)
    if profile is None or not profile.active or not await _is_member(services, user_id):
        await store.briefings.schedule(user_id, None)
        return False
    date = local_date(profile, due)
    state = await store.briefings.claim(user_id, date)
    if state not in ("claimed", "sent"):
        return False  # another job is on it (or crashed: its claim lapses, then a tick plans it again)
    sent = state == "claimed" and await _deliver(services, profile, date, due, now)
    await store.briefings.schedule(user_id, next_due(profile, max(due, now)))
    return sent


async def _deliver(services: Services, profile: Profile, date: str, due: float, now: float) -> bool:
    """Compose and queue the claimed briefing, or skip it when too late; True if queued."""
    store = services.store
    lateness = now - due
    if lateness > LATE_LIMIT:
        log.warning("briefing of %s for %s skipped: %.0f min late", profile.user_id, date, lateness / 60)
        await store.briefings.deliver(profile.user_id, date, [])
        return False
    since = await store.briefings.last(profile.user_id) or due - FIRST_WINDOW
    late = int(lateness // 60) if lateness > ON_TIME else 0
    pool = await services.pools.shared(store, since, services.cpu)  # shared with the briefings due now
    watches = await briefed_watches(store, profile.user_id)
    async with services.pools.composing:
        messages, keyboard = await compose(services, profile, watches, since, pool, late)
    keyboard_data = keyboard.to_dict() if keyboard else None
    outgoing = [
        Outgoing(profile.user_id, text, keyboard_data if n == len(messages) - 1 else None)
        for n, text in enumerate(messages)
    ]
    alerts: dict[str, int] = {}
    if morning_briefing(profile, due) == due:  # it brings the topic alerts held overnight
        held, alerts = await topics.morning(store, profile, now)
        outgoing += held
    await store.briefings.deliver(profile.user_id, date, outgoing, alerts, now)
    await store.briefings.set_last(profile.user_id, pool.until)
    return True
