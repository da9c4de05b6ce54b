"""What is left: unknown commands, plain text."""

from __future__ import annotations

from telegram import Update

from bot.context import VigieContext
from bot.render.i18n import t
from handlers import posting
from handlers.common import member_of, message_of, reply


async def unknown_command(update: Update, context: VigieContext) -> None:
    command = (message_of(update).text or "").split()[0]
    await reply(update, t(member_of(context).language, "unknown_command", command=command[:64]))


async def plain_text(update: Update, context: VigieContext) -> None:
    """A text that was asked for (a post, an edit, a reason), or one that was not."""
    if not await posting.expected_text(update, context):
        await reply(update, t(member_of(context).language, "text_not_understood"))
