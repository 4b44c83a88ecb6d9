"""Role appositions and definite descriptions of people, and the person each one refers to.

- A **role** is the title written right before a person's name, with what qualifies it:
  "NATO Secretary General" in "NATO Secretary General Jens Stoltenberg", "US President" in
  "US President Joe Biden", "New US Secretary of Defense". It belongs to the name that follows.
- A **description** is a definite noun phrase ending in a role noun or a demonym: "the Norwegian",
  "the secretary general", "the former president", "la chancelière". It refers to the nearest
  person named before it that fits: first a person who carried the same role word in an
  apposition ("actress Tara Reid" ... "the actress"), else the person named last, when that name is
  at most ``MAX_DISTANCE`` characters back. A description with no such person is not a mention.

Honorifics ("Mr", "Dr", "Herr") are titles for finding names, never roles.
"""

from __future__ import annotations

import functools
import logging
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from storyline.understand.entities._gazetteer import NameSpan
from storyline.understand.entities._names import fold, lexicon

LOGGER = logging.getLogger(__name__)

__all__ = ["MAX_DISTANCE", "Described", "find_descriptions", "find_roles", "role_head"]

MAX_DISTANCE = 600
_LOOKBACK = 90
_VERBISH = frozenset(
    [
        "said",
        "says",
        "told",
        "added",
        "warned",
        "stressed",
        "insisted",
        "explained",
        "noted",
        "wrote",
        "replied",
        "asked",
        "who",
        "has",
        "had",
        "is",
        "was",
        "will",
        "would",
        "also",
        "a",
        "dit",
        "a",
        "déclaré",
        "a",
        "ajouté",
        "sagte",
        "erklärte",
        "betonte",
        "dijo",
        "afirmó",
        "añadió",
        "disse",
        "ha",
        "detto",
        "zei",
        "powiedział",
        "сказал",
        "заявил",
    ]
)


@dataclass(frozen=True, slots=True)
class Described:
    """A role or description span and the index (into the names) of the person it refers to."""

    span: NameSpan
    person: int
    head: str


def _alternation(words: Iterable[str]) -> str:
    return "|".join(re.escape(w).replace(r"\ ", r"\s+") for w in sorted(words, key=len, reverse=True))


@functools.cache
def _role_pattern(language: str) -> re.Pattern[str]:
    lex = lexicon(language)
    titles = _alternation(t for t in lex.forms("titles") if fold(t) not in lex.honorifics and len(t) > 2)
    mods = _alternation(lex.forms("modifiers"))
    return re.compile(
        rf"(?<!\w)(?:(?:{mods})\s+)*(?:[\w.]+-)?(?:{titles})\s+$"
        if mods
        else rf"(?<!\w)(?:[\w.]+-)?(?:{titles})\s+$",
        re.IGNORECASE,
    )


@functools.cache
def _title_ends(language: str) -> frozenset[str]:
    """The folded last words of the titles (a cheap test before the role pattern runs)."""
    return frozenset(fold(t).rsplit(" ", 1)[-1] for t in lexicon(language).forms("titles") if fold(t))


@functools.cache
def _description_pattern(language: str) -> re.Pattern[str] | None:
    lex = lexicon(language)
    if not lex.determiners:
        return None
    dets = _alternation(lex.forms("determiners"))
    mods = _alternation(lex.forms("modifiers"))
    heads = _alternation(lex.forms("roles") + lex.forms("demonyms"))
    mod_part = rf"(?:(?:{mods})\s+){{0,3}}" if mods else ""
    return re.compile(rf"(?<!\w)(?:{dets})\s+{mod_part}(?P<head>{heads})(?!\w)", re.IGNORECASE)


def role_head(text: str) -> str:
    """The folded last word of a role or description (``"NATO Secretary General"`` -> ``"general"``)."""
    words = fold(text).split()
    return words[-1] if words else ""


def find_roles(text: str, names: Sequence[NameSpan], language: str | None) -> list[Described]:
    """Titles written right before a person's name, each with the index of that name."""
    pattern = _role_pattern(language or "en")
    found: list[Described] = []
    ends = {n.end: i for i, n in enumerate(names)}
    for i, name in enumerate(names):
        if name.type != "PER":
            continue
        window_start = max(0, name.start - _LOOKBACK, names[i - 1].end if i else 0)
        before = text[window_start : name.start].split()
        if not before or fold(before[-1]).rsplit(" ", 1)[-1] not in _title_ends(language or "en"):
            continue
        match = pattern.search(text, window_start, name.start)
        if match is None:
            continue
        start = match.start()
        prev = ends.get(_possessive_end(text, start))
        if prev is not None and prev == i - 1 and names[prev].type != "PER":
            start = names[prev].start
        end = len(text[: name.start].rstrip())
        if end > start:
            span = NameSpan(start, end, "PER", text[start:end])
            found.append(Described(span, i, role_head(span.text)))
    return found


def _possessive_end(text: str, start: int) -> int:
    """The end of the word before ``start`` without a possessive ``'s`` (for ``NATO's Secretary``)."""
    end = len(text[:start].rstrip())
    for suffix in ("'s", "’s"):
        if text.endswith(suffix, 0, end):
            return end - len(suffix)
    return end


def find_descriptions(
    text: str, names: Sequence[NameSpan], roles: Sequence[Described], language: str | None
) -> list[Described]:
    """Definite descriptions of people that refer to a person named before them (module docstring)."""
    pattern = _description_pattern(language or "en")
    if pattern is None:
        return []
    lex = lexicon(language)
    taken = [(n.start, n.end) for n in names] + [(r.span.start, r.span.end) for r in roles]
    found: list[Described] = []
    for match in pattern.finditer(text):
        head = role_head(match.group("head"))
        if fold(match.group("head")) in lex.demonyms and not _ends_phrase(text, match.end()):
            continue
        if _capitalised_next(text, match.end()) or any(
            s < match.end() and match.start() < e for s, e in taken
        ):
            continue
        person = _antecedent(match.start(), head, names, roles)
        if person is not None:
            span = NameSpan(match.start(), match.end(), "PER", match.group())
            found.append(Described(span, person, head))
    return found


def _ends_phrase(text: str, end: int) -> bool:
    rest = text[end : end + 40].lstrip(" ")
    if not rest or not rest[0].isalnum():
        return True
    word = rest.split(None, 1)[0].rstrip(".,;:")
    return word in _VERBISH


def _capitalised_next(text: str, end: int) -> bool:
    rest = text[end : end + 3]
    return rest[:1] == "-" or (rest[:1] == " " and rest[1:2].isupper())


def _antecedent(start: int, head: str, names: Sequence[NameSpan], roles: Sequence[Described]) -> int | None:
    """The person a description at ``start`` refers to: same role word first, else the last named."""
    same_role = [r.person for r in roles if r.head == head and r.span.end <= start]
    if same_role:
        return same_role[-1]
    before = [i for i, n in enumerate(names) if n.type == "PER" and n.end <= start]
    if before and start - names[before[-1]].end <= MAX_DISTANCE:
        return before[-1]
    return None
