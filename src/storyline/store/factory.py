"""The names of the built-in stores, and building a file store through the registry (how
``opening.open_store`` and ``lock`` make one: the one place a file store is constructed)."""

from __future__ import annotations

from pathlib import Path

from storyline import registry
from storyline.store.sqlite import SqliteStore

SQLITE = "sqlite.v1"
POSTGRES = "postgres.v1"


def create_file_store(path: str | Path, *, readonly: bool = False, name: str = SQLITE) -> SqliteStore:
    """The registry's store ``name`` (``sqlite.v1`` unless said) over the file ``path``: how
    ``open_store`` and ``store.lock`` build a file store."""
    made: SqliteStore = registry.create("store", name, path=path, readonly=readonly)
    return made
