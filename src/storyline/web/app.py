"""The FastAPI application: pages, the JSON API under ``/api/v1``, static files, errors, headers.

``create_app(store, settings)`` builds it over any ``StoryReader`` (``storyline serve`` passes a
``SqliteStore``; tests pass whatever they built). Nothing here reaches a network: CSS and JS are
served from ``static/``, charts are inline SVG, and the API docs page (``/docs``) runs Swagger UI from
the files ``fastapi-offline`` ships, mounted at ``/docs/assets`` (``pages_help.py``).
"""

from __future__ import annotations

import logging
import threading
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

from fastapi import FastAPI
from fastapi.openapi.utils import get_openapi
from starlette.staticfiles import StaticFiles

from storyline import __version__
from storyline.settings import Settings
from storyline.store import StoryReader
from storyline.web import (
    api,
    api_digest,
    api_facts,
    api_ingest,
    api_sources,
    feeds,
    pages,
    pages_digest,
    pages_facts,
    pages_help,
    pages_maps,
    pages_sources,
    pages_tools,
    pages_upload,
    pages_watch,
    places,
)
from storyline.web.context import WebContext
from storyline.web.errors import install_error_handlers
from storyline.web.hosts import HostPolicy, TrustedHosts
from storyline.web.ratelimit import RateLimits
from storyline.web.render import Pages
from storyline.web.security import BodyLimit, SecurityHeaders, WriteGuard

LOGGER = logging.getLogger(__name__)

STATIC = Path(__file__).with_name("static")
OPENAPI_URL = "/api/v1/openapi.json"
FORM_OVERHEAD_BYTES = 1_048_576
"""Room for multipart boundaries and headers above ``max_item_bytes`` in one request body."""
COMPARE_MAX_BYTES = 2_097_152
"""Body cap of compare (API and form): two texts of ``MAX_COMPARE_CHARS`` in UTF-8, with room to spare."""
COMPARE_PATHS = ("/api/v1/compare", "/compare")


def create_app(
    store: StoryReader,
    settings: Settings,
    *,
    token: str | None = None,
    loopback: bool = True,
    limits: RateLimits | None = None,
) -> FastAPI:
    """The web app over ``store``.

    ``token``: when set, ``POST /api/v1/ingest`` needs ``Authorization: Bearer <token>``. ``loopback``:
    whether the server listens on loopback only; without a token, writes are refused unless it does.
    ``limits``: the rate limits of failed tokens and compare (``RateLimits()`` when None). Every request
    must name a loopback or ``settings.trusted_hosts`` Host (docs/security.md).
    """
    app = FastAPI(
        lifespan=_warm_pictures,
        title="Storyline",
        version=__version__,
        description="Stories, storylines and articles from the Storyline store.",
        openapi_url=OPENAPI_URL,
        docs_url=None,  # FastAPI's docs pages load assets from a CDN and run inline script: /docs is ours
        redoc_url=None,
    )
    app.state.web = WebContext(store, settings, WriteGuard(token=token, loopback=loopback, limits=limits))
    app.state.pages = Pages()
    app.include_router(api.router)
    app.include_router(api_facts.router)
    app.include_router(api_digest.router)
    app.include_router(api_ingest.router)
    app.include_router(api_sources.router)
    app.include_router(pages.router)
    app.include_router(pages_tools.router)
    app.include_router(pages_facts.router)
    app.include_router(pages_digest.router)
    app.include_router(pages_watch.router)
    app.include_router(pages_sources.router)
    app.include_router(pages_upload.router)
    app.include_router(pages_help.router)
    app.include_router(pages_maps.router)
    app.include_router(feeds.router)
    app.mount("/static", StaticFiles(directory=STATIC), name="static")
    if pages_help.DOCS_ASSETS is not None:
        app.mount(
            pages_help.DOCS_ASSETS_PATH, StaticFiles(directory=pages_help.DOCS_ASSETS), name="docs-assets"
        )
    install_error_handlers(app, app.state.pages.error)
    max_bytes = settings.max_item_bytes + FORM_OVERHEAD_BYTES
    compare_cap = dict.fromkeys(COMPARE_PATHS, min(COMPARE_MAX_BYTES, max_bytes))
    app.add_middleware(BodyLimit, max_bytes=max_bytes, paths=compare_cap)
    app.add_middleware(TrustedHosts, policy=HostPolicy.from_setting(settings.trusted_hosts))
    app.add_middleware(SecurityHeaders)
    app.openapi = lambda: _openapi(app)  # type: ignore[method-assign]
    LOGGER.info("web: app over %r (writes: %r)", store, app.state.web.guard)
    return app


@asynccontextmanager
async def _warm_pictures(app: FastAPI) -> AsyncIterator[None]:
    """When the server starts, load the map's gazetteer and outlines in a background thread (a few
    seconds once), so the first story page does not wait for them."""
    threading.Thread(target=places.warm, name="warm-pictures", daemon=True).start()
    yield


_ERROR_SCHEMA: dict[str, Any] = {
    "type": "object",
    "required": ["ok", "error", "errors", "status"],
    "properties": {
        "ok": {"type": "boolean", "const": False},
        "error": {"type": "string"},
        "errors": {"type": "array", "items": {"type": "object"}},
        "status": {"type": "integer"},
    },
}


def _openapi(app: FastAPI) -> dict[str, Any]:
    """The OpenAPI document, with the shared error shape and the ingest body schema added."""
    if app.openapi_schema is None:
        schema = get_openapi(
            title=app.title, version=app.version, description=app.description, routes=app.routes
        )
        components = schema.setdefault("components", {}).setdefault("schemas", {})
        components["Error"] = _ERROR_SCHEMA
        components["IngestArticle"] = api_ingest.INGEST_ARTICLE_SCHEMA
        error_content = {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}
        for operations in schema.get("paths", {}).values():
            for operation in operations.values():
                for status, response in operation.get("responses", {}).items():
                    if status[0] in "45":
                        response["content"] = error_content
                        response["description"] = "error: {ok: false, error, errors, status}"
        app.openapi_schema = schema
    return app.openapi_schema
