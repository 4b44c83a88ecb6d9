"""The JSON API over what the understanding stage found: entities and quotes (``/api/v1``)."""

from __future__ import annotations

import logging
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query
from starlette.exceptions import HTTPException
from starlette.responses import JSONResponse

from storyline.model import Quote, quote_json
from storyline.shapes import entity_json
from storyline.store import StoryReader
from storyline.understand.quotes import DEFAULT_MIN_CONFIDENCE
from storyline.web.context import WebContext, get_context
from storyline.web.entities import entity_profile
from storyline.web.now import listed_json
from storyline.web.params import Limit, Offset, blank_to_none

LOGGER = logging.getLogger(__name__)

router = APIRouter(prefix="/api/v1", tags=["api"])
Ctx = Annotated[WebContext, Depends(get_context)]
Text = Annotated[str | None, Query(max_length=200)]
DETAIL_QUOTES = 50
_NOT_FOUND: dict[int | str, dict[str, Any]] = {404: {"description": "error"}}


def quotes_json(store: StoryReader, quotes: list[Quote]) -> list[dict[str, Any]]:
    """Quotes with each speaker entity's canonical name (looked up once per entity)."""
    names: dict[str, str | None] = {}
    for entity_id in {q.speaker_entity_id for q in quotes if q.speaker_entity_id}:
        found = store.get_entity(entity_id)
        names[entity_id] = found.name if found else None
    return [quote_json(q, speaker_name=names.get(q.speaker_entity_id or "")) for q in quotes]


@router.get("/entities", summary="List entities, most mentioned first")
def list_entities(
    ctx: Ctx,
    type: Annotated[str | None, Query(max_length=40, description="PER, ORG, LOC...")] = None,
    name: Annotated[
        str | None, Query(max_length=200, description="a name or alias (case-insensitive)")
    ] = None,
    limit: Limit = 50,
    offset: Offset = 0,
) -> JSONResponse:
    """People, organisations, places and groups with one canonical name across mentions and languages;
    ``name`` finds those named so or with that alias."""
    wanted = blank_to_none(name)
    if wanted is not None:
        found = ctx.store.find_entities(wanted, limit=offset + limit)[offset:]
        kind = blank_to_none(type)
        rows = [e for e in found if kind is None or e.type == kind]
    else:
        rows = ctx.store.list_entities(type=blank_to_none(type), limit=limit, offset=offset)
    return JSONResponse([entity_json(e) for e in rows])


@router.get(
    "/entities/{entity_id}",
    summary="One entity with its quotes, stories, mentions per day and co-mentioned entities",
    responses=_NOT_FOUND,
)
def get_entity(ctx: Ctx, entity_id: str) -> JSONResponse:
    """The entity, up to 50 of the ``quotes`` it is the speaker of, in reporting order; its
    ``stories`` (most articles naming it first), ``mentions_per_day`` (``{"day", "n"}``: articles
    naming it, in time order) and ``co_mentioned`` (entities named in the same articles, with
    ``n_articles``, most first)."""
    entity = ctx.store.get_entity(entity_id)
    if entity is None:
        raise HTTPException(404, f"no entity {entity_id!r}; list ids at /api/v1/entities")
    quotes = ctx.store.list_quotes(
        speaker_entity_id=entity.id, limit=DETAIL_QUOTES, min_confidence=DEFAULT_MIN_CONFIDENCE
    )
    profile = entity_profile(ctx.store, entity)
    return JSONResponse(
        {
            **entity_json(entity),
            "quotes": quotes_json(ctx.store, quotes),
            "stories": [listed_json(x, with_recent=False) for x in profile.stories],
            "mentions_per_day": [{"day": k, "n": n} for k, n in sorted(profile.per_day.items())],
            "co_mentioned": [{**entity_json(e), "n_articles": n} for e, n in profile.co_entities],
        }
    )


@router.get("/quotes", summary="Who said what, in reporting order")
def list_quotes(
    ctx: Ctx,
    speaker_entity_id: Text = None,
    speaker: Annotated[str | None, Query(max_length=200, description="part of the speaker's text")] = None,
    story_id: Text = None,
    article_id: Text = None,
    limit: Limit = 50,
    offset: Offset = 0,
    confidence: Annotated[
        float,
        Query(
            ge=0.0, le=1.0, description="least confidence shown; 0 shows every quote, also unassessed ones"
        ),
    ] = DEFAULT_MIN_CONFIDENCE,
) -> JSONResponse:
    """Quotes filtered by speaker entity, speaker text, story or article (all optional, combined);
    only confident attributions unless ``confidence`` is lowered (0: all)."""
    quotes = ctx.store.list_quotes(
        min_confidence=confidence or None,
        speaker_entity_id=blank_to_none(speaker_entity_id),
        speaker=blank_to_none(speaker),
        story_id=blank_to_none(story_id),
        article_id=blank_to_none(article_id),
        limit=limit,
        offset=offset,
    )
    return JSONResponse(quotes_json(ctx.store, quotes))
