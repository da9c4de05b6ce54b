"""The X account Vigie acts for, through the user-context token: what it posts, whom it follows.

It also reads the posts of the accounts Vigie follows (`timeline`): in user context, a protected
account's posts are visible once it accepted the follow.

Credentials are `X_USER_ACCESS_TOKEN` (an OAuth 2.0 user access token, sent as Bearer), else the
four OAuth 1.0a settings (`X_API_KEY`, `X_API_SECRET`, `X_ACCESS_TOKEN`, `X_ACCESS_TOKEN_SECRET`;
tweepy signs each request). As in `bot.sources.x`, an aiohttp client middleware sends tweepy's
requests to `X_API_URL` and remembers each response's rate-limit headers, and every failure enters
Vigie as the `SourceError` family of `bot.model`, mapped here:

    429                                   RateLimited (reset from x-rate-limit-reset)
    401, 403 about the credentials        Unauthorized (an app-only token included)
    403 duplicate content                 Duplicate
    403 reply to / quote of a gone post   NotFound
    403 follow limit                      FollowLimit
    200 with only `errors`                NotFound or Suspended (X answers missing and suspended
                                          accounts so, and tweepy raises nothing for it)
    any other HTTP error                  BadStatus
    connection, DNS, TLS, timeout         Unreachable
    a body that is not the promised JSON  Malformed

A write that fails as Unreachable or BadStatus (5xx) may have reached X all the same: before
trying a post again, look for it in `recent_posts`. No token is ever put in a message or a log line
here (and bot.logs redacts the X secrets from every record, tweepy's debug lines included).
"""

from __future__ import annotations

import re
import time
from collections.abc import Awaitable, Callable
from typing import Any
from urllib.parse import urlsplit

import aiohttp
import tweepy
from tweepy.asynchronous import AsyncClient

from bot.config import Settings
from bot.model import (
    X_USERNAME,
    BadStatus,
    Duplicate,
    Followed,
    FollowLimit,
    Malformed,
    NotFound,
    RateLimited,
    SourceError,
    Suspended,
    Unauthorized,
    XUser,
)
from bot.posting import has_link
from bot.sources.http import client_failure
from bot.sources.x import MAX_RESULTS, MICRO_USD, Limits, SearchResult, read_pages, routed

USER_FIELDS = ["description", "public_metrics", "protected", "verified"]
TIMELINE_FIELDS = ["author_id", "created_at", "lang", "public_metrics", "referenced_tweets", "entities"]
FIRST_POSTS = 5  # a newly followed account's latest posts, read on its first poll (X's smallest page)
_USERNAME = re.compile(X_USERNAME)
_CREDENTIAL_PROBLEMS = (  # the `type` of X's 403s that say the credentials cannot do this
    "/unsupported-authentication",
    "/oauth1-permissions",
    "/client-forbidden",
    "/client-not-enrolled",
)


def post_kind(text: str) -> str:
    """How X prices creating a post of `text`: "post_link" when it carries a link, as X finds
    links (a bare `example.org` is one), else "post"."""
    return "post_link" if has_link(text) else "post"


def post_price(text: str) -> int:
    """What creating a post of `text` costs (micro-dollars)."""
    return MICRO_USD[post_kind(text)]


class XAccount:
    """The X account Vigie acts for, through the user-context token."""

    def __init__(self, settings: Settings) -> None:
        if not self.configured(settings):
            raise ValueError(
                "no X user credentials: X_USER_ACCESS_TOKEN, or X_API_KEY, X_API_SECRET, X_ACCESS_TOKEN "
                "and X_ACCESS_TOKEN_SECRET"
            )
        self._base = urlsplit(settings.x_api_url)
        self.limits = Limits()
        self._session = aiohttp.ClientSession(
            middlewares=(self._middleware,),
            timeout=aiohttp.ClientTimeout(total=settings.x_timeout, connect=min(10, settings.x_timeout)),
        )
        token = _secret(settings.x_user_access_token)
        self._oauth1 = not token  # tweepy's user_auth: sign with OAuth 1.0a rather than send a Bearer
        if token:
            self._client = AsyncClient(bearer_token=token, return_type=dict, wait_on_rate_limit=False)
        else:
            self._client = AsyncClient(
                consumer_key=_secret(settings.x_api_key),
                consumer_secret=_secret(settings.x_api_secret),
                access_token=_secret(settings.x_access_token),
                access_token_secret=_secret(settings.x_access_token_secret),
                return_type=dict,
                wait_on_rate_limit=False,
            )
        self._client.session = self._session
        self._account_id: str | None = None

    @staticmethod
    def configured(settings: Settings) -> bool:
        """Whether the settings hold user-context credentials (either kind)."""
        oauth1 = (settings.x_api_key, settings.x_api_secret, settings.x_access_token, settings.x_access_token_secret)
        return bool(_secret(settings.x_user_access_token)) or all(_secret(value) for value in oauth1)

    async def close(self) -> None:
        await self._session.close()

    async def __aenter__(self) -> XAccount:
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.close()

    # ------------------------------------------------------------------- reads

    async def me(self) -> XUser:
        """The account itself (one user read)."""
        body = await self._call(self._client.get_me, user_fields=USER_FIELDS, user_auth=self._oauth1)
        user = _user(body["data"])
        self._account_id = user.id
        return user

    async def lookup(self, username: str) -> XUser:
        """An account by its username (`@` allowed). NotFound when there is none (an invalid
        username is not even asked for), Suspended when X suspended it."""
        name = username.removeprefix("@")
        if not _USERNAME.fullmatch(name):
            raise NotFound(f"not an X username: {username[:50]!r}")
        body = await self._call(self._client.get_user, username=name, user_fields=USER_FIELDS, user_auth=self._oauth1)
        return _user(body["data"])

    async def recent_posts(self, max_results: int = 10) -> list[tuple[str, str]]:
        """The account's latest posts, newest first: (id, text), e.g. to find out whether a post
        exists after a crash. X serves 5 to 100 a page: one page is read."""
        account = await self._id()
        body = await self._call(
            self._client.get_users_tweets,
            account,
            max_results=min(max(max_results, 5), 100),
            user_auth=self._oauth1,
            required=False,
        )
        posts = body.get("data", [])
        if not isinstance(posts, list) or not all(isinstance(p, dict) and "id" in p and "text" in p for p in posts):
            raise Malformed("posts without id or text")
        return [(str(p["id"]), str(p["text"])) for p in posts][:max_results]

    async def timeline(self, account: Followed, since_id: str | None) -> SearchResult:
        """The new posts of a followed account since `since_id`, newest first (GET
        /2/users/{id}/tweets, pages of 100 from the cursor); without `since_id` only its latest
        FIRST_POSTS, not its history. Its replies and reposts are left out: X bills every post it
        returns. Its author is `account` (nothing expanded: no user read billed). NotFound while
        its posts are not visible to the account (a protected account that has not accepted the
        follow, or one gone), Suspended when X suspended it."""
        author = {account.id: {"username": account.username, "name": account.name, "verified": account.verified}}

        async def page(token: str | None) -> dict:
            return await self._call(
                self._client.get_users_tweets,
                account.id,
                since_id=since_id,
                max_results=MAX_RESULTS if since_id else FIRST_POSTS,
                pagination_token=token,
                exclude=["retweets", "replies"],
                tweet_fields=TIMELINE_FIELDS,
                user_auth=self._oauth1,
                required=False,
            )

        return await read_pages(page, since_id, author)

    # ------------------------------------------------------------------- writes

    async def create_post(self, text: str, reply_to: str | None = None, quote_of: str | None = None) -> str:
        """Post `text` (in reply to the post `reply_to`, quoting the post `quote_of`); the new
        post's id. Duplicate when the account posted the same text lately, NotFound when the
        replied-to or quoted post is gone."""
        body = await self._call(
            self._client.create_tweet,
            text=text,
            in_reply_to_tweet_id=reply_to,
            quote_tweet_id=quote_of,
            user_auth=self._oauth1,
        )
        post_id = body["data"].get("id")
        if not isinstance(post_id, str) or not post_id.isdigit():
            raise Malformed(f"a created post without an id: {str(body['data'])[:200]}")
        return post_id

    async def delete_post(self, post_id: str) -> bool:
        """Delete one of the account's posts; whether X deleted it (False: it had nothing to delete)."""
        body = await self._call(self._client.delete_tweet, post_id, user_auth=self._oauth1)
        return body["data"].get("deleted") is True

    async def follow(self, user_id: str) -> bool:
        """Follow the account `user_id`: True when following, False when the request waits for
        a protected account's approval. FollowLimit when the account may follow no one more."""
        account = await self._id()
        data = (await self._request("POST", f"/2/users/{account}/following", {"target_user_id": user_id}))["data"]
        if data.get("following") is True:
            return True
        if data.get("pending_follow") is True:
            return False
        raise Malformed(f"a follow neither done nor pending: {str(data)[:200]}")

    async def unfollow(self, user_id: str) -> None:
        """Stop following the account `user_id` (or withdraw a pending request)."""
        account = await self._id()
        await self._request("DELETE", f"/2/users/{account}/following/{user_id}")

    # ------------------------------------------------------------------- plumbing

    async def _id(self) -> str:
        """The account's id, read once (GET /2/users/me) then remembered: it never changes."""
        if self._account_id is None:
            await self.me()
        assert self._account_id is not None
        return self._account_id

    async def _request(self, method: str, route: str, json: dict | None = None) -> dict:
        """A request tweepy has no method for without a hidden /2/users/me of its own."""

        async def send() -> Any:
            response = await self._client.request(method, route, params={}, json=json, user_auth=self._oauth1)
            return await response.json()

        return await self._call(send)

    async def _middleware(self, request: aiohttp.ClientRequest, handler) -> aiohttp.ClientResponse:
        return await routed(self._base, self.limits, request, handler)

    async def _call(
        self, method: Callable[..., Awaitable[Any]], *args: Any, required: bool = True, **kwargs: Any
    ) -> dict:
        """A tweepy call with its errors mapped to SourceError; its answer has `data` (unless
        not `required`: an empty timeline has none)."""
        try:
            body = await method(*args, **kwargs)
        except tweepy.errors.TooManyRequests as exc:
            reset = exc.response.headers.get("x-rate-limit-reset", "")
            raise RateLimited(float(reset) if reset.isdigit() else time.time() + 900, _detail(exc)) from None
        except tweepy.errors.Unauthorized as exc:
            raise Unauthorized(_detail(exc)) from None
        except tweepy.errors.Forbidden as exc:
            raise await _refusal(exc) from None
        except tweepy.errors.HTTPException as exc:
            raise BadStatus(exc.response.status, _detail(exc)) from None
        except aiohttp.ContentTypeError as exc:
            if exc.status >= 400:
                raise BadStatus(exc.status, f"HTTP {exc.status}, not JSON") from None
            raise Malformed(f"not JSON ({exc.message})") from None
        except (TimeoutError, aiohttp.ClientError) as exc:
            raise client_failure(exc) from None
        except ValueError as exc:
            raise Malformed(str(exc)[:200]) from None
        return _checked(body, required)


def _secret(value: Any) -> str:
    return value.get_secret_value() if value is not None else ""


def _detail(exc: tweepy.errors.HTTPException) -> str:
    return "; ".join(str(m) for m in exc.api_messages)[:300] or f"HTTP {exc.response.status}"


async def _refusal(exc: tweepy.errors.Forbidden) -> SourceError:
    """X's 403, by what it says."""
    detail = _detail(exc)
    try:
        body = await exc.response.json(content_type=None)
    except ValueError:
        body = {}
    problem = str(body.get("type", "")) if isinstance(body, dict) else ""
    text = detail.casefold()
    if "duplicate content" in text:
        return Duplicate(detail)
    if "unable to follow more people" in text:
        return FollowLimit(detail)
    if "deleted or not visible" in text:
        return NotFound(detail)
    if "suspended" in text:
        return Suspended(detail)
    if problem.endswith(_CREDENTIAL_PROBLEMS):
        return Unauthorized(detail)
    return BadStatus(403, detail)


def _checked(body: object, required: bool) -> dict:
    """The answer, if it is one: X answers a missing or suspended account with HTTP 200 and
    only `errors`."""
    if not isinstance(body, dict):
        raise Malformed("not a JSON object")
    if isinstance(body.get("data"), dict | list):
        return body
    errors = body.get("errors")
    if isinstance(errors, list) and errors and isinstance(errors[0], dict):
        error = errors[0]
        detail = str(error.get("detail") or error.get("message") or error)[:300]
        if "suspended" in detail.casefold():
            raise Suspended(detail)
        if str(error.get("type", "")).endswith(("/resource-not-found", "/not-authorized-for-resource")):
            raise NotFound(detail)
        raise Malformed(detail)
    if not required and "data" not in body:
        return body
    raise Malformed(f"no data: {str(body)[:200]}")


def _user(data: object) -> XUser:
    if not isinstance(data, dict) or not all(isinstance(data.get(k), str) for k in ("id", "username", "name")):
        raise Malformed(f"not an X user: {str(data)[:200]}")
    metrics = data.get("public_metrics")
    followers = metrics.get("followers_count") if isinstance(metrics, dict) else 0
    return XUser(
        id=data["id"],
        username=data["username"],
        name=data["name"],
        description=str(data.get("description") or ""),
        followers=followers if isinstance(followers, int) else 0,
        verified=data.get("verified") is True,
        protected=data.get("protected") is True,
    )
