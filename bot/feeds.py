"""Feeds as users manage them: add (validated by fetching it), list with health, remove."""

from __future__ import annotations

import asyncio
import time

from bot.normalize import incoming, watch_queries
from bot.services import Services
from bot.sources.http import Fetched
from bot.sources.rss import ParsedFeed, parse_feed
from bot.store.watching import Feed, feed_id
from bot.text import canonical_url


async def fetch_feed(services: Services, url: str, etag: str = "", last_modified: str = "") -> tuple[Fetched, ParsedFeed | None]:
    """Fetch (conditionally) and parse off the event loop; `None` when not modified."""
    fetched = await services.fetcher.get(url, etag=etag or None, last_modified=last_modified or None)
    if fetched.body is None:
        return fetched, None
    loop = asyncio.get_running_loop()
    parsed = await loop.run_in_executor(services.cpu, parse_feed, fetched.body, fetched.url, fetched.content_type)
    return fetched, parsed


async def add_feed(services: Services, url: str, target: str, user_id: int) -> tuple[Feed, ParsedFeed]:
    """Check that `url` is a feed (raises SourceError), then attach it to `target`."""
    url = url.strip()
    fetched, parsed = await fetch_feed(services, url)
    assert parsed is not None  # an unconditional GET has a body
    store = services.store
    feed = await store.feeds.get(feed_id(canonical_url(url))) or Feed(id=feed_id(canonical_url(url)), url=url, added_by=user_id)
    feed.title = parsed.title
    feed.targets = feed.targets | {target}
    feed.etag, feed.last_modified = fetched.etag or "", fetched.last_modified or ""
    feed.last_ok, feed.failures, feed.paused, feed.last_error, feed.error_kind = time.time(), 0, False, "", ""
    feed.next_poll = time.time() + services.settings.feed_interval
    await store.feeds.save(feed)
    queries = watch_queries(await store.watches.all())
    await store.items.add_many([incoming(item, {target}, queries) for item in parsed.items])
    return feed, parsed
