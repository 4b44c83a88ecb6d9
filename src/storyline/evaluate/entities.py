"""Evaluate entity canonicalisation on ECB+ cross-document clusters (``../shared/data/entities``).

Each line: ``{"id", "text", "mentions": [{"start", "end", "text", "cluster", "class"}]}``. The
documents go one at a time, in file order, through ``find_mentions``, ``cluster_mentions`` and one
``EntityResolver``, exactly as the pipeline runs them (the NER pass is batched, as the pipeline's
workers batch it; the resolver sees the documents in order).

A gold mention is *found* when a system mention overlaps it (the one sharing most characters,
ties to the shorter); its system cluster is that mention's entity id. ``mention_recall`` is the
share of gold mentions found; B-cubed precision, recall and F1 are computed over the found gold
mentions, gold cross-document clusters against resolver entity ids (DESIGN.md section 6).
"""

from __future__ import annotations

import json
import logging
import math
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from storyline.errors import InputError
from storyline.evaluate.metrics import bcubed
from storyline.model import Mention
from storyline.understand.entities import EntityResolver, cluster_mentions, find_mentions, never
from storyline.understand.nlp import analyse_many, get_nlp, install_tuned_ner

__all__ = ["GoldDocument", "GoldMention", "evaluate_entities", "match_gold", "read_documents"]

LOGGER = logging.getLogger(__name__)

Progress = Callable[[int, int], None]
_BATCH = 32


@dataclass(frozen=True, slots=True)
class GoldMention:
    """One annotated mention and its cross-document cluster."""

    start: int
    end: int
    cluster: str


@dataclass(frozen=True, slots=True)
class GoldDocument:
    """One document with its annotated mentions."""

    id: str
    text: str
    mentions: tuple[GoldMention, ...]


def read_documents(path: Path) -> Iterator[GoldDocument]:
    """The documents of ``path`` in file order."""
    with path.open(encoding="utf-8") as handle:
        for line_no, line in enumerate(handle, 1):
            if not line.strip():
                continue
            try:
                row = json.loads(line)
                mentions = tuple(
                    GoldMention(int(m["start"]), int(m["end"]), str(m["cluster"])) for m in row["mentions"]
                )
                yield GoldDocument(str(row["id"]), str(row["text"]), mentions)
            except (ValueError, KeyError, TypeError) as e:
                raise InputError(
                    f"{path}:{line_no}: expected id, text and mentions with start/end/cluster ({e})"
                ) from e


def match_gold(gold: Sequence[GoldMention], system: Sequence[Mention]) -> list[Mention | None]:
    """For each gold mention, the overlapping system mention sharing most characters (ties: shorter)."""
    matched: list[Mention | None] = []
    for g in gold:
        best: Mention | None = None
        best_key = (0, 0)
        for m in system:
            overlap = min(g.end, m.end) - max(g.start, m.start)
            key = (overlap, -(m.end - m.start))
            if overlap > 0 and (best is None or key > best_key):
                best, best_key = m, key
        matched.append(best)
    return matched


def evaluate_entities(
    path: Path, *, progress: Progress | None = None, language: str = "en", limit: int | None = None
) -> dict[str, Any]:
    """B-cubed scores of the resolver's entities against gold clusters (module docstring).

    ``limit`` keeps the first documents of the file only (a fixed subset, for quick checks).
    """
    documents = list(read_documents(path))[:limit]
    nlp = get_nlp(language)
    if nlp is not None:
        install_tuned_ner(nlp, language)
    resolver = EntityResolver()
    gold_labels: list[str] = []
    system_labels: list[str] = []
    n_mentions = 0
    started = time.perf_counter()
    for first in range(0, len(documents), _BATCH):
        batch = documents[first : first + _BATCH]
        analyses = analyse_many([d.text for d in batch], language, select=never)
        for document, analysis in zip(batch, analyses, strict=True):
            mentions = find_mentions(
                document.text,
                analysis,
                article_id=document.id,
                language=language,
                gazetteer=resolver.gazetteer(),
            )
            clusters = cluster_mentions(document.text, mentions, language=language)
            outcome = resolver.resolve(document.id, mentions, clusters, language=language, published_at=None)
            n_mentions += len(document.mentions)
            for k, (g, m) in enumerate(
                zip(document.mentions, match_gold(document.mentions, outcome.mentions), strict=True)
            ):
                if m is not None:
                    gold_labels.append(g.cluster)
                    system_labels.append(m.entity_id or f"{document.id}:{k}")
        if progress is not None:
            progress(first + len(batch), len(documents))
    scores = bcubed(gold_labels, system_labels)
    LOGGER.info(
        "eval entities: %d documents, %d gold mentions, %d found, %d entities, %.1f ms per document",
        len(documents),
        n_mentions,
        len(gold_labels),
        len(resolver),
        1000 * (time.perf_counter() - started) / max(1, len(documents)),
    )
    return {
        "n_mentions": n_mentions,
        "mention_recall": len(gold_labels) / n_mentions if n_mentions else math.nan,
        "bcubed_precision": scores.precision,
        "bcubed_recall": scores.recall,
        "bcubed_f1": scores.f1,
    }
