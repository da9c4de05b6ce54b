"""A small local server of the sample content for the console: RSS feeds, and the X API v2
endpoints Vigie uses, in their real shapes, with rate-limit headers.

Reads: recent search, trends, a user by username, the account itself (`/2/users/me`), a user's
posts. Writes, for the console's own account (the user-context token `USER_TOKEN`; the app-only
`APP_TOKEN` is refused as X refuses it): post, delete, follow, unfollow. The account's posts join
the corpus, so search finds them and `/2/users/:id/tweets` lists them. State lives in memory for
the run: a new console starts from the samples again.

Known simplifications: links are not shortened to t.co and the text is not HTML-escaped in
answers; the duplicate check compares exact texts.
"""

from __future__ import annotations

import hashlib
import itertools
import socket
import time
from datetime import UTC, datetime
from email.utils import format_datetime
from html import escape
from typing import Any

from aiohttp import web

from bot.language import detect_language
from bot.model import Item
from bot.posting import LIMIT, weighted_length
from bot.samples import data
from bot.watches import QueryError, matches, parse_query

SAMPLE_ID_BASE = 1_860_000_000_000_000_000  # stable ids, so a restarted console reads nothing twice
USER_ID_BASE = 1_700_000_000  # users get stable ids too, in the order of data.ACCOUNT, ACCOUNTS, POSTS
APP_TOKEN = "console-sample-token"  # what the console reads with (X_BEARER_TOKEN)
USER_TOKEN = "console-sample-user-token"  # what it posts and follows with (X_USER_ACCESS_TOKEN)
DUPLICATE_WINDOW = 24 * 3600  # X does not publish its window: a day of the account's posts
TWITTER_EPOCH_MS = 1288834974657
DEFAULT_TWEET_FIELDS = ("id", "text", "edit_history_tweet_ids")
DEFAULT_USER_FIELDS = ("id", "name", "username")
PROBLEM = "application/problem+json"
SAMPLE_HOST = "exemple.invalid"  # the samples' name (a reserved TLD: no real site has it)
# X's own words (bot.sources.x_account maps them)
DUPLICATE = "You are not allowed to create a Tweet with duplicate content."
REPLY_TO_MISSING = "You attempted to reply to a Tweet that is deleted or not visible to you."
QUOTE_OF_MISSING = "You attempted to quote a Tweet that is deleted or not visible to you."
TOO_LONG = (
    "Your Tweet text is too long. For more information on how Twitter determines text length see "
    "https://github.com/twitter/twitter-text."
)


def _rss(key: str, now: float) -> bytes:
    feed = data.FEEDS[key]
    items = "".join(
        f"<item><title>{escape(title)}</title><link>https://{SAMPLE_HOST}/{key}/{n}</link>"
        f"<description>{escape(text)}</description>"
        f"<pubDate>{format_datetime(datetime.fromtimestamp(now - minutes * 60, UTC))}</pubDate>"
        f"<guid>https://{SAMPLE_HOST}/{key}/{n}</guid></item>"
        for n, (title, text, minutes) in enumerate(feed["items"])
    )
    return (
        f'<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>{escape(feed["title"])}</title>'
        f"<link>https://{SAMPLE_HOST}/{key}/</link><language>{feed['language']}</language>{items}</channel></rss>"
    ).encode()


def _iso(moment: float) -> str:
    return datetime.fromtimestamp(moment, UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


class _Refused(Exception):
    """An error answer: its status and X's JSON body (see SampleServer._answer)."""

    def __init__(self, status: int, body: dict) -> None:
        super().__init__(status)
        self.status = status
        self.body = body


def _forbidden(detail: str) -> _Refused:
    return _Refused(403, {"title": "Forbidden", "detail": detail, "type": "about:blank", "status": 403})


def _invalid(name: str, value: str, message: str) -> _Refused:
    """400 Invalid Request about one parameter, as X words it."""
    body = {
        "errors": [{"parameters": {name: [value]}, "message": message}],
        "title": "Invalid Request",
        "detail": "One or more parameters to your request was invalid.",
        "type": "https://api.twitter.com/2/problems/invalid-request",
    }
    return _Refused(400, body)


def _not_found(resource: str, parameter: str, value: str, detail: str) -> dict:
    """The 200 body X sends for a lookup of something that does not exist."""
    error = {
        "value": value,
        "detail": detail,
        "title": "Not Found Error",
        "resource_type": resource,
        "parameter": parameter,
        "resource_id": value,
        "type": "https://api.twitter.com/2/problems/resource-not-found",
    }
    return {"errors": [error]}


def _wanted(request: web.Request, name: str, defaults: tuple[str, ...]) -> set[str]:
    return set(defaults) | {f for f in request.query.get(name, "").split(",") if f}


def _shown(record: dict, fields: set[str]) -> dict:
    return {key: value for key, value in record.items() if key in fields}


class SampleServer:
    """Serves the samples on 127.0.0.1 (random port) for the console. Its feeds are known by a
    name of their own (`feed_url`, on SAMPLE_HOST, which each console resolves to its own server):
    stored once, they serve every console, whatever its port."""

    def __init__(self) -> None:
        self.url = ""
        self.port = 0
        self._runner: web.AppRunner | None = None
        self._started = time.time()
        self._users: dict[str, dict[str, Any]] = {}  # id -> every field X could send
        self._by_name: dict[str, str] = {}  # casefolded username -> id
        self._posts: dict[int, dict[str, Any]] = {}  # id -> every field X could send
        self._following: set[str] = set()  # ids the account follows
        self._pending: set[str] = set()  # protected accounts it asked to follow
        self._sequence = itertools.count()
        username, name, description = data.ACCOUNT
        self.account_id = self._add_user(username, name, description)
        for username, name, description, followers, verified, protected in data.ACCOUNTS:
            self._add_user(username, name, description, followers, verified, protected)
        for n, (author, name, body, minutes, likes, reposts, lang) in enumerate(data.POSTS):
            author_id = self._by_name.get(author.casefold()) or self._add_user(author, name)
            post_id = SAMPLE_ID_BASE + len(data.POSTS) - n
            self._add_post(post_id, author_id, body, self._started - minutes * 60, lang, likes, reposts)

    @staticmethod
    def feed_url(key: str) -> str:
        return f"http://{SAMPLE_HOST}/feeds/{key}.xml"

    def posts_by_account(self) -> list[dict[str, Any]]:
        """The account's posts on this server, newest first."""
        return self._timeline(lambda post: post["author_id"] == self.account_id)

    async def start(self) -> None:
        app = web.Application(middlewares=[self._answer])
        app.router.add_get("/feeds/{key}.xml", self._feed)
        app.router.add_get("/2/tweets/search/recent", self._search)
        app.router.add_get("/2/trends/by/woeid/{woeid}", self._trends)
        app.router.add_get("/2/users/me", self._me)
        app.router.add_get("/2/users/by/username/{username}", self._user_by_name)
        app.router.add_get("/2/users/{id}/tweets", self._user_posts)
        app.router.add_post("/2/tweets", self._create_post)
        app.router.add_delete("/2/tweets/{id}", self._delete_post)
        app.router.add_post("/2/users/{id}/following", self._follow)
        app.router.add_delete("/2/users/{source}/following/{target}", self._unfollow)
        self._runner = web.AppRunner(app, access_log=None)
        await self._runner.setup()
        sock = socket.socket()
        sock.bind(("127.0.0.1", 0))
        await web.SockSite(self._runner, sock).start()
        self.port = sock.getsockname()[1]
        self.url = f"http://127.0.0.1:{self.port}"

    async def stop(self) -> None:
        if self._runner:
            await self._runner.cleanup()

    # -- the corpus ----------------------------------------------------------------------------

    def _add_user(
        self,
        username: str,
        name: str,
        description: str = "",
        followers: int = 0,
        verified: bool = False,
        protected: bool = False,
    ) -> str:
        user_id = str(USER_ID_BASE + len(self._users))
        self._users[user_id] = {
            "id": user_id,
            "username": username,
            "name": name,
            "description": description,
            "verified": verified,
            "protected": protected,
            "public_metrics": {"followers_count": followers, "following_count": 0, "tweet_count": 0},
        }
        self._by_name[username.casefold()] = user_id
        return user_id

    def _add_post(
        self,
        post_id: int,
        author_id: str,
        text: str,
        moment: float,
        lang: str | None,
        likes: int = 0,
        reposts: int = 0,
        references: list[dict[str, str]] | None = None,
    ) -> dict[str, Any]:
        post: dict[str, Any] = {
            "id": str(post_id),
            "text": text,
            "author_id": author_id,
            "created_at": _iso(moment),
            "lang": lang or "und",
            "conversation_id": str(post_id),
            "edit_history_tweet_ids": [str(post_id)],
            "public_metrics": {"like_count": likes, "retweet_count": reposts, "reply_count": 0, "quote_count": 0},
        }
        if references:
            post["referenced_tweets"] = references
        self._posts[post_id] = post
        return post

    def _new_post_id(self) -> int:
        """A snowflake: milliseconds since X's epoch in the upper bits (bot.posting.posted_at)."""
        return ((int(time.time() * 1000) - TWITTER_EPOCH_MS) << 22) + next(self._sequence) % (1 << 22)

    def _timeline(self, wanted, since_id: int = 0, before: int | None = None) -> list[dict[str, Any]]:
        return [
            post
            for post_id, post in sorted(self._posts.items(), reverse=True)
            if post_id > since_id and (before is None or post_id < before) and wanted(post)
        ]

    def _page(self, request: web.Request, posts: list[dict[str, Any]], max_results: int) -> dict[str, Any]:
        """One page of posts, newest first, with the fields and expansions asked for."""
        if not posts:
            return {"meta": {"result_count": 0}}
        page = posts[:max_results]
        expansions = set(request.query.get("expansions", "").split(","))
        fields = _wanted(request, "tweet.fields", DEFAULT_TWEET_FIELDS)
        if "author_id" in expansions:
            fields.add("author_id")
        body: dict[str, Any] = {"data": [_shown(post, fields) for post in page]}
        if "author_id" in expansions:
            user_fields = _wanted(request, "user.fields", DEFAULT_USER_FIELDS)
            authors = dict.fromkeys(post["author_id"] for post in page)
            body["includes"] = {"users": [_shown(self._users[a], user_fields) for a in authors]}
        meta: dict[str, Any] = {"newest_id": page[0]["id"], "oldest_id": page[-1]["id"], "result_count": len(page)}
        if len(posts) > max_results:
            meta["next_token"] = f"before-{page[-1]['id']}"
        body["meta"] = meta
        return body

    @staticmethod
    def _paging(request: web.Request, low: int) -> tuple[int, int, int | None]:
        """max_results, since_id, and the id a next_token/pagination_token reads before."""
        query = request.query
        max_results = min(max(int(query.get("max_results") or 10), low), 100)
        token = query.get("next_token") or query.get("pagination_token") or ""
        before = int(token.removeprefix("before-")) if token.startswith("before-") else None
        return max_results, int(query.get("since_id") or 0), before

    # -- HTTP ----------------------------------------------------------------------------------

    def _limits(self) -> dict[str, str]:
        reset = int(time.time()) + 900
        return {"x-rate-limit-limit": "450", "x-rate-limit-remaining": "449", "x-rate-limit-reset": str(reset)}

    @web.middleware
    async def _answer(self, request: web.Request, handler) -> web.StreamResponse:
        """X's error answers, with the rate-limit headers every answer carries."""
        try:
            return await handler(request)
        except _Refused as refused:
            return web.json_response(refused.body, status=refused.status, headers=self._limits(), content_type=PROBLEM)

    def _json(self, body: dict[str, Any], status: int = 200) -> web.Response:
        return web.json_response(body, status=status, headers=self._limits())

    def _acting(self, request: web.Request) -> None:
        """A user-context endpoint: only the account's token may call it."""
        scheme, _, token = request.headers.get("Authorization", "").partition(" ")
        if scheme == "Bearer" and token == USER_TOKEN:
            return
        if scheme == "Bearer" and token == APP_TOKEN:
            detail = (
                "Authenticating with OAuth 2.0 Application-Only is forbidden for this endpoint.  "
                "Supported authentication types are [OAuth 1.0a User Context, OAuth 2.0 User Context]."
            )
            kind = "https://api.twitter.com/2/problems/unsupported-authentication"
            raise _Refused(403, {"title": "Unsupported Authentication", "detail": detail, "type": kind, "status": 403})
        raise _Refused(401, {"title": "Unauthorized", "detail": "Unauthorized", "type": "about:blank", "status": 401})

    async def _feed(self, request: web.Request) -> web.Response:
        key = request.match_info["key"]
        if key not in data.FEEDS:
            raise web.HTTPNotFound()
        body = _rss(key, self._started)
        etag = '"' + hashlib.sha1(body).hexdigest()[:16] + '"'
        if request.headers.get("If-None-Match") == etag:
            return web.Response(status=304, headers={"ETag": etag})
        return web.Response(body=body, content_type="application/rss+xml", charset="utf-8", headers={"ETag": etag})

    async def _search(self, request: web.Request) -> web.Response:
        text = request.query.get("query", "").removesuffix(" -is:retweet")  # Vigie's: fully parenthesized
        try:
            query = parse_query(text)
        except QueryError:
            return web.json_response({"title": "Invalid Request", "status": 400}, status=400, headers=self._limits())
        max_results, since_id, before = self._paging(request, 10)

        def found(post: dict[str, Any]) -> bool:
            author = self._users[post["author_id"]]["username"]
            moment = datetime.fromisoformat(post["created_at"].replace("Z", "+00:00")).timestamp()
            language = post["lang"] if post["lang"] != "und" else None
            probe = Item("x", post["id"], "", "", post["text"], moment, author=author.lower(), language=language)
            return matches(query, probe)

        return self._json(self._page(request, self._timeline(found, since_id, before), max_results))

    async def _trends(self, request: web.Request) -> web.Response:
        trends = data.TRENDS.get(int(request.match_info["woeid"]), [])
        body = {"data": [{"trend_name": n, **({"tweet_count": c} if c else {})} for n, c in trends]}
        return self._json(body)

    def _user(self, request: web.Request, user_id: str) -> dict[str, Any]:
        user = dict(self._users[user_id])
        metrics = dict(user["public_metrics"])
        metrics["tweet_count"] = sum(1 for post in self._posts.values() if post["author_id"] == user_id)
        if user_id == self.account_id:
            metrics["following_count"] = len(self._following)
        elif user_id in self._following:
            metrics["followers_count"] += 1
        user["public_metrics"] = metrics
        return {"data": _shown(user, _wanted(request, "user.fields", DEFAULT_USER_FIELDS))}

    async def _me(self, request: web.Request) -> web.Response:
        self._acting(request)
        return self._json(self._user(request, self.account_id))

    async def _user_by_name(self, request: web.Request) -> web.Response:
        username = request.match_info["username"]
        user_id = self._by_name.get(username.casefold())
        if user_id is None:
            detail = f"Could not find user with username: [{username}]."
            return self._json(_not_found("user", "username", username, detail))
        return self._json(self._user(request, user_id))

    async def _user_posts(self, request: web.Request) -> web.Response:
        user_id = request.match_info["id"]
        if user_id not in self._users:
            return self._json(_not_found("user", "id", user_id, f"Could not find user with id: [{user_id}]."))
        max_results, since_id, before = self._paging(request, 5)
        posts = self._timeline(lambda post: post["author_id"] == user_id, since_id, before)
        return self._json(self._page(request, posts, max_results))

    async def _create_post(self, request: web.Request) -> web.Response:
        self._acting(request)
        body = await request.json()
        text = body.get("text") if isinstance(body, dict) else None
        if not isinstance(text, str) or not text.strip():
            raise _invalid("text", str(text or ""), "$.text: must not be blank")
        if weighted_length(text) > LIMIT:
            raise _invalid("text", text, TOO_LONG)
        references = []
        reply_to = (body.get("reply") or {}).get("in_reply_to_tweet_id")
        if reply_to:
            if not str(reply_to).isdigit() or int(reply_to) not in self._posts:
                raise _forbidden(REPLY_TO_MISSING)
            references.append({"type": "replied_to", "id": str(reply_to)})
        quote_of = body.get("quote_tweet_id")
        if quote_of:
            if not str(quote_of).isdigit() or int(quote_of) not in self._posts:
                raise _forbidden(QUOTE_OF_MISSING)
            references.append({"type": "quoted", "id": str(quote_of)})
        since = time.time() - DUPLICATE_WINDOW
        for post in self.posts_by_account():
            moment = datetime.fromisoformat(post["created_at"].replace("Z", "+00:00")).timestamp()
            if moment >= since and post["text"] == text:
                raise _forbidden(DUPLICATE)
        post = self._add_post(
            self._new_post_id(), self.account_id, text, time.time(), detect_language(text), references=references
        )
        if reply_to:
            post["conversation_id"] = self._posts[int(reply_to)]["conversation_id"]
            post["in_reply_to_user_id"] = self._posts[int(reply_to)]["author_id"]
        return self._json({"data": _shown(post, set(DEFAULT_TWEET_FIELDS))}, status=201)

    async def _delete_post(self, request: web.Request) -> web.Response:
        self._acting(request)
        raw = request.match_info["id"]
        post = self._posts.get(int(raw)) if raw.isdigit() else None
        if post is None:
            return self._json({"data": {"deleted": False}})
        if post["author_id"] != self.account_id:
            raise _forbidden("You are not allowed to delete this Tweet.")
        del self._posts[int(raw)]
        return self._json({"data": {"deleted": True}})

    def _as_account(self, request: web.Request, user_id: str) -> None:
        self._acting(request)
        if user_id != self.account_id:
            raise _forbidden("You are not permitted to perform this action on behalf of another user.")

    async def _follow(self, request: web.Request) -> web.Response:
        self._as_account(request, request.match_info["id"])
        body = await request.json()
        target = str(body.get("target_user_id", "")) if isinstance(body, dict) else ""
        if target not in self._users:
            return self._json(_not_found("user", "target_user_id", target, f"Could not find user with id: [{target}]."))
        if target == self.account_id:
            raise _forbidden("You cannot follow yourself.")
        if target not in self._following and self._users[target]["protected"]:
            self._pending.add(target)
            return self._json({"data": {"following": False, "pending_follow": True}})
        self._following.add(target)
        return self._json({"data": {"following": True, "pending_follow": False}})

    async def _unfollow(self, request: web.Request) -> web.Response:
        self._as_account(request, request.match_info["source"])
        target = request.match_info["target"]
        self._following.discard(target)
        self._pending.discard(target)
        return self._json({"data": {"following": False}})
