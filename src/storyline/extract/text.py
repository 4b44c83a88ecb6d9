"""Plain-text articles: header line, headline, dateline, lead.

A text item may open with a metadata header such as `` date 2021-02-17 Brussels (AFP)`` (removed from
the text: it is not part of the article), then a headline line followed by a blank line (removed and
used as the title), then the body, which may open with a dateline (kept: later stages count offsets
from the start of the body text, dateline included).
"""

from __future__ import annotations

import logging
import re
from datetime import datetime

from storyline.extract.bylines import find_byline_agency
from storyline.extract.datelines import locate_dateline, parse_dateline, tidy_place
from storyline.extract.dates import parse_timestamp
from storyline.extract.draft import Draft
from storyline.extract.lexicon import canonical_agency
from storyline.extract.titles import lead_title, looks_like_headline, same_words
from storyline.model import Precision

LOGGER = logging.getLogger(__name__)

_TRAILING_SPACE = re.compile(r"[ \t\u00a0\u3000]+\n")
_BLANK_RUNS = re.compile(r"\n{3,}")
_HEADER = re.compile(
    r"[ \t]*(?i:date)[ \t]*:?[ \t]+"
    r"(?P<stamp>\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:[.,]\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?)"
    r"(?:[ \t]+(?P<rest>[^\n]*?))?[ \t]*(?:\n|$)"
)
_PLACE_AGENCY = re.compile(r"(?P<place>[^()\n]*?)[ \t]*(?:\([ \t]*(?P<agency>[^()\n]+?)[ \t]*\))?[ \t]*")
_FIRST_PARAGRAPH = re.compile(r"(?P<line>[^\n]+)\n[ \t]*\n\s*(?=\S)")


def parse_text(text: str, title_hint: str = "") -> Draft:
    """Split a decoded plain-text item into header metadata, title and body text."""
    text = _tidy(text)
    published_at: datetime | None = None
    precision: Precision | None = None
    place = agency = None
    header = _HEADER.match(text)
    if header is not None:
        stamp = parse_timestamp(header["stamp"].replace(" ", "T", 1))
        if stamp is not None:
            published_at, precision = stamp
        place, agency = _place_and_agency(header["rest"] or "")
        text = text[header.end() :].lstrip()
    title = ""
    first = _FIRST_PARAGRAPH.match(text)
    if first is not None:
        line = first["line"].strip()
        if same_words(line, title_hint) or (
            not title_hint and looks_like_headline(line) and parse_dateline(line) is None
        ):
            title = line
            text = text[first.end() :]
    dateline = locate_dateline(text)
    if not title:
        title = lead_title(text, dateline.end if dateline is not None else 0)
    if dateline is not None:
        place = place or dateline.place
        agency = agency or dateline.agency
    agency = agency or find_byline_agency(text)
    return Draft(
        text=text,
        title=title,
        agency=agency,
        place=place,
        published_at=published_at,
        precision=precision,
        dateline=dateline,
    )


def _tidy(text: str) -> str:
    """Strip line ends and the whole text; at most one blank line between paragraphs."""
    if any(space in text for space in (" \n", "\t\n", "\u00a0\n", "\u3000\n")):
        text = _TRAILING_SPACE.sub("\n", text)
    if "\n\n\n" in text:
        text = _BLANK_RUNS.sub("\n\n", text)
    return text.strip()


def _place_and_agency(rest: str) -> tuple[str | None, str | None]:
    """``Brussels (AFP)`` -> ``("Brussels", "AFP")``; ``AFP`` alone -> ``(None, "AFP")``."""
    rest = rest.strip()
    if not rest:
        return None, None
    known = canonical_agency(rest)
    if known is not None:
        return None, known
    m = _PLACE_AGENCY.fullmatch(rest)
    if m is None:
        return tidy_place(rest), None
    raw_agency = (m["agency"] or "").strip()
    first_agency = re.split(r"\s*[/,;]\s*", raw_agency, maxsplit=1)[0] if raw_agency else ""
    agency = canonical_agency(first_agency) or (raw_agency or None)
    place = m["place"].strip(" ,-–—")
    return (tidy_place(place) if place else None), agency
