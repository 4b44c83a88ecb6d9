"""Sentences and words for the digest: the units that summaries and "what's new" are made of.

A ``Sentence`` is a span of one article's text (``embed.sentence_rows.counted_spans``, so the
digest and the embedder cut text the same way). Lines that carry too few words to say anything
(datelines, crossheads such as ``– 'Important messages' –``) are left out. Only the first
``MAX_SENTENCES`` sentences of an article count, the rows an ingest with stories on already embeds
(``embed.embed_articles``), so a story's digest reuses them instead of embedding again: a
deliberate bound (news puts what matters first; a 280-sentence feature would otherwise cost a
second of embedding on a story's first view). Quotes, dates and figures come from the stored facts
of the whole text.

``stems`` reduces a sentence to its content words for lexical overlap: case-folded words of four
letters or more, stop words dropped, cut to their first five letters (a crude stemmer that works
across English, German, French and Spanish inflection: ``ministers``/``minister``,
``defense``/``defence`` -> ``minis``, ``defen``); numbers keep their digits (``9,600`` -> ``9600``).
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass

from storyline.embed.sentence_rows import MIN_WORDS, counted_spans
from storyline.model import Article

__all__ = ["MIN_WORDS", "Sentence", "article_sentences", "stems"]

STEM_CHARS = 5

_LETTERS = re.compile(r"(?<![^\W\d_])[^\W\d_]{4,}(?![^\W\d_])", re.UNICODE)
_NUMBER = re.compile(r"(?<![\w.,])\d+(?:[.,'’]\d{3})*(?![\d])")
_SEPARATORS = re.compile(r"[.,'’]")
_STOP = frozenset(
    [
        "that",
        "with",
        "have",
        "from",
        "they",
        "were",
        "will",
        "this",
        "than",
        "their",
        "them",
        "been",
        "also",
        "said",
        "says",
        "would",
        "could",
        "which",
        "there",
        "about",
        "after",
        "into",
        "only",
        "other",
        "some",
        "such",
        "what",
        "when",
        "while",
        "where",
        "more",
        "most",
        "over",
        "under",
        "told",
        "these",
        "those",
        "then",
        "here",
        "just",
        "like",
        "very",
        "even",
        "being",
        "does",
        "done",
        "your",
        "ours",
        "because",
        "before",
        "since",
        "und",
        "der",
        "die",
        "das",
        "den",
        "dem",
        "des",
        "ein",
        "eine",
        "einer",
        "eines",
        "nicht",
        "sich",
        "auch",
        "sind",
        "wird",
        "wurde",
        "werden",
        "noch",
        "nach",
        "über",
        "unter",
        "oder",
        "aber",
        "wenn",
        "dass",
        "hatte",
        "haben",
        "sagte",
        "pour",
        "dans",
        "avec",
        "sont",
        "mais",
        "plus",
        "leur",
        "leurs",
        "cette",
        "comme",
        "elle",
        "elles",
        "nous",
        "vous",
        "être",
        "fait",
        "était",
        "para",
        "como",
        "pero",
        "más",
        "sobre",
        "entre",
        "este",
        "esta",
        "estos",
        "estas",
        "desde",
        "tiene",
        "fueron",
        "según",
    ]
)


@dataclass(frozen=True, slots=True)
class Sentence:
    """One sentence of an article: ``text == article.text[start:end]``."""

    article_id: str
    start: int
    end: int
    text: str
    language: str | None = None


def article_sentences(article: Article, *, min_words: int = MIN_WORDS) -> list[Sentence]:
    """The sentences of ``article`` (the first ``MAX_SENTENCES``) that have at least ``min_words``
    words, in text order."""
    return [
        Sentence(article.id, start, end, article.text[start:end], article.language)
        for start, end in counted_spans(article.text, min_words=min_words)
    ]


@functools.lru_cache(maxsize=65_536)
def stems(text: str) -> frozenset[str]:
    """The content-word stems of ``text`` (see the module docstring).

    >>> sorted(stems("NATO defence ministers meet; the 9,600-strong mission"))
    ['9600', 'defen', 'meet', 'minis', 'missi', 'nato', 'stron']
    """
    folded = text.casefold()
    words = {w[:STEM_CHARS] for w in _LETTERS.findall(folded) if w not in _STOP}
    words.update(_SEPARATORS.sub("", n) for n in _NUMBER.findall(folded))
    return frozenset(words)
