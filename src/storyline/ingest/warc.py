"""Web archive reader on warcio: WARC 1.x (CC-NEWS style), older WARC (0.17, 0.18) and ARC v1.

Plain or gzipped (one member per record, or one for the whole file). ARC files are read through
warcio's ARC-to-WARC conversion, so every format gives records with ``WARC-Target-URI`` and
``WARC-Date``. Only ``response`` records are items; ``warcinfo``, ``request``, ``metadata`` and the
rest are skipped silently. A damaged or cut-off archive yields its good records first, then one
``truncated`` rejection. Header blocks and decompression time are bounded per record
(``warc_guard``): a record past the bounds is a ``header_too_large`` or ``too_slow`` rejection and
reading goes on after it where the archive allows.
"""

from __future__ import annotations

import logging
import zlib
from collections.abc import Iterator
from typing import Any, BinaryIO

from warcio.exceptions import ArchiveLoadFailed
from warcio.statusandheaders import StatusAndHeadersParserException

from storyline.ingest.sniff import GZIP_MAGIC, HEAD_BYTES, charset_of, read_upto, replay, sniff
from storyline.ingest.warc_guard import REFUSED, GuardedIterator, Refused
from storyline.model import RawDoc, RawKind, Rejection
from storyline.settings import Settings

LOGGER = logging.getLogger(__name__)

# warcio on damaged input raises its own errors, zlib/EOF errors, and plain Python errors from
# half-parsed headers (AttributeError on a missing WARC-Target-URI, for one): all mean "damaged".
_DAMAGE = (ArchiveLoadFailed, StatusAndHeadersParserException, zlib.error, EOFError, OSError, Exception)
_TAIL = 64 * 1024
_PEEK_BYTES = 512
_ARC_START = b"filedesc://"
_HTML_TYPES = {"text/html": "html", "application/xhtml+xml": "html", "text/plain": "text"}


class _Counting:
    """A read-only stream wrapper that counts bytes read and keeps the last ``_TAIL`` of them.

    warcio stops silently when an archive ends inside a record's headers; comparing the end of the
    last whole record with what was read tells a cut-off archive from a complete one.
    """

    def __init__(self, stream: BinaryIO) -> None:
        self._stream = stream
        self.count = 0
        self.tail = b""

    def read(self, size: int = -1) -> bytes:
        """Read from the wrapped stream, counting."""
        data = self._stream.read(size)
        self.count += len(data)
        self.tail = (self.tail + data)[-_TAIL:]
        return data

    def tell(self) -> int:
        """Bytes read so far (record offsets are relative to where the stream was handed over)."""
        return self.count

    def leftover(self, end: int) -> bytes | None:
        """What was read after ``end`` (``None`` when that is more than the kept tail)."""
        extra = self.count - end
        if extra > len(self.tail):
            return None
        return self.tail[len(self.tail) - extra :] if extra > 0 else b""


def iter_warc(stream: BinaryIO, origin: str, settings: Settings) -> Iterator[RawDoc | Rejection]:
    """Yield a ``RawDoc`` for each HTML/text ``response`` record in an archive, or its ``Rejection``."""
    first = read_upto(stream, _PEEK_BYTES)
    counting = _Counting(replay(first, stream))
    records = GuardedIterator(counting, arc2warc=_is_arc(first))
    end = 0
    try:
        for record in records:
            if record.rec_type == REFUSED:
                offset = int(records.get_record_offset())
                end = offset + int(records.get_record_length())
                yield _refused(origin, offset, record.refused)
                if records.stopped:
                    return
                continue
            item, offset, cut = _read_record(record, records, origin, settings)
            end = offset + int(records.get_record_length())
            if cut:
                yield _truncated(f"{origin}#{offset}", f"{origin}: record at offset {offset} is cut off")
                return
            if item is not None:
                yield item
    except Refused as refused:  # while reading a record's payload: no way past it
        yield _refused(origin, int(records.offset), refused)
        return
    except _DAMAGE as e:
        yield _truncated(origin, f"{origin}: archive is damaged after offset {end}: {e}")
        return
    leftover = counting.leftover(end)
    if records.cut_member or leftover is None or leftover.strip():
        yield _truncated(origin, f"{origin}: archive ends inside a record after offset {end}")


def _is_arc(first: bytes) -> bool:
    """Whether an archive's first bytes (gzipped or not) open an ARC file's version block."""
    head = first
    if first.startswith(GZIP_MAGIC):
        try:
            head = zlib.decompressobj(wbits=31).decompress(first, len(_ARC_START))
        except zlib.error:
            return False
    return head.startswith(_ARC_START)


def _refused(origin: str, offset: int, refused: Refused) -> Rejection:
    where = f"{origin}#{offset}"
    LOGGER.debug("warc: %s refused (%s): %s", where, refused.reason, refused.detail)
    return Rejection(where, "read", refused.reason, f"{where}: {refused.detail}")


def _read_record(
    record: Any, records: Any, origin: str, settings: Settings
) -> tuple[RawDoc | Rejection | None, int, bool]:
    """``(item or None, record offset, whether the record is cut off)`` for one WARC record."""
    item = _response_item(record, settings) if record.rec_type == "response" else None
    offset = int(records.get_record_offset())
    cut = getattr(record.raw_stream, "limit", 0) > 0 or not _declared_length(record)
    if isinstance(item, Rejection):
        item = Rejection(f"{origin}#{offset}", "read", item.reason, f"{origin}#{offset}: {item.detail}")
    elif item is not None:
        item = RawDoc(f"{origin}#{offset}", item.kind, item.body, url=item.url, hints=item.hints)
    return item, offset, cut


def _declared_length(record: Any) -> bool:
    """Whether the record declares a Content-Length (a record cut inside its headers lacks one)."""
    value = record.rec_headers.get_header("Content-Length") or ""
    return value.strip().isdigit()


def _response_item(record: Any, settings: Settings) -> RawDoc | Rejection:
    """The item for one ``response`` record; origins are filled in by the caller once the offset is known."""
    uri = record.rec_headers.get_header("WARC-Target-URI") or ""
    http = record.http_headers
    if http is None:
        return _reject("not_html", f"{uri}: response record without HTTP headers")
    status = http.get_statuscode() or ""
    if not status.startswith("2"):
        return _reject("http_status", f"{uri}: HTTP status {status}")
    content_type = http.get_header("Content-Type") or ""
    mime = content_type.partition(";")[0].strip().lower()
    try:
        payload = record.content_stream().read(settings.max_item_bytes + 1)
    except (zlib.error, OSError, ValueError, EOFError) as e:
        return _reject("corrupt", f"{uri}: cannot decode payload: {e}")
    if len(payload) > settings.max_item_bytes:
        return _reject("too_large", f"{uri}: payload over max_item_bytes={settings.max_item_bytes}")
    kind = _kind_of(mime, payload)
    if kind is None:
        return _reject("not_html", f"{uri}: content type {mime or 'missing'} is not HTML or text")
    hints = {"fetched": record.rec_headers.get_header("WARC-Date"), "charset": charset_of(content_type)}
    return RawDoc("", kind, payload, url=uri or None, hints={k: v for k, v in hints.items() if v})


def _kind_of(mime: str, payload: bytes) -> RawKind | None:
    """``html``/``text`` from the declared type, or from sniffing when no type was declared."""
    if mime in _HTML_TYPES:
        return "text" if _HTML_TYPES[mime] == "text" else "html"
    if not mime:
        sniffed = sniff(payload[:HEAD_BYTES], complete=len(payload) <= HEAD_BYTES)
        if sniffed in ("html", "text"):
            return sniffed
    return None


def _reject(reason: str, detail: str) -> Rejection:
    return Rejection("", "read", reason, detail)


def _truncated(origin: str, detail: str) -> Rejection:
    LOGGER.debug("warc: %s", detail)
    return Rejection(origin, "read", "truncated", detail)
