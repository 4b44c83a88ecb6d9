"""A storyline built for the timeline-zoom tests: five stories over about 200 days.

Story ``z{k}`` runs from ``START + 40k`` days for ``5 + 3k`` days (so the whole storyline covers
2024-01-01 .. 2024-06-26 and its timeline bins are weeks); ``z1``'s label is markup, to be escaped.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from storyline.model import Article, Assignment, Batch, Story, Storyline
from storyline.store import MemoryStore

START = datetime(2024, 1, 1, 9, tzinfo=UTC)
N_STORIES = 5
HOSTILE_LABEL = "<script>alert(5)</script> Talks"


def story_days(k: int) -> tuple[datetime, datetime]:
    first = START + timedelta(days=40 * k)
    return first, first + timedelta(days=5 + 3 * k)


def zoom_store() -> MemoryStore:
    """The storyline ``l1`` of stories ``z0`` .. ``z4``, two articles each (its first and last day)."""
    store = MemoryStore()
    articles, assignments, stories = [], [], []
    for k in range(N_STORIES):
        first, last = story_days(k)
        ids = []
        for j, when in enumerate((first, last)):
            aid = f"z{k}a{j}"
            ids.append(aid)
            articles.append(Article(aid, f"Report {k}.{j} " + "x" * 300, title=f"Report {k}.{j}",
                                    source="wire.example", language="en", published_at=when))  # fmt: skip
            assignments.append(Assignment(aid, f"z{k}", 1.0, j == 0))
        label = HOSTILE_LABEL if k == 1 else f"Story {k}"
        stories.append(Story(f"z{k}", label, 2, tuple(ids), ("en",), ("wire.example",), first, last,
                             storyline_id="l1"))  # fmt: skip
    line = Storyline("l1", "Talks over the year", 2 * N_STORIES, tuple(s.id for s in stories))
    store.write_batch(
        Batch(
            articles=tuple(articles),
            assignments=tuple(assignments),
            stories=tuple(stories),
            storylines=(line,),
        )
    )
    return store
