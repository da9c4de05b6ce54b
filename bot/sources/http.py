"""Fetching user-supplied URLs safely: timeouts, a body cap, conditional GET, redirects followed by
hand with the private-network check on every hop and on every address connected to, a few
connections per host."""

from __future__ import annotations

import socket
import ssl
import time
from collections.abc import Mapping
from dataclasses import dataclass
from urllib.parse import urljoin

import aiohttp

from bot.model import (
    BadStatus,
    RateLimited,
    Reason,
    Refused,
    SourceError,
    TooLarge,
    Unreachable,
)
from bot.netguard import AddressRefused, ConnectGuard, GuardedResolver, check_url

MAX_BYTES = 10 * 1024 * 1024
MAX_REDIRECTS = 5
PER_HOST = 4
USER_AGENT = "Vigie/0.1 (+https://github.com/vigie-bot; feed reader)"
ACCEPT = (
    "application/rss+xml, application/atom+xml, application/rdf+xml, application/xml;q=0.9, text/xml;q=0.9, */*;q=0.5"
)


@dataclass(frozen=True)
class Fetched:
    """A response: `body` is None when the server said 304 Not Modified."""

    url: str
    body: bytes | None
    etag: str | None
    last_modified: str | None
    content_type: str = ""


class SafeFetcher:
    """One aiohttp session for every user-supplied URL of a process."""

    def __init__(
        self,
        allowed_hosts: frozenset[str] = frozenset(),
        *,
        total_timeout: float = 30.0,
        connect_timeout: float = 10.0,
        max_bytes: int = MAX_BYTES,
        per_host: int = PER_HOST,
        local_hosts: Mapping[str, int] | None = None,
    ) -> None:
        """`local_hosts`: names served by this process on 127.0.0.1 (name -> port), allowed."""
        local = dict(local_hosts or {})
        self._allowed = allowed_hosts | local.keys()
        self._max_bytes = max_bytes
        guard = ConnectGuard(self._allowed)
        resolver = GuardedResolver(self._allowed, guard, local)
        connector = aiohttp.TCPConnector(limit=64, limit_per_host=per_host, resolver=resolver, socket_factory=guard)
        self._session = aiohttp.ClientSession(
            connector=connector,
            timeout=aiohttp.ClientTimeout(total=total_timeout, connect=connect_timeout, sock_read=connect_timeout),
            headers={"User-Agent": USER_AGENT, "Accept": ACCEPT},
        )

    async def close(self) -> None:
        await self._session.close()

    async def get(self, url: str, *, etag: str | None = None, last_modified: str | None = None) -> Fetched:
        """GET `url` (conditional when `etag`/`last_modified` are given); raises SourceError."""
        headers = {}
        if etag:
            headers["If-None-Match"] = etag
        if last_modified:
            headers["If-Modified-Since"] = last_modified
        for _ in range(MAX_REDIRECTS + 1):
            check_url(url, self._allowed)
            try:
                async with self._session.get(url, headers=headers, allow_redirects=False) as response:
                    if response.status in (301, 302, 303, 307, 308) and "Location" in response.headers:
                        url = urljoin(url, response.headers["Location"])
                        continue
                    return await self._result(url, response)
            except SourceError:
                raise
            except (TimeoutError, aiohttp.ClientError, ValueError) as exc:
                raise client_failure(exc) from None
        raise Refused(f"more than {MAX_REDIRECTS} redirects", Reason.REDIRECTS, MAX_REDIRECTS)

    @property
    def _megabytes(self) -> int:
        """The body cap as users are told it, in MB (MiB, rounded: 10)."""
        return max(1, round(self._max_bytes / 2**20))

    async def _result(self, url: str, response: aiohttp.ClientResponse) -> Fetched:
        if response.status == 304:
            return Fetched(url, None, response.headers.get("ETag"), response.headers.get("Last-Modified"))
        if response.status == 429:
            retry_after = response.headers.get("Retry-After", "")
            delay = float(retry_after) if retry_after.isdigit() else 600.0
            raise RateLimited(time.time() + delay, "HTTP 429")
        if response.status >= 400:
            raise BadStatus(response.status)
        if response.content_length is not None and response.content_length > self._max_bytes:
            raise TooLarge(f"{response.content_length} bytes announced", value=self._megabytes)
        body = bytearray()
        async for chunk in response.content.iter_chunked(64 * 1024):
            body += chunk
            if len(body) > self._max_bytes:
                raise TooLarge(f"over {self._max_bytes} bytes", value=self._megabytes)
        return Fetched(
            url,
            bytes(body),
            response.headers.get("ETag"),
            response.headers.get("Last-Modified"),
            response.headers.get("Content-Type", ""),
        )


def client_failure(exc: Exception) -> SourceError:
    """An aiohttp failure (or a timeout) as the SourceError users are told about: the reason in
    codes, the library's words kept for the logs."""
    detail = f"{type(exc).__name__}: {exc}"
    if isinstance(exc, TimeoutError):
        return Unreachable(detail, Reason.TIMEOUT)
    if isinstance(exc, aiohttp.InvalidURL):
        return Refused(detail, Reason.BAD_URL)
    if isinstance(exc, aiohttp.ClientConnectorError):
        cause = exc.os_error
        if isinstance(cause, AddressRefused):
            return Refused(str(cause), Reason.PRIVATE, cause.address)
        if isinstance(exc, aiohttp.ClientSSLError) or isinstance(cause, ssl.SSLError):
            return Unreachable(detail, Reason.TLS)
        if isinstance(exc, aiohttp.ClientConnectorDNSError) or isinstance(cause, socket.gaierror):
            return Unreachable(detail, Reason.DNS, exc.host)
        if isinstance(cause, ConnectionRefusedError):
            return Unreachable(detail, Reason.CONNECTION_REFUSED)
    if isinstance(exc, ValueError) and not isinstance(exc, aiohttp.ClientError):  # yarl, IDNA: "label too long"
        return Refused(detail, Reason.BAD_URL)
    if isinstance(exc, aiohttp.ServerDisconnectedError):
        return Unreachable(detail, Reason.DISCONNECTED)
    if isinstance(exc, aiohttp.ClientSSLError | ssl.SSLError):
        return Unreachable(detail, Reason.TLS)
    return Unreachable(detail)
