"""The search and compare pages.

Search reads the store's full-text index; compare runs the pair scorer on the caller's input (two
stored ids, or two pasted texts), like ``storyline compare``. Scoring costs seconds of CPU, so it is
rate-limited and needs the token beyond a local request (``WriteGuard.check_compare``); the form is
then usable only locally, as a browser form cannot send the bearer token.
"""

from __future__ import annotations

import logging
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Form, Query
from starlette.requests import Request
from starlette.responses import HTMLResponse

from storyline.web import meaning
from storyline.web.actions import MAX_COMPARE_CHARS
from storyline.web.context import WebContext, get_context
from storyline.web.meaning import meaning_index
from storyline.web.pages import Render
from storyline.web.params import MAX_QUERY_CHARS, PAGE_SIZE, Filters, Page, article_filters
from storyline.web.security import compare_allowed

LOGGER = logging.getLogger(__name__)

router = APIRouter(include_in_schema=False)
Ctx = Annotated[WebContext, Depends(get_context)]
DIMENSIONS = ("overall", "geography", "entities", "time", "narrative")
IdField = Annotated[str, Form(max_length=200)]
TextField = Annotated[str, Form(max_length=MAX_COMPARE_CHARS)]
TitleField = Annotated[str, Form(max_length=1000)]


@router.get("/search", response_class=HTMLResponse)
def search_page(
    request: Request,
    ctx: Ctx,
    view: Render,
    filters: Annotated[Filters, Depends(article_filters)],
    q: Annotated[str, Query(max_length=MAX_QUERY_CHARS)] = "",
    mode: Annotated[Literal["words", "meaning", "both"], Query()] = "words",
    page: Page = 1,
) -> HTMLResponse:
    """Search by words (highlighted snippets), by meaning across languages, or both, with the
    article filters."""
    hits = []
    if q.strip():
        offset = (page - 1) * PAGE_SIZE
        wanted = filters.article_filter()
        index = meaning_index(ctx) if mode != "words" else None
        if index is None:
            hits = ctx.store.search(q, wanted, limit=PAGE_SIZE + 1, offset=offset)
        else:
            hits = meaning.search(index, ctx.store, q, wanted, mode=mode, limit=PAGE_SIZE + 1, offset=offset)
    story_ids = ctx.store.story_ids_of([h.article.id for h in hits[:PAGE_SIZE]]) if hits else {}
    return view.render(
        request,
        "search.html",
        title=f"Search: {q}" if q.strip() else "Search",
        q=q,
        mode=mode,
        hits=hits[:PAGE_SIZE],
        story_ids=story_ids,
        filters=filters,
        page=page,
        has_next=len(hits) > PAGE_SIZE,
    )


def _bars(result: dict[str, Any]) -> list[tuple[str, float, int]]:
    """``(dimension, score, width percent)``: 1 (same) is a full bar, 4 (unrelated) an empty one."""
    return [(d, result[d], round(100 * (4 - min(max(result[d], 1.0), 4.0)) / 3)) for d in DIMENSIONS]


def _compare_response(
    request: Request, ctx: WebContext, view: Render, form: dict[str, str], status: int = 200
) -> HTMLResponse:
    result = None
    sides = []
    if (form["a_id"] or form["a_text"].strip()) and (form["b_id"] or form["b_text"].strip()):
        a = ctx.compare.resolve("a", article_id=form["a_id"], text=form["a_text"], title=form["a_title"])
        b = ctx.compare.resolve("b", article_id=form["b_id"], text=form["b_text"], title=form["b_title"])
        result = ctx.compare.score(a, b)
        sides = [a, b]
    return view.render(
        request,
        "compare.html",
        status,
        title="Compare two articles",
        form=form,
        result=result,
        bars=_bars(result) if result else [],
        sides=sides,
    )


@router.get("/compare", response_class=HTMLResponse)
def compare_page(
    request: Request,
    ctx: Ctx,
    view: Render,
    a: Annotated[str, Query(max_length=200)] = "",
    b: Annotated[str, Query(max_length=200)] = "",
) -> HTMLResponse:
    """The compare form; with ``?a=ID&b=ID`` it also scores two stored articles (then it is checked and
    counted like a POST: token when not local, rate limit)."""
    form = {"a_id": a.strip(), "b_id": b.strip(), "a_text": "", "b_text": "", "a_title": "", "b_title": ""}
    if form["a_id"] and form["b_id"]:
        ctx.guard.check_compare(request)
    return _compare_response(request, ctx, view, form)


@router.post("/compare", response_class=HTMLResponse, dependencies=[Depends(compare_allowed)])
def compare_submit(
    request: Request,
    ctx: Ctx,
    view: Render,
    a_id: IdField = "",
    a_text: TextField = "",
    a_title: TitleField = "",
    b_id: IdField = "",
    b_text: TextField = "",
    b_title: TitleField = "",
) -> HTMLResponse:
    """Score the two articles given in the form (an id or a pasted text for each side)."""
    form = {"a_id": a_id.strip(), "a_text": a_text, "a_title": a_title}
    form |= {"b_id": b_id.strip(), "b_text": b_text, "b_title": b_title}
    return _compare_response(request, ctx, view, form)
