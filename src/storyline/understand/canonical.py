"""The ordered half of understanding: canonical entities and quote speakers, in the main process.

``FactResolver`` wraps one ``EntityResolver`` (restored from the store's entity rows at start, as
the dedup index and the story assigner are) and turns one article's ``Findings`` into the rows the
store writes with the article: mentions carrying their canonical ``entity_id``, the entity rows the
article created or changed, quotes, time mentions and figures. It must see the articles in input
order, one at a time, so that the same input gives the same entities.

A quote's speaker is linked to an entity when one of its speaker mentions (the antecedent a pronoun
or description resolved to first, then the words as written) has its last word inside a mention of
the article that the resolver linked, and that mention is a person or covers at least half of the
speaker's words (``NATO Secretary General Jens Stoltenberg`` -> Jens Stoltenberg, ``the Taliban`` ->
Taliban, but ``a senior US official`` stays unlinked: ``US`` names a place, not the speaker). Failing
that, a person mention of the article with exactly the speaker's text links it. Unlinked speakers
keep their text (``a European diplomat``) and ``speaker_entity_id`` stays ``None``.
"""

from __future__ import annotations

import dataclasses
import logging
from collections.abc import Iterable, Sequence

from storyline.model import Article, Entity, Mention, Quote, ResolvedFacts
from storyline.understand._findings import Findings
from storyline.understand.entities import EntityResolver, cluster_mentions, find_mentions
from storyline.understand.quotes import Attribution

LOGGER = logging.getLogger(__name__)

__all__ = ["FactResolver", "link_speaker"]

_DETERMINERS = ("the ", "a ", "an ")


class FactResolver:
    """Canonical entities across articles and speakers linked to them (see the module docstring)."""

    def __init__(self, resolver: EntityResolver | None = None) -> None:
        self.resolver = resolver if resolver is not None else EntityResolver()

    @classmethod
    def restored(cls, entities: Iterable[Entity]) -> FactResolver:
        """A resolver primed with the stored entity rows (``store.iter_entities()``)."""
        resolver = EntityResolver()
        resolver.restore(entities)
        return cls(resolver)

    def resolve(self, article: Article, findings: Findings) -> ResolvedFacts:
        """The stored form of ``findings`` for ``article`` (entity ids set, speakers linked)."""
        if findings.error is not None:
            return ResolvedFacts()
        language = article.language
        mentions, clusters = findings.mentions, findings.clusters
        if mentions is None:  # a language without NER: names known so far, from the gazetteer
            found = find_mentions(
                article.text,
                None,
                article_id=article.id,
                language=language,
                gazetteer=self.resolver.gazetteer(),
            )
            mentions, clusters = tuple(found), cluster_mentions(article.text, found, language=language)
        outcome = self.resolver.resolve(
            article.id, mentions, clusters, language=language, published_at=article.published_at
        )
        quotes = tuple(link_speaker(a, outcome.mentions, article.text) for a in findings.attributions)
        return ResolvedFacts(
            entities=outcome.entities,
            mentions=outcome.mentions,
            quotes=quotes,
            time_mentions=findings.time_mentions,
            figures=findings.figures,
        )


def _words_start(text: str, start: int, end: int) -> int:
    lowered = text[start:end].lower()
    for det in _DETERMINERS:
        if lowered.startswith(det):
            return start + len(det)
    return start


def _mention_for(span: Mention, mentions: Sequence[Mention], text: str) -> Mention | None:
    """The linked mention holding the speaker's last word, when it can stand for the speaker."""
    end = span.end
    while end > span.start and not text[end - 1].isalnum():
        end -= 1
    if end <= span.start:
        return None
    start = _words_start(text, span.start, end)
    holding = [m for m in mentions if m.entity_id and m.start <= end - 1 < m.end]
    for m in sorted(holding, key=lambda m: (m.type != "PER", m.start - m.end)):
        if m.type == "PER" or 2 * (min(m.end, end) - max(m.start, start)) >= end - start:
            return m
    return None


def link_speaker(attribution: Attribution, mentions: Sequence[Mention], text: str) -> Quote:
    """The quote with ``speaker_entity_id`` set when its speaker names a linked entity."""
    quote = attribution.quote
    if quote.speaker is None:
        return quote
    for span in reversed(attribution.mentions):  # the resolved antecedent first, then as written
        found = _mention_for(span, mentions, text)
        if found is not None:
            return dataclasses.replace(quote, speaker_entity_id=found.entity_id)
    same = [m for m in mentions if m.entity_id and m.type == "PER" and m.text == quote.speaker]
    if same:
        return dataclasses.replace(quote, speaker_entity_id=same[0].entity_id)
    return quote
