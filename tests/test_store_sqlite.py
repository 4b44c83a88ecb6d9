"""What only the SQLite store promises: migrations, WAL, durability, concurrency, atomic batches."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import threading
from pathlib import Path
from typing import cast

import pytest

from storyline.errors import StoreError
from storyline.model import Article, Batch, RawDoc, Rejection
from storyline.store import SqliteStore
from storyline.store import sqlite as sqlite_module
from storyline.store.migrations import MIGRATIONS, applied_migrations, apply_migrations, split_sql
from storyline.store.query import parse_query, to_fts5

SRC = str(Path(__file__).resolve().parents[1] / "src")


def articles(prefix: str, n: int) -> tuple[Article, ...]:
    return tuple(
        Article(id=f"{prefix}{i}", text=f"article {prefix} number {i} about storks") for i in range(n)
    )


@pytest.fixture
def db(tmp_path: Path) -> Path:
    return tmp_path / "store.db"


def names_in(db: Path) -> list[str]:
    with sqlite3.connect(db) as conn:
        return [row[0] for row in conn.execute("SELECT name FROM _migrations ORDER BY name")]


def test_migrations_are_recorded_and_rerun_safely(db: Path) -> None:
    SqliteStore(db).close()
    assert names_in(db) == [name for name, _ in MIGRATIONS]
    with SqliteStore(db) as store:
        store.write_batch(Batch(articles=articles("a", 3)))
    SqliteStore(db).close()
    assert names_in(db) == [name for name, _ in MIGRATIONS]
    conn = sqlite3.connect(db, isolation_level=None)
    assert apply_migrations(conn, str(db)) == []
    assert conn.execute("SELECT COUNT(*) FROM articles").fetchone()[0] == 3
    conn.close()


def test_new_migration_is_applied_once(db: Path) -> None:
    SqliteStore(db).close()
    calls: list[int] = []

    def add_column(conn: sqlite3.Connection) -> None:
        calls.append(1)
        conn.execute("ALTER TABLE articles ADD COLUMN story_id TEXT")

    newer = [*MIGRATIONS, ("0099_story_id", add_column)]
    conn = sqlite3.connect(db, isolation_level=None)
    assert apply_migrations(conn, str(db), newer) == ["0099_story_id"]
    assert apply_migrations(conn, str(db), newer) == []
    assert calls == [1]
    conn.close()


def test_failed_migration_leaves_nothing(db: Path) -> None:
    broken = [*MIGRATIONS, ("0002_broken", "CREATE TABLE ok_so_far (x); CREATE TABLE nonsense (")]
    conn = sqlite3.connect(db, isolation_level=None)
    with pytest.raises(sqlite3.Error):
        apply_migrations(conn, str(db), broken)
    assert not conn.in_transaction
    assert conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'").fetchall() == []
    assert applied_migrations(conn) == []
    conn.close()


def test_split_sql_keeps_triggers_whole() -> None:
    script = "CREATE TABLE a (x);\nCREATE TRIGGER t AFTER INSERT ON a BEGIN SELECT 1; SELECT 2; END;\n"
    assert split_sql(script) == [
        "CREATE TABLE a (x);",
        "CREATE TRIGGER t AFTER INSERT ON a BEGIN SELECT 1; SELECT 2; END;",
    ]


def test_unknown_migration_is_refused(db: Path) -> None:
    SqliteStore(db).close()
    with sqlite3.connect(db) as conn:
        conn.execute("INSERT INTO _migrations (name, applied_at) VALUES ('0999_future', 'x')")
    message = r"has schema migrations this version does not know \(0999_future\); upgrade storyline"
    with pytest.raises(StoreError, match=message):
        SqliteStore(db)
    with pytest.raises(StoreError, match=message):
        SqliteStore(db, readonly=True)


def test_wal_synchronous_full_and_foreign_keys(db: Path) -> None:
    with SqliteStore(db) as store:
        writer = store._writer
        assert writer is not None
        assert writer.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert writer.execute("PRAGMA synchronous").fetchone()[0] == 2  # FULL
        assert writer.execute("PRAGMA foreign_keys").fetchone()[0] == 1
        assert writer.execute("PRAGMA busy_timeout").fetchone()[0] > 0
    with sqlite3.connect(db) as conn:
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


def test_another_process_sees_committed_data(db: Path) -> None:
    with SqliteStore(db) as store:
        store.write_batch(Batch(articles=articles("p", 7)))
        code = (
            "import sys; from storyline.store import SqliteStore;"
            "s = SqliteStore(sys.argv[1], readonly=True); print(s.count_articles(), len(s.search('storks')))"
        )
        env = {**os.environ, "PYTHONPATH": SRC}
        out = subprocess.run(
            [sys.executable, "-c", code, str(db)], capture_output=True, text=True, env=env, check=True
        )
        assert out.stdout.split() == ["7", "7"]


def test_kill_9_loses_nothing_committed(db: Path) -> None:
    code = (
        "import sys, time\n"
        "from storyline.model import Article, Batch\n"
        "from storyline.store import SqliteStore\n"
        "s = SqliteStore(sys.argv[1])\n"
        "for b in range(5):\n"
        "    s.write_batch(Batch(articles=tuple(Article(id=f'k{b}-{i}', text='t') for i in range(64))))\n"
        "print('committed', flush=True)\n"
        "time.sleep(60)\n"
    )
    env = {**os.environ, "PYTHONPATH": SRC}
    child = subprocess.Popen(
        [sys.executable, "-c", code, str(db)], stdout=subprocess.PIPE, text=True, env=env
    )
    try:
        assert child.stdout is not None
        assert child.stdout.readline().strip() == "committed"
    finally:
        os.kill(child.pid, signal.SIGKILL)
        child.wait()
    with SqliteStore(db) as store:
        assert store.count_articles() == 5 * 64


def test_reads_from_another_thread_while_writing(db: Path) -> None:
    errors: list[BaseException] = []
    seen: list[int] = []
    with SqliteStore(db) as store:
        store.write_batch(Batch(articles=articles("w-", 1)))
        done = threading.Event()

        def read() -> None:
            try:
                while not done.is_set():
                    seen.append(store.count_articles())
                    store.search("storks", limit=5)
            except BaseException as e:
                errors.append(e)

        reader = threading.Thread(target=read)
        reader.start()
        for b in range(30):
            store.write_batch(Batch(articles=articles(f"w{b}-", 20)))
        done.set()
        reader.join()
        assert errors == []
        assert seen == sorted(seen) and seen[0] >= 1
        assert store.count_articles() == 601


def test_a_batch_that_fails_midway_leaves_nothing(db: Path) -> None:
    with SqliteStore(db) as store:
        store.write_batch(Batch(articles=articles("ok", 2)))
        before = store.stats()
        bad = Batch(
            articles=articles("bad", 3),
            raws=(RawDoc(origin="x", kind="text", body=b"raw"),),
            minhashes={"bad0": b"\x00" * 8},
            rejections=(Rejection("x", "extract", "oops", detail=cast(str, object())),),  # cannot be bound
        )
        with pytest.raises(sqlite3.Error):
            store.write_batch(bad)
        assert store.stats() == before
        assert store.get_article("bad0") is None
        assert list(store.iter_minhashes()) == []
        store.write_batch(Batch(articles=articles("bad", 3)))  # the store is still usable
        assert store.count_articles() == 5
        assert {h.article.id for h in store.search("bad")} == {"bad0", "bad1", "bad2"}


def test_fts_index_stays_consistent(db: Path) -> None:
    with SqliteStore(db) as store:
        store.write_batch(Batch(articles=articles("f", 10)))
        store.write_batch(Batch(articles=articles("f", 12)))
        writer = store._writer
        assert writer is not None
        writer.execute("INSERT INTO articles_fts(articles_fts) VALUES ('integrity-check')")
        assert writer.execute("SELECT COUNT(*) FROM articles_fts").fetchone()[0] == 12


def test_values_that_look_like_sql_are_only_values(db: Path) -> None:
    evil = "'); DROP TABLE articles; --"
    with SqliteStore(db) as store:
        store.write_batch(Batch(articles=(Article(id=evil, title=evil, text=evil, source=evil),)))
        stored = store.get_article(evil)
        assert stored is not None and stored.title == evil
        assert store.count_articles() == 1


def test_readonly_store(db: Path) -> None:
    with pytest.raises(StoreError, match="does not exist"):
        SqliteStore(db, readonly=True)
    with SqliteStore(db) as store:
        store.write_batch(Batch(articles=articles("r", 2)))
    with SqliteStore(db, readonly=True) as reader:
        assert reader.count_articles() == 2
        with pytest.raises(StoreError, match="read-only"):
            reader.write_batch(Batch(articles=articles("s", 1)))


def test_bad_paths_and_closed_store(tmp_path: Path) -> None:
    not_a_db = tmp_path / "junk.db"
    not_a_db.write_bytes(b"this is not a database" * 100)
    with pytest.raises(StoreError, match="cannot open database"):
        SqliteStore(not_a_db)
    with pytest.raises(StoreError, match="cannot open database"):
        SqliteStore(tmp_path / "missing-dir" / "x.db")
    with pytest.raises(StoreError):
        SqliteStore(":memory:")
    store = SqliteStore(tmp_path / "ok.db")
    store.close()
    store.close()
    with pytest.raises(StoreError, match="closed"):
        store.count_articles()
    with pytest.raises(StoreError, match="closed"):
        store.write_batch(Batch(articles=articles("c", 1)))


def test_a_locked_database_is_a_store_error(db: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sqlite_module, "BUSY_TIMEOUT_MS", 50)
    with SqliteStore(db) as store:
        other = sqlite3.connect(db, isolation_level=None)
        other.execute("BEGIN IMMEDIATE")
        try:
            with pytest.raises(StoreError, match="cannot write batch"):
                store.write_batch(Batch(articles=articles("l", 1)))
        finally:
            other.execute("ROLLBACK")
            other.close()
        store.write_batch(Batch(articles=articles("l", 1)))
        assert store.count_articles() == 1


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("jens stoltenberg", '"jens" AND "stoltenberg"'),
        ('"nato summit" brussels', '"nato summit" AND "brussels"'),
        ("brussels OR bruxelles nato", '("brussels" OR "bruxelles") AND "nato"'),
        ("stolt*", '"stolt"*'),
        ('say"hi', '"say" AND "hi"'),
        ("col:thing", '"col:thing"'),
        ("'; DROP TABLE articles; --", '"DROP" AND "TABLE" AND "articles;"'),
        ("OR", ""),
        ("", ""),
    ],
)
def test_queries_become_quoted_fts5_expressions(query: str, expected: str) -> None:
    assert to_fts5(parse_query(query)) == expected
