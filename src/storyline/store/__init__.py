"""The store behind interfaces: ``StoryWriter`` (the pipeline) and ``StoryReader`` (CLI, API, web).

Protocols and query values: ``store/protocols.py``.
Implementations: ``SqliteStore`` (``sqlite.v1``, the embedded default) and ``MemoryStore``
(``memory.v1``, for tests). One contract suite (``tests/test_store_contract.py``) runs over both.
"""

from __future__ import annotations

from storyline.store.memory import MemoryStore
from storyline.store.opening import open_reader, open_store, open_writer, writer_lock
from storyline.store.protocols import (
    COUNT_KEYS,
    ArticleFilter,
    SearchHit,
    SentenceRowStore,
    SourceStore,
    Spans,
    Store,
    StoryActivity,
    StoryReader,
    StoryWriter,
    VersionedStore,
    WatchStore,
)
from storyline.store.sqlite import SqliteStore

__all__ = [
    "COUNT_KEYS",
    "ArticleFilter",
    "MemoryStore",
    "SearchHit",
    "SentenceRowStore",
    "SourceStore",
    "Spans",
    "SqliteStore",
    "Store",
    "StoryActivity",
    "StoryReader",
    "StoryWriter",
    "VersionedStore",
    "WatchStore",
    "open_reader",
    "open_store",
    "open_writer",
    "writer_lock",
]
