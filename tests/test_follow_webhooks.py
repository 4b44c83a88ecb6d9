"""Webhooks from the follow loop: one try per alert and pass, a per-endpoint circuit breaker, and
``storyline alerts`` that lists without sending anything unless ``--deliver``."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from storyline.cli import cli
from storyline.follow.webhooks import CircuitBreaker, WebhookWorker
from storyline.model import Alert, Watchlist
from storyline.settings import Settings
from storyline.store import MemoryStore, SqliteStore

LOOPBACK = Settings(allow_private_networks="127.0.0.0/8")


class Receiver:
    """A webhook receiver on 127.0.0.1 answering ``status[0]``; it logs the alert id of every POST."""

    def __init__(self) -> None:
        self.status = [500]
        self.got: list[str] = []
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                self.rfile.read(int(self.headers.get("Content-Length", "0")))
                receiver.got.append(self.headers.get("X-Storyline-Delivery", ""))
                self.send_response(receiver.status[0])
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, format: str, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/hook"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    made = Receiver()
    yield made
    made.close()


def seed(store: MemoryStore | SqliteStore, url: str, n: int = 3) -> list[str]:
    store.add_watchlist(Watchlist("w1", "floods", (), ("flood",), "", 0.5, url, None, None))
    alerts = [Alert(f"al{i}", "w1", f"art{i}", None, 1.0, ("keyword",), f"Flood {i}") for i in range(n)]
    return [a.id for a in store.add_alerts(alerts)]


class Tick:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def test_breaker_opens_after_failures_then_half_opens_with_one_probe(receiver: Receiver) -> None:
    store, tick = MemoryStore(), Tick()
    ids = seed(store, receiver.url, n=4)
    breaker = CircuitBreaker(threshold=2, cooldown_s=60, clock=tick)
    worker = WebhookWorker(store, settings=LOOPBACK, breaker=breaker, timeout_s=5)

    first = worker.deliver_once()
    assert (first.attempts, first.delivered) == (2, 0)  # two failures open it: the other two wait
    assert receiver.got == ids[:2]
    assert worker.breaker.state(receiver.url) == "open"

    tick.now = 59
    assert worker.deliver_once().attempts == 0  # open: skipped, nothing sent
    assert len(receiver.got) == 2

    tick.now = 61
    assert worker.breaker.state(receiver.url) == "half_open"
    probe = worker.deliver_once()
    assert probe.attempts == 1 and len(receiver.got) == 3  # one probe only
    assert worker.breaker.state(receiver.url) == "open"  # it failed: open for another cool-down

    receiver.status[0] = 204
    tick.now = 122
    healed = worker.deliver_once()  # the half-open probe succeeds: closed
    assert healed.delivered == 1 and worker.breaker.state(receiver.url) == "closed"
    assert worker.deliver_once().delivered == 3  # the next pass sends the rest
    assert store.undelivered_alerts() == []
    assert worker.deliver_once().attempts == 0  # delivered alerts are never sent again


def test_the_worker_thread_delivers_in_the_background_and_stops(receiver: Receiver) -> None:
    receiver.status[0] = 200
    store = MemoryStore()
    seed(store, receiver.url, n=2)
    worker = WebhookWorker(store, settings=LOOPBACK, interval_s=0.05)
    worker.start()
    try:
        for _ in range(200):
            if not store.undelivered_alerts():
                break
            threading.Event().wait(0.02)
    finally:
        worker.stop()
    assert store.undelivered_alerts() == [] and sorted(receiver.got) == ["al0", "al1"]


def test_listing_alerts_sends_nothing_and_deliver_sends(tmp_path: Path, receiver: Receiver) -> None:
    receiver.status[0] = 200
    db = tmp_path / "a.db"
    with SqliteStore(db) as store:
        seed(store, receiver.url, n=1)
    runner = CliRunner()
    allow = ["--set", "allow_private_networks", "127.0.0.0/8"]
    listed = runner.invoke(
        cli, ["--db", str(db), *allow, "alerts", "--json", "--no-refresh"], catch_exceptions=False
    )
    assert listed.exit_code == 0, listed.output
    assert receiver.got == []
    sent = runner.invoke(
        cli,
        ["--db", str(db), *allow, "alerts", "--json", "--no-refresh", "--deliver"],
        catch_exceptions=False,
    )
    assert sent.exit_code == 0, sent.output
    assert receiver.got == ["al0"]
