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
_LINE_SPACES = re.compile(r"[^\S\n]+")
_BLANK_LINES = re.compile(r"\n{3,}")
_ENDS = re.compile(r"[.!?…»”\"]+(?=\s)|\n")  # where a sentence or a line may end


def is_number(text: str) -> bool:
    """True for ASCII digits only: `str.isdigit` also takes '١٢٣' and '①', which int() reads."""
    return text.isascii() and text.isdigit()


def html_to_text(markup: str) -> str:
    """Visible text of an HTML fragment, entities decoded, white space folded (one line)."""
    return _SPACES.sub(" ", html_to_lines(markup)).strip()


def html_to_lines(markup: str) -> str:
    """Visible text of an HTML fragment, entities decoded, its lines kept: a block tag (or, in
    plain text, a line break) ends a line, and one blank line is left between paragraphs.

    Regular expressions, not a full HTML parser: the text is escaped again wherever it is shown,
    and this runs for every item of every feed."""
    if "<" in markup:
        markup = _SPACES.sub(" ", _HIDDEN.sub(" ", markup))  # in HTML a line break is a space
        markup = _TAGS.sub("", _BLOCK_TAGS.sub("\n", markup))
    if "&" in markup:
        markup = html.unescape(markup)
    lines = "\n".join(_LINE_SPACES.sub(" ", line).strip() for line in markup.splitlines())
    return _BLANK_LINES.sub("\n\n", lines).strip()


def cut(text: str, limit: int) -> str:
    """`text` in at most `limit` characters: cut after its last whole sentence or line, if any."""
    if len(text) <= limit:
        return text
    ends = [m.end() for m in _ENDS.finditer(text, 0, limit + 1)]
    return text[: ends[-1]].rstrip() if ends else text[:limit]


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
