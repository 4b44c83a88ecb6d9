"""Publication dates htmldate misses or only guesses: byline text dates, compact URL dates.

htmldate (run by trafilatura, ``extensive_search=True``) reads markup first, then the page's text.
When all it finds is a copyright notice it answers 1 January of that year, a guess and never the
publication date; and its text search knows few month names outside English and German. Then this
module looks where news pages print their date: a ``YYYYMMDD`` URL segment, else the first
byline-like element (class or id naming a date, byline or meta block; not in navigation, asides or
the footer) that holds a day-month-year date in one of the lexicon's languages. Within that element
the earliest date wins: "Updated 18 June, first published 12 June" was published on the 12th.
"""

from __future__ import annotations

import logging
import re
from datetime import UTC, date, datetime, timedelta

from trafilatura.utils import load_html  # not htmldate's: that one downloads a body that looks like a URL

from storyline.extract.lexicon import MONTH_PATTERN, MONTHS

LOGGER = logging.getLogger(__name__)

_YEAR = r"(?P<y>(?:19|20)\d\d)"
_DAY_MONTH_YEAR = re.compile(
    rf"(?<!\d)(?P<d>[0-3]?\d)(?:\.|er|º|ª)?\s+(?:de\s+)?(?P<m>{MONTH_PATTERN})\.?,?\s+(?:de\s+)?{_YEAR}(?!\d)"
)
_MONTH_DAY_YEAR = re.compile(
    rf"(?<![\w])(?P<m>{MONTH_PATTERN})\.?\s+(?P<d>[0-3]?\d)(?:st|nd|rd|th)?,?\s+{_YEAR}(?!\d)"
)
_NUMERIC = re.compile(r"(?<![\d/.])(?P<a>[0-3]?\d)[./](?P<b>[01]?\d)[./](?P<y>(?:19|20)\d\d)(?![\d/.])")
_URL_COMPACT = re.compile(r"/((?:19|20)\d\d)(0[1-9]|1[0-2])([0-3]\d)(?=[/_.-]|$)")
_COPYRIGHT = re.compile(
    r"(?:©|&copy;|&#169;|\(c\)|copyright)\s*(?:(?:19|20)\d\d\s*[-–]\s*)?((?:19|20)\d\d)", re.I
)
_DATE_BLOCK = re.compile(
    r"date|time|byline|meta|posted|publi|stamp|dateline|signature|firma|autor|auteur|datum|fecha|data",
    re.IGNORECASE,
)
_SKIP_ANCESTORS = frozenset(("aside", "footer", "nav", "script", "style", "noscript"))
_MAX_BLOCK_CHARS = 400
_MAX_BLOCKS = 200


def is_copyright_guess(value: str, page: str) -> bool:
    """Whether htmldate's ``value`` is only its 1 January guess from the page's copyright year."""
    if not value.endswith(("-01-01", "-01-01T00:00:00")):
        return False
    return any(value.startswith(f"{m.group(1)}-01-01") for m in _COPYRIGHT.finditer(page))


def url_date(url: str | None) -> datetime | None:
    """The date of a ``/YYYYMMDD/`` (or ``/YYYYMMDD-slug``) URL path segment."""
    found = _URL_COMPACT.search(url or "")
    return _day(int(found.group(1)), int(found.group(2)), int(found.group(3))) if found else None


def byline_date(page: str, latest: datetime) -> datetime | None:
    """The earliest date written in the first byline-like element that has one (not after ``latest``)."""
    tree = load_html(page)
    if tree is None:
        return None
    us_order = (tree.get("lang") or "").lower() in ("en-us", "en")
    limit = latest.astimezone(UTC) + timedelta(days=1)
    for n, element in enumerate(tree.iterfind(".//*[@class]")):
        if n >= _MAX_BLOCKS:
            break
        if not _DATE_BLOCK.search(f"{element.get('class')} {element.get('id') or ''}"):
            continue
        if any(a.tag in _SKIP_ANCESTORS for a in element.iterancestors()) or element.tag in _SKIP_ANCESTORS:
            continue
        dates = [d for d in _dates_in(element.text_content()[:_MAX_BLOCK_CHARS], us_order) if d <= limit]
        if dates:
            return min(dates)
    return None


def _dates_in(text: str, us_order: bool) -> list[datetime]:
    found: list[datetime | None] = []
    for pattern in (_DAY_MONTH_YEAR, _MONTH_DAY_YEAR):
        for m in pattern.finditer(text):
            month = MONTHS.get(m.group("m").lower().rstrip("."))
            found.append(_day(int(m.group("y")), month, int(m.group("d"))) if month else None)
    for m in _NUMERIC.finditer(text):
        a, b, year = int(m.group("a")), int(m.group("b")), int(m.group("y"))
        first, second = ((a, b), (b, a)) if us_order else ((b, a), (a, b))  # (month, day)
        found.append(_day(year, *first) or _day(year, *second))
    return [d for d in found if d is not None]


def _day(year: int, month: int, day: int) -> datetime | None:
    try:
        return datetime.combine(date(year, month, day), datetime.min.time(), tzinfo=UTC)
    except ValueError:
        return None
