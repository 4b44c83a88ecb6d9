"""Names in languages without an NER model: the gazetteer, titles, and capitalisation patterns.

No NER model for German, Spanish, Italian, Portuguese, Dutch, Polish, Russian... ships on PyPI,
so names there are found by rules, in this order (earlier wins where spans overlap):

1. known names: the gazetteer (curated table + entities seen so far), with its type;
2. runs of capitalised words (particles such as ``de``, ``van``, ``von`` allowed inside), less the
   leading function words, titles and honorifics (``El``, ``Bundeskanzlerin``, ``Herr``). A run is
   typed ``PER`` after a title ("presidente Pedro Sánchez", "Bundeskanzlerin Angela Merkel",
   "le ministre Jean Castex") or when it starts with a known first name; ``ORG`` when it holds an
   organisation word (Partido, Kommission, Bank...) or is an acronym; ``LOC`` when it holds a place
   word or follows a locative preposition ("en", "w", "в"); otherwise ``PER`` for two words or more
   and ``LOC`` for one. A single word at a sentence start is not taken (it is capitalised anyway).
   German capitalises every noun, so there a run counts only with a title, a first name, an
   organisation word or as an acronym.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Sequence

from storyline.understand.entities._gazetteer import Gazetteer, NameSpan, Token, tokenise
from storyline.understand.entities._names import Lexicon, is_acronym, lang_of, lexicon

LOGGER = logging.getLogger(__name__)

__all__ = ["find_rule_names"]

_CONNECTORS = frozenset(
    [
        "de",
        "del",
        "della",
        "di",
        "da",
        "do",
        "dos",
        "das",
        "van",
        "von",
        "der",
        "den",
        "du",
        "la",
        "le",
        "y",
        "al",
        "bin",
        "ibn",
        "zu",
        "ter",
    ]
)
_JOIN = re.compile(r"[ \t\u00a0]+|['’]|-")
_NOUNS_CAPITALISED = frozenset({"de", "lb"})
_MAX_RUN = 6


def _cap(token: Token) -> bool:
    return token.text[:1].isupper()


def _initial(text: str, token: Token, sentence_starts: Sequence[int]) -> bool:
    """Whether only punctuation stands between the token and the start of its sentence."""
    start = max((s for s in sentence_starts if s <= token.start), default=0)
    return not any(c.isalnum() for c in text[start : token.start])


def _title_before(tokens: Sequence[Token], i: int, lex: Lexicon) -> bool:
    for n in range(1, lex.max_title_words + 1):
        if i - n < 0:
            break
        phrase = " ".join(t.folded for t in tokens[i - n : i])
        if phrase in lex.titles or phrase in lex.honorifics:
            return True
    return False


def _is_title(token: Token, lex: Lexicon) -> bool:
    word = token.folded
    return word in lex.titles or word in lex.honorifics or word.rsplit(" ", 1)[-1] in lex.titles


def _run_end(text: str, tokens: Sequence[Token], i: int, taken: Sequence[bool]) -> int:
    j = i + 1
    while j < len(tokens) and j - i < _MAX_RUN and not taken[j]:
        if not _JOIN.fullmatch(text, tokens[j - 1].end, tokens[j].start):
            break
        if _cap(tokens[j]):
            j += 1
        elif (
            tokens[j].folded in _CONNECTORS
            and j + 1 < len(tokens)
            and _cap(tokens[j + 1])
            and not taken[j + 1]
            and _JOIN.fullmatch(text, tokens[j].end, tokens[j + 1].start)
        ):
            j += 2
        else:
            break
    return j


def _type_of(run: Sequence[Token], titled: bool, after_prep: bool, lex: Lexicon, lang: str) -> str | None:
    words = [t.folded for t in run]
    if titled:
        return "PER"
    if any(w in lex.org_words for w in words) or (len(run) == 1 and is_acronym(run[0].text)):
        return "ORG"
    if run[0].folded in lex.first_names and len(run) >= 2:
        return "PER"
    if any(w in lex.loc_words for w in words):
        return "LOC"
    if lang in _NOUNS_CAPITALISED:
        return None
    if after_prep:
        return "LOC"
    return "PER" if len(run) >= 2 else None


def find_rule_names(
    text: str, language: str | None, gazetteer: Gazetteer, sentence_starts: Sequence[int]
) -> list[NameSpan]:
    """Names in ``text`` found by the gazetteer and the rules of the module docstring, in order."""
    lang = lang_of(language)
    lex = lexicon(language)
    tokens = tokenise(text)
    taken = [False] * len(tokens)
    found = gazetteer.find(text, language, tokens)
    index = {t.start: k for k, t in enumerate(tokens)}
    for hit in found:
        k = index.get(hit.start, -1)
        while 0 <= k < len(tokens) and tokens[k].start < hit.end:
            taken[k] = True
            k += 1
    i = 0
    while i < len(tokens):
        if taken[i] or not _cap(tokens[i]):
            i += 1
            continue
        begin, end = i, _run_end(text, tokens, i, taken)
        first, titled = i, _title_before(tokens, i, lex)
        initial = _initial(text, tokens[i], sentence_starts)
        while first < end and (tokens[first].folded in lex.function_words or _is_title(tokens[first], lex)):
            titled = titled or _is_title(tokens[first], lex)
            first += 1
        run = tokens[first:end]
        i = end
        if not run or (len(run) == 1 and initial and run[0] is tokens[begin] and not titled):
            continue
        after_prep = first > 0 and tokens[first - 1].folded in lex.loc_preps
        kind = _type_of(run, titled, after_prep, lex, lang)
        if kind is not None:
            start, stop = run[0].start, run[-1].end
            found.append(NameSpan(start, stop, kind, text[start:stop]))
    return sorted(found, key=lambda s: s.start)
