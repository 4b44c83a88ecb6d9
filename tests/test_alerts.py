"""Watchlists and alerts end to end: a stream, two watchlists, exactly the expected alerts; the Atom
feed reads back with feedparser; a webhook that fails twice then succeeds is delivered exactly once."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any, ClassVar

import feedparser
import pytest
from click.testing import CliRunner
from fastapi.testclient import TestClient

from storyline.alerts import on_batch, refresh, start_cursor
from storyline.alerts.engine import example_row
from storyline.alerts.feed import atom_feed
from storyline.alerts.match import Matcher
from storyline.alerts.webhook import deliver_pending, verify_signature
from storyline.cli import cli
from storyline.embed.use import UseEmbedder
from storyline.model import Alert, Article, Batch, Watchlist, alert_id, watchlist_id
from storyline.settings import Settings
from storyline.store import MemoryStore, SqliteStore
from storyline.web import create_app
from tests.conftest import AFP_SEED, DPA_SEED

FLOOD = (
    "Floods close schools in Queensland\n\nHeavy rain flooded roads across Queensland on Monday and "
    "closed more than 200 schools, the state premier said, as the Bureau of Meteorology warned of more "
    "storms near Brisbane. Emergency crews rescued dozens of drivers from cars trapped by rising water."
)
MATCH = (
    "Late goal lifts Bayern over Dortmund\n\nBayern Munich beat Borussia Dortmund 3-2 on Saturday with a "
    "goal in stoppage time, taking a four-point lead at the top of the Bundesliga table."
)


def invoke(db: Path, *args: str) -> str:
    result = CliRunner().invoke(cli, ["-q", "--db", str(db), *args])
    assert result.exit_code == 0, result.output
    return result.output


@pytest.fixture(scope="module")
def embedder() -> UseEmbedder:
    return UseEmbedder()


@pytest.fixture
def stream(tmp_path: Path) -> list[Path]:
    flood = tmp_path / "flood.txt"
    flood.write_text(FLOOD, encoding="utf-8")
    copy = tmp_path / "flood-copy.txt"
    copy.write_text(FLOOD + " (AAP)", encoding="utf-8")  # a near-copy: no alert of its own
    match = tmp_path / "match.txt"
    match.write_text(MATCH, encoding="utf-8")
    return [DPA_SEED, flood, match, AFP_SEED, copy]


def test_a_stream_with_two_watchlists_raises_exactly_the_expected_alerts(
    tmp_path: Path, stream: list[Path]
) -> None:
    db = tmp_path / "alerts.db"
    invoke(db, "watch", "add", "nato", "--entity", "Stoltenberg", "--keyword", "Afghanistan")
    invoke(
        db, "watch", "add", "floods", "--example", "Storms and flooding close schools and roads in Australia"
    )
    for path in stream:  # one article at a time, as a feed delivers them
        invoke(db, "ingest", str(path))
    with SqliteStore(db) as store:
        assert len(store.list_alerts()) == 3  # raised by ingest itself (the pipeline's after-commit hook)
    rows = json.loads(invoke(db, "alerts", "--json"))
    with SqliteStore(db) as store:
        ids = {a.origin.rsplit("/", 1)[-1]: a.id for a in store.list_articles()}
        assert store.get_article(ids["flood-copy.txt"]).duplicate_of == ids["flood.txt"]  # type: ignore[union-attr]
        names = {i: n for n, i in ids.items()}
        got = sorted((r["watchlist"], names[r["article_id"]]) for r in rows)
        assert got == [
            ("floods", "flood.txt"),
            ("nato", AFP_SEED.name),
            ("nato", DPA_SEED.name),
        ]
        assert all(r["reasons"] == ["entity", "keyword"] for r in rows if r["watchlist"] == "nato")
        # idempotent: checking again, re-ingesting, and the pipeline hook over the same ids add nothing
        assert json.loads(invoke(db, "alerts", "--json")) == rows
        invoke(db, "ingest", *map(str, stream))
        assert on_batch(store, list(ids.values())) == []
        assert refresh(store) == []
        assert len(store.list_alerts()) == 3
    assert len(json.loads(invoke(db, "alerts", "--json", "--watchlist", "floods"))) == 1


def test_a_watchlist_added_later_is_not_alerted_of_older_articles(tmp_path: Path) -> None:
    db = tmp_path / "late.db"
    invoke(db, "ingest", str(DPA_SEED))
    invoke(db, "watch", "add", "nato", "--keyword", "NATO")
    assert json.loads(invoke(db, "alerts", "--json")) == []
    invoke(db, "ingest", str(AFP_SEED))
    assert [r["title"][:4] for r in json.loads(invoke(db, "alerts", "--json"))] == ["NATO"]
    assert "nato" in invoke(db, "watch", "list")
    invoke(db, "watch", "rm", "nato")
    assert json.loads(invoke(db, "watch", "list", "--json")) == []


@pytest.mark.parametrize(
    ("args", "message"),
    [
        ((), "give at least one --entity, --keyword"),
        (("--keyword", "!!!"), "would match nothing"),
        (("--keyword", "x", "--webhook", "ftp://example.com/h"), "expected an http(s) URL"),
    ],
)
def test_watch_add_refuses_what_the_web_form_refuses(
    tmp_path: Path, args: tuple[str, ...], message: str
) -> None:
    """The CLI and the web forms share ``alerts.WatchlistInput``'s rules (usage errors here)."""
    db = tmp_path / "rules.db"
    result = CliRunner().invoke(cli, ["-q", "--db", str(db), "watch", "add", "w", *args])
    assert result.exit_code == 2 and message in result.output
    store = SqliteStore(db)
    try:
        assert store.list_watchlists() == []
    finally:
        store.close()


def _alert(w: Watchlist, article: str, title: str) -> Alert:
    return Alert(
        alert_id(w.id, article),
        w.id,
        article,
        "s1",
        1.0,
        ("keyword",),
        title,
        datetime(2021, 2, 17, tzinfo=UTC),
    )


def test_the_atom_feed_is_escaped_and_reads_back(tmp_path: Path) -> None:
    store = SqliteStore(tmp_path / "feed.db")
    w = Watchlist(watchlist_id("storms & <floods>"), "storms & <floods>", keywords=("flood",))
    store.add_watchlist(w)
    titles = ['Floods & "storms" <close> schools', "Second ]]> alert"]
    store.add_alerts([_alert(w, f"a{i}", t) for i, t in enumerate(titles)])
    feed = feedparser.parse(atom_feed(w, store.list_alerts(watchlist_id=w.id), base_url="http://x/"))
    assert not feed.bozo, feed.get("bozo_exception")
    assert feed.feed.title == "Storyline watchlist: storms & <floods>"
    assert sorted(e.title for e in feed.entries) == sorted(titles)
    assert {e.link for e in feed.entries} == {"http://x/articles/a0", "http://x/articles/a1"}
    client = TestClient(create_app(store, Settings(trusted_hosts="testserver")))
    for url in (f"/watchlists/{w.id}/feed.atom", f"/feeds/watchlists/{w.id}.atom"):
        response = client.get(url)
        assert response.status_code == 200 and response.headers["content-type"].startswith(
            "application/atom+xml"
        )
        served = feedparser.parse(response.content)
        assert not served.bozo and len(served.entries) == 2
    assert client.get("/watchlists/nope/feed.atom").status_code == 404
    assert client.get("/api/v1/alerts").json()[0]["watchlist"] == "storms & <floods>"
    assert "webhook_secret" not in client.get(f"/api/v1/watchlists/{w.id}").json()
    store.close()


class _Receiver(BaseHTTPRequestHandler):
    """Fails the first ``fail`` requests with 500, then accepts; keeps every request."""

    fail: ClassVar[int] = 2
    seen: ClassVar[list[tuple[dict[str, str], bytes, int]]] = []

    def do_POST(self) -> None:
        body = self.rfile.read(int(self.headers["Content-Length"]))
        status = 500 if len(self.seen) < self.fail else 200
        self.seen.append((dict(self.headers), body, status))
        self.send_response(status)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, *args: Any) -> None:
        return


LOOPBACK = Settings(allow_private_networks="127.0.0.1/32")  # outbound requests refuse loopback otherwise


@pytest.fixture
def receiver() -> Iterator[tuple[str, type[_Receiver]]]:
    handler = type("Receiver", (_Receiver,), {"seen": [], "fail": 2})
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/hook", handler
    server.shutdown()
    server.server_close()


def test_a_webhook_that_fails_twice_then_succeeds_is_delivered_exactly_once(
    tmp_path: Path, receiver: tuple[str, type[_Receiver]]
) -> None:
    url, handler = receiver
    store = SqliteStore(tmp_path / "hook.db")
    w = Watchlist(watchlist_id("hook"), "hook", keywords=("x",), webhook_url=url, webhook_secret="s3cret")
    store.add_watchlist(w)
    store.add_alerts([_alert(w, "a1", "One")])
    sleeps: list[float] = []
    stats = deliver_pending(store, settings=LOOPBACK, backoff=0.25, sleep=sleeps.append)
    assert (stats.delivered, stats.failed, stats.attempts) == (1, 0, 3)
    assert sleeps == [0.25, 0.5]  # backoff doubles
    assert [s for _, _, s in handler.seen] == [500, 500, 200]
    headers, body, _ = handler.seen[-1]
    assert verify_signature("s3cret", headers["X-Storyline-Signature"], body)
    assert {h["X-Storyline-Delivery"] for h, _, _ in handler.seen} == {alert_id(w.id, "a1")}
    assert json.loads(body)["article_id"] == "a1"
    assert [(d.attempt, d.ok, d.status) for d in store.list_deliveries()] == [
        (1, False, 500),
        (2, False, 500),
        (3, True, 200),
    ]
    again = deliver_pending(store, settings=LOOPBACK, sleep=sleeps.append)
    assert again.attempts == 0  # delivered: never sent again
    assert len(handler.seen) == 3
    store.close()


def test_failed_deliveries_are_recorded_and_retried_later(
    tmp_path: Path, receiver: tuple[str, type[_Receiver]]
) -> None:
    url, handler = receiver
    handler.fail = 3
    store = MemoryStore()
    w = Watchlist(watchlist_id("hook"), "hook", keywords=("x",), webhook_url=url)
    store.add_watchlist(w)
    store.add_alerts([_alert(w, "a1", "One")])
    first = deliver_pending(store, settings=LOOPBACK, max_attempts=2, sleep=lambda _: None)
    assert (first.delivered, first.failed) == (0, 1)
    assert [d.error for d in store.list_deliveries()] == ["HTTP 500", "HTTP 500"]
    assert store.undelivered_alerts()  # not lost
    second = deliver_pending(store, settings=LOOPBACK, max_attempts=2, sleep=lambda _: None)
    assert (second.delivered, second.failed) == (1, 0)
    assert [d.attempt for d in store.list_deliveries()] == [1, 2, 3, 4]
    assert not store.undelivered_alerts()
    unreachable = Watchlist(watchlist_id("down"), "down", keywords=("x",), webhook_url="http://127.0.0.1:9/")
    store.add_watchlist(unreachable)
    store.add_alerts([_alert(unreachable, "a2", "Two")])
    down = deliver_pending(store, settings=LOOPBACK, max_attempts=1, sleep=lambda _: None)
    assert down.failed == 1 and store.list_deliveries(alert_id(unreachable.id, "a2"))[0].error


def test_matcher_needs_every_kind_given(embedder: UseEmbedder) -> None:
    both = Watchlist("w1", "both", entities=("Jens Stoltenberg",), keywords=("defence budget",))
    meaning = Watchlist("w2", "meaning", example_vector=example_row(embedder, FLOOD), threshold=0.5)
    matcher = Matcher([both, meaning])
    row = embedder.embed([FLOOD])[0]
    assert [m.watchlist.id for m in matcher.match("", "Jens Stoltenberg spoke.", (), None)] == []
    found = matcher.match("", "The defence budget grows.", ("Jens Stoltenberg",), None)
    assert [(m.watchlist.id, m.reasons) for m in found] == [("w1", ("entity", "keyword"))]
    assert [m.watchlist.id for m in matcher.match("", FLOOD, (), row)] == ["w2"]
    assert [m.watchlist.id for m in matcher.match("", "JENS STOLTENBERG: the Défence Budget", (), None)] == [
        "w1"
    ]
    assert matcher.match("", "Stoltenberg: the defence budgets", (), None) == []  # whole phrases only


def test_on_batch_takes_a_batch_and_start_cursor_skips_the_backlog() -> None:
    store = MemoryStore()
    old = Article(id="old", text="Floods in Queensland close schools.")
    store.write_batch(Batch(articles=(old,)))
    store.add_watchlist(Watchlist("w", "w", keywords=("floods",)))
    start_cursor(store)
    assert refresh(store) == []
    new = Article(id="new", text="More floods in Queensland.")
    batch = Batch(articles=(new,))
    store.write_batch(batch)
    assert [a.article_id for a in on_batch(store, batch)] == ["new"]
    assert refresh(store) == []  # already alerted by the hook
