"""``MemoryStore``: the store in plain Python dicts (``memory.v1``), for tests and throwaway runs.

It behaves as ``SqliteStore`` does (the contract suite runs over both): idempotent batches where
the first write wins, the same ordering, filters and counts, and a search that folds case and
accents, ranks by term frequency with the title weighted higher, and marks matches with ``[`` ``]``.
Nothing is persisted.
"""

from __future__ import annotations

import dataclasses
import logging
import threading
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from datetime import UTC, datetime, timedelta
from pathlib import Path
from types import MappingProxyType

from storyline.model import Article, Batch, BoilerplateCount, RawDoc, Rejection
from storyline.registry import register
from storyline.store.memory_activity import MemoryActivityStore
from storyline.store.memory_facts import MemoryFactStore
from storyline.store.memory_sentences import MemorySentenceStore
from storyline.store.memory_sources import MemorySourceStore
from storyline.store.memory_stories import MemoryStoryStore
from storyline.store.memory_watch import MemoryWatchStore
from storyline.store.protocols import ArticleFilter, SearchHit
from storyline.store.query import parse_query, term_words, tokenize

LOGGER = logging.getLogger(__name__)
_ALL = ArticleFilter()
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)

TITLE_WEIGHT = 4.0
SNIPPET_WORDS = 16
UNKNOWN = "unknown"

Token = tuple[str, int, int]
Compiled = list[list[tuple[list[str], bool]]]


def _utc(value: datetime) -> datetime:
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def _utc_or_none(value: datetime | None) -> datetime | None:
    return None if value is None else _utc(value)


class MemoryStore(
    MemoryStoryStore,
    MemoryFactStore,
    MemoryWatchStore,
    MemorySentenceStore,
    MemorySourceStore,
    MemoryActivityStore,
):
    """The whole ``Store`` protocol in memory; thread-safe behind one lock."""

    def __init__(self) -> None:
        self._lock = threading.RLock()
        self._articles: dict[str, Article] = {}
        self._seq: dict[str, int] = {}
        self._raws: dict[str, RawDoc] = {}
        self._rejections: dict[tuple[str, str, str], tuple[int, Rejection]] = {}
        self._minhashes: dict[str, tuple[str, bytes]] = {}
        self._boilerplate: dict[tuple[str, int], BoilerplateCount] = {}
        self._tokens: dict[str, tuple[list[str], list[Token]]] = {}
        self._init_stories()
        self._init_facts()
        self._init_watch()
        self._init_sentences()
        self._init_sources()

    def __repr__(self) -> str:
        return f"MemoryStore(<{len(self._articles)} articles>)"

    def __enter__(self) -> MemoryStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        """Nothing to release; the data stays readable."""

    # -- writer --------------------------------------------------------------------------------

    def write_batch(self, batch: Batch) -> None:
        """Store ``batch`` all at once; articles already stored are left as they are."""
        articles = [
            dataclasses.replace(a, published_at=_utc_or_none(a.published_at), ingested_at=_utc(a.ingested_at))
            for a in batch.articles
        ]
        raws = [dataclasses.replace(r, hints=MappingProxyType(dict(r.hints))) for r in batch.raws]
        rejections = [dataclasses.replace(r, at=_utc(r.at)) for r in batch.rejections]
        minhashes = {article_id: bytes(sig) for article_id, sig in batch.minhashes.items()}
        with self._lock:
            for raw in raws:
                self._raws.setdefault(raw.raw_id, raw)
            for article in articles:
                if article.id not in self._articles:
                    self._seq[article.id] = len(self._articles) + 1
                    self._articles[article.id] = article
            for article_id, sig in minhashes.items():
                stored = self._articles.get(article_id)
                if stored is not None and article_id not in self._minhashes:
                    self._minhashes[article_id] = (stored.content_hash, sig)
            for rejection in rejections:
                self._upsert_rejection(rejection)
            self._write_stories(batch)
            self._write_facts(batch)
            for row in batch.boilerplate:
                if row.n_articles > 0:
                    self._boilerplate[(row.outlet, row.key)] = row
                else:
                    self._boilerplate.pop((row.outlet, row.key), None)

    def clear_stories(self) -> None:
        """Forget every story decision and the boilerplate index (for a rebuild); articles stay."""
        with self._lock:
            super().clear_stories()
            self._boilerplate.clear()

    def iter_boilerplate(self, since: datetime | None = None) -> Iterator[BoilerplateCount]:
        """The boilerplate index's rows last seen at or after ``since`` (all when None; undated always)."""
        low = None if since is None else (_utc(since) - _EPOCH) // timedelta(microseconds=1)
        with self._lock:
            rows = list(self._boilerplate.values())
        return iter([r for r in rows if low is None or r.last_seen_us is None or r.last_seen_us >= low])

    def _upsert_rejection(self, rejection: Rejection) -> None:
        key = (rejection.origin, rejection.stage, rejection.reason)
        old = self._rejections.get(key)
        if old is None:
            self._rejections[key] = (len(self._rejections) + 1, rejection)
        else:
            raw = rejection.raw if rejection.raw is not None else old[1].raw
            self._rejections[key] = (old[0], dataclasses.replace(rejection, raw=raw))

    def existing_article_ids(self, ids: Sequence[str]) -> set[str]:
        """Which of ``ids`` are already stored."""
        with self._lock:
            return {article_id for article_id in ids if article_id in self._articles}

    def iter_articles(self) -> Iterator[Article]:
        """Every stored article in the order stored (for rebuilds)."""
        with self._lock:
            return iter(list(self._articles.values()))

    def iter_minhashes(
        self, since: datetime | None = None
    ) -> Iterator[tuple[str, str, bytes, datetime | None]]:
        """``(article_id, content_hash, signature, published_at)`` of stored originals published
        since ``since`` (all when None; undated always), oldest first."""
        with self._lock:
            rows = [
                (article_id, *self._minhashes[article_id], article.published_at)
                for article_id, article in self._articles.items()
                if article.duplicate_of is None
                and article_id in self._minhashes
                and (since is None or article.published_at is None or article.published_at >= since)
            ]
        return iter(rows)

    def original_with_hash(self, content_hash: str) -> str | None:
        """The first stored original with ``content_hash``, or None."""
        with self._lock:
            return next(
                (
                    a.id
                    for a in self._articles.values()
                    if a.content_hash == content_hash and a.duplicate_of is None
                ),
                None,
            )

    def latest_published(self) -> datetime | None:
        """The latest ``published_at`` stored."""
        with self._lock:
            return max((a.published_at for a in self._articles.values() if a.published_at), default=None)

    # -- reader --------------------------------------------------------------------------------

    def get_article(self, article_id: str) -> Article | None:
        """The article with ``article_id``, or None."""
        with self._lock:
            return self._articles.get(article_id)

    def get_raw(self, raw_id: str) -> RawDoc | None:
        """The raw input stored under ``raw_id``, or None."""
        with self._lock:
            return self._raws.get(raw_id)

    def _select(self, filters: ArticleFilter) -> list[Article]:
        """Articles matching ``filters``, newest published first (unknown last), then newest stored."""
        since, until = _utc_or_none(filters.since), _utc_or_none(filters.until)
        mentioning = None if filters.entity is None else self._entity_articles(filters.entity)

        def keep(a: Article) -> bool:
            if since is not None and (a.published_at is None or a.published_at < since):
                return False
            if until is not None and (a.published_at is None or a.published_at >= until):
                return False
            return (
                (filters.source is None or a.source == filters.source)
                and (filters.language is None or a.language == filters.language)
                and (filters.agency is None or a.agency == filters.agency)
                and (filters.include_duplicates or a.duplicate_of is None)
                and (mentioning is None or a.id in mentioning)
            )

        with self._lock:
            chosen = [a for a in self._articles.values() if keep(a)]
            seq = dict(self._seq)
        low = datetime.min.replace(tzinfo=UTC)
        return sorted(
            chosen, key=lambda a: (a.published_at is not None, a.published_at or low, seq[a.id]), reverse=True
        )

    def list_articles(
        self, filters: ArticleFilter = _ALL, *, limit: int = 50, offset: int = 0
    ) -> list[Article]:
        """Articles matching ``filters``, newest published first, unknown dates last."""
        if limit <= 0:
            return []
        start = max(offset, 0)
        return self._select(filters)[start : start + limit]

    def count_articles(self, filters: ArticleFilter = _ALL) -> int:
        """How many articles match ``filters``."""
        return len(self._select(filters))

    def duplicates_of(self, article_id: str) -> list[Article]:
        """Articles whose ``duplicate_of`` is ``article_id``, in the order stored."""
        with self._lock:
            return [a for a in self._articles.values() if a.duplicate_of == article_id]

    def search(
        self, query: str, filters: ArticleFilter = _ALL, *, limit: int = 50, offset: int = 0
    ) -> list[SearchHit]:
        """Case- and accent-folded search over title and text, ranked by weighted term frequency."""
        groups = parse_query(query)
        if not groups or limit <= 0:
            return []
        compiled: Compiled = [[(term_words(term), term.prefix) for term in group] for group in groups]
        scored: list[tuple[float, int, SearchHit]] = []
        for article in self._select(filters):
            title_words, text_tokens = self._tokens_of(article)
            text_words = [word for word, _, _ in text_tokens]
            score = 0.0
            for group in compiled:
                group_score = sum(
                    TITLE_WEIGHT * len(_find(title_words, words, prefix))
                    + len(_find(text_words, words, prefix))
                    for words, prefix in group
                )
                if group_score == 0:
                    break
                score += group_score
            else:
                hit = SearchHit(
                    article=article, snippet=_snippet(article.text, text_tokens, compiled), rank=score
                )
                scored.append((score, self._seq[article.id], hit))
        scored.sort(key=lambda item: (item[0], item[1]), reverse=True)
        start = max(offset, 0)
        return [hit for _, _, hit in scored[start : start + limit]]

    def _tokens_of(self, article: Article) -> tuple[list[str], list[Token]]:
        cached = self._tokens.get(article.id)
        if cached is None:
            cached = ([word for word, _, _ in tokenize(article.title)], tokenize(article.text))
            self._tokens[article.id] = cached
        return cached

    def list_rejections(self, *, limit: int = 50, offset: int = 0) -> list[Rejection]:
        """Rejections, newest first."""
        if limit <= 0:
            return []
        with self._lock:
            entries = sorted(self._rejections.values(), key=lambda e: (e[1].at, e[0]), reverse=True)
        start = max(offset, 0)
        return [rejection for _, rejection in entries[start : start + limit]]

    def stats(self) -> dict[str, object]:
        """Counts of articles, duplicates, rejections and raws, by language/source/agency/reason."""
        with self._lock:
            articles = list(self._articles.values())
            rejections = [r for _, r in self._rejections.values()]
            n_raws = len(self._raws)
        n_duplicates = sum(1 for a in articles if a.duplicate_of is not None)
        dates = [a.published_at for a in articles if a.published_at is not None]
        return {
            "n_articles": len(articles),
            "n_originals": len(articles) - n_duplicates,
            "n_duplicates": n_duplicates,
            "n_rejections": len(rejections),
            "n_raws": n_raws,
            "by_language": _counts(a.language for a in articles),
            "by_source": _counts(a.source for a in articles),
            "by_agency": _counts(a.agency for a in articles),
            "first_published_at": min(dates).isoformat() if dates else None,
            "last_published_at": max(dates).isoformat() if dates else None,
            "rejections_by_reason": _counts(f"{r.stage}/{r.reason}" for r in rejections),
        }


def _counts(values: Iterable[str | None]) -> dict[str, int]:
    counts = Counter(UNKNOWN if value is None else value for value in values)
    return dict(sorted(counts.items(), key=lambda item: (-item[1], item[0])))


def _find(doc: list[str], words: list[str], prefix: bool) -> list[int]:
    """Start positions in ``doc`` where the phrase ``words`` occurs (last word a prefix if asked)."""
    if not words:
        return []
    n, last = len(words), len(words) - 1
    found = []
    for i in range(len(doc) - n + 1):
        if all(doc[i + j] == words[j] for j in range(last)) and (
            doc[i + last].startswith(words[last]) if prefix else doc[i + last] == words[last]
        ):
            found.append(i)
    return found


def _snippet(text: str, tokens: list[Token], compiled: Compiled) -> str:
    """About ``SNIPPET_WORDS`` words of ``text`` around the first match, each match in ``[`` ``]``."""
    if not tokens:
        return text
    words = [word for word, _, _ in tokens]
    spans: list[tuple[int, int]] = []  # matched token ranges, end exclusive
    for group in compiled:
        for phrase, prefix in group:
            spans += [(i, i + len(phrase)) for i in _find(words, phrase, prefix)]
    merged: list[tuple[int, int]] = []
    for first, last in sorted(spans):
        if merged and first < merged[-1][1]:
            merged[-1] = (merged[-1][0], max(last, merged[-1][1]))
        else:
            merged.append((first, last))
    focus = merged[0][0] if merged else 0
    begin = max(0, min(focus - 2, len(tokens) - SNIPPET_WORDS))
    end = min(len(tokens), begin + SNIPPET_WORDS)
    parts = ["…"] if begin > 0 else []
    cursor = tokens[begin][1] if begin > 0 else 0
    for first, last in merged:
        if first >= begin and last <= end:
            parts += [text[cursor : tokens[first][1]], "[", text[tokens[first][1] : tokens[last - 1][2]], "]"]
            cursor = tokens[last - 1][2]
    if end < len(tokens):
        parts += [text[cursor : tokens[end - 1][2]], "…"]
    else:
        parts.append(text[cursor:])
    return "".join(parts)


@register("store", "memory.v1")
def open_memory_store(path: str | Path | None = None, *, readonly: bool = False) -> MemoryStore:
    """Registry factory for ``memory.v1``; ``path`` and ``readonly`` are accepted and ignored."""
    return MemoryStore()


__all__ = ["MemoryStore", "open_memory_store"]
