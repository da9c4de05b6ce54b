"""Screens for watches, feeds and trends."""

from __future__ import annotations

import math
import time
from html import escape
from urllib.parse import urlsplit

from telegram import InlineKeyboardMarkup as Keyboard

from bot.callbacks import FeedRemove, FeedRemoveConfirm, WatchCancel, WatchFollow, WatchRemove, WatchShow, WatchUnfollow
from bot.model import (
    NEWS,
    Feed,
    FeedAdded,
    FeedAddition,
    Item,
    QueryRejected,
    RateLimited,
    StoredItem,
    TrendsView,
    Watch,
    WatchAdded,
    WatchView,
    place_name,
)
from bot.render.buttons import button
from bot.render.failures import reason
from bot.render.i18n import Html, integer, plain, t
from bot.render.menus import Screen

MAX_LINE = 160
SOURCES_SHOWN = 3  # sources named on an item's line; more are counted


def when(language: str, moment: float, now: float | None = None) -> str:
    """'il y a 5 min', 'dans 2 h', 'à l’instant'."""
    delta = moment - (now or time.time())
    minutes = int(abs(delta) // 60)
    if minutes < 1:
        return plain(language, "just_now")
    if delta > 0:
        return (
            plain(language, "in_minutes", n=minutes) if minutes < 120 else plain(language, "in_hours", n=minutes // 60)
        )
    if minutes < 120:
        return plain(language, "ago_minutes", n=minutes)
    return (
        plain(language, "ago_hours", n=minutes // 60)
        if minutes < 48 * 60
        else plain(language, "ago_days", n=minutes // 1440)
    )


def short(text: str, limit: int = MAX_LINE) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def link(url: str, label: str) -> str:
    if not url.startswith(("https://", "http://")):
        return escape(label, quote=False)
    return f'<a href="{escape(url)}">{escape(label, quote=False)}</a>'


def item_line(language: str, stored: StoredItem, now: float | None = None) -> str:
    """'• headline (linked) — its sources (an X post's by its @account), when'."""
    item = stored.item
    names = list(dict.fromkeys(who for who, _ in stored.credits()))
    sources = ", ".join(names[:SOURCES_SHOWN])
    if (more := len(names) - SOURCES_SHOWN) > 0:
        sources += plain(language, "watch_item_more_one" if more == 1 else "watch_item_more", n=more)
    headline = Html(link(item.url, short(item.title or item.text)))
    return "• " + t(
        language, "watch_item_line", headline=headline, sources=sources, when=when(language, item.published, now)
    )


def watch_list_screen(language: str, views: list[WatchView], can_add: bool) -> Screen:
    """The watches with their volume, each with its buttons; then how to add one (`can_add`)."""
    if not views:
        return t(language, "watch_list_empty"), None
    lines = [t(language, "watch_list_title")]
    rows = []
    for view in views:
        mark = plain(language, "watch_followed_mark") if view.followed else ""
        if view.followed and view.muted:
            mark += plain(language, "watch_muted_mark")
        lines.append(
            t(
                language,
                "watch_list_line",
                name=view.watch.name,
                query=view.watch.query,
                volume=view.volume_24h,
                followed=mark,
            )
        )
        watch = view.watch
        follow = (
            button(plain(language, "watch_unfollow", name=watch.name), WatchUnfollow(watch.id))
            if view.followed
            else button(plain(language, "watch_follow", name=watch.name), WatchFollow(watch.id))
        )
        rows.append([button(plain(language, "watch_show", name=watch.name), WatchShow(watch.id)), follow])
        if view.followed and view.muted:  # following again brings it back into the briefing
            rows.append([button(plain(language, "watch_unmute", name=watch.name), WatchFollow(watch.id))])
    if can_add:
        lines += ["", t(language, "watch_list_add")]
    return "\n".join(lines), Keyboard(rows)


def watch_added_screen(language: str, added: WatchAdded, search_every: int, now: float | None = None) -> Screen:
    """The watch created, then what its first X search found (or why it comes later); X is
    searched again every `search_every` seconds."""
    lines = [t(language, "watch_created", name=added.watch.name, query=added.watch.query)]
    if added.searched:
        lines += _first_posts(language, added.posts, search_every, now or time.time())
    elif isinstance(added.postponed, RateLimited):
        lines.append(t(language, "watch_first_limited"))
    elif added.postponed is not None:
        lines.append(t(language, "watch_first_postponed", reason=reason(language, added.postponed.failure)))
    else:
        lines.append(t(language, "watch_first_no_x"))
    return "\n".join(lines), None


def _first_posts(language: str, posts: tuple[Item, ...], search_every: int, now: float) -> list[str]:
    """How many posts matched over the time they span, then the two most engaging."""
    if not posts:
        return [t(language, "watch_first_none", every=_every(search_every))]
    span = _span(language, now - min(p.published for p in posts))
    if len(posts) == 1:
        lines = [t(language, "watch_first_one", span=span)]
    else:
        lines = [t(language, "watch_first_many", count=len(posts), span=span)]
    top = sorted(posts, key=lambda p: p.engagement, reverse=True)[:2]  # stable: newest first on ties
    return lines + [_post_line(language, p) for p in top]


def _every(seconds: int) -> str:
    """An interval as "30 s", "5 min", "2 h" (the same in French and English)."""
    if seconds < 60:
        return f"{seconds} s"
    if seconds < 3600:
        return f"{round(seconds / 60)} min"
    return f"{round(seconds / 3600)} h"


def _span(language: str, seconds: float) -> str:
    hours = max(1, math.ceil(seconds / 3600))
    if hours == 1:
        return plain(language, "span_hour")
    if hours <= 48:
        return plain(language, "span_hours", n=hours)
    return plain(language, "span_days", n=min(7, math.ceil(seconds / 86400)))


def _post_line(language: str, post: Item) -> str:
    return t(
        language,
        "watch_first_post",
        author=post.author or "?",
        text=short(" ".join(post.text.split()), 120),
        url=Html(escape(post.url)),
        likes=post.likes,
        reposts=post.reposts,
    )


def query_rejected(language: str, error: QueryRejected) -> str:
    """Why X refused a watch's query, in the user's words where the cause is known."""
    if error.reason == "and":
        return t(language, "watch_x_rejected_and")
    return t(language, "watch_x_rejected", words=error.detail)


def watch_items_screen(language: str, watch: Watch, items: list[StoredItem]) -> Screen:
    """A watch's latest items, newest first (and said so)."""
    lines = [t(language, "watch_items_title", name=watch.name, query=watch.query)]
    if items:
        lines += [t(language, "watch_items_order"), *(item_line(language, s) for s in items)]
    else:
        lines.append(t(language, "watch_items_empty"))
    return "\n".join(lines), None


def watch_remove_screen(language: str, watch: Watch, followers: int, feeds: list[Feed]) -> Screen:
    """What deleting the watch takes with it, asked once: its items, its followers' briefings and
    alerts, the feeds that fed only it (others stay, for their other watches or the news)."""
    keyboard = Keyboard(
        [
            [
                button(plain(language, "watch_rm_yes"), WatchRemove(watch.id)),
                button(plain(language, "team_cancel"), WatchCancel()),
            ]
        ]
    )
    lines = [t(language, "watch_rm_confirm", name=watch.name)]
    if followers:
        key = "watch_rm_followers_one" if followers == 1 else "watch_rm_followers"
        lines.append(t(language, key, n=integer(language, followers)))
    gone = [f.title or f.url for f in feeds if f.serves_only(watch.id)]
    kept = [f.title or f.url for f in feeds if not f.serves_only(watch.id)]
    if gone:
        lines.append(t(language, "watch_rm_feeds_gone", titles=", ".join(gone)))
    if kept:
        lines.append(t(language, "watch_rm_feeds_kept", titles=", ".join(kept)))
    return "\n".join(lines), keyboard


def feed_remove_screen(language: str, feed: Feed, names: dict[str, str]) -> Screen:
    """What removing a feed takes away, asked once."""
    keyboard = Keyboard(
        [
            [
                button(plain(language, "feed_rm_yes"), FeedRemoveConfirm(feed.id)),
                button(plain(language, "team_cancel"), WatchCancel()),
            ]
        ]
    )
    targets = _targets(language, feed.targets, names)
    return t(language, "feed_rm_confirm", title=feed.title or feed.url, targets=targets), keyboard


def _targets(language: str, targets: frozenset[str], names: dict[str, str]) -> str:
    """Where a feed's items go: the general news, watches by their names."""
    return ", ".join(plain(language, "feed_news") if t_ == NEWS else names.get(t_, t_) for t_ in sorted(targets))


def feed_health(language: str, feed: Feed) -> str:
    if feed.paused:
        return t(language, "feed_paused", error=reason(language, feed.failure))
    if feed.failures:
        error = reason(language, feed.failure)
        return t(language, "feed_failing", error=error, failures=feed.failures, when=when(language, feed.next_poll))
    if feed.last_ok:
        return t(language, "feed_ok", when=when(language, feed.last_ok), next=when(language, feed.next_poll))
    return t(language, "feed_pending")


def feed_list_screen(language: str, feeds: list[Feed], names: dict[str, str], can_remove: bool) -> Screen:
    """The feeds numbered (`/feed rm N`), with their health; for those who may change them, how
    to add one and a button to remove each."""
    if not feeds:
        return t(language, "feed_list_empty"), None
    lines = [t(language, "feed_list_title")]
    for n, feed in enumerate(feeds, 1):
        lines.append(
            t(
                language,
                "feed_line",
                n=n,
                title=short(feed.title or feed.url, 60),
                host=urlsplit(feed.url).hostname or "",
                targets=_targets(language, feed.targets, names),
                health=Html(feed_health(language, feed)),
            )
        )
    if not can_remove:
        return "\n".join(lines), None
    rows = [
        [button(plain(language, "feed_remove", title=short(f.title or f.url, 40)), FeedRemove(f.id))] for f in feeds
    ]
    return "\n".join([*lines, "", t(language, "feed_list_add", n=len(feeds))]), Keyboard(rows)  # the last one


def feed_added_screen(language: str, added: FeedAdded, names: dict[str, str], tried: str = "") -> Screen:
    """What `/feed add` did: added, restarted, attached to one more target, or nothing (it was
    there already), with where its items go and its latest article; `tried`: the URL used for
    an address typed without a scheme."""
    feed = added.feed
    if added.addition is FeedAddition.ALREADY:
        targets = _targets(language, feed.targets, names)
        text = t(language, "feed_already", title=feed.title or feed.url, targets=targets)
        return text + tried_line(language, tried), None
    last = item_line(language, added.latest).removeprefix("• ") if added.latest else t(language, "feed_no_items")
    if added.addition is FeedAddition.ATTACHED:
        before = _targets(language, added.before, names)
        target = _targets(language, frozenset({added.target}), names)
        text = t(language, "feed_attached", title=feed.title, before=before, target=target, last=Html(last))
    else:
        key = "feed_restarted" if added.addition is FeedAddition.RESTARTED else "feed_added"
        text = t(language, key, title=feed.title, target=_targets(language, feed.targets, names), last=Html(last))
    return text + tried_line(language, tried), None


def tried_line(language: str, url: str) -> str:
    """The URL tried for an address typed without a scheme, on a line of its own ("" for none)."""
    return "\n" + t(language, "feed_tried", url=url) if url else ""  # shortened when very long


def _count(language: str, count: int | None) -> str:
    if count is None:
        return ""
    return plain(language, "trends_count", count=integer(language, count))


def trends_screen(language: str, view: TrendsView, names: dict[str, str]) -> Screen:
    lines = [t(language, "trends_title", place=place_name(view.woeid, language), when=when(language, view.fetched_at))]
    if view.stale is not None:
        lines.append(t(language, "trends_stale", reason=reason(language, view.stale)))
    for rank, trend in enumerate(view.trends, 1):
        watches = ", ".join(names.get(w, w) for w in trend.watch_ids)
        mark = plain(language, "trends_watch_mark", names=watches) if watches else ""
        lines.append(
            t(language, "trends_line", rank=rank, name=trend.name, count=_count(language, trend.count), watches=mark)
        )
    if not view.trends:
        lines.append(t(language, "trends_empty"))
    return "\n".join(lines), None
