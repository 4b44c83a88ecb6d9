"""What only the PostgreSQL store has: its writer lock, its version counter across connections, the
CLI selecting it from ``--db postgresql://...``, and an empty database read as "no store"."""

from __future__ import annotations

import os
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from click.testing import CliRunner
from fastapi.testclient import TestClient

from storyline.cli import cli
from storyline.model import Batch, Story
from storyline.settings import Settings
from storyline.store import SqliteStore, open_store
from storyline.store.lock import StoreLocked
from storyline.store.postgres import PostgresStore
from storyline.store.postgres_lock import PostgresWriterLock, redact
from storyline.web import create_app
from tests.conftest import DPA_SEED
from tests.pg import PgServer

T0 = datetime(2021, 2, 17, tzinfo=UTC)


@pytest.fixture
def pg_empty(pg_server: PgServer) -> Iterator[str]:
    url = pg_server.empty_database()
    yield url
    pg_server.drop(url)


def test_the_writer_lock_excludes_a_second_writer_and_names_the_holder(pg_url: str) -> None:
    first, second = PostgresWriterLock(pg_url), PostgresWriterLock(pg_url)
    first.acquire()
    try:
        assert first.held and not second.try_acquire()
        with pytest.raises(StoreLocked) as caught:
            second.acquire(timeout_s=0.2)
        assert caught.value.holder == os.getpid()
        assert f"process {os.getpid()}" in str(caught.value) and "waited 0.2 s" in str(caught.value)
    finally:
        first.release()
    assert second.try_acquire()  # released with the session
    second.release()


def test_a_second_cli_writer_exits_2_while_the_lock_is_held(pg_url: str) -> None:
    with PostgresWriterLock(pg_url):
        result = CliRunner().invoke(cli, ["-q", "--db", pg_url, "ingest", str(DPA_SEED)])
    assert result.exit_code == 2
    message = " ".join(result.stderr.split())
    assert f"is being written by process {os.getpid()}" in message


def test_db_url_selects_postgres_and_an_empty_database_is_no_store(pg_empty: str) -> None:
    result = CliRunner().invoke(cli, ["--db", pg_empty, "stats", "--json"])
    assert result.exit_code == 2 and "no store" in result.stderr
    with PostgresStore(pg_empty) as probe:  # the read created nothing
        assert probe.count_articles() == 0
    settings = Settings(store_url=pg_empty)
    store = open_store(settings)
    assert isinstance(store, PostgresStore)
    store.close()


@pytest.mark.parametrize("kind", ["sqlite", "postgres"])
def test_version_counts_writes_seen_from_another_connection(kind: str, tmp_path: Path, pg_url: str) -> None:
    def opened() -> SqliteStore | PostgresStore:
        return SqliteStore(tmp_path / "v.db") if kind == "sqlite" else PostgresStore(pg_url)

    writer, reader = opened(), opened()
    before = reader.version()
    writer.write_batch(Batch(stories=(Story("s1", "One", 1, first_seen_at=T0, last_seen_at=T0),)))
    assert reader.version() == before + 1
    writer.write_batch(Batch())
    assert reader.version() == before + 2
    writer.close()
    reader.close()


def test_listing_cache_of_a_replica_sees_another_replicas_commit(pg_url: str) -> None:
    writer, replica = PostgresStore(pg_url), PostgresStore(pg_url, readonly=True)
    writer.write_batch(Batch(stories=(Story("s-one", "One", 3, first_seen_at=T0, last_seen_at=T0),)))
    client = TestClient(create_app(replica, Settings(workers=1, trusted_hosts="testserver")))
    first = client.get("/api/v1/stories")
    assert [s["id"] for s in first.json()] == ["s-one"]
    assert client.get("/api/v1/stories").content == first.content
    assert len(client.app.state.web.listings._items) == 1  # type: ignore[attr-defined]
    writer.write_batch(Batch(stories=(Story("s-two", "Two", 5, first_seen_at=T0, last_seen_at=T0),)))
    assert [s["id"] for s in client.get("/api/v1/stories").json()] == ["s-two", "s-one"]
    writer.close()
    replica.close()


def test_urls_are_shown_without_their_password() -> None:
    assert redact("postgresql://u:secret@db.example.org:5432/news") == "postgresql://u@db.example.org/news"
    assert "secret" not in redact("postgresql://u:secret@/news?host=/tmp/x")
