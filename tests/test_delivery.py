"""Delivery: per-chat queues sent by any number of senders within Telegram's limits, nothing lost."""

from __future__ import annotations

import asyncio
import contextlib
import struct
import zlib
from collections.abc import AsyncIterator
from dataclasses import replace

import pytest
from redis.asyncio import Redis

from bot.delivery.sender import Sender
from bot.model import Kind, Outgoing, Priority
from bot.morning import send_briefing
from bot.ops import metrics_text
from bot.render.html import CAPTION, MESSAGE, parts, split_html, visible_length
from bot.roles import Role
from bot.services import Services
from bot.status import snapshot
from bot.store import Store
from bot.worker import create_bot
from tests.conftest import OWNER_ID, wait_until
from tests.fakes.telegram import FakeTelegram, Limits, parse_html

ALICE, BOB, CLAIRE = 710001, 710002, 710003
GROUP = -1007100


def _png() -> bytes:
    """A real 1x1 PNG, as a chart would be."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(b"\0\0\0\0")) + chunk(b"IEND", b"")
    )


async def _chats(tg: FakeTelegram, *user_ids: int) -> None:
    for user_id in user_ids:
        await tg.send_text(tg.user(user_id), "bonjour")  # the chat exists


@contextlib.asynccontextmanager
async def senders(services: Services, count: int = 1, rate: float = 30, **options: float) -> AsyncIterator[list[Store]]:
    """`count` senders, each with its own Redis client and Bot, as separate processes would be,
    configured for a global `rate` of messages per second."""
    settings = services.settings.model_copy(update={"telegram_rate": rate})
    stop = asyncio.Event()
    clients = [Redis.from_url(services.store.url, decode_responses=True) for _ in range(count)]
    stores = [Store.over(client, services.store.url) for client in clients]
    bots = [create_bot(replace(services, store=store, settings=settings)) for store in stores]
    tasks = [
        asyncio.create_task(Sender(store, bot, **options).run(stop)) for store, bot in zip(stores, bots, strict=True)
    ]
    try:
        yield stores
    finally:
        stop.set()
        await asyncio.gather(*tasks)
        for bot, client in zip(bots, clients, strict=True):
            await bot.shutdown()
            await client.aclose()


def _texts(tg: FakeTelegram, chat_id: int) -> list[str]:
    return [m.get("text") or m.get("caption") or "" for m in tg.messages(chat_id)]


def _sent_to(tg: FakeTelegram) -> list[int]:
    """The chats of the messages Telegram took, in the order it took them."""
    return [params["chat_id"] for method, params in tg.calls if method in ("sendMessage", "sendPhoto")]


# -- splitting ---------------------------------------------------------------------------------


def _long_text(paragraphs: int) -> str:
    return "\n\n".join(
        f"<b>Titre {n}</b> — "
        + " ".join(f"mot{n}é{j}" for j in range(n * 7 % 180 + 5))
        + ' <a href="https://example.com/?a=1&amp;b=2">la source &amp; plus</a> 🚀'
        for n in range(paragraphs)
    )


@pytest.mark.parametrize("limit", [MESSAGE, CAPTION, 300])
def test_a_long_text_becomes_valid_messages_that_keep_every_word_and_link(limit):
    text = _long_text(120)
    pieces = split_html(text, limit)
    assert len(pieces) > 1
    plain = [parse_html(piece) for piece in pieces]  # each is valid HTML for Telegram
    assert all(len(body.encode("utf-16-le")) // 2 <= limit for body, _ in plain)
    assert all(visible_length(piece) <= limit for piece in pieces)
    whole, _ = parse_html(text)
    assert " ".join(body for body, _ in plain).split() == whole.split()  # nothing lost, nothing added
    links = sum(1 for _, entities in plain for e in entities if e["type"] == "text_link")
    assert links >= 120  # every link kept (one cut inside a link makes two)


def test_a_word_longer_than_a_message_is_cut_and_tags_reopen():
    pieces = split_html("<i>" + "a" * 2500 + "</i>", 1000)
    assert [parse_html(piece)[0] for piece in pieces] == ["a" * 1000, "a" * 1000, "a" * 500]
    assert all(
        parse_html(piece)[1] == [{"type": "italic", "offset": 0, "length": len(parse_html(piece)[0])}]
        for piece in pieces
    )


def test_buttons_and_purpose_go_with_the_last_part_and_a_long_caption_goes_on_as_text():
    keyboard = {"inline_keyboard": [[{"text": "OK", "callback_data": "x"}]]}
    text = _long_text(60)
    message = Outgoing(ALICE, text, keyboard, purpose="alert:1")
    split = parts(message)
    assert len(split) > 1 and [m.keyboard for m in split[:-1]] == [None] * (len(split) - 1)
    assert split[-1].keyboard == keyboard and split[-1].purpose == "alert:1"
    photo = parts(Outgoing(ALICE, text, keyboard, kind=Kind.PHOTO, photo="file-1"))
    assert photo[0].kind is Kind.PHOTO and visible_length(photo[0].text) <= CAPTION
    assert {m.kind for m in photo[1:]} == {Kind.TEXT} and photo[-1].keyboard == keyboard
    assert parts(Outgoing(ALICE, "court")) == [Outgoing(ALICE, "court")]
    edit = parts(Outgoing(ALICE, text, kind=Kind.EDIT, purpose="alert:1"))
    assert len(edit) == 1 and visible_length(edit[0].text) <= MESSAGE and edit[0].text.endswith("…")


# -- sending -----------------------------------------------------------------------------------


async def test_every_message_arrives_in_order_by_priority_with_no_429(services, tg):
    await _chats(tg, ALICE, BOB, CLAIRE)
    tg.enforce_limits(Limits())  # as Telegram: a 429 to anything over the limits
    briefings = [Outgoing(chat, f"briefing {n}") for chat in (ALICE, BOB) for n in range(4)]
    await services.store.delivery.push(*briefings)
    await services.store.delivery.push(
        Outgoing(ALICE, "crise", priority=Priority.CRISIS), Outgoing(CLAIRE, "alerte", priority=Priority.ALERT)
    )
    async with senders(services):
        await wait_until(lambda: len(tg.messages(ALICE)) == 5 and len(tg.messages(BOB)) == 4, timeout=30)
        await wait_until(lambda: len(tg.messages(CLAIRE)) == 1, timeout=30)
    assert _texts(tg, ALICE) == ["crise"] + [f"briefing {n}" for n in range(4)]  # the crisis first
    assert _texts(tg, BOB) == [f"briefing {n}" for n in range(4)]
    assert tg.too_many == 0
    assert await services.store.delivery.idle()
    assert (await services.store.delivery.stats())["sent"] == 10


async def test_a_crisis_goes_out_before_the_briefings_of_other_chats(services, tg):
    await _chats(tg, ALICE, BOB, CLAIRE)
    await services.store.delivery.push(Outgoing(ALICE, "briefing"), Outgoing(BOB, "briefing"))
    await services.store.delivery.push(Outgoing(CLAIRE, "crise", priority=Priority.CRISIS))
    async with senders(services, concurrency=1):
        await wait_until(lambda: all(len(tg.messages(c)) == 1 for c in (ALICE, BOB, CLAIRE)), timeout=20)
    assert _sent_to(tg)[:3] == [CLAIRE, ALICE, BOB]


async def test_a_429_sets_that_chat_aside_for_its_retry_after_while_others_go_on(services, tg):
    await _chats(tg, ALICE, BOB)
    tg.fail_next("sendMessage", 429, retry_after=2)
    await services.store.delivery.push(Outgoing(ALICE, "un"), Outgoing(ALICE, "deux"))
    await services.store.delivery.push(Outgoing(BOB, "pour Bob"))
    async with senders(services, concurrency=1):
        await wait_until(lambda: len(tg.messages(ALICE)) == 2 and len(tg.messages(BOB)) == 1, timeout=20)
    assert _texts(tg, ALICE) == ["un", "deux"]  # refused once, then sent, in order
    assert _sent_to(tg) == [ALICE, BOB, ALICE, ALICE]  # Bob did not wait for Alice's pause
    stats = await services.store.delivery.stats()
    assert stats["too_many"] == 1 and stats["sent"] == 3


async def test_a_member_who_blocked_the_bot_is_dropped_and_marked_inactive_until_they_write(bot, tg, services):
    await services.store.team.grant(ALICE, Role.READER)
    alice = tg.user(ALICE)
    await tg.send_text(alice, "/start")
    await tg.wait_for_messages(ALICE, 1)
    tg.block(alice)
    await services.store.delivery.push(*(Outgoing(ALICE, f"message {n}") for n in range(3)))
    async with senders(services):
        await wait_until(services.store.delivery.idle, timeout=20)
    assert await services.store.delivery.waiting(ALICE) == []
    assert (await services.store.delivery.stats())["dropped"] == 3
    profile = await services.store.users.get(ALICE)
    assert profile is not None and not profile.active
    due = await services.store.briefings.next_due(ALICE)
    assert due is not None and not await send_briefing(services, ALICE, due)  # no briefing is composed
    assert await services.store.briefings.next_due(ALICE) is None
    await tg.send_text(alice, "/aide")  # writing again unblocks the bot
    await tg.wait_for_messages(ALICE, 1)
    profile = await services.store.users.get(ALICE)
    assert profile is not None and profile.active
    assert await services.store.briefings.next_due(ALICE) is not None


async def test_a_group_that_removed_the_bot_is_dropped(services, tg):
    tg.group(GROUP)
    tg.kick(GROUP)
    await services.store.delivery.push(Outgoing(GROUP, "alerte", priority=Priority.CRISIS))
    async with senders(services):
        await wait_until(services.store.delivery.idle, timeout=20)
    assert (await services.store.delivery.stats())["dropped"] == 1


async def test_server_errors_are_retried_with_backoff_then_recorded_as_failed(services, tg):
    await _chats(tg, ALICE)
    tg.fail_next("sendMessage", 502, times=2)
    await services.store.delivery.push(Outgoing(ALICE, "tenace"))
    async with senders(services, backoff=0.1):
        await wait_until(lambda: len(tg.messages(ALICE)) == 1, timeout=20)
        tg.fail_next("sendMessage", 500, times=5)
        await services.store.delivery.push(Outgoing(ALICE, "perdu ?"))
        await wait_until(services.store.delivery.idle, timeout=20)
    assert _texts(tg, ALICE) == ["tenace"]
    [failure] = await services.store.delivery.failures()
    assert failure["message"]["text"] == "perdu ?" and failure["reason"]
    stats = await services.store.delivery.stats()
    assert stats["retried"] == 2 + 4 and stats["failed"] == 1 and stats["sent"] == 1


async def test_a_message_telegram_refuses_is_recorded_and_the_next_one_goes_on(services, tg):
    await _chats(tg, ALICE)
    await services.store.delivery.push(Outgoing(ALICE, "<b>mal fermé"), Outgoing(ALICE, "la suite"))
    async with senders(services):
        await wait_until(services.store.delivery.idle, timeout=20)
    assert _texts(tg, ALICE) == ["la suite"]
    [failure] = await services.store.delivery.failures()
    assert "can't parse entities" in failure["reason"].lower()


async def test_a_photo_is_uploaded_once_then_an_edit_and_a_delete_reach_their_messages(services, tg):
    await _chats(tg, ALICE, BOB)
    chart = await services.store.delivery.keep_blob(_png())
    keyboard = {"inline_keyboard": [[{"text": "Suivre", "callback_data": "follow"}]]}
    await services.store.delivery.push(
        Outgoing(ALICE, "<b>Pic</b> de mentions", kind=Kind.PHOTO, photo=chart, purpose="chart"),
        Outgoing(ALICE, "1 240 mentions", keyboard, purpose="alert"),
    )
    async with senders(services):
        await wait_until(lambda: len(tg.messages(ALICE)) == 2, timeout=20)
        await services.store.delivery.push(Outgoing(BOB, "Pic", kind=Kind.PHOTO, photo=chart))
        await wait_until(lambda: len(tg.messages(BOB)) == 1, timeout=20)
        await services.store.delivery.push(
            Outgoing(ALICE, "2 480 mentions", kind=Kind.EDIT, purpose="alert"),
            Outgoing(ALICE, kind=Kind.DELETE, purpose="chart"),
        )
        await wait_until(lambda: len(tg.messages(ALICE)) == 1 and tg.messages(ALICE)[0]["edited"], timeout=20)
    [alert] = tg.messages(ALICE)  # the photo was deleted, the alert edited
    assert alert["text"] == "2 480 mentions"
    uploads = [params["photo"] for method, params in tg.calls if method == "sendPhoto"]
    assert isinstance(uploads[0], dict) and isinstance(uploads[1], str)  # the second send reuses the file id
    assert await services.store.delivery.message_id(ALICE, "alert") == alert["message_id"]


async def test_two_senders_together_keep_to_the_limits_and_send_each_message_once(services, tg):
    chats = [ALICE, BOB, CLAIRE]
    await _chats(tg, *chats)
    tg.group(GROUP)
    tg.enforce_limits(Limits(per_second=10))
    for chat in chats:
        await services.store.delivery.push(*(Outgoing(chat, f"{chat} {n}") for n in range(6)))
    await services.store.delivery.push(*(Outgoing(GROUP, f"groupe {n}") for n in range(4)))
    async with senders(services, count=2, rate=10):
        await wait_until(lambda: all(len(tg.messages(c)) == 6 for c in chats) and len(tg.messages(GROUP)) == 4, 60)
    assert tg.too_many == 0
    for chat in chats:
        assert _texts(tg, chat) == [f"{chat} {n}" for n in range(6)]
    assert _texts(tg, GROUP) == [f"groupe {n}" for n in range(4)]


async def test_status_shows_owners_the_queues_what_was_sent_and_failed_and_who_is_running(bot, tg, services):
    await _chats(tg, ALICE)
    await services.store.delivery.push(Outgoing(ALICE, "envoyé"), Outgoing(ALICE, "<b>refusé"))
    async with senders(services):
        await wait_until(services.store.delivery.idle, timeout=20)
    await services.store.delivery.push(*(Outgoing(BOB, f"briefing {n}") for n in range(3)))  # Bob's chat is gone
    owner = tg.user(OWNER_ID, language_code="en")
    await tg.send_text(owner, "/status")
    *_, status = await tg.wait_for_messages(OWNER_ID, 1)
    assert "Waiting: crises 0 · approvals 0 · briefings 3 · alerts 0 (oldest: just now)" in status["text"]
    assert "Today: 1 sent" in status["text"] and "1 failed" in status["text"]
    assert "Redis:" in status["text"] and "X: today 0 reads and 0 actions ($0.00)" in status["text"]
    metrics = metrics_text(await snapshot(services.store)).decode()  # what /metrics says
    assert 'vigie_messages_total{outcome="sent"} 1.0' in metrics
    assert 'vigie_messages_total{outcome="failed"} 1.0' in metrics
    assert 'vigie_queue_depth{priority="briefing"} 3.0' in metrics
    assert "vigie_send_lateness_seconds_count" in metrics
    await services.store.team.grant(ALICE, Role.READER)
    await tg.send_text(tg.user(ALICE), "/status")
    *_, refused = await tg.wait_for_messages(ALICE, 1)
    assert "Waiting" not in refused["text"] and "attente" not in refused["text"]
