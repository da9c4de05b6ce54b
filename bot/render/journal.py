"""/journal: what Vigie did on X for the team, newest first: who, when, what, result, cost."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from bot.model import Act, Failure, JournalEntry
from bot.render.failures import reason as failure_reason
from bot.render.i18n import Html, decimal, plain, t
from bot.render.watching import short

ICONS = {
    Act.DRAFTED: "📝",
    Act.SUBMITTED: "📤",
    Act.APPROVED: "👍",
    Act.REJECTED: "👎",
    Act.CANCELLED: "✖️",
    Act.EXPIRED: "⌛",
    Act.UNDONE: "↩️",
    Act.POSTED: "✅",
    Act.FAILED: "❌",
    Act.DELETED: "🗑",
    Act.FOLLOWED: "➕",
    Act.UNFOLLOWED: "➖",
}
WHAT = 60  # characters of a post's text shown
ACCOUNTS = (Act.FOLLOWED, Act.UNFOLLOWED)  # about an @account, not a post


def journal_text(language: str, zone: str, entries: list[JournalEntry]) -> str:
    if not entries:
        return t(language, "journal_empty")
    lines = [t(language, "journal_title_one" if len(entries) == 1 else "journal_title", n=len(entries))]
    for entry in entries:
        when = datetime.fromtimestamp(entry.at, ZoneInfo(zone)).strftime("%d/%m %H:%M")
        line = t(
            language,
            "journal_line",
            icon=ICONS[entry.act],
            when=when,
            who=entry.by_name,
            act=plain(language, f"journal_{entry.act.value}"),
            what=entry.what
            if entry.act in ACCOUNTS
            else plain(language, "journal_quoted", text=short(entry.what, WHAT)),
        )
        if result := _result(language, entry):
            line += " · " + result
        if entry.micro_usd:
            line += " · " + t(language, "journal_cost", usd=decimal(language, f"{entry.micro_usd / 1e6:.3f}"))
        lines.append(line)
    return "\n".join(lines)


def _result(language: str, entry: JournalEntry) -> str:
    if not entry.result:
        return ""
    if entry.act is Act.FAILED:
        reason, _, stored = entry.result.partition(": ")
        why = plain(language, f"journal_why_{reason}")
        failure = Failure.decode(stored)  # None for X's own words, journaled before reasons had codes
        because = Html(f" ({failure_reason(language, failure)})") if failure else ""
        return t(language, "journal_why", why=why, reason=because)
    if entry.act is Act.FOLLOWED:
        return t(language, "journal_pending")
    if entry.act is Act.REJECTED:
        return t(language, "journal_quoted", text=short(entry.result, WHAT))
    return Html(entry.result.replace("\n", " "))  # links to X (POSTED, DELETED)
