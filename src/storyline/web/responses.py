"""A cache of rendered JSON listings, valid until the store changes.

The Stories listing is what every client polls, and its query, shapes and JSON cost about half of a
request's CPU. A rendered body is reused while the store is unchanged; "unchanged" is the store's
version counter (``store.version()``, ``storyline.store.VersionedStore``: a row every write
transaction bumps, in SQLite and PostgreSQL alike; no file times), so a commit from this process,
another process or another host is seen by every replica, and a cached body is never served after one.
Stores without a version (``MemoryStore``) are never cached.
"""

from __future__ import annotations

import logging
import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable

from starlette.responses import JSONResponse, Response

from storyline.errors import StoreError

__all__ = ["ListingCache"]

LOGGER = logging.getLogger(__name__)


class ListingCache:
    """Rendered JSON bodies under ``key``, kept while the store's version is unchanged (bounded LRU)."""

    def __init__(self, version: Callable[[], int] | None, size: int = 256) -> None:
        self.version = version
        self.size = size
        self._lock = threading.Lock()
        self._items: OrderedDict[Hashable, tuple[int, bytes]] = OrderedDict()

    def __repr__(self) -> str:
        return (
            f"ListingCache(versioned={self.version is not None}, size={self.size}, items={len(self._items)})"
        )

    def _current(self) -> int | None:
        if self.version is None:
            return None
        try:
            return self.version()
        except (StoreError, OSError) as e:  # an unreadable version: serve fresh, cache nothing
            LOGGER.debug("listing cache: no store version (%s)", e)
            return None

    def response(self, key: Hashable, build: Callable[[], object]) -> Response:
        """The JSON response for ``key``: the cached body while the store is unchanged, else ``build()``."""
        version = self._current()
        if version is not None:
            with self._lock:
                hit = self._items.get(key)
                if hit is not None and hit[0] == version:
                    self._items.move_to_end(key)
                    return Response(hit[1], media_type="application/json")
        rendered = JSONResponse(build())
        if version is not None and version == self._current():  # no commit meanwhile
            with self._lock:
                self._items[key] = (version, bytes(rendered.body))
                self._items.move_to_end(key)
                while len(self._items) > self.size:
                    self._items.popitem(last=False)
        return rendered
