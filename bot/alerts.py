"""Crisis alerts: after each ingest cycle every watch's latest buckets are judged (bot.crisis) and
each alert raised goes to everyone following the watch, first in their queue (bot.delivery), as
a chart of the last 48 h with what drives it. The chats that follow its evolution see that message
edited every half hour while the episode lasts (a fresh chart, the latest figures), and once more
when it is over; an escalation is a new alert.

A watch is judged from the bucket after its creation: before, nothing was counted, and silence
would read as a quiet usual. The detector's state, the message followed and what is queued are
saved together (bot.store.crises): an alert or an edit is queued once.
"""

from __future__ import annotations

import asyncio
import logging
import statistics
from collections.abc import Awaitable
from concurrent.futures import Executor
from dataclasses import dataclass, replace

from redis.exceptions import RedisError

from bot import crisis, volume
from bot.crisis import Alert, Series, Settings, Tracking, baseline, consulted, times_usual
from bot.model import CrisisMessage, Kind, Outgoing, Priority, StoredItem, Watch
from bot.render.alerts import CrisisView, Stage, crisis_keyboard, crisis_text
from bot.render.chart import Chart, render
from bot.roles import Role
from bot.store import Store
from bot.team import roles
from bot.terms import new_terms

log = logging.getLogger(__name__)

SETTINGS = Settings()  # a watch's own: with its drops (Watch.drops)
LOOK_BACK = (volume.USUAL_WEEKS * volume.WEEK + volume.DAY) // volume.BUCKET  # buckets the usual reaches
CHART = 48 * 3600 // volume.BUCKET  # buckets a chart shows
HOUR = 3600
DRIVERS = 3  # posts and articles shown as what drives it
READ_FOR_DRIVERS = 2000  # the hour's latest items of the watch read to find them
USUAL_TEXTS = 2000  # the latest items before that hour, the usual new terms are measured against
USUAL_DAYS = 7
AT_ONCE = 100  # watches judged concurrently (their reads from Redis overlap)


@dataclass(frozen=True)
class _Recipient:
    """A chat a crisis alert goes to: a follower's private chat, in their language and time zone
    with the buttons their role may press."""

    chat_id: int
    language: str
    zone: str
    role: Role | None  # None: a group, where every button is checked when pressed


async def check_crises(store: Store, owners: frozenset[int], cpu: Executor, now: float) -> int:
    """Judge every watch; queue its alerts and evolution edits. How many alerts were raised."""
    watches = await store.watches.all()
    raised = 0
    for start in range(0, len(watches), AT_ONCE):
        some = watches[start : start + AT_ONCE]
        states = await store.crises.trackings([w.id for w in some])
        spans = {w.id: _span(w, t, now) for w, (t, _) in zip(some, states, strict=True)}
        counts = await store.volumes.counts_of({w: needed for w, (_, needed) in spans.items() if needed})
        raised += sum(
            await asyncio.gather(
                *(
                    _safely(w, _judge(store, owners, cpu, w, t, m, now, spans[w.id][0], counts[w.id]))
                    for w, (t, m) in zip(some, states, strict=True)
                    if w.id in counts
                )
            )
        )
    return raised


def _span(watch: Watch, tracking: Tracking, now: float) -> tuple[int, list[int]]:
    """The first bucket the watch is judged from, and the buckets judging it now reads: the
    recent ones, and those their usual is read from if not known yet (none: too new to judge)."""
    current = volume.bucket(now)
    first = max(volume.bucket(watch.created) + 1, current - LOOK_BACK)
    if first > current:
        return first, []
    recent = [float(b * volume.BUCKET) for b in range(max(first, current - SETTINGS.recent), current + 1)]
    needed = {volume.bucket(t) for t in recent} | {
        volume.bucket(t) for moment in tracking.unknown(recent) for t in consulted(moment, volume.BUCKET)
    }
    return first, sorted(b for b in needed if b >= first)


async def _safely(watch: Watch, judging: Awaitable[int]) -> int:
    """The alerts `judging` the watch raised; none when it failed."""
    try:
        return await judging
    except RedisError as exc:
        log.warning("crisis check of %s failed: %s", watch.id, exc)
        return 0
    except Exception:  # one watch's fault (a chart, the process pool) does not stop the others
        log.exception("crisis check of %s failed", watch.id)
        return 0


async def _judge(
    store: Store,
    owners: frozenset[int],
    cpu: Executor,
    watch: Watch,
    tracking: Tracking,
    message: CrisisMessage | None,
    now: float,
    first: int,
    counts: dict[int, int],
) -> int:
    """Judge the watch on `counts` (those `_span` asked for, from bucket `first`); queue what it
    raises and the evolution due. How many alerts were raised."""
    series = Series.of_buckets(counts, first, volume.bucket(now))
    followed, alerts = tracking.follow(series, replace(SETTINGS, drops=watch.drops))
    after, stage = evolution(message, followed, alerts, now)
    if followed == tracking and after == message:
        return 0
    queued: list[Outgoing] = []
    if alerts or stage:
        telling = _Telling(store, cpu, watch, now)
        everyone = await _recipients(store, owners, watch)
        for alert in alerts:
            queued += await telling.alert(everyone, alert)
        if stage and message:
            following = await store.crises.following(watch.id)
            chats = [r for r in everyone if r.chat_id in following]
            queued += await telling.update(chats, message, stage, series, followed)
    new_episode = any(not alert.escalation for alert in alerts)
    if not await store.crises.save(watch.id, tracking, followed, queued, message, after, new_episode=new_episode):
        log.info("crisis check of %s: another cycle judged it first", watch.id)
        return 0
    for alert in alerts:
        log.info("crisis alert on %s (%s, %.0f x the usual)", watch.id, alert.kind.value, alert.times_usual)
    return len(alerts)


def evolution(
    message: CrisisMessage | None, followed: Tracking, alerts: list[Alert], now: float
) -> tuple[CrisisMessage | None, Stage | None]:
    """The crisis message followed after this cycle, and what its followers are shown of it
    (None: nothing): an alert starts a new message; the one followed is updated while the
    episode lasts, once more when it ends."""
    if alerts:
        return CrisisMessage(alerts[-1].time, now), None
    if message is None:
        return None, None
    # an alert raised early, on the bucket under way, starts its episode once that bucket is judged
    if followed.watching.episode is None and (followed.judged or 0.0) >= message.alert:
        return None, Stage.OVER
    if message.due(now):
        return replace(message, updated=now), Stage.ONGOING
    return message, None


async def _recipients(store: Store, owners: frozenset[int], watch: Watch) -> list[_Recipient]:
    """The watch's followers who are still active members, then its groups (crisis cells)."""
    profiles = await store.users.get_many(sorted(await store.watches.followers(watch.id)))
    everyone = await roles(store, owners)
    followers = [
        _Recipient(user_id, profile.language, profile.timezone, role)
        for user_id, profile in profiles.items()
        if profile.active and (role := everyone.get(user_id, Role.STRANGER)) >= Role.READER
    ]
    cells = await store.crises.cells(watch.id)
    return followers + [
        _Recipient(chat_id, language, zone, None) for chat_id, (language, zone) in sorted(cells.items())
    ]


class _Telling:
    """What a watch's crisis messages say and show, read once per cycle: drivers, new terms, charts."""

    def __init__(self, store: Store, cpu: Executor, watch: Watch, now: float) -> None:
        self._store, self._cpu, self._watch, self._now = store, cpu, watch, now
        self._items: list[StoredItem] | None = None
        self._terms: list[str] | None = None

    async def alert(self, recipients: list[_Recipient], alert: Alert) -> list[Outgoing]:
        """The alert for each recipient, in their language and time zone."""
        step = volume.BUCKET
        stage = Stage.WORSE if alert.escalation else Stage.RAISED
        view = await self._view(
            stage,
            round(alert.count * SETTINGS.hold),
            alert.time - (SETTINGS.hold - 1) * step,
            alert.times_usual,
            alert.basis,
            alert.usual * SETTINGS.hold,
            alert.kind is crisis.Kind.DROP,
        )
        purpose = CrisisMessage(alert.time, self._now).purpose(self._watch.id)
        return await self._messages(recipients, view, alert.time, Kind.PHOTO, purpose, following=False)

    async def update(
        self, chats: list[_Recipient], message: CrisisMessage, stage: Stage, series: Series, followed: Tracking
    ) -> list[Outgoing]:
        """The followed message, edited with the latest complete buckets and a fresh chart."""
        last = len(series.counts) - 1
        held = range(max(0, last - SETTINGS.hold), last)
        counts = [series.counts[i] for i in held]
        usuals = [u for i in held if (u := followed.usuals.get(series.time(i)))]
        usual = statistics.mean(u.median for u in usuals) if usuals else 0.0
        ratio = times_usual(statistics.mean(counts), usual) if counts else 0.0
        basis = usuals[-1].basis if usuals else "weeks"
        drop = followed.watching.alerted is crisis.Kind.DROP
        view = await self._view(stage, sum(counts), series.time(held.start), ratio, basis, usual * len(counts), drop)
        following = True if stage is Stage.ONGOING else None
        purpose = message.purpose(self._watch.id)
        return await self._messages(chats, view, message.alert, Kind.EDIT_PHOTO, purpose, following)

    async def _messages(
        self, chats: list[_Recipient], view: CrisisView, alert: float, kind: Kind, purpose: str, following: bool | None
    ) -> list[Outgoing]:
        """The view for each chat, in its language and time zone, over its chart, with its buttons."""
        charts = await self._charts(chats, alert)
        return [
            Outgoing(
                r.chat_id,
                crisis_text(r.language, r.zone, view),
                keyboard=crisis_keyboard(r.language, r.role, self._watch.id, following, view.drop),
                kind=kind,
                photo=charts[r.language, r.zone],
                priority=Priority.CRISIS,
                purpose=purpose,
            )
            for r in chats
        ]

    async def _view(
        self, stage: Stage, mentions: int, since: float, ratio: float, basis: str, usual: float, drop: bool
    ) -> CrisisView:
        items = [] if drop else await self._recent()  # a drop has nothing driving it
        return CrisisView(
            watch=self._watch,
            stage=stage,
            mentions=mentions,
            minutes=round(SETTINGS.hold * volume.BUCKET / 60),
            since=since,
            ratio=ratio,
            basis=basis,
            drivers=_drivers(items),
            terms=[] if drop else await self._new_terms(items),
            from_x=sum(1 for stored in items if stored.item.source == "x"),
            read=len(items),
            now=self._now,
            usual=usual,
            drop=drop,
        )

    async def _recent(self) -> list[StoredItem]:
        if self._items is None:
            self._items = await self._store.items.recent(self._watch.id, limit=READ_FOR_DRIVERS, since=self._now - HOUR)
        return self._items

    async def _new_terms(self, items: list[StoredItem]) -> list[str]:
        if self._terms is None:
            before = await self._store.items.recent(
                self._watch.id, limit=USUAL_TEXTS, since=self._now - USUAL_DAYS * volume.DAY, until=self._now - HOUR
            )
            known = [self._watch.name, self._watch.query]
            texts = [_text(s) for s in items], [_text(s) for s in before]
            terms: list[str] = await asyncio.get_running_loop().run_in_executor(self._cpu, new_terms, *texts, known)
            self._terms = terms
        return self._terms

    async def _charts(self, recipients: list[_Recipient], alert: float) -> dict[tuple[str, str], str]:
        """The chart of the last 48 h in each language and time zone wanted, kept for sending."""
        wanted = sorted({(r.language, r.zone) for r in recipients})
        if not wanted:
            return {}
        series, shown = await self._history()
        loop = asyncio.get_running_loop()
        drawn = chart(series, shown, self._watch.name, *wanted[0], alert)  # the usuals read once
        charts = [replace(drawn, language=language, timezone=zone) for language, zone in wanted]
        pictures = await asyncio.gather(*(loop.run_in_executor(self._cpu, render, c) for c in charts))
        return {w: await self._store.delivery.keep_blob(p) for w, p in zip(wanted, pictures, strict=True)}

    async def _history(self) -> tuple[Series, range]:
        """The counts the chart needs, and which of them it shows: the last 48 h (since the
        watch's creation at most), with what the usual of each reads."""
        current = volume.bucket(self._now)
        shown = max(volume.bucket(self._watch.created) + 1, current - CHART + 1)
        first = max(volume.bucket(self._watch.created) + 1, shown - LOOK_BACK)
        counts = await self._store.volumes.counts(self._watch.id, range(first, current + 1))
        return Series.of_buckets(counts, first, current), range(shown - first, current - first + 1)


def chart(series: Series, shown: range, title: str, language: str, zone: str, alert: float) -> Chart:
    """The chart of the buckets `shown` of the series, each against its usual."""
    usuals = [baseline(series, i) for i in shown]
    return Chart(
        title,
        language,
        zone,
        series.time(shown.start),
        series.step,
        tuple(series.counts[i] for i in shown),
        tuple(u.median if u else None for u in usuals),
        tuple(u.spread() if u else None for u in usuals),
        alert,
    )


def _text(stored: StoredItem) -> str:
    """An item's words, and its author as an account on X (an account new to the conversation)."""
    item = stored.item
    author = f" @{item.author}" if item.source == "x" and item.author else ""
    return f"{item.title} {item.text}{author}"


def _drivers(items: list[StoredItem]) -> list[StoredItem]:
    """The posts and articles with most engagement and reach (sources that carried them too)."""
    return sorted(items, key=lambda s: (s.item.engagement + 10 * len(s.also), s.item.published), reverse=True)[:DRIVERS]
