"""Small helpers shared by handlers: the sender, what the update carries, replies, screens, role checks."""

from __future__ import annotations

import logging

from telegram import CallbackQuery, Message, Update, User
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


def sender(update: Update) -> User:
    """The Telegram user who sent the update (the gatekeeper lets none through without one)."""
    user = update.effective_user
    assert user is not None, "the gatekeeper runs first"
    return user


def message_of(update: Update) -> Message:
    """The message of a command, a text or a button press (every handler is registered for one)."""
    message = update.effective_message
    assert message is not None, "registered for updates that carry a message"
    return message


def argument(update: Update) -> str:
    """What follows the command in the message (`/watch add Fnac fnac` -> "add Fnac fnac")."""
    return (message_of(update).text or "").partition(" ")[2].strip()


def query_of(update: Update) -> CallbackQuery:
    """The button press of an update a CallbackQueryHandler routed here."""
    query = update.callback_query
    assert query is not None, "registered for button presses"
    return query


async def answer(query: CallbackQuery, text: str | None = None, *, alert: bool = False) -> None:
    """Answer a button press. Too late to answer (a press handled again after an outage) is not
    an error: what the button does still happens."""
    try:
        await query.answer(text, show_alert=alert)
    except BadRequest as exc:
        if "query is too old" not in exc.message.lower():
            raise
        log.info("a button press was answered too late: %s", exc.message)


async def expired(update: Update, context: VigieContext) -> None:
    """The answer to a button that no longer means anything (stale, unknown or forged)."""
    await answer(query_of(update), t(member_of(context).language, "button_expired"), alert=True)


async def reply(update: Update, screen: Screen | str) -> None:
    text, keyboard = (screen, None) if isinstance(screen, str) else screen
    await message_of(update).reply_text(text, reply_markup=keyboard)


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
        await answer(update.callback_query, text, alert=True)
    else:
        await reply(update, text)
    return False
