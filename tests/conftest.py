"""Shared fixtures: real Redis (REDIS_URL or the embedded server), the local Bot API server,
and the real bot polling it."""

from __future__ import annotations

import asyncio
import contextlib
import inspect
import os
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest
import redis
from pydantic import SecretStr

from bot.briefing import BriefingInput
from bot.briefing_inputs import briefed_watches, gather
from bot.config import Settings, load_settings
from bot.pool import read
from bot.runtime import run
from bot.services import Services, open_services
from bot.store.embedded import EmbeddedRedis
from tests.fakes.feeds import FakeFeeds
from tests.fakes.telegram import FakeTelegram
from tests.fakes.x_api import FakeX

OWNER_ID = 111111
ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="session")
def redis_url() -> Iterator[str]:
    """REDIS_URL when set (a database of its own, never 0), else an embedded server."""
    url = os.environ.get("REDIS_URL")
    if url:
        database = redis.Redis.from_url(url).connection_pool.connection_kwargs.get("db", 0)
        if int(database) == 0:
            pytest.exit("REDIS_URL must name a database other than 0 for the tests (e.g. .../13)", 2)
        yield url
        return
    with tempfile.TemporaryDirectory(prefix="vigie-redis-") as directory:
        server = EmbeddedRedis(Path(directory))
        server.start()
        try:
            yield server.url
        finally:
            server.stop()


@pytest.fixture
def clean_redis(redis_url: str) -> str:
    """The test's Redis, emptied first: each test gets a clean keyspace."""
    client = redis.Redis.from_url(redis_url)
    client.flushdb()
    client.close()
    return redis_url


@pytest.fixture
async def tg() -> AsyncIterator[FakeTelegram]:
    async with FakeTelegram() as server:
        yield server


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def settings(clean_redis: str, tg: FakeTelegram, tmp_path: Path) -> Settings:
    return load_settings(
        port=free_port(),  # /healthz and /metrics: test runs side by side do not share one port
        telegram_bot_token=tg.token,
        telegram_api_url=tg.url,
        redis_url=clean_redis,
        data_dir=tmp_path,
        owner_ids=frozenset({OWNER_ID}),
        timezone="Europe/Paris",
        language="fr",
    )


@pytest.fixture
async def services(settings: Settings) -> AsyncIterator[Services]:
    async with open_services(settings) as opened:
        yield opened


@pytest.fixture
async def feeds() -> AsyncIterator[FakeFeeds]:
    """The local feed server (good and hostile feeds)."""
    async with FakeFeeds() as server:
        yield server


@pytest.fixture
async def feed_services(settings: Settings, feeds: FakeFeeds) -> AsyncIterator[Services]:
    """Services that may fetch from the local feed server (a loopback host, allowed here)."""
    allowed = settings.model_copy(update={"allowed_feed_hosts": frozenset({feeds.host})})
    async with open_services(allowed) as services:
        yield services


async def member_input(services: Services, user_id: int, since: float, language: str = "fr") -> BriefingInput:
    """What a briefing of `user_id` covers since `since`, from a pool of their own watches (as
    /briefing reads it)."""
    watches = await briefed_watches(services.store, user_id)
    pool = await read(services.store, [w.id for w in watches], since, services.cpu)
    return await gather(services.store, watches, language, since, pool)


async def wait_until(predicate, timeout: float = 5.0) -> None:
    """Wait for a condition the test cannot be notified of (e.g. the bot started polling, a
    record written after a reply); `predicate` may be async."""
    deadline = asyncio.get_running_loop().time() + timeout
    while not await _holds(predicate):
        if asyncio.get_running_loop().time() > deadline:
            raise AssertionError("condition not met in time")
        await asyncio.sleep(0.02)


def poll_until(predicate, timeout: float = 10.0) -> bool:
    """`wait_until` for code without an event loop (other processes); False once `timeout` passes."""
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            return False
        time.sleep(0.02)
    return True


async def _holds(predicate) -> bool:
    result = predicate()
    return bool(await result if inspect.isawaitable(result) else result)


class RunningBot:
    """The real bot (polling the local Bot API server) in this event loop."""

    def __init__(self, services: Services, tg: FakeTelegram) -> None:
        self.services, self.tg = services, tg
        self._stop = asyncio.Event()
        self._task: asyncio.Task | None = None

    def _receiving(self) -> int:
        return sum(1 for method, _ in self.tg.calls if method in ("getUpdates", "setWebhook"))

    async def start(self) -> None:
        """Start, and return once the bot polls (or has registered its webhook)."""
        before = self._receiving()
        self._stop = asyncio.Event()
        self._task = asyncio.create_task(run(self.services, self.tg.token, worker=False, stop=self._stop))
        await wait_until(lambda: self._task.done() or self._receiving() > before)
        if self._task.done():
            self._task.result()

    async def stop(self) -> None:
        self._stop.set()
        if self._task:
            await self._task

    async def crash(self) -> None:
        """Stop at once, as a killed process would: nothing is finished or confirmed."""
        if self._task:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task


@pytest.fixture
async def x_bot(settings: Settings, tg: FakeTelegram) -> AsyncIterator[tuple[RunningBot, FakeX]]:
    """The bot running against the local X API server too."""
    async with (
        FakeX() as x,
        running_bot(settings, tg, x_bearer_token=SecretStr(x.bearer_token), x_api_url=x.url) as running,
    ):
        yield running, x


@pytest.fixture
async def x_feeds_bot(
    settings: Settings, tg: FakeTelegram, feeds: FakeFeeds
) -> AsyncIterator[tuple[RunningBot, FakeX]]:
    """The bot running against the local X API server and the local feed server."""
    async with (
        FakeX() as x,
        running_bot(
            settings,
            tg,
            x_bearer_token=SecretStr(x.bearer_token),
            x_api_url=x.url,
            allowed_feed_hosts=frozenset({feeds.host}),
        ) as running,
    ):
        yield running, x


@pytest.fixture
async def bot(services: Services, tg: FakeTelegram) -> AsyncIterator[RunningBot]:
    running = RunningBot(services, tg)
    await running.start()
    yield running
    await running.stop()


@contextlib.asynccontextmanager
async def running_workers(services: Services, count: int = 1) -> AsyncIterator[None]:
    """`count` of the product's arq workers (cron jobs included) in this event loop, stopped after."""
    stop = asyncio.Event()
    workers = [asyncio.create_task(run(services, "", bot=False, stop=stop)) for _ in range(count)]
    try:
        yield
    finally:
        stop.set()
        await asyncio.gather(*workers)


@contextlib.asynccontextmanager
async def running_bot(settings: Settings, tg: FakeTelegram, **changes: object) -> AsyncIterator[RunningBot]:
    """The real bot polling `tg`, on services opened with `settings` changed by `changes`."""
    async with open_services(settings.model_copy(update=changes)) as services:
        running = RunningBot(services, tg)
        await running.start()
        yield running
        await running.stop()


@contextlib.asynccontextmanager
async def acting_bot(
    settings: Settings, tg: FakeTelegram, x: FakeX, *, workers: int = 1, **changes: object
) -> AsyncIterator[RunningBot]:
    """The bot and `workers` of the product's workers, acting on the local X server `x` with
    its user token (and no other X user credentials)."""
    configured = {
        "x_api_key": None,
        "x_api_secret": None,
        "x_access_token": None,
        "x_access_token_secret": None,
        "x_user_access_token": SecretStr(x.user_token),
        "x_api_url": x.url,
        **changes,
    }
    async with running_bot(settings, tg, **configured) as bot, running_workers(bot.services, workers):
        yield bot


async def vigie_cli(
    *args: str, env: dict[str, str], cwd: Path, stdin: bytes | None = None, timeout: float = 60
) -> tuple[int, str, str]:
    """`python -m bot ARGS` with `stdin`: its exit code, output and errors."""
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "bot",
        *args,
        cwd=cwd,
        env=env,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    out, err = await asyncio.wait_for(process.communicate(stdin), timeout=timeout)
    return process.returncode, out.decode(), err.decode()


def product_env(**extra: str) -> dict[str, str]:
    """The environment for running `python -m bot` as a subprocess: no inherited Vigie settings."""
    env = {
        k: v for k, v in os.environ.items() if not k.startswith(("TELEGRAM_", "X_", "VIGIE_", "REDIS_URL", "WEBHOOK_"))
    }
    env.update(extra)
    return env


def button_data(message: dict, text: str) -> str:
    """The callback data of a button as it was in `message` (an earlier state of a bot message)."""
    for row in message["reply_markup"]["inline_keyboard"]:
        for button in row:
            if button["text"] == text:
                return button["callback_data"]
    raise AssertionError(f"no button {text!r}")
