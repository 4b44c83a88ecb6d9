"""The Sources page: each followed source with its health, a form to add one, pause and resume.

The forms post to this server and go through ``WriteGuard.check`` as the API's writes do (the token
when one is set, local requests only without one, cross-site posts refused), then the CSRF field
(``csrf.py``, as the watchlist forms); a success redirects
back to the page (303), so reloading it does not post again. Names and URLs are untrusted: the
template escapes them (autoescape) and links a URL only through ``safe_url``.
"""

from __future__ import annotations

import logging
from typing import Annotated

from fastapi import APIRouter, Depends, Form
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import HTMLResponse, RedirectResponse

from storyline.web.api_sources import new_source, source_store, writable_sources
from storyline.web.context import WebContext, get_context
from storyline.web.pages import Render

LOGGER = logging.getLogger(__name__)

router = APIRouter(include_in_schema=False)
Ctx = Annotated[WebContext, Depends(get_context)]
UrlField = Annotated[str, Form(max_length=2000)]
NameField = Annotated[str, Form(max_length=200)]
EveryField = Annotated[str, Form(max_length=20)]
TokenField = Annotated[str, Form(max_length=500)]
CsrfField = Annotated[str, Form(max_length=200)]


@router.get("/sources", response_class=HTMLResponse)
def sources_page(request: Request, ctx: Ctx, view: Render) -> HTMLResponse:
    """Every source with its last poll, HTTP status, new items, failures and next due time."""
    store = source_store(ctx)
    rows = store.list_sources() if store is not None else []
    return ctx.csrf.render(
        view,
        request,
        "sources.html",
        title="Sources",
        rows=rows,
        keeps=store is not None,
        needs_token=ctx.guard.token is not None,
    )


@router.post("/sources")
def add_source_form(
    request: Request,
    ctx: Ctx,
    url: UrlField,
    name: NameField = "",
    every: EveryField = "15m",
    fetch_links: str = Form(""),
    token: TokenField = "",
    csrf: CsrfField = "",
) -> RedirectResponse:
    """Follow the URL in the form."""
    store = writable_sources(ctx, request, token)
    ctx.csrf.check(request, csrf)
    store.add_source(new_source(url, name.strip(), every.strip() or "15m", fetch_links == "on"))
    return RedirectResponse("/sources", status_code=303)


@router.post("/sources/{source_id}/{action}")
def change_source_form(
    request: Request,
    ctx: Ctx,
    source_id: str,
    action: str,
    token: TokenField = "",
    csrf: CsrfField = "",
) -> RedirectResponse:
    """Pause or resume a source."""
    if action not in ("pause", "resume"):
        raise HTTPException(404, f"no action {action!r}")
    store = writable_sources(ctx, request, token)
    ctx.csrf.check(request, csrf)
    if not store.set_source_paused(source_id, action == "pause"):
        raise HTTPException(404, f"no source {source_id!r}")
    return RedirectResponse("/sources", status_code=303)
