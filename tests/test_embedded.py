"""The embedded Redis: one server per data directory, found again or stopped cleanly; clear startup failures."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import psutil
import pytest
import redis

from bot.store.embedded import EmbeddedRedis, EmbeddedRedisError, answers
from tests.conftest import ROOT, poll_until, product_env

PYTHON_PATH = {"PYTHONPATH": str(ROOT)}

# A Vigie-like process on a data directory: starts the embedded Redis, says so, then obeys stdin.
USER = """
import sys
from pathlib import Path
import redis
from bot.store.embedded import EmbeddedRedis
print("ready", flush=True)
if sys.argv[2] == "barrier":
    sys.stdin.readline()
server = EmbeddedRedis(Path(sys.argv[1]))
server.start()
client = redis.Redis.from_url(server.url)
print(client.info("server")["process_id"], flush=True)
client.close()
sys.stdin.readline()
server.stop()
"""


def servers_under(root: Path) -> list[psutil.Process]:
    """The live (not zombie) redis-server processes working in a directory under `root`."""
    found = []
    for process in psutil.process_iter(["name", "status"]):
        try:
            alive = process.info["name"] == "redis-server" and process.info["status"] != psutil.STATUS_ZOMBIE
            if alive and Path(process.cwd()).is_relative_to(root.resolve()):
                found.append(process)
        except psutil.Error:
            continue
    return found


def gone(pid: int) -> bool:
    """Whether process `pid` exits within 10 s (a zombie waiting to be reaped counts as exited)."""

    def exited() -> bool:
        try:
            return psutil.Process(pid).status() == psutil.STATUS_ZOMBIE
        except psutil.NoSuchProcess:
            return True

    return poll_until(exited)


def pings(server: EmbeddedRedis) -> bool:
    """Whether something answers PING on the server's socket."""
    return answers(redis.Redis(unix_socket_path=str(server.socket), socket_timeout=1))


def server_pid(server: EmbeddedRedis) -> int:
    """The pid of the redis-server answering on the server's socket."""
    client = redis.Redis.from_url(server.url)
    try:
        return int(client.info("server")["process_id"])
    finally:
        client.close()


def user(data_dir: Path, *, barrier: bool = False) -> subprocess.Popen[str]:
    """A child process that uses the embedded Redis of `data_dir` (see USER), once it is ready."""
    process = subprocess.Popen(
        [sys.executable, "-c", USER, str(data_dir), "barrier" if barrier else "now"],
        cwd=ROOT,
        env=product_env(**PYTHON_PATH),
        text=True,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
    )
    assert process.stdout.readline() == "ready\n"
    return process


@pytest.fixture(autouse=True)
def no_server_left(tmp_path: Path) -> Iterator[None]:
    """Every redis-server a test started under tmp_path is gone when it ends (killed, and failed, if not)."""
    yield
    left = servers_under(tmp_path)
    for process in left:
        process.kill()
    assert not left, f"redis-server left running: {[p.pid for p in left]}"


def test_a_server_whose_starter_was_killed_is_joined_then_shut_down_by_its_last_user(tmp_path):
    starter = user(tmp_path)
    pid = int(starter.stdout.readline())
    starter.kill()  # SIGKILL: no cleanup at all
    starter.wait()
    starter.stdout.close()
    starter.stdin.close()

    joiner = EmbeddedRedis(tmp_path)
    assert pings(joiner)  # the server outlived its starter
    joiner.start()
    assert server_pid(joiner) == pid
    client = redis.Redis.from_url(joiner.url)
    client.set("vigie:probe", "kept")
    client.close()
    joiner.stop()
    assert gone(pid)
    assert not pings(joiner)

    again = EmbeddedRedis(tmp_path)
    again.start()
    client = redis.Redis.from_url(again.url)
    assert client.get("vigie:probe") == b"kept"  # SHUTDOWN flushed the AOF
    client.close()
    again.stop()


def test_the_first_user_to_stop_leaves_the_server_to_the_second(tmp_path):
    first, second = EmbeddedRedis(tmp_path), EmbeddedRedis(tmp_path)
    first.start()
    second.start()
    pid = server_pid(first)
    first.stop()
    assert pings(second) and server_pid(second) == pid
    second.stop()
    assert gone(pid)
    assert not pings(second)


def test_a_vigie_process_that_started_the_server_leaves_it_to_another_user(tmp_path):
    env = product_env(**PYTHON_PATH, VIGIE_DATA_DIR=str(tmp_path / "data"))
    console = subprocess.Popen(
        [sys.executable, "-m", "bot", "console"],
        cwd=tmp_path,
        env=env,
        text=True,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    console.stdin.write("/start\n")
    console.stdin.flush()
    while "Je suis Vigie" not in console.stdout.readline():  # the console runs on its server
        assert console.poll() is None, console.stderr.read()
    joiner = EmbeddedRedis(tmp_path / "data")
    joiner.start()
    pid = server_pid(joiner)
    _, err = console.communicate(timeout=60)  # end of input: the console quits
    assert console.returncode == 0, err
    assert pings(joiner) and server_pid(joiner) == pid
    joiner.stop()
    assert gone(pid)


def test_two_processes_starting_at_once_share_one_server(tmp_path):
    users = [user(tmp_path, barrier=True) for _ in range(2)]
    for process in users:
        process.stdin.write("go\n")
        process.stdin.flush()
    pids = {int(process.stdout.readline()) for process in users}
    servers = servers_under(tmp_path)
    for process in users:
        process.communicate("stop\n", timeout=30)
        assert process.returncode == 0
    assert len(pids) == 1 and [server.pid for server in servers] == list(pids)
    assert gone(pids.pop())


def test_a_data_directory_that_cannot_be_created_is_named_in_one_line(tmp_path):
    (tmp_path / "file").write_text("not a directory")
    data_dir = tmp_path / "file" / "data"
    with pytest.raises(EmbeddedRedisError) as error:
        EmbeddedRedis(data_dir).start()
    message = str(error.value)
    assert "\n" not in message
    assert str(data_dir) in message and "Not a directory" in message


def test_a_corrupt_aof_fails_with_the_reason_redis_gives(tmp_path):
    (tmp_path / "redis").mkdir()
    (tmp_path / "redis" / "appendonly.aof").write_text("this is not an append only file\n")
    with pytest.raises(EmbeddedRedisError) as error:
        EmbeddedRedis(tmp_path).start()
    message = str(error.value)
    assert "\n" not in message
    assert "Bad file format reading the append only file" in message
