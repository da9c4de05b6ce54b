"""/status: the snapshot of bot.status as one message, in the owner's language."""

from __future__ import annotations

from urllib.parse import urlsplit

from bot.model import X_ACTIONS, Priority, Status
from bot.render.alerts import hold_line
from bot.render.failures import reason
from bot.render.i18n import Html, decimal, plain, t
from bot.render.watching import when

_PRIORITIES = {
    Priority.CRISIS: "status_crisis",
    Priority.APPROVAL: "status_approval",
    Priority.BRIEFING: "status_briefing",
    Priority.ALERT: "status_alert",
}
_DELIVERY = ("sent", "resent", "retried", "failed", "too_many", "dropped")
FAILING_SHOWN = 5
SOURCES_SHOWN = 5


def status_screen(lang: str, status: Status) -> str:
    lines = [t(lang, "status_title"), _processes(lang, status), _queues(lang, status), _posting(lang, status)]
    today = {name: status.delivery_today.get(name, 0) for name in _DELIVERY}
    lines.append(t(lang, "status_today", **today))
    lines += _feeds(lang, status)
    lines.append(_x(lang, status))
    lines.append(_redis(lang, status))
    return "\n".join(lines)


def _processes(lang: str, status: Status) -> str:
    counts = ", ".join(f"{n} {mode}" for mode, n in sorted(status.processes.items())) or "0"
    beat = when(lang, status.worker_beat, status.at) if status.worker_beat else t(lang, "status_never")
    polling = t(lang, "status_yes" if status.polling else "status_no")
    return t(lang, "status_processes", processes=counts, polling=polling, beat=beat)


def _posting(lang: str, status: Status) -> str:
    hold = status.posting_hold
    return (
        t(lang, "status_posting_held", held=Html(hold_line(lang, hold, status.at)))
        if hold
        else t(lang, "status_posting_open")
    )


def _queues(lang: str, status: Status) -> str:
    depth = " · ".join(t(lang, key, n=status.backlog.depth[p]) for p, key in _PRIORITIES.items())
    oldest = status.backlog.oldest
    since = t(lang, "status_oldest", when=when(lang, oldest, status.at)) if oldest else ""
    return t(lang, "status_queues", depth=Html(depth), oldest=Html(since))


def _feeds(lang: str, status: Status) -> list[str]:
    failing = status.failing_feeds
    lines = [t(lang, "status_feeds", total=len(status.feeds), failing=len(failing))]
    for feed in failing[:FAILING_SHOWN]:
        key = "status_feed_paused" if feed.paused else "status_feed_failing"
        last_ok = when(lang, feed.last_ok, status.at) if feed.last_ok else t(lang, "status_never")
        lines.append(
            t(
                lang,
                key,
                host=urlsplit(feed.url).hostname or feed.url,
                error=reason(lang, feed.failure),
                failures=feed.failures,
                next=when(lang, feed.next_poll, status.at),
                last_ok=last_ok,
            )
        )
    return lines + _items_today(lang, status)


def _items_today(lang: str, status: Status) -> list[str]:
    """The sources that brought most new items today, with how many."""
    hosts = {feed.source: urlsplit(feed.url).hostname or feed.url for feed in status.feeds}
    ranked = sorted(status.items_today.items(), key=lambda kv: -kv[1])
    shown = " · ".join(
        f"{'X' if source == 'x' else hosts.get(source, '?')} {n}" for source, n in ranked[:SOURCES_SHOWN]
    )
    if not shown:
        return [t(lang, "status_items_none")]
    more = len(ranked) - SOURCES_SHOWN
    return [t(lang, "status_items", sources=shown) + (t(lang, "status_items_more", n=more) if more > 0 else "")]


def _x(lang: str, status: Status) -> str:
    def reads(costs: dict[str, int]) -> int:
        return sum(v for k, v in costs.items() if k.endswith(":count") and k.split(":")[0] not in X_ACTIONS)

    def acts(costs: dict[str, int]) -> int:
        return sum(v for k, v in costs.items() if k.endswith(":count") and k.split(":")[0] in X_ACTIONS)

    def usd(costs: dict[str, int]) -> str:
        amount = f"{costs.get('total:micro_usd', 0) / 1e6:.2f}"
        return decimal(lang, amount)

    limited = ", ".join(f"{e} ({when(lang, until, status.at)})" for e, until in status.x_limited.items())
    text = t(
        lang,
        "status_x",
        today=reads(status.x_today),
        today_acts=acts(status.x_today),
        today_usd=usd(status.x_today),
        month=reads(status.x_month),
        month_acts=acts(status.x_month),
        month_usd=usd(status.x_month),
    )
    quotas = ", ".join(
        plain(lang, "status_x_quota", endpoint=e, left=left, reset=when(lang, reset, status.at))
        for e, (left, reset) in status.x_quotas.items()
    )
    text += t(lang, "status_x_quotas", quotas=quotas) if quotas else ""
    return text + (t(lang, "status_x_limited", endpoints=limited) if limited else "")


def _redis(lang: str, status: Status) -> str:
    info = status.redis
    aof = info.get("aof_enabled") == "1"
    saved = float(info.get("rdb_last_save_time", 0) or 0)
    return t(
        lang,
        "status_redis",
        memory=info.get("used_memory_human", "?"),
        persistence=t(lang, "status_aof" if aof else "status_rdb"),
        saved=when(lang, saved, status.at) if saved else t(lang, "status_never"),
    )
