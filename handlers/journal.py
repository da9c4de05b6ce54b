"""/journal (owners): what Vigie did on X for the team."""

from __future__ import annotations

from telegram import Update

from bot.context import VigieContext
from bot.render.i18n import t
from bot.render.journal import journal_text
from handlers.common import argument, member_of, reply

SHOWN, MOST = 20, 100  # entries by default, and at most


async def journal_command(update: Update, context: VigieContext) -> None:
    """`/journal`, or `/journal N` for the latest N entries."""
    member = member_of(context)
    typed = argument(update)
    count = int(typed) if typed.isdecimal() else SHOWN if not typed else 0
    if not 1 <= count <= MOST:
        await reply(update, t(member.language, "journal_usage", max=MOST))
        return
    zone = member.profile.timezone if member.profile else context.services.settings.timezone
    entries = await context.services.store.journal.latest(count)
    await reply(
        update, journal_text(member.language, zone, entries)
    )  # several messages when long (bot.delivery.fitting)
