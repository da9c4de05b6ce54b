"""Small text helpers shared across sources and rendering: HTML to text, canonical URLs."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

_SPACES = re.compile(r"\s+")
_TRACKING = re.compile(r"^(utm_\w+|fbclid|gclid|dclid|mc_cid|mc_eid|xtor|at_\w+|ref_src|igshid|s)$", re.I)
_BLOCKS = {"p", "br", "div", "li", "h1", "h2", "h3", "h4", "tr", "blockquote"}


class _TextOnly(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []

    def handle_data(self, data: str) -> None:
        self.parts.append(data)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _BLOCKS:
            self.parts.append(" ")

    def handle_endtag(self, tag: str) -> None:
        if tag in _BLOCKS:
            self.parts.append(" ")


def html_to_text(markup: str) -> str:
    """Visible text of an HTML fragment, entities decoded, white space folded."""
    if "<" not in markup and "&" not in markup:
        return _SPACES.sub(" ", markup).strip()
    parser = _TextOnly()
    parser.feed(markup)
    parser.close()
    return _SPACES.sub(" ", "".join(parser.parts)).strip()


def canonical_url(url: str) -> str:
    """The same article's URL however it was shared: no tracking parameters, no fragment."""
    try:
        parts = urlsplit(url.strip())
    except ValueError:
        return url.strip()
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        return url.strip()
    host = parts.hostname.lower().removeprefix("www.")
    if parts.port and parts.port not in (80, 443):
        host = f"{host}:{parts.port}"
    query = urlencode(sorted((k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if not _TRACKING.match(k)))
    path = parts.path.rstrip("/") or "/"
    return urlunsplit(("https", host, path, query, ""))
