"""What keeps the web UI and API safe with attacker-controlled article text, titles and URLs.

- ``SecurityHeaders``: a Content-Security-Policy (``default-src 'self'``, no inline script or style,
  no framing), ``X-Content-Type-Options: nosniff``, a strict Referrer-Policy, on every response.
- ``safe_url``: an article URL is a link only when its scheme is http or https.
- ``WriteGuard``: the write endpoints (ingest) need ``Authorization: Bearer TOKEN`` whenever a token is
  configured; without one they are open on loopback (to a loopback ``Host`` only, against DNS
  rebinding) and refused everywhere else. Writes a browser sends for another site are refused.
"""

from __future__ import annotations

import hmac
import ipaddress
import logging
from typing import Any
from urllib.parse import urlsplit

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.types import ASGIApp, Message, Receive, Scope, Send

LOGGER = logging.getLogger(__name__)

CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
)
HEADERS: tuple[tuple[bytes, bytes], ...] = (
    (b"content-security-policy", CSP.encode()),
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"no-referrer"),
    (b"x-frame-options", b"DENY"),
    (b"cross-origin-opener-policy", b"same-origin"),
)


class SecurityHeaders:
    """ASGI middleware adding ``HEADERS`` to every HTTP response (cheaper than a BaseHTTPMiddleware)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                present = {name.lower() for name, _ in message.get("headers", [])}
                extra = [(k, v) for k, v in HEADERS if k not in present]
                message["headers"] = [*message.get("headers", []), *extra]
            await send(message)

        await self.app(scope, receive, send_with_headers)


class BodyLimit:
    """ASGI middleware: reading more than ``max_bytes`` of a request body (or a body declared larger)
    raises a 413 ``HTTPException``, which the app's error handlers turn into the usual error shape."""

    def __init__(self, app: ASGIApp, *, max_bytes: int) -> None:
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = dict(scope.get("headers", [])).get(b"content-length", b"")
        too_big = HTTPException(413, f"request body over {self.max_bytes} bytes")
        seen = 0

        async def limited() -> Message:
            nonlocal seen
            if declared.isdigit() and int(declared) > self.max_bytes:
                raise too_big
            message = await receive()
            seen += len(message.get("body", b""))
            if seen > self.max_bytes:
                raise too_big
            return message

        await self.app(scope, limited, send)


def header_dict() -> dict[str, str]:
    """``HEADERS`` as a plain dict (for responses built outside the middleware, such as a 500)."""
    return {k.decode(): v.decode() for k, v in HEADERS}


def safe_url(url: str | None) -> str | None:
    """``url`` when it is an absolute http(s) URL, else None (never ``javascript:``, ``data:``...)."""
    if not url:
        return None
    cleaned = url.strip()
    try:
        parts = urlsplit(cleaned)
    except ValueError:
        return None
    if parts.scheme.lower() not in ("http", "https") or not parts.netloc:
        return None
    if any(ch.isspace() or not ch.isprintable() for ch in cleaned):
        return None
    return cleaned


def is_loopback(host: str) -> bool:
    """Whether ``host`` (what the server binds to) reaches this machine only."""
    if host.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


class WriteGuard:
    """Decides who may call the write endpoints.

    ``token`` set: every write needs ``Authorization: Bearer <token>`` (compared in constant time).
    No token: writes are open when the server listens on loopback only, and refused otherwise.
    """

    def __init__(self, *, token: str | None, loopback: bool) -> None:
        self.token = token or None
        self.loopback = loopback

    def __repr__(self) -> str:
        return f"WriteGuard(token={'set' if self.token else None}, loopback={self.loopback})"

    def check(self, request: Request) -> None:
        """Raise 401/403 unless ``request`` may write."""
        _refuse_cross_site(request)
        if self.token is None:
            if not self.loopback:
                raise HTTPException(
                    403,
                    "writes are disabled: this server listens beyond loopback and STORYLINE_TOKEN is not set",
                )
            host = urlsplit(f"//{request.headers.get('host', '')}").hostname or ""
            if not is_loopback(host):  # a DNS-rebound name pointing at 127.0.0.1
                raise HTTPException(
                    403, f"writes without a token are only taken for a loopback Host, not {host!r}"
                )
            return
        scheme, _, given = request.headers.get("authorization", "").partition(" ")
        if scheme.lower() != "bearer" or not hmac.compare_digest(given.strip().encode(), self.token.encode()):
            raise HTTPException(
                401, "missing or wrong token: send Authorization: Bearer <STORYLINE_TOKEN>", _BEARER
            )


_BEARER: dict[str, Any] = {"WWW-Authenticate": "Bearer"}


def _refuse_cross_site(request: Request) -> None:
    """403 for a write a browser sends on behalf of another site (an ``Origin`` that is not this server,
    or ``Sec-Fetch-Site: cross-site``): with writes open on loopback, any page could post otherwise."""
    origin = request.headers.get("origin")
    own = f"{request.url.scheme}://{request.headers.get('host', '')}"
    if (origin is not None and origin != own) or request.headers.get("sec-fetch-site") == "cross-site":
        raise HTTPException(403, f"cross-site write refused (Origin {origin!r} is not {own!r})")
