"""Poll intervals and the JSON shape of a followed source (the ``Source`` value is in ``storyline.model``)."""

from __future__ import annotations

import re
from typing import Any

from storyline.model import Source, iso

__all__ = ["MIN_EVERY_S", "format_duration", "parse_duration", "source_json"]

MIN_EVERY_S = 10
"""The shortest poll interval accepted: anything faster is not following, it is hammering."""

_UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400}
_DURATION = re.compile(r"^\s*(\d{1,7})\s*([smhd]?)\s*$", re.IGNORECASE)


def parse_duration(text: str) -> int:
    """Seconds in ``30s``, ``15m``, ``2h``, ``1d`` (a bare number is seconds); ``ValueError`` if not."""
    match = _DURATION.match(text)
    if match is None:
        raise ValueError(f"expected a duration like 30s, 15m, 2h or 1d, got {text!r}")
    return int(match.group(1)) * _UNITS[(match.group(2) or "s").lower()]


def format_duration(seconds: int) -> str:
    """The shortest exact spelling: ``900`` -> ``15m``, ``90`` -> ``90s``."""
    for unit, size in (("d", 86400), ("h", 3600), ("m", 60)):
        if seconds and seconds % size == 0:
            return f"{seconds // size}{unit}"
    return f"{seconds}s"


def source_json(source: Source) -> dict[str, Any]:
    """A source as ``storyline sources list --json`` and ``GET /api/v1/sources`` show it."""
    s = source
    return {
        "id": s.id,
        "url": s.url,
        "name": s.name,
        "every_s": s.every_s,
        "every": format_duration(s.every_s),
        "fetch_links": s.fetch_links,
        "paused": s.paused,
        "created_at": iso(s.created_at),
        "kind": s.kind,
        "last_poll_at": iso(s.last_poll_at),
        "last_status": s.last_status,
        "last_new_items": s.last_new_items,
        "consecutive_failures": s.consecutive_failures,
        "next_due_at": iso(s.next_due_at),
        "last_error": s.last_error,
        "healthy": s.consecutive_failures == 0,
    }
