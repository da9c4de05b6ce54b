"""A local HTTP server of news feeds, good and hostile, with real HTTP caching semantics.

Every feed has an ETag and a Last-Modified, answers 304 to a matching ``If-None-Match`` (or,
without one, ``If-Modified-Since``) and is gzipped when the client accepts gzip. Sample feeds
(``/rss-sample.xml``, ``/atom-sample.xml``, ``/rss1-sample.xml``, ``/latin1.xml``,
``/wrong-encoding.xml``) are ordinary feeds that tests may change. The built-in hostile
endpoints are not feeds (no ETag, no gzip): ``/html``, ``/empty``, ``/not-xml``, ``/bomb.xml``,
``/external-entity.xml``, ``/huge.xml``, ``/huge-chunked.xml``, ``/hang``, ``/slow-body`` and
``/redirect-*``. ``/redirect-chain/N`` makes N hops and ``/redirect-chain/0`` serves the RSS
sample itself; ``/redirect-relative`` answers ``Location: /rss-sample.xml``; the server only
listens on 127.0.0.1, so the ``[::1]`` target refuses connections.

Redirect targets (some are private or metadata addresses) are only ever *served* here: never
follow them from a test.
"""

from __future__ import annotations

import asyncio
import codecs
import gzip
import itertools
import socket
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime, parsedate_to_datetime
from typing import NoReturn
from xml.sax.saxutils import escape, quoteattr

from aiohttp import web

from tests.fakes import feed_samples as samples

__all__ = ["HUGE_SIZE", "FakeFeeds"]

HUGE_SIZE = 50 * 1024 * 1024
_CHUNK = 64 * 1024
_CONTENT_TYPES = {
    "rss2": "application/rss+xml",
    "atom": "application/atom+xml",
    "rss1": "application/rdf+xml",
}
_XML_LABELS = {
    "utf-8": "UTF-8",
    "iso8859-1": "ISO-8859-1",
    "iso8859-15": "ISO-8859-15",
    "cp1252": "windows-1252",
    "ascii": "US-ASCII",
}
_SAMPLE_PATH = "/rss-sample.xml"
_BULK_BASE = datetime.now(UTC).replace(minute=0, second=0, microsecond=0) - timedelta(days=2)

_BOMB = (
    '<?xml version="1.0"?>\n<!DOCTYPE rss [\n<!ENTITY lol0 "lol">\n'
    + "".join(f'<!ENTITY lol{n} "{f"&lol{n - 1};" * 10}">\n' for n in range(1, 10))
    + ']>\n<rss version="2.0"><channel><title>Bombe</title><link>https://bomb.example/</link>'
    "<description>&lol9;</description><item><title>&lol9;</title></item></channel></rss>\n"
).encode()
_XXE = """<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE rss [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>
<rss version="2.0"><channel><title>Flux piégé</title>
<link>https://xxe.example/</link><description>Entité externe</description>
<item><title>Données</title><link>https://xxe.example/1</link>
<description>&xxe;</description></item></channel></rss>
""".encode()
_NOT_XML = bytes((i * 37 + 11) % 256 for i in range(2048))
_HUGE_HEAD = (
    '<?xml version="1.0" encoding="UTF-8"?>\n<rss version="2.0"><channel>'
    "<title>Flux géant</title><link>https://huge.example/</link>"
    "<description>Un très gros flux</description><item><title>Article</title>"
    "<link>https://huge.example/1</link><description>"
).encode()
_HUGE_TAIL = b"</description></item></channel></rss>\n"


@dataclass
class _Feed:
    title: str
    kind: str
    language: str | None
    encoding: str
    declared_encoding: str
    link: str
    items: list[dict] | None  # None: generated from ``bulk``
    etag: str
    bulk: tuple[int, int] = (0, 0)  # (feed index, item count), see _bulk_items
    last_modified: datetime = field(default_factory=lambda: _http_now() - timedelta(hours=1))
    body: bytes | None = None
    gzipped: bytes | None = None


class FakeFeeds:
    """A local feed server (aiohttp) with helpers to publish, change, break and count feeds."""

    def __init__(self, latency: float = 0.0):
        self.latency = latency  # seconds every request waits before it is answered
        self.host = "127.0.0.1"
        self.url = ""
        self.requests: list[tuple[str, dict[str, str]]] = []  # (path, headers as sent)
        self.max_concurrent = 0  # most requests in flight at once, stalled ones included
        self._in_flight = 0
        self._counts: Counter[str] = Counter()
        self._not_modified = 0
        self._failures: dict[str, list[tuple[int, dict[str, str]]]] = {}
        self._feeds: dict[str, _Feed] = {}
        self._versions = itertools.count(1)
        self._touches = itertools.count(1)
        self._stalled: set[asyncio.Task] = set()
        self._runner: web.AppRunner | None = None
        self._builtins = {
            "/html": self._html,
            "/empty": self._empty,
            "/not-xml": self._not_xml,
            "/bomb.xml": self._bomb,
            "/external-entity.xml": self._xxe,
            "/huge.xml": self._huge,
            "/huge-chunked.xml": self._huge,
            "/hang": self._hang,
            "/slow-body": self._slow_body,
        }
        self.add_feed(_SAMPLE_PATH, samples.RSS_TITLE, samples.RSS_ITEMS, link="https://lefil.example/")
        self.add_feed(
            "/atom-sample.xml",
            samples.ATOM_TITLE,
            samples.ATOM_ITEMS,
            kind="atom",
            link="https://observatoire.example/",
        )
        self.add_feed(
            "/rss1-sample.xml",
            samples.RSS1_TITLE,
            samples.RSS1_ITEMS,
            kind="rss1",
            link="https://bulletin.example/",
        )
        for path, declared in (("/latin1.xml", None), ("/wrong-encoding.xml", "utf-8")):
            self.add_feed(
                path,
                samples.LATIN1_TITLE,
                samples.LATIN1_ITEMS,
                encoding="latin-1",
                declared_encoding=declared,
                link="https://gazette.example/",
            )

    # ----------------------------------------------------------------------- lifecycle

    async def start(self) -> None:
        """Serve on 127.0.0.1 on a random free port."""
        app = web.Application()
        app.router.add_get("/{tail:.*}", self._handle)
        self._runner = web.AppRunner(app, access_log=None, handler_cancellation=True, shutdown_timeout=1)
        await self._runner.setup()
        sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        sock.bind((self.host, 0))
        await web.SockSite(self._runner, sock).start()
        self.url = f"http://{self.host}:{sock.getsockname()[1]}"

    async def stop(self) -> None:
        """Drop stalled requests and shut the server down."""
        for task in self._stalled:
            task.cancel()
        if self._runner:
            await self._runner.cleanup()
            self._runner = None

    async def __aenter__(self) -> FakeFeeds:
        await self.start()
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.stop()

    # ----------------------------------------------------------------------- feeds

    def feed_url(self, path: str) -> str:
        return self.url + path

    def add_feed(
        self,
        path: str,
        title: str,
        items: list[dict],
        *,
        kind: str = "rss2",
        language: str | None = "fr",
        encoding: str = "utf-8",
        declared_encoding: str | None = None,
        link: str | None = None,
    ) -> str:
        """Publish (or replace) a feed at ``path`` and return its URL.

        ``kind`` is ``"rss2"``, ``"atom"`` or ``"rss1"``. Item keys: ``title``, ``link``,
        ``summary`` (HTML), ``published`` (aware datetime; absent or None: no date), ``guid``
        (absent: the link; None: no guid), ``author``, ``language`` and ``cdata`` (True: the
        summary goes in a CDATA section). The body is encoded in ``encoding`` but claims
        ``declared_encoding`` (default: ``encoding``) in its XML declaration and Content-Type.
        """
        self._check_path(path)
        if kind not in _CONTENT_TYPES:
            raise ValueError(f"unknown feed kind {kind!r}")
        self._feeds[path] = _Feed(
            title=title,
            kind=kind,
            language=language,
            encoding=encoding,
            declared_encoding=declared_encoding or encoding,
            link=link or f"https://news.example{path}",
            items=list(items),
            etag=self._new_etag(),
        )
        return self.feed_url(path)

    def set_items(self, path: str, items: list[dict]) -> None:
        """Replace the items of a feed (new ETag and Last-Modified)."""
        feed = self._feeds[path]
        feed.items = list(items)
        self._bump(feed)

    def add_items(self, path: str, items: list[dict]) -> None:
        """Prepend items, newest first (new ETag and Last-Modified)."""
        feed = self._feeds[path]
        feed.items = list(items) + _items(feed)
        self._bump(feed)

    def touch(self, paths: list[str]) -> None:
        """Publish one new item in each feed, so the next conditional GET is a 200."""
        for path in paths:
            n = next(self._touches)
            self.add_items(
                path,
                [
                    {
                        "title": f"Mise à jour n°{n}",
                        "link": f"https://news.example/updates/{n}",
                        "summary": f"<p>Nouvel article n°{n}.</p>",
                        "published": _http_now(),
                    }
                ],
            )

    def bulk(self, count: int, items_per_feed: int, *, prefix: str = "/bulk/") -> list[str]:
        """Publish ``count`` generated feeds (RSS 2.0 and Atom, French and English) and return
        their URLs; items and bodies are only built when a feed is first fetched."""
        urls = []
        for index in range(count):
            path = f"{prefix}{index}.xml"
            self._check_path(path)
            english = index // 2 % 2 == 1
            self._feeds[path] = _Feed(
                title=f"{'Business wire' if english else 'Fil économique'} n°{index}",
                kind="atom" if index % 2 else "rss2",
                language="en" if english else "fr",
                encoding="utf-8",
                declared_encoding="utf-8",
                link=f"https://bulk.example/{index}/",
                items=None,
                etag=self._new_etag(),
                bulk=(index, items_per_feed),
            )
            urls.append(self.feed_url(path))
        return urls

    # ----------------------------------------------------------------------- inspection

    def count(self, path: str) -> int:
        """How many requests were made for ``path``."""
        return self._counts[path]

    def not_modified_count(self) -> int:
        """How many 304 Not Modified answers were served."""
        return self._not_modified

    def fail_next(self, path: str, status: int, *, times: int = 1, retry_after: int | str | None = None) -> None:
        """Answer the next ``times`` requests for ``path`` with ``status`` (and Retry-After)."""
        headers = {"Retry-After": str(retry_after)} if retry_after is not None else {}
        self._failures.setdefault(path, []).extend([(status, headers)] * times)

    # ----------------------------------------------------------------------- serving

    def _new_etag(self) -> str:
        return f'"v{next(self._versions)}"'

    def _bump(self, feed: _Feed) -> None:
        """New content: new ETag, a strictly later Last-Modified, cached bodies dropped."""
        feed.etag = self._new_etag()
        feed.last_modified = max(_http_now(), feed.last_modified + timedelta(seconds=1))
        feed.body = feed.gzipped = None

    def _check_path(self, path: str) -> None:
        if not path.startswith("/"):
            raise ValueError(f"path must start with '/': {path!r}")
        if path in self._builtins or path.startswith("/redirect-"):
            raise ValueError(f"{path} is a built-in endpoint")

    async def _handle(self, request: web.Request) -> web.StreamResponse:
        path = request.path
        self.requests.append((path, dict(request.headers)))
        self._counts[path] += 1
        self._in_flight += 1
        self.max_concurrent = max(self.max_concurrent, self._in_flight)
        try:
            if self.latency:
                await asyncio.sleep(self.latency)
            if self._failures.get(path):
                status, headers = self._failures[path].pop(0)
                return web.Response(status=status, headers=headers, text=f"error {status}")
            if path in self._builtins:
                return await self._builtins[path](request)
            if path.startswith("/redirect-"):
                return self._redirect(request)
            if path in self._feeds:
                return self._serve_feed(request, self._feeds[path])
            raise web.HTTPNotFound()
        finally:
            self._in_flight -= 1

    def _serve_feed(self, request: web.Request, feed: _Feed) -> web.Response:
        headers = {
            "ETag": feed.etag,
            "Last-Modified": format_datetime(feed.last_modified, usegmt=True),
            "Vary": "Accept-Encoding",
        }
        if _not_modified(request, feed.etag, feed.last_modified):
            self._not_modified += 1
            return web.Response(status=304, headers=headers)
        if feed.body is None:
            feed.body = _render(feed)
        body = feed.body
        if _accepts_gzip(request):
            if feed.gzipped is None:
                feed.gzipped = gzip.compress(feed.body, mtime=0)
            body = feed.gzipped
            headers["Content-Encoding"] = "gzip"
        content_type = f"{_CONTENT_TYPES[feed.kind]}; charset={_xml_label(feed.declared_encoding)}"
        headers["Content-Type"] = content_type
        return web.Response(body=body, headers=headers)

    def _redirect(self, request: web.Request) -> web.Response:
        path = request.path
        port = self.url.rsplit(":", 1)[1]
        targets = {
            "/redirect-loopback": self.feed_url(_SAMPLE_PATH),
            "/redirect-localhost-name": f"http://localhost:{port}{_SAMPLE_PATH}",
            "/redirect-metadata": "http://169.254.169.254/latest/meta-data/",
            "/redirect-private": "http://10.0.0.1/feed.xml",
            "/redirect-ipv6-loopback": f"http://[::1]:{port}{_SAMPLE_PATH}",
            "/redirect-loop": self.feed_url("/redirect-loop"),
            "/redirect-relative": _SAMPLE_PATH,
            "/redirect-file": "file:///etc/passwd",
        }
        location = targets.get(path)
        hops = path.removeprefix("/redirect-chain/")
        if location is None and hops != path and hops.isdecimal():
            if int(hops) == 0:
                return self._serve_feed(request, self._feeds[_SAMPLE_PATH])
            location = self.feed_url(f"/redirect-chain/{int(hops) - 1}")
        if location is None:
            raise web.HTTPNotFound()
        return web.Response(status=302, headers={"Location": location})

    async def _html(self, request: web.Request) -> web.Response:
        return web.Response(text=samples.HTML_PAGE, content_type="text/html", charset="utf-8")

    async def _empty(self, request: web.Request) -> web.Response:
        return web.Response(body=b"", content_type="application/rss+xml")

    async def _not_xml(self, request: web.Request) -> web.Response:
        return web.Response(body=_NOT_XML, content_type="application/rss+xml")

    async def _bomb(self, request: web.Request) -> web.Response:
        return web.Response(body=_BOMB, content_type="application/rss+xml")

    async def _xxe(self, request: web.Request) -> web.Response:
        return web.Response(body=_XXE, content_type="application/rss+xml", charset="utf-8")

    async def _huge(self, request: web.Request) -> web.StreamResponse:
        response = web.StreamResponse(headers={"Content-Type": "application/rss+xml"})
        if request.path == "/huge.xml":
            response.content_length = HUGE_SIZE
        else:
            response.enable_chunked_encoding()
        await response.prepare(request)
        await response.write(_HUGE_HEAD)
        filler = b"A" * _CHUNK
        remaining = HUGE_SIZE - len(_HUGE_HEAD) - len(_HUGE_TAIL)
        while remaining > 0:
            await response.write(filler[:remaining])
            remaining -= _CHUNK
        await response.write(_HUGE_TAIL)
        await response.write_eof()
        return response

    async def _hang(self, request: web.Request) -> NoReturn:
        await self._stall()

    async def _slow_body(self, request: web.Request) -> NoReturn:
        response = web.StreamResponse(headers={"Content-Type": "application/rss+xml"})
        await response.prepare(request)
        await response.write(_HUGE_HEAD[:80])
        await self._stall()

    async def _stall(self) -> NoReturn:
        """Wait until the client goes away or the server stops."""
        task = asyncio.current_task()
        self._stalled.add(task)
        try:
            await asyncio.get_running_loop().create_future()
        finally:
            self._stalled.discard(task)


# --------------------------------------------------------------------------- HTTP helpers


def _http_now() -> datetime:
    return datetime.now(UTC).replace(microsecond=0)


def _not_modified(request: web.Request, etag: str, last_modified: datetime) -> bool:
    """RFC 9110: If-None-Match wins; otherwise If-Modified-Since."""
    if_none_match = request.headers.get("If-None-Match")
    if if_none_match is not None:
        tags = {tag.strip().removeprefix("W/") for tag in if_none_match.split(",")}
        return "*" in tags or etag in tags
    if_modified_since = request.headers.get("If-Modified-Since")
    if if_modified_since:
        try:
            since = parsedate_to_datetime(if_modified_since)
        except (TypeError, ValueError):
            return False
        return since.tzinfo is not None and last_modified <= since
    return False


def _accepts_gzip(request: web.Request) -> bool:
    for coding in request.headers.get("Accept-Encoding", "").split(","):
        name, _, params = coding.partition(";")
        if name.strip().lower() in ("gzip", "x-gzip"):
            try:
                return float(params.strip().removeprefix("q=") or 1) > 0
            except ValueError:
                return True
    return False


# --------------------------------------------------------------------------- rendering


def _xml_label(encoding: str) -> str:
    """The IANA name of a Python codec, for XML declarations and charset parameters."""
    try:
        name = codecs.lookup(encoding).name
    except LookupError:
        return encoding
    return _XML_LABELS.get(name, encoding)


def _items(feed: _Feed) -> list[dict]:
    return feed.items if feed.items is not None else _bulk_items(feed)


def _bulk_items(feed: _Feed) -> list[dict]:
    """Deterministic items of a bulk feed (see :meth:`FakeFeeds.bulk`)."""
    index, count = feed.bulk
    english = feed.language == "en"
    titles = samples.EN_TITLES if english else samples.FR_TITLES
    summary = samples.EN_SUMMARY if english else samples.FR_SUMMARY
    companies = samples.COMPANIES
    items = []
    for j in range(count):
        seed = index * 7 + j
        words = {
            "company": companies[seed % len(companies)],
            "other": companies[(seed * 3 + 5) % len(companies)],
            "city": samples.CITIES[seed % len(samples.CITIES)],
            "link": f"{feed.link}{j}",
        }
        items.append(
            {
                "title": titles[seed % len(titles)].format(**words),
                "link": words["link"],
                "summary": f"{summary.format(**words)} ({index}-{j}, {seed * 37 % 1000} M€)",
                "published": _BULK_BASE - timedelta(minutes=37 * j + index),
            }
        )
    return items


def _render(feed: _Feed) -> bytes:
    renderers = {"rss2": _render_rss2, "atom": _render_atom, "rss1": _render_rss1}
    text = renderers[feed.kind](feed, _items(feed))
    declaration = f'<?xml version="1.0" encoding="{_xml_label(feed.declared_encoding)}"?>\n'
    return (declaration + text).encode(feed.encoding, errors="xmlcharrefreplace")


def _text(tag: str, value: str | None) -> str:
    return "" if value is None else f"<{tag}>{escape(value)}</{tag}>"


def _summary(item: dict) -> str:
    summary = item.get("summary", "")
    if item.get("cdata"):
        return "<![CDATA[" + summary.replace("]]>", "]]]]><![CDATA[>") + "]]>"
    return escape(summary)


def _guid(item: dict) -> str | None:
    return item.get("guid", item.get("link"))


def _iso(moment: datetime | None) -> str | None:
    return moment.isoformat() if moment else None


def _render_rss2(feed: _Feed, items: list[dict]) -> str:
    parts = [
        '<rss version="2.0" xmlns:dc="http://purl.org/dc/elements/1.1/"><channel>',
        _text("title", feed.title),
        _text("link", feed.link),
        _text("description", feed.title),
        _text("language", feed.language),
    ]
    for item in items:
        guid = _guid(item)
        published = item.get("published")
        parts += [
            "<item>",
            _text("title", item["title"]),
            _text("link", item.get("link")),
            f"<description>{_summary(item)}</description>",
            _text("pubDate", published and format_datetime(published)),
            _text("dc:creator", item.get("author")),
            _text("dc:language", item.get("language")),
        ]
        if guid is not None:
            permalink = "true" if guid == item.get("link") else "false"
            parts.append(f'<guid isPermaLink="{permalink}">{escape(guid)}</guid>')
        parts.append("</item>")
    parts.append("</channel></rss>\n")
    return "\n".join(part for part in parts if part)


def _render_atom(feed: _Feed, items: list[dict]) -> str:
    dates = [item["published"] for item in items if item.get("published")]
    lang = f" xml:lang={quoteattr(feed.language)}" if feed.language else ""
    parts = [
        f'<feed xmlns="http://www.w3.org/2005/Atom"{lang}>',
        _text("title", feed.title),
        f"<link href={quoteattr(feed.link)}/>",
        _text("id", feed.link),
        _text("updated", _iso(max(dates, default=feed.last_modified))),
    ]
    for item in items:
        lang = f" xml:lang={quoteattr(item['language'])}" if item.get("language") else ""
        published = _iso(item.get("published"))
        parts += [
            f"<entry{lang}>",
            _text("title", item["title"]),
            f"<link href={quoteattr(item['link'])}/>" if item.get("link") else "",
            _text("id", _guid(item)),
            _text("published", published),
            _text("updated", published),
            f"<author><name>{escape(item['author'])}</name></author>" if item.get("author") else "",
            f'<summary type="html">{_summary(item)}</summary>',
            "</entry>",
        ]
    parts.append("</feed>\n")
    return "\n".join(part for part in parts if part)


def _render_rss1(feed: _Feed, items: list[dict]) -> str:
    about = [_guid(item) or item["link"] for item in items]
    parts = [
        '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"'
        ' xmlns="http://purl.org/rss/1.0/" xmlns:dc="http://purl.org/dc/elements/1.1/">',
        f"<channel rdf:about={quoteattr(feed.link)}>",
        _text("title", feed.title),
        _text("link", feed.link),
        _text("description", feed.title),
        _text("dc:language", feed.language),
        "<items><rdf:Seq>",
        *(f"<rdf:li rdf:resource={quoteattr(resource)}/>" for resource in about),
        "</rdf:Seq></items></channel>",
    ]
    for item, resource in zip(items, about):
        parts += [
            f"<item rdf:about={quoteattr(resource)}>",
            _text("title", item["title"]),
            _text("link", item.get("link")),
            f"<description>{_summary(item)}</description>",
            _text("dc:date", _iso(item.get("published"))),
            _text("dc:creator", item.get("author")),
            _text("dc:language", item.get("language")),
            "</item>",
        ]
    parts.append("</rdf:RDF>\n")
    return "\n".join(part for part in parts if part)
