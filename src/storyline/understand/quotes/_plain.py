"""Attributions without a parser: quotation marks, cue words and name-like spans.

Used for languages without a spaCy model on PyPI (German, Spanish, Italian, Portuguese, Dutch...)
and for English/French when their model is not installed.

- **Direct**: a quoted passage whose sentence holds a cue word of the language (``sagte``, ``dijo``,
  ``ha detto``, ``disse``, ``zei``, ``said``...) after the closing mark or before the opening mark;
  the speaker is the nearest name-like span next to the cue: a run of capitalised words, optionally
  after a determiner (``der Minister``), or a personal pronoun (``sagte er``).
- **Indirect**: ``<speaker> <cue>, dass/que/che/dat/that ...`` (content = the clause to the end of
  the sentence), ``laut/según/secondo/segundo/volgens/selon/according to X, ...`` (content = the
  rest of the sentence), and a post-posed ``..., <cue> <speaker>.``
"""

from __future__ import annotations

import functools
import logging
import re
from collections.abc import Sequence

from storyline.understand.cues import ACCORDING, CUE_FORMS, PRONOUNS
from storyline.understand.quotes._marks import Quoted
from storyline.understand.quotes._parse import Candidate

LOGGER = logging.getLogger(__name__)

__all__ = ["plain_candidates"]

_COMPLEMENTISERS = r"(?:dass|daß|que|che|dat|that|qu['’])"
_DETERMINER = (
    r"(?:(?:der|die|das|el|la|los|las|il|lo|la|le|les|l['’]|o|a|os|as|de|het|the|ein|eine|un|una|uno|um|uma"
    r"|een|a|an)\s+)"
)
_CAP = r"[A-ZÀ-ÖØ-Þ](?:[a-z]{0,3}\.|[\w’'-]*)"
_PARTICLE = r"von|van|de|del|da|di|der|den|la|le"
_NAME = rf"(?<![\w])(?:{_DETERMINER}(?:[a-zà-ÿ][\w-]*\s+){{0,2}})?{_CAP}(?:\s+(?:{_CAP}|{_PARTICLE}))*"
_NAME_RE = re.compile(_NAME)
_WINDOW = 90
_COLON = re.compile(r"\s*((?:[A-Z][\w.’'-]*\s){0,3}[A-Z][\w.’'-]*):\s+(\S.*)")


@functools.cache
def _cue_re(lang: str) -> re.Pattern[str]:
    forms = CUE_FORMS.get(lang) or frozenset().union(*CUE_FORMS.values())
    alternatives = "|".join(sorted((re.escape(f) for f in forms), key=len, reverse=True))
    return re.compile(rf"(?<![\w])(?:{alternatives})(?![\w])", re.IGNORECASE)


@functools.cache
def _pronoun_re(lang: str) -> re.Pattern[str]:
    words = sorted(PRONOUNS.get(lang, PRONOUNS["en"]), key=len, reverse=True)
    return re.compile(rf"(?<![\w])(?:{'|'.join(map(re.escape, words))})(?![\w])", re.IGNORECASE)


def _sentence_of(sentences: Sequence[tuple[int, int]], pos: int) -> tuple[int, int]:
    for start, end in sentences:
        if start <= pos < end:
            return start, end
    return pos, pos


def _speaker_near(text: str, lang: str, start: int, end: int, after: bool) -> tuple[int, int] | None:
    """The name-like span or pronoun in ``text[start:end]`` nearest to its start (``after``) or end."""
    window = text[start:end]
    best: tuple[int, int] | None = None
    for regex in (_pronoun_re(lang), _NAME_RE):
        for match in regex.finditer(window):
            span = (start + match.start(), start + match.end())
            if best is None or (span[0] < best[0] if after else span[1] > best[1]):
                best = span
            if after:
                break
    return best


def _direct(text: str, lang: str, q: Quoted, sentences: Sequence[tuple[int, int]]) -> Candidate | None:
    s_start, _ = _sentence_of(sentences, q.start)
    after = _cue_re(lang).search(text, q.end, min(len(text), q.end + _WINDOW))
    if (
        after
        and "\n" not in text[q.end : after.start()]
        and not re.search(r"[.!?]\s", text[q.end : after.start()])
    ):
        right = min(len(text), after.end() + 60)
        nl = text.find("\n", after.end(), right)
        right = nl if nl >= 0 else right
        speaker = _speaker_near(text, lang, after.end(), right, after=True) or _speaker_near(
            text, lang, q.end, after.start(), after=False
        )
        return Candidate(((q.start, q.end),), (after.start(), after.end()), speaker, "plain-direct")
    lead = text[s_start : q.start]
    if not lead.strip() and text[:s_start].rstrip().endswith(":"):
        s_start = max(text.rfind("\n", 0, len(text[:s_start].rstrip())) + 1, 0)
        lead = text[s_start : q.start]
    cues = list(_cue_re(lang).finditer(lead))
    if cues and lead.rstrip().endswith((":", ",")):
        cue = cues[-1]
        cue_span = (s_start + cue.start(), s_start + cue.end())
        speaker = _speaker_near(text, lang, s_start, cue_span[0], after=False) or _speaker_near(
            text, lang, cue_span[1], q.start, after=True
        )
        return Candidate(((q.start, q.end),), cue_span, speaker, "plain-direct")
    return None


def _indirect(text: str, lang: str, start: int, end: int) -> list[Candidate]:
    sentence = text[start:end]
    stop = len(sentence.rstrip().rstrip(".!?…").rstrip())
    found: list[Candidate] = []
    for phrase in ACCORDING.get(lang, ()):
        match = re.match(rf"\s*({re.escape(phrase)})\s+({_NAME})\s*,\s*", sentence, re.IGNORECASE)
        if match and match.end() < stop:
            found.append(
                Candidate(
                    ((start + match.end(), start + stop),),
                    (start + match.start(1), start + match.end(1)),
                    (start + match.start(2), start + match.end(2)),
                    "plain-according",
                )
            )
    for cue in _cue_re(lang).finditer(sentence):
        comp = re.match(rf"\s*,?\s*({_COMPLEMENTISERS})", sentence[cue.end() :], re.IGNORECASE)
        if comp:
            content_start = cue.end() + comp.start(1)
            if content_start < stop:
                speaker = _speaker_near(text, lang, start, start + cue.start(), after=False)
                found.append(
                    Candidate(
                        ((start + content_start, start + stop),),
                        (start + cue.start(), start + cue.end()),
                        speaker,
                        "plain-that",
                    )
                )
            continue
        lead = sentence[: cue.start()].rstrip()
        if lead.endswith(",") and not re.search(r"[\"“”„«»]", lead) and cue.end() >= stop - 40:
            speaker = _speaker_near(text, lang, start + cue.end(), start + stop, after=True)
            if speaker is not None and len(lead) > 15:
                found.append(
                    Candidate(
                        ((start, start + len(lead) - 1),),
                        (start + cue.start(), start + cue.end()),
                        speaker,
                        "plain-post",
                    )
                )
    return found


def _colon(text: str, start: int, end: int) -> Candidate | None:
    """``Name: what they said`` at the start of a paragraph (headlines, transcripts)."""
    match = _COLON.match(text, start, end)
    if match is None or len(match.group(2).split()) < 3 or match.group(1).isupper():
        return None
    content_end = end
    while content_end > match.start(2) and text[content_end - 1] in " \t.":
        content_end -= 1
    cue = (match.end(1), match.end(1) + 1)
    return Candidate(((match.start(2), content_end),), cue, (match.start(1), match.end(1)), "colon")


def _paragraphs(text: str) -> list[tuple[int, int]]:
    return [(m.start(), m.end()) for m in re.finditer(r"[^\n]+", text)]


def plain_candidates(
    text: str,
    language: str | None,
    quoted: Sequence[Quoted],
    sentences: Sequence[tuple[int, int]],
    *,
    covered: Sequence[Candidate] = (),
    indirect: bool = True,
) -> list[Candidate]:
    """Attribution candidates found without a parser (see the module docstring).

    Quoted passages that overlap a ``covered`` candidate are skipped; ``indirect=False`` keeps only
    direct quotes and ``Name:`` paragraphs (the fallback after the parser's rules).
    """
    lang = language or ""
    taken = [(c.start, c.end) for c in covered]
    found: list[Candidate] = []

    def free(start: int, end: int) -> bool:
        return not any(s < end and start < e for s, e in taken)

    for q in quoted:
        if free(q.start, q.end) and len(text[q.inner_start : q.inner_end].split()) >= 2:
            cand = _direct(text, lang, q, sentences)
            if cand is not None:
                found.append(cand)
                taken.append((cand.start, cand.end))
    for start, end in _paragraphs(text):
        cand = _colon(text, start, end)
        if cand is not None and free(cand.start, cand.end):
            found.append(cand)
            taken.append((cand.start, cand.end))
    if indirect:
        for start, end in sentences:
            for cand in _indirect(text, lang, start, end):
                if free(cand.start, cand.end):
                    found.append(cand)
    return found
