"""Bounds on what warcio may read for one archive record, enforced before warcio buffers it.

warcio parses record and HTTP headers with ``readline()`` and no limit, appending every header to a
list: a 116 KB ``.warc.gz`` holding 10M header lines, or a 255 KB one holding a single 256 MB line,
is enough to drive a reader past 2 GB. Here the decompressing reader warcio reads through refuses
any line over ``MAX_HEADER_LINE`` and, while headers are parsed, more than ``MAX_HEADER_LINES`` lines
or ``MAX_HEADER_BYTES`` bytes; it also charges the time spent decompressing to the record being
read and refuses it past ``DECOMPRESS_SECONDS``. A refused record becomes a placeholder record that
``warc.iter_warc`` turns into a rejection; reading goes on at the next gzip member (the usual one
member per record) or, in an uncompressed WARC, at the next ``WARC/`` line.
"""

from __future__ import annotations

import io
import logging
import time
from typing import Any

from warcio.archiveiterator import ArchiveIterator
from warcio.bufferedreaders import DecompressingBufferedReader
from warcio.recordloader import ArcWarcRecord
from warcio.statusandheaders import StatusAndHeaders
from warcio.utils import BUFF_SIZE

LOGGER = logging.getLogger(__name__)

MAX_HEADER_LINE = 16 * 1024
"""Longest header line (WARC, ARC or HTTP); real ones, long cookies and CSP included, stay well below."""
MAX_HEADER_LINES = 500
"""Most lines in one record's header blocks (WARC + HTTP), or blank lines between two records."""
MAX_HEADER_BYTES = 64 * 1024
"""Most bytes in one record's header blocks (WARC + HTTP)."""
DECOMPRESS_SECONDS = 10.0
"""Most CPU time spent decompressing one record (its headers, payload and the skip past it)."""

REFUSED = "storyline-refused"
"""``rec_type`` of the placeholder record that stands for a refused one."""


class Refused(Exception):
    """A record broke one of the bounds: ``reason`` is the rejection's reason code."""

    def __init__(self, reason: str, detail: str) -> None:
        super().__init__(detail)
        self.reason = reason
        self.detail = detail


class GuardedReader(DecompressingBufferedReader):  # type: ignore[misc]  # warcio is untyped
    """warcio's decompressing reader with a cap on every line and, while counting, on header blocks."""

    def __init__(self, stream: Any, block_size: int = BUFF_SIZE) -> None:
        super().__init__(stream, block_size=block_size)
        self.counting = False
        self.lines = 0
        self.bytes = 0
        self.spent = 0.0

    def start(self, *, counting: bool) -> None:
        """Start a new header block (counts) and, unless only counting, a new record (time budget)."""
        self.counting = counting
        self.lines = self.bytes = 0

    def charge(self, seconds: float) -> None:
        """Add time spent on the current record; refuse it past ``DECOMPRESS_SECONDS``."""
        self.spent += seconds
        if self.spent > DECOMPRESS_SECONDS:
            raise Refused("too_slow", f"record needs over {DECOMPRESS_SECONDS:g} s of decompression")

    def _fillbuff(self, block_size: int | None = None) -> None:
        began = time.thread_time()
        try:
            super()._fillbuff(block_size)
        finally:
            self.charge(time.thread_time() - began)

    def readline(self, length: int | None = None) -> bytes:
        """One line of at most ``MAX_HEADER_LINE`` bytes; a longer one is refused unread."""
        limit = MAX_HEADER_LINE + 1 if length is None else min(length, MAX_HEADER_LINE + 1)
        line: bytes = super().readline(limit)
        if len(line) > MAX_HEADER_LINE:
            raise Refused("header_too_large", f"header line over {MAX_HEADER_LINE} bytes")
        if self.counting:
            self.lines += 1
            self.bytes += len(line)
            if self.lines > MAX_HEADER_LINES:
                raise Refused("header_too_large", f"over {MAX_HEADER_LINES} header lines")
            if self.bytes > MAX_HEADER_BYTES:
                raise Refused("header_too_large", f"header block over {MAX_HEADER_BYTES} bytes")
        return line

    def skip_line(self) -> bytes:
        """Read past one line of any length, returning at most its first ``MAX_HEADER_LINE`` bytes."""
        first = rest = DecompressingBufferedReader.readline(self, MAX_HEADER_LINE)
        while rest and not rest.endswith(b"\n"):
            rest = DecompressingBufferedReader.readline(self, MAX_HEADER_LINE)
        return bytes(first)


class GuardedIterator(ArchiveIterator):  # type: ignore[misc]  # warcio is untyped
    """warcio's iterator over a ``GuardedReader``: refused records become placeholders, reading goes on.

    It also notes whether the last gzip member ended before its end-of-stream marker (warcio ignores
    a cut-off member), so the caller can tell a cut-off archive from a complete one.
    """

    cut_member = False
    stopped = False

    def __init__(self, fileobj: Any, *, arc2warc: bool) -> None:
        super().__init__(fileobj, arc2warc=arc2warc)
        self.reader = GuardedReader(self.fh)
        self._resync: bytes | None = None

    def close(self) -> None:
        """Note a cut-off gzip member, then close as warcio does."""
        decompressor = getattr(self.reader, "decompressor", None)
        if decompressor is not None and not getattr(decompressor, "eof", True):
            self.cut_member = True
        super().close()

    def _next_record(self, next_line: bytes | None) -> Any:
        self.reader.spent = 0.0
        self.reader.start(counting=True)
        try:
            return super()._next_record(next_line)
        except Refused as refused:
            self.reader.counting = False
            return self._placeholder(refused)
        finally:
            self.reader.counting = False

    def _placeholder(self, refused: Refused) -> ArcWarcRecord:
        """Skip past the refused record and stand in for it (``stopped`` when no way past it was found)."""
        try:
            if self.reader.decompressor is not None:
                while self.reader.read(BUFF_SIZE):  # the rest of this gzip member
                    pass
            else:
                self._resync = self._next_warc_line()
        except Refused as slow:
            self.stopped = True
            refused = Refused(refused.reason, f"{refused.detail}; not read past it: {slow.detail}")
        LOGGER.debug("warc: record refused (%s): %s", refused.reason, refused.detail)
        self.member_info = None
        headers = StatusAndHeaders("", [("WARC-Type", REFUSED)], protocol="WARC/1.0")
        record = ArcWarcRecord("warc", REFUSED, headers, io.BytesIO(), None, None, 0)
        record.refused = refused
        return record

    def _next_warc_line(self) -> bytes | None:
        """In an uncompressed archive, the next line that starts a WARC record (``None``: none left)."""
        began = time.thread_time()
        while line := self.reader.skip_line():
            self.reader.charge(time.thread_time() - began)
            began = time.thread_time()
            if line.startswith(b"WARC/") and line.endswith(b"\n"):
                return line
        self.stopped = True
        return None

    def _consume_blanklines(self) -> tuple[bytes | None, int]:
        """warcio's, bounded: blank lines between records count as one header block."""
        if self._resync is not None:
            line, self._resync = self._resync, None
            return line, 0
        self.reader.start(counting=True)
        empty_size = 0
        first = True
        try:
            while line := self.reader.readline():
                if line.strip() and not first:
                    return line, empty_size
                if line.strip():
                    LOGGER.debug("warc: record not followed by a blank line: %r", line[:80])
                empty_size += len(line)
                first = False
        finally:
            self.reader.counting = False
        return None, empty_size
