"""Speakers: resolve a pronoun or a description to the nearest fitting earlier named mention.

- A personal pronoun (he/she, er/sie, il/elle, él/ella, lui/lei, ele/ela, hij/zij) resolves to the
  nearest person named before it (a PERSON/PER entity of the NER pass, or an earlier speaker that
  is a name); ``they``/``ils`` to the nearest earlier organisation, group or plural speaker.
  Gender is kept where it can be checked: a pronoun does not resolve to a speaker already resolved
  from a pronoun of the other gender.
- A short definite description (``the official``, ``the Norwegian``, ``le ministre``) resolves to
  the nearest earlier speaker sharing its head word (``a senior US official``), else, when its
  head is a role or a nationality (capitalised, or in ``ROLES``), to the nearest earlier person.
- A relative word (``who``, ``which``, ``that``) resolves to the named mention it follows
  (``Smith, who said``); left unresolved, ``_confidence`` refuses it as a speaker.
- Anything else (``a senior US official``, ``a European diplomat``) is kept as written.

The result keeps both spans: the mention as written and, when resolved, the antecedent mention.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Sequence
from dataclasses import dataclass

from storyline.model import lang_code
from storyline.understand.cues import PRONOUNS

LOGGER = logging.getLogger(__name__)

__all__ = ["ROLES", "Named", "Resolved", "person_aliases", "resolve_speaker"]

ROLES = frozenset(
    [
        "official",
        "spokesman",
        "spokeswoman",
        "spokesperson",
        "minister",
        "president",
        "chancellor",
        "secretary",
        "leader",
        "chief",
        "senator",
        "governor",
        "candidate",
        "premier",
        "diplomat",
        "general",
        "ambassador",
        "lawmaker",
        "congressman",
        "congresswoman",
        "chairman",
        "chairwoman",
        "director",
        "commander",
        "mayor",
        "prime",
        "premier",
        "envoy",
        "aide",
        "adviser",
        "advisor",
        "businessman",
        "billionaire",
        "nominee",
        "democrat",
        "republican",
        "congressman",
        "ministre",
        "président",
        "porte-parole",
        "chef",
        "dirigeant",
        "secrétaire",
        "sprecher",
        "sprecherin",
        "minister",
        "ministerin",
        "kanzler",
        "kanzlerin",
        "präsident",
        "präsidentin",
        "portavoz",
        "ministro",
        "ministra",
        "presidente",
        "portavoce",
        "woordvoerder",
        "premier",
    ]
)
_DETERMINERS = frozenset(
    [
        "the",
        "this",
        "that",
        "le",
        "la",
        "les",
        "l'",
        "l’",
        "der",
        "die",
        "das",
        "el",
        "la",
        "los",
        "las",
        "il",
        "lo",
        "i",
        "gli",
        "o",
        "a",
        "os",
        "as",
        "de",
        "het",
    ]
)
_PERSON = frozenset({"PERSON", "PER"})
_GROUP = frozenset({"ORG", "NORP", "GPE"})
_NOT_PERSON = frozenset({"ORG", "GPE", "FAC", "LOC", "PRODUCT"})
_WORD = re.compile(r"[\w’'-]+")
_RELATIVES = frozenset({"who", "which", "that", "qui", "der", "die", "quien", "que", "chi", "wie"})


@dataclass(frozen=True, slots=True)
class Named:
    """An earlier mention a speaker may resolve to: span, text and kind (PERSON, ORG, SPEAKER...)."""

    start: int
    end: int
    text: str
    label: str


@dataclass(frozen=True, slots=True)
class Resolved:
    """A speaker: the name to show, its span, and the mention as written when it was resolved."""

    text: str
    start: int
    end: int
    written: tuple[int, int] | None = None


def _before(candidates: Sequence[Named], pos: int, labels: frozenset[str]) -> Named | None:
    best = None
    for named in candidates:
        if named.end <= pos and named.label in labels and (best is None or named.end > best.end):
            best = named
    return best


def _nationality(word: str, start: int, end: int, earlier: Sequence[Named]) -> bool:
    """A capitalised singular head that NER does not take for an organisation (``the Norwegian``)."""
    if not word[:1].isupper() or word.endswith("s"):
        return False
    return not any(n.start < end and start < n.end and n.label in _NOT_PERSON for n in earlier)


def person_aliases(text: str, named: Sequence[Named]) -> list[Named]:
    """``named`` completed with every other occurrence of a person's name or surname in ``text``.

    The small models often tag a bare surname (``Stoltenberg``) as an organisation, or miss it:
    such a span, or an untagged occurrence, becomes a PERSON mention.
    """
    names = {w for n in named if n.label in _PERSON for w in (n.text, n.text.split()[-1]) if len(w) > 2}
    if not names:
        return list(named)
    pattern = re.compile(
        r"(?<![\w])(?:" + "|".join(sorted(map(re.escape, names), key=len, reverse=True)) + r")(?![\w])"
    )
    kept = [n for n in named if not (n.label in _NOT_PERSON | {"NORP"} and n.text in names)]
    found = [Named(m.start(), m.end(), m.group(), "PERSON") for m in pattern.finditer(text)]
    extra = [f for f in found if not any(k.start < f.end and f.start < k.end for k in kept)]
    return sorted(kept + extra, key=lambda n: n.start)


def resolve_speaker(
    text: str, span: tuple[int, int], language: str | None, earlier: Sequence[Named]
) -> Resolved:
    """Resolve the speaker written at ``span`` against ``earlier`` mentions (see the module docstring)."""
    start, end = span
    written = text[start:end]
    words = _WORD.findall(written)
    lang = lang_code(language) or "en"
    if not words:
        return Resolved(written, start, end)
    lower = [w.lower() for w in words]
    gender = PRONOUNS.get(lang, PRONOUNS["en"]).get(lower[0]) if len(words) == 1 else None
    target: Named | None = None
    if len(words) == 1 and lower[0] in _RELATIVES:
        target = _before(earlier, start, _PERSON | _GROUP)
        gap = text[target.end : start] if target is not None else "!"
        target = target if gap.strip(" ,\n") == "" and len(gap) <= 3 else None
    elif gender in {"m", "f", "s"}:
        target = _before(earlier, start, _PERSON)
    elif gender == "p":
        target = _before(earlier, start, _GROUP | {"SPEAKER_GROUP"})
    elif len(words) <= 4 and lower[0] in _DETERMINERS and not any(w[:1].isupper() for w in words[1:-1]):
        head = lower[-1]
        same_head = [n for n in earlier if n.label.startswith("SPEAKER") and head in n.text.lower().split()]
        target = _before(same_head, start, frozenset({"SPEAKER", "SPEAKER_GROUP"}))
        if target is None and (head in ROLES or _nationality(words[-1], start, end, earlier)):
            target = _before(earlier, start, _PERSON)
    if target is None:
        return Resolved(written, start, end)
    return Resolved(target.text, target.start, target.end, written=(start, end))
