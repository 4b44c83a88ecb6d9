"""Who said what: direct, mixed and indirect quotes with their cue and speaker.

``find_quotes(text, article_id=..., language=...)`` returns ``Quote`` values; ``find_attributions``
returns the same quotes with their speaker mentions (the speaker as written and, for a resolved
pronoun or description, the earlier mention it resolved to) for the entity module to link.

How:

1. ``_marks.find_quoted`` finds the quoted passages in every quoting style.
2. English and French: ``nlp.analyse`` parses the sentences that hold a quotation mark or a cue word
   and ``_parse`` applies dependency rules. Other languages (and any language whose model is not
   installed): ``_plain`` pairs quotation marks and ``according to`` phrases with a cue word of
   the language's lexicon and the nearest name-like span.
3. Content spans are snapped to the quotation marks around them: a quote whose content is exactly a
   quoted passage is ``direct``, one that contains a quoted fragment ``mixed``, else ``indirect``.
   A quote interrupted by its cue (``“A,” he said. “B.”``) gives one quote.
4. Speakers are resolved by ``_speakers`` (pronouns and descriptions to earlier names).
5. Precision first (``_confidence``): fragments (scare quotes) are dropped, a speaker that is
   not a person, organisation or group (an unresolved pronoun, a topic phrase) is dropped from its
   quote, and every quote gets a ``confidence``.

Offsets: a direct quote runs from its first to its last quoted character, without the marks (and
its ``text`` joins the parts of a quote interrupted by its cue or running over paragraphs); a mixed
or indirect quote keeps the quoted fragments' marks. Conventions (those of PolNeAR): content includes
a complementiser (``that``) and excludes the sentence's final punctuation outside the marks.
``speaker_entity_id`` is left ``None``: the entity module links speakers to canonical entities.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from storyline.model import Mention, Quote, lang_code
from storyline.understand.cues import SPEECH
from storyline.understand.nlp import Analysis, EntitySpan, Parsed, analyse, raw_sentences
from storyline.understand.quotes._confidence import check_speaker, is_fragment, quote_confidence
from storyline.understand.quotes._marks import Quoted, dash_quoted, find_quoted
from storyline.understand.quotes._parse import Candidate, parse_candidates, speaker_at
from storyline.understand.quotes._plain import fill_speaker, plain_candidates
from storyline.understand.quotes._spans import drop_nested, kind_of, merge_continuations, tidy
from storyline.understand.quotes._speakers import Named, Resolved, person_aliases, resolve_speaker

if TYPE_CHECKING:
    from spacy.tokens import Doc

LOGGER = logging.getLogger(__name__)

__all__ = ["Attribution", "find_attributions", "find_quotes"]


@dataclass(frozen=True, slots=True)
class Attribution:
    """A quote and its speaker mentions: as written first, then the antecedent it resolved to."""

    quote: Quote
    mentions: tuple[Mention, ...] = ()


def find_quotes(text: str, *, article_id: str, language: str | None, doc: Doc | None = None) -> list[Quote]:
    """The quotes of ``text`` in text order (see the module docstring)."""
    return [a.quote for a in find_attributions(text, article_id=article_id, language=language, doc=doc)]


def find_attributions(
    text: str,
    *,
    article_id: str,
    language: str | None,
    doc: Doc | None = None,
    analysis: Analysis | None = None,
) -> list[Attribution]:
    """Quotes with their speaker mentions; reuse ``analysis`` (or a parsed ``doc`` of the whole text)."""
    lang = lang_code(language) or None
    if analysis is None:
        if doc is not None:
            ents = tuple(_doc_entities(doc))
            analysis = Analysis(text, lang, tuple(raw_sentences(text)), (Parsed(0, doc),), ents, True)
        else:
            analysis = analyse(text, lang)
    quoted = find_quoted(text)
    if lang in SPEECH:  # dialogue dashes: "— Text —, dijo X."
        quoted = sorted([*quoted, *dash_quoted(text, quoted)], key=lambda q: q.start)
    ents = analysis.entities
    if analysis.has_parser and lang is not None:
        parsed = [c for p in analysis.parsed for c in parse_candidates(p.doc, p.start, lang)]
        tidied = [c for c in (tidy(text, c, quoted) for c in parsed) if c is not None]
        extra = [
            _parsed_speaker(c, analysis)
            for c in plain_candidates(
                text, lang, quoted, analysis.sentences, covered=tidied, indirect=False, entities=ents
            )
        ]
        candidates = tidied + [c for c in (tidy(text, c, quoted) for c in extra) if c is not None]
        if lang in SPEECH:  # the parse found no subject: the speaker phrase next to the cue
            candidates = [
                c if c.speaker is not None else (tidy(text, fill_speaker(text, lang, c, ents), quoted) or c)
                for c in candidates
            ]
    else:
        plain = plain_candidates(text, lang, quoted, analysis.sentences, entities=ents)
        candidates = [c for c in (tidy(text, c, quoted) for c in plain) if c is not None]
    candidates = drop_nested(_dedupe(merge_continuations(text, _dedupe(candidates), quoted)))
    return _attributions(text, article_id, lang, candidates, quoted, analysis)


def _parsed_speaker(cand: Candidate, analysis: Analysis) -> Candidate:
    """A candidate found without the parser, with its speaker taken from the parse where it has one."""
    for chunk in analysis.parsed:
        if chunk.start <= cand.cue[0] < chunk.start + len(chunk.doc.text):
            speaker = speaker_at(chunk.doc, chunk.start, cand.cue[0])
            return cand if speaker is None else replace(cand, speaker=speaker)
    return cand


def _doc_entities(doc: Doc) -> list[EntitySpan]:
    return [EntitySpan(e.start_char, e.end_char, e.label_, e.text) for e in doc.ents]


def _dedupe(cands: list[Candidate]) -> list[Candidate]:
    """One candidate per content span (one with a speaker wins), in text order."""
    seen: dict[tuple[int, int], Candidate] = {}
    for cand in cands:
        key = (cand.start, cand.end)
        if key not in seen or (seen[key].speaker is None and cand.speaker is not None):
            seen[key] = cand
    return sorted(seen.values(), key=lambda c: (c.start, c.end))


def _attributions(
    text: str,
    article_id: str,
    lang: str | None,
    cands: list[Candidate],
    quoted: list[Quoted],
    analysis: Analysis,
) -> list[Attribution]:
    earlier = person_aliases(text, [Named(e.start, e.end, e.text, e.label) for e in analysis.entities])
    named = [(n.start, n.end, n.label) for n in earlier]
    out: list[Attribution] = []
    for cand in sorted(cands, key=lambda c: (c.cue[0], c.start)):
        kind = kind_of(cand, quoted)
        start, end, content = cand.start, cand.end, text[cand.start : cand.end]
        if kind == "direct":  # the words between the marks; the parts of an interrupted quote joined
            inner = [p for q in quoted if cand.start <= q.start and q.end <= cand.end for p in q.parts]
            start, end, content = inner[0][0], inner[-1][1], " ".join(text[s:e] for s, e in inner)
        quote = Quote(
            article_id=article_id,
            start=start,
            end=end,
            text=content,
            kind=kind,
            cue=text[cand.cue[0] : cand.cue[1]],
            language=lang,
        )
        if is_fragment(text, quote, cand.cue[0]):  # scare quotes, words quoted under a clause
            continue
        mentions: tuple[Mention, ...] = ()
        status: str | None = None
        if cand.speaker is not None:
            res = resolve_speaker(text, cand.speaker, lang, earlier)
            check = check_speaker(res.text, res.start, res.end, named)
            if check.status == "refused":
                LOGGER.debug("quotes: speaker %r refused: %s", res.text, check.reason)
            else:
                status = check.status
                if check.span is not None:  # "a report by Amnesty": the organisation speaks
                    res = Resolved(text[check.span[0] : check.span[1]], check.span[0], check.span[1])
                label = "SPEAKER_GROUP" if res.text.lower() in {"they", "ils", "elles"} else "SPEAKER"
                earlier.append(Named(res.start, res.end, res.text, label))
                quote = replace(quote, speaker=res.text, speaker_start=res.start, speaker_end=res.end)
                spans = [res.written, (res.start, res.end)] if res.written else [(res.start, res.end)]
                mentions = tuple(
                    Mention(article_id, s, e, text[s:e], "SPEAKER") for s, e in spans if s is not None
                )
        quote = replace(quote, confidence=quote_confidence(quote, status))
        out.append(Attribution(quote, mentions))
    out.sort(key=lambda a: (a.quote.start, a.quote.end))
    return out
