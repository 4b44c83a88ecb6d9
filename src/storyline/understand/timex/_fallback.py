"""Absolute dates in languages the timex grammar does not cover, read with dateparser.

The grammar knows English, German, French, Spanish, Italian, Dutch and Portuguese. For any other
language an article's
absolute dates (``17 lutego 2021``, ``17 februari 2021`` in Swedish...) are found by a
language-neutral pattern (day, a word, a four-digit year; or word, day, year) and each candidate span,
never the whole text, is handed to ``dateparser.parse`` with the article's language and the
publication date as ``RELATIVE_BASE``. dateparser is optional: without it nothing is added.
"""

from __future__ import annotations

import importlib
import logging
import re
import warnings
from collections.abc import Iterator
from datetime import date, datetime
from typing import Any

__all__ = ["MAX_CANDIDATES", "absolute_dates"]

LOGGER = logging.getLogger(__name__)

MAX_CANDIDATES = 40
"""At most this many spans per text go to dateparser (about 2 ms each once warm)."""

_CANDIDATE = re.compile(
    r"(?<![\w.])(?:(?:[0-3]?\d)\.?\s+(?:de\s+)?[^\W\d_]{3,12}\.?,?\s+(?:de\s+|del\s+)?(?:1[0-9]|20)\d\d"
    r"|[^\W\d_]{3,12}\.?\s+[0-3]?\d,?\s+(?:1[0-9]|20)\d\d)(?![\w.]\w)",
    re.UNICODE,
)


def _dateparser() -> Any:
    try:
        return importlib.import_module("dateparser")
    except ImportError:
        LOGGER.debug("dates: dateparser is not installed; no fallback for other languages")
        return None


def absolute_dates(text: str, language: str, anchor: date | None) -> Iterator[tuple[int, int, str]]:
    """``(start, end, YYYY-MM-DD)`` for each full date dateparser reads in ``language``."""
    parser = _dateparser()
    if parser is None:
        return
    settings: dict[str, Any] = {"REQUIRE_PARTS": ["day", "month", "year"]}
    if anchor is not None:
        settings["RELATIVE_BASE"] = datetime(anchor.year, anchor.month, anchor.day)  # noqa: DTZ001 (a day)
    for n, m in enumerate(_CANDIDATE.finditer(text)):
        if n >= MAX_CANDIDATES:
            break
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                parsed = parser.parse(m.group(0), languages=[language], settings=settings)
        except (ValueError, TypeError, OverflowError) as e:
            LOGGER.debug("dates: dateparser could not read %r (%s): %s", m.group(0), language, e)
            return
        if parsed is not None:
            yield m.start(), m.end(), parsed.date().isoformat()
