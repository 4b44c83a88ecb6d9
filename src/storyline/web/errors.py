"""One error shape for every API error, and an HTML error page for every page error.

API (paths under ``/api/``): ``{"ok": false, "error": "...", "errors": [...], "status": N}`` for 404,
405, 401/403, 413, 422 (validation, with one entry per problem in ``errors``), 503 and 500 alike.
Pages get the same message in the site's layout, with the same status code.

A store that cannot answer now (another process holds the writer lock, or SQLite says the database
is locked or busy) is 503 with ``Retry-After``; an ingest cut short that way adds ``committed``, the
counts of the batches already stored. Any other store failure is a 500, never an empty answer.
"""

from __future__ import annotations

import logging
import sqlite3
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from fastapi import FastAPI
from fastapi.exceptions import RequestValidationError
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, Response

from storyline.errors import StoreError
from storyline.store.lock import StoreLocked
from storyline.web.security import header_dict

LOGGER = logging.getLogger(__name__)

API_PREFIX = "/api/"
_REASONS = {
    400: "bad request",
    401: "unauthorized",
    403: "forbidden",
    404: "not found",
    405: "method not allowed",
    413: "request too large",
    415: "unsupported media type",
    422: "invalid request",
    500: "internal error",
    503: "unavailable",
}

RETRY_AFTER_S = 5
_BUSY_MESSAGES = ("database is locked", "database table is locked", "database is busy")


class Unavailable(Exception):
    """The store cannot take this request now: 503 with ``Retry-After`` (and ``committed`` counts)."""

    def __init__(
        self,
        message: str,
        *,
        committed: Mapping[str, object] | None = None,
        retry_after_s: int = RETRY_AFTER_S,
    ) -> None:
        super().__init__(message)
        self.committed = dict(committed) if committed is not None else None
        self.retry_after_s = retry_after_s


def store_busy(exc: BaseException) -> bool:
    """Whether ``exc`` or an exception it was raised from says the store is locked or busy."""
    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        if isinstance(current, StoreLocked | Unavailable):
            return True
        if isinstance(current, sqlite3.OperationalError) and any(m in str(current) for m in _BUSY_MESSAGES):
            return True
        current = current.__cause__ or current.__context__
    return False


def _locked(exc: BaseException) -> bool:
    """Whether ``exc`` is (or was raised from) another process holding the writer lock."""
    return isinstance(exc, StoreLocked) or isinstance(exc.__cause__, StoreLocked)


PageRenderer = Callable[[Request, int, str, list[dict[str, Any]]], HTMLResponse]


def error_body(status: int, error: str, errors: Sequence[dict[str, Any]] = ()) -> dict[str, Any]:
    """The JSON error shape (datasette's): ``ok``, ``error``, ``errors``, ``status``."""
    return {"ok": False, "error": error, "errors": list(errors), "status": status}


def param_error(name: str, message: str, value: object, where: str = "query") -> RequestValidationError:
    """A 422 about one parameter, in the same form as FastAPI's own validation errors."""
    return RequestValidationError(
        [{"type": "value_error", "loc": (where, name), "msg": message, "input": value}]
    )


def _clean_validation(errors: Sequence[Any]) -> list[dict[str, Any]]:
    """FastAPI's validation errors as JSON-safe ``{loc, msg, type}`` entries (inputs are not echoed)."""
    cleaned = []
    for err in errors:
        loc = [part if isinstance(part, int | str) else str(part) for part in err.get("loc", ())]
        cleaned.append({"loc": loc, "msg": str(err.get("msg", "")), "type": str(err.get("type", ""))})
    return cleaned


def _summary(errors: list[dict[str, Any]]) -> str:
    parts = []
    for err in errors[:3]:
        where = ".".join(str(p) for p in err["loc"] if p not in ("query", "path", "body"))
        parts.append(f"{where}: {err['msg']}" if where else err["msg"])
    more = f" (and {len(errors) - 3} more)" if len(errors) > 3 else ""
    return "invalid request: " + "; ".join(parts) + more


def install_error_handlers(app: FastAPI, render_page: PageRenderer) -> None:
    """Route every error through ``error_body`` (API) or ``render_page`` (pages)."""

    def respond(request: Request, status: int, error: str, errors: list[dict[str, Any]]) -> Response:
        if request.url.path.startswith(API_PREFIX):
            return JSONResponse(error_body(status, error, errors), status_code=status)
        return render_page(request, status, error, errors)

    async def on_http(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, HTTPException)
        detail = exc.detail if isinstance(exc.detail, str) and exc.detail else None
        if exc.status_code == 404 and detail in (None, "Not Found"):
            detail = f"no such page or endpoint: {request.url.path}"
        elif exc.status_code == 405 and detail in (None, "Method Not Allowed"):
            detail = f"{request.method} is not allowed on {request.url.path}"
        message = detail or _REASONS.get(exc.status_code, "error")
        response = respond(request, exc.status_code, message, [])
        for key, value in (exc.headers or {}).items():
            response.headers[key] = value
        return response

    async def on_validation(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, RequestValidationError)
        errors = _clean_validation(exc.errors())
        return respond(request, 422, _summary(errors), errors)

    async def on_unavailable(request: Request, exc: Exception) -> Response:
        committed = exc.committed if isinstance(exc, Unavailable) else None
        retry = exc.retry_after_s if isinstance(exc, Unavailable) else RETRY_AFTER_S
        LOGGER.warning("web: %s %s: store unavailable: %s", request.method, request.url.path, exc)
        # the message names no path or pid: those stay in the server's log
        why = "another process is writing to the store" if _locked(exc) else "the store is busy"
        message = f"{why}; try again in {retry} s"
        if isinstance(exc, Unavailable):
            message = f"{exc}: {message}"
        if request.url.path.startswith(API_PREFIX):
            body = error_body(503, message)
            if committed is not None:
                body["committed"] = committed
            response: Response = JSONResponse(body, status_code=503)
        else:
            response = render_page(request, 503, message, [])
        response.headers.update(header_dict())  # this response may bypass the header middleware
        response.headers["Retry-After"] = str(retry)
        return response

    async def on_store_error(request: Request, exc: Exception) -> Response:
        if store_busy(exc):
            return await on_unavailable(request, exc)
        LOGGER.exception("web: %s %s: store failed", request.method, request.url.path, exc_info=exc)
        response = respond(request, 500, f"internal error: the store failed ({type(exc).__name__})", [])
        response.headers.update(header_dict())
        return response

    async def on_crash(request: Request, exc: Exception) -> Response:
        if store_busy(exc):
            return await on_unavailable(request, exc)
        LOGGER.exception("web: %s %s failed", request.method, request.url.path, exc_info=exc)
        response = respond(request, 500, "internal error: the server could not answer this request", [])
        response.headers.update(header_dict())  # this response bypasses the header middleware
        return response

    app.add_exception_handler(HTTPException, on_http)
    app.add_exception_handler(RequestValidationError, on_validation)
    app.add_exception_handler(Unavailable, on_unavailable)
    app.add_exception_handler(StoreLocked, on_unavailable)
    app.add_exception_handler(StoreError, on_store_error)
    app.add_exception_handler(sqlite3.Error, on_store_error)
    app.add_exception_handler(Exception, on_crash)
