"""The front page's order: what is happening now, and the outlets behind each story.

"Now" is the latest publication time in the store, not the wall clock, so an archive or an old
corpus still shows its own busiest moment. A live story with articles in the week before "now" is
ranked by

    velocity = articles in the last 24 h + articles in the last 7 days / 7      (per day)
    past     = its articles before that week / the days it lived before it      (per day)
    score    = velocity * sqrt(velocity / (velocity + past)) * log2(2 + outlets in the week)

so volume counts, a story that merely continues at its usual pace sinks below one that is surging
against its own past, and a story many outlets and agencies carry rises above one outlet's series.
Stories with nothing in the week follow, largest first (as ``sort=size`` lists every story).
"""

from __future__ import annotations

import dataclasses
import logging
import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from storyline.model import Story
from storyline.store import StoryActivity, StoryReader
from storyline.web.data import StoryQuery, find_stories

LOGGER = logging.getLogger(__name__)

DAY = timedelta(hours=24)
WEEK = timedelta(days=7)
SORTS = ("now", "size")


@dataclass(frozen=True, slots=True)
class Listed:
    """A story as listed: sources, agencies and languages from its articles; ``n_day``/``n_week``
    its articles in the 24 h / 7 days before "now"; ``n_new`` those published after the visit mark
    (None without one)."""

    story: Story
    agencies: tuple[str, ...] = ()
    n_day: int = 0
    n_week: int = 0
    score: float = 0.0
    n_new: int | None = None


def score(activity: StoryActivity, now: datetime) -> float:
    """The "now" score of the module docstring."""
    velocity = activity.n_recent + activity.n_articles / 7
    if velocity <= 0:
        return 0.0
    story = activity.story
    week_start = now - WEEK
    past = 0.0
    if story.first_seen_at is not None and story.first_seen_at < week_start:
        days = max((week_start - story.first_seen_at).total_seconds() / 86_400, 1.0)
        past = max(story.n_articles - activity.n_articles, 0) / days
    outlets = len(set(activity.sources) | set(activity.agencies))
    return velocity * math.sqrt(velocity / (velocity + past)) * math.log2(2 + outlets)


def _matches(activity: StoryActivity, query: StoryQuery) -> bool:
    story = activity.story
    if query.language is not None and query.language not in set(activity.languages) | set(story.languages):
        return False
    if query.source is not None and query.source not in (
        *activity.sources,
        *activity.agencies,
        *story.sources,
    ):
        return False
    if query.since is not None and (story.last_seen_at is None or story.last_seen_at < query.since):
        return False
    return query.until is None or (story.first_seen_at is not None and story.first_seen_at < query.until)


def rank_now(store: StoryReader, query: StoryQuery, *, limit: int, offset: int) -> list[Listed]:
    """Stories active in the week before the store's latest article, best "now" score first, then
    the others, largest first."""
    now = store.latest_published()
    if now is None:
        return []
    found = [a for a in store.story_activity(since=now - WEEK, recent=now - DAY) if _matches(a, query)]
    scored = sorted(((score(a, now), a) for a in found), key=lambda p: (-p[0], p[1].story.id))
    page = scored[offset : offset + limit]
    listed = fill([a.story for _, a in page], store, {a.story.id: (s, a) for s, a in page})
    if len(page) < limit:  # then the quiet stories, largest first
        recent = {a.story.id for _, a in scored}
        skip = max(offset - len(scored), 0)
        rest = find_stories(store, query, limit=skip + limit - len(page) + len(recent), offset=0)
        quiet = [s for s in rest if s.id not in recent][skip : skip + limit - len(page)]
        listed += fill(quiet, store)
    return listed


def fill(
    stories: Sequence[Story],
    store: StoryReader,
    recent: dict[str, tuple[float, StoryActivity]] | None = None,
) -> list[Listed]:
    """The stories with the sources, agencies and languages of all their articles filled in."""
    if not stories:
        return []
    outlets = {a.story.id: a for a in store.story_activity(story_ids=[s.id for s in stories])}
    listed = []
    for story in stories:
        whole = outlets.get(story.id)
        points, week = (recent or {}).get(story.id, (0.0, None))
        if whole is not None:
            story = dataclasses.replace(
                story,
                sources=whole.sources or story.sources,
                languages=whole.languages or story.languages,
            )
        listed.append(
            Listed(
                story=story,
                agencies=whole.agencies if whole is not None else (),
                n_day=week.n_recent if week is not None else 0,
                n_week=week.n_articles if week is not None else 0,
                score=round(points, 4),
            )
        )
    return listed


def list_stories(
    store: StoryReader, query: StoryQuery, *, sort: str, limit: int, offset: int
) -> list[Listed]:
    """Stories in the ``sort`` order asked (``now`` or ``size``), outlets filled in."""
    if sort == "now":
        return rank_now(store, query, limit=limit, offset=offset)
    return fill(find_stories(store, query, limit=limit, offset=offset), store)


def mark_new(store: StoryReader, listed: list[Listed], visit: datetime | None) -> list[Listed]:
    """``n_new``: each story's articles published after ``visit`` (the "since your last visit" mark)."""
    if visit is None or not listed:
        return listed
    counts = {
        a.story.id: a.n_articles
        for a in store.story_activity(since=visit, story_ids=[x.story.id for x in listed])
    }
    return [dataclasses.replace(x, n_new=counts.get(x.story.id, 0)) for x in listed]


def listed_json(x: Listed, *, with_recent: bool) -> dict[str, object]:
    """A listed story as the API shows it (``storyline.shapes.story_json`` plus the "now" counts)."""
    from storyline.shapes import story_json

    recent: dict[str, object] | None = None
    if with_recent or x.n_new is not None:
        recent = {"n_last_24h": x.n_day, "n_last_7d": x.n_week, "score": x.score} if with_recent else {}
        if x.n_new is not None:
            recent["n_new"] = x.n_new
    return story_json(x.story, agencies=x.agencies, recent=recent)
