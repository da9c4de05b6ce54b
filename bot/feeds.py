"""Feeds: added by users (validated by fetching them), polled as a source with their health."""

from __future__ import annotations

import asyncio
import logging
import re
import time
from collections.abc import Set
from html import escape

from bot.model import NEWS, Feed, FeedAdded, FeedAddition, Incoming, Lease, Outgoing, SourceError, StoredItem, feed_id
from bot.normalize import prepare_feed, watch_index
from bot.render.failures import reason
from bot.render.i18n import Html, t
from bot.services import Services
from bot.sources.base import SLACK, CycleReport, Keep
from bot.sources.http import Fetched
from bot.sources.rss import ParsedFeed
from bot.store import Store
from bot.text import canonical_url
from bot.watches import QueryIndex

log = logging.getLogger(__name__)

FEED_CONCURRENCY = 64
_SCHEME = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*:(?!\d)")  # "https:", "file:"; not "lemonde.fr:8443"


def typed_url(text: str) -> str:
    """A feed's address as a member typed it, https when it has no scheme ('www.lemonde.fr/rss',
    '//lemonde.fr/rss', 'lemonde.fr:8443/rss'); a scheme typed is kept (and refused unless http(s))."""
    text = text.strip()
    if text.startswith("//"):
        return "https:" + text
    return text if _SCHEME.match(text) else "https://" + text


async def fetch_feed(
    services: Services,
    url: str,
    etag: str = "",
    last_modified: str = "",
    targets: Set[str] = frozenset(),
    index: QueryIndex | None = None,
) -> tuple[Fetched, ParsedFeed | None, list[Incoming]]:
    """Fetch (conditionally), then parse and prepare the items in the process pool; the
    parsed feed (title, link, language: its items are the Incomings) is None when not modified."""
    fetched = await services.fetcher.get(url, etag=etag or None, last_modified=last_modified or None)
    if fetched.body is None:
        return fetched, None, []
    loop = asyncio.get_running_loop()
    parsed, batch = await loop.run_in_executor(
        services.cpu,
        prepare_feed,
        fetched.body,
        fetched.url,
        fetched.content_type,
        set(targets),
        index or QueryIndex.build({}),
    )
    return fetched, parsed, batch


async def add_feed(services: Services, url: str, target: str, user_id: int) -> FeedAdded:
    """Attach the feed at `url` to `target`: a feed already serving it and working is left as it
    is (not fetched); otherwise `url` is checked to be a feed (raises SourceError) and its items
    stored for `target`. Says what it did, with the feed's own latest article."""
    url = url.strip()
    store = services.store
    id_ = feed_id(canonical_url(url))
    existing = await store.feeds.get(id_)
    addition = existing.added_for(target) if existing else FeedAddition.NEW
    before = existing.targets if existing else frozenset()
    if existing is not None and addition is FeedAddition.ALREADY:
        return FeedAdded(existing, target, addition, before)
    index = watch_index(await store.watches.all())
    fetched, parsed, batch = await fetch_feed(services, url, targets={target}, index=index)
    assert parsed is not None  # an unconditional GET has a body
    feed = await store.feeds.get(id_) or Feed(id=id_, url=url, added_by=user_id)
    feed.title = parsed.title
    feed.targets = feed.targets | {target}
    feed.succeeded(time.time(), services.settings.feed_interval, fetched.etag, fetched.last_modified)
    await store.feeds.save(feed)
    await store.items.add_many(batch, feed.source)
    latest = max(batch, key=lambda incoming: incoming.published, default=None)
    return FeedAdded(feed, target, addition, before, StoredItem.from_json(latest.payload) if latest else None)


async def listed_feeds(store: Store) -> list[Feed]:
    """The feeds as /feed numbers them: the oldest first, so a new one comes last."""
    return sorted(await store.feeds.all(), key=lambda feed: (feed.created, feed.id))


async def find_feed(store: Store, typed: str) -> Feed | None:
    """The feed typed after `/feed rm`: its number in the list, or its address."""
    if typed.isdecimal():
        feeds = await listed_feeds(store)
        return feeds[int(typed) - 1] if 1 <= int(typed) <= len(feeds) else None
    return await store.feeds.get(feed_id(canonical_url(typed_url(typed))))


class FeedSource:
    """Feeds as a poll source: each due feed fetched once (whatever the number of watches and
    users) from its ETag and Last-Modified; a failing one backs off, then pauses (Feed.failed)."""

    kind = "feeds"

    def __init__(self, services: Services) -> None:
        self.services = services
        self.store = services.store
        self.settings = services.settings

    async def poll(self, now: float, index: QueryIndex, lease: Lease, report: CycleReport, keep: Keep) -> None:
        due = await self.store.feeds.due(now + SLACK)
        limit = asyncio.Semaphore(FEED_CONCURRENCY)

        async def one(feed_id_: str) -> None:
            async with limit:
                if not lease.held:  # another cycle took over: it polls what is left
                    return
                feed = await self.store.feeds.get(feed_id_)
                if feed:
                    await keep(await self._poll_feed(feed, now, index, report), feed.source)

        await asyncio.gather(*(one(f) for f in due))

    async def _poll_feed(self, feed: Feed, now: float, index: QueryIndex, report: CycleReport) -> list[Incoming]:
        targets = set(feed.targets & (set(index.queries) | {NEWS}))
        try:
            fetched, parsed, batch = await fetch_feed(
                self.services, feed.url, feed.etag, feed.last_modified, targets, index
            )
        except SourceError as exc:
            report.feeds_failed += 1
            await self._failed(feed, exc, now, report)
            return []
        feed.succeeded(now, self.settings.feed_interval, fetched.etag, fetched.last_modified)
        if parsed is None:
            report.feeds_not_modified += 1
            await self.store.feeds.save(feed)
            return []
        report.feeds_fetched += 1
        feed.title = feed.title or parsed.title
        await self.store.feeds.save(feed)
        return batch

    async def _failed(self, feed: Feed, exc: SourceError, now: float, report: CycleReport) -> None:
        """Back off; a feed paused by this failure is reported to the people it concerns."""
        pausing = feed.failed(now, self.settings.feed_interval, exc.kind, exc.failure)
        log.info("feed %s failed (%s: %s), next try in %.0f s", feed.url, exc.kind, exc.detail, feed.next_poll - now)
        await self.store.feeds.save(feed)
        if pausing:
            report.feeds_paused.append(feed.id)
            await self._tell_paused(feed)

    async def _tell_paused(self, feed: Feed) -> None:
        """Tell once (a paused feed is no longer polled) who added it and who follows its watches."""
        people = {feed.added_by} if feed.added_by else set()
        for target in feed.targets - {NEWS}:
            people |= await self.store.watches.followers(target)
        for user_id in sorted(people):
            profile = await self.store.users.get(user_id)
            language = profile.language if profile else self.settings.language
            url = Html(escape(feed.url, quote=False))  # to copy whole, however long
            error = reason(language, feed.failure)
            text = t(language, "feed_paused_notice", title=feed.title or feed.url, error=error, url=url)
            await self.store.delivery.push(Outgoing(user_id, text))
