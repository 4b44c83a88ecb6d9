"""One place builds a store: ``open_store`` picks the engine from the ``store`` setting (empty: from
``store_url``) and builds it through the registry, as ``store.lock`` does for its SQLite stores."""

from __future__ import annotations

from pathlib import Path

import pytest

from storyline.errors import ConfigError
from storyline.settings import Settings
from storyline.store import MemoryStore, SqliteStore, open_reader, open_store, open_writer
from storyline.store.factory import POSTGRES, SQLITE
from storyline.store.opening import store_name


def test_store_name_follows_the_settings() -> None:
    assert store_name(Settings()) == SQLITE
    assert store_name(Settings(store_url="postgresql://u@h/db")) == POSTGRES
    assert store_name(Settings(store="memory.v1", store_url="postgresql://u@h/db")) == "memory.v1"
    assert store_name(Settings(store="sqlite.v1")) == SQLITE


def test_open_store_builds_the_named_store(tmp_path: Path) -> None:
    made = open_store(Settings(db=str(tmp_path / "a.db")))
    assert isinstance(made, SqliteStore) and made.path == tmp_path / "a.db"
    made.close()
    same = open_store(Settings(db=str(tmp_path / "b.db"), store="sqlite.v1"))
    assert isinstance(same, SqliteStore)
    same.close()
    assert isinstance(open_store(Settings(store="memory.v1")), MemoryStore)
    with pytest.raises(ConfigError):
        open_store(Settings(store="nope.v1"))


def test_writer_and_reader_go_through_the_registry(tmp_path: Path) -> None:
    settings = Settings(db=str(tmp_path / "w.db"))
    writer = open_writer(settings)
    try:
        assert isinstance(writer.store, SqliteStore)
    finally:
        writer.close()
    reader = open_reader(settings)
    assert isinstance(reader, SqliteStore) and reader.readonly
    reader.close()
