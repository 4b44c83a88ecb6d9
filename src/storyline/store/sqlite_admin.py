"""Store upkeep for ``storyline backup`` and ``storyline check`` (plain functions over a path).

- ``backup(db, target)``: a consistent copy through SQLite's online backup API
  (``sqlite3.Connection.backup``) in one step, so it is one read snapshot of the source even while
  another process writes (a writer in WAL mode is never blocked by it, and the copy holds exactly
  the batches committed when the backup started). The copy is written beside ``target`` and renamed
  into place, so a failed backup leaves no half-written file under that name.
- ``check(db)``: ``PRAGMA integrity_check``; the FTS5 index against the articles it indexes (FTS5's
  ``integrity-check`` command with rank 1, which compares an external-content index with its
  content, and the index's row count against the articles'); rows pointing at articles that do not
  exist (facts, vectors, story rows, ...). Nothing is repaired: each problem becomes one ``Finding``.
"""

from __future__ import annotations

import contextlib
import logging
import os
import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from storyline.errors import StoreError
from storyline.store.lock import StoreMissing

LOGGER = logging.getLogger(__name__)

BUSY_TIMEOUT_S = 30.0
SAMPLE = 5
"""How many offending keys a finding quotes."""

ORPHANS: tuple[tuple[str, str], ...] = (
    ("minhashes", "article_id"),
    ("vectors", "article_id"),
    ("story_articles", "article_id"),
    ("mentions", "article_id"),
    ("quotes", "article_id"),
    ("time_mentions", "article_id"),
    ("figures", "article_id"),
    ("sentence_vectors", "article_id"),
    ("alerts", "article_id"),
)
"""``(table, column)``: rows whose ``column`` names an article id that must exist."""


@dataclass(frozen=True)
class Finding:
    """One problem ``check`` found: a short stable code and what it saw."""

    check: str
    detail: str


@dataclass(frozen=True)
class CheckReport:
    """What ``check`` looked at and what it found (``ok`` when nothing)."""

    path: str
    n_articles: int
    n_fts_rows: int
    checks: tuple[str, ...]
    findings: tuple[Finding, ...] = field(default=())

    @property
    def ok(self) -> bool:
        return not self.findings

    def as_dict(self) -> dict[str, object]:
        return {
            "path": self.path,
            "ok": self.ok,
            "n_articles": self.n_articles,
            "n_fts_rows": self.n_fts_rows,
            "checks": list(self.checks),
            "findings": [{"check": f.check, "detail": f.detail} for f in self.findings],
        }


def _require(db: str | Path) -> Path:
    path = Path(db)
    if not path.is_file():
        raise StoreMissing(f"no store at {path}; run `storyline ingest` first or pass --db")
    return path


@contextlib.contextmanager
def _connect(path: Path, *, readonly: bool) -> Iterator[sqlite3.Connection]:
    target = path.absolute().as_uri() + ("?mode=ro" if readonly else "?mode=rw")
    try:
        conn = sqlite3.connect(target, uri=True, isolation_level=None, timeout=BUSY_TIMEOUT_S)
    except sqlite3.Error as e:
        raise StoreError(f"cannot open database {path}: {e}") from e
    try:
        yield conn
    finally:
        conn.close()


def backup(db: str | Path, target: str | Path, *, force: bool = False) -> int:
    """Copy the store at ``db`` to ``target`` consistently; returns the copy's article count.

    Refuses (``StoreError``) to replace an existing ``target`` unless ``force``."""
    path = _require(db)
    target = Path(target)
    if target.exists() and not force:
        raise StoreError(f"{target} exists; pass --force to replace it")
    if target.resolve() == path.resolve():
        raise StoreError(f"{target} is the store itself")
    partial = target.with_name(f".{target.name}.partial-{os.getpid()}")
    partial.unlink(missing_ok=True)
    try:
        with (
            _connect(path, readonly=True) as source,
            contextlib.closing(sqlite3.connect(partial, isolation_level=None)) as copy,
        ):
            source.backup(copy)  # pages=-1: one step, one read snapshot of the source
            copy.execute("PRAGMA journal_mode = DELETE")  # one self-contained file
            n = int(copy.execute("SELECT count(*) FROM articles").fetchone()[0])
        os.replace(partial, target)
    except sqlite3.Error as e:
        raise StoreError(f"backup of {path} to {target} failed: {e}") from e
    finally:
        partial.unlink(missing_ok=True)
    LOGGER.info("backup: %s -> %s (%d articles)", path, target, n)
    return n


def check(db: str | Path) -> CheckReport:
    """Look the store at ``db`` over; see the module docstring for what is checked."""
    path = _require(db)
    findings: list[Finding] = []
    # read-write only because FTS5's integrity-check is spelt as an INSERT; it writes nothing
    with _connect(path, readonly=False) as conn:
        tables = {row[0] for row in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        if "articles" not in tables:
            raise StoreError(f"{path} is not a Storyline store (no articles table)")
        findings += _integrity(conn)
        n_articles = int(conn.execute("SELECT count(*) FROM articles").fetchone()[0])
        n_fts = -1
        if "articles_fts" in tables:
            n_fts = int(conn.execute("SELECT count(*) FROM articles_fts_docsize").fetchone()[0])
            findings += _fts(conn, n_articles, n_fts)
        else:
            findings.append(Finding("fts_missing", "the full-text index articles_fts does not exist"))
        for table, column in ORPHANS:
            if table in tables:
                findings += _orphans(conn, table, column)
        if "story_articles" in tables and "stories" in tables:
            findings += _missing_stories(conn)
    checks = ("integrity_check", "fts_integrity", "fts_row_count", "orphans")
    return CheckReport(str(path), n_articles, n_fts, checks, tuple(findings))


def _integrity(conn: sqlite3.Connection) -> list[Finding]:
    try:
        rows = [str(r[0]) for r in conn.execute("PRAGMA integrity_check")]
    except sqlite3.DatabaseError as e:
        return [Finding("integrity_check", f"failed: {e}")]
    return [] if rows == ["ok"] else [Finding("integrity_check", row) for row in rows[:20]]


def _fts(conn: sqlite3.Connection, n_articles: int, n_fts: int) -> list[Finding]:
    found = []
    try:
        conn.execute("INSERT INTO articles_fts(articles_fts, rank) VALUES ('integrity-check', 1)")
    except sqlite3.DatabaseError as e:
        found.append(Finding("fts_integrity", f"the full-text index does not match the articles: {e}"))
    if n_fts != n_articles:
        found.append(
            Finding("fts_row_count", f"the full-text index has {n_fts} rows for {n_articles} articles")
        )
    return found


def _orphans(conn: sqlite3.Connection, table: str, column: str) -> list[Finding]:
    # table and column come from the ORPHANS constant, never from input
    sql = (
        f"SELECT t.{column} FROM {table} AS t"
        f" WHERE NOT EXISTS (SELECT 1 FROM articles AS a WHERE a.id = t.{column})"
    )
    keys = [str(row[0]) for row in conn.execute(sql)]
    if not keys:
        return []
    sample = ", ".join(sorted(set(keys))[:SAMPLE])
    return [Finding("orphans", f"{table}: {len(keys)} rows point at missing articles ({sample})")]


def _missing_stories(conn: sqlite3.Connection) -> list[Finding]:
    keys = [
        str(row[0])
        for row in conn.execute(
            "SELECT DISTINCT sa.story_id FROM story_articles AS sa"
            " WHERE NOT EXISTS (SELECT 1 FROM stories AS s WHERE s.id = sa.story_id)"
        )
    ]
    if not keys:
        return []
    sample = ", ".join(sorted(keys)[:SAMPLE])
    return [Finding("orphans", f"story_articles: {len(keys)} stories are missing ({sample})")]


__all__ = ["CheckReport", "Finding", "backup", "check"]
