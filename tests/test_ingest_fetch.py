"""Tests for URL fetching, all over httpx.MockTransport (no network)."""

from __future__ import annotations

import json

import httpx
import pytest

from storyline.errors import FetchError
from storyline.ingest import Fetcher, iter_inputs, iter_url
from storyline.model import RawDoc, Rejection
from storyline.settings import Settings

BASE = "https://news.example.com"
ARTICLE = (
    b"<!DOCTYPE html><html><head><title>Ministers meet</title></head><body>"
    b"<nav><a href='/'>Home</a></nav><article><p>BRUSSELS (AFP) - NATO ministers met.</p></article>"
    b"<footer>(c) Example</footer></body></html>"
)
ENTRY_PAGES = {
    "/entry/1": b"<html><body><p>Full text of entry one.</p></body></html>",
    "/entry/2": b"<html><body><p>Full text of entry two.</p></body></html>",
}
FEED = f"""<?xml version="1.0"?>
<rss version="2.0"><channel><title>Example Feed</title><link>{BASE}/</link><description>x</description>
<item><title>Entry one</title><link>{BASE}/entry/1</link><guid isPermaLink="false">e1</guid>
  <pubDate>Wed, 17 Feb 2021 10:00:00 GMT</pubDate><description>Teaser one.</description></item>
<item><title>Entry two</title><link>{BASE}/entry/2</link><guid isPermaLink="false">e2</guid>
  <description>Teaser two.</description></item>
<item><title>Entry gone</title><link>{BASE}/missing</link><guid isPermaLink="false">e3</guid>
  <description>Teaser three.</description></item>
</channel></rss>""".encode()
SMALL = Settings(fetch_max_bytes=1000)


def handler(request: httpx.Request) -> httpx.Response:
    """A small fake news site."""
    path = request.url.path
    html = {"content-type": "text/html; charset=utf-8"}
    if path == "/article":
        return httpx.Response(200, headers=html, content=ARTICLE)
    if path in ENTRY_PAGES:
        return httpx.Response(200, headers=html, content=ENTRY_PAGES[path])
    if path == "/old":
        return httpx.Response(301, headers={"location": f"{BASE}/article"})
    if path == "/loop":
        return httpx.Response(302, headers={"location": f"{BASE}/loop"})
    if path == "/slow":
        raise httpx.ReadTimeout("timed out", request=request)
    if path == "/down":
        raise httpx.ConnectError("connection refused", request=request)
    if path == "/huge":
        return httpx.Response(200, headers=html, content=b"<p>" + b"x" * 5000)
    if path == "/huge-chunked":
        return httpx.Response(200, headers=html, content=iter([b"<p>" + b"x" * 600] * 10))
    if path == "/feed.xml":
        return httpx.Response(200, headers={"content-type": "application/rss+xml"}, content=FEED)
    if path == "/notes.txt":
        return httpx.Response(200, headers={"content-type": "text/plain"}, content=b"Plain notes, no tags.")
    if path == "/data.jsonl":
        lines = [json.dumps({"text": "line one"}), "not json", json.dumps({"text": "line three"})]
        return httpx.Response(200, headers={"content-type": "application/x-ndjson"}, content="\n".join(lines))
    return httpx.Response(404, headers=html, content=b"<html><body>Not found</body></html>")


TRANSPORT = httpx.MockTransport(handler)


def fetch_all(url: str, settings: Settings = SMALL) -> list[RawDoc | Rejection]:
    with Fetcher(settings=settings, transport=TRANSPORT) as fetcher:
        return list(iter_url(url, settings, fetcher))


def test_html_page_is_one_rawdoc_with_charset_and_fetched_hints() -> None:
    [doc] = fetch_all(f"{BASE}/article")
    assert isinstance(doc, RawDoc)
    assert (doc.origin, doc.kind, doc.url, doc.body) == (
        f"{BASE}/article",
        "html",
        f"{BASE}/article",
        ARTICLE,
    )
    assert doc.hints["charset"] == "utf-8"
    assert doc.hints["fetched"].endswith("+00:00")


def test_redirect_is_followed_and_final_url_kept() -> None:
    [doc] = fetch_all(f"{BASE}/old")
    assert isinstance(doc, RawDoc)
    assert (doc.origin, doc.url, doc.body) == (f"{BASE}/old", f"{BASE}/article", ARTICLE)


@pytest.mark.parametrize(
    ("path", "reason", "in_detail"),
    [
        ("/nothing-here", "http_status", "HTTP 404"),
        ("/slow", "timeout", "fetch_timeout_s"),
        ("/down", "network", "ConnectError"),
        ("/huge", "too_large", "fetch_max_bytes=1000"),
        ("/huge-chunked", "too_large", "fetch_max_bytes=1000"),
        ("/loop", "http_status", "redirects"),
    ],
)
def test_failures_become_fetch_rejections(path: str, reason: str, in_detail: str) -> None:
    [rejection] = fetch_all(BASE + path)
    assert isinstance(rejection, Rejection)
    assert (rejection.origin, rejection.stage, rejection.reason) == (BASE + path, "fetch", reason)
    assert in_detail in rejection.detail


def test_fetcher_raises_fetch_error_and_sends_user_agent() -> None:
    seen: list[str] = []

    def spy(request: httpx.Request) -> httpx.Response:
        seen.append(request.headers["user-agent"])
        return handler(request)

    settings = Settings(user_agent="storyline-test/1.0")
    with Fetcher(settings=settings, transport=httpx.MockTransport(spy)) as fetcher:
        page = fetcher.fetch(f"{BASE}/old")
        assert (page.status, page.final_url, page.content_type) == (200, f"{BASE}/article", "text/html")
        with pytest.raises(FetchError) as caught:
            fetcher.fetch(f"{BASE}/gone")
        assert caught.value.reason == "http_status"
        with pytest.raises(FetchError) as unsupported:
            fetcher.fetch("ftp://news.example.com/file")
        assert unsupported.value.reason == "unsupported_url"
    assert seen == ["storyline-test/1.0"] * 3


def test_fetcher_closes_and_reopens() -> None:
    fetcher = Fetcher(settings=SMALL, transport=TRANSPORT)
    with fetcher:
        assert fetcher.fetch(f"{BASE}/article").body == ARTICLE
    assert fetcher._client is None
    assert fetcher.fetch(f"{BASE}/article").body == ARTICLE
    fetcher.close()
    assert "transport=" in repr(fetcher)


def test_feed_url_yields_its_entries_with_feed_origins() -> None:
    found = fetch_all(f"{BASE}/feed.xml")
    assert [i.origin for i in found] == [f"{BASE}/feed.xml#e1", f"{BASE}/feed.xml#e2", f"{BASE}/feed.xml#e3"]
    first = found[0]
    assert isinstance(first, RawDoc) and first.body == b"Teaser one." and first.url == f"{BASE}/entry/1"
    assert dict(first.hints) == {
        "title": "Entry one",
        "published": "2021-02-17T10:00:00+00:00",
        "source": "Example Feed",
        "id": "e1",
    }


def test_fetch_feed_links_fetches_each_entry_page() -> None:
    settings = SMALL.replace(fetch_feed_links=True)
    found = fetch_all(f"{BASE}/feed.xml", settings)
    assert [(i.origin, type(i).__name__) for i in found] == [
        (f"{BASE}/entry/1", "RawDoc"),
        (f"{BASE}/entry/2", "RawDoc"),
        (f"{BASE}/missing", "Rejection"),
    ]
    one, _, gone = found
    assert isinstance(one, RawDoc) and one.body == ENTRY_PAGES["/entry/1"] and one.kind == "html"
    assert one.hints["title"] == "Entry one" and one.hints["source"] == "Example Feed"
    assert one.hints["published"] == "2021-02-17T10:00:00+00:00" and one.hints["charset"] == "utf-8"
    assert isinstance(gone, Rejection) and (gone.stage, gone.reason) == ("fetch", "http_status")


def test_text_and_jsonl_bodies() -> None:
    [notes] = fetch_all(f"{BASE}/notes.txt")
    assert isinstance(notes, RawDoc) and notes.kind == "text" and notes.body == b"Plain notes, no tags."
    found = fetch_all(f"{BASE}/data.jsonl")
    assert [(i.origin, type(i).__name__) for i in found] == [
        (f"{BASE}/data.jsonl:1", "RawDoc"),
        (f"{BASE}/data.jsonl:2", "Rejection"),
        (f"{BASE}/data.jsonl:3", "RawDoc"),
    ]


def test_iter_inputs_mixes_urls_and_refuses_other_schemes() -> None:
    inputs = [f"{BASE}/article", "javascript:alert(1)", f"{BASE}/slow", "data:text/html,<p>hi</p>"]
    found = list(iter_inputs(inputs, SMALL, transport=TRANSPORT))
    assert [(i.origin, i.kind if isinstance(i, RawDoc) else i.reason) for i in found] == [
        (f"{BASE}/article", "html"),
        ("javascript:alert(1)", "unsupported_url"),
        (f"{BASE}/slow", "timeout"),
        ("data:text/html,<p>hi</p>", "unsupported_url"),
    ]
