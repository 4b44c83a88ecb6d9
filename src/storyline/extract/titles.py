"""Titles: recognise a headline line, or make one from the lead's first sentence."""

from __future__ import annotations

import logging
import re

from storyline.extract.lexicon import word_set

LOGGER = logging.getLogger(__name__)

TITLE_CHARS = 140
_HEADLINE_MAX_CHARS = 200
_HEADLINE_MAX_WORDS = 30
_SENTENCE_END = re.compile(r"[.!?…]+[\"'”’»)\]]*(?=\s)")
_ABBREVIATIONS = word_set(
    "mr mrs ms dr prof gen col lt sgt capt cmdr adm gov sen rep st jr sr inc corp ltd co no nos vs "
    "etc approx dept est fig jan feb mar apr jun jul aug sep sept oct nov dec mt ft pres rev hon"
)
_INITIALS = re.compile(r"(?:[A-Za-z]\.)*[A-Za-z]")
_SPACE = re.compile(r"\s+")


def looks_like_headline(line: str) -> bool:
    """A short line without a final full stop that is not a byline: a headline above the body."""
    line = line.strip()
    if not line or len(line) > _HEADLINE_MAX_CHARS or len(line.split()) > _HEADLINE_MAX_WORDS:
        return False
    if line[-1] in ".,;:" or line.endswith(('."', ".”", ".'", ".’", ".»")):
        return False
    return not line.startswith(("By ", "BY ", "(", "©"))


def same_words(line: str, title: str) -> bool:
    """Whether ``line`` and ``title`` read the same, ignoring case and spacing."""
    return (
        bool(title) and _SPACE.sub(" ", line).strip().casefold() == _SPACE.sub(" ", title).strip().casefold()
    )


def lead_title(text: str, start: int = 0) -> str:
    """The first sentence of the paragraph at ``start``, cut at a word boundary to about 140 characters."""
    end = text.find("\n", start)
    paragraph = text[start : end if end != -1 else len(text)].strip()
    return shorten(first_sentence(paragraph))


def first_sentence(paragraph: str) -> str:
    """``paragraph`` up to the end of its first sentence (not fooled by ``U.S.``, ``Feb.``, ``Mr.``)."""
    for m in _SENTENCE_END.finditer(paragraph):
        if m.group().startswith(".") and _is_abbreviation(paragraph, m.start()):
            continue
        following = paragraph[m.end() :].lstrip()
        if following and not (following[0].isupper() or following[0].isdigit() or following[0] in "\"'“‘«("):
            continue
        return paragraph[: m.end()]
    return paragraph


def shorten(sentence: str, limit: int = TITLE_CHARS) -> str:
    """One line, at most about ``limit`` characters, cut at a word boundary with an ellipsis."""
    sentence = " ".join(sentence.split())
    if len(sentence) <= limit:
        return sentence[:-1] if sentence.endswith(".") and not sentence.endswith("..") else sentence
    cut = sentence.rfind(" ", 0, limit)
    if cut < limit // 2:
        cut = limit
    return sentence[:cut].rstrip(" ,;:–—-") + "…"


def _is_abbreviation(paragraph: str, dot: int) -> bool:
    word = paragraph[:dot].rsplit(None, 1)[-1].lstrip('("“‘') if paragraph[:dot].strip() else ""
    return bool(_INITIALS.fullmatch(word)) or word.lower() in _ABBREVIATIONS
