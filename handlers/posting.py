"""/post and its buttons: preview, thread, edit, cancel, publish (owners) or send for approval
(delegates), approve and reject (owners), undo, delete. The state machine is in bot.publishing;
every press is checked against the sender's role and the draft's state in Redis."""

from __future__ import annotations

from telegram import Message, MessageEntity, Update
from telegram.constants import ChatType

from bot import callbacks as cb
from bot import posting, publishing
from bot.context import VigieContext
from bot.model import Draft, DraftState, Kind, NoAccount, Outgoing, Priority, SourceError
from bot.render import posting as render
from bot.render.i18n import plain, t
from bot.roles import Role
from bot.team import display_name
from handlers.common import allowed, answer, member_of, message_of, query_of, reply, show

MAX_DRAFT = 2000  # characters: a thread of 8 posts at most, its preview well within a message


async def post_command(update: Update, context: VigieContext) -> None:
    """`/post TEXT`, or `/post` alone and the text next; in reply to a message (an alert, a
    briefing), its X posts are offered to answer or quote."""
    member = member_of(context)
    message = await _drafting_in(update, context, message_of(update))
    if message is None:
        return
    replied = message.reply_to_message
    from_vigie = replied is not None and replied.from_user is not None and replied.from_user.id == context.bot.id
    targets = _x_posts(replied) if replied is not None and from_vigie else ()  # an alert's, a briefing's
    words = (message.text or "").split(None, 1)
    if len(words) < 2:
        await _ask_text(context, targets)
        await reply(update, t(member.language, "post_ask_text"))
        return
    await _new(update, context, words[1], targets)


async def _drafting_in(update: Update, context: VigieContext, message: object) -> Message | None:
    """`message`, when a post may be drafted from it: in a private chat, with Vigie's X account
    configured; else None, and the member is told why not."""
    language = member_of(context).language
    if not isinstance(message, Message) or message.chat.type != ChatType.PRIVATE:
        await reply(update, t(language, "post_private_only"))
    elif context.services.x_account is None:
        await reply(update, t(language, "post_no_account"))
    else:
        return message
    return None


async def draft_answer(update: Update, context: VigieContext, pressed: cb.CrisisDraft) -> None:
    """✍️ on a crisis alert: the answer's text is asked next; the alert's X posts are offered to
    answer or quote."""
    member = member_of(context)
    query = query_of(update)
    await answer(query)
    message = await _drafting_in(update, context, query.message)
    if message is None:
        return
    await _ask_text(context, _x_posts(message))
    await reply(update, t(member.language, "post_ask_answer"))


def _x_posts(message: Message) -> tuple[str, ...]:
    """The X posts a message links to (its text's or caption's links)."""
    entities = {**message.parse_entities(), **message.parse_caption_entities()}
    urls = [
        entity.url if entity.type == MessageEntity.TEXT_LINK else text
        for entity, text in entities.items()
        if entity.type in (MessageEntity.TEXT_LINK, MessageEntity.URL)
    ]
    return posting.x_posts_in(url for url in urls if url)


async def _ask_text(context: VigieContext, targets: tuple[str, ...]) -> None:
    """Take the member's next message as a post's text (about `targets`)."""
    await context.services.store.posting.expect(member_of(context).user_id, " ".join(["post:", *targets]).rstrip())


async def expected_text(update: Update, context: VigieContext) -> bool:
    """The member's text when one was asked for: a post, an edit, a rejection's reason. False
    when none was."""
    member, store = member_of(context), context.services.store
    expected = await store.posting.expected(member.user_id)
    text = (message_of(update).text or "").strip()
    if expected is None or not text:
        return False
    what, _, rest = expected.partition(":")
    if what == "post" and await allowed(update, context, Role.DELEGATE):
        await _new(update, context, text, tuple(rest.split()))
    elif what == "edit" and await allowed(update, context, Role.DELEGATE):
        await _edited(update, context, rest, text)
    elif what == "reject" and await allowed(update, context, Role.OWNER):
        await _rejected(update, context, rest, text)
    return True


async def _new(update: Update, context: VigieContext, text: str, targets: tuple[str, ...] = ()) -> None:
    services, member = context.services, member_of(context)
    if await _too_long(update, context, text):
        return
    draft = await publishing.new_draft(services, member, text, targets)
    await _preview(update, context, draft)


async def _too_long(update: Update, context: VigieContext, text: str) -> bool:
    """Past MAX_DRAFT, the text is refused with the reason."""
    if len(text) <= MAX_DRAFT:
        return False
    await reply(update, t(member_of(context).language, "post_way_too_long", n=len(text), max=MAX_DRAFT))
    return True


async def _preview(update: Update, context: VigieContext, draft: Draft) -> None:
    member = member_of(context)
    cautions = await publishing.review(context.services, draft)
    await reply(update, render.preview(member.language, draft, cautions, member.role >= Role.OWNER))


async def _edited(update: Update, context: VigieContext, draft_id: str, text: str) -> None:
    """New text for a draft: its author's (in preview), or an owner's taking over a delegate's
    draft waiting for approval. It goes through the preview again."""
    member, store = member_of(context), context.services.store
    owner = member.role >= Role.OWNER
    sources = [DraftState.PREVIEW, DraftState.APPROVAL] if owner else [DraftState.PREVIEW]
    draft = await store.posting.get(draft_id)
    if draft is None or not draft.may_act(member.user_id, owner):
        await reply(update, t(member.language, "post_not_yours"))
        return
    if await _too_long(update, context, text):
        return
    moved, current = await store.posting.move(draft_id, sources, DraftState.PREVIEW, text=text, thread=False)
    if not moved or current is None:
        await reply(update, _gone(member.language, current))
        return
    await _preview(update, context, current)


async def _rejected(update: Update, context: VigieContext, draft_id: str, reason: str) -> None:
    member, store = member_of(context), context.services.store
    moved, draft = await publishing.reject(context.services, draft_id, member, reason)
    if not moved or draft is None:
        await reply(update, _gone(member.language, draft))
        return
    name = display_name(member.user_id, member.profile)
    language = await publishing.language_of(context.services, draft.author)
    told = t(language, "draft_rejected_author", name=name, reason=reason) + "\n\n" + render.body(language, draft)
    await store.delivery.push(Outgoing(draft.author, told, priority=Priority.APPROVAL))
    await reply(update, t(member.language, "draft_rejected", author=draft.author_name))


def _gone(language: str, draft: Draft | None) -> str:
    state = plain(language, f"state_{draft.state.value}") if draft else plain(language, "state_cancelled")
    return t(language, "post_gone", state=state)


async def _draft(update: Update, context: VigieContext, draft_id: str, *states: DraftState) -> Draft | None:
    """The draft a button is about, if it is in one of `states` and the presser may act on it;
    otherwise the press is answered with why not."""
    member = member_of(context)
    draft = await context.services.store.posting.get(draft_id)
    if draft is None or draft.state not in states:
        await answer(query_of(update), _gone(member.language, draft), alert=True)
        return None
    if not draft.may_act(member.user_id, member.role >= Role.OWNER):
        await answer(query_of(update), plain(member.language, "post_not_yours"), alert=True)
        return None
    return draft


async def thread(update: Update, context: VigieContext, pressed: cb.PostThread) -> None:
    member, store = member_of(context), context.services.store
    if await _draft(update, context, pressed.draft_id, DraftState.PREVIEW) is None:
        return
    moved, draft = await store.posting.move(pressed.draft_id, [DraftState.PREVIEW], DraftState.PREVIEW, thread=True)
    await answer(query_of(update))
    if moved and draft is not None:
        cautions = await publishing.review(context.services, draft)
        await show(query_of(update), render.preview(member.language, draft, cautions, member.role >= Role.OWNER))


async def about(update: Update, context: VigieContext, pressed: cb.PostAbout) -> None:
    """Answer or quote one of the draft's X posts (pressed again: a post of its own)."""
    member, store = member_of(context), context.services.store
    draft = await _draft(update, context, pressed.draft_id, DraftState.PREVIEW)
    if draft is None:
        return
    aimed = draft.aimed_at(pressed.target, pressed.quote)
    await answer(query_of(update))
    if aimed is None:
        return
    reply_to, quote_of = aimed
    moved, current = await store.posting.move(
        draft.id, [DraftState.PREVIEW], DraftState.PREVIEW, reply_to=reply_to, quote_of=quote_of
    )
    if moved and current is not None:
        cautions = await publishing.review(context.services, current)
        await show(query_of(update), render.preview(member.language, current, cautions, member.role >= Role.OWNER))


async def edit(update: Update, context: VigieContext, pressed: cb.PostEdit) -> None:
    member = member_of(context)
    states = (DraftState.PREVIEW, DraftState.APPROVAL) if member.role >= Role.OWNER else (DraftState.PREVIEW,)
    if await _draft(update, context, pressed.draft_id, *states) is None:
        return
    await context.services.store.posting.expect(member.user_id, f"edit:{pressed.draft_id}")
    await answer(query_of(update))
    await reply(update, t(member.language, "post_ask_edit"))


async def cancel(update: Update, context: VigieContext, pressed: cb.PostCancel) -> None:
    member = member_of(context)
    if await _draft(update, context, pressed.draft_id, DraftState.PREVIEW) is None:
        return
    moved, draft = await publishing.cancel(context.services, pressed.draft_id, member)
    await answer(query_of(update))
    await show(
        query_of(update), (t(member.language, "post_cancelled") if moved else _gone(member.language, draft), None)
    )


async def publish(update: Update, context: VigieContext, pressed: cb.PostPublish) -> None:
    """An owner's Publish starts the cooling-off; a delegate's sends the draft to the owners.
    With warnings, they are shown again and confirmed first."""
    services, member = context.services, member_of(context)
    draft = await _draft(update, context, pressed.draft_id, DraftState.PREVIEW)
    if draft is None:
        return
    query = query_of(update)
    owner = member.role >= Role.OWNER
    if not pressed.sure and (cautions := await publishing.review(services, draft)):
        await answer(query)
        await show(query, render.preview(member.language, draft, cautions, owner, asking=True))
        return
    if owner:
        await _start(update, context, draft, DraftState.PREVIEW)
        return
    moved, current = await publishing.submit(services, draft)
    await answer(query)
    if not moved or current is None:
        await show(query, (_gone(member.language, current), None))
        return
    await _ask_owners(context, current)
    await show(query, (t(member.language, "post_submitted") + "\n\n" + render.body(member.language, current), None))


async def _ask_owners(context: VigieContext, draft: Draft) -> None:
    services = context.services
    cautions = await publishing.review(services, draft)
    owners = sorted(services.settings.owner_ids - {draft.author})
    messages = []
    for owner_id in owners:
        text, keyboard = render.approval(await publishing.language_of(services, owner_id), draft, cautions)
        messages.append(Outgoing(owner_id, text, keyboard.to_dict(), priority=Priority.APPROVAL, purpose=_asked(draft)))
    await services.store.delivery.push(*messages)


def _asked(draft: Draft) -> str:
    return f"approve:{draft.id}"


async def _start(update: Update, context: VigieContext, draft: Draft, source: DraftState) -> bool:
    """The cooling-off of `draft`, counting down in the pressed message; False if it moved."""
    services, member = context.services, member_of(context)
    query = query_of(update)
    if query.message is None or query.message.chat.id != member.user_id:  # a forged press elsewhere
        await answer(query, plain(member.language, "post_private_only"), alert=True)
        return False
    moved, current = await publishing.confirm(services, draft, member, query.message.message_id, source)
    await answer(query)
    if not moved or current is None:
        await show(query, (_gone(member.language, current), None))
        return False
    text, keyboard = render.countdown(member.language, current, current.updated)
    await show(query, (text, keyboard))
    await publishing.enqueue(services, current)
    return True


async def _awaiting_approval(update: Update, context: VigieContext, draft_id: str) -> Draft | None:
    """The draft an Approve or Reject is about, if it waits for approval and the presser may
    decide (an owner, not its author); otherwise the press is answered with why not."""
    member = member_of(context)
    draft = await context.services.store.posting.get(draft_id)
    if draft is None or draft.state is not DraftState.APPROVAL:
        await answer(query_of(update), _gone(member.language, draft), alert=True)
        return None
    if not draft.may_approve(member.user_id, member.role >= Role.OWNER):
        await answer(query_of(update), plain(member.language, "draft_own"), alert=True)
        return None
    return draft


async def approve(update: Update, context: VigieContext, pressed: cb.DraftApprove) -> None:
    services, member = context.services, member_of(context)
    draft = await _awaiting_approval(update, context, pressed.draft_id)
    if draft is None:
        return
    if not await _start(update, context, draft, DraftState.APPROVAL):
        return
    name = display_name(member.user_id, member.profile)
    seconds = publishing.cooling_of(services, member)
    language = await publishing.language_of(services, draft.author)
    told = [
        Outgoing(
            draft.author, t(language, "draft_approved_author", name=name, seconds=seconds), priority=Priority.APPROVAL
        )
    ]
    for owner_id in sorted(services.settings.owner_ids - {draft.author, member.user_id}):
        text = t(await publishing.language_of(services, owner_id), "draft_approved_other", name=name)
        told.append(Outgoing(owner_id, text, kind=Kind.EDIT, priority=Priority.APPROVAL, purpose=_asked(draft)))
    await services.store.delivery.push(*told)


async def reject(update: Update, context: VigieContext, pressed: cb.DraftReject) -> None:
    member, store = member_of(context), context.services.store
    draft = await _awaiting_approval(update, context, pressed.draft_id)
    if draft is None:
        return
    await store.posting.expect(member.user_id, f"reject:{draft.id}")
    await answer(query_of(update))
    await reply(update, t(member.language, "draft_reject_ask", author=draft.author_name))


async def undo(update: Update, context: VigieContext, pressed: cb.PostUndo) -> None:
    """Undo in time: nothing reaches X. Too late: the post can be deleted."""
    member = member_of(context)
    draft = await _draft(update, context, pressed.draft_id, *DraftState)
    if draft is None:
        return
    moved, current = await publishing.undo(context.services, draft.id, member)
    query = query_of(update)
    if moved and current is not None:  # edited through the queue, after the countdowns queued before
        await answer(query)
        text = t(member.language, "post_undone") + "\n\n" + render.body(member.language, current)
        edit = Outgoing(current.approver, text, kind=Kind.EDIT, priority=Priority.APPROVAL, purpose=current.purpose)
        await context.services.store.delivery.push(edit)
    elif current is not None and current.state in (DraftState.SENDING, DraftState.SENT):
        await answer(query, plain(member.language, "post_too_late"), alert=True)
    else:
        await answer(query, _gone(member.language, current), alert=True)


async def delete(update: Update, context: VigieContext, pressed: cb.PostDelete) -> None:
    """Delete a sent post (every part of a thread) from X."""
    services, member = context.services, member_of(context)
    draft = await _draft(update, context, pressed.draft_id, DraftState.SENT, DraftState.FAILED)
    if draft is None:
        return
    query = query_of(update)
    try:
        deleted, current = await publishing.delete(services, draft.id, member)
    except (SourceError, NoAccount) as exc:
        await answer(query)
        await reply(update, render.delete_failed(member.language, exc))
        return
    if not deleted:
        await answer(query, _gone(member.language, current), alert=True)
        return
    await answer(query)
    await show(query, (t(member.language, "post_deleted") + "\n\n" + render.body(member.language, draft), None))
