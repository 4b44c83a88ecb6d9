"""A gazetteer of known names: recognises them in text of any language, without a model.

Built from the curated alias table (``aliases.json``) and from the canonical names and
aliases of entities seen so far (``Gazetteer.from_entities``, or ``add_entity`` as they arrive).
Matching is token-based, leftmost-longest, with case rules that keep common words out: a form in
capitals (``US``, ``WHO``, ``ЕС``) matches only the same capitals; any other form needs a capital
first letter in the text (or an all-capitals headline). In Slavic languages a token also matches a
form when they share a stem (``Polsce``/``Polska``, ``Komisji Europejskiej``/``Komisja
Europejska``): the common prefix is at least the form's length less two, and three characters.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from storyline.model import Entity
from storyline.understand.entities._aliases import curated_entries
from storyline.understand.entities._names import fold, is_acronym, lang_of, person_parts

LOGGER = logging.getLogger(__name__)

__all__ = ["Gazetteer", "NameSpan", "Token", "tokenise"]

_TOKEN = re.compile(r"(?:[^\W\d_]\.){2,}|\w+(?:-\w+)*")
_SLAVIC = frozenset({"pl", "ru", "uk", "cs", "sk", "bg", "hr", "sr", "sl", "be", "mk", "bs", "lt", "lv"})
_GAP = re.compile(r"[ \t\u00a0]*-?[ \t\u00a0]*")
_MIN_FUZZY = 4


@dataclass(frozen=True, slots=True)
class Token:
    """A word of the text: offsets, the text and its folded form."""

    start: int
    end: int
    text: str
    folded: str


def tokenise(text: str) -> list[Token]:
    """Words (letters/digits, inner hyphens, dotted abbreviations like ``U.S.``) with offsets."""
    return [Token(m.start(), m.end(), m.group(), fold(m.group())) for m in _TOKEN.finditer(text)]


@dataclass(frozen=True, slots=True)
class NameSpan:
    """A name found in text: ``text[start:end]`` and its type (PER, ORG, LOC, MISC)."""

    start: int
    end: int
    type: str
    text: str


@dataclass(frozen=True, slots=True)
class _Form:
    folded: tuple[str, ...]
    original: tuple[str, ...]
    type: str
    exact: bool


def _capitalised(token: str) -> bool:
    return token[:1].isupper()


class Gazetteer:
    """Known names -> type; ``find`` returns their occurrences in a text (see the module docstring)."""

    def __init__(self, *, curated: bool = True) -> None:
        self._first: dict[str, list[_Form]] = {}
        self._stems: dict[str, list[_Form]] = {}
        self._known: set[tuple[str, ...]] = set()
        self._added: set[tuple[str, str]] = set()
        if curated:
            for entry in curated_entries():
                for alias in (entry.name, *entry.aliases):
                    self.add(alias, entry.type)

    @classmethod
    def from_entities(cls, entities: Iterable[Entity], *, curated: bool = True) -> Gazetteer:
        """A gazetteer of the curated table plus the names and aliases of ``entities``."""
        gazetteer = cls(curated=curated)
        for entity in entities:
            gazetteer.add_entity(entity)
        return gazetteer

    def __len__(self) -> int:
        return len(self._known)

    def add_entity(self, entity: Entity) -> None:
        """Add an entity's canonical name, aliases and, for a person, the surname of its name."""
        for form in (entity.name, *entity.aliases):
            self.add(form, entity.type)
        if entity.type == "PER" and len(entity.name.split()) > 1:
            surname = person_parts(entity.name).surname
            original = [w for w in entity.name.split() if fold(w) == surname]
            if len(surname) >= 3 and original and _capitalised(original[0]):
                self.add(original[0], "PER")

    def add(self, form: str, type: str) -> None:
        """Add one name form (ignored when it has no capital or is a short or common word)."""
        if (form, type) in self._added:
            return
        self._added.add((form, type))
        tokens = tokenise(form)
        if not tokens or not _capitalised(tokens[0].text) or len(form) < 2:
            return
        folded = tuple(t.folded for t in tokens)
        if folded in self._known or (len(folded) == 1 and len(folded[0]) < 2):
            return
        self._known.add(folded)
        entry = _Form(folded, tuple(t.text for t in tokens), type, is_acronym(form))
        self._first.setdefault(folded[0], []).append(entry)
        if len(folded[0]) >= _MIN_FUZZY and not entry.exact:
            self._stems.setdefault(folded[0][:3], []).append(entry)

    def find(self, text: str, language: str | None, tokens: Sequence[Token] | None = None) -> list[NameSpan]:
        """Occurrences of known names in ``text``, leftmost-longest, not overlapping."""
        tokens = tokenise(text) if tokens is None else tokens
        fuzzy = lang_of(language) in _SLAVIC
        hits: list[NameSpan] = []
        i = 0
        while i < len(tokens):
            best = self._longest(text, tokens, i, fuzzy)
            if best is None:
                i += 1
                continue
            form, n = best
            start, end = tokens[i].start, tokens[i + n - 1].end
            hits.append(NameSpan(start, end, form.type, text[start:end]))
            i += n
        return hits

    def _longest(self, text: str, tokens: Sequence[Token], i: int, fuzzy: bool) -> tuple[_Form, int] | None:
        candidates = list(self._first.get(tokens[i].folded, ()))
        if fuzzy and len(tokens[i].folded) >= 3:
            candidates += self._stems.get(tokens[i].folded[:3], [])
        best: tuple[_Form, int] | None = None
        for form in candidates:
            n = len(form.folded)
            if (best is None or n > best[1]) and self._matches(text, tokens, i, form, fuzzy):
                best = (form, n)
        return best

    @staticmethod
    def _matches(text: str, tokens: Sequence[Token], i: int, form: _Form, fuzzy: bool) -> bool:
        n = len(form.folded)
        if i + n > len(tokens):
            return False
        for k in range(n):
            token = tokens[i + k]
            if k and not _GAP.fullmatch(text, tokens[i + k - 1].end, token.start):
                return False
            if form.exact:
                if token.text.replace(".", "") != form.original[k].replace(".", ""):
                    return False
                continue
            if _capitalised(form.original[k]) and not _capitalised(token.text):
                return False
            if token.folded != form.folded[k] and not (fuzzy and _same_stem(token.folded, form.folded[k])):
                return False
        return True


def _same_stem(word: str, form: str) -> bool:
    if len(form) < _MIN_FUZZY or len(word) < _MIN_FUZZY or abs(len(word) - len(form)) > 3:
        return False
    common = 0
    for a, b in zip(word, form, strict=False):
        if a != b:
            break
        common += 1
    return common >= max(3, len(form) - 2)
