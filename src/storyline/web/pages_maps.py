"""The world outlines the map pictures draw from, served once per browser (``charts_map.py``)."""

from __future__ import annotations

import logging

from fastapi import APIRouter
from starlette.responses import Response

from storyline.web.charts_map import WORLD_URL, world_svg

LOGGER = logging.getLogger(__name__)

router = APIRouter(include_in_schema=False)
MAX_AGE_S = 86_400


@router.get(WORLD_URL)
def world_outlines() -> Response:
    """Every country's outline (``#land``, and ``#xx`` per ISO alpha-2 code), cached a day."""
    return Response(
        world_svg(),
        media_type="image/svg+xml",
        headers={"cache-control": f"public, max-age={MAX_AGE_S}"},
    )
