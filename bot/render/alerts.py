"""Crisis alerts as Telegram HTML: how far off the usual, what drives it, the share of X and news."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from telegram import InlineKeyboardMarkup as Keyboard

from bot.callbacks import CrisisDraft, PostingPause
from bot.crisis import Alert
from bot.model import PostingHold, StoredItem, Watch
from bot.render.buttons import button
from bot.render.i18n import Html, decimal, plain, t
from bot.render.watching import item_line, when
from bot.roles import Role


@dataclass(frozen=True)
class CrisisView:
    watch: Watch
    alert: Alert
    mentions: int  # in the buckets that raised it
    minutes: int  # that they span
    since: float  # when they start
    drivers: list[StoredItem]
    from_x: int  # of the `read` latest items of the hour, those from X
    read: int
    now: float


def crisis_text(language: str, zone: str, view: CrisisView) -> str:
    alert = view.alert
    local = datetime.fromtimestamp(view.since, ZoneInfo(zone))
    lines = [
        t(language, "crisis_worse_title" if alert.escalation else "crisis_title", watch=view.watch.name),
        t(
            language,
            f"crisis_rate_{alert.basis}",
            count=_number(language, view.mentions),
            minutes=view.minutes,
            ratio=_ratio(language, alert.count / max(alert.usual, 1.0)),
            day=plain(language, "day_long").split(",")[local.weekday()],
            time=local.strftime("%H:%M"),
        ),
    ]
    if view.drivers:
        lines += ["", t(language, "crisis_drivers"), *(item_line(language, d, view.now) for d in view.drivers)]
    if view.read:
        x = round(100 * view.from_x / view.read)
        lines += ["", t(language, "crisis_share", read=view.read, x=x, news=100 - x)]
    return "\n".join(lines)


def _number(language: str, n: int) -> Html:
    text = f"{n:,}"
    return Html(text.replace(",", "\u202f") if language == "fr" else text)


def _ratio(language: str, ratio: float) -> str:
    return decimal(language, f"{ratio:.0f}" if ratio >= 10 else f"{ratio:.1f}")


def crisis_keyboard(language: str, role: Role, watch_id: str) -> dict | None:
    """The buttons under a crisis alert that the member's role may press (as a dict, queued)."""
    row = []
    if role >= Role.OWNER:
        row.append(button(plain(language, "crisis_pause_button"), PostingPause(watch_id)))
    if role >= Role.DELEGATE:
        row.append(button(plain(language, "crisis_draft_button"), CrisisDraft(watch_id)))
    return Keyboard([row]).to_dict() if row else None


def hold_line(language: str, hold: PostingHold, now: float | None = None) -> str:
    """'suspendues par Anne il y a 5 min (crise : Fnac)'."""
    crisis = t(language, "posting_hold_crisis", watch=hold.watch) if hold.watch else ""
    return t(language, "posting_hold", name=hold.by_name, when=when(language, hold.since, now)) + crisis
