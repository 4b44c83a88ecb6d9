"""Search by meaning: the nearest stored articles to a query, across languages, and both orders merged.

Every original article has a document vector from the multilingual embedder (``settings.embedder``,
``use.v1``) in the store's ``vectors`` table. The index loads them once and again whenever the store
has changed (its write counter), embeds the query with the same embedder, and searches exactly (one
matrix product) up to ``EXACT_MAX`` vectors, beyond with the HNSW graph of ``stories/index.py``;
candidates are always re-scored exactly (cosine). Filters are applied to the candidates, so a narrow
filter may find fewer than asked for. ``both`` merges the word and the meaning hits by reciprocal rank
fusion (``1/(60 + rank)`` summed), the usual way to combine rankings whose scores do not compare.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
import numpy.typing as npt

from storyline.embed import Embedder, embedder_for
from storyline.model import Article
from storyline.store import ArticleFilter, SearchHit, StoryReader
from storyline.stories.assign import EXACT_MAX, VectorIndex

if TYPE_CHECKING:
    from storyline.web.context import WebContext

LOGGER = logging.getLogger(__name__)

MODES = ("words", "meaning", "both")
MAX_CANDIDATES = 2_000
"""Most nearest articles looked at for one query (filters and paging work within them)."""
RRF_K = 60
MAX_ENTITY_ARTICLES = 100_000
"""With an entity filter, meaning hits are kept among its latest this many articles."""
_ALL = ArticleFilter()
SNIPPET_CHARS = 200


@dataclass(frozen=True, slots=True)
class _Loaded:
    version: int | None
    ids: list[str]
    matrix: npt.NDArray[np.float16]
    index: VectorIndex


def _passes(a: Article, f: ArticleFilter) -> bool:
    if f.since is not None and (a.published_at is None or a.published_at < f.since):
        return False
    if f.until is not None and (a.published_at is None or a.published_at >= f.until):
        return False
    return (
        (f.source is None or a.source == f.source)
        and (f.language is None or a.language == f.language)
        and (f.agency is None or a.agency == f.agency)
        and (f.include_duplicates or a.duplicate_of is None)
    )


class MeaningIndex:
    """The store's article vectors of one embedder, searchable by a query text."""

    def __init__(
        self,
        store: StoryReader,
        embedder_name: str,
        *,
        version: Callable[[], int] | None = None,
        embedder: Embedder | None = None,
        exact_max: int = EXACT_MAX,
    ) -> None:
        self.store = store
        self.embedder_name = embedder_name
        self.version = version
        self.exact_max = exact_max
        self._embedder = embedder
        self._loaded: _Loaded | None = None
        self._lock = threading.Lock()

    def __repr__(self) -> str:
        n = len(self._loaded.ids) if self._loaded else 0
        return f"MeaningIndex({self.embedder_name!r}, {n} vectors)"

    def embedder(self) -> Embedder:
        if self._embedder is None:
            self._embedder = embedder_for(self.embedder_name)
        return self._embedder

    def _current(self) -> _Loaded:
        version = self.version() if self.version is not None else None
        with self._lock:
            loaded = self._loaded
            if loaded is not None and version is not None and loaded.version == version:
                return loaded
            ids: list[str] = []
            rows: list[npt.NDArray[np.float32]] = []
            for article_id, blob in self.store.iter_vectors(self.embedder_name):
                ids.append(article_id)
                rows.append(np.frombuffer(blob, dtype=np.float32))
            dim = self.embedder().dim
            matrix = np.vstack(rows).astype(np.float32) if rows else np.zeros((0, dim), np.float32)
            index = VectorIndex(dim, exact_max=self.exact_max)
            index.reload(np.arange(len(ids), dtype=np.int64), matrix)
            loaded = _Loaded(version, ids, matrix.astype(np.float16), index)
            self._loaded = loaded
            LOGGER.info("meaning search: %d vectors of %s loaded", len(ids), self.embedder_name)
            return loaded

    def nearest(self, text: str, k: int = MAX_CANDIDATES) -> list[tuple[str, float]]:
        """``(article id, cosine)`` of the ``k`` stored articles nearest to ``text``, nearest first."""
        if not text.strip():
            return []
        loaded = self._current()
        query = self.embedder().embed([text])[0].astype(np.float32)
        if not np.any(query) or not loaded.ids:
            return []
        slots = loaded.index.search(query, min(k, MAX_CANDIDATES))
        scores = loaded.matrix[slots].astype(np.float32) @ query
        pairs = sorted(zip(slots, scores.tolist(), strict=True), key=lambda p: (-p[1], p[0]))
        return [(loaded.ids[s], float(c)) for s, c in pairs]

    def search(
        self, text: str, filters: ArticleFilter = _ALL, *, limit: int = 50, offset: int = 0
    ) -> list[SearchHit]:
        """The nearest articles passing ``filters`` as search hits (``rank`` the cosine, the snippet the
        article's opening)."""
        hits: list[SearchHit] = []
        wanted = offset + limit
        mentioning = None
        if filters.entity is not None:
            mentioning = set(self._entity_articles(filters))
        for article_id, cosine in self.nearest(text):
            article = self.store.get_article(article_id)
            if article is None or not _passes(article, filters):
                continue
            if mentioning is not None and article_id not in mentioning:
                continue
            hits.append(SearchHit(article, _opening(article.text), cosine))
            if len(hits) >= wanted:
                break
        return hits[offset:wanted]

    def _entity_articles(self, filters: ArticleFilter) -> list[str]:
        only = ArticleFilter(entity=filters.entity)
        return [a.id for a in self.store.list_articles(only, limit=MAX_ENTITY_ARTICLES)]


def _opening(text: str) -> str:
    head = " ".join(text.split())
    return head if len(head) <= SNIPPET_CHARS else head[: SNIPPET_CHARS - 1].rsplit(" ", 1)[0] + "…"


def fuse(*rankings: list[SearchHit], limit: int, offset: int = 0) -> list[SearchHit]:
    """Reciprocal rank fusion of hit lists (each best first); ``rank`` becomes the fused score and
    the snippet is the first list's that has the article (word snippets mark the matches)."""
    score: dict[str, float] = {}
    first: dict[str, SearchHit] = {}
    for hits in rankings:
        for position, hit in enumerate(hits):
            key = hit.article.id
            score[key] = score.get(key, 0.0) + 1.0 / (RRF_K + position + 1)
            first.setdefault(key, hit)
    order = sorted(score, key=lambda k: (-score[k], k))[offset : offset + limit]
    return [SearchHit(first[k].article, first[k].snippet, round(score[k], 6)) for k in order]


def search(
    index: MeaningIndex,
    store: StoryReader,
    q: str,
    filters: ArticleFilter,
    *,
    mode: str,
    limit: int,
    offset: int,
) -> list[SearchHit]:
    """Hits for ``q`` by words (the store's full-text index), by meaning, or both merged."""
    if mode == "words":
        return store.search(q, filters, limit=limit, offset=offset)
    if mode == "meaning":
        return index.search(q, filters, limit=limit, offset=offset)
    depth = offset + limit
    words = store.search(q, filters, limit=depth * 2)
    meaning = index.search(q, filters, limit=depth * 2)
    return fuse(words, meaning, limit=limit, offset=offset)


def meaning_index(ctx: WebContext) -> MeaningIndex:
    """The app's meaning index (made on first use: loading the embedder takes seconds)."""
    found = getattr(ctx, "_meaning_index", None)
    if isinstance(found, MeaningIndex):
        return found
    version = getattr(ctx.store, "version", None)
    changed = version if callable(version) else None
    index = MeaningIndex(ctx.store, ctx.settings.embedder, version=changed, embedder=ctx.embedder)
    setattr(ctx, "_meaning_index", index)  # noqa: B010 (cached on the context, which has no slot for it)
    return index
