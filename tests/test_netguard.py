"""The private-network guard: addresses in every written form, IPv6 embeddings, the socket factory,
and the real bot and ingest refusing them without a single connection.

Only loopback is ever connected to: private, metadata and public addresses are checked through
pure functions and the socket factory called directly (it opens a socket, never connects it)."""

from __future__ import annotations

import ipaddress
import socket

import pytest
from yarl import URL

from bot.ingest import Ingest
from bot.model import NEWS, Feed, Refused, Unreachable, feed_id
from bot.netguard import AddressRefused, ConnectGuard, GuardedResolver, check_url, is_public
from bot.sources.http import SafeFetcher
from bot.text import canonical_url
from tests.conftest import OWNER_ID
from tests.fakes.listener import CountingListener

NON_PUBLIC_IPV4 = ["127.0.0.1", "10.0.0.1", "192.168.1.1", "172.16.0.1", "100.64.0.1", "169.254.169.254"]
NO_HOSTS: frozenset[str] = frozenset()


def _digits(address: str, zero: int) -> str:
    """`address` with its digits taken from the Unicode digits starting at code point `zero`."""
    return "".join(chr(zero + int(c)) if c.isdigit() else c for c in address)


def _circled(address: str) -> str:
    """`address` in circled digits (⓪ ① ... ⑨)."""
    return "".join(("⓪" if c == "0" else chr(0x2460 + int(c) - 1)) if c.isdigit() else c for c in address)


def unicode_forms(address: str) -> list[str]:
    """Ways of writing `address` that yarl (so aiohttp) normalizes to it."""
    fullwidth = _digits(address, 0xFF10)
    return [
        fullwidth,
        _circled(address),
        address.replace(".", "。"),  # ideographic full stop
        address.replace(".", "．"),  # fullwidth full stop
        address.replace(".", "｡"),  # halfwidth ideographic full stop
        fullwidth.replace(".", "．"),
        _digits(address, 0x1D7CE),  # mathematical bold digits
        _digits(address, 0x1D7D8),  # mathematical double-struck digits
    ]


def legacy_forms(address: str) -> list[str]:
    """Numeric forms of `address` that inet_aton (so getaddrinfo) reads, none a plain dotted quad."""
    a, b, c, d = (int(part) for part in address.split("."))
    number = int(ipaddress.IPv4Address(address))
    return [
        f"{number:#010x}",
        str(number),
        ".".join(f"0{int(part):o}" for part in (a, b, c, d)),
        f"{a:#x}.{b}.{c}.{d}",
        f"{a}.{b << 16 | c << 8 | d}",
        f"{a}.{b}.{c << 8 | d}",
        _digits(f"{number:#010x}", 0xFF10).replace("x", "ｘ"),
    ]


def _teredo(server: str, client: str) -> str:
    """A Teredo address (2001::/32) for `server` and `client` (stored inverted)."""
    value = (0x20010000 << 96) | (int(ipaddress.IPv4Address(server)) << 64) | (0x8000 << 48) | (0x1234 << 32)
    return str(ipaddress.IPv6Address(value | (int(ipaddress.IPv4Address(client)) ^ 0xFFFFFFFF)))


def embedding_forms(address: str) -> list[str]:
    """IPv6 addresses that carry `address`: mapped, compatible, NAT64, 6to4, Teredo both ways."""
    packed = int(ipaddress.IPv4Address(address))
    sixtofour = str(ipaddress.IPv6Address((0x2002 << 112) | (packed << 80)))
    return [
        f"::ffff:{address}",
        f"::{address}",
        f"64:ff9b::{address}",
        sixtofour,
        _teredo(address, "8.8.8.8"),
        _teredo("8.8.8.8", address),
    ]


def _refusal(url: str, allowed: frozenset[str] = NO_HOSTS) -> str:
    """The reason `check_url` refuses `url` (the test fails when it accepts it)."""
    with pytest.raises(Refused) as refused:
        check_url(url, allowed)
    return refused.value.detail


# ------------------------------------------------------------------------- check_url / is_public


@pytest.mark.parametrize("address", NON_PUBLIC_IPV4)
def test_an_ipv4_in_unicode_or_legacy_form_is_refused(address):
    assert "private or reserved" in _refusal(f"http://{address}/feed.xml")
    for form in unicode_forms(address):
        assert URL(f"http://{form}:8080/feed.xml").raw_host == address  # what aiohttp connects to
        reason = f"{form} is an address written in an unusual form ({address})"
        assert _refusal(f"http://{form}:8080/feed.xml") == reason
    for form in legacy_forms(address):
        assert socket.inet_ntoa(socket.inet_aton(URL(f"http://{form}/").raw_host)) == address
        assert "written in an unusual form" in _refusal(f"https://{form}/feed.xml"), form


@pytest.mark.parametrize("address", NON_PUBLIC_IPV4)
def test_an_ipv6_embedding_a_non_public_ipv4_is_refused(address):
    for form in embedding_forms(address):
        assert not is_public(form), form
        assert "private or reserved" in _refusal(f"http://[{form}]:8080/feed.xml"), form


def test_ipv6_is_judged_by_explicit_rules():
    expected = {
        "::1": False,
        "::": False,
        "fc00::1": False,
        "fd12:3456::1": False,
        "fe80::1": False,
        "fe80::1%eth0": False,
        "ff02::1": False,
        "2001:db8::1": False,
        "64:ff9b:1::808:808": False,  # local-use NAT64: whatever it carries
        _teredo("8.8.8.8", "8.8.4.4"): False,  # Teredo: always
        "2606:2800:220:1:248:1893:25c8:1946": True,
        "2002:0808:0808::": True,
        "64:ff9b::808:808": True,
        "::ffff:8.8.8.8": True,
    }
    assert {address: is_public(address) for address in expected} == expected


def test_public_addresses_pass_only_when_written_plainly():
    for url in (
        "http://93.184.216.34/feed.xml",
        "https://[2002:0808:0808::]/feed.xml",
        "https://[64:ff9b::808:808]/feed.xml",
        "https://exämple.com/feed.xml",
        "https://example.com./feed.xml",
        "HTTPS://Example.COM:8443/feed.xml",
    ):
        assert check_url(url, NO_HOSTS) == url
    for form in unicode_forms("93.184.216.34") + legacy_forms("93.184.216.34"):
        assert "written in an unusual form (93.184.216.34)" in _refusal(f"http://{form}/feed.xml"), form


def test_local_names_schemes_and_credentials_are_refused():
    for url, reason in [
        ("http://localhost:8080/", "localhost is a local name"),
        ("http://localhost./", "localhost is a local name"),
        ("http://ＬＯＣＡＬＨＯＳＴ/", "localhost is a local name"),
        ("http://feeds.localhost/", "feeds.localhost is a local name"),
        ("http://printer.local./", "printer.local is a local name"),
        ("http://db.internal/", "db.internal is a local name"),
        ("file:///etc/passwd", "only http and https URLs are fetched, not file"),
        ("ftp://example.com/feed.xml", "only http and https URLs are fetched, not ftp"),
        ("http://user:secret@example.com/", "URLs with credentials are not fetched"),
        ("http:///feed.xml", "the URL has no host"),
        ("http://example.com\\@127.0.0.1/", "the URL is not valid"),
    ]:
        assert _refusal(url).startswith(reason), url


def test_the_allow_list_is_compared_in_the_normalized_form():
    assert check_url("http://localhost:8080/feed.xml", frozenset({"localhost."}))
    assert check_url("http://LOCALHOST./feed.xml", frozenset({"localhost"}))
    assert check_url("http://[::1]:8080/feed.xml", frozenset({"[::1]"}))
    assert check_url("http://xn--exmple-cua.com/feed.xml", frozenset({"Exämple.com"}))
    assert check_url("http://１２７.０.０.１:8080/feed.xml", frozenset({"127.0.0.1"}))
    assert "private or reserved" in _refusal("http://127.0.0.2/feed.xml", frozenset({"127.0.0.1"}))
    assert "unusual form" in _refusal("http://2130706433/feed.xml", frozenset({"localhost"}))


# ------------------------------------------------------------------------- the socket factory


def _addr_info(address: str) -> tuple:
    """An addr_info as aiohttp hands it to the socket factory."""
    if ":" in address:
        return (socket.AF_INET6, socket.SOCK_STREAM, socket.IPPROTO_TCP, "", (address, 443, 0, 0))
    return (socket.AF_INET, socket.SOCK_STREAM, socket.IPPROTO_TCP, "", (address, 443))


def test_the_socket_factory_opens_no_socket_to_a_non_public_address():
    guard = ConnectGuard(frozenset({"127.0.0.1", "feeds.example"}))
    refused = ["127.0.0.2", "::1", "fe80::1%eth0", "fd00::1", "64:ff9b:1::808:808"]
    for address in NON_PUBLIC_IPV4[1:]:
        refused += [address] + embedding_forms(address)
    for address in refused:
        with pytest.raises(AddressRefused, match="private or reserved") as error:
            guard(_addr_info(address))
        assert isinstance(error.value, OSError)
    guard.allow("10.1.2.3")  # an allowed name resolved to it
    for address in ("127.0.0.1", "10.1.2.3", "93.184.216.34", "2002:808:808::", "64:ff9b::808:808"):
        sock = guard(_addr_info(address))
        assert sock.family == _addr_info(address)[0]
        sock.close()


async def test_the_resolver_passes_the_addresses_of_allowed_names_only():
    guard = ConnectGuard(NO_HOSTS)
    with pytest.raises(Refused, match="resolves to a private address"):
        await GuardedResolver(NO_HOSTS, guard).resolve("localhost", 80, socket.AF_INET)
    with pytest.raises(AddressRefused):
        guard(_addr_info("127.0.0.1"))
    resolved = await GuardedResolver(frozenset({"LocalHost."}), guard).resolve("localhost", 80, socket.AF_INET)
    assert [r["host"] for r in resolved] == ["127.0.0.1"]
    guard(_addr_info("127.0.0.1")).close()


# ------------------------------------------------------------------------- through the fetcher


@pytest.fixture
async def listener():
    async with CountingListener() as server:
        yield server


async def test_the_socket_factory_alone_stops_a_connection(listener, monkeypatch):
    monkeypatch.setattr("bot.sources.http.check_url", lambda url, allowed: url)  # as if it missed one
    fetcher = SafeFetcher()
    try:
        for host in ("127.0.0.1", "１２７.０.０.１", "[::ffff:127.0.0.1]"):
            with pytest.raises(Refused, match="private or reserved address"):
                await fetcher.get(f"http://{host}:{listener.port}/feed.xml")
    finally:
        await fetcher.close()
    assert listener.connections == 0


async def test_an_allowed_name_is_connected_to_through_every_guard(listener):
    fetcher = SafeFetcher(frozenset({"localhost."}))
    try:
        with pytest.raises(Unreachable):  # the listener hangs up without answering
            await fetcher.get(f"http://LOCALHOST:{listener.port}/feed.xml")
    finally:
        await fetcher.close()
    assert listener.connections >= 1


async def test_a_local_name_opens_its_own_port_only():
    guard = ConnectGuard(NO_HOSTS)
    resolver = GuardedResolver(NO_HOSTS, guard, {"exemple.invalid": 8443})
    [resolved] = await resolver.resolve("EXEMPLE.invalid.", 80, socket.AF_INET)
    assert (resolved["host"], resolved["port"]) == ("127.0.0.1", 8443)  # whatever the URL's port
    info = _addr_info("127.0.0.1")
    guard((*info[:4], ("127.0.0.1", 8443))).close()
    with pytest.raises(AddressRefused):  # loopback on any other port stays closed
        guard(info)


async def test_a_local_name_reaches_its_own_port_only_and_lets_no_other_loopback_through(listener):
    fetcher = SafeFetcher(local_hosts={"exemple.invalid": listener.port})  # the console's samples
    try:
        with pytest.raises(Unreachable):  # the listener hangs up without answering: it was reached
            await fetcher.get("http://Exemple.Invalid/feeds/eco.xml")  # whatever the URL's port
        reached = listener.connections
        assert reached >= 1
        with pytest.raises(Refused, match="private or reserved address"):  # 127.0.0.1 itself stays refused
            await fetcher.get(f"http://127.0.0.1:{listener.port}/feed.xml")
    finally:
        await fetcher.close()
    assert listener.connections == reached


# ------------------------------------------------------------------------- the bot and ingest


def _loopback_urls(port: int) -> dict[str, str]:
    """URLs reaching the listener on 127.0.0.1 if let through, with the reason each is refused."""
    unusual = "127.0.0.1, écrite sous une forme inhabituelle"
    urls = {f"http://{form}:{port}/feed.xml": unusual for form in unicode_forms("127.0.0.1")}
    urls[f"http://localhost:{port}/"] = "localhost est un nom local"
    urls[f"http://[::ffff:127.0.0.1]:{port}/"] = "::ffff:7f00:1 est une adresse privée ou réservée"
    urls[f"http://2130706433:{port}/"] = unusual
    return urls


async def test_the_bot_refuses_every_form_of_loopback_without_connecting(bot, tg, listener):
    owner = tg.user(OWNER_ID)
    for url, reason in _loopback_urls(listener.port).items():
        await tg.send_text(owner, f"/feed add {url}")
        [answer] = await tg.wait_for_messages(OWNER_ID, 1)
        assert answer["text"] == f"Adresse refusée : {reason}.", url
    assert listener.connections == 0
    assert await bot.services.store.feeds.all() == []


async def test_a_feed_stored_before_the_fix_fails_as_refused_without_connecting(services, listener):
    urls = list(_loopback_urls(listener.port))
    for url in urls:
        await services.store.feeds.save(Feed(id=feed_id(canonical_url(url)), url=url, targets=frozenset({NEWS})))
    report = await Ingest(services).cycle()
    assert report.feeds_failed == len(urls) and report.feeds_fetched == 0
    for url in urls:
        feed = await services.store.feeds.get(feed_id(canonical_url(url)))
        assert (feed.error_kind, feed.failures) == ("refused", 1), url
    assert listener.connections == 0
