"""The console as a person uses it, in a subprocess: a line at a time, reading what it prints."""

from __future__ import annotations

import asyncio
import codecs
import subprocess
import sys
from pathlib import Path

from tests.conftest import wait_until


async def start_console(env: dict[str, str], cwd: Path, stdin: int = subprocess.PIPE) -> Session:
    """`python -m bot console`, its input a pipe (or `stdin`, a terminal's descriptor)."""
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "bot",
        "console",
        cwd=cwd,
        env=env,
        stdin=stdin,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    return Session(process)


class Session:
    """The console as a person uses it: a line at a time, reading what it prints meanwhile."""

    def __init__(self, process: asyncio.subprocess.Process) -> None:
        self.process = process
        self.out = ""
        self._reading = asyncio.create_task(self._read())

    async def _read(self) -> None:
        assert self.process.stdout is not None
        decoder = codecs.getincrementaldecoder("utf-8")()
        while chunk := await self.process.stdout.read(4096):
            self.out += decoder.decode(chunk)

    async def say(self, line: str) -> None:
        assert self.process.stdin is not None
        self.process.stdin.write(f"{line}\n".encode())
        await self.process.stdin.drain()

    async def shows(self, text: str, after: int = 0, timeout: float = 30) -> int:
        """Wait until the output shows `text` past position `after`; where it ends."""
        await wait_until(lambda: text in self.out[after:], timeout=timeout)
        return self.out.index(text, after) + len(text)

    async def close(self) -> tuple[int, str]:
        """End of input; the exit code and what went to standard error."""
        assert self.process.stderr is not None
        if self.process.stdin is not None:  # a pipe (a terminal is closed by its owner)
            self.process.stdin.close()
        err = await asyncio.wait_for(self.process.stderr.read(), timeout=60)
        await self._reading
        return await self.process.wait(), err.decode()
