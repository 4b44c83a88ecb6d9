"""CSRF defence of the HTML forms that write (watchlists, upload): a signed double-submit token.

The first page with such a form sets the cookie ``storyline_csrf``: a random nonce, ``HttpOnly``,
``SameSite=Strict``, ``Path=/``, ``Secure`` over https. Each form carries, in the hidden field
``csrf``, HMAC-SHA256 of that nonce under a key that lives in the server's memory only (a new one
at each start). A POST is taken only when its field is the HMAC of the cookie it came with
(OWASP's "signed double-submit cookie"): a page on another site can neither read the cookie nor
compute the field, and a cookie planted by a sibling host is useless without the key.

This comes on top of ``WriteGuard.check`` (the ``Origin``/``Sec-Fetch-Site`` check, and the write
token when the server has one), so a forged post fails even from a browser that sends no ``Origin``
to a server with writes open on loopback. After a restart, forms already open answer 403 and a
reload gives them a new field.
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import re
import secrets
from typing import Any

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import HTMLResponse, Response

from storyline.web.render import Pages

LOGGER = logging.getLogger(__name__)

COOKIE = "storyline_csrf"
FIELD = "csrf"
_NONCE = re.compile(r"\A[A-Za-z0-9_-]{43}\Z")  # secrets.token_urlsafe(32)


class CsrfTokens:
    """Issues and checks the ``csrf`` field of the write forms (see the module docstring)."""

    def __init__(self, key: bytes | None = None) -> None:
        self._key = key or secrets.token_bytes(32)

    def __repr__(self) -> str:
        return "CsrfTokens()"

    def _sign(self, nonce: str) -> str:
        return hmac.new(self._key, b"csrf:" + nonce.encode("ascii"), hashlib.sha256).hexdigest()

    @staticmethod
    def _nonce(request: Request) -> str | None:
        value = request.cookies.get(COOKIE, "")
        return value if _NONCE.match(value) else None

    def field(self, request: Request) -> tuple[str, str | None]:
        """``(field value, new nonce)``: the value a form rendered for ``request`` carries, and the
        nonce to set as the cookie (None when the request already has a good one)."""
        nonce = self._nonce(request)
        fresh = None
        if nonce is None:
            nonce = fresh = secrets.token_urlsafe(32)
        return self._sign(nonce), fresh

    def set_cookie(self, request: Request, response: Response, nonce: str | None) -> None:
        """Send the cookie of a new ``nonce`` (from ``field``) with ``response``; nothing when None."""
        if nonce is not None:
            response.set_cookie(
                COOKIE,
                nonce,
                path="/",
                httponly=True,
                samesite="strict",
                secure=request.url.scheme == "https",
            )

    def render(
        self, view: Pages, request: Request, template: str, status: int = 200, **context: Any
    ) -> HTMLResponse:
        """``view.render`` with ``csrf`` (the field value) in the context, the cookie set when new,
        and ``Cache-Control: no-store`` (the page holds a per-browser token)."""
        value, fresh = self.field(request)
        response = view.render(request, template, status, csrf=value, **context)
        self.set_cookie(request, response, fresh)
        response.headers["cache-control"] = "no-store"
        return response

    def check(self, request: Request, given: str) -> None:
        """403 unless ``given`` (the posted ``csrf`` field) is the one issued for the request's cookie."""
        nonce = self._nonce(request)
        if nonce is None:
            raise HTTPException(403, "the form's CSRF cookie is missing: reload the page and send it again")
        if not hmac.compare_digest(given.strip().encode("ascii", "replace"), self._sign(nonce).encode()):
            LOGGER.warning("web: wrong or missing CSRF field on %s", request.url.path)
            raise HTTPException(403, "the form's CSRF token is missing or out of date: reload the page")
