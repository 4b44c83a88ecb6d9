"""A cache of rendered JSON listings, valid until the store changes.

The Stories listing is what every client polls, and its query, shapes and JSON cost about half of a
request's CPU. A rendered body is reused while the store is unchanged; "unchanged" is read from the
SQLite files themselves (size and modification time of the database and its WAL: every commit, from
this process or another, appends to the WAL or, after a checkpoint, rewrites it), so a cached body is
never served after a commit. Stores without files (``MemoryStore``) are never cached.
"""

from __future__ import annotations

import os
import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from pathlib import Path

from starlette.responses import JSONResponse, Response

__all__ = ["ListingCache"]

Version = tuple[int, ...]


def _file_version(path: Path) -> Version | None:
    """Size and mtime (ns) of ``path`` and its ``-wal`` file; None when the database is missing."""
    try:
        main = os.stat(path)
    except OSError:
        return None
    try:
        wal = os.stat(f"{path}-wal")
        wal_state = (wal.st_size, wal.st_mtime_ns)
    except OSError:
        wal_state = (-1, -1)
    return (main.st_size, main.st_mtime_ns, *wal_state)


class ListingCache:
    """Rendered JSON bodies under ``key``, kept while the store's files are unchanged (bounded LRU)."""

    def __init__(self, db_path: Path | None, size: int = 256) -> None:
        self.db_path = db_path
        self.size = size
        self._lock = threading.Lock()
        self._items: OrderedDict[Hashable, tuple[Version, bytes]] = OrderedDict()

    def __repr__(self) -> str:
        return f"ListingCache(db_path={self.db_path!r}, size={self.size}, items={len(self._items)})"

    def response(self, key: Hashable, build: Callable[[], object]) -> Response:
        """The JSON response for ``key``: the cached body while the store is unchanged, else ``build()``."""
        path = self.db_path
        version = _file_version(path) if path is not None else None
        if version is not None:
            with self._lock:
                hit = self._items.get(key)
                if hit is not None and hit[0] == version:
                    self._items.move_to_end(key)
                    return Response(hit[1], media_type="application/json")
        rendered = JSONResponse(build())
        if path is not None and version is not None and version == _file_version(path):  # no commit meanwhile
            with self._lock:
                self._items[key] = (version, bytes(rendered.body))
                self._items.move_to_end(key)
                while len(self._items) > self.size:
                    self._items.popitem(last=False)
        return rendered
