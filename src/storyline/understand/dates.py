"""Time expressions in an article, normalised TIMEX3-style against its publication date.

``find_time_mentions`` scans the text once with the language's compiled grammar
(``timex_grammar``: English, German, French, Spanish; other languages use the English one),
normalises each candidate with the rule's handler (``timex_points``, ``timex_periods``,
``timex_spans``) and keeps a small discourse state (the last day, quarter and year named) so that
``10:30 a.m.`` or ``a year earlier`` resolve the way TimeBank annotates them.

Anchor: the publication date (UTC day). Relative expressions point the way the clause's tense says
(``timex_tense``); with no tense cue a weekday is taken in the anchor's week (news default) and a
month in the anchor's year. Without a publication date only absolute values are given
(``2021-05-01``); relative ones get the underspecified form (``XXXX-05-01``, ``XXXX-WXX-3``) or ``""``.

``is_event`` (for timelines) is a documented heuristic, see ``dates_event``.

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
from datetime import UTC, datetime

from storyline.model import TimeMention
from storyline.understand.dates_event import is_event_date
from storyline.understand.timex_context import Context, Resolved
from storyline.understand.timex_grammar import grammar_for
from storyline.understand.timex_periods import PERIOD_HANDLERS
from storyline.understand.timex_points import POINT_HANDLERS
from storyline.understand.timex_spans import SPAN_HANDLERS

__all__ = ["find_time_mentions"]

LOGGER = logging.getLogger(__name__)

Handler = Callable[[re.Match[str], Context], Resolved | None]
_HANDLERS: dict[str, Handler] = {**POINT_HANDLERS, **PERIOD_HANDLERS, **SPAN_HANDLERS}
_TYPES = ("DATE", "TIME", "DURATION", "SET")
MAX_TEXT_CHARS = 2_000_000
WEEKDAY_DEFAULT_DIRECTION = -1
"""A weekday with no tense cue: -1 the latest on or before the anchor, 0 the anchor's week."""
_NO_MEMORY = frozenset({"ago", "qanaph"})  # values derived from the memory must not feed it


def _anchor_day(published_at: datetime | None) -> datetime | None:
    if published_at is None:
        return None
    if published_at.tzinfo is not None:
        published_at = published_at.astimezone(UTC)
    return published_at


def find_time_mentions(
    text: str, *, article_id: str, published_at: datetime | None, language: str | None
) -> list[TimeMention]:
    """Every time expression of ``text`` in order, with its TIMEX3 type and value.

    ``published_at`` anchors relative expressions (``None``: only absolute values); ``language``
    picks the grammar (``en``, ``de``, ``fr``, ``es``; anything else reads as English).
    """
    if not text:
        return []
    grammar = grammar_for(language)
    moment = _anchor_day(published_at)
    anchor = moment.date() if moment else None
    ctx = Context(text[:MAX_TEXT_CHARS], grammar.lexicon, anchor, WEEKDAY_DEFAULT_DIRECTION)
    anchor_iso = anchor.isoformat() if anchor else None
    mentions: list[TimeMention] = []
    pos = 0
    while (m := grammar.combined.search(ctx.text, pos)) is not None:
        rule = grammar.rules[int((m.lastgroup or "r0")[1:])]
        sub = rule.regex.fullmatch(ctx.text, m.start(), m.end()) or rule.regex.match(ctx.text, m.start())
        resolved = _HANDLERS[rule.kind](sub, ctx) if sub is not None else None
        if resolved is None or resolved[0] not in _TYPES:
            pos = m.start() + 1
            continue
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
                type=kind,  # type: ignore[arg-type]
                value=value,
                anchor=anchor_iso,
                is_event=is_event_date(ctx.text, start, end, kind, value, grammar.lexicon.lang),
            )
        )
        pos = max(end, m.start() + 1)
    LOGGER.debug("dates: %s: %d time mentions", article_id, len(mentions))
    return mentions
