"""Entity mentions of one article: people, organisations, places and groups, with in-article clusters.

``find_mentions(text, analysis, article_id=..., language=...)`` returns ``Mention`` values typed
``PER``, ``ORG``, ``LOC`` or ``MISC`` whose offsets always slice ``text``; ``cluster_mentions`` groups
them (``_coref``); ``EntityResolver`` (``_resolve``) gives them canonical entities
across articles and languages.

Where names come from:

- English and French: the spaCy NER spans of the shared ``Analysis`` (``understand.nlp``).
  English uses Storyline's fine-tuned NER when the pipeline carries it (``nlp._tuned_ner``), whose
  labels are already ``PER/ORG/LOC/MISC``. Labels of the stock models are mapped: ``PERSON``/``PER``
  -> PER; ``ORG`` -> ORG; ``GPE``, ``LOC``, ``FAC`` -> LOC; ``NORP`` -> MISC (a nationality or
  religion: "German", "Muslim"), except a group named as actor, "the Taliban said", "the Houthis,",
  which is ORG; ``EVENT``, ``WORK_OF_ART``, ``LAW``, ``LANGUAGE``, ``PRODUCT``, ``MISC`` -> MISC;
  numbers and dates are not entities.
- German, Spanish, Dutch, Polish, Portuguese and Russian: the spans of Storyline's NER-only
  pipelines (``nlp.get_ner``, trained by ``scripts/train_ner_lang.py``; labels ``PER/ORG/LOC/MISC``,
  no MISC for pl/pt/ru), alone: adding the gazetteer's or the rules' names where the model found
  none lowered F1 on every tune slice (docs/evaluation.md).
- Other languages: the gazetteer and rules of ``_rules``.

Spans are trimmed: a leading "the"/"The", a trailing possessive and punctuation are not part of a
name. Then roles ("NATO Secretary General") and definite descriptions ("the Norwegian") that
refer to a person of the article are added (``_roles``), typed ``PER``.
"""

from __future__ import annotations

import functools
import logging
import re

from storyline.model import Mention
from storyline.understand.entities._coref import MentionCluster, cluster_mentions
from storyline.understand.entities._gazetteer import Gazetteer, NameSpan
from storyline.understand.entities._names import Lexicon, fold, lang_of, lexicon
from storyline.understand.entities._roles import find_descriptions, find_roles
from storyline.understand.entities._rules import find_rule_names
from storyline.understand.nlp import Analysis, EntitySpan, analyse, has_ner, raw_sentences

LOGGER = logging.getLogger(__name__)

__all__ = [
    "Gazetteer",
    "MentionCluster",
    "cluster_mentions",
    "find_mentions",
    "find_names",
    "map_label",
    "mentions_and_clusters",
]

LABELS = {
    "PERSON": "PER",
    "PER": "PER",
    "ORG": "ORG",
    "GPE": "LOC",
    "LOC": "LOC",
    "FAC": "LOC",
    "NORP": "MISC",
    "EVENT": "MISC",
    "WORK_OF_ART": "MISC",
    "LAW": "MISC",
    "LANGUAGE": "MISC",
    "PRODUCT": "MISC",
    "MISC": "MISC",
}
_GROUP_AFTER = re.compile(r"\s*(?:[,.;:)]|(?:said|say|says|have|has|had|are|were|who|claimed|launched)\b)")
_LINE = re.compile(r"[^\n]+")
_WORD = re.compile(r"[^\W\d_]+")
_DOTTED_END = re.compile(r"(?<!\w)(?:\w\.){2,}$")
_LEAD = re.compile(r"^(?:the|The|THE)\s+")
_TRAIL = re.compile(r"(?:['’]s|['’]|[\s.,;:!?\"“”»)(\-–—]+)$")


def never(sentence: str, language: str | None) -> bool:
    """A sentence selector that parses nothing (NER only)."""
    return False


@functools.cache
def _default_gazetteer() -> Gazetteer:
    return Gazetteer()


def map_label(entity: EntitySpan, text: str) -> str | None:
    """The Storyline type of an NER span (see the module docstring), ``None`` when not an entity."""
    kind = LABELS.get(entity.label)
    if entity.label == "NORP":
        before = text[max(0, entity.start - 4) : entity.start]
        if before.lower() == "the " and _GROUP_AFTER.match(text, entity.end):
            return "ORG"
    return kind


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    if "\n" in text[start:end]:
        end = text.index("\n", start)
    span = text[start:end]
    lead = _LEAD.match(span)
    if lead and end - start > lead.end():
        start += lead.end()
    while end > start and not _DOTTED_END.search(text, start, end):
        trail = _TRAIL.search(text, start, end)
        if trail is None or trail.start() == start:
            break
        end = trail.start()
    while start < end and not text[start].isalnum():
        start += 1
    return start, end


def find_names(
    text: str,
    analysis: Analysis | None,
    *,
    language: str | None,
    gazetteer: Gazetteer | None = None,
) -> list[NameSpan]:
    """Named mentions only (no roles or descriptions): NER where a model exists, else rules."""
    if not has_ner(lang_of(language) or None):
        starts = [s for s, _ in (analysis.sentences if analysis is not None else raw_sentences(text))]
        found = find_rule_names(text, language, gazetteer or _default_gazetteer(), starts)
    else:
        if analysis is None or analysis.text != text:
            analysis = analyse(text, language, select=never)
        found = []
        for entity in analysis.entities:
            kind = map_label(entity, text)
            if kind is not None:
                found.append(NameSpan(entity.start, entity.end, kind, entity.text))
    names: list[NameSpan] = []
    for span in found:
        start, end = _trim(text, span.start, span.end)
        if end > start and any(c.isupper() for c in text[start:end]):
            names.append(NameSpan(start, end, span.type, text[start:end]))
    return _headline_names(text, _cut_headline_names(names))


def _headlines(text: str) -> list[tuple[int, int]]:
    """Title-case lines of a text of several lines (most words of four letters or more capitalised)."""
    lines = [(m.start(), m.end(), m.group()) for m in _LINE.finditer(text) if m.group().strip()]
    if len(lines) < 2:
        return []
    found = []
    for start, end, line in lines:
        words = [w for w in _WORD.findall(line) if len(w) > 3]
        capitals = sum(w[0].isupper() and not w.isupper() for w in words)
        if len(words) >= 3 and capitals >= 0.8 * len(words):
            found.append((start, end))
    return found


def _headline_names(text: str, names: list[NameSpan]) -> list[NameSpan]:
    """In title-case headlines NER runs words together ("Colts Beat Chiefs"): keep there only the names
    the rest of the article also has, cut out of the spans that hold them."""
    headlines = _headlines(text)
    if not headlines:
        return names
    inside = [any(s <= n.start < e for s, e in headlines) for n in names]
    known = {fold(n.text): n for n, flag in zip(names, inside, strict=True) if not flag}
    if not known:
        return [n for n, flag in zip(names, inside, strict=True) if not flag]
    pattern = re.compile(
        r"(?<!\w)(?:"
        + "|".join(re.escape(n.text) for n in sorted(known.values(), key=lambda n: -len(n.text)))
        + r")(?!\w)",
        re.IGNORECASE,
    )
    kept: list[NameSpan] = []
    for name, flag in zip(names, inside, strict=True):
        if not flag:
            kept.append(name)
            continue
        for match in pattern.finditer(text, name.start, name.end):
            kind = known[fold(match.group())].type
            kept.append(NameSpan(match.start(), match.end(), kind, match.group()))
    return kept


def _cut_headline_names(names: list[NameSpan]) -> list[NameSpan]:
    """Cut a long name that starts with a shorter person name of the text (``Lindsay Lohan Checks Into
    Rehab`` in a title-case headline -> ``Lindsay Lohan``)."""
    people = sorted({n.text for n in names if n.type == "PER" and 2 <= len(n.text.split()) <= 3}, key=len)
    cut: list[NameSpan] = []
    for name in names:
        if len(name.text.split()) >= 3:
            person = next((p for p in people if name.text.startswith(p + " ")), None)
            if person is not None:
                name = NameSpan(name.start, name.start + len(person), "PER", person)
        cut.append(name)
    return cut


def _after_determiner(text: str, start: int, lex: Lexicon) -> bool:
    words = fold(text[max(0, start - 30) : start]).split()
    return bool(words) and words[-1] in lex.determiners | lex.modifiers


def find_mentions(
    text: str,
    analysis: Analysis | None,
    *,
    article_id: str,
    language: str | None,
    gazetteer: Gazetteer | None = None,
) -> list[Mention]:
    """Names, roles and descriptions of entities in ``text``, in order; ``text[m.start:m.end] == m.text``.

    ``analysis`` is the article's shared NLP pass (``nlp.analyse``); ``None`` runs NER here. The
    ``gazetteer`` (known names, ``EntityResolver.gazetteer``) serves languages without NER.
    """
    lex = lexicon(language)
    names = [
        n
        for n in find_names(text, analysis, language=language, gazetteer=gazetteer)
        if not (n.type != "PER" and fold(n.text) in lex.demonyms and _after_determiner(text, n.start, lex))
    ]
    roles = find_roles(text, names, language)
    described = roles + find_descriptions(text, names, roles, language)
    spans: list[NameSpan] = [*names, *(d.span for d in described)]
    seen: set[tuple[int, int]] = set()
    mentions: list[Mention] = []
    for span in sorted(spans, key=lambda s: (s.start, -s.end)):
        if (span.start, span.end) not in seen:
            seen.add((span.start, span.end))
            mentions.append(Mention(article_id, span.start, span.end, text[span.start : span.end], span.type))
    LOGGER.debug("entities: %s: %d names, %d roles/descriptions", article_id, len(names), len(described))
    return mentions


def mentions_and_clusters(
    text: str,
    analysis: Analysis | None,
    *,
    article_id: str,
    language: str | None,
    gazetteer: Gazetteer | None = None,
) -> tuple[list[Mention], tuple[MentionCluster, ...]]:
    """``find_mentions`` and ``cluster_mentions`` in one call."""
    mentions = find_mentions(text, analysis, article_id=article_id, language=language, gazetteer=gazetteer)
    return mentions, cluster_mentions(text, mentions, language=language)
