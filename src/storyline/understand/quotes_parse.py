"""Attributions from a dependency parse (English and French spaCy pipelines).

Rules, tried for each token of a parsed chunk whose lemma is in the cue lexicon:

- **clausal complement**: ``X said (that) ...``, ``“...,” X said`` -> the ``ccomp`` (or ``xcomp`` /
  UD ``parataxis`` child) subtree is the content, the ``nsubj`` subtree the speaker;
- **parenthetical / post-posed cue**: ``The plan, he said, is good``, ``« ... », a déclaré X`` -> the
  cue hangs under the reported clause (``parataxis``/``advcl``): the content is the head's subtree
  without the cue's own subtree;
- **object cue**: ``X called for a ban``, ``X denied the report`` -> the object (or the object of the
  preposition) is the content;
- **according to**: ``according to X, ...`` / ``selon X, ...`` -> X is the speaker, the clause it
  modifies (without the phrase) is the content;
- **passive**: ``it was announced that ...`` -> no speaker unless an agent (``by X``) is given.

A speaker inherits the subject of the verb it is coordinated with or governed by (``he stood up and
said``, ``he went on to say``). Content spans are trimmed of edge punctuation and then snapped to
the quotation marks around them (``quotes_marks``), so a direct quote keeps its marks.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from storyline.understand.quotes_lexicon import OBJECT_VERBS, SPEECH_VERBS, cue_table

if TYPE_CHECKING:
    from spacy.tokens import Doc, Token

LOGGER = logging.getLogger(__name__)

__all__ = ["Candidate", "parse_candidates"]

_COMP = frozenset({"ccomp", "xcomp", "parataxis"})
_SUBJ = frozenset({"nsubj", "csubj", "nsubj:pass", "nsubjpass"})
_PASSIVE_SUBJ = frozenset({"nsubjpass", "nsubj:pass"})
_OBJ = frozenset({"dobj", "obj"})
_CUT = frozenset({"relcl", "acl", "acl:relcl", "punct", "cc", "mark"})
_EDGE = frozenset(",.;:—–-()[]…")
_PREPS = frozenset({"for", "about", "of", "on", "to", "against", "with"})


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


def _runs(tokens: Iterable[Token]) -> list[list[Token]]:
    """Tokens grouped in runs of consecutive indices, edge punctuation and spaces trimmed."""
    ordered = sorted(tokens, key=lambda t: t.i)
    runs: list[list[Token]] = []
    for tok in ordered:
        if runs and runs[-1][-1].i == tok.i - 1:
            runs[-1].append(tok)
        else:
            runs.append([tok])
    trimmed = []
    for run in runs:
        while run and (run[0].is_space or run[0].text in _EDGE or run[0].dep_ == "cc"):
            run = run[1:]
        while run and (run[-1].is_space or run[-1].text in _EDGE or run[-1].dep_ == "cc"):
            run = run[:-1]
        if run:
            trimmed.append(run)
    return trimmed


def _parts(tokens: Iterable[Token], offset: int) -> tuple[tuple[int, int], ...]:
    runs = _runs(tokens)
    return tuple((offset + r[0].idx, offset + r[-1].idx + len(r[-1].text)) for r in runs)


def _span(tokens: Sequence[Token], offset: int) -> tuple[int, int] | None:
    parts = _parts(tokens, offset)
    return (parts[0][0], parts[-1][1]) if parts else None


def _subtree_without(root: Token, cut: frozenset[str], skip: set[int] | None = None) -> list[Token]:
    """``root``'s subtree without the subtrees of children whose dependency is in ``cut``."""
    dropped = set(skip or ())
    for child in root.children:
        if child.dep_ in cut or child.i in dropped:
            dropped.update(t.i for t in child.subtree)
    return [t for t in root.subtree if t.i not in dropped]


def _subject(verb: Token) -> tuple[Token | None, bool]:
    """The subject of ``verb`` (inherited through xcomp/conj heads) and whether the verb is passive."""
    node: Token | None = verb
    for _ in range(3):
        if node is None:
            break
        for child in node.children:
            if child.dep_ in _SUBJ:
                return child, child.dep_ in _PASSIVE_SUBJ
        node = node.head if node.dep_ in {"xcomp", "conj"} and node.head is not node else None
    return None, False


def _speaker(verb: Token, offset: int) -> tuple[int, int] | None:
    subject, passive = _subject(verb)
    if passive or subject is None:
        for child in verb.children:
            if child.dep_ in {"agent", "obl:agent"}:
                objects = [g for g in child.children if g.dep_ in {"pobj", "obj"}] or [child]
                return _span(_subtree_without(objects[0], _CUT), offset)
        if passive:
            return None
    if subject is None or (subject.lower_ in {"it", "this", "that", "there", "il"} and passive):
        return None
    return _span(_subtree_without(subject, _CUT), offset)


def frame_of(tok: Token) -> str:
    """How a cue word takes its content: ccomp, para, xcomp, dobj, prep:<word> or none."""
    deps = [c.dep_ for c in tok.children]
    if "ccomp" in deps:
        return "ccomp"
    if tok.dep_ == "parataxis" or (tok.dep_ == "advcl" and any(d in _SUBJ for d in deps)):
        return "para"
    if "xcomp" in deps:
        return "xcomp"
    if "dobj" in deps or "obj" in deps:
        return "dobj"
    for child in tok.children:
        if child.dep_ in {"prep", "obl"} and any(g.dep_ in {"pobj", "obj"} for g in child.children):
            return "prep:" + child.lower_
    return "none"


def _content_tokens(tok: Token, frame: str) -> tuple[list[Token], list[Token]]:
    """The content tokens of ``tok`` in ``frame``, and extra cue tokens (a preposition)."""
    if frame == "para":
        head = tok.head
        if head is tok or head.pos_ not in {"VERB", "AUX", "ADJ", "NOUN", "PROPN"}:
            return [], []
        own = {t.i for t in tok.subtree}
        return [t for t in head.subtree if t.i not in own], []
    if frame in {"ccomp", "xcomp", "dobj"}:
        deps = {"dobj", "obj"} if frame == "dobj" else {frame}
        return [t for c in tok.children if c.dep_ in deps for t in c.subtree], []
    if frame.startswith("prep:"):
        for child in tok.children:
            if child.dep_ in {"prep", "obl"} and child.lower_ == frame[5:]:
                objects = [g for g in child.children if g.dep_ in {"pobj", "obj"}]
                return [t for g in objects for t in g.subtree], [child]
    return [], []


def _allowed_frames(tok: Token, language: str) -> frozenset[str]:
    lemma = tok.lemma_.lower()
    table = cue_table(language)
    if table:
        return frozenset(table.get(tok.pos_, {}).get(lemma, ()))
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
    if obj is None:
        return None
    head = tok.head if tok.head is not tok else None
    if head is None:
        return None
    cut = {t.i for t in tok.subtree}
    parts = _parts([t for t in head.subtree if t.i not in cut], offset)
    if not parts:
        return None
    cue = (offset + tok.idx, offset + to.idx + len(to.text))
    return Candidate(parts, cue, _span(_subtree_without(obj, _CUT), offset), "according")


def _selon(tok: Token, offset: int) -> Candidate | None:
    """French ``selon X`` / ``d'après X``: the case marker of the speaker noun."""
    noun = tok.head
    clause = noun.head if noun.head is not noun else None
    if clause is None or noun.dep_ not in {"obl:mod", "obl", "nmod", "obl:arg"}:
        return None
    cut = {t.i for t in noun.subtree}
    parts = _parts([t for t in clause.subtree if t.i not in cut], offset)
    if not parts:
        return None
    cue = (offset + tok.idx, offset + tok.idx + len(tok.text))
    return Candidate(parts, cue, _span(_subtree_without(noun, _CUT | {"case"}), offset), "according")


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
            frames = _allowed_frames(tok, language)
            frame = frame_of(tok) if frames else "none"
            if frame in frames:
                cand = _verb_candidate(tok, frame, offset)
        if cand is not None:
            found.append(cand)
    return found


def _verb_candidate(verb: Token, frame: str, offset: int) -> Candidate | None:
    tokens, extra = _content_tokens(verb, frame)
    parts = _parts(tokens, offset)
    if not parts:
        return None
    cue_tokens = [verb, *extra, *(c for c in verb.children if c.dep_ in {"prt", "compound:prt"})]
    cue = _span(cue_tokens, offset) or (offset + verb.idx, offset + verb.idx + len(verb.text))
    return Candidate(parts, cue, _speaker(verb, offset), frame)
