"""/team (owners only): list members, grant and revoke roles, invitation links, forwards."""

from __future__ import annotations

import logging

from telegram import Update
from telegram.error import TelegramError

from bot import team
from bot.context import VigieContext
from bot.render import menus
from bot.render.i18n import t
from bot.roles import Role
from bot.text import is_number
from handlers.common import allowed, answer, data_of, member_of, message_of, query_of, reply, show

log = logging.getLogger(__name__)

_OUTCOME_KEYS = {
    team.Outcome.GRANTED: "team_granted",
    team.Outcome.ALREADY: "team_already",
    team.Outcome.REVOKED: "team_revoked",
    team.Outcome.NOT_MEMBER: "team_not_member",
    team.Outcome.OWNER_FIXED: "team_owner_fixed",
}


def _user_id(text: str) -> int | None:
    return int(text) if is_number(text) and 0 < int(text) < 2**53 else None


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
    """Tell the new member, when Telegram lets us (they may never have opened the bot)."""
    profile = await context.services.store.users.get(user_id)
    lang = profile.language if profile else context.services.settings.language
    try:
        await context.bot.send_message(user_id, t(lang, "team_welcome_notice", role=menus.role_name(lang, role)))
    except TelegramError as exc:
        log.info("could not tell user %s about their new role: %s", user_id, exc)


async def _revoke(context: VigieContext, user_id: int) -> str:
    services = context.services
    outcome = await team.revoke(services.store, services.settings, user_id)
    return await _outcome_text(context, outcome, user_id, None)


async def team_command(update: Update, context: VigieContext) -> None:
    """`/team`, `/team add delegate|reader <id>`, `/team rm <id>`."""
    if not await allowed(update, context, Role.OWNER):
        return
    lang = member_of(context).language
    args = [a.lower() for a in context.args or []]
    if not args:
        await reply(update, await _team_screen(context))
    elif args[0] == "add" and len(args) == 3:
        role, user_id = Role.grantable(args[1]), _user_id(args[2])
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
            await reply(update, await _revoke(context, user_id))
    else:
        await reply(update, t(lang, "team_usage"))


async def team_button(update: Update, context: VigieContext) -> None:
    """`team:invite:<role>`, `team:grant:<role>:<id>`, `team:rm:<id>`, `team:cancel`."""
    query = query_of(update)
    if not await allowed(update, context, Role.OWNER):
        return
    lang = member_of(context).language
    parts = data_of(query).split(":")
    action = parts[1] if len(parts) > 1 else ""
    if action == "invite" and len(parts) == 3 and (role := Role.grantable(parts[2])):
        link = await team.create_invite_link(context.services.store, role, query.from_user.id, context.bot.username)
        await answer(query)
        await reply(update, t(lang, "team_invite_link", role=menus.role_name(lang, role), link=link))
    elif action == "grant" and len(parts) == 4 and (role := Role.grantable(parts[2])) and (uid := _user_id(parts[3])):
        await answer(query)
        await show(query, (await _grant(context, uid, role), None))
    elif action == "rm" and len(parts) == 3 and (uid := _user_id(parts[2])):
        outcome = await _revoke(context, uid)
        text, keyboard = await _team_screen(context)
        await answer(query)
        await show(query, (f"{outcome}\n\n{text}", keyboard))
    elif action == "cancel":
        await answer(query)
        await show(query, (t(lang, "team_cancelled"), None))
    else:
        await answer(query, t(lang, "button_expired"), alert=True)


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
