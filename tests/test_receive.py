"""Receiving updates: nothing confirmed before it is handled; the webhook checks its secret."""

from __future__ import annotations

import asyncio
import socket

import aiohttp
import pytest
from pydantic import SecretStr

from bot.roles import Role
from bot.services import open_services
from tests.conftest import OWNER_ID, RunningBot, running_bot, wait_until
from tests.fakes.feeds import FakeFeeds
from tests.faultkit import RedisServer

READER_ID = 5050
SECRET = "X-Telegram-Bot-Api-Secret-Token"


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
    await wait_until(lambda: _nothing_pending(slow_bot))


async def _nothing_pending(running: RunningBot) -> bool:
    return await running.services.store.updates.pending() == []


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


async def test_webhook_handles_updates_that_carry_the_secret(webhook_bot, tg, services):
    [(_, registered)] = [call for call in tg.calls if call[0] == "setWebhook"]
    assert registered["url"].endswith("/tg/hook")
    secret = registered["secret_token"]
    assert len(secret) >= 32
    message = await tg.send_text(tg.user(OWNER_ID), "/help")
    update = {"update_id": 10, "message": message}
    hook = f"{webhook_bot}/tg/hook"
    async with aiohttp.ClientSession() as http:
        async with http.post(hook, json=update, headers={SECRET: "wrong"}) as response:
            assert response.status == 403
        async with http.post(hook, data=b"{not json", headers={SECRET: secret}) as response:
            assert response.status == 400
        async with http.post(hook, json=update, headers={SECRET: secret}) as response:
            assert response.status == 200
            # Answered only once handled: the reply is already there.
            assert [m["text"] for m in tg.messages(OWNER_ID)][0].startswith("Commandes de Vigie")
        async with http.post(hook, json=update, headers={SECRET: secret}) as response:
            assert response.status == 200  # Telegram sent it again (no 200 seen): not handled twice
    assert len(tg.messages(OWNER_ID)) == 1


async def test_webhook_refuses_malformed_calls_without_a_server_error(webhook_bot, tg):
    [(_, registered)] = [call for call in tg.calls if call[0] == "setWebhook"]
    secret = registered["secret_token"]
    hook = f"{webhook_bot}/tg/hook"
    async with aiohttp.ClientSession() as http:
        for body in (b"[1, 2]", b'"text"', b"42", b"null", b'{"update_id": "x"}', b"\xff\xfe"):
            async with http.post(hook, data=body, headers={SECRET: secret}) as response:
                assert response.status == 400, body
        async with http.post(
            hook, data=b"{}", headers={SECRET: "\u00e9t\u00e9".encode("latin-1").decode("utf-8", "replace")}
        ) as response:
            assert response.status == 403
    # A raw header that is not UTF-8 at all.
    reader, writer = await asyncio.open_connection("127.0.0.1", int(webhook_bot.rsplit(":", 1)[1]))
    writer.write(
        b"POST /tg/hook HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\n"
        + SECRET.encode()
        + b": \xe9\xff\xfe\r\nConnection: close\r\n\r\n{}"
    )
    await writer.drain()
    status_line = await reader.readline()
    writer.close()
    assert status_line.split()[1] == b"403"
    assert tg.messages(OWNER_ID) == []


async def test_healthz_reports_a_missing_worker(webhook_bot, services):
    async with aiohttp.ClientSession() as http:
        async with http.get(f"{webhook_bot}/healthz") as response:
            assert response.status == 503
            assert "worker" in await response.text()
        await services.store.system.beat()
        async with http.get(f"{webhook_bot}/healthz") as response:
            assert response.status == 200
            assert await response.text() == "ok"


@pytest.fixture
async def slower_feeds():
    async with FakeFeeds(latency=6.0) as server:  # time enough to stop Redis while it answers
        yield server


@pytest.fixture
async def own_redis(tmp_path):
    server = RedisServer(tmp_path / "redis")
    server.start()
    yield server
    server.stop()


async def test_a_chat_is_still_answered_after_redis_failed_during_one_of_its_updates(
    settings, tg, slower_feeds, own_redis
):
    changes = {"redis_url": SecretStr(own_redis.url), "allowed_feed_hosts": frozenset({slower_feeds.host})}
    async with running_bot(settings, tg, **changes):
        owner = tg.user(OWNER_ID)
        await tg.send_text(owner, f"/feed add {slower_feeds.feed_url('/rss-sample.xml')}")
        await wait_until(lambda: slower_feeds.count("/rss-sample.xml") == 1)
        own_redis.stop()  # the feed answers in 6 s: the handler then meets a Redis that is gone
        [notice] = await tg.wait_for_messages(OWNER_ID, 1, timeout=15)
        assert notice["text"].startswith("Un incident technique me ralentit")
        own_redis.start()
        [added] = await tg.wait_for_messages(OWNER_ID, 1, timeout=30)  # handled again, to the end
        assert added["text"].startswith("Flux ajouté")
        await tg.send_text(owner, "/help")
        [answer] = await tg.wait_for_messages(OWNER_ID, 1, timeout=15)
        assert answer["text"].startswith("Commandes de Vigie")
