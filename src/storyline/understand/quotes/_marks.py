"""Quotation marks: find the quoted passages of a text, in every common quoting style.

``find_quoted(text)`` returns the top-level quoted passages (nested quotes stay inside their outer
quote) as ``Quoted`` values with the offsets of the marks and of the words between them.

Styles: English “…” and ‘…’, German „…“ ‚…‘ and »…«, French « … », Swiss ‹…›, Swedish ”…”,
CJK 「…」 and 『…』, straight "…", '…' and doubled ''…''. Marks are grouped in families (double,
single, guillemet, angle, CJK) so that a text mixing “ with " still pairs. An ambiguous mark is read
from its neighbours as CommonMark reads emphasis: it may open when a non-space follows it and a
space, an opening bracket or the start precedes it; it may close when a non-space precedes it. An
apostrophe inside a word (``don't``, ``6’2``) is never a quotation mark.

Paragraphs: a quote still open at a line break continues only when the next paragraph opens with a
mark of the same family (the convention for quotes running over several paragraphs). Otherwise the
open quote is unterminated: it is kept, up to the end of its paragraph, when it opened the paragraph
(``closed=False``), and dropped otherwise. So an odd number of marks never swallows the rest of the
text, and nothing here raises on any input.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass

LOGGER = logging.getLogger(__name__)

__all__ = ["QUOTE_CHARS", "Quoted", "dash_quoted", "find_quoted"]

# char -> family
_FAMILY = {
    "“": "d", "”": "d", "„": "d", '"': "d", "‟": "d",
    "‘": "s", "’": "s", "‚": "s", "'": "s", "‛": "s",
    "«": "g", "»": "g", "‹": "a", "›": "a",
    "「": "c", "」": "c", "『": "k", "』": "k", "＂": "d",
}  # fmt: skip
QUOTE_CHARS = frozenset(_FAMILY) | {"''"}
_MARK = re.compile(r"''|[\"'“”„‟‘’‚‛«»‹›「」『』＂]|\n")
_OPENING_CONTEXT = set("([{<—–-/:;,\u00a0") | set(_FAMILY)


@dataclass(frozen=True, slots=True)
class Quoted:
    """A quoted passage: ``start``/``end`` include the marks, ``parts`` are the words between them.

    ``parts`` holds one ``(start, end)`` per paragraph for a quote running over several paragraphs.
    """

    start: int
    end: int
    parts: tuple[tuple[int, int], ...]
    closed: bool = True

    @property
    def inner_start(self) -> int:
        """Offset of the first quoted character (after the opening mark)."""
        return self.parts[0][0]

    @property
    def inner_end(self) -> int:
        """Offset just after the last quoted character (before the closing mark)."""
        return self.parts[-1][1]


@dataclass(slots=True)
class _Open:
    char: str
    family: str
    start: int  # offset of the mark
    inner: int  # offset after the mark
    parts: list[tuple[int, int]]


def _is_space(ch: str) -> bool:
    return ch == "" or ch.isspace()


def _is_word(ch: str) -> bool:
    return ch != "" and (ch.isalnum() or ch == "_")


def _can_open(prev: str, nxt: str) -> bool:
    return not _is_space(nxt) and (_is_space(prev) or prev in _OPENING_CONTEXT)


def _can_close(prev: str, nxt: str) -> bool:
    return not _is_space(prev) and not _is_word(nxt)


def _role(mark: str, prev: str, nxt: str, stack: list[_Open]) -> str:
    """'open', 'close' or '' (not a quotation mark here) for one mark in its context."""
    family = "d" if mark == "''" else _FAMILY[mark]
    top = next((o for o in reversed(stack) if o.family == family), None)
    if mark in "'’" and ((_is_word(prev) and _is_word(nxt)) or nxt.isdigit()):
        return ""  # an apostrophe inside a word, or an elision ('90s)
    if mark in "„‚「『":
        return "open" if not _is_space(nxt) else ""
    if mark in "」』":
        return "close" if top else ""
    if mark in "“‘":
        if top is not None and (top.char in "„‚" or (_can_close(prev, nxt) and not _can_open(prev, nxt))):
            return "close"
        return "open" if not _is_space(nxt) else ""
    if mark in "«‹":
        if top is not None and top.char in "»›":
            return "close"
        return "open" if not _is_space(nxt) or _is_space(prev) else ""
    if mark in "»›":
        if top is not None:
            return "close"
        return "open" if _can_open(prev, nxt) else ""
    if mark in "”’":
        if top is not None and (mark == "”" or _can_close(prev, nxt)):
            return "close"
        return "open" if mark == "”" and _can_open(prev, nxt) else ""
    # straight marks: ", '', ' and the rare ‟ ‛ ＂
    if top is not None and _can_close(prev, nxt):
        return "close"
    return "open" if _can_open(prev, nxt) else ""


def _next_paragraph_opens(text: str, pos: int, family: str) -> int | None:
    """Offset of the mark opening the paragraph after ``pos`` when it is of ``family``."""
    i = pos
    while i < len(text) and text[i].isspace():
        i += 1
    if text.startswith("''", i):
        return i if family == "d" else None
    if i < len(text) and _FAMILY.get(text[i]) == family and text[i] not in "”»›」』":
        return i
    return None


def _clean(text: str, parts: list[tuple[int, int]]) -> tuple[tuple[int, int], ...]:
    """The parts with surrounding spaces trimmed, empty ones dropped."""
    kept = []
    for start, end in parts:
        while start < end and text[start].isspace():
            start += 1
        end = _trim_end(text, end, start)
        if end > start:
            kept.append((start, end))
    return tuple(kept)


def _trim_end(text: str, end: int, floor: int) -> int:
    while end > floor and text[end - 1].isspace():
        end -= 1
    return end


def find_quoted(text: str) -> list[Quoted]:
    """The top-level quoted passages of ``text``, in text order (see the module docstring)."""
    found: list[Quoted] = []
    stack: list[_Open] = []
    skip_until = -1
    for match in _MARK.finditer(text):
        pos, mark = match.start(), match.group()
        if pos < skip_until:
            continue
        if mark == "\n":
            if stack:
                skip_until = _paragraph_break(text, pos, stack, found)
            continue
        prev = text[pos - 1] if pos > 0 else ""
        nxt = text[match.end()] if match.end() < len(text) else ""
        role = _role(mark, prev, nxt, stack)
        if role == "open":
            family = "d" if mark == "''" else _FAMILY[mark]
            if stack and stack[-1].family == family:
                stack.pop()  # the same family cannot nest: the earlier mark was stray
            stack.append(_Open(mark, family, pos, match.end(), []))
        elif role == "close":
            family = "d" if mark == "''" else _FAMILY[mark]
            while stack and stack[-1].family != family:
                stack.pop()
            opened = stack.pop()
            if not stack:
                parts = [*opened.parts, (opened.inner, pos)]
                found.append(Quoted(opened.start, match.end(), _clean(text, parts)))
    if stack:
        _unterminated(text, len(text), stack[0], found)
    return [q for q in found if q.parts]


def _paragraph_break(text: str, pos: int, stack: list[_Open], found: list[Quoted]) -> int:
    """Handle a line break inside an open quote; returns the offset scanning resumes from."""
    outer = stack[0]
    del stack[1:]
    reopen = _next_paragraph_opens(text, pos, outer.family)
    if reopen is not None:
        end = _trim_end(text, pos, outer.inner)
        if end > outer.inner:
            outer.parts.append((outer.inner, end))
        width = 2 if text.startswith("''", reopen) else 1
        outer.inner = reopen + width
        return reopen + width
    _unterminated(text, pos, outer, found)
    stack.clear()
    return pos


def _unterminated(text: str, pos: int, outer: _Open, found: list[Quoted]) -> None:
    """Keep an unclosed quote up to ``pos`` when it opened its paragraph (or continued one)."""
    line_start = text.rfind("\n", 0, outer.start) + 1
    if outer.parts or not text[line_start : outer.start].strip():
        end = _trim_end(text, pos, outer.inner)
        parts = [*outer.parts, (outer.inner, end)]
        found.append(Quoted(outer.start, end, _clean(text, parts), closed=False))
    else:
        LOGGER.debug("quotes: dropped an unmatched %r at %d", outer.char, outer.start)


_DASH_LINE = re.compile(r"^[ \t]*([—–―])[ \t\u00a0]*(?=\S)", re.MULTILINE)
_DASH_CLOSE = re.compile(r"[ \t\u00a0][—–―]|$", re.MULTILINE)


def dash_quoted(text: str, quoted: list[Quoted] | None = None) -> list[Quoted]:
    """Dialogue and interview dashes: a line opening with an em or en dash is speech.

    The speech runs to the next dash after a space (``— Text —dijo X—.``, ``— Text —, dijo X.``)
    or to the end of the line; lines already inside a quoted passage are left alone. A hyphen
    (``-``) opens list items, not speech, so it is not read as a dash here.
    """
    taken = quoted or []
    found: list[Quoted] = []
    for match in _DASH_LINE.finditer(text):
        inner = match.end()
        if any(q.start <= match.start(1) < q.end for q in taken):
            continue
        close = _DASH_CLOSE.search(text, inner)
        end = close.start() if close else len(text)
        closed = close is not None and close.group() != ""
        parts = _clean(text, [(inner, end)])
        if parts:
            found.append(
                Quoted(match.start(1), close.end() if closed and close else parts[-1][1], parts, closed)
            )
    return found
