"""Crisis alerts as Telegram HTML: how far off the usual, what drives it, the share of X and news."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from bot.crisis import Alert, Kind
from bot.model import StoredItem, Watch
from bot.render.i18n import Html, plain, t
from bot.render.watching import item_line


@dataclass(frozen=True)
class CrisisView:
    watch: Watch
    alert: Alert
    count: int  # mentions in the last hour
    usual: float  # the usual for that hour
    basis: str  # what the usual was read from: "weeks" or "days"
    drivers: list[StoredItem]
    from_x: int  # of the `read` latest items of the hour, those from X
    read: int
    now: float


def crisis_text(language: str, zone: str, view: CrisisView) -> str:
    alert = view.alert
    title = (
        "crisis_drop_title" if alert.kind is Kind.DROP else "crisis_worse_title" if alert.escalation else "crisis_title"
    )
    local = datetime.fromtimestamp(alert.time, ZoneInfo(zone))
    day = plain(language, "day_long").split(",")[local.weekday()]
    rate = "crisis_drop" if alert.kind is Kind.DROP else "crisis_rate"
    lines = [
        t(language, title, watch=view.watch.name),
        t(
            language,
            f"{rate}_{view.basis}",
            count=_number(language, view.count),
            ratio=_ratio(language, view.count / max(view.usual, 1.0)),
            usual=_number(language, round(view.usual)),
            day=day,
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
    text = f"{ratio:.0f}" if ratio >= 10 else f"{ratio:.1f}"
    return text.replace(".", ",") if language == "fr" else text
