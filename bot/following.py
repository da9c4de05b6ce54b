"""The X accounts Vigie's account follows for the team, and the third kind of source: their posts.

`/follow @handle` looks the account up (`look_up`: one user read) and offers it; its Follow
button makes Vigie's account follow it on X and adds it to the accounts watched (`follow`);
`/unfollow` and its button do the reverse (`unfollow`). Before X is asked, each of them checks
the credentials (NoAccount), the budget (OverBudget, bot.budget) and a rate limit known from X's
last answers (RateLimited, without asking X); X's own answers are the SourceError family
(bot.sources.x_account). What X bills is counted as it answers.

As a source (`FollowedSource`), each account's new posts are read once per interval
(VIGIE_X_SEARCH_INTERVAL) from its since_id, in user context so that a protected account's posts
come once it accepted, and stored like X search's posts: under FOLLOWED, which every member's
briefing has, and under every watch they match.
"""

from __future__ import annotations

import logging
import re
import time
from collections.abc import Awaitable
from typing import TypeVar

from bot import budget
from bot.members import Member
from bot.model import (
    FOLLOWED,
    X_USERNAME,
    Act,
    Followed,
    Incoming,
    JournalEntry,
    Lease,
    NoAccount,
    NotFound,
    RateLimited,
    SourceError,
    Suspended,
    XUser,
)
from bot.normalize import incoming
from bot.services import Services
from bot.sources.base import SLACK, CycleReport, Keep
from bot.sources.x import MICRO_USD
from bot.sources.x_account import XAccount
from bot.team import display_name
from bot.watches import QueryIndex

log = logging.getLogger(__name__)

T = TypeVar("T")

LOOKUP, FOLLOW, UNFOLLOW, POSTS = "users_by_username", "follow", "unfollow", "user_posts"  # X's endpoints
_HANDLE = re.compile(f"@?({X_USERNAME})")
_PROFILE = re.compile(rf"(?:https?://)?(?:www\.|mobile\.)?(?:x|twitter)\.com/({X_USERNAME})/?(?:[?#].*)?")


def handle(text: str) -> str | None:
    """The X username in what was typed ('@Fnac', 'Fnac', 'https://x.com/Fnac'); None when it
    cannot be one."""
    text = text.strip()
    match = _HANDLE.fullmatch(text) or _PROFILE.fullmatch(text)
    return match.group(1) if match else None


async def _ready(services: Services, endpoint: str, cost: int, now: float, *, budgeted: bool = True) -> XAccount:
    """The account to act with, once the action may be asked of X: credentials, the budget
    (when `budgeted`), and no rate limit known for its endpoint."""
    account = services.x_account
    if account is None:
        raise NoAccount("no X user credentials")
    if budgeted:
        await budget.check(services, cost, now)
    limited = max(await services.store.x.limited_until(endpoint), account.limits.exhausted_until(endpoint))
    if limited > now:
        raise RateLimited(limited, f"{endpoint} rate limited (X's last answer)")
    return account


async def _asked(services: Services, account: XAccount, endpoint: str, call: Awaitable[T]) -> T:
    """X's answer to a request on `endpoint`: the requests X leaves saved, a 429 remembered
    until its reset (for every process)."""
    try:
        return await call
    except RateLimited as exc:
        await services.store.x.set_limited(endpoint, exc.reset_at)
        raise
    finally:
        await services.store.x.save_quota(endpoint, account.limits.seen.get(endpoint))


async def look_up(services: Services, username: str, now: float | None = None) -> XUser:
    """The account `username` as X shows it, offered for following (its Follow button waits an
    hour). NotFound when there is no such account, Suspended when X suspended it."""
    now = now or time.time()
    price = MICRO_USD["user_read"]
    account = await _ready(services, LOOKUP, price, now)
    user = await _asked(services, account, LOOKUP, account.lookup(username))
    await services.store.x.add_cost("user_read", 1, price)
    await services.store.following.offer(user)
    return user


async def follow(services: Services, user_id: str, by: Member, now: float | None = None) -> Followed | None:
    """Follow on X the account offered under `user_id`, and watch it; None when no offer waits
    (expired, or taken by another press). An account watched already is not asked for again.
    FollowLimit when X allows no more follows today; the offer then waits again."""
    now = now or time.time()
    store = services.store
    if (known := await store.following.get(user_id)) is not None:
        return known  # a second press of the same Follow
    price = MICRO_USD["follow"]
    account = await _ready(services, FOLLOW, price, now)
    user = await store.following.take_offer(user_id)
    if user is None:  # expired, or another press has it: followed by now, or on its way
        return await store.following.get(user_id)
    try:
        following = await _asked(services, account, FOLLOW, account.follow(user.id))
    except SourceError:
        await store.following.offer(user)  # Follow may be pressed again
        raise
    await store.x.add_cost("follow", 1, price)
    followed = Followed.of(user, by.user_id, now, pending=not following)
    await store.following.add(followed)
    name = display_name(by.user_id, by.profile)
    result = "pending" if followed.pending else ""
    await store.journal.record(JournalEntry(now, Act.FOLLOWED, by.user_id, name, f"@{user.username}", result, price))
    log.info("following @%s on X%s", user.username, " (request sent: protected)" if followed.pending else "")
    return followed


async def unfollow(services: Services, user_id: str, by: Member, now: float | None = None) -> Followed | None:
    """Stop following the account `user_id` on X and stop watching it; None when it was not
    watched (or another press took it). An account X no longer has is only no longer watched."""
    now = now or time.time()
    store = services.store
    if await store.following.get(user_id) is None:
        return None
    price = MICRO_USD["unfollow"]
    account = await _ready(services, UNFOLLOW, price, now, budgeted=False)  # it stops the reads
    followed = await store.following.take(user_id)
    if followed is None:
        return None
    try:
        await _asked(services, account, UNFOLLOW, account.unfollow(user_id))
        await store.x.add_cost("unfollow", 1, price)
    except (NotFound, Suspended):
        price = 0  # nothing left to unfollow on X
    except SourceError:
        await store.following.add(followed)  # still followed: Unfollow may be pressed again
        raise
    name = display_name(by.user_id, by.profile)
    await store.journal.record(JournalEntry(now, Act.UNFOLLOWED, by.user_id, name, f"@{followed.username}", "", price))
    log.info("no longer following @%s on X", followed.username)
    return followed


class FollowedSource:
    """The accounts followed as a poll source: each due one's new posts, one request per account
    per interval (more only when it posted over a page since), from its since_id; a 429 stops
    them all until X's reset."""

    kind = "x_following"

    def __init__(self, services: Services) -> None:
        self.services = services
        self.store = services.store

    async def poll(self, now: float, index: QueryIndex, lease: Lease, report: CycleReport, keep: Keep) -> None:
        account = self.services.x_account
        if account is None:
            return
        interval = self.services.settings.x_search_interval
        batch: list[Incoming] = []
        for followed in await self.store.following.all():
            if not lease.held:  # another cycle took over: no read is paid twice
                break
            if followed.next_poll > now + SLACK:
                continue
            limited = max(await self.store.x.limited_until(POSTS), account.limits.exhausted_until(POSTS))
            if limited > now:
                log.info("X timelines are rate limited until %s", time.ctime(limited))
                break
            try:
                result = await _asked(
                    self.services, account, POSTS, account.timeline(followed, followed.since_id or None)
                )
            except RateLimited:
                report.x_timelines += 1
                break
            except SourceError as exc:  # not visible yet (protected), gone, suspended, X failing
                report.x_timelines += 1
                if not isinstance(exc, NotFound) or not followed.pending:
                    log.warning("posts of @%s: %s", followed.username, exc)
                await self.store.following.polled(followed.id, followed.since_id, now + interval, followed.pending)
                continue
            report.x_timelines += result.requests
            await budget.charge_reads(self.services, result)
            await self.store.following.polled(followed.id, result.newest_id or "", now + interval, pending=False)
            batch += [incoming(item, index, attached={FOLLOWED}) for item in result.items]
        await keep(batch, "x")
