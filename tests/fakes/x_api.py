"""A local fake of the X (Twitter) API v2, good enough to run tweepy's AsyncClient against.

Give the client a session that sends X's hosts here::

    client = tweepy.asynchronous.AsyncClient(bearer_token=x.bearer_token)
    client.session = aiohttp.ClientSession(middlewares=(x.rewrite,))

then fill the corpus with :meth:`FakeX.add_user` / :meth:`FakeX.add_post` /
:meth:`FakeX.set_trends`, script trouble with :meth:`FakeX.fail_next` / :meth:`FakeX.set_limit`
(or keep answers back with :meth:`FakeX.hold`), and inspect what the product asked with ``requests`` and :meth:`FakeX.count`.

Tokens travel as ``Authorization: Bearer``: ``bearer_token`` (app-only) or ``user_token``
(user context, e.g. ``AsyncClient(bearer_token=x.user_token)`` with ``user_auth=False``);
OAuth 1.0a signatures are refused with 401. Known simplifications: ``sort_order=relevancy``
answers in recency order, and the corpus holds no media, polls or places.

Writes act for ``account_username``, the owner of ``user_token`` (app-only tokens are refused
with 403 Unsupported Authentication, as X does): ``POST /2/tweets`` (the new post joins the
corpus, so search and timelines see it), ``DELETE /2/tweets/{id}``, ``POST
/2/users/{id}/following`` and ``DELETE /2/users/{source}/following/{target}``. Read the results
with :meth:`FakeX.posts_by` and :meth:`FakeX.following`; script X's daily follow limit with
``follow_limit_reached``, and a protected account's answer with :meth:`FakeX.accept_follow`. A
write's ``requests`` entry carries its JSON body's fields.

``GET /2/users/{id}/tweets`` is a user's timeline (the posts :meth:`FakeX.add_post` gives it,
newest first; ``since_id``, ``until_id``, ``max_results`` 5-100, ``pagination_token``,
``exclude``); a protected account's posts are seen only by the account itself and its accepted
followers through ``user_token``, never app-only (otherwise X's 200 "Authorization Error" body).
"""

from __future__ import annotations

import asyncio
import base64
import binascii
import copy
import itertools
import json
import re
import socket
import time
import unicodedata
from collections import deque
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from functools import partial
from http import HTTPStatus
from typing import Any

from aiohttp import ClientHandlerType, ClientRequest, ClientResponse, web
from twitter_text import parse_tweet

__all__ = ["ENDPOINTS", "FakeX"]

ENDPOINTS = {
    "search": "/2/tweets/search/recent",
    "users_by_username": "/2/users/by/username/{username}",
    "user_posts": "/2/users/{id}/tweets",
    "mentions": "/2/users/{id}/mentions",
    "trends": "/2/trends/by/woeid/{woeid}",
    "me": "/2/users/me",
    "create_post": "/2/tweets",
    "delete_post": "/2/tweets/{id}",
    "follow": "/2/users/{id}/following",
    "unfollow": "/2/users/{source_user_id}/following/{target_user_id}",
}
METHODS = {"create_post": "POST", "delete_post": "DELETE", "follow": "POST", "unfollow": "DELETE"}  # others: GET
DEFAULT_LIMITS = {
    "search": 450,
    "users_by_username": 300,
    "user_posts": 1500,
    "mentions": 450,
    "trends": 75,
    "me": 75,
    "create_post": 100,
    "delete_post": 50,
    "follow": 50,
    "unfollow": 50,
}
USER_CONTEXT_ONLY = {"me", "create_post", "delete_post", "follow", "unfollow"}
MAX_WEIGHTED_LENGTH = 280
DUPLICATE_WINDOW = timedelta(hours=24)  # X does not publish its window; a day of the account's posts
X_HOSTS = {"api.twitter.com", "api.x.com"}
SEARCH_WINDOW = timedelta(days=7)
TWITTER_EPOCH_MS = 1288834974657

TWEET_FIELDS = {
    "article", "attachments", "author_id", "card_uri", "community_id", "context_annotations",
    "conversation_id", "created_at", "display_text_range", "edit_controls",
    "edit_history_tweet_ids", "entities", "geo", "id", "in_reply_to_user_id", "lang",
    "media_metadata", "non_public_metrics", "note_tweet", "organic_metrics",
    "possibly_sensitive", "promoted_metrics", "public_metrics", "referenced_tweets",
    "reply_settings", "scopes", "source", "text", "withheld",
}  # fmt: skip
USER_FIELDS = {
    "affiliation", "connection_status", "created_at", "description", "entities", "id",
    "is_identity_verified", "location", "most_recent_tweet_id", "name", "parody",
    "pinned_tweet_id", "profile_banner_url", "profile_image_url", "protected", "public_metrics",
    "receives_your_dm", "subscription", "subscription_type", "url", "username", "verified",
    "verified_followers_count", "verified_type", "withheld",
}  # fmt: skip
TWEET_EXPANSIONS = {
    "article.cover_media", "article.media_entities", "attachments.media_keys",
    "attachments.media_source_tweet", "attachments.poll_ids", "author_id",
    "edit_history_tweet_ids", "entities.mentions.username", "geo.place_id",
    "in_reply_to_user_id", "entities.note.mentions.username", "referenced_tweets.id",
    "referenced_tweets.id.attachments.media_keys", "referenced_tweets.id.author_id",
}  # fmt: skip
USER_EXPANSIONS = {"affiliation.user_id", "most_recent_tweet_id", "pinned_tweet_id"}
TREND_FIELDS = {"trend_name", "tweet_count"}
_EXPANDED_FIELDS = {  # expansion -> the post field it expands
    "author_id": "author_id",
    "in_reply_to_user_id": "in_reply_to_user_id",
    "referenced_tweets.id": "referenced_tweets",
    "referenced_tweets.id.author_id": "referenced_tweets",
}
_DEFAULT_TWEET_FIELDS = {"id", "text", "edit_history_tweet_ids"}
_DEFAULT_USER_FIELDS = {"id", "name", "username"}
_SHAPE_PARAMS = {
    "expansions", "tweet.fields", "user.fields", "media.fields", "place.fields", "poll.fields",
}  # fmt: skip
_TIMELINE_PARAMS = _SHAPE_PARAMS | {
    "since_id", "until_id", "max_results", "pagination_token", "start_time", "end_time",
}  # fmt: skip
_SEARCH_PARAMS = _TIMELINE_PARAMS | {"query", "next_token", "sort_order"}

_ID_RE = re.compile(r"[0-9]{1,19}")
_USERNAME_RE = re.compile(r"[A-Za-z0-9_]{1,15}")
_URL_RE = re.compile(r"https?://\S+?(?=[.,;:!?)\]'\"]*(?:\s|$))")
_MENTION_RE = re.compile(r"(?<![A-Za-z0-9_@])@([A-Za-z0-9_]{1,15})(?![A-Za-z0-9_@])")
_HASHTAG_RE = re.compile(r"(?<![\w#&])#(\w*[^\W\d]\w*)")
_CASHTAG_RE = re.compile(r"(?<![\w$])\$([A-Za-z]{1,6}(?:[._][A-Za-z]{1,2})?)(?!\w)")
_TOKEN_RE = re.compile(r"\w+|[^\w\s]")
_TERM_RE = re.compile(r'[^\s()"]+:"[^"]*"|[^\s()"]+')
_OPERATOR_RE = re.compile(r"([a-z_]+):(.+)")
_AMBIGUOUS_AND = (
    'Ambiguous use of and as a keyword. Use a space to logically join two clauses, or "and" to find '
    "occurrences of and in text"
)
# The fields of POST /2/tweets' body in X's schema: the fake models text, reply and quote_tweet_id
# and answers 501 for the others (media, polls... are not in its corpus).
_CREATE_FIELDS = {
    "card_uri", "community_id", "direct_message_deep_link", "edit_options", "for_super_followers_only",
    "geo", "made_with_ai", "media", "nullcast", "paid_partnership", "poll", "quote_tweet_id", "reply",
    "reply_settings", "share_with_followers", "text",
}  # fmt: skip
_MODELLED_CREATE_FIELDS = {"text", "reply", "quote_tweet_id"}
_REPLY_FIELDS = {"in_reply_to_tweet_id", "exclude_reply_user_ids", "auto_populate_reply_metadata"}
_NOT_IN_SCHEMA = "is not defined in the schema and the schema does not allow additional properties"
_TOO_LONG = (
    "Your Tweet text is too long. For more information on how Twitter determines text length see "
    "https://github.com/twitter/twitter-text."
)
_INVALID_OPERATOR = (
    "Reference to invalid operator '{}'. Operator is not available in current product or "
    "product packaging. Please refer to complete available operator list at "
    "https://developer.twitter.com/en/docs/twitter-api/tweets/search/integrate/build-a-query#list."
)


# --------------------------------------------------------------------------- errors


class _Problem(Exception):
    """An error answer: an HTTP status and an X problem (or invalid-request) body."""

    def __init__(self, status: int, body: dict):
        super().__init__(body)
        self.status = status
        self.body = body

    def response(self, headers: dict[str, str]) -> web.Response:
        return web.json_response(
            self.body, status=self.status, headers=headers, content_type="application/problem+json"
        )


def _problem(status: int, title: str | None = None, detail: str | None = None) -> _Problem:
    title = title or HTTPStatus(status).phrase
    return _Problem(status, {"title": title, "detail": detail or title, "type": "about:blank", "status": status})


def _invalid(name: str, value: str, message: str) -> _Problem:
    """400 Invalid Request about one parameter, as X words it."""
    return _Problem(
        400,
        {
            "errors": [{"parameters": {name: [value]}, "message": message}],
            "title": "Invalid Request",
            "detail": "One or more parameters to your request was invalid.",
            "type": "https://api.twitter.com/2/problems/invalid-request",
        },
    )


def _not_found(resource_type: str, parameter: str, value: str, detail: str) -> dict:
    """The 200 body X sends for a well-formed lookup of something that does not exist."""
    return {
        "errors": [
            {
                "value": value,
                "detail": detail,
                "title": "Not Found Error",
                "resource_type": resource_type,
                "parameter": parameter,
                "resource_id": value,
                "type": "https://api.twitter.com/2/problems/resource-not-found",
            }
        ]
    }


_UNSUPPORTED_AUTH = _Problem(
    403,
    {
        "title": "Unsupported Authentication",
        "detail": "Authenticating with OAuth 2.0 Application-Only is forbidden for this endpoint.  "
        "Supported authentication types are [OAuth 1.0a User Context, OAuth 2.0 User Context].",
        "type": "https://api.twitter.com/2/problems/unsupported-authentication",
        "status": 403,
    },
)


def _forbidden(detail: str) -> _Problem:
    """X's 403 for a write it refuses: ``{"detail", "type": "about:blank", "title", "status"}``."""
    return _problem(403, "Forbidden", detail)


def _invalid_body(message: str) -> _Problem:
    """400 Invalid Request about the JSON body. The ``$.field: ...`` wording follows the JSON
    schema validator X's messages come from; the exact text of each is not verified."""
    return _Problem(
        400,
        {
            "errors": [{"message": message}],
            "title": "Invalid Request",
            "detail": "One or more parameters to your request was invalid.",
            "type": "https://api.twitter.com/2/problems/invalid-request",
        },
    )


def _not_authorized_body(parameter: str, value: str) -> dict:
    """The 200 body X sends for the posts of a protected account the requester may not see (as
    reported from the real API: tweepy issue #2070, twittered issue #157)."""
    return {
        "errors": [
            {
                "value": value,
                "parameter": parameter,
                "resource_type": "user",
                "section": "data",
                "title": "Authorization Error",
                "resource_id": value,
                "detail": f"Sorry, you are not authorized to see the user with id: [{value}].",
                "type": "https://api.twitter.com/2/problems/not-authorized-for-resource",
            }
        ]
    }


def _suspended_body(parameter: str, value: str) -> dict:
    """The 200 body X sends for a lookup of a suspended account (as seen from the real API)."""
    return {
        "errors": [
            {
                "parameter": parameter,
                "resource_id": value,
                "value": value,
                "detail": f"User has been suspended: [{value}].",
                "title": "Forbidden",
                "resource_type": "user",
                "type": "https://api.twitter.com/2/problems/resource-not-found",
            }
        ]
    }


_DUPLICATE = _forbidden("You are not allowed to create a Tweet with duplicate content.")  # as seen from X
_REPLY_TO_MISSING = _forbidden("You attempted to reply to a Tweet that is deleted or not visible to you.")
# Unverified: X's answer to quoting a missing post, modelled on the reply one.
_QUOTE_OF_MISSING = _forbidden("You attempted to quote a Tweet that is deleted or not visible to you.")
# Unverified: v1.1 said this with code 161 (HTTP 403); v2's problem form is assumed to carry it.
_FOLLOW_LIMIT = _forbidden("You are unable to follow more people at this time.")


# --------------------------------------------------------------------------- parameters


def _check_params(query: dict[str, str], allowed: set[str]) -> None:
    for name, value in query.items():
        if name not in allowed:
            names = ",".join(sorted(allowed))
            raise _invalid(name, value, f"The query parameter [{name}] is not one of [{names}]")


def _int_param(query: dict[str, str], name: str, low: int, high: int, default: int) -> int:
    raw = query.get(name)
    if raw is None:
        return default
    if not re.fullmatch(r"-?[0-9]+", raw) or not low <= int(raw) <= high:
        message = f"The `{name}` query parameter value [{raw}] is not between {low} and {high}"
        raise _invalid(name, raw, message)
    return int(raw)


def _id_param(query: dict[str, str], name: str) -> int | None:
    raw = query.get(name)
    if raw is None:
        return None
    return _check_id(name, raw)


def _check_id(name: str, raw: str) -> int:
    if not _ID_RE.fullmatch(raw):
        message = f"The `{name}` query parameter value [{raw}] does not match ^[0-9]{{1,19}}$"
        raise _invalid(name, raw, message)
    return int(raw)


def _time_param(query: dict[str, str], name: str) -> datetime | None:
    raw = query.get(name)
    if raw is None:
        return None
    try:
        value = datetime.fromisoformat(raw)
    except ValueError:
        value = None
    if value is None or value.tzinfo is None:
        message = f"The `{name}` query parameter value [{raw}] is not a valid RFC 3339 date-time"
        raise _invalid(name, raw, message)
    return value


def _list_param(query: dict[str, str], name: str, allowed: set[str]) -> set[str]:
    raw = query.get(name)
    if raw is None:
        return set()
    values = raw.split(",")
    for value in values:
        if value not in allowed:
            choices = ", ".join(sorted(allowed))
            message = f"The `{name}` query parameter value [{value}] is not one of [{choices}]"
            raise _invalid(name, raw, message)
    return set(values)


def _encode_token(post_id: str) -> str:
    return base64.urlsafe_b64encode(f"before:{post_id}".encode()).decode().rstrip("=")


def _decode_token(name: str, token: str) -> int:
    try:
        decoded = base64.urlsafe_b64decode(token + "=" * (-len(token) % 4)).decode()
    except (binascii.Error, UnicodeDecodeError):
        decoded = ""
    prefix, _, post_id = decoded.partition(":")
    if prefix != "before" or not _ID_RE.fullmatch(post_id):
        raise _invalid(name, token, f"The `{name}` query parameter value [{token}] is not valid")
    return int(post_id)


_UNREADABLE = object()  # a request body that is not JSON


@dataclass
class _Shape:
    """What the request asked to see: fields and expansions."""

    tweet_fields: set[str]
    user_fields: set[str]
    expansions: set[str]

    @classmethod
    def of(cls, query: dict[str, str], expansions: set[str]) -> _Shape:
        return cls(
            _list_param(query, "tweet.fields", TWEET_FIELDS) | _DEFAULT_TWEET_FIELDS,
            _list_param(query, "user.fields", USER_FIELDS) | _DEFAULT_USER_FIELDS,
            _list_param(query, "expansions", expansions),
        )


# --------------------------------------------------------------------------- corpus


def _tokens(text: str) -> list[str]:
    """Casefolded words and symbols (emoji...) of a text, punctuation and links dropped."""
    text = _URL_RE.sub(" ", text).casefold()
    return [t for t in _TOKEN_RE.findall(text) if not unicodedata.category(t[0]).startswith("P")]


def _contains(tokens: list[str], words: list[str]) -> bool:
    size = len(words)
    return any(tokens[i : i + size] == words for i in range(len(tokens) - size + 1))


def _iso(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


@dataclass
class _Post:
    """A stored post: its full X representation and what search looks at."""

    data: dict
    created: datetime
    author: str  # casefolded username
    reply_to_user: str | None  # casefolded username of the replied-to author
    tokens: list[str]
    mentions: set[str]
    hashtags: set[str]
    cashtags: set[str]
    urls: list[str]  # t.co and expanded forms
    raw: str = ""  # the text as written, before links became t.co ones (for duplicate checks)

    @property
    def id(self) -> int:
        return int(self.data["id"])

    def refers(self, kind: str) -> bool:
        return any(ref["type"] == kind for ref in self.data.get("referenced_tweets", ()))


@dataclass
class _Window:
    """One rate-limit window of one endpoint for one token."""

    limit: int
    remaining: int
    reset: int

    def headers(self) -> dict[str, str]:
        return _limit_headers(self.limit, self.remaining, self.reset)


def _limit_headers(limit: int, remaining: int, reset: int) -> dict[str, str]:
    return {
        "x-rate-limit-limit": str(limit),
        "x-rate-limit-remaining": str(remaining),
        "x-rate-limit-reset": str(reset),
    }


@dataclass
class _Failure:
    status: int
    malformed: bool
    reset_in: int


# --------------------------------------------------------------------------- query language


class _QueryError(Exception):
    """X's query error message: one or more problems, each with its 1-based position."""

    def __init__(self, message: str, position: int, *more: tuple[str, int]):
        problems = ", ".join(f"{m} (at position {p})" for m, p in ((message, position), *more))
        super().__init__(f"There were errors processing your request: {problems}")


@dataclass
class _Node:
    """A compiled query clause."""

    match: Callable[[_Post], bool]
    positive: bool = True  # holds a clause that is not negated
    standalone: bool = True  # can select posts on its own (is:/has:/lang: cannot)


def _lex(query: str) -> list[tuple[str, str, int]]:
    """(kind, text, 1-based position) tokens; kinds: ( ) - OR phrase term."""
    tokens = []
    i = 0
    while i < len(query):
        char = query[i]
        if char.isspace():
            i += 1
        elif char in "()":
            tokens.append((char, char, i + 1))
            i += 1
        elif char == "-" and i + 1 < len(query) and not query[i + 1].isspace():
            tokens.append(("-", char, i + 1))
            i += 1
        elif char == '"':
            end = query.find('"', i + 1)
            if end < 0:
                raise _QueryError("Unterminated quoted phrase", i + 1)
            tokens.append(("phrase", query[i + 1 : end], i + 1))
            i = end + 1
        else:
            term = _TERM_RE.match(query, i).group(0)
            tokens.append(("OR" if term == "OR" else "term", term, i + 1))
            i += len(term)
    return tokens


class _Parser:
    """Recursive descent over X's query syntax; AND binds tighter than OR."""

    def __init__(self, query: str):
        self.tokens = _lex(query)
        self.i = 0
        self.end = len(query) + 1

    def parse(self) -> _Node:
        # X refuses a bare `and` wherever it is, reporting every one, the last first (as seen in
        # a real answer); a quoted "and" is a phrase. Whether X reads `AND` alike is unverified.
        ands = [(_AMBIGUOUS_AND, position) for kind, text, position in self.tokens if (kind, text) == ("term", "and")]
        if ands:
            raise _QueryError(*ands[-1], *ands[-2::-1])
        node = self._or()
        if self.i < len(self.tokens):
            raise _QueryError("Unbalanced parentheses", self.tokens[self.i][2])
        if not node.positive:
            raise _QueryError("Rules must contain a non-negation term", 1)
        if not node.standalone:
            raise _QueryError("is/has/lang cannot be used as a standalone operator", 1)
        return node

    def _peek(self) -> tuple[str, str, int]:
        return self.tokens[self.i] if self.i < len(self.tokens) else ("end", "", self.end)

    def _or(self) -> _Node:
        nodes = [self._and()]
        while self._peek()[0] == "OR":
            self.i += 1
            nodes.append(self._and())
        if len(nodes) == 1:
            return nodes[0]
        return _Node(
            lambda post: any(n.match(post) for n in nodes),
            any(n.positive for n in nodes),
            all(n.standalone for n in nodes),
        )

    def _and(self) -> _Node:
        nodes = []
        while self._peek()[0] not in ("end", ")", "OR"):
            nodes.append(self._unary())
        if not nodes:
            kind, text, position = self._peek()
            raise _QueryError(f"Unexpected '{text or kind}'", position)
        if len(nodes) == 1:
            return nodes[0]
        return _Node(
            lambda post: all(n.match(post) for n in nodes),
            any(n.positive for n in nodes),
            any(n.standalone for n in nodes),
        )

    def _unary(self) -> _Node:
        kind, text, position = self._peek()
        self.i += 1
        if kind == "-":
            inner = self._unary()
            return _Node(lambda post: not inner.match(post), False, False)
        if kind == "(":
            node = self._or()
            if self._peek()[0] != ")":
                raise _QueryError("Unbalanced parentheses", position)
            self.i += 1
            return node
        if kind == "phrase":
            return _keyword(text, position)
        if kind == "term":
            return _term(text, position)
        raise _QueryError(f"Unexpected '{text or kind}'", position)


def _keyword(text: str, position: int) -> _Node:
    words = _tokens(text)
    if not words:
        raise _QueryError(f"Empty term '{text}'", position)
    return _Node(lambda post: _contains(post.tokens, words))


def _term(term: str, position: int) -> _Node:
    sigil, rest = term[0], term[1:].casefold()
    if sigil == "@" and rest:
        return _Node(lambda post: rest in post.mentions)
    if sigil == "#" and rest:
        return _Node(lambda post: rest in post.hashtags)
    if sigil == "$" and rest[:1].isalpha():
        return _Node(lambda post: rest in post.cashtags)
    operator = _OPERATOR_RE.fullmatch(term)
    if not operator:
        return _keyword(term, position)
    name, value = operator.group(1), operator.group(2).strip('"')
    folded = value.casefold()
    conjunction_only: dict[str, Callable[[_Post], bool]] = {
        "is:retweet": lambda post: post.refers("retweeted"),
        "is:reply": lambda post: post.refers("replied_to"),
        "is:quote": lambda post: post.refers("quoted"),
        "has:links": lambda post: bool(post.urls),
        "has:mentions": lambda post: bool(post.mentions),
        "has:hashtags": lambda post: bool(post.hashtags),
        "has:cashtags": lambda post: bool(post.cashtags),
        "has:media": lambda post: False,  # the corpus holds no media
        "lang:": lambda post: post.data["lang"] == folded,
    }
    standalone: dict[str, Callable[[_Post], bool]] = {
        "from": lambda post: post.author == folded,
        "to": lambda post: post.reply_to_user == folded,
        "conversation_id": lambda post: post.data["conversation_id"] == value,
        "url": lambda post: any(folded in url.casefold() for url in post.urls),
    }
    if name in standalone:
        return _Node(standalone[name])
    key = "lang:" if name == "lang" else f"{name}:{value}"
    if key in conjunction_only:
        return _Node(conjunction_only[key], standalone=False)
    if name in ("is", "has"):
        raise _QueryError(f"Reference to invalid field '{value}'", position + len(name) + 1)
    raise _QueryError(_INVALID_OPERATOR.format(name), position)


# --------------------------------------------------------------------------- server


class FakeX:
    """A local X API v2 server (aiohttp) with a corpus of users, posts and trends."""

    def __init__(self, bearer_token: str = "fake-x-bearer-token", user_token: str = "fake-x-user-token"):
        self.bearer_token = bearer_token
        self.user_token = user_token
        # Username of the account that owns user_token (created on first GET /2/users/me or write).
        self.account_username = "vigie_owner"
        # The account has reached X's daily follow limit: POST .../following answers 403.
        self.follow_limit_reached = False
        self.url = ""
        self.requests: list[tuple[str, dict]] = []
        self._runner: web.AppRunner | None = None
        self._user_ids = itertools.count(1_500_000_001)
        self._link_ids = itertools.count(1)
        self._users: dict[str, dict] = {}
        self._user_by_name: dict[str, str] = {}  # casefolded username -> id
        self._suspended: set[str] = set()  # user ids
        self._base_followers: dict[str, int] = {}  # user id -> followers outside the fake
        self._following: dict[str, set[str]] = {}  # user id -> ids it follows
        self._pending: dict[str, set[str]] = {}  # user id -> protected ids it asked to follow
        self._posts: dict[int, _Post] = {}
        self._links: dict[str, str] = {}  # t.co link -> expanded URL
        self._trends: dict[int, list[tuple[str, int | None]]] = {}
        self._limits = {name: (limit, 900) for name, limit in DEFAULT_LIMITS.items()}
        self._windows: dict[tuple[str, str], _Window] = {}
        self._failures: dict[str, deque[_Failure | None]] = {name: deque() for name in ENDPOINTS}  # None: as usual
        self._holds: dict[str, asyncio.Event] = {}  # endpoint -> released
        self._token = ""  # the token of the request being answered

    # ----------------------------------------------------------------------- lifecycle

    async def start(self) -> None:
        """Serve on 127.0.0.1 on a random free port."""
        app = web.Application()
        handlers = {
            "search": self._search,
            "users_by_username": self._users_by_username,
            "user_posts": self._user_posts,
            "mentions": self._mentions,
            "trends": self._trends_by_woeid,
            "me": self._me,
            "create_post": self._create_post,
            "delete_post": self._delete_post,
            "follow": self._follow,
            "unfollow": self._unfollow,
        }
        for name, path in ENDPOINTS.items():
            app.router.add_route(METHODS.get(name, "GET"), path, partial(self._serve, name, handlers[name]))
        app.router.add_route("*", "/{tail:.*}", self._not_found_route)
        self._runner = web.AppRunner(app, access_log=None, shutdown_timeout=1)
        await self._runner.setup()
        sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        sock.bind(("127.0.0.1", 0))
        await web.SockSite(self._runner, sock).start()
        self.url = f"http://127.0.0.1:{sock.getsockname()[1]}"

    async def stop(self) -> None:
        """Shut the server down."""
        if self._runner:
            await self._runner.cleanup()
            self._runner = None

    async def __aenter__(self) -> FakeX:
        await self.start()
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.stop()

    async def rewrite(self, request: ClientRequest, handler: ClientHandlerType) -> ClientResponse:
        """aiohttp client middleware sending requests for X's hosts to this server."""
        if request.url.host in X_HOSTS:
            port = int(self.url.rsplit(":", 1)[1])
            request.url = request.url.with_scheme("http").with_host("127.0.0.1").with_port(port)
        return await handler(request)

    # ----------------------------------------------------------------------- corpus

    def add_user(
        self,
        username: str,
        name: str | None = None,
        *,
        user_id: str | None = None,
        verified: bool = False,
        description: str = "",
        followers: int = 0,
        protected: bool = False,
        suspended: bool = False,
    ) -> dict:
        """Create an account; return ``{"id", "name", "username"}``.

        ``followers`` is its public_metrics.followers_count (follows made through the fake add
        to it); a ``protected`` account's follows are pending; a ``suspended`` one is answered
        with X's suspended error instead of its data, and its posts are out of search.
        """
        if not _USERNAME_RE.fullmatch(username):
            raise ValueError(f"invalid X username {username!r}")
        if username.casefold() in self._user_by_name:
            raise ValueError(f"user @{username} already exists")
        user_id = user_id or str(next(self._user_ids))
        if not _ID_RE.fullmatch(user_id) or user_id in self._users:
            raise ValueError(f"invalid or duplicate user id {user_id!r}")
        self._users[user_id] = {
            "id": user_id,
            "name": name or username,
            "username": username,
            "created_at": "2015-06-01T09:00:00.000Z",
            "description": description,
            "protected": protected,
            "verified": verified,
            "profile_image_url": f"https://pbs.twimg.com/profile_images/{user_id}/a_normal.jpg",
        }
        self._user_by_name[username.casefold()] = user_id
        self._base_followers[user_id] = followers
        if suspended:
            self._suspended.add(user_id)
        return {"id": user_id, "name": name or username, "username": username}

    def add_post(
        self,
        text: str,
        author: str,
        *,
        lang: str = "fr",
        created_at: datetime | None = None,
        likes: int = 0,
        reposts: int = 0,
        replies: int = 0,
        quotes: int = 0,
        retweet_of: str | None = None,
        quote_of: str | None = None,
        reply_to: str | None = None,
        urls: list[str] | None = None,
    ) -> dict:
        """Publish a post by ``author`` (a username, created if unknown); return it as X does.

        Ids derive from ``created_at`` like real snowflakes, so a newer post has a larger id.
        A retweet's ``text`` is ignored: it becomes ``RT @author: <original text>``. Links,
        from ``urls`` (appended unless already in the text) or in the text, become t.co links
        whose entities carry the ``expanded_url``. Mentioned accounts are created if unknown.
        """
        author_id = self._user_id(author)
        created = (created_at or datetime.now(UTC)).astimezone(UTC)
        post_id = self._new_post_id(created)
        references = []
        conversation_id = str(post_id)
        reply_to_user = None
        raw = text
        if retweet_of:
            original = self._post(retweet_of)
            text = f"RT @{self._users[original.data['author_id']]['username']}: "
            text += original.data["text"]
            references.append({"type": "retweeted", "id": retweet_of})
        if quote_of:
            self._post(quote_of)
            references.append({"type": "quoted", "id": quote_of})
        if reply_to:
            parent = self._post(reply_to)
            references.append({"type": "replied_to", "id": reply_to})
            conversation_id = parent.data["conversation_id"]
            reply_to_user = parent.author
        text, entities = self._entities(text, urls or [])
        data: dict[str, Any] = {
            "id": str(post_id),
            "text": text,
            "author_id": author_id,
            "created_at": _iso(created),
            "lang": lang,
            "conversation_id": conversation_id,
            "edit_history_tweet_ids": [str(post_id)],
            "public_metrics": {
                "retweet_count": reposts,
                "reply_count": replies,
                "like_count": likes,
                "quote_count": quotes,
                "bookmark_count": 0,
                "impression_count": 0,
            },
        }
        if references:
            data["referenced_tweets"] = references
        if reply_to_user:
            data["in_reply_to_user_id"] = self._user_by_name[reply_to_user]
        if entities:
            data["entities"] = entities
        self._posts[post_id] = _Post(
            data=data,
            created=created,
            author=self._users[author_id]["username"].casefold(),
            reply_to_user=reply_to_user,
            tokens=_tokens(text),
            mentions={m["username"].casefold() for m in entities.get("mentions", ())},
            hashtags={h["tag"].casefold() for h in entities.get("hashtags", ())},
            cashtags={c["tag"].casefold() for c in entities.get("cashtags", ())},
            urls=[u for e in entities.get("urls", ()) for u in (e["url"], e["expanded_url"])],
            raw=raw,
        )
        return copy.deepcopy(data)

    def set_trends(self, woeid: int, trends: list[tuple[str, int | None]]) -> None:
        """Trends of a place: (trend_name, tweet_count or None), in rank order."""
        self._trends[woeid] = list(trends)

    def posts_by(self, username: str) -> list[dict]:
        """The posts of ``username`` (created through the API or :meth:`add_post`), newest first."""
        user_id = self._user_by_name.get(username.casefold())
        posts = [p for p in self._posts.values() if user_id and p.data["author_id"] == user_id]
        return [copy.deepcopy(p.data) for p in sorted(posts, key=lambda p: p.id, reverse=True)]

    def following(self, username: str) -> set[str]:
        """The usernames ``username`` follows (follow requests still pending excluded)."""
        return self._usernames(self._following, username)

    def pending_follows(self, username: str) -> set[str]:
        """The protected accounts ``username`` asked to follow, waiting for their approval."""
        return self._usernames(self._pending, username)

    def accept_follow(self, username: str) -> None:
        """The protected account ``username`` accepts the account's follow request: from then
        on the account follows it and sees its posts."""
        account = self._user_id(self.account_username)
        target = self._user_by_name[username.casefold()]
        if target not in self._pending.get(account, set()):
            raise ValueError(f"no follow request waits for @{username}")
        self._pending[account].discard(target)
        self._following.setdefault(account, set()).add(target)

    # ----------------------------------------------------------------------- scripting

    def set_limit(self, endpoint: str, limit: int, window_seconds: int = 900) -> None:
        """Budget of ``endpoint`` per token and window; current windows of it restart."""
        self._check_endpoint(endpoint)
        self._limits[endpoint] = (limit, window_seconds)
        self._windows = {k: w for k, w in self._windows.items() if k[0] != endpoint}

    def reset_limits(self) -> None:
        """Start new rate-limit windows for every endpoint and token."""
        self._windows.clear()

    def fail_next(
        self,
        endpoint: str,
        status: int,
        *,
        times: int = 1,
        malformed: bool = False,
        reset_in: int = 5,
        after: int = 0,
    ) -> None:
        """Answer the next ``times`` requests to ``endpoint`` (once ``after`` more were answered
        as usual) with ``status``, before auth/limits.

        The body is X's problem JSON, or ``<html>oops`` when ``malformed`` (use status 200 for
        "a success that is not JSON"). A 429 says remaining 0 and a reset ``reset_in`` s ahead.
        """
        self._check_endpoint(endpoint)
        if status < 400 and not malformed:
            raise ValueError("a status below 400 only makes sense with malformed=True")
        self._failures[endpoint].extend([None] * after + [_Failure(status, malformed, reset_in)] * times)

    def hold(self, endpoint: str) -> None:
        """Do what the next requests to ``endpoint`` ask but keep their answers until
        :meth:`release`: their client cannot know whether X did it (it crashes, or gives up)."""
        self._check_endpoint(endpoint)
        self._holds[endpoint] = asyncio.Event()

    def release(self, endpoint: str) -> None:
        """Send the answers held back by :meth:`hold`, and answer at once from now on."""
        self._holds.pop(endpoint).set()

    def count(self, endpoint: str) -> int:
        """How many requests ``endpoint`` received, failed ones included."""
        self._check_endpoint(endpoint)
        return sum(1 for name, _ in self.requests if name == endpoint)

    # ----------------------------------------------------------------------- internals

    @staticmethod
    def _check_endpoint(endpoint: str) -> None:
        if endpoint not in ENDPOINTS:
            raise ValueError(f"FakeX has no endpoint {endpoint!r}; known: {sorted(ENDPOINTS)}")

    def _usernames(self, relation: dict[str, set[str]], username: str) -> set[str]:
        user_id = self._user_by_name.get(username.casefold(), "")
        return {self._users[target]["username"] for target in relation.get(user_id, ())}

    def _user_id(self, username: str) -> str:
        """Id of that username, creating the account if unknown."""
        user_id = self._user_by_name.get(username.casefold())
        return user_id or self.add_user(username)["id"]

    def _post(self, post_id: str) -> _Post:
        post = self._posts.get(int(post_id)) if _ID_RE.fullmatch(post_id) else None
        if post is None:
            raise ValueError(f"no post {post_id!r}")
        return post

    def _new_post_id(self, created: datetime) -> int:
        post_id = (int(created.timestamp() * 1000) - TWITTER_EPOCH_MS) << 22
        while post_id in self._posts:
            post_id += 1
        return post_id

    def _shorten(self, url: str) -> str:
        link = f"https://t.co/fake{next(self._link_ids):06d}"
        self._links[link] = url
        return link

    def _entities(self, text: str, urls: list[str]) -> tuple[str, dict]:
        """Replace links with t.co ones and derive X's entities from the final text."""
        extra = list(urls)

        def shorten(match: re.Match) -> str:
            url = match.group(0)
            if url in self._links:
                return url
            if url in extra:
                extra.remove(url)
            return self._shorten(url)

        text = _URL_RE.sub(shorten, text)
        text = " ".join([text, *map(self._shorten, extra)]).strip()
        entities: dict[str, list[dict]] = {}
        for match in _MENTION_RE.finditer(text):
            username = match.group(1)
            user = self._users[self._user_id(username)]
            entities.setdefault("mentions", []).append(
                {"start": match.start(), "end": match.end(), "username": username, "id": user["id"]}
            )
        for key, pattern in (("hashtags", _HASHTAG_RE), ("cashtags", _CASHTAG_RE)):
            for match in pattern.finditer(text):
                entities.setdefault(key, []).append({"start": match.start(), "end": match.end(), "tag": match.group(1)})
        for match in _URL_RE.finditer(text):
            expanded = self._links[match.group(0)]
            display = expanded.split("://", 1)[-1]
            entities.setdefault("urls", []).append(
                {
                    "start": match.start(),
                    "end": match.end(),
                    "url": match.group(0),
                    "expanded_url": expanded,
                    "display_url": display if len(display) <= 26 else display[:25] + "…",
                }
            )
        return text, entities

    # ----------------------------------------------------------------------- HTTP plumbing

    async def _serve(self, endpoint: str, handler: Callable, request: web.Request) -> web.Response:
        """Log, fail on demand, authenticate, count against the limit, then answer."""
        query = dict(request.query)
        raw_body = await request.text()
        try:
            body = json.loads(raw_body) if raw_body else None
        except ValueError:
            body = _UNREADABLE
        fields = body if isinstance(body, dict) else {}
        self.requests.append((endpoint, {**query, **request.match_info, **fields}))
        scheme, _, token = request.headers.get("Authorization", "").partition(" ")
        token = token if scheme == "Bearer" else ""
        window = self._window(endpoint, token)
        failure = self._failures[endpoint].popleft() if self._failures[endpoint] else None
        if failure is not None:
            return self._failure(failure, window)
        try:
            if token == self.bearer_token and endpoint in USER_CONTEXT_ONLY:
                raise _UNSUPPORTED_AUTH
            if token not in (self.bearer_token, self.user_token):
                raise _problem(401)
            if window.remaining == 0:
                raise _problem(429)
            window.remaining -= 1
            self._token = token
            if endpoint in METHODS:  # writes take no query parameter
                _check_params(query, set())
            if METHODS.get(endpoint) == "POST":
                answer = handler(query, request.match_info, body)
            else:
                answer = handler(query, request.match_info)
            status = 201 if endpoint == "create_post" else 200
            if endpoint in self._holds:
                await self._holds[endpoint].wait()
            return web.json_response(answer, status=status, headers=window.headers())
        except _Problem as problem:
            return problem.response(window.headers())

    def _window(self, endpoint: str, token: str) -> _Window:
        now = int(time.time())
        window = self._windows.get((endpoint, token))
        if window is None or now >= window.reset:
            limit, seconds = self._limits[endpoint]
            window = self._windows[endpoint, token] = _Window(limit, limit, now + seconds)
        return window

    @staticmethod
    def _failure(failure: _Failure, window: _Window) -> web.Response:
        headers = window.headers()
        if failure.status == 429:
            headers = _limit_headers(window.limit, 0, int(time.time()) + failure.reset_in)
        if failure.malformed:
            return web.Response(status=failure.status, text="<html>oops", content_type="text/html", headers=headers)
        return _problem(failure.status).response(headers)

    @staticmethod
    async def _not_found_route(request: web.Request) -> web.Response:
        return _problem(404, "Not Found", "Sorry, that page does not exist.").response({})

    # ----------------------------------------------------------------------- rendering

    def _render_user(self, user_id: str, fields: set[str]) -> dict:
        user = self._users[user_id]
        metrics = {
            "followers_count": self._base_followers[user_id]
            + sum(1 for targets in self._following.values() if user_id in targets),
            "following_count": len(self._following.get(user_id, ())),
            "tweet_count": sum(1 for p in self._posts.values() if p.data["author_id"] == user_id),
            "listed_count": 0,
            "like_count": 0,
            "media_count": 0,
        }
        full = {**user, "public_metrics": metrics}
        return {key: value for key, value in full.items() if key in fields}

    @staticmethod
    def _render_post(post: _Post, fields: set[str], expansions: set[str] = frozenset()) -> dict:
        """The post with the fields asked for, and the fields its expansions hang on: X sends
        a post's author_id whenever author_id is expanded, even if tweet.fields omits it."""
        fields = fields | {_EXPANDED_FIELDS[e] for e in expansions if e in _EXPANDED_FIELDS}
        return copy.deepcopy({k: v for k, v in post.data.items() if k in fields})

    def _page(self, posts: list[_Post], shape: _Shape, more: bool) -> dict:
        """A timeline/search answer for one page of posts, newest first."""
        if not posts:
            return {"meta": {"result_count": 0}}
        users: dict[str, None] = {}
        tweets: dict[int, _Post] = {}
        for post in posts:
            data = post.data
            if "author_id" in shape.expansions:
                users[data["author_id"]] = None
            if "in_reply_to_user_id" in shape.expansions and "in_reply_to_user_id" in data:
                users[data["in_reply_to_user_id"]] = None
            if "entities.mentions.username" in shape.expansions:
                mentions = data.get("entities", {}).get("mentions", ())
                users.update(dict.fromkeys(m["id"] for m in mentions))
            for ref in data.get("referenced_tweets", ()):
                referenced = self._posts.get(int(ref["id"]))
                if referenced is None:  # deleted since
                    continue
                if "referenced_tweets.id" in shape.expansions:
                    tweets[referenced.id] = referenced
                if "referenced_tweets.id.author_id" in shape.expansions:
                    users[referenced.data["author_id"]] = None
        body: dict[str, Any] = {"data": [self._render_post(p, shape.tweet_fields, shape.expansions) for p in posts]}
        includes: dict[str, list] = {}
        if users:
            includes["users"] = [self._render_user(u, shape.user_fields) for u in users]
        if tweets:
            includes["tweets"] = [self._render_post(p, shape.tweet_fields) for p in tweets.values()]
        if includes:
            body["includes"] = includes
        meta: dict[str, Any] = {
            "newest_id": posts[0].data["id"],
            "oldest_id": posts[-1].data["id"],
            "result_count": len(posts),
        }
        if more:
            meta["next_token"] = _encode_token(posts[-1].data["id"])
        body["meta"] = meta
        return body

    def _timeline(
        self,
        query: dict[str, str],
        candidates: Callable[[], Iterable[_Post]],
        *,
        min_results: int,
        token_names: tuple[str, ...],
        not_before: datetime | None = None,
        owner: str | None = None,
        visible: Callable[[str], bool] | None = None,
    ) -> dict:
        """Validate, then filter by ids, times and cursor and answer one page, newest first.

        ``owner`` is the id of the user whose timeline this is: X's not-found body if unknown;
        ``visible(owner)`` says whether the requester may see it (X's not-authorized body if not).
        """
        shape = _Shape.of(query, TWEET_EXPANSIONS)
        max_results = _int_param(query, "max_results", min_results, 100, 10)
        since_id = _id_param(query, "since_id")
        until_id = _id_param(query, "until_id")
        start = _time_param(query, "start_time")
        end = _time_param(query, "end_time")
        before = None
        for name in token_names:
            if name in query:
                before = _decode_token(name, query[name])
        if start and not_before and start < not_before:
            raw = query["start_time"]
            message = f"Invalid 'start_time':'{raw}'. 'start_time' must be on or after {_iso(not_before)}"
            raise _invalid("start_time", raw, message)
        if owner is not None and owner not in self._users:
            return _not_found("user", "id", owner, f"Could not find user with id: [{owner}].")
        if owner in self._suspended:
            return _suspended_body("id", owner)
        if owner is not None and visible is not None and not visible(owner):
            return _not_authorized_body("id", owner)

        def wanted(post: _Post) -> bool:
            return (
                (since_id is None or post.id > since_id)
                and (until_id is None or post.id < until_id)
                and (before is None or post.id < before)
                and (start is None or post.created >= start)
                and (end is None or post.created < end)
                and (not_before is None or post.created >= not_before)
            )

        selected = sorted(filter(wanted, candidates()), key=lambda p: p.id, reverse=True)
        return self._page(selected[:max_results], shape, len(selected) > max_results)

    # ----------------------------------------------------------------------- endpoints

    def _search(self, query: dict[str, str], path: dict[str, str]) -> dict:
        _check_params(query, _SEARCH_PARAMS)
        text = query.get("query", "")
        if not 1 <= len(text) <= 512:
            message = f"The `query` query parameter value [{text}] is not between 1 and 512"
            raise _invalid("query", text, message)
        if query.get("sort_order", "recency") not in ("recency", "relevancy"):
            raw = query["sort_order"]
            message = f"The `sort_order` query parameter value [{raw}] is not one of [recency, relevancy]"
            raise _invalid("sort_order", raw, message)
        try:
            node = _Parser(text).parse()
        except _QueryError as error:
            raise _invalid("query", text, str(error)) from None
        return self._timeline(
            query,
            lambda: (p for p in self._posts.values() if p.data["author_id"] not in self._suspended and node.match(p)),
            min_results=10,
            token_names=("next_token", "pagination_token"),
            not_before=datetime.now(UTC) - SEARCH_WINDOW,
        )

    def _users_by_username(self, query: dict[str, str], path: dict[str, str]) -> dict:
        _check_params(query, _SHAPE_PARAMS)
        username = path["username"]
        if not _USERNAME_RE.fullmatch(username):
            message = f"The `username` query parameter value [{username}] does not match ^[A-Za-z0-9_]{{1,15}}$"
            raise _invalid("username", username, message)
        shape = _Shape.of(query, USER_EXPANSIONS)
        user_id = self._user_by_name.get(username.casefold())
        if user_id is None:
            detail = f"Could not find user with username: [{username}]."
            return _not_found("user", "username", username, detail)
        if user_id in self._suspended:
            return _suspended_body("username", username)
        return {"data": self._render_user(user_id, shape.user_fields)}

    def _me(self, query: dict[str, str], path: dict[str, str]) -> dict:
        _check_params(query, _SHAPE_PARAMS)
        shape = _Shape.of(query, USER_EXPANSIONS)
        return {"data": self._render_user(self._user_id(self.account_username), shape.user_fields)}

    def _user_posts(self, query: dict[str, str], path: dict[str, str]) -> dict:
        _check_params(query, _TIMELINE_PARAMS | {"exclude"})
        exclude = _list_param(query, "exclude", {"retweets", "replies"})
        user_id = path["id"]
        _check_id("id", user_id)

        def posts() -> Iterable[_Post]:
            return (
                p
                for p in self._posts.values()
                if p.data["author_id"] == user_id
                and not ("retweets" in exclude and p.refers("retweeted"))
                and not ("replies" in exclude and p.refers("replied_to"))
            )

        return self._timeline(
            query, posts, min_results=5, token_names=("pagination_token",), owner=user_id, visible=self._visible
        )

    def _visible(self, user_id: str) -> bool:
        """Whether the request's token may see that user's posts: a protected account's only
        by itself and the accounts it accepted as followers (never app-only)."""
        if not self._users[user_id]["protected"]:
            return True
        account = self._user_by_name.get(self.account_username.casefold())
        return self._token == self.user_token and (account == user_id or user_id in self._following.get(account, ()))

    def _mentions(self, query: dict[str, str], path: dict[str, str]) -> dict:
        _check_params(query, _TIMELINE_PARAMS)
        user_id = path["id"]
        _check_id("id", user_id)

        def posts() -> Iterable[_Post]:
            username = self._users[user_id]["username"].casefold()
            return (p for p in self._posts.values() if username in p.mentions)

        return self._timeline(query, posts, min_results=5, token_names=("pagination_token",), owner=user_id)

    def _trends_by_woeid(self, query: dict[str, str], path: dict[str, str]) -> dict:
        _check_params(query, {"max_trends", "trend.fields"})
        max_trends = _int_param(query, "max_trends", 1, 50, 20)
        fields = _list_param(query, "trend.fields", TREND_FIELDS)
        raw = path["woeid"]
        woeid = _check_id("woeid", raw)
        if woeid not in self._trends:
            return _not_found("trend", "woeid", raw, f"Could not find trends for woeid: [{raw}].")
        data = []
        for name, tweet_count in self._trends[woeid][:max_trends]:
            trend: dict[str, Any] = {"trend_name": name}
            if "tweet_count" in fields and tweet_count is not None:
                trend["tweet_count"] = tweet_count
            data.append(trend)
        return {"data": data} if data else {}

    # ----------------------------------------------------------------------- writes

    def _create_post(self, query: dict[str, str], path: dict[str, str], body: object) -> dict:
        fields = _json_object(body, "", _CREATE_FIELDS)
        _modelled(fields, "", _MODELLED_CREATE_FIELDS)
        text = fields.get("text")
        if text is None:  # no media can stand in for it here
            raise _invalid_body("$.text: is missing but it is required")
        text = _string_field(text, "text")
        if not text.strip():
            raise _invalid_body("$.text: must not be blank")
        reply_to = quote_of = None
        if "reply" in fields:
            reply = _json_object(fields["reply"], "reply.", _REPLY_FIELDS)
            _modelled(reply, "reply.", {"in_reply_to_tweet_id"})
            if "in_reply_to_tweet_id" not in reply:
                raise _invalid_body("$.reply.in_reply_to_tweet_id: is missing but it is required")
            reply_to = _id_field(reply["in_reply_to_tweet_id"], "reply.in_reply_to_tweet_id")
        if "quote_tweet_id" in fields:
            quote_of = _id_field(fields["quote_tweet_id"], "quote_tweet_id")
        if parse_tweet(text).weightedLength > MAX_WEIGHTED_LENGTH:
            raise _invalid("text", text, _TOO_LONG)
        if reply_to and int(reply_to) not in self._posts:
            raise _REPLY_TO_MISSING
        if quote_of and int(quote_of) not in self._posts:
            raise _QUOTE_OF_MISSING
        author_id = self._user_id(self.account_username)
        if reply_to:  # X's text of a reply starts with the account it answers (not for one's own)
            replied = self._users[self._posts[int(reply_to)].data["author_id"]]["username"]
            if replied != self.account_username and not text.startswith(f"@{replied}"):
                text = f"@{replied} {text}"
        if quote_of:  # and a quote's ends with the quoted post's link
            quoted = self._users[self._posts[int(quote_of)].data["author_id"]]["username"]
            text = f"{text} https://x.com/{quoted}/status/{quote_of}"
        since = datetime.now(UTC) - DUPLICATE_WINDOW
        if any(
            p.data["author_id"] == author_id and p.created >= since and p.raw == text and not p.refers("retweeted")
            for p in self._posts.values()
        ):
            raise _DUPLICATE
        # X detects the language; the fake gives add_post's default.
        post = self.add_post(text, self.account_username, reply_to=reply_to, quote_of=quote_of)
        return {"data": {key: post[key] for key in ("id", "text", "edit_history_tweet_ids")}}

    def _delete_post(self, query: dict[str, str], path: dict[str, str]) -> dict:
        post_id = _check_id("id", path["id"])
        post = self._posts.get(post_id)
        if post is None:
            # Unverified: what X answers for an id it does not know (or already deleted).
            return {"data": {"deleted": False}}
        if post.data["author_id"] != self._user_id(self.account_username):
            raise _forbidden("You are not allowed to delete this Tweet.")  # unverified wording
        del self._posts[post_id]
        for retweet in [p.id for p in self._posts.values() if p.refers("retweeted") and _refers_to(p, post_id)]:
            del self._posts[retweet]  # a post's retweets go with it
        return {"data": {"deleted": True}}

    def _follow(self, query: dict[str, str], path: dict[str, str], body: object) -> dict:
        source = self._acting_user(path, "id")
        fields = _json_object(body, "", {"target_user_id"})
        if "target_user_id" not in fields:
            raise _invalid_body("$.target_user_id: is missing but it is required")
        target = _id_field(fields["target_user_id"], "target_user_id")
        if target not in self._users:  # unverified: modelled on X's lookups of a missing user
            return _not_found("user", "target_user_id", target, f"Could not find user with id: [{target}].")
        if target in self._suspended:
            return _suspended_body("target_user_id", target)
        if target == source:
            raise _forbidden("You cannot follow yourself.")  # unverified wording (v1.1's code 158)
        if target in self._following.get(source, ()):
            return {"data": {"following": True, "pending_follow": False}}
        if self.follow_limit_reached:
            raise _FOLLOW_LIMIT
        if self._users[target]["protected"]:
            self._pending.setdefault(source, set()).add(target)
            return {"data": {"following": False, "pending_follow": True}}
        self._following.setdefault(source, set()).add(target)
        return {"data": {"following": True, "pending_follow": False}}

    def _unfollow(self, query: dict[str, str], path: dict[str, str]) -> dict:
        source = self._acting_user(path, "source_user_id")
        target = str(_check_id("target_user_id", path["target_user_id"]))
        self._following.get(source, set()).discard(target)
        self._pending.get(source, set()).discard(target)
        return {"data": {"following": False}}

    def _acting_user(self, path: dict[str, str], name: str) -> str:
        """The path's user id, which must be the token's account (X acts for no one else)."""
        user_id = str(_check_id(name, path[name]))
        if user_id != self._user_id(self.account_username):
            raise _forbidden("You are not permitted to perform this action on behalf of another user.")  # unverified
        return user_id


def _refers_to(post: _Post, post_id: int) -> bool:
    return any(int(ref["id"]) == post_id for ref in post.data.get("referenced_tweets", ()))


def _json_object(value: object, prefix: str, allowed: set[str]) -> dict:
    """A JSON object of the body (at ``$.{prefix}``) with only fields of X's schema."""
    if value is _UNREADABLE:
        raise _invalid_body("$: the request body is not valid JSON")
    if not isinstance(value, dict):
        found = "null" if value is None else type(value).__name__
        raise _invalid_body(f"${'.' + prefix.rstrip('.') if prefix else ''}: {found} found, object expected")
    for name in value:
        if name not in allowed:
            raise _invalid_body(f"$.{prefix}{name}: {_NOT_IN_SCHEMA}")
    return value


def _modelled(fields: dict, prefix: str, modelled: set[str]) -> None:
    """501 for a field X accepts that the fake does not model (media, polls...)."""
    others = sorted(set(fields) - modelled)
    if others:
        names = ", ".join(prefix + name for name in others)
        raise _problem(501, "Not Implemented", f"FakeX does not model {names}")


def _string_field(value: object, name: str) -> str:
    if not isinstance(value, str):
        raise _invalid_body(f"$.{name}: {type(value).__name__} found, string expected")
    return value


def _id_field(value: object, name: str) -> str:
    if not _ID_RE.fullmatch(_string_field(value, name)):
        raise _invalid_body(f"$.{name}: does not match the regex pattern ^[0-9]{{1,19}}$")
    return str(value)
