"""The state the timex normaliser carries through one text, and small shared helpers.

``Context`` holds the anchor (publication date), the language's lexicon and what the text has
said so far: the last day-level date (for ``10:30 a.m.`` or ``two days later``), the last quarter
(for ``the quarter`` and ``a year earlier`` in earnings reports) and the last year.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from datetime import date

from storyline.understand.timex._lexicon import Lexicon
from storyline.understand.timex._numbers import parse_number
from storyline.understand.timex._tense import tense_near

__all__ = [
    "Context",
    "Resolved",
    "count_of",
    "group",
    "month_of",
    "rel_of",
    "rel_word",
    "unit_of",
    "year_of_words",
]

LOGGER = logging.getLogger(__name__)

Resolved = tuple[str, str]
"""``(type, value)``: TimeBank type (DATE, TIME, DURATION, SET) and TIMEX3 value."""

_FUZZY = frozenset(
    {"a few", "several", "many", "some", "few", "a number of", "einige", "mehrere", "wenige", "viele",
     "ein paar", "plusieurs", "quelques", "varios", "varias", "algunos", "algunas", "unos pocos"}
)  # fmt: skip
_COUPLE = frozenset({"a couple of", "a couple", "couple of", "couple"})
_ONE = frozenset({"a", "an", "one", "ein", "eine", "einen", "einem", "einer", "un", "une", "una", "uno"})
_SPACES = re.compile(r"\s+")
_DETERMINERS = frozenset(
    {"", "this", "current", "same", "the", "im", "des", "der", "dem", "la", "le", "l'", "l’", "les", "el",
     "en", "au", "du", "del"}
)  # fmt: skip


@dataclass(slots=True)
class Context:
    """What the normaliser knows while it walks one text from start to end."""

    text: str
    lex: Lexicon
    anchor: date | None
    default_direction: int = 0
    last_day: date | None = None
    last_quarter: tuple[int, int] | None = None
    last_year: int | None = None
    last_month: tuple[int, int] | None = None

    def tense(self, start: int, end: int) -> int:
        """-1 / +1 / 0: the tense around ``text[start:end]``."""
        return tense_near(self.text, start, end, self.lex.lang)

    def direction(self, start: int, end: int) -> int:
        """The tense, or ``default_direction`` where there is no cue."""
        return self.tense(start, end) or self.default_direction

    def before(self, start: int, n_chars: int = 30) -> str:
        """The text just before ``start``, case-folded."""
        return self.text[max(0, start - n_chars) : start].casefold()

    def after(self, end: int, n_chars: int = 30) -> str:
        """The text just after ``end``, case-folded."""
        return self.text[end : end + n_chars].casefold()

    def remember(self, value: str) -> None:
        """Update the discourse state with a value just produced."""
        if re.fullmatch(r"\d{4}-\d\d-\d\d(T.*)?", value):
            try:
                self.last_day = date.fromisoformat(value[:10])
            except ValueError:
                return
            self.last_year = self.last_day.year
            self.last_month = (self.last_day.year, self.last_day.month)
        elif m := re.fullmatch(r"(\d{4})-Q([1-4])", value):
            self.last_quarter = (int(m.group(1)), int(m.group(2)))
        elif m := re.fullmatch(r"(\d{4})-(\d\d)", value):
            self.last_month = (int(m.group(1)), int(m.group(2)))
            self.last_year = self.last_month[0]
        elif re.fullmatch(r"\d{4}", value):
            self.last_year = int(value)


def group(m: re.Match[str], name: str) -> str | None:
    """The named group's text, case-folded with single spaces, or ``None`` when it did not take part."""
    try:
        raw = m.group(name)
    except IndexError:
        return None
    return _SPACES.sub(" ", raw.casefold()).strip() if raw else None


def month_of(word: str, lex: Lexicon) -> int | None:
    """1..12 for a month name or abbreviation (with or without its dot)."""
    key = word.casefold().rstrip(".")
    value = lex.months.get(key, lex.month_abbrevs.get(key))
    return value if isinstance(value, int) else None


def unit_of(word: str, lex: Lexicon) -> str | None:
    """The unit code of a unit word (``weeks`` -> ``W``)."""
    value = lex.units.get(_SPACES.sub(" ", word.casefold()))
    return value if isinstance(value, str) else None


def rel_of(word: str | None, lex: Lexicon) -> int | None:
    """-1 (last, past...), +1 (next, coming...), 0 (this, the...) or ``None`` when absent/anaphoric."""
    if word is None:
        return None
    w = word.casefold().removeprefix("the ").removeprefix("this ").strip()
    if w in ("past",) and word.startswith("this"):
        return -1
    if w in lex.last or w in ("last", "past", "previous", "preceding"):
        return -1
    if w in lex.next or w in ("next", "coming", "following"):
        return 1
    if w in lex.this or w in _DETERMINERS:
        return 0
    return None


def rel_word(m: re.Match[str]) -> str | None:
    """The relative word of a match: ``rel2`` (after the noun: ``mardi dernier``) else ``rel``."""
    return group(m, "rel2") or group(m, "rel")


def count_of(word: str | None, lex: Lexicon) -> float | None:
    """How many units a count word says: ``two`` -> 2, ``a`` -> 1; ``None`` for ``several`` (fuzzy)."""
    if word is None:
        return 1.0
    w = _SPACES.sub(" ", word.casefold())
    if w in _FUZZY:
        return None
    if w in _COUPLE:
        return 2.0
    if w in _ONE:
        return 1.0
    return parse_number(w, lex.lang)


def year_of_words(text: str) -> int | None:
    """``nineteen ninety-six`` -> 1996, ``two thousand and five`` -> 2005 (English)."""
    words = text.casefold().replace("-", " ").split()
    if words[:2] == ["two", "thousand"]:
        rest = parse_number(" ".join(w for w in words[2:] if w != "and"), "en") if words[2:] else 0.0
        return 2000 + int(rest) if rest is not None and rest < 100 else None
    head = {"nineteen": 19, "twenty": 20}.get(words[0]) if words else None
    rest = 0.0 if words[1:] == ["hundred"] else parse_number(" ".join(words[1:]), "en")
    if head is None or rest is None or not 0 <= rest < 100:
        return None
    return head * 100 + int(rest)
