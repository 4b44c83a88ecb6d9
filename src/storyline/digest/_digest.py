"""The digest of a story or storyline: label, summary, what's new, event timeline, figures.

``build_digest(store, subject_id, ...)`` reads a story (or a storyline: all its stories' articles)
from any ``StoryReader`` and returns a ``Digest``; ``digest_json`` gives its JSON shape (the
``storyline digest --json`` output, documented in docs/cli.md). The parts live beside this module:
``_text`` (sentences, stems), ``_vectors`` (sentence rows, cached in the store),
``_novelty`` and ``_new`` (what's new), ``_timeline`` (events, figures),
``_summary`` (label, summary), ``_facts`` (stored or computed facts).

Which articles are new:

- ``since`` (a publication time): articles published at or after it; an undated article is new
  when it was stored after the first dated new one (it arrived with or after them);
- ``since_ingested`` (a watchlist's last visit): articles stored at or after it;
- neither: the article stored last.

Everything else in the subject is earlier coverage.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Literal

from storyline.digest._facts import load_facts
from storyline.digest._new import WhatsNew, whats_new
from storyline.digest._summary import Label, story_label, summarise
from storyline.digest._text import Sentence
from storyline.digest._timeline import (
    Evidence,
    FigureGroup,
    TimelineEvent,
    event_timeline,
    reconcile_figures,
)
from storyline.digest._vectors import sentence_rows
from storyline.embed import Embedder
from storyline.errors import InputError
from storyline.model import Article, iso, quote_json
from storyline.store import StoryReader

__all__ = ["Digest", "build_digest", "digest_json", "split_new", "subject_articles"]

LOGGER = logging.getLogger(__name__)

Kind = Literal["story", "storyline"]


@dataclass(frozen=True, slots=True)
class Digest:
    """Everything ``storyline digest`` shows about one story or storyline."""

    id: str
    kind: Kind
    label: Label
    n_articles: int
    languages: tuple[str, ...]
    summary: tuple[Sentence, ...]
    new: WhatsNew
    since: datetime | None
    timeline: tuple[TimelineEvent, ...]
    figures: tuple[FigureGroup, ...]
    facts_from: str
    articles: dict[str, Article]


def subject_articles(store: StoryReader, subject_id: str) -> tuple[Kind, list[Article]]:
    """The articles of a story or storyline id, oldest stored first; ``InputError`` if neither."""
    story = store.get_story(subject_id)
    kind: Kind = "story"
    if story is not None:
        ids = list(story.article_ids)
    else:
        line = store.get_storyline(subject_id)
        if line is None:
            raise InputError(
                f"no story or storyline {subject_id!r}; see: storyline stories, storyline storylines"
            )
        kind = "storyline"
        ids = []
        for story_id in line.story_ids:
            member = store.get_story(story_id)
            ids.extend(i for i in (member.article_ids if member else ()) if i not in ids)
    articles = [a for a in (store.get_article(i) for i in dict.fromkeys(ids)) if a is not None]
    return kind, sorted(articles, key=lambda a: a.ingested_at)


def split_new(
    articles: Sequence[Article], *, since: datetime | None = None, since_ingested: datetime | None = None
) -> tuple[list[str], list[str]]:
    """``(new ids, earlier ids)`` of ``articles`` (stored order; see the module docstring)."""
    if not articles:
        return [], []
    if since_ingested is not None:
        new = {a.id for a in articles if a.ingested_at >= since_ingested}
    elif since is not None:
        dated = [a for a in articles if a.published_at is not None and a.published_at >= since]
        new = {a.id for a in dated}
        first = min((a.ingested_at for a in dated), default=None)
        new |= {
            a.id
            for a in articles
            if a.published_at is None and (a.ingested_at >= first if first else a.ingested_at >= since)
        }
    else:
        new = {articles[-1].id}
    return [a.id for a in articles if a.id in new], [a.id for a in articles if a.id not in new]


def build_digest(
    store: StoryReader,
    subject_id: str,
    *,
    embedder: Embedder,
    since: datetime | None = None,
    since_ingested: datetime | None = None,
    language: str | None = None,
) -> Digest:
    """The digest of the story or storyline ``subject_id`` (see the module docstring); ``embedder``
    makes the sentence rows the store has not cached (``embed.embedder_for(settings.embedder)``)."""
    kind, articles = subject_articles(store, subject_id)
    new_ids, earlier_ids = split_new(articles, since=since, since_ingested=since_ingested)
    facts = load_facts(store, articles, quotes_for=frozenset(new_ids))
    rows = sentence_rows(store, articles, embedder)
    per_article: dict[str, list[Sentence]] = {}
    for s in rows.sentences:
        per_article.setdefault(s.article_id, []).append(s)
    entity_names: dict[str, str] = {}
    for f in facts.facts.values():
        for m in f.mentions:
            if m.entity_id and m.entity_id not in entity_names:
                entity = store.get_entity(m.entity_id)
                entity_names[m.entity_id] = entity.name if entity else m.text
    label = story_label(
        articles, rows.sentences, rows.rows, {a: f.mentions for a, f in facts.facts.items()}, entity_names
    )
    summary = summarise(articles, rows.sentences, rows.rows, language=language)
    new = whats_new(new_ids, earlier_ids, rows, facts.facts, embedder)
    timeline = event_timeline(articles, {a: f.time_mentions for a, f in facts.facts.items()}, per_article)
    figures = reconcile_figures(articles, {a: f.figures for a, f in facts.facts.items()}, per_article)
    LOGGER.info(
        "digest: %s %s: %d articles (%d new), %d new sentences, %d events, facts from %s",
        kind,
        subject_id,
        len(articles),
        len(new_ids),
        len(new.sentences),
        len(timeline),
        facts.path,
    )
    return Digest(
        subject_id,
        kind,
        label,
        len(articles),
        tuple(sorted({a.language for a in articles if a.language})),
        tuple(summary),
        new,
        since or since_ingested,
        tuple(timeline),
        tuple(figures),
        facts.path,
        {a.id: a for a in articles},
    )


def _sentence_json(s: Sentence, articles: dict[str, Article]) -> dict[str, Any]:
    article = articles.get(s.article_id)
    return {
        "article_id": s.article_id,
        "start": s.start,
        "end": s.end,
        "text": s.text,
        "language": s.language,
        "source": (article.agency or article.source) if article else None,
        "published_at": iso(article.published_at) if article else None,
    }


def _evidence_json(e: Evidence) -> dict[str, Any]:
    return {
        "article_id": e.article_id,
        "text": e.text,
        "start": e.start,
        "end": e.end,
        "sentence": e.sentence,
        "source": e.source,
    }


def digest_json(d: Digest, *, max_figures: int = 20) -> dict[str, Any]:
    """The JSON shape of a digest (docs/cli.md, ``storyline digest``)."""
    new = d.new
    return {
        "id": d.id,
        "kind": d.kind,
        "label": d.label.text,
        "label_language": d.label.language,
        "key_entities": list(d.label.entities),
        "keyphrases": list(d.label.keyphrases),
        "n_articles": d.n_articles,
        "languages": list(d.languages),
        "facts_from": d.facts_from,
        "summary": [_sentence_json(s, d.articles) for s in d.summary],
        "new": {
            "since": iso(d.since),
            "articles": list(new.article_ids),
            "n_earlier_articles": new.n_earlier,
            "sentences": [
                {
                    **_sentence_json(n.sentence, d.articles),
                    "carried": n.carried,
                    "reasons": list(n.reasons),
                    "nearest_earlier": _sentence_json(n.nearest, d.articles) if n.nearest else None,
                }
                for n in new.sentences
            ],
            "truncated": new.truncated,
            "quotes": [quote_json(q) for q in new.quotes],
            "speakers": list(new.speakers),
            "figures": [
                {
                    "article_id": f.article_id,
                    "text": f.text,
                    "value": f.value,
                    "unit": f.unit,
                    "counts": f.counts,
                    "start": f.start,
                    "end": f.end,
                }
                for f in new.figures
            ],
            "events": [
                {
                    "article_id": t.article_id,
                    "text": t.text,
                    "value": t.value,
                    "precision": t.precision,
                    "start": t.start,
                    "end": t.end,
                }
                for t in new.events
            ],
        },
        "timeline": [
            {
                "value": e.value,
                "precision": e.precision,
                "date": e.day.isoformat() if e.day else None,
                "status": "undated" if e.day is None else ("upcoming" if e.upcoming else "happened"),
                "sources": [_evidence_json(x) for x in e.evidence],
                "refines": [_evidence_json(x) for x in e.refines],
            }
            for e in d.timeline
        ],
        "figures": [
            {
                "counts": g.counts,
                "unit": g.unit,
                "values": list(g.values),
                "disagree": g.disagree,
                "sources": [{"value": v, **_evidence_json(x)} for v, x in g.evidence],
            }
            for g in d.figures[:max_figures]
        ],
    }
