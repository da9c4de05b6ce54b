"""Vigie's domain types: plain dataclasses with their id rules and state transitions.

Everything else speaks these types: sources produce `Item`s, the store maps them to and from
Redis, render and handlers show them. Nothing here does I/O.

How sources fail (`SourceError` and its family) is part of the model too: library errors
(aiohttp, feedparser, tweepy) are mapped to it where they enter (`bot/sources/`), so the rest
of Vigie handles one hierarchy:

    SourceError              a source could not give its items this time
    ├── Unreachable          DNS, connection, TLS, timeout
    ├── Refused              Vigie will not fetch it: private address, bad scheme, too many redirects
    ├── TooLarge             the response is over the size cap
    ├── BadStatus            an HTTP error status (404, 500, ...)
    ├── NotAFeed             the body is not RSS/Atom (an HTML page, garbage)
    ├── Malformed            the body is not what the API promised (broken JSON)
    ├── Unauthorized         the credentials were refused
    └── RateLimited          come back after `reset_at` (unix time)

Each carries a `Failure`: a `Reason` code (a DNS failure, a private address, HTTP status 404...)
and what it names, which users are told in their language (bot.render.failures); `detail` keeps
the library's own words for the logs, never for users.

X's writes (bot/sources/x_account.py) add what their callers decide on: `Duplicate` (X refused a
post identical to a recent one), `NotFound` (no such account or post, or a protected account's
posts not visible to Vigie's account), `Suspended` (the account is suspended) and `FollowLimit`
(the account may follow no one more today).

Vigie also refuses X actions itself, before asking X: `NoAccount` (no X user credentials) and
`OverBudget` (the action would take the month's spend past VIGIE_X_MONTHLY_BUDGET_USD).
"""

from __future__ import annotations

import hashlib
import json
import re
import time
import unicodedata
from dataclasses import dataclass, field, fields, replace
from datetime import datetime
from enum import IntEnum, StrEnum
from typing import Any, ClassVar, Protocol
from zoneinfo import ZoneInfo

NEWS = ":news"  # the feed target of the general news section: no watch id can be that (bot.watches.watch_id)
FOLLOWED = ":following"  # the target of the posts of the X accounts Vigie follows (bot.following)
TEAM_TARGETS = (NEWS, FOLLOWED)  # targets that are no watch: every member's briefing has them
ALL_DAYS = frozenset(range(1, 8))
WEEKDAYS = frozenset(range(1, 6))
WEEKEND = frozenset({6, 7})


# -- what sources produce ---------------------------------------------------------------------


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
    verified: bool = False  # an X post's author is a verified account
    original_id: str | None = None  # for a repost or quote: the post it carries
    links: tuple[str, ...] = ()  # pages it points to (an X post's expanded links), for stories
    watch_ids: tuple[str, ...] = field(default=())  # the watches it was stored under

    @property
    def key(self) -> str:
        return f"{self.source}:{self.id}"

    @property
    def engagement(self) -> int:
        return self.likes + 2 * self.reposts + self.replies + 2 * self.quotes


ITEM_FIELDS = tuple(f.name for f in fields(Item))


@dataclass(frozen=True)
class StoredItem:
    """An item and the other sources that carried the same story (folded duplicates)."""

    item: Item
    also: tuple[dict[str, str], ...] = ()

    def credits(self) -> list[tuple[str, str]]:
        """(who, url) of every source that carried it, itself first, each once: a feed by its
        name, an X post by its account (@account: a customer is not a newsroom)."""
        item = self.item
        credits = [
            (f"@{item.author}" if item.source == "x" and item.author else item.source_name or item.source, item.url)
        ]
        for other in self.also:
            url = other.get("url", "")
            account = _X_ACCOUNT.match(url) if other.get("source") == "x" else None
            if account is not None and account[1] != "i":  # x.com/i/status/…: a post whose author X did not give
                credits.append((f"@{account[1]}", url))
            else:
                credits.append((other.get("source_name") or other.get("source", ""), url))
        once: dict[str, tuple[str, str]] = {}
        for who, url in credits:
            if who:
                once.setdefault(url or who, (who, url))
        return list(once.values())

    def to_json(self) -> str:
        data = {name: getattr(self.item, name) for name in ITEM_FIELDS}
        data["also"] = list(self.also)
        return json.dumps(data, ensure_ascii=False)

    @classmethod
    def from_json(cls, text: str) -> StoredItem:
        data = json.loads(text)
        also = tuple(data.pop("also", ()))
        data["watch_ids"] = tuple(data.get("watch_ids", ()))
        data["links"] = tuple(data.get("links", ()))
        return cls(item=Item(**data), also=also)


@dataclass(frozen=True, slots=True)
class Incoming:
    """An item ready for the store: how to recognise its duplicates, where it belongs, and its
    JSON (prepared off the event loop; this is what crosses from the parser processes)."""

    key: str
    published: float
    credit: tuple[str, str, str]  # (source, source name, url): how it is named once folded
    fingerprints: tuple[str, ...]
    targets: frozenset[str]  # where it is listed: the watches it mentions, the feed's attachments
    payload: str
    mentions: frozenset[str] = frozenset()  # the watches it mentions: counted, and told to alerts

    @classmethod
    def of(
        cls, item: Item, fingerprints: tuple[str, ...], targets: frozenset[str], mentions: frozenset[str] | None = None
    ) -> Incoming:
        """`mentions` defaults to every target (an item found for them)."""
        return cls(
            key=item.key,
            published=item.published,
            credit=(item.source, item.source_name, item.url),
            fingerprints=fingerprints,
            targets=targets,
            payload=StoredItem(item).to_json(),
            mentions=targets if mentions is None else mentions,
        )


class Reason(StrEnum):
    """Why a source failed, as users are told (bot.render.i18n has `reason_<code>` in each
    language); the comment says what a failure's `value` holds."""

    NOT_HTTP = "not_http"  # the URL is not http(s)
    BAD_URL = "bad_url"
    NO_HOST = "no_host"
    CREDENTIALS = "credentials"  # a user name or password in the URL
    PRIVATE = "private"  # the private or reserved address
    UNUSUAL = "unusual"  # the address an unusual form stands for (0x7f000001 -> 127.0.0.1)
    LOCAL_NAME = "local_name"  # the host (localhost, *.local)
    RESOLVES_PRIVATE = "resolves_private"  # the host whose address is private
    REDIRECTS = "redirects"  # how many redirects are followed
    DNS = "dns"  # the host no DNS server knows
    CONNECTION_REFUSED = "connection_refused"
    TIMEOUT = "timeout"
    TLS = "tls"
    DISCONNECTED = "disconnected"  # the server hung up without answering
    NETWORK = "network"  # any other failure to connect or read
    STATUS = "status"  # the HTTP status
    TOO_LARGE = "too_large"  # the cap, in MB
    NOT_A_FEED = "not_a_feed"
    RATE_LIMITED = "rate_limited"
    UNAUTHORIZED = "unauthorized"
    MALFORMED = "malformed"
    OTHER = "other"


@dataclass(frozen=True)
class Failure:
    """Why something failed, in codes: users read it in their language, stores keep it as
    `reason:value` (bot.model.Feed, the journal)."""

    reason: Reason
    value: str = ""

    def encode(self) -> str:
        return f"{self.reason.value}:{self.value}"

    @classmethod
    def decode(cls, text: str) -> Failure | None:
        """A failure stored by `encode`; None for anything else (such as the English text
        stored before reasons had codes)."""
        code, colon, value = text.partition(":")
        try:
            return cls(Reason(code), value) if colon else None
        except ValueError:
            return None


class SourceError(Exception):
    """A source failed this time: `kind` names the failure for control flow and messages,
    `failure` says why in codes; `detail` is for the logs (a library's words, in English)."""

    kind = "error"
    usual = Reason.OTHER  # the reason of this kind when none is given

    def __init__(self, detail: str, reason: Reason | None = None, value: object = "") -> None:
        super().__init__(detail)
        self.detail = detail
        self.failure = Failure(reason or self.usual, str(value))


class Unreachable(SourceError):
    kind = "unreachable"
    usual = Reason.NETWORK


class Refused(SourceError):
    kind = "refused"


class TooLarge(SourceError):
    kind = "too_large"
    usual = Reason.TOO_LARGE


class BadStatus(SourceError):
    kind = "bad_status"

    def __init__(self, status: int, detail: str = "") -> None:
        super().__init__(detail or f"HTTP {status}", Reason.STATUS, status)
        self.status = status


class NotAFeed(SourceError):
    kind = "not_a_feed"
    usual = Reason.NOT_A_FEED


class Malformed(SourceError):
    kind = "malformed"
    usual = Reason.MALFORMED


class Unauthorized(SourceError):
    kind = "unauthorized"
    usual = Reason.UNAUTHORIZED


class QueryRejected(SourceError):
    """X refused a search query as invalid (400 about `query`); `detail` is X's reason, `reason`
    names the causes users can be told about in their language ("and", "other")."""

    kind = "query_rejected"

    def __init__(self, detail: str, reason: str = "other") -> None:
        super().__init__(detail)
        self.reason = reason


class RateLimited(SourceError):
    kind = "rate_limited"
    usual = Reason.RATE_LIMITED

    def __init__(self, reset_at: float, detail: str = "rate limited") -> None:
        super().__init__(detail)
        self.reset_at = reset_at


class Duplicate(SourceError):
    """X refused a post whose text is identical to one of the account's recent posts."""

    kind = "duplicate"


class NotFound(SourceError):
    """No such X account or post (a missing one, a deleted one, one not visible to the account)."""

    kind = "not_found"


class Suspended(SourceError):
    """The X account is suspended."""

    kind = "suspended"


class FollowLimit(SourceError):
    """The account reached X's limit of follows (a daily one): it may follow no one more for now."""

    kind = "follow_limit"


class NoAccount(Exception):
    """No X user credentials (X_USER_ACCESS_TOKEN or the OAuth 1.0a four): nothing can be posted
    or followed."""


class OverBudget(Exception):
    """An X action refused before it is asked for: its `cost` would take this month's estimated
    spend (`spent`) past the budget (micro-dollars, all three)."""

    def __init__(self, spent: int, cost: int, budget: int) -> None:
        super().__init__(f"X budget: {spent} spent + {cost} > {budget} (micro-dollars)")
        self.spent, self.cost, self.budget = spent, cost, budget

    @property
    def figures(self) -> dict[str, float]:
        """In dollars, as messages show them."""
        return {"spent": self.spent / 1e6, "cost": self.cost / 1e6, "budget": self.budget / 1e6}


# -- the X account Vigie acts for -------------------------------------------------------------


X_USERNAME = r"[A-Za-z0-9_]{1,15}"  # what X accepts as a username (a regular expression)
_X_ACCOUNT = re.compile(rf"https://x\.com/({X_USERNAME})/status/")  # an X post's link (bot.sources.x): its account


@dataclass(frozen=True, slots=True)
class XUser:
    """An X account as a user-context lookup shows it."""

    id: str
    username: str
    name: str
    description: str = ""
    followers: int = 0
    verified: bool = False
    protected: bool = False  # its posts are for its followers; a follow waits for its approval


@dataclass(frozen=True)
class Followed:
    """An X account Vigie's account follows for the team: its posts are read from its cursor
    (`since_id`) once per interval and reach every member's briefing (the FOLLOWED target).
    `pending` while a protected account has not accepted the follow (its posts are not visible)."""

    id: str
    username: str
    name: str
    verified: bool = False
    pending: bool = False
    by: int = 0  # the owner who followed it
    since: float = 0.0  # when
    since_id: str = ""  # the newest post read
    next_poll: float = 0.0

    @classmethod
    def of(cls, user: XUser, by: int, now: float, *, pending: bool) -> Followed:
        return cls(user.id, user.username, user.name, user.verified, pending, by, now)


# -- what members watch -----------------------------------------------------------------------


@dataclass(frozen=True)
class Watch:
    """A subject the team watches. Its name is shown as typed and compared as shown (`key`); its
    id is ASCII, short enough for buttons' data and Redis keys (`id_for`)."""

    MAX_NAME: ClassVar[int] = 40

    id: str
    name: str
    query: str  # as typed (bot.watches parses it; a watch created before holds it normalized)
    created_by: int
    created: float
    drops: bool = False  # an unusual drop of its mentions is alerted too (bot.crisis)

    @staticmethod
    def key(name: str) -> str:
        """What two names must share to be one watch: the name as shown, whatever its case, its
        Unicode form and its spaces (NFKC, casefold, NFKC again): "Fnac" is "FNAC", "a<>b" is
        not "A&B", "Société" is not "Societe"."""
        return unicodedata.normalize("NFKC", unicodedata.normalize("NFKC", " ".join(name.split())).casefold())

    @classmethod
    def valid_name(cls, name: str) -> bool:
        """MAX_NAME characters at most, of letters of any script, digits, spaces, punctuation,
        symbols and emoji (with their joiners), at least one of them a letter, a digit or a
        symbol; no control, invisible or private character."""
        kinds = [unicodedata.category(char) for char in name]
        shown = all(kind[0] in "LMNPS" or kind == "Zs" or char == _JOINER for char, kind in zip(name, kinds))
        return 0 < len(name) <= cls.MAX_NAME and shown and any(kind[0] in "LNS" for kind in kinds)

    @classmethod
    def id_for(cls, name: str, *, hashed: bool = False) -> str:
        """The id of a new watch named `name`: the slug of a plain name ("Groupe Fnac" ->
        "groupe-fnac"); for any other (or `hashed`, when its slug is taken by a watch of another
        name), the slug's start then a hash of its key ("a<>b" -> "a-b.5c1b…", "عربي" -> "w.0e4d…").
        At most 32 ASCII characters, never ':' (NEWS and FOLLOWED are no watch)."""
        key = cls.key(name)
        ascii_ = unicodedata.normalize("NFKD", key).encode("ascii", "ignore").decode()
        slug = re.sub(r"[^a-z0-9]+", "-", ascii_).strip("-")
        if not hashed and _PLAIN_NAME.fullmatch(key) and len(slug) <= 32:
            return slug
        return f"{slug[:21].rstrip('-') or 'w'}.{hashlib.sha1(key.encode()).hexdigest()[:10]}"


_JOINER = "\u200d"  # joins emoji into one (👨‍💻)
_PLAIN_NAME = re.compile(r"[a-z0-9]+(?: [a-z0-9]+)*")


@dataclass(frozen=True)
class WatchAdded:
    """A watch just created, and what its first X search found at once."""

    watch: Watch
    searched: bool = False  # the first search ran (X is configured and answered)
    posts: tuple[Item, ...] = ()  # what it found, newest first
    postponed: SourceError | None = None  # why the first search waits for the next cycle


@dataclass
class Feed:
    """A feed, its HTTP cursors and its health. A failing feed backs off exponentially and is
    paused after a day of failures; any success makes it healthy again."""

    MAX_BACKOFF: ClassVar[float] = 6 * 3600
    PAUSE_AFTER: ClassVar[float] = 24 * 3600

    id: str
    url: str
    title: str = ""
    targets: frozenset[str] = frozenset()
    added_by: int = 0
    etag: str = ""
    last_modified: str = ""
    last_ok: float = 0.0
    last_error: str = ""  # the last failure, encoded (Failure.encode)
    error_kind: str = ""
    failures: int = 0
    first_failure: float = 0.0
    paused: bool = False
    created: float = field(default_factory=time.time)
    next_poll: float = 0.0

    @property
    def source(self) -> str:
        """How the items stored today are counted per source (/status)."""
        return f"feed:{self.id}"

    def serves_only(self, target: str) -> bool:
        """Nothing but `target` (a watch id or the news) uses the feed: detached, it is forgotten."""
        return self.targets == {target}

    def succeeded(self, now: float, interval: float, etag: str | None, last_modified: str | None) -> None:
        """A fetch worked: healthy (failures forgotten), polled again in `interval`."""
        self.etag, self.last_modified = etag or self.etag, last_modified or self.last_modified
        self.last_ok, self.failures, self.first_failure, self.paused = now, 0, 0.0, False
        self.last_error = self.error_kind = ""
        self.next_poll = now + interval

    @property
    def failure(self) -> Failure:
        """Why the last fetch failed (a failure stored before reasons had codes is told as OTHER)."""
        return Failure.decode(self.last_error) or Failure(Reason.OTHER)

    def added_for(self, target: str) -> FeedAddition:
        """What adding it again for `target` does: nothing when it already serves it and works;
        tried again when it serves it but fails or is paused; otherwise it serves `target` too."""
        if target not in self.targets:
            return FeedAddition.ATTACHED
        return FeedAddition.RESTARTED if self.paused or self.failures else FeedAddition.ALREADY

    def failed(self, now: float, interval: float, kind: str, failure: Failure) -> bool:
        """A fetch failed: back off; True when this failure pauses the feed."""
        self.failures += 1
        self.first_failure = self.first_failure or now
        self.last_error, self.error_kind = failure.encode()[:300], kind
        self.next_poll = now + min(interval * 2 ** (self.failures - 1), self.MAX_BACKOFF)
        pausing = not self.paused and now - self.first_failure >= self.PAUSE_AFTER
        self.paused = self.paused or pausing
        return pausing


class FeedAddition(StrEnum):
    """What `/feed add` did (bot.feeds.add_feed)."""

    NEW = "new"  # a feed nobody had added
    ALREADY = "already"  # added for that target already, and working: nothing changed (nothing fetched)
    ATTACHED = "attached"  # added for other targets: it serves this one too
    RESTARTED = "restarted"  # added for that target, but failing or paused: fetched again, healthy


@dataclass(frozen=True)
class FeedAdded:
    """A feed as `/feed add` left it: what it did, the targets it served before, and the feed's
    own latest article (None when it has none, or when nothing was fetched)."""

    feed: Feed
    target: str
    addition: FeedAddition
    before: frozenset[str] = frozenset()
    latest: StoredItem | None = None


def feed_id(canonical: str) -> str:
    return hashlib.sha1(canonical.encode()).hexdigest()[:12]


@dataclass(frozen=True)
class WatchView:
    watch: Watch
    volume_24h: int
    followed: bool
    muted: bool = False  # followed, but left out of the member's briefings (🔕)


# -- trends --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Place:
    """A place for /trends: its WOEID, its name in French and English, and other names users
    type (bot.trends matches them all, whatever the case and accents)."""

    woeid: int
    fr: str
    en: str
    also: tuple[str, ...] = ()

    def name(self, language: str) -> str:
        return self.en if language == "en" else self.fr


PLACES: tuple[Place, ...] = (
    Place(23424819, "France", "France"),
    Place(615702, "Paris", "Paris"),
    Place(609125, "Lyon", "Lyon"),
    Place(610264, "Marseille", "Marseille"),
    Place(628886, "Toulouse", "Toulouse"),
    Place(580778, "Bordeaux", "Bordeaux"),
    Place(608105, "Lille", "Lille"),
    Place(613858, "Nantes", "Nantes"),
    Place(23424757, "Belgique", "Belgium"),
    Place(968019, "Bruxelles", "Brussels"),
    Place(23424957, "Suisse", "Switzerland"),
    Place(782538, "Genève", "Geneva"),
    Place(23424775, "Canada", "Canada"),
    Place(3534, "Montréal", "Montreal"),
    Place(3444, "Québec", "Quebec City", ("quebec",)),
    Place(23424975, "Royaume-Uni", "United Kingdom", ("uk",)),
    Place(44418, "Londres", "London"),
    Place(23424977, "États-Unis", "United States", ("usa", "us")),
    Place(2459115, "New York", "New York"),
    Place(23424829, "Allemagne", "Germany"),
    Place(23424950, "Espagne", "Spain"),
    Place(23424893, "Maroc", "Morocco"),
    Place(1, "Monde", "Worldwide", ("world",)),
)
DEFAULT_WOEID = PLACES[0].woeid  # France


@dataclass(frozen=True)
class Trend:
    name: str
    count: int | None
    watch_ids: tuple[str, ...] = ()


@dataclass(frozen=True)
class TrendsView:
    woeid: int
    fetched_at: float
    trends: list[Trend]
    stale: Failure | None = None  # why X failed when the cache was shown instead


def place_name(woeid: int, language: str) -> str:
    """The place's name in `language` ('Londres', 'London'); a WOEID not in PLACES as typed."""
    found = next((place for place in PLACES if place.woeid == woeid), None)
    return found.name(language) if found else str(woeid)


# -- members and what is sent to them ---------------------------------------------------------

# The time zones /settings offers as buttons, with the cities that name them there (a city typed is
# looked up among these first: bot.members.parse_timezone).
TIMEZONES: tuple[tuple[str, str], ...] = (
    ("Europe/Paris", "Paris"),
    ("Europe/Brussels", "Bruxelles / Brussels"),
    ("Europe/Zurich", "Genève / Zurich"),
    ("Europe/Luxembourg", "Luxembourg"),
    ("Europe/London", "Londres / London"),
    ("Europe/Berlin", "Berlin"),
    ("Europe/Madrid", "Madrid"),
    ("Africa/Casablanca", "Casablanca"),
    ("Africa/Abidjan", "Abidjan / Dakar"),
    ("America/Toronto", "Montréal / Toronto"),
    ("America/New_York", "New York"),
    ("America/Los_Angeles", "Los Angeles"),
    ("Asia/Dubai", "Dubaï / Dubai"),
    ("Asia/Singapore", "Singapour / Singapore"),
    ("Asia/Tokyo", "Tokyo"),
    ("Indian/Reunion", "La Réunion"),
)

MOST_COOLING_OFF = 600  # seconds: the longest cooling-off an owner may choose for themselves (/settings)


@dataclass(frozen=True)
class Profile:
    """What Vigie knows of a member; `briefing_days` are ISO weekdays (1 = Monday)."""

    user_id: int
    language: str
    timezone: str
    briefing_time: str = "07:30"
    briefing_days: frozenset[int] = ALL_DAYS
    first_name: str = ""
    username: str = ""
    active: bool = True  # False once Telegram said they blocked the bot, until they write again
    alert_every: int = 10  # minutes: at most one topic alert per watch that often
    quiet_hours: str = "22:00-07:00"  # local "HH:MM-HH:MM" when topic alerts wait; "" for none
    cooling_off: int = -1  # seconds a post they confirm waits with its Undo (0 to 600); -1: VIGIE_COOLING_OFF

    def with_changes(self, **changes: Any) -> Profile:
        return replace(self, **changes)

    def quiet(self, now: float) -> bool:
        """Whether `now` falls in the member's quiet hours (local time)."""
        if not self.quiet_hours:
            return False
        start, end = (minutes_of_day(part) for part in self.quiet_hours.split("-"))
        local = datetime.fromtimestamp(now, ZoneInfo(self.timezone))
        minute = local.hour * 60 + local.minute
        return start <= minute < end if start <= end else minute >= start or minute < end


def minutes_of_day(hh_mm: str) -> int:
    """'07:30' -> 450."""
    hours, minutes = hh_mm.split(":")
    return int(hours) * 60 + int(minutes)


@dataclass(frozen=True)
class Subscription:
    """A member's topic alert on a watch: each new item of the watch that passes its filters.
    Engagement and verification are X's: a news article passes them."""

    watch_id: str
    min_engagement: int = 0
    sources: str = ""  # "x" or "news" for those only; "" for both
    verified: bool = False  # X posts from verified accounts only
    language: str = ""  # items in that language only ("fr")

    def matches(self, item: Item) -> bool:
        on_x = item.source == "x"
        return (
            self.sources in ("", "x" if on_x else "news")
            and not (on_x and (item.engagement < self.min_engagement or (self.verified and not item.verified)))
            and self.language in ("", item.language)
        )

    def to_json(self) -> str:
        return json.dumps({f.name: getattr(self, f.name) for f in fields(self)})

    @classmethod
    def from_json(cls, raw: str) -> Subscription:
        return cls(**json.loads(raw))


@dataclass(frozen=True)
class Person:
    user_id: int
    name: str


@dataclass(frozen=True)
class Roster:
    owners: list[Person]
    delegates: list[Person]
    readers: list[Person]


class Priority(IntEnum):
    """Which waiting message goes first, in a chat and across chats (lower first)."""

    CRISIS = 0
    APPROVAL = 1
    BRIEFING = 2  # and notices (a feed paused, a role granted)
    ALERT = 3  # topic alerts


class Kind(StrEnum):
    TEXT = "text"
    PHOTO = "photo"  # `photo`: a Telegram file id, or "blob:<sha256>" for PNG bytes kept aside
    EDIT = "edit"  # the text and buttons of the message recorded for `purpose` in that chat
    EDIT_PHOTO = "edit_photo"  # the photo (`photo`), caption and buttons of the message for `purpose`
    DELETE = "delete"  # the message recorded for `purpose` in that chat


@dataclass(frozen=True)
class Outgoing:
    """A message for bot.delivery to send: `text` is Telegram HTML (the caption of a photo).
    `purpose` names it in its chat: the sent message's id is recorded under it, for an edit or a
    delete later. `id`, `queued_at` and `attempts` are the queue's (set when it is queued)."""

    chat_id: int
    text: str = ""
    keyboard: dict | None = None  # an InlineKeyboardMarkup as a dict
    kind: Kind = Kind.TEXT
    priority: Priority = Priority.BRIEFING
    purpose: str = ""
    photo: str = ""
    id: str = ""
    queued_at: float = 0.0
    attempts: int = 0

    def queued(self, message_id: str, at: float) -> Outgoing:
        return replace(self, id=message_id, queued_at=at)

    def retried(self) -> Outgoing:
        return replace(self, attempts=self.attempts + 1)

    def to_json(self) -> str:
        data = {f.name: getattr(self, f.name) for f in fields(self) if getattr(self, f.name) != f.default}
        return json.dumps({"chat_id": self.chat_id, **data}, ensure_ascii=False)

    @classmethod
    def from_json(cls, raw: str) -> Outgoing:
        data = json.loads(raw)
        return cls(
            **{
                **data,
                "chat_id": int(data["chat_id"]),
                "kind": Kind(data.get("kind", Kind.TEXT)),
                "priority": Priority(data.get("priority", Priority.BRIEFING)),
            }
        )


@dataclass(frozen=True)
class Taken:
    """A message a sender took from its chat's queue; `resent` when a dead sender left it
    while sending it (Telegram may have it already)."""

    raw: str
    message: Outgoing
    resent: bool


@dataclass(frozen=True)
class Backlog:
    """What waits: messages per priority, and the oldest first-in-line message's queue time."""

    depth: dict[Priority, int]
    oldest: float | None


@dataclass(frozen=True)
class PostingHold:
    """Posting paused by an owner, a guard against the hasty answer: every post waits until an
    owner resumes."""

    by: int
    by_name: str  # the owner's name when they paused it
    since: float
    watch: str = ""  # the name of the watch whose crisis alert it was pressed on


@dataclass(frozen=True)
class CrisisMessage:
    """A watch's latest crisis alert, as the chats that follow its evolution see it: edited in
    place every UPDATE_EVERY while the episode lasts, and once more when it ends."""

    UPDATE_EVERY: ClassVar[float] = 1800.0

    alert: float  # the start of the bucket it was raised on: its messages' purpose
    updated: float

    def purpose(self, watch_id: str) -> str:
        return f"crisis:{watch_id}:{int(self.alert)}"

    def due(self, now: float) -> bool:
        return now - self.updated >= self.UPDATE_EVERY


@dataclass(frozen=True)
class CrisisNote:
    """A crisis a briefing opens with: raised on the watch at `at`, `times_usual` the usual then,
    still under way or over since."""

    watch: str  # its name
    at: float
    times_usual: float
    ongoing: bool


class Act(StrEnum):
    """A step /journal records: of a post on its way to X, or of an account followed."""

    DRAFTED = "drafted"
    SUBMITTED = "submitted"  # a delegate's draft sent to the owners
    APPROVED = "approved"
    REJECTED = "rejected"
    CANCELLED = "cancelled"
    EXPIRED = "expired"
    UNDONE = "undone"
    POSTED = "posted"
    FAILED = "failed"
    DELETED = "deleted"
    FOLLOWED = "followed"
    UNFOLLOWED = "unfollowed"


@dataclass(frozen=True)
class JournalEntry:
    """Who did what, when, with what result and what X billed for it (/journal)."""

    at: float
    act: Act
    by: int  # the member who acted; 0 for Vigie itself (a draft that expired)
    by_name: str
    what: str  # the post's text, or the @account
    result: str = ""  # the post's links, or why it failed or was rejected
    micro_usd: int = 0


X_ACTIONS = frozenset({"post", "post_link", "follow", "unfollow", "delete"})  # what X bills that
# changes something (bot.sources.x.MICRO_USD); the rest are reads


@dataclass(frozen=True)
class Status:
    """What an owner sees with /status, and what /metrics exports: one snapshot."""

    at: float
    backlog: Backlog
    delivery_today: dict[str, int]
    delivery_totals: dict[str, int]
    feeds: list[Feed]
    x_today: dict[str, int]  # "{kind}:count", "{kind}:micro_usd", "total:micro_usd"
    x_month: dict[str, int]
    x_limited: dict[str, float]  # endpoint -> unix time its rate limit ends
    x_quotas: dict[str, tuple[int, float]]  # endpoint -> requests left, unix time of the window's reset
    items_today: dict[str, int]  # source ("x", "feed:{id}") -> new items it brought today (UTC)
    posting_hold: PostingHold | None
    worker_beat: float | None
    processes: dict[str, int]  # mode -> processes seen lately
    polling: bool  # a process holds the poller lease
    redis: dict[str, str]  # INFO memory and persistence

    @property
    def failing_feeds(self) -> list[Feed]:
        return [feed for feed in self.feeds if feed.failures or feed.paused]


@dataclass(frozen=True)
class Rate:
    """One message every `interval` seconds, `burst` of them at once."""

    interval: float
    burst: int = 1

    @property
    def interval_ms(self) -> float:
        return round(self.interval * 1000, 3)

    @property
    def tolerance_ms(self) -> float:
        return round((self.burst - 1) * self.interval * 1000, 3)


@dataclass(frozen=True)
class Slot:
    """The sending budget's answer (bot.store.pacing) to "may I send to this chat?": `taken`, the
    slot is the caller's, `wait` seconds after `at` (the Redis server's time of the answer, unix
    seconds); otherwise ask again after `wait` seconds."""

    wait: float
    at: float
    taken: bool


class Lease(Protocol):
    """A lock held for a piece of work (see `Store.system.lease`): check `held` before each step
    that must not run twice."""

    @property
    def held(self) -> bool: ...


# -- posting ----------------------------------------------------------------------------------


class DraftState(StrEnum):
    """Where a post stands, from its draft to X. Every move is one this allows (`leads_to`), made
    atomically in Redis (bot.store.posting): a second Publish or a late Undo changes nothing."""

    PREVIEW = "preview"  # its author (or the owner who took it over) sees it with Publish, Edit, Cancel
    APPROVAL = "approval"  # a delegate's draft, waiting for an owner's Approve or Reject
    COOLING = "cooling"  # confirmed: waits out the cooling-off, Undo still possible
    SENDING = "sending"  # being sent to X (or its sender died while sending it)
    SENT = "sent"  # on X: `post_ids`
    FAILED = "failed"  # X refused it, or it could not be sent: `reason`
    CANCELLED = "cancelled"  # cancelled, undone, rejected or expired: nothing reached X
    DELETED = "deleted"  # sent (or partly, a thread that failed on the way), then deleted from X

    @property
    def open(self) -> bool:
        """Still a draft: it expires when left alone."""
        return self in (DraftState.PREVIEW, DraftState.APPROVAL)

    def leads_to(self, state: DraftState) -> bool:
        return state in _MOVES[self]


_MOVES: dict[DraftState, frozenset[DraftState]] = {
    DraftState.PREVIEW: frozenset({DraftState.PREVIEW, DraftState.APPROVAL, DraftState.COOLING, DraftState.CANCELLED}),
    DraftState.APPROVAL: frozenset({DraftState.PREVIEW, DraftState.COOLING, DraftState.CANCELLED}),
    DraftState.COOLING: frozenset({DraftState.SENDING, DraftState.CANCELLED, DraftState.FAILED}),  # failed: no
    # account to post with, or over the budget
    DraftState.SENDING: frozenset({DraftState.SENT, DraftState.FAILED}),
    DraftState.SENT: frozenset({DraftState.DELETED}),
    DraftState.FAILED: frozenset({DraftState.DELETED}),  # the parts of a thread sent before it failed
    DraftState.CANCELLED: frozenset(),
    DraftState.DELETED: frozenset(),
}


@dataclass(frozen=True)
class Draft:
    """A post on its way to X, written by `author` in their private chat. Once confirmed, its
    countdown then its link are one message in the private chat of `approver` (the owner who
    confirmed it: its author, for an owner's own post), named by `purpose`. A thread when
    `thread` (`parts`)."""

    TTL: ClassVar[float] = 24 * 3600.0  # an open draft left alone this long expires

    id: str
    author: int
    author_name: str
    text: str
    created: float
    state: DraftState = DraftState.PREVIEW
    thread: bool = False
    reply_to: str = ""  # the X post it answers
    quote_of: str = ""  # the X post it quotes
    targets: tuple[str, ...] = ()  # links of the X posts it may answer or quote: those of the
    # message it was written about (an alert, a briefing)
    approver: int = 0  # the owner who confirmed it (its author, when an owner wrote it)
    approver_name: str = ""
    send_at: float = 0.0  # when its cooling-off ends
    post_ids: tuple[str, ...] = ()  # on X, part by part
    reason: str = ""  # why it was rejected or failed
    updated: float = 0.0

    @property
    def purpose(self) -> str:
        """Names its countdown-then-link message in the approver's chat (bot.delivery)."""
        return f"post:{self.id}"

    @property
    def parts(self) -> list[str]:
        """The posts it makes on X: one, or the parts of its thread."""
        from bot import posting  # twitter-text takes 0.2 s to load: not in every process that loads the model

        return posting.thread_parts(self.text) if self.thread else [self.text]

    def aimed_at(self, target: int, quote: bool) -> tuple[str, str] | None:
        """(reply_to, quote_of) once its `target`-th X post is answered (or quoted, with
        `quote`); choosing what is chosen already makes it a post of its own again. None for a
        target it does not have."""
        if not 0 <= target < len(self.targets):
            return None
        post_id = self.targets[target].rsplit("/", 1)[1]
        if quote:
            return "", "" if self.quote_of == post_id else post_id
        return "" if self.reply_to == post_id else post_id, ""

    def entry(self, act: Act, by: int, by_name: str, result: str = "", micro_usd: int = 0) -> JournalEntry:
        """Its step `act`, by that member, for /journal."""
        return JournalEntry(time.time(), act, by, by_name, self.text, result, micro_usd)

    def may_act(self, user_id: int, owner: bool) -> bool:
        """Whether that member may publish, edit or cancel it: its author, or any owner."""
        return owner or user_id == self.author

    def may_approve(self, user_id: int, owner: bool) -> bool:
        """Only an owner approves, and nobody their own draft."""
        return owner and user_id != self.author
