"""Which ``Host`` names the web server answers: the loopback names, plus ``Settings.trusted_hosts``.

Checked on every request, reads included. Without it, a page on ``rebound.evil.example`` whose name an
attacker re-points at 127.0.0.1 (DNS rebinding) is same-origin with this server in the victim's
browser, and can read every page and API answer. The browser still sends ``Host: rebound.evil.example``,
so refusing unknown names closes that door.

Starlette's ``TrustedHostMiddleware`` is not used: it cuts the port at the first ``:`` (so ``[::1]:8765``
never matches) and answers plain text, not the API's error shape.
"""

from __future__ import annotations

import ipaddress
import json
import logging
import re
from dataclasses import dataclass

from starlette.types import ASGIApp, Receive, Scope, Send

from storyline.errors import ConfigError

LOGGER = logging.getLogger(__name__)

LOOPBACK_NAMES = frozenset({"localhost", "127.0.0.1", "::1"})
"""Always trusted, with any port (``[::1]`` is written with brackets in a ``Host`` header)."""
_NAME = re.compile(r"[a-z0-9_]([a-z0-9_-]*[a-z0-9_])?(\.[a-z0-9_]([a-z0-9_-]*[a-z0-9_])?)*")
"""A DNS name or an IPv4 address, lower case, without a trailing dot."""


def split_host(value: str) -> tuple[str, int | None] | None:
    """``(name, port)`` of a ``Host`` header (name lower-cased, IPv6 without brackets), or None when it
    is malformed (empty, a bad port, an unclosed bracket, not a DNS name, a userinfo part, spaces...)."""
    value = value.strip().lower()
    if value.startswith("["):
        end = value.find("]")
        name, rest = value[1:end], value[end + 1 :]
        if end < 0 or not name:
            return None
        try:
            ipaddress.IPv6Address(name)
        except ValueError:
            return None
    else:
        name, sep, rest = value.partition(":")
        rest = sep + rest
        if not _NAME.fullmatch(name):
            return None
    if not rest:
        return name, None
    port = rest[1:]
    if not rest.startswith(":") or not port.isdigit() or not 0 < int(port) < 65536:
        return None
    return name, int(port)


@dataclass(frozen=True)
class HostPolicy:
    """Trusted names: exact names (``news.example.com``, ``[2001:db8::1]``), optionally with a port
    (``news.example.com:8443``: that port only), or every subdomain (``*.example.com``)."""

    names: frozenset[str] = LOOPBACK_NAMES
    with_port: frozenset[tuple[str, int]] = frozenset()
    suffixes: tuple[str, ...] = ()

    @classmethod
    def from_setting(cls, trusted_hosts: str) -> HostPolicy:
        """The loopback names plus the comma-separated entries of ``trusted_hosts``."""
        names, with_port, suffixes = set(LOOPBACK_NAMES), set(), []
        for entry in (e.strip() for e in trusted_hosts.split(",")):
            if not entry:
                continue
            if entry.startswith("*.") and split_host(entry[2:]) == (entry[2:].lower(), None):
                suffixes.append("." + entry[2:].lower())
                continue
            parsed = split_host(entry)
            if parsed is None:
                raise ConfigError(f"trusted_hosts: {entry!r} is not a host name (name, name:port, *.domain)")
            if parsed[1] is None:
                names.add(parsed[0])
            else:
                with_port.add((parsed[0], parsed[1]))
        return cls(frozenset(names), frozenset(with_port), tuple(suffixes))

    def allows(self, host_header: str) -> bool:
        """Whether a request with this ``Host`` header is answered."""
        parsed = split_host(host_header)
        if parsed is None:
            return False
        name, port = parsed
        if name in self.names or (port is not None and (name, port) in self.with_port):
            return True
        return any(name.endswith(suffix) for suffix in self.suffixes)


def is_loopback_name(host_header: str) -> bool:
    """Whether a ``Host`` header names this machine by a loopback name (any port)."""
    parsed = split_host(host_header)
    return parsed is not None and parsed[0] in LOOPBACK_NAMES


class TrustedHosts:
    """ASGI middleware: 400, in the API's error shape, for a request whose ``Host`` is not trusted."""

    def __init__(self, app: ASGIApp, *, policy: HostPolicy) -> None:
        self.app = app
        self.policy = policy

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] not in ("http", "websocket"):
            await self.app(scope, receive, send)
            return
        host = ""
        for name, value in scope.get("headers", []):
            if name == b"host":
                host = value.decode("latin-1")
                break
        if self.policy.allows(host):
            await self.app(scope, receive, send)
            return
        LOGGER.warning("web: refused Host %r on %s", host[:100], scope.get("path", ""))
        if scope["type"] == "websocket":
            await send({"type": "websocket.close", "code": 1008})
            return
        error = (
            f"untrusted Host header {host[:100]!r}: this server answers the loopback names and "
            "Settings.trusted_hosts only"
        )
        body = json.dumps({"ok": False, "error": error, "errors": [], "status": 400}).encode()
        headers = [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())]
        await send({"type": "http.response.start", "status": 400, "headers": headers})
        await send({"type": "http.response.body", "body": body})
