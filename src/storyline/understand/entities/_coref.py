"""In-article coreference: which mentions of one article name the same entity.

Names are grouped first, in text order:

- people: a full name joins the cluster of an earlier full name with the same surname and a
  compatible first name (equal, an initial, or one a prefix of the other: ``Joe``/``J.``), else it
  starts a cluster; a single word then joins the person whose surname (or, failing that, first
  name) it is, the nearest one named before it, else the first named after it. A single word that
  NER typed ``ORG``/``LOC``/``MISC`` but that is a person's surname here joins that person.
- organisations and places: the same folded name, the same row of the curated alias table
  (``NATO``/``OTAN``), or an acronym of a longer name of the article (``EU`` for ``European Union``);
  a one-word organisation that ends a longer one joins it (``Colts``/``Indianapolis Colts``) unless
  it is a common word (``House`` stays apart from ``White House``: issue #16).

Then roles join the person they precede and descriptions the person they refer to
(``_roles``): "NATO Secretary General", "Stoltenberg" and "the Norwegian" end in the
cluster of "Jens Stoltenberg". A cluster's ``name`` is its fullest common form: for a person the most
frequent name of two words or more (ties: the longer, then the first), for others the curated
canonical name or the most frequent form. Aliases are cleaned of markup debris
(``_names.clean_form``: ``Hillary] Clinton`` is refused, ``"European Commission`` cleaned); the name
falls back to the repaired form.
"""

from __future__ import annotations

import logging
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from storyline.model import Mention
from storyline.understand.entities._aliases import curated_by_alias
from storyline.understand.entities._gazetteer import NameSpan
from storyline.understand.entities._names import (
    acronym_of,
    clean_form,
    core_name,
    fold,
    is_acronym,
    is_common_word,
    lexicon,
    person_parts,
    repair_form,
)
from storyline.understand.entities._roles import Described, find_descriptions, find_roles

LOGGER = logging.getLogger(__name__)

__all__ = ["MentionCluster", "clean_person_name", "cluster_mentions", "compatible_first"]

_ORG_WORDS = lexicon("en").org_words


@dataclass(frozen=True, slots=True)
class MentionCluster:
    """Mentions of one entity in one article: ``members`` index the article's mention list."""

    type: str
    name: str
    members: tuple[int, ...]
    aliases: tuple[str, ...]
    roles: tuple[str, ...] = ()


def clean_person_name(text: str, language: str | None) -> str:
    """A person's name without leading titles and honorifics, possessive or extra spaces."""
    lex = lexicon(language)
    words = text.split()
    while len(words) > 1 and (fold(words[0]) in lex.titles or fold(words[0]) in lex.honorifics):
        words.pop(0)
    return " ".join(words).removesuffix("'s").removesuffix("’s")


def compatible_first(a: Sequence[str], b: Sequence[str]) -> bool:
    """Whether two folded first-name lists may name one person (empty fits anything).

    Full given names must agree (equal, or one a prefix of the other: ``joe``/``joseph`` is not,
    ``chris``/``christopher`` is); where one side has only initials, they must fit the other's.
    """
    if not a or not b:
        return True
    names_a, names_b = [x for x in a if len(x) > 1], [x for x in b if len(x) > 1]
    if names_a and names_b:
        x, y = names_a[0], names_b[0]
        return x == y or x.startswith(y) or y.startswith(x) or x in names_b or y in names_a
    initials_a, initials_b = {x[0] for x in a}, {x[0] for x in b}
    return bool(initials_a & initials_b)


class _Group:
    def __init__(self, type: str) -> None:
        self.type = type
        self.members: list[int] = []
        self.forms: list[str] = []
        self.roles: list[str] = []
        self.first: tuple[str, ...] = ()
        self.surname = ""
        self.key = ""


def _split(text: str, mentions: Sequence[Mention], language: str | None) -> list[int]:
    """Indices of the mentions that are names (not roles or descriptions)."""
    lex = lexicon(language)
    names: list[int] = []
    for i, m in enumerate(mentions):
        words = fold(m.text).split()
        if m.type == "PER" and len(words) > 1 and words[0] in lex.determiners and m.text[:1].islower():
            continue
        if (
            m.type == "PER"
            and words
            and words[0] in lex.determiners
            and words[-1] in lex.roles | lex.demonyms
        ):
            continue
        nxt = next((n for n in mentions[i + 1 :] if n.start >= m.end), None)
        if (
            nxt is not None
            and nxt.type == "PER"
            and text[m.end : nxt.start].isspace()
            and words
            and (words[-1] in lex.titles or fold(m.text) in lex.titles)
        ):
            continue
        names.append(i)
    return names


def cluster_mentions(
    text: str, mentions: Sequence[Mention], *, language: str | None
) -> tuple[MentionCluster, ...]:
    """Group the mentions of one article (see the module docstring); every linked mention is in one."""
    name_idx = _split(text, mentions, language)
    spans = [
        NameSpan(mentions[i].start, mentions[i].end, mentions[i].type, mentions[i].text) for i in name_idx
    ]
    groups: list[_Group] = []
    of_name: dict[int, _Group] = {}
    _group_people(spans, name_idx, groups, of_name, language)
    _group_others(spans, name_idx, groups, of_name)
    roles = find_roles(text, spans, language)
    described = roles + find_descriptions(text, spans, roles, language)
    position = {(m.start, m.end): i for i, m in enumerate(mentions)}
    for item in described:
        _attach(item, position, name_idx, of_name)
    clusters = [_cluster(g, mentions) for g in groups if g.members]
    return tuple(sorted(clusters, key=lambda c: c.members[0]))


def _attach(
    item: Described, position: dict[tuple[int, int], int], name_idx: list[int], of_name: dict[int, _Group]
) -> None:
    index = position.get((item.span.start, item.span.end))
    group = of_name.get(item.person)
    if index is not None and group is not None and index not in group.members:
        group.members.append(index)
        group.roles.append(item.span.text)


def _group_people(
    spans: Sequence[NameSpan],
    name_idx: list[int],
    groups: list[_Group],
    of_name: dict[int, _Group],
    language: str | None,
) -> None:
    people: list[_Group] = []
    for k, span in enumerate(spans):
        name = clean_person_name(span.text, language)
        if span.type != "PER" or len(name.split()) < 2:
            continue
        parts = person_parts(name)
        group = next(
            (
                g
                for g in reversed(people)
                if g.surname == parts.surname and compatible_first(g.first, parts.first)
            ),
            None,
        )
        if group is None:
            group = _Group("PER")
            group.surname, group.first = parts.surname, parts.first
            people.append(group)
            groups.append(group)
        elif len(parts.first) > len(group.first):
            group.first = parts.first
        group.members.append(name_idx[k])
        group.forms.append(name)
        of_name[k] = group
    for k, span in enumerate(spans):
        if k in of_name:
            continue
        word = fold(span.text)
        if span.type != "PER" and (word in curated_by_alias() or span.type == "MISC"):
            continue
        group = _nearest_person(spans, k, word, people, of_name)
        if group is None and span.type == "PER":
            group = _Group("PER")
            group.surname = person_parts(span.text).surname
            people.append(group)
            groups.append(group)
        if group is not None:
            group.members.append(name_idx[k])
            group.forms.append(clean_person_name(span.text, language))
            of_name[k] = group


def _nearest_person(
    spans: Sequence[NameSpan], k: int, word: str, people: list[_Group], of_name: dict[int, _Group]
) -> _Group | None:
    """The person whose surname (else first name) is ``word``: the nearest before ``k``, else after."""
    for by_first in (False, True):
        fits = [g for g in people if (g.first[:1] == (word,) if by_first else g.surname == word)]
        before = [of_name[j] for j in range(k - 1, -1, -1) if j in of_name and of_name[j] in fits]
        if before:
            return before[0]
        if fits:
            return fits[0]
    return None


def _group_others(
    spans: Sequence[NameSpan], name_idx: list[int], groups: list[_Group], of_name: dict[int, _Group]
) -> None:
    by_key: dict[str, _Group] = {}
    for k, span in enumerate(spans):
        if k in of_name:
            continue
        word = fold(span.text)
        row = curated_by_alias().get(word)
        key = f"={row.key}" if row is not None else word
        group = by_key.get(key)
        if group is None and is_acronym(span.text):
            group = next((g for g in by_key.values() if acronym_of(g.forms[0]) == span.text), None)
        if group is None:
            acronym = acronym_of(span.text)
            group = by_key.get(fold(acronym)) if acronym and len(acronym) >= 2 else None
        core = core_name(word)
        if group is None and core:
            group = by_key.get(f"~{core}")
        if group is None and span.type == "ORG" and word not in _ORG_WORDS and not is_common_word(span.text):
            group = next((g for g in by_key.values() if g.type == "ORG" and _has_tail(g.forms, word)), None)
        if group is None:
            group = _Group(row.type if row is not None else span.type)
            group.key = row.name if row is not None else ""
            groups.append(group)
        by_key.setdefault(key, group)
        if core:
            by_key.setdefault(f"~{core}", group)
        group.members.append(name_idx[k])
        group.forms.append(span.text.removesuffix("'s").removesuffix("’s"))
        of_name[k] = group


def _has_tail(forms: Sequence[str], word: str) -> bool:
    return any(fold(f).endswith(" " + word) for f in forms)


def _cluster(group: _Group, mentions: Sequence[Mention]) -> MentionCluster:
    cleaned = [clean_form(f) for f in group.forms]
    forms = Counter(f for f in cleaned if f)
    aliases = tuple(dict.fromkeys(f for f in cleaned if f))
    if group.type == "PER":
        full = [f for f in aliases if len(f.split()) > 1] or list(aliases) or [""]
        name = (
            max(full, key=lambda f: (forms[f], len(f)))
            if aliases
            else repair_form(group.forms[0] if group.forms else "")
        )
    elif group.key:
        name = group.key
    else:
        name = max(aliases, key=lambda f: (forms[f], not f.isupper(), len(f))) if aliases else ""
        name = name or (repair_form(group.forms[0]) if group.forms else "")
    members = tuple(sorted(group.members))
    if group.type != "PER" and not group.key:
        types = Counter(mentions[i].type for i in members)
        group.type = types.most_common(1)[0][0]
    return MentionCluster(group.type, name, members, aliases, tuple(dict.fromkeys(group.roles)))
