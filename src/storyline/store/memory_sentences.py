"""The sentence-row side of ``MemoryStore``: the same behaviour as ``sqlite_sentences``, in a dict."""

from __future__ import annotations

import threading
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from storyline.store.protocols import Spans

__all__ = ["MemorySentenceStore"]


class MemorySentenceStore:
    """Mixed into ``MemoryStore``, which provides ``_lock``: ``SentenceRowStore``."""

    _lock: threading.RLock

    def _init_sentences(self) -> None:
        self._sentence_vectors: dict[tuple[str, str], tuple[Spans, bytes]] = {}

    def get_sentence_vectors(
        self, article_ids: Sequence[str], embedder: str
    ) -> dict[str, tuple[Spans, bytes]]:
        with self._lock:
            return {a: v for a in article_ids if (v := self._sentence_vectors.get((a, embedder))) is not None}

    def put_sentence_vectors(self, embedder: str, rows: Mapping[str, tuple[Spans, bytes]]) -> None:
        with self._lock:
            for article_id, value in rows.items():
                self._sentence_vectors[(article_id, embedder)] = value
