"""Rate limits and the cost of compare: failed tokens and compare calls are counted per client address
(429 with Retry-After past the limit), compare needs the token when the request is not local, and
compare bodies have their own cap."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from storyline.settings import Settings
from storyline.store import SqliteStore
from storyline.web import create_app
from storyline.web.app import COMPARE_MAX_BYTES
from storyline.web.ratelimit import RateLimits, TokenBuckets

TOKEN = "s3cret-token"
UNKNOWN_PAIR = {"a": {"id": "nope-a"}, "b": {"id": "nope-b"}}  # 404: the request got past every guard
PROXIED = {"x-forwarded-for": "203.0.113.9"}


@pytest.fixture
def store(tmp_path: Path) -> Iterator[SqliteStore]:
    opened = SqliteStore(tmp_path / "limits.db")
    yield opened
    opened.close()


def _client(
    store: SqliteStore, *, base_url: str = "http://127.0.0.1", address: str = "198.51.100.1", **kw: Any
) -> TestClient:
    settings = Settings(db=str(store.path), workers=1, understand=False, stories=False)
    settings = settings.replace(**kw.pop("settings", {}))
    return TestClient(create_app(store, settings, **kw), base_url=base_url, client=(address, 40000))


def test_token_buckets_refill_over_time() -> None:
    now = [100.0]
    buckets = TokenBuckets(3, 30.0, clock=lambda: now[0])
    assert [buckets.take("a") for _ in range(3)] == [0, 0, 0]
    assert buckets.take("a") == 10 and buckets.retry_after("a") == 10  # one token per 10 s
    assert buckets.take("b") == 0  # another key has its own bucket
    now[0] += 9.5
    assert buckets.take("a") == 1
    now[0] += 0.5
    assert buckets.retry_after("a") == 0 and buckets.take("a") == 0 and buckets.take("a") == 10
    now[0] += 1000
    assert [buckets.take("a") for _ in range(4)] == [0, 0, 0, 10]  # never more than the capacity


def test_the_buckets_forget_the_oldest_addresses(monkeypatch: pytest.MonkeyPatch) -> None:
    from storyline.web import ratelimit

    monkeypatch.setattr(ratelimit, "MAX_ADDRESSES", 5)
    buckets = TokenBuckets(1, 60.0)
    for i in range(20):
        assert buckets.take(f"10.0.0.{i}") == 0
    assert len(buckets._buckets) == 5 and buckets.take("10.0.0.19") > 0


def test_the_n_plus_first_failed_token_gets_429(store: SqliteStore) -> None:
    client = _client(store, token=TOKEN, limits=RateLimits(auth_failures=3))
    wrong = {"content-type": "text/plain", "authorization": "Bearer guess"}
    statuses = [client.post("/api/v1/ingest", content=b"x", headers=wrong).status_code for _ in range(3)]
    assert statuses == [401, 401, 401]
    blocked = client.post("/api/v1/ingest", content=b"x", headers=wrong)
    assert blocked.status_code == 429
    assert blocked.json()["status"] == 429 and "failed tokens" in blocked.json()["error"]
    assert 1 <= int(blocked.headers["retry-after"]) <= 20  # 3 per 60 s: one back every 20 s
    right = {**wrong, "authorization": f"Bearer {TOKEN}"}
    assert client.post("/api/v1/ingest", content=b"x", headers=right).status_code == 429  # until it refills
    other = TestClient(client.app, base_url="http://127.0.0.1", client=("198.51.100.2", 40000))
    assert other.post("/api/v1/ingest", content=b"x", headers=wrong).status_code == 401  # its own count
    assert other.get("/api/v1/stats").status_code == 200  # reads are not counted


def test_compare_from_a_proxied_request_needs_the_token(store: SqliteStore) -> None:
    open_server = _client(store)
    assert open_server.post("/api/v1/compare", json=UNKNOWN_PAIR).status_code == 404  # local: open
    refused = open_server.post("/api/v1/compare", json=UNKNOWN_PAIR, headers=PROXIED)
    assert refused.status_code == 403 and "token" in refused.json()["error"]
    page = open_server.post("/compare", data={"a_id": "nope", "b_id": "nope"}, headers=PROXIED)
    assert page.status_code == 403 and "text/html" in page.headers["content-type"]
    scored_page = open_server.get("/compare?a=nope&b=nope", headers=PROXIED)
    assert scored_page.status_code == 403
    assert open_server.get("/compare", headers=PROXIED).status_code == 200  # the empty form costs nothing

    guarded = _client(store, token=TOKEN)
    assert guarded.post("/api/v1/compare", json=UNKNOWN_PAIR, headers=PROXIED).status_code == 401
    with_token = {**PROXIED, "authorization": f"Bearer {TOKEN}"}
    assert guarded.post("/api/v1/compare", json=UNKNOWN_PAIR, headers=with_token).status_code == 404
    assert guarded.post("/api/v1/compare", json=UNKNOWN_PAIR).status_code == 404  # local needs none


def test_compare_from_a_trusted_public_name_needs_the_token(store: SqliteStore) -> None:
    client = _client(
        store, base_url="http://news.example.com", settings={"trusted_hosts": "news.example.com"}
    )
    assert client.post("/api/v1/compare", json=UNKNOWN_PAIR).status_code == 403
    assert client.get("/api/v1/stats").status_code == 200


def test_compare_is_rate_limited_per_address(store: SqliteStore) -> None:
    client = _client(store, limits=RateLimits(compare_burst=3))
    assert client.post("/api/v1/compare", json=UNKNOWN_PAIR).status_code == 404
    assert client.post("/compare", data={"a_id": "nope", "b_id": "nope"}).status_code == 404
    assert client.get("/compare?a=nope&b=nope").status_code == 404  # the form and the API share one count
    limited = client.post("/api/v1/compare", json=UNKNOWN_PAIR)
    assert limited.status_code == 429 and int(limited.headers["retry-after"]) >= 1
    assert "comparisons" in limited.json()["error"]
    assert client.post("/compare", data={"a_id": "nope", "b_id": "nope"}).status_code == 429
    other = TestClient(client.app, base_url="http://127.0.0.1", client=("198.51.100.2", 40000))
    assert other.post("/api/v1/compare", json=UNKNOWN_PAIR).status_code == 404


def test_compare_bodies_have_their_own_cap(store: SqliteStore) -> None:
    client = _client(store)  # max_item_bytes is 20 MB: compare stops far earlier
    side = {"text": "x" * (COMPARE_MAX_BYTES // 2)}
    response = client.post("/api/v1/compare", json={"a": side, "b": side})
    assert response.status_code == 413 and response.json()["status"] == 413
    big_form = {"a_text": "x" * COMPARE_MAX_BYTES, "b_id": "nope"}
    assert client.post("/compare", data=big_form).status_code == 413
