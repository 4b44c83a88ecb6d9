"""The per-article half of understanding: one NLP pass per article, then every fact derived from it.

``find_facts(article)`` gives one article's ``Findings``; ``find_facts_many(articles)`` runs in the
pipeline's worker processes (it is a pure function of the articles). Articles are grouped by
language and each group goes through ``nlp.analyse_many`` once (batched through ``nlp.pipe``);
from each article's ``Analysis`` come its entity mentions and their in-article clusters
(``entities``), its quotes with their speaker mentions (``quotes``), its time expressions
normalised against ``published_at`` (``timex``) and its figures (``figures``).

What comes back (``Findings``) is plain frozen dataclasses, cheap to pickle: no spaCy object leaves
the worker. Entity ids are **not** set here: canonical entities need the state of every earlier
article, which only the main process has (``understand.canonical``). For a language without an NER
model the mentions are left to the main process too (``Findings.mentions is None``), where the
resolver's gazetteer of every name seen so far recognises them.

Bad input never raises: an article whose analysis fails gets ``Findings.error`` (and no facts), is
logged, and is stored without facts; the other articles of its batch are analysed one by one.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass

from storyline.model import Article, Figure, Mention, TimeMention, lang_code
from storyline.understand.entities import MentionCluster, cluster_mentions, find_mentions
from storyline.understand.figures import find_figures
from storyline.understand.nlp import Analysis, analyse_many, has_ner
from storyline.understand.quotes import Attribution, find_attributions
from storyline.understand.timex import find_time_mentions

LOGGER = logging.getLogger(__name__)

__all__ = ["MAX_TEXT_CHARS", "Findings", "find_facts", "find_facts_many", "find_facts_one"]

MAX_TEXT_CHARS = 300_000
"""Longer texts are not analysed (stored without facts): no news article is this long."""


@dataclass(frozen=True, slots=True)
class Findings:
    """What the worker found in one article (offsets into ``Article.text``; no entity ids yet).

    ``mentions is None`` asks the main process to find the mentions with its gazetteer (languages
    without NER); ``error`` says why an article has no facts at all.
    """

    article_id: str
    mentions: tuple[Mention, ...] | None = ()
    clusters: tuple[MentionCluster, ...] = ()
    attributions: tuple[Attribution, ...] = ()
    time_mentions: tuple[TimeMention, ...] = ()
    figures: tuple[Figure, ...] = ()
    error: str | None = None


def _language(article: Article) -> str | None:
    return lang_code(article.language) or None


def find_facts_one(article: Article, analysis: Analysis) -> Findings:
    """Every fact of one article from its shared analysis (raises on a bug; see ``find_facts_many``)."""
    language = _language(article)
    text = article.text
    mentions: tuple[Mention, ...] | None = None
    clusters: tuple[MentionCluster, ...] = ()
    if has_ner(language):
        found = find_mentions(text, analysis, article_id=article.id, language=language)
        mentions, clusters = tuple(found), cluster_mentions(text, found, language=language)
    attributions = find_attributions(text, article_id=article.id, language=language, analysis=analysis)
    times = find_time_mentions(
        text, article_id=article.id, published_at=article.published_at, language=language
    )
    figures = find_figures(text, article_id=article.id, language=language)
    return Findings(article.id, mentions, clusters, tuple(attributions), tuple(times), tuple(figures))


def _failed(article: Article, stage: str, error: BaseException) -> Findings:
    LOGGER.warning(
        "understand: %s: %s failed, stored without facts: %s: %s",
        article.id,
        stage,
        type(error).__name__,
        error,
    )
    return Findings(article.id, error=f"{stage}: {type(error).__name__}: {error}")


def _analyses(articles: Sequence[Article], language: str | None) -> list[Analysis | BaseException]:
    """``analyse_many`` over one language group; when the batch fails, each article on its own."""
    texts = [a.text for a in articles]
    try:
        return list(analyse_many(texts, language))
    except Exception as e:  # one bad text must not cost the batch its facts
        LOGGER.debug("understand: batch of %d failed (%s); analysing one by one", len(texts), e)
    out: list[Analysis | BaseException] = []
    for text in texts:
        try:
            out.append(analyse_many([text], language)[0])
        except Exception as e:
            out.append(e)
    return out


def find_facts(article: Article, *, parse: bool = True) -> Findings:
    """``Findings`` of one article (``find_facts_many`` of it alone), never raising.

    ``parse=False`` skips the NLP pass (about 0.1 s an article) and finds only the facts that need
    none: time mentions and figures (``mentions`` is ``None``, no quotes).
    """
    if parse:
        return find_facts_many([article])[0]
    if len(article.text) > MAX_TEXT_CHARS:
        return Findings(article.id, error=f"text longer than {MAX_TEXT_CHARS} characters")
    language = _language(article)
    try:
        times = find_time_mentions(
            article.text, article_id=article.id, published_at=article.published_at, language=language
        )
        figures = find_figures(article.text, article_id=article.id, language=language)
    except Exception as e:
        return _failed(article, "facts", e)
    return Findings(article.id, None, time_mentions=tuple(times), figures=tuple(figures))


def find_facts_many(articles: Sequence[Article]) -> list[Findings]:
    """``Findings`` for each article, in order: one batched NLP pass per language, never raising."""
    results: dict[int, Findings] = {}
    groups: dict[str | None, list[int]] = {}
    for i, article in enumerate(articles):
        if len(article.text) > MAX_TEXT_CHARS:
            results[i] = Findings(article.id, error=f"text longer than {MAX_TEXT_CHARS} characters")
            LOGGER.warning("understand: %s: %s; stored without facts", article.id, results[i].error)
        else:
            groups.setdefault(_language(article), []).append(i)
    for language, members in groups.items():
        group = [articles[i] for i in members]
        for i, article, analysis in zip(members, group, _analyses(group, language), strict=True):
            if isinstance(analysis, BaseException):
                results[i] = _failed(article, "analysis", analysis)
                continue
            try:
                results[i] = find_facts_one(article, analysis)
            except Exception as e:
                results[i] = _failed(article, "facts", e)
    return [results[i] for i in range(len(articles))]
