"""Named schema migrations for the SQLite store, recorded in ``_migrations(name, applied_at)``.

``MIGRATIONS`` is an ordered list of ``(name, step)``; a step is SQL (one or more statements) or a
callable taking the connection. Names never change once released: add a new migration instead of
editing an old one. ``apply_migrations`` runs the missing ones in one transaction, so re-running is a
no-op and a crash half-way leaves the database as it was. A database that records a name this code
does not know was written by a newer Storyline, and is refused.
"""

from __future__ import annotations

import logging
import sqlite3
from collections.abc import Callable, Sequence

from storyline.errors import StoreError
from storyline.model import utc_now

LOGGER = logging.getLogger(__name__)

Step = str | Callable[[sqlite3.Connection], None]

_ARTICLES = """
CREATE TABLE raws (
    raw_id TEXT PRIMARY KEY,
    origin TEXT NOT NULL,
    kind TEXT NOT NULL,
    url TEXT,
    hints TEXT NOT NULL DEFAULT '{}',
    body BLOB NOT NULL,
    read_at TEXT NOT NULL
);
CREATE TABLE articles (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    id TEXT UNIQUE NOT NULL,
    url TEXT,
    source TEXT,
    agency TEXT,
    place TEXT,
    title TEXT NOT NULL DEFAULT '',
    text TEXT NOT NULL,
    language TEXT,
    language_confidence REAL NOT NULL DEFAULT 0,
    published_at TEXT,
    published_precision TEXT,
    duplicate_of TEXT,
    origin TEXT NOT NULL DEFAULT '',
    raw_id TEXT,
    content_hash TEXT NOT NULL DEFAULT '',
    ingested_at TEXT NOT NULL
);
CREATE INDEX articles_content_hash ON articles(content_hash);
CREATE INDEX articles_published_at ON articles(published_at);
CREATE INDEX articles_source ON articles(source);
CREATE INDEX articles_language ON articles(language);
CREATE INDEX articles_agency ON articles(agency);
CREATE INDEX articles_duplicate_of ON articles(duplicate_of);
CREATE TABLE minhashes (
    article_id TEXT PRIMARY KEY,
    content_hash TEXT NOT NULL,
    sig BLOB NOT NULL
);
CREATE TABLE rejections (
    id INTEGER PRIMARY KEY,
    origin TEXT NOT NULL,
    stage TEXT NOT NULL,
    reason TEXT NOT NULL,
    detail TEXT NOT NULL,
    at TEXT NOT NULL,
    raw BLOB,
    UNIQUE (origin, stage, reason)
);
CREATE INDEX rejections_at ON rejections(at);
CREATE VIRTUAL TABLE articles_fts USING fts5(
    title, text, content='articles', content_rowid='seq', tokenize="unicode61 remove_diacritics 2"
);
CREATE TRIGGER articles_fts_insert AFTER INSERT ON articles BEGIN
    INSERT INTO articles_fts(rowid, title, text) VALUES (new.seq, new.title, new.text);
END;
CREATE TRIGGER articles_fts_delete AFTER DELETE ON articles BEGIN
    INSERT INTO articles_fts(articles_fts, rowid, title, text)
        VALUES ('delete', old.seq, old.title, old.text);
END;
CREATE TRIGGER articles_fts_update AFTER UPDATE OF title, text ON articles BEGIN
    INSERT INTO articles_fts(articles_fts, rowid, title, text)
        VALUES ('delete', old.seq, old.title, old.text);
    INSERT INTO articles_fts(rowid, title, text) VALUES (new.seq, new.title, new.text);
END;
"""

_STORIES = """
CREATE TABLE vectors (
    article_id TEXT PRIMARY KEY,
    embedder TEXT NOT NULL,
    vec BLOB NOT NULL
);
CREATE TABLE stories (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    id TEXT UNIQUE NOT NULL,
    label TEXT NOT NULL DEFAULT '',
    n_articles INTEGER NOT NULL DEFAULT 0,
    languages TEXT NOT NULL DEFAULT '[]',
    sources TEXT NOT NULL DEFAULT '[]',
    first_seen_at TEXT,
    last_seen_at TEXT,
    storyline_id TEXT,
    merged_into TEXT,
    state BLOB
);
CREATE INDEX stories_last_seen ON stories(last_seen_at);
CREATE INDEX stories_n_articles ON stories(n_articles);
CREATE INDEX stories_storyline ON stories(storyline_id);
CREATE TABLE story_articles (
    article_id TEXT PRIMARY KEY,
    story_id TEXT NOT NULL,
    score REAL NOT NULL,
    is_new_story INTEGER NOT NULL
);
CREATE INDEX story_articles_story ON story_articles(story_id);
CREATE TABLE storylines (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    id TEXT UNIQUE NOT NULL,
    label TEXT NOT NULL DEFAULT '',
    n_articles INTEGER NOT NULL DEFAULT 0,
    first_seen_at TEXT,
    last_seen_at TEXT,
    merged_into TEXT
);
CREATE TABLE story_events (
    id INTEGER PRIMARY KEY,
    kind TEXT NOT NULL,
    subject_id TEXT NOT NULL,
    object_id TEXT NOT NULL,
    reason TEXT NOT NULL,
    at TEXT NOT NULL
);
CREATE INDEX story_events_subject ON story_events(subject_id);
CREATE INDEX story_events_object ON story_events(object_id);
"""

_FACTS = """
CREATE TABLE entities (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    id TEXT UNIQUE NOT NULL,
    name TEXT NOT NULL,
    type TEXT NOT NULL,
    aliases TEXT NOT NULL DEFAULT '[]',
    languages TEXT NOT NULL DEFAULT '[]',
    n_mentions INTEGER NOT NULL DEFAULT 0,
    first_seen_at TEXT,
    last_seen_at TEXT
);
CREATE INDEX entities_name ON entities(name COLLATE NOCASE);
CREATE INDEX entities_n_mentions ON entities(n_mentions);
CREATE TABLE mentions (
    article_id TEXT NOT NULL,
    start INTEGER NOT NULL,
    end INTEGER NOT NULL,
    text TEXT NOT NULL,
    type TEXT NOT NULL,
    entity_id TEXT,
    PRIMARY KEY (article_id, start, end)
);
CREATE INDEX mentions_entity ON mentions(entity_id);
CREATE TABLE quotes (
    id INTEGER PRIMARY KEY,
    article_id TEXT NOT NULL,
    start INTEGER NOT NULL,
    end INTEGER NOT NULL,
    text TEXT NOT NULL,
    kind TEXT NOT NULL,
    cue TEXT NOT NULL DEFAULT '',
    speaker TEXT,
    speaker_entity_id TEXT,
    speaker_start INTEGER,
    speaker_end INTEGER,
    language TEXT,
    UNIQUE (article_id, start, end)
);
CREATE INDEX quotes_speaker_entity ON quotes(speaker_entity_id);
CREATE TABLE time_mentions (
    article_id TEXT NOT NULL,
    start INTEGER NOT NULL,
    end INTEGER NOT NULL,
    text TEXT NOT NULL,
    type TEXT NOT NULL,
    value TEXT NOT NULL,
    anchor TEXT,
    is_event INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (article_id, start, end)
);
CREATE TABLE figures (
    article_id TEXT NOT NULL,
    start INTEGER NOT NULL,
    end INTEGER NOT NULL,
    text TEXT NOT NULL,
    value REAL NOT NULL,
    unit TEXT,
    counts TEXT,
    PRIMARY KEY (article_id, start, end)
);
"""

_WATCH = """
CREATE TABLE watchlists (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    entities TEXT NOT NULL DEFAULT '[]',
    keywords TEXT NOT NULL DEFAULT '[]',
    example TEXT NOT NULL DEFAULT '',
    threshold REAL NOT NULL,
    webhook_url TEXT,
    webhook_secret TEXT,
    example_vector BLOB,
    created_at TEXT NOT NULL,
    last_visit_at TEXT
);
CREATE TABLE alerts (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    id TEXT UNIQUE NOT NULL,
    watchlist_id TEXT NOT NULL,
    article_id TEXT NOT NULL,
    story_id TEXT,
    score REAL NOT NULL,
    reasons TEXT NOT NULL DEFAULT '[]',
    title TEXT NOT NULL DEFAULT '',
    published_at TEXT,
    created_at TEXT NOT NULL,
    UNIQUE (watchlist_id, article_id)
);
CREATE INDEX alerts_created_at ON alerts(created_at);
CREATE TABLE deliveries (
    alert_id TEXT NOT NULL,
    attempt INTEGER NOT NULL,
    ok INTEGER NOT NULL,
    status INTEGER,
    error TEXT NOT NULL DEFAULT '',
    at TEXT NOT NULL,
    PRIMARY KEY (alert_id, attempt)
);
CREATE TABLE cursors (name TEXT PRIMARY KEY, seq INTEGER NOT NULL, at TEXT NOT NULL);
CREATE TABLE sentence_vectors (
    article_id TEXT NOT NULL,
    embedder TEXT NOT NULL,
    spans BLOB NOT NULL,
    rows BLOB NOT NULL,
    PRIMARY KEY (article_id, embedder)
);
"""

MIGRATIONS: list[tuple[str, Step]] = [
    ("0001_articles", _ARTICLES),
    ("0002_stories", _STORIES),
    ("0003_facts", _FACTS),
    ("0004_stories_merged_into", "CREATE INDEX stories_merged_into ON stories(merged_into);"),
    ("0005_watchlists_alerts", _WATCH),
    # the Stories listing's order, read by an index scan that stops at LIMIT (3 ms -> 0.03 ms at 5,000
    # stories); list_stories keeps the planner off stories_merged_into for it
    (
        "0006_stories_activity",
        "CREATE INDEX stories_activity ON stories(n_articles DESC, last_seen_at DESC, seq);",
    ),
]

_CREATE_LEDGER = "CREATE TABLE IF NOT EXISTS _migrations (name TEXT PRIMARY KEY, applied_at TEXT NOT NULL)"


def split_sql(script: str) -> list[str]:
    """Split a script into complete statements (``CREATE TRIGGER ... END`` stays whole)."""
    statements, buffer = [], ""
    for piece in script.split(";"):
        buffer += piece + ";"
        if sqlite3.complete_statement(buffer):
            if buffer.strip(" \t\r\n;"):
                statements.append(buffer.strip())
            buffer = ""
    return statements


def applied_migrations(conn: sqlite3.Connection) -> list[str]:
    """Names recorded in ``_migrations`` (empty for a new database)."""
    found = conn.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = '_migrations'")
    if found.fetchone() is None:
        return []
    return [row[0] for row in conn.execute("SELECT name FROM _migrations ORDER BY applied_at, name")]


def check_known(applied: Sequence[str], label: str, migrations: Sequence[tuple[str, Step]]) -> None:
    """Refuse a database that records migrations this code does not know."""
    known = {name for name, _ in migrations}
    unknown = sorted(set(applied) - known)
    if unknown:
        raise StoreError(
            f"database {label} has schema migrations this version does not know "
            f"({', '.join(unknown)}); upgrade storyline"
        )


def pending_migrations(
    conn: sqlite3.Connection, label: str, migrations: Sequence[tuple[str, Step]] = MIGRATIONS
) -> list[str]:
    """Names of migrations not yet applied; raises ``StoreError`` for unknown recorded ones."""
    applied = applied_migrations(conn)
    check_known(applied, label, migrations)
    done = set(applied)
    return [name for name, _ in migrations if name not in done]


def apply_migrations(
    conn: sqlite3.Connection, label: str, migrations: Sequence[tuple[str, Step]] = MIGRATIONS
) -> list[str]:
    """Apply the missing migrations in one transaction; return the names applied.

    ``conn`` must be in autocommit mode (``isolation_level=None``). An up-to-date database is only
    read, so opening it takes no write lock.
    """
    if not pending_migrations(conn, label, migrations):
        return []
    conn.execute("BEGIN IMMEDIATE")
    try:
        conn.execute(_CREATE_LEDGER)
        todo = set(pending_migrations(conn, label, migrations))
        applied = []
        for name, step in migrations:
            if name not in todo:
                continue
            if isinstance(step, str):
                for statement in split_sql(step):
                    conn.execute(statement)
            else:
                step(conn)
            conn.execute(
                "INSERT INTO _migrations (name, applied_at) VALUES (?, ?)", (name, utc_now().isoformat())
            )
            applied.append(name)
        conn.execute("COMMIT")
    except BaseException:
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        raise
    if applied:
        LOGGER.info("store: %s: applied migrations %s", label, ", ".join(applied))
    return applied


__all__ = ["MIGRATIONS", "Step", "applied_migrations", "apply_migrations", "pending_migrations", "split_sql"]

_SOURCES = """
CREATE TABLE sources (
    id TEXT PRIMARY KEY,
    url TEXT NOT NULL,
    name TEXT NOT NULL DEFAULT '',
    every_s INTEGER NOT NULL,
    fetch_links INTEGER NOT NULL DEFAULT 0,
    paused INTEGER NOT NULL DEFAULT 0,
    created_at TEXT NOT NULL,
    etag TEXT,
    last_modified TEXT,
    kind TEXT,
    last_poll_at TEXT,
    last_status INTEGER,
    last_new_items INTEGER NOT NULL DEFAULT 0,
    consecutive_failures INTEGER NOT NULL DEFAULT 0,
    next_due_at TEXT,
    last_error TEXT NOT NULL DEFAULT ''
);
CREATE INDEX sources_next_due_at ON sources(paused, next_due_at);
"""

# followed sources and their poll state (storyline sources / follow); appended, never reordered
MIGRATIONS.append(("0007_sources", _SOURCES))

# a counter every write transaction bumps: readers in any process (the web listing cache) compare it
# to know whether anything changed, where PRAGMA data_version would only speak for one connection
MIGRATIONS.append(
    (
        "0008_meta",
        "CREATE TABLE meta (name TEXT PRIMARY KEY, value INTEGER NOT NULL);"
        " INSERT INTO meta (name, value) VALUES ('version', 0);",
    )
)

# how sure each quote's attribution is (understand/quotes/_confidence.py); NULL: stored before this
# column, not assessed, so shown only when all quotes are asked for (issue 16)
MIGRATIONS.append(("0009_quote_confidence", "ALTER TABLE quotes ADD COLUMN confidence REAL;"))


# the boilerplate index: per outlet, how many articles held each unit of text (store/boilerplate_rows.py;
# issue 16); keyed on the pair, so a row is one B-tree entry
MIGRATIONS.append(
    (
        "0010_boilerplate_counts",
        "CREATE TABLE boilerplate_counts (outlet TEXT NOT NULL, key INTEGER NOT NULL,"
        " n_articles INTEGER NOT NULL, last_seen_us INTEGER, PRIMARY KEY (outlet, key)) WITHOUT ROWID;"
        " CREATE INDEX boilerplate_counts_last_seen ON boilerplate_counts(last_seen_us);",
    )
)

# an article listing filtered by language, source or agency reads its newest rows in index order
# instead of sorting every match (the web benchmark at 300k: /articles?language=de 1.3 s -> 5 ms)
MIGRATIONS.append(
    (
        "0011_articles_filter_time",
        "CREATE INDEX articles_language_time ON articles(language, published_at);"
        " CREATE INDEX articles_source_time ON articles(source, published_at);"
        " CREATE INDEX articles_agency_time ON articles(agency, published_at);"
        " DROP INDEX articles_language; DROP INDEX articles_source; DROP INDEX articles_agency;",
    )
)
