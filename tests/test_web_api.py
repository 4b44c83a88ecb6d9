"""The JSON API: every endpoint, every error path (one error shape), the OpenAPI document, auth.

``seed_store`` (also used by the page, browser and fuzz tests) ingests the two example reports (the
dpa one first, as it was published first), a near-copy of the AFP one and an article with a hostile
title and URL through ``storyline.pipeline.run`` with understanding and stories on: the pipeline
itself finds the facts and groups the articles into stories and storylines. Written by hand: an
entity with a hostile name and alias (the pipeline would not invent one), and two watchlists (one
named with markup) whose alerts the real alert engine raises.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from storyline.alerts import engine
from storyline.ingest import jsonl_item
from storyline.model import (
    Batch,
    Entity,
    Mention,
    RawDoc,
    Rejection,
    Story,
    Storyline,
    Watchlist,
    watchlist_id,
)
from storyline.pipeline import Components, run
from storyline.settings import Settings
from storyline.store import SqliteStore
from storyline.web import create_app
from storyline.web.ratelimit import RateLimits
from tests.conftest import AFP_SEED, DPA_SEED

HOSTILE_TITLE = "<img src=x onerror=alert(1)>"
HOSTILE_URL = "javascript:alert(1)"
ERROR_KEYS = {"ok", "error", "errors", "status"}
TEST_TOKEN = "test-token-1234"
WATCHLISTS = (
    Watchlist(watchlist_id("Afghanistan"), "Afghanistan", keywords=("Taliban",)),
    Watchlist(watchlist_id(HOSTILE_TITLE), HOSTILE_TITLE, entities=("Jens Stoltenberg",)),
)


def _hostile_raw() -> RawDoc | Rejection | None:
    row = {
        "id": "hostile-1",
        "title": HOSTILE_TITLE,
        "url": HOSTILE_URL,
        "source": "evil.example",
        "published": "2021-03-01T09:00:00Z",
        "text": "Brussels (AFP) – <script>alert(2)</script> An article whose title is a script injection "
        'attempt [with brackets] and "quotes", about the price of tulips in the Netherlands.',
    }
    return jsonl_item(json.dumps(row).encode(), "hostile.jsonl:1")


def _near_copy_raw() -> RawDoc:
    text = AFP_SEED.read_text(encoding="utf-8").replace("NATO defense ministers", "NATO defence ministers", 1)
    return RawDoc("copy-of-afp.txt", "text", text.encode("utf-8"), hints={"source": "copy.example"})


def seed_store(path: Path) -> SqliteStore:
    """A store with the example reports, a near-copy and a hostile article, grouped into stories by the
    pipeline (``stories=True``), plus a hostile entity."""
    store = SqliteStore(path)
    settings = Settings(db=str(path), workers=1, understand=True, stories=True)
    items: list[RawDoc | Rejection] = [
        RawDoc(str(p), "text", p.read_bytes(), hints={"source": "wire.example"}) for p in (DPA_SEED, AFP_SEED)
    ]
    items += [_near_copy_raw(), *[r for r in [_hostile_raw()] if r is not None]]
    run(items, Components.for_store(settings, store), store)
    _write_hostile_entity(store)
    for watchlist in WATCHLISTS:
        store.add_watchlist(watchlist)
    engine.evaluate(store, [a.id for a in store.iter_articles()])  # the alerts ingest would raise
    return store


def _span(text: str, part: str) -> tuple[int, int]:
    start = text.index(part)
    return start, start + len(part)


def _write_hostile_entity(store: SqliteStore) -> None:
    """An entity whose name and alias are markup, mentioned by the hostile article."""
    hostile = store.get_article(article_ids(store)["hostile"])
    assert hostile is not None
    mention = Mention(hostile.id, *_span(hostile.text, "tulips"), "tulips", "MISC", "e-hostile")
    entity = Entity("e-hostile", HOSTILE_TITLE, "MISC", ("<script>alert(3)</script>",), ("en",))
    store.write_batch(Batch(entities=(entity,), mentions=(mention,)))


def article_ids(store: SqliteStore) -> dict[str, str]:
    """``afp``, ``dpa``, ``copy``, ``hostile`` -> article id."""
    found = {}
    for a in store.iter_articles():
        key = {"copy.example": "copy", "evil.example": "hostile"}.get(a.source or "")
        key = key or ("afp" if a.agency == "AFP" else "dpa")
        found[key] = a.id
    return found


@pytest.fixture(scope="module")
def seeded(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SqliteStore]:
    store = seed_store(tmp_path_factory.mktemp("web") / "web.db")
    yield store
    store.close()


@pytest.fixture(scope="module")
def client(seeded: SqliteStore) -> TestClient:
    """A client from "testserver" (trusted by setting): not local, so compare goes with the token."""
    settings = Settings(db=str(seeded.path), workers=1, trusted_hosts="testserver")
    app = create_app(seeded, settings, token=TEST_TOKEN, limits=RateLimits(compare_burst=100))
    return TestClient(app, headers={"authorization": f"Bearer {TEST_TOKEN}"})


@pytest.fixture(scope="module")
def ids(seeded: SqliteStore) -> dict[str, str]:
    return article_ids(seeded)


def assert_error(response: Any, status: int) -> dict[str, Any]:
    """``response`` is an API error of ``status`` in the one error shape."""
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/json")
    body: dict[str, Any] = response.json()
    assert set(body) == ERROR_KEYS and body["ok"] is False and body["status"] == status
    assert isinstance(body["error"], str) and body["error"] and isinstance(body["errors"], list)
    return body


# -- reads ------------------------------------------------------------------------------------------


def test_articles_listing_has_the_cli_shape(client: TestClient, ids: dict[str, str]) -> None:
    rows = client.get("/api/v1/articles").json()
    assert {r["id"] for r in rows} == set(ids.values())
    keys = {"id", "title", "url", "source", "agency", "place", "language", "published_at"}
    keys |= {"published_precision", "duplicate_of", "story_id", "origin"}
    assert all(set(r) == keys for r in rows)
    copy = next(r for r in rows if r["id"] == ids["copy"])
    assert copy["duplicate_of"] == ids["afp"]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("agency=dpa", {"dpa"}),
        ("source=evil.example", {"hostile"}),
        ("since=2021-02-01&until=2021-02-18", {"afp", "copy"}),
        ("include_duplicates=false&source=", {"afp", "dpa", "hostile"}),
        ("limit=1&offset=1", None),
    ],
)
def test_articles_filters(
    client: TestClient, ids: dict[str, str], query: str, expected: set[str] | None
) -> None:
    rows = client.get(f"/api/v1/articles?{query}").json()
    if expected is None:
        assert len(rows) == 1
    else:
        assert {r["id"] for r in rows} == {ids[k] for k in expected}


def test_article_detail_has_text_and_copies(client: TestClient, ids: dict[str, str]) -> None:
    body = client.get(f"/api/v1/articles/{ids['afp']}").json()
    assert body["duplicates"] == [ids["copy"]] and "Taliban" in body["text"] and body["story_id"]


def test_stories_and_story_detail(client: TestClient, ids: dict[str, str]) -> None:
    stories = client.get("/api/v1/stories").json()
    assert stories and all("label" in s and "n_articles" in s for s in stories)
    story_id = client.get(f"/api/v1/articles/{ids['afp']}").json()["story_id"]
    detail = client.get(f"/api/v1/stories/{story_id}").json()
    assert ids["afp"] in detail["articles"] and {"article_details", "events"} <= set(detail)
    assert [a["id"] for a in detail["article_details"]] == detail["articles"]


def test_story_filters(client: TestClient) -> None:
    everything = client.get("/api/v1/stories").json()
    assert client.get("/api/v1/stories?source=nowhere.example").json() == []
    assert client.get("/api/v1/stories?until=1990-01-01").json() == []
    assert client.get("/api/v1/stories?language=en&limit=1").json() == everything[:1]


def test_storylines(client: TestClient) -> None:
    lines = client.get("/api/v1/storylines").json()
    for line in lines:
        detail = client.get(f"/api/v1/storylines/{line['id']}").json()
        assert [s["id"] for s in detail["story_details"]] == detail["stories"]


def test_search_finds_both_reports_with_marked_snippets(client: TestClient, ids: dict[str, str]) -> None:
    hits = client.get("/api/v1/search", params={"q": "Taliban", "include_duplicates": "false"}).json()
    assert {h["id"] for h in hits} == {ids["afp"], ids["dpa"]}
    assert all("[Taliban]" in h["snippet"] and isinstance(h["rank"], float) for h in hits)


def test_entities_and_quotes(client: TestClient, ids: dict[str, str]) -> None:
    entities = client.get("/api/v1/entities").json()
    keys = {"id", "name", "type", "aliases", "languages", "n_mentions", "first_seen", "last_seen"}
    assert entities and all(set(e) == keys for e in entities)
    found = client.get("/api/v1/entities", params={"name": "stoltenberg"}).json()
    assert [e["name"] for e in found] == ["Jens Stoltenberg"]
    detail = client.get(f"/api/v1/entities/{found[0]['id']}").json()
    assert detail["quotes"] and detail["quotes"][0]["speaker"] == "Jens Stoltenberg"
    quotes = client.get("/api/v1/quotes", params={"article_id": ids["afp"]}).json()
    assert quotes and {"id", "article_id", "text", "kind", "cue", "speaker", "speaker_entity_id"} <= set(
        quotes[0]
    )
    assert client.get("/api/v1/quotes", params={"speaker": "nobody at all"}).json() == []


def test_stats_and_rejections(client: TestClient) -> None:
    assert client.get("/api/v1/stats").json()["n_articles"] == 4
    assert client.get("/api/v1/rejections").json() == []


def _story_of(client: TestClient, article_id: str) -> str:
    story_id: str = client.get(f"/api/v1/articles/{article_id}").json()["story_id"]
    return story_id


def test_story_digest_is_the_cli_digest(client: TestClient, seeded: SqliteStore, ids: dict[str, str]) -> None:
    from click.testing import CliRunner

    from storyline.cli import cli

    story_id = _story_of(client, ids["afp"])
    body = client.get(f"/api/v1/stories/{story_id}/digest", params={"since": "2021-02-17"}).json()
    args = ["--db", str(seeded.path), "digest", story_id, "--since", "2021-02-17", "--json"]
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout) == body
    assert body["kind"] == "story" and body["id"] == story_id and body["summary"]
    assert all(s["article_id"] in body["new"]["articles"] for s in body["new"]["sentences"])
    new = " ".join(s["text"] for s in body["new"]["sentences"])
    if ids["dpa"] in client.get(f"/api/v1/stories/{story_id}").json()["articles"]:
        assert ids["dpa"] not in body["new"]["articles"] and body["new"]["n_earlier_articles"] >= 1
    assert "9,600-strong" in new and "May 1 deadline" in new
    events = {e["date"]: e["status"] for e in body["timeline"] if e["date"]}
    assert events["2021-05-01"] == "upcoming" and events["2021-02-17"] == "happened"


def test_digest_by_default_is_the_latest_update(client: TestClient, ids: dict[str, str]) -> None:
    """The seeds arrive in one run, so the latest update is the article stored last: in the AFP story
    that is its near-copy, which says nothing new."""
    story_id = _story_of(client, ids["copy"])
    body = client.get(f"/api/v1/stories/{story_id}/digest").json()
    assert body["new"]["articles"] == [ids["copy"]] and body["new"]["sentences"] == []
    assert body["new"]["since"] is None and body["n_articles"] >= 2


def test_storyline_digest(client: TestClient, ids: dict[str, str]) -> None:
    story = client.get(f"/api/v1/stories/{_story_of(client, ids['afp'])}").json()
    assert story["storyline_id"], story
    body = client.get(f"/api/v1/storylines/{story['storyline_id']}/digest").json()
    assert body["kind"] == "storyline" and body["id"] == story["storyline_id"]
    assert body["n_articles"] >= story["n_articles"]
    assert_error(client.get(f"/api/v1/storylines/{story['id']}/digest"), 404)  # a story id is not one
    assert_error(client.get(f"/api/v1/stories/{story['storyline_id']}/digest"), 404)


def test_watchlists_and_alerts(client: TestClient, ids: dict[str, str]) -> None:
    rows = client.get("/api/v1/watchlists").json()
    assert {w["name"] for w in rows} == {w.name for w in WATCHLISTS}
    assert all("webhook_secret" not in w and "last_visit_at" in w for w in rows)
    taliban = watchlist_id("Afghanistan")
    detail = client.get(f"/api/v1/watchlists/{taliban}").json()
    assert {a["article_id"] for a in detail["alerts"]} == {ids["afp"], ids["dpa"]}  # not the copy
    alerts = client.get("/api/v1/alerts", params={"watchlist": taliban}).json()
    assert {a["article_id"] for a in alerts} == {ids["afp"], ids["dpa"]}
    assert {a["watchlist"] for a in client.get("/api/v1/alerts").json()} == {w.name for w in WATCHLISTS}


# -- errors: one shape everywhere -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("method", "path", "status"),
    [
        ("GET", "/api/v1/articles/nope", 404),
        ("GET", "/api/v1/stories/nope", 404),
        ("GET", "/api/v1/storylines/nope", 404),
        ("GET", "/api/v1/entities/nope", 404),
        ("GET", "/api/v1/quotes?limit=5000", 422),
        ("GET", "/api/v1/nothing-here", 404),
        ("DELETE", "/api/v1/articles", 405),
        ("PUT", "/api/v1/ingest", 405),
        ("GET", "/api/v1/articles?limit=0", 422),
        ("GET", "/api/v1/articles?limit=1001", 422),
        ("GET", "/api/v1/articles?offset=-1", 422),
        ("GET", "/api/v1/articles?limit=ten", 422),
        ("GET", "/api/v1/articles?since=yesterday", 422),
        ("GET", "/api/v1/stories?until=2021-13-45", 422),
        ("GET", "/api/v1/articles?since=0001-01-01T00:00:00%2B05:00", 422),
        ("GET", "/api/v1/search", 422),
        ("GET", "/api/v1/search?q=" + "x" * 501, 422),
        ("GET", "/api/v1/articles?include_duplicates=perhaps", 422),
        ("GET", "/api/v1/stories/nope/digest", 404),
        ("GET", "/api/v1/storylines/nope/digest", 404),
        ("GET", "/api/v1/stories/nope/digest?since=soon", 422),
        ("GET", "/api/v1/storylines/nope/digest?since=2021-02-30", 422),
        ("GET", "/api/v1/watchlists/nope", 404),
        ("GET", "/api/v1/alerts?limit=0", 422),
    ],
)
def test_every_error_has_the_one_shape(client: TestClient, method: str, path: str, status: int) -> None:
    body = assert_error(client.request(method, path), status)
    if status == 422:
        assert body["errors"] and all({"loc", "msg", "type"} <= set(e) for e in body["errors"])


def test_validation_error_names_the_parameter(client: TestClient) -> None:
    body = assert_error(client.get("/api/v1/articles?since=yesterday"), 422)
    assert "since" in body["error"] and "2021-02-17" in body["error"]


def test_crash_is_a_500_in_the_same_shape(seeded: SqliteStore) -> None:
    class Broken(SqliteStore):
        def list_storylines(self, *, limit: int = 50, offset: int = 0) -> list[Storyline]:
            raise RuntimeError("boom")

    store = Broken(seeded.path)
    try:
        app = create_app(store, Settings(db=str(seeded.path), trusted_hosts="testserver"))
        response = TestClient(app, raise_server_exceptions=False).get("/api/v1/storylines")
        body = assert_error(response, 500)
        assert "boom" not in body["error"] and response.headers["x-content-type-options"] == "nosniff"
    finally:
        store.close()


# -- OpenAPI ----------------------------------------------------------------------------------------


def test_openapi_document(client: TestClient) -> None:
    doc = client.get("/api/v1/openapi.json").json()
    assert doc["openapi"].startswith("3.")
    paths = set(doc["paths"])
    assert paths and all(p.startswith("/api/v1/") for p in paths)
    expected = {"/api/v1/stories", "/api/v1/stories/{story_id}", "/api/v1/storylines", "/api/v1/articles"}
    expected |= {"/api/v1/articles/{article_id}", "/api/v1/search", "/api/v1/compare", "/api/v1/ingest"}
    expected |= {"/api/v1/stories/{story_id}/digest", "/api/v1/storylines/{storyline_id}/digest"}
    expected |= {"/api/v1/watchlists", "/api/v1/alerts"}
    assert expected <= paths
    assert doc["components"]["schemas"]["Error"]["required"] == ["ok", "error", "errors", "status"]
    limit = next(p for p in doc["paths"]["/api/v1/articles"]["get"]["parameters"] if p["name"] == "limit")
    assert limit["schema"]["maximum"] == 10_000_000  # streamed formats; a JSON array stays <= 1000


def test_no_cdn_docs_pages(client: TestClient) -> None:
    """The API docs page is ours, from local files (tests/test_web_plain.py); FastAPI's CDN pages are off."""
    docs = client.get("/docs")
    assert docs.status_code == 200 and "cdn." not in docs.text and "https://" not in docs.text
    assert client.get("/redoc").status_code == 404


# -- compare ----------------------------------------------------------------------------------------


def test_compare_ids_and_texts(client: TestClient, ids: dict[str, str]) -> None:
    by_id = client.post("/api/v1/compare", json={"a": {"id": ids["afp"]}, "b": {"id": ids["dpa"]}}).json()
    assert 1.0 <= by_id["overall"] <= 4.0 and "evidence" in by_id
    texts = {"a": {"text": AFP_SEED.read_text()}, "b": {"text": DPA_SEED.read_text(), "title": "Stoltenberg"}}
    by_text = client.post("/api/v1/compare", json=texts).json()
    assert by_text["overall"] == pytest.approx(by_id["overall"], abs=0.5)


@pytest.mark.parametrize(
    ("body", "status"),
    [
        ({"a": {"id": "nope"}, "b": {"id": "nope"}}, 404),
        ({"a": {}, "b": {"text": "x"}}, 422),
        ({"a": {"text": "too short"}, "b": {"text": "also short"}}, 422),
        ({"a": {"text": "x", "colour": 1}, "b": {"text": "y"}}, 422),
        ({"a": {"text": "x"}}, 422),
        ([1, 2], 422),
    ],
)
def test_compare_errors(client: TestClient, body: object, status: int) -> None:
    assert_error(client.post("/api/v1/compare", json=body), status)


# -- ingest and auth --------------------------------------------------------------------------------


@pytest.fixture
def fresh(tmp_path: Path) -> Iterator[SqliteStore]:
    store = SqliteStore(tmp_path / "ingest.db")
    yield store
    store.close()


def _app(store: SqliteStore, **kw: Any) -> TestClient:
    """A client of an app over ``store`` that talks to it as http://127.0.0.1 (a loopback Host)."""
    app = create_app(store, Settings(db=str(store.path), workers=1), **kw)
    return TestClient(app, base_url="http://127.0.0.1")


def test_ingest_text_json_and_upload(fresh: SqliteStore) -> None:
    client = _app(fresh)
    first = client.post(
        "/api/v1/ingest", content=AFP_SEED.read_bytes(), headers={"content-type": "text/plain"}
    )
    assert first.json() == {
        "read": 1,
        "stored": 1,
        "duplicates": 0,
        "unchanged": 0,
        "rejected": 0,
        "reasons": {},
    }
    again = client.post("/api/v1/ingest", files={"file": ("afp.txt", AFP_SEED.read_bytes())}).json()
    assert again["unchanged"] == 1 and again["stored"] == 0
    rows = [
        {"text": DPA_SEED.read_text(), "title": "Stoltenberg on Biden", "source": "dpa.de"},
        {"title": "no text"},
    ]
    mixed = client.post("/api/v1/ingest", json=rows).json()
    assert (mixed["stored"], mixed["rejected"], mixed["reasons"]) == (1, 1, {"missing_text": 1})
    assert fresh.count_articles() == 2


@pytest.mark.parametrize(
    ("kwargs", "status"),
    [
        ({"content": b"", "headers": {"content-type": "text/plain"}}, 422),
        ({"content": b"{not json", "headers": {"content-type": "application/json"}}, 422),
        ({"json": "just a string"}, 422),
        ({"data": {"other": "field"}, "files": {"x": ("", b"")}}, 422),
    ],
)
def test_ingest_bad_bodies(fresh: SqliteStore, kwargs: dict[str, Any], status: int) -> None:
    assert_error(_app(fresh).post("/api/v1/ingest", **kwargs), status)


def test_ingest_body_cap(tmp_path: Path) -> None:
    store = SqliteStore(tmp_path / "cap.db")
    try:
        app = create_app(store, Settings(db=str(store.path), max_item_bytes=1000))
        client = TestClient(app, base_url="http://127.0.0.1")
        assert_error(client.post("/api/v1/ingest", content=b"x" * 5000), 413)
        big = b"x" * 1_100_000  # over max_item_bytes plus the form allowance, on any route
        assert_error(
            client.post("/api/v1/compare", content=big, headers={"content-type": "application/json"}), 413
        )
        form = {"content-type": "application/x-www-form-urlencoded"}
        assert client.post("/compare", content=big, headers=form).status_code == 413
    finally:
        store.close()


def test_ingest_token_rules(fresh: SqliteStore) -> None:
    text, plain = AFP_SEED.read_bytes(), {"content-type": "text/plain"}
    assert_error(_app(fresh, loopback=False).post("/api/v1/ingest", content=text, headers=plain), 403)
    guarded = _app(fresh, token="s3cret", loopback=False)
    response = guarded.post("/api/v1/ingest", content=text, headers=plain)
    assert_error(response, 401)
    assert response.headers["www-authenticate"] == "Bearer"
    wrong = {**plain, "authorization": "Bearer nope"}
    assert_error(guarded.post("/api/v1/ingest", content=text, headers=wrong), 401)
    right = {**plain, "authorization": "Bearer s3cret"}
    assert guarded.post("/api/v1/ingest", content=text, headers=right).json()["stored"] == 1
    assert guarded.get("/api/v1/articles").status_code == 200  # reads stay open


@pytest.mark.parametrize(
    ("headers", "status"),
    [
        ({"origin": "https://evil.example"}, 403),
        ({"sec-fetch-site": "cross-site"}, 403),
        ({"host": "rebound.evil.example"}, 400),  # an untrusted Host: refused before any route
    ],
)
def test_ingest_refuses_cross_site_and_rebound_writes(
    fresh: SqliteStore, headers: dict[str, str], status: int
) -> None:
    client = _app(fresh)
    assert_error(client.post("/api/v1/ingest", content=AFP_SEED.read_bytes(), headers=headers), status)
    same_site = {"origin": "http://127.0.0.1", "sec-fetch-site": "same-origin"}
    assert client.post("/api/v1/ingest", content=AFP_SEED.read_bytes(), headers=same_site).status_code == 200


def test_ingest_on_a_read_only_store(seeded: SqliteStore) -> None:
    store = SqliteStore(seeded.path, readonly=True)
    try:
        response = _app(store).post("/api/v1/ingest", content=b"Berlin (dpa) - " + b"text " * 20)
        assert_error(response, 405)
    finally:
        store.close()


# -- storyline serve --------------------------------------------------------------------------------


def test_serve_prints_the_url_and_runs_uvicorn(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import click
    import uvicorn
    from click.testing import CliRunner

    from storyline.cli import cli
    from storyline.cli.web import COMMANDS

    calls: list[dict[str, Any]] = []
    monkeypatch.setattr(uvicorn, "run", lambda app, **kw: calls.append({"app": app, **kw}))
    monkeypatch.delenv("STORYLINE_TOKEN", raising=False)
    group = click.Group(commands=cli.commands, params=cli.params, callback=cli.callback)
    for command in COMMANDS:
        group.add_command(command)
    db = str(tmp_path / "serve.db")
    assert CliRunner().invoke(group, ["--db", db, "serve"]).exit_code == 2  # no store: serve creates none
    SqliteStore(db).close()
    result = CliRunner().invoke(group, ["--db", db, "serve", "--port", "8999"])
    assert result.exit_code == 0, result.output
    assert "http://127.0.0.1:8999/" in result.output
    assert calls and calls[0]["host"] == "127.0.0.1" and calls[0]["port"] == 8999
    assert calls[0]["app"].state.web.guard.loopback is True
    wide = CliRunner().invoke(group, ["--db", db, "serve", "--host", "0.0.0.0"])
    assert wide.exit_code == 2 and "without STORYLINE_TOKEN" in wide.output and len(calls) == 1
    monkeypatch.setenv("STORYLINE_TOKEN", "s3cret")
    wide = CliRunner().invoke(group, ["--db", db, "serve", "--host", "0.0.0.0"])
    assert wide.exit_code == 0 and calls[1]["app"].state.web.guard.loopback is False


def test_the_stories_listing_is_cached_until_the_store_changes(tmp_path: Path) -> None:
    """A repeated listing is served from the cache, and a commit (here from another connection, as
    `storyline ingest` beside the server makes) is seen by the next request."""

    writer = SqliteStore(tmp_path / "cache.db")
    moment = datetime(2021, 2, 17, tzinfo=UTC)
    writer.write_batch(Batch(stories=(Story("s-one", "One", 3, (), ("en",), (), moment, moment),)))
    server = SqliteStore(tmp_path / "cache.db")
    settings = Settings(db=str(server.path), workers=1, trusted_hosts="testserver")
    client = TestClient(create_app(server, settings))
    first = client.get("/api/v1/stories")
    assert [s["id"] for s in first.json()] == ["s-one"]
    assert client.get("/api/v1/stories").content == first.content
    assert len(client.app.state.web.listings._items) == 1  # type: ignore[attr-defined]
    writer.write_batch(Batch(stories=(Story("s-two", "Two", 5, (), ("en",), (), moment, moment),)))
    assert [s["id"] for s in client.get("/api/v1/stories").json()] == ["s-two", "s-one"]
    assert [s["id"] for s in client.get("/api/v1/stories?limit=1").json()] == ["s-two"]
    writer.close()
    server.close()
