"""``storyline sources`` and ``storyline follow`` as commands: a real ``follow`` process stopped with
SIGTERM finishes its poll, saves its state and exits 0; started again it resumes from the store."""

from __future__ import annotations

import json
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from storyline.cli import cli
from storyline.store import SqliteStore
from tests.test_follow_loop import Reply, Site, rss

FLAGS = [
    "--set", "allow_private_networks", "127.0.0.0/8",
    "--set", "understand", "false",
    "--set", "stories", "false",
    "--set", "follow_host_delay_s", "0",
]  # fmt: skip


@pytest.fixture
def site() -> Iterator[Site]:
    made = Site()
    yield made
    made.close()


def invoke(db: Path, *args: str, code: int = 0) -> str:
    result = CliRunner().invoke(cli, ["--db", str(db), *FLAGS, *args], catch_exceptions=False)
    assert result.exit_code == code, result.output
    return result.output


def test_sources_commands_round_trip_with_json(tmp_path: Path) -> None:
    db = tmp_path / "s.db"
    made = json.loads(
        invoke(db, "sources", "add", "https://example.com/feed", "--name", "Ex", "--every", "2h", "--json")
    )
    assert (made["every_s"], made["paused"], made["last_poll_at"]) == (7200, False, None)
    invoke(db, "sources", "add", "https://example.com/other", "--fetch-links")
    listed = json.loads(invoke(db, "sources", "list", "--json"))
    assert [(s["url"], s["fetch_links"]) for s in listed] == [
        ("https://example.com/feed", False),
        ("https://example.com/other", True),
    ]
    assert json.loads(invoke(db, "sources", "pause", made["id"], "--json"))["paused"] is True
    assert (
        json.loads(invoke(db, "sources", "resume", "https://example.com/feed", "--json"))["paused"] is False
    )
    table = invoke(db, "sources", "list")
    assert "https://example.com/" in table and "2h" in table and "never" in table
    invoke(db, "sources", "rm", made["id"])
    assert [s["url"] for s in json.loads(invoke(db, "sources", "list", "--json"))] == [
        "https://example.com/other"
    ]
    invoke(db, "sources", "rm", "nope", code=1)
    invoke(db, "sources", "add", "ftp://example.com/x", code=2)
    invoke(db, "sources", "add", "https://example.com/x", "--every", "5s", code=2)
    invoke(db, "sources", "add", "https://example.com/x", "--every", "soon", code=2)


def test_follow_once_polls_what_is_due_and_prints_json(tmp_path: Path, site: Site) -> None:
    site.routes["/feed"] = lambda h: (
        200,
        {"Content-Type": "application/rss+xml", "ETag": '"e1"'},
        rss(site.base, [1, 2]),
    )
    db = tmp_path / "f.db"
    invoke(db, "sources", "add", f"{site.base}/feed", "--every", "1h")
    [report] = json.loads(invoke(db, "follow", "--once", "--json"))
    assert (report["status"], report["new_items"], report["error"]) == (200, 2, "")
    assert json.loads(invoke(db, "follow", "--once", "--json")) == []  # not due for an hour
    health = json.loads(invoke(db, "sources", "list", "--json"))[0]
    assert (health["last_status"], health["last_new_items"], health["healthy"]) == (200, 2, True)


def _run(db: Path, *args: str) -> subprocess.Popen[str]:
    command = [sys.executable, "-m", "storyline", "--db", str(db), *FLAGS, *args]
    return subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def test_sigterm_finishes_the_poll_saves_state_and_a_restart_resumes(tmp_path: Path, site: Site) -> None:
    def slow_feed(headers: dict[str, str]) -> Reply:
        if headers.get("if-none-match") == '"e1"':
            return 304, {"ETag": '"e1"'}, b""
        time.sleep(1.0)  # SIGTERM arrives while this answer is on its way
        return 200, {"Content-Type": "application/rss+xml", "ETag": '"e1"'}, rss(site.base, [1, 2, 3])

    site.routes["/feed"] = slow_feed
    db = tmp_path / "t.db"
    source_id = invoke(db, "sources", "add", f"{site.base}/feed", "--every", "10m").strip()
    follow = _run(db, "follow")
    deadline = time.monotonic() + 60
    while not site.hits("/feed"):
        assert follow.poll() is None, follow.communicate()
        assert time.monotonic() < deadline
        time.sleep(0.05)
    follow.send_signal(signal.SIGTERM)
    out, err = follow.communicate(timeout=60)
    assert follow.returncode == 0, err
    assert "polled 1" in out
    with SqliteStore(db, readonly=True) as store:
        saved = store.get_source(source_id)
        assert saved is not None
        assert (saved.last_status, saved.last_new_items, saved.etag) == (200, 3, '"e1"')
        assert store.count_articles() == 3

    again = _run(db, "follow", "--once", "--json")
    out, err = again.communicate(timeout=60)
    assert again.returncode == 0, err
    assert json.loads(out) == [] and len(site.hits("/feed")) == 1  # resumed: not due for ten minutes

    invoke(db, "sources", "resume", source_id)  # due now
    third = _run(db, "follow", "--once", "--json")
    out, err = third.communicate(timeout=60)
    assert third.returncode == 0, err
    assert [(r["status"], r["not_modified"]) for r in json.loads(out)] == [(304, True)]
    assert site.hits("/feed")[-1].headers["if-none-match"] == '"e1"'


def test_serve_follow_serves_the_page_while_it_polls_and_stops_cleanly(tmp_path: Path, site: Site) -> None:
    import socket
    import urllib.request

    site.routes["/feed"] = lambda h: (200, {"Content-Type": "application/rss+xml"}, rss(site.base, [7]))
    db = tmp_path / "w.db"
    invoke(db, "sources", "add", f"{site.base}/feed", "--name", "Wire <b>", "--every", "1h")
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = _run(db, "serve", "--follow", "--port", str(port))
    try:
        deadline, listed = time.monotonic() + 60, []
        while not (listed and listed[0]["last_poll_at"]):
            assert server.poll() is None, server.communicate()
            assert time.monotonic() < deadline
            time.sleep(0.2)
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/api/v1/sources", timeout=5) as answer:
                    listed = json.loads(answer.read())
            except OSError:
                continue
        assert (listed[0]["last_status"], listed[0]["last_new_items"]) == (200, 1)
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/sources", timeout=5) as answer:
            html = answer.read().decode()
        assert "Wire &lt;b&gt;" in html
    finally:
        server.send_signal(signal.SIGTERM)
        _out, err = server.communicate(timeout=60)
    assert server.returncode == 0, err
