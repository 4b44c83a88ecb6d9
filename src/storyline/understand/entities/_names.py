"""Name forms: folding, possessives, person name parts, acronyms, and the hand-written lexicon.

``lexicon.json`` (hand-written for Storyline, no external source) lists, per language,
person titles ("Bundeskanzlerin", "presidente", "le ministre"), role nouns and demonyms that end a
definite description of a person ("the secretary general", "the Norwegian"), modifiers allowed in
between ("the former president"), determiners, locative prepositions, function words that are
capitalised at a sentence start, and, for all languages, organisation/place keywords and common
first names. ``fold`` is the one comparison form of a name everywhere in the entity modules.
"""

from __future__ import annotations

import functools
import json
import logging
import re
import unicodedata
from dataclasses import dataclass
from importlib import resources

from storyline.model import lang_code

LOGGER = logging.getLogger(__name__)

__all__ = [
    "GENERIC_TAILS",
    "Lexicon",
    "acronym_of",
    "core_name",
    "fold",
    "is_acronym",
    "lang_of",
    "lexicon",
    "person_parts",
    "strip_possessive",
]

_POSSESSIVE = re.compile(r"(?:['’]s|['’])$")
_NON_WORD = re.compile(r"[^\w]+")
_DOTTED = re.compile(r"\b(\w)\.(?=\w\.|\w\b)")
_PARTICLES = frozenset(
    [
        "van",
        "von",
        "der",
        "den",
        "de",
        "del",
        "della",
        "di",
        "da",
        "do",
        "dos",
        "das",
        "du",
        "la",
        "le",
        "bin",
        "ibn",
        "al",
        "el",
        "ben",
        "ter",
        "vander",
        "zu",
    ]
)
_SUFFIXES = frozenset({"jr", "sr", "ii", "iii", "iv"})


GENERIC_TAILS = frozenset(
    [
        "center",
        "centre",
        "clinic",
        "hospital",
        "inc",
        "corp",
        "corporation",
        "co",
        "ltd",
        "llc",
        "plc",
        "company",
        "group",
        "rehab",
        "facility",
        "treatment",
        "recovery",
    ]
)


def core_name(folded: str) -> str:
    """A folded name less its trailing generic words (``betty ford center`` -> ``betty ford``).

    ``""`` when there is no such word to drop or nothing would be left: names are compared by their
    cores only when both had a generic tail (``Morningside Recovery``/``Morningside Recovery
    Center``), so ``Ford`` never stands for ``Ford Center``.
    """
    words = folded.replace("centre", "center").split()
    n = len(words)
    while words and words[-1] in GENERIC_TAILS:
        words.pop()
    return " ".join(words) if words and len(words) < n else ""


def lang_of(language: str | None) -> str:
    """The two-letter base of a language tag (``"en-GB"`` -> ``"en"``), ``""`` when unknown."""
    return lang_code(language)


def strip_possessive(text: str) -> str:
    """``"NATO's"`` -> ``"NATO"``, ``"Reid’s"`` -> ``"Reid"``; other text unchanged."""
    return _POSSESSIVE.sub("", text) if len(text) > 2 else text


@functools.lru_cache(maxsize=1 << 16)
def fold(text: str) -> str:
    """Comparison form: possessive and accents dropped, case-folded, ``U.S.`` -> ``us``, words by spaces."""
    text = _DOTTED.sub(r"\1", strip_possessive(text.strip()))
    decomposed = unicodedata.normalize("NFKD", text)
    plain = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(_NON_WORD.sub(" ", plain.casefold().replace(".", "")).split())


def is_acronym(text: str) -> bool:
    """All capitals (``NATO``, ``U.S.``, ``ЕС``), 2-7 letters."""
    letters = [c for c in text if c.isalpha()]
    return 2 <= len(letters) <= 7 and all(c.isupper() for c in letters)


def acronym_of(name: str) -> str:
    """Initials of the capitalised words of a multi-word name (``European Union`` -> ``EU``), else ``""``."""
    words = [w for w in re.split(r"[\s\-]+", name) if w]
    initials = [w[0] for w in words if w[:1].isupper()]
    return "".join(initials) if len(initials) >= 2 else ""


@dataclass(frozen=True, slots=True)
class PersonParts:
    """A person's name split: ``first`` names (folded, possibly empty) and the folded ``surname``."""

    first: tuple[str, ...]
    surname: str


def person_parts(name: str) -> PersonParts:
    """Split a person's name: ``"Joseph R. Biden Jr."`` -> first ``("joseph", "r")``, surname ``"biden"``.

    Particles stay with the surname (``"Ursula von der Leyen"`` -> ``"von der leyen"``).
    """
    words = fold(name).split()
    while len(words) > 1 and words[-1] in _SUFFIXES:
        words.pop()
    if not words:
        return PersonParts((), "")
    cut = len(words) - 1
    while cut > 1 and words[cut - 1] in _PARTICLES:
        cut -= 1
    return PersonParts(tuple(words[:cut]), " ".join(words[cut:]))


@dataclass(frozen=True, slots=True)
class Lexicon:
    """The word lists of one language (folded), plus the language-independent ones."""

    titles: frozenset[str]
    roles: frozenset[str]
    demonyms: frozenset[str]
    determiners: frozenset[str]
    modifiers: frozenset[str]
    loc_preps: frozenset[str]
    function_words: frozenset[str]
    org_words: frozenset[str]
    loc_words: frozenset[str]
    first_names: frozenset[str]
    honorifics: frozenset[str]
    max_title_words: int
    raw: dict[str, tuple[str, ...]]

    def forms(self, section: str) -> tuple[str, ...]:
        """The unfolded (lower-cased) words of a section, for building patterns that match raw text."""
        return self.raw.get(section, ())


_HONORIFICS = frozenset(
    fold(w)
    for w in [
        "mr",
        "mrs",
        "ms",
        "miss",
        "dr",
        "prof",
        "sir",
        "lord",
        "lady",
        "dame",
        "m",
        "mme",
        "mlle",
        "herr",
        "herrn",
        "frau",
        "sr",
        "sra",
        "don",
        "dona",
        "sig",
        "dott",
        "dhr",
        "mevr",
        "heer",
        "mevrouw",
        "pan",
        "pani",
        "monsieur",
        "madame",
        "senor",
        "senora",
        "signor",
        "signora",
        "senhor",
        "senhora",
        "господин",
        "госпожа",
    ]
) | {"г н", "г жа", "de heer", "sig ra"}


@functools.cache
def _raw() -> dict[str, object]:
    text = resources.files("storyline.understand.entities").joinpath("lexicon.json").read_text("utf-8")
    data: dict[str, object] = json.loads(text)
    return data


def _items(section: object, language: str) -> list[str]:
    items = section.get(language, []) if isinstance(section, dict) else section
    return [w for w in items if isinstance(w, str) and fold(w)] if isinstance(items, list) else []


def _words(section: object, language: str) -> frozenset[str]:
    return frozenset(fold(w) for w in _items(section, language))


@functools.cache
def lexicon(language: str | None) -> Lexicon:
    """The lexicon of ``language`` (English lists when the language has none)."""
    data = _raw()
    lang = lang_of(language)
    titles_section = data["titles"]
    if not isinstance(titles_section, dict) or lang not in titles_section:
        lang = "en"
    titles = _words(data["titles"], lang)
    return Lexicon(
        titles=titles,
        roles=_words(data["roles"], lang),
        demonyms=_words(data["demonyms"], lang),
        determiners=_words(data["determiners"], lang),
        modifiers=_words(data["modifiers"], lang),
        loc_preps=_words(data["loc_preps"], lang),
        function_words=_words(data["function_words"], lang),
        org_words=_words(data["org_words"], lang),
        loc_words=_words(data["loc_words"], lang),
        first_names=_words(data["first_names"], lang),
        honorifics=_HONORIFICS,
        max_title_words=max((len(t.split()) for t in titles), default=1),
        raw={
            name: tuple(sorted({w.lower() for w in _items(data[name], lang)}, key=len, reverse=True))
            for name in ("titles", "roles", "demonyms", "determiners", "modifiers")
        },
    )
