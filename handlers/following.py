"""/follow and /unfollow (owners, in a private chat) and their buttons. bot.following does the
work; every press is checked against the presser's role in Redis (handlers.buttons) and the
account's state there, never against what the button carries."""

from __future__ import annotations

from telegram import Update
from telegram.constants import ChatAction, ChatType

from bot import callbacks as cb
from bot import following
from bot.context import VigieContext
from bot.model import NoAccount, OverBudget, SourceError
from bot.render import following as render
from bot.render.i18n import plain, t
from handlers.common import answer, argument, member_of, message_of, query_of, reply, show

REFUSED = (NoAccount, OverBudget, SourceError)


async def _typed(update: Update, context: VigieContext) -> str | None:
    """What follows the command, in a private chat; None (told why) elsewhere."""
    message = message_of(update)
    if message.chat.type != ChatType.PRIVATE:
        await reply(update, t(member_of(context).language, "follow_private_only"))
        return None
    return argument(update)


async def follow_command(update: Update, context: VigieContext) -> None:
    """`/follow @handle`: the account as X shows it, to confirm; `/follow` alone: the accounts
    followed."""
    services, lang = context.services, member_of(context).language
    typed = await _typed(update, context)
    if typed is None:
        return
    if not typed:
        await reply(update, render.accounts(lang, await services.store.following.all()))
        return
    username = following.handle(typed)
    if username is None:
        await reply(update, render.usage(lang, typed))
        return
    if (known := await services.store.following.find(username)) is not None:
        await reply(update, render.followed(lang, known, already=True))
        return
    await message_of(update).chat.send_action(ChatAction.TYPING)
    try:
        user = await following.look_up(services, username)
    except REFUSED as exc:
        await reply(update, render.refusal(lang, exc, "look_up", username))
        return
    await reply(update, render.offer(lang, user))


async def unfollow_command(update: Update, context: VigieContext) -> None:
    """`/unfollow @handle`: to confirm; alone: the accounts followed, each with its button."""
    store, lang = context.services.store, member_of(context).language
    typed = await _typed(update, context)
    if typed is None:
        return
    if not typed:
        await reply(update, render.accounts(lang, await store.following.all()))
        return
    username = following.handle(typed)
    if username is None:
        await reply(update, render.usage(lang, typed, "unfollow"))
        return
    known = await store.following.find(username)
    if known is None:
        await reply(update, t(lang, "unfollow_unknown", username=username))
        return
    await reply(update, render.unfollow_offer(lang, known))


async def _in_private(update: Update, context: VigieContext) -> bool:
    """A press in the presser's own private chat; one elsewhere (forged in a group) is refused."""
    query, member = query_of(update), member_of(context)
    if query.message is None or query.message.chat.id != member.user_id:
        await answer(query, plain(member.language, "follow_private_only"), alert=True)
        return False
    return True


async def confirm_follow(update: Update, context: VigieContext, pressed: cb.FollowConfirm) -> None:
    """Follow: Vigie's account follows it on X, and it is watched."""
    member, query = member_of(context), query_of(update)
    if not await _in_private(update, context):
        return
    try:
        followed = await following.follow(context.services, pressed.user_id, member)
    except REFUSED as exc:  # the card keeps its buttons: Follow may be pressed again
        await reply(update, render.refusal(member.language, exc, "follow"))
    else:
        text = t(member.language, "follow_expired") if followed is None else render.followed(member.language, followed)
        await show(query, (text, None))
    await answer(query)  # last: once answered, the press has done all it does


async def cancel(update: Update, context: VigieContext, pressed: cb.FollowCancel) -> None:
    """Cancel a follow or an unfollow: nothing reaches X."""
    await context.services.store.following.take_offer(pressed.user_id)
    await show(query_of(update), (t(member_of(context).language, "follow_cancelled"), None))
    await answer(query_of(update))


async def ask_unfollow(update: Update, context: VigieContext, pressed: cb.UnfollowAsk) -> None:
    """An Unfollow button of the list: the confirmation, in its place."""
    lang, query = member_of(context).language, query_of(update)
    known = await context.services.store.following.get(pressed.user_id)
    if known is None:
        await answer(query, plain(lang, "unfollow_gone"), alert=True)
        return
    await show(query, render.unfollow_offer(lang, known))
    await answer(query)


async def confirm_unfollow(update: Update, context: VigieContext, pressed: cb.UnfollowConfirm) -> None:
    """Unfollow: Vigie's account unfollows it on X, and it is no longer watched."""
    member, query = member_of(context), query_of(update)
    lang = member.language
    if not await _in_private(update, context):
        return
    try:
        gone = await following.unfollow(context.services, pressed.user_id, member)
    except REFUSED as exc:
        await reply(update, render.refusal(lang, exc, "unfollow"))
        await answer(query)
        return
    if gone is None:
        await answer(query, plain(lang, "unfollow_gone"), alert=True)
        return
    await show(query, (t(lang, "unfollow_done", username=gone.username), None))
    await answer(query)
