"""Honest errors: 0 ok, 1 rejected inputs, 2 usage/configuration (store missing or locked), 3 internal
error in one line (the traceback only with -v); a broken or locked store is an error, never ``[]``,
in the CLI and in the API (503 with Retry-After when locked or busy, else 500)."""

from __future__ import annotations

import sqlite3
import subprocess
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from storyline.settings import Settings
from storyline.store import sqlite as sqlite_store
from storyline.store.lock import WriterLock
from storyline.store.sqlite import SqliteStore
from storyline.web import create_app

from .conftest import AFP_SEED, DPA_SEED
from .procs import FAST, storyline

ERROR_KEYS = {"ok", "error", "errors", "status"}
TOKEN = "exit-codes-token"


def _run(db: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(storyline(db, *args), capture_output=True, text=True, timeout=120)


@pytest.fixture
def seeded(tmp_path: Path) -> Path:
    db = tmp_path / "t.db"
    done = _run(db, *FAST, "ingest", str(AFP_SEED), str(DPA_SEED))
    assert done.returncode == 0, done.stderr
    return db


def test_exit_codes_0_1_2(seeded: Path, tmp_path: Path) -> None:
    assert _run(seeded, "articles", "--json").returncode == 0
    bad = tmp_path / "bad.jsonl"
    bad.write_text("{broken\n", encoding="utf-8")
    assert _run(seeded, *FAST, "ingest", str(bad)).returncode == 1  # a rejected input
    assert _run(seeded, "articles", "--limit", "0").returncode == 2  # usage
    assert _run(seeded, "--set", "batch_size", "lots", "stats").returncode == 2  # configuration
    assert _run(tmp_path / "none.db", "stats").returncode == 2  # no store
    with WriterLock(seeded):
        assert _run(seeded, *FAST, "ingest", str(AFP_SEED)).returncode == 2  # locked


def test_unexpected_error_is_one_line_and_exit_3(seeded: Path) -> None:
    with sqlite3.connect(seeded) as con:  # a store broken under the reader
        con.execute("DROP TABLE stories")
    done = _run(seeded, "stories")
    assert done.returncode == 3
    assert done.stdout == ""
    lines = done.stderr.strip().splitlines()
    assert lines == ["error: OperationalError: no such table: stories (run with -v for the traceback)"]
    verbose = subprocess.run(
        [*storyline(seeded, "stories")[:3], "-v", "--db", str(seeded), "stories"],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert verbose.returncode == 3
    assert "Traceback (most recent call last)" in verbose.stderr
    assert verbose.stderr.strip().splitlines()[-1] == "error: OperationalError: no such table: stories"


def _break_fts(db: Path) -> None:
    with sqlite3.connect(db) as con:
        con.execute("DROP TABLE articles_fts")  # what the old search answered [] for


def test_search_on_a_broken_store_is_an_error_not_an_empty_list(seeded: Path) -> None:
    assert '"id"' in _run(seeded, "search", "NATO", "--json").stdout
    _break_fts(seeded)
    done = _run(seeded, "search", "NATO", "--json")
    assert done.returncode == 3 and done.stdout == ""
    assert done.stderr.startswith("error: OperationalError:")


def test_api_search_on_a_broken_store_is_500(seeded: Path) -> None:
    _break_fts(seeded)
    with SqliteStore(seeded, readonly=True) as store:
        client = TestClient(
            create_app(store, Settings(db=str(seeded), trusted_hosts="testserver")),
            raise_server_exceptions=False,
        )
        response = client.get("/api/v1/search", params={"q": "NATO"})
    assert response.status_code == 500
    body = response.json()
    assert set(body) >= ERROR_KEYS and body["ok"] is False and body["status"] == 500


def test_api_ingest_while_another_process_writes_is_503(seeded: Path) -> None:
    with SqliteStore(seeded) as store:
        app = create_app(store, Settings(db=str(seeded), trusted_hosts="testserver"), token=TOKEN)
        client = TestClient(app, headers={"authorization": f"Bearer {TOKEN}"})
        body = {"text": "Brussels (AFP) - NATO ministers met again on Thursday to talk about Afghanistan."}
        with WriterLock(seeded):  # as a running `storyline ingest` holds it
            refused = client.post("/api/v1/ingest", json=body)
        assert refused.status_code == 503
        assert int(refused.headers["retry-after"]) > 0
        error = refused.json()
        assert set(error) >= ERROR_KEYS and error["ok"] is False and error["status"] == 503
        assert "another process is writing" in error["error"]
        assert store.count_articles() == 2
        done = client.post("/api/v1/ingest", json=body)  # the lock is free again
        assert done.status_code == 200 and done.json()["stored"] == 1
        assert not WriterLock(seeded).holder()  # released after the request


def test_api_ingest_on_a_busy_store_is_503_with_the_committed_counts(
    seeded: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(sqlite_store, "BUSY_TIMEOUT_MS", 200)  # SQLite gives up after 0.2 s, not 30
    with SqliteStore(seeded) as store:
        settings = Settings(db=str(seeded), understand=False, stories=False, trusted_hosts="testserver")
        app = create_app(store, settings, token=TOKEN)
        client = TestClient(app, headers={"authorization": f"Bearer {TOKEN}"})
        blocker = sqlite3.connect(seeded, isolation_level=None)
        try:
            blocker.execute("BEGIN IMMEDIATE")  # SQLite's write lock, taken outside Storyline
            response = client.post("/api/v1/ingest", json={"text": "Paris (AFP) - A text about tulips. " * 5})
        finally:
            blocker.close()
        assert response.status_code == 503 and "retry-after" in response.headers
        body = response.json()
        assert body["status"] == 503 and "the store is busy" in body["error"]
        assert body["committed"] == {"stored": 0, "duplicates": 0, "rejected": 0}
        assert store.count_articles() == 2
