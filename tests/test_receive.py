"""Receiving updates: nothing confirmed before it is handled; the webhook checks its secret."""

from __future__ import annotations

import asyncio
import socket

import aiohttp
import pytest

from bot.roles import Role
from bot.services import open_services
from tests.conftest import OWNER_ID, RunningBot, running_bot, wait_until
from tests.fakes.feeds import FakeFeeds

READER_ID = 5050


@pytest.fixture
async def slow_feeds():
    async with FakeFeeds(latency=2.0) as server:  # every feed takes 2 s to answer
        yield server


@pytest.fixture
async def slow_bot(settings, tg, slow_feeds):
    async with running_bot(settings, tg, allowed_feed_hosts=frozenset({slow_feeds.host})) as running:
        yield running


async def test_a_slow_command_delays_only_its_own_chat(slow_bot, tg, slow_feeds):
    await slow_bot.services.store.team.grant(READER_ID, Role.READER)
    await tg.send_text(tg.user(OWNER_ID), f"/feed add {slow_feeds.feed_url('/rss-sample.xml')}")
    await tg.send_text(tg.user(READER_ID), "/help")
    [help_text] = await tg.wait_for_messages(READER_ID, 1)
    assert tg.messages(OWNER_ID) == []  # the feed is still being fetched: the reader did not wait
    [added] = await tg.wait_for_messages(OWNER_ID, 1)
    assert help_text["text"].startswith("Commandes de Vigie") and added["text"].startswith("Flux ajouté")


async def test_an_update_cut_short_by_a_crash_is_handled_after_restart(slow_bot, tg, slow_feeds):
    await tg.send_text(tg.user(OWNER_ID), f"/feed add {slow_feeds.feed_url('/rss-sample.xml')}")
    await wait_until(lambda: slow_feeds.count("/rss-sample.xml") == 1)
    await slow_bot.crash()  # killed while fetching the feed: no answer was sent
    assert tg.messages(OWNER_ID) == []
    await slow_bot.start()
    [added] = await tg.wait_for_messages(OWNER_ID, 1, timeout=10)
    assert added["text"].startswith("Flux ajouté")
    assert await slow_bot.services.store.pending_updates.all() == []


async def test_a_restart_does_not_handle_an_update_twice(bot, tg):
    owner = tg.user(OWNER_ID)
    await tg.send_text(owner, "/start")
    await tg.wait_for_messages(OWNER_ID, 1)
    await bot.stop()
    await bot.start()
    await tg.send_text(owner, "/help")
    [answer] = await tg.wait_for_messages(OWNER_ID, 1)
    assert answer["text"].startswith("Commandes de Vigie")
    await asyncio.sleep(0.3)
    assert len(tg.messages(OWNER_ID)) == 2


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
async def webhook_bot(settings, tg):
    port = _free_port()
    hooked = settings.model_copy(
        # Telegram calls the public https URL; a TLS proxy forwards to PORT on this machine.
        update={"webhook_url": "https://vigie.example.com/tg/hook", "port": port, "webhook_secret": None}
    )
    async with open_services(hooked) as services:
        running = RunningBot(services, tg)
        await running.start()
        yield f"http://127.0.0.1:{port}"
        await running.stop()


async def test_webhook_handles_updates_that_carry_the_secret(webhook_bot, tg):
    [(_, registered)] = [call for call in tg.calls if call[0] == "setWebhook"]
    assert registered["url"].endswith("/tg/hook")
    secret = registered["secret_token"]
    assert len(secret) >= 32
    message = await tg.send_text(tg.user(OWNER_ID), "/help")
    update = {"update_id": 10, "message": message}
    async with aiohttp.ClientSession() as http:
        async with http.post(f"{webhook_bot}/tg/hook", json=update, headers={"X-Telegram-Bot-Api-Secret-Token": "wrong"}) as response:
            assert response.status == 403
        async with http.post(f"{webhook_bot}/tg/hook", data=b"{not json", headers={"X-Telegram-Bot-Api-Secret-Token": secret}) as response:
            assert response.status == 400
        async with http.post(f"{webhook_bot}/tg/hook", json=update, headers={"X-Telegram-Bot-Api-Secret-Token": secret}) as response:
            assert response.status == 200
            # Answered only once handled: the reply is already there.
            assert [m["text"] for m in tg.messages(OWNER_ID)][0].startswith("Commandes de Vigie")
        async with http.get(f"{webhook_bot}/healthz") as response:
            assert response.status == 200
    assert len(tg.messages(OWNER_ID)) == 1
