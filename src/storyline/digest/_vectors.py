"""Sentence rows for the digest, embedded once per article and kept in the store when it can.

Embedding the sentences of a 1,000-article story takes about a minute on two cores, so rows are
cached (an ingest with stories on stores the rows it already made,
``embed.sentence_rows.cached_rows_from_ingest``): a
store with ``get_sentence_vectors``/``put_sentence_vectors`` (``SqliteStore`` and ``MemoryStore``,
see ``store.sqlite_watch``) keeps them keyed on ``(article_id, embedder name)`` with the sentence
spans they were made from (an article's text never changes, and the cache key carries
``SENTENCES_VERSION``, so the spans are reused without cutting the text again). Any other
``StoryReader`` gets rows embedded on each call.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from typing import Any

import numpy as np
import numpy.typing as npt

from storyline.digest._text import Sentence, article_sentences
from storyline.embed import Embedder
from storyline.embed.sentence_rows import STORED, Spans, sentence_key
from storyline.errors import StoreError
from storyline.model import Article
from storyline.store import SentenceRowStore

__all__ = ["SentenceRows", "sentence_rows"]

LOGGER = logging.getLogger(__name__)

Rows = npt.NDArray[np.float32]


class SentenceRows:
    """The sentences of some articles and their rows, stacked in article order."""

    def __init__(self, sentences: list[Sentence], rows: Rows) -> None:
        self.sentences = sentences
        self.rows = rows

    def __len__(self) -> int:
        return len(self.sentences)


def sentence_rows(store: object, articles: Sequence[Article], embedder: Embedder) -> SentenceRows:
    """Every counted sentence of ``articles`` (``article_sentences``) with its embedder row."""
    key = sentence_key(embedder.name)
    cached: dict[str, tuple[Spans, bytes]] = {}
    cache = store if isinstance(store, SentenceRowStore) else None
    if cache is not None:
        cached = cache.get_sentence_vectors([a.id for a in articles], key)
    per_article: dict[str, list[Sentence]] = {}
    rows_of: dict[str, npt.NDArray[np.floating[Any]]] = {}  # float16 as stored
    missing: list[str] = []
    for article in articles:
        hit = cached.get(article.id)
        if hit is not None and all(0 <= s < e <= len(article.text) for s, e in hit[0]):
            per_article[article.id] = [
                Sentence(article.id, s, e, article.text[s:e], article.language) for s, e in hit[0]
            ]
            rows_of[article.id] = np.frombuffer(hit[1], dtype=STORED).reshape(len(hit[0]), embedder.dim)
        else:
            per_article[article.id] = article_sentences(article)
            missing.append(article.id)
    if missing:
        texts = [s.text for a in missing for s in per_article[a]]
        embedded = embedder.embed(texts) if texts else np.zeros((0, embedder.dim), np.float32)
        fresh: dict[str, tuple[Spans, bytes]] = {}
        at = 0
        for article_id in missing:
            n = len(per_article[article_id])
            rows_of[article_id] = embedded[at : at + n].astype(STORED)  # as a cached read gives them
            fresh[article_id] = (
                tuple((s.start, s.end) for s in per_article[article_id]),
                np.ascontiguousarray(embedded[at : at + n], dtype=STORED).tobytes(),
            )
            at += n
        if cache is not None:
            try:
                cache.put_sentence_vectors(key, fresh)
            except StoreError as e:  # a read-only store still gets its digest
                LOGGER.debug("digest: sentence rows not cached: %s", e)
        LOGGER.info("digest: embedded %d sentences of %d articles", len(texts), len(missing))
    sentences = [s for a in articles for s in per_article[a.id]]
    rows = np.empty((len(sentences), embedder.dim), np.float32)
    at = 0
    for a in articles:  # one pass: copy and widen each article's rows into place
        n = len(per_article[a.id])
        rows[at : at + n] = rows_of[a.id]
        at += n
    return SentenceRows(sentences, rows)
