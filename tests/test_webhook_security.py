"""Webhooks that cannot be abused: guarded addresses, bounded tries, secret URLs and keys, signatures.

Receivers are real HTTP servers on 127.0.0.1; deliveries reach them only through
``allow_private_networks`` (``LOOPBACK``), which is itself what the first test checks.
"""

from __future__ import annotations

import json
import logging
import os
import stat
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any, ClassVar

import pytest
from click.testing import CliRunner
from fastapi.testclient import TestClient

from storyline.alerts.webhook import deliver_pending, sign, verify_signature
from storyline.cli import cli
from storyline.model import Alert, Watchlist, alert_id, watchlist_id
from storyline.settings import Settings
from storyline.store import MemoryStore, SqliteStore
from storyline.web import create_app

LOOPBACK = Settings(allow_private_networks="127.0.0.1/32")
BIG = 50 * 1024 * 1024
HIDDEN = "T0AAAAAAA/B0BBBBBBB/XXXXsecretXXXXpathXXXX"


@dataclass
class Receiver:
    """A webhook receiver: ``mode`` is ``ok``, ``fail``, ``big`` (a 50 MB answer) or ``drip``."""

    url: str
    mode: list[str]
    seen: list[tuple[dict[str, str], bytes]] = field(default_factory=list)
    sent: list[int] = field(default_factory=list)  # bytes of answer body written, per request
    done: threading.Event = field(default_factory=threading.Event)


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    receiver: ClassVar[Receiver]

    def do_POST(self) -> None:
        r = self.receiver
        r.seen.append((dict(self.headers), self.rfile.read(int(self.headers["Content-Length"]))))
        try:
            if r.mode[0] == "drip":
                for byte in b"HTTP/1.1 200 OK\r\nX-Slow: yyyyyyyyyyyyyyyyyyyy\r\n\r\n":
                    self.wfile.write(bytes([byte]))
                    self.wfile.flush()
                    time.sleep(0.5)
                return
            body_size = BIG if r.mode[0] == "big" else 0
            self.send_response(500 if r.mode[0] == "fail" else 200)
            self.send_header("Content-Length", str(body_size))
            self.end_headers()
            sent, chunk = 0, b"x" * (1024 * 1024)
            while sent < body_size:
                self.wfile.write(chunk)
                sent += len(chunk)
            r.sent.append(sent)
        except OSError:
            r.sent.append(sent if r.mode[0] == "big" else 0)
        finally:
            r.done.set()

    def log_message(self, *args: Any) -> None:
        return


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    rec = Receiver(f"http://127.0.0.1:{server.server_address[1]}/services/{HIDDEN}?token=k3y", ["ok"])
    server.RequestHandlerClass = type("Handler", (_Handler,), {"receiver": rec})
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield rec
    server.shutdown()
    server.server_close()


def seed(store: MemoryStore | SqliteStore, url: str, secret: str | None = None, name: str = "hook") -> str:
    w = Watchlist(watchlist_id(name), name, keywords=("flood",), webhook_url=url, webhook_secret=secret)
    store.add_watchlist(w)
    store.add_alerts([Alert(alert_id(w.id, "a1"), w.id, "a1", None, 1.0, ("keyword",), "Flood")])
    return w.id


def no_sleep(_: float) -> None:
    return


def test_a_webhook_to_loopback_is_refused_unless_allowed(receiver: Receiver) -> None:
    store = MemoryStore()
    seed(store, receiver.url)
    stats = deliver_pending(store, max_attempts=3, sleep=no_sleep)
    assert (stats.delivered, stats.failed, stats.attempts) == (0, 1, 1)  # refused: not retried now
    [delivery] = store.list_deliveries()
    assert delivery.error.startswith("blocked_address") and "127.0.0.1" in delivery.error
    assert receiver.seen == [] and store.undelivered_alerts()  # nothing sent, nothing lost
    assert deliver_pending(store, settings=LOOPBACK, sleep=no_sleep).delivered == 1
    assert len(receiver.seen) == 1


def test_a_50_mb_answer_is_not_read(receiver: Receiver) -> None:
    receiver.mode[0] = "big"
    store = MemoryStore()
    seed(store, receiver.url)
    started = time.monotonic()
    stats = deliver_pending(store, settings=LOOPBACK, sleep=no_sleep)
    assert stats.delivered == 1 and time.monotonic() - started < 5
    assert receiver.done.wait(10)
    [sent] = receiver.sent
    assert sent < BIG // 4, sent  # the receiver could not push it: we hung up after the status line


def test_a_dripping_receiver_is_cut_at_the_deadline(receiver: Receiver) -> None:
    receiver.mode[0] = "drip"
    store = MemoryStore()
    seed(store, receiver.url)
    started = time.monotonic()
    stats = deliver_pending(store, settings=LOOPBACK, max_attempts=1, timeout=1.5, sleep=no_sleep)
    elapsed = time.monotonic() - started
    assert stats.failed == 1 and "Timeout" in store.list_deliveries()[0].error
    assert 1.4 <= elapsed < 2.5, elapsed


def invoke(db: Path, *args: str, input: str | None = None, env: dict[str, str] | None = None) -> Any:
    return CliRunner().invoke(cli, ["-q", "--db", str(db), *args], input=input, env=env)


def test_the_webhook_url_is_never_shown_or_logged(
    tmp_path: Path, receiver: Receiver, caplog: pytest.LogCaptureFixture
) -> None:
    db = tmp_path / "w.db"
    added = invoke(db, "watch", "add", "hook", "--keyword", "flood", "--webhook", receiver.url, "--json")
    assert added.exit_code == 0, added.output
    port = receiver.url.split(":")[2].split("/")[0]
    assert json.loads(added.stdout)["webhook_url"] == f"http://127.0.0.1:{port}/…"
    listed = invoke(db, "watch", "list", "--json")
    table = invoke(db, "watch", "list")
    assert json.loads(listed.stdout)[0]["webhook_url"] == f"http://127.0.0.1:{port}/…"
    store = SqliteStore(db)
    client = TestClient(create_app(store, Settings()), base_url="http://127.0.0.1")
    api = [
        client.get("/api/v1/watchlists").text,
        client.get(f"/api/v1/watchlists/{watchlist_id('hook')}").text,
    ]
    assert f"127.0.0.1:{port}" in api[0]
    receiver.mode[0] = "fail"
    store.add_alerts(
        [Alert(alert_id(watchlist_id("hook"), "a1"), watchlist_id("hook"), "a1", None, 1.0, (), "x")]
    )
    caplog.set_level(logging.DEBUG)
    deliver_pending(store, settings=LOOPBACK, max_attempts=2, sleep=no_sleep)  # HTTP 500 twice
    deliver_pending(store, max_attempts=1, sleep=no_sleep)  # refused address
    logged = "\n".join(r.getMessage() for r in caplog.records)
    assert "HTTP 500" in logged and "blocked_address" in logged
    stored = [d.error for d in store.list_deliveries()]
    store.close()
    for text in [added.output, listed.output, table.output, *api, logged, *stored]:
        assert HIDDEN not in text and "k3y" not in text


def test_signature_round_trip_tamper_and_replay(receiver: Receiver, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HOOK_KEY", "whsec-round-trip")
    store = MemoryStore()
    seed(store, receiver.url, secret="env:HOOK_KEY")
    assert deliver_pending(store, settings=LOOPBACK, sleep=no_sleep).delivered == 1
    [(headers, body)] = receiver.seen
    header, t = headers["X-Storyline-Signature"], int(headers["X-Storyline-Timestamp"])
    assert header.startswith(f"t={t},v1=") and abs(time.time() - t) < 60
    assert verify_signature("whsec-round-trip", header, body)
    assert not verify_signature("whsec-round-trip", header, body.replace(b"Flood", b"Fl00d"))  # tampered
    assert not verify_signature("another-key", header, body)
    assert not verify_signature("whsec-round-trip", header, body, now=t + 301)  # replayed later
    assert verify_signature("whsec-round-trip", header, body, now=t + 299)
    old = sign("whsec-round-trip", body, t - 3600)
    assert not verify_signature("whsec-round-trip", old, body)  # a valid but old signature
    assert not verify_signature("whsec-round-trip", header.replace(f"t={t}", f"t={t + 1}"), body)
    rotated = f"t={t},v1={'0' * 64},{header.split(',')[1]}"
    assert verify_signature("whsec-round-trip", rotated, body)  # any v1 may fit (key rotation)
    for garbage in ["", "sha256=abc", f"t={t}", "v1=abc", "t=x,v1=y"]:
        assert not verify_signature("whsec-round-trip", garbage, body)


def test_an_unreadable_secret_sends_nothing(receiver: Receiver, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("HOOK_KEY_MISSING", raising=False)
    store = MemoryStore()
    seed(store, receiver.url, secret="env:HOOK_KEY_MISSING")
    stats = deliver_pending(store, settings=LOOPBACK, max_attempts=3, sleep=no_sleep)
    assert (stats.failed, stats.attempts) == (1, 1) and receiver.seen == []  # never sent unsigned
    assert "HOOK_KEY_MISSING" in store.list_deliveries()[0].error


def _db_bytes(db: Path) -> bytes:
    return b"".join(p.read_bytes() for p in db.parent.glob(db.name + "*") if p.is_file())


@pytest.mark.parametrize("how", ["env", "file", "prompt", "argv"])
def test_watch_add_keeps_the_secret_out_of_the_store(tmp_path: Path, receiver: Receiver, how: str) -> None:
    db, key = tmp_path / "s.db", f"whsec-{how}-0123456789"
    keyfile = tmp_path / "hook.key"
    keyfile.write_text(key + "\n")
    options = {
        "env": (["--secret-env", "HOOK_KEY"], None),
        "file": (["--secret-file", str(keyfile)], None),
        "prompt": (["--secret-prompt"], f"{key}\n{key}\n"),
        "argv": (["--secret", key], None),
    }[how]
    args, typed = options
    result = invoke(
        db, "watch", "add", "hook", "--keyword", "flood", "--webhook", receiver.url, *args,
        input=typed, env={"HOOK_KEY": key},
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert (
        key not in result.stdout
        and json.loads(invoke(db, "watch", "list", "--json").stdout)[0]["webhook_signed"]
    )
    assert key.encode() not in _db_bytes(db)
    assert ("visible to other users" in result.stderr) == (how == "argv")
    if how in ("prompt", "argv"):
        folder = db.parent / (db.name + ".secrets")
        assert stat.S_IMODE(folder.stat().st_mode) == 0o700
        [written] = folder.iterdir()
        assert stat.S_IMODE(written.stat().st_mode) == 0o600 and written.read_text() == key
    store = SqliteStore(db)
    wid = watchlist_id("hook")
    store.add_alerts([Alert(alert_id(wid, "a1"), wid, "a1", None, 1.0, ("keyword",), "Flood")])
    os.environ["HOOK_KEY"] = key
    try:
        assert deliver_pending(store, settings=LOOPBACK, sleep=no_sleep).delivered == 1
    finally:
        del os.environ["HOOK_KEY"]
        store.close()
    [(headers, body)] = receiver.seen
    assert verify_signature(key, headers["X-Storyline-Signature"], body)


def test_watch_add_refuses_mixed_or_useless_secrets(tmp_path: Path, receiver: Receiver) -> None:
    db = tmp_path / "m.db"
    keyfile = tmp_path / "k"
    keyfile.write_text("abc")
    both = invoke(
        db, "watch", "add", "a", "--keyword", "x", "--webhook", receiver.url,
        "--secret-env", "K", "--secret-file", str(keyfile),
    )  # fmt: skip
    assert both.exit_code == 2 and "one of" in both.output
    alone = invoke(db, "watch", "add", "b", "--keyword", "x", "--secret-env", "K")
    assert alone.exit_code == 2 and "--webhook" in alone.output
    keyfile.write_text("")
    empty = invoke(
        db, "watch", "add", "c", "--keyword", "x", "--webhook", receiver.url, "--secret-file", str(keyfile)
    )
    assert empty.exit_code == 2 and "empty" in empty.output


@pytest.mark.parametrize("url", ["http://[not-an-address/hook", "http://xn--/hook", "http://a\x00b/hook"])
def test_a_malformed_webhook_url_is_a_recorded_failure(url: str) -> None:
    store = MemoryStore()
    seed(store, url)
    stats = deliver_pending(store, max_attempts=1, sleep=no_sleep)  # no crash: a failed try, logged
    assert stats.failed == 1 and store.list_deliveries()[0].error
