"""Time expressions: ``find_time_mentions`` finds and normalises them (TIMEX3 values).

The rule grammar of each language (English, German, French, Spanish, Italian, Dutch, Portuguese)
is built from its word lexicon; other languages use dateparser for absolute dates. The word
lexicons (``lexicon_for``,
``words``) and the number patterns are public because ``understand.figures`` reads numbers with them.
"""

from storyline.understand.timex._dates import find_time_mentions
from storyline.understand.timex._languages import lexicon_for
from storyline.understand.timex._lexicon import Lexicon, words
from storyline.understand.timex._numbers import (
    digits_pattern,
    number_words_pattern,
    parse_number,
    word_alternation,
)

__all__ = [
    "Lexicon",
    "digits_pattern",
    "find_time_mentions",
    "lexicon_for",
    "number_words_pattern",
    "parse_number",
    "word_alternation",
    "words",
]
