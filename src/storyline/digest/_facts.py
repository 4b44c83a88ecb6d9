"""The facts the digest reads: from the store, or computed from the article text where it has none.

The pipeline stores each article's facts (mentions, quotes, time mentions, figures) on ingest.
Articles stored before it did, or by a run with understanding off, have none: for those the digest
computes dates, figures and quotes itself with ``understand.find_facts`` (no entities:
they need the cross-article resolver), and says so (``FactsSource.path``: ``"store"``,
``"computed"`` or ``"mixed"``).
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass, field

from storyline.model import Article, ArticleFacts
from storyline.store import StoryReader
from storyline.understand import find_facts
from storyline.understand.entities import find_mentions

__all__ = ["FactsSource", "compute_facts", "load_facts"]

LOGGER = logging.getLogger(__name__)


@dataclass(slots=True)
class FactsSource:
    """Facts per article id, and how many came from the store or were computed here."""

    facts: dict[str, ArticleFacts] = field(default_factory=dict)
    n_stored: int = 0
    n_computed: int = 0

    @property
    def path(self) -> str:
        if self.n_computed and self.n_stored:
            return "mixed"
        return "computed" if self.n_computed else "store"


def compute_facts(article: Article, *, quotes: bool = True) -> ArticleFacts:
    """Dates, figures and (``quotes=True``) quotes and entity mentions of ``article``, from its text."""
    found = find_facts(article, parse=quotes)
    if not quotes:
        return ArticleFacts(time_mentions=found.time_mentions, figures=found.figures)
    mentions = found.mentions
    if mentions is None:  # no NER for the language: its rules, without the resolver's gazetteer
        mentions = tuple(find_mentions(article.text, None, article_id=article.id, language=article.language))
    return ArticleFacts(
        mentions, tuple(a.quote for a in found.attributions), found.time_mentions, found.figures
    )


def _empty(facts: ArticleFacts) -> bool:
    return not (facts.mentions or facts.quotes or facts.time_mentions or facts.figures)


def load_facts(
    store: StoryReader, articles: Sequence[Article], *, quotes_for: frozenset[str] = frozenset()
) -> FactsSource:
    """Stored facts of ``articles``; computed ones where the store has none; none for copies
    (the pipeline stores none for them either: their original carries them).

    Computing quotes and mentions needs a parse (about 0.1 s an article), so only articles in
    ``quotes_for`` (the new ones, whose quotes "what's new" lists) get them when computed.
    """
    source = FactsSource()
    for article in articles:
        if article.duplicate_of is not None:  # a copy states its original's facts, nothing of its own
            source.facts[article.id] = ArticleFacts()
            continue
        facts = store.article_facts(article.id)
        if _empty(facts):
            facts = compute_facts(article, quotes=article.id in quotes_for)
            source.n_computed += 1
        else:
            source.n_stored += 1
        source.facts[article.id] = facts
    if source.n_computed:
        LOGGER.info(
            "digest: facts of %d articles computed from text (%d stored)", source.n_computed, source.n_stored
        )
    return source
