"""Self-tests of the fake feed server, driven by a real aiohttp client and feedparser.

Redirects are never followed here: their targets may be non-loopback addresses.
"""

import asyncio
import time

import aiohttp
import feedparser
import pytest

from tests.fakes import feed_samples as samples
from tests.fakes.feeds import HUGE_SIZE, FakeFeeds


@pytest.fixture
async def session():
    async with aiohttp.ClientSession() as client:
        yield client


async def fetch(session, url, **kwargs) -> tuple[aiohttp.ClientResponse, bytes]:
    async with session.get(url, allow_redirects=False, **kwargs) as response:
        return response, await response.read()


@pytest.mark.parametrize(
    "path, content_type, title, entries",
    [
        ("/rss-sample.xml", "application/rss+xml", samples.RSS_TITLE, 6),
        ("/atom-sample.xml", "application/atom+xml", samples.ATOM_TITLE, 4),
        ("/rss1-sample.xml", "application/rdf+xml", samples.RSS1_TITLE, 4),
        ("/latin1.xml", "application/rss+xml", samples.LATIN1_TITLE, 3),
    ],
)
async def test_samples_parse(feeds, session, path, content_type, title, entries):
    response, body = await fetch(session, feeds.feed_url(path))
    assert response.status == 200
    assert response.content_type == content_type
    assert response.headers["ETag"] and response.headers["Last-Modified"]
    parsed = feedparser.parse(body)
    assert not parsed.bozo, parsed.get("bozo_exception")
    assert parsed.feed.title == title
    assert len(parsed.entries) == entries


async def test_encodings(feeds, session):
    response, body = await fetch(session, feeds.feed_url("/latin1.xml"))
    assert response.charset == "ISO-8859-1"
    assert body.startswith(b'<?xml version="1.0" encoding="ISO-8859-1"?>')
    assert "économie".encode("latin-1") in body
    response, body = await fetch(session, feeds.feed_url("/wrong-encoding.xml"))
    assert response.charset == "UTF-8"
    assert b'encoding="UTF-8"' in body
    with pytest.raises(UnicodeDecodeError):
        body.decode("utf-8")


async def test_conditional_get_and_gzip(feeds, session):
    url = feeds.feed_url("/rss-sample.xml")
    response, _ = await fetch(session, url)
    assert response.headers["Content-Encoding"] == "gzip"
    etag, modified = response.headers["ETag"], response.headers["Last-Modified"]
    response, body = await fetch(session, url, headers={"If-None-Match": etag})
    assert (response.status, body, response.headers["ETag"]) == (304, b"", etag)
    response, _ = await fetch(session, url, headers={"If-Modified-Since": modified})
    assert response.status == 304
    response, _ = await fetch(session, url, headers={"If-None-Match": '"other"'})
    assert response.status == 200
    assert feeds.not_modified_count() == 2
    assert feeds.count("/rss-sample.xml") == 4
    path, headers = feeds.requests[1]
    assert (path, headers["If-None-Match"]) == ("/rss-sample.xml", etag)


async def test_touch_makes_next_conditional_get_a_200(feeds, session):
    url = feeds.feed_url("/atom-sample.xml")
    response, _ = await fetch(session, url)
    etag, modified = response.headers["ETag"], response.headers["Last-Modified"]
    feeds.touch(["/atom-sample.xml"])
    conditional = {"If-None-Match": etag, "If-Modified-Since": modified}
    response, body = await fetch(session, url, headers=conditional)
    assert response.status == 200
    assert response.headers["ETag"] != etag
    assert response.headers["Last-Modified"] != modified
    assert len(feedparser.parse(body).entries) == 5
    response, _ = await fetch(session, url, headers={"If-Modified-Since": modified})
    assert response.status == 200
    assert feeds.not_modified_count() == 0


async def test_redirects_are_served_not_followed(feeds, session):
    port = feeds.url.rsplit(":", 1)[1]
    expected = {
        "/redirect-loopback": f"http://127.0.0.1:{port}/rss-sample.xml",
        "/redirect-localhost-name": f"http://localhost:{port}/rss-sample.xml",
        "/redirect-metadata": "http://169.254.169.254/latest/meta-data/",
        "/redirect-private": "http://10.0.0.1/feed.xml",
        "/redirect-ipv6-loopback": f"http://[::1]:{port}/rss-sample.xml",
        "/redirect-loop": f"http://127.0.0.1:{port}/redirect-loop",
        "/redirect-relative": "/rss-sample.xml",
        "/redirect-file": "file:///etc/passwd",
        "/redirect-chain/3": f"http://127.0.0.1:{port}/redirect-chain/2",
    }
    for path, location in expected.items():
        response, _ = await fetch(session, feeds.feed_url(path))
        assert (response.status, response.headers["Location"]) == (302, location), path
    response, body = await fetch(session, feeds.feed_url("/redirect-chain/0"))
    assert response.status == 200
    assert feedparser.parse(body).feed.title == samples.RSS_TITLE


async def test_hostile_bodies(feeds, session):
    response, body = await fetch(session, feeds.feed_url("/html"))
    assert response.content_type == "text/html"
    assert feedparser.parse(body).version == ""
    response, body = await fetch(session, feeds.feed_url("/empty"))
    assert (response.status, body) == (200, b"")
    _, body = await fetch(session, feeds.feed_url("/not-xml"))
    assert feedparser.parse(body).bozo
    _, body = await fetch(session, feeds.feed_url("/bomb.xml"))
    assert len(body) < 2000 and b"&lol9;" in body
    _, body = await fetch(session, feeds.feed_url("/external-entity.xml"))
    assert b'SYSTEM "file:///etc/passwd"' in body and b"&xxe;" in body


async def test_huge_bodies_can_be_capped(feeds, session):
    async with session.get(feeds.feed_url("/huge.xml")) as response:
        assert response.content_length == HUGE_SIZE
    cap, read = 1024 * 1024, 0
    async with session.get(feeds.feed_url("/huge-chunked.xml")) as response:
        assert "Content-Length" not in response.headers
        assert response.headers["Transfer-Encoding"] == "chunked"
        async for chunk in response.content.iter_chunked(64 * 1024):
            read += len(chunk)
            if read > cap:
                break
    assert cap < read < 2 * cap


async def test_hang_does_not_answer(feeds, session):
    started = time.monotonic()
    with pytest.raises(asyncio.TimeoutError):
        await fetch(session, feeds.feed_url("/hang"), timeout=aiohttp.ClientTimeout(total=0.5))
    assert time.monotonic() - started < 2
    assert feeds.count("/hang") == 1


async def test_bulk_feeds(feeds, session):
    urls = feeds.bulk(20, 5)
    assert len(set(urls)) == 20
    parsed = [feedparser.parse(body) for _, body in [await fetch(session, url) for url in urls]]
    assert all(not feed.bozo and len(feed.entries) == 5 for feed in parsed)
    assert len({feed.feed.title for feed in parsed}) == 20
    assert {feed.version for feed in parsed} == {"rss20", "atom10"}
    assert {feed.feed.language for feed in parsed} == {"fr", "en"}


async def test_max_concurrent():
    async with FakeFeeds(latency=0.2) as feeds, aiohttp.ClientSession() as session:
        url = feeds.feed_url("/rss-sample.xml")
        await asyncio.gather(*(fetch(session, url) for _ in range(8)))
        assert feeds.max_concurrent == 8
        await fetch(session, url)
        assert feeds.max_concurrent == 8


async def test_fail_next(feeds, session):
    url = feeds.feed_url("/rss-sample.xml")
    feeds.fail_next("/rss-sample.xml", 503, times=2, retry_after=30)
    for _ in range(2):
        response, _ = await fetch(session, url)
        assert (response.status, response.headers["Retry-After"]) == (503, "30")
    response, _ = await fetch(session, url)
    assert response.status == 200
    assert feeds.count("/rss-sample.xml") == 3
