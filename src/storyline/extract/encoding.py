"""Bytes -> clean text: pick the charset, decode, repair mojibake, normalise.

Order of evidence: a byte-order mark, the declared charset (container hint, else ``<meta charset>``),
strict UTF-8, then a guess. The guess prefers the Latin code pages (cp1252, cp1250, cp1254, scored by
which one yields the expected letters) because ``charset_normalizer`` mislabels short Western text
as cp1250 or UTF-16; ``charset_normalizer`` decides only for text written mostly in non-Latin bytes.
Mojibake (``Ã©``, ``â€œ``) is repaired with ftfy, run only when the text shows its marks, because
ftfy costs about 0.5 ms per KB. Typographic quotes and full-width characters are left alone.
"""

from __future__ import annotations

import codecs
import logging
import re
import unicodedata
from collections import Counter

import charset_normalizer
import ftfy

from storyline.errors import Rejected
from storyline.extract.lexicon import word_set

LOGGER = logging.getLogger(__name__)

_BOMS = (
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
_META_CHARSET = re.compile(rb"""<meta[^>]{0,200}?charset\s*=\s*["']?\s*([A-Za-z0-9._:\-]{1,40})""", re.I)
_XML_ENCODING = re.compile(rb"""^\s*<\?xml[^>]{0,100}?encoding\s*=\s*["']([A-Za-z0-9._\-]{1,40})""", re.I)
_SNIFF_BYTES = 8192
# WHATWG: these labels mean windows-1252 / windows-1254 / GB18030 on the web.
_LABEL_ALIASES = {
    **dict.fromkeys(
        ("iso-8859-1", "iso8859-1", "iso_8859-1", "latin1", "latin-1", "l1", "us-ascii", "ascii", "cp819"),
        "cp1252",
    ),
    **dict.fromkeys(("iso-8859-9", "iso8859-9", "latin5", "l5"), "cp1254"),
    **dict.fromkeys(("gb2312", "gbk", "x-gbk"), "gb18030"),
    **dict.fromkeys(("utf-16", "utf-16le", "utf-16be", "utf-32"), "utf-8"),  # a readable <meta> is not UTF-16
}
_WESTERN_CODECS = frozenset(
    {"cp1252", "iso8859-1", "iso8859-15", "cp1250", "cp1254", "iso8859-2", "iso8859-9"}
)
_LATIN_FAMILY = word_set(
    "cp1250 cp1252 cp1254 cp1257 latin_1 iso8859_2 iso8859_3 iso8859_4 iso8859_9 iso8859_10 "
    "iso8859_13 iso8859_14 iso8859_15 iso8859_16 cp437 cp850 cp852 cp858 cp775 mac_roman mac_latin2 "
    "mac_iceland mac_turkish utf_16 utf_16_be utf_16_le utf_32 utf_32_be utf_32_le"
)
_HIGH_RUN = re.compile(rb"[\x80-\xff]{3,}")
_ASCII_BYTES = bytes(range(128))

_WESTERN = "àâäçéèêëîïôöùûüÿñáíóúãõœæßåøìò"
_CENTRAL = "ąćęłńóśźżčďěňřšťůžýáíéúőűăâîşţäöüß"
_TURKISH = _WESTERN + "ğış"
_CANDIDATES = (  # tried in order; ties go to the earlier one
    ("cp1252", frozenset(_WESTERN + _WESTERN.upper())),
    ("cp1250", frozenset(_CENTRAL + _CENTRAL.upper())),
    ("cp1254", frozenset(_TURKISH + _TURKISH.upper() + "İ")),
)
_PUNCTUATION = frozenset("“”‘’„‚«»‹›–—…•·°€£¥§©®™\u00a0¿¡")
_NON_ASCII = re.compile(r"[^\x00-\x7f]")

_MAX_JUNK_SHARE = 0.05
_MOJIBAKE = re.compile(
    "[\u00c2-\u00f4][\u0080-\u00bf\u0152\u0153\u0160\u0161\u0178\u017d\u017e\u0192\u02c6\u02dc"
    "\u2013\u2014\u2018-\u201e\u2020-\u2022\u2026\u2030\u2039\u203a\u20ac\u2122]|Ã |[\u0080-\u009f]"
)
_FTFY = ftfy.TextFixerConfig(
    unescape_html=False, uncurl_quotes=False, fix_character_width=False, normalization="NFC", explain=False
)
_BREAK_OR_CONTROL_BYTES = bytes([*range(9), *range(11, 32), 127])
_ODD_BREAKS = ("\u2028", "\u2029", "\x85")
_JUNK_BYTES = bytes([*range(9), *range(14, 32), 127])
_BREAKS = re.compile(r"\r\n?|[\u2028\u2029\x85\x0b\x0c]")
_CONTROLS = re.compile(r"[\x00-\x08\x0e-\x1f\x7f\ufeff]")


def _latin1_fallback(error: UnicodeError) -> tuple[str, int]:
    if not isinstance(error, UnicodeDecodeError):
        raise error
    return error.object[error.start : error.end].decode("latin-1"), error.end


codecs.register_error("storyline-latin1", _latin1_fallback)


def decode_body(body: bytes, declared: str | None) -> str:
    """Decode ``body`` and repair it: charset by BOM / ``declared`` / meta / UTF-8 / guess, then ftfy.

    Raises ``Rejected(stage="extract", reason="bad_encoding")`` when the bytes are not text.

    >>> decode_body("caf\\u00e9 \\u201cok\\u201d".encode("cp1252"), None)
    'café “ok”'
    """
    return repair_text(decode_bytes(body, declared))


def decode_bytes(body: bytes, declared: str | None) -> str:
    """Decode ``body`` to ``str`` without repairing it (for HTML, repaired after extraction)."""
    if not body:
        return ""
    for bom, bom_codec in _BOMS:
        if body.startswith(bom):
            return _checked(body[len(bom) :].decode(bom_codec, errors="replace"))
    for label in (declared, _sniff_charset(body)):
        codec = _codec(label)
        if codec is None:
            continue
        if codec in _WESTERN_CODECS and not body.isascii():
            as_utf8 = _utf8_or_none(body)
            if as_utf8 is not None:
                return _checked(as_utf8)  # a server misdeclaring UTF-8 as Latin-1, the usual case
        try:
            return _checked(body.decode(codec))
        except UnicodeDecodeError:
            LOGGER.debug("declared charset %s does not decode the body; trying others", codec)
    if body.count(0) > len(body) // 8:
        return _checked(_guess_utf16(body))  # UTF-16 without a BOM is valid UTF-8 full of NULs
    utf8 = _utf8_or_none(body)
    return _checked(utf8 if utf8 is not None else _guess(body))


def repair_text(text: str) -> str:
    """Repair mojibake (only when its marks show), drop control characters, ``\\n`` line breaks, NFC.

    The checks run on the UTF-8 bytes first (C-speed ``in`` and ``translate``), so clean text pays
    for no regex scan.
    """
    raw = text.encode("utf-8", "surrogatepass")
    if (b"\xc2" in raw or b"\xc3" in raw) and _MOJIBAKE.search(text):
        text = _fix_mojibake(text)
    if len(raw.translate(None, _BREAK_OR_CONTROL_BYTES)) != len(raw) or any(c in text for c in _ODD_BREAKS):
        text = _CONTROLS.sub("", _BREAKS.sub("\n", text))
    if "\ufeff" in text:
        text = text.replace("\ufeff", "")
    if not text.isascii() and not unicodedata.is_normalized("NFC", text):
        text = unicodedata.normalize("NFC", text)
    return text


def _fix_mojibake(text: str) -> str:
    """ftfy on the lines that show mojibake marks (ftfy works line by line anyway; this is faster)."""
    lines = text.split("\n")
    for i, line in enumerate(lines):
        if _MOJIBAKE.search(line):
            lines[i] = ftfy.fix_text(line, _FTFY)
    return "\n".join(lines)


def _sniff_charset(body: bytes) -> str | None:
    head = body[:_SNIFF_BYTES]
    m = _XML_ENCODING.match(head) or _META_CHARSET.search(head)
    return m.group(1).decode("ascii") if m is not None else None


def _codec(label: str | None) -> str | None:
    if not label:
        return None
    label = label.strip().strip("\"'").lower()
    label = _LABEL_ALIASES.get(label, label)
    try:
        return codecs.lookup(label).name
    except LookupError:
        LOGGER.debug("unknown charset label %r ignored", label)
        return None


def _utf8_or_none(body: bytes) -> str | None:
    try:
        return body.decode("utf-8")
    except UnicodeDecodeError:
        return None


def _guess(body: bytes) -> str:
    n_high = len(body.translate(None, _ASCII_BYTES))
    n_in_runs = sum(len(run) for run in _HIGH_RUN.findall(body))
    if n_in_runs * 3 < n_high or len(body) < 32:
        return _latin_guess(body)  # isolated accented letters: a Western or Central European code page
    try:
        best = charset_normalizer.from_bytes(body).best()
    except Exception as e:  # charset_normalizer is a heuristic over arbitrary bytes
        raise Rejected("extract", "bad_encoding", f"charset detection failed: {e}") from e
    if best is None:
        raise Rejected("extract", "bad_encoding", "bytes do not look like text in any known charset")
    if best.encoding in _LATIN_FAMILY:
        return _latin_guess(body)
    LOGGER.debug("charset guessed as %s", best.encoding)
    return str(best)


def _guess_utf16(body: bytes) -> str:
    even_nuls = body[0::2].count(0)
    odd_nuls = body[1::2].count(0)
    codec = "utf-16-be" if even_nuls > odd_nuls else "utf-16-le"
    try:
        return body[: len(body) // 2 * 2].decode(codec)
    except UnicodeDecodeError as e:
        raise Rejected("extract", "bad_encoding", "NUL bytes throughout, but not UTF-16 text") from e


def _latin_guess(body: bytes) -> str:
    best_text, best_score = "", float("-inf")
    for codec, expected in _CANDIDATES:
        text = body.decode(codec, errors="storyline-latin1")
        score = 0
        for char, count in Counter(_NON_ASCII.findall(text)).items():
            if char in expected:
                score += count
            elif not char.isalpha() and char not in _PUNCTUATION:
                score -= 3 * count
        if score > best_score:
            best_text, best_score = text, score
    return best_text


def _checked(text: str) -> str:
    raw = text.encode("utf-8", "surrogatepass")
    n_junk = len(raw) - len(raw.translate(None, _JUNK_BYTES)) + raw.count("\ufffd".encode())
    if n_junk > len(text) * _MAX_JUNK_SHARE:
        raise Rejected(
            "extract",
            "bad_encoding",
            f"{n_junk} of {len(text)} characters are control or replacement characters after decoding",
        )
    return text
