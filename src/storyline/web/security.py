"""What keeps the web UI and API safe with attacker-controlled article text, titles and URLs.

- ``TrustedHosts``: every request (reads too) must name a trusted ``Host`` (the loopback names, plus
  ``Settings.trusted_hosts``), else 400: a DNS-rebound name pointing at 127.0.0.1 reads nothing.
- ``SecurityHeaders``: a Content-Security-Policy (``default-src 'self'``, no inline script or style,
  no framing), ``X-Content-Type-Options: nosniff``, a strict Referrer-Policy, on every response.
- ``safe_url``: an article URL is a link only when its scheme is http or https.
- ``WriteGuard``: the write endpoints (ingest) need ``Authorization: Bearer TOKEN`` whenever a token is
  configured; without one they are open to local requests only (server on loopback, a loopback
  ``Host``, no proxy header) and refused everywhere else. Writes a browser sends for another site are
  refused. Compare needs the token when the request is not local; failed tokens and compare calls are
  rate-limited per client address (``ratelimit.py``). docs/security.md has the threat model.
"""

from __future__ import annotations

import hmac
import ipaddress
import logging
from collections.abc import Mapping
from typing import Any
from urllib.parse import urlsplit

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from storyline.web.hosts import is_loopback_name
from storyline.web.ratelimit import RateLimits, TokenBuckets, client_address, too_many

LOGGER = logging.getLogger(__name__)

CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
)
HEADERS: tuple[tuple[bytes, bytes], ...] = (
    (b"content-security-policy", CSP.encode()),
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"same-origin"),  # no-referrer makes Chromium post forms with Origin: null
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
    raises a 413 ``HTTPException``, which the app's error handlers turn into the usual error shape.
    ``paths`` gives some paths a smaller cap (compare: its parsing and scoring cost grows with it)."""

    def __init__(self, app: ASGIApp, *, max_bytes: int, paths: Mapping[str, int] | None = None) -> None:
        self.app = app
        self.max_bytes = max_bytes
        self.paths = dict(paths or {})

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        cap = self.paths.get(scope.get("path", ""), self.max_bytes)
        declared = dict(scope.get("headers", [])).get(b"content-length", b"")
        too_big = HTTPException(413, f"request body over {cap} bytes")
        seen = 0

        async def limited() -> Message:
            nonlocal seen
            if declared.isdigit() and int(declared) > cap:
                raise too_big
            message = await receive()
            seen += len(message.get("body", b""))
            if seen > cap:
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


PROXY_HEADERS = frozenset({b"forwarded", b"x-real-ip", b"via"})
"""With any ``X-Forwarded-*`` header, the marks of a request relayed by a proxy."""


def is_proxied(request: Request) -> bool:
    """Whether ``request`` carries a header a reverse proxy adds (``Forwarded``, ``X-Forwarded-*``,
    ``X-Real-IP``, ``Via``): then it may come from anywhere, whatever address the server listens on."""
    return any(k in PROXY_HEADERS or k.startswith(b"x-forwarded-") for k, _ in request.headers.raw)


class WriteGuard:
    """Decides who may call the write endpoints (and compare, which costs seconds of CPU).

    ``token`` set: every write needs ``Authorization: Bearer <token>`` (compared in constant time).
    No token: writes are open to local requests (``is_local``) and refused otherwise.
    """

    def __init__(self, *, token: str | None, loopback: bool, limits: RateLimits | None = None) -> None:
        self.token = token or None
        self.loopback = loopback
        self.limits = limits or RateLimits()
        self.failures = TokenBuckets(self.limits.auth_failures, self.limits.window_s)
        self.compares = TokenBuckets(self.limits.compare_burst, self.limits.window_s)

    def __repr__(self) -> str:
        return f"WriteGuard(token={'set' if self.token else None}, loopback={self.loopback})"

    def is_local(self, request: Request) -> bool:
        """The server listens on loopback only, the ``Host`` is a loopback name (not a rebound one), and
        no proxy relayed the request (a reverse proxy on the same machine connects from loopback too)."""
        return self.loopback and is_loopback_name(request.headers.get("host", "")) and not is_proxied(request)

    def check(self, request: Request, *, form_token: str = "") -> None:
        """Raise 401/403/429 unless ``request`` may write. ``form_token`` is the token a same-site
        HTML form posted (a browser form cannot send an Authorization header)."""
        _refuse_cross_site(request)
        if self.token is not None:
            self._bearer(request, form_token)
        elif not self.loopback:
            raise HTTPException(
                403, "writes are disabled: this server listens beyond loopback and STORYLINE_TOKEN is not set"
            )
        elif not self.is_local(request):
            raise HTTPException(403, _NOT_LOCAL.format(what="writes"))

    def check_before_body(self, request: Request) -> None:
        """What ``check`` can refuse before a form's body is read (a form carries the token in its
        body): a cross-site post, writes closed to this request, an address past its failed tokens."""
        if self.token is None:
            self.check(request)
            return
        _refuse_cross_site(request)
        wait = self.failures.retry_after(client_address(request))
        if wait:
            raise too_many(wait, "failed tokens")

    def check_compare(self, request: Request) -> None:
        """Raise 401/403/429 unless ``request`` may run a comparison now: a request that is not local
        needs the token; every address gets ``compare_burst`` calls per window."""
        if request.method == "POST":
            _refuse_cross_site(request)
        if not self.is_local(request):
            if self.token is None:
                raise HTTPException(403, _NOT_LOCAL.format(what="compare"))
            self._bearer(request)
        wait = self.compares.take(client_address(request))
        if wait:
            raise too_many(wait, "comparisons")

    def _bearer(self, request: Request, form_token: str = "") -> None:
        """401 unless the request has the token (header, else the form's field); 429 once its address
        sent too many wrong ones."""
        address = client_address(request)
        wait = self.failures.retry_after(address)
        if wait:
            raise too_many(wait, "failed tokens")
        assert self.token is not None
        scheme, _, given = request.headers.get("authorization", "").partition(" ")
        if not scheme and form_token:
            scheme, given = "bearer", form_token
        if scheme.lower() != "bearer" or not hmac.compare_digest(given.strip().encode(), self.token.encode()):
            self.failures.take(address)
            LOGGER.warning("web: wrong or missing token from %s on %s", address, request.url.path)
            raise HTTPException(
                401, "missing or wrong token: send Authorization: Bearer <STORYLINE_TOKEN>", _BEARER
            )


_BEARER: dict[str, Any] = {"WWW-Authenticate": "Bearer"}
_NOT_LOCAL = (
    "{what} without a token are only taken from a local request (server on loopback, a loopback Host, "
    "no proxy header such as X-Forwarded-For): set STORYLINE_TOKEN and send Authorization: Bearer <token>"
)


def _refuse_cross_site(request: Request) -> None:
    """403 for a write a browser sends on behalf of another site (an ``Origin`` that is not this server,
    or ``Sec-Fetch-Site: cross-site``): with writes open on loopback, any page could post otherwise."""
    origin = request.headers.get("origin")
    own = f"{request.url.scheme}://{request.headers.get('host', '')}"
    if (origin is not None and origin != own) or request.headers.get("sec-fetch-site") == "cross-site":
        raise HTTPException(403, f"cross-site write refused (Origin {origin!r} is not {own!r})")


async def compare_allowed(request: Request) -> None:
    """FastAPI dependency of the compare routes: ``WriteGuard.check_compare`` with the app's guard (run
    before the body is validated, so a refused caller learns nothing about it)."""
    guard: WriteGuard = request.app.state.web.guard
    guard.check_compare(request)
