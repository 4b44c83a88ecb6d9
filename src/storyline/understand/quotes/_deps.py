"""Dependency helpers for the quote rules: spans of token sets, subjects and speakers.

- ``token_parts`` / ``token_span``: character spans (article offsets) of a set of tokens, in runs of
  consecutive tokens, edge punctuation trimmed (trailing dates such as ``on Monday`` dropped from a span);
- ``subject_of``: the subject of a verb, inherited up open clauses (``he went on to say``, ``...,
  saying``) and taken from the noun a participle modifies (``a super PAC supporting her``);
- ``speaker_of``: the speaker of a cue: possessor of a noun cue (``her criticism of``), subject, agent of
  a passive (``by X``), or the object the parser made of an inverted subject (``“...,” added the
  official``); ``speaker_at`` finds the cue token at an article offset first.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from spacy.tokens import Doc, Token

__all__ = [
    "CUT",
    "OBJ",
    "SUBJ",
    "is_temporal",
    "speaker_at",
    "speaker_of",
    "subject_of",
    "subtree_without",
    "token_parts",
    "token_span",
]

SUBJ = frozenset({"nsubj", "csubj", "nsubj:pass", "nsubjpass"})
_INHERIT = frozenset({"xcomp", "conj", "advcl", "acomp", "pcomp", "prep", "obl", "advmod"})
_PASSIVE_SUBJ = frozenset({"nsubjpass", "nsubj:pass"})
OBJ = frozenset({"dobj", "obj"})
CUT = frozenset({"relcl", "acl", "acl:relcl", "punct", "cc", "mark"})
_WHEN = frozenset(
    ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday", "today", "yesterday",
     "lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche", "hier", "aujourd'hui"]
)  # fmt: skip
_EDGE = frozenset(",.;:—–-()[]…")


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


def token_parts(tokens: Iterable[Token], offset: int) -> tuple[tuple[int, int], ...]:
    runs = _runs(tokens)
    return tuple((offset + r[0].idx, offset + r[-1].idx + len(r[-1].text)) for r in runs)


def token_span(tokens: Sequence[Token], offset: int) -> tuple[int, int] | None:
    tokens = sorted(tokens, key=lambda t: t.i)
    while tokens and (tokens[-1].ent_type_ in {"DATE", "TIME"} or tokens[-1].lower_ in _WHEN):
        tokens.pop()
    parts = token_parts(tokens, offset)
    return (parts[0][0], parts[-1][1]) if parts else None


def subtree_without(root: Token, cut: frozenset[str], skip: set[int] | None = None) -> list[Token]:
    """``root``'s subtree without the subtrees of children whose dependency is in ``cut``."""
    dropped = set(skip or ())
    for child in root.children:
        if child.dep_ in cut or child.i in dropped:
            dropped.update(t.i for t in child.subtree)
    return [t for t in root.subtree if t.i not in dropped]


def subject_of(verb: Token) -> tuple[Token | None, bool]:
    """The subject of ``verb``, inherited up open clauses (``went on to say``, ``..., saying``).

    A participle modifying a noun takes that noun as its subject.
    """
    node: Token = verb
    for _ in range(4):
        for child in node.children:
            if child.dep_ in SUBJ:
                return child, child.dep_ in _PASSIVE_SUBJ
        if node.dep_ == "acl" and node.head.pos_ in {"NOUN", "PROPN"}:
            return node.head, False  # a super PAC supporting her; tickets telling them when to go
        if node.dep_ not in _INHERIT or node.head is node:
            break
        node = node.head
    return None, False


def speaker_of(verb: Token, offset: int) -> tuple[int, int] | None:
    """The speaker span of a cue: possessor of a noun, subject, agent, or inverted object."""
    if verb.pos_ == "NOUN":
        owner = next((c for c in verb.children if c.dep_ in {"poss", "nmod:poss"}), None)
        if owner is not None:
            return token_span(subtree_without(owner, CUT | {"case"}), offset)
    subject, passive = subject_of(verb)
    if passive or subject is None:
        for child in verb.children:
            if child.dep_ in {"agent", "obl:agent"}:
                objects = [g for g in child.children if g.dep_ in {"pobj", "obj"}] or [child]
                return token_span(subtree_without(objects[0], CUT), offset)
    if passive:
        return None
    if subject is None:
        # inverted order after a quote (“...,” added the official) is often parsed as an object
        quoted_before = any(c.dep_ in {"ccomp", "parataxis"} and c.i < verb.i for c in verb.children) or (
            verb.dep_ == "parataxis" and verb.head.i < verb.i
        )
        after = [c for c in verb.children if c.dep_ in OBJ and c.i > verb.i]
        if quoted_before and after:
            return token_span(subtree_without(after[0], CUT), offset)
        return None
    return token_span(subtree_without(subject, CUT), offset)


def is_temporal(tok: Token) -> bool:
    return any(t.ent_type_ in {"DATE", "TIME"} or t.lower_ in _WHEN for t in tok.subtree)


def speaker_at(doc: Doc, offset: int, cue_start: int) -> tuple[int, int] | None:
    """The parse's speaker for the cue word starting at article offset ``cue_start`` (None if unknown)."""
    tok = next((t for t in doc if offset + t.idx == cue_start), None)
    if tok is None or tok.pos_ not in {"VERB", "AUX", "NOUN"}:
        return None
    return speaker_of(tok, offset)
