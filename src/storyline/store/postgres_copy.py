"""``storyline migrate-store``: copy a whole store, SQLite <-> PostgreSQL, without re-ingesting.

Both schemas have the same tables and column names (``postgres_migrations`` mirrors
``migrations``), so the copy is row by row, table by table, in pages of ``PAGE`` rows: every column
both sides have, with ``seq``/``id`` positions kept (orders, the alert cursor and story ids stay
what they were), times and booleans converted to the other side's types, and PostgreSQL's search
index built from each article as the store builds it (SQLite's FTS5 triggers build their own).
Identity sequences are moved past the copied positions at the end. Nothing is computed again: no
NLP, no embedding, no story assignment.

The destination must be empty (``force`` clears it first); both stores' writer locks are held
for the whole copy, so no writer changes either side meanwhile.
"""

from __future__ import annotations

import contextlib
import logging
import sqlite3
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from storyline.errors import StoreError
from storyline.store.postgres_read import tsvector
from storyline.store.sqlite_read import parse_at, to_iso

LOGGER = logging.getLogger(__name__)

PAGE = 2000
TABLES: tuple[str, ...] = (
    "raws", "articles", "minhashes", "rejections", "vectors", "stories", "story_articles", "storylines",
    "story_events", "entities", "mentions", "quotes", "time_mentions", "figures", "watchlists", "alerts",
    "deliveries", "cursors", "sentence_vectors", "sources",
)  # fmt: skip
"""Every table with data, in copy order (``meta`` and the migration ledgers are each store's own)."""
IDENTITIES: dict[str, str] = {
    "articles": "seq", "minhashes": "seq", "rejections": "id", "stories": "seq", "storylines": "seq",
    "story_events": "id", "entities": "seq", "quotes": "id", "alerts": "seq",
}  # fmt: skip
"""PostgreSQL identity columns, moved past the copied values afterwards."""

Progress = Callable[[str, int, int], None]


@dataclass
class Side:
    """One end of the copy: a store opened for writing and its kind."""

    store: Any
    postgres: bool

    @property
    def conn(self) -> Any:
        return self.store._writer  # the store's own writer connection (the writer lock is held)

    def columns(self, table: str) -> dict[str, str]:
        """``column -> declared type`` (lower case), in table order."""
        if self.postgres:
            rows = self.conn.execute(
                "SELECT column_name, data_type FROM information_schema.columns"
                " WHERE table_schema = current_schema() AND table_name = %s ORDER BY ordinal_position",
                (table,),
            ).fetchall()
            return {str(name): str(kind).lower() for name, kind in rows}
        rows = self.conn.execute(f"PRAGMA table_info({table})").fetchall()  # table: a TABLES constant
        found = {str(r[1]): str(r[2]).lower() for r in rows}
        if table == "minhashes" and found:
            found = {"seq": "integer", **found}  # its order is the rowid
        return found

    def count(self, table: str) -> int:
        row = self.conn.execute(f"SELECT count(*) FROM {table}").fetchone()
        return int(row[0])

    def select(self, table: str, names: list[str]) -> Iterator[list[tuple[Any, ...]]]:
        """The rows of ``table`` (``names`` columns), a page at a time, in stored order."""
        order = "seq" if "seq" in names else ("id" if "id" in names and table != "watchlists" else "")
        cols = ", ".join(_src_col(n, table, self.postgres) for n in names)
        sql = f"SELECT {cols} FROM {table}" + (f" ORDER BY {order}" if order else "")
        if not self.postgres and table == "minhashes":
            sql = f"SELECT {cols} FROM minhashes ORDER BY rowid"
        if self.postgres:
            with self.conn.transaction(), self.conn.cursor(name=f"copy_{table}") as cur:
                cur.execute(sql)
                while rows := cur.fetchmany(PAGE):
                    yield rows
            return
        cur = self.conn.execute(sql)
        while rows := cur.fetchmany(PAGE):
            yield rows

    def clear(self) -> None:
        if self.postgres:
            with self.conn.transaction():
                self.conn.execute(f"TRUNCATE {', '.join(TABLES)}")
            return
        self.conn.execute("BEGIN IMMEDIATE")
        for table in TABLES:
            self.conn.execute(f"DELETE FROM {table}")
        self.conn.execute("COMMIT")

    def insert(self, table: str, names: list[str], rows: list[tuple[Any, ...]]) -> None:
        if self.postgres:
            extra = ", fts" if table == "articles" else ""
            marks = ", ".join(["%s"] * len(names)) + (", %s::tsvector" if extra else "")
            quoted = ", ".join(f'"{n}"' for n in names)
            with self.conn.transaction(), self.conn.cursor() as cur:
                cur.executemany(f"INSERT INTO {table} ({quoted}{extra}) VALUES ({marks})", rows)
            return
        target = ["rowid" if (table == "minhashes" and n == "seq") else n for n in names]
        quoted = ", ".join(f'"{n}"' for n in target)
        marks = ", ".join("?" * len(names))
        self.conn.execute("BEGIN IMMEDIATE")
        try:
            self.conn.executemany(f"INSERT INTO {table} ({quoted}) VALUES ({marks})", rows)
            self.conn.execute("COMMIT")
        except BaseException:
            self.conn.execute("ROLLBACK")
            raise

    def finish(self) -> None:
        """Move identities past the copied rows and bump the version counter."""
        if self.postgres:
            with self.conn.transaction():
                for table, column in IDENTITIES.items():
                    self.conn.execute(
                        f"SELECT setval(pg_get_serial_sequence('{table}', '{column}'),"
                        f" COALESCE((SELECT max({column}) FROM {table}), 0) + 1, false)"
                    )
                self.conn.execute("UPDATE meta SET value = value + 1 WHERE name = 'version'")
            return
        self.conn.execute("UPDATE meta SET value = value + 1 WHERE name = 'version'")


def _src_col(name: str, table: str, postgres: bool) -> str:
    if not postgres and table == "minhashes" and name == "seq":
        return "rowid"
    return f'"{name}"'


def _converter(kind: str, postgres: bool) -> Callable[[Any], Any]:
    """How a value becomes what the destination column (of declared ``kind``) takes."""
    if postgres and kind.startswith("timestamp"):
        return lambda v: parse_at(v) if isinstance(v, str) else v
    if postgres and kind == "boolean":
        return lambda v: None if v is None else bool(v)
    if not postgres:
        return lambda v: to_iso(v) if isinstance(v, datetime) else (int(v) if isinstance(v, bool) else v)
    return lambda v: bytes(v) if isinstance(v, memoryview) else v


def copy_store(
    source: Side, target: Side, *, force: bool = False, progress: Progress | None = None
) -> dict[str, int]:
    """Copy every table of ``source`` into ``target``; returns rows copied per table."""
    non_empty = [t for t in TABLES if target.columns(t) and target.count(t)]
    if non_empty and not force:
        raise StoreError(f"the destination is not empty ({', '.join(non_empty)}); pass --force to replace it")
    if non_empty:
        target.clear()
    copied: dict[str, int] = {}
    for table in TABLES:
        src_cols, dst_cols = source.columns(table), target.columns(table)
        names = [n for n in src_cols if n in dst_cols and n != "fts"]
        if not names:
            continue
        convert = [_converter(dst_cols[n], target.postgres) for n in names]
        total, done = source.count(table), 0
        text_at = (
            (names.index("title"), names.index("text")) if table == "articles" and target.postgres else None
        )
        for rows in source.select(table, names):
            values = []
            for row in rows:
                out = tuple(f(v) for f, v in zip(convert, row, strict=True))
                if text_at is not None:
                    out = (*out, tsvector(out[text_at[0]] or "", out[text_at[1]] or ""))
                values.append(out)
            target.insert(table, names, values)
            done += len(rows)
            if progress is not None:
                progress(table, done, total)
        copied[table] = done
        missing = sorted(set(src_cols) - set(dst_cols) - {"fts"})
        if missing and total:
            LOGGER.warning("migrate-store: %s: the destination has no column %s; not copied", table, missing)
    target.finish()
    return copied


def close_quietly(*stores: Any) -> None:
    for store in stores:
        with contextlib.suppress(StoreError, sqlite3.Error):
            store.close()


__all__ = ["TABLES", "Side", "close_quietly", "copy_store"]
