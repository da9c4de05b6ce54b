"""Topic alerts: each new item of a watch goes to the chats with an alert on it whose filters it
passes (bot.model.Subscription), grouped: at most one message per watch every `alert_every`
minutes of the member's, the items that came meanwhile counted in the next ("and 14 more").
During the member's quiet hours they wait; they come with the morning briefing when it follows
the quiet hours closely (bot.schedule.morning_briefing), together at their end otherwise.

Run after each ingest cycle's items are stored: `route` the ones newly stored, then `flush` what
may be told now (bot.store.topics keeps them in between: nothing is told twice or lost).
"""

from __future__ import annotations

import logging
import re
from collections import defaultdict
from dataclasses import replace

from bot.model import Incoming, Outgoing, Priority, Profile, StoredItem, Subscription, Watch
from bot.render.alerts import topic_text
from bot.roles import Role
from bot.schedule import LATE_LIMIT, local_date, morning_briefing
from bot.store import Store
from bot.team import roles

log = logging.getLogger(__name__)

SHOWN = 5  # items told in one alert; the rest are counted
_MIN = re.compile(r"min:(\d{1,7})")
_SOURCES = {"sources:x": "x", "sources:news": "news", "sources:presse": "news"}
_VERIFIED = {"verified", "vérifié", "verifie", "vérifiés", "verifies"}
_LANGUAGE = re.compile(r"lang(?:ue)?:([a-z]{2})")
_FILTER_NAMES = {"min", "sources", "lang", "langue"}


class FilterError(ValueError):
    """A word of `/alert` that looks like a filter and is none (`value`)."""

    def __init__(self, value: str) -> None:
        super().__init__(value)
        self.value = value


def parse_filters(words: list[str]) -> tuple[str, Subscription]:
    """`/alert`'s words: the watch's name, and its filters (a Subscription to no watch yet)."""
    name: list[str] = []
    filters = Subscription("")
    for word in words:
        lower = word.lower()
        if match := _MIN.fullmatch(lower):
            filters = replace(filters, min_engagement=int(match[1]))
        elif lower in _SOURCES:
            filters = replace(filters, sources=_SOURCES[lower])
        elif lower in _VERIFIED:
            filters = replace(filters, verified=True)
        elif match := _LANGUAGE.fullmatch(lower):
            filters = replace(filters, language=match[1])
        elif lower.partition(":")[0] in _FILTER_NAMES and ":" in lower:
            raise FilterError(word)  # a filter with a value it cannot take
        else:
            name.append(word)
    return " ".join(name), filters


async def route(store: Store, indexed: list[tuple[str, str, Incoming]]) -> int:
    """The newly stored items (target, key stored under, item), each set aside for the chats
    whose alert on a watch it mentions it passes (not one only listed there: an attached
    feed's other articles). How many were set aside."""
    by_watch: dict[str, list[tuple[str, Incoming]]] = defaultdict(list)
    for target, key, incoming in indexed:
        if target in incoming.mentions:
            by_watch[target].append((key, incoming))
    subscribers = await store.topics.subscribers(sorted(by_watch))
    matched = []
    for watch_id, chats in subscribers.items():
        items = [(key, StoredItem.from_json(incoming.payload).item) for key, incoming in by_watch[watch_id]]
        matched += [
            (chat_id, watch_id, key)
            for chat_id, subscription in chats.items()
            for key, item in items
            if subscription.matches(item)
        ]
    await store.topics.hold(matched)
    return len(matched)


async def flush(store: Store, owners: frozenset[int], now: float) -> int:
    """Queue the alerts that may be told now (to members: a removed one's alerts are dropped).
    How many were queued."""
    waiting = await store.topics.waiting()
    if not waiting:
        return 0
    profiles = await store.users.get_many(sorted({chat_id for chat_id, _ in waiting}))
    members = await roles(store, owners)
    watches = {watch.id: watch for watch in await store.watches.all()}
    queued = 0
    for chat_id, watch_id in waiting:
        item_keys, sent = await store.topics.pending(chat_id, watch_id)
        profile, watch = profiles.get(chat_id), watches.get(watch_id)
        is_member = members.get(chat_id, Role.STRANGER) >= Role.READER
        if profile is None or watch is None or not profile.active or not is_member or not item_keys:
            await store.topics.told(chat_id, watch_id, item_keys, None, now)  # no one to tell, nothing to tell
            continue
        if now < sent + profile.alert_every * 60 or await _waiting(store, profile, now):
            continue
        items = await store.items.get_many(item_keys)
        message = _alert(profile, watch, items, Priority.ALERT, now) if items else None
        if await store.topics.told(chat_id, watch_id, item_keys, message, now):
            queued += bool(items)
    return queued


async def morning(store: Store, profile: Profile, now: float) -> tuple[list[Outgoing], dict[str, int]]:
    """The topic alerts that waited for the member's morning briefing, to come right after it:
    a message per watch, and how many of each watch's waiting items they tell (bot.store.
    briefings.deliver removes them with the briefing)."""
    messages, told = [], {}
    for subscription in await store.topics.of_chat(profile.user_id):  # most members have none
        item_keys, _ = await store.topics.pending(profile.user_id, subscription.watch_id)
        if not item_keys or (watch := await store.watches.get(subscription.watch_id)) is None:
            continue
        if items := await store.items.get_many(item_keys):
            messages.append(_alert(profile, watch, items, Priority.BRIEFING, now))
        told[watch.id] = len(item_keys)
    return messages, told


async def _waiting(store: Store, profile: Profile, now: float) -> bool:
    """Whether the member's topic alerts wait: in quiet hours, then for the morning briefing
    until it is sent (or given up on, LATE_LIMIT after it was due, unless a job is composing it:
    what it read is what it removes)."""
    if profile.quiet(now):
        return True
    due = morning_briefing(profile, now)
    if due is None:
        return False
    state = await store.briefings.state(profile.user_id, local_date(profile, due))
    return state == "sending" or (state != "sent" and now < due + LATE_LIMIT)  # a late one may be composing


def _alert(profile: Profile, watch: Watch, items: list[StoredItem], priority: Priority, now: float) -> Outgoing:
    """The alert telling `items`: the newest SHOWN, the others counted."""
    told = sorted(items, key=lambda s: s.item.published, reverse=True)[:SHOWN]
    return Outgoing(
        profile.user_id,
        topic_text(profile.language, profile.timezone, watch, told, len(items) - len(told)),
        priority=priority,
        purpose=f"topic:{watch.id}:{int(now)}",
    )
