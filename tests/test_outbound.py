"""The outbound guard over real sockets: the SSRF matrix, redirects, feed links, the total deadline.

Servers listen on loopback only. The "allowed" server sits on 127.0.0.2 (Linux routes all of 127/8
to lo) and the allow-list names 127.0.0.2/32 alone, so 127.0.0.1 stays a forbidden target that the
allowed server can redirect or link to.
"""

from __future__ import annotations

import ipaddress
import socket
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, ClassVar

import httpx
import pytest

from storyline.errors import ConfigError, FetchError
from storyline.ingest import iter_inputs
from storyline.ingest.fetch import Fetcher
from storyline.model import RawDoc, Rejection
from storyline.outbound import AddressPolicy, GuardedTransport
from storyline.settings import Settings

SECRET = b"<html><body><h1>TOP SECRET</h1><p>internal admin page, never to be stored</p></body></html>"
ALLOWED_HOST = "127.0.0.2"


@dataclass
class Site:
    """A running test server: its base URL and the paths it was asked for."""

    base: str
    hits: list[str] = field(default_factory=list)


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    hits: ClassVar[list[str]] = []
    secret_port: ClassVar[int] = 0

    def do_GET(self) -> None:
        self.hits.append(self.path)
        if self.path.startswith("/redirect"):
            self._send(302, b"", location=f"http://127.0.0.1:{self.secret_port}/secret.html")
        elif self.path == "/feed.xml":
            self._send(200, _feed(self.secret_port, self.server.server_address[1]), "application/rss+xml")
        elif self.path == "/drip-body":
            self.send_response(200)
            self.send_header("Content-Type", "text/plain")
            self.send_header("Content-Length", "40")
            self.end_headers()
            self._drip(b"x" * 40)
        elif self.path == "/drip-headers":
            self._drip(b"HTTP/1.1 200 OK\r\nX-Slow: " + b"y" * 40 + b"\r\n\r\n")
        else:
            self._send(200, SECRET, "text/html; charset=utf-8")

    def _send(self, status: int, body: bytes, kind: str = "text/plain", location: str = "") -> None:
        self.send_response(status)
        if location:
            self.send_header("Location", location)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def _drip(self, data: bytes) -> None:
        try:
            for i in range(len(data)):
                self.wfile.write(data[i : i + 1])
                self.wfile.flush()
                time.sleep(0.5)
        except OSError:
            return  # the client hung up: what the deadline is for

    def log_message(self, *args: Any) -> None:
        return


def _feed(secret_port: int, own_port: int) -> bytes:
    items = "".join(
        f"<item><title>Entry {n}</title><link>{link}</link><guid>e{n}</guid>"
        "<description>short summary</description></item>"
        for n, link in enumerate(
            [
                f"http://127.0.0.1:{secret_port}/secret.html",
                f"http://{ALLOWED_HOST}:{own_port}/redirect-entry",
                f"http://localhost:{secret_port}/secret.html",
            ]
        )
    )
    return (
        f'<?xml version="1.0"?><rss version="2.0"><channel><title>T</title>{items}</channel></rss>'.encode()
    )


class _V6Server(ThreadingHTTPServer):
    address_family = socket.AF_INET6


def _start(host: str, secret_port: int = 0) -> Iterator[Site]:
    hits: list[str] = []
    handler = type("Handler", (_Handler,), {"hits": hits, "secret_port": secret_port})
    server = (_V6Server if ":" in host else ThreadingHTTPServer)((host, 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    shown = f"[{host}]" if ":" in host else host
    yield Site(f"http://{shown}:{server.server_address[1]}", hits)
    server.shutdown()
    server.server_close()


@pytest.fixture
def secret() -> Iterator[Site]:
    """The forbidden target: an internal page on 127.0.0.1."""
    yield from _start("127.0.0.1")


@pytest.fixture
def allowed(secret: Site) -> Iterator[Site]:
    """The allowed server on 127.0.0.2: redirects and links to the secret one."""
    yield from _start(ALLOWED_HOST, int(secret.base.rsplit(":", 1)[1]))


def _port(site: Site) -> int:
    return int(site.base.rsplit(":", 1)[1])


def fetch_all(url: str, settings: Settings) -> list[RawDoc | Rejection]:
    return list(iter_inputs([url], settings))


def assert_blocked(items: list[RawDoc | Rejection], address: str) -> Rejection:
    [item] = items
    assert isinstance(item, Rejection), item
    assert (item.stage, item.reason) == ("fetch", "blocked_address"), item
    assert address in item.detail and "allow_private_networks" in item.detail
    return item


ODD_LOOPBACKS = [
    "127.0.0.1",
    "2130706433",  # decimal
    "0x7f.0.0.1",  # hex octet
    "0x7f000001",  # hex integer
    "017700000001",  # octal integer
    "127.1",  # short form
    "localhost",  # a name that resolves to loopback
    "[::ffff:127.0.0.1]",  # IPv4-mapped IPv6
]


@pytest.mark.parametrize("host", ODD_LOOPBACKS)
def test_loopback_in_any_notation_is_refused_unless_allowed(host: str, secret: Site) -> None:
    url = f"http://{host}:{_port(secret)}/secret.html"
    shown = "1" if host == "localhost" else "127.0.0.1"  # localhost may resolve to ::1 first
    rejection = assert_blocked(fetch_all(url, Settings()), shown)
    assert rejection.origin == url and "loopback" in rejection.detail
    assert secret.hits == []  # refused before any connection
    [page] = fetch_all(url, Settings(allow_private_networks="127.0.0.0/8, ::1/128"))
    assert isinstance(page, RawDoc) and page.body == SECRET  # the same URL, once allowed


def test_octal_dotted_loopback_is_refused_by_the_url_parser(secret: Site) -> None:
    """``0177.0.0.1`` never reaches the network: httpx refuses it as an invalid IPv4 address."""
    for settings in (Settings(), Settings(allow_private_networks="127.0.0.0/8")):
        [item] = fetch_all(f"http://0177.0.0.1:{_port(secret)}/secret.html", settings)
        assert isinstance(item, Rejection) and item.reason in ("unsupported_url", "blocked_address")
    assert secret.hits == []


def test_ipv6_loopback_is_refused_unless_allowed() -> None:
    try:
        sites = _start("::1")
        site = next(sites)
    except OSError:
        pytest.skip("no IPv6 loopback here")
    url = f"{site.base}/secret.html"
    assert_blocked(fetch_all(url, Settings()), "::1")
    assert site.hits == []
    [page] = fetch_all(url, Settings(allow_private_networks="::1/128"))
    assert isinstance(page, RawDoc) and page.body == SECRET
    next(sites, None)


def test_metadata_address_is_refused_without_connecting() -> None:
    started = time.monotonic()
    rejection = assert_blocked(fetch_all("http://169.254.169.254/latest/meta-data/", Settings()), "169.254")
    assert "link-local" in rejection.detail and time.monotonic() - started < 1.0


def test_a_redirect_to_loopback_is_refused_on_the_real_transport(allowed: Site, secret: Site) -> None:
    only_allowed = Settings(allow_private_networks=f"{ALLOWED_HOST}/32")
    url = f"{allowed.base}/redirect"
    rejection = assert_blocked(fetch_all(url, only_allowed), "127.0.0.1")
    assert rejection.origin == url
    assert allowed.hits == ["/redirect"] and secret.hits == []  # the first hop went, the second did not
    both = only_allowed.replace(allow_private_networks=f"{ALLOWED_HOST}/32, 127.0.0.1/32")
    [page] = fetch_all(url, both)
    assert isinstance(page, RawDoc) and page.body == SECRET and page.url == f"{secret.base}/secret.html"


def test_feed_links_to_loopback_are_refused(allowed: Site, secret: Site) -> None:
    settings = Settings(allow_private_networks=f"{ALLOWED_HOST}/32", fetch_feed_links=True)
    items = fetch_all(f"{allowed.base}/feed.xml", settings)
    assert len(items) == 3 and all(isinstance(i, Rejection) for i in items), items
    assert {(i.stage, i.reason) for i in items if isinstance(i, Rejection)} == {("fetch", "blocked_address")}
    assert secret.hits == [] and "/redirect-entry" in allowed.hits
    opened = fetch_all(f"{allowed.base}/feed.xml", settings.replace(allow_private_networks="127.0.0.0/8"))
    assert [i.body for i in opened if isinstance(i, RawDoc)] == [SECRET] * 3


@pytest.mark.parametrize("path", ["/drip-body", "/drip-headers"])
def test_a_dripping_server_is_cut_at_the_total_deadline(path: str, allowed: Site) -> None:
    """One byte every 0.5 s: each read is quick, but the fetch as a whole ends at fetch_timeout_s."""
    settings = Settings(allow_private_networks=f"{ALLOWED_HOST}/32", fetch_timeout_s=1.5)
    started = time.monotonic()
    [item] = fetch_all(allowed.base + path, settings)
    elapsed = time.monotonic() - started
    assert isinstance(item, Rejection) and item.reason == "timeout", item
    assert 1.4 <= elapsed < 2.5, elapsed


@pytest.mark.parametrize(
    "address",
    [
        "0.0.0.0", "10.1.2.3", "172.16.0.1", "192.168.1.1", "100.64.0.1", "169.254.169.254", "224.0.0.1",
        "239.255.255.250", "240.0.0.1", "255.255.255.255", "::", "::1", "fe80::1", "fc00::1", "ff02::1",
        "::ffff:10.0.0.1", "2002:7f00:1::1", "2002:a00:1::1", "64:ff9b::7f00:1", "64:ff9b::a9fe:a9fe",
        "2001:0:4136:e378:8000:63bf:3fff:fdd2", "2001:db8::1",
    ],
)  # fmt: skip
def test_non_global_addresses_are_refused(address: str) -> None:
    policy = AddressPolicy()
    assert policy.refusal(ipaddress.ip_address(address)) is not None
    ip = ipaddress.ip_address(address)
    allowing = AddressPolicy.from_settings(Settings(allow_private_networks=f"{ip}/{ip.max_prefixlen}"))
    assert allowing.refusal(ip) is None


@pytest.mark.parametrize("address", ["93.184.216.34", "1.1.1.1", "2606:4700:4700::1111", "2a00:1450::1"])
def test_global_addresses_pass(address: str) -> None:
    assert AddressPolicy().refusal(ipaddress.ip_address(address)) is None


def test_allow_list_opens_only_its_networks() -> None:
    policy = AddressPolicy.from_settings(Settings(allow_private_networks="10.0.0.0/8, fd00::/8"))
    assert policy.refusal(ipaddress.ip_address("10.9.9.9")) is None
    assert policy.refusal(ipaddress.ip_address("::ffff:10.9.9.9")) is None  # mapped: the same host
    assert policy.refusal(ipaddress.ip_address("fd12::1")) is None
    assert policy.refusal(ipaddress.ip_address("192.168.0.1")) == "private"
    assert policy.refusal(ipaddress.ip_address("127.0.0.1")) == "loopback"
    with pytest.raises(ConfigError, match="allow_private_networks"):
        AddressPolicy.from_settings(Settings(allow_private_networks="10.0.0.0/8, not-a-net"))


def test_a_name_is_refused_when_any_of_its_addresses_is_private() -> None:
    """A DNS answer mixing a public and a private address (or rebinding to one) is refused."""

    def resolve(host: str, port: int, *args: Any) -> list[tuple[Any, ...]]:
        return [
            (socket.AF_INET, socket.SOCK_STREAM, 6, "", ("93.184.216.34", port)),
            (socket.AF_INET, socket.SOCK_STREAM, 6, "", ("10.0.0.7", port)),
        ]

    transport = GuardedTransport(AddressPolicy(resolve=resolve))
    with Fetcher(settings=Settings(), transport=transport) as fetcher, pytest.raises(FetchError) as caught:
        fetcher.fetch("http://news.example.com/page")
    assert caught.value.reason == "blocked_address" and "10.0.0.7" in caught.value.detail


def test_guarded_transport_refuses_other_schemes() -> None:
    with httpx.Client(transport=GuardedTransport(AddressPolicy())) as client, pytest.raises(httpx.HTTPError):
        client.get("file:///etc/passwd")


@pytest.mark.parametrize("url", ["http://xn--/page", "http://a\x00b/page", "http://[::1/page"])
def test_malformed_urls_are_rejections_not_crashes(url: str) -> None:
    [item] = fetch_all(url, Settings())
    assert isinstance(item, Rejection) and item.reason in ("unsupported_url", "network"), item
