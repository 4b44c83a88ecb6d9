"""The units of text the boilerplate index counts, and how a unit's text is normalised.

An article offers four kinds of unit, each a span of its text (or title) and a 64-bit key:

- ``LINE``: every line, and every sentence of at least ``MIN_SENTENCE_WORDS`` words of a line (cut
  at ``. ! ? ؟`` and at ``|`` / ``•`` separators): a subscription line, a byline, a navigation row;
- ``OPENING``: the start of the first line up to a separator (`` - ``, ``|``, ``:``...) within its
  first ``OPENING_CHARS`` characters: ``Vetogate | ``, ``Site name - Cairo: ``;
- ``GRAM``: every run of ``GRAM_WORDS`` words among the first and last ``EDGE_WORDS`` words of the
  text, where boilerplate that shares a line with the real text sits (``<title> Subscribe for the top
  news <first sentence>``), unless a word after the first is capitalised (a name: what the news is
  about, not the outlet's wording);
- ``TITLE``: the parts of a separate title before its first and after its last separator
  (``Headline | Site name``).

A unit's text is normalised before hashing (``normalise_unit``): NFKC, case-folded, every run of
digits read as ``0`` and every run of anything but letters and digits as one space, so a line that
differs only in case, numbers, punctuation or spacing (a date, a view count) is the same unit.
"""

from __future__ import annotations

import hashlib
import itertools
import re
import unicodedata
from dataclasses import dataclass

__all__ = [
    "EDGE_WORDS",
    "GRAM",
    "GRAM_WORDS",
    "LINE",
    "LINE_CHARS",
    "MIN_SENTENCE_WORDS",
    "OPENING",
    "OPENING_CHARS",
    "TITLE",
    "Unit",
    "normalise_unit",
    "text_units",
    "title_units",
    "unit_key",
]

LINE, OPENING, GRAM, TITLE = range(1, 5)
_KIND = {LINE: "l", OPENING: "o", GRAM: "g", TITLE: "t"}
#: Words in a ``GRAM`` unit: the shortest subscription lines measured have four
#: (``اشترك لتصلك أهم الأخبار``, "subscribe to get the top news").
GRAM_WORDS = 4
#: Words at each end of the text whose word runs are counted (inside, repeated wording is the news).
EDGE_WORDS = 40
#: Characters read back from the end for the last ``EDGE_WORDS`` words (a generous word length).
TAIL_CHARS_PER_WORD = 20
#: Words a sentence needs to count on its own (a whole line counts at any length): shorter pieces
#: are mostly cut at abbreviations ("Mr.", "Sen."), and their removal would take names with them.
MIN_SENTENCE_WORDS = 4
#: A line of several sentences counts whole up to this length (a navigation row, a byline with a
#: date); a longer one counts by its sentences only.
LINE_CHARS = 200
#: How far into the first line an opening's separator may be.
OPENING_CHARS = 80

_LINE = re.compile(r"[^\n]+")
_SENTENCE_END = re.compile(r"[.!?؟。](?=\s)|\s[|•·](?=\s)")
_SEPARATOR = re.compile(r"\s+[|–—-]+\s+|\s*\|\s*|:\s+|\s+[–—]")
_WORD = re.compile(r"[^\W_]+", re.UNICODE)
_NOT_WORD = re.compile(r"[\W_]+", re.UNICODE)
_DIGITS = re.compile(r"\d+")


@dataclass(frozen=True, slots=True)
class Unit:
    """One counted unit: its kind, its key and where it is (``start``/``end`` into the text, or into
    the title for ``TITLE``)."""

    kind: int
    key: int
    start: int
    end: int


def normalise_unit(text: str) -> str:
    """``text`` as counted: NFKC, case-folded, digits as ``0``, punctuation and spacing as one space.

    >>> normalise_unit("  Subscribe -- for the TOP 10 news!  ")
    'subscribe for the top 0 news'
    """
    folded = _DIGITS.sub("0", unicodedata.normalize("NFKC", text).casefold())
    return _NOT_WORD.sub(" ", folded).strip()


def unit_key(kind: int, normalised: str) -> int:
    """The signed 64-bit key of a normalised unit of ``kind`` (blake2b: the same in every process)."""
    digest = hashlib.blake2b(
        f"{_KIND[kind]}:{normalised}".encode("utf-8", "surrogatepass"), digest_size=8
    ).digest()
    return int.from_bytes(digest, "little", signed=True)


def _unit(kind: int, text: str, start: int, end: int) -> Unit | None:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    normalised = normalise_unit(text[start:end])
    if not normalised:
        return None
    return Unit(kind, unit_key(kind, normalised), start, end)


def _lines(text: str) -> list[Unit]:
    out: list[Unit] = []
    for line in _LINE.finditer(text):
        start, end = line.span()
        pieces = [start, *(m.end() for m in _SENTENCE_END.finditer(text, start, end)), end]
        if len(pieces) == 2 or end - start <= LINE_CHARS:
            out.extend(u for u in [_unit(LINE, text, start, end)] if u is not None)
        if len(pieces) > 2:
            for a, b in itertools.pairwise(pieces):
                unit = _unit(LINE, text, a, b)
                if unit is not None and len(_WORD.findall(text, a, b)) >= MIN_SENTENCE_WORDS:
                    out.append(unit)
    return out


def _openings(text: str, kind: int) -> list[Unit]:
    first = _LINE.search(text)
    if first is None:
        return []
    out: list[Unit] = []
    for cut in _SEPARATOR.finditer(text, first.start(), min(first.end(), first.start() + OPENING_CHARS)):
        unit = _unit(kind, text, first.start(), cut.start())
        if unit is not None:
            out.append(Unit(kind, unit.key, first.start(), cut.end()))
    return out


def _fold_word(word: str) -> str:
    folded = word.casefold() if word.isascii() else unicodedata.normalize("NFKC", word).casefold()
    return folded if folded.isalpha() else _DIGITS.sub("0", folded)


def _grams(text: str) -> list[Unit]:
    n = GRAM_WORDS
    words = list(itertools.islice(_WORD.finditer(text), EDGE_WORDS + 1))
    ends: tuple[range, ...] = (range(len(words) - n + 1),)
    if len(words) > EDGE_WORDS:  # the first and the last EDGE_WORDS words (a run never spans the gap)
        words.pop()
        tail_from = max(words[-1].end(), len(text) - EDGE_WORDS * TAIL_CHARS_PER_WORD)
        tail = list(_WORD.finditer(text, tail_from))[-EDGE_WORDS:]
        ends = (range(EDGE_WORDS - n + 1), range(EDGE_WORDS, EDGE_WORDS + len(tail) - n + 1))
        words += tail
    folded = [_fold_word(w[0]) for w in words]
    upper = [w[0][:1].isupper() for w in words]
    out: list[Unit] = []
    for i in (i for r in ends for i in r):
        if any(upper[i + 1 : i + n]):
            continue  # a name ("Sen. Bernie Sanders", "Mill Road") is what the story is about
        key = unit_key(GRAM, " ".join(folded[i : i + n]))
        out.append(Unit(GRAM, key, words[i].start(), words[i + n - 1].end()))
    return out


def text_units(text: str) -> list[Unit]:
    """Every unit of an article's text: lines and sentences, the opening, the edge word runs."""
    return [*_lines(text), *_openings(text, OPENING), *_grams(text)]


def title_units(title: str) -> list[Unit]:
    """The units of a separate title: what precedes its separators (a site name before the
    headline) and what follows each (a site name after it)."""
    if not title.strip():
        return []
    out = _openings(title, TITLE)
    for cut in _SEPARATOR.finditer(title):
        unit = _unit(TITLE, title, cut.end(), len(title))
        if unit is not None:
            out.append(Unit(TITLE, unit.key, cut.start(), len(title)))
    return out
