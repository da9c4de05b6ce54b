"""/status (owners): how Vigie is doing."""

from __future__ import annotations

from telegram import Update

from bot.context import VigieContext
from bot.render.status import status_screen
from bot.status import snapshot
from handlers.common import member_of, reply


async def status_command(update: Update, context: VigieContext) -> None:
    await reply(update, status_screen(member_of(context).language, await snapshot(context.services.store)))
