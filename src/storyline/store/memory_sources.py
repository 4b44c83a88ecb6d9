"""The sources side of ``MemoryStore``: the same behaviour as ``sqlite_sources``, in a dict."""

from __future__ import annotations

import dataclasses
import threading
from datetime import UTC, datetime

from storyline.model import Source

__all__ = ["MemorySourceStore"]

_FAR = datetime.min.replace(tzinfo=UTC)


class MemorySourceStore:
    """Mixed into ``MemoryStore``, which provides ``_lock``."""

    _lock: threading.RLock

    def _init_sources(self) -> None:
        self._sources: dict[str, Source] = {}

    def add_source(self, source: Source) -> Source:
        """Store ``source``; one with the same id keeps its state and takes the new configuration."""
        with self._lock:
            old = self._sources.get(source.id)
            if old is None:
                self._sources[source.id] = source
            else:
                self._sources[source.id] = dataclasses.replace(
                    old, name=source.name, every_s=source.every_s, fetch_links=source.fetch_links
                )
            return self._sources[source.id]

    def get_source(self, source_id: str) -> Source | None:
        with self._lock:
            return self._sources.get(source_id)

    def list_sources(self) -> list[Source]:
        with self._lock:
            return sorted(self._sources.values(), key=lambda s: (s.created_at, s.id))

    def due_sources(self, now: datetime, *, limit: int = 100) -> list[Source]:
        with self._lock:
            due = [s for s in self._sources.values() if s.is_due(now)]
        due.sort(key=lambda s: (s.next_due_at is not None, s.next_due_at or _FAR, s.created_at, s.id))
        return due[:limit]

    def remove_source(self, source_id: str) -> bool:
        with self._lock:
            return self._sources.pop(source_id, None) is not None

    def set_source_paused(self, source_id: str, paused: bool) -> bool:
        with self._lock:
            old = self._sources.get(source_id)
            if old is None:
                return False
            due = old.next_due_at if paused else None
            self._sources[source_id] = dataclasses.replace(old, paused=paused, next_due_at=due)
            return True

    def save_source_state(self, source: Source) -> bool:
        with self._lock:
            old = self._sources.get(source.id)
            if old is None:
                return False
            self._sources[source.id] = dataclasses.replace(
                source,
                url=old.url,
                name=old.name,
                every_s=old.every_s,
                fetch_links=old.fetch_links,
                paused=old.paused,
                created_at=old.created_at,
            )
            return True
