"""Cached sentence rows (the digest's per-sentence embedder rows) in SQLite.

Mixed into ``SqliteStore`` (table ``sentence_vectors``, migration ``0005_watchlists_alerts``): one
row per article and embedder, ``spans`` as little-endian int32 ``(start, end)`` pairs, ``rows`` the
float32 rows as given.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Mapping, Sequence
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    from storyline.store.protocols import Spans

__all__ = ["SqliteSentenceStore"]


class SqliteSentenceStore:
    """The sentence-row side of ``SqliteStore`` (mixed in): ``SentenceRowStore``."""

    def _reader(self) -> sqlite3.Connection:
        raise NotImplementedError

    def _transaction(self, work: Callable[[sqlite3.Connection], None]) -> None:
        raise NotImplementedError

    def get_sentence_vectors(
        self, article_ids: Sequence[str], embedder: str
    ) -> dict[str, tuple[Spans, bytes]]:
        out: dict[str, tuple[Spans, bytes]] = {}
        conn = self._reader()
        ids = list(article_ids)
        for lo in range(0, len(ids), 500):
            chunk = ids[lo : lo + 500]
            marks = ", ".join("?" * len(chunk))
            for article_id, spans, rows in conn.execute(
                "SELECT article_id, spans, rows FROM sentence_vectors"
                f" WHERE embedder = ? AND article_id IN ({marks})",
                (embedder, *chunk),
            ):
                pairs = np.frombuffer(spans, dtype="<i4").reshape(-1, 2).tolist()
                out[article_id] = (tuple((s, e) for s, e in pairs), bytes(rows))
        return out

    def put_sentence_vectors(self, embedder: str, rows: Mapping[str, tuple[Spans, bytes]]) -> None:
        values = [
            (a, embedder, np.asarray(spans, dtype="<i4").reshape(-1, 2).tobytes(), data)
            for a, (spans, data) in rows.items()
        ]

        def work(c: sqlite3.Connection) -> None:
            c.executemany(
                "INSERT OR REPLACE INTO sentence_vectors (article_id, embedder, spans, rows)"
                " VALUES (?, ?, ?, ?)",
                values,
            )

        self._transaction(work)
