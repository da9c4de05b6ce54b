"""One sending budget for every process: Telegram's limits held in Redis, drawn on by every Bot."""

from __future__ import annotations

import asyncio

from redis.asyncio import Redis

from bot.delivery.sender import Sender
from bot.model import Outgoing, Rate
from bot.store import Store, keys
from bot.worker import create_bot
from tests.conftest import OWNER_ID, wait_until

OVERALL = Rate(0.02)  # 50 messages/s: a quick test of the same rules as 30/s
CHAT = Rate(0.2, burst=3)


def _ms(times: list[float]) -> list[int]:
    return sorted(round(t * 1000) for t in times)


async def _send_all(store: Store, chat_ids: list[int], granted: dict[int, list[float]]) -> None:
    for chat_id in chat_ids:
        while not (slot := await store.pacing.take(chat_id, OVERALL, CHAT)).taken:
            await asyncio.sleep(slot.wait)
        granted.setdefault(chat_id, []).append(slot.at + slot.wait)  # when it may be sent


async def test_two_processes_together_never_exceed_the_global_or_a_chats_rate(clean_redis):
    clients = [Redis.from_url(clean_redis, decode_responses=True) for _ in range(2)]  # one per process
    stores = [Store.over(client) for client in clients]
    granted: dict[int, list[float]] = {}
    chats = [1, 2, 3, -100] * 4
    await asyncio.gather(*(_send_all(store, chats, granted) for store in stores for _ in range(2)))
    for client in clients:
        await client.aclose()

    everything = _ms([t for times in granted.values() for t in times])
    assert len(everything) == 4 * len(chats)
    assert all(b - a >= 20 for a, b in zip(everything, everything[1:], strict=False))  # globally 1 per 20 ms
    for times in granted.values():
        times_ms = _ms(times)
        assert len(times_ms) == 16
        # a burst of 3, then one per 200 ms: any 3 + k messages span at least k intervals
        for k in range(1, len(times_ms) - 2):
            assert all(times_ms[i + 2 + k] - times_ms[i] >= 200 * k for i in range(len(times_ms) - 2 - k))


async def test_a_429_pauses_that_chat_for_everyone_and_a_global_one_every_chat(services):
    pacing = services.store.pacing
    until = await pacing.pause(7, 5, CHAT)  # Telegram's retry_after for chat 7
    paused = await pacing.take(7, OVERALL, CHAT)
    assert not paused.taken and _near(paused.at + paused.wait, until)  # the burst does not shorten it
    assert (await pacing.take(8, OVERALL, CHAT)).taken  # another chat goes on
    until = await pacing.pause(None, 3, OVERALL)
    held = await pacing.take(9, OVERALL, CHAT)
    assert not held.taken and _near(held.at + held.wait, until)


def _near(a: float, b: float) -> bool:
    """The same Redis time, to the millisecond (the budget counts in whole milliseconds)."""
    return abs(round(a * 1000) - round(b * 1000)) <= 1


async def test_the_replies_and_the_workers_messages_draw_on_the_shared_budget(bot, tg, services):
    await tg.send_text(tg.user(OWNER_ID), "/help")
    await tg.wait_for_messages(OWNER_ID, 1)
    assert await services.store.redis.exists(keys.pacing_chat(OWNER_ID))  # the reply took a slot
    await wait_until(lambda: _slot_free(services), timeout=20)  # it is forgotten once it no longer matters
    tg.clear(OWNER_ID)
    await services.store.delivery.push(*(Outgoing(OWNER_ID, f"message {n}") for n in range(5)))
    worker_bot = create_bot(services)
    assert worker_bot is not None
    async with worker_bot:
        await Sender(services.store, worker_bot).drain()
    assert await services.store.redis.exists(keys.pacing_chat(OWNER_ID))  # and so did the worker
    messages = await tg.wait_for_messages(OWNER_ID, 5)
    assert [m["text"] for m in messages] == [f"message {n}" for n in range(5)]


async def _slot_free(services) -> bool:
    return not await services.store.redis.exists(keys.pacing_chat(OWNER_ID))


async def test_a_reply_met_by_a_429_waits_it_out_for_that_chat_and_arrives(bot, tg, services):
    tg.fail_next("sendMessage", 429, retry_after=1)
    await tg.send_text(tg.user(OWNER_ID), "/help")
    [reply] = await tg.wait_for_messages(OWNER_ID, 1, timeout=15)
    assert "/watch" in reply["text"]
    assert sum(1 for method, _ in tg.calls if method == "sendMessage") == 2  # refused once, then sent


async def test_replies_and_outbox_messages_to_one_chat_together_stay_within_telegrams_limits(bot, tg, services):
    owner = tg.user(OWNER_ID)
    await tg.send_text(owner, "/start")
    await tg.wait_for_messages(OWNER_ID, 1)
    tg.enforce_limits()  # as Telegram: 429 to what goes over
    await services.store.delivery.push(*(Outgoing(OWNER_ID, f"message {n}") for n in range(6)))
    worker_bot = create_bot(services)
    assert worker_bot is not None
    async with worker_bot:
        stop = asyncio.Event()
        sending = asyncio.create_task(Sender(services.store, worker_bot).run(stop))
        for _ in range(3):
            await tg.send_text(owner, "/help")  # the member writes while the worker sends
        await tg.wait_for_messages(OWNER_ID, 6 + 3, timeout=30)
        stop.set()
        await sending
    assert tg.too_many == 0
