"""The boilerplate index's table (``boilerplate_counts``), the same SQL for SQLite and PostgreSQL.

One row per outlet and unit key: how many distinct articles of the outlet held the unit and the
latest publication time among them, in µs since the epoch (NULL: undated). The pipeline writes the
rows an article changed in the article's transaction (``Batch.boilerplate``; ``n_articles`` 0
deletes the row), so the table always matches the committed articles, and a restarted run reads back
the rows seen within the window (``iter_boilerplate(since)``). A rebuild clears it with the stories.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

from storyline.model import BoilerplateCount

__all__ = [
    "DELETE",
    "SELECT",
    "SELECT_SINCE",
    "UPSERT",
    "delete_params",
    "rows_of",
    "since_us",
    "upsert_params",
]

_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)

UPSERT = (
    "INSERT INTO boilerplate_counts (outlet, key, n_articles, last_seen_us) VALUES (?, ?, ?, ?)"
    " ON CONFLICT (outlet, key) DO UPDATE SET n_articles = excluded.n_articles,"
    " last_seen_us = excluded.last_seen_us"
)
DELETE = "DELETE FROM boilerplate_counts WHERE outlet = ? AND key = ?"
SELECT = "SELECT outlet, key, n_articles, last_seen_us FROM boilerplate_counts"
SELECT_SINCE = SELECT + " WHERE last_seen_us IS NULL OR last_seen_us >= ?"


def since_us(since: datetime) -> int:
    """``since`` in µs since the epoch (naive means UTC)."""
    at = since if since.tzinfo is not None else since.replace(tzinfo=UTC)
    return (at - _EPOCH) // timedelta(microseconds=1)


def upsert_params(rows: Iterable[BoilerplateCount]) -> list[tuple[str, int, int, int | None]]:
    return [(r.outlet, r.key, r.n_articles, r.last_seen_us) for r in rows if r.n_articles > 0]


def delete_params(rows: Iterable[BoilerplateCount]) -> list[tuple[str, int]]:
    return [(r.outlet, r.key) for r in rows if r.n_articles <= 0]


def rows_of(cursor: Iterable[Any]) -> Iterator[BoilerplateCount]:
    for outlet, key, n, last in cursor:
        yield BoilerplateCount(str(outlet), int(key), int(n), None if last is None else int(last))
