"""Publishing: a draft's way from its preview to X, exactly once.

The state machine is `bot.model.DraftState`, kept in Redis by `bot.store.posting` (every move
checked atomically). Handlers draft, confirm, approve and undo; the worker sends:

- Confirming a draft (Publish by an owner, Approve) moves it to COOLING with the time its
  cooling-off ends, and enqueues an arq job `publish` deferred to then, its id "post:{draft}"
  (Undo aborts it). The sweep (`sweep`, every 10 s) also takes every draft due: a job lost
  between the move and the enqueue, a sender that died.
- `send` holds the draft's lease while it works. Before each part goes to X it records the
  attempt; a sender that finds an attempt recorded (its predecessor died after the call, or the
  call's answer was lost) first looks for the post among the account's latest posts, and sends
  only when it is not there. A duplicate-content refusal means the same: look it up. So a post
  is sent at most once and, unless cancelled, at least once; the user always ends with the link
  or the reason it failed, in the message that counted down.

The subjects the guardrails warn about are read and edited here too (`/guardrails`): the rules
in bot.guardrails, each change one atomic step in bot.store.posting.
"""

from __future__ import annotations

import logging
import secrets
import time
from dataclasses import replace

from telegram import InlineKeyboardMarkup as Keyboard

from bot import budget, guardrails, jobs, posting
from bot.guardrails import Caution
from bot.members import Member
from bot.model import (
    Act,
    BadStatus,
    Draft,
    DraftState,
    Duplicate,
    Failure,
    Kind,
    Malformed,
    NoAccount,
    NotFound,
    Outgoing,
    OverBudget,
    Priority,
    RateLimited,
    SourceError,
    Unreachable,
)
from bot.render import posting as render
from bot.services import Services
from bot.sources.x import MICRO_USD
from bot.sources.x_account import XAccount, post_kind, post_price
from bot.team import display_name

log = logging.getLogger(__name__)

JOB = "publish"
JOB_TIMEOUT = 120  # a few tries at X; a dead sender's draft is taken over by the sweep
HOLD_AGAIN = 30.0  # a post held by a pause is looked at again this often
CLOCK_SKEW = 60.0  # between this machine's clock and X's
MAX_TRIES = 5  # X unreachable or failing: tries before the post is given up
RECENT = 20  # the account's latest posts read to find a post that may be on X already


def send_lease(services: Services) -> float:
    """A sender's hold on a draft, renewed while it works; a dead one's lapses. Longer than an X
    call can take (VIGIE_X_TIMEOUT): whoever takes over, the last call has ended."""
    return 2.0 * services.settings.x_timeout


def take_over(services: Services) -> float:
    """A draft being sent is looked at again this long after its last try began."""
    return 3.0 * services.settings.x_timeout


def job_id(draft_id: str) -> str:
    return f"post:{draft_id}"


def cooling_of(services: Services, member: Member) -> int:
    """Seconds a post this member confirms waits with its Undo."""
    own = member.profile.cooling_off if member.profile else -1
    return own if own >= 0 else services.settings.cooling_off


async def new_draft(services: Services, member: Member, text: str, targets: tuple[str, ...] = ()) -> Draft:
    """A draft in preview; `targets`: the X posts it may answer or quote."""
    now = time.time()
    name = display_name(member.user_id, member.profile)
    draft = Draft(secrets.token_hex(5), member.user_id, name, text.strip(), now, targets=targets)
    await services.store.posting.create(draft)
    await services.store.journal.record(draft.entry(Act.DRAFTED, member.user_id, name))
    return draft


async def review(services: Services, draft: Draft) -> list[Caution]:
    """The guardrails' warnings about the draft, now."""
    store = services.store
    watches = await store.watches.all()
    trackings = await store.crises.trackings([w.id for w in watches])
    crises = {
        w.name: frozenset(guardrails.words_of(f"{w.name} {w.query}"))
        for w, (_, message) in zip(watches, trackings, strict=True)
        if message is not None
    }
    return guardrails.review(
        draft.text, await subjects(services), await store.posting.recent(), crises, await store.posting.hold()
    )


# -- the subjects the guardrails warn about, as owners edit them (/guardrails) -----------------


async def subjects(services: Services) -> frozenset[str]:
    return _listed(await services.store.posting.subjects())


def _listed(stored: frozenset[str] | None) -> frozenset[str]:
    return guardrails.DEFAULT_SUBJECTS if stored is None else stored


def _kept(subjects: frozenset[str]) -> frozenset[str] | None:
    """None (the defaults, which follow Vigie's list) when the list is the defaults again."""
    return None if subjects == guardrails.DEFAULT_SUBJECTS else subjects


async def add_subjects(services: Services, new: list[str]) -> guardrails.Edit:
    """Add subjects to the list; raises guardrails.SubjectError when it is full."""

    def change(stored: frozenset[str] | None) -> tuple[frozenset[str] | None, guardrails.Edit]:
        subjects, edit = guardrails.add(_listed(stored), new)
        return _kept(subjects), edit

    return await services.store.posting.change_subjects(change)


async def remove_subjects(services: Services, gone: list[str]) -> guardrails.Edit:
    def change(stored: frozenset[str] | None) -> tuple[frozenset[str] | None, guardrails.Edit]:
        subjects, edit = guardrails.remove(_listed(stored), gone)
        return _kept(subjects), edit

    return await services.store.posting.change_subjects(change)


async def reset_subjects(services: Services, seen: str) -> bool:
    """Back to the default subjects, if the list is still the one the owner saw (its
    `guardrails.version`); False when it changed since."""

    def change(stored: frozenset[str] | None) -> tuple[frozenset[str] | None, bool]:
        if guardrails.version(_listed(stored)) != seen:
            return stored, False
        return None, True

    return await services.store.posting.change_subjects(change)


async def confirm(
    services: Services, draft: Draft, by: Member, message_id: int, source: DraftState
) -> tuple[bool, Draft | None]:
    """Start the cooling-off of `draft` (from `source`: PREVIEW for an owner's own post,
    APPROVAL for an approval); the countdown is the message `message_id` in `by`'s chat."""
    now = time.time()
    send_at = now + cooling_of(services, by)
    store = services.store
    moved, current = await store.posting.move(
        draft.id,
        [source],
        DraftState.COOLING,
        due=send_at,
        now=now,
        approver=by.user_id,
        approver_name=display_name(by.user_id, by.profile),
        send_at=send_at,
    )
    if moved:
        await store.delivery.remember(by.user_id, draft.purpose, message_id)
        if source is DraftState.APPROVAL:
            await store.journal.record(draft.entry(Act.APPROVED, by.user_id, display_name(by.user_id, by.profile)))
    return moved, current


async def submit(services: Services, draft: Draft) -> tuple[bool, Draft | None]:
    """A delegate's draft goes to the owners for approval."""
    moved, current = await services.store.posting.move(draft.id, [DraftState.PREVIEW], DraftState.APPROVAL)
    if moved:
        await services.store.journal.record(draft.entry(Act.SUBMITTED, draft.author, draft.author_name))
    return moved, current


async def cancel(services: Services, draft_id: str, by: Member) -> tuple[bool, Draft | None]:
    """A draft dropped from its preview: nothing reaches X."""
    moved, draft = await services.store.posting.move(draft_id, [DraftState.PREVIEW], DraftState.CANCELLED)
    if moved and draft is not None:
        await services.store.journal.record(
            draft.entry(Act.CANCELLED, by.user_id, display_name(by.user_id, by.profile))
        )
    return moved, draft


async def reject(services: Services, draft_id: str, by: Member, reason: str) -> tuple[bool, Draft | None]:
    """An owner rejects a delegate's draft, with the reason its author is told."""
    moved, draft = await services.store.posting.move(
        draft_id, [DraftState.APPROVAL], DraftState.CANCELLED, reason=reason
    )
    if moved and draft is not None:
        name = display_name(by.user_id, by.profile)
        await services.store.journal.record(draft.entry(Act.REJECTED, by.user_id, name, result=reason))
    return moved, draft


async def enqueue(services: Services, draft: Draft) -> None:
    """The arq job that sends `draft` when its cooling-off ends."""
    await jobs.enqueue_at(services, JOB, draft.send_at, job_id(draft.id), draft.id)


async def undo(services: Services, draft_id: str, by: Member) -> tuple[bool, Draft | None]:
    """Cancel a post in its cooling-off: nothing reaches X. (False, draft) when too late."""
    moved, draft = await services.store.posting.move(draft_id, [DraftState.COOLING], DraftState.CANCELLED)
    if moved and draft is not None:
        await jobs.abort(services, job_id(draft_id))
        await services.store.journal.record(draft.entry(Act.UNDONE, by.user_id, display_name(by.user_id, by.profile)))
    return moved, draft


async def delete(services: Services, draft_id: str, by: Member) -> tuple[bool, Draft | None]:
    """Delete what a draft put on X (every part of a thread), one press at a time; a part X no
    longer has counts as deleted. (False, draft) when there is nothing to delete (any more);
    NoAccount or SourceError when X could not be asked or refused (pressing again resumes).
    Never refused for the budget: taking a post down must always be possible."""
    store = services.store
    async with store.system.lease(f"delete:{draft_id}", send_lease(services)) as lease:
        draft = await store.posting.get(draft_id)
        if lease is None or draft is None or draft.state not in (DraftState.SENT, DraftState.FAILED):
            return False, draft  # another press is deleting it, or it is gone
        account = services.x_account
        if account is None:
            raise NoAccount("no X account")
        cost = 0
        for post_id in draft.post_ids:
            try:
                if await account.delete_post(post_id):
                    cost += MICRO_USD["delete"]
                    await store.x.add_cost("delete", 1, MICRO_USD["delete"])
            except NotFound:
                continue  # deleted already
        moved, current = await store.posting.move(draft_id, [DraftState.SENT, DraftState.FAILED], DraftState.DELETED)
        if moved:
            name = display_name(by.user_id, by.profile)
            await store.journal.record(draft.entry(Act.DELETED, by.user_id, name, render.links(draft), cost))
        return moved, current


async def send(services: Services, draft_id: str, now: float | None = None) -> None:
    """Send the draft to X if it is due at `now`, exactly once (see the module's docstring)."""
    store = services.store
    async with store.system.lease(f"post:{draft_id}", send_lease(services)) as lease:
        if lease is None:
            return  # another sender has it
        draft = await store.posting.get(draft_id)
        now = now or time.time()
        if draft is None or draft.state not in (DraftState.COOLING, DraftState.SENDING):
            return
        if draft.state is DraftState.COOLING:
            if draft.send_at > now:
                return  # Undo may still come
            if not await _may_send(services, draft, now):
                return
            moved, current = await store.posting.move(
                draft.id, [DraftState.COOLING], DraftState.SENDING, due=now + take_over(services)
            )
            if not moved or current is None:
                return  # undone meanwhile
            draft = current
        else:
            await store.posting.delay(draft.id, now + take_over(services))
        await _send_parts(services, draft, lease)


async def _may_send(services: Services, draft: Draft, now: float) -> bool:
    """Whether the draft may go now: posting not paused (it waits), the budget not passed, an
    account to post with (it fails, with the reason)."""
    store = services.store
    hold = await store.posting.hold()
    if hold is not None:
        await store.posting.delay(draft.id, now + HOLD_AGAIN)
        language = await language_of(services, draft.approver)
        await store.delivery.push(_countdown(draft, language, now, held=hold.by_name))
        return False
    if services.x_account is None:
        await _give_up(services, draft, "no_account", DraftState.COOLING)
        return False
    try:
        await budget.check(services, cost_of(draft), now)
    except OverBudget as exc:
        await _give_up(services, draft, "budget", DraftState.COOLING, exc.figures)
        return False
    return True


def cost_of(draft: Draft, *, sent_only: bool = False) -> int:
    """What X charges for the draft's posts (micro-dollars; `sent_only`: those on X): a post
    with a link costs more."""
    parts = draft.parts[: len(draft.post_ids)] if sent_only else draft.parts
    return sum(post_price(part) for part in parts)


async def _send_parts(services: Services, draft: Draft, lease) -> None:
    store, x = services.store, services.x_account
    assert x is not None, "checked before SENDING"
    ids = list(draft.post_ids)
    parts = draft.parts
    for n in range(len(ids), len(parts)):
        text = parts[n]
        earlier = await store.posting.attempted(draft.id, n)  # when a sender called X for it, if one did
        try:
            found = await _on_x(services, x, text, earlier) if earlier else None
            if found is None:
                if not lease.held:
                    return  # another sender takes over
                await store.posting.attempt(draft.id, n)
                reply_to = ids[-1] if ids else draft.reply_to
                quote_of = draft.quote_of if n == 0 else ""
                found = await x.create_post(text, reply_to=reply_to or None, quote_of=quote_of or None)
                kind = post_kind(text)
                await store.x.add_cost(kind, 1, MICRO_USD[kind])
        except Duplicate:
            if earlier:  # an earlier call may have posted it and X does not list it yet: look again
                unlisted = Unreachable("X says it has the post, not listed yet")
                await _retry_later(services, draft, unlisted, last_reason="unlisted")
            else:
                await _give_up(services, draft, "duplicate", DraftState.SENDING)
            return
        except (Unreachable, RateLimited, Malformed) as exc:  # it may be on X: looked for next time
            await _retry_later(services, draft, exc)
            return
        except BadStatus as exc:
            if exc.status >= 500:
                await _retry_later(services, draft, exc)
            else:
                await _refused(services, draft, exc)
            return
        except SourceError as exc:
            await _refused(services, draft, exc)
            return
        ids.append(found)
        await store.posting.sent_part(draft.id, tuple(ids))
        draft = replace(draft, post_ids=tuple(ids))  # what is on X, if a later part fails
    done = replace(draft, post_ids=tuple(ids), state=DraftState.SENT)
    entry = done.entry(Act.POSTED, done.approver, done.approver_name, render.links(done), cost_of(done))
    if await store.posting.finish(
        draft.id, DraftState.SENT, await _told(services, done), entry, post_ids=tuple(ids), reason=""
    ):
        await store.posting.remember_sent(draft.text)
        log.info("draft %s is on X: %s", draft.id, ",".join(ids))


async def _on_x(services: Services, x: XAccount, text: str, since: float) -> str | None:
    """The id of the account's post with that text made since `since` (a call's start), if any."""
    recent = await x.recent_posts(RECENT)
    await services.store.x.add_cost("owned_read", len(recent), len(recent) * MICRO_USD["owned_read"])
    for post_id, on_x in recent:
        if posting.posted_at(post_id) >= since - CLOCK_SKEW and posting.same_text(text, on_x):
            return post_id
    return None


async def _retry_later(services: Services, draft: Draft, exc: SourceError, last_reason: str = "unreachable") -> None:
    """Try again later: after X's reset for a rate limit (X answers: not a failed try), else
    after a wait growing with each try, up to MAX_TRIES (then it fails for `last_reason`)."""
    if isinstance(exc, RateLimited):
        log.warning("draft %s: X's rate limit, tried again after its reset", draft.id)
        await services.store.posting.delay(draft.id, max(exc.reset_at, time.time() + 5.0))
        return
    tries = await services.store.posting.tried(draft.id)
    log.warning("draft %s: X did not take it (try %d): %s", draft.id, tries, exc.detail)
    if tries >= MAX_TRIES:
        await _give_up(services, draft, last_reason, DraftState.SENDING)
        return
    await services.store.posting.delay(draft.id, time.time() + 10.0 * tries)


async def _refused(services: Services, draft: Draft, exc: SourceError) -> None:
    """X refused the post: X's words to the log, the reason in codes to the members."""
    log.warning("draft %s: X refused it: %s", draft.id, exc.detail)
    await _give_up(services, draft, "refused", DraftState.SENDING, {"reason": exc.failure})


async def _give_up(
    services: Services, draft: Draft, reason: str, source: DraftState, figures: dict | None = None
) -> None:
    failed = replace(draft, state=DraftState.FAILED, reason=reason)
    messages = await _told(services, failed, figures or {})
    failure = (figures or {}).get("reason")
    why = f"{reason}: {failure.encode()}" if isinstance(failure, Failure) else reason
    entry = failed.entry(Act.FAILED, draft.approver, draft.approver_name, why, cost_of(failed, sent_only=True))
    store = services.store
    moved = await store.posting.finish(draft.id, DraftState.FAILED, messages, entry, reason=reason, source=source)
    if moved:
        log.warning("draft %s failed: %s %s", draft.id, reason, figures or "")


async def _told(services: Services, draft: Draft, figures: dict | None = None) -> list[Outgoing]:
    """The countdown message edited into the outcome, and its author told if someone else
    confirmed it."""
    approver_language = await language_of(services, draft.approver)
    text, keyboard = render.outcome(approver_language, draft, figures or {})
    messages = [Outgoing(draft.approver, text, _dict(keyboard), Kind.EDIT, Priority.APPROVAL, purpose=draft.purpose)]
    if draft.author != draft.approver:
        language = await language_of(services, draft.author)
        text, keyboard = render.outcome(language, draft, figures or {}, author=True)
        messages.append(Outgoing(draft.author, text, _dict(keyboard), priority=Priority.APPROVAL))
    return messages


def _countdown(draft: Draft, language: str, now: float, held: str = "") -> Outgoing:
    text, keyboard = render.countdown(language, draft, now, held=held)
    return Outgoing(draft.approver, text, _dict(keyboard), Kind.EDIT, Priority.APPROVAL, purpose=draft.purpose)


def _dict(keyboard: Keyboard | None) -> dict | None:
    return keyboard.to_dict() if keyboard else None


async def language_of(services: Services, user_id: int) -> str:
    profile = await services.store.users.get(user_id)
    return profile.language if profile else services.settings.language


async def sweep(services: Services, now: float | None = None) -> None:
    """Every 10 s: update the countdowns, expire drafts left alone for a day, then send what is
    due (a lost job, a dead sender: last, so that an X slow to answer holds up nothing else)."""
    now = now or time.time()
    store = services.store
    for draft_id in await store.posting.cooling():
        draft = await store.posting.get(draft_id)
        if draft is not None and draft.state is DraftState.COOLING and draft.send_at > now:
            await store.delivery.push(_countdown(draft, await language_of(services, draft.approver), now))
    for draft_id in await store.posting.stale(now - Draft.TTL):
        moved, draft = await store.posting.move(
            draft_id, [DraftState.PREVIEW, DraftState.APPROVAL], DraftState.CANCELLED, reason="expired"
        )
        if moved and draft is not None:
            await store.journal.record(draft.entry(Act.EXPIRED, 0, "Vigie"))
            language = await language_of(services, draft.author)
            await store.delivery.push(Outgoing(draft.author, render.expired(language, draft)))
    for draft_id in await store.posting.due(now):
        try:
            await send(services, draft_id, now)
        except Exception:  # noqa: BLE001 - one draft must not hold up the others
            log.exception("draft %s: sending failed; it is tried again", draft_id)
