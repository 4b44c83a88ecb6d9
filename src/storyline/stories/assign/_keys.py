"""The keys an article offers the story assigner: names, places, entities, numbers, dates, words.

Every key is a typed string (``name:stolt``, ``word:defen``...) hashed to a 64-bit integer whose top
byte is its kind, so a story's profile is two small numpy arrays (sorted keys and member counts)
and comparing two profiles is one sorted intersection. The hash is blake2b, the same in every
process and on every machine (Python's ``hash`` is salted per process).

Names come from ``signals.text_signals`` with one extra filter: a capitalised token whose folded
prefix also occurs as a lower-case word of the same text (``Checks`` / ``checks``, ``Species`` /
``species``) is a headline word, not a name. ``HEAD`` names are the names of the first
``HEAD_CHARS`` characters (title and opening sentence): what the article is about.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from storyline.stories.similarity import NAME_PREFIX, TextSignals, fold, fold_word, name_key, text_signals

__all__ = [
    "DATE",
    "ENTITY",
    "HEAD",
    "HEAD_NUMBER",
    "KIND_SHIFT",
    "NAME",
    "NUMBER",
    "N_KINDS",
    "PLACE",
    "SHINGLE",
    "WEEKDAY",
    "WORD",
    "YEAR",
    "ArticleKeys",
    "Keys",
    "article_keys",
    "as_kind",
    "hash_keys",
    "kinds_of",
]

Keys = npt.NDArray[np.int64]

NAME, PLACE, ENTITY, NUMBER, YEAR, DATE, WORD, HEAD, SHINGLE, HEAD_NUMBER, WEEKDAY = range(1, 12)
N_KINDS = 12
_PREFIX = {
    NAME: "n",
    PLACE: "p",
    ENTITY: "e",
    NUMBER: "x",
    YEAR: "y",
    DATE: "d",
    WORD: "w",
    HEAD: "n",
    SHINGLE: "s",
    HEAD_NUMBER: "x",
    WEEKDAY: "k",
}
_WEEKDAYS = (
    "monday montag lundi lunes lunedi poniedzialek понедельник pazartesi segunda maandag",
    "tuesday dienstag mardi martes martedi wtorek вторник sali terca dinsdag",
    "wednesday mittwoch mercredi miercoles mercoledi sroda среда carsamba quarta woensdag",
    "thursday donnerstag jeudi jueves giovedi czwartek четверг persembe quinta donderdag",
    "friday freitag vendredi viernes venerdi piatek пятница cuma sexta vrijdag",
    "saturday samstag samedi sabado sabato sobota суббота cumartesi zaterdag",
    "sunday sonntag dimanche domingo domenica niedziela воскресенье pazar zondag",
)
_WEEKDAY_OF = {name: str(day) for day, names in enumerate(_WEEKDAYS, 1) for name in names.split()}
#: Word 5-grams an article keeps as a sketch of its wording (the smallest hashes: a bottom-k sketch).
SHINGLE_WORDS, SHINGLES = 5, 24
KIND_SHIFT = 56
_LOW = (1 << KIND_SHIFT) - 1
#: Characters of ``title + text`` whose names are the article's head names.
HEAD_CHARS = 300
#: Words shorter than this carry too little to be keys (``the``, ``und``, ``de``).
MIN_WORD = 4

_TOKEN = re.compile(r"[^\W\d_][\w'’]*", re.UNICODE)


def _hash(kind: int, key: str) -> int:
    digest = hashlib.blake2b(
        f"{_PREFIX[kind]}:{key}".encode("utf-8", "surrogatepass"), digest_size=8
    ).digest()
    return (kind << KIND_SHIFT) | (int.from_bytes(digest, "little") & _LOW)


def hash_keys(kind: int, keys: Iterable[str]) -> list[int]:
    """The 64-bit keys of ``keys`` of one kind (a head name hashes like the same name)."""
    return [_hash(kind, k) for k in keys]


def kinds_of(keys: Keys) -> npt.NDArray[np.int64]:
    """The kind of each key (its top byte)."""
    return keys >> KIND_SHIFT


def as_kind(keys: Keys, kind: int) -> Keys:
    """The same keys re-typed as ``kind`` (a head name as a name: same low bits, other top byte)."""
    out: Keys = (keys & _LOW) | np.int64(kind << KIND_SHIFT)
    return out


@dataclass(frozen=True, slots=True, eq=False)
class ArticleKeys:
    """One article's keys, sorted and unique (``keys``), each counted once."""

    keys: Keys

    @property
    def n_keys(self) -> int:
        return len(self.keys)


def _lowercase_words(text: str) -> set[str]:
    return {fold_word(t)[:NAME_PREFIX] for t in _TOKEN.findall(text) if t[:1].islower()}


def _shingles(text: str) -> list[int]:
    words = [fold_word(t) for t in _TOKEN.findall(text)]
    grams = {" ".join(words[i : i + SHINGLE_WORDS]) for i in range(len(words) - SHINGLE_WORDS + 1)}
    return sorted(hash_keys(SHINGLE, grams))[:SHINGLES]


def _weekdays(text: str) -> set[str]:
    return {_WEEKDAY_OF[w] for w in map(fold_word, _TOKEN.findall(text)) if w in _WEEKDAY_OF}


def _names(signals: TextSignals, lowercase: set[str]) -> set[str]:
    return {k for k in signals.names if k not in lowercase}


def article_keys(
    title: str,
    text: str,
    signals: TextSignals,
    *,
    entities: Iterable[str] = (),
    places: Iterable[str] = (),
) -> ArticleKeys:
    """All keys of one article (``signals`` are those of ``title + text``)."""
    full = f"{title}\n{text}" if title and not text.startswith(title) else text
    lowercase = _lowercase_words(full)
    head = text_signals(full[:HEAD_CHARS])
    place_keys = set(signals.places) | {name_key(t) for p in places for t in _TOKEN.findall(p)}
    words = {w for w in signals.words if len(w) >= MIN_WORD}
    found = [
        *hash_keys(NAME, _names(signals, lowercase)),
        *hash_keys(PLACE, place_keys),
        *hash_keys(ENTITY, {fold(e) for e in entities if e.strip()}),
        *hash_keys(NUMBER, signals.numbers),
        *hash_keys(YEAR, signals.years),
        *hash_keys(DATE, signals.dates),
        *hash_keys(WORD, words),
        *hash_keys(HEAD, _names(head, lowercase)),
        *hash_keys(HEAD_NUMBER, head.numbers),
        *_shingles(full),
        *hash_keys(WEEKDAY, _weekdays(full)),
    ]
    return ArticleKeys(keys=np.unique(np.asarray(found, dtype=np.int64)))
