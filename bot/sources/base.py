"""What every source produces (`Item`) and how it fails (`SourceError` and its family).

Library errors (aiohttp, feedparser, tweepy) are mapped to this family where they enter, so the
rest of Vigie handles one hierarchy:

    SourceError              a source could not give its items this time
    ├── Unreachable          DNS, connection, TLS, timeout
    ├── Refused              Vigie will not fetch it: private address, bad scheme, too many redirects
    ├── TooLarge             the response is over the size cap
    ├── BadStatus            an HTTP error status (404, 500, ...)
    ├── NotAFeed             the body is not RSS/Atom (an HTML page, garbage)
    ├── Malformed            the body is not what the API promised (broken JSON)
    ├── Unauthorized         the credentials were refused
    └── RateLimited          come back after `reset_at` (unix time)
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True, slots=True)
class Item:
    """One post or article, normalized. `id` is unique within its `source` ("x" or "rss")."""

    source: str
    id: str
    url: str
    title: str
    text: str
    published: float
    author: str = ""
    author_name: str = ""
    source_name: str = ""
    language: str | None = None
    likes: int = 0
    reposts: int = 0
    replies: int = 0
    quotes: int = 0
    original_id: str | None = None  # for a repost or quote: the post it carries
    links: tuple[str, ...] = ()  # pages it points to (an X post's expanded links), for stories
    watch_ids: tuple[str, ...] = field(default=())  # the watches it was stored under

    @property
    def key(self) -> str:
        return f"{self.source}:{self.id}"

    @property
    def engagement(self) -> int:
        return self.likes + 2 * self.reposts + self.replies + 2 * self.quotes


class SourceError(Exception):
    """A source failed this time; `kind` names the failure for messages and health."""

    kind = "error"

    def __init__(self, detail: str) -> None:
        super().__init__(detail)
        self.detail = detail


class Unreachable(SourceError):
    kind = "unreachable"


class Refused(SourceError):
    kind = "refused"


class TooLarge(SourceError):
    kind = "too_large"


class BadStatus(SourceError):
    kind = "bad_status"

    def __init__(self, status: int, detail: str = "") -> None:
        super().__init__(detail or f"HTTP {status}")
        self.status = status


class NotAFeed(SourceError):
    kind = "not_a_feed"


class Malformed(SourceError):
    kind = "malformed"


class Unauthorized(SourceError):
    kind = "unauthorized"


class RateLimited(SourceError):
    kind = "rate_limited"

    def __init__(self, reset_at: float, detail: str = "rate limited") -> None:
        super().__init__(detail)
        self.reset_at = reset_at
