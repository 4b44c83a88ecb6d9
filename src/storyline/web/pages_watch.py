"""The watchlists page: each standing query, when it was last read, its latest alerts and its feed.

Watchlists are added with ``storyline watch add``; alerts are raised on ingest. Reading this page does
not mark a watchlist visited (``storyline digest --watchlist`` does).
"""

from __future__ import annotations

import logging
from typing import Annotated

from fastapi import APIRouter, Depends
from starlette.requests import Request
from starlette.responses import HTMLResponse

from storyline.model import Alert, Watchlist
from storyline.store import WatchStore
from storyline.web.context import WebContext, get_context
from storyline.web.pages import Render

LOGGER = logging.getLogger(__name__)

router = APIRouter(include_in_schema=False)
Ctx = Annotated[WebContext, Depends(get_context)]
RECENT_ALERTS = 10


@router.get("/watchlists", response_class=HTMLResponse)
def watchlists_page(request: Request, ctx: Ctx, view: Render) -> HTMLResponse:
    """Every watchlist with its query, last visit, Atom feed and most recent alerts."""
    rows: list[tuple[Watchlist, list[Alert]]] = []
    keeps = isinstance(ctx.store, WatchStore)
    if isinstance(ctx.store, WatchStore):
        for watchlist in ctx.store.list_watchlists():
            rows.append((watchlist, ctx.store.list_alerts(watchlist_id=watchlist.id, limit=RECENT_ALERTS)))
    return view.render(request, "watchlists.html", title="Watchlists", rows=rows, keeps=keeps)
