"""The sentence rows an ingest already embedded, as the digest keeps them in the store.

The digest counts the first ``MAX_SENTENCES`` sentences of an article (``split_sentences``) that
carry at least ``MIN_WORDS`` words (``counted_spans``). An ingest with stories on embeds the same
sentences of every article (``embed_articles``), so ``cached_rows_from_ingest`` turns its rows into
the digest's cache entry: the writer stores them after the commit (``storyline.batching``) under
``sentence_key(embedder name)``, and the digest (``storyline.digest``) reads them back instead of
embedding the story's sentences again on its first view.
"""

from __future__ import annotations

import re

import numpy as np

from storyline.embed import MAX_SENTENCES, ArticleVectors
from storyline.embed.segment import split_sentences
from storyline.model import Article

__all__ = [
    "MIN_WORDS",
    "SENTENCES_VERSION",
    "STORED",
    "Spans",
    "cached_rows_from_ingest",
    "counted_spans",
    "sentence_key",
]

MIN_WORDS = 5
"""A sentence needs this many words to count (datelines and crossheads have fewer)."""
SENTENCES_VERSION = "sentences.v2"
"""Names how ``counted_spans`` cuts text; a new cut needs a new name (cached spans would not fit)."""
STORED = np.float16
"""Rows are kept as float16 (half the bytes to read; cosines change by about 1e-3)."""
Spans = tuple[tuple[int, int], ...]

_WORD = re.compile(r"[^\W_]+(?:[.,'’][^\W_]+)*", re.UNICODE)


def counted_spans(text: str, *, min_words: int = MIN_WORDS) -> list[tuple[int, int]]:
    """The spans of the sentences of ``text`` (the first ``MAX_SENTENCES``) that have at least
    ``min_words`` words, in text order."""
    out: list[tuple[int, int]] = []
    for start, end in split_sentences(text, max_sentences=MAX_SENTENCES):
        if len(_WORD.findall(text[start:end])) >= min_words:
            out.append((start, end))
    return out


def sentence_key(embedder_name: str) -> str:
    """The cache key of sentence rows made by ``embedder_name`` with this module's cut."""
    return f"{embedder_name}/{SENTENCES_VERSION}"


def cached_rows_from_ingest(article: Article, vectors: ArticleVectors) -> tuple[Spans, bytes] | None:
    """The digest's cache entry for ``article`` from the sentence rows ingest already embedded.

    The assigner embeds the first ``MAX_SENTENCES`` sentences of every article with the same cut
    (``split_sentences``) and text, so the digest can reuse them instead of embedding the story's
    sentences again on its first view (about 4 ms a sentence). None when a counted sentence has no
    row (a cut changed since; the digest then embeds the article itself).
    """
    wanted = counted_spans(article.text)
    index = {span: i for i, span in enumerate(vectors.sentence_spans)}
    picks = [index.get(span) for span in wanted]
    if any(i is None for i in picks):
        return None
    rows = vectors.sentences[[i for i in picks if i is not None]]
    spans = tuple(wanted)
    return spans, np.ascontiguousarray(rows, dtype=STORED).tobytes()
