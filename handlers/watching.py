"""/watch and /feed: watches (subjects) and the news feeds that feed them."""

from __future__ import annotations

from dataclasses import replace

from telegram import Update
from telegram.constants import ChatAction

from bot import trends, watchlist
from bot.callbacks import FeedRemove, FeedRemoveConfirm, WatchFollow, WatchRemove, WatchShow, WatchUnfollow
from bot.context import VigieContext
from bot.feeds import add_feed, find_feed, listed_feeds, typed_url
from bot.model import NEWS, QueryRejected, SourceError
from bot.normalize import watch_index
from bot.render import watching as screens
from bot.render.failures import source_error
from bot.render.i18n import t
from bot.roles import Role
from bot.watches import QueryError
from handlers.common import allowed, answer, argument, expired, member_of, message_of, query_of, reply, show


async def watch_command(update: Update, context: VigieContext) -> None:
    """`/watch`, `/watch NAME`, `/watch add NAME QUERY`, `/watch rm|follow|unfollow NAME`,
    `/watch drops NAME on|off`."""
    member, store = member_of(context), context.services.store
    lang = member.language
    text = argument(update)
    action, _, rest = text.partition(" ")
    action = action.lower()
    if not text or action == "list":
        views = await watchlist.overview(store, member.user_id)
        await reply(update, screens.watch_list_screen(lang, views, member.role >= Role.DELEGATE))
    elif action == "add":
        if not await allowed(update, context, Role.DELEGATE):
            return
        name, query = watchlist.split_name(rest)
        if not name or not query:
            await reply(update, t(lang, "watch_usage"))
            return
        if context.services.x is not None:
            await message_of(update).chat.send_action(ChatAction.TYPING)  # X is searched at once
        try:
            added = await watchlist.add(context.services, name, query, member.user_id)
        except QueryError as exc:
            await reply(update, t(lang, exc.key, value=exc.value))
            return
        except QueryRejected as exc:
            await reply(update, screens.query_rejected(lang, exc))
            return
        await reply(update, screens.watch_added_screen(lang, added, context.services.settings.x_search_interval))
    elif action in _DROPS:
        if await allowed(update, context, Role.DELEGATE):
            await _drops(update, context, rest)
    elif action in ("rm", "remove", "follow", "unfollow"):
        watch = await watchlist.find(store, rest) if rest else None
        if not rest:
            await reply(update, t(lang, "watch_which", action=action))
        elif watch is None:
            await reply(update, t(lang, "watch_unknown", value=rest))
        elif action in ("rm", "remove"):
            if await allowed(update, context, Role.DELEGATE):
                followers, feeds = await watchlist.with_it(store, watch)
                await reply(update, screens.watch_remove_screen(lang, watch, followers, feeds))
        elif action == "follow":
            await watchlist.follow(store, member.user_id, watch)
            await reply(update, t(lang, "watch_followed", name=watch.name))
        else:
            await watchlist.unfollow(store, member.user_id, watch)
            await reply(update, t(lang, "watch_unfollowed", name=watch.name))
    else:
        watch = await watchlist.find(store, text)
        if watch is None:
            await reply(update, t(lang, "watch_unknown", value=text) + "\n\n" + t(lang, "watch_usage"))
        else:
            await reply(update, screens.watch_items_screen(lang, watch, await watchlist.latest(store, watch)))


_DROPS = ("drops", "baisses")
_ON = {"on": True, "oui": True, "yes": True, "off": False, "non": False, "no": False}


async def _drops(update: Update, context: VigieContext, words: str) -> None:
    """`/watch drops NAME on|off`: whether an unusual drop of its mentions is alerted too."""
    lang, store = member_of(context).language, context.services.store
    name, _, switch = words.rpartition(" ")
    on = _ON.get(switch.lower())
    name = name if on is not None else words
    watch = await watchlist.find(store, name) if name else None
    if not name:
        await reply(update, t(lang, "watch_which_drops"))
    elif watch is None:
        await reply(update, t(lang, "watch_unknown", value=name))
    elif on is None:
        await reply(update, t(lang, "watch_drops_usage", name=watch.name))
    elif await store.watches.save(replace(watch, drops=on)):
        await reply(update, t(lang, "watch_drops_on" if on else "watch_drops_off", name=watch.name))
    else:
        await reply(update, t(lang, "watch_unknown", value=watch.name))


async def show_watch(update: Update, context: VigieContext, pressed: WatchShow) -> None:
    """A watch's latest items, in a new message."""
    store, lang = context.services.store, member_of(context).language
    if (watch := await store.watches.get(pressed.watch_id)) is None:
        await expired(update, context)
        return
    await answer(query_of(update))
    await reply(update, screens.watch_items_screen(lang, watch, await watchlist.latest(store, watch)))


async def follow(update: Update, context: VigieContext, pressed: WatchFollow | WatchUnfollow) -> None:
    """Follow or unfollow, then the list again."""
    member, store = member_of(context), context.services.store
    if (watch := await store.watches.get(pressed.watch_id)) is None:
        await expired(update, context)
        return
    if isinstance(pressed, WatchFollow):
        await watchlist.follow(store, member.user_id, watch)
    else:
        await watchlist.unfollow(store, member.user_id, watch)
    await answer(query_of(update))
    views = await watchlist.overview(store, member.user_id)
    await show(query_of(update), screens.watch_list_screen(member.language, views, member.role >= Role.DELEGATE))


async def remove_watch(update: Update, context: VigieContext, pressed: WatchRemove) -> None:
    """The confirmation of `/watch rm`."""
    store, lang = context.services.store, member_of(context).language
    if (watch := await store.watches.get(pressed.watch_id)) is None:
        await expired(update, context)
        return
    await watchlist.remove(store, watch)
    await answer(query_of(update))
    await show(query_of(update), (t(lang, "watch_removed", name=watch.name), None))


async def feed_command(update: Update, context: VigieContext) -> None:
    """`/feed`, `/feed add URL [WATCH]`, `/feed rm NUMBER|URL` (`/feed rm` alone: the list and its buttons)."""
    member, services = member_of(context), context.services
    store, lang = services.store, member.language
    args = context.args or []
    action = args[0].lower() if args else "list"
    removing = action in ("rm", "remove")
    if action == "list" or (removing and len(args) == 1):
        if removing and not await allowed(update, context, Role.DELEGATE):
            return
        names = await watchlist.names(store)
        feeds = await listed_feeds(store)
        await reply(update, screens.feed_list_screen(lang, feeds, names, member.role >= Role.DELEGATE))
    elif action == "add" and len(args) >= 2:
        if not await allowed(update, context, Role.DELEGATE):
            return
        target = NEWS
        if len(args) > 2:
            watch = await watchlist.find(store, " ".join(args[2:]))
            if watch is None:
                await reply(update, t(lang, "watch_unknown", value=" ".join(args[2:])))
                return
            target = watch.id
        await message_of(update).chat.send_action(ChatAction.TYPING)  # fetching can take a while
        url = typed_url(args[1])
        tried = url if url != args[1] else ""  # said when the address had no scheme
        try:
            added = await add_feed(services, url, target, member.user_id)
        except SourceError as exc:
            await reply(update, source_error(lang, exc) + screens.tried_line(lang, tried))
            return
        names = await watchlist.names(store)
        await reply(update, screens.feed_added_screen(lang, added, names, tried))
    elif removing and len(args) == 2:
        if not await allowed(update, context, Role.DELEGATE):
            return
        feed = await find_feed(store, args[1])
        if feed is None:
            key = "feed_unknown_number" if args[1].isdecimal() else "feed_unknown"
            await reply(update, t(lang, key, value=args[1]))
            return
        names = await watchlist.names(store)
        await reply(update, screens.feed_remove_screen(lang, feed, names))
    else:
        await reply(update, t(lang, "feed_usage"))


async def ask_feed_removal(update: Update, context: VigieContext, pressed: FeedRemove) -> None:
    """A feed's Remove button: what it takes away, asked once."""
    store, lang = context.services.store, member_of(context).language
    if (feed := await store.feeds.get(pressed.feed_id)) is None:
        await expired(update, context)
        return
    await answer(query_of(update))
    names = await watchlist.names(store)
    await show(query_of(update), screens.feed_remove_screen(lang, feed, names))


async def remove_feed(update: Update, context: VigieContext, pressed: FeedRemoveConfirm) -> None:
    """Remove a feed, then the list again."""
    store, lang = context.services.store, member_of(context).language
    if (feed := await store.feeds.get(pressed.feed_id)) is None:
        await expired(update, context)
        return
    await store.feeds.delete(feed.id)
    await answer(query_of(update))
    names = await watchlist.names(store)
    text, keyboard = screens.feed_list_screen(lang, await listed_feeds(store), names, True)
    await show(query_of(update), (t(lang, "feed_removed", title=feed.title or feed.url) + "\n\n" + text, keyboard))


async def trends_command(update: Update, context: VigieContext) -> None:
    """`/trends [place]`: France by default."""
    member, services = member_of(context), context.services
    lang, place = member.language, " ".join(context.args or [])
    if services.x is None:
        await reply(update, t(lang, "trends_no_x"))
        return
    woeid = trends.place_woeid(place)
    if woeid is None:
        await reply(update, t(lang, "trends_unknown_place", value=place))
        return
    watches = await services.store.watches.all()
    try:
        view = await trends.current(services, woeid, watch_index(watches))
    except SourceError as exc:
        await reply(update, source_error(lang, exc))
        return
    await reply(update, screens.trends_screen(lang, view, {w.id: w.name for w in watches}))
