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
from datetime import UTC, datetime
from typing import Literal

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
    # 0..1, how sure the attribution is (understand/quotes_confidence.py); None: not assessed
    # (stored before the column existed). Readers show confident quotes only unless asked.
    confidence: float | None = None


@dataclass(frozen=True, slots=True)
class TimeMention:
    """A time expression normalised TIMEX3-style against the publication date."""

    article_id: str
    start: int
    end: int
    text: str
    type: Literal["DATE", "TIME", "DURATION", "SET"]
    value: str
    anchor: str | None = None
    is_event: bool = False


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
