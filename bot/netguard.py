"""Refusing private networks (SSRF) for URLs users give us.

Two checks, both needed: `check_url` before each request and redirect hop (aiohttp connects to an
IP literal without asking the resolver), and `GuardedResolver` when a host name is resolved at
connect time (so a name cannot resolve to a public address when checked and a private one when
used). Hosts listed in VIGIE_ALLOWED_FEED_HOSTS are exempt.
"""

from __future__ import annotations

import ipaddress
import socket
from urllib.parse import urlsplit

from aiohttp.abc import AbstractResolver, ResolveResult
from aiohttp.resolver import ThreadedResolver

from bot.sources.base import Refused

SCHEMES = ("http", "https")


def is_public(address: str) -> bool:
    """True for a globally routable unicast address (not loopback, private, link-local, ...)."""
    try:
        ip = ipaddress.ip_address(address.split("%", 1)[0])
    except ValueError:
        return False
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped:
        ip = ip.ipv4_mapped
    return ip.is_global and not (ip.is_multicast or ip.is_reserved or ip.is_unspecified)


def _ip_literal(host: str) -> str | None:
    try:
        return str(ipaddress.ip_address(host.strip("[]")))
    except ValueError:
        return None


def check_url(url: str, allowed_hosts: frozenset[str]) -> str:
    """The URL if Vigie may fetch it: http(s), a host, no credentials, no private IP literal."""
    parts = urlsplit(url)
    if parts.scheme.lower() not in SCHEMES:
        raise Refused(f"only http and https URLs are fetched, not {parts.scheme or 'this'}")
    host = (parts.hostname or "").lower()
    if not host:
        raise Refused("the URL has no host")
    if parts.username or parts.password:
        raise Refused("URLs with credentials are not fetched")
    if host in allowed_hosts:
        return url
    literal = _ip_literal(host)
    if literal is not None and not is_public(literal):
        raise Refused(f"{host} is a private or reserved address")
    if host == "localhost" or host.endswith((".localhost", ".local", ".internal")):
        raise Refused(f"{host} is a local name")
    return url


class GuardedResolver(AbstractResolver):
    """Resolves names, refusing any that leads to a non-public address."""

    def __init__(self, allowed_hosts: frozenset[str]) -> None:
        self._allowed = allowed_hosts
        self._inner = ThreadedResolver()

    async def resolve(self, host: str, port: int = 0, family: socket.AddressFamily = socket.AF_INET) -> list[ResolveResult]:
        results = await self._inner.resolve(host, port, family)
        if host.lower() not in self._allowed:
            private = [r["host"] for r in results if not is_public(r["host"])]
            if private:
                raise Refused(f"{host} resolves to a private address ({private[0]})")
        return results

    async def close(self) -> None:
        await self._inner.close()
