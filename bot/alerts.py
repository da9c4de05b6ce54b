"""Crisis alerts: after each ingest cycle every watch's latest buckets are judged (bot.crisis) and
each alert raised goes to everyone following the watch, first in their queue (bot.delivery).

A watch is judged from the bucket after its creation: before, nothing was counted, and silence
would read as a quiet usual. The detector's state and the alerts are saved together
(bot.store.crises): an alert is queued once.
"""

from __future__ import annotations

import asyncio
import logging

from redis.exceptions import RedisError

from bot import volume
from bot.crisis import Alert, Series, Settings, Tracking, consulted
from bot.model import Outgoing, Priority, StoredItem, Watch
from bot.render.alerts import CrisisView, crisis_keyboard, crisis_text
from bot.roles import Role
from bot.store import Store
from bot.team import roles

log = logging.getLogger(__name__)

SETTINGS = Settings()
LOOK_BACK = (volume.USUAL_WEEKS * volume.WEEK + volume.DAY) // volume.BUCKET  # buckets the usual reaches
HOUR = 3600
DRIVERS = 3  # posts and articles shown as what drives it
READ_FOR_DRIVERS = 2000  # the hour's latest items of the watch read to find them
AT_ONCE = 100  # watches judged concurrently (their reads from Redis overlap)


async def check_crises(store: Store, owners: frozenset[int], now: float) -> int:
    """Judge every watch; queue its alerts to its followers. How many alerts were raised."""
    watches = await store.watches.all()
    raised = 0
    for start in range(0, len(watches), AT_ONCE):
        some = watches[start : start + AT_ONCE]
        trackings = await store.crises.trackings([w.id for w in some])
        raised += sum(
            await asyncio.gather(*(_check(store, owners, w, t, now) for w, t in zip(some, trackings, strict=True)))
        )
    return raised


async def _check(store: Store, owners: frozenset[int], watch: Watch, tracking: Tracking, now: float) -> int:
    try:
        return await _judge(store, owners, watch, tracking, now)
    except (RedisError, ValueError, KeyError) as exc:  # one watch's fault does not stop the others
        log.warning("crisis check of %s failed: %s", watch.id, exc)
        return 0


async def _judge(store: Store, owners: frozenset[int], watch: Watch, tracking: Tracking, now: float) -> int:
    current = volume.bucket(now)
    first = max(volume.bucket(watch.created) + 1, current - LOOK_BACK)
    if first > current:
        return 0
    recent = [float(b * volume.BUCKET) for b in range(max(first, current - SETTINGS.recent), current + 1)]
    needed = {volume.bucket(t) for t in recent} | {
        volume.bucket(t) for moment in tracking.unknown(recent) for t in consulted(moment, volume.BUCKET)
    }
    counts = await store.volumes.counts(watch.id, sorted(b for b in needed if b >= first))
    series = Series.of_buckets(counts, first, current)
    followed, alerts = tracking.follow(series, SETTINGS)
    if followed == tracking:
        return 0
    messages = [m for alert in alerts for m in await _messages(store, owners, watch, alert, series.step, now)]
    if not await store.crises.save(watch.id, tracking, followed, messages):
        log.info("crisis check of %s: another cycle judged it first", watch.id)
        return 0
    for alert in alerts:
        log.info(
            "crisis alert on %s (%s, %.0f x the usual)", watch.id, alert.kind.value, alert.count / max(alert.usual, 1)
        )
    return len(alerts)


async def _messages(
    store: Store,
    owners: frozenset[int],
    watch: Watch,
    alert: Alert,
    step: float,
    now: float,
) -> list[Outgoing]:
    """The alert for each follower, in their language and time zone, with the buttons their
    role may press."""
    view = await _view(store, watch, alert, step, now)
    profiles = await store.users.get_many(sorted(await store.watches.followers(watch.id)))
    everyone = await roles(store, owners)
    return [
        Outgoing(
            user_id,
            crisis_text(profile.language, profile.timezone, view),
            keyboard=crisis_keyboard(profile.language, everyone.get(user_id, Role.STRANGER), watch.id),
            priority=Priority.CRISIS,
            purpose=f"crisis:{watch.id}:{int(alert.time)}",
        )
        for user_id, profile in profiles.items()
        if profile.active
    ]


async def _view(store: Store, watch: Watch, alert: Alert, step: float, now: float) -> CrisisView:
    """What the alert says: the buckets that raised it against the usual then (what the
    detector judged), and what drives it."""
    items = await store.items.recent(watch.id, limit=READ_FOR_DRIVERS, since=now - HOUR)
    return CrisisView(
        watch=watch,
        alert=alert,
        mentions=round(alert.count * SETTINGS.hold),
        minutes=round(SETTINGS.hold * step / 60),
        since=alert.time - (SETTINGS.hold - 1) * step,
        drivers=_drivers(items),
        from_x=sum(1 for stored in items if stored.item.source == "x"),
        read=len(items),
        now=now,
    )


def _drivers(items: list[StoredItem]) -> list[StoredItem]:
    """The posts and articles with most engagement and reach (sources that carried them too)."""
    return sorted(items, key=lambda s: (s.item.engagement + 10 * len(s.also), s.item.published), reverse=True)[:DRIVERS]
