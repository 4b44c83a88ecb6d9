"""``GET /api/v1/sources`` (every followed source with its health) and ``POST /api/v1/sources``
(follow a URL; behind the write token, as ingest is).

The body of a POST is JSON: ``{"url": ..., "name": "", "every": "15m", "fetch_links": false}``; adding
a URL again updates its name, interval and ``fetch_links`` and keeps its poll state.
"""

from __future__ import annotations

import json
import logging
from typing import Annotated, Any

from fastapi import APIRouter, Depends
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import JSONResponse

from storyline.follow.source import MIN_EVERY_S, parse_duration, source_json
from storyline.model import Source
from storyline.store import SourceStore
from storyline.web.context import WebContext, get_context
from storyline.web.errors import param_error
from storyline.web.security import safe_url

LOGGER = logging.getLogger(__name__)

router = APIRouter(prefix="/api/v1", tags=["api"])
Ctx = Annotated[WebContext, Depends(get_context)]
MAX_BODY = 16_384


def source_store(ctx: WebContext) -> SourceStore | None:
    """The store's sources side, or None when it keeps none."""
    return ctx.store if isinstance(ctx.store, SourceStore) else None


def writable_sources(ctx: WebContext, request: Request, form_token: str = "") -> SourceStore:
    """The sources side for a write that ``request`` may make (token and cross-site checks of
    ``WriteGuard``), else 401/403/405."""
    ctx.guard.check(request, form_token=form_token)
    store = source_store(ctx)
    if store is None or getattr(ctx.store, "readonly", False):
        raise HTTPException(405, "this server's store is read-only: use `storyline sources add`")
    return store


def new_source(url: str, name: str = "", every: str = "15m", fetch_links: bool = False) -> Source:
    """A ``Source`` from untrusted fields, or a 422 naming the bad one."""
    cleaned = safe_url(url)
    if cleaned is None:
        raise param_error("url", "expected an absolute http(s) URL", None, "body")
    try:
        every_s = parse_duration(every)
    except ValueError as e:
        raise param_error("every", str(e), None, "body") from e
    if every_s < MIN_EVERY_S:
        raise param_error("every", f"at least {MIN_EVERY_S}s between polls", None, "body")
    if len(name) > 200:
        raise param_error("name", "at most 200 characters", None, "body")
    return Source.new(cleaned, name=name, every_s=every_s, fetch_links=fetch_links)


@router.get("/sources", summary="Followed sources with their health")
def list_sources(ctx: Ctx) -> JSONResponse:
    """Every source: URL, interval, paused, last poll, HTTP status, new items, failures, next due."""
    store = source_store(ctx)
    return JSONResponse([source_json(s) for s in store.list_sources()] if store is not None else [])


@router.post(
    "/sources",
    summary="Follow a URL (token needed beyond loopback)",
    status_code=201,
    responses={401: {"description": "error"}, 403: {"description": "error"}, 422: {"description": "error"}},
)
async def add_source(ctx: Ctx, request: Request) -> JSONResponse:
    """Add (or update) a source from ``{"url", "name", "every", "fetch_links"}``; returns it."""
    store = writable_sources(ctx, request)
    body = await request.body()
    if len(body) > MAX_BODY:
        raise HTTPException(413, f"request body over {MAX_BODY} bytes")
    try:
        value: Any = json.loads(body)
    except (ValueError, RecursionError) as e:
        raise param_error("body", f"not valid JSON: {e}", None, "body") from e
    if not isinstance(value, dict) or not isinstance(value.get("url"), str):
        raise param_error("url", "expected a JSON object with a 'url' string", None, "body")
    fields = {k: value[k] for k in ("name", "every") if isinstance(value.get(k), str)}
    source = new_source(value["url"], fetch_links=value.get("fetch_links") is True, **fields)
    return JSONResponse(source_json(store.add_source(source)), status_code=201)
