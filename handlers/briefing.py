"""/briefing and the briefing's buttons: More (a story in detail), Mute (a watch) and its Undo."""

from __future__ import annotations

from telegram import Update
from telegram.constants import ChatAction

from bot import members
from bot.callbacks import BriefingMore, BriefingMute, BriefingUnmute
from bot.context import VigieContext
from bot.morning import briefing_now
from bot.render.briefing import more_text, muted_screen
from bot.render.i18n import t
from handlers.common import answer, expired, member_of, message_of, query_of, reply, sender, show


async def briefing_command(update: Update, context: VigieContext) -> None:
    """The briefing now, covering everything since the last one."""
    services, user = context.services, sender(update)
    profile = await members.onboard(
        services.store, services.settings, member_of(context), user.first_name, user.username
    )
    message = message_of(update)
    await message.chat.send_action(ChatAction.TYPING)
    messages, keyboard = await briefing_now(services, profile)
    for n, text in enumerate(messages):
        await message.reply_text(text, reply_markup=keyboard if n == len(messages) - 1 else None)


async def more(update: Update, context: VigieContext, pressed: BriefingMore) -> None:
    """A story of a briefing in detail, in a new message."""
    member = member_of(context)
    lang = member.language
    saved = await context.services.store.briefings.load(member.user_id, pressed.briefing_id)
    story = (saved or {}).get(str(pressed.n))
    if story is None:
        await answer(query_of(update), t(lang, "brief_expired"), alert=True)
        return
    await answer(query_of(update))
    zone = member.profile.timezone if member.profile else context.services.settings.timezone
    await reply(update, more_text(lang, pressed.n, story, zone))


async def mute(update: Update, context: VigieContext, pressed: BriefingMute) -> None:
    """A watch left out of this member's briefings."""
    member, store = member_of(context), context.services.store
    if (watch := await store.watches.get(pressed.watch_id)) is None:
        await expired(update, context)
        return
    await store.briefings.mute(member.user_id, watch.id)
    await answer(query_of(update))
    await reply(update, muted_screen(member.language, watch))


async def unmute(update: Update, context: VigieContext, pressed: BriefingUnmute) -> None:
    """Undo of a mute: the watch is back in this member's briefings."""
    member, store = member_of(context), context.services.store
    if (watch := await store.watches.get(pressed.watch_id)) is None:
        await expired(update, context)
        return
    await store.briefings.unmute(member.user_id, watch.id)
    await answer(query_of(update))
    await show(query_of(update), (t(member.language, "brief_unmuted", name=watch.name), None))
