"""X (Twitter) API v2 through tweepy's AsyncClient: recent search and trends.

`X_API_URL` is honoured by an aiohttp client middleware that rewrites tweepy's hard-coded host;
the same middleware reads the rate-limit headers of every response. Every read is priced
(2026 pay-per-use) so the caller can count spend.
"""

from __future__ import annotations

import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import datetime
from urllib.parse import SplitResult, urlsplit

import aiohttp
import tweepy
from tweepy.asynchronous import AsyncClient

from bot.config import Settings
from bot.model import (
    BadStatus,
    Item,
    Malformed,
    QueryRejected,
    RateLimited,
    SourceError,
    Unauthorized,
)
from bot.sources.http import client_failure

OFFICIAL_HOSTS = ("api.twitter.com", "api.x.com")
# X's 2026 pay-per-use prices in micro-dollars (docs.x.com, "Pricing"): writes per request, reads
# per resource returned. Which line bills a post's deletion is not said; "Content: Manage" is
# assumed.
MICRO_USD = {
    "post_read": 5_000,
    "user_read": 10_000,  # a user looked up, the account itself (/2/users/me) included
    "trends": 10_000,  # a trends request
    "owned_read": 1_000,  # one of the account's own posts (GET /2/users/{id}/tweets)
    "post": 15_000,  # Content: Create
    "post_link": 200_000,  # Content: Create, with a URL
    "follow": 15_000,  # User Interaction: Create
    "unfollow": 10_000,  # Interaction: Delete
    "delete": 5_000,  # Content: Manage (assumed)
}
MAX_RESULTS = 100
MAX_PAGES = 3
TWEET_FIELDS = ["created_at", "lang", "public_metrics", "referenced_tweets", "entities", "conversation_id"]
EXPANSIONS = ["author_id", "referenced_tweets.id", "referenced_tweets.id.author_id"]
USER_FIELDS = ["username", "name", "verified"]
MIN_RESULTS = 10  # recent search's smallest page
_QUERY_ERRORS = "There were errors processing your request: "


@dataclass
class SearchResult:
    items: list[Item]
    newest_id: str | None
    requests: int = 0
    posts_read: int = 0
    users_read: int = 0
    more: bool = False  # X has more matching posts than were read

    @property
    def micro_usd(self) -> int:
        return self.posts_read * MICRO_USD["post_read"] + self.users_read * MICRO_USD["user_read"]


@dataclass
class Limits:
    """The last rate-limit headers seen per endpoint: (remaining, reset unix time)."""

    seen: dict[str, tuple[int, float]] = field(default_factory=dict)

    def exhausted_until(self, endpoint: str) -> float:
        """When the endpoint's window resets, if its last response said nothing remains."""
        remaining, reset = self.seen.get(endpoint, (1, 0.0))
        return reset if remaining <= 0 else 0.0


def endpoint_of(method: str, path: str) -> str:
    """The endpoint a request belongs to (rate limits are per endpoint)."""
    if path.startswith("/2/tweets/search/recent"):
        return "search"
    if path.rstrip("/") == "/2/tweets":
        return "create_post"
    if path.startswith("/2/tweets/"):
        return "delete_post"
    if path.startswith("/2/trends/by/woeid/"):
        return "trends"
    if "/following" in path:
        return "follow" if method == "POST" else "unfollow"
    if path == "/2/users/me":
        return "me"
    if path.startswith("/2/users/by/username/"):
        return "users_by_username"
    if path.endswith("/mentions"):
        return "mentions"
    if path.endswith("/tweets"):
        return "user_posts"
    return path


def _language(code: str | None) -> str | None:
    return code if code and len(code) == 2 and code.isalpha() else None


def _timestamp(value: str | None) -> float:
    if not value:
        return time.time()
    return datetime.fromisoformat(value.replace("Z", "+00:00")).timestamp()


def post_item(post: dict, users: dict[str, dict]) -> Item:
    """An X post (API v2 dict) as an Item."""
    author = users.get(post.get("author_id", ""), {})
    username = author.get("username", "")
    metrics = post.get("public_metrics", {})
    referenced = {r["type"]: r["id"] for r in post.get("referenced_tweets", [])}
    return Item(
        source="x",
        id=post["id"],
        url=f"https://x.com/{username or 'i'}/status/{post['id']}",
        title="",
        text=post.get("text", ""),
        published=_timestamp(post.get("created_at")),
        author=username.lower(),
        author_name=author.get("name", ""),
        source_name="X",
        language=_language(post.get("lang")),
        likes=metrics.get("like_count", 0),
        reposts=metrics.get("retweet_count", 0),
        replies=metrics.get("reply_count", 0),
        quotes=metrics.get("quote_count", 0),
        verified=bool(author.get("verified")),
        original_id=referenced.get("retweeted") or referenced.get("quoted"),
        links=tuple(u["expanded_url"] for u in post.get("entities", {}).get("urls", []) if u.get("expanded_url")),
    )


async def read_pages(
    page: Callable[[str | None], Awaitable[dict]], since_id: str | None, authors: dict[str, dict] | None = None
) -> SearchResult:
    """Posts from `since_id` (a search, a timeline), newest first: `page(token)` asks X for one
    page, read until X has no more, MAX_PAGES at most (one without `since_id`). Each post's
    author comes from the page's `includes.users`, else from `authors` (id -> X's user fields);
    what X returned is counted (posts, included posts and users: X bills each)."""
    result = SearchResult(items=[], newest_id=since_id)
    token = None
    for _ in range(MAX_PAGES if since_id else 1):
        body = await page(token)
        result.requests += 1
        posts = body.get("data", [])
        includes = body.get("includes", {})
        if not isinstance(posts, list) or not all(isinstance(p, dict) and "id" in p for p in posts):
            raise Malformed(f"posts without an id: {str(posts)[:200]}")
        users = {u["id"]: u for u in includes.get("users", [])}
        result.posts_read += len(posts) + len(includes.get("tweets", []))
        result.users_read += len(users)
        result.items += [post_item(p, users or authors or {}) for p in posts]
        meta = body.get("meta", {})
        if result.requests == 1 and meta.get("newest_id"):
            result.newest_id = meta["newest_id"]
        token = meta.get("next_token")
        if not token:
            break
    result.more = bool(token)
    return result


async def routed(base: SplitResult, limits: Limits, request: aiohttp.ClientRequest, handler) -> aiohttp.ClientResponse:
    """An aiohttp middleware's work: send tweepy's request to X_API_URL (`base`), and remember
    the response's rate-limit headers for its endpoint."""
    host = base.hostname
    if request.url.host in OFFICIAL_HOSTS and host not in OFFICIAL_HOSTS:
        assert host is not None, "X_API_URL has a host (checked in bot.config)"
        request.url = request.url.with_scheme(base.scheme).with_host(host).with_port(base.port)
    response = await handler(request)
    remaining, reset = response.headers.get("x-rate-limit-remaining"), response.headers.get("x-rate-limit-reset")
    if remaining and reset and remaining.isdigit() and reset.isdigit():
        limits.seen[endpoint_of(request.method, request.url.path)] = (int(remaining), float(reset))
    return response


class XSource:
    """App-only (bearer) reads of the X API."""

    def __init__(self, settings: Settings) -> None:
        assert settings.x_bearer_token is not None
        self._bearer = settings.x_bearer_token.get_secret_value()
        self._base = urlsplit(settings.x_api_url)
        self.limits = Limits()
        self._session = aiohttp.ClientSession(
            middlewares=(self._middleware,),
            timeout=aiohttp.ClientTimeout(total=settings.x_timeout, connect=min(10, settings.x_timeout)),
        )
        self._client = AsyncClient(bearer_token=self._bearer, return_type=dict, wait_on_rate_limit=False)
        self._client.session = self._session

    async def close(self) -> None:
        await self._session.close()

    async def _middleware(self, request: aiohttp.ClientRequest, handler) -> aiohttp.ClientResponse:
        return await routed(self._base, self.limits, request, handler)

    async def search(self, query: str, since_id: str | None, max_results: int = MAX_RESULTS) -> SearchResult:
        """New posts for `query` since `since_id` (newest first), a few pages of `max_results`
        at most (one without `since_id`). Raises QueryRejected when X refuses the query."""

        async def page(token: str | None) -> dict:
            return await self._call(
                self._client.search_recent_tweets,
                query,
                since_id=since_id,
                max_results=max_results,
                next_token=token,
                expansions=EXPANSIONS,
                tweet_fields=TWEET_FIELDS,
                user_fields=USER_FIELDS,
            )

        return await read_pages(page, since_id)

    async def trends(self, woeid: int, max_trends: int = 30) -> list[tuple[str, int | None]]:
        """The trends of a place: (name, post count or None)."""
        url = f"https://api.x.com/2/trends/by/woeid/{woeid}"
        params = {"max_trends": str(max_trends), "trend.fields": "trend_name,tweet_count"}
        headers = {"Authorization": f"Bearer {self._bearer}", "User-Agent": self._client.user_agent}
        try:
            async with self._session.get(url, params=params, headers=headers) as response:
                if response.status == 429:
                    raise RateLimited(float(response.headers.get("x-rate-limit-reset", time.time() + 900)))
                if response.status in (401, 403):
                    raise Unauthorized(f"HTTP {response.status}")
                if response.status >= 400:
                    raise BadStatus(response.status)
                body = await response.json(content_type=None)
        except SourceError:
            raise
        except (TimeoutError, aiohttp.ClientError) as exc:
            raise client_failure(exc) from None
        except ValueError as exc:
            raise Malformed(str(exc)) from None
        if not isinstance(body, dict) or ("data" not in body and "errors" in body):
            raise Malformed(str(body.get("errors", body))[:200] if isinstance(body, dict) else "not an object")
        return [(t["trend_name"], t.get("tweet_count")) for t in body.get("data", [])]

    async def _call(self, method, *args, **kwargs) -> dict:
        """A tweepy call with its errors mapped to SourceError."""
        try:
            return await method(*args, **kwargs)
        except tweepy.errors.TooManyRequests as exc:
            reset = exc.response.headers.get("x-rate-limit-reset", "")
            raise RateLimited(float(reset) if reset.isdigit() else time.time() + 900) from None
        except (tweepy.errors.Unauthorized, tweepy.errors.Forbidden) as exc:
            raise Unauthorized(str(exc)[:200]) from None
        except tweepy.errors.BadRequest as exc:
            raise _rejected(exc) or BadStatus(400, str(exc)[:200]) from None
        except tweepy.errors.HTTPException as exc:
            raise BadStatus(exc.response.status, str(exc)[:200]) from None
        except aiohttp.ContentTypeError as exc:
            raise Malformed(f"not JSON ({exc.message})") from None
        except (TimeoutError, aiohttp.ClientError) as exc:
            raise client_failure(exc) from None
        except ValueError as exc:
            raise Malformed(str(exc)[:200]) from None


def _rejected(exc: tweepy.errors.BadRequest) -> QueryRejected | None:
    """X's 400 about the `query` parameter (an invalid search query) as QueryRejected."""
    messages = [
        str(e.get("message", "")) for e in exc.api_errors if isinstance(e, dict) and "query" in e.get("parameters", {})
    ]
    if not messages:
        return None
    detail = "; ".join(m.removeprefix(_QUERY_ERRORS) for m in messages)
    return QueryRejected(detail[:300], "and" if "Ambiguous use of and as a keyword" in detail else "other")
