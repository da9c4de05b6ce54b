"""Crisis alerts: after each ingest cycle every watch's latest buckets are judged (bot.crisis) and
each alert raised goes to everyone following the watch, first in their queue (bot.delivery).

A watch is judged from the bucket after its creation: before, nothing was counted, and silence
would read as a quiet usual. The detector's state and the alerts are saved together
(bot.store.crises): an alert is queued once.
"""

from __future__ import annotations

import asyncio
import logging

from bot import volume
from bot.crisis import Alert, Baseline, Series, Settings, Tracking, consulted
from bot.model import Outgoing, Priority, StoredItem, Watch
from bot.render.alerts import CrisisView, crisis_text
from bot.store import Store

log = logging.getLogger(__name__)

SETTINGS = Settings()
LOOK_BACK = (volume.USUAL_WEEKS * volume.WEEK + volume.DAY) // volume.BUCKET  # buckets the usual reaches
HOUR = 3600
DRIVERS = 3  # posts and articles shown as what drives it
READ_FOR_DRIVERS = 200  # the latest items of the watch read to find them
AT_ONCE = 100  # watches judged concurrently (their reads from Redis overlap)


async def check_crises(store: Store, now: float) -> int:
    """Judge every watch; queue its alerts to its followers. How many alerts were raised."""
    watches = await store.watches.all()
    raised = 0
    for start in range(0, len(watches), AT_ONCE):
        some = watches[start : start + AT_ONCE]
        trackings = await store.crises.trackings([w.id for w in some])
        raised += sum(await asyncio.gather(*(_check(store, w, t, now) for w, t in zip(some, trackings, strict=True))))
    return raised


async def _check(store: Store, watch: Watch, tracking: Tracking, now: float) -> int:
    current = volume.bucket(now)
    first = max(volume.bucket(watch.created) + 1, current - LOOK_BACK)
    if first > current:
        return 0
    recent = [float(b * volume.BUCKET) for b in range(max(first, current - 2 * SETTINGS.hold), current + 1)]
    needed = {volume.bucket(t) for t in recent} | {
        volume.bucket(t) for moment in tracking.unknown(recent) for t in consulted(moment, volume.BUCKET)
    }
    counts = await store.volumes.counts(watch.id, sorted(b for b in needed if b >= first))
    series = Series.of_buckets(counts, first, current)
    followed, alerts = tracking.follow(series, SETTINGS)
    if followed == tracking:
        return 0
    messages = [m for alert in alerts for m in await _messages(store, watch, alert, series, followed.usuals, now)]
    await store.crises.save(watch.id, followed, messages)
    for alert in alerts:
        log.info(
            "crisis alert on %s (%s, %.0f x the usual)", watch.id, alert.kind.value, alert.count / max(alert.usual, 1)
        )
    return len(alerts)


async def _messages(
    store: Store, watch: Watch, alert: Alert, series: Series, usuals: dict[float, Baseline | None], now: float
) -> list[Outgoing]:
    """The alert for each follower, in their language and time zone."""
    view = await _view(store, watch, alert, series, usuals, now)
    followers = sorted(await store.watches.followers(watch.id))
    profiles = await store.users.get_many(followers)
    return [
        Outgoing(
            user_id,
            crisis_text(profile.language, profile.timezone, view),
            priority=Priority.CRISIS,
            purpose=f"crisis:{watch.id}:{int(alert.time)}",
        )
        for user_id, profile in profiles.items()
        if profile.active
    ]


async def _view(
    store: Store, watch: Watch, alert: Alert, series: Series, usuals: dict[float, Baseline | None], now: float
) -> CrisisView:
    """What the alert says: the hour up to the bucket that raised it against the usual then,
    and what drives it."""
    raised = round((alert.time - series.start) / series.step)
    hour = range(max(0, raised - HOUR // int(series.step) + 1), raised + 1)
    known = [usuals.get(series.time(i)) for i in hour]
    items = await store.items.recent(watch.id, limit=READ_FOR_DRIVERS, since=now - HOUR)
    return CrisisView(
        watch=watch,
        alert=alert,
        count=sum(series.counts[i] for i in hour),
        usual=sum(u.median for u in known if u),
        basis=next((u.basis for u in reversed(known) if u), "weeks"),
        drivers=_drivers(items),
        from_x=sum(1 for stored in items if stored.item.source == "x"),
        read=len(items),
        now=now,
    )


def _drivers(items: list[StoredItem]) -> list[StoredItem]:
    """The posts and articles with most engagement and reach (sources that carried them too)."""
    return sorted(items, key=lambda s: (s.item.engagement + 10 * len(s.also), s.item.published), reverse=True)[:DRIVERS]
