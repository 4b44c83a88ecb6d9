"""The JSON API under ``/api/v1``: the same shapes as the CLI's ``--json`` (``storyline.shapes``).

Listings return one JSON array and take ``limit`` (default 50, at most 1000) and ``offset``; single
objects return one JSON object; errors return ``{"ok": false, "error", "errors", "status"}``.
"""

from __future__ import annotations

import logging
from typing import Annotated, Any

from fastapi import APIRouter, Depends
from pydantic import BaseModel, ConfigDict, Field
from starlette.exceptions import HTTPException
from starlette.responses import JSONResponse, Response

from storyline.shapes import (
    article_detail_json,
    article_json,
    rejection_json,
    search_hit_json,
    story_detail_json,
    story_json,
    storyline_detail_json,
    storyline_json,
)
from storyline.web.actions import MAX_COMPARE_CHARS
from storyline.web.context import WebContext, get_context
from storyline.web.data import StoryQuery, find_stories, story_detail, storyline_members
from storyline.web.params import (
    Filters,
    Language,
    Limit,
    Offset,
    SearchText,
    Since,
    Source,
    Until,
    article_filters,
    blank_to_none,
    parse_when,
)
from storyline.web.security import compare_allowed

LOGGER = logging.getLogger(__name__)

router = APIRouter(prefix="/api/v1", tags=["api"])
Ctx = Annotated[WebContext, Depends(get_context)]
ArticleFilters = Annotated[Filters, Depends(article_filters)]
Id = Annotated[str, "an id as listed"]
_ERROR = {"description": "error: {ok: false, error, errors, status}"}
_NOT_FOUND: dict[int | str, dict[str, Any]] = {404: _ERROR}


def _json(value: object, status: int = 200) -> JSONResponse:
    return JSONResponse(value, status_code=status)


@router.get("/stories", summary="List live stories, most active first")
def list_stories(
    ctx: Ctx,
    language: Language = None,
    source: Source = None,
    since: Since = None,
    until: Until = None,
    limit: Limit = 50,
    offset: Offset = 0,
) -> Response:
    """Stories (not merged away), by size then last seen. ``since``/``until`` keep stories active in that
    period; ``language``/``source`` keep stories with an article in that language or from that outlet."""
    query = StoryQuery(
        language=blank_to_none(language),
        source=blank_to_none(source),
        since=parse_when("since", since),
        until=parse_when("until", until),
    )
    return ctx.listings.response(
        ("stories", query, limit, offset),
        lambda: [story_json(s) for s in find_stories(ctx.store, query, limit=limit, offset=offset)],
    )


@router.get("/stories/{story_id}", summary="One story with its articles and merges", responses=_NOT_FOUND)
def get_story(ctx: Ctx, story_id: Id) -> JSONResponse:
    """The story (merged ones resolve too), ``article_details`` in time order, merge ``events``."""
    detail = story_detail(ctx.store, story_id)
    if detail is None:
        raise HTTPException(404, f"no story {story_id!r}; list ids at /api/v1/stories")
    return _json(story_detail_json(detail.story, detail.articles, detail.events))


@router.get("/storylines", summary="List storylines, largest first")
def list_storylines(ctx: Ctx, limit: Limit = 50, offset: Offset = 0) -> JSONResponse:
    """Storylines: stories that continue each other over weeks and months."""
    return _json([storyline_json(line) for line in ctx.store.list_storylines(limit=limit, offset=offset)])


@router.get("/storylines/{storyline_id}", summary="One storyline with its stories", responses=_NOT_FOUND)
def get_storyline(ctx: Ctx, storyline_id: Id) -> JSONResponse:
    """The storyline and ``story_details`` in time order."""
    line = ctx.store.get_storyline(storyline_id)
    if line is None:
        raise HTTPException(404, f"no storyline {storyline_id!r}; list ids at /api/v1/storylines")
    return _json(storyline_detail_json(line, storyline_members(ctx.store, line)))


@router.get("/articles", summary="List articles, newest first")
def list_articles(ctx: Ctx, filters: ArticleFilters, limit: Limit = 50, offset: Offset = 0) -> JSONResponse:
    """Articles matching every filter given (``since <= published_at < until``)."""
    rows = ctx.store.list_articles(filters.article_filter(), limit=limit, offset=offset)
    story_ids = ctx.store.story_ids_of([a.id for a in rows])
    return _json([article_json(a, story_id=story_ids.get(a.id)) for a in rows])


@router.get("/articles/{article_id}", summary="One article with its text and copies", responses=_NOT_FOUND)
def get_article(ctx: Ctx, article_id: Id) -> JSONResponse:
    """The article with ``text``, its ``story_id`` and the ids of its near-copies (``duplicates``)."""
    article = ctx.store.get_article(article_id)
    if article is None:
        raise HTTPException(404, f"no article {article_id!r}; list ids at /api/v1/articles")
    story_id = ctx.store.story_ids_of([article.id]).get(article.id)
    return _json(article_detail_json(article, story_id, ctx.store.duplicates_of(article.id)))


@router.get("/search", summary="Full-text search, best first")
def search(
    ctx: Ctx,
    filters: ArticleFilters,
    q: SearchText,
    limit: Limit = 50,
    offset: Offset = 0,
) -> JSONResponse:
    """Articles matching ``q``, each with a ``snippet`` (matches in ``[`` ``]``) and a ``rank`` (higher
    is better)."""
    # a store that fails is an error (503 when locked or busy, else 500; web/errors.py), never []
    hits = ctx.store.search(q, filters.article_filter(), limit=limit, offset=offset)
    return _json([search_hit_json(h) for h in hits])


@router.get("/rejections", summary="Refused inputs, newest first")
def list_rejections(ctx: Ctx, limit: Limit = 50, offset: Offset = 0) -> JSONResponse:
    """What a stage refused, where, and why (``storyline rejections``)."""
    return _json([rejection_json(r) for r in ctx.store.list_rejections(limit=limit, offset=offset)])


@router.get("/stats", summary="Counts of what the store holds")
def stats(ctx: Ctx) -> JSONResponse:
    """``storyline stats --json``."""
    return _json(ctx.store.stats())


class CompareSide(BaseModel):
    """One side of a comparison: a stored article ``id``, or a ``text`` (with an optional ``title``)."""

    model_config = ConfigDict(extra="forbid")
    id: str | None = Field(None, max_length=200, description="a stored article id")
    text: str | None = Field(
        None, max_length=MAX_COMPARE_CHARS, description="article text (a dateline helps)"
    )
    title: str = Field("", max_length=1000, description="headline, when the text has none")


class CompareRequest(BaseModel):
    """Two articles to compare."""

    model_config = ConfigDict(extra="forbid")
    a: CompareSide
    b: CompareSide


@router.post(
    "/compare",
    summary="How alike two articles are (token needed when not local)",
    responses={code: _ERROR for code in (401, 403, 404, 413, 422, 429)},
    dependencies=[Depends(compare_allowed)],
)
def compare(ctx: Ctx, body: CompareRequest) -> JSONResponse:
    """SemEval-2022 scale, 1 = same story .. 4 = unrelated, per dimension, with the shared names, places,
    numbers and dates and the closest sentence pairs (``storyline compare --json``). Rate-limited per
    client address; beyond a local request it needs ``Authorization: Bearer <STORYLINE_TOKEN>``."""
    a = ctx.compare.resolve("a", article_id=body.a.id, text=body.a.text, title=body.a.title)
    b = ctx.compare.resolve("b", article_id=body.b.id, text=body.b.text, title=body.b.title)
    return _json(ctx.compare.score(a, b))
