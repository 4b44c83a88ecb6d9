"""Event timelines and reconciled figures of a story.

Timeline: every time mention the understanding stage marked as dating an event (``is_event``) of
type DATE or TIME, grouped by normalised value and ordered by when the event happens (not when it
was reported). An event is ``upcoming`` when it lies after the latest publication date of the
articles that report it ("the May 1 deadline" in a February article) and ``happened`` otherwise.
Vaguer mentions of the same event (a month, a week, or a month without a year: ``XXXX-02``) are
linked to the precise one they are compatible with (``2021-02`` and ``2021-02-17``) whose
surroundings (``CONTEXT_CHARS`` either side) share most content words with theirs, two at least
(``refines``): "a meeting of defense ministers in February" refines "defense ministers meet on
Wednesday".

Figures: quantities with the same unit whose counted things share a content stem (``troops`` in
``2,500 troops`` and ``2,500 American troops``) form one group; a group whose values differ by
more than ``TOLERANCE`` is flagged ``disagree``, with every source.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date

from storyline.digest._text import Sentence, stems
from storyline.model import Article, Figure, TimeMention, TimexPrecision, timex_precision, timex_start

__all__ = ["TOLERANCE", "Evidence", "FigureGroup", "TimelineEvent", "event_timeline", "reconcile_figures"]

TOLERANCE = 0.01
CONTEXT_CHARS = 50
"""Characters either side of a date whose words say which event it dates."""
MAX_LINKED = 20
"""Mentions of one value looked at when linking vague to precise dates (the earliest reports)."""
_DAY = re.compile(r"^(\d{4}|XXXX)(?:-(\d{2}))?(?:-(\d{2}))?$")
_WEEK = re.compile(r"^(\d{4})-W(\d{2})$")


@dataclass(frozen=True, slots=True)
class Evidence:
    """Where a fact was said: the article, the fact's text and span, its sentence."""

    article_id: str
    text: str
    start: int
    end: int
    sentence: str
    source: str | None = None


@dataclass(frozen=True, slots=True)
class TimelineEvent:
    """One dated event: its TIMEX value, the day it sorts by, its status and its source sentences.

    ``day`` is the first day of the period the value names (2001-01-01 for ``2001``): a sort key, not
    what the event's date is; ``precision`` says how much of it is known, and pages show the value at
    that precision (``model.timex_label``)."""

    value: str
    day: date | None
    upcoming: bool
    evidence: tuple[Evidence, ...]
    refines: tuple[Evidence, ...] = ()

    @property
    def precision(self) -> TimexPrecision | None:
        """``year``, ``month``, ``week`` or ``day`` (a time of day is grouped with its day)."""
        return timex_precision(self.value)


@dataclass(frozen=True, slots=True)
class FigureGroup:
    """One quantity as reported across sources."""

    counts: str
    unit: str | None
    values: tuple[float, ...]
    disagree: bool
    evidence: tuple[tuple[float, Evidence], ...]


def _sentence_of(sentences: Sequence[Sentence], article: Article, start: int, end: int) -> str:
    """The sentence holding ``start`` (sentences in text order), else the line around it."""
    k = _find(sentences, start)
    if k >= 0 and sentences[k].start <= start < sentences[k].end:
        return sentences[k].text
    lo = article.text.rfind("\n", 0, start) + 1
    hi = article.text.find("\n", end)
    return article.text[lo : hi if hi >= 0 else len(article.text)].strip()


def _find(sentences: Sequence[Sentence], start: int) -> int:
    """The index of the last sentence starting at or before ``start`` (-1: none); a binary search."""
    lo, hi = 0, len(sentences)
    while lo < hi:
        mid = (lo + hi) // 2
        if sentences[mid].start <= start:
            lo = mid + 1
        else:
            hi = mid
    return lo - 1


@functools.lru_cache(maxsize=4096)
def _day(value: str) -> tuple[date | None, str]:
    """The day ``value`` sorts by (first day of its week, month or year) and its precision
    (``"none"``: no known day to sort by)."""
    start = timex_start(value)
    if start is None:
        return None, "none"
    return start, timex_precision(value) or "none"


def _refinements(
    grouped: Mapping[str, list[Evidence]], by_id: Mapping[str, Article]
) -> dict[str, list[Evidence]]:
    """Vague mentions per precise event they refine (see the module docstring)."""
    precise = sorted(v for v in grouped if _day(v)[1] == "day")
    index: dict[tuple[str, int, int], list[str]] = {}
    for p in precise:
        day = _day(p)[0]
        assert day is not None
        week = day.isocalendar()
        for key in (
            ("m", day.year, day.month),
            ("m", 0, day.month),
            ("y", day.year, 0),
            ("w", week[0], week[1]),
        ):
            index.setdefault(key, []).append(p)
    contexts: dict[tuple[str, int], frozenset[str]] = {}

    def context(e: Evidence) -> frozenset[str]:
        if (e.article_id, e.start) not in contexts:
            text = by_id[e.article_id].text
            contexts[(e.article_id, e.start)] = stems(
                text[max(0, e.start - CONTEXT_CHARS) : e.end + CONTEXT_CHARS]
            )
        return contexts[(e.article_id, e.start)]

    near: dict[str, frozenset[str]] = {}

    def around(p: str) -> frozenset[str]:
        if p not in near:
            near[p] = frozenset().union(*(context(e) for e in grouped[p][:MAX_LINKED]))
        return near[p]

    out: dict[str, list[Evidence]] = {}
    for value, evidence in grouped.items():
        candidates = [p for p in index.get(_vague_key(value), ()) if _compatible(value, p)]
        for e in evidence[:MAX_LINKED] if candidates else ():  # the event whose context it shares most with
            words = context(e)
            best = max(
                ((len(words & around(p)), p) for p in candidates), key=lambda t: (t[0], t[1] == candidates[0])
            )
            if best[0] >= 2:
                out.setdefault(best[1], []).append(e)
    return out


def _vague_key(value: str) -> tuple[str, int, int]:
    """The index key of the precise days a vague value may refine (``("", 0, 0)``: none)."""
    w = _WEEK.match(value)
    if w:
        return ("w", int(w.group(1)), int(w.group(2)))
    m = _DAY.match(value)
    if not m or m.group(3):
        return ("", 0, 0)
    year = 0 if m.group(1) == "XXXX" else int(m.group(1))
    if m.group(2):
        return ("m", year, int(m.group(2)))
    return ("", 0, 0)  # a year alone is too vague to say which event it means


def _compatible(vague: str, precise: str) -> bool:
    """``2021-02`` / ``XXXX-02`` / ``2021`` / ``2021-W07`` hold ``2021-02-17``."""
    v, p = _DAY.match(vague), _DAY.match(precise)
    w = _WEEK.match(vague)
    if w and p:
        day = _day(precise)[0]
        return day is not None and day.isocalendar()[:2] == (int(w.group(1)), int(w.group(2)))
    if not v or not p or v.groups() == ("XXXX", None, None):
        return False
    return all(a is None or a == "XXXX" or a == b for a, b in zip(v.groups(), p.groups(), strict=True))


def event_timeline(
    articles: Sequence[Article],
    times: Mapping[str, Sequence[TimeMention]],
    sentences: Mapping[str, Sequence[Sentence]],
) -> list[TimelineEvent]:
    """The dated events of ``articles`` in the order they happen (see the module docstring)."""
    by_id = {a.id: a for a in articles}
    grouped: dict[str, list[Evidence]] = {}
    for article_id, mentions in times.items():
        article = by_id[article_id]
        for t in mentions:
            if t.is_event and t.type in ("DATE", "TIME") and t.value:
                sentence = _sentence_of(sentences.get(article_id, ()), article, t.start, t.end)
                value = t.value.split("T")[0]
                grouped.setdefault(value, []).append(
                    Evidence(article_id, t.text, t.start, t.end, sentence, article.agency or article.source)
                )
    latest: dict[str, date] = {a.id: a.published_at.date() for a in articles if a.published_at}
    refines = _refinements(grouped, by_id)
    events: list[TimelineEvent] = []
    for value, evidence in grouped.items():
        day, precision = _day(value)
        reported = [latest[e.article_id] for e in evidence if e.article_id in latest]
        upcoming = day is not None and bool(reported) and _after(day, precision, max(reported))
        events.append(TimelineEvent(value, day, upcoming, tuple(evidence), tuple(refines.get(value, ()))))
    return sorted(events, key=lambda e: (e.day is None, e.day or date.max, e.value))


def _after(day: date, precision: str, reported: date) -> bool:
    if precision == "day":
        return day > reported
    if precision == "week":
        return day.isocalendar()[:2] > reported.isocalendar()[:2]
    if precision == "month":
        return (day.year, day.month) > (reported.year, reported.month)
    return day.year > reported.year


def _counted(figure: Figure) -> frozenset[str]:
    return stems(figure.counts or "")


def reconcile_figures(
    articles: Sequence[Article],
    figures: Mapping[str, Iterable[Figure]],
    sentences: Mapping[str, Sequence[Sentence]],
) -> list[FigureGroup]:
    """Figures grouped by unit and counted thing, most widely reported first."""
    by_id = {a.id: a for a in articles}
    groups: list[tuple[str | None, str, list[tuple[float, Evidence]]]] = []
    index: dict[tuple[str | None, str], int] = {}  # (unit, stem) -> the group that holds it
    for article_id, found in figures.items():
        article = by_id[article_id]
        for f in found:
            words = _counted(f)
            if not words:
                continue
            ev = Evidence(
                article_id,
                f.text,
                f.start,
                f.end,
                _sentence_of(sentences.get(article_id, ()), article, f.start, f.end),
                article.agency or article.source,
            )
            hits = [index[(f.unit, w)] for w in words if (f.unit, w) in index]
            if hits:
                k = min(hits)
                groups[k][2].append((f.value, ev))
            else:
                k = len(groups)
                groups.append((f.unit, f.counts or "", [(f.value, ev)]))
            for w in words:
                index.setdefault((f.unit, w), k)
    out: list[FigureGroup] = []
    for unit, label, members in groups:
        values = tuple(sorted({v for v, _ in members}))
        spread = (values[-1] - values[0]) / max(abs(values[-1]), 1e-9)
        n_articles = len({e.article_id for _, e in members})
        out.append(FigureGroup(label, unit, values, n_articles > 1 and spread > TOLERANCE, tuple(members)))
    return sorted(
        out, key=lambda g: (-len({e.article_id for _, e in g.evidence}), -int(g.disagree), g.counts)
    )
