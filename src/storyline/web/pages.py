"""The HTML pages that read the store: stories, a story, storylines and articles.

Entity pages live in ``pages_facts.py``, digests in ``pages_digest.py``, watchlists in ``pages_watch.py``.

Server-rendered, so they work without JavaScript; charts are inline SVG built by ``charts.py``.
Search and compare live in ``pages_tools.py``.
"""

from __future__ import annotations

import logging
from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Query
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import HTMLResponse

from storyline.web import charts, now
from storyline.web.context import WebContext, get_context
from storyline.web.data import (
    MAX_TIMELINE_ARTICLES,
    StoryQuery,
    facts_view,
    fold_copies,
    marked_paragraphs,
    neighbours,
    story_detail,
    story_speakers,
    storyline_members,
)
from storyline.web.digests import digest_context
from storyline.web.params import (
    PAGE_SIZE,
    Filters,
    Language,
    Page,
    Since,
    Source,
    Until,
    Visit,
    article_filters,
    blank_to_none,
    parse_when,
)
from storyline.web.pictures import diversity, story_coverage, storyline_timeline
from storyline.web.render import Pages, path_id, with_query

LOGGER = logging.getLogger(__name__)

router = APIRouter(include_in_schema=False)
Ctx = Annotated[WebContext, Depends(get_context)]
STORY_PAGE_ARTICLES = 100
At = Annotated[
    str | None,
    Query(pattern=r"^\d{1,9}-\d{1,9}$", description="character span to mark: START-END"),
]


async def pages(request: Request) -> Pages:
    """FastAPI dependency: the template renderer."""
    renderer: Pages = request.app.state.pages
    return renderer


Render = Annotated[Pages, Depends(pages)]


@router.get("/", response_class=HTMLResponse)
def stories_page(
    request: Request,
    ctx: Ctx,
    view: Render,
    language: Language = None,
    source: Source = None,
    since: Since = None,
    until: Until = None,
    visit: Visit = None,
    sort: Annotated[Literal["now", "size"], Query()] = "now",
    page: Page = 1,
) -> HTMLResponse:
    """Live stories, what is happening now first (``sort=size``: largest first), each with its
    articles-per-day sparkline; ``visit`` (kept in the links, no cookie) marks what is new since."""
    form = {"language": blank_to_none(language), "source": blank_to_none(source)}
    form |= {"since": blank_to_none(since), "until": blank_to_none(until)}
    query = StoryQuery(
        language=form["language"],
        source=form["source"],
        since=parse_when("since", since),
        until=parse_when("until", until),
    )
    mark = parse_when("visit", visit)
    rows = now.list_stories(ctx.store, query, sort=sort, limit=PAGE_SIZE + 1, offset=(page - 1) * PAGE_SIZE)
    has_next, rows = len(rows) > PAGE_SIZE, now.mark_new(ctx.store, rows[:PAGE_SIZE], mark)
    items = []
    for listed in rows:
        counts = ctx.activity.daily(ctx.store, listed.story)
        n, days = sum(counts), len(counts)
        articles = f"{n} dated article{'' if n == 1 else 's'}"
        label = (
            f"{articles} in the story's last {days} day{'' if days == 1 else 's'}"
            if days
            else "no dated article"
        )
        items.append((listed, charts.sparkline(counts, label=label)))
    latest = []
    if not rows and page == 1 and not any(form.values()) and sort == "size":
        latest = ctx.store.list_articles(limit=PAGE_SIZE)  # no stories yet: show what exists
    newest = ctx.store.latest_published()
    keep = {k: v for k, v in form.items() if v} | ({"sort": sort} if sort != "now" else {})
    return view.render(
        request,
        "stories.html",
        title="Stories",
        items=items,
        latest=latest,
        form=form,
        sort=sort,
        visit=mark,
        pager_query=keep | ({"visit": blank_to_none(visit) or ""} if mark else {}),
        mark_href=with_query("/", keep | {"visit": newest.isoformat() if newest else None}),
        size_href=with_query("/", {**keep, "sort": "size"}),
        now_href=with_query("/", {k: v for k, v in keep.items() if k != "sort"}),
        page=page,
        has_next=has_next,
    )


@router.get("/stories/{story_id}", response_class=HTMLResponse)
def story_page(
    request: Request,
    ctx: Ctx,
    view: Render,
    story_id: str,
    by: Annotated[Literal["source", "language", "agency"], Query()] = "source",
    page: Page = 1,
    since: Since = None,
    start: Annotated[str | None, Query(alias="from", max_length=40)] = None,
    end: Annotated[str | None, Query(alias="to", max_length=40)] = None,
) -> HTMLResponse:
    """One story: its digest (inline when cached, else linked and loaded by ``app.js``), its coverage
    over time (``from``/``to``: the days shown, with zoom links), where it happens (a map), its sources
    and languages, its articles in time order with copies folded, who said what, its storyline and
    merges."""
    when = parse_when("since", since)
    first, last = parse_when("from", start), parse_when("to", end)
    detail = story_detail(ctx.store, story_id, limit=MAX_TIMELINE_ARTICLES)
    if detail is None:
        raise HTTPException(404, f"no story {story_id!r}")
    story, articles = detail.story, detail.articles
    base = f"/stories/{path_id(story.id)}"
    coverage = story_coverage(
        articles, by, base, first.date() if first else None, last.date() if last else None
    )
    start_at = (page - 1) * STORY_PAGE_ARTICLES
    shown = articles[start_at : start_at + STORY_PAGE_ARTICLES]
    cached = ctx.digests.cached(story.id, since=when)
    digest = digest_context(cached, base) if cached is not None else None
    return view.render(
        request,
        "story.html",
        digest=digest,
        digest_href=with_query(base + "/digest", {"since": blank_to_none(since)}),
        speakers=story_speakers(ctx.store, story.id),
        title=story.label or f"Story {story.id}",
        story=story,
        rows=fold_copies(ctx.store, shown),
        n_loaded=len(articles),
        coverage=coverage,
        by=by,
        places=ctx.places.get(ctx.store, story, articles),
        diversity=diversity(articles),
        near=neighbours(ctx.store, story),
        events=detail.events,
        page=page,
        has_next=start_at + STORY_PAGE_ARTICLES < len(articles),
    )


@router.get("/storylines", response_class=HTMLResponse)
def storylines_page(request: Request, ctx: Ctx, view: Render, page: Page = 1) -> HTMLResponse:
    """Storylines, largest first."""
    rows = ctx.store.list_storylines(limit=PAGE_SIZE + 1, offset=(page - 1) * PAGE_SIZE)
    return view.render(
        request,
        "storylines.html",
        title="Storylines",
        lines=rows[:PAGE_SIZE],
        page=page,
        has_next=len(rows) > PAGE_SIZE,
    )


@router.get("/storylines/{storyline_id}", response_class=HTMLResponse)
def storyline_page(
    request: Request,
    ctx: Ctx,
    view: Render,
    storyline_id: str,
    start: Annotated[str | None, Query(alias="from", max_length=40)] = None,
    end: Annotated[str | None, Query(alias="to", max_length=40)] = None,
) -> HTMLResponse:
    """One storyline: its stories on a shared time axis (``from``/``to``: the days shown, with zoom
    links, as on the story page), and the list of its stories."""
    first, last = parse_when("from", start), parse_when("to", end)
    line = ctx.store.get_storyline(storyline_id)
    if line is None:
        raise HTTPException(404, f"no storyline {storyline_id!r}")
    members = storyline_members(ctx.store, line)
    timeline = storyline_timeline(
        members,
        f"/storylines/{path_id(line.id)}",
        first.date() if first else None,
        last.date() if last else None,
    )
    return view.render(
        request,
        "storyline.html",
        title=line.label or f"Storyline {line.id}",
        line=line,
        members=members,
        timeline=timeline,
    )


@router.get("/articles", response_class=HTMLResponse)
def articles_page(
    request: Request,
    ctx: Ctx,
    view: Render,
    filters: Annotated[Filters, Depends(article_filters)],
    page: Page = 1,
) -> HTMLResponse:
    """Articles, newest first, with the CLI's filters."""
    rows = ctx.store.list_articles(
        filters.article_filter(), limit=PAGE_SIZE + 1, offset=(page - 1) * PAGE_SIZE
    )
    return view.render(
        request,
        "articles.html",
        title="Articles",
        articles=rows[:PAGE_SIZE],
        filters=filters,
        page=page,
        has_next=len(rows) > PAGE_SIZE,
    )


@router.get("/articles/{article_id}", response_class=HTMLResponse)
def article_page(request: Request, ctx: Ctx, view: Render, article_id: str, at: At = None) -> HTMLResponse:
    """One article: its text (``at``: a span to mark, as digests and quotes link), its near-copies,
    its original and its story."""
    article = ctx.store.get_article(article_id)
    if article is None:
        raise HTTPException(404, f"no article {article_id!r}")
    story_id = ctx.store.story_ids_of([article.id]).get(article.id)
    story = ctx.store.get_story(story_id) if story_id else None
    original = ctx.store.get_article(article.duplicate_of) if article.duplicate_of else None
    facts = facts_view(ctx.store, article.id)
    return view.render(
        request,
        "article.html",
        title=article.title or f"Article {article.id}",
        article=article,
        paragraphs=marked_paragraphs(article.text, _span(at)),
        copies=ctx.store.duplicates_of(article.id),
        original=original,
        story=story,
        facts=facts,
    )


def _span(at: str | None) -> tuple[int, int] | None:
    """``START-END`` as a span; None when absent or empty."""
    if at is None:
        return None
    start, _, end = at.partition("-")
    return (int(start), int(end)) if int(start) < int(end) else None
