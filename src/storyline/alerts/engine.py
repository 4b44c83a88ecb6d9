"""Raising alerts: stored articles matched against every watchlist, each pair alerted once.

- ``on_batch(store, ids)``: after the pipeline stored a batch, evaluate its articles (the hook).
- ``refresh(store)``: evaluate every article stored since the last check (a cursor kept in the
  store under ``"alerts"``), so alerts come even where the hook is not wired. Both may run over the
  same articles: the store keeps one alert per watchlist and article, so nothing is duplicated.

Copies (``duplicate_of`` set) raise no alert: their original did. Entity names come from the
article's stored mentions (canonical names and aliases of their entities); the article's row from
the stored vectors of the embedder, else it is embedded here (title and head of the text).
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Protocol

import numpy as np
import numpy.typing as npt

from storyline.alerts.match import Matcher
from storyline.embed import HEAD_CHARS, Embedder, embedder_for
from storyline.model import Alert, Article, Batch, Watchlist, alert_id
from storyline.store import WatchStore

if TYPE_CHECKING:
    from storyline.store import Store

    class AlertStore(Store, WatchStore, Protocol):
        """A store that keeps articles, facts and watchlists (``SqliteStore``, ``MemoryStore``)."""


__all__ = ["CURSOR", "evaluate", "example_row", "on_batch", "refresh", "start_cursor"]

LOGGER = logging.getLogger(__name__)

Row = npt.NDArray[np.float32]
CURSOR = "alerts"
CHUNK = 500

_MATCHERS: dict[int, tuple[tuple[object, ...], Matcher]] = {}


def example_row(embedder: Embedder, text: str) -> bytes:
    """The row a watchlist keeps for its example text (embedded as an article head is)."""
    return np.ascontiguousarray(embedder.embed([text[:HEAD_CHARS]])[0]).tobytes()


def _matcher(store: WatchStore, watchlists: Sequence[Watchlist]) -> Matcher:
    """The compiled watchlists, rebuilt only when what they match changed (an edit keeps the id and
    the creation time: the terms, the example row and the threshold are the key)."""
    key = tuple((w.id, w.entities, w.keywords, w.example_vector, w.threshold) for w in watchlists)
    cached = _MATCHERS.get(id(store))
    if cached is None or cached[0] != key:
        cached = (key, Matcher(watchlists))
        _MATCHERS[id(store)] = cached
    return cached[1]


def _names(store: AlertStore, article_id: str, cache: dict[str, tuple[str, ...]]) -> set[str]:
    names: set[str] = set()
    for m in store.article_facts(article_id).mentions:
        names.add(m.text)
        if m.entity_id:
            if m.entity_id not in cache:
                entity = store.get_entity(m.entity_id)
                cache[m.entity_id] = (entity.name, *entity.aliases) if entity else ()
            names.update(cache[m.entity_id])
    return names


def evaluate(
    store: AlertStore, article_ids: Iterable[str], *, embedder: Embedder | None = None
) -> list[Alert]:
    """Match the stored articles ``article_ids`` against every watchlist; return the new alerts."""
    watch = store
    watchlists = watch.list_watchlists()
    if not watchlists:
        return []
    matcher = _matcher(watch, watchlists)
    articles = [
        a for a in (store.get_article(i) for i in article_ids) if a is not None and a.duplicate_of is None
    ]
    if not articles:
        return []
    rows: dict[str, Row] = {}
    if any(w.example_vector for w in watchlists):
        rows = _rows(store, articles, embedder)
    stories = store.story_ids_of([a.id for a in articles])
    entity_cache: dict[str, tuple[str, ...]] = {}
    alerts: list[Alert] = []
    for a in articles:
        for m in matcher.match(a.title, a.text, _names(store, a.id, entity_cache), rows.get(a.id)):
            alerts.append(
                Alert(
                    alert_id(m.watchlist.id, a.id),
                    m.watchlist.id,
                    a.id,
                    stories.get(a.id),
                    m.score,
                    m.reasons,
                    a.title or a.text[:120],
                    a.published_at,
                )
            )
    added = watch.add_alerts(alerts)
    LOGGER.info(
        "alerts: %d articles x %d watchlists -> %d new alerts", len(articles), len(watchlists), len(added)
    )
    return added


def _rows(store: AlertStore, articles: Sequence[Article], embedder: Embedder | None) -> dict[str, Row]:
    name = embedder.name if embedder is not None else "use.v1"
    stored = store.get_vectors([a.id for a in articles], name)
    rows = {i: np.frombuffer(b, np.float32) for i, b in stored.items()}
    missing = [a for a in articles if a.id not in rows]
    if missing:
        embedder = embedder or embedder_for(name)
        made = embedder.embed([f"{a.title}\n{a.text[:HEAD_CHARS]}".strip() for a in missing])
        rows.update({a.id: made[k] for k, a in enumerate(missing)})
    return rows


def on_batch(
    store: AlertStore, batch_or_ids: Batch | Iterable[str], *, embedder: Embedder | None = None
) -> list[Alert]:
    """The pipeline hook: evaluate the articles of a stored batch (or the given ids)."""
    ids = [a.id for a in batch_or_ids.articles] if isinstance(batch_or_ids, Batch) else list(batch_or_ids)
    return evaluate(store, ids, embedder=embedder) if ids else []


def start_cursor(store: WatchStore) -> None:
    """Start checking from the articles stored from now on (when no check ran yet)."""
    if store.get_cursor(CURSOR) is None:
        store.set_cursor(CURSOR, store.last_seq())


def refresh(store: AlertStore, *, embedder: Embedder | None = None) -> list[Alert]:
    """Evaluate every article stored since the last check and move the cursor past them."""
    watch = store
    seq = watch.get_cursor(CURSOR) or 0
    added: list[Alert] = []
    while True:
        chunk = watch.articles_after(seq, limit=CHUNK)
        if not chunk:
            return added
        added.extend(evaluate(store, [a for _, a in chunk], embedder=embedder))
        seq = chunk[-1][0]
        watch.set_cursor(CURSOR, seq)
