"""Sources with ``fetch_links``: robots.txt obeyed (fetched once per host), stored pages not fetched again."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator

import pytest

from storyline.model import Source
from storyline.store import MemoryStore
from tests.test_follow_loop import FAST, T0, Clock, Site, make_loop, rss

ROBOTS = b"User-agent: *\nDisallow: /private/\n"


def page(n: int) -> bytes:
    return (
        f"<html><head><title>Full story {n}</title></head><body><article><h1>Full story {n}</h1>"
        f"<p>The full report number {n}: ministers met on Friday in Brussels and agreed on a plan "
        f"for the flooded northern region, officials said after the meeting.</p>"
        f"<p>Aid will reach the towns along the river within the week, the agency said.</p>"
        f"</article></body></html>"
    ).encode()


@pytest.fixture
def site() -> Iterator[Site]:
    made = Site()
    yield made
    made.close()


def test_links_obey_robots_and_stored_pages_are_not_fetched_again(site: Site) -> None:
    entries = [1, 2]
    site.routes["/robots.txt"] = lambda h: (200, {"Content-Type": "text/plain"}, ROBOTS)
    site.routes["/feed"] = lambda h: (200, {"Content-Type": "application/rss+xml"}, rss(site.base, entries))
    secret = rss(site.base, [3], link_prefix="/private/")
    site.routes["/private-feed"] = lambda h: (200, {"Content-Type": "application/rss+xml"}, secret)
    for n in (1, 2, 3, 4):
        site.routes[f"/a/{n}"] = lambda h, n=n: (200, {"Content-Type": "text/html"}, page(n))
    site.routes["/private/3"] = lambda h: (200, {"Content-Type": "text/html"}, page(3))

    store, clock = MemoryStore(), Clock()
    feed = store.add_source(
        dataclasses.replace(Source.new(f"{site.base}/feed", every_s=60, fetch_links=True), created_at=T0)
    )
    store.add_source(
        dataclasses.replace(
            Source.new(f"{site.base}/private-feed", every_s=60, fetch_links=True), created_at=T0
        )
    )
    loop = make_loop(store, clock, settings=FAST)
    reports = {r.url.rsplit("/", 1)[1]: r for r in loop.poll_due()}
    assert (reports["feed"].new_items, reports["private-feed"].new_items) == (2, 0)
    assert [len(site.hits(f"/a/{n}")) for n in (1, 2)] == [1, 1]
    assert site.hits("/private/3") == []
    assert [(r.reason, r.origin) for r in store.list_rejections()] == [
        ("robots_disallowed", f"{site.base}/private/3")
    ]
    titles = sorted(a.title for a in store.list_articles())
    assert titles == ["Story number 1", "Story number 2"]  # the entry's title, the page's text
    assert all("ministers met on Friday" in a.text for a in store.list_articles())

    entries.append(4)
    clock.advance(60)
    again = {r.url.rsplit("/", 1)[1]: r for r in loop.poll_due()}
    assert again["feed"].new_items == 1
    assert [len(site.hits(f"/a/{n}")) for n in (1, 2, 4)] == [1, 1, 1]  # 1 and 2 were stored: not asked again
    assert len(site.hits("/robots.txt")) == 1  # cached per host
    assert site.hits("/private/3") == []
    assert store.get_source(feed.id).consecutive_failures == 0  # type: ignore[union-attr]
