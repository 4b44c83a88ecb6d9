"""The write counter (``VersionedStore.version``) of the stores that have one (``SqliteStore``,
``PostgresStore``; ``MemoryStore`` has none, so the web's listing cache never caches over it)."""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from storyline.model import Article, Batch, Source, Watchlist
from storyline.store import VersionedStore
from tests.conftest import STORE_KINDS, make_store


@pytest.fixture(params=[k for k in STORE_KINDS if k != "memory"])
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Any]:
    made = make_store(request.param, request, tmp_path)
    yield made
    made.close()


def test_memory_store_has_no_version(request: pytest.FixtureRequest, tmp_path: Path) -> None:
    assert not isinstance(make_store("memory", request, tmp_path), VersionedStore)


def test_every_write_moves_the_version(store: Any) -> None:
    assert isinstance(store, VersionedStore)
    seen = [store.version()]
    assert store.version() == seen[0]  # reading does not move it
    store.write_batch(Batch(articles=(Article(id="a1", text="Some body text.", content_hash="h1"),)))
    seen.append(store.version())
    store.add_watchlist(Watchlist(id="w1", name="one"))
    seen.append(store.version())
    store.add_source(Source.new("https://example.org/feed"))
    seen.append(store.version())
    store.put_sentence_vectors("use.v1", {"a1": (((0, 4),), b"abcd")})
    seen.append(store.version())
    store.list_articles()
    store.list_watchlists()
    assert store.version() == seen[-1]
    assert all(a < b for a, b in itertools.pairwise(seen)), seen
