"""Managing watches as users do: create, remove, follow, and what each holds."""

from __future__ import annotations

import logging
import time
import unicodedata
from dataclasses import replace

from bot.model import Feed, QueryRejected, SourceError, StoredItem, Watch, WatchAdded, WatchView
from bot.search import first_search, keep_first
from bot.services import Services
from bot.store import Store
from bot.volume import DAY
from bot.watches import Query, QueryError, fold, parse_query

log = logging.getLogger(__name__)


def split_name(text: str) -> tuple[str, str]:
    """`"Groupe Fnac" query...` or `Fnac query...` -> (name, rest)."""
    text = text.strip()
    if text.startswith('"') and '"' in text[1:]:
        end = text.index('"', 1)
        return text[1:end].strip(), text[end + 1 :].strip()
    name, _, rest = text.partition(" ")
    return name, rest.strip()


def _new(name: str, query_text: str, user_id: int) -> tuple[Watch, Query]:
    """The watch `name` would be (not stored), its query kept as typed; raises QueryError."""
    name, query_text = " ".join(name.split()), " ".join(query_text.split())
    if not Watch.valid_name(name):
        raise QueryError("watch_bad_name", name)
    query = parse_query(query_text)
    return Watch(Watch.id_for(name), name, query_text, user_id, time.time()), query


async def _store(store: Store, watch: Watch) -> Watch:
    """Store a new watch (its creator follows it) under its id, or its hashed id when a watch of
    another name holds that one; raises QueryError when one of the same name exists."""
    for candidate in (watch, replace(watch, id=Watch.id_for(watch.name, hashed=True))):
        if await store.watches.create(candidate):
            await store.watches.follow(candidate.created_by, candidate.id)
            return candidate
        holder = await store.watches.get(candidate.id)
        if holder is None or Watch.key(holder.name) == Watch.key(candidate.name):
            break
    raise QueryError("watch_exists", watch.name)


async def create(store: Store, name: str, query_text: str, user_id: int) -> Watch:
    """Create a watch (its creator follows it); raises QueryError."""
    watch, _ = _new(name, query_text, user_id)
    return await _store(store, watch)


async def add(services: Services, name: str, query_text: str, user_id: int, now: float | None = None) -> WatchAdded:
    """Create a watch as users do: with X configured its query is searched at once, so a query
    X refuses is refused here (QueryRejected, nothing stored) and the first posts are kept and
    shown; when X fails or limits, the watch is created and the next cycle searches it.
    Raises QueryError for what Vigie itself refuses."""
    store = services.store
    watch, query = _new(name, query_text, user_id)
    if (existing := await named(store, watch.name)) is not None:  # before paying for a search
        raise QueryError("watch_exists", existing.name)
    if services.x is None:
        return WatchAdded(await _store(store, watch))
    try:
        found = await first_search(services, query.x_query(), now or time.time())
    except QueryRejected:
        raise
    except SourceError as exc:
        log.info("first search of %r postponed to the next cycle: %s", query.x_query(), exc)
        return WatchAdded(await _store(store, watch), postponed=exc)
    watch = await _store(store, watch)
    await keep_first(services, query.x_query(), found)
    return WatchAdded(watch, searched=True, posts=tuple(found.items))


async def follow(store: Store, user_id: int, watch: Watch) -> None:
    """Follow a watch: it is in the user's briefing again even if they had muted it there."""
    await store.watches.follow(user_id, watch.id)
    await store.briefings.unmute(user_id, watch.id)


async def unfollow(store: Store, user_id: int, watch: Watch) -> None:
    await store.watches.unfollow(user_id, watch.id)


async def named(store: Store, name: str) -> Watch | None:
    """The watch of that name, as names compare (Watch.key)."""
    key = Watch.key(name)
    return next((w for w in await store.watches.all() if Watch.key(w.name) == key), None)


async def find(store: Store, name: str) -> Watch | None:
    """The watch a member means by `name`: the one of that name, else the only one whose name is
    the same but for its accents ("/watch societe" for Société)."""
    if not name.strip():
        return None
    if (watch := await named(store, name)) is not None:
        return watch
    loose = [w for w in await store.watches.all() if _unaccented(w.name) == _unaccented(name)]
    return loose[0] if len(loose) == 1 else None


def _unaccented(name: str) -> str:
    return " ".join(fold(unicodedata.normalize("NFKC", name)).split())


async def overview(store: Store, user_id: int) -> list[WatchView]:
    """Every watch, by name, with its volume over a day, whether the member follows it and has
    left it out of their briefings."""
    followed, muted = await store.watches.followed(user_id), await store.briefings.muted(user_id)
    watches = sorted(await store.watches.all(), key=lambda w: (_unaccented(w.name), w.name))
    return [WatchView(w, await store.volumes.last(w.id, DAY), w.id in followed, w.id in muted) for w in watches]


async def latest(store: Store, watch: Watch, limit: int = 5) -> list[StoredItem]:
    """Its latest items, newest first by their publication (a story folded in from a later
    source is indexed at that source's time: twice as many are read, then sorted)."""
    items = await store.items.recent(watch.id, limit=2 * limit)
    return sorted(items, key=lambda stored: stored.item.published, reverse=True)[:limit]


async def with_it(store: Store, watch: Watch) -> tuple[int, list[Feed]]:
    """What deleting the watch concerns: how many follow it, the feeds attached to it."""
    feeds = [feed for feed in await store.feeds.all() if watch.id in feed.targets]
    return len(await store.watches.followers(watch.id)), feeds


async def names(store: Store) -> dict[str, str]:
    """Every watch's name, by id."""
    return {watch.id: watch.name for watch in await store.watches.all()}


async def remove(store: Store, watch: Watch) -> None:
    """Delete a watch, its items index, counts and followers; detach the feeds that fed it."""
    await store.watches.delete(watch.id)
    await store.volumes.forget(watch.id)
    for feed in await store.feeds.all():
        if watch.id in feed.targets:
            await detach_feed(store, feed, watch.id)


async def detach_feed(store: Store, feed: Feed, target: str) -> None:
    """Detach a feed from a watch (or the news); forget it when nothing uses it any more."""
    if feed.serves_only(target):
        await store.feeds.delete(feed.id)
    else:
        feed.targets = feed.targets - {target}
        await store.feeds.save(feed)
