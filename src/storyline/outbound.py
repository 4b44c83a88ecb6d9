"""The guard every outbound request goes through: which addresses it may reach, and for how long.

A URL is attacker-controlled (a feed's entry links, a redirect's ``Location``, a watchlist's
webhook): without a guard, ``http://127.0.0.1:8080/admin``, ``http://169.254.169.254/`` (cloud
metadata) or a name that resolves to a private address would be fetched from inside the network
and the answer stored and served. So:

- ``AddressPolicy`` refuses every address that is not globally reachable: loopback, private,
  link-local, multicast, reserved, unspecified, shared (100.64/10), and IPv6 forms that carry such
  an IPv4 address (IPv4-mapped ``::ffff:127.0.0.1``, 6to4 ``2002::/16``, Teredo, NAT64
  ``64:ff9b::/96``), unless ``Settings.allow_private_networks`` (CIDRs) covers it. Odd IPv4
  notations (``2130706433``, ``0x7f.0.0.1``, ``127.1``) are no way round it: the check runs on what
  ``socket.getaddrinfo`` resolves the host to, which is what a connection would use.
- ``GuardedTransport`` is the real network transport (an ``httpx.HTTPTransport``) whose connections
  are made by ``GuardedBackend``: each new connection resolves its host once, refuses it if any
  address is refused, and connects to the address it checked (so a DNS answer that changes between
  check and connect, "rebinding", cannot slip through). Every redirect hop opens its connection
  there, so every hop is checked. Environment proxies are ignored (a proxy would reach what the
  guard refuses).
- ``deadline(seconds)`` bounds a whole exchange (connect, TLS, headers, body, every redirect): each
  socket read and write gets at most the time left, so a server dripping one byte at a time
  cannot hold a fetch past it.

A transport injected by the caller (tests' ``httpx.MockTransport``) is used as given: the guard
lives in the network layer, where addresses exist, and a mock has none. The deadline still applies
to what the caller reads.
"""

from __future__ import annotations

import ipaddress
import socket
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

import httpcore
import httpx

from storyline.errors import ConfigError, FetchError
from storyline.settings import Settings

__all__ = [
    "AddressPolicy",
    "BlockedAddress",
    "GuardedBackend",
    "GuardedTransport",
    "deadline",
    "expired",
    "redact_url",
    "remaining",
]

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
Network = ipaddress.IPv4Network | ipaddress.IPv6Network
Resolver = Callable[..., list[tuple[Any, ...]]]

_NAT64 = ipaddress.IPv6Network("64:ff9b::/96")
_DEADLINE: ContextVar[float | None] = ContextVar("storyline_outbound_deadline", default=None)


class BlockedAddress(FetchError):
    """A request to an address the policy refuses (reason ``blocked_address``)."""

    def __init__(self, host: str, address: str, why: str) -> None:
        detail = (
            f"{host} resolves to {address}, a {why} address; outbound requests reach it only when"
            " allow_private_networks covers it"
        )
        super().__init__("blocked_address", detail)
        self.host = host
        self.address = address


@dataclass(frozen=True, slots=True)
class AddressPolicy:
    """Which addresses outbound requests may reach: the global ones, and ``allowed`` networks."""

    allowed: tuple[Network, ...] = ()
    resolve: Resolver = socket.getaddrinfo

    @classmethod
    def from_settings(cls, settings: Settings, *, resolve: Resolver = socket.getaddrinfo) -> AddressPolicy:
        """The policy of ``allow_private_networks`` (comma-separated CIDRs; a bad one is a ConfigError)."""
        allowed: list[Network] = []
        for part in settings.allow_private_networks.split(","):
            if part.strip():
                try:
                    allowed.append(ipaddress.ip_network(part.strip(), strict=False))
                except ValueError as e:
                    problem = f"allow_private_networks: {part.strip()!r} is not a network: {e}"
                    raise ConfigError(problem) from e
        return cls(tuple(allowed), resolve)

    def refusal(self, address: IPAddress) -> str | None:
        """Why ``address`` is refused (``"loopback"``, ``"private"``...), or None when it may be reached."""
        forms: list[IPAddress] = [address]
        if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
            address = address.ipv4_mapped  # the same host: judged (and allowed) as its IPv4 form
            forms.append(address)
        if any(form in net for form in forms for net in self.allowed if net.version == form.version):
            return None
        why = _kind(address)
        if why is None and isinstance(address, ipaddress.IPv6Address):
            for inner in _embedded_ipv4(address):
                if (inner_why := self.refusal(inner)) is not None:
                    return f"{inner_why} (carried in {address})"
        return why

    def check_host(self, host: str, port: int) -> list[str]:
        """The addresses ``host`` resolves to, all allowed; raise ``BlockedAddress`` if any is not.

        Every address must pass (not just the first): a connection may fall back to any of them.
        """
        try:
            infos = self.resolve(host, port, 0, socket.SOCK_STREAM)
        except (OSError, UnicodeError) as e:
            raise httpcore.ConnectError(f"cannot resolve {host!r}: {e}") from e
        addresses: list[str] = []
        for info in infos:
            text = str(info[4][0])
            address = ipaddress.ip_address(text.partition("%")[0])
            why = self.refusal(address)
            if why is not None:
                raise BlockedAddress(host, text, why)
            if text not in addresses:
                addresses.append(text)
        if not addresses:
            raise httpcore.ConnectError(f"{host!r} resolves to no address")
        return addresses


def _kind(address: IPAddress) -> str | None:
    """The first non-global property of ``address``, or None for a globally reachable one."""
    for name in ("unspecified", "loopback", "link_local", "multicast", "private", "reserved"):
        if getattr(address, f"is_{name}"):
            return name.replace("_", "-")
    if isinstance(address, ipaddress.IPv6Address) and address.is_site_local:
        return "site-local"
    return None if address.is_global else "non-global"


def _embedded_ipv4(address: ipaddress.IPv6Address) -> Iterator[ipaddress.IPv4Address]:
    """IPv4 addresses an IPv6 address carries to a gateway: 6to4, Teredo (both ends), NAT64."""
    if address.sixtofour is not None:
        yield address.sixtofour
    if address.teredo is not None:
        yield from address.teredo
    if address in _NAT64:
        yield ipaddress.IPv4Address(int(address) & 0xFFFFFFFF)


# -- the total deadline ----------------------------------------------------------------------------


@contextmanager
def deadline(seconds: float) -> Iterator[None]:
    """Bound every guarded socket operation inside the block to ``seconds`` from now, in all.

    Nested blocks keep the earlier end. The end lives in a context variable, so it follows the
    thread (or task) that does the request.
    """
    end = time.monotonic() + seconds
    outer = _DEADLINE.get()
    token = _DEADLINE.set(end if outer is None else min(outer, end))
    try:
        yield
    finally:
        _DEADLINE.reset(token)


def remaining() -> float | None:
    """Seconds left before the current deadline (may be negative), or None outside one."""
    end = _DEADLINE.get()
    return None if end is None else end - time.monotonic()


def expired() -> bool:
    """Whether the current deadline (if any) has passed."""
    left = remaining()
    return left is not None and left <= 0


def _capped(timeout: float | None, error: type[Exception]) -> float | None:
    """``timeout`` cut to the time left; raise ``error`` when none is left."""
    left = remaining()
    if left is None:
        return timeout
    if left <= 0:
        raise error("the total deadline passed")
    return left if timeout is None else min(timeout, left)


# -- the network layer -----------------------------------------------------------------------------


class _DeadlineStream(httpcore.NetworkStream):
    """A connection whose every read and write gets at most the time left before the deadline."""

    def __init__(self, stream: httpcore.NetworkStream) -> None:
        self._stream = stream

    def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
        return self._stream.read(max_bytes, _capped(timeout, httpcore.ReadTimeout))

    def write(self, buffer: bytes, timeout: float | None = None) -> None:
        self._stream.write(buffer, _capped(timeout, httpcore.WriteTimeout))

    def close(self) -> None:
        self._stream.close()

    def start_tls(
        self, ssl_context: Any, server_hostname: str | None = None, timeout: float | None = None
    ) -> httpcore.NetworkStream:
        tls = self._stream.start_tls(ssl_context, server_hostname, _capped(timeout, httpcore.ConnectTimeout))
        return _DeadlineStream(tls)

    def get_extra_info(self, info: str) -> Any:
        return self._stream.get_extra_info(info)


class GuardedBackend(httpcore.NetworkBackend):
    """Opens TCP connections only to addresses the policy allows, to the very address it checked."""

    def __init__(self, policy: AddressPolicy) -> None:
        self.policy = policy
        self._inner = httpcore.SyncBackend()

    def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Iterable[Any] | None = None,
    ) -> httpcore.NetworkStream:
        addresses = self.policy.check_host(host, port)
        failure: Exception | None = None
        for address in addresses:  # as a plain connect would: the next address if one fails
            try:
                stream = self._inner.connect_tcp(
                    address, port, _capped(timeout, httpcore.ConnectTimeout), local_address, socket_options
                )
            except (httpcore.ConnectError, httpcore.ConnectTimeout) as e:
                failure = e
                continue
            return _DeadlineStream(stream)
        assert failure is not None
        raise failure

    def connect_unix_socket(
        self, path: str, timeout: float | None = None, socket_options: Iterable[Any] | None = None
    ) -> httpcore.NetworkStream:
        raise httpcore.ConnectError("outbound requests never use unix sockets")

    def sleep(self, seconds: float) -> None:
        time.sleep(seconds)


class GuardedTransport(httpx.HTTPTransport):
    """The network transport of every outbound request: http(s) only, guarded connections, deadline.

    It is httpx's own transport with its connection pool rebuilt over ``GuardedBackend`` (httpx
    takes no network backend as an argument); proxies from the environment are never used.
    """

    def __init__(self, policy: AddressPolicy) -> None:
        super().__init__(trust_env=False)
        self.policy = policy
        self._pool = httpcore.ConnectionPool(
            ssl_context=httpx.create_ssl_context(trust_env=False),
            max_connections=100,
            max_keepalive_connections=20,
            keepalive_expiry=5.0,
            network_backend=GuardedBackend(policy),
        )

    @classmethod
    def from_settings(cls, settings: Settings) -> GuardedTransport:
        return cls(AddressPolicy.from_settings(settings))

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        if request.url.scheme not in ("http", "https"):
            raise httpx.UnsupportedProtocol(f"only http and https can be fetched, not {request.url.scheme!r}")
        timeouts = dict(request.extensions.get("timeout", {}))
        for key in ("pool", "connect"):
            timeouts[key] = _capped(timeouts.get(key), httpx.PoolTimeout)
        request.extensions = {**request.extensions, "timeout": timeouts}
        return super().handle_request(request)


def redact_url(url: str | None) -> str | None:
    """``scheme://host/…``: enough to recognise a webhook, never its path or query (often the credential)."""
    if not url:
        return url
    try:
        parts = urlsplit(url)
        host = parts.hostname or ""
        port = f":{parts.port}" if parts.port else ""
    except ValueError:
        return "…"
    host = f"[{host}]" if ":" in host else host
    return f"{parts.scheme}://{host}{port}/…" if host else "…"
