"""Wire-service datelines: ``BRUSSELS, Feb 17 (Reuters) -`` -> place, agency, month/day.

Hand-written on purpose: no library parses agency datelines (trafilatura, htmldate and dateparser read
page metadata or free-text dates, not the ``PLACE, DATE (AGENCY) -`` opener of a wire report). The
grammar is a few anchored, pre-compiled regexes plus checks in Python, and it only ever looks at the
start of the text, so ordinary sentences that mention an agency mid-text never count.

Shapes understood (each may open with whitespace; ``SEP`` is ``-``, ``--``, ``–``, ``—``, ``.-``)::

    PLACE[/PLACE][, REGION][, DATE] [SEP] (AGENCY[/AGENCY]) [SEP]   Brussels (dpa) –   MADRID, 17 feb (EFE).-
    (AGENCY) SEP [PLACE[, DATE] SEP]                                (ANSA) - ROMA, 17 FEB -
    PLACE-IN-CAPITALS[, REGION][, DATE] SEP                         BRUSSELS —
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass

from storyline.extract.lexicon import AGENCY_PATTERN, MONTH_PATTERN, MONTHS, canonical_agency, word_set

LOGGER = logging.getLogger(__name__)

_SP = r"[ \t\u00a0]"
_DASH = r"(?:--|[-‐‑‒–—―−])"
_WORD = r"[^\W\d_][\w'’.\-]*"
_PLACE = rf"{_WORD}(?:{_SP}{_WORD}){{0,4}}"
_PLACES = rf"{_PLACE}(?:{_SP}?/{_SP}?{_PLACE}){{0,2}}"
_DATE = (
    rf"(?:(?P<d1>[0-3]?\d)(?:\.|st|nd|rd|th|er|º)?{_SP}+(?:de{_SP}+)?(?P<m1>{MONTH_PATTERN})\.?"
    rf"|(?P<m2>{MONTH_PATTERN})\.?{_SP}+(?P<d2>[0-3]?\d)(?:st|nd|rd|th)?(?!\d))"
    rf"(?:,?{_SP}+(?:de{_SP}+)?(?P<year>(?:19|20)\d\d))?(?!\d)"
)
_PLACE_PART = (
    rf"(?P<place>{_PLACES})(?:,{_SP}*(?P<region>{_PLACE}))??(?:(?:,{_SP}*|{_SP}+)(?P<date>{_DATE}))?"
)
_AGENCY = rf"\({_SP}*(?P<agency>{AGENCY_PATTERN}(?:{_SP}*[/,;+&]{_SP}*{AGENCY_PATTERN})*){_SP}*\)"
_AFTER_AGENCY = rf"(?P<sep>{_SP}*\.?{_SP}*{_DASH}|{_SP}*:)?"

# PLACE[, REGION][, DATE] [SEP] (AGENCY) [SEP]
_PLACE_FIRST = re.compile(rf"\s*{_PLACE_PART}{_SP}*(?:{_DASH}{_SP}*)?{_AGENCY}{_AFTER_AGENCY}")
# (AGENCY) [SEP] ...
_AGENCY_FIRST = re.compile(rf"\s*{_AGENCY}{_SP}*(?P<sep>\.?{_DASH}|:)?{_SP}*")
# ... PLACE[, DATE] SEP  (after an agency-first opener, or alone in capitals)
_PLACE_ONLY = re.compile(
    rf"\s*{_PLACE_PART}(?P<sep>{_SP}*(?:—|–|--|―){_SP}*|{_SP}+-{_SP}+|{_SP}*\.-{_SP}*)(?=\S)"
)
_SPACE = re.compile(r"\s*")
_BYLINE_LINE = re.compile(r"[ \t]*(?:By|BY)[ \t]+[^\n]{2,80}\n\s*")

_PARTICLES = word_set(
    "de da do dos das del della di du des la le les am an der den im on upon of sur y e et es van "
    "von aux au sul sous bei"
)
# Words in capitals that open headlines and captions, not datelines.
_NOT_PLACES = word_set(
    "BY NATO EU UN US UK USA UAE WHO IMF OPEC FIFA UEFA BREAKING UPDATE UPDATED URGENT FLASH ALERT "
    "EXCLUSIVE ANALYSIS FACTBOX EXPLAINER OPINION EDITORIAL COMMENT LIVE WATCH VIDEO PHOTO PHOTOS "
    "CORRECTED CORRECTION REFILE INSIGHT FEATURE INTERVIEW REVIEW NOTE EDITORS WRAPUP PREVIEW SPORTS "
    "SPORT"
)
_NOT_FIRST_WORDS = word_set("By In On At From For And But Or If As When While After Before")


@dataclass(frozen=True, slots=True)
class Dateline:
    """What a dateline says. ``end`` is the offset in the text where the body text begins."""

    place: str | None
    agency: str | None
    month: int | None
    day: int | None
    year: int | None
    end: int


def parse_dateline(text: str, start: int = 0) -> Dateline | None:
    """The dateline opening ``text`` (at ``start``, leading whitespace allowed), or ``None``.

    >>> parse_dateline("BRUSSELS, Feb 17 (Reuters) - NATO ministers met.")
    Dateline(place='Brussels', agency='Reuters', month=2, day=17, year=None, end=29)
    """
    if start >= len(text):
        return None
    m = _PLACE_FIRST.match(text, start)
    if m is not None:
        found = _from_place_first(text, m)
        if found is not None:
            return found
    m = _AGENCY_FIRST.match(text, start)
    if m is not None:
        return _from_agency_first(text, m)
    m = _PLACE_ONLY.match(text, start)
    if m is not None and _place_ok(m["place"], capitals_only=True) and _region_ok(m["region"]):
        return _dateline(m, agency=None, end=_skip_space(text, m.end()))
    return None


def locate_dateline(text: str) -> Dateline | None:
    """The dateline at the start of ``text``, or right after a ``By ...`` byline line."""
    found = parse_dateline(text)
    if found is None:
        byline = _BYLINE_LINE.match(text)
        if byline is not None:
            found = parse_dateline(text, byline.end())
    return found


def tidy_place(place: str) -> str:
    """``BRUSSELS`` -> ``Brussels``, ``RIO DE JANEIRO`` -> ``Rio de Janeiro``; mixed case is kept."""
    place = " ".join(place.split())
    if not place.isupper():
        return place
    words = []
    for i, word in enumerate(place.split(" ")):
        pieces = word.split("-")
        words.append(
            "-".join(
                p.lower() if (i or j) and p.lower() in _PARTICLES else p.title() for j, p in enumerate(pieces)
            )
        )
    return " ".join(words)


def _from_place_first(text: str, m: re.Match[str]) -> Dateline | None:
    capitals = m["place"].isupper()
    if not _place_ok(m["place"], capitals_only=False) or not _region_ok(m["region"]):
        return None
    if m["sep"] is None:
        # "WASHINGTON (AP) The ..." without a dash: old AP style, only trusted in capitals.
        rest = _skip_space(text, m.end())
        if not capitals or rest == m.end() or rest >= len(text) or not _opens_sentence(text[rest]):
            return None
    return _dateline(m, agency=_first_agency(m["agency"]), end=_skip_space(text, m.end()))


def _from_agency_first(text: str, m: re.Match[str]) -> Dateline | None:
    agency = _first_agency(m["agency"])
    place_m = _PLACE_ONLY.match(text, m.end())
    if (
        place_m is not None
        and _place_ok(place_m["place"], capitals_only=place_m["date"] is None)
        and _region_ok(place_m["region"])
    ):
        return _dateline(place_m, agency=agency, end=_skip_space(text, place_m.end()))
    end = _skip_space(text, m.end())
    if m["sep"] is None and (end == m.end() or end >= len(text) or not _opens_sentence(text[end])):
        return None
    return Dateline(None, agency, None, None, None, end)


def _dateline(m: re.Match[str], *, agency: str | None, end: int) -> Dateline:
    place = m["place"].split("/")[0].strip()
    month = day = year = None
    if m["date"] is not None:
        month_word = (m["m1"] or m["m2"]).rstrip(".").lower()
        month = MONTHS.get(month_word)
        day = int(m["d1"] or m["d2"])
        year = int(m["year"]) if m["year"] else None
        if month is None or not 1 <= day <= 31:
            month = day = year = None
    return Dateline(tidy_place(place), agency, month, day, year, end)


def _place_ok(place: str, *, capitals_only: bool) -> bool:
    words = place.replace("/", " ").split()
    if not words or len(place) > 60:
        return False
    if place.isupper():
        return not any(w.strip(".") in _NOT_PLACES for w in words) and all(
            len(w) > 1 or (w.isalpha() and len(words) > 1) for w in words
        )
    if capitals_only or words[0] in _NOT_FIRST_WORDS:
        return False
    return all(w[0].isupper() or (i and w in _PARTICLES) for i, w in enumerate(words))


def _region_ok(region: str | None) -> bool:
    return region is None or _place_ok(region, capitals_only=False)


def _first_agency(agencies: str) -> str | None:
    first = re.split(r"\s*[/,;+&]\s*", agencies.strip(), maxsplit=1)[0]
    return canonical_agency(first)


def _opens_sentence(char: str) -> bool:
    return char.isupper() or char.isdigit() or char in "\"'“‘«„"


def _skip_space(text: str, pos: int) -> int:
    m = _SPACE.match(text, pos)
    return m.end() if m is not None else pos
