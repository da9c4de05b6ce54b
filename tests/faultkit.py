"""The fault suite's tools: a real redis-server that a test starts, stops and fills up, and Vigie
as a real process (`python -m bot ...`) whose output is kept for inspection.

Used by tests/test_faults.py (what must hold) and bench/faults.py (how long recovery takes).
"""

from __future__ import annotations

import asyncio
import contextlib
import shutil
import signal
import subprocess
import sys
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import redis

from bot.store.embedded import answers, redis_server_binary
from tests.conftest import ROOT, free_port, poll_until, product_env


class RedisServer:
    """The redis-server the embedded mode ships, on a free loopback port, AOF on: `stop()` then
    `start()` keeps its data; `fill_disk()` makes it refuse writes with MISCONF, as a full disk
    does, until `free_disk()`."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory
        self.port = free_port()
        self.url = f"redis://127.0.0.1:{self.port}/1"
        self._process: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        self.directory.mkdir(parents=True, exist_ok=True)
        self._process = subprocess.Popen(
            [
                redis_server_binary(),
                "--port",
                str(self.port),
                "--bind",
                "127.0.0.1",
                "--dir",
                str(self.directory),
                "--appendonly",
                "yes",
                "--appendfsync",
                "everysec",
                "--save",
                "",
                "--daemonize",
                "no",
                "--logfile",
                str(self.directory / "redis.log"),
            ],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        process = self._process
        if not poll_until(lambda: process.poll() is not None or self._answers()) or process.poll() is not None:
            raise RuntimeError(f"redis-server did not start; see {self.directory / 'redis.log'}")

    def stop(self) -> None:
        """Shut down (the AOF is flushed) and wait until the port is closed; a server that
        refuses to stop (its last save failed) is killed."""
        if self._process is None:
            return
        self._process.send_signal(signal.SIGTERM)
        try:
            self._process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self._process.kill()
            self._process.wait()
        self._process = None

    def freeze(self) -> None:
        """SIGSTOP: the server hangs, its connections stay open."""
        assert self._process is not None
        self._process.send_signal(signal.SIGSTOP)

    def thaw(self) -> None:
        assert self._process is not None
        self._process.send_signal(signal.SIGCONT)

    def client(self) -> redis.Redis:
        return redis.Redis.from_url(self.url, decode_responses=True)

    def fill_disk(self) -> None:
        """Writes refused with MISCONF, as when a save fails on a full disk."""
        client = self.client()
        spill = self.directory / "spill"
        spill.mkdir(exist_ok=True)
        client.config_set("dir", str(spill))
        client.config_set("save", "3600 1")
        client.config_set("stop-writes-on-bgsave-error", "yes")
        shutil.rmtree(spill)
        client.bgsave()
        self._wait_for_save(client, "err")
        client.close()

    def free_disk(self) -> None:
        client = self.client()
        spill = self.directory / "spill"
        spill.mkdir(exist_ok=True)
        client.config_set("dir", str(spill))
        client.bgsave()
        self._wait_for_save(client, "ok")
        client.config_set("save", "")
        client.close()

    @staticmethod
    def _wait_for_save(client: redis.Redis, status: str) -> None:
        def ended() -> bool:
            persistence = client.info("persistence")
            return persistence["rdb_last_bgsave_status"] == status and not persistence["rdb_bgsave_in_progress"]

        if not poll_until(ended):
            raise RuntimeError(f"the save did not end with {status!r}")

    def _answers(self) -> bool:
        return answers(redis.Redis(port=self.port, socket_timeout=1))


@contextlib.contextmanager
def redis_server(directory: Path) -> Iterator[RedisServer]:
    """A RedisServer started in `directory`, stopped at the end."""
    server = RedisServer(directory)
    server.start()
    try:
        yield server
    finally:
        server.stop()


class Vigie:
    """`python -m bot <mode>` as its own process; stdout and stderr go to one file."""

    def __init__(self, mode: str, env: dict[str, str], directory: Path, name: str = "") -> None:
        self.mode = mode
        self.env = product_env(PYTHONPATH=str(ROOT), VIGIE_DATA_DIR=str(directory / "data"), **env)
        self.directory = directory
        self.log = directory / f"vigie-{name or mode}.log"
        self.process: asyncio.subprocess.Process | None = None

    async def start(self) -> None:
        with self.log.open("ab") as out:
            self.process = await asyncio.create_subprocess_exec(
                sys.executable,
                "-m",
                "bot",
                self.mode,
                cwd=self.directory,
                env=self.env,
                stdin=subprocess.DEVNULL,
                stdout=out,
                stderr=out,
            )

    @property
    def alive(self) -> bool:
        return self.process is not None and self.process.returncode is None

    def kill(self) -> None:
        """kill -9: nothing is finished, confirmed or cleaned up."""
        assert self.process is not None
        self.process.kill()

    async def stop(self) -> int:
        """SIGTERM, and the exit status. The bound only catches a stop that hangs: under a full
        test run a loaded 2-core machine once took over 30 s to end a `serve`."""
        assert self.process is not None
        if self.process.returncode is None:
            self.process.send_signal(signal.SIGTERM)
        return await asyncio.wait_for(self.process.wait(), timeout=120)

    async def wait(self) -> int:
        assert self.process is not None
        return await asyncio.wait_for(self.process.wait(), timeout=60)

    def output(self) -> str:
        return self.log.read_text(errors="replace") if self.log.exists() else ""


@contextlib.asynccontextmanager
async def running(*processes: Vigie) -> AsyncIterator[None]:
    """Start `processes`; whatever still runs at the end is killed."""
    try:
        for process in processes:
            await process.start()
        yield
    finally:
        for process in processes:
            if process.alive:
                process.kill()
                await process.wait()


def env_for(tg, redis_url: str, owners: list[int], **extra: str) -> dict[str, str]:
    """Vigie's environment against the local Bot API server and a Redis server."""
    return {
        "TELEGRAM_BOT_TOKEN": tg.token,
        "TELEGRAM_API_URL": tg.url,
        "REDIS_URL": redis_url,
        "VIGIE_OWNER_IDS": ",".join(str(o) for o in owners),
        "PORT": str(free_port()),  # serve's /healthz and /metrics (the webhook scenarios set theirs)
        **extra,
    }


def secrets_in(text: str, tg) -> list[str]:
    """The secrets that appear in `text` (the bot token, whole or its secret half)."""
    return [s for s in (tg.token, tg.token.split(":", 1)[1]) if s in text]


def embedded_pid(socket_path: Path) -> int:
    """The pid of the embedded redis-server answering on `socket_path`."""
    client = redis.Redis(unix_socket_path=str(socket_path), socket_timeout=2)
    try:
        return int(client.info("server")["process_id"])
    finally:
        client.close()
