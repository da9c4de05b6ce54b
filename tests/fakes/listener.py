"""A plain TCP listener on 127.0.0.1 that counts the connections it accepts and closes them at
once: the witness that a refused URL was never connected to."""

from __future__ import annotations

import asyncio


class CountingListener:
    """Listens on 127.0.0.1, on a random free port; `connections` counts what it accepted."""

    def __init__(self) -> None:
        self.host = "127.0.0.1"
        self.port = 0
        self.connections = 0
        self._server: asyncio.Server | None = None

    async def start(self) -> None:
        """Listen on a random free port of 127.0.0.1."""
        self._server = await asyncio.start_server(self._accept, self.host, 0)
        self.port = self._server.sockets[0].getsockname()[1]

    async def stop(self) -> None:
        """Stop listening."""
        if self._server:
            self._server.close()
            await self._server.wait_closed()
            self._server = None

    async def _accept(self, _reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        """Count the connection and close it without answering."""
        self.connections += 1
        writer.close()

    async def __aenter__(self) -> CountingListener:
        await self.start()
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.stop()
