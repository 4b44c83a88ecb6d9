"""The parameter rows of an article's facts and the quote row mapper, shared by the SQLite and
PostgreSQL stores (their SQL differs in placeholders only; the columns and their order are one)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, cast

from storyline.model import Batch, Quote

Rows = list[tuple[Any, ...]]


def fact_rows(batch: Batch) -> tuple[Rows, Rows, Rows, Rows]:
    """``(mentions, quotes, time mentions, figures)`` of ``batch`` as insert parameters, in the column
    order of the stores' ``INSERT_MENTION``, ``INSERT_QUOTE``, ``INSERT_TIME`` and ``INSERT_FIGURE``."""
    mentions = [(m.article_id, m.start, m.end, m.text, m.type, m.entity_id) for m in batch.mentions]
    quotes = [
        (q.article_id, q.start, q.end, q.text, q.kind, q.cue, q.speaker, q.speaker_entity_id,
         q.speaker_start, q.speaker_end, q.language, q.confidence)
        for q in batch.quotes
    ]  # fmt: skip
    times = [
        (t.article_id, t.start, t.end, t.text, t.type, t.value, t.anchor, bool(t.is_event))
        for t in batch.time_mentions
    ]
    figures = [
        (f.article_id, f.start, f.end, f.text, float(f.value), f.unit, f.counts) for f in batch.figures
    ]
    return mentions, quotes, times, figures


def row_quote(row: Sequence[Any]) -> Quote:
    """A ``Quote`` from the stores' quote columns (``QUOTE_COLUMNS`` order)."""
    return Quote(
        article_id=row[0], start=row[1], end=row[2], text=row[3], kind=cast(Any, row[4]), cue=row[5],
        speaker=row[6], speaker_entity_id=row[7], speaker_start=row[8], speaker_end=row[9], language=row[10],
        confidence=None if row[11] is None else float(row[11]),
    )  # fmt: skip
