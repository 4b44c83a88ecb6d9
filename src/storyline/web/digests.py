"""The digest of a story or storyline for the web: computed once, cached, shared by page and API.

``DigestService.get(subject_id, since=...)`` returns ``storyline.digest.digest_json`` (the
``storyline digest --json`` shape) and caches it in memory under the subject's article ids (a story
that grows or merges gets a new key) and the ``since`` asked for. The embedder is loaded on the
first digest (seconds) and kept; sentence rows are cached in the store by the digest itself.
A digest of a 50-article story costs about a second on two cores the first time, so the Story page
never computes one inline: it shows a cached one, or links to ``/stories/{id}/digest`` (and
``static/app.js`` loads that page's digest section in place).

**What's new**, when no ``since`` is given, is the subject's *latest update*: the articles stored
in its last batch (stored within ``BATCH_GAP`` of each other, counting back from the newest),
against everything stored before. When the whole subject arrived in one batch, it is the
article stored last (the CLI's default), against the rest.
"""

from __future__ import annotations

import logging
import threading
from collections import OrderedDict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from markupsafe import Markup

from storyline.digest import build_digest, digest_json, subject_articles
from storyline.embed import Embedder, embedder_for
from storyline.model import Article, timex_label
from storyline.store import StoryReader
from storyline.web.charts_events import EventMark, event_chart
from storyline.web.render import path_id

LOGGER = logging.getLogger(__name__)

BATCH_GAP = timedelta(minutes=30)
"""Articles stored less than this apart belong to one update of a story."""
CACHE_SIZE = 256


@dataclass(frozen=True, slots=True)
class DigestView:
    """A digest as the CLI prints it (``shape``), with what the page adds: how "new" was chosen and
    the titles of the articles it cites."""

    shape: dict[str, Any]
    new_window: str
    titles: dict[str, str]
    chart: Markup


@dataclass(frozen=True, slots=True)
class Update:
    """Which articles "what's new" covers: ``since_ingested`` (None: the article stored last)."""

    since_ingested: datetime | None
    n_new: int
    how: str


def latest_update(articles: Sequence[Article]) -> Update:
    """The subject's last batch of stored articles (``articles`` in stored order)."""
    if not articles:
        return Update(None, 0, "no articles")
    k = len(articles) - 1
    while k > 0 and articles[k].ingested_at - articles[k - 1].ingested_at <= BATCH_GAP:
        k -= 1
    if k == 0:
        return Update(None, 1, "the article stored last (the whole story arrived in one update)")
    return Update(articles[k].ingested_at, len(articles) - k, "the articles of the latest update")


def subject_key(store: StoryReader, subject_id: str) -> tuple[str, ...] | None:
    """The subject's member ids (a new key when it grows or merges); None when unknown."""
    story = store.get_story(subject_id)
    if story is not None:
        return ("story", story.id, *story.article_ids)
    line = store.get_storyline(subject_id)
    if line is None:
        return None
    members = [store.get_story(i) for i in line.story_ids]
    return ("storyline", line.id, *(f"{s.id}:{s.n_articles}" for s in members if s is not None))


class DigestService:
    """Digests of stories and storylines, computed one at a time and kept in a bounded LRU."""

    def __init__(
        self, store: StoryReader, *, embedder: Embedder | None = None, size: int = CACHE_SIZE
    ) -> None:
        self.store = store
        self.size = size
        self._embedder = embedder
        self._lock = threading.Lock()  # guards the cache only: held for microseconds
        self._computing = threading.Lock()
        self._items: OrderedDict[tuple[Any, ...], DigestView] = OrderedDict()

    def __repr__(self) -> str:
        return f"DigestService(cached={len(self._items)}, size={self.size})"

    def _key(self, subject_id: str, since: datetime | None) -> tuple[Any, ...] | None:
        members = subject_key(self.store, subject_id)
        return None if members is None else (members, since.isoformat() if since else None)

    def cached(self, subject_id: str, *, since: datetime | None = None) -> DigestView | None:
        """The digest if it is cached now (never computes one, never waits for one being computed)."""
        key = self._key(subject_id, since)
        return self._peek(key) if key is not None else None

    def _peek(self, key: tuple[Any, ...]) -> DigestView | None:
        with self._lock:
            found = self._items.get(key)
            if found is not None:
                self._items.move_to_end(key)
            return found

    def get(self, subject_id: str, *, since: datetime | None = None) -> DigestView | None:
        """The digest of the story or storyline ``subject_id``; None when there is neither."""
        key = self._key(subject_id, since)
        if key is None:
            return None
        found = self._peek(key)
        if found is not None:
            return found
        with self._computing:  # one digest at a time: the embedder and the parser are not thread-safe
            found = self._peek(key)  # computed while this request waited
            if found is not None:
                return found
            view = self._compute(subject_id, since)
        with self._lock:
            self._items[key] = view
            while len(self._items) > self.size:
                self._items.popitem(last=False)
        return view

    def _compute(self, subject_id: str, since: datetime | None) -> DigestView:
        if self._embedder is None:
            self._embedder = embedder_for("use.v1")
        update = None
        if since is None:
            _, articles = subject_articles(self.store, subject_id)
            update = latest_update(articles)
        result = build_digest(
            self.store,
            subject_id,
            embedder=self._embedder,
            since=since,
            since_ingested=update.since_ingested if update else None,
        )
        titles = {a.id: a.title or "" for a in result.articles.values()}
        how = update.how if update else "the articles published on or after the time asked for"
        shape = digest_json(result)
        return DigestView(shape, how, titles, timeline_chart(shape))


def timeline_chart(shape: dict[str, Any]) -> Markup:
    """The digest's dated events as an SVG chart (``charts_events``)."""
    marks = []
    for event in shape["timeline"]:
        if not event["date"] or not event["sources"]:
            continue
        first = event["sources"][0]
        href = f"/articles/{path_id(first['article_id'])}?at={first['start']}-{first['end']}#at"
        marks.append(
            EventMark(
                date.fromisoformat(event["date"]),
                event["status"] == "upcoming",
                first["sentence"],
                href,
                when=timex_label(event["value"]),
            )
        )
    return event_chart(marks, title="dated events: filled happened, hollow upcoming")


def digest_context(view: DigestView, base: str) -> dict[str, Any]:
    """What ``_digest.html``'s ``digest_sections`` needs."""
    return {"d": view.shape, "view": view, "base": base, "chart": view.chart}
