"""Refusing private networks (SSRF) for URLs users give us.

Three checks, each needed:
- `check_url` before each request and redirect hop. It reads the host as aiohttp will connect to
  it (yarl's IDNA/NFKC form, in which `１２７.０.０.１` is `127.0.0.1`), refuses an address written
  in an unusual form (non-ASCII digits or dots, `0x7f000001`, `2130706433`, `127.1`) and requires
  a plain IP literal to be public: aiohttp connects to an IP literal without asking the resolver.
- `GuardedResolver` when a host name is resolved at connect time (so a name cannot resolve to a
  public address when checked and a private one when used).
- `ConnectGuard`, aiohttp's socket factory, on every address actually connected to, whatever
  the two others missed.

Hosts listed in VIGIE_ALLOWED_FEED_HOSTS are exempt, compared in the same normalized form. So are
local names (the console's samples): names this process serves itself on 127.0.0.1, each at a
port of its own, which `GuardedResolver` answers without asking the DNS.
"""

from __future__ import annotations

import ipaddress
import socket
from collections.abc import Iterable, Mapping
from urllib.parse import urlsplit

from aiohttp.abc import AbstractResolver, ResolveResult
from aiohttp.resolver import ThreadedResolver
from yarl import URL

from bot.model import Reason, Refused

SCHEMES = ("http", "https")
LOCAL_SUFFIXES = (".localhost", ".local", ".internal")
LOOPBACK = "127.0.0.1"

# IPv4 networks that are not globally reachable (IANA special-purpose registry, multicast, reserved).
IPV4_NOT_PUBLIC = tuple(
    ipaddress.IPv4Network(n)
    for n in (
        "0.0.0.0/8",  # this network
        "10.0.0.0/8",  # private
        "100.64.0.0/10",  # carrier-grade NAT
        "127.0.0.0/8",  # loopback
        "169.254.0.0/16",  # link-local, cloud metadata
        "172.16.0.0/12",  # private
        "192.0.0.0/24",  # IETF protocol assignments
        "192.0.2.0/24",  # documentation
        "192.88.99.0/24",  # 6to4 relay anycast (deprecated)
        "192.168.0.0/16",  # private
        "198.18.0.0/15",  # benchmarking
        "198.51.100.0/24",  # documentation
        "203.0.113.0/24",  # documentation
        "224.0.0.0/4",  # multicast
        "240.0.0.0/4",  # reserved, broadcast
    )
)
# IPv6: only global unicast (2000::/3) is public, less these; an address embedding an IPv4 is
# judged by that IPv4. Everything else is refused: loopback, ULA, link-local, multicast, the
# local-use NAT64 prefix 64:ff9b:1::/48...
IPV6_GLOBAL_UNICAST = ipaddress.IPv6Network("2000::/3")
IPV6_NOT_PUBLIC = tuple(
    ipaddress.IPv6Network(n)
    for n in (
        "2001::/23",  # IETF protocol assignments, Teredo (2001::/32) among them
        "2001:db8::/32",  # documentation
        "3fff::/20",  # documentation
    )
)
NAT64_WELL_KNOWN = ipaddress.IPv6Network("64:ff9b::/96")
IPV4_COMPATIBLE = ipaddress.IPv6Network("::/96")


class AddressRefused(OSError):
    """A connection to a non-public address, stopped before the socket was opened."""

    def __init__(self, address: str) -> None:
        super().__init__(f"{address} is a private or reserved address")
        self.address = address


def _ip(address: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    """The IP address `address` is written as (brackets and zone ignored), else None."""
    try:
        return ipaddress.ip_address(address.strip("[]").split("%", 1)[0])
    except ValueError:
        return None


def _embedded_ipv4(ip: ipaddress.IPv6Address) -> ipaddress.IPv4Address | None:
    """The IPv4 address an IPv6 address carries: mapped, compatible, NAT64 or 6to4."""
    if ip.ipv4_mapped:
        return ip.ipv4_mapped
    if ip in IPV4_COMPATIBLE or ip in NAT64_WELL_KNOWN:
        return ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF)
    return ip.sixtofour


def _public_ipv4(ip: ipaddress.IPv4Address) -> bool:
    """True unless `ip` is in a network that is not globally reachable."""
    return not any(ip in network for network in IPV4_NOT_PUBLIC)


def _public_ipv6(ip: ipaddress.IPv6Address) -> bool:
    """True for global unicast outside the special ranges, an embedded IPv4 being judged as such."""
    embedded = _embedded_ipv4(ip)
    if embedded is not None:
        return _public_ipv4(embedded)
    return ip in IPV6_GLOBAL_UNICAST and not any(ip in network for network in IPV6_NOT_PUBLIC)


def is_public(address: str) -> bool:
    """True for a globally routable unicast address (not loopback, private, link-local, ...)."""
    ip = _ip(address)
    if ip is None:
        return False
    if isinstance(ip, ipaddress.IPv6Address):
        return _public_ipv6(ip)
    return _public_ipv4(ip)


def normalize_host(host: str) -> str:
    """`host` as the client connects to it: IDNA, lower-case, no brackets, no trailing dot."""
    host = host.strip().strip("[]").rstrip(".").lower()
    ip = _ip(host)
    if ip is not None:
        return str(ip)
    try:
        return (URL.build(scheme="http", host=host).raw_host or "").rstrip(".").lower()
    except ValueError:
        return host


def normalize_hosts(hosts: Iterable[str]) -> frozenset[str]:
    """The allow-list in the form `check_url` compares hosts in."""
    return frozenset(normalize_host(host) for host in hosts)


def _legacy_ipv4(host: str) -> str | None:
    """The IPv4 address inet_aton (so getaddrinfo) reads in `host`, if it reads one."""
    try:
        packed = socket.inet_aton(host)
    except (OSError, ValueError):
        return None
    return socket.inet_ntoa(packed)


def _unusual_address(written: str, host: str) -> str | None:
    """The address `host` is when written (as `written`) other than as a plain ASCII IP literal."""
    ip = _ip(host)
    if ip is not None:
        return None if written.isascii() else str(ip)
    return _legacy_ipv4(host)


def _parse(url: str) -> tuple[URL, str]:
    """The URL as yarl (so aiohttp) reads it, and its host as written."""
    try:
        return URL(url), urlsplit(url).hostname or ""
    except ValueError as exc:
        raise Refused(f"the URL is not valid ({exc})", Reason.BAD_URL) from None


def check_url(url: str, allowed_hosts: frozenset[str]) -> str:
    """The URL if Vigie may fetch it: http(s), a host, no credentials, no private or odd address."""
    parsed, written = _parse(url)
    if parsed.scheme not in SCHEMES:
        raise Refused(f"only http and https URLs are fetched, not {parsed.scheme or 'this'}", Reason.NOT_HTTP)
    host = normalize_host(parsed.raw_host or "")
    if not host:
        raise Refused("the URL has no host", Reason.NO_HOST)
    if parsed.raw_user is not None or parsed.raw_password is not None:
        raise Refused("URLs with credentials are not fetched", Reason.CREDENTIALS)
    if host in normalize_hosts(allowed_hosts):
        return url
    unusual = _unusual_address(written, host)
    if unusual is not None:
        raise Refused(f"{written} is an address written in an unusual form ({unusual})", Reason.UNUSUAL, unusual)
    if _ip(host) is not None and not is_public(host):
        raise Refused(f"{host} is a private or reserved address", Reason.PRIVATE, host)
    if host == "localhost" or host.endswith(LOCAL_SUFFIXES):
        raise Refused(f"{host} is a local name", Reason.LOCAL_NAME, host)
    return url


class ConnectGuard:
    """aiohttp's socket factory: opens no socket to a non-public address unless it is allowed."""

    def __init__(self, allowed_hosts: frozenset[str]) -> None:
        self._allowed = {host for host in normalize_hosts(allowed_hosts) if _ip(host) is not None}
        self._allowed_ports: set[tuple[str, int]] = set()  # (address, port): a local name's

    def allow(self, address: str, port: int | None = None) -> None:
        """Let connections to `address` through (an allowed name resolved to it), or only to its
        `port` (a local name's)."""
        if port is None:
            self._allowed.add(normalize_host(address))
        else:
            self._allowed_ports.add((normalize_host(address), port))

    def __call__(self, addr_info: tuple) -> socket.socket:
        """A socket for `addr_info` (family, type, proto, canonname, sockaddr), or AddressRefused."""
        family, type_, proto, _, sockaddr = addr_info
        address, port = normalize_host(sockaddr[0]), sockaddr[1]
        if not is_public(address) and address not in self._allowed and (address, port) not in self._allowed_ports:
            raise AddressRefused(sockaddr[0])
        return socket.socket(family, type_, proto)


class GuardedResolver(AbstractResolver):
    """Resolves names, refusing any that leads to a non-public address; the addresses of allowed
    names are passed on to the `ConnectGuard`. A local name (name -> port) is 127.0.0.1 at its
    port, whatever port its URL gives."""

    def __init__(
        self, allowed_hosts: frozenset[str], guard: ConnectGuard, local: Mapping[str, int] | None = None
    ) -> None:
        self._allowed = normalize_hosts(allowed_hosts)
        self._guard = guard
        self._local = {normalize_host(name): port for name, port in (local or {}).items()}
        self._inner = ThreadedResolver()

    async def resolve(
        self, host: str, port: int = 0, family: socket.AddressFamily = socket.AF_INET
    ) -> list[ResolveResult]:
        local_port = self._local.get(normalize_host(host))
        if local_port is not None:
            self._guard.allow(LOOPBACK, local_port)
            flags = socket.AI_NUMERICHOST | socket.AI_NUMERICSERV
            return [
                ResolveResult(
                    hostname=host, host=LOOPBACK, port=local_port, family=socket.AF_INET, proto=0, flags=flags
                )
            ]
        results = await self._inner.resolve(host, port, family)
        if normalize_host(host) in self._allowed:
            for result in results:
                self._guard.allow(result["host"])
            return results
        private = [r["host"] for r in results if not is_public(r["host"])]
        if private:
            raise Refused(f"{host} resolves to a private address ({private[0]})", Reason.RESOLVES_PRIVATE, host)
        return results

    async def close(self) -> None:
        await self._inner.close()
