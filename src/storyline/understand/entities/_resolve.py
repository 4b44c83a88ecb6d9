"""Cross-article, cross-language canonical entities: ``EntityResolver``.

Stateful and deterministic: it runs in the main process, one article at a time in input order, and
``restore(store.iter_entities())`` rebuilds its tables from stored rows. Each in-article cluster
(``_coref``) becomes one entity:

- organisations, places, groups (``ORG``/``LOC``/``MISC`` share one name space): a cluster joins the
  entity that already has one of its folded names as an alias, the curated alias table mapping
  ``OTAN``, ``НАТО`` and ``NATO`` to one key; otherwise it founds a new entity.
- people: a full name joins the entity with that exact full name; else an entity with the same
  surname whose first name is compatible (equal, an initial, a prefix) or unknown (an entity so far
  named by its surname only); an article naming a person by surname only joins a person with that
  surname, the most recently seen one when there are several. Two people who share a surname but
  have different first names ("Serena Williams", "Esther Williams") stay apart.

What an alias may be (issue #16, precision first: a wrong alias is worse than a missing one):

- never a bare common word: a one-word form that is also a common word (``House``, ``Court``,
  ``Apple``; ``_names.is_common_word``) is not kept as an alias of a multi-word organisation, place
  or group, nor indexed as its alias, tail or core, so ``House`` never links to ``White House``
  (a curated alias such as ``US`` and short capitals such as ``WHO`` are not common words);
- no markup debris: forms are cleaned at the edges and refused with debris inside
  (``_names.clean_form``), the canonical name falling back to the repaired form;
- an ambiguous surname stays ambiguous: an article naming a person by surname only (``Clinton``),
  when two or more known people with first names share that surname (Bill and Hillary Clinton),
  links to none of them: its mentions keep ``entity_id=None`` (the store and the web pages already
  show unlinked mentions by their text), unless the article's context settles it: one of them
  shares more of the article's other entities (from the articles it was named in before, this
  process's memory only: a restored resolver starts without it) than any other does (``Clinton``
  with ``Monica Lewinsky`` -> Bill). In-article coreference still links ``Clinton`` to ``Hillary
  Clinton`` when the article names her in full; a surname that only one known person has (counting
  only names with a plausible first name: not ``Obama White House`` nor ``Following Gigante``)
  keeps linking to that person.

Canonical name: the curated name, else the fullest common form (people: the most frequent name of
two words or more, ties to the longer; others: the most frequent form). Entity ids are stable:
``"e" + sha256("PER" or "NAME", first key)[:16]`` where the first key is the folded name (or the
curated key) under which the entity was founded, so the same input order gives the same ids.
"""

from __future__ import annotations

import dataclasses
import logging
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime

from storyline.model import Entity, Mention, stable_id
from storyline.understand.entities._aliases import curated_by_alias
from storyline.understand.entities._coref import MentionCluster, clean_person_name, compatible_first
from storyline.understand.entities._gazetteer import Gazetteer
from storyline.understand.entities._names import (
    GENERIC_TAILS,
    clean_form,
    core_name,
    fold,
    is_common_word,
    lang_of,
    lexicon,
    person_parts,
    repair_form,
)

LOGGER = logging.getLogger(__name__)

__all__ = ["EntityResolver", "ResolveOutcome"]

MAX_ALIASES = 64
MAX_NEIGHBOURS = 2048  # co-mentioned entities remembered per person (memory stays bounded)
_ORG_WORDS = lexicon("en").org_words
_FIRST_NAMES = lexicon("en").first_names


@dataclass(frozen=True, slots=True)
class ResolveOutcome:
    """The article's mentions with ``entity_id`` set, and the entity rows it created or changed."""

    mentions: tuple[Mention, ...]
    entities: tuple[Entity, ...]


@dataclass(slots=True)
class _State:
    id: str
    space: str
    type: str
    name: str
    curated: bool = False
    aliases: list[str] = field(default_factory=list)
    forms: Counter[str] = field(default_factory=Counter)
    types: Counter[str] = field(default_factory=Counter)
    languages: list[str] = field(default_factory=list)
    first_seen_at: datetime | None = None
    last_seen_at: datetime | None = None
    n_mentions: int = 0
    order: int = 0
    neighbours: Counter[str] = field(default_factory=Counter)  # entities named in the same articles

    def row(self) -> Entity:
        return Entity(
            self.id,
            self.name,
            self.type,
            tuple(self.aliases),
            tuple(self.languages),
            self.first_seen_at,
            self.last_seen_at,
            self.n_mentions,
        )


def _space(type: str) -> str:
    return "PER" if type == "PER" else "NAME"


def _key(form: str) -> str:
    row = curated_by_alias().get(fold(form))
    return f"={fold(row.name)}" if row is not None else fold(form)


class EntityResolver:
    """Canonical entities across articles and languages (see the module docstring)."""

    def __init__(self) -> None:
        self._states: dict[str, _State] = {}
        self._by_alias: dict[tuple[str, str], str] = {}
        self._by_surname: dict[str, list[str]] = {}
        self._tails: dict[str, set[str]] = {}
        self._gazetteer = Gazetteer()

    def __len__(self) -> int:
        return len(self._states)

    def restore(self, entities: Iterable[Entity]) -> None:
        """Rebuild the tables from stored rows, in the order they were created."""
        for entity in entities:
            state = _State(entity.id, _space(entity.type), entity.type, entity.name, order=len(self._states))
            state.curated = fold(entity.name) in curated_by_alias() and state.space == "NAME"
            state.aliases = [
                a for a in dict.fromkeys(map(clean_form, entity.aliases)) if _may_stand(state, a)
            ]
            state.languages = list(entity.languages)
            state.first_seen_at, state.last_seen_at = entity.first_seen_at, entity.last_seen_at
            state.n_mentions = entity.n_mentions
            state.forms[entity.name] = max(1, entity.n_mentions)
            state.types[entity.type] = max(1, entity.n_mentions)
            self._states[entity.id] = state
            self._index(state, [entity.name, *state.aliases])
            self._gazetteer.add_entity(dataclasses.replace(entity, aliases=tuple(state.aliases)))
        LOGGER.info("entities: restored %d entities", len(self._states))

    def entities(self) -> list[Entity]:
        """Every entity, in the order created."""
        return [s.row() for s in self._states.values()]

    def gazetteer(self) -> Gazetteer:
        """The names known so far (curated table + every entity), for languages without NER."""
        return self._gazetteer

    def resolve(
        self,
        article_id: str,
        mentions: Sequence[Mention],
        clusters: Sequence[MentionCluster],
        *,
        language: str | None,
        published_at: datetime | None,
    ) -> ResolveOutcome:
        """Give each cluster of one article its entity; return the mentions and the changed rows."""
        ids: dict[int, str] = {}
        touched: dict[str, _State] = {}
        order = sorted(
            range(len(clusters)), key=lambda c: (clusters[c].type == "PER" and _is_short(clusters[c]), c)
        )
        ambiguous: list[tuple[MentionCluster, list[_State]]] = []
        for c in order:
            cluster = clusters[c]
            if not cluster.members:
                continue
            people = self._ambiguous(cluster)
            if people:
                ambiguous.append((cluster, people))
                continue
            state = self._find(cluster) or self._found(cluster)
            self._update(state, cluster, mentions, language, published_at)
            touched[state.id] = state
            for i in cluster.members:
                ids[i] = state.id
        context = set(touched)
        for cluster, people in ambiguous:
            chosen = _by_context(people, context)
            if chosen is None:
                continue
            self._update(chosen, cluster, mentions, language, published_at)
            touched[chosen.id] = chosen
            for i in cluster.members:
                ids[i] = chosen.id
        for state in touched.values():
            if state.space == "PER":  # only people are ever told apart by their context
                room = MAX_NEIGHBOURS - len(state.neighbours)
                state.neighbours.update(
                    i for i in touched if i != state.id and (i in state.neighbours or (room := room - 1) >= 0)
                )
        resolved = tuple(
            dataclasses.replace(m, entity_id=ids.get(i, m.entity_id)) for i, m in enumerate(mentions)
        )
        rows = tuple(s.row() for s in sorted(touched.values(), key=lambda s: s.order))
        for row in rows:
            self._gazetteer.add_entity(row)
        LOGGER.debug("entities: %s: %d clusters -> %d entities", article_id, len(clusters), len(rows))
        return ResolveOutcome(resolved, rows)

    def _ambiguous(self, cluster: MentionCluster) -> list[_State]:
        """The known people a surname-only cluster (no full name in the article) may name, when
        there are two or more (``Clinton``: Bill and Hillary); ``[]`` when it is not ambiguous."""
        forms = (cluster.name, *cluster.aliases)
        if any(len(fold(f).split()) > 1 for f in forms):
            return []
        if cluster.type == "PER":
            surname = person_parts(cluster.name).surname
        else:  # a one-word name NER typed ORG/LOC/MISC, when it would fall back to a person
            surname = fold(cluster.name)
            if surname in curated_by_alias() or self._find_name(cluster, people=False) is not None:
                return []
        named = [
            s for s in map(self._states.__getitem__, self._by_surname.get(surname, [])) if _named(s, surname)
        ]
        return named if len(named) > 1 else []

    def _find(self, cluster: MentionCluster) -> _State | None:
        space = _space(cluster.type)
        if space == "NAME":
            return self._find_name(cluster)
        full = [a for a in (cluster.name, *cluster.aliases) if len(a.split()) > 1]
        for form in full:
            found = self._by_alias.get(("PER", fold(form)))
            if found is not None:
                return self._states[found]
        parts = person_parts(cluster.name)
        candidates = [self._states[i] for i in self._by_surname.get(parts.surname, [])]
        if full:
            same = [s for s in candidates if parts.first and _first(s) == parts.first]
            close = [s for s in candidates if _first(s) and compatible_first(_first(s), parts.first)]
            unnamed = [s for s in candidates if not _first(s)]
            candidates = same or close or unnamed
        if candidates:
            return max(candidates, key=_recency)
        return self._find_name(cluster, people=False)

    def _find_name(self, cluster: MentionCluster, *, people: bool = True) -> _State | None:
        """An organisation, place or group (or a person NER mistyped as one, or the reverse): by alias,
        by core name (``Betty Ford`` for ``Betty Ford Center``), as a known team's tail (``Colts``),
        then, for one word, as a person's surname."""
        forms = (cluster.name, *cluster.aliases)
        for form in forms:
            found = self._by_alias.get(("NAME", _key(form)))
            if found is not None:
                return self._states[found]
        words = fold(cluster.name).split()
        for core in [core_name(fold(f)) for f in forms] + (
            [fold(cluster.name)] if cluster.type != "MISC" else []
        ):
            found = self._by_alias.get(("CORE", core)) if core else None
            if found is not None:
                return self._states[found]
        tails = self._tails.get(fold(cluster.name), set()) if cluster.type in ("ORG", "PER") else set()
        if len(tails) == 1:
            return self._states[next(iter(tails))]
        if people and len(words) == 1 and cluster.type != "PER" and words[0] not in curated_by_alias():
            persons = [self._states[i] for i in self._by_surname.get(words[0], [])]
            if persons:
                return max(persons, key=_recency)
        return None

    def _found(self, cluster: MentionCluster) -> _State:
        space = _space(cluster.type)
        row = curated_by_alias().get(fold(cluster.name)) if space == "NAME" else None
        key = _key(cluster.name) if space == "NAME" else fold(cluster.name)
        entity_id = stable_id(space, key, prefix="e")
        if entity_id in self._states:
            return self._states[entity_id]
        name = row.name if row else repair_form(cluster.name)
        state = _State(entity_id, space, row.type if row else cluster.type, name)
        state.curated, state.order = row is not None, len(self._states)
        self._states[entity_id] = state
        return state

    def _update(
        self,
        state: _State,
        cluster: MentionCluster,
        mentions: Sequence[Mention],
        language: str | None,
        published_at: datetime | None,
    ) -> None:
        roles = set(cluster.roles)
        for i in cluster.members:
            text = mentions[i].text
            if text in roles:
                continue
            form = clean_person_name(text, language) if state.space == "PER" else text
            form = clean_form(form.removesuffix("'s").removesuffix("’s"))
            if form:
                state.forms[form] += 1
            state.types[mentions[i].type] += 1
        kept = [clean_form(a) for a in cluster.aliases]
        new = [a for a in dict.fromkeys(kept) if a not in state.aliases and _may_stand(state, a)]
        state.aliases.extend(new[: max(0, MAX_ALIASES - len(state.aliases))])
        lang = lang_of(language)
        if lang and lang not in state.languages:
            state.languages.append(lang)
        state.n_mentions += len(cluster.members)
        if published_at is not None:
            state.first_seen_at = min(state.first_seen_at or published_at, published_at)
            state.last_seen_at = max(state.last_seen_at or published_at, published_at)
        if not state.curated:
            self._rename(state)
        self._index(state, [state.name, *kept])

    @staticmethod
    def _rename(state: _State) -> None:
        if state.space == "PER":
            full = [f for f in state.forms if len(f.split()) > 1] or list(state.forms)
            if full:
                state.name = max(full, key=lambda f: (state.forms[f], len(f), f == state.name))
            state.type = "PER"
        else:
            if state.forms:
                state.name = max(
                    state.forms, key=lambda f: (state.forms[f], not f.isupper(), f == state.name)
                )
            state.type = state.types.most_common(1)[0][0] if state.types else state.type

    def _index(self, state: _State, forms: Iterable[str]) -> None:
        for form in forms:
            if not _may_stand(state, form):
                continue
            if state.space == "NAME":
                folded = fold(form)
                self._by_alias.setdefault(("NAME", _key(form)), state.id)
                self._by_alias.setdefault(("NAME", folded), state.id)
                core = core_name(folded)
                if core and not is_common_word(core):
                    self._by_alias.setdefault(("CORE", core), state.id)
                if state.type == "ORG":
                    words = folded.split()
                    for k in range(1, len(words)):
                        tail = words[k:]
                        if len(tail) == 1 and is_common_word(tail[0]):
                            continue
                        if not all(w in GENERIC_TAILS or w in _ORG_WORDS for w in tail):
                            self._tails.setdefault(" ".join(tail), set()).add(state.id)
            elif len(form.split()) > 1:
                self._by_alias.setdefault(("PER", fold(form)), state.id)
            if state.space == "PER":
                surname = person_parts(form).surname
                ids = self._by_surname.setdefault(surname, [])
                if surname and state.id not in ids:
                    ids.append(state.id)


def _may_stand(state: _State, form: str) -> bool:
    """Whether ``form`` may be an alias of ``state``: no debris, and no bare common word for a
    multi-word organisation, place or group (a curated alias such as ``US`` is not one)."""
    if not form or not clean_form(form):
        return False
    if state.space != "NAME" or fold(form) == fold(state.name) or fold(form) in curated_by_alias():
        return True
    return not (is_common_word(form) and len(fold(state.name).split()) > 1)


def _by_context(people: Sequence[_State], context: set[str]) -> _State | None:
    """The one person whose earlier articles named more of this article's other entities than any
    other candidate's did (``Clinton`` with ``Monica Lewinsky`` -> Bill); ``None`` on a tie or none."""
    scores = sorted(((sum(1 for i in context if p.neighbours[i]), p.order, p) for p in people), reverse=True)
    (best, _, chosen), (second, _, _) = scores[0], scores[1]
    return chosen if best > second else None


def _named(state: _State, surname: str) -> bool:
    """Whether ``state`` is a person named in full with this surname: ``Hillary Clinton``, not
    ``Obama White House`` (NER's person, with the alias ``Obama``) nor ``Following Gigante``."""
    parts = person_parts(state.name)
    if parts.surname != surname or not parts.first:
        return False
    given = parts.first[0]
    return given in _FIRST_NAMES or (len(given) > 1 and not is_common_word(given))


def _recency(state: _State) -> tuple[float, int, int]:
    seen = state.last_seen_at.timestamp() if state.last_seen_at is not None else float("-inf")
    return (seen, state.n_mentions, -state.order)


def _is_short(cluster: MentionCluster) -> bool:
    return len(cluster.name.split()) < 2


def _first(state: _State) -> tuple[str, ...]:
    return person_parts(state.name).first
