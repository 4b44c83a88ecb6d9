"""Publication times: parse the timestamps containers and pages give, and date a dateline.

Every result is tz-aware UTC with a precision: ``"day"`` for a bare date, ``"time"`` for a timestamp.
A naive timestamp is taken as UTC. A dateline without a year is dated only against an anchor (the fetch
time); with no anchor it stays undated, because a guessed year is worse than none.
"""

from __future__ import annotations

import logging
import re
from datetime import UTC, date, datetime, timedelta
from email.utils import parsedate_to_datetime

from storyline.model import Precision

LOGGER = logging.getLogger(__name__)

_DAY_ONLY = re.compile(r"\d{4}-\d{2}-\d{2}|\d{8}")
_HAS_TIME = re.compile(r"\d[T ]\d{2}:?\d{2}")
_MAX_YEARS_BACK = 8  # enough to reach the previous 29 February


def parse_timestamp(value: str) -> tuple[datetime, Precision] | None:
    """ISO 8601 (with or without zone), RFC 2822 or ``YYYY-MM-DD`` -> ``(UTC datetime, precision)``.

    >>> parse_timestamp("2021-02-17T10:30:00+01:00")
    (datetime.datetime(2021, 2, 17, 9, 30, tzinfo=datetime.timezone.utc), 'time')
    """
    value = value.strip()
    if not value or len(value) > 64:
        return None
    try:
        if _DAY_ONLY.fullmatch(value):
            return _utc(datetime.fromisoformat(value)), "day"
        try:
            parsed = datetime.fromisoformat(value)
        except ValueError:
            return _utc(parsedate_to_datetime(value)), "time"
        return _utc(parsed), "time" if _HAS_TIME.search(value) else "day"
    except (ValueError, TypeError, OverflowError, IndexError):
        LOGGER.debug("unreadable timestamp %r ignored", value)
        return None


def parse_page_date(value: str) -> tuple[datetime, Precision] | None:
    """A date from htmldate (``%Y-%m-%dT%H:%M:%S%z``): naive midnight means only the day was known."""
    parsed = parse_timestamp(value)
    if parsed is None:
        return None
    if value.strip().endswith("T00:00:00"):
        return parsed[0], "day"
    return parsed


def date_dateline(month: int, day: int, year: int | None, anchor: datetime | None) -> datetime | None:
    """Midnight UTC of a dateline's date: its own year, else the latest one not after ``anchor`` + 1 day."""
    if year is not None:
        return _midnight(year, month, day)
    if anchor is None:
        return None
    limit = (anchor.astimezone(UTC) + timedelta(days=1)).date()
    for candidate_year in range(limit.year, limit.year - _MAX_YEARS_BACK, -1):
        found = _midnight(candidate_year, month, day)
        if found is not None and found.date() <= limit:
            return found
    return None


def _midnight(year: int, month: int, day: int) -> datetime | None:
    try:
        return datetime.combine(date(year, month, day), datetime.min.time(), tzinfo=UTC)
    except ValueError:
        return None


def _utc(moment: datetime) -> datetime:
    if moment.tzinfo is None:
        return moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC)
