"""The follow loop with the default pipeline (understanding and stories on), on SQLite: what a poll
reads gets facts and stories as ``ingest`` gives them, and the restored state is reused across polls."""

from __future__ import annotations

import dataclasses
import random
from collections.abc import Iterator
from pathlib import Path

import pytest

from storyline.follow.loop import FollowLoop
from storyline.model import Source
from storyline.settings import Settings
from storyline.store import SqliteStore
from tests.conftest import AFP_SEED, DPA_SEED
from tests.test_follow_loop import T0, Clock, Site


@pytest.fixture
def site() -> Iterator[Site]:
    made = Site()
    yield made
    made.close()


def item(n: int, path: Path) -> str:
    body = "".join(f"<p>{line}</p>" for line in path.read_text(encoding="utf-8").splitlines() if line.strip())
    return (
        f"<item><title>Seed {n}</title><link>http://127.0.0.1/seed/{n}</link><guid>seed-{n}</guid>"
        f"<description><![CDATA[{body}]]></description></item>"
    )


def test_defaults_store_facts_and_stories_and_restore_once(site: Site, tmp_path: Path) -> None:
    items = [item(1, AFP_SEED)]
    head = '<?xml version="1.0"?><rss version="2.0"><channel><title>Seeds</title>'
    site.routes["/feed"] = lambda h: (
        200,
        {"Content-Type": "application/rss+xml"},
        f"{head}{''.join(items)}</channel></rss>".encode(),
    )
    store, clock = SqliteStore(tmp_path / "d.db"), Clock()
    try:
        store.add_source(dataclasses.replace(Source.new(f"{site.base}/feed", every_s=60), created_at=T0))
        loop = FollowLoop(
            store, Settings(allow_private_networks="127.0.0.0/8"), clock=clock, rng=random.Random(1)
        )
        assert [r.new_items for r in loop.poll_due()] == [1]
        items.append(item(2, DPA_SEED))
        clock.advance(60)
        assert [r.new_items for r in loop.poll_due()] == [1]
        assert loop.restores == 1
        articles = store.list_articles()
        assert len(articles) == 2
        story_ids = store.story_ids_of([a.id for a in articles])
        assert len(story_ids) == 2  # every article was assigned a story
        facts = [store.article_facts(a.id) for a in articles]
        assert any(f.mentions for f in facts) and any(f.quotes for f in facts)
        assert any("Stoltenberg" in e.name for e in store.list_entities(limit=500))
    finally:
        store.close()
