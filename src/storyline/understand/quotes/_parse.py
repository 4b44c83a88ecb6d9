"""Attributions from a dependency parse (English and French spaCy pipelines).

Rules, tried for each token of a parsed chunk whose lemma is in the cue lexicon:

- **clausal complement**: ``X said (that) ...``, ``“...,” X said`` -> the ``ccomp`` (or ``xcomp`` /
  UD ``parataxis`` child) subtree is the content, the ``nsubj`` subtree the speaker;
- **parenthetical / post-posed cue**: ``The plan, he said, is good``, ``« ... », a déclaré X`` -> the
  cue hangs under the reported clause (``parataxis``/``advcl``): the content is the head's subtree
  without the cue's own subtree;
- **object cue**: ``X called for a ban``, ``X denied the report`` -> the object (or the object of the
  preposition) is the content;
- **according to**: ``according to X, ...`` -> X is the speaker, the sentence without the phrase
  is the content; ``selon X, ...`` likewise with the clause it modifies;
- **passive**: ``it was announced that ...`` -> no speaker unless an agent (``by X``) is given.

A speaker inherits the subject of the verb it is coordinated with or governed by (``he stood up and
said``, ``he went on to say``). Content spans are trimmed of edge punctuation and then snapped to
the quotation marks around them (``_marks``), so a direct quote keeps its marks.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import TYPE_CHECKING

from storyline.understand.cues import CORE_FRAMES, OBJECT_VERBS, SPEECH_VERBS, cue_table
from storyline.understand.quotes._deps import (
    CUT,
    OBJ,
    SUBJ,
    is_temporal,
    speaker_at,
    speaker_of,
    subtree_without,
    token_parts,
    token_span,
)

if TYPE_CHECKING:
    from spacy.tokens import Doc, Token

LOGGER = logging.getLogger(__name__)

__all__ = ["Candidate", "parse_candidates", "speaker_at"]

_RAISING = frozenset({"seem", "appear", "look", "sound"})
_TAIL = frozenset({"relcl", "appos", "acl", "npadvmod", "advcl"})


@dataclass(frozen=True, slots=True)
class Candidate:
    """An attribution found in text: content parts, cue span and speaker span (article offsets)."""

    parts: tuple[tuple[int, int], ...]
    cue: tuple[int, int]
    speaker: tuple[int, int] | None
    rule: str

    @property
    def start(self) -> int:
        """Start of the content."""
        return self.parts[0][0]

    @property
    def end(self) -> int:
        """End of the content."""
        return self.parts[-1][1]


def frames_of(tok: Token) -> list[str]:
    """How a cue word may take its content, most clausal first: ccomp, para, xcomp, dobj, prep:<word>."""
    deps = [c.dep_ for c in tok.children]
    frames = []
    if "ccomp" in deps:
        frames.append("ccomp")
    if tok.dep_ == "parataxis" or (tok.dep_ == "advcl" and any(d in SUBJ for d in deps)):
        frames.append("para")
    if "xcomp" in deps:
        frames.append("xcomp")
    if "dobj" in deps or "obj" in deps:
        frames.append("dobj")
    for child in tok.children:
        objects = [g for g in child.children if g.dep_ in {"pobj", "obj"}]
        if child.dep_ in {"prep", "obl"} and objects and not is_temporal(child):  # not "said on Monday"
            frames.append("prep:" + child.lower_)
    return frames


def _content_tokens(tok: Token, frame: str) -> tuple[list[Token], list[Token]]:
    """The content tokens of ``tok`` in ``frame``, and extra cue tokens (a preposition)."""
    if frame == "para":
        head = tok.head
        if head is tok or head.pos_ not in {"VERB", "AUX", "ADJ", "NOUN", "PROPN"}:
            return [], []
        own = {t.i for t in tok.subtree}
        return _without_tail([t for t in head.subtree if t.i not in own]), []
    if frame in {"ccomp", "xcomp"}:
        heads = [c for c in tok.children if c.dep_ == frame]
        if frame == "xcomp":
            # the object of the infinitive's subject belongs to it: ordered the city to ...; and a
            # raising verb's subject: it seemed like ..., who seem to be ...
            first = heads[0].i if heads else tok.i
            raised = SUBJ if tok.lemma_.lower() in _RAISING else frozenset()
            heads += [c for c in tok.children if (c.dep_ in OBJ and c.i < first) or c.dep_ in raised]
        return _without_tail([t for c in heads for t in c.subtree]), []
    if frame == "dobj":
        objects = [c for c in tok.children if c.dep_ in OBJ]
        # the object's complement belongs to it: accused X of Y, showed X with a lead, called X a Y
        after = [
            c
            for c in tok.children
            if objects and c.i > objects[0].i and c.dep_ in {"prep", "oprd", "obl"} and not is_temporal(c)
        ]
        return _without_tail([t for c in objects + after for t in c.subtree]), []
    if frame.startswith("prep:"):
        for child in tok.children:
            if child.dep_ in {"prep", "obl"} and child.lower_ == frame[5:]:
                objects = [g for g in child.children if g.dep_ in {"pobj", "obj"}]
                return _without_tail([t for g in objects for t in g.subtree]), [child]
    return [], []


def _without_tail(tokens: list[Token]) -> list[Token]:
    """Drop a trailing comment set off by a comma or dash (``..., which ...``, ``... — a former aide``)."""
    if len(tokens) < 4:
        return tokens
    ordered = sorted(tokens, key=lambda t: t.i)
    last = ordered[-1].i
    while last > ordered[0].i and (ordered[-1].is_punct or ordered[-1].is_space):
        ordered.pop()
        last = ordered[-1].i
    ids = {t.i for t in ordered}
    for tok in ordered[2:]:
        prev = tok.doc[tok.i - 1]
        if prev.text in {",", "—", "–", "-", "("} and prev.i in ids and tok.dep_ in _TAIL:
            sub = [t.i for t in tok.subtree]
            if max(sub) >= last and tok.head.i in ids and tok.head.i < tok.i:
                return [t for t in ordered if t.i < prev.i]
    return ordered


def _allowed_frames(tok: Token, language: str) -> frozenset[str]:
    lemma = tok.lemma_.lower()
    table = cue_table(language)
    if table:
        core = CORE_FRAMES.get(language, {}).get(lemma, ()) if tok.pos_ == "VERB" else ()
        return frozenset(table.get(tok.pos_, {}).get(lemma, ())) | frozenset(core)
    frames: set[str] = set()
    if tok.pos_ in {"VERB", "AUX"} and lemma in SPEECH_VERBS.get(language, frozenset()):
        frames |= {"ccomp", "para", "xcomp"}
    if tok.pos_ in {"VERB", "AUX"} and lemma in OBJECT_VERBS.get(language, frozenset()):
        frames |= {"dobj"}
    return frozenset(frames)


def _according(tok: Token, offset: int) -> Candidate | None:
    """``according to X, ...``: X is the speaker, the modified clause the content."""
    to = next((c for c in tok.children if c.lower_ == "to"), None)
    obj = next((c for c in to.children if c.dep_ == "pobj"), None) if to is not None else None
    if to is None or obj is None:
        return None
    if tok.head is tok:
        return None
    cut = {t.i for t in tok.subtree}
    parts = token_parts([t for t in tok.sent if t.i not in cut], offset)
    if not parts:
        return None
    cue = (offset + tok.idx, offset + to.idx + len(to.text))
    return Candidate(parts, cue, token_span(subtree_without(obj, CUT), offset), "according")


def _selon(tok: Token, offset: int) -> Candidate | None:
    """French ``selon X`` / ``d'après X``: the case marker of the speaker noun."""
    noun = tok.head
    clause = noun.head if noun.head is not noun else None
    if clause is None or noun.dep_ not in {"obl:mod", "obl", "nmod", "obl:arg"}:
        return None
    cut = {t.i for t in noun.subtree}
    parts = token_parts([t for t in clause.subtree if t.i not in cut], offset)
    if not parts:
        return None
    cue = (offset + tok.idx, offset + tok.idx + len(tok.text))
    return Candidate(parts, cue, token_span(subtree_without(noun, CUT | {"case"}), offset), "according")


def parse_candidates(doc: Doc, offset: int, language: str) -> list[Candidate]:
    """Attribution candidates of one parsed chunk starting at ``offset`` in the article text."""
    found: list[Candidate] = []
    for tok in doc:
        lower = tok.lower_
        cand: Candidate | None = None
        if lower == "according" and language == "en":
            cand = _according(tok, offset)
        elif language == "fr" and lower in {"selon", "d'après", "d’après"} and tok.dep_ == "case":
            cand = _selon(tok, offset)
        elif tok.pos_ in {"VERB", "AUX", "NOUN"}:
            allowed = _allowed_frames(tok, language)
            frame = next((f for f in frames_of(tok) if f in allowed), None) if allowed else None
            if frame is not None:
                cand = _verb_candidate(tok, frame, offset)
        if cand is not None:
            found.append(cand)
    return found


def _verb_candidate(verb: Token, frame: str, offset: int) -> Candidate | None:
    tokens, extra = _content_tokens(verb, frame)
    parts = token_parts(tokens, offset)
    if not parts:
        return None
    cue_tokens = [verb, *extra, *(c for c in verb.children if c.dep_ in {"prt", "compound:prt"})]
    cue = token_span(cue_tokens, offset) or (offset + verb.idx, offset + verb.idx + len(verb.text))
    return Candidate(parts, cue, speaker_of(verb, offset), frame)
