"""The entity pages: who and what the articles name, and what each speaker said."""

from __future__ import annotations

import logging
from typing import Annotated

from fastapi import APIRouter, Depends, Query
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import HTMLResponse

from storyline.model import Entity
from storyline.understand.quotes import DEFAULT_MIN_CONFIDENCE
from storyline.web.charts_graph import GraphNode, co_graph
from storyline.web.context import WebContext, get_context
from storyline.web.entities import entity_profile, mentions_chart
from storyline.web.gazetteer import PlaceName, gazetteer, resolve_places
from storyline.web.pages import Render
from storyline.web.params import PAGE_SIZE, Page, blank_to_none
from storyline.web.places import PLACE_TYPES, PlacesView, places_view
from storyline.web.plain import ENTITY_TYPE_CHOICES
from storyline.web.render import path_id

LOGGER = logging.getLogger(__name__)

router = APIRouter(include_in_schema=False)
Ctx = Annotated[WebContext, Depends(get_context)]
ENTITY_QUOTES = 50


@router.get("/entities", response_class=HTMLResponse)
def entities_page(
    request: Request,
    ctx: Ctx,
    view: Render,
    type: Annotated[str | None, Query(max_length=40)] = None,
    name: Annotated[str | None, Query(max_length=200)] = None,
    page: Page = 1,
) -> HTMLResponse:
    """Entities, most mentioned first; ``name`` finds one by its name or an alias."""
    kind, wanted = blank_to_none(type), blank_to_none(name)
    offset = (page - 1) * PAGE_SIZE
    if wanted is not None:
        rows = [e for e in ctx.store.find_entities(wanted, limit=offset + PAGE_SIZE + 1)[offset:]
                if kind is None or e.type == kind]  # fmt: skip
    else:
        rows = ctx.store.list_entities(type=kind, limit=PAGE_SIZE + 1, offset=offset)
    return view.render(
        request,
        "entities.html",
        title="Entities",
        entity_types=ENTITY_TYPE_CHOICES,
        entities=rows[:PAGE_SIZE],
        form={"type": kind, "name": wanted},
        page=page,
        has_next=len(rows) > PAGE_SIZE,
    )


@router.get("/entities/{entity_id}", response_class=HTMLResponse)
def entity_page(
    request: Request,
    ctx: Ctx,
    view: Render,
    entity_id: str,
    confidence: Annotated[float, Query(ge=0.0, le=1.0)] = DEFAULT_MIN_CONFIDENCE,
) -> HTMLResponse:
    """One entity: its names in every language, its mentions over time, its stories, the entities
    most often named with it, and what it said, in reporting order (confident attributions only
    unless ``?confidence=`` is lowered; 0 shows all)."""
    entity = ctx.store.get_entity(entity_id)
    if entity is None:
        raise HTTPException(404, f"no entity {entity_id!r}")
    quotes = ctx.store.list_quotes(
        speaker_entity_id=entity.id, limit=ENTITY_QUOTES, min_confidence=confidence or None
    )
    articles = {q.article_id: ctx.store.get_article(q.article_id) for q in quotes}
    profile = entity_profile(ctx.store, entity)
    others = [GraphNode(o.name, o.type, n, f"/entities/{path_id(o.id)}") for o, n in profile.co_entities]
    graph = co_graph(
        GraphNode(entity.name, entity.type, profile.n_articles, ""),
        others,
        title=f"{entity.name} and the entities most often named in the same articles",
    )
    return view.render(
        request,
        "entity.html",
        title=entity.name,
        entity=entity,
        quotes=quotes,
        articles=articles,
        profile=profile,
        chart=mentions_chart(profile.per_day, entity.name),
        graph=graph,
        place=entity_place(entity) if entity.type.upper() in PLACE_TYPES else None,
    )


def entity_place(entity: Entity) -> PlacesView | None:
    """Where a place entity is, on the map (by its name, then its aliases); None when unknown."""
    name = PlaceName(entity.id, (entity.name, *entity.aliases))
    resolved, unknown = resolve_places(gazetteer(), [name])
    return places_view(resolved, unknown, 0) if resolved else None
