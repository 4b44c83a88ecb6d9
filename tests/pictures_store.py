"""A story built for the picture tests: places to map, entities named together, 120 days of coverage.

Eight reports over 120 days (weekly bins on the timeline): a Paris dateline and Paris, France, Lyon
named in most; one report names Paris with Texas and Dallas (that Paris is the Texan one); a person
called "Paris Hilton" and an organisation called "Berlin Partners" (never places); and a place name no
gazetteer knows, written as markup. Jane Doe, Acme and three hostile-named entities are named with
"Minister Vale" (``e-vale``), the graph's middle.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from storyline.model import Article, Assignment, Batch, Entity, Mention, Story
from storyline.store import MemoryStore

HOSTILE_PLACE = "<img src=x onerror=alert(1)>"
HOSTILE_ENTITY = "Evil <script>alert(7)</script> Corp"
START = datetime(2024, 1, 1, 9, tzinfo=UTC)
TEXT = "x" * 400
N = 8


def _m(article: str, k: int, text: str, kind: str, entity: str | None = None) -> Mention:
    return Mention(article, k * 10, k * 10 + len(text), text, kind, entity)


def picture_store() -> MemoryStore:
    """The story ``s1`` with articles ``a0`` .. ``a7`` and the entities above."""
    store = MemoryStore()
    articles = []
    mentions: list[Mention] = []
    for i in range(N):
        aid = f"a{i}"
        articles.append(
            Article(
                aid,
                TEXT + str(i),
                title=f"Report {i}",
                source=("wire.example", "daily.example", HOSTILE_ENTITY)[i % 3],
                language=("en", "fr", "de", "en")[i % 4],
                published_at=START + timedelta(days=i * 17),
                place="PARIS" if i < 4 else None,
            )
        )
        mentions.append(_m(aid, 1, "Minister Vale", "PER", "e-vale"))
        mentions.append(_m(aid, 2, "Paris Hilton", "PER", "e-hilton"))
        mentions.append(_m(aid, 3, "Berlin Partners", "ORG", "e-berlin-org"))
        if i == 5:  # the Texan Paris
            mentions += [_m(aid, 4, "Paris", "LOC"), _m(aid, 5, "Texas", "LOC"), _m(aid, 6, "Dallas", "GPE")]
        else:
            mentions += [_m(aid, 4, "Paris", "LOC", "e-paris"), _m(aid, 5, "France", "LOC", "e-france")]
            if i % 2 == 0:
                mentions.append(_m(aid, 6, "Lyon", "LOC"))
        if i == 7:
            mentions.append(_m(aid, 7, HOSTILE_PLACE, "LOC"))
        mentions.append(_m(aid, 8, "Jane Doe", "PER", "e-jane"))
        if i < 3:
            mentions.append(_m(aid, 9, "Acme", "ORG", "e-acme"))
        if i < 2:
            mentions.append(_m(aid, 10, HOSTILE_ENTITY, "ORG", "e-evil"))
    entities = (
        Entity("e-vale", "Minister Vale", "PER", n_mentions=N),
        Entity("e-hilton", "Paris Hilton", "PER", n_mentions=N),
        Entity("e-berlin-org", "Berlin Partners", "ORG", n_mentions=N),
        Entity("e-paris", "Paris", "LOC", ("Parigi",), n_mentions=N - 1),
        Entity("e-france", "France", "LOC", n_mentions=N - 1),
        Entity("e-jane", "Jane Doe", "PER", n_mentions=N),
        Entity("e-acme", "Acme", "ORG", n_mentions=3),
        Entity("e-evil", HOSTILE_ENTITY, "ORG", n_mentions=2),
    )
    last = articles[-1].published_at
    store.write_batch(
        Batch(
            articles=tuple(articles),
            assignments=tuple(Assignment(a.id, "s1", 1.0, i == 0) for i, a in enumerate(articles)),
            stories=(Story("s1", "Talks in Paris", N, first_seen_at=START, last_seen_at=last),),
            entities=entities,
            mentions=tuple(mentions),
        )
    )
    return store
