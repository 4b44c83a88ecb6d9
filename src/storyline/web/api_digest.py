"""The digest API: ``GET /api/v1/stories/{id}/digest`` and ``GET /api/v1/storylines/{id}/digest``.

The body is ``storyline digest ID --json``'s object. ``since`` (ISO 8601) makes "new" the articles
published on or after it; without it, "new" is the subject's latest update (``web.digests``).
"""

from __future__ import annotations

import logging
from typing import Annotated, Any

from fastapi import APIRouter, Depends
from starlette.exceptions import HTTPException
from starlette.responses import JSONResponse

from storyline.web.context import WebContext, get_context
from storyline.web.params import Since, parse_when

LOGGER = logging.getLogger(__name__)

router = APIRouter(prefix="/api/v1", tags=["api"])
Ctx = Annotated[WebContext, Depends(get_context)]
_ERRORS: dict[int | str, dict[str, Any]] = {404: {"description": "error"}, 422: {"description": "error"}}


def _digest(ctx: WebContext, kind: str, subject_id: str, since: str | None) -> JSONResponse:
    when = parse_when("since", since)
    found = ctx.store.get_story(subject_id) if kind == "story" else ctx.store.get_storyline(subject_id)
    plural = "stories" if kind == "story" else "storylines"
    if found is None:
        raise HTTPException(404, f"no {kind} {subject_id!r}; list ids at /api/v1/{plural}")
    digest = ctx.digests.get(found.id, since=when)
    if digest is None:
        raise HTTPException(404, f"no {kind} {subject_id!r}; list ids at /api/v1/{plural}")
    return JSONResponse(digest.shape)


@router.get("/stories/{story_id}/digest", summary="A story's digest", responses=_ERRORS)
def story_digest(ctx: Ctx, story_id: str, since: Since = None) -> JSONResponse:
    """Label, summary (sentences with their article and offsets), what's new since ``since`` (or the
    latest update), the event timeline (happened / upcoming) and reconciled figures: the object
    ``storyline digest ID --json`` prints. The first digest loads the embedder (seconds)."""
    return _digest(ctx, "story", story_id, since)


@router.get("/storylines/{storyline_id}/digest", summary="A storyline's digest", responses=_ERRORS)
def storyline_digest(ctx: Ctx, storyline_id: str, since: Since = None) -> JSONResponse:
    """The digest over all the storyline's stories' articles (same shape as a story's)."""
    return _digest(ctx, "storyline", storyline_id, since)
