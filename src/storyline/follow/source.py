"""The ``Source`` value: a URL followed at an interval, with the state its polls leave behind.

Kept free of any heavy import: the store's protocol and both stores import it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from storyline.model import stable_id, utc_now

__all__ = ["MIN_EVERY_S", "Source", "format_duration", "parse_duration", "source_id", "source_json"]

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


def source_id(url: str) -> str:
    """A source's id: stable for its URL (as given, trimmed), so adding it twice updates one row."""
    return stable_id("source", url.strip())


@dataclass(frozen=True, slots=True)
class Source:
    """A followed URL (feed or page) and what its polls left behind.

    Configuration: ``url``, ``name``, ``every_s`` (poll interval), ``fetch_links`` (fetch each feed
    entry's page instead of its content), ``paused``. State, written by the loop only:
    ``etag``/``last_modified`` (sent back for a conditional GET), ``kind`` (``feed`` or ``page``, as
    the first successful poll found), ``last_poll_at``, ``last_status`` (HTTP status, None when no
    answer came), ``last_new_items``, ``consecutive_failures``, ``next_due_at`` (None: due now) and
    ``last_error``.
    """

    id: str
    url: str
    name: str = ""
    every_s: int = 900
    fetch_links: bool = False
    paused: bool = False
    created_at: datetime = field(default_factory=utc_now)
    etag: str | None = None
    last_modified: str | None = None
    kind: str | None = None
    last_poll_at: datetime | None = None
    last_status: int | None = None
    last_new_items: int = 0
    consecutive_failures: int = 0
    next_due_at: datetime | None = None
    last_error: str = ""

    @classmethod
    def new(cls, url: str, *, name: str = "", every_s: int = 900, fetch_links: bool = False) -> Source:
        """A source not polled yet (due at once)."""
        url = url.strip()
        return cls(source_id(url), url, name.strip(), every_s, fetch_links)

    @property
    def label(self) -> str:
        """The name, else the URL."""
        return self.name or self.url

    def is_due(self, now: datetime) -> bool:
        """Whether the loop should poll it at ``now``."""
        return not self.paused and (self.next_due_at is None or self.next_due_at <= now)


def _iso(moment: datetime | None) -> str | None:
    return None if moment is None else moment.isoformat().replace("+00:00", "Z")


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
        "created_at": _iso(s.created_at),
        "kind": s.kind,
        "last_poll_at": _iso(s.last_poll_at),
        "last_status": s.last_status,
        "last_new_items": s.last_new_items,
        "consecutive_failures": s.consecutive_failures,
        "next_due_at": _iso(s.next_due_at),
        "last_error": s.last_error,
        "healthy": s.consecutive_failures == 0,
    }
