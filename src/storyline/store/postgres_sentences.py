"""Cached sentence rows (the digest's per-sentence embedder rows) in PostgreSQL.

Mixed into ``PostgresStore`` (the statements of ``sqlite_sentences``; an upsert on the
``(article_id, embedder)`` key).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

import numpy as np
from psycopg import Cursor

from storyline.store.postgres_read import Conn

if TYPE_CHECKING:
    from storyline.store.protocols import Spans

__all__ = ["PostgresSentenceStore"]

Work = Callable[[Cursor[Any]], None]


class PostgresSentenceStore:
    """The sentence-row side of ``PostgresStore`` (mixed in): ``SentenceRowStore``."""

    def _reader(self) -> Conn:
        raise NotImplementedError

    def _transaction(self, work: Work) -> None:
        raise NotImplementedError

    def get_sentence_vectors(
        self, article_ids: Sequence[str], embedder: str
    ) -> dict[str, tuple[Spans, bytes]]:
        out: dict[str, tuple[Spans, bytes]] = {}
        if not article_ids:
            return out
        rows = self._reader().execute(
            "SELECT article_id, spans, rows FROM sentence_vectors"
            " WHERE embedder = %s AND article_id = ANY(%s)",
            (embedder, list(article_ids)),
        )
        for article_id, spans, data in rows:
            pairs = np.frombuffer(bytes(spans), dtype="<i4").reshape(-1, 2).tolist()
            out[article_id] = (tuple((s, e) for s, e in pairs), bytes(data))
        return out

    def put_sentence_vectors(self, embedder: str, rows: Mapping[str, tuple[Spans, bytes]]) -> None:
        values = [
            (a, embedder, np.asarray(spans, dtype="<i4").reshape(-1, 2).tobytes(), bytes(data))
            for a, (spans, data) in rows.items()
        ]

        def work(cur: Cursor[Any]) -> None:
            cur.executemany(
                "INSERT INTO sentence_vectors (article_id, embedder, spans, rows) VALUES (%s, %s, %s, %s)"
                " ON CONFLICT (article_id, embedder) DO UPDATE SET spans = excluded.spans,"
                " rows = excluded.rows",
                values,
            )

        self._transaction(work)
