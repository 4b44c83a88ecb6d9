"""The follow loop against a real HTTP server on 127.0.0.1 that changes between polls.

Time that matters (due times, backoff) runs on a fake clock; politeness gaps are real and short.
The server's request log (monotonic time, path, headers) is what the assertions read.
"""

from __future__ import annotations

import dataclasses
import itertools
import random
import threading
import time
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest

from storyline.follow.loop import FollowLoop
from storyline.follow.schedule import Backoff
from storyline.model import Source
from storyline.settings import Settings
from storyline.store import MemoryStore

T0 = datetime(2024, 3, 1, 12, 0, tzinfo=UTC)
FAST = Settings(
    allow_private_networks="127.0.0.0/8",
    understand=False,
    stories=False,
    fetch_timeout_s=2.0,
    follow_host_delay_s=0.0,
    workers=1,
)

Reply = tuple[int, dict[str, str], bytes]


@dataclasses.dataclass
class Hit:
    at: float
    path: str
    headers: dict[str, str]


class Site:
    """A threaded HTTP server whose answers (``routes``: path -> function of the request headers)
    tests change between polls; every request is logged with its time and headers."""

    def __init__(self) -> None:
        self.routes: dict[str, Callable[[dict[str, str]], Reply]] = {}
        self.log: list[Hit] = []
        self.in_flight = 0
        self.max_in_flight = 0
        self._lock = threading.Lock()
        site = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                headers = {k.lower(): v for k, v in self.headers.items()}
                with site._lock:
                    site.log.append(Hit(time.monotonic(), self.path, headers))
                    site.in_flight += 1
                    site.max_in_flight = max(site.max_in_flight, site.in_flight)
                try:
                    route = site.routes.get(self.path)
                    status, extra, body = route(headers) if route else (404, {}, b"not here")
                    self.send_response(status)
                    for name, value in extra.items():
                        self.send_header(name, value)
                    self.send_header("Content-Length", str(len(body)))
                    self.end_headers()
                    self.wfile.write(body)
                except (BrokenPipeError, ConnectionResetError):
                    pass
                finally:
                    with site._lock:
                        site.in_flight -= 1

            def log_message(self, format: str, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.base = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def hits(self, path: str) -> list[Hit]:
        with self._lock:
            return [h for h in self.log if h.path == path]

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def site() -> Iterator[Site]:
    made = Site()
    yield made
    made.close()


def rss(base: str, entries: list[int], *, title: str = "Wire", link_prefix: str = "/a/") -> bytes:
    items = "".join(
        f"<item><title>Story number {n}</title><link>{base}{link_prefix}{n}</link><guid>{base}/g/{n}</guid>"
        f"<pubDate>{format_datetime(T0 + timedelta(hours=n))}</pubDate>"
        f"<description><![CDATA[<p>Report {n}: officials said on Friday that talks about item {n} will "
        f"resume next week, after the flooding in the northern region.</p><p>The talks, the {n}th round "
        f"this year, had stalled in January when the delegations could not agree on a venue.</p>]]>"
        f"</description></item>"
        for n in entries
    )
    return (
        f'<?xml version="1.0"?><rss version="2.0"><channel><title>{title}</title><link>{base}/</link>'
        f"<description>x</description>{items}</channel></rss>"
    ).encode()


def feed_route(body: Callable[[], bytes], etag: Callable[[], str]) -> Callable[[dict[str, str]], Reply]:
    """A feed that answers 304 when the request's If-None-Match is its current ETag."""

    def answer(headers: dict[str, str]) -> Reply:
        if headers.get("if-none-match") == etag():
            return 304, {"ETag": etag()}, b""
        return 200, {"Content-Type": "application/rss+xml", "ETag": etag()}, body()

    return answer


class Clock:
    """A fake wall clock for due times."""

    def __init__(self) -> None:
        self.now = T0

    def __call__(self) -> datetime:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += timedelta(seconds=seconds)


def make_loop(store: MemoryStore, clock: Clock, settings: Settings = FAST, **kw: Any) -> FollowLoop:
    kw.setdefault("rng", random.Random(7))
    return FollowLoop(store, settings, clock=clock, **kw)


def add(store: MemoryStore, url: str, every_s: int = 60, **kw: Any) -> Source:
    return store.add_source(dataclasses.replace(Source.new(url, every_s=every_s, **kw), created_at=T0))


def test_new_entries_then_304_then_one_more_entry(site: Site) -> None:
    entries, version = [1, 2], ["v1"]
    site.routes["/feed"] = feed_route(lambda: rss(site.base, entries), lambda: f'"{version[0]}"')
    store, clock = MemoryStore(), Clock()
    source = add(store, f"{site.base}/feed")
    loop = make_loop(store, clock)

    first = loop.poll_due()
    assert [(r.status, r.new_items, r.error) for r in first] == [(200, 2, "")]
    assert store.count_articles() == 2
    saved = store.get_source(source.id)
    assert saved is not None and saved.etag == '"v1"' and saved.kind == "feed"
    assert saved.next_due_at == T0 + timedelta(seconds=60)

    assert loop.poll_due() == []  # not due yet: no request
    assert len(site.hits("/feed")) == 1
    clock.advance(60)
    second = loop.poll_due()
    assert [(r.status, r.new_items, r.not_modified) for r in second] == [(304, 0, True)]
    assert site.hits("/feed")[-1].headers["if-none-match"] == '"v1"'

    entries.append(3)
    version[0] = "v2"
    clock.advance(60)
    third = loop.poll_due()
    assert [(r.status, r.new_items) for r in third] == [(200, 1)]
    assert store.count_articles() == 3
    assert loop.restores == 1  # the pipeline's state was restored once, reused across polls
    after = store.get_source(source.id)
    assert after is not None and (after.etag, after.last_new_items, after.consecutive_failures) == (
        '"v2"',
        1,
        0,
    )


def test_failures_back_off_exponentially_with_seeded_jitter(site: Site) -> None:
    status = [500]
    site.routes["/feed"] = lambda h: (status[0], {"Content-Type": "application/rss+xml"}, rss(site.base, [1]))
    store, clock = MemoryStore(), Clock()
    source = add(store, f"{site.base}/feed", every_s=60)
    loop = make_loop(store, clock, rng=random.Random(42))
    expected = Backoff(rng=random.Random(42))  # the same seed gives the same schedule

    delays = []
    for failures in (1, 2, 3):
        before = len(site.hits("/feed"))
        [report] = loop.poll_due()
        assert report.status == 500 and report.error.startswith("http_status")
        saved = store.get_source(source.id)
        assert saved is not None and saved.consecutive_failures == failures and saved.last_status == 500
        assert saved.next_due_at is not None
        delay = (saved.next_due_at - clock.now).total_seconds()
        assert delay == pytest.approx(expected.delay(60, failures))
        assert 60 * 2 ** (failures - 1) * 0.5 <= delay <= 60 * 2 ** (failures - 1)
        delays.append(delay)
        clock.advance(delay - 1)
        assert loop.poll_due() == []  # one second early: nothing asked of the server
        assert len(site.hits("/feed")) == before + 1
        clock.advance(1)
    assert delays[2] > delays[0]

    status[0] = 200
    [report] = loop.poll_due()
    saved = store.get_source(source.id)
    assert report.new_items == 1 and saved is not None and saved.consecutive_failures == 0
    assert saved.next_due_at == clock.now + timedelta(seconds=60) and saved.last_error == ""


def test_429_with_retry_after_holds_the_source_and_its_host(site: Site) -> None:
    site.routes["/busy"] = lambda h: (429, {"Retry-After": "120"}, b"slow down")
    site.routes["/other"] = lambda h: (200, {"Content-Type": "application/rss+xml"}, rss(site.base, [5]))
    store, clock = MemoryStore(), Clock()
    busy = add(store, f"{site.base}/busy", every_s=10)
    other = store.add_source(
        dataclasses.replace(
            Source.new(f"{site.base}/other", every_s=10), created_at=T0 + timedelta(seconds=1)
        )
    )
    loop = make_loop(store, clock)
    reports = loop.poll_due()
    assert [(r.url.rsplit("/", 1)[1], r.status, r.deferred) for r in reports] == [
        ("busy", 429, False),
        ("other", None, True),  # same host: put off, not asked
    ]
    assert site.hits("/other") == []
    saved_busy, saved_other = store.get_source(busy.id), store.get_source(other.id)
    assert saved_busy is not None and saved_other is not None
    assert saved_busy.next_due_at is not None and saved_busy.next_due_at >= clock.now + timedelta(seconds=120)
    assert saved_other.consecutive_failures == 0  # put off is not a failure
    assert saved_other.next_due_at is not None and saved_other.next_due_at > clock.now + timedelta(
        seconds=100
    )


def test_slow_answer_redirect_loop_and_503_are_failures_with_reasons(site: Site) -> None:
    def slow(headers: dict[str, str]) -> Reply:
        time.sleep(1.0)
        return 200, {"Content-Type": "application/rss+xml"}, rss(site.base, [1])

    site.routes["/slow"] = slow
    site.routes["/loop"] = lambda h: (302, {"Location": "/loop"}, b"")
    site.routes["/down"] = lambda h: (503, {"Retry-After": "3"}, b"maintenance")
    store, clock = MemoryStore(), Clock()
    for n, path in enumerate(("/slow", "/loop", "/down")):
        store.add_source(
            dataclasses.replace(Source.new(site.base + path), created_at=T0 + timedelta(seconds=n))
        )
    loop = make_loop(store, clock, settings=FAST.replace(fetch_timeout_s=0.3))
    started = time.monotonic()
    reports = {r.url.rsplit("/", 1)[1]: r for r in loop.poll_due()}
    assert time.monotonic() - started < 5
    assert reports["slow"].error.startswith("timeout") and reports["slow"].status is None
    assert reports["loop"].error.startswith("http_status") and "redirects" in reports["loop"].error
    assert len(site.hits("/loop")) == 6  # the first request and five redirects, then it gives up
    assert reports["down"].status == 503
    assert all(s.consecutive_failures == 1 for s in store.list_sources())
    assert store.count_articles() == 0


def test_a_feed_that_turns_into_an_html_page_is_a_failure_not_an_article(site: Site) -> None:
    html = [False]
    page = (
        b"<html><head><title>Sign in</title></head><body><p>Please sign in to continue reading our "
        b"coverage; subscribers get unlimited access to all stories.</p></body></html>"
    )

    def answer(headers: dict[str, str]) -> Reply:
        if html[0]:
            return 200, {"Content-Type": "text/html"}, page
        return 200, {"Content-Type": "application/rss+xml"}, rss(site.base, [1, 2])

    site.routes["/feed"] = answer
    store, clock = MemoryStore(), Clock()
    source = add(store, f"{site.base}/feed")
    loop = make_loop(store, clock)
    assert [r.new_items for r in loop.poll_due()] == [2]
    html[0] = True
    clock.advance(60)
    [report] = loop.poll_due()
    assert report.error.startswith("not_a_feed") and report.new_items == 0
    assert store.count_articles() == 2
    assert [(r.stage, r.reason) for r in store.list_rejections()] == [("fetch", "not_a_feed")]
    saved = store.get_source(source.id)
    assert saved is not None and saved.consecutive_failures == 1 and saved.kind == "feed"


def test_the_same_story_in_two_feeds_is_stored_once(site: Site) -> None:
    site.routes["/one"] = lambda h: (
        200,
        {"Content-Type": "application/rss+xml"},
        rss(site.base, [1, 2], title="One"),
    )
    site.routes["/two"] = lambda h: (
        200,
        {"Content-Type": "application/rss+xml"},
        rss(site.base, [2, 3], title="Two"),
    )
    store, clock = MemoryStore(), Clock()
    add(store, f"{site.base}/one")
    store.add_source(
        dataclasses.replace(Source.new(f"{site.base}/two"), created_at=T0 + timedelta(seconds=1))
    )
    loop = make_loop(store, clock)
    assert [r.new_items for r in loop.poll_due()] == [2, 1]
    urls = sorted(a.url or "" for a in store.list_articles())
    assert urls == [f"{site.base}/a/{n}" for n in (1, 2, 3)]


def test_politeness_one_request_at_a_time_and_a_gap_per_host(site: Site) -> None:
    for n in range(3):
        site.routes[f"/f{n}"] = lambda h, n=n: (
            200,
            {"Content-Type": "application/rss+xml"},
            rss(site.base, [10 + n]),
        )
    store, clock = MemoryStore(), Clock()
    for n in range(3):
        store.add_source(
            dataclasses.replace(Source.new(f"{site.base}/f{n}"), created_at=T0 + timedelta(seconds=n))
        )
    loop = make_loop(store, clock, settings=FAST.replace(follow_host_delay_s=0.25))
    assert [r.new_items for r in loop.poll_due()] == [1, 1, 1]
    times = [h.at for h in site.log]
    assert len(times) == 3
    assert all(later - earlier >= 0.24 for earlier, later in itertools.pairwise(times))
    assert site.max_in_flight == 1
