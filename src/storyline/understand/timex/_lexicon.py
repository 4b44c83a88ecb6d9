"""Words of time: the ``Lexicon`` each language's timex grammar is built from.

Every map is keyed by the case-folded word; values are what the normaliser needs: a month number,
a weekday (0 = Monday), a TIMEX3 unit code (``Y M W D H MIN S Q DE CE WE``), a part-of-day code
(``MO AF EV NI MI``), a season code (``SP SU FA WI``), a day offset, or a reference value
(``PRESENT_REF``, ``PAST_REF``, ``FUTURE_REF``). The vocabularies themselves live in
``_words_en`` and ``_words_intl``; ``_languages`` holds them by language code.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import dataclass, field

__all__ = ["Lexicon", "alts", "forms", "words"]

LOGGER = logging.getLogger(__name__)


def words(text: str) -> frozenset[str]:
    """The whitespace-separated words of ``text`` (keeps long word lists readable)."""
    return frozenset(text.split())


def alts(text: str) -> tuple[str, ...]:
    """The ``|``-separated phrases of ``text``: ``alts("at least|up to")``."""
    return tuple(text.split("|"))


def forms(spec: Mapping[str, object]) -> dict[str, object]:
    """Expand ``"word|form2|form3": value`` keys into one key per form."""
    return {form: value for key, value in spec.items() for form in key.split("|")}


@dataclass(frozen=True, slots=True)
class Lexicon:
    """The time vocabulary of one language (see the module docstring for the value codes).

    ``last``/``next``/``this`` are the relative words (``last``, ``letzte``, ``dernier``); ``every``
    the words of recurrence; ``ago`` the words of ``ago`` (``vor``, ``il y a``, ``hace``); ``approx``
    the hedges kept in a span (``about``, ``more than``); ``begin``/``middle``/``end`` the period
    modifiers (``early``, ``Mitte``, ``fin``).
    """

    lang: str
    months: Mapping[str, object]
    month_abbrevs: Mapping[str, object]
    weekdays: Mapping[str, object]
    units: Mapping[str, object]
    parts_of_day: Mapping[str, object]
    seasons: Mapping[str, object]
    ordinals: Mapping[str, object]
    days: Mapping[str, object]
    last: tuple[str, ...]
    next: tuple[str, ...]
    this: tuple[str, ...]
    refs: Mapping[str, object]
    sets: Mapping[str, object]
    every: tuple[str, ...]
    ago: tuple[str, ...]
    approx: tuple[str, ...]
    fuzzy: Mapping[str, object] = field(default_factory=dict)
    begin: tuple[str, ...] = ()
    middle: tuple[str, ...] = ()
    end: tuple[str, ...] = ()
