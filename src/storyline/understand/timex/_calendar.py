"""Calendar arithmetic and TIMEX3 value formatting for the timex normaliser.

Granularities (``Y`` year, ``M`` month, ``W`` ISO week, ``D`` day, ``Q`` quarter, ``H`` half-year,
``DE`` decade, ``CE`` century) decide how a date is written: ``2021``, ``2021-02``, ``2021-W07``,
``2021-02-17``, ``2021-Q1``, ``2021-H1``, ``202``, ``20``.
"""

from __future__ import annotations

import calendar
import logging
from datetime import date, timedelta

__all__ = [
    "fmt",
    "month_near",
    "month_shift",
    "quarter_of",
    "resolve_weekday",
    "shift",
    "weekend_of",
]

LOGGER = logging.getLogger(__name__)

TENSE_REACH_MONTHS = 8
NEAREST = 3
"""How far (in months) a past or future tense may move a month or date away from the nearest one."""


def month_shift(day: date, months: int) -> date:
    """``day`` moved by whole months, clamped to the end of the target month."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    year = min(max(year, 1), 9999)
    last = calendar.monthrange(year, month + 1)[1]
    return date(year, month + 1, min(day.day, last))


def shift(day: date, amount: float, unit: str) -> date:
    """``day`` moved by ``amount`` units (``Y M W D Q DE CE``; fractions of days/weeks are rounded)."""
    try:
        if unit == "D":
            return day + timedelta(days=round(amount))
        if unit == "W":
            return day + timedelta(days=round(amount * 7))
        if unit == "2W":
            return day + timedelta(days=round(amount * 14))
        months = {"M": 1, "Q": 3, "Y": 12, "DE": 120, "CE": 1200}.get(unit)
        if months is None:
            return day
        return month_shift(day, round(amount * months))
    except (OverflowError, ValueError):
        return day


def quarter_of(day: date) -> int:
    """1..4."""
    return (day.month - 1) // 3 + 1


def fmt(day: date, granularity: str) -> str:
    """``day`` written at ``granularity`` (see the module docstring)."""
    if granularity == "Y":
        return f"{day.year:04d}"
    if granularity == "M":
        return f"{day.year:04d}-{day.month:02d}"
    if granularity in ("W", "2W"):
        iso = day.isocalendar()
        return f"{iso.year:04d}-W{iso.week:02d}"
    if granularity == "Q":
        return f"{day.year:04d}-Q{quarter_of(day)}"
    if granularity == "H":
        return f"{day.year:04d}-H{1 if day.month <= 6 else 2}"
    if granularity == "DE":
        return f"{day.year // 10:03d}"
    if granularity == "CE":
        return f"{day.year // 100:02d}"
    if granularity == "WE":
        iso = day.isocalendar()
        return f"{iso.year:04d}-W{iso.week:02d}-WE"
    return day.isoformat()


def resolve_weekday(anchor: date, weekday: int, direction: int) -> date:
    """The ``weekday`` (0 = Monday) nearest ``anchor``.

    ``direction`` -1: the latest one on or before the anchor; +1: the first on or after it;
    0: the one in the anchor's ISO week; -2 / +2: strictly before / strictly after (``last``/``next``);
    ``NEAREST`` (3): the nearest one, within three days either way.
    """
    delta = weekday - anchor.weekday()
    if direction == 0:
        return anchor + timedelta(days=delta)
    if direction == NEAREST:
        ahead = delta % 7
        return anchor + timedelta(days=ahead if ahead < 4 else ahead - 7)
    if direction in (-1, -2):
        back = (-delta) % 7
        if back == 0 and direction == -2:
            back = 7
        return anchor - timedelta(days=back)
    ahead = delta % 7
    if ahead == 0 and direction == 2:
        ahead = 7
    return anchor + timedelta(days=ahead)


def weekend_of(anchor: date, direction: int) -> date:
    """A Saturday standing for a weekend: the anchor's own (0), the previous (-1) or the next (+1)."""
    saturday = anchor + timedelta(days=5 - anchor.weekday())
    if direction < 0 and anchor.weekday() < 5:
        return saturday - timedelta(days=7)
    if direction > 0 and anchor.weekday() >= 5:
        return saturday + timedelta(days=7)
    return saturday


def month_near(anchor: date, month: int, day: int | None, direction: int) -> date | None:
    """The date of ``month`` (and ``day``) in the year before, of or after the anchor's.

    ``direction`` -2 / +2 (``last May`` / ``next May``): the latest one strictly before / the first
    strictly after the anchor. Otherwise the one nearest the anchor; a tense (-1 past, +1 future)
    overrides that when the candidate on its side is within ``TENSE_REACH_MONTHS``.
    """
    candidates: list[tuple[int, date]] = []
    for year in (anchor.year - 1, anchor.year, anchor.year + 1):
        try:
            when = date(year, month, min(day or 1, calendar.monthrange(year, month)[1]))
        except ValueError:
            return None
        if day is None:
            distance = (year * 12 + month) - (anchor.year * 12 + anchor.month)
        else:
            distance = round((when - anchor).days / 30.44 * 100)
        candidates.append((distance, when))
    scale = 1 if day is None else 100
    if direction == -2:
        return max((c for c in candidates if c[0] < 0), key=lambda c: c[0])[1]
    if direction == 2:
        return min((c for c in candidates if c[0] > 0), key=lambda c: c[0])[1]
    best = min(candidates, key=lambda c: (abs(c[0]), c[0] > 0))
    if direction in (-1, 1) and best[0] * direction < 0:
        side = [c for c in candidates if c[0] * direction >= 0]
        nearest_side = min(side, key=lambda c: abs(c[0]))
        if abs(nearest_side[0]) <= TENSE_REACH_MONTHS * scale:
            return nearest_side[1]
    return best[1]


def nearest_date(anchor: date, candidates: list[date], direction: int, reach_months: float = 12) -> date:
    """Of ``candidates`` (a yearly event in consecutive years), the one ``direction`` points to.

    -2 / +2: the latest strictly before / the first strictly after the anchor; otherwise the nearest,
    moved to the tense's side (-1 past, +1 future) when that one is within ``reach_months``.
    """
    if direction == -2:
        return max((d for d in candidates if d < anchor), default=min(candidates))
    if direction == 2:
        return min((d for d in candidates if d > anchor), default=max(candidates))
    best = min(candidates, key=lambda d: (abs((d - anchor).days), d > anchor))
    if direction in (-1, 1) and (best - anchor).days * direction < 0:
        side = [d for d in candidates if (d - anchor).days * direction >= 0]
        if side:
            other = min(side, key=lambda d: abs((d - anchor).days))
            if abs((other - anchor).days) <= reach_months * 30.44:
                return other
    return best
