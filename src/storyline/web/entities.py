"""An entity at the centre: its stories, the articles naming it per day, the entities named with it.

All three come from one store read, ``count_articles_by`` over the articles that mention the entity
(``ArticleFilter(entity=...)``): by ``story``, by ``day`` and by ``entity``.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import date

from storyline.model import Entity, Story
from storyline.store import ArticleFilter, StoryReader
from storyline.web import charts
from storyline.web.data import StoryQuery
from storyline.web.now import Listed, fill

LOGGER = logging.getLogger(__name__)

CO_ENTITIES = 20
MIN_CHUNK = 50
"""Stories read at once when listing an entity's stories (doubling until the page is full)."""
_ANY = StoryQuery()


def entity_stories(
    store: StoryReader, entity_id: str, query: StoryQuery = _ANY, *, limit: int, offset: int
) -> list[Listed]:
    """Live stories with articles naming the entity, most such articles first. Stories are read and
    filled in a chunk at a time, until the page is full: a common name has thousands of stories."""
    ids = list(store.count_articles_by("story", ArticleFilter(entity=entity_id)))
    wanted = offset + limit
    kept: list[Listed] = []
    at, chunk = 0, max(wanted, MIN_CHUNK)
    while at < len(ids) and len(kept) < wanted:
        listed = fill(_stories(store, ids[at : at + chunk]), store)
        kept += [x for x in listed if _keep(x, query)]
        at, chunk = at + chunk, chunk * 2
    return kept[offset:wanted]


def _stories(store: StoryReader, ids: list[str]) -> list[Story]:
    found = {a.story.id: a.story for a in store.story_activity(story_ids=ids)}
    return [found[i] for i in ids if i in found]


def _keep(x: Listed, query: StoryQuery) -> bool:
    story = x.story
    if query.language is not None and query.language not in story.languages:
        return False
    if query.source is not None and query.source not in (*story.sources, *x.agencies):
        return False
    if query.since is not None and (story.last_seen_at is None or story.last_seen_at < query.since):
        return False
    return query.until is None or (story.first_seen_at is not None and story.first_seen_at < query.until)


@dataclass(frozen=True, slots=True)
class EntityProfile:
    """What the entity page shows beside the quotes."""

    stories: list[Listed]
    per_day: dict[str, int]
    co_entities: list[tuple[Entity, int]]
    n_articles: int


def entity_profile(store: StoryReader, entity: Entity, *, n_stories: int = 20) -> EntityProfile:
    """The entity's stories, articles naming it per day, and the entities most often named with it."""
    only = ArticleFilter(entity=entity.id)
    others = store.count_articles_by("entity", only)
    co = []
    for other_id, n in others.items():
        if other_id == entity.id:
            continue
        other = store.get_entity(other_id)
        if other is not None:
            co.append((other, n))
        if len(co) >= CO_ENTITIES:
            break
    return EntityProfile(
        stories=entity_stories(store, entity.id, limit=n_stories, offset=0),
        per_day=store.count_articles_by("day", only),
        co_entities=co,
        n_articles=store.count_articles(only),
    )


def mentions_chart(per_day: dict[str, int], name: str) -> charts.Chart | None:
    """Articles naming the entity per day (weekly or wider bins over long spans), or None."""
    if not per_day:
        return None
    days = {date.fromisoformat(k): n for k, n in per_day.items()}
    bins = charts.make_bins(min(days), max(days))
    counts = [0] * bins.n
    for day, n in days.items():
        counts[bins.index(day)] += n
    return charts.timeline(bins, {"articles": counts}, title=f"articles naming {name} per {bins.unit}")
