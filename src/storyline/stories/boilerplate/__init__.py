"""Text an outlet repeats across its articles (boilerplate), kept out of what decides stories.

Page chrome is removed from HTML by the extractor, but subscription lines ("اشترك لتصلك أهم
الأخبار", "Subscribe for the top news"), the site name, bylines and navigation still reach the text
of pages, records and feed items. Repeated in every article of an outlet, they dominate short
articles' vectors and keys and glue unrelated reports of that outlet into one story.

``BoilerplateIndex`` (``_index``) counts, per outlet, the units of text (``_units``: lines,
sentences, the opening, the title's site name, word runs at both ends) that earlier articles held,
and marks in a new article the units seen in at least ``min_articles`` distinct earlier articles of
the same outlet (copies not counted). The pipeline asks it in input order, where copies are decided,
before the costly stages; ``story_text`` and ``story_title`` are what the story stages then read.
The stored text is never changed.
"""

from __future__ import annotations

import re

from storyline.model import Article
from storyline.stories.boilerplate._index import NO_TIME, BoilerplateIndex, Marked, merge_spans, outlet_of
from storyline.stories.boilerplate._units import (
    GRAM,
    GRAM_WORDS,
    LINE,
    OPENING,
    TITLE,
    Unit,
    normalise_unit,
    text_units,
    title_units,
    unit_key,
)

__all__ = [
    "GRAM",
    "GRAM_WORDS",
    "LINE",
    "NO_TIME",
    "OPENING",
    "TITLE",
    "BoilerplateIndex",
    "Marked",
    "Unit",
    "merge_spans",
    "normalise_unit",
    "outlet_of",
    "story_text",
    "story_title",
    "strip_spans",
    "text_units",
    "title_units",
    "unit_key",
]

_BLANKS = re.compile(r"[ \t]+")
_WORDLESS = re.compile(r"^[\W_]*$", re.UNICODE)


def strip_spans(text: str, spans: tuple[tuple[int, int], ...]) -> str:
    """``text`` without ``spans``: each span becomes one space, runs of spaces close up, and lines
    left without a word (a separator, a bullet) are dropped.

    >>> strip_spans("Site | Headline\\nSubscribe now\\nBody text.", ((0, 7), (16, 29)))
    'Headline\\nBody text.'
    """
    if not spans:
        return text
    pieces, at = [], 0
    for start, end in spans:
        pieces.append(text[at:start])
        at = max(at, end)
        pieces.append(" ")
    pieces.append(text[at:])
    lines = (_BLANKS.sub(" ", line).strip() for line in "".join(pieces).split("\n"))
    return "\n".join(line for line in lines if line and not _WORDLESS.match(line))


def story_text(article: Article) -> str:
    """The article's text as the story stages read it: without its boilerplate spans."""
    return strip_spans(article.text, article.boilerplate)


def story_title(article: Article) -> str:
    """The article's title without its boilerplate spans (a site name around the headline)."""
    return strip_spans(article.title, article.title_boilerplate)
