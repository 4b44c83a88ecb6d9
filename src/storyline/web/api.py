"""The JSON API under ``/api/v1``: the same shapes as the CLI's ``--json`` (``storyline.shapes``).

Listings return one JSON array and take ``limit`` (default 50, at most 1000) and ``offset``; single
objects return one JSON object; errors return ``{"ok": false, "error", "errors", "status"}``.
"""

from __future__ import annotations

import logging
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Query
from pydantic import BaseModel, ConfigDict, Field
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from storyline.shapes import (
    article_detail_json,
    article_json,
    rejection_json,
    search_hit_json,
    story_detail_json,
    storyline_detail_json,
    storyline_json,
)
from storyline.web import exports, meaning, now
from storyline.web.actions import MAX_COMPARE_CHARS
from storyline.web.context import WebContext, get_context
from storyline.web.data import StoryQuery, story_detail, storyline_members
from storyline.web.entities import entity_stories
from storyline.web.exports import ExportLimit
from storyline.web.meaning import meaning_index
from storyline.web.params import (
    MAX_QUERY_CHARS,
    EntityId,
    Filters,
    Format,
    Language,
    Limit,
    Offset,
    SearchText,
    Since,
    Source,
    Until,
    Visit,
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


@router.get("/stories", summary="List live stories: what is happening now first, or largest first")
def list_stories(
    request: Request,
    ctx: Ctx,
    language: Language = None,
    source: Source = None,
    since: Since = None,
    until: Until = None,
    entity: EntityId = None,
    visit: Visit = None,
    sort: Annotated[
        Literal["now", "size"], Query(description="size (the default) or now (recent velocity)")
    ] = "size",
    format: Format = "json",
    limit: ExportLimit = 50,
    offset: Offset = 0,
) -> Response:
    """Stories (not merged away). ``sort=size`` (the default): every story by size, then last seen.
    ``sort=now`` (the front page's order): stories with articles in the 7 days before the store's
    latest article, by their recent velocity against their own past and their number of outlets
    (``n_last_24h``, ``n_last_7d``, ``score``), then the quiet ones by size. ``since``/``until`` keep
    stories active in that period; ``language``/``source`` keep stories with an article in that
    language or from that outlet or agency; ``entity`` stories whose articles mention it. ``visit``
    (a time) adds ``n_new``: articles published since. ``sources``, ``agencies``, ``languages``:
    those of all its articles."""
    query = StoryQuery(
        language=blank_to_none(language),
        source=blank_to_none(source),
        since=parse_when("since", since),
        until=parse_when("until", until),
    )
    mark = parse_when("visit", visit)
    entity = blank_to_none(entity)

    def rows(n: int, skip: int) -> list[dict[str, Any]]:
        if entity is not None:
            found = entity_stories(ctx.store, entity, query, limit=n, offset=skip)
        else:
            found = now.list_stories(ctx.store, query, sort=sort, limit=n, offset=skip)
        return [now.listed_json(x, with_recent=sort == "now") for x in now.mark_new(ctx.store, found, mark)]

    if format == "json" and entity is None and mark is None:  # what every client polls: cached
        exports.check_limit(format, limit)
        response = ctx.listings.response(("stories", sort, query, limit, offset), lambda: rows(limit, offset))
        if bytes(response.body).count(b'{"id":') >= limit:  # a full page (each story opens with its id)
            response.headers["Link"] = exports.next_link(request, limit, offset)
        return response
    return exports.listing(request, rows, fmt=format, limit=limit, offset=offset, filename="stories")


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
def list_articles(
    request: Request,
    ctx: Ctx,
    filters: ArticleFilters,
    format: Format = "json",
    limit: ExportLimit = 50,
    offset: Offset = 0,
) -> Response:
    """Articles matching every filter given (``since <= published_at < until``; ``entity``: those that
    mention it). The total is in ``X-Total-Count``, the next page in ``Link``."""
    wanted = filters.article_filter()

    def rows(n: int, skip: int) -> list[dict[str, Any]]:
        found = ctx.store.list_articles(wanted, limit=n, offset=skip)
        story_ids = ctx.store.story_ids_of([a.id for a in found])
        return [article_json(a, story_id=story_ids.get(a.id)) for a in found]

    total = ctx.store.count_articles(wanted)
    return exports.listing(
        request, rows, fmt=format, limit=limit, offset=offset, total=total, filename="articles"
    )


@router.get("/articles/{article_id}", summary="One article with its text and copies", responses=_NOT_FOUND)
def get_article(ctx: Ctx, article_id: Id) -> JSONResponse:
    """The article with ``text``, its ``story_id`` and the ids of its near-copies (``duplicates``)."""
    article = ctx.store.get_article(article_id)
    if article is None:
        raise HTTPException(404, f"no article {article_id!r}; list ids at /api/v1/articles")
    story_id = ctx.store.story_ids_of([article.id]).get(article.id)
    return _json(article_detail_json(article, story_id, ctx.store.duplicates_of(article.id)))


@router.get("/search", summary="Search by words, by meaning across languages, or both")
def search(
    request: Request,
    ctx: Ctx,
    filters: ArticleFilters,
    q: SearchText,
    mode: Annotated[
        Literal["words", "meaning", "both"], Query(description="words, meaning or both")
    ] = "words",
    format: Format = "json",
    limit: ExportLimit = 50,
    offset: Offset = 0,
) -> Response:
    """``mode=words``: full-text search (words ANDed, "phrases", OR, NOT, NEAR(a b), prefix*), each hit
    with a ``snippet`` (matches in ``[`` ``]``) and a ``rank`` (higher is better); the total is in
    ``X-Total-Count``. ``mode=meaning``: the articles nearest to ``q`` by the multilingual embedder,
    in any language (``rank``: the cosine). ``mode=both``: the two merged by reciprocal rank fusion."""
    # a store that fails is an error (503 when locked or busy, else 500; web/errors.py), never []
    wanted = filters.article_filter()
    index = meaning_index(ctx) if mode != "words" else None

    def rows(n: int, skip: int) -> list[dict[str, Any]]:
        if index is None:
            hits = ctx.store.search(q, wanted, limit=n, offset=skip)
        else:
            hits = meaning.search(index, ctx.store, q, wanted, mode=mode, limit=n, offset=skip)
        story_ids = ctx.store.story_ids_of([h.article.id for h in hits])
        return [{**search_hit_json(h), "story_id": story_ids.get(h.article.id)} for h in hits]

    total = (
        sum(ctx.store.count_articles_by("language", wanted, query=q).values()) if mode == "words" else None
    )
    return exports.listing(
        request, rows, fmt=format, limit=limit, offset=offset, total=total, filename="search"
    )


@router.get("/counts", summary="Articles per day or hour, language, source, agency, story or entity")
def counts(
    ctx: Ctx,
    filters: ArticleFilters,
    by: Annotated[
        Literal["day", "hour", "language", "source", "agency", "story", "entity"],
        Query(description="what to count by (day and hour in UTC)"),
    ] = "day",
    q: Annotated[
        str | None, Query(max_length=MAX_QUERY_CHARS, description="only articles matching these words")
    ] = None,
) -> JSONResponse:
    """``{"by", "q", "total", "counts": [{"key", "n"}]}``: articles matching the filters (and ``q``, a
    word search) counted by ``by``; days and hours in time order, other keys largest first. Story
    counts are by live story (merged ones count for where they went); entity counts are articles
    that mention the entity (an article counts once for each entity it mentions)."""
    found = ctx.store.count_articles_by(by, filters.article_filter(), query=blank_to_none(q))
    return _json(
        {
            "by": by,
            "q": blank_to_none(q),
            "total": ctx.store.count_articles(filters.article_filter()) if q is None else None,
            "counts": [{"key": k, "n": n} for k, n in found.items()],
        }
    )


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
