"""The two endpoints that run the pipeline on the caller's input: compare and ingest.

Everything else in ``web/`` reads the store only. Input given here never makes the server read a
path or fetch a URL of the caller's choosing: bodies and uploads are read from memory, feeds are
taken as they are (``fetch_feed_links`` off), and runs use one process (``workers=1``; forking a
threaded server is unsafe). Ingest runs one at a time, under the store's writer lock
(``storyline.store.lock``; held by another process: 503), and reuses its dedup/assignment state while
the store holds exactly the articles it left there.
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import json
import logging
import threading
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any, cast

from starlette.exceptions import HTTPException

from storyline.alerts import on_batch
from storyline.batching import RunStats
from storyline.errors import Rejected
from storyline.ingest import iter_stream, jsonl_item, looks_like_html
from storyline.model import Article, Batch, RawDoc, Rejection
from storyline.pipeline import Components, article_from, run
from storyline.settings import Settings
from storyline.shapes import pair_score_json
from storyline.store import StoryReader, StoryWriter, WatchStore
from storyline.store.lock import WriterLock
from storyline.web.errors import Unavailable, param_error, store_busy

LOGGER = logging.getLogger(__name__)

MAX_JSON_ITEMS = 1000
MAX_COMPARE_CHARS = 200_000


def content_hash(data: bytes) -> str:
    """A short content hash, used to name an input's origin (``api:1a2b3c4d5e6f``)."""
    return hashlib.sha256(data).hexdigest()[:12]


class CompareService:
    """Scores two articles (stored ids or pasted texts) with ``storyline.stories.similarity``."""

    def __init__(self, store: StoryReader, settings: Settings) -> None:
        self.store = store
        self.settings = settings
        self._lock = threading.Lock()

    def __repr__(self) -> str:
        return f"CompareService(store={self.store!r})"

    def resolve(self, name: str, *, article_id: str | None, text: str | None, title: str = "") -> Article:
        """The article for one side: a stored id (404 when unknown) or a text extracted on the fly."""
        if article_id:
            found = self.store.get_article(article_id)
            if found is None:
                raise HTTPException(404, f"{name}: no article {article_id!r}")
            return found
        if not text or not text.strip():
            raise param_error(name, "give an article id or a text", None, where="body")
        hints = {"title": title.strip()} if title.strip() else {}
        body = text.encode("utf-8", "replace")
        origin = f"compare:{name}:{content_hash(body)}"
        raw = RawDoc(origin, "html" if looks_like_html(text) else "text", body, hints=hints)
        try:
            return article_from(raw, self.settings)
        except Rejected as r:
            raise param_error(name, f"cannot read this text ({r.reason}): {r.detail}", None, "body") from r

    def score(self, a: Article, b: Article) -> dict[str, Any]:
        """``pair_score_json`` of the pair (the embedder loads on the first call: seconds)."""
        from storyline.embed import embedder_for
        from storyline.stories.similarity import PairInput, default_scorer, score_pair

        with self._lock:
            scorer = default_scorer(embedder_for(self.settings.embedder))
            score = score_pair(PairInput.from_article(a), PairInput.from_article(b), scorer=scorer)
        return pair_score_json(score)


class IngestService:
    """Runs ``storyline.pipeline.run`` over caller input, one run at a time."""

    def __init__(self, store: StoryReader, settings: Settings) -> None:
        self.store = store
        self.writer: StoryWriter | None = None
        if isinstance(store, StoryWriter) and not getattr(store, "readonly", False):
            self.writer = store
        self.settings = settings.replace(workers=1, fetch_feed_links=False)
        self._lock = threading.Lock()
        self._components: Components | None = None
        self._count_after: int | None = None

    def __repr__(self) -> str:
        return f"IngestService(store={self.store!r}, writable={self.writer is not None})"

    def run(
        self, items: Iterable[RawDoc | Rejection], *, seen: Callable[[Batch], object] | None = None
    ) -> RunStats:
        """Store ``items``; returns the run's counts. ``seen`` is shown each batch once it is
        committed (the upload page lists the articles stored and the rejections)."""
        if self.writer is None:
            raise HTTPException(405, "this server's store is read-only: ingest with `storyline ingest`")
        committed = RunStats()

        def stored(batch: Batch) -> None:
            committed.stored += len(batch.articles)
            committed.duplicates += sum(1 for a in batch.articles if a.duplicate_of)
            committed.rejected += len(batch.rejections)
            self._alerts(batch)
            if seen is not None:
                seen(batch)

        path = getattr(self.writer, "path", None)
        url = getattr(self.writer, "url", None)  # PostgresStore: its advisory writer lock
        lock: Any = WriterLock(path) if isinstance(path, Path) else contextlib.nullcontext()
        if isinstance(url, str):
            from storyline.store.postgres_lock import PostgresWriterLock

            lock = PostgresWriterLock(url)
        with self._lock, lock:  # the writer lock: no CLI ingest changes the state we restore from
            components = self._components
            if components is None or self._count_after != self.store.count_articles():
                components = Components.for_store(self.settings, self.writer)
            try:
                stats = run(items, components, self.writer, on_stored=stored)
            except Exception as e:
                self._components = None
                if store_busy(e):
                    counts = {k: committed.as_dict()[k] for k in ("stored", "duplicates", "rejected")}
                    LOGGER.warning("web ingest: stopped, store busy: %s (committed %s)", e, counts)
                    raise Unavailable("ingest stopped before the end", committed=counts) from e
                raise
            except BaseException:
                self._components = None
                raise
            self._components, self._count_after = components, self.store.count_articles()
        LOGGER.info("web ingest: %s", stats.summary())
        return stats

    def _alerts(self, batch: Batch) -> None:
        """Raise the watchlists' alerts for a stored batch."""
        if isinstance(self.writer, WatchStore):  # SqliteStore and MemoryStore are
            on_batch(cast(Any, self.writer), batch)

    def items_from_bytes(self, data: bytes, *, origin: str, name: str = "") -> Iterator[RawDoc | Rejection]:
        """The items in a body or uploaded file, classified by content (text, HTML, JSONL, feed, WARC)."""
        return iter_stream(io.BytesIO(data), origin, self.settings, size=len(data), name=name)

    def items_from_json(self, value: Any, *, origin: str) -> list[RawDoc | Rejection]:
        """Items from a JSON object ``{text, title, url, published, source, language, id}`` or a list of
        them; an entry without text becomes a rejection, as a bad JSONL line does."""
        entries = value if isinstance(value, list) else [value]
        if not isinstance(value, list | dict):
            raise param_error("body", "expected a JSON object with 'text', or a list of them", None, "body")
        if len(entries) > MAX_JSON_ITEMS:
            raise param_error("body", f"at most {MAX_JSON_ITEMS} articles per request", None, "body")
        items: list[RawDoc | Rejection] = []
        for i, entry in enumerate(entries, 1):
            line = json.dumps(entry).encode("ascii")
            item = jsonl_item(line, f"{origin}:{i}")
            if item is not None:
                items.append(item)
        return items
