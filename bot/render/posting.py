"""Posting's screens: the preview with its warnings, the approval asked of owners, the countdown
with its Undo, the outcome (the link, or why not), and the guardrails' subjects (/guardrails)."""

from __future__ import annotations

import html
import math

from telegram import InlineKeyboardMarkup as Keyboard

from bot import guardrails, posting
from bot.callbacks import (
    DraftApprove,
    DraftReject,
    GuardrailsCancel,
    GuardrailsReset,
    PostAbout,
    PostCancel,
    PostDelete,
    PostEdit,
    PostPublish,
    PostThread,
    PostUndo,
)
from bot.guardrails import Caution
from bot.model import Draft, DraftState, Failure, NoAccount, RateLimited, SourceError, Unreachable
from bot.render.buttons import button
from bot.render.failures import reason as reason_text
from bot.render.i18n import Html, decimal, plain, t
from bot.render.menus import Screen

POST_URL = "https://x.com/i/status/{id}"


def _quoted(text: str) -> str:
    return f"<blockquote>{html.escape(text)}</blockquote>"


def body(language: str, draft: Draft) -> str:
    """The draft as it will look on X: one post, the parts of a thread, or what is over 280."""
    if draft.thread:
        parts = draft.parts
        return "\n".join(_quoted(p) for p in parts) + "\n" + t(language, "post_thread_length", n=len(parts))
    length = posting.weighted_length(draft.text)
    if length <= posting.LIMIT:
        return _quoted(draft.text) + "\n" + t(language, "post_length", n=length)
    fit, over = posting.overflow(draft.text)
    shown = f"<blockquote>{html.escape(fit)}<s>{html.escape(over)}</s></blockquote>"
    return shown + "\n" + t(language, "post_too_long", n=length, over=length - posting.LIMIT)


def cautions_text(language: str, cautions: list[Caution]) -> str:
    return "\n".join(t(language, f"caution_{c.check.value}", detail=c.detail) for c in cautions)


def _link(draft: Draft, post_id: str) -> str:
    """The X post's link as the message it came from had it (naming its account), if it did."""
    return next((link for link in draft.targets if link.endswith(f"/{post_id}")), POST_URL.format(id=post_id))


def _context(language: str, draft: Draft) -> str:
    if draft.reply_to:
        return t(language, "post_replying", url=_link(draft, draft.reply_to)) + "\n"
    if draft.quote_of:
        return t(language, "post_quoting", url=_link(draft, draft.quote_of)) + "\n"
    return ""


def _about_rows(language: str, draft: Draft) -> list[list]:
    """Per X post the draft may answer: Reply and Quote, the chosen one ticked."""
    rows = []
    for n, link in enumerate(draft.targets):
        post_id, author = link.rsplit("/", 1)[1], posting.author_of(link)
        who = plain(language, "post_target_post", n=n + 1) if author == "i" else f"@{author}"
        row = []
        for quote, key, chosen in (
            (False, "post_reply_button", draft.reply_to),
            (True, "post_quote_button", draft.quote_of),
        ):
            label = plain(language, key, who=who)
            row.append(button(("✓ " if chosen == post_id else "") + label, PostAbout(draft.id, n, quote)))
        rows.append(row)
    return rows


def preview(language: str, draft: Draft, cautions: list[Caution], owner: bool, *, asking: bool = False) -> Screen:
    """The preview its author (or an owner editing it) sees: Publish (owners) or Send for
    approval (delegates), Edit, Cancel. Too long: the overflow and the thread offered. `asking`:
    Publish was pressed with warnings: they are shown again, and confirmed or not."""
    lines = [t(language, "post_preview_title"), _context(language, draft) + body(language, draft)]
    if cautions:
        lines.append(cautions_text(language, cautions))
    if asking:
        lines.append(t(language, "post_sure"))
    elif draft.targets and not (draft.reply_to or draft.quote_of):
        lines.append(t(language, "post_targets"))
    too_long = not draft.thread and posting.weighted_length(draft.text) > posting.LIMIT
    rows = [] if asking else _about_rows(language, draft)
    if too_long:
        parts = len(posting.thread_parts(draft.text))
        rows.append([button(plain(language, "post_thread_button", n=parts), PostThread(draft.id))])
    else:
        label = ("post_publish_button" if owner else "post_submit_button") if not asking else "post_sure_button"
        rows.append([button(plain(language, label), PostPublish(draft.id, sure=asking))])
    rows.append(
        [
            button(plain(language, "post_edit_button"), PostEdit(draft.id)),
            button(plain(language, "post_cancel_button"), PostCancel(draft.id)),
        ]
    )
    return "\n\n".join(lines), Keyboard(rows)


def approval(language: str, draft: Draft, cautions: list[Caution]) -> tuple[str, Keyboard]:
    """What owners get for a delegate's draft: Approve, Edit, Reject."""
    lines = [
        t(language, "draft_approval_title", author=draft.author_name),
        _context(language, draft) + body(language, draft),
    ]
    if cautions:
        lines.append(cautions_text(language, cautions))
    keyboard = Keyboard(
        [
            [button(plain(language, "draft_approve_button"), DraftApprove(draft.id))],
            [
                button(plain(language, "post_edit_button"), PostEdit(draft.id)),
                button(plain(language, "draft_reject_button"), DraftReject(draft.id)),
            ],
        ]
    )
    return "\n\n".join(lines), keyboard


def countdown(language: str, draft: Draft, now: float, held: str = "") -> Screen:
    """The cooling-off: the post, the time left (or why it waits), Undo."""
    left = max(0, math.ceil(draft.send_at - now))
    status = t(language, "post_held", name=held) if held else t(language, "post_countdown", seconds=left)
    text = "\n\n".join([_context(language, draft) + body(language, draft), status])
    return text, Keyboard([[button(plain(language, "post_undo_button"), PostUndo(draft.id))]])


def links(draft: Draft) -> str:
    return "\n".join(POST_URL.format(id=post_id) for post_id in draft.post_ids)


def outcome(language: str, draft: Draft, figures: dict, *, author: bool = False) -> Screen:
    """A sent post's links (with Delete, for the one who confirmed it), or why it failed."""
    if draft.state is DraftState.SENT:
        key = "post_sent_author" if author else "post_sent"
        text = t(language, key, links=links(draft), name=draft.approver_name)
        keyboard = None if author else Keyboard([[button(plain(language, "post_delete_button"), PostDelete(draft.id))]])
        return text, keyboard
    shown = {k: _figure(language, k, v) for k, v in figures.items()}
    reason = t(language, f"post_failed_{draft.reason}", **shown)
    if draft.post_ids:  # a thread that failed on the way: what is on X can be deleted
        text = t(language, "post_partly_sent", links=links(draft), reason=Html(reason))
        keyboard = None if author else Keyboard([[button(plain(language, "post_delete_button"), PostDelete(draft.id))]])
        return text, keyboard
    return t(language, "post_failed", reason=Html(reason)) + "\n\n" + _quoted(draft.text), None


def _figure(language: str, name: str, value: object) -> object:
    """A figure of a failure as shown: dollars with the language's decimal mark, a reason in words."""
    if isinstance(value, Failure):
        return reason_text(language, value)
    if isinstance(value, float):
        return decimal(language, f"{value:.3f}" if name == "cost" else f"{value:.2f}")
    return value


def delete_failed(language: str, exc: SourceError | NoAccount) -> str:
    """Why a post could not be deleted, in the member's words."""
    if isinstance(exc, NoAccount):
        reason = t(language, "post_failed_no_account")
    elif isinstance(exc, Unreachable | RateLimited):
        reason = t(language, "post_failed_unreachable")
    else:
        reason = t(language, "post_failed_refused", reason=reason_text(language, exc.failure))
    return t(language, "post_delete_failed", reason=Html(reason))


def expired(language: str, draft: Draft) -> str:
    return t(language, "draft_expired") + "\n\n" + _quoted(draft.text)


def _subjects(words: tuple[str, ...] | list[str]) -> str:
    return ", ".join(words)


def guardrails_text(language: str, subjects: frozenset[str], owner: bool) -> str:
    """The subjects by group (the defaults' groups, then the team's), the defaults taken out, and
    how to change them (owners) or who may (delegates). Long lists are split by the caller."""
    listed = guardrails.listing(subjects)
    lines = [t(language, "guardrails_title"), t(language, "guardrails_intro"), ""]
    groups = [(plain(language, f"guardrails_group_{name}"), words) for name, words in listed.groups]
    if listed.added:
        groups.append((plain(language, "guardrails_group_added"), listed.added))
    lines += [t(language, "guardrails_line", group=g, subjects=_subjects(words)) for g, words in groups]
    if not subjects:
        lines.append(t(language, "guardrails_none"))
    if listed.removed:
        lines.append(t(language, "guardrails_removed_defaults", subjects=_subjects(listed.removed)))
    lines += ["", t(language, "guardrails_usage") if owner else t(language, "guardrails_view_only")]
    return "\n".join(lines)


def subjects_edited(language: str, added: bool, edit: guardrails.Edit) -> str:
    """What `/guardrails add` or `rm` did."""
    lines = []
    if edit.done:
        lines.append(t(language, "guardrails_added" if added else "guardrails_removed", subjects=_subjects(edit.done)))
    if edit.unchanged:
        key = "guardrails_already" if added else "guardrails_not_there"
        lines.append(t(language, key, subjects=_subjects(edit.unchanged)))
    return "\n".join(lines)


def reset_screen(language: str, subjects: frozenset[str]) -> Screen:
    """`/guardrails reset`: what going back to the defaults takes out and brings back, to confirm."""
    listed = guardrails.listing(subjects)
    if not listed.added and not listed.removed:
        return t(language, "guardrails_reset_already"), None
    lines = [t(language, "guardrails_reset_ask")]
    if listed.added:
        lines.append(t(language, "guardrails_reset_drops", subjects=_subjects(listed.added)))
    if listed.removed:
        lines.append(t(language, "guardrails_reset_brings", subjects=_subjects(listed.removed)))
    keyboard = Keyboard(
        [
            [button(plain(language, "guardrails_reset_button"), GuardrailsReset(guardrails.version(subjects)))],
            [button(plain(language, "team_cancel"), GuardrailsCancel())],
        ]
    )
    return "\n".join(lines), keyboard
