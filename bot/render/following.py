"""Following's screens: the account looked up (Follow, Cancel), the accounts followed (an
Unfollow button each), the unfollow confirmation, and every refusal in plain words."""

from __future__ import annotations

import html
import math
import time

from telegram import InlineKeyboardMarkup as Keyboard

from bot.callbacks import FollowCancel, FollowConfirm, UnfollowAsk, UnfollowConfirm
from bot.model import (
    BadStatus,
    Followed,
    FollowLimit,
    NoAccount,
    NotFound,
    OverBudget,
    RateLimited,
    Suspended,
    Unauthorized,
    XUser,
)
from bot.render.buttons import button
from bot.render.i18n import Html, decimal, integer, plain, t
from bot.render.menus import Screen

PROFILE_URL = "https://x.com/{username}"


def _profile(username: str) -> Html:
    url = html.escape(PROFILE_URL.format(username=username), quote=True)
    return Html(f'<a href="{url}">@{html.escape(username)}</a>')


def offer(language: str, user: XUser) -> Screen:
    """The account as X shows it (name, @handle, description, followers, verified, protected),
    with Follow and Cancel."""
    verified = plain(language, "follow_card_verified") if user.verified else ""
    key = "follow_card_followers_one" if user.followers == 1 else "follow_card_followers"
    lines = [
        t(language, "follow_card_title"),
        f"<b>{html.escape(user.name)}</b> — {_profile(user.username)}",
    ]
    if user.description:
        lines.append(f"<blockquote>{html.escape(user.description)}</blockquote>")
    lines.append(t(language, key, n=integer(language, user.followers), verified=verified))
    if user.protected:
        lines.append(t(language, "follow_card_protected"))
    lines.append(t(language, "follow_card_then"))
    keyboard = Keyboard(
        [
            [
                button(plain(language, "follow_button"), FollowConfirm(user.id)),
                button(plain(language, "follow_cancel_button"), FollowCancel(user.id)),
            ]
        ]
    )
    return "\n".join(lines), keyboard


def followed(language: str, account: Followed, *, already: bool = False) -> str:
    """Following it: done, or its request waiting (a protected account)."""
    if already:
        key = "follow_already_pending" if account.pending else "follow_already"
    else:
        key = "follow_pending" if account.pending else "follow_done"
    return t(language, key, username=account.username)


def unfollow_offer(language: str, account: Followed) -> Screen:
    keyboard = Keyboard(
        [
            [
                button(plain(language, "unfollow_button"), UnfollowConfirm(account.id)),
                button(plain(language, "follow_cancel_button"), FollowCancel(account.id)),
            ]
        ]
    )
    return t(language, "unfollow_card_title", username=account.username), keyboard


def accounts(language: str, followed_: list[Followed]) -> Screen:
    """The accounts followed, an Unfollow button each, and how to add one."""
    if not followed_:
        return t(language, "follow_list_empty") + "\n\n" + t(language, "follow_usage"), None
    lines = [t(language, "follow_list_title")]
    for account in followed_:
        mark = plain(language, "follow_list_pending") if account.pending else ""
        lines.append(t(language, "follow_list_line", name=account.name, username=account.username, mark=mark))
    lines += ["", t(language, "follow_list_help")]
    rows = [
        [button(plain(language, "unfollow_list_button", username=account.username), UnfollowAsk(account.id))]
        for account in followed_
    ]
    return "\n".join(lines), Keyboard(rows)


def usage(language: str, typed: str = "", command: str = "follow") -> str:
    """How to use /follow (or /unfollow), after what was wrong with what was typed."""
    text = t(language, f"{command}_usage")
    return t(language, "follow_bad_handle", value=typed) + "\n\n" + text if typed else text


def _wait(language: str, reset_at: float, now: float) -> str:
    minutes = max(1, math.ceil((reset_at - now) / 60))
    if minutes < 120:
        return plain(language, "follow_wait_minutes", n=minutes)
    return plain(language, "follow_wait_hours", n=math.ceil(minutes / 60))


def refusal(language: str, error: Exception, action: str, username: str = "", now: float | None = None) -> str:
    """Why `action` ("look_up", "follow", "unfollow") was not done, in plain words: no raw
    error of a library ever reaches the member."""
    if isinstance(error, NoAccount):
        return t(language, "follow_error_no_account")
    if isinstance(error, OverBudget):
        figures = error.figures
        return t(
            language,
            "follow_error_budget",
            spent=decimal(language, f"{figures['spent']:.2f}"),
            cost=decimal(language, f"{figures['cost']:.3f}"),
            budget=decimal(language, f"{figures['budget']:.2f}"),
            what=plain(language, f"follow_what_{action}"),
        )
    if isinstance(error, RateLimited):
        return t(language, "follow_error_rate_limited", wait=_wait(language, error.reset_at, now or time.time()))
    if isinstance(error, NotFound):
        if username and action == "look_up":
            return t(language, "follow_error_not_found", username=username)
        return t(language, "follow_error_gone")
    if isinstance(error, Suspended):
        return t(language, "follow_error_suspended")
    if isinstance(error, FollowLimit):
        return t(language, "follow_error_follow_limit")
    if isinstance(error, Unauthorized):
        return t(language, "follow_error_unauthorized")
    if isinstance(error, BadStatus) and error.status < 500:
        return t(language, "follow_error_refused", status=error.status)
    return t(language, "follow_error_failed")
