"""Fault scenarios, with real processes: Vigie (`python -m bot ...`), a real redis-server that
the scenario stops, restarts or fills up, and the local Bot API server. Each returns a report
of what users saw; tests/test_faults.py asserts on it, bench/faults.py prints its figures.

Users send numbered commands (/c0001, /c0002, ...); the bot answers each with a sentence that
names it, so every answer is traced to its update: lost = commands never answered, duplicates =
answers beyond the first.
"""

from __future__ import annotations

import asyncio
import functools
import itertools
import json
import re
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import aiohttp
from redis.asyncio import Redis as AsyncRedis

from bot.model import Outgoing
from bot.render.i18n import t
from bot.store import Store, keys
from tests.conftest import wait_until
from tests.fakes.telegram import FakeTelegram
from tests.faultkit import RedisServer, Vigie, env_for, free_port, redis_server, running, secrets_in

BACK_SOON = t("fr", "back_soon")
SORRY = t("fr", "error")
_COMMAND = re.compile(r"/c\d{4}\b")
SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"


class Traffic:
    """Numbered commands from a set of users, and the answers each one got."""

    def __init__(self, tg: FakeTelegram, user_ids: list[int]) -> None:
        self.tg = tg
        self.users = [tg.user(user_id, f"User{user_id}") for user_id in user_ids]
        self.sent: list[str] = []
        self._numbers = itertools.count(1)
        self._turn = itertools.cycle(self.users)

    async def send(self, count: int = 1) -> None:
        for _ in range(count):
            command = f"/c{next(self._numbers):04d}"
            self.sent.append(command)
            await self.tg.send_text(next(self._turn), command)

    def _texts(self) -> list[tuple[int, str]]:
        return [(user["id"], m.get("text", "")) for user in self.users for m in self.tg.messages(user["id"])]

    def answers(self) -> Counter[str]:
        return Counter(found for _, text in self._texts() for found in _COMMAND.findall(text))

    def unanswered(self) -> list[str]:
        answered = self.answers()
        return [command for command in self.sent if not answered[command]]

    def duplicates(self) -> int:
        return sum(count - 1 for count in self.answers().values() if count > 1)

    def notices(self) -> Counter[int]:
        """'Back in a moment' messages per user."""
        return Counter(user for user, text in self._texts() if text == BACK_SOON)

    def apologies(self) -> int:
        return sum(1 for _, text in self._texts() if text == SORRY)


async def settled(tg: FakeTelegram, server: RedisServer, timeout: float = 60) -> None:
    """Every update confirmed and none pending: nothing more will be answered."""
    client = server.client()
    try:
        await wait_until(lambda: tg.unconfirmed() == 0 and client.hlen(keys.PENDING_UPDATES) == 0, timeout)
    finally:
        client.close()


def _polling(tg: FakeTelegram) -> int:
    return sum(1 for method, _ in tg.calls if method == "getUpdates")


@dataclass
class Report:
    sent: int = 0
    lost: int = 0
    duplicates: int = 0
    in_flight: int = 0
    apologies: int = 0
    notices: dict[int, int] = field(default_factory=dict)
    recovery_s: float = 0.0
    alive: bool = True
    secrets_seen: list[str] = field(default_factory=list)
    exit_codes: list[int] = field(default_factory=list)
    extra: dict[str, object] = field(default_factory=dict)

    def read(self, traffic: Traffic) -> None:
        self.sent = len(traffic.sent)
        self.lost = len(traffic.unanswered())
        self.duplicates = traffic.duplicates()
        self.apologies = traffic.apologies()
        self.notices = dict(traffic.notices())


async def kill_mid_burst(tg: FakeTelegram, directory: Path, burst: int = 200) -> Report:
    """kill -9 while a burst is handled and Telegram was never told what was received; restart."""
    users = list(range(9001, 9021))
    report = Report()
    with redis_server(directory / "redis") as server:
        env = env_for(tg, server.url, users)
        first, second = Vigie("serve", env, directory), Vigie("serve", env, directory)
        async with running(first):
            await wait_until(lambda: _polling(tg) > 0, timeout=30)
            tg.fail_next("getUpdates", 502, times=10**6)  # the poll in progress returns; nothing is confirmed
            traffic = Traffic(tg, users)
            await traffic.send(burst)
            await wait_until(lambda: len(traffic.answers()) >= 90, timeout=60)
            first.kill()
            await first.wait()
        client = server.client()
        report.in_flight = client.hlen(keys.PENDING_UPDATES)
        client.close()
        tg.heal("getUpdates")
        async with running(second):
            await wait_until(lambda: not traffic.unanswered(), timeout=120)
            await settled(tg, server)
            report.read(traffic)
            report.exit_codes = [await second.stop()]
        report.secrets_seen = secrets_in(first.output() + second.output(), tg)
    return report


async def redis_outage(tg: FakeTelegram, directory: Path, seconds: float = 20) -> Report:
    """Redis stopped for `seconds` while users write, under `run` (bot + worker) and a `worker`."""
    users = list(range(9101, 9111))
    report = Report()
    with redis_server(directory / "redis") as server:
        env = env_for(tg, server.url, users)
        processes = [Vigie("run", env, directory), Vigie("worker", env, directory)]
        client = server.client()
        async with running(*processes):
            await wait_until(lambda: _polling(tg) > 0 and client.get(keys.WORKER_HEARTBEAT) is not None, timeout=30)
            traffic = Traffic(tg, users)
            await traffic.send(len(users))
            await wait_until(lambda: not traffic.unanswered(), timeout=30)
            server.stop()
            stopped = time.monotonic()
            while time.monotonic() - stopped < seconds:
                await traffic.send()
                await asyncio.sleep(0.5)
            report.alive = all(p.alive for p in processes)
            server.start()
            back, back_at = time.monotonic(), time.time()
            await wait_until(lambda: not traffic.unanswered(), timeout=120)
            report.recovery_s = time.monotonic() - back
            await traffic.send(len(users))  # every chat still answered afterwards
            await wait_until(lambda: not traffic.unanswered(), timeout=30)
            await wait_until(lambda: int(client.get(keys.WORKER_HEARTBEAT) or 0) >= int(back_at), timeout=60)
            report.extra["worker_beat_after_s"] = round(time.monotonic() - back, 2)
            await settled(tg, server)
            report.read(traffic)
            report.alive = report.alive and all(p.alive for p in processes)
            report.exit_codes = [await p.stop() for p in processes]
        client.close()
        report.secrets_seen = secrets_in("".join(p.output() for p in processes), tg)
    return report


async def disk_full(tg: FakeTelegram, directory: Path) -> Report:
    """Redis refuses writes (MISCONF) while users write; then space comes back."""
    users = list(range(9201, 9206))
    report = Report()
    with redis_server(directory / "redis") as server:
        vigie = Vigie("serve", env_for(tg, server.url, users), directory)
        async with running(vigie):
            await wait_until(lambda: _polling(tg) > 0, timeout=30)
            traffic = Traffic(tg, users)
            await traffic.send(len(users))
            await wait_until(lambda: not traffic.unanswered(), timeout=30)
            server.fill_disk()
            await traffic.send(3 * len(users))
            await wait_until(lambda: len(traffic.notices()) == len(users), timeout=30)
            polls = _polling(tg)
            await wait_until(lambda: _polling(tg) >= polls + 3, timeout=30)  # more polls, disk still full
            report.extra["answered_while_full"] = len(traffic.sent) - len(traffic.unanswered()) - len(users)
            report.alive = vigie.alive
            server.free_disk()
            back = time.monotonic()
            await wait_until(lambda: not traffic.unanswered(), timeout=60)
            report.recovery_s = time.monotonic() - back
            await settled(tg, server)
            report.read(traffic)
            report.exit_codes = [await vigie.stop()]
        report.secrets_seen = secrets_in(vigie.output(), tg)
    return report


async def flood_control(tg: FakeTelegram, directory: Path, refusals: int = 10, commands: int = 40) -> Report:
    """Telegram answers `refusals` sends with 429 while users send `commands` commands."""
    users = list(range(9301, 9305))
    report = Report()
    with redis_server(directory / "redis") as server:
        vigie = Vigie("serve", env_for(tg, server.url, users), directory)
        async with running(vigie):
            await wait_until(lambda: _polling(tg) > 0, timeout=30)
            tg.fail_next("sendMessage", 429, retry_after=1, times=refusals)
            traffic = Traffic(tg, users)
            await traffic.send(commands)
            await wait_until(lambda: not traffic.unanswered(), timeout=90)
            await settled(tg, server)
            report.read(traffic)
            report.exit_codes = [await vigie.stop()]
        report.secrets_seen = secrets_in(vigie.output(), tg)
    return report


async def _post(http: aiohttp.ClientSession, url: str, body: bytes, secret: str) -> int:
    async with http.post(
        url, data=body, headers={SECRET_HEADER: secret, "Content-Type": "application/json"}
    ) as response:
        return response.status


async def _get(http: aiohttp.ClientSession, url: str) -> int:
    async with http.get(url) as response:
        return response.status


async def _raw_status(port: int, request: bytes) -> int:
    """The status of a hand-written HTTP request (headers aiohttp's client will not send)."""
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    writer.write(request)
    await writer.drain()
    line = await reader.readline()
    writer.close()
    return int(line.split()[1])


async def webhook_abuse(tg: FakeTelegram, directory: Path) -> Report:
    """Calls no Telegram would make, then a Redis outage between two deliveries of one update."""
    user_id, port, secret = 9401, free_port(), "webhook-secret-for-the-fault-suite"
    hook, health = f"http://127.0.0.1:{port}/hook", f"http://127.0.0.1:{port}/healthz"
    report = Report()
    statuses: dict[str, int] = {}
    with redis_server(directory / "redis") as server:
        env = env_for(
            tg,
            server.url,
            [user_id],
            WEBHOOK_URL="https://vigie.example.com/hook",
            WEBHOOK_SECRET=secret,
            PORT=str(port),
        )
        vigie = Vigie("run", env, directory)
        client = server.client()
        async with running(vigie), aiohttp.ClientSession() as http:
            await wait_until(lambda: any(m == "setWebhook" for m, _ in tg.calls), timeout=30)
            await wait_until(lambda: client.get(keys.WORKER_HEARTBEAT) is not None, timeout=30)
            update = await _update(tg, user_id, 700001, "/c0001")
            statuses["wrong secret"] = await _post(http, hook, update, "wrong")
            statuses["not JSON"] = await _post(http, hook, b"{oops", secret)
            statuses["JSON array"] = await _post(http, hook, b"[1, 2, 3]", secret)
            statuses["JSON string"] = await _post(http, hook, b'"update"', secret)
            statuses["no update_id"] = await _post(http, hook, b'{"message": {}}', secret)
            statuses["2 MB body"] = await _post(http, hook, b"{" + b" " * 2_000_000 + b"}", secret)
            statuses["secret not UTF-8"] = await _raw_status(
                port,
                b"POST /hook HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\nConnection: close\r\n"
                + SECRET_HEADER.encode()
                + b": \xff\xfe\xe9\r\n\r\n{}",
            )
            statuses["healthz"] = await _get(http, health)
            server.stop()
            statuses["update, Redis down"] = await _post(http, hook, update, secret)
            statuses["update again, Redis down"] = await _post(http, hook, update, secret)
            statuses["healthz, Redis down"] = await _get(http, health)
            report.alive = vigie.alive
            server.start()
            back = time.monotonic()
            while (status := await _post(http, hook, update, secret)) != 200 and time.monotonic() - back < 60:
                await asyncio.sleep(0.2)  # as Telegram retries
            report.recovery_s = time.monotonic() - back
            statuses["update, Redis back"] = status
            statuses["update once more"] = await _post(http, hook, update, secret)
            server.fill_disk()  # a second outage: reads work, writes are refused
            reply_only = await _update(tg, user_id, 700002, "/c0002")
            statuses["reply only, disk full"] = await _post(http, hook, reply_only, secret)
            a_write = await _update(tg, user_id, 700003, "/settings langue en")
            statuses["a write, disk full"] = await _post(http, hook, a_write, secret)
            server.free_disk()
            back = time.monotonic()
            while (status := await _post(http, hook, a_write, secret)) != 200 and time.monotonic() - back < 60:
                await asyncio.sleep(0.2)
            statuses["a write, disk back"] = status
            report.exit_codes = [await vigie.stop()]
        client.close()
        texts = [m["text"] for m in tg.messages(user_id)]
        report.extra["statuses"] = statuses
        report.extra["answers"] = {
            command: sum(1 for text in texts if marker in text)
            for command, marker in (
                ("/c0001", "/c0001"),
                ("/c0002", "/c0002"),
                ("/settings langue en", "Language: English"),
            )
        }
        report.notices = {user_id: texts.count(BACK_SOON)}
        report.apologies = texts.count(SORRY)
        output = vigie.output()
        report.secrets_seen = secrets_in(output, tg) + ([secret] if secret in output else [])
    return report


async def _update(tg: FakeTelegram, user_id: int, update_id: int, text: str) -> bytes:
    """The body Telegram would post for `text` written by `user_id`."""
    message = await tg.send_text(tg.user(user_id), text)
    return json.dumps({"update_id": update_id, "message": message}).encode()


async def _queue(url: str, messages: list[Outgoing]) -> None:
    client = AsyncRedis.from_url(url, decode_responses=True)
    try:
        await Store.over(client).delivery.push(*messages)
    finally:
        await client.aclose()


async def worker_crash(tg: FakeTelegram, directory: Path, messages: int = 6) -> Report:
    """kill -9 of the worker that is sending to a chat; another worker takes the chat over."""
    user_id = 9501
    report = Report(sent=messages)
    await tg.send_text(tg.user(user_id), "hello")  # the chat exists (nobody polls: no answer)
    with redis_server(directory / "redis") as server:
        env = env_for(tg, server.url, [user_id])
        client = server.client()
        await _queue(server.url, [Outgoing(user_id, f"message {n}") for n in range(messages)])
        tg.slow("sendMessage", 1.5)
        first, second = Vigie("worker", env, directory), Vigie("worker", env, directory)
        try:
            async with running(first):
                await wait_until(lambda: len(tg.messages(user_id)) >= 1, timeout=30)
                first.kill()
                killed = time.monotonic()
                await first.wait()
            report.extra["lease_ttl_ms"] = client.pttl(keys.delivery_lease(user_id))
            delivered = len(tg.messages(user_id))
            async with running(second):
                await wait_until(lambda: len(tg.messages(user_id)) > delivered, timeout=150)
                report.recovery_s = time.monotonic() - killed
                await wait_until(lambda: len({m["text"] for m in tg.messages(user_id)}) == messages, timeout=60)
                report.exit_codes = [await second.stop()]
            stats = client.hgetall(keys.delivery_stats(time.strftime("%Y-%m-%d", time.gmtime())))
            report.extra["resent"] = int(stats.get("resent", 0))
        finally:
            tg.slow("sendMessage", 0)
            client.close()
        texts = [m["text"] for m in tg.messages(user_id)]
        report.lost = messages - len(set(texts))
        report.duplicates = len(texts) - len(set(texts))
        report.secrets_seen = secrets_in(first.output() + second.output(), tg)
    return report


POLLING = "receiving updates by long polling"
STANDING_BY = "standing by to take over"


async def poller_takeover(tg: FakeTelegram, directory: Path) -> Report:
    """The whole product as several processes: two `serve` in polling mode (one polls, the other
    stands by) and two `worker`; kill -9 of the idle poller, and the other takes over and answers
    what comes next. /status, /healthz and /metrics show the processes before and after."""
    user_ids, owner = [9601, 9602], 9603
    report = Report()
    with redis_server(directory / "redis") as server:
        env = env_for(tg, server.url, [*user_ids, owner])
        ports = [free_port() for _ in range(4)]
        pair = [Vigie("serve", {**env, "PORT": str(ports[n])}, directory, name=f"serve-{n}") for n in (0, 1)]
        workers = [
            Vigie("worker", {**env, "METRICS_PORT": str(ports[n])}, directory, name=f"worker-{n}") for n in (2, 3)
        ]
        async with running(*pair, *workers), aiohttp.ClientSession() as http:
            await wait_until(lambda: sorted(_roles(pair)) == [POLLING, STANDING_BY], timeout=60)
            poller, standby = sorted(pair, key=lambda vigie: _roles([vigie]) != [POLLING])
            standby_port = ports[pair.index(standby)]
            await wait_until(lambda: _answers(http, standby_port, "/healthz", "ok"), timeout=90)
            for port in ports[2:]:  # each worker listens once it has started: wait for both
                await wait_until(
                    functools.partial(_answers, http, port, "/metrics", 'vigie_processes{mode="bot"} 2.0'), 60
                )
            metrics = await _text(http, ports[3], "/metrics")
            report.extra["metrics_before"] = _processes_line(metrics)
            report.extra["status_before"] = await _status(tg, owner)
            await _queue(server.url, [Outgoing(owner, "notice from a worker")])
            await wait_until(lambda: any(m["text"] == "notice from a worker" for m in tg.messages(owner)), 30)
            traffic = Traffic(tg, user_ids)
            await traffic.send(4)
            await wait_until(lambda: not traffic.unanswered(), timeout=60)
            await settled(tg, server)  # nothing in flight: the kill can only cost time
            poller.kill()
            killed = time.monotonic()
            await poller.wait()
            await traffic.send(4)
            await wait_until(lambda: not traffic.unanswered(), timeout=90)
            report.recovery_s = time.monotonic() - killed
            report.extra["standby_polls"] = POLLING in standby.output()
            await settled(tg, server)
            report.read(traffic)
            await wait_until(lambda: _answers(http, standby_port, "/metrics", 'vigie_processes{mode="bot"} 1.0'), 60)
            report.extra["metrics_after"] = _processes_line(await _text(http, standby_port, "/metrics"))
            report.extra["status_after"] = await _status(tg, owner)
            report.exit_codes = [await vigie.stop() for vigie in (standby, *workers)]
        report.secrets_seen = secrets_in("".join(vigie.output() for vigie in (*pair, *workers)), tg)
    return report


async def _text(http: aiohttp.ClientSession, port: int, path: str) -> str:
    async with http.get(f"http://127.0.0.1:{port}{path}") as response:
        return await response.text()


async def _answers(http: aiohttp.ClientSession, port: int, path: str, expected: str) -> bool:
    try:
        return expected in await _text(http, port, path)
    except aiohttp.ClientError:
        return False  # not listening yet


def _processes_line(metrics: str) -> str:
    return " ".join(line for line in metrics.splitlines() if line.startswith("vigie_processes{"))


async def _status(tg: FakeTelegram, owner: int) -> str:
    """The first line of /status that says which processes run."""
    before = len(tg.messages(owner))
    await tg.send_text(tg.user(owner, language_code="en"), "/status")
    await wait_until(lambda: len(tg.messages(owner)) > before, timeout=30)
    text = tg.messages(owner)[-1]["text"]
    return next((line for line in text.splitlines() if line.startswith("Processes")), text)


def _roles(processes: list[Vigie]) -> list[str]:
    """What each process says it does first: polls, or stands by."""
    roles = []
    for vigie in processes:
        output = vigie.output()
        said = [(output.find(role), role) for role in (POLLING, STANDING_BY) if role in output]
        roles.extend([min(said)[1]] if said else [])
    return roles
