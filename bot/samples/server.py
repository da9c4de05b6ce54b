"""A small local server of the sample content: RSS feeds and the few X API v2 endpoints Vigie
reads (recent search, trends), in their real shapes, with rate-limit headers."""

from __future__ import annotations

import hashlib
import socket
import time
from datetime import UTC, datetime
from email.utils import format_datetime
from html import escape
from typing import Any

from aiohttp import web

from bot.model import Item
from bot.samples import data
from bot.watches import QueryError, matches, parse_query

SAMPLE_ID_BASE = 1_860_000_000_000_000_000  # stable ids, so a restarted console reads nothing twice


def _rss(key: str, now: float) -> bytes:
    feed = data.FEEDS[key]
    items = "".join(
        f"<item><title>{escape(title)}</title><link>https://exemple.invalid/{key}/{n}</link>"
        f"<description>{escape(text)}</description>"
        f"<pubDate>{format_datetime(datetime.fromtimestamp(now - minutes * 60, UTC))}</pubDate>"
        f"<guid>https://exemple.invalid/{key}/{n}</guid></item>"
        for n, (title, text, minutes) in enumerate(feed["items"])
    )
    return (
        f'<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>{escape(feed["title"])}</title>'
        f"<link>https://exemple.invalid/{key}/</link><language>{feed['language']}</language>{items}</channel></rss>"
    ).encode()


class SampleServer:
    """Serves the samples on 127.0.0.1 (random port) for the console."""

    def __init__(self) -> None:
        self.url = ""
        self._runner: web.AppRunner | None = None
        self._started = time.time()

    def feed_url(self, key: str) -> str:
        return f"{self.url}/feeds/{key}.xml"

    async def start(self) -> None:
        app = web.Application()
        app.router.add_get("/feeds/{key}.xml", self._feed)
        app.router.add_get("/2/tweets/search/recent", self._search)
        app.router.add_get("/2/trends/by/woeid/{woeid}", self._trends)
        self._runner = web.AppRunner(app, access_log=None)
        await self._runner.setup()
        sock = socket.socket()
        sock.bind(("127.0.0.1", 0))
        await web.SockSite(self._runner, sock).start()
        self.url = f"http://127.0.0.1:{sock.getsockname()[1]}"

    async def stop(self) -> None:
        if self._runner:
            await self._runner.cleanup()

    async def _feed(self, request: web.Request) -> web.Response:
        key = request.match_info["key"]
        if key not in data.FEEDS:
            raise web.HTTPNotFound()
        body = _rss(key, self._started)
        etag = '"' + hashlib.sha1(body).hexdigest()[:16] + '"'
        if request.headers.get("If-None-Match") == etag:
            return web.Response(status=304, headers={"ETag": etag})
        return web.Response(body=body, content_type="application/rss+xml", charset="utf-8", headers={"ETag": etag})

    def _limits(self) -> dict[str, str]:
        reset = int(time.time()) + 900
        return {"x-rate-limit-limit": "450", "x-rate-limit-remaining": "449", "x-rate-limit-reset": str(reset)}

    async def _search(self, request: web.Request) -> web.Response:
        text = request.query.get("query", "").replace("(", "").replace(")", "").replace("-is:retweet", "")
        try:
            query = parse_query(text)
        except QueryError:
            return web.json_response({"title": "Invalid Request", "status": 400}, status=400, headers=self._limits())
        since = int(request.query.get("since_id") or 0)
        posts: list[dict[str, Any]] = []
        users: dict[str, dict[str, str]] = {}
        for n, (author, name, body, minutes, likes, reposts, lang) in enumerate(data.POSTS):
            moment = self._started - minutes * 60
            post_id = str(SAMPLE_ID_BASE + len(data.POSTS) - n)
            probe = Item(
                source="x", id=post_id, url="", title="", text=body, published=moment, author=author, language=lang
            )
            if int(post_id) <= since or not matches(query, probe):
                continue
            user_id = str(1000 + n)
            users[user_id] = {"id": user_id, "username": author, "name": name}
            posts.append(
                {
                    "id": post_id,
                    "text": body,
                    "author_id": user_id,
                    "lang": lang,
                    "created_at": datetime.fromtimestamp(moment, UTC)
                    .isoformat(timespec="milliseconds")
                    .replace("+00:00", "Z"),
                    "public_metrics": {
                        "like_count": likes,
                        "retweet_count": reposts,
                        "reply_count": 0,
                        "quote_count": 0,
                    },
                    "edit_history_tweet_ids": [post_id],
                }
            )
        posts.sort(key=lambda p: int(p["id"]), reverse=True)
        if not posts:
            return web.json_response({"meta": {"result_count": 0}}, headers=self._limits())
        meta = {"newest_id": posts[0]["id"], "oldest_id": posts[-1]["id"], "result_count": len(posts)}
        payload = {"data": posts, "includes": {"users": list(users.values())}, "meta": meta}
        return web.json_response(payload, headers=self._limits())

    async def _trends(self, request: web.Request) -> web.Response:
        trends = data.TRENDS.get(int(request.match_info["woeid"]), [])
        body = {"data": [{"trend_name": n, **({"tweet_count": c} if c else {})} for n, c in trends]}
        return web.json_response(body, headers=self._limits())
