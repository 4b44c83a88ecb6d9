"""What a figure counts: the noun phrase after ``of``, the noun after the number, or (English)
``the number of X ... to N`` before it. Heads: the last word in English and German, the first in French
and Spanish (``2 500 soldats américains`` -> ``soldats``).
"""

from __future__ import annotations

import logging
import re

from storyline.understand.figures import _lexicon as lx

__all__ = ["counted", "next_words", "number_of_before"]

LOGGER = logging.getLogger(__name__)

_WORD = re.compile(r"[^\W\d_][\w'’-]*", re.UNICODE)


def next_words(text: str, end: int, n: int) -> list[re.Match[str]]:
    """The next ``n`` words after ``end`` in the same clause (stops at punctuation)."""
    out: list[re.Match[str]] = []
    pos = end
    while len(out) < n:
        gap = re.match(r"[ \t\u00a0\u202f]*", text[pos:])
        start = pos + (gap.end() if gap else 0)
        m = _WORD.match(text, start)
        if m is None:
            break
        out.append(m)
        pos = m.end()
    return out


def _ends_phrase(token: str, phrase: list[str], lang: str) -> bool:
    """A verb-like word after the noun: English ``-ed``, German lowercase after a capitalised noun."""
    if not phrase:
        return False
    if lang == "en":
        return token.casefold().endswith("ed")
    return lang == "de" and token[:1].islower() and any(w[:1].isupper() for w in phrase)


def counted(text: str, end: int, lang: str, head_last: bool) -> str | None:
    """What the number counts: ``of`` + noun phrase, else the noun right after (its head)."""
    stop = lx.STOPWORDS.get(lang, lx.STOPWORDS["en"])
    words = next_words(text, end, 5)
    if words and words[0].group(0).casefold() in ("of", "der", "des", "du", "de", "del", "d'"):
        phrase: list[str] = []
        for w in words[1:]:
            token = w.group(0)
            if (token.casefold() in stop and phrase) or _ends_phrase(token, phrase, lang):
                break
            if token.casefold() not in stop:
                phrase.append(token)
        return " ".join(phrase[:4]) or None
    run: list[str] = []
    for w in words[:3]:
        token = w.group(0)
        folded = token.casefold()
        if folded in stop or folded in lx.TIME_UNITS or _ends_phrase(token, run, lang):
            break
        run.append(token)
    if not run:
        return None
    return run[-1] if head_last else run[0]


def number_of_before(text: str, start: int) -> str | None:
    """English ``the number of American troops ... to 2,500``: the noun after ``number of``."""
    sentence = re.split(r"[.!?;\n]", text[max(0, start - 200) : start])[-1]
    m = re.search(
        r"\bnumber of ((?:[\w'-]+\s+){0,2}?[\w'-]+?)(?=\s+(?:in|on|at|from|to|by|for|was|were)\b)", sentence
    )
    return m.group(1).split()[-1] if m else None
