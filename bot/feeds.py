"""Feeds as users manage them: add (validated by fetching it), list with health, remove."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Set

from bot.model import Feed, Incoming, feed_id
from bot.normalize import prepare_feed, watch_index
from bot.services import Services
from bot.sources.http import Fetched
from bot.sources.rss import ParsedFeed
from bot.text import canonical_url
from bot.watches import QueryIndex


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


async def add_feed(services: Services, url: str, target: str, user_id: int) -> tuple[Feed, ParsedFeed]:
    """Check that `url` is a feed (raises SourceError), then attach it to `target`."""
    url = url.strip()
    store = services.store
    index = watch_index(await store.watches.all())
    fetched, parsed, batch = await fetch_feed(services, url, targets={target}, index=index)
    assert parsed is not None  # an unconditional GET has a body
    feed = await store.feeds.get(feed_id(canonical_url(url))) or Feed(
        id=feed_id(canonical_url(url)), url=url, added_by=user_id
    )
    feed.title = parsed.title
    feed.targets = feed.targets | {target}
    feed.succeeded(time.time(), services.settings.feed_interval, fetched.etag, fetched.last_modified)
    await store.feeds.save(feed)
    await store.items.add_many(batch)
    return feed, parsed
