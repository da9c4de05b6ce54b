"""Button presses end to end: a forged, stale or unknown button is always answered (it never
spins) and changes nothing; a member cannot press their way past their role."""

from __future__ import annotations

import pytest

from bot.callbacks import FeedRemove, TeamGrant, TeamRemove, WatchRemove, encode
from bot.roles import Role
from tests.conftest import OWNER_ID, running_bot

READER_ID = 6060
DELEGATE_ID = 6070
EXPIRED = "Ce bouton n’est plus valable."
MEMBERS = (OWNER_ID, READER_ID, DELEGATE_ID)


@pytest.fixture
async def stocked(settings, tg, feeds):
    """The running bot's services once the owner has a watch and a feed, the team a reader and
    a delegate, and the owner and the reader a /help message to press buttons on."""
    async with running_bot(settings, tg, allowed_feed_hosts=frozenset({feeds.host})) as running:
        await running.services.store.team.grant(READER_ID, Role.READER)
        await running.services.store.team.grant(DELEGATE_ID, Role.DELEGATE)
        owner = tg.user(OWNER_ID)
        for command in ("/watch add Fnac fnac", f"/feed add {feeds.feed_url('/rss-sample.xml')}"):
            await tg.send_text(owner, command)
            await tg.wait_for_messages(OWNER_ID, 1)
        for user in (owner, tg.user(READER_ID)):
            await tg.send_text(user, "/help")
            await tg.wait_for_messages(user["id"], 1)
        yield running.services


async def _state(services) -> tuple:
    store = services.store
    return (
        await store.watches.all(),
        await store.feeds.all(),
        await store.team.members(),
        [await store.watches.followed(u) for u in MEMBERS],
        [await store.briefings.muted(u) for u in MEMBERS],
        [await store.users.get(u) for u in MEMBERS],
    )


async def _press(tg, user_id: int, data: str) -> dict:
    """Press a button with `data` on the user's /help message; the answer."""
    [message] = [m for m in tg.messages(user_id) if m["text"].startswith("Commandes")]
    return await tg.wait_for_answer(await tg.press_data(tg.user(user_id), message["message_id"], data))


async def test_forged_and_unknown_buttons_are_answered_and_change_nothing(tg, stocked):
    [feed] = await stocked.store.feeds.all()
    assert [w.id for w in await stocked.store.watches.all()] == ["fnac"]
    before, messages = await _state(stocked), tg.messages(OWNER_ID)
    for data in (
        "zzz:1",
        "watch:zzz:fnac",  # an action that does not exist, on a watch that does
        "watch:follow:fnac:again",
        "watch:rm:fnac:x",
        f"feed:zzz:{feed.id}",
        f"feed:rm:x:{feed.id}",
        "brief:mute:fnac:x",
        f"team:rm:{READER_ID}:x",
        f"team:grant:owner:{READER_ID}",
        "team:invite:king",
        "set:lang:en:x",
        "set:days:١٢٣",
        "set:hour:٧",
        "watch:show:" + "a" * 60,
    ):
        answer = await _press(tg, OWNER_ID, data)
        assert (answer["text"], answer["show_alert"]) == (EXPIRED, True), data
    assert await _state(stocked) == before
    assert tg.messages(OWNER_ID) == messages  # nothing sent, nothing edited


async def test_a_reader_cannot_press_a_button_above_their_role(tg, stocked):
    [feed] = await stocked.store.feeds.all()
    before, messages = await _state(stocked), tg.messages(READER_ID)
    for pressed, refusal in [
        (WatchRemove("fnac"), "Cette action est réservée aux propriétaires et aux délégués."),
        (FeedRemove(feed.id), "Cette action est réservée aux propriétaires et aux délégués."),
        (TeamGrant(Role.DELEGATE, READER_ID), "Cette action est réservée aux propriétaires."),
        (TeamRemove(DELEGATE_ID), "Cette action est réservée aux propriétaires."),
    ]:
        answer = await _press(tg, READER_ID, encode(pressed))
        assert (answer["text"], answer["show_alert"]) == (refusal, True), pressed
    assert await _state(stocked) == before
    assert tg.messages(READER_ID) == messages
