"""``POST /api/v1/ingest``: store the caller's articles with ``storyline.pipeline.run``.

Three ways to send them, told apart by ``Content-Type``:

- ``application/json``: ``{"text": ..., "title", "url", "published", "source", "language", "id"}`` or
  a list of such objects (at most 1000);
- ``multipart/form-data``: one or more files (any field name), and/or a ``text`` field;
- anything else (``text/plain``, ``text/html``, ``application/x-ndjson``...): the body itself, read
  like a file (text with a dateline, HTML, JSONL, RSS/Atom, WARC, gzip).

The answer is the run's counts (``RunStats.as_dict()``, as ``storyline ingest --json`` prints).
While another process writes the store (a ``storyline ingest`` holds its writer lock) or SQLite
says it is busy, the answer is 503 with ``Retry-After`` and the JSON error shape; when a run was cut
short that way, ``committed`` holds the counts of the batches already stored (re-sending the same
body is harmless: stored articles come back as ``unchanged``).
"""

from __future__ import annotations

import json
import logging
from collections.abc import Iterable
from itertools import chain
from typing import Annotated, Any

from fastapi import APIRouter, Depends
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import UploadFile
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.types import Message

from storyline.model import RawDoc, Rejection
from storyline.web.actions import content_hash
from storyline.web.context import WebContext, get_context
from storyline.web.errors import param_error

LOGGER = logging.getLogger(__name__)

router = APIRouter(prefix="/api/v1", tags=["api"])
Ctx = Annotated[WebContext, Depends(get_context)]
MAX_FILES = 100

_BODY_DOC: dict[str, Any] = {
    "requestBody": {
        "required": True,
        "content": {
            "application/json": {
                "schema": {
                    "oneOf": [
                        {"$ref": "#/components/schemas/IngestArticle"},
                        {"type": "array", "items": {"$ref": "#/components/schemas/IngestArticle"}},
                    ]
                }
            },
            "multipart/form-data": {
                "schema": {
                    "type": "object",
                    "properties": {
                        "file": {"type": "array", "items": {"type": "string", "format": "binary"}},
                        "text": {"type": "string"},
                    },
                }
            },
            "text/plain": {"schema": {"type": "string"}},
            "text/html": {"schema": {"type": "string"}},
        },
    }
}
INGEST_ARTICLE_SCHEMA: dict[str, Any] = {
    "type": "object",
    "required": ["text"],
    "properties": {
        name: {"type": "string"} for name in ("text", "title", "url", "published", "source", "language", "id")
    },
}


async def read_capped(request: Request, cap: int) -> bytes:
    """The request body, or 413 past ``cap`` bytes (checked before and while reading)."""
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > cap:
        raise HTTPException(413, f"request body over {cap} bytes (max_item_bytes)")
    chunks: list[bytes] = []
    size = 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > cap:
            raise HTTPException(413, f"request body over {cap} bytes (max_item_bytes)")
        chunks.append(chunk)
    return b"".join(chunks)


async def form_fields(request: Request, body: bytes) -> tuple[list[tuple[str, bytes]], dict[str, str]]:
    """A multipart form read from ``body`` (already read, capped): its uploaded files as
    ``(file name, bytes)`` in their order (an empty, unnamed part, what a browser sends for a file
    input left empty, is skipped), and its text fields (the last value of each name)."""
    sent = False

    async def replay() -> Message:
        nonlocal sent
        if sent:
            return {"type": "http.disconnect"}
        sent = True
        return {"type": "http.request", "body": body, "more_body": False}

    try:
        form = await Request(request.scope, replay).form(max_files=MAX_FILES, max_fields=MAX_FILES)
    except HTTPException:
        raise
    except Exception as e:  # python-multipart raises several kinds for a malformed body
        raise param_error("body", f"malformed multipart form: {e}", None, "body") from e
    files: list[tuple[str, bytes]] = []
    fields: dict[str, str] = {}
    try:
        for key, value in form.multi_items():
            if isinstance(value, UploadFile):
                data = await value.read()
                if data or value.filename:
                    files.append((value.filename or key, data))
            else:
                fields[key] = value
    finally:
        await form.close()
    return files, fields


async def _form_parts(request: Request, body: bytes) -> list[tuple[bytes, str, str]]:
    """``(data, origin, name)`` of a multipart form's uploaded files, then of its ``text`` field."""
    files, fields = await form_fields(request, body)
    parts = [(data, f"upload:{name}", name) for name, data in files]
    text = fields.get("text", "")
    if text.strip():
        data = text.encode("utf-8", "replace")
        parts.append((data, f"api:{content_hash(data)}", ""))
    if not parts:
        raise param_error("body", "the form has no file and no 'text' field", None, "body")
    return parts


@router.post(
    "/ingest",
    summary="Store articles (token needed beyond loopback)",
    openapi_extra=_BODY_DOC,
    responses={
        401: {"description": "error"},
        403: {"description": "error"},
        413: {"description": "error"},
        503: {"description": "the store is being written by another process: retry after Retry-After"},
    },
)
async def ingest(ctx: Ctx, request: Request) -> JSONResponse:
    """Read the body (JSON, form upload, or a raw text/HTML/JSONL/feed/WARC body) and store its articles;
    returns ``{read, stored, duplicates, unchanged, rejected, reasons}``."""
    ctx.guard.check(request)
    if ctx.ingest.writer is None:
        raise HTTPException(405, "this server's store is read-only: ingest with `storyline ingest`")
    body = await read_capped(request, ctx.settings.max_item_bytes)
    kind = request.headers.get("content-type", "").split(";")[0].strip().lower()
    items: Iterable[RawDoc | Rejection]
    if kind == "application/json":
        try:
            value = json.loads(body)
        except (ValueError, RecursionError) as e:
            raise param_error("body", f"not valid JSON: {e}", None, "body") from e
        items = ctx.ingest.items_from_json(value, origin=f"api:{content_hash(body)}")
    elif kind == "multipart/form-data":
        parts = await _form_parts(request, body)
        items = chain.from_iterable(ctx.ingest.items_from_bytes(d, origin=o, name=n) for d, o, n in parts)
    else:
        if not body.strip():
            raise param_error(
                "body", "empty body: send an article's text, HTML, JSON or a file", None, "body"
            )
        items = ctx.ingest.items_from_bytes(body, origin=f"api:{content_hash(body)}")
    stats = await run_in_threadpool(ctx.ingest.run, items)
    return JSONResponse(stats.as_dict())
