"""The crisis alert's buttons: pause posting (owners), resume it, draft an answer."""

from __future__ import annotations

import time

from telegram import InlineKeyboardMarkup as Keyboard
from telegram import Update

from bot.callbacks import CrisisDraft, PostingPause, PostingResume
from bot.context import VigieContext
from bot.model import PostingHold
from bot.render.alerts import hold_line
from bot.render.buttons import button
from bot.render.i18n import Html, plain, t
from bot.team import display_name
from handlers.common import answer, member_of, query_of, reply


async def pause_posting(update: Update, context: VigieContext, pressed: PostingPause) -> None:
    """Every post waits until an owner resumes; shown in /status."""
    member, store = member_of(context), context.services.store
    watch = await store.watches.get(pressed.watch_id)
    name = display_name(member.user_id, member.profile)
    hold = PostingHold(member.user_id, name, time.time(), watch.name if watch else "")
    await answer(query_of(update))
    resume = Keyboard([[button(plain(member.language, "posting_resume_button"), PostingResume())]])
    if await store.posting.pause(hold):
        await reply(update, (t(member.language, "posting_paused"), resume))
    elif (held := await store.posting.hold()) is not None:
        await reply(
            update, (t(member.language, "posting_already_paused", held=Html(hold_line(member.language, held))), resume)
        )


async def resume_posting(update: Update, context: VigieContext, pressed: PostingResume) -> None:
    member = member_of(context)
    await answer(query_of(update))
    resumed = await context.services.store.posting.resume()
    await reply(update, t(member.language, "posting_resumed" if resumed else "posting_not_paused"))


async def draft_answer(update: Update, context: VigieContext, pressed: CrisisDraft) -> None:
    """Drafting comes with posting from Vigie, which does not exist yet: say so."""
    await answer(query_of(update))
    await reply(update, t(member_of(context).language, "crisis_draft_unavailable"))
