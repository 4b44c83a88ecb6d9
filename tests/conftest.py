"""Shared fixtures: the seeds and the shared data directory (tests needing it skip when absent)."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests import pg
from tests.pg import PgServer

ROOT = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("STORYLINE_SHARED") or ROOT.parent / "shared")
"""``../shared`` beside the repo; ``STORYLINE_SHARED`` names it for a checkout elsewhere (a worktree)."""
EXAMPLES = ROOT / "examples"
AFP_SEED = EXAMPLES / "000_0456c59c1de563e2.txt"
DPA_SEED = EXAMPLES / "004_4bb9b37ee3aee4b5.txt"


@pytest.fixture
def shared_data() -> Path:
    data = SHARED / "data"
    if not data.is_dir():
        pytest.skip(f"needs the shared evaluation data at {data} (../shared beside the repo)")
    return data


@pytest.fixture(scope="session")
def pg_server() -> Iterator[PgServer]:
    """A throwaway PostgreSQL server for the session (``tests/pg.py``); skips when none can start."""
    reason = pg.unavailable()
    if reason is not None:
        pytest.skip(f"PostgreSQL store tests: {reason}")
    server = PgServer.start()
    try:
        server.prepare_template()
        yield server
    finally:
        server.stop()


@pytest.fixture
def pg_url(pg_server: PgServer) -> Iterator[str]:
    """The URL of a fresh, migrated, empty database on the session's server (dropped afterwards)."""
    url = pg_server.fresh_database()
    yield url
    pg_server.drop(url)


def make_store(kind: str, request: pytest.FixtureRequest, tmp_path: Path) -> Any:
    """A new empty store of ``kind`` (memory, sqlite or postgres) for the contract suites."""
    from storyline.store import MemoryStore, SqliteStore

    if kind == "memory":
        return MemoryStore()
    if kind == "sqlite":
        return SqliteStore(tmp_path / "t.db")
    from storyline.store.postgres import PostgresStore

    return PostgresStore(request.getfixturevalue("pg_url"))


STORE_KINDS = ["memory", "sqlite", "postgres"]
