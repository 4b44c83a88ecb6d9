"""Text embedders: the ``Embedder`` protocol and helpers shared by every implementation.

An embedder turns texts into float32 rows, L2-normalised (a blank text gives a zero row), the same
rows for the same texts every time. Its ``name`` is versioned (``"use.v1"``) and is stored beside
every vector, so vectors of different embedders are never compared. An embedder that approximates
another one (``use.v1-int8``: ``use.v1`` with int8 products) names that one as its ``space``
(``space_of``): models fitted on the other's vectors read its vectors, the store keeps them apart.

Built-in embedders register under the role ``"embedder"``::

    from storyline import registry
    embedder = registry.create("embedder", "use.v1")
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol, runtime_checkable

from storyline import registry
from storyline.embed.rows import Vector, normalise_rows
from storyline.embed.segment import lead_span, split_sentences, title_span
from storyline.embed.use import UseEmbedder, UseInt8Embedder

__all__ = [
    "HEAD_CHARS",
    "MAX_SENTENCES",
    "TITLE_WEIGHT",
    "ArticleVectors",
    "Embedder",
    "UseEmbedder",
    "UseInt8Embedder",
    "Vector",
    "article_title",
    "embed_articles",
    "embedder_for",
    "head_of",
    "normalise_rows",
    "space_of",
]

LOGGER = logging.getLogger(__name__)

#: Sentences embedded per article at most (a long article's tail adds little and costs time).
MAX_SENTENCES = 48
#: Characters of the article's head embedded as one text for the document vector.
HEAD_CHARS = 1000
#: Weight of the title row added to the head row in the document vector.
TITLE_WEIGHT = 0.5


@runtime_checkable
class Embedder(Protocol):
    """Anything that embeds texts into L2-normalised float32 rows."""

    name: str
    dim: int

    def embed(self, texts: Sequence[str]) -> Vector:
        """``(len(texts), dim)`` float32, rows L2-normalised; a blank text gives a zero row."""
        ...


@dataclass(frozen=True, slots=True, eq=False)
class ArticleVectors:
    """The vectors of one article that the pair scorer and the story assigner use.

    ``document`` is the article's one vector, the one stored beside it:
    ``normalise(head + TITLE_WEIGHT * title)``, where ``head`` embeds the first ``HEAD_CHARS``
    characters (docs/evaluation.md compares this with whole-text and pooled-chunk vectors).
    ``lead`` embeds the opening sentences; ``sentences`` are the rows of the first
    ``MAX_SENTENCES`` sentences and ``sentence_spans`` their offsets into the text.
    A view the article lacks (no text, no title) is a zero row.
    """

    embedder: str
    document: Vector
    head: Vector
    title: Vector
    lead: Vector
    sentences: Vector
    sentence_spans: tuple[tuple[int, int], ...]


def space_of(embedder: Embedder) -> str:
    """The vector space of ``embedder``: its ``space`` attribute when it has one, else its name."""
    return str(getattr(embedder, "space", embedder.name))


def head_of(text: str, max_chars: int = HEAD_CHARS) -> str:
    """The first ``max_chars`` characters of ``text``, cut back to a word boundary."""
    if len(text) <= max_chars:
        return text
    cut = text.rfind(" ", max_chars // 2, max_chars)
    return text[: cut if cut > 0 else max_chars]


def article_title(title: str, text: str) -> str:
    """``title`` when given, else the headline found at the start of ``text`` (may be empty)."""
    if title.strip():
        return title
    start, end = title_span(text)
    return text[start:end]


def embed_articles(
    embedder: Embedder,
    articles: Sequence[tuple[str, str]],
    *,
    max_sentences: int = MAX_SENTENCES,
) -> list[ArticleVectors]:
    """Embed ``(title, text)`` pairs in one batch: document, head, title, lead and sentence rows.

    When ``title`` is empty the headline is taken from the start of the text.
    """
    texts: list[str] = []
    plans: list[tuple[int, list[tuple[int, int]]]] = []
    for title, text in articles:
        spans = split_sentences(text, max_sentences=max_sentences)
        lead_start, lead_end = lead_span(text)
        plans.append((len(texts), spans))
        texts.extend([head_of(text), article_title(title, text), text[lead_start:lead_end]])
        texts.extend(text[s:e] for s, e in spans)
    LOGGER.debug("embed: %d articles -> %d texts", len(articles), len(texts))
    rows = embedder.embed(texts)
    out: list[ArticleVectors] = []
    for first, spans in plans:
        head, title, lead = rows[first], rows[first + 1], rows[first + 2]
        out.append(
            ArticleVectors(
                embedder=embedder.name,
                document=normalise_rows(head + TITLE_WEIGHT * title),
                head=head,
                title=title,
                lead=lead,
                sentences=rows[first + 3 : first + 3 + len(spans)],
                sentence_spans=tuple(spans),
            )
        )
    return out


@functools.lru_cache(maxsize=4)
def embedder_for(name: str) -> Embedder:
    """The embedder registered as ``name`` (``settings.embedder``), one per process: its model loads
    once, on first use. The one place an embedder is built; everything else is handed one."""
    embedder: Embedder = registry.create("embedder", name)
    return embedder
