"""Text embedders: the ``Embedder`` protocol and helpers shared by every implementation.

An embedder turns texts into float32 rows, L2-normalised (a blank text gives a zero row), the same
rows for the same texts every time. Its ``name`` is versioned (``"use.v1"``) and is stored beside
every vector, so vectors of different embedders are never compared.

Built-in embedders register under the role ``"embedder"``::

    from storyline import registry
    embedder = registry.create("embedder", "use.v1")
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol, runtime_checkable

import numpy as np
import numpy.typing as npt

from storyline.embed.segment import lead_span, split_sentences, title_span

__all__ = [
    "ArticleVectors",
    "Embedder",
    "Vector",
    "embed_articles",
    "normalise_rows",
]

LOGGER = logging.getLogger(__name__)

Vector = npt.NDArray[np.float32]

#: Sentences embedded per article at most (a long article's tail adds little and costs time).
MAX_SENTENCES = 48


@runtime_checkable
class Embedder(Protocol):
    """Anything that embeds texts into L2-normalised float32 rows."""

    name: str
    dim: int

    def embed(self, texts: Sequence[str]) -> Vector:
        """``(len(texts), dim)`` float32, rows L2-normalised; a blank text gives a zero row."""
        ...


def normalise_rows(matrix: npt.NDArray[np.floating]) -> Vector:
    """Rows scaled to unit length (zero rows stay zero), as float32."""
    out = np.asarray(matrix, dtype=np.float32)
    norms = np.linalg.norm(out, axis=-1, keepdims=True)
    return np.divide(out, norms, out=np.zeros_like(out), where=norms > 0).astype(np.float32, copy=False)


@dataclass(frozen=True, slots=True, eq=False)
class ArticleVectors:
    """The vectors of one article that the pair scorer and the story assigner use.

    ``document`` is the article's one vector (the one stored beside it): the normalised mean of
    its sentence vectors and its title vector (see docs/evaluation.md for why). ``sentences``
    are the rows of its first sentences, ``sentence_spans`` their offsets into the text.
    ``title`` and ``lead`` are zero rows when the article has none.
    """

    embedder: str
    document: Vector
    title: Vector
    lead: Vector
    sentences: Vector
    sentence_spans: tuple[tuple[int, int], ...]


def _pool(rows: Vector, weights: npt.NDArray[np.float32] | None = None) -> Vector:
    if len(rows) == 0:
        return np.zeros(rows.shape[-1], dtype=np.float32)
    pooled = rows.mean(axis=0) if weights is None else (rows * weights[:, None]).sum(axis=0)
    return normalise_rows(pooled[None, :])[0]


def embed_articles(
    embedder: Embedder,
    articles: Sequence[tuple[str, str]],
    *,
    title_weight: float = 1.0,
    max_sentences: int = MAX_SENTENCES,
) -> list[ArticleVectors]:
    """Embed ``(title, text)`` pairs in one batch: sentences, title, lead and document vectors.

    When ``title`` is empty the headline is taken from the start of the text. Every sentence is
    embedded once; lead and document vectors are pooled from sentence rows, so an article costs
    one pass over its first ``max_sentences`` sentences plus its title.
    """
    texts: list[str] = []
    plans: list[tuple[int, int, list[tuple[int, int]], int]] = []
    for title, text in articles:
        spans = split_sentences(text, max_sentences=max_sentences)
        if not title.strip():
            s, e = title_span(text)
            title = text[s:e] if (s, e) != (0, 0) and spans and (s, e) != spans[0] else ""
        first = len(texts)
        texts.append(title)
        texts.extend(text[s:e] for s, e in spans)
        lead_end = lead_span(text)[1]
        n_lead = max(1, sum(1 for _, e in spans if e <= lead_end)) if spans else 0
        plans.append((first, len(spans), spans, n_lead))
    LOGGER.debug("embed: %d articles -> %d texts", len(articles), len(texts))
    rows = embedder.embed(texts)
    out: list[ArticleVectors] = []
    for first, n, spans, n_lead in plans:
        title_row = rows[first]
        sentences = rows[first + 1 : first + 1 + n]
        with_title = np.vstack([title_row[None, :] * title_weight, sentences])
        out.append(
            ArticleVectors(
                embedder=embedder.name,
                document=_pool(with_title),
                title=title_row if np.any(title_row) else (sentences[0] if n else title_row),
                lead=_pool(sentences[:n_lead]),
                sentences=sentences,
                sentence_spans=tuple(spans),
            )
        )
    return out
