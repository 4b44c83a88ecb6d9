"""The Sources page and ``/api/v1/sources``: health shown, writes behind the guard, names escaped."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from storyline.model import Source
from storyline.settings import Settings
from storyline.store import MemoryStore
from storyline.web import create_app
from tests.test_web_writes import csrf_of

EVIL = '<script>alert("x")</script>'


@pytest.fixture
def store() -> Iterator[MemoryStore]:
    made = MemoryStore()
    yield made
    made.close()


def client(store: MemoryStore, token: str | None = None) -> TestClient:
    return TestClient(create_app(store, Settings(), token=token), base_url="http://127.0.0.1")


def test_page_shows_health_and_escapes_names_and_urls(store: MemoryStore) -> None:
    s = store.add_source(Source.new("https://example.com/feed?a=1&b=<x>", name=EVIL, every_s=600))
    store.save_source_state(dataclasses.replace(s, last_status=503, consecutive_failures=2, last_error=EVIL))
    store.add_source(Source.new("javascript:alert(1)", name="js"))
    page = client(store).get("/sources")
    assert page.status_code == 200
    assert EVIL not in page.text and "&lt;script&gt;" in page.text
    assert 'href="javascript:' not in page.text
    assert ">503<" in page.text and "failing" in page.text
    assert 'href="/sources"' in page.text  # in the nav


def test_api_lists_and_adds_behind_the_token(store: MemoryStore) -> None:
    web = client(store, token="s3cret")
    body = {"url": "https://example.com/feed", "name": "Ex", "every": "2h", "fetch_links": True}
    assert web.post("/api/v1/sources", json=body).status_code == 401
    assert store.list_sources() == []
    made = web.post("/api/v1/sources", json=body, headers={"Authorization": "Bearer s3cret"})
    assert made.status_code == 201
    assert (made.json()["every_s"], made.json()["fetch_links"], made.json()["name"]) == (7200, True, "Ex")
    listed = web.get("/api/v1/sources").json()
    assert [(r["url"], r["last_poll_at"], r["consecutive_failures"]) for r in listed] == [
        ("https://example.com/feed", None, 0)
    ]
    bad = web.post(
        "/api/v1/sources", json={"url": "file:///etc/passwd"}, headers={"Authorization": "Bearer s3cret"}
    )
    assert bad.status_code == 422 and len(store.list_sources()) == 1
    quick = web.post(
        "/api/v1/sources",
        json={"url": "https://example.com/x", "every": "1s"},
        headers={"Authorization": "Bearer s3cret"},
    )
    assert quick.status_code == 422


def test_forms_add_pause_and_resume_and_refuse_cross_site_posts(store: MemoryStore) -> None:
    web = client(store)
    foreign = web.post(
        "/sources", data={"url": "https://evil.example/"}, headers={"Origin": "https://evil.example"}
    )
    assert foreign.status_code == 403 and store.list_sources() == []
    csrf = csrf_of(web, "/sources")
    added = web.post(
        "/sources",
        data={"url": "https://example.com/feed", "every": "30m", "csrf": csrf},
        follow_redirects=False,
    )
    assert added.status_code == 303
    [source] = store.list_sources()
    assert source.every_s == 1800
    field = {"csrf": csrf}
    assert web.post(f"/sources/{source.id}/pause", data=field, follow_redirects=False).status_code == 303
    assert store.get_source(source.id).paused  # type: ignore[union-attr]
    assert "Resume" in web.get("/sources").text
    assert web.post(f"/sources/{source.id}/resume", data=field, follow_redirects=False).status_code == 303
    assert not store.get_source(source.id).paused  # type: ignore[union-attr]
    assert web.post("/sources/nope/pause", data=field).status_code == 404


def test_forms_refuse_a_post_without_the_csrf_field(store: MemoryStore) -> None:
    """A same-origin post that passes the write guard still needs the field issued with the page."""
    web = client(store)
    csrf = csrf_of(web, "/sources")
    for data in ({"url": "https://example.com/feed"}, {"url": "https://example.com/feed", "csrf": "0" * 64}):
        refused = web.post("/sources", data=data, follow_redirects=False)
        assert refused.status_code == 403 and store.list_sources() == []
    web.post("/sources", data={"url": "https://example.com/feed", "csrf": csrf}, follow_redirects=False)
    [source] = store.list_sources()
    assert web.post(f"/sources/{source.id}/pause", follow_redirects=False).status_code == 403
    assert not store.get_source(source.id).paused  # type: ignore[union-attr]


def test_forms_need_the_token_when_one_is_set(store: MemoryStore) -> None:
    web = client(store, token="s3cret")
    assert web.post("/sources", data={"url": "https://example.com/feed"}).status_code == 401
    assert store.list_sources() == []


def test_forms_carry_the_token_in_a_field(store: MemoryStore) -> None:
    web = client(store, token="s3cret")
    page = web.get("/sources").text
    assert 'type="password" name="token"' in page
    csrf = csrf_of(web, "/sources")
    wrong = {"url": "https://example.com/feed", "token": "guess", "csrf": csrf}
    assert web.post("/sources", data=wrong).status_code == 401
    assert store.list_sources() == []
    right = {"url": "https://example.com/feed", "token": "s3cret", "csrf": csrf}
    assert web.post("/sources", data=right, follow_redirects=False).status_code == 303
    (source,) = store.list_sources()
    field = {"token": "s3cret", "csrf": csrf}
    paused = web.post(f"/sources/{source.id}/pause", data=field, follow_redirects=False)
    assert paused.status_code == 303
    assert store.get_source(source.id).paused  # type: ignore[union-attr]
