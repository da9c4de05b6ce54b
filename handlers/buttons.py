"""Every button press: its data parsed into a typed value (bot.callbacks), the sender's role
checked, then the one handler for that kind. Anything else is answered, never left spinning."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any, TypeVar

from telegram import Update

from bot import callbacks as cb
from bot.context import VigieContext
from bot.render.i18n import t
from bot.roles import Role
from handlers import alerts, briefing, following, guardrails, posting, settings, team, watching
from handlers.common import allowed, answer, expired, member_of, query_of, show

C = TypeVar("C", bound=cb.Callback)


@dataclass(frozen=True)
class Route:
    role: Role  # the least role that may press it
    handler: Callable[[Update, VigieContext, Any], Awaitable[None]]


def _route(
    kind: type[C], role: Role, handler: Callable[[Update, VigieContext, C], Awaitable[None]]
) -> tuple[type[cb.Callback], Route]:
    """A kind and its handler, which must take that kind."""
    return kind, Route(role, handler)


async def cancel(
    update: Update, context: VigieContext, pressed: cb.TeamCancel | cb.WatchCancel | cb.GuardrailsCancel
) -> None:
    """An offer or a confirmation dismissed."""
    await answer(query_of(update))
    await show(query_of(update), (t(member_of(context).language, "team_cancelled"), None))


ROUTES: dict[type[cb.Callback], Route] = dict(
    [
        _route(cb.SettingsMenu, Role.READER, settings.navigate),
        _route(cb.SettingsDone, Role.READER, settings.navigate),
        _route(cb.SetHour, Role.READER, settings.navigate),
        _route(cb.SetLanguage, Role.READER, settings.change),
        _route(cb.SetTimezone, Role.READER, settings.change),
        _route(cb.SetTime, Role.READER, settings.change),
        _route(cb.SetDays, Role.READER, settings.change),
        _route(cb.SetCooling, Role.OWNER, settings.change),
        _route(cb.SetCoolingDefault, Role.OWNER, settings.change),
        _route(cb.TeamInvite, Role.OWNER, team.invite),
        _route(cb.TeamGrant, Role.OWNER, team.grant),
        _route(cb.TeamRemove, Role.OWNER, team.ask_removal),
        _route(cb.TeamRemoveConfirm, Role.OWNER, team.remove),
        _route(cb.TeamCancel, Role.OWNER, cancel),
        _route(cb.WatchShow, Role.READER, watching.show_watch),
        _route(cb.WatchFollow, Role.READER, watching.follow),
        _route(cb.WatchUnfollow, Role.READER, watching.follow),
        _route(cb.WatchRemove, Role.DELEGATE, watching.remove_watch),
        _route(cb.WatchCancel, Role.READER, cancel),
        _route(cb.FeedRemove, Role.DELEGATE, watching.ask_feed_removal),
        _route(cb.FeedRemoveConfirm, Role.DELEGATE, watching.remove_feed),
        _route(cb.BriefingMore, Role.READER, briefing.more),
        _route(cb.BriefingMute, Role.READER, briefing.mute),
        _route(cb.BriefingUnmute, Role.READER, briefing.unmute),
        _route(cb.AlertStop, Role.READER, alerts.stop_alert),
        _route(cb.CrisisFollow, Role.READER, alerts.follow_crisis),
        _route(cb.PostingPause, Role.OWNER, alerts.pause_posting),
        _route(cb.PostingResume, Role.OWNER, alerts.resume_posting),
        _route(cb.CrisisDraft, Role.DELEGATE, posting.draft_answer),
        _route(cb.PostPublish, Role.DELEGATE, posting.publish),
        _route(cb.PostThread, Role.DELEGATE, posting.thread),
        _route(cb.PostAbout, Role.DELEGATE, posting.about),
        _route(cb.PostEdit, Role.DELEGATE, posting.edit),
        _route(cb.PostCancel, Role.DELEGATE, posting.cancel),
        _route(cb.PostUndo, Role.DELEGATE, posting.undo),
        _route(cb.PostDelete, Role.OWNER, posting.delete),
        _route(cb.DraftApprove, Role.OWNER, posting.approve),
        _route(cb.DraftReject, Role.OWNER, posting.reject),
        _route(cb.GuardrailsReset, Role.OWNER, guardrails.reset),
        _route(cb.GuardrailsCancel, Role.OWNER, cancel),
        _route(cb.FollowConfirm, Role.OWNER, following.confirm_follow),
        _route(cb.FollowCancel, Role.OWNER, following.cancel),
        _route(cb.UnfollowAsk, Role.OWNER, following.ask_unfollow),
        _route(cb.UnfollowConfirm, Role.OWNER, following.confirm_unfollow),
    ]
)


async def on_button(update: Update, context: VigieContext) -> None:
    """The one handler of button presses."""
    pressed = cb.parse(query_of(update).data or "")
    route = ROUTES.get(type(pressed)) if pressed else None
    if route is None:
        await expired(update, context)
    elif await allowed(update, context, route.role):
        await route.handler(update, context, pressed)
