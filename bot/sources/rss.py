"""RSS and Atom feeds: bytes in, `Item`s out. Parsing is CPU work: run `parse_feed` in a process
pool (`Services.cpu`), never on the event loop. Plain RSS 2.0 and Atom go through lxml
(bot.sources.fastfeed); feedparser reads everything else."""

from __future__ import annotations

import calendar
import hashlib
import time
from dataclasses import dataclass
from urllib.parse import urlsplit

import feedparser

from bot.cleaning import clean
from bot.model import Item, NotAFeed
from bot.sources.fastfeed import fast_parse
from bot.text import canonical_url, cut, html_to_lines, html_to_text

MAX_ENTRIES = 200
MAX_TEXT = 2000


@dataclass(frozen=True)
class ParsedFeed:
    title: str
    link: str
    language: str | None
    items: list[Item]


def _language(code: str | None) -> str | None:
    base = (code or "").strip().split("-")[0].split("_")[0].lower()
    return base if len(base) == 2 and base.isalpha() else None


def _published(entry: dict, now: float) -> float:
    if entry.get("published_ts") is not None:
        return min(float(entry["published_ts"]), now)
    for key in ("published_parsed", "updated_parsed", "created_parsed"):
        parsed = entry.get(key)
        if parsed:
            return min(float(calendar.timegm(parsed)), now)
    return now


def _item(entry: dict, feed_key: str, feed_title: str, language: str | None, now: float) -> Item | None:
    link = entry.get("link") or ""
    title = html_to_text(entry.get("title") or "")
    content = entry.get("content") or [{}]
    text = cut(clean(html_to_lines(entry.get("summary") or content[0].get("value") or ""), title), MAX_TEXT)
    if not (title or text):
        return None
    guid = entry.get("id") or link or f"{title}\n{text}"
    return Item(
        source="rss",
        id=hashlib.sha1(f"{feed_key}\n{guid}".encode()).hexdigest()[:20],
        url=link,
        title=title,
        text=text,
        published=_published(entry, now),
        author=html_to_text(entry.get("author") or ""),
        source_name=feed_title,
        # feedparser keeps an Atom entry's xml:lang in its details, not in "language"
        language=_language(entry.get("language"))
        or _language((entry.get("title_detail") or {}).get("language"))
        or language,
    )


def parse_feed(
    body: bytes, url: str, content_type: str = "", *, fast: bool = True, now: float | None = None
) -> ParsedFeed:
    """Parse a feed's bytes (lxml for plain RSS 2.0 / Atom, feedparser for everything else);
    raises NotAFeed for an HTML page or garbage."""
    result = fast_parse(body, url) if fast else None
    if result is None:
        result = _feedparser(body, url, content_type)
    feed, entries = result
    title = html_to_text(feed.get("title") or "") or (urlsplit(url).hostname or url)
    language = _language(feed.get("language"))
    now = now or time.time()  # also the date of an undated item
    feed_key = canonical_url(url)
    items = [_item(e, feed_key, title, language, now) for e in entries[:MAX_ENTRIES]]
    return ParsedFeed(title=title, link=feed.get("link") or url, language=language, items=[i for i in items if i])


def _feedparser(body: bytes, url: str, content_type: str) -> tuple[dict, list[dict]]:
    # Vigie keeps text only (bot.text.html_to_text): feedparser's HTML sanitizing is not needed.
    parsed = feedparser.parse(
        body,
        response_headers={"content-location": url, "content-type": content_type},
        sanitize_html=False,
        resolve_relative_uris=False,
    )
    if not parsed.get("version"):
        reason = parsed.get("bozo_exception")
        raise NotAFeed(f"not an RSS or Atom feed ({type(reason).__name__})" if reason else "not an RSS or Atom feed")
    return parsed.get("feed", {}), parsed.entries
