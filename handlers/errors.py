"""The error handler: the traceback to the log, one short sentence to the user, and the update
stops there (no later handler runs on a half-handled update).

A Redis outage is not a bug: the update is marked interrupted so that its receiver handles it
again once Redis is back, and the user hears at most once per outage that Vigie is back soon.
"""

from __future__ import annotations

import logging

from telegram import Update
from telegram.error import TelegramError
from telegram.ext import ApplicationHandlerStop

from bot.context import VigieContext
from bot.outage import is_outage
from bot.render.i18n import language_for, t

log = logging.getLogger(__name__)


async def on_error(update: object, context: VigieContext) -> None:
    error = context.error
    if isinstance(update, Update) and error is not None and is_outage(error):
        health = context.services.health
        health.failed(error)
        health.interrupted(update.update_id)
        await health.tell(context.bot, update)
        raise ApplicationHandlerStop
    log.error("error while handling an update", exc_info=error)
    if isinstance(update, Update) and (chat := update.effective_chat) is not None:
        await _apologize(update, context, chat.id)
    raise ApplicationHandlerStop


async def _apologize(update: Update, context: VigieContext, chat_id: int) -> None:
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
        await context.bot.send_message(chat_id, t(language, "error"))
    except TelegramError as exc:
        log.warning("could not tell the user about the error: %s", exc)
