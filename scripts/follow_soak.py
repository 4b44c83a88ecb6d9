"""A long `storyline serve --follow` run against a local feed server whose feeds change.

Usage: python scripts/follow_soak.py [--minutes 30] [--every 20] [--db PATH] [--json]

The server (127.0.0.1 only) serves six RSS feeds built from real article texts in
``../shared/data/stories/ecbplus_dev.jsonl``; every ``--every`` seconds a new entry appears in
some feeds. It answers conditional GETs with 304, one feed fails with 500 every third poll, one
answers 429 with ``Retry-After`` every fourth poll, one is slow, and two feeds carry the same entry
(it must be stored once). At the end it prints: items served, articles stored, polls, 304s, errors,
and the server process's memory at start and end (VmRSS from /proc).
"""

from __future__ import annotations

import argparse
import email.utils
import hashlib
import json
import socket
import subprocess
import sys
import tempfile
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from xml.sax.saxutils import escape

ROOT = Path(__file__).resolve().parents[1]
TEXTS = ROOT.parent / "shared" / "data" / "stories" / "ecbplus_dev.jsonl"
FEEDS = ("world", "politics", "flaky", "busy", "slow", "mirror")


class Feeds:
    """The changing feed set and the log of what was asked."""

    def __init__(self, every_s: float) -> None:
        self.rows = [json.loads(line) for line in TEXTS.open(encoding="utf-8")]
        self.every_s = every_s
        self.start = time.monotonic()
        self.lock = threading.Lock()
        self.log: list[tuple[float, str, int]] = []
        self.polls: dict[str, int] = dict.fromkeys(FEEDS, 0)
        self.served: set[str] = set()  # every entry ever answered with

    def entries(self, feed: str) -> list[dict[str, str]]:
        """Entries so far: one more each tick, spread over the feeds; ``mirror`` repeats ``world``."""
        ticks = int((time.monotonic() - self.start) / self.every_s) + 1
        k = FEEDS.index("world" if feed == "mirror" else feed)
        picks = [i for i in range(ticks * 2) if i % len(FEEDS[:-1]) == k % len(FEEDS[:-1])]
        return [self.rows[i % len(self.rows)] | {"n": str(i)} for i in picks][-20:]

    def served_entries(self, feed: str) -> list[dict[str, str]]:
        rows = self.entries(feed)
        with self.lock:
            self.served.update(r["n"] for r in rows)
        return rows

    def body(self, feed: str) -> bytes:
        items = "".join(
            f"<item><title>{escape(r['title'])}</title><link>http://127.0.0.1/a/{r['n']}</link>"
            f"<guid>soak-{r['n']}</guid>"
            f"<pubDate>{email.utils.formatdate(1.6e9 + int(r['n']) * 3600)}</pubDate>"
            f"<description>{escape(r['text'])}</description></item>"
            for r in self.served_entries(feed)
        )
        head = f'<?xml version="1.0"?><rss version="2.0"><channel><title>{feed}</title>'
        return f"{head}{items}</channel></rss>".encode()


def handler(feeds: Feeds) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, format: str, *args: object) -> None:
            pass

        def do_GET(self) -> None:
            feed = self.path.strip("/").removesuffix(".xml")
            if feed not in FEEDS:
                return self._answer(404, b"")
            with feeds.lock:
                feeds.polls[feed] += 1
                n = feeds.polls[feed]
            if feed == "flaky" and n % 3 == 0:
                return self._answer(500, b"oops")
            if feed == "busy" and n % 4 == 0:
                return self._answer(429, b"slow down", {"Retry-After": "45"})
            if feed == "slow":
                time.sleep(2.0)
            body = feeds.body(feed)
            etag = '"' + hashlib.sha256(body).hexdigest()[:16] + '"'
            if self.headers.get("If-None-Match") == etag:
                return self._answer(304, b"", {"ETag": etag})
            return self._answer(200, body, {"ETag": etag, "Content-Type": "application/rss+xml"})

        def _answer(self, status: int, body: bytes, headers: dict[str, str] | None = None) -> None:
            with feeds.lock:
                feeds.log.append((time.monotonic(), self.path, status))
            self.send_response(status)
            for key, value in (headers or {}).items():
                self.send_header(key, value)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

    return Handler


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS"):
            return int(line.split()[1]) / 1024
    return 0.0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--minutes", type=float, default=30.0)
    parser.add_argument("--every", type=float, default=20.0, help="seconds between new entries")
    parser.add_argument("--db", type=Path, default=None)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    feeds = Feeds(args.every)
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler(feeds))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_address[1]}"
    db = args.db or Path(tempfile.mkdtemp()) / "soak.db"
    db.parent.mkdir(parents=True, exist_ok=True)
    cli = [
        sys.executable,
        "-m",
        "storyline",
        "-q",
        "--db",
        str(db),
        "--set",
        "allow_private_networks",
        "127.0.0.0/8",
    ]
    for feed in FEEDS:
        subprocess.run(
            [*cli, "sources", "add", f"{base}/{feed}.xml", "--every", "30s"], check=True, capture_output=True
        )
    port = _free_port()
    proc = subprocess.Popen(
        [*cli, "serve", "--follow", "--port", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=(db.parent / "serve.log").open("wb"),
    )
    time.sleep(5)
    rss_start = _rss_mb(proc.pid)
    samples = [rss_start]
    deadline = time.monotonic() + args.minutes * 60
    while time.monotonic() < deadline and proc.poll() is None:
        time.sleep(min(30.0, max(0.0, deadline - time.monotonic())))
        if proc.poll() is None:
            samples.append(_rss_mb(proc.pid))
    rss_end = _rss_mb(proc.pid) if proc.poll() is None else 0.0
    proc.terminate()
    code = proc.wait(timeout=120)
    server.shutdown()
    served = feeds.served
    listed = json.loads(
        subprocess.run([*cli, "sources", "list", "--json"], capture_output=True, check=True).stdout
    )
    stats = json.loads(subprocess.run([*cli, "stats", "--json"], capture_output=True, check=True).stdout)
    statuses = [status for _, _, status in feeds.log]
    report = {
        "minutes": args.minutes,
        "exit_code": code,
        "items_served": len(served),
        "articles_stored": stats.get("n_articles"),
        "rejections": stats.get("rejections_by_reason"),
        "polls": len(statuses),
        "status_200": statuses.count(200),
        "status_304": statuses.count(304),
        "errors_500": statuses.count(500),
        "answers_429": statuses.count(429),
        "rss_mb_start": round(rss_start, 1),
        "rss_mb_end": round(rss_end, 1),
        "rss_mb_max": round(max(samples), 1),
        "rss_mb_samples": [round(x) for x in samples],
        "sources": [
            {k: s.get(k) for k in ("url", "last_status", "consecutive_failures", "next_due_at")}
            for s in listed
        ],
    }
    print(json.dumps(report, indent=None if args.json else 2))
    return 0 if code == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
