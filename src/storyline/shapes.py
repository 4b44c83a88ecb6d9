"""The JSON shapes shared by the CLI (``--json``) and the HTTP API (DESIGN.md section 6b)."""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
from typing import TYPE_CHECKING, Any

from storyline.model import (
    Article,
    ArticleFacts,
    Entity,
    Figure,
    Mention,
    Rejection,
    Story,
    StoryEvent,
    Storyline,
    TimeMention,
    Watchlist,
    iso,
    quote_json,
)
from storyline.outbound import redact_url
from storyline.store import SearchHit

if TYPE_CHECKING:
    from storyline.stories.similarity import PairScore, SentencePair


def article_json(article: Article, *, with_text: bool = False, story_id: str | None = None) -> dict[str, Any]:
    """An article as listed (``with_text`` for ``show`` and detail views)."""
    shape: dict[str, Any] = {
        "id": article.id,
        "title": article.title,
        "url": article.url,
        "source": article.source,
        "agency": article.agency,
        "place": article.place,
        "language": article.language,
        "published_at": iso(article.published_at),
        "published_precision": article.published_precision,
        "duplicate_of": article.duplicate_of,
        "story_id": story_id,
        "origin": article.origin,
    }
    if with_text:
        shape["text"] = article.text
    return shape


def rejection_json(rejection: Rejection) -> dict[str, Any]:
    return {
        "origin": rejection.origin,
        "stage": rejection.stage,
        "reason": rejection.reason,
        "detail": rejection.detail,
        "at": iso(rejection.at),
    }


def search_hit_json(hit: SearchHit) -> dict[str, Any]:
    return {**article_json(hit.article), "snippet": hit.snippet, "rank": round(hit.rank, 4)}


def story_json(
    story: Story,
    *,
    detail: bool = False,
    agencies: Sequence[str] = (),
    recent: Mapping[str, Any] | None = None,
) -> dict[str, Any]:
    """A story as listed; ``detail`` adds its article ids in time order. ``agencies`` are the wire
    agencies of its articles; ``recent`` (the front page's order) adds ``n_last_24h``, ``n_last_7d``,
    ``score`` and, with a visit mark, ``n_new``."""
    shape: dict[str, Any] = {
        "id": story.id,
        "label": story.label,
        "n_articles": story.n_articles,
        "languages": list(story.languages),
        "sources": list(story.sources),
        "agencies": list(agencies),
        "first_seen": iso(story.first_seen_at),
        "last_seen": iso(story.last_seen_at),
        "storyline_id": story.storyline_id,
        "merged_into": story.merged_into,
    }
    if detail:
        shape["articles"] = list(story.article_ids)
    if recent is not None:
        shape.update(recent)
    return shape


def storyline_json(line: Storyline) -> dict[str, Any]:
    return {
        "id": line.id,
        "label": line.label,
        "n_articles": line.n_articles,
        "stories": list(line.story_ids),
        "first_seen": iso(line.first_seen_at),
        "last_seen": iso(line.last_seen_at),
    }


def event_json(event: StoryEvent) -> dict[str, Any]:
    return {
        "kind": event.kind,
        "subject_id": event.subject_id,
        "object_id": event.object_id,
        "reason": event.reason,
        "at": iso(event.at),
    }


def pair_score_json(score: PairScore) -> dict[str, Any]:
    """``storyline compare``: the SemEval-scale scores (1 = same story .. 4 = unrelated) and evidence."""
    ev = score.evidence
    return {
        "overall": round(score.overall, 3),
        "geography": round(score.geography, 3),
        "entities": round(score.entities, 3),
        "time": round(score.time, 3),
        "narrative": round(score.narrative, 3),
        "model": score.model,
        "evidence": {
            "names": list(ev.names),
            "places": list(ev.places),
            "numbers": list(ev.numbers),
            "dates": list(ev.dates),
            "document_cosine": round(ev.document_cosine, 4),
            "days_apart": ev.days_apart,
            "sentence_pairs": [_sentence_pair_json(p) for p in ev.sentence_pairs],
        },
    }


def _sentence_pair_json(pair: SentencePair) -> dict[str, Any]:
    return {
        "a": pair.a_text,
        "b": pair.b_text,
        "cosine": round(pair.cosine, 4),
        "a_start": pair.a_start,
        "a_end": pair.a_end,
        "b_start": pair.b_start,
        "b_end": pair.b_end,
    }


def story_detail_json(story: Story, articles: list[Article], events: list[StoryEvent]) -> dict[str, Any]:
    """``storyline story ID --json`` and ``GET /api/v1/stories/{id}``: the story with its articles
    (``article_details``, in time order) and its merge ``events``."""
    return {
        **story_json(story, detail=True),
        "article_details": [article_json(a, story_id=story.id) for a in articles],
        "events": [event_json(e) for e in events],
    }


def storyline_detail_json(line: Storyline, members: list[Story]) -> dict[str, Any]:
    """``storyline storyline ID --json`` and ``GET /api/v1/storylines/{id}``: with ``story_details``."""
    return {**storyline_json(line), "story_details": [story_json(s) for s in members]}


def article_detail_json(article: Article, story_id: str | None, duplicates: list[Article]) -> dict[str, Any]:
    """``storyline show ID --json`` and ``GET /api/v1/articles/{id}``: with text and ``duplicates`` (ids)."""
    return {
        **article_json(article, with_text=True, story_id=story_id),
        "duplicates": [d.id for d in duplicates],
    }


def entity_json(entity: Entity) -> dict[str, Any]:
    """An entity: canonical ``name``, ``type``, ``aliases`` (all languages), ``languages``, ``n_mentions``."""
    return {
        "id": entity.id,
        "name": entity.name,
        "type": entity.type,
        "aliases": list(entity.aliases),
        "languages": list(entity.languages),
        "n_mentions": entity.n_mentions,
        "first_seen": iso(entity.first_seen_at),
        "last_seen": iso(entity.last_seen_at),
    }


def mention_json(mention: Mention) -> dict[str, Any]:
    """A span of the article naming an entity (``entity_id`` is the canonical entity, or null)."""
    return {
        "text": mention.text,
        "type": mention.type,
        "entity_id": mention.entity_id,
        "start": mention.start,
        "end": mention.end,
    }


def time_mention_json(time: TimeMention) -> dict[str, Any]:
    """A time expression: TIMEX3 ``type`` and ``value`` (as found: ``2001`` for "in 2001"), its
    ``precision`` (``year``, ``month``, ``week``, ``day``, ``time``; null for other values), its
    ``anchor`` (publication day) and whether it dates the reported event (``is_event``) or is
    incidental."""
    return {
        "text": time.text,
        "type": time.type,
        "value": time.value,
        "precision": time.precision,
        "anchor": time.anchor,
        "is_event": time.is_event,
        "start": time.start,
        "end": time.end,
    }


def figure_json(figure: Figure) -> dict[str, Any]:
    """A quantity, normalised (``2%`` -> 0.02 with unit ``%``), with what it ``counts``."""
    return {
        "text": figure.text,
        "value": figure.value,
        "unit": figure.unit,
        "counts": figure.counts,
        "start": figure.start,
        "end": figure.end,
    }


def article_facts_json(facts: ArticleFacts, entities: Mapping[str, Entity]) -> dict[str, Any]:
    """The facts of one article (``storyline show ID --json``): ``entities`` it names (each with
    ``article_mentions``, most named first), ``mentions``, ``quotes``, ``dates`` and ``figures``, in
    text order. ``entities`` maps the ids its mentions and speakers point at to their rows."""
    counts: dict[str, int] = {}
    for m in facts.mentions:
        if m.entity_id is not None and m.entity_id in entities:
            counts[m.entity_id] = counts.get(m.entity_id, 0) + 1
    named = sorted(counts, key=lambda i: (-counts[i], entities[i].name))
    return {
        "entities": [{**entity_json(entities[i]), "article_mentions": counts[i]} for i in named],
        "mentions": [mention_json(m) for m in facts.mentions],
        "quotes": [
            quote_json(q, speaker_name=e.name if (e := entities.get(q.speaker_entity_id or "")) else None)
            for q in facts.quotes
        ],
        "dates": [time_mention_json(t) for t in facts.time_mentions],
        "figures": [figure_json(f) for f in facts.figures],
    }


def watchlist_json(w: Watchlist) -> dict[str, Any]:
    """A watchlist as the CLI and the API show it.

    The webhook URL only as ``scheme://host/…`` (for Slack, Discord or Teams the URL is the
    credential); of the secret, only whether there is one.
    """
    return {
        "id": w.id,
        "name": w.name,
        "entities": list(w.entities),
        "keywords": list(w.keywords),
        "example": w.example,
        "threshold": w.threshold,
        "webhook_url": redact_url(w.webhook_url),
        "webhook_signed": bool(w.webhook_secret),
        "created_at": iso(w.created_at),
        "last_visit_at": iso(w.last_visit_at),
    }


FORMATS = ("json", "ndjson", "csv", "tsv")
"""Output formats of every listing (CLI ``--format``, API ``?format=``)."""
MEDIA_TYPES = {
    "json": "application/json",
    "ndjson": "application/x-ndjson",
    "csv": "text/csv; charset=utf-8",
    "tsv": "text/tab-separated-values; charset=utf-8",
}


_FORMULA = ("=", "+", "-", "@", "\t", "\r")
_NUMBER = re.compile(r"[+-]?\d+(?:\.\d+)?")


def _cell(value: Any) -> str:
    """A value as one CSV/TSV cell: lists joined with ``; ``, objects as JSON, None empty."""
    if value is None:
        return ""
    if isinstance(value, list | tuple):
        return "; ".join(_cell(v) for v in value)
    if isinstance(value, dict):
        return json.dumps(value, ensure_ascii=False)
    text = str(value)
    if isinstance(value, str) and text[:1] in _FORMULA and not _NUMBER.fullmatch(text):
        return "'" + text  # a spreadsheet would run =HYPERLINK(...) from an attacker's title
    return text


def encode_rows(rows: Iterable[Mapping[str, Any]], fmt: str) -> Iterator[str]:
    """``rows`` (JSON shapes) as ``fmt``, piece by piece so a listing streams.

    ``json``: one array; ``ndjson``: one object a line; ``csv``/``tsv``: a header of the first row's
    keys, then one line a row. TSV has no quoting, so tabs and newlines inside a value become spaces;
    CSV quotes as RFC 4180 does. A text cell a spreadsheet would read as a formula gets a leading ``'``.
    """
    if fmt not in FORMATS:
        raise ValueError(f"unknown format {fmt!r}; one of {', '.join(FORMATS)}")
    if fmt == "json":
        yield "["
        for i, row in enumerate(rows):
            yield ("," if i else "") + json.dumps(row, ensure_ascii=False)
        yield "]\n"
        return
    if fmt == "ndjson":
        yield from (json.dumps(row, ensure_ascii=False) + "\n" for row in rows)
        return
    columns: list[str] | None = None
    for row in rows:
        if columns is None:
            columns = list(row)
            yield _line(columns, fmt)
        yield _line([_cell(row.get(c)) for c in columns], fmt)


def _line(cells: list[str], fmt: str) -> str:
    if fmt == "tsv":
        return "\t".join(" ".join(c.replace("\t", " ").splitlines()) for c in cells) + "\n"
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerow(cells)
    return buffer.getvalue()
