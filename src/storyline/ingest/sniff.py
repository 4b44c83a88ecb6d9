"""Content sniffing: what a file or body holds, judged from its first bytes, not its name.

``sniff(head)`` classifies the first ``HEAD_BYTES`` of an input as one of ``Kind``. The helpers here
also decode a head for inspection (never an article body: extraction does that), peek inside gzip,
and let a reader look at a head and then read the stream again from its start.
"""

from __future__ import annotations

import codecs
import io
import json
import logging
import re
import zlib
from typing import TYPE_CHECKING, BinaryIO, Literal

import charset_normalizer

if TYPE_CHECKING:
    from _typeshed import WriteableBuffer

LOGGER = logging.getLogger(__name__)

Kind = Literal["gzip", "warc", "jsonl", "feed", "html", "xml", "text", "binary", "empty"]

HEAD_BYTES = 64 * 1024
"""How much of an input the sniffer looks at."""

GZIP_MAGIC = b"\x1f\x8b"
JSONL_SUFFIXES = (".jsonl", ".ndjson", ".jsonl.gz", ".ndjson.gz")
_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
_LEGACY_SAMPLE = 16 * 1024
_MAX_CONTROL_SHARE = 0.01
_HTML_TAGS = frozenset(
    (
        *("html", "head", "body", "p", "div", "meta", "title", "link", "script", "style", "article"),
        *("section", "header", "footer", "nav", "main", "span", "table", "ul", "ol", "li", "a", "br"),
        *("h1", "h2", "h3", "h4", "h5", "h6", "img", "figure", "form", "aside", "blockquote", "pre"),
        *("b", "i", "em", "strong", "noscript", "base", "center", "font"),
    )
)
_SKIP_PROLOG = re.compile(r"\A(?:\s+|<\?.*?\?>|<!--.*?-->|<!DOCTYPE[^>]*>)*", re.DOTALL | re.IGNORECASE)
_FIRST_TAG = re.compile(r"<([A-Za-z_][\w:.-]*)")
_DOCTYPE_HTML = re.compile(r"<!doctype\s+html", re.IGNORECASE)
_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1a\x1c-\x1f\x7f-\x9f]")
_HTML_MARK = re.compile(r"<!doctype\s+html|<html[\s>]|<body[\s>]", re.IGNORECASE)
_JSON_START = re.compile(r"\A\{\s*(?:\"|\}|\Z)")
_ARCHIVE_START = re.compile(rb"\AWARC/(?:1\.|\d+\.\d+\r?\n)|\Afiledesc://\S")
"""A web archive: a WARC version line (1.x, or older 0.17/0.18) or an ARC file's version block."""


def sniff(head: bytes, *, complete: bool, name: str = "") -> Kind:
    """Classify an input from its first bytes; ``complete`` says whether ``head`` is all there is.

    A first line that is a JSON object makes JSONL whatever follows (bad lines are rejected one by
    one later); so does a ``.jsonl``/``.ndjson`` name on anything that is text. ``warc`` covers every
    web archive warcio reads: WARC 1.x, older WARC versions and ARC.
    """
    if head.startswith(GZIP_MAGIC):
        return "gzip"
    if _ARCHIVE_START.match(head):
        return "warc"
    if _is_jsonl(head, complete=complete):
        return "jsonl"
    text = decode_head(head, complete=complete)
    if text is None or is_binary_text(text):
        return "binary"
    text = text.lstrip("\ufeff \t\r\n\f\v")
    if not text:
        return "empty" if complete else "text"
    if name.lower().endswith(JSONL_SUFFIXES):
        return "jsonl"
    if text.startswith("<"):
        return _markup_kind(text)
    return "html" if _HTML_MARK.search(text, 0, 4096) else "text"


def looks_like_html(text: str) -> bool:
    """Whether ``text`` clearly is an HTML document or fragment (starts with an HTML tag or doctype)."""
    stripped = text.lstrip("\ufeff \t\r\n\f\v")
    return stripped.startswith("<") and _markup_kind(stripped[:HEAD_BYTES]) == "html"


def decode_head(head: bytes, *, complete: bool) -> str | None:
    """``head`` decoded for inspection: BOM, else UTF-8, else the best legacy guess; ``None`` if none fits."""
    for bom, encoding in _BOMS:
        if head.startswith(bom):
            return codecs.getincrementaldecoder(encoding)("replace").decode(head, final=complete)
    try:
        return codecs.getincrementaldecoder("utf-8")("strict").decode(head, final=complete)
    except UnicodeDecodeError:
        return decode_legacy(head[:_LEGACY_SAMPLE])


def decode_legacy(data: bytes) -> str | None:
    """Bytes in some legacy encoding, decoded by charset_normalizer's best guess (``None`` if no guess).

    Short inputs fit many code pages equally well; among equally good guesses cp1252 wins, as the
    most common legacy encoding of news pages.
    """
    results = charset_normalizer.from_bytes(data)
    best = results.best()
    if best is None:
        return None
    tied = {m.encoding for m in results if m.chaos <= best.chaos and m.coherence >= best.coherence}
    encoding = "cp1252" if "cp1252" in tied | set(best.could_be_from_charset) else best.encoding
    try:
        return data.decode(encoding)
    except (UnicodeDecodeError, LookupError):
        return str(best)


def is_binary_text(text: str) -> bool:
    """Whether decoded text holds NUL or more than a trace of control characters."""
    if "\x00" in text:
        return True
    return len(_CONTROL.findall(text)) > _MAX_CONTROL_SHARE * max(len(text), 1)


def charset_of(content_type: str | None) -> str | None:
    """The ``charset`` parameter of a Content-Type header value, lower-cased, if any."""
    match = re.search(r"charset\s*=\s*\"?([\w.:-]+)", content_type or "", re.IGNORECASE)
    return match.group(1).lower() if match else None


def gunzip_head(stream: BinaryIO) -> tuple[bytes, bytes, bool]:
    """Decompress up to ``HEAD_BYTES`` from the start of a gzip stream, tolerating truncation.

    Returns ``(compressed bytes read, decompressed head, complete)``; ``complete`` is true when the
    whole stream was decompressed within the head. Raises ``zlib.error`` when it is not gzip.
    """
    consumed, out = bytearray(), bytearray()
    decomp = zlib.decompressobj(wbits=31)
    while len(out) < HEAD_BYTES:
        chunk = stream.read(16 * 1024)
        if not chunk:
            return bytes(consumed), bytes(out), decomp.eof
        consumed += chunk
        out += decomp.decompress(chunk)
        while decomp.eof and decomp.unused_data:
            rest = decomp.unused_data
            decomp = zlib.decompressobj(wbits=31)
            out += decomp.decompress(rest)
    return bytes(consumed), bytes(out[:HEAD_BYTES]), False


def read_upto(stream: BinaryIO, size: int) -> bytes:
    """Read ``size`` bytes, or fewer only at end of stream (pipes may return short reads)."""
    parts, got = [], 0
    while got < size:
        chunk = stream.read(size - got)
        if not chunk:
            break
        parts.append(chunk)
        got += len(chunk)
    return b"".join(parts)


def replay(prefix: bytes, rest: BinaryIO) -> BinaryIO:
    """A stream that yields ``prefix`` again, then the remainder of ``rest``."""
    return io.BufferedReader(_Replay(prefix, rest), buffer_size=HEAD_BYTES)


class _Replay(io.RawIOBase):
    """Raw stream over already-read bytes followed by the rest of another stream."""

    def __init__(self, prefix: bytes, rest: BinaryIO) -> None:
        super().__init__()
        self._prefix = memoryview(prefix)
        self._pos = 0
        self._rest = rest

    def readable(self) -> bool:
        """Always readable."""
        return True

    def readinto(self, buffer: WriteableBuffer) -> int:
        """Fill ``buffer`` from the prefix first, then from the rest."""
        view = memoryview(buffer).cast("B")
        if self._pos < len(self._prefix):
            n = min(len(view), len(self._prefix) - self._pos)
            view[:n] = self._prefix[self._pos : self._pos + n]
            self._pos += n
            return n
        data = self._rest.read(len(view))
        view[: len(data)] = data
        return len(data)


def _is_jsonl(head: bytes, *, complete: bool) -> bool:
    """Whether the first non-blank line is a JSON object (or plainly starts one, if cut by the head)."""
    start = head.removeprefix(codecs.BOM_UTF8).lstrip()
    if not start.startswith(b"{"):
        return False
    line, newline, _ = start.partition(b"\n")
    text = decode_head(line, complete=True)
    if text is None:
        return False
    if not newline and not complete:
        return bool(_JSON_START.match(text))
    try:
        return isinstance(json.loads(text), dict)
    except (ValueError, RecursionError):
        return False


def _markup_kind(text: str) -> Kind:
    """Feed, HTML, other XML or text, for text that starts with ``<``."""
    if _DOCTYPE_HTML.search(text, 0, 4096):
        return "html"
    prolog = _SKIP_PROLOG.match(text)
    tag = _FIRST_TAG.match(text, prolog.end() if prolog else 0)
    name = tag.group(1).lower() if tag else ""
    if name.rpartition(":")[2] in {"rss", "rdf", "feed"}:
        return "feed"
    if name in _HTML_TAGS or _HTML_MARK.search(text, 0, 4096):
        return "html"
    return "xml" if text.startswith("<?xml") else "text"
