"""The gatekeeper: runs before every handler, resolves the sender, turns strangers away."""

from __future__ import annotations

from telegram import Update
from telegram.constants import ChatType
from telegram.ext import ApplicationHandlerStop

from bot import members
from bot.context import VigieContext
from bot.render.i18n import t
from bot.team import INVITE_PREFIX


def _is_invitation(update: Update) -> bool:
    message = update.message
    return bool(message and message.text and message.text.startswith(f"/start {INVITE_PREFIX}"))


async def gatekeeper(update: Update, context: VigieContext) -> None:
    """Members pass; a stranger is told once that Vigie is by invitation, then ignored."""
    user, chat = update.effective_user, update.effective_chat
    if user is None or user.is_bot or (chat and chat.type != ChatType.PRIVATE):
        raise ApplicationHandlerStop
    services = context.services
    member = await members.resolve(services.store, services.settings, user.id, user.language_code)
    if member.is_member and member.profile is None:  # a member's first message: keep their language
        profile = await members.onboard(services.store, services.settings, member, user.first_name, user.username)
        member = members.Member(member.user_id, member.role, profile.language, profile)
    context.member = member
    if member.is_member or _is_invitation(update):
        return
    text = t(member.language, "stranger")
    if update.callback_query:
        await update.callback_query.answer(text, show_alert=True)
    elif await services.store.team.first_contact(user.id) and update.effective_message:
        await update.effective_message.reply_text(text)
    raise ApplicationHandlerStop
