"""The digest pages: ``/stories/{id}/digest`` and ``/storylines/{id}/digest``.

Each is a whole page (so it works without JavaScript, linked from the Story and Storyline pages);
``static/app.js`` fetches it and moves its ``#digest`` section into the page that links it. The
digest is computed by ``DigestService`` (cached; the first one loads the embedder).
"""

from __future__ import annotations

import logging
from typing import Annotated

from fastapi import APIRouter, Depends
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import HTMLResponse

from storyline.web.context import WebContext, get_context
from storyline.web.digests import digest_context
from storyline.web.pages import Render
from storyline.web.params import Since, parse_when
from storyline.web.render import path_id

LOGGER = logging.getLogger(__name__)

router = APIRouter(include_in_schema=False)
Ctx = Annotated[WebContext, Depends(get_context)]


def _digest_page(
    request: Request, ctx: WebContext, view: Render, kind: str, subject_id: str, since: str | None
) -> HTMLResponse:
    when = parse_when("since", since)
    found = ctx.store.get_story(subject_id) if kind == "story" else ctx.store.get_storyline(subject_id)
    if found is None:
        raise HTTPException(404, f"no {kind} {subject_id!r}")
    digest = ctx.digests.get(found.id, since=when)
    if digest is None:  # removed between the two reads
        raise HTTPException(404, f"no {kind} {subject_id!r}")
    base = f"/{'stories' if kind == 'story' else 'storylines'}/{path_id(found.id)}"
    name = found.label or f"{kind.title()} {found.id}"
    return view.render(
        request, "digest.html", title=f"Digest: {name}", name=name, **digest_context(digest, base)
    )


@router.get("/stories/{story_id}/digest", response_class=HTMLResponse)
def story_digest_page(
    request: Request, ctx: Ctx, view: Render, story_id: str, since: Since = None
) -> HTMLResponse:
    """The story's digest: label, summary, what's new, event timeline, figures."""
    return _digest_page(request, ctx, view, "story", story_id, since)


@router.get("/storylines/{storyline_id}/digest", response_class=HTMLResponse)
def storyline_digest_page(
    request: Request, ctx: Ctx, view: Render, storyline_id: str, since: Since = None
) -> HTMLResponse:
    """The storyline's digest, over all its stories' articles."""
    return _digest_page(request, ctx, view, "storyline", storyline_id, since)
