"""Receiving updates: nothing confirmed before it is handled; the webhook checks its secret."""

from __future__ import annotations

import asyncio
import socket

import aiohttp
import pytest

from bot.services import open_services
from tests.conftest import OWNER_ID, RunningBot


async def test_polling_confirms_an_update_only_after_handling_it(bot, tg):
    await tg.send_text(tg.user(OWNER_ID), "/start")
    await tg.wait_for_messages(OWNER_ID, 1)
    await bot.stop()
    calls = [(method, params.get("offset")) for method, params in tg.calls]
    reply = calls.index(("sendMessage", None))
    confirmations = [i for i, (method, offset) in enumerate(calls) if method == "getUpdates" and offset]
    assert confirmations and min(confirmations) > reply


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
