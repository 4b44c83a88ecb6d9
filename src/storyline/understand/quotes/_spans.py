"""Content spans of attribution candidates: clip, snap to quotation marks, merge, classify.

- a cue between quotation marks is a quoted word, not an attribution (PolNeAR annotates almost
  none: 18 of 15,240 cues), so such candidates are dropped;
- the speaker is kept to the cue's paragraph;
- the cue and the speaker are cut out of the content, and the content is kept to the cue's
  paragraph (a parse that runs across a paragraph break is wrong more often than not) unless a
  quoted passage carries it over;
- the content is widened to the whole quoted passages it overlaps;
- a quoted passage that follows the cue's sentence in the same paragraph, and has no cue of its
  own, continues the quote (``“A,” he said. “B.”``);
- a candidate whose cue lies inside the content of a larger one is dropped;
- a quote is ``direct`` when its content is one quoted passage, ``mixed`` when it holds one.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Sequence
from dataclasses import replace
from typing import Literal

from storyline.understand.quotes._marks import Quoted
from storyline.understand.quotes._parse import Candidate

LOGGER = logging.getLogger(__name__)

__all__ = ["drop_nested", "inside_quote", "kind_of", "merge_continuations", "tidy"]

QuoteKind = Literal["direct", "indirect", "mixed"]
_EDGE = " \t\r\n\u00a0,;:—–-(…"


def inside_quote(pos: int, quoted: Sequence[Quoted]) -> bool:
    """Whether ``pos`` lies between the marks of a quoted passage."""
    return any(q.start < pos < q.end for q in quoted)


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start] in _EDGE:
        start += 1
    while end > start and text[end - 1] in _EDGE + ".":
        end -= 1
    return start, end


def _cut(parts: Sequence[tuple[int, int]], hole: tuple[int, int]) -> list[tuple[int, int]]:
    kept: list[tuple[int, int]] = []
    for start, end in parts:
        if hole[1] <= start or end <= hole[0]:
            kept.append((start, end))
            continue
        if start < hole[0]:
            kept.append((start, hole[0]))
        if hole[1] < end:
            kept.append((hole[1], end))
    return kept


def _paragraph(text: str, pos: int) -> tuple[int, int]:
    start = text.rfind("\n", 0, pos) + 1
    end = text.find("\n", pos)
    return start, len(text) if end < 0 else end


def _one_side(parts: list[tuple[int, int]], cue: int, quoted: Sequence[Quoted]) -> list[tuple[int, int]]:
    """Only the side of the cue that holds a quoted passage, when just one side does."""
    before = [p for p in parts if p[1] <= cue]
    after = [p for p in parts if p[0] > cue]
    if not before or not after:
        return parts

    def has_quote(side: list[tuple[int, int]]) -> bool:
        return any(s <= q.start and q.end <= e for s, e in side for q in quoted)

    if has_quote(before) != has_quote(after):
        return before if has_quote(before) else after
    return parts


def tidy(text: str, cand: Candidate, quoted: Sequence[Quoted]) -> Candidate | None:
    """The candidate clipped to its paragraph, without cue and speaker, snapped to quotes."""
    if inside_quote(cand.cue[0], quoted):
        return None
    if cand.speaker is not None and (
        inside_quote(cand.speaker[0], quoted) or any(s <= cand.speaker[0] < e for s, e in cand.parts)
    ):
        cand = replace(cand, speaker=None)
    p_start, p_end = _paragraph(text, cand.cue[0])
    if cand.speaker is not None and (cand.speaker[0] < p_start or cand.speaker[1] > p_end):
        s_start, s_end = _trim(text, max(cand.speaker[0], p_start), min(cand.speaker[1], p_end))
        cand = replace(cand, speaker=(s_start, s_end) if s_end > s_start else None)
    if text[p_start:p_end].rstrip().endswith(":"):
        p_end = _paragraph(text, len(text) - len(text[p_end:].lstrip()))[1]  # "X said:" + next paragraph
    parts = [(max(s, p_start), min(e, p_end)) for s, e in cand.parts]
    for hole in [cand.cue] + ([cand.speaker] if cand.speaker else []):
        parts = _cut(parts, hole)
    parts = [p for p in (_trim(text, s, e) for s, e in parts) if p[1] > p[0]]
    if not parts:
        return None
    parts = _one_side(parts, cand.cue[0], quoted)
    start, end = parts[0][0], parts[-1][1]
    for q in quoted:
        if q.start < end and start < q.end and not q.start <= cand.cue[0] < q.end:
            start, end = min(start, q.start), max(end, q.end)
    if (start, end) != (parts[0][0], parts[-1][1]):
        parts = [(start, end)]
    return replace(cand, parts=tuple(parts))


def merge_continuations(text: str, cands: list[Candidate], quoted: Sequence[Quoted]) -> list[Candidate]:
    """Extend a quote over the quoted passages that follow it in its paragraph with no cue of their own."""
    taken = [(c.start, c.end) for c in cands] + [c.cue for c in cands]
    cues = [c.cue[0] for c in cands]
    out = []
    for cand in cands:
        end = cand.end
        if not any(q.end == cand.end for q in quoted):
            out.append(cand)
            continue
        _, p_end = _paragraph(text, cand.cue[0])
        for q in quoted:
            if q.start < max(end, cand.cue[1]) or q.start >= p_end:
                continue
            between_start = max(end, cand.cue[1])
            between = text[between_start : q.start]
            if any(q.start < e and s < q.end for s, e in taken) or re.search(r"[“”\"«»]|''", between):
                break
            if len(between) > 250 or any(between_start <= c < q.start for c in cues):
                break
            if not re.search(r"[.!?:…]\s*$", between) and not re.search(
                r"[.!?…]$", text[q.start - 1 - len(between) : q.start - len(between)]
            ):
                break  # a quoted word inside the cue's sentence („Bild“-Zeitung), not a new sentence
            end = q.end
        out.append(cand if end == cand.end else replace(cand, parts=((cand.start, end),)))
    return out


def drop_nested(cands: list[Candidate]) -> list[Candidate]:
    """Candidates whose cue lies inside another candidate's content, removed (the outer one stays).

    PolNeAR annotates no attribution inside the content of another (0 of 15,240 cues).
    """
    outer = sorted(cands, key=lambda c: c.end - c.start, reverse=True)
    kept: list[Candidate] = []
    for cand in outer:
        if not any(k.start <= cand.cue[0] < k.end for k in kept):
            kept.append(cand)
    return sorted(kept, key=lambda c: (c.start, c.end))


def kind_of(cand: Candidate, quoted: Sequence[Quoted]) -> QuoteKind:
    """``direct``, ``mixed`` or ``indirect`` (see the module docstring)."""
    inside = [q for q in quoted if cand.start <= q.start and q.end <= cand.end]
    if inside and inside[0].start == cand.start and inside[-1].end == cand.end:
        return "direct"
    return "mixed" if inside else "indirect"
