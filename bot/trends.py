"""Trends by place: names to WOEIDs, a shared cache (one paid request per place per interval),
and which trends touch a watch. The ingest cycle keeps the cache fresh for the places in use:
France (the briefing's) and every place asked for with /trends in the last week; a briefing that
finds France's older than the interval fetches them (`fresh_for_briefing`)."""

from __future__ import annotations

import logging
import re
import time

from bot.model import DEFAULT_WOEID, PLACES, Item, Lease, RateLimited, SourceError, Trend, TrendsView, place_name
from bot.services import Services
from bot.sources.base import SLACK, CycleReport, Keep
from bot.sources.x import MICRO_USD
from bot.text import is_number
from bot.watches import QueryIndex, fold, tokens_of

log = logging.getLogger(__name__)

PLACE_IN_USE = 7 * 86400  # a place asked for with /trends is kept fresh this long
CACHE_TTL = 24 * 3600
FETCH_LEASE = 60  # seconds a place's fetch is leased for; renewed while the request lasts
BRIEFING_PAUSE = 300  # seconds briefings leave the trends to the poll after a failed request
BRIEFING_PAUSED = "trends:briefing"  # that pause, kept as a limit (not X's: /status does not show it)


def _key(name: str) -> str:
    """A place's name as compared: no case, accents, hyphens or extra spaces ('États-Unis' ->
    'etats unis')."""
    return " ".join(_SEPARATORS.sub(" ", fold(name)).split())


_SEPARATORS = re.compile(r"[-'’.]")
_WOEIDS = {_key(name): place.woeid for place in PLACES for name in (place.fr, place.en, *place.also)}


def place_woeid(text: str) -> int | None:
    """'Paris' -> 615702, 'londres' or 'London' -> 44418, '23424819' -> 23424819, '' ->
    France; None when unknown."""
    name = _key(text)
    if not name:
        return DEFAULT_WOEID
    if is_number(name):
        return int(name)
    return _WOEIDS.get(name)


def matching_watches(name: str, index: QueryIndex) -> tuple[str, ...]:
    probe = Item(source="trend", id=name, url="", title=name, text=name.lstrip("#"), published=0)
    return tuple(sorted(index.matching(probe, tokens_of(probe))))


async def _refresh(services: Services, woeid: int) -> tuple[float, list[tuple[str, int | None]]]:
    """Trends of a place from X (one paid request), cached for everyone; raises SourceError."""
    assert services.x is not None
    try:
        raw = await services.x.trends(woeid)
    finally:
        await services.store.x.save_quota("trends", services.x.limits.seen.get("trends"))
    await services.store.x.add_cost("trends", 1, MICRO_USD["trends"])
    await services.store.x.save_trends(woeid, raw, ttl=CACHE_TTL)
    return time.time(), raw


def _fresh(services: Services, cached: tuple[float, object] | None, now: float) -> bool:
    """Cached trends are fresh at `now` while younger than the interval (less a tick's slack)."""
    return cached is not None and now - cached[0] < services.settings.trends_interval - SLACK


async def current(services: Services, woeid: int, index: QueryIndex) -> TrendsView:
    """The trends of a place, from the cache when fresh enough; raises SourceError when X
    fails and nothing is cached. The place is kept fresh from now on (see `poll`)."""
    store = services.store
    await store.x.use_place(woeid, time.time())
    cached = await store.x.trends(woeid)
    stale = None
    if cached is not None and _fresh(services, cached, time.time()):
        fetched_at, raw = cached
    else:
        try:
            fetched_at, raw = await _refresh(services, woeid)
        except SourceError as exc:
            if cached is None:
                raise
            (fetched_at, raw), stale = cached, exc.failure
    trends = [Trend(name, count, matching_watches(name, index)) for name, count in raw]
    trends.sort(key=lambda t: not t.watch_ids)  # trends touching a watch first
    return TrendsView(woeid, fetched_at, trends, stale)


async def _refresh_if_stale(services: Services, woeid: int, now: float) -> int:
    """Fetch a place's trends unless fresh ones are cached, one fetch at a time across processes
    and briefings (the lease `trends:{woeid}`): who finds another fetching waits for it (at most
    the X timeout). The number of requests made (0 or 1); raises what `_refresh` raises."""
    store = services.store
    name = f"trends:{woeid}"
    async with store.system.lease(name, FETCH_LEASE) as lease:
        if lease is not None:
            if _fresh(services, await store.x.trends(woeid), now):
                return 0  # fetched while this one waited for its turn
            await _refresh(services, woeid)
            return 1
    await store.system.released(name, services.settings.x_timeout + SLACK)
    return 0


async def poll(services: Services, now: float) -> int:
    """Refresh the trends of every place in use whose cache is older than the interval; the
    number of requests made. A 429 stops until X's reset; another failure waits for next time."""
    store = services.store
    if services.x is None or await store.x.limited_until("trends") > now:
        return 0
    places = {DEFAULT_WOEID, *await store.x.places_in_use(now - PLACE_IN_USE)}
    requests = 0
    for woeid in sorted(places):
        if _fresh(services, await store.x.trends(woeid), now):
            continue
        try:
            requests += await _refresh_if_stale(services, woeid, now)
        except RateLimited as exc:
            requests += 1
            await store.x.set_limited("trends", exc.reset_at)
            break
        except SourceError as exc:
            requests += 1
            log.warning("trends of %s failed: %s", place_name(woeid, "en"), exc.detail)
    return requests


async def fresh_for_briefing(services: Services, now: float) -> None:
    """Fetch France's trends (the briefing's) when none fresh are cached, or wait for the fetch
    under way; whatever fails is logged and the briefing uses what is cached, or goes without."""
    store = services.store
    if services.x is None or _fresh(services, await store.x.trends(DEFAULT_WOEID), now):
        return
    if max(await store.x.limited_until("trends"), await store.x.limited_until(BRIEFING_PAUSED)) > now:
        return
    try:
        await _refresh_if_stale(services, DEFAULT_WOEID, now)
    except Exception as exc:  # noqa: BLE001 - the briefing goes out without trends rather than not at all
        detail = exc.detail if isinstance(exc, SourceError) else f"{type(exc).__name__}: {exc}"
        log.warning("trends of %s for a briefing failed: %s", place_name(DEFAULT_WOEID, "en"), detail)
        if isinstance(exc, RateLimited):
            await store.x.set_limited("trends", exc.reset_at)
        else:  # the briefings due meanwhile do not wait for X again (it may time out)
            await store.x.set_limited(BRIEFING_PAUSED, time.time() + BRIEFING_PAUSE)


class TrendsSource:
    """Trends as a poll source: the places in use, refreshed on their interval (no items: the
    briefing and /trends read them from the cache)."""

    kind = "trends"

    def __init__(self, services: Services) -> None:
        self.services = services

    async def poll(self, now: float, index: QueryIndex, lease: Lease, report: CycleReport, keep: Keep) -> None:
        """Trends are cached for /trends and the briefing: nothing goes to `keep`."""
        report.trends_requests += await poll(self.services, now) if lease.held else 0
