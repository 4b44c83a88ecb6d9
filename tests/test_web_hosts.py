"""Who the server answers and who may write: trusted Host names on every request (DNS rebinding),
proxy headers making a request "not local", ``serve`` refusing a non-loopback address without a token,
and feed links from ``base_url``."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import feedparser
import pytest
from click.testing import CliRunner
from fastapi.testclient import TestClient

from storyline.errors import ConfigError
from storyline.model import Alert, Watchlist, alert_id, watchlist_id
from storyline.settings import Settings
from storyline.store import SqliteStore
from storyline.web import create_app
from storyline.web.hosts import HostPolicy, split_host
from tests.conftest import AFP_SEED

LOCAL = "http://127.0.0.1"
PLAIN = {"content-type": "text/plain"}
PROXY_MARKS = [
    {"x-forwarded-for": "203.0.113.9"},
    {"forwarded": "for=203.0.113.9;proto=https"},
    {"x-real-ip": "203.0.113.9"},
    {"x-forwarded-host": "news.example.com"},
    {"x-forwarded-proto": "https"},
    {"via": "1.1 nginx"},
]


@pytest.fixture
def store(tmp_path: Path) -> Iterator[SqliteStore]:
    opened = SqliteStore(tmp_path / "hosts.db")
    yield opened
    opened.close()


def _client(store: SqliteStore, base_url: str = LOCAL, **kw: Any) -> TestClient:
    settings = Settings(db=str(store.path), workers=1, understand=False, stories=False)
    settings = settings.replace(**kw.pop("settings", {}))
    return TestClient(create_app(store, settings, **kw), base_url=base_url)


# -- Host ------------------------------------------------------------------------------------------


@pytest.mark.parametrize("path", ["/api/v1/articles", "/api/v1/stats", "/", "/static/style.css"])
def test_a_rebound_host_reads_nothing(store: SqliteStore, path: str) -> None:
    client = _client(store)
    assert client.get(path).status_code == 200
    refused = client.get(path, headers={"host": "rebound.evil.example"})
    assert refused.status_code == 400
    body = refused.json()
    assert body["ok"] is False and body["status"] == 400 and "rebound.evil.example" in body["error"]
    assert refused.headers["x-content-type-options"] == "nosniff"  # the header middleware wraps it


@pytest.mark.parametrize(
    "host",
    ["localhost", "localhost:8765", "LOCALHOST:1", "127.0.0.1", "127.0.0.1:8765", "[::1]", "[::1]:8765"],
)
def test_the_loopback_names_are_trusted_with_any_port(store: SqliteStore, host: str) -> None:
    assert _client(store).get("/api/v1/stats", headers={"host": host}).status_code == 200


@pytest.mark.parametrize(
    "host",
    [
        "",
        "127.0.0.2",  # loopback, but not one of the names: rebinding can use any 127/8 address
        "127.0.0.1:0",
        "127.0.0.1:99999",
        "127.0.0.1:80x",
        "[::1",
        "[::1]x",
        "[::1]:",
        "evil@127.0.0.1",
        "127.0.0.1 .evil",
        "localhost.",
        "localhost.evil.example",
        "testserver",
    ],
)
def test_other_and_malformed_hosts_are_refused(store: SqliteStore, host: str) -> None:
    assert _client(store).get("/api/v1/stats", headers={"host": host}).status_code == 400


def test_trusted_hosts_setting() -> None:
    policy = HostPolicy.from_setting(" news.example.com, *.example.org ,api.example.net:8443,[2001:db8::1]")
    for host in ("news.example.com", "News.Example.com:443", "a.example.org", "b.c.example.org:80"):
        assert policy.allows(host), host
    for host in ("api.example.net:8443", "[2001:db8::1]:8765", "localhost:1"):
        assert policy.allows(host), host
    refused = ("example.org", "evil-news.example.com", "news.example.com.evil", "api.example.net")
    for host in (*refused, "api.example.net:80", "[2001:db8::2]", "xexample.org"):
        assert not policy.allows(host), host
    for bad in ("news example.com", "http://news.example.com", "host:port", "*.", "[nope]"):
        with pytest.raises(ConfigError):
            HostPolicy.from_setting(bad)


def test_split_host() -> None:
    assert split_host("Example.COM:8080") == ("example.com", 8080)
    assert split_host("[::1]:80") == ("::1", 80)
    assert split_host("[::1]") == ("::1", None)
    assert split_host("::1") is None  # IPv6 needs its brackets in a Host header
    assert split_host("a:b:c") is None


def test_a_trusted_name_is_answered(store: SqliteStore) -> None:
    client = _client(store, "http://news.example.com", settings={"trusted_hosts": "news.example.com"})
    assert client.get("/api/v1/stats").status_code == 200
    assert client.get("/api/v1/stats", headers={"host": "other.example.com"}).status_code == 400


# -- proxies ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("mark", PROXY_MARKS)
def test_a_proxied_request_cannot_ingest_without_the_token(store: SqliteStore, mark: dict[str, str]) -> None:
    """What nginx's default ``proxy_pass http://127.0.0.1:8765`` sends (a loopback Host) plus the header
    a proxy adds: not local, so no token-less write."""
    client = _client(store)
    refused = client.post(
        "/api/v1/ingest", content=AFP_SEED.read_bytes(), headers={**PLAIN, **mark, "host": "127.0.0.1:8765"}
    )
    assert refused.status_code == 403 and "proxy header" in refused.json()["error"]
    assert store.count_articles() == 0


def test_the_same_request_without_proxy_headers_is_local(store: SqliteStore) -> None:
    client = _client(store)
    response = client.post(
        "/api/v1/ingest", content=AFP_SEED.read_bytes(), headers={**PLAIN, "host": "127.0.0.1:8765"}
    )
    assert response.status_code == 200 and response.json()["stored"] == 1
    assert store.count_articles() == 1


def test_a_proxied_request_with_the_token_ingests(store: SqliteStore) -> None:
    client = _client(store, token="s3cret-token")
    headers = {**PLAIN, "x-forwarded-for": "203.0.113.9"}
    assert client.post("/api/v1/ingest", content=AFP_SEED.read_bytes(), headers=headers).status_code == 401
    headers["authorization"] = "Bearer s3cret-token"
    response = client.post("/api/v1/ingest", content=AFP_SEED.read_bytes(), headers=headers)
    assert response.status_code == 200 and response.json()["stored"] == 1


def test_a_trusted_but_not_loopback_host_is_not_local(store: SqliteStore) -> None:
    client = _client(store, "http://news.example.com", settings={"trusted_hosts": "news.example.com"})
    response = client.post("/api/v1/ingest", content=AFP_SEED.read_bytes(), headers=PLAIN)
    assert response.status_code == 403 and store.count_articles() == 0


# -- storyline serve -------------------------------------------------------------------------------


def _serve(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, *args: str) -> tuple[Any, list[dict[str, Any]]]:
    import uvicorn

    from storyline.cli import cli

    calls: list[dict[str, Any]] = []
    monkeypatch.setattr(uvicorn, "run", lambda app, **kw: calls.append({"app": app, **kw}))
    db = tmp_path / "serve.db"
    SqliteStore(db).close()
    return CliRunner().invoke(cli, ["--db", str(db), "serve", *args]), calls


@pytest.mark.parametrize("host", ["0.0.0.0", "::", "192.0.2.10"])
def test_serve_beyond_loopback_without_a_token_exits_2(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, host: str
) -> None:
    monkeypatch.delenv("STORYLINE_TOKEN", raising=False)
    result, calls = _serve(tmp_path, monkeypatch, "--host", host)
    assert result.exit_code == 2, result.output
    assert "STORYLINE_TOKEN" in result.output and calls == []


def test_serve_beyond_loopback_with_a_token_starts(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("STORYLINE_TOKEN", "s3cret-token")
    result, calls = _serve(tmp_path, monkeypatch, "--host", "0.0.0.0", "--port", "8999")
    assert result.exit_code == 0, result.output
    assert calls[0]["host"] == "0.0.0.0" and calls[0]["app"].state.web.guard.token == "s3cret-token"


def test_serve_on_loopback_needs_no_token(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("STORYLINE_TOKEN", raising=False)
    result, calls = _serve(tmp_path, monkeypatch, "--host", "::1")
    assert result.exit_code == 0, result.output
    assert calls[0]["app"].state.web.guard.loopback is True


# -- feed links ------------------------------------------------------------------------------------


def _feed_links(client: TestClient, w: Watchlist, **kw: Any) -> set[str]:
    response = client.get(f"/watchlists/{w.id}/feed.atom", **kw)
    assert response.status_code == 200
    feed = feedparser.parse(response.content)
    return {e.link for e in feed.entries} | {link.href for link in feed.feed.links}


def test_feed_links_use_base_url(store: SqliteStore) -> None:
    w = Watchlist(watchlist_id("floods"), "floods", keywords=("flood",))
    store.add_watchlist(w)
    at = datetime(2021, 2, 17, tzinfo=UTC)
    store.add_alerts([Alert(alert_id(w.id, "a1"), w.id, "a1", "s1", 1.0, ("keyword",), "Floods", at)])
    public = "https://news.example.com/storyline/"
    client = _client(store, settings={"base_url": public})
    expected = {f"{public}articles/a1", f"{public}watchlists/{w.id}/feed.atom"}
    assert _feed_links(client, w, headers={"host": "localhost:8765"}) == expected
    relative = _feed_links(_client(store), w, headers={"host": "localhost:8765"})
    assert relative == {
        "http://localhost:8765/articles/a1",
        f"http://localhost:8765/watchlists/{w.id}/feed.atom",
    }
