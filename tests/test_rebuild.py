"""``storyline rebuild``: every stored article assigned again from scratch gives the ingest's stories."""

from __future__ import annotations

import json
from pathlib import Path

from storyline.ingest import iter_inputs
from storyline.pipeline import Components, rebuild_stories, run
from storyline.settings import Settings
from storyline.store import SqliteStore
from tests.conftest import AFP_SEED, DPA_SEED


def _corpus(tmp_path: Path) -> Path:
    """The two seeds, a copy of each from another outlet, and three unrelated reports."""
    rows = []
    for i, seed in enumerate((AFP_SEED, DPA_SEED)):
        text = seed.read_text(encoding="utf-8")
        rows.append({"id": f"seed-{i}", "text": text, "source": "agency.example", "published": "2021-02-17"})
        rows.append({"id": f"copy-{i}", "text": text, "source": "outlet.example", "published": "2021-02-18"})
    topics = (
        "A storm flooded the harbour of Porto",
        "The central bank raised its rate",
        "A new vaccine trial began",
    )
    for i, topic in enumerate(topics):
        text = f"{topic} on Monday, officials said. " * 6
        rows.append({"id": f"other-{i}", "text": text, "source": "local.example", "published": "2021-02-19"})
    path = tmp_path / "corpus.jsonl"
    path.write_text("\n".join(json.dumps(r) for r in rows) + "\n", encoding="utf-8")
    return path


def _stories(store: SqliteStore) -> set[frozenset[str]]:
    ids = [a.id for a in store.iter_articles()]
    groups: dict[str, set[str]] = {}
    for article_id, story_id in store.story_ids_of(ids).items():
        groups.setdefault(story_id, set()).add(article_id)
    return {frozenset(g) for g in groups.values()}


def test_rebuild_gives_the_stories_of_the_ingest(tmp_path: Path) -> None:
    settings = Settings(db=str(tmp_path / "s.db"), understand=False, workers=1)
    with SqliteStore(tmp_path / "s.db") as store:
        run(iter_inputs([str(_corpus(tmp_path))], settings), Components.for_store(settings, store), store)
        before = _stories(store)
        n_stories = len(store.list_stories(limit=100))
        assert sum(len(g) for g in before) == 7 and len(before) < 7  # copies joined their originals
        assert rebuild_stories(store, settings) == 7
        assert _stories(store) == before
        assert len(store.list_stories(limit=100)) == n_stories
