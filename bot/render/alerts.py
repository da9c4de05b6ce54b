"""Crisis alerts as Telegram HTML: how far off the usual, what drives it, the share of X and news."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from zoneinfo import ZoneInfo

from telegram import InlineKeyboardMarkup as Keyboard

from bot.callbacks import AlertStop, CrisisDraft, CrisisFollow, PostingPause
from bot.model import PostingHold, StoredItem, Subscription, Watch
from bot.render.buttons import button
from bot.render.html import CAPTION, visible_length
from bot.render.i18n import Html, integer, plain, t, times
from bot.render.menus import Screen
from bot.render.watching import item_line, link, short, when
from bot.roles import Role


class Stage(StrEnum):
    """Where a crisis alert's message stands: as raised, escalated, updated while it lasts, over."""

    RAISED = "raised"
    WORSE = "worse"
    ONGOING = "ongoing"
    OVER = "over"


@dataclass(frozen=True)
class CrisisView:
    watch: Watch
    stage: Stage
    mentions: int  # in the buckets judged last
    minutes: int  # that they span
    since: float  # when they start
    ratio: float  # their rate against the usual then
    basis: str  # what the usual was read from: "weeks" or "days"
    drivers: list[StoredItem]
    terms: list[str]  # words, hashtags and accounts new against the usual
    from_x: int  # of the `read` latest items of the hour, those from X
    read: int
    now: float
    usual: float = 0.0  # the mentions usual in those minutes
    drop: bool = False  # an unusual drop, not a spike


def crisis_text(language: str, zone: str, view: CrisisView) -> str:
    """The alert as a photo's caption: what does not fit (drivers first, then new terms) is left
    out rather than cut."""
    drivers, terms = list(view.drivers), list(view.terms)
    while True:
        text = _crisis_text(language, zone, view, drivers, terms)
        if visible_length(text) < CAPTION or not (drivers or terms):  # an edit is cut at CAPTION - 1
            return text
        if drivers:
            drivers.pop()
        else:
            terms.clear()


def _crisis_text(language: str, zone: str, view: CrisisView, drivers: list[StoredItem], terms: list[str]) -> str:
    local = datetime.fromtimestamp(view.since, ZoneInfo(zone))
    kind = "drop" if view.drop and view.stage is not Stage.OVER else "crisis"
    lines = [t(language, f"{kind}_title_{view.stage}", watch=view.watch.name)]
    if view.stage is Stage.ONGOING:
        lines.append(
            t(language, "crisis_updated", time=datetime.fromtimestamp(view.now, ZoneInfo(zone)).strftime("%H:%M"))
        )
    lines.append(
        t(
            language,
            f"{kind}_rate_{view.basis}",
            count=integer(language, view.mentions),
            usual=integer(language, round(view.usual)),
            minutes=view.minutes,
            ratio=times(language, view.ratio),
            day=plain(language, "day_long").split(",")[local.weekday()],
            time=local.strftime("%H:%M"),
        )
    )
    if view.stage is Stage.OVER:
        return "\n".join(lines)
    if view.drop:
        return "\n".join([*lines, "", t(language, "drop_check")])
    if drivers:
        lines += ["", t(language, "crisis_drivers"), *(item_line(language, d, view.now) for d in drivers)]
    if terms:
        lines += ["", t(language, "crisis_terms", terms=", ".join(terms))]
    if view.read:
        x = round(100 * view.from_x / view.read)
        lines += ["", t(language, "crisis_share", read=view.read, x=x, news=100 - x)]
    return "\n".join(lines)


def crisis_keyboard(
    language: str, role: Role | None, watch_id: str, following: bool | None, drop: bool = False
) -> dict | None:
    """The buttons under a crisis alert (as a dict, queued): those the member's role may press
    (a group's, `role` None: all of them, each checked when pressed); "follow the evolution"
    while the episode lasts (`following` None once it is over). A drop has nothing to answer."""
    row = []
    if following is not None:
        label = "crisis_unfollow_button" if following else "crisis_follow_button"
        row.append(button(plain(language, label), CrisisFollow(watch_id, not following)))
    if not drop and (role is None or role >= Role.OWNER):
        row.append(button(plain(language, "crisis_pause_button"), PostingPause(watch_id)))
    if not drop and (role is None or role >= Role.DELEGATE):
        row.append(button(plain(language, "crisis_draft_button"), CrisisDraft(watch_id)))
    return Keyboard([[b] for b in row]).to_dict() if row else None


def topic_text(language: str, zone: str, watch: Watch, items: list[StoredItem], more: int) -> str:
    """A topic alert: the watch, its new items (source, author or outlet, time, link), how many more."""
    total = len(items) + more
    lines = [t(language, "topic_title_one" if total == 1 else "topic_title", watch=watch.name, n=total)]
    lines += [_topic_line(language, zone, stored) for stored in items]
    if more:
        lines.append(t(language, "topic_more_one" if more == 1 else "topic_more", n=more))
    return "\n".join(lines)


def _topic_line(language: str, zone: str, stored: StoredItem) -> str:
    item = stored.item
    at = datetime.fromtimestamp(item.published, ZoneInfo(zone)).strftime("%H:%M")
    headline = item.title or item.text
    if item.source == "x":
        who = t(language, "topic_on_x", author=item.author_name or item.author, handle=item.author)
    else:
        who = t(language, "topic_outlet", outlet=item.source_name or item.source)
    return t(
        language, "topic_line", time=at, who=Html(who), item=Html(link(item.url, short(" ".join(headline.split()))))
    )


def filters_text(language: str, subscription: Subscription) -> str:
    """'≥ 50 interactions, X seulement, comptes vérifiés, en fr', or 'aucun filtre'."""
    parts = []
    if subscription.min_engagement:
        parts.append(plain(language, "alert_filter_min", n=subscription.min_engagement))
    if subscription.sources:
        parts.append(plain(language, f"alert_filter_{subscription.sources}"))
    if subscription.verified:
        parts.append(plain(language, "alert_filter_verified"))
    if subscription.language:
        parts.append(plain(language, "alert_filter_language", language=subscription.language))
    return ", ".join(parts) or plain(language, "alert_filter_none")


def alerts_screen(language: str, subscriptions: list[tuple[str, Subscription]]) -> Screen:
    """The chat's topic alerts (watch name, filters), a button to stop each."""
    if not subscriptions:
        return t(language, "alerts_empty"), None
    lines = [t(language, "alerts_title")]
    lines += [t(language, "alerts_line", watch=name, filters=filters_text(language, s)) for name, s in subscriptions]
    rows = [
        [button(plain(language, "alert_stop_button", watch=name[:30]), AlertStop(s.watch_id))]
        for name, s in subscriptions
    ]
    return "\n".join(lines), Keyboard(rows)


def hold_line(language: str, hold: PostingHold, now: float | None = None) -> str:
    """'suspendues par Anne il y a 5 min (crise : Fnac)'."""
    crisis = t(language, "posting_hold_crisis", watch=hold.watch) if hold.watch else ""
    return t(language, "posting_hold", name=hold.by_name, when=when(language, hold.since, now)) + crisis
