"""Cached sentence rows (``SentenceRowStore``) behave the same in every store."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from storyline.store import SentenceRowStore
from tests.conftest import STORE_KINDS, make_store


@pytest.fixture(params=STORE_KINDS)
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Any]:
    made = make_store(request.param, request, tmp_path)
    yield made
    made.close()


def test_the_protocol_is_implemented(store: Any) -> None:
    assert isinstance(store, SentenceRowStore)


def test_round_trip(store: Any) -> None:
    rows = {
        "a1": (((0, 12), (13, 40)), b"\x00\x00\x80?" * 8),
        "a2": (((0, 5),), b"\x01\x02\x03\x04"),
        "a3": ((), b""),
    }
    store.put_sentence_vectors("use.v1", rows)
    got = store.get_sentence_vectors(["a1", "a2", "a3"], "use.v1")
    assert got == rows
    assert all(isinstance(v[1], bytes) and isinstance(v[0], tuple) for v in got.values())


def test_missing_ids_and_other_embedders_are_left_out(store: Any) -> None:
    store.put_sentence_vectors("use.v1", {"a1": (((0, 3),), b"abcd")})
    store.put_sentence_vectors("hash.v1", {"a2": (((1, 2),), b"efgh")})
    assert store.get_sentence_vectors(["a1", "a2", "nope"], "use.v1") == {"a1": (((0, 3),), b"abcd")}
    assert store.get_sentence_vectors(["a1", "a2"], "hash.v1") == {"a2": (((1, 2),), b"efgh")}
    assert store.get_sentence_vectors([], "use.v1") == {}
    assert store.get_sentence_vectors(["a1"], "other.v1") == {}


def test_put_replaces_and_is_idempotent(store: Any) -> None:
    store.put_sentence_vectors("use.v1", {"a1": (((0, 3),), b"old!")})
    store.put_sentence_vectors("use.v1", {"a1": (((0, 3), (4, 9)), b"new!new!")})
    store.put_sentence_vectors("use.v1", {"a1": (((0, 3), (4, 9)), b"new!new!")})
    store.put_sentence_vectors("use.v1", {})
    assert store.get_sentence_vectors(["a1"], "use.v1") == {"a1": (((0, 3), (4, 9)), b"new!new!")}


def test_many_ids(store: Any) -> None:
    rows = {f"a{i:04d}": (((i, i + 1),), i.to_bytes(4, "little")) for i in range(1200)}
    store.put_sentence_vectors("use.v1", rows)
    asked = [*rows, "nope"]
    assert store.get_sentence_vectors(asked, "use.v1") == rows
