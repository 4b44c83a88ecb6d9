"""Time expressions in an article, normalised TIMEX3-style against its publication date.

``find_time_mentions`` scans the text once with the language's compiled grammar
(``_grammar``: en, de, fr, es, it, nl, pt; other languages use the English one),
normalises each candidate with the rule's handler (``_points``, ``_periods``,
``_spans``) and keeps a small discourse state (the last day, quarter and year named) so that
``10:30 a.m.`` or ``a year earlier`` resolve the way TimeBank annotates them.

Anchor: the publication date (UTC day). Relative expressions point the way the clause's tense says
(``_tense``); with no tense cue a weekday is taken in the anchor's week (news default) and a
month in the anchor's year. Without a publication date only absolute values are given
(``2021-05-01``); relative ones get the underspecified form (``XXXX-05-01``, ``XXXX-WXX-3``) or ``""``.

``is_event`` (for timelines) is a documented heuristic, see ``_event``.

>>> from datetime import datetime, UTC
>>> [(m.text, m.value) for m in find_time_mentions(
...     "Ministers meet on Wednesday, before the May 1 deadline.",
...     article_id="a", published_at=datetime(2021, 2, 17, tzinfo=UTC), language="en")]
[('Wednesday', '2021-02-17'), ('May 1', '2021-05-01')]
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable
from datetime import UTC, date, datetime
from typing import Literal, cast

from storyline.model import TimeMention, lang_code
from storyline.understand.timex._calendar import NEAREST
from storyline.understand.timex._context import Context, Resolved
from storyline.understand.timex._event import is_event_date
from storyline.understand.timex._fallback import absolute_dates
from storyline.understand.timex._grammar import Rule, grammar_for
from storyline.understand.timex._periods import PERIOD_HANDLERS
from storyline.understand.timex._points import POINT_HANDLERS
from storyline.understand.timex._spans import SPAN_HANDLERS

__all__ = ["find_time_mentions"]

LOGGER = logging.getLogger(__name__)

Handler = Callable[[re.Match[str], Context], Resolved | None]
_HANDLERS: dict[str, Handler] = {**POINT_HANDLERS, **PERIOD_HANDLERS, **SPAN_HANDLERS}
_TYPES = ("DATE", "TIME", "DURATION", "SET")
TimexType = Literal["DATE", "TIME", "DURATION", "SET"]
MAX_TEXT_CHARS = 2_000_000
WEEKDAY_DEFAULT_DIRECTION = NEAREST
"""A weekday with no tense cue: the one nearest the anchor (three days either way; ties go back)."""
_NO_MEMORY = frozenset({"ago", "qanaph"})  # values derived from the memory must not feed it


def _anchor_day(published_at: datetime | None) -> datetime | None:
    if published_at is None:
        return None
    if published_at.tzinfo is not None:
        published_at = published_at.astimezone(UTC)
    return published_at


def find_time_mentions(
    text: str,
    *,
    article_id: str,
    published_at: datetime | None,
    language: str | None,
    reference: bool = False,
) -> list[TimeMention]:
    """Every time expression of ``text`` in order, with its TIMEX3 type and value.

    ``published_at`` anchors relative expressions (``None``: only absolute values); ``language``
    picks the grammar (``en``, ``de``, ``fr``, ``es``, ``it``, ``nl``, ``pt``; anything else reads as
    English, and its full dates are read with dateparser, see ``_fallback``).
    ``reference=True`` scans the slow way (every rule at every word), for tests of the fast scan.
    """
    if not text:
        return []
    grammar = grammar_for(language)
    moment = _anchor_day(published_at)
    anchor = moment.date() if moment else None
    ctx = Context(text[:MAX_TEXT_CHARS], grammar.lexicon, anchor, WEEKDAY_DEFAULT_DIRECTION)
    anchor_iso = anchor.isoformat() if anchor else None
    mentions: list[TimeMention] = []

    def accept(rule: Rule, m: re.Match[str]) -> int | None:
        resolved = _HANDLERS[rule.kind](m, ctx)
        if resolved is None or resolved[0] not in _TYPES:
            return None
        kind, value = resolved
        start, end = m.start(), m.end()
        if kind in ("DATE", "TIME") and rule.kind not in _NO_MEMORY:
            ctx.remember(value)
        mentions.append(
            TimeMention(
                article_id=article_id,
                start=start,
                end=end,
                text=text[start:end],
                type=cast(TimexType, kind),
                value=value,
                anchor=anchor_iso,
                is_event=is_event_date(ctx.text, start, end, kind, value, grammar.lexicon.lang),
            )
        )
        return end

    (grammar.scan_reference if reference else grammar.scan)(ctx.text, accept)
    code = _language_code(language)
    if code and code != grammar.lexicon.lang:
        mentions = _with_fallback(mentions, ctx.text, code, anchor, article_id)
    LOGGER.debug("dates: %s: %d time mentions", article_id, len(mentions))
    return mentions


def _language_code(language: str | None) -> str | None:
    return lang_code(language) or None


def _with_fallback(
    mentions: list[TimeMention], text: str, language: str, anchor: date | None, article_id: str
) -> list[TimeMention]:
    """Add the full dates dateparser reads in a language the grammar does not know (they replace
    what the English grammar found inside them, such as the year of ``17 febbraio 2021``)."""
    added = [
        TimeMention(
            article_id=article_id,
            start=start,
            end=end,
            text=text[start:end],
            type="DATE",
            value=value,
            anchor=anchor.isoformat() if anchor else None,
            is_event=is_event_date(text, start, end, "DATE", value, language),
        )
        for start, end, value in absolute_dates(text, language, anchor)
    ]
    if not added:
        return mentions
    kept = [m for m in mentions if not any(a.start < m.end and m.start < a.end for a in added)]
    return sorted([*kept, *added], key=lambda m: m.start)
