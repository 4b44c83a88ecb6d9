"""Watchlists on the web: the Atom feed of each watchlist and the JSON API of watchlists and alerts.

- ``/watchlists/{id}/feed.atom`` (and ``/feeds/watchlists/{id}.atom``): the watchlist's latest alerts;
- ``/api/v1/watchlists``, ``/api/v1/watchlists/{id}``, ``/api/v1/alerts``: JSON.

They read what the store holds (``storyline alerts`` and the pipeline hook raise the alerts); a store
without watchlists (``WatchStore``) answers 404. Feed links start with ``Settings.base_url`` when set.
"""

from __future__ import annotations

import logging
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from storyline.alerts.feed import ATOM_TYPE, atom_feed
from storyline.alerts.webhook import alert_payload
from storyline.model import Watchlist
from storyline.shapes import watchlist_json
from storyline.store import WatchStore
from storyline.web.context import WebContext, get_context
from storyline.web.params import Limit, Offset

LOGGER = logging.getLogger(__name__)

router = APIRouter(tags=["watchlists"])
Ctx = Annotated[WebContext, Depends(get_context)]
FEED_ENTRIES = 50
_NOT_FOUND: dict[int | str, dict[str, Any]] = {404: {"description": "error"}}


def _store(ctx: WebContext) -> WatchStore:
    if not isinstance(ctx.store, WatchStore):
        raise HTTPException(404, "this store keeps no watchlists")
    return ctx.store


def _watchlist(ctx: WebContext, watchlist_id: str) -> tuple[WatchStore, Watchlist]:
    store = _store(ctx)
    found = store.get_watchlist(watchlist_id)
    if found is None:
        raise HTTPException(404, f"no watchlist {watchlist_id!r}")
    return store, found


def feed_base_url(request: Request, ctx: WebContext) -> str:
    """Where the feed's links point: ``Settings.base_url`` when set (the public URL behind a proxy),
    else this request's own scheme, host and root path. The ``Host`` is attacker-chosen in general,
    but ``TrustedHosts`` answered this request only because it is a loopback or trusted name, so a
    feed can never be made to link to another site."""
    return ctx.settings.base_url.strip() or str(request.base_url)


def _feed(request: Request, ctx: WebContext, watchlist_id: str) -> Response:
    store, watchlist = _watchlist(ctx, watchlist_id)
    alerts = store.list_alerts(watchlist_id=watchlist.id, limit=FEED_ENTRIES)
    body = atom_feed(watchlist, alerts, base_url=feed_base_url(request, ctx))
    return Response(body, media_type=ATOM_TYPE)


@router.get(
    "/watchlists/{watchlist_id}/feed.atom",
    include_in_schema=False,
    summary="Atom feed of a watchlist's alerts",
    responses=_NOT_FOUND,
)
def feed(request: Request, ctx: Ctx, watchlist_id: str) -> Response:
    return _feed(request, ctx, watchlist_id)


@router.get(
    "/feeds/watchlists/{watchlist_id}.atom",
    include_in_schema=False,
    summary="Atom feed of a watchlist's alerts",
    responses=_NOT_FOUND,
)
def feed_alias(request: Request, ctx: Ctx, watchlist_id: str) -> Response:
    return _feed(request, ctx, watchlist_id)


@router.get("/api/v1/watchlists", summary="List watchlists")
def list_watchlists(ctx: Ctx) -> JSONResponse:
    return JSONResponse([watchlist_json(w) for w in _store(ctx).list_watchlists()])


@router.get(
    "/api/v1/watchlists/{watchlist_id}", summary="One watchlist with its latest alerts", responses=_NOT_FOUND
)
def get_watchlist(ctx: Ctx, watchlist_id: str, limit: Limit = 50, offset: Offset = 0) -> JSONResponse:
    store, watchlist = _watchlist(ctx, watchlist_id)
    alerts = store.list_alerts(watchlist_id=watchlist.id, limit=limit, offset=offset)
    return JSONResponse(
        {**watchlist_json(watchlist), "alerts": [alert_payload(a, watchlist) for a in alerts]}
    )


@router.get("/api/v1/alerts", summary="Alerts of every watchlist, newest first")
def list_alerts(
    ctx: Ctx,
    limit: Limit = 50,
    offset: Offset = 0,
    watchlist: Annotated[str | None, Query(max_length=100)] = None,
) -> JSONResponse:
    store = _store(ctx)
    watchlists = {w.id: w for w in store.list_watchlists()}
    alerts = store.list_alerts(watchlist_id=watchlist or None, limit=limit, offset=offset)
    return JSONResponse(
        [alert_payload(a, watchlists[a.watchlist_id]) for a in alerts if a.watchlist_id in watchlists]
    )
