"""What the pages and the API read, gathered from a ``StoryReader`` (never from the pipeline).

``StoryReader.list_stories`` filters by language and ``since``; the source and ``until`` filters are
applied here over at most ``SCAN_LIMIT`` stories (most active first), which is enough for the pages
and says so in the docs. Per-day activity of a story is cached under its id, size and last-seen
time, so a story that grows or merges is counted again.
"""

from __future__ import annotations

import logging
import threading
from collections import OrderedDict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from storyline.model import Article, ArticleFacts, Entity, Mention, Quote, Story, StoryEvent, Storyline
from storyline.store import StoryReader
from storyline.understand.quotes import DEFAULT_MIN_CONFIDENCE
from storyline.web.charts import make_bins

LOGGER = logging.getLogger(__name__)

SCAN_CHUNK = 500
SCAN_LIMIT = 20_000
"""Most stories looked at when filtering by source or ``until`` (not filters the store offers)."""
MAX_TIMELINE_ARTICLES = 2_000
"""A story's timeline counts at most this many of its articles (the earliest)."""
SPARK_DAYS = 30


@dataclass(frozen=True, slots=True)
class StoryQuery:
    """Filters for story listings; ``since``/``until`` select stories active in that period."""

    language: str | None = None
    source: str | None = None
    since: datetime | None = None
    until: datetime | None = None

    def keep(self, story: Story) -> bool:
        if self.source is not None and self.source not in story.sources:
            return False
        return self.until is None or (story.first_seen_at is not None and story.first_seen_at < self.until)


def find_stories(store: StoryReader, query: StoryQuery, *, limit: int, offset: int) -> list[Story]:
    """Live stories matching ``query``, most active first."""
    if query.source is None and query.until is None:
        return store.list_stories(language=query.language, since=query.since, limit=limit, offset=offset)
    matched: list[Story] = []
    scanned = 0
    while scanned < SCAN_LIMIT and len(matched) < offset + limit:
        chunk = store.list_stories(
            language=query.language, since=query.since, limit=SCAN_CHUNK, offset=scanned
        )
        scanned += len(chunk)
        matched.extend(s for s in chunk if query.keep(s))
        if len(chunk) < SCAN_CHUNK:
            break
    return matched[offset : offset + limit]


def story_articles(store: StoryReader, story: Story, limit: int = MAX_TIMELINE_ARTICLES) -> list[Article]:
    """The story's articles in time order (at most ``limit``)."""
    found = (store.get_article(i) for i in story.article_ids[:limit])
    return [a for a in found if a is not None]


class ActivityCache:
    """Articles per day of stories, cached under ``(id, n_articles, last_seen)`` (bounded LRU)."""

    def __init__(self, size: int = 4096) -> None:
        self.size = size
        self._lock = threading.Lock()
        self._items: OrderedDict[tuple[str, int, str], tuple[int, ...]] = OrderedDict()

    def __repr__(self) -> str:
        return f"ActivityCache(size={self.size})"

    def daily(self, store: StoryReader, story: Story) -> tuple[int, ...]:
        """Articles per day over the story's last ``SPARK_DAYS`` days (or its whole life if shorter)."""
        key = (story.id, story.n_articles, story.last_seen_at.isoformat() if story.last_seen_at else "")
        with self._lock:
            if key in self._items:
                self._items.move_to_end(key)
                return self._items[key]
        counts = _daily_counts(store, story)
        with self._lock:
            self._items[key] = counts
            while len(self._items) > self.size:
                self._items.popitem(last=False)
        return counts


def _daily_counts(store: StoryReader, story: Story) -> tuple[int, ...]:
    """Dated articles per day over the ``SPARK_DAYS`` days ending at the story's last dated article."""
    detail = store.get_story(story.id)
    if detail is None:
        return ()
    moments = [(a.published_at, "") for a in story_articles(store, detail) if a.published_at is not None]
    if not moments:
        return ()
    last = max(m for m, _ in moments if m is not None).date()
    bins = make_bins(last - timedelta(days=SPARK_DAYS - 1), last, max_bins=SPARK_DAYS)
    counts = [0] * bins.n
    for moment, _ in moments:
        if moment is not None and moment.date() >= bins.first:
            counts[bins.index(moment.date())] += 1
    return tuple(counts)


@dataclass(frozen=True, slots=True)
class ArticleRow:
    """An original article of a story with the near-copies folded under it."""

    article: Article
    copies: tuple[Article, ...] = ()


def fold_copies(store: StoryReader, articles: Sequence[Article]) -> list[ArticleRow]:
    """Originals in the given order, each with its copies (those in the list and those the store knows)."""
    ids = {a.id for a in articles}
    in_list: dict[str, list[Article]] = {}
    for a in articles:
        if a.duplicate_of is not None and a.duplicate_of in ids:
            in_list.setdefault(a.duplicate_of, []).append(a)
    rows = []
    for a in articles:
        if a.duplicate_of is not None and a.duplicate_of in ids:
            continue
        copies = list(in_list.get(a.id, []))
        seen = {c.id for c in copies}
        copies += [c for c in store.duplicates_of(a.id) if c.id not in seen and c.id != a.id]
        rows.append(ArticleRow(a, tuple(copies)))
    return rows


@dataclass(frozen=True, slots=True)
class Neighbours:
    """Where a story sits in its storyline."""

    storyline: Storyline | None = None
    previous: Story | None = None
    next: Story | None = None
    position: int = 0


def neighbours(store: StoryReader, story: Story) -> Neighbours:
    """The storyline of ``story`` and the stories just before and after it."""
    if story.storyline_id is None:
        return Neighbours()
    line = store.get_storyline(story.storyline_id)
    if line is None:
        return Neighbours()
    ids = list(line.story_ids)
    if story.id not in ids:
        return Neighbours(line)
    k = ids.index(story.id)
    previous = store.get_story(ids[k - 1]) if k > 0 else None
    following = store.get_story(ids[k + 1]) if k + 1 < len(ids) else None
    return Neighbours(line, previous, following, k + 1)


@dataclass(frozen=True, slots=True)
class StoryDetail:
    """Everything the story page and ``GET /api/v1/stories/{id}`` show."""

    story: Story
    articles: list[Article]
    events: list[StoryEvent] = field(default_factory=list)


def story_detail(store: StoryReader, story_id: str, *, limit: int | None = None) -> StoryDetail | None:
    """The story, its articles in time order (at most ``limit``) and its merge events."""
    story = store.get_story(story_id)
    if story is None:
        return None
    wanted = story.article_ids if limit is None else story.article_ids[:limit]
    articles = [a for a in (store.get_article(i) for i in wanted) if a is not None]
    return StoryDetail(story, articles, store.story_events(story_id))


def storyline_members(store: StoryReader, line: Storyline) -> list[Story]:
    """The storyline's stories in time order."""
    return [s for s in (store.get_story(i) for i in line.story_ids) if s is not None]


@dataclass(frozen=True, slots=True)
class Named:
    """An entity as an article mentions it: its id (None when not resolved), name, type, mentions."""

    entity_id: str | None
    name: str
    type: str
    n: int


@dataclass(frozen=True, slots=True)
class FactsView:
    """What the understanding stage found in one article, ready for its page."""

    named: list[Named]
    quotes: list[tuple[Quote, str | None]]
    facts: ArticleFacts


def facts_view(store: StoryReader, article_id: str) -> FactsView:
    """The article's entities (most mentioned first), quotes with speaker names, dates and figures."""
    facts = store.article_facts(article_id)
    counts: dict[tuple[str | None, str], list[Mention]] = {}
    for m in facts.mentions:
        counts.setdefault((m.entity_id, m.text if m.entity_id is None else ""), []).append(m)
    ids = {m.entity_id for m in facts.mentions if m.entity_id} | {
        q.speaker_entity_id for q in facts.quotes if q.speaker_entity_id
    }
    entities = {i: e for i in ids if (e := store.get_entity(i)) is not None}
    named = []
    for (entity_id, text), mentions in counts.items():
        entity = entities.get(entity_id or "")
        name = entity.name if entity else (text or mentions[0].text)
        kind = entity.type if entity else mentions[0].type
        named.append(Named(entity_id if entity else None, name, kind, len(mentions)))
    named.sort(key=lambda x: (-x.n, x.name))
    quotes = [(q, _speaker(q, entities)) for q in facts.quotes]
    return FactsView(named, quotes, facts)


def _speaker(quote: Quote, entities: dict[str, Entity]) -> str | None:
    entity = entities.get(quote.speaker_entity_id or "")
    return entity.name if entity else quote.speaker


@dataclass(frozen=True, slots=True)
class Speaker:
    """One speaker of a story and what they said: ``entity_id`` None when not resolved to an entity."""

    entity_id: str | None
    name: str
    quotes: tuple[Quote, ...]


def story_speakers(store: StoryReader, story_id: str, *, limit: int = 300) -> list[Speaker]:
    """The story's quotes grouped by speaker (one group per entity, else per speaker text), the most
    quoted first; quotes with no speaker are left out."""
    groups: dict[str, list[Quote]] = {}
    for quote in store.list_quotes(story_id=story_id, limit=limit, min_confidence=DEFAULT_MIN_CONFIDENCE):
        if quote.speaker_entity_id:
            groups.setdefault("e:" + quote.speaker_entity_id, []).append(quote)
        elif quote.speaker and quote.speaker.strip():
            groups.setdefault("t:" + " ".join(quote.speaker.split()).casefold(), []).append(quote)
    found = []
    for key, quotes in groups.items():
        entity = store.get_entity(key[2:]) if key.startswith("e:") else None
        name = entity.name if entity else (quotes[0].speaker or "").strip()
        found.append(Speaker(entity.id if entity else None, name, tuple(quotes)))
    found.sort(key=lambda s: (-len(s.quotes), s.name))
    return found


def marked_paragraphs(text: str, span: tuple[int, int] | None) -> list[list[tuple[str, bool]]]:
    """``text`` cut into paragraphs (its non-blank lines), each a list of ``(piece, marked)`` where
    ``marked`` pieces fall inside ``span`` (character offsets into ``text``)."""
    out: list[list[tuple[str, bool]]] = []
    at = 0
    for line in text.split("\n"):
        start, at = at, at + len(line) + 1
        lead = len(line) - len(line.lstrip())
        body = line.strip()
        if not body:
            continue
        b0 = start + lead
        b1 = b0 + len(body)
        if span is None or span[1] <= b0 or span[0] >= b1:
            out.append([(body, False)])
            continue
        s0, s1 = max(span[0], b0) - b0, min(span[1], b1) - b0
        pieces = [(body[:s0], False), (body[s0:s1], True), (body[s1:], False)]
        out.append([p for p in pieces if p[0]])
    return out
