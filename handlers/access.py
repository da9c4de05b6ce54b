"""The gatekeeper: runs before every handler, resolves the sender, turns strangers away."""

from __future__ import annotations

from telegram import Update
from telegram.constants import ChatType
from telegram.ext import ApplicationHandlerStop

from bot import members, team
from bot.context import VigieContext
from bot.render.i18n import language_for, t
from handlers.common import answer

_GROUPS = (ChatType.GROUP, ChatType.SUPERGROUP)


def _in_group(update: Update) -> bool:
    """What Vigie answers in a group (a crisis cell): button presses and /alert; nothing else."""
    if update.callback_query:
        return True
    text = (update.message.text or "") if update.message else ""
    return text.split(" ", 1)[0].split("@", 1)[0].lower() == "/alert"


def _is_invitation(update: Update) -> bool:
    message = update.message
    return bool(message and message.text and message.text.startswith(f"/start {team.INVITE_PREFIX}"))


async def gatekeeper(update: Update, context: VigieContext) -> None:
    """Members pass; a stranger is told once that Vigie is by invitation, then ignored. In a
    group (a crisis cell) only button presses and /alert are looked at, and a stranger's /alert
    gets no answer there."""
    user, chat = update.effective_user, update.effective_chat
    if user is None or user.is_bot:
        raise ApplicationHandlerStop
    private = chat is None or chat.type == ChatType.PRIVATE
    if chat is not None and not private and (chat.type not in _GROUPS or not _in_group(update)):
        raise ApplicationHandlerStop
    services = context.services
    if update.callback_query and update.callback_query.message is None:  # inline mode: not Vigie's
        language = language_for(user.language_code, services.settings.language)
        await answer(update.callback_query, t(language, "button_expired"), alert=True)
        raise ApplicationHandlerStop
    member = await members.resolve(services.store, services.settings, user.id, user.language_code)
    if member.is_member and (member.profile is None or not member.profile.active):
        # a member's first message (keep their language), or the first since they blocked Vigie
        profile = await members.onboard(services.store, services.settings, member, user.first_name, user.username)
        member = members.Member(member.user_id, member.role, profile.language, profile)
    context.member = member
    if member.is_member:
        services.health.member_seen(user.id)  # someone to tell if Redis goes away
        return
    if private and _is_invitation(update):
        return
    text = t(member.language, "stranger")
    if update.callback_query:
        await answer(update.callback_query, text, alert=True)
    elif private and await team.first_contact(services.store, user.id) and update.effective_message:
        await update.effective_message.reply_text(text)
    raise ApplicationHandlerStop
