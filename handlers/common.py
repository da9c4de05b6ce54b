"""Small helpers shared by handlers: the sender, replies, screens, role checks."""

from __future__ import annotations

import logging

from telegram import CallbackQuery, Update
from telegram.error import BadRequest

from bot.context import VigieContext
from bot.members import Member
from bot.render.i18n import t
from bot.render.menus import Screen
from bot.roles import Role

log = logging.getLogger(__name__)


def member_of(context: VigieContext) -> Member:
    """The sender, resolved by the gatekeeper before any handler runs."""
    assert context.member is not None, "the gatekeeper runs first"
    return context.member


async def reply(update: Update, screen: Screen | str) -> None:
    text, keyboard = (screen, None) if isinstance(screen, str) else screen
    await update.effective_message.reply_text(text, reply_markup=keyboard)


async def show(query: CallbackQuery, screen: Screen) -> None:
    """Replace a message's text and buttons; an identical screen is not an error."""
    text, keyboard = screen
    try:
        await query.edit_message_text(text, reply_markup=keyboard)
    except BadRequest as exc:
        if "not modified" not in exc.message.lower():
            raise


async def allowed(update: Update, context: VigieContext, role: Role) -> bool:
    """True when the sender holds `role` (or higher); otherwise tell them, in their language."""
    member = member_of(context)
    if member.role >= role:
        return True
    text = t(member.language, "owner_only" if role is Role.OWNER else "delegate_only")
    if update.callback_query:
        await update.callback_query.answer(text, show_alert=True)
    else:
        await reply(update, text)
    return False
