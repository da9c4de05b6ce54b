"""Alerts: `/alert` and `/alerts` (topic alerts), and the crisis alert's buttons: follow its
evolution, pause posting (owners), resume it, draft an answer."""

from __future__ import annotations

import time
from dataclasses import replace

from telegram import InlineKeyboardMarkup as Keyboard
from telegram import Update
from telegram.constants import ChatType

from bot import crisis, watchlist
from bot.callbacks import AlertStop, CrisisFollow, PostingPause, PostingResume
from bot.context import VigieContext
from bot.model import PostingHold, Profile
from bot.render.alerts import alerts_screen, crisis_keyboard, filters_text, hold_line
from bot.render.buttons import button
from bot.render.i18n import Html, plain, t
from bot.render.menus import Screen
from bot.roles import Role
from bot.team import display_name
from bot.topics import FilterError, parse_filters
from handlers.common import allowed, answer, member_of, message_of, query_of, reply, show


async def alert_command(update: Update, context: VigieContext) -> None:
    """`/alert NAME [filters]`, `/alert off NAME`."""
    member, store = member_of(context), context.services.store
    lang = member.language
    words = (message_of(update).text or "").split()[1:]
    off = bool(words) and words[0].lower() in ("off", "stop", "arrêt", "arret")
    here = bool(words) and words[-1].lower() in ("here", "ici")
    if here or message_of(update).chat.type != ChatType.PRIVATE:
        await _cell(update, context, words[1 if off else 0 : -1 if here else None], off)
        return
    try:
        name, filters = parse_filters(words[1:] if off else words)
    except FilterError as exc:
        await reply(update, t(lang, "alert_bad_filter", value=exc.value))
        return
    if not name:
        await reply(update, t(lang, "alert_usage"))
        return
    watch = await watchlist.find(store, name)
    if watch is None:
        await reply(update, t(lang, "watch_unknown", value=name))
    elif off:
        stopped = await store.topics.unsubscribe(member.user_id, watch.id)
        await reply(update, t(lang, "alert_stopped" if stopped else "alert_none", watch=watch.name))
    else:
        subscription = replace(filters, watch_id=watch.id)
        await store.topics.subscribe(member.user_id, subscription)
        profile = member.profile or Profile(member.user_id, lang, context.services.settings.timezone)
        await reply(
            update,
            t(
                lang,
                "alert_started_quiet" if profile.quiet_hours else "alert_started",
                watch=watch.name,
                filters=filters_text(lang, subscription),
                every=profile.alert_every,
                quiet=profile.quiet_hours,
            ),
        )


async def _cell(update: Update, context: VigieContext, words: list[str], off: bool) -> None:
    """`/alert NAME here` in a group (owners): the watch's crisis alerts also go there."""
    member, store = member_of(context), context.services.store
    lang, chat = member.language, message_of(update).chat
    if chat.type == ChatType.PRIVATE:
        await reply(update, t(lang, "cell_private"))
        return
    if not await allowed(update, context, Role.OWNER):
        return
    name = " ".join(words)
    watch = await watchlist.find(store, name) if name else None
    if watch is None:
        await reply(update, t(lang, "cell_usage") if not name else t(lang, "watch_unknown", value=name))
        return
    zone = member.profile.timezone if member.profile else context.services.settings.timezone
    await store.crises.set_cell(watch.id, chat.id, None if off else (lang, zone))
    await reply(update, t(lang, "cell_off" if off else "cell_on", watch=watch.name))


async def alerts_command(update: Update, context: VigieContext) -> None:
    """The chat's topic alerts, each with a button to stop it."""
    await reply(update, await _alerts(context))


async def stop_alert(update: Update, context: VigieContext, pressed: AlertStop) -> None:
    await answer(query_of(update))
    await context.services.store.topics.unsubscribe(member_of(context).user_id, pressed.watch_id)
    await show(query_of(update), await _alerts(context))


async def _alerts(context: VigieContext) -> Screen:
    member, store = member_of(context), context.services.store
    subscriptions = await store.topics.of_chat(member.user_id)
    names = await watchlist.names(store)
    return alerts_screen(member.language, [(names.get(s.watch_id, s.watch_id), s) for s in subscriptions])


async def follow_crisis(update: Update, context: VigieContext, pressed: CrisisFollow) -> None:
    """This chat sees the alert edited as the crisis evolves (or stops seeing it)."""
    member, store = member_of(context), context.services.store
    query = query_of(update)
    [(tracking, message)] = await store.crises.trackings([pressed.watch_id])
    if message is None:
        await answer(query, plain(member.language, "crisis_over_already"), alert=True)
        return
    chat = query.message.chat if query.message else None
    assert chat is not None, "a crisis alert is a message"
    await store.crises.follow(pressed.watch_id, chat.id, pressed.on)
    await answer(query, plain(member.language, "crisis_following" if pressed.on else "crisis_not_following"))
    role = member.role if chat.type == ChatType.PRIVATE else None
    drop = tracking.watching.alerted is crisis.Kind.DROP
    keyboard = crisis_keyboard(member.language, role, pressed.watch_id, following=pressed.on, drop=drop)
    await query.edit_message_reply_markup(Keyboard.de_json(keyboard, context.bot) if keyboard else None)


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
