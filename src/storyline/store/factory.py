"""The names of the built-in stores, and ``create_store``: the one place a store is constructed,
through the registry (``opening.open_store`` and ``lock`` call it)."""

from __future__ import annotations

from pathlib import Path

from storyline import registry
from storyline.store.sqlite import SqliteStore

SQLITE = "sqlite.v1"
POSTGRES = "postgres.v1"


def create_store(name: str, *, readonly: bool = False, **where: str | Path) -> SqliteStore:
    """The registry's store ``name`` at ``where`` (``path=`` for a file store, ``url=`` for a server),
    typed as the SQLite store, whose methods every store implements (the contract suites check it)."""
    made: SqliteStore = registry.create("store", name, readonly=readonly, **where)
    return made


def create_file_store(path: str | Path, *, readonly: bool = False, name: str = SQLITE) -> SqliteStore:
    """The registry's store ``name`` (``sqlite.v1`` unless said) over the file ``path``."""
    return create_store(name, readonly=readonly, path=path)
