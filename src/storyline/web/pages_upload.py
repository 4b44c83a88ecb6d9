"""The upload page: files sent from the browser go through the pipeline as ``POST /api/v1/ingest``'s do.

One or more files of the kinds ``storyline ingest`` reads (text with a dateline, HTML, JSONL,
RSS/Atom, WARC, gzip of those), told apart by their content, never by the name or type the browser
gives: the API's own reading (``api_ingest.read_capped`` with its ``max_item_bytes`` cap on the
whole body, ``api_ingest.form_fields``, ``IngestService.items_from_bytes`` and ``.run``, which
takes the writer lock and raises the watchlists' alerts). The post goes through ``WriteGuard.check``
(the token in the form's field when the server has one; local requests only without one;
cross-site posts refused) and the CSRF check (``csrf.py``); the page then shows the run's counts,
the articles stored (copies marked) and each rejection with its reason. File names and the texts
read are untrusted: the template escapes them.
"""

from __future__ import annotations

import logging
from itertools import chain
from typing import Annotated, Any

from fastapi import APIRouter, Depends
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import HTMLResponse

from storyline.model import Article, Batch, Rejection
from storyline.web.api_ingest import MAX_FILES, form_fields, read_capped
from storyline.web.context import WebContext, get_context
from storyline.web.pages import Render
from storyline.web.render import Pages

LOGGER = logging.getLogger(__name__)

router = APIRouter(include_in_schema=False)
Ctx = Annotated[WebContext, Depends(get_context)]
SHOWN = 200
"""Articles and rejections listed after an upload (the counts cover all of them)."""


def _page(request: Request, ctx: WebContext, view: Pages, status: int = 200, **result: Any) -> HTMLResponse:
    writable = ctx.ingest.writer is not None
    guard = ctx.guard
    return ctx.csrf.render(
        view,
        request,
        "upload.html",
        status,
        title="Upload",
        writable=writable and (guard.token is not None or guard.is_local(request)),
        read_only=not writable,
        needs_token=guard.token is not None,
        max_bytes=ctx.settings.max_item_bytes,
        max_files=MAX_FILES,
        error=result.get("error"),
        stats=result.get("stats"),
        articles=result.get("articles", []),
        rejections=result.get("rejections", []),
        files=result.get("files", []),
    )


@router.get("/upload", response_class=HTMLResponse)
def upload_page(request: Request, ctx: Ctx, view: Render) -> HTMLResponse:
    """The upload form."""
    return _page(request, ctx, view)


@router.post("/upload", response_class=HTMLResponse)
async def upload(request: Request, ctx: Ctx, view: Render) -> HTMLResponse:
    """Store the articles of the uploaded files; show what was stored and what was refused."""
    if ctx.ingest.writer is None:
        raise HTTPException(405, "this server's store is read-only: ingest with `storyline ingest`")
    if not request.headers.get("content-type", "").lower().startswith("multipart/form-data"):
        raise HTTPException(415, "send the upload form (multipart/form-data)")
    ctx.guard.check_before_body(request)
    body = await read_capped(request, ctx.settings.max_item_bytes)
    files, fields = await form_fields(request, body)
    ctx.guard.check(request, form_token=fields.get("token", ""))
    ctx.csrf.check(request, fields.get("csrf", ""))
    if not files:
        return _page(request, ctx, view, 422, error="choose at least one file")
    stored: list[Article] = []
    refused: list[Rejection] = []

    def seen(batch: Batch) -> None:
        stored.extend(batch.articles[: SHOWN - len(stored)])
        refused.extend(batch.rejections[: SHOWN - len(refused)])

    items = chain.from_iterable(
        ctx.ingest.items_from_bytes(data, origin=f"upload:{name}", name=name) for name, data in files
    )
    stats = await run_in_threadpool(ctx.ingest.run, items, seen=seen)
    LOGGER.info("web upload: %d file(s): %s", len(files), stats.summary())
    return _page(
        request,
        ctx,
        view,
        stats=stats,
        articles=stored,
        rejections=refused,
        files=[(name, len(data)) for name, data in files],
    )
