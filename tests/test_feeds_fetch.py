"""Fetching and parsing feeds from the local feed server: good feeds, caching, hostile ones."""

from __future__ import annotations

import aiohttp
import pytest

from bot.feeds import add_feed, fetch_feed
from bot.ingest import Ingest
from bot.model import NEWS, Feed, NotAFeed, Refused, StoredItem, TooLarge, Unreachable, feed_id
from bot.services import open_services
from bot.sources.fastfeed import fast_parse
from bot.sources.http import SafeFetcher
from bot.sources.rss import parse_feed
from bot.text import canonical_url
from tests.fakes.feeds import FakeFeeds


@pytest.mark.parametrize(
    "path", ["/rss-sample.xml", "/atom-sample.xml", "/rss1-sample.xml", "/latin1.xml", "/wrong-encoding.xml"]
)
async def test_good_feeds_give_items_with_text_and_dates(feed_services, feeds, path):
    _, parsed, batch = await fetch_feed(feed_services, feeds.feed_url(path))
    items = _items(batch)
    assert parsed.title and items
    for item in items:
        assert item.source == "rss" and (item.title or item.text)
        assert "<" not in item.title and "&amp;" not in item.text
        assert item.published > 0 and item.language in ("fr", "en")
    assert len({i.id for i in items}) == len(items)


def _items(batch):
    return [StoredItem.from_json(incoming.payload).item for incoming in batch]


async def test_accents_survive_a_latin1_feed(feed_services, feeds):
    _, _, batch = await fetch_feed(feed_services, feeds.feed_url("/latin1.xml"))
    text = " ".join(f"{i.title} {i.text}" for i in _items(batch))
    assert any(c in text for c in "éèàçô") and "Ã" not in text


async def test_a_second_fetch_with_the_etag_is_a_304(feed_services, feeds):
    url = feeds.feed_url("/rss-sample.xml")
    fetched, _, _ = await fetch_feed(feed_services, url)
    again, parsed, _ = await fetch_feed(feed_services, url, fetched.etag or "", fetched.last_modified or "")
    assert parsed is None and again.body is None
    assert feeds.not_modified_count() == 1


@pytest.mark.parametrize(
    ("path", "error"),
    [
        ("/html", NotAFeed),
        ("/not-xml", NotAFeed),
        ("/empty", NotAFeed),
        ("/huge.xml", TooLarge),
        ("/huge-chunked.xml", TooLarge),
        ("/redirect-localhost-name", Refused),
        ("/redirect-metadata", Refused),
        ("/redirect-private", Refused),
        ("/redirect-ipv6-loopback", Refused),
        ("/redirect-file", Refused),
        ("/redirect-loop", Refused),
        ("/redirect-chain/6", Refused),
    ],
)
async def test_hostile_feeds_are_refused_with_a_reason(feed_services, feeds, path, error):
    with pytest.raises(error):
        await fetch_feed(feed_services, feeds.feed_url(path))


async def test_redirects_within_the_limit_are_followed(feed_services, feeds):
    for path in ("/redirect-chain/5", "/redirect-relative"):
        _, _, batch = await fetch_feed(feed_services, feeds.feed_url(path))
        assert batch


async def test_entity_tricks_are_contained(feed_services, feeds):
    for path in ("/bomb.xml", "/external-entity.xml"):
        try:
            _, _, batch = await fetch_feed(feed_services, feeds.feed_url(path))
        except NotAFeed:
            continue
        text = " ".join(f"{i.title} {i.text}" for i in _items(batch))
        assert "lollollol" not in text and "root:" not in text


async def test_a_server_that_never_answers_times_out(feeds):
    fetcher = SafeFetcher(frozenset({feeds.host}), total_timeout=1, connect_timeout=1)
    try:
        for path in ("/hang", "/slow-body"):
            with pytest.raises(Unreachable):
                await fetcher.get(feeds.feed_url(path))
    finally:
        await fetcher.close()


async def test_private_addresses_are_refused_without_the_allow_list(services, feeds):
    for url in (
        feeds.feed_url("/rss-sample.xml"),
        "http://127.0.0.2/feed",
        "http://[::1]/feed",
        "http://0x7f000001/feed",
    ):
        with pytest.raises(Refused):
            await fetch_feed(services, url)


async def test_one_failing_feed_does_not_stop_the_others(feed_services, feeds):
    store = feed_services.store
    good = (await add_feed(feed_services, feeds.feed_url("/rss-sample.xml"), NEWS, 1)).feed
    atom = (await add_feed(feed_services, feeds.feed_url("/atom-sample.xml"), NEWS, 1)).feed
    feeds.fail_next("/atom-sample.xml", 503)
    feeds.touch(["/rss-sample.xml"])
    for feed in (good, atom):
        feed.next_poll = 0
        await store.feeds.save(feed)
    report = await Ingest(feed_services).cycle()
    assert report.feeds_fetched == 1 and report.feeds_failed == 1
    failed = await store.feeds.get(atom.id)
    assert failed.failures == 1 and failed.error_kind == "bad_status" and failed.next_poll > 0
    assert (await store.feeds.get(good.id)).failures == 0
    assert len(await store.items.recent(NEWS, limit=100)) >= 5


async def test_a_restart_keeps_etags_and_items(settings, feeds):
    allowed = settings.model_copy(update={"allowed_feed_hosts": frozenset({feeds.host})})
    async with open_services(allowed) as services:
        feed = (await add_feed(services, feeds.feed_url("/rss-sample.xml"), NEWS, 1)).feed
        stored = len(await services.store.items.recent(NEWS, limit=100))
    async with open_services(allowed) as restarted:
        report = await Ingest(restarted).cycle(now=feed.next_poll)
        assert report.feeds_not_modified == 1 and feeds.not_modified_count() == 1
        assert len(await restarted.store.items.recent(NEWS, limit=100)) == stored > 0


@pytest.mark.parametrize("path", ["/rss-sample.xml", "/atom-sample.xml", "/latin1.xml", "/bulk/0.xml", "/bulk/1.xml"])
async def test_the_fast_path_reads_feeds_exactly_as_feedparser(feeds, path):
    feeds.bulk(2, 20)
    async with aiohttp.ClientSession() as http, http.get(feeds.feed_url(path)) as response:
        body = await response.read()
    url = feeds.feed_url(path)
    assert fast_parse(body, url) is not None  # this feed takes the fast path
    now = 2_000_000_000.0
    fast, slow = parse_feed(body, url, now=now), parse_feed(body, url, fast=False, now=now)
    assert (fast.title, fast.language) == (slow.title, slow.language)
    assert fast.items == slow.items and len(fast.items) > 0


@pytest.mark.parametrize(
    "path", ["/rss1-sample.xml", "/wrong-encoding.xml", "/bomb.xml", "/external-entity.xml", "/html"]
)
async def test_anything_unusual_is_left_to_feedparser(feeds, path):
    async with aiohttp.ClientSession() as http, http.get(feeds.feed_url(path)) as response:
        assert fast_parse(await response.read(), feeds.feed_url(path)) is None


async def test_one_site_gets_at_most_four_connections_at_once(settings):
    async with FakeFeeds(latency=0.2) as slow_site:
        allowed = settings.model_copy(update={"allowed_feed_hosts": frozenset({slow_site.host})})
        async with open_services(allowed) as services:
            for url in slow_site.bulk(12, 5):
                await services.store.feeds.save(
                    Feed(id=feed_id(canonical_url(url)), url=url, targets=frozenset({NEWS}))
                )
            report = await Ingest(services).cycle()
    assert report.feeds_fetched == 12
    assert 1 < slow_site.max_concurrent <= 4
