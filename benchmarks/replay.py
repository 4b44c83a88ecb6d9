"""A multi-year dated stream replayed month by month, run after run (the long-run replay test and
the ``soak`` benchmark share it).

The stream is built from ``../shared/data/stories/ecbplus_dev.jsonl``: each gold story is given its
own dates, ``gap_days`` after the previous one, its articles spread over a few days, so a stream of
a few dozen stories spans years and every story passes the assigner's horizon long before the end.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

from storyline.ingest import iter_inputs
from storyline.pipeline import Components, run
from storyline.settings import Settings
from storyline.store import SqliteStore

ECBPLUS = Path(__file__).resolve().parents[2] / "shared" / "data" / "stories" / "ecbplus_dev.jsonl"
START = datetime(2008, 1, 7, 9, 0, tzinfo=UTC)


def dated_stream(
    path: Path = ECBPLUS, *, n_stories: int | None = None, per_story: int = 6, gap_days: float = 75.0
) -> list[dict[str, str]]:
    """The gold stories of ``path`` (file order), each given dates of its own, as JSONL rows in
    publication order: story ``k`` starts ``k * gap_days`` after ``START`` and its articles follow
    a day or two apart."""
    by_story: dict[str, list[dict[str, str]]] = {}
    with path.open(encoding="utf-8") as fh:
        for line in fh:
            row = json.loads(line)
            by_story.setdefault(row["story"], []).append(row)
    rows = []
    for k, members in enumerate(list(by_story.values())[:n_stories]):
        begins = START + timedelta(days=k * gap_days)
        for i, row in enumerate(members[:per_story]):
            at = begins + timedelta(days=1.5 * i, hours=(7 * i) % 11)
            rows.append(
                {"id": row["id"], "title": row["title"], "text": row["text"], "published": at.isoformat()}
            )
    return sorted(rows, key=lambda r: (r["published"], r["id"]))


def by_month(rows: Iterable[dict[str, str]]) -> Iterator[list[dict[str, str]]]:
    """The rows in runs of one calendar month each (months without articles are skipped)."""
    month: list[dict[str, str]] = []
    for row in rows:
        if month and month[0]["published"][:7] != row["published"][:7]:
            yield month
            month = []
        month.append(row)
    if month:
        yield month


def write_jsonl(path: Path, rows: Iterable[dict[str, str]]) -> Path:
    with path.open("w", encoding="utf-8") as fh:
        for row in rows:
            fh.write(json.dumps(row, ensure_ascii=False) + "\n")
    return path


def ingest_run(db: Path, path: Path, settings: Settings) -> tuple[int, int]:
    """One run as ``storyline ingest`` makes it: a fresh store connection, components restored from
    the store, the pipeline over ``path``. Returns (stored, rejected)."""
    with SqliteStore(db) as store:
        components = Components.for_store(settings, store)
        stats = run(iter_inputs([str(path)], settings), components, store)
    return stats.stored, stats.rejected


def story_map(db: Path) -> dict[str, str]:
    """Every stored article's story, following merges to the live story (``merged_into``)."""
    with SqliteStore(db) as store:
        ids = [a.id for a in store.iter_articles()]
        direct = store.story_ids_of(ids)
        return {article_id: resolve(store, story_id) for article_id, story_id in direct.items()}


def resolve(store: SqliteStore, story_id: str) -> str:
    """The live story ``story_id`` became (itself when never merged); raises when it is unknown."""
    seen = set()
    while True:
        story = store.get_story(story_id)
        if story is None:
            raise KeyError(f"story {story_id} does not resolve")
        if story.merged_into is None:
            return story.id
        if story_id in seen:
            raise ValueError(f"merge cycle through {story_id}")
        seen.add(story_id)
        story_id = story.merged_into
