"""Every language's time ``Lexicon`` by code (``_words_en``, ``_words_intl``), English by default."""

from __future__ import annotations

import functools

from storyline.model import lang_code
from storyline.understand.timex._lexicon import Lexicon
from storyline.understand.timex._words_en import ENGLISH
from storyline.understand.timex._words_intl import FRENCH, GERMAN, SPANISH
from storyline.understand.timex._words_more import DUTCH, ITALIAN, PORTUGUESE

__all__ = ["lexicon_for", "lexicons"]


@functools.cache
def lexicons() -> dict[str, Lexicon]:
    """Every language's lexicon by code (built on first use)."""
    return {lex.lang: lex for lex in (ENGLISH, GERMAN, FRENCH, SPANISH, ITALIAN, DUTCH, PORTUGUESE)}


def lexicon_for(language: str | None) -> Lexicon:
    """The lexicon of ``language`` (``"de"``, ``"de-AT"``...); English when unknown or ``None``."""
    code = lang_code(language) or "en"
    table = lexicons()
    return table.get(code, table["en"])
