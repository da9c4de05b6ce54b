"""/briefing and the briefing's buttons: More (a story in detail) and Mute (a watch)."""

from __future__ import annotations

from html import escape

from telegram import Update
from telegram.constants import ChatAction

from bot import members
from bot.context import VigieContext
from bot.morning import briefing_now
from bot.render.briefing import told
from bot.render.i18n import Html, t
from handlers.common import answer, data_of, member_of, message_of, query_of, reply, sender


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


async def briefing_button(update: Update, context: VigieContext) -> None:
    """`brief:more:<briefing>:<n>` and `brief:mute:<watch>`."""
    query, member, store = query_of(update), member_of(context), context.services.store
    lang = member.language
    parts = data_of(query).split(":")
    if parts[1:2] == ["more"] and len(parts) == 4:
        saved = await store.briefings.load(member.user_id, parts[2])
        story = (saved or {}).get(parts[3])
        if story is None:
            await answer(query, t(lang, "brief_expired"), alert=True)
            return
        await answer(query)
        text = t(lang, "brief_more", n=parts[3], text=Html(escape(told(story["sentences"]), quote=False)))
        links = [f'<a href="{escape(url)}">{escape(name)}</a>' for name, url in story["links"]]
        if links:
            text += "\n" + t(lang, "brief_more_links", links=Html(", ".join(links)))
        await reply(update, text)
    elif parts[1:2] == ["mute"] and len(parts) == 3 and (watch := await store.watches.get(parts[2])):
        await store.briefings.mute(member.user_id, watch.id)
        await answer(query)
        await reply(update, t(lang, "brief_muted", name=watch.name))
    else:
        await answer(query, t(lang, "button_expired"), alert=True)
