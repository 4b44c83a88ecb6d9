"""Numbers written in digits or in words (en, de, fr, es, it, nl, pt), for dates and figures.

``number_pattern(lang)`` is a regex source matching one number (digits with the language's separators,
or a phrase of number words); ``parse_number(text, lang)`` turns such a match into a float, or ``None``.

>>> parse_number("twenty-four", "en"), parse_number("zweihundertfünfzig", "de")
(24.0, 250.0)
>>> parse_number("9,600", "en"), parse_number("1.000", "de"), parse_number("1,5", "de")
(9600.0, 1000.0, 1.5)
"""

from __future__ import annotations

import functools
import logging
import re
from collections.abc import Iterable
from typing import Any

__all__ = [
    "digits_pattern",
    "number_pattern",
    "number_words_pattern",
    "parse_digits",
    "parse_number",
    "word_alternation",
]

LOGGER = logging.getLogger(__name__)

_EN = {
    "zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
    "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15,
    "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19, "twenty": 20, "thirty": 30,
    "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90, "dozen": 12,
}  # fmt: skip
_DE = {
    "null": 0, "ein": 1, "eins": 1, "eine": 1, "einen": 1, "einem": 1, "einer": 1, "zwei": 2, "zwo": 2,
    "drei": 3, "vier": 4, "fünf": 5, "sechs": 6, "sieben": 7, "acht": 8, "neun": 9, "zehn": 10, "elf": 11,
    "zwölf": 12, "dreizehn": 13, "vierzehn": 14, "fünfzehn": 15, "sechzehn": 16, "siebzehn": 17,
    "achtzehn": 18, "neunzehn": 19, "zwanzig": 20, "dreißig": 30, "vierzig": 40, "fünfzig": 50,
    "sechzig": 60, "siebzig": 70, "achtzig": 80, "neunzig": 90, "dutzend": 12,
}  # fmt: skip
_FR = {
    "zéro": 0, "un": 1, "une": 1, "deux": 2, "trois": 3, "quatre": 4, "cinq": 5, "six": 6, "sept": 7,
    "huit": 8, "neuf": 9, "dix": 10, "onze": 11, "douze": 12, "treize": 13, "quatorze": 14, "quinze": 15,
    "seize": 16, "vingt": 20, "vingts": 20, "trente": 30, "quarante": 40, "cinquante": 50, "soixante": 60,
    "septante": 70, "huitante": 80, "nonante": 90, "douzaine": 12,
}  # fmt: skip
_ES = {
    "cero": 0, "un": 1, "uno": 1, "una": 1, "dos": 2, "tres": 3, "cuatro": 4, "cinco": 5, "seis": 6,
    "siete": 7, "ocho": 8, "nueve": 9, "diez": 10, "once": 11, "doce": 12, "trece": 13, "catorce": 14,
    "quince": 15, "dieciséis": 16, "diecisiete": 17, "dieciocho": 18, "diecinueve": 19, "veinte": 20,
    "veintiuno": 21, "veintiún": 21, "veintiuna": 21, "veintidós": 22, "veintitrés": 23,
    "veinticuatro": 24, "veinticinco": 25, "veintiséis": 26, "veintisiete": 27, "veintiocho": 28,
    "veintinueve": 29, "treinta": 30, "cuarenta": 40, "cincuenta": 50, "sesenta": 60, "setenta": 70,
    "ochenta": 80, "noventa": 90, "cien": 100, "ciento": 100, "doscientos": 200, "doscientas": 200,
    "trescientos": 300, "cuatrocientos": 400, "quinientos": 500, "seiscientos": 600,
    "setecientos": 700, "ochocientos": 800, "novecientos": 900, "docena": 12,
}  # fmt: skip
_IT = {
    "zero": 0, "un": 1, "uno": 1, "una": 1, "due": 2, "tre": 3, "quattro": 4, "cinque": 5, "sei": 6,
    "sette": 7, "otto": 8, "nove": 9, "dieci": 10, "undici": 11, "dodici": 12, "tredici": 13,
    "quattordici": 14, "quindici": 15, "sedici": 16, "diciassette": 17, "diciotto": 18, "diciannove": 19,
    "venti": 20, "trenta": 30, "quaranta": 40, "cinquanta": 50, "sessanta": 60, "settanta": 70,
    "ottanta": 80, "novanta": 90, "cento": 100, "dozzina": 12,
}  # fmt: skip
_NL = {
    "nul": 0, "een": 1, "één": 1, "twee": 2, "drie": 3, "vier": 4, "vijf": 5, "zes": 6, "zeven": 7,
    "acht": 8, "negen": 9, "tien": 10, "elf": 11, "twaalf": 12, "dertien": 13, "veertien": 14,
    "vijftien": 15, "zestien": 16, "zeventien": 17, "achttien": 18, "negentien": 19, "twintig": 20,
    "dertig": 30, "veertig": 40, "vijftig": 50, "zestig": 60, "zeventig": 70, "tachtig": 80,
    "negentig": 90, "dozijn": 12,
}  # fmt: skip
_PT = {
    "zero": 0, "um": 1, "uma": 1, "dois": 2, "duas": 2, "três": 3, "quatro": 4, "cinco": 5, "seis": 6,
    "sete": 7, "oito": 8, "nove": 9, "dez": 10, "onze": 11, "doze": 12, "treze": 13, "catorze": 14,
    "quatorze": 14, "quinze": 15, "dezesseis": 16, "dezasseis": 16, "dezessete": 17, "dezassete": 17,
    "dezoito": 18, "dezenove": 19, "dezanove": 19, "vinte": 20, "trinta": 30, "quarenta": 40,
    "cinquenta": 50, "sessenta": 60, "setenta": 70, "oitenta": 80, "noventa": 90, "cem": 100,
    "cento": 100, "dúzia": 12,
}  # fmt: skip
_UNITS = {"en": _EN, "de": _DE, "fr": _FR, "es": _ES, "it": _IT, "nl": _NL, "pt": _PT}
_HUNDRED = {
    "en": ("hundred",), "de": ("hundert",), "fr": ("cent", "cents"), "es": (), "it": (), "nl": ("honderd",),
    "pt": (),
}  # fmt: skip
_THOUSAND = {
    "en": ("thousand",), "de": ("tausend",), "fr": ("mille",), "es": ("mil",), "it": ("mille", "mila"),
    "nl": ("duizend",), "pt": ("mil",),
}  # fmt: skip
_JOINERS = {
    "en": ("and",),
    "de": ("und",),
    "fr": ("et",),
    "es": ("y",),
    "it": ("e",),
    "nl": ("en",),
    "pt": ("e",),
}
_SMALL_WORDS = frozenset(
    {"a", "an", "un", "une", "una", "ein", "eine", "einen", "einem", "einer", "uno", "um", "uma", "een"}
)


def word_alternation(words: Iterable[object]) -> str:
    """A regex matching any of ``words`` (case-folded), written as a trie so that a failing match
    stops at the first wrong character instead of trying every word; longer words are tried first.

    >>> word_alternation(["about", "above", "a", "an"])
    'a(?:bo(?:ut|ve)|n)?'
    """
    trie: dict[str, Any] = {}
    for word in {str(w).casefold() for w in words}:
        node = trie
        for ch in word:
            node = node.setdefault(ch, {})
        node[""] = {}
    return _trie_source(trie)


def _trie_source(node: dict[str, Any]) -> str:
    branches = [re.escape(ch) + _trie_source(child) for ch, child in sorted(node.items()) if ch]
    if not branches:
        return ""
    body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
    if "" in node:
        return ("(?:" + body + ")" if len(branches) == 1 and len(body) > 1 else body) + "?"
    return body


@functools.cache
def _morphemes(lang: str) -> tuple[str, ...]:
    words = set(_UNITS[lang]) | set(_HUNDRED[lang]) | set(_THOUSAND[lang])
    if lang == "de":
        words |= {"und"}
    return tuple(sorted(words, key=lambda w: (-len(w), w)))


@functools.cache
def number_pattern(lang: str) -> str:
    """Regex source for one number in ``lang``: digits, or number words (``twenty-four``, ``zwei``)."""
    lang = lang if lang in _UNITS else "en"
    return rf"(?:{digits_pattern(lang)}|{number_words_pattern(lang)})"


@functools.cache
def number_words_pattern(lang: str) -> str:
    """Regex source for a number in words (``twenty-four``, ``zweihundert``, ``vingt et un``)."""
    lang = lang if lang in _UNITS else "en"
    morph = word_alternation(_morphemes(lang))
    joiner = word_alternation(_JOINERS[lang])
    if lang == "de":
        words = rf"(?:{morph})+"
    else:
        words = rf"(?:{morph})(?:(?:[\s-]+(?:{joiner})[\s-]+|[\s-])(?:{morph}))*"
    return rf"\b{words}\b"


def digits_pattern(lang: str | None) -> str:
    """Regex source for a number in digits, with ``lang``'s separators (French also groups by spaces)."""
    thousands = r"[,.\u00a0\u202f ]" if lang == "fr" else r"[,.]"
    return rf"(?<![\d.,])(?:\d{{1,3}}(?:{thousands}\d{{3}})+(?:[.,]\d+)?|\d+(?:[.,]\d+)?)(?![.,]?\d)"


def parse_digits(text: str, lang: str | None) -> float | None:
    """``9,600`` (en) / ``1.000`` (de, es) / ``9 600`` (fr) / ``1,5`` (de, fr, es) -> float."""
    s = re.sub(r"[\u00a0\u202f ]", "", text.strip())
    decimal, thousands = (".", ",") if lang not in ("de", "fr", "es", "it", "nl", "pt") else (",", ".")
    if "." in s and "," in s:
        last = max(s.rfind("."), s.rfind(","))
        whole, frac = s[:last], s[last + 1 :]
        s = re.sub(r"[.,]", "", whole) + "." + frac
    elif s.count(".") + s.count(",") > 1:
        s = re.sub(r"[.,]", "", s)
    elif thousands in s and len(s) - s.index(thousands) - 1 == 3:
        s = s.replace(thousands, "")
    else:
        s = s.replace(decimal, ".").replace(thousands, ".")
    try:
        return float(s)
    except ValueError:
        return None


def _split_german(word: str) -> list[str] | None:
    parts: list[str] = []
    rest = word
    morphs = _morphemes("de")
    while rest:
        for m in morphs:
            if rest.startswith(m):
                parts.append(m)
                rest = rest[len(m) :]
                break
        else:
            return None
    return parts


def _words(text: str, lang: str) -> list[str] | None:
    raw = [w for w in re.split(r"[\s-]+", text.casefold()) if w]
    if lang != "de":
        return raw
    out: list[str] = []
    for w in raw:
        parts = _split_german(w)
        if parts is None:
            return None
        out.extend(parts)
    return out


def parse_number(text: str, lang: str | None) -> float | None:
    """The value of a number written in digits or words; ``None`` when it is not one."""
    lang = lang if lang in _UNITS else "en"
    stripped = text.strip()
    if stripped and stripped[0].isdigit():
        return parse_digits(stripped, lang)
    words = _words(stripped, lang)
    if not words:
        return None
    units, joiners = _UNITS[lang], _JOINERS[lang]
    total = current = 0.0
    seen = False
    for w in words:
        if w in joiners:
            continue
        if w in units:
            value = units[w]
            if lang == "fr" and w in ("vingt", "vingts") and current == 4:
                current = 80  # quatre-vingt(s)
            elif lang == "fr" and current in (60, 80) and 10 <= value < 20:
                current += value  # soixante-dix, quatre-vingt-douze
            else:
                current += value
            seen = True
        elif w in _HUNDRED[lang]:
            current = (current or 1) * 100
            seen = True
        elif w in _THOUSAND[lang]:
            total += (current or 1) * 1000
            current = 0
            seen = True
        elif w in _SMALL_WORDS and not seen:
            current = 1
            seen = True
        else:
            return None
    return total + current if seen else None
