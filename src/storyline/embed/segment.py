"""Cut article text into sentences and leads, in any script, with offsets into the text.

The cuts are deliberately simple and language-agnostic: a sentence ends at ``. ! ? …`` followed by
space, at CJK/Arabic full stops (``。！？؟``), at a line break, or at a run of two spaces (scraped
titles are often glued to the body with two spaces). Very short pieces are joined to the next one,
very long ones are cut at a word boundary, so every sentence embeds as one short text.
"""

from __future__ import annotations

import re

__all__ = ["MAX_SENTENCE_CHARS", "MIN_SENTENCE_CHARS", "lead_span", "split_sentences", "title_span"]

MIN_SENTENCE_CHARS = 25
MAX_SENTENCE_CHARS = 400

_BOUNDARY = re.compile(
    r"""(?:(?<!\b\d)(?<!\b\d\d)(?<!\b[^\W\d])(?<!\b(?:Dr|Mr|St|Nr|ul|Sr|Jr|vs))(?<!\b(?:Mrs|bzw|Gen|Sen|Rep))(?<!\bProf)
         [.!?…]+["'“”’»)\]]*\s+)       # western end of sentence, then space (not after 1-2 digits,
                                      # a single letter or a common abbreviation)
      |(?:[。！？؟]+["'”’」』)]*\s*)  # CJK / Arabic full stops need no space
      |(?:\s*\n\s*)                  # line breaks
      |(?:\s{2,})                    # a run of spaces (title glued to body)
    """,
    re.VERBOSE,
)


_WIDE = re.compile(r"[\u3040-\u30ff\u3400-\u9fff\uac00-\ud7af\uf900-\ufaff]")


def _size(text: str, start: int, end: int) -> int:
    """Length in Latin-character equivalents: a CJK character carries about a word (counts 3)."""
    return end - start + 2 * len(_WIDE.findall(text, start, end))


def _raw_pieces(text: str) -> list[tuple[int, int]]:
    spans: list[tuple[int, int]] = []
    start = 0
    for m in _BOUNDARY.finditer(text):
        if m.end() > start:
            spans.append((start, m.end()))
            start = m.end()
    if start < len(text):
        spans.append((start, len(text)))
    return [_strip(text, s, e) for s, e in spans if text[s:e].strip()]


def _strip(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def _cut_long(text: str, start: int, end: int) -> list[tuple[int, int]]:
    out: list[tuple[int, int]] = []
    while end - start > MAX_SENTENCE_CHARS:
        cut = start + MAX_SENTENCE_CHARS
        space = text.rfind(" ", start + MAX_SENTENCE_CHARS // 2, cut)
        cut = space if space > start else cut
        out.append(_strip(text, start, cut))
        start = _strip(text, cut, end)[0]
    if end > start:
        out.append((start, end))
    return out


def split_sentences(text: str, *, max_sentences: int | None = None) -> list[tuple[int, int]]:
    """``(start, end)`` spans of the sentences of ``text`` (end exclusive), in order.

    >>> t = "Storm hits coast. Thousands flee. Officials said on Monday that 3 died."
    >>> [t[s:e] for s, e in split_sentences(t)]
    ['Storm hits coast. Thousands flee.', 'Officials said on Monday that 3 died.']
    """
    merged: list[tuple[int, int]] = []
    pending: tuple[int, int] | None = None
    for start, end in _raw_pieces(text):
        if pending is not None:
            start = pending[0]
        if _size(text, start, end) < MIN_SENTENCE_CHARS:
            pending = (start, end)
            continue
        pending = None
        merged.extend(_cut_long(text, start, end))
        if max_sentences is not None and len(merged) >= max_sentences:
            return merged[:max_sentences]
    if pending is not None:
        if merged and _size(text, *pending) < MIN_SENTENCE_CHARS:
            merged[-1] = (merged[-1][0], pending[1])
        else:
            merged.append(pending)
    return merged[:max_sentences] if max_sentences is not None else merged


def title_span(text: str, *, max_chars: int = 200) -> tuple[int, int]:
    """Span of the headline at the start of ``text`` when no separate title is known.

    The first piece up to a line break, a double space or a sentence end, at most ``max_chars``.
    """
    pieces = _raw_pieces(text[: max_chars * 2])
    if not pieces:
        return (0, 0)
    start, end = pieces[0]
    if end - start > max_chars:
        end = start + max_chars
        space = text.rfind(" ", start, end)
        end = space if space > start else end
    return start, end


def lead_span(text: str, *, max_chars: int = 300) -> tuple[int, int]:
    """Span of the opening of ``text``: whole sentences up to about ``max_chars`` characters."""
    end = 0
    start: int | None = None
    for s, e in split_sentences(text[: max_chars * 3]):
        if start is None:
            start = s
        if end and e - start > max_chars:
            break
        end = e
    if start is None:
        return (0, 0)
    if end - start > max_chars * 2:
        end = start + max_chars
    return start, end
