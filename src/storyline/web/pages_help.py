"""Help pages: the glossary of the terms the pages use, and the API docs.

The API docs page is Swagger UI over ``/api/v1/openapi.json``, served from this server's files: the
assets are those ``fastapi-offline`` vendors (``DOCS_ASSETS``, mounted at ``/docs/assets``), and the
page starts Swagger UI from ``static/api-docs.js`` rather than the inline script FastAPI's own docs page
uses, so the Content-Security-Policy stays as it is (``script-src 'self'``, no inline script or style).
"""

from __future__ import annotations

import importlib.util
import logging
from pathlib import Path

from fastapi import APIRouter
from starlette.requests import Request
from starlette.responses import HTMLResponse

from storyline.web.pages import Render

LOGGER = logging.getLogger(__name__)

router = APIRouter(include_in_schema=False)
DOCS_PATH = "/docs"
DOCS_ASSETS_PATH = "/docs/assets"


def _docs_assets() -> Path | None:
    """Where the ``fastapi-offline`` wheel keeps Swagger UI's bundle and stylesheet (and ReDoc's, unused:
    it injects inline styles), found without importing the package; None when it is not installed."""
    spec = importlib.util.find_spec("fastapi_offline")
    for folder in (spec.submodule_search_locations or []) if spec is not None else []:
        if (Path(folder) / "static" / "swagger-ui-bundle.js").is_file():
            return Path(folder) / "static"
    LOGGER.warning("web: fastapi-offline is not installed: the API docs page (/docs) has no Swagger UI")
    return None


DOCS_ASSETS = _docs_assets()


@router.get("/glossary", response_class=HTMLResponse)
def glossary_page(request: Request, view: Render) -> HTMLResponse:
    """What a story, a near-copy, the compare scale, happened and upcoming... mean."""
    return view.render(request, "glossary.html", title="Glossary")


@router.get(DOCS_PATH, response_class=HTMLResponse)
def api_docs_page(request: Request, view: Render) -> HTMLResponse:
    """The JSON API's endpoints, parameters and shapes, browsable (Swagger UI, from local files)."""
    openapi_url = request.app.openapi_url or ""
    assets = DOCS_ASSETS_PATH if DOCS_ASSETS is not None else None
    return view.render(request, "api_docs.html", title="API docs", openapi_url=openapi_url, assets=assets)
