"""Small text helpers shared across sources and rendering: numbers, HTML to text, canonical URLs."""

from __future__ import annotations

import html
import re
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

_SPACES = re.compile(r"\s+")
_TRACKING = re.compile(r"^(utm_\w+|fbclid|gclid|dclid|mc_cid|mc_eid|xtor|at_\w+|ref_src|igshid|s)$", re.I)
_HIDDEN = re.compile(r"<(script|style|noscript|template|head|title)\b.*?</\1\s*>", re.I | re.S)
_BLOCK_TAGS = re.compile(r"</?(?:p|br|div|li|h[1-6]|tr|blockquote)\b[^>]*>", re.I)
_TAGS = re.compile(r"<[^>]*>|<!--.*?-->", re.S)


def is_number(text: str) -> bool:
    """True for ASCII digits only: `str.isdigit` also takes '١٢٣' and '①', which int() reads."""
    return text.isascii() and text.isdigit()


def html_to_text(markup: str) -> str:
    """Visible text of an HTML fragment, entities decoded, white space folded.

    Regular expressions, not a full HTML parser: the text is escaped again wherever it is shown,
    and this runs for every item of every feed."""
    if "<" in markup:
        markup = _HIDDEN.sub(" ", markup)
        markup = _BLOCK_TAGS.sub(" ", markup)
        markup = _TAGS.sub("", markup)
    if "&" in markup:
        markup = html.unescape(markup)
    return _SPACES.sub(" ", markup).strip()


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
    query = urlencode(
        sorted((k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if not _TRACKING.match(k))
    )
    path = parts.path.rstrip("/") or "/"
    return urlunsplit(("https", host, path, query, ""))
