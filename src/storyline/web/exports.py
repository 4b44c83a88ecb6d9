"""Listing responses in every format, with ``X-Total-Count`` and a ``Link: rel="next"`` header.

The JSON array of DESIGN.md 6b stays the default body (so totals and links travel in headers, as
GitHub's and many REST APIs do). ``ndjson``, ``csv`` and ``tsv`` stream: rows are read from the
store ``EXPORT_CHUNK`` at a time while the body is written, so an export of every matching row (up
to ``MAX_EXPORT``) never sits in memory. A JSON array is capped at ``MAX_LIMIT`` rows a page.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import Query
from starlette.requests import Request
from starlette.responses import JSONResponse, Response, StreamingResponse

from storyline.shapes import MEDIA_TYPES, encode_rows
from storyline.web.errors import param_error
from storyline.web.params import MAX_LIMIT

LOGGER = logging.getLogger(__name__)

MAX_EXPORT = 10_000_000
EXPORT_CHUNK = 1000
ExportLimit = Annotated[
    int, Query(ge=1, le=MAX_EXPORT, description=f"rows (1-{MAX_LIMIT} as JSON; more when streamed)")
]
Rows = Callable[[int, int], list[dict[str, Any]]]
"""``(limit, offset) -> rows``: one page of a listing, as JSON shapes."""


def check_limit(fmt: str, limit: int) -> None:
    """A 422 when a JSON array would be longer than ``MAX_LIMIT``."""
    if fmt == "json" and limit > MAX_LIMIT:
        raise param_error("limit", f"at most {MAX_LIMIT} rows as JSON; use format=ndjson, csv or tsv", limit)


def next_link(request: Request, limit: int, offset: int) -> str:
    """The ``Link`` header value for the page after ``(limit, offset)`` (a relative URL)."""
    params = [(k, v) for k, v in request.query_params.multi_items() if k != "offset"]
    params.append(("offset", str(offset + limit)))
    return f'<{request.url.path}?{urlencode(params)}>; rel="next"'


def listing(
    request: Request,
    rows: Rows,
    *,
    fmt: str,
    limit: int,
    offset: int,
    total: int | None = None,
    filename: str = "listing",
) -> Response:
    """The listing's page ``(limit, offset)`` in ``fmt``. ``total`` (when known) goes in
    ``X-Total-Count``; ``Link: rel="next"`` points to the next page when there may be one."""
    check_limit(fmt, limit)
    headers: dict[str, str] = {}
    if total is not None:
        headers["X-Total-Count"] = str(total)
    if fmt == "json":
        page = rows(limit, offset)
        more = offset + limit < total if total is not None else len(page) == limit
        if more:
            headers["Link"] = next_link(request, limit, offset)
        return JSONResponse(page, headers=headers)
    if total is not None and offset + limit < total:
        headers["Link"] = next_link(request, limit, offset)
    headers["Content-Disposition"] = f'attachment; filename="{filename}.{fmt}"'
    return StreamingResponse(
        encode_rows(_pages(rows, limit, offset), fmt), media_type=MEDIA_TYPES[fmt], headers=headers
    )


def _pages(rows: Rows, limit: int, offset: int) -> Iterator[dict[str, Any]]:
    done = 0
    while done < limit:
        want = min(EXPORT_CHUNK, limit - done)
        page = rows(want, offset + done)
        yield from page
        done += len(page)
        if len(page) < want:
            return
