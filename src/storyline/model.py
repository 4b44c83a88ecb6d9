"""The values that flow through Storyline.

Every value is a frozen dataclass: a stage takes one and returns a new one, never mutates.
Offsets (``start``/``end``) are Python ``str`` indices into ``Article.text``, ``end`` exclusive.
Datetimes are timezone-aware UTC (``*_at``); ``None`` means unknown, never a guess.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Any, Literal

RawKind = Literal["text", "html"]
Precision = Literal["day", "time"]


def utc_now() -> datetime:
    """The current time, tz-aware UTC (the one clock every stage uses)."""
    return datetime.now(UTC)


_WORD = re.compile(r"\w+", re.UNICODE)


def lang_code(tag: str | None) -> str:
    """The primary language subtag of ``tag``, lower-case: ``"en-GB"`` -> ``"en"``, ``"pt_BR"`` ->
    ``"pt"``, ``None`` or blank -> ``""``. The one place a language code is normalised.

    >>> lang_code("en-GB"), lang_code("pt_BR"), lang_code(" DE "), lang_code(None)
    ('en', 'pt', 'de', '')
    """
    return (tag or "").strip().replace("_", "-").split("-")[0].casefold()


def normalise_text(text: str) -> str:
    """Text reduced to its words: case-folded, NFKC, punctuation and spacing dropped (for hashing)."""
    return " ".join(_WORD.findall(unicodedata.normalize("NFKC", text).casefold()))


def fingerprint(text: str) -> str:
    """Hash of ``normalise_text(text)``: equal for exact copies that differ only in case and spacing."""
    return hashlib.sha256(normalise_text(text).encode("utf-8", "surrogatepass")).hexdigest()


def stable_id(*parts: str, prefix: str = "") -> str:
    """A short stable hex id from the given parts (sha256, 16 hex digits)."""
    digest = hashlib.sha256("\x1f".join(parts).encode("utf-8", "surrogatepass")).hexdigest()
    return prefix + digest[:16]


@dataclass(frozen=True, slots=True)
class RawDoc:
    """One item as a reader found it, before extraction.

    ``origin`` says where it was read: a file path as given, a URL, ``file.warc.gz#offset``,
    ``file.jsonl:LINE`` or ``feed-url#entry-id``. ``body`` is the bytes as read (HTML or text);
    ``hints`` carries metadata the container already knew (``title``, ``published``, ``source``,
    ``language``, ``id``, ``charset``), as strings.
    """

    origin: str
    kind: RawKind
    body: bytes
    url: str | None = None
    hints: Mapping[str, str] = field(default_factory=dict)

    @property
    def raw_id(self) -> str:
        """Stable id of this raw input: where it came from and what it held."""
        return stable_id(self.origin, hashlib.sha256(self.body).hexdigest(), prefix="r")


@dataclass(frozen=True, slots=True)
class Rejection:
    """An item a stage refused, with a short stable ``reason`` code and a human ``detail``."""

    origin: str
    stage: str
    reason: str
    detail: str
    at: datetime = field(default_factory=utc_now)
    raw: bytes | None = None


@dataclass(frozen=True, slots=True)
class Article:
    """A clean news article.

    ``id`` is stable: a hash of the canonical URL, else of source + normalised text.
    ``duplicate_of`` names the original when this is a copy or near-copy (kept, counted as coverage).
    """

    id: str
    text: str
    title: str = ""
    url: str | None = None
    source: str | None = None
    agency: str | None = None
    place: str | None = None
    language: str | None = None
    language_confidence: float = 0.0
    published_at: datetime | None = None
    published_precision: Precision | None = None
    duplicate_of: str | None = None
    origin: str = ""
    raw_id: str | None = None
    content_hash: str = ""
    ingested_at: datetime = field(default_factory=utc_now)
    boilerplate: tuple[tuple[int, int], ...] = ()
    """Spans of ``text`` its outlet repeats across unrelated articles (subscription lines, the site
    name, bylines): left out of what decides stories, never out of the text (``stories.boilerplate``;
    decided in input order by the pipeline, not stored: a rebuild decides again)."""
    title_boilerplate: tuple[tuple[int, int], ...] = ()
    """The same for ``title`` (a site name before or after the headline)."""


@dataclass(frozen=True, slots=True)
class BoilerplateCount:
    """One row of the boilerplate index: how many distinct earlier articles of ``outlet`` (copies
    not counted) held the unit hashed to ``key`` (a line, sentence, opening or word 4-gram), and the
    latest publication time among them (µs since the epoch; None: undated). ``n_articles`` 0 means
    the row is dropped (evicted or expired)."""

    outlet: str
    key: int
    n_articles: int
    last_seen_us: int | None


@dataclass(frozen=True, slots=True)
class Mention:
    """A span of ``Article.text`` naming an entity."""

    article_id: str
    start: int
    end: int
    text: str
    type: str
    entity_id: str | None = None


@dataclass(frozen=True, slots=True)
class Entity:
    """A person, organisation, place or group with one canonical name across mentions and languages."""

    id: str
    name: str
    type: str
    aliases: tuple[str, ...] = ()
    languages: tuple[str, ...] = ()
    first_seen_at: datetime | None = None
    last_seen_at: datetime | None = None
    n_mentions: int = 0


@dataclass(frozen=True, slots=True)
class Quote:
    """Who said what: content span, cue and speaker (an entity or raw text)."""

    article_id: str
    start: int
    end: int
    text: str
    kind: Literal["direct", "indirect", "mixed"]
    cue: str = ""
    speaker: str | None = None
    speaker_entity_id: str | None = None
    speaker_start: int | None = None
    speaker_end: int | None = None
    language: str | None = None
    # 0..1, how sure the attribution is (understand/quotes/_confidence.py); None: not assessed
    # (stored before the column existed). Readers show confident quotes only unless asked.
    confidence: float | None = None


TimexPrecision = Literal["year", "month", "week", "day", "time"]
_TIMEX_POINT = re.compile(
    r"^(?P<year>\d{4}|XXXX)(?:-W(?P<week>\d{2})|-(?P<month>\d{2})(?:-(?P<day>\d{2})(?:T(?P<time>.+))?)?)?$"
)
_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
_PARTS_OF_DAY = {"MO": "morning", "MI": "midday", "AF": "afternoon", "EV": "evening", "NI": "night"}


def _timex_point(value: str) -> tuple[TimexPrecision, date | None, re.Match[str]] | None:
    """A calendar TIMEX value's precision, first day (``None``: the year is unknown) and parts."""
    m = _TIMEX_POINT.match(value)
    if m is None or (m["year"] == "XXXX" and not m["month"]):
        return None
    year = None if m["year"] == "XXXX" else int(m["year"])
    try:
        if m["week"]:
            if year is None:
                return None
            return "week", date.fromisocalendar(year, int(m["week"]), 1), m
        if not m["month"]:
            return "year", date(year or 1, 1, 1), m
        month = int(m["month"])
        day = int(m["day"] or 1)
        start = date(year or 2000, month, day)  # a leap year checks a yearless 29 February
    except ValueError:
        return None
    precision: TimexPrecision = "time" if m["time"] else "day" if m["day"] else "month"
    return precision, start if year is not None else None, m


def timex_precision(value: str) -> TimexPrecision | None:
    """How precise a TIMEX3 date value is: ``year`` (``2001``), ``month`` (``2001-05``, ``XXXX-05``),
    ``week`` (``2021-W07``), ``day`` (``2021-02-17``) or ``time`` (``2021-02-17T10:30``); ``None`` for
    any other value (a quarter, a season, a decade, a duration, ``PRESENT_REF``).

    >>> [timex_precision(v) for v in ("2001", "2001-05", "2021-W07", "2021-02-17", "2020-Q1")]
    ['year', 'month', 'week', 'day', None]
    """
    point = _timex_point(value)
    return point[0] if point else None


def timex_start(value: str) -> date | None:
    """The first day of the period a TIMEX3 date value names, what it sorts by (``2001`` ->
    2001-01-01, ``2021-W07`` -> the Monday); ``None`` when the year is unknown or the value is not
    one of ``timex_precision``'s.

    >>> timex_start("2001"), timex_start("XXXX-05")
    (datetime.date(2001, 1, 1), None)
    """
    point = _timex_point(value)
    return point[1] if point else None


def timex_label(value: str) -> str:
    """A TIMEX3 date value as a person reads it, at its own precision: ``2001``, ``May 2001``,
    ``week 7 of 2021``, ``17 Feb 2021``, ``17 Feb 2021 10:30``; any other value as it is.

    >>> [timex_label(v) for v in ("2001", "2001-05", "2021-W07", "2021-02-17", "XXXX-05", "2020-Q1")]
    ['2001', 'May 2001', 'week 7 of 2021', '17 Feb 2021', 'May', '2020-Q1']
    """
    point = _timex_point(value)
    if point is None:
        return value
    precision, _, m = point
    year = "" if m["year"] == "XXXX" else m["year"]
    if precision == "year":
        return year
    if precision == "week":
        return f"week {int(m['week'])} of {year}"
    month = " ".join(p for p in (_MONTHS[int(m["month"]) - 1], year) if p)
    if precision == "month":
        return month
    day = f"{int(m['day'])} {month}"
    if precision == "day":
        return day
    time = m["time"]
    return f"{day} {_PARTS_OF_DAY.get(time, time)}"


@dataclass(frozen=True, slots=True)
class TimeMention:
    """A time expression normalised TIMEX3-style against the publication date: ``value`` is the
    TIMEX3 value as the tagger gave it (``2001`` for "in 2001", never widened to a day), stored as is."""

    article_id: str
    start: int
    end: int
    text: str
    type: Literal["DATE", "TIME", "DURATION", "SET"]
    value: str
    anchor: str | None = None
    is_event: bool = False

    @property
    def precision(self) -> TimexPrecision | None:
        """``timex_precision`` of the value (``year`` for ``2001``)."""
        return timex_precision(self.value)


@dataclass(frozen=True, slots=True)
class Figure:
    """A quantity with what it counts and its unit, normalised."""

    article_id: str
    start: int
    end: int
    text: str
    value: float
    unit: str | None = None
    counts: str | None = None


@dataclass(frozen=True, slots=True)
class ResolvedFacts:
    """One article's facts as stored: ``entities`` are the rows it created or changed."""

    entities: tuple[Entity, ...] = ()
    mentions: tuple[Mention, ...] = ()
    quotes: tuple[Quote, ...] = ()
    time_mentions: tuple[TimeMention, ...] = ()
    figures: tuple[Figure, ...] = ()


@dataclass(frozen=True, slots=True)
class Assignment:
    """The decision that put an article into a story."""

    article_id: str
    story_id: str
    score: float
    is_new_story: bool


@dataclass(frozen=True, slots=True)
class Story:
    """A set of articles about one event. ``id`` never changes; a merge sets ``merged_into``.

    ``article_ids`` is filled only by detail reads (``StoryReader.get_story``); writers leave it empty
    (membership is written as ``Assignment`` values).
    """

    id: str
    label: str = ""
    n_articles: int = 0
    article_ids: tuple[str, ...] = ()
    languages: tuple[str, ...] = ()
    sources: tuple[str, ...] = ()
    first_seen_at: datetime | None = None
    last_seen_at: datetime | None = None
    storyline_id: str | None = None
    merged_into: str | None = None


@dataclass(frozen=True, slots=True)
class Storyline:
    """Stories that continue each other over weeks and months. ``story_ids`` in time order (reads only)."""

    id: str
    label: str = ""
    n_articles: int = 0
    story_ids: tuple[str, ...] = ()
    first_seen_at: datetime | None = None
    last_seen_at: datetime | None = None
    merged_into: str | None = None


@dataclass(frozen=True, slots=True)
class StoryEvent:
    """Something that happened to a story or storyline id: ``merge`` (``subject_id`` into ``object_id``)."""

    kind: Literal["story_merge", "storyline_merge"]
    subject_id: str
    object_id: str
    reason: str
    at: datetime = field(default_factory=utc_now)


@dataclass(frozen=True, slots=True)
class Batch:
    """What one pipeline step hands to a ``StoryWriter`` to store in one transaction.

    ``vectors`` maps an article id to ``(embedder name, float32 bytes)``; ``story_states`` maps a story
    id to the assigner's opaque, versioned state (centroid, profile...), which the store keeps as is.
    ``entities`` are upserted whole (aliases, counts, first/last seen); the facts of an article
    (mentions, quotes, time mentions, figures) are written once, with the article.
    """

    articles: tuple[Article, ...] = ()
    raws: tuple[RawDoc, ...] = ()
    rejections: tuple[Rejection, ...] = ()
    minhashes: Mapping[str, bytes] = field(default_factory=dict)
    vectors: Mapping[str, tuple[str, bytes]] = field(default_factory=dict)
    assignments: tuple[Assignment, ...] = ()
    stories: tuple[Story, ...] = ()
    story_states: Mapping[str, bytes] = field(default_factory=dict)
    storylines: tuple[Storyline, ...] = ()
    events: tuple[StoryEvent, ...] = ()
    entities: tuple[Entity, ...] = ()
    mentions: tuple[Mention, ...] = ()
    quotes: tuple[Quote, ...] = ()
    time_mentions: tuple[TimeMention, ...] = ()
    figures: tuple[Figure, ...] = ()
    boilerplate: tuple[BoilerplateCount, ...] = ()
    """The boilerplate index rows this batch's articles changed (upserted; ``n_articles`` 0: deleted)."""


def iso(moment: datetime | None) -> str | None:
    """ISO 8601 in UTC with a ``Z``, or None."""
    if moment is None:
        return None
    return moment.isoformat().replace("+00:00", "Z")


def quote_id(quote: Quote) -> str:
    """A quote's stable id: its article and span (``ARTICLE:START-END``)."""
    return f"{quote.article_id}:{quote.start}-{quote.end}"


def quote_json(quote: Quote, *, speaker_name: str | None = None) -> dict[str, Any]:
    """A quote; ``speaker`` is the speaker entity's canonical name when given, else the raw speaker text."""
    return {
        "id": quote_id(quote),
        "article_id": quote.article_id,
        "text": quote.text,
        "kind": quote.kind,
        "cue": quote.cue,
        "speaker": speaker_name or quote.speaker,
        "speaker_entity_id": quote.speaker_entity_id,
        "start": quote.start,
        "end": quote.end,
        "confidence": quote.confidence,
    }


@dataclass(frozen=True, slots=True)
class ArticleFacts:
    """Everything the understanding stage found in one article, in text order."""

    mentions: tuple[Mention, ...] = ()
    quotes: tuple[Quote, ...] = ()
    time_mentions: tuple[TimeMention, ...] = ()
    figures: tuple[Figure, ...] = ()


# -- watchlists and alerts ---------------------------------------------------------------------
#
# A ``Watchlist`` is a query over entities (canonical names or aliases), keywords and meaning (an
# example text); each kind that is given must match (AND), any item of a kind will do (OR). An
# ``Alert`` is one match of a watchlist by one stored article, at most one per pair. A
# ``Delivery`` is one webhook attempt for one alert.


def watchlist_id(name: str) -> str:
    """The id of the watchlist named ``name`` (names are unique)."""
    return stable_id(name.strip().casefold(), prefix="w")


def alert_id(watchlist: str, article_id: str) -> str:
    """The id of the alert ``watchlist`` raises for ``article_id`` (one per pair, ever)."""
    return stable_id(watchlist, article_id, prefix="al")


@dataclass(frozen=True, slots=True)
class Watchlist:
    """A standing query; ``threshold`` is the cosine an article needs to the ``example`` text.

    ``example_vector`` is the example's embedder row (float32 bytes), made once when it is added.
    ``webhook_secret`` is where the signing secret is (``env:NAME`` or ``file:PATH``, see
    ``alerts.secrets``), not the secret itself; a bare value is an older store's plain secret.
    ``webhook_url`` is a credential for many receivers: show it only through ``redact_url``.
    """

    id: str
    name: str
    entities: tuple[str, ...] = ()
    keywords: tuple[str, ...] = ()
    example: str = ""
    threshold: float = 0.5
    webhook_url: str | None = None
    webhook_secret: str | None = None
    example_vector: bytes | None = None
    created_at: datetime = field(default_factory=utc_now)
    last_visit_at: datetime | None = None


@dataclass(frozen=True, slots=True)
class Alert:
    """A stored article that matched a watchlist; ``reasons`` say which parts matched."""

    id: str
    watchlist_id: str
    article_id: str
    story_id: str | None
    score: float
    reasons: tuple[str, ...]
    title: str
    published_at: datetime | None = None
    created_at: datetime = field(default_factory=utc_now)


@dataclass(frozen=True, slots=True)
class Delivery:
    """One webhook attempt: ``ok`` when the receiver answered 2xx; ``error`` says why not."""

    alert_id: str
    attempt: int
    ok: bool
    status: int | None = None
    error: str = ""
    at: datetime = field(default_factory=utc_now)


# -- followed sources --------------------------------------------------------------------------


def source_id(url: str) -> str:
    """A source's id: stable for its URL (as given, trimmed), so adding it twice updates one row."""
    return stable_id("source", url.strip())


@dataclass(frozen=True, slots=True)
class Source:
    """A followed URL (feed or page) and what its polls left behind.

    Configuration: ``url``, ``name``, ``every_s`` (poll interval), ``fetch_links`` (fetch each feed
    entry's page instead of its content), ``paused``. State, written by the loop only:
    ``etag``/``last_modified`` (sent back for a conditional GET), ``kind`` (``feed`` or ``page``, as
    the first successful poll found), ``last_poll_at``, ``last_status`` (HTTP status, None when no
    answer came), ``last_new_items``, ``consecutive_failures``, ``next_due_at`` (None: due now) and
    ``last_error``.
    """

    id: str
    url: str
    name: str = ""
    every_s: int = 900
    fetch_links: bool = False
    paused: bool = False
    created_at: datetime = field(default_factory=utc_now)
    etag: str | None = None
    last_modified: str | None = None
    kind: str | None = None
    last_poll_at: datetime | None = None
    last_status: int | None = None
    last_new_items: int = 0
    consecutive_failures: int = 0
    next_due_at: datetime | None = None
    last_error: str = ""

    @classmethod
    def new(cls, url: str, *, name: str = "", every_s: int = 900, fetch_links: bool = False) -> Source:
        """A source not polled yet (due at once)."""
        url = url.strip()
        return cls(source_id(url), url, name.strip(), every_s, fetch_links)

    @property
    def label(self) -> str:
        """The name, else the URL."""
        return self.name or self.url

    def is_due(self, now: datetime) -> bool:
        """Whether the loop should poll it at ``now``."""
        return not self.paused and (self.next_due_at is None or self.next_due_at <= now)
