"""Builds the python-telegram-bot Application: the one place handlers are registered, in order."""

from __future__ import annotations

import logging

from redis.exceptions import RedisError
from telegram import BotCommand, BotCommandScopeChat, LinkPreviewOptions, Update
from telegram.constants import ParseMode
from telegram.error import TelegramError
from telegram.ext import (
    Application,
    ApplicationBuilder,
    CallbackQueryHandler,
    CommandHandler,
    ContextTypes,
    Defaults,
    MessageHandler,
    TypeHandler,
    filters,
)
from telegram.request import BaseRequest

from bot.context import SERVICES_KEY, VigieContext
from bot.delivery.fitting import FittingBot
from bot.delivery.limiter import SharedRateLimiter
from bot.render.i18n import CATALOGS
from bot.render.menus import command_description
from bot.roles import Role
from bot.services import Services
from handlers import access, buttons, errors, fallback, team
from handlers.commands import COMMANDS, commands_for

log = logging.getLogger(__name__)

GATEKEEPER_GROUP = -1
# A reply that meets Telegram's flood control waits `retry_after` and is sent, this many times.
REPLY_RETRIES = 10


def build_application(services: Services, *, token: str, request: BaseRequest | None = None) -> Application:
    """The Application, pointed at `TELEGRAM_API_URL` and paced by the shared budget (or at
    `request`, for the console, unpaced: nothing reaches Telegram); its bot splits or cuts what
    is too long for Telegram (bot.delivery.fitting)."""
    api = services.settings.telegram_api_url
    defaults = Defaults(parse_mode=ParseMode.HTML, link_preview_options=LinkPreviewOptions(is_disabled=True))
    if request is None:
        limiter = SharedRateLimiter(services.store, services.settings.telegram_rate, REPLY_RETRIES)
        bot = FittingBot.pooled(
            token, base_url=f"{api}/bot", base_file_url=f"{api}/file/bot", defaults=defaults, rate_limiter=limiter
        )
    else:
        bot = FittingBot(token, defaults=defaults, request=request, get_updates_request=request)
    application = (
        ApplicationBuilder()
        .bot(bot)
        .context_types(ContextTypes(context=VigieContext))
        .updater(None)  # bot.receive confirms updates only once handled
        .build()
    )
    application.bot_data[SERVICES_KEY] = services
    register_handlers(application)
    return application


def register_handlers(application: Application) -> None:
    application.add_handler(TypeHandler(Update, access.gatekeeper), group=GATEKEEPER_GROUP)
    application.add_handlers([CommandHandler(c.name, c.run) for c in COMMANDS])
    application.add_handlers(
        [
            CallbackQueryHandler(buttons.on_button),
            MessageHandler(filters.FORWARDED & filters.ChatType.PRIVATE, team.forwarded),
            MessageHandler(filters.COMMAND, fallback.unknown_command),
            MessageHandler(filters.UpdateType.MESSAGE, fallback.plain_text),
        ]
    )
    application.add_error_handler(errors.on_error)


def _menu(language: str, role: Role) -> list[BotCommand]:
    return [BotCommand(c.name, command_description(language, c.name)) for c in commands_for(role)]


async def register_commands(application: Application) -> None:
    """The command menu in French and English: members' commands for all, more for owners."""
    services: Services = application.bot_data[SERVICES_KEY]
    bot = application.bot
    default = services.settings.language
    try:
        await bot.set_my_commands(_menu(default, Role.READER))
        for language in CATALOGS:
            await bot.set_my_commands(_menu(language, Role.READER), language_code=language)
    except TelegramError as exc:
        log.warning("could not register the command menu: %s", exc)
        return
    for owner_id in sorted(services.settings.owner_ids):
        try:
            profile = await services.store.users.get(owner_id)
        except RedisError as exc:  # an outage: the owner menu in the default language
            log.warning("owner profile unavailable (%s)", exc)
            profile = None
        language = profile.language if profile else default
        try:
            await bot.set_my_commands(_menu(language, Role.OWNER), scope=BotCommandScopeChat(owner_id))
        except TelegramError as exc:  # an owner who never opened the bot has no chat yet
            log.info("owner menu not set for %s: %s", owner_id, exc)
