"""/team (owners only): list members, grant and revoke roles, invitation links, forwards."""

from __future__ import annotations

import logging

from telegram import Update
from telegram.error import TelegramError

from bot import team
from bot.callbacks import USER_IDS, TeamGrant, TeamInvite, TeamRemove, TeamRemoveConfirm
from bot.context import VigieContext
from bot.render import menus
from bot.render.i18n import t
from bot.roles import Role
from bot.text import is_number
from handlers.common import answer, member_of, message_of, query_of, reply, show

log = logging.getLogger(__name__)

_OUTCOME_KEYS = {
    team.Outcome.GRANTED: "team_granted",
    team.Outcome.ALREADY: "team_already",
    team.Outcome.REVOKED: "team_revoked",
    team.Outcome.NOT_MEMBER: "team_not_member",
    team.Outcome.OWNER_FIXED: "team_owner_fixed",
}


def _user_id(text: str) -> int | None:
    return int(text) if is_number(text) and int(text) in USER_IDS else None


async def _team_screen(context: VigieContext) -> menus.Screen:
    services = context.services
    roster = await team.roster(services.store, services.settings)
    return menus.team_screen(member_of(context).language, roster)


async def _outcome_text(context: VigieContext, outcome: team.Outcome, user_id: int, role: Role | None) -> str:
    lang = member_of(context).language
    name = await team.name_of(context.services.store, user_id)
    role_name = menus.role_name(lang, role) if role else ""
    return t(lang, _OUTCOME_KEYS[outcome], name=name, role=role_name)


async def _grant(context: VigieContext, user_id: int, role: Role) -> str:
    services = context.services
    outcome = await team.grant(services.store, services.settings, user_id, role)
    if outcome is team.Outcome.GRANTED:
        await _notify_new_member(context, user_id, role)
    return await _outcome_text(context, outcome, user_id, role)


async def _notify_new_member(context: VigieContext, user_id: int, role: Role) -> None:
    await _tell(context, user_id, "team_welcome_notice", role=role)


async def _tell(context: VigieContext, user_id: int, key: str, role: Role | None = None) -> None:
    """Tell a member what changed for them, when Telegram lets us (they may never have opened
    the bot, or blocked it)."""
    profile = await context.services.store.users.get(user_id)
    lang = profile.language if profile else context.services.settings.language
    try:
        await context.bot.send_message(user_id, t(lang, key, role=menus.role_name(lang, role) if role else ""))
    except TelegramError as exc:
        log.info("could not tell user %s that their role changed: %s", user_id, exc)


async def _revoke(context: VigieContext, user_id: int) -> str:
    services = context.services
    outcome = await team.revoke(services.store, services.settings, user_id)
    if outcome is team.Outcome.REVOKED:
        await _tell(context, user_id, "team_removed_notice")
    return await _outcome_text(context, outcome, user_id, None)


async def _ask_removal(context: VigieContext, user_id: int) -> menus.Screen:
    """The confirmation of a removal, or why there is nothing to remove."""
    services = context.services
    role = await team.role_of(services.store, services.settings.owner_ids, user_id)
    if role is Role.OWNER:
        return await _outcome_text(context, team.Outcome.OWNER_FIXED, user_id, None), None
    if role < Role.READER:
        return await _outcome_text(context, team.Outcome.NOT_MEMBER, user_id, None), None
    name = await team.name_of(services.store, user_id)
    return menus.team_remove_screen(member_of(context).language, user_id, name, role)


async def team_command(update: Update, context: VigieContext) -> None:
    """`/team`, `/team add délégué|lecteur|delegate|reader <id>`, `/team rm <id>`."""
    lang = member_of(context).language
    args = [a.lower() for a in context.args or []]
    if not args:
        await reply(update, await _team_screen(context))
    elif args[0] == "add" and len(args) == 3:
        role, user_id = team.typed_role(args[1]), _user_id(args[2])
        if role is None:
            await reply(update, t(lang, "team_bad_role", value=args[1]))
        elif user_id is None:
            await reply(update, t(lang, "team_bad_id", value=args[2]))
        else:
            await reply(update, await _grant(context, user_id, role))
    elif args[0] in ("rm", "remove") and len(args) == 2:
        if (user_id := _user_id(args[1])) is None:
            await reply(update, t(lang, "team_bad_id", value=args[1]))
        else:
            await reply(update, await _ask_removal(context, user_id))
    else:
        await reply(update, t(lang, "team_usage"))


async def invite(update: Update, context: VigieContext, pressed: TeamInvite) -> None:
    """A one-time invitation link for that role."""
    query, lang = query_of(update), member_of(context).language
    link = await team.create_invite_link(context.services.store, pressed.role, query.from_user.id, context.bot.username)
    await answer(query)
    await reply(update, t(lang, "team_invite_link", role=menus.role_name(lang, pressed.role), link=link))


async def grant(update: Update, context: VigieContext, pressed: TeamGrant) -> None:
    """The role offered for the author of a forwarded message."""
    await answer(query_of(update))
    await show(query_of(update), (await _grant(context, pressed.user_id, pressed.role), None))


async def ask_removal(update: Update, context: VigieContext, pressed: TeamRemove) -> None:
    """🗑 on the roster: what the removal takes away, asked once."""
    await answer(query_of(update))
    await show(query_of(update), await _ask_removal(context, pressed.user_id))


async def remove(update: Update, context: VigieContext, pressed: TeamRemoveConfirm) -> None:
    """Revoke a member (who is told), then the roster again."""
    outcome = await _revoke(context, pressed.user_id)
    text, keyboard = await _team_screen(context)
    await answer(query_of(update))
    await show(query_of(update), (f"{outcome}\n\n{text}", keyboard))


async def forwarded(update: Update, context: VigieContext) -> None:
    """An owner forwards a message: offer to add its author to the team."""
    member = member_of(context)
    lang = member.language
    if member.role < Role.OWNER:
        await reply(update, t(lang, "text_not_understood"))
        return
    origin = message_of(update).forward_origin
    sender = getattr(origin, "sender_user", None)
    if sender is None:
        name = getattr(origin, "sender_user_name", None) or getattr(getattr(origin, "chat", None), "title", "?")
        await reply(update, t(lang, "team_forward_hidden", name=name))
        return
    name = sender.full_name + (f" (@{sender.username})" if sender.username else "")
    await reply(update, menus.forward_screen(lang, sender.id, name))
