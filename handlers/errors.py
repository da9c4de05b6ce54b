"""The error handler: the traceback to the log, one short sentence to the user."""

from __future__ import annotations

import logging

from telegram import Update
from telegram.error import TelegramError

from bot.context import VigieContext
from bot.render.i18n import language_for, t

log = logging.getLogger(__name__)


async def on_error(update: object, context: VigieContext) -> None:
    log.error("error while handling an update", exc_info=context.error)
    if not isinstance(update, Update) or update.effective_chat is None:
        return
    if context.member:
        language = context.member.language
    else:
        code = update.effective_user.language_code if update.effective_user else None
        language = language_for(code, context.services.settings.language)
    if update.callback_query:
        try:
            await update.callback_query.answer(t(language, "error"), show_alert=True)
            return
        except TelegramError:
            pass  # already answered: say it in the chat instead
    try:
        await context.bot.send_message(update.effective_chat.id, t(language, "error"))
    except TelegramError as exc:
        log.warning("could not tell the user about the error: %s", exc)
