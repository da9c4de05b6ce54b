"""A fast path for the common case: well-formed RSS 2.0 and Atom 1.0 with no DOCTYPE, read with
lxml at C speed (feedparser spends ~20 ms on a 50-item feed in Python callbacks; this takes ~2).

It returns entries in the shape `bot.sources.rss` reads from feedparser, or None for anything
it is not sure of (a DOCTYPE, another format, a syntax or encoding error, a date it cannot
read): feedparser then handles the feed, so the long tail keeps feedparser's tolerance.
"""

from __future__ import annotations

from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from urllib.parse import urljoin

from lxml import etree

ATOM = "{http://www.w3.org/2005/Atom}"
DC = "{http://purl.org/dc/elements/1.1/}"
CONTENT = "{http://purl.org/rss/1.0/modules/content/}"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"

# No DTD, no entity expansion, no network: a document with a DOCTYPE never gets here anyway.
_PARSER = etree.XMLParser(
    resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False, remove_comments=True, remove_pis=True
)


class _NotSure(Exception):
    """Leave this feed to feedparser."""


def fast_parse(body: bytes, url: str) -> tuple[dict, list[dict]] | None:
    """(feed fields, entries) for plain RSS 2.0 / Atom 1.0; None to let feedparser do it."""
    if b"<!DOCTYPE" in body[:8192].upper() or b"<!ENTITY" in body[:8192].upper():
        return None
    try:
        root = etree.fromstring(body, _PARSER)
        if root.tag == "rss" and root.get("version", "").startswith("2"):
            return _rss(root, url)
        if root.tag == f"{ATOM}feed":
            return _atom(root, url)
    except (etree.XMLSyntaxError, ValueError, _NotSure):
        return None
    return None


def _text(element: etree._Element | None) -> str:
    return (element.text or "").strip() if element is not None else ""


def _timestamp(value: str, rfc822: bool) -> float | None:
    if not value:
        return None
    try:
        moment = parsedate_to_datetime(value) if rfc822 else datetime.fromisoformat(value)
    except (TypeError, ValueError, IndexError):
        raise _NotSure(value) from None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.timestamp()


def _rss(root: etree._Element, url: str) -> tuple[dict, list[dict]]:
    channel = root.find("channel")
    if channel is None:
        raise _NotSure("no channel")
    feed = {
        "title": _text(channel.find("title")),
        "link": _text(channel.find("link")),
        "language": _text(channel.find("language")),
    }
    entries = []
    for item in channel.iterfind("item"):
        link = _text(item.find("link"))
        pub_date = _text(item.find("pubDate"))
        published = (
            _timestamp(pub_date, rfc822=True) if pub_date else _timestamp(_text(item.find(f"{DC}date")), rfc822=False)
        )
        entries.append(
            {
                "title": _text(item.find("title")),
                "link": urljoin(url, link) if link else "",
                "summary": _text(item.find("description")) or _text(item.find(f"{CONTENT}encoded")),
                "id": _text(item.find("guid")) or link,
                "author": _text(item.find("author")) or _text(item.find(f"{DC}creator")),
                "language": _text(item.find(f"{DC}language")),
                "published_ts": published,
            }
        )
    return feed, entries


def _atom_text(element: etree._Element | None) -> str:
    if element is None:
        return ""
    if element.get("type") == "xhtml":
        return " ".join(t.strip() for t in element.itertext() if t.strip())
    return (element.text or "").strip()


def _atom_link(element: etree._Element, base: str) -> str:
    links = element.findall(f"{ATOM}link")
    chosen = next((ln for ln in links if ln.get("rel", "alternate") == "alternate" and ln.get("href")), None)
    return urljoin(base, chosen.get("href")) if chosen is not None else ""


def _atom(root: etree._Element, url: str) -> tuple[dict, list[dict]]:
    feed_lang = root.get(XML_LANG, "")
    feed = {"title": _atom_text(root.find(f"{ATOM}title")), "link": _atom_link(root, url), "language": feed_lang}
    entries = []
    for entry in root.iterfind(f"{ATOM}entry"):
        published = _text(entry.find(f"{ATOM}published")) or _text(entry.find(f"{ATOM}updated"))
        link = _atom_link(entry, url)
        author = entry.find(f"{ATOM}author")
        entries.append(
            {
                "title": _atom_text(entry.find(f"{ATOM}title")),
                "link": link,
                "summary": _atom_text(entry.find(f"{ATOM}summary")) or _atom_text(entry.find(f"{ATOM}content")),
                "id": _text(entry.find(f"{ATOM}id")) or link,
                "author": _text(author.find(f"{ATOM}name")) if author is not None else "",
                "language": entry.get(XML_LANG, ""),
                "published_ts": _timestamp(published, rfc822=False),
            }
        )
    return feed, entries
